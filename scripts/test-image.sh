#!/usr/bin/env bash
# Starts the image built by scripts/build-image.sh under podman on loopback ports and checks
# it: /health/ready answers 200, a GenerateDataStream call (testdata --remote) returns records,
# a grpcio client's GenerateData/GenerateDataStream/GetSchemas/health/reflection checks pass,
# the HEALTHCHECK command succeeds, and the process runs as uid 10001 with a read-only root
# and no capabilities (as deploy/k8s/deployment.yaml runs it). Needs root and podman
# (apt-get install podman runc). scripts/test-all.sh runs it on the debug binaries of the test
# build (PROFILE=debug, ~3 minutes with debootstrap); by hand: scripts/build-image.sh && scripts/test-image.sh
set -euo pipefail
cd "$(dirname "$0")/.."
image=${1:-testdata-server:0.1.0}
# The client side runs on the host: the CLI of the same build (PROFILE as for build-image.sh).
cli=target/${PROFILE:-release}/testdata
if [ ! -x "$cli" ]; then
  if [ "${PROFILE:-release}" = release ]; then cargo build -q --release -p testdata-server --bin testdata
  else cargo build -q -p testdata-server --bin testdata; fi
fi
conf=$(mktemp); printf '[containers]\ndefault_ulimits = []\n' > "$conf"
podman_() { CONTAINERS_CONF=$conf podman --runtime=runc --cgroup-manager=cgroupfs "$@"; }
pod() { podman_ "$@" 2>/dev/null; }
name=testdata-image-test-$$
# Can this machine run a container at all? (Not a property of the image: say so and stop.)
if ! why=$(podman_ run --rm --entrypoint /bin/true "$image" 2>&1); then
  rm -f "$conf"
  echo "test-image: SKIPPED: podman cannot run containers here: $why"
  exit 0
fi
podman_ run -d --name "$name" --read-only --cap-drop ALL --security-opt no-new-privileges -p 127.0.0.1:19091:9091 -p 127.0.0.1:18091:8091 "$image" >/dev/null
trap 'pod rm -f "$name" >/dev/null; rm -f "$conf"' EXIT
for _ in $(seq 1 50); do
  curl -sf -o /dev/null http://127.0.0.1:18091/health/ready && break
  sleep 0.2
done
passed=0 failed=0
check() {
  local out
  if out=$("$@" 2>&1); then passed=$((passed + 1)); echo "ok   $*"
  else failed=$((failed + 1)); echo "FAIL $*"; echo "$out" | tail -20 | sed 's/^/     /'; fi
}
check curl -sf http://127.0.0.1:18091/health/ready
records=$("$cli" generate -e cart -n 3 -s 5 -f jsonl --remote http://127.0.0.1:19091 2>/dev/null | wc -l)
check test "$records" = 3
# An independent grpcio client (the one testdata-server/tests/edge.rs runs): GenerateData,
# GenerateDataStream, GetSchemas, HealthCheck, grpc.health.v1 and reflection, answers checked.
check env TESTDATA_PY_VENV="$PWD/target/tmp/py-venv" python3 testdata-server/tests/python/client.py 127.0.0.1:19091
check pod exec "$name" /usr/local/bin/testdata health
check pod healthcheck run "$name"
check test "$(pod exec "$name" id -u)" = 10001
echo "test-image: $passed passed, $failed failed"
[ "$failed" = 0 ]
