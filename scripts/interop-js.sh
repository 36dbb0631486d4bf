#!/usr/bin/env bash
# Microsoft's JavaScript Graph client (@microsoft/microsoft-graph-client, pinned with a
# package-lock in interop/js) against the intune-emulator binary in HTTPS mode, unchanged.
#   bash scripts/interop-js.sh
# Starts two emulators (one throttled), trusts their CAs through NODE_EXTRA_CA_CERTS, and runs
# node's test runner. Without node it says so and skips; any failure fails the run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIPPED: the JavaScript interop suite needs node and npm, which this machine does not have"
  exit 0
fi
(cd interop/js && npm ci --no-audit --no-fund --silent)
cargo build --locked -q -p graphwire-intune --features emulator --bin intune-emulator
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Starts an emulator with the given flags; its printed banner goes to $work/$1.out.
start() {
  local name=$1
  shift
  target/debug/intune-emulator --port 0 --tls "$@" >"$work/$name.out" 2>&1 &
  pids+=("$!")
  for _ in $(seq 1 100); do
    grep -q "Press Ctrl-C" "$work/$name.out" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "the emulator ($name) did not start:" >&2
  cat "$work/$name.out" >&2
  return 1
}
# The value printed after "  NAME:" in an emulator's banner (its first word).
field() { sed -n "s/^  $2: *//p" "$work/$1.out" | awk '{print $1}'; }

start plain
start throttled --throttle-scale 0.05
cat "$(field plain 'CA file')" "$(field throttled 'CA file')" >"$work/ca-bundle.pem"

cd interop/js
NODE_EXTRA_CA_CERTS="$work/ca-bundle.pem" \
EMULATOR_GRAPH=$(field plain Graph) EMULATOR_TOKEN=$(field plain 'Token URL') \
EMULATOR_JOURNAL=$(field plain Journal) \
THROTTLED_GRAPH=$(field throttled Graph) THROTTLED_TOKEN=$(field throttled 'Token URL') \
THROTTLED_JOURNAL=$(field throttled Journal) \
  node --test --test-reporter=spec graph-client.test.mjs kiota.test.mjs
