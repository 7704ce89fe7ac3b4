#!/usr/bin/env bash
# Measures `testdata generate` (release build): records/s of JSONL with --jobs 1 and with every
# core, Parquet with every core, and peak RSS of each (output to /dev/null, as the issue's
# `testdata generate -e order -n 10000000 --format jsonl` writes to stdout); then checks that the
# JSONL bytes are identical for both job counts.
#   scripts/bench-generate.sh [COUNT]      # default 10000000 orders
# Prints the load average too: on a shared machine, wall-clock rates depend on other work.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000000}
[ -n "${BIN:-}" ] || cargo build --release -q -p testdata-server --bin testdata
bin=${BIN:-target/release/testdata} out=target/bench-generate
mkdir -p "$out"
echo "cores: $(nproc); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # label, args...: the issue's command, output to /dev/null (no disk, no hashing)
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$out/time" "$bin" generate -e order -n "$n" -s 7 "$@" 2>/dev/null >/dev/null
  read -r wall user sys rss < "$out/time"
  local cpu; cpu=$(echo "$user + $sys" | bc -l)
  # Records per CPU-second does not depend on the machine's load (wall time does).
  printf '%-16s %8.2f s wall  %10.0f records/s  cpu %6.2f s  %10.0f records/cpu-s  rss %5d MB\n' \
    "$label" "$wall" "$(echo "$n / $wall" | bc -l)" "$cpu" "$(echo "$n / ($cpu + 0.001)" | bc -l)" "$((rss / 1024))"
}
run "jsonl --jobs 1" -f jsonl -j 1
run "jsonl --jobs $(nproc)" -f jsonl
run "parquet --jobs $(nproc)" -f parquet
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
# Untimed: the same bytes for any --jobs (SHA-256 of the whole output).
one=$("$bin" generate -e order -n "$n" -s 7 -f jsonl -j 1 2>/dev/null | sha256sum | cut -d' ' -f1)
all=$("$bin" generate -e order -n "$n" -s 7 -f jsonl 2>/dev/null | sha256sum | cut -d' ' -f1)
[ "$one" = "$all" ] && echo "jsonl: identical bytes for --jobs 1 and --jobs $(nproc) (SHA-256 $all)" \
  || { echo "jsonl: OUTPUT DIFFERS between job counts" >&2; exit 1; }
