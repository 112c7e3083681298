#!/usr/bin/env bash
# One command: compares the function as it is in this tree (uncommitted changes included) with the
# function at <git-rev>, alternately on this machine, and writes target/bench/compare.md.
#
#   usage: src/bench/compare.sh <git-rev> [-Dbench.rounds=5 -Dbench.seconds=10 -Dbench.warmup=20]
#
# It packages this tree, checks <git-rev> out in a git worktree under target/bench-old and packages
# it there (removed again at the end), builds the driver, then runs dev.redisfn.bench.Compare. Uses
# wrk when installed (apt-get install wrk), otherwise a Java client.
set -euo pipefail
if [ $# -lt 1 ] || [[ $1 == -* ]]; then
    echo "usage: $0 <git-rev> [-Dbench.rounds=N -Dbench.seconds=S -Dbench.warmup=S]" >&2
    exit 2
fi
rev=$1
shift
cd "$(dirname "$0")/../.."
git rev-parse --verify --quiet "$rev^{commit}" >/dev/null || { echo "$rev is not a commit here" >&2; exit 2; }

old=target/bench-old
remove_old() {
    git worktree remove --force "$old" 2>/dev/null || rm -rf "$old"
    git worktree prune
}
remove_old # left over from an interrupted run
trap remove_old EXIT

mvn -q -DskipTests package
git worktree add --detach "$old" "$rev" >/dev/null
(cd "$old" && mvn -q -DskipTests package)
mvn -q -f src/bench/pom.xml package
java -cp "target/bench-build/classes:target/bench-build/lib/*" -Dbench.old="$old" -Dbench.oldRev="$rev" "$@" \
    dev.redisfn.bench.Compare
