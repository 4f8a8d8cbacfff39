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

echo "== verify-trace: every step of the EEST subset and the example batches through the on-chain verifier"
summary="$(cargo run --locked -q -- verify-trace --state-test fixtures/eest \
  --batch fixtures/batches/transfers --batch fixtures/batches/mem_loop \
  --batch fixtures/batches/arith_loop --batch fixtures/batches/erc20 --mutate 2 --json 2>/dev/null | tail -n1)"
echo "$summary"
# The command exits non-zero on a mismatch or an accepted forgery; also require real work.
echo "$summary" | grep -Eq '"verified":[1-9][0-9]*' || { echo "verify-trace verified no step" >&2; exit 1; }
