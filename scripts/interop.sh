#!/usr/bin/env bash
# Microsoft's official Python Graph SDK (msgraph-sdk, pinned in interop/python/requirements.txt)
# against the emulator binary, unchanged: a client nobody here wrote.
#   bash scripts/interop.sh
# Creates its virtual environment under target/interop-venv (again when the pins change).
# Without python3 it says so and skips; any failure fails the run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if ! command -v python3 >/dev/null 2>&1; then
  echo "SKIPPED: the msgraph-sdk interop suite needs python3, which this machine does not have"
  exit 0
fi
requirements=interop/python/requirements.txt
venv=target/interop-venv
if ! cmp -s "$requirements" "$venv/requirements.txt" 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --disable-pip-version-check --no-input -q -r "$requirements"
  cp "$requirements" "$venv/requirements.txt"
fi
cargo build --locked -q -p graphwire-intune --features emulator --bin intune-emulator
cd interop/python
INTUNE_EMULATOR="$root/target/debug/intune-emulator" \
  "$root/$venv/bin/python" -W ignore::ResourceWarning -m unittest -v test_msgraph_sdk test_sdk_surface
