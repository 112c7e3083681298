#!/usr/bin/env bash
# One command: builds the function and the driver, then runs every scenario and writes
# target/bench/results.md and target/bench/*.png. Uses wrk and webdis when installed, and a JDK 25
# or later (AOT_JAVA_HOME, else the first one under /usr/lib/jvm) to time a start with an AOT cache.
set -euo pipefail
cd "$(dirname "$0")/../.."

# prints the java launcher of a JDK whose feature release is 25 or later
find_aot_java() {
    local candidate release
    for candidate in ${AOT_JAVA_HOME:+"$AOT_JAVA_HOME/bin/java"} /usr/lib/jvm/*/bin/java; do
        [ -x "$candidate" ] || continue
        release=$("$candidate" -XshowSettings:properties -version 2>&1 \
            | awk -F' = ' '/java.specification.version/ {print $2}')
        if [ "${release%%.*}" -ge 25 ] 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
}

mvn -q -DskipTests package
mvn -q -f src/bench/pom.xml package
exec java -cp "target/bench-build/classes:target/bench-build/lib/*" -Dbench.aotJava="$(find_aot_java)" "$@" \
    dev.redisfn.bench.Bench
