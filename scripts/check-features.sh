#!/usr/bin/env bash
# graphwire-intune builds with no area feature, and with each area feature alone: the
# generator gates every item by the areas whose type closure needs it, and this proves the
# gates close (a type an area needs is never left out). `cargo check`, ~2 s an area.
set -euo pipefail
cd "$(dirname "$0")/.."
# Warnings fail the check, but not through RUSTFLAGS=-D warnings: other flags than clippy's
# checked every dependency again (91 s for this script after clippy, 75 s without). Cargo
# replays a cached crate's warnings, so none is missed on a second run.
check() {
  local output
  if ! output=$(cargo check -q --locked --message-format short "$@" 2>&1); then
    echo "$output" >&2
    exit 1
  fi
  if grep -q 'warning' <<<"$output"; then
    echo "cargo check $* warned:" >&2
    echo "$output" >&2
    exit 1
  fi
}
features=$(sed -n '/^# @generated features begin/,/^# @generated features end/p' graph-intune/Cargo.toml \
  | grep -E '^[a-z0-9-]+ = \[\]$' | cut -d' ' -f1)
check -p graphwire-intune --no-default-features
count=0
for feature in $features; do
  check -p graphwire-intune --no-default-features --features "$feature"
  count=$((count + 1))
done
# The Win32 apps overlay alone (it turns on `mobile-apps`, the area it builds on).
check -p graphwire-intune --no-default-features --features win32-apps
echo "graphwire-intune checks with no area, with each of $count areas alone, and with win32-apps alone"

# graphwire-intune-beta with no area and with the README's. Each of its 201 areas alone takes
# about 4 s, 14 minutes in all, over CI's budget: `BETA_AREAS=all bash scripts/check-features.sh`
# runs them (by hand, before a release or after a change to the gating); its generator shares
# v1.0's gating rules, which the loop above proves, and `full` is built by the tests.
check -p graphwire-intune-beta --no-default-features
check -p graphwire-intune-beta --no-default-features --features configuration-policies
echo "graphwire-intune-beta checks with no area and with configuration-policies alone"
if [ "${BETA_AREAS:-}" = all ]; then
  beta_features=$(sed -n '/^# @generated features begin/,/^# @generated features end/p' graph-intune-beta/Cargo.toml \
    | grep -E '^[a-z0-9-]+ = \[\]$' | cut -d' ' -f1)
  count=0
  for feature in $beta_features; do
    check -p graphwire-intune-beta --no-default-features --features "$feature"
    count=$((count + 1))
  done
  echo "graphwire-intune-beta checks with each of $count areas alone"
fi

# A user's project with the default features that reaches an area whose feature is off: the
# compile error names the feature (not a look-alike method of another area, as rustc would
# suggest for a missing method).
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/src"
cat > "$dir/Cargo.toml" <<TOML
[package]
name = "feature-off-user"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
graphwire-core = { path = "$PWD/graph-core" }
graphwire-intune = { path = "$PWD/graph-intune" }
TOML
cat > "$dir/src/lib.rs" <<'RUST'
use graphwire_intune::IntuneExt;

pub async fn count_detected_apps(client: &graphwire_core::GraphClient) {
    let _apps = client.intune().detected_apps().list();
}
RUST
cp Cargo.lock "$dir/Cargo.lock"
if (target="$PWD/target" && cd "$dir" && CARGO_TARGET_DIR="$target" cargo check -q --message-format short) > "$dir/errors" 2>&1; then
  echo "a call to an area whose feature is off compiled" >&2
  exit 1
fi
expected='error[E0277]: `Intune::detected_apps` needs the `detected-apps` feature of graphwire-intune'
if ! grep -qF "$expected" "$dir/errors"; then
  echo "expected the error: $expected" >&2
  cat "$dir/errors" >&2
  exit 1
fi
echo "an area whose feature is off: the compile error names the feature"
