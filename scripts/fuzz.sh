#!/usr/bin/env bash
# Runs one fuzz target for a number of seconds on its checked-in corpus (fuzz/corpus/TARGET),
# with cargo-fuzz on the nightly toolchain. Targets: schema, pattern, template, request, export.
#   scripts/fuzz.sh TARGET SECONDS
# New inputs go to fuzz/target/corpus/TARGET (not checked in); a crash is saved under
# fuzz/artifacts/TARGET and the script exits non-zero.
set -euo pipefail
target=${1:?usage: scripts/fuzz.sh TARGET SECONDS}
seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS}
cd "$(dirname "$0")/../fuzz"
if ! cargo +nightly fuzz --help >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
work="target/corpus/$target"
mkdir -p "$work"
cargo +nightly fuzz run -O "$target" "$work" "corpus/$target" -- \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1
