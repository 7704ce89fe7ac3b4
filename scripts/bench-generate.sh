#!/usr/bin/env bash
# Measures `testdata generate` (release build): records/s of JSONL with --jobs 1 and with every
# core, Parquet with every core, and peak RSS of each; checks the JSONL bytes are identical.
#   scripts/bench-generate.sh [COUNT]      # default 10000000 orders; output goes to target/bench-generate
# Prints the load average too: on a shared machine, wall-clock rates depend on other work.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000000}
[ -n "${BIN:-}" ] || cargo build --release -q -p testdata-server --bin testdata
bin=${BIN:-target/release/testdata} out=target/bench-generate
mkdir -p "$out"
echo "cores: $(nproc); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # label, args...
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$out/time" "$bin" generate -e order -n "$n" -s 7 "$@" 2>/dev/null
  read -r wall user sys rss < "$out/time"
  printf '%-16s %8.2f s wall  %10.0f records/s  cpu %6.2f s  rss %5d MB\n' \
    "$label" "$wall" "$(echo "$n / $wall" | bc -l)" "$(echo "$user + $sys" | bc -l)" "$((rss / 1024))"
}
run "jsonl --jobs 1" -f jsonl -j 1 -o "$out/one.jsonl" --manifest "$out/one.manifest.json"
run "jsonl --jobs $(nproc)" -f jsonl -o "$out/all.jsonl" --manifest "$out/all.manifest.json"
run "parquet --jobs $(nproc)" -f parquet -o "$out/all.parquet"
cmp -s "$out/one.jsonl" "$out/all.jsonl" && echo "jsonl: identical bytes for --jobs 1 and --jobs $(nproc)" \
  || { echo "jsonl: OUTPUT DIFFERS between job counts" >&2; exit 1; }
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$out"/*.jsonl "$out"/*.parquet
