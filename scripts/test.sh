#!/usr/bin/env bash
# The project's test command: installs what it needs, then checks everything.
# PROPTEST_CASES raises the property-test case count (default 256).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

eval "$(scripts/install-tools.sh)"
export ANVIL_BIN

echo "== contracts: rebuild and compare with committed artifacts"
node contracts/build.js --check

echo "== rustfmt"
cargo fmt --all -- --check

echo "== clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== tests"
cargo test --workspace --locked --no-fail-fast

echo "== fuzz smoke run (in-process L1, toy VM)"
cargo run --locked -q -- fuzz --vm toy --games 100 --seed 7 --adversaries 3 --json | tail -n1
