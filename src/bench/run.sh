#!/usr/bin/env bash
# One command: builds the function and the driver, then runs every scenario and writes
# target/bench/results.md and target/bench/*.png. Uses wrk and webdis when installed.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -DskipTests -Dquarkus.package.jar.appcds.enabled=true package
mvn -q -f src/bench/pom.xml package
exec java -cp "target/bench-build/classes:target/bench-build/lib/*" dev.redisfn.bench.Bench "$@"
