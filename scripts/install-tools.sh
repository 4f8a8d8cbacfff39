#!/usr/bin/env bash
# Installs the pinned non-Rust tools the tests need, from the npm registry only:
# solc-js (contracts/package-lock.json) and anvil. Idempotent; prints the env to export.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ANVIL_VERSION="1.7.1"
TOOLS="$ROOT/.tools"

if [ ! -d "$ROOT/contracts/node_modules/solc" ]; then
  echo "install-tools: installing solc-js from contracts/package-lock.json" >&2
  npm ci --prefix "$ROOT/contracts" --no-audit --no-fund --loglevel=error >&2
fi

ANVIL_BIN="$(find "$TOOLS/anvil/node_modules/@foundry-rs" -type f -name anvil 2>/dev/null | head -n1 || true)"
if [ -z "$ANVIL_BIN" ]; then
  echo "install-tools: installing anvil $ANVIL_VERSION from npm" >&2
  mkdir -p "$TOOLS/anvil"
  npm install --prefix "$TOOLS/anvil" --no-audit --no-fund --loglevel=error \
    "@foundry-rs/anvil-linux-amd64@$ANVIL_VERSION" >&2
  ANVIL_BIN="$(find "$TOOLS/anvil/node_modules/@foundry-rs" -type f -name anvil | head -n1)"
fi
chmod +x "$ANVIL_BIN"
"$ANVIL_BIN" --version >&2
echo "export ANVIL_BIN=$ANVIL_BIN"
