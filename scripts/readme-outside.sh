#!/usr/bin/env bash
# Builds and runs the README's code blocks in a new project outside the workspace that depends
# on our crates by path under their published names, as a new user's project would.
#   bash scripts/readme-outside.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/src"
cat > "$dir/Cargo.toml" <<TOML
[package]
name = "readme-user"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
graphwire-core = { path = "$root/graph-core" }
# The README's Win32 upload section names its feature, as a user's manifest would.
graphwire-intune = { path = "$root/graph-intune", features = ["win32-apps"] }
graphwire-testkit = { path = "$root/graph-testkit" }
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
TOML
cp "$root/README.md" "$dir/README.md"
printf '#![doc = include_str!("../README.md")]\n' > "$dir/src/lib.rs"
# Same lock file, so the outside project resolves the versions CI tested.
cp "$root/Cargo.lock" "$dir/Cargo.lock"
cd "$dir"
CARGO_TARGET_DIR="$root/target/readme-outside" cargo test --doc
