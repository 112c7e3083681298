#!/usr/bin/env bash
# The training run for the function's start-up cache: run it in the function's directory
# (target/quarkus-app, or /deployments in the image) with the java and the JVM options the function
# will run with (a start-up cache option among them, -XX:SharedArchiveFile or -XX:AOTCache, is left
# out: this run writes that cache). It starts the function, waits until it serves, calls each
# function a few times so that their classes are loaded and linked, then stops it; the JVM writes
# the cache as it exits:
#
#   JDK 25 and later  app.aot, an AOT cache (JEP 483, 514, 515): start with -XX:AOTCache=app.aot
#   JDK 17 to 24      app-cds.jsa, a dynamic class-data archive (AppCDS): start with
#                     -XX:SharedArchiveFile=app-cds.jsa
#
# The cache holds only for the exact JVM that wrote it and the same jar path, so run it where the
# function runs: in the container image's build (src/main/docker/Dockerfile.jvm), or on the host.
#
#   usage: train-start-cache.sh JAVA [JVM options...]
#   TRAIN_JAR    the jar as the function will be started (default quarkus-run.jar)
#   TRAIN_PORT   HTTP port of the training run (default 8089)
#   TRAIN_REDIS  host:port of a Redis for the calls (default 127.0.0.1:1, where none answers:
#                a refused connection still loads the client's classes; a Redis adds its replies')
#
# Needs bash only (its /dev/tcp), no curl: the image build runs it in the runtime image.
set -euo pipefail

java=$1
shift
options=()
for option in "$@"; do
    case $option in -XX:SharedArchiveFile=* | -XX:AOTCache=*) ;; *) options+=("$option") ;; esac
done
jar=${TRAIN_JAR:-quarkus-run.jar}
port=${TRAIN_PORT:-8089}
redis=${TRAIN_REDIS:-127.0.0.1:1}
release=0
while IFS= read -r line; do
    case $line in *java.specification.version*) release=${line##*= } ;; esac
done < <("$java" -XshowSettings:properties -version 2>&1)
if [ "${release%%.*}" -ge 25 ]; then
    cache=app.aot
    record=-XX:AOTCacheOutput=$cache
else
    cache=app-cds.jsa
    record=-XX:ArchiveClassesAtExit=$cache
fi
connection="{\"host\":\"${redis%:*}\",\"port\":${redis##*:}}"

# one HTTP/1.1 call on its own connection; prints the status code
call() {
    local method=$1 path=$2 body=${3:-} status
    exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
    printf '%s %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
        "$method" "$path" "${#body}" "$body" >&3
    read -r _ status _ <&3
    cat <&3 >/dev/null
    exec 3<&-
    echo "$status"
}

rm -f "$cache"
"$java" "${options[@]}" "$record" -Dquarkus.http.port="$port" -jar "$jar" >train-start-cache.log 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT

deadline=$((SECONDS + 60))
until [ "$(call GET /q/health/ready 2>/dev/null)" = 200 ]; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
        echo "train-start-cache: the function did not become ready; see train-start-cache.log" >&2
        exit 1
    fi
    sleep 0.1
done

for _ in $(seq 1 50); do
    call POST /execute "{\"connection\":$connection,\"operation\":\"SET\",\"params\":{\"key\":\"start-cache:train\",\"value\":\"v\",\"ttlSeconds\":60}}" >/dev/null
    call POST /execute "{\"connection\":$connection,\"operation\":\"GET\",\"params\":{\"key\":\"start-cache:train\"}}" >/dev/null
    call POST /execute "{\"connection\":$connection,\"batch\":[{\"operation\":\"GET\",\"params\":{\"key\":\"start-cache:train\"}},{\"operation\":\"DEL\",\"params\":{\"key\":\"start-cache:train\"}}]}" >/dev/null
    call POST /execute '{"operation":"GET"}' >/dev/null
    call GET /operations >/dev/null
done
call POST /test-connection "{\"connection\":$connection}" >/dev/null

kill -TERM "$pid"
wait "$pid" || true
trap - EXIT
if [ ! -s "$cache" ]; then
    echo "train-start-cache: no $cache written; see train-start-cache.log" >&2
    exit 1
fi
echo "train-start-cache: wrote $(pwd)/$cache"
