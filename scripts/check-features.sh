#!/usr/bin/env bash
# graphwire-intune builds with no area feature, and with each area feature alone: the
# generator gates every item by the areas whose type closure needs it, and this proves the
# gates close (a type an area needs is never left out). `cargo check`, ~2 s an area.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUSTFLAGS="${RUSTFLAGS:-} -D warnings"
features=$(sed -n '/^# @generated features begin/,/^# @generated features end/p' graph-intune/Cargo.toml \
  | grep -E '^[a-z0-9-]+ = \[\]$' | cut -d' ' -f1)
cargo check -q --locked -p graphwire-intune --no-default-features
count=0
for feature in $features; do
  cargo check -q --locked -p graphwire-intune --no-default-features --features "$feature"
  count=$((count + 1))
done
echo "graphwire-intune checks with no area and with each of $count areas alone"
