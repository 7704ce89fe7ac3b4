#!/usr/bin/env bash
# Runs every test of the workspace. Installs what the tests need first (idempotent):
# nothing beyond the Rust toolchain so far.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --workspace --all-features "$@"
