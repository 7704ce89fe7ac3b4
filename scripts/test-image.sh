#!/usr/bin/env bash
# Starts the image built by scripts/build-image.sh under podman on loopback ports and checks
# it: /health/ready answers 200, a GenerateDataStream call (testdata --remote) returns records,
# the HEALTHCHECK command succeeds, and the process runs as uid 10001. Needs root and podman
# (apt-get install podman runc). Not run by CI (building the image needs a release build and
# a Debian base: minutes); run it by hand:  scripts/build-image.sh && scripts/test-image.sh
set -euo pipefail
cd "$(dirname "$0")/.."
image=${1:-testdata-server:0.1.0}
conf=$(mktemp); printf '[containers]\ndefault_ulimits = []\n' > "$conf"
pod() { CONTAINERS_CONF=$conf podman --runtime=runc --cgroup-manager=cgroupfs "$@" 2>/dev/null; }
name=testdata-image-test-$$
pod run -d --name "$name" -p 127.0.0.1:19091:9091 -p 127.0.0.1:18091:8091 "$image" >/dev/null
trap 'pod rm -f "$name" >/dev/null; rm -f "$conf"' EXIT
for _ in $(seq 1 50); do
  curl -sf -o /dev/null http://127.0.0.1:18091/health/ready && break
  sleep 0.2
done
passed=0 failed=0
check() { if "$@" >/dev/null 2>&1; then passed=$((passed + 1)); echo "ok   $*"; else failed=$((failed + 1)); echo "FAIL $*"; fi; }
check curl -sf http://127.0.0.1:18091/health/ready
records=$(cargo run -q -p testdata-server --bin testdata -- generate -e cart -n 3 -s 5 -f jsonl --remote http://127.0.0.1:19091 2>/dev/null | wc -l)
check test "$records" = 3
check pod exec "$name" /usr/local/bin/testdata health
check test "$(pod exec "$name" id -u)" = 10001
echo "test-image: $passed passed, $failed failed"
[ "$failed" = 0 ]
