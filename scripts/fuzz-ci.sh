#!/usr/bin/env bash
# CI's fuzzing: every target of fuzz/ for SECONDS (default 30) each, on its checked-in corpus
# (fuzz/corpus/TARGET) plus the kept crash inputs (fuzz/crashes/TARGET-*).
#   scripts/fuzz-ci.sh [SECONDS]
# Runs on the stable toolchain: cargo-fuzz's `--sanitizer none` needs no nightly (no ASan,
# so no memory-error findings; panics, failed checks, timeouts and OOMs are found), and the
# dev profile builds in about 2 minutes. The long runs with ASan are scripts/fuzz.sh (nightly).
# New inputs go to fuzz/target/corpus/TARGET, a crash to fuzz/artifacts/TARGET and the script
# exits non-zero. fuzz/target is deleted at the end (about 1 GB).
set -euo pipefail
seconds=${1:-30}
cd "$(dirname "$0")/../fuzz"
if ! cargo fuzz --help >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --quiet
fi
cargo fuzz build --dev --sanitizer none
status=0
for target in $(cargo fuzz list); do
  work="target/corpus/$target"
  mkdir -p "$work"
  cp crashes/"$target"-* "$work"/ 2>/dev/null || true
  if cargo fuzz run --dev --sanitizer none "$target" "$work" "corpus/$target" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    >"target/$target.log" 2>&1; then
    echo "fuzz-ci: $target: $(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "target/$target.log"), no crash"
  else
    tail -40 "target/$target.log"
    echo "fuzz-ci: $target FAILED (input kept under fuzz/artifacts/$target)" >&2
    status=1
  fi
done
rm -rf target
exit "$status"
