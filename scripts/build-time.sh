#!/usr/bin/env bash
# Build-time benchmark (run by hand, not in CI): generates scratch crates declaring N entities
# and N endpoints with the macros, and equivalent hand-written crates (plain serde structs and
# reqwest functions), then times an incremental rebuild of each crate (its dependencies are
# built first and not counted). Also times graphwire-intune clean and incremental builds.
#
#   bash scripts/build-time.sh            # N = 50 200 800
#   bash scripts/build-time.sh 50 100     # other sizes
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(50 200 800)
ws="$root/target/build-time"
rm -rf "$ws"
mkdir -p "$ws"
cp Cargo.lock "$ws/Cargo.lock"

members=""
for n in "${sizes[@]}"; do members="$members\"macros-$n\", \"handwritten-$n\", "; done
cat > "$ws/Cargo.toml" <<TOML
[workspace]
resolver = "3"
members = [${members%, }]
TOML

manifest() { # dir, then dependency lines: writes the scratch crate's Cargo.toml
  local dir=$1
  shift
  mkdir -p "$dir/src"
  {
    printf '[package]\nname = "%s"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n[dependencies]\n' "$(basename "$dir")"
    printf '%s\n' "$@"
  } > "$dir/Cargo.toml"
}

gen_macros() { # n dir
  local n=$1 dir=$2
  manifest "$dir" "graphwire-core = { path = \"$root/graph-core\" }"
  {
    echo 'use graphwire_core::{graph_endpoint, graph_entity, GraphApi, GraphClient};'
    echo 'pub struct Api(pub GraphClient);'
    echo 'impl GraphApi for Api { fn graph_client(&self) -> &GraphClient { &self.0 } }'
    for i in $(seq 1 "$n"); do
      cat <<RS
#[graph_entity(odata_type = "#bench.thing$i")]
pub struct Thing$i {
    pub id: Option<String>,
    pub display_name: Option<String>,
    pub count: Option<i32>,
    pub enabled: Option<bool>,
    pub when: Option<graphwire_core::DateTimeOffset>,
}
impl Api {
    #[graph_endpoint(PATCH, "/things$i/{thingId}", permissions = ["Bench.ReadWrite"])]
    pub async fn update_thing$i(&self, thing_id: &str, body: &Thing$i) -> graphwire_core::Result<Thing$i>;
}
RS
    done
  } > "$dir/src/lib.rs"
}

gen_handwritten() { # n dir
  local n=$1 dir=$2
  manifest "$dir" \
    'serde = { version = "1", features = ["derive"] }' \
    'serde_json = "1"' \
    'reqwest = { version = "0.12", default-features = false, features = ["rustls-tls", "json"] }' \
    'percent-encoding = "2"'
  {
    echo 'use serde::{Deserialize, Serialize};'
    echo 'pub struct Api { pub http: reqwest::Client, pub root: String, pub token: String }'
    echo 'const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'"'"'-'"'"').remove(b'"'"'.'"'"').remove(b'"'"'_'"'"').remove(b'"'"'~'"'"');'
    for i in $(seq 1 "$n"); do
      cat <<RS
#[derive(Serialize, Deserialize, Default, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Thing$i {
    #[serde(rename = "@odata.type", skip_serializing_if = "Option::is_none")]
    pub odata_type: Option<String>,
    #[serde(skip_serializing)]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}
impl Api {
    pub async fn update_thing$i(&self, thing_id: &str, body: &Thing$i) -> Result<Thing$i, Box<dyn std::error::Error + Send + Sync>> {
        let url = format!("{}/things$i/{}", self.root, percent_encoding::utf8_percent_encode(thing_id, SEGMENT));
        let response = self.http.patch(url).bearer_auth(&self.token).json(body).send().await?.error_for_status()?;
        Ok(response.json().await?)
    }
}
RS
    done
  } > "$dir/src/lib.rs"
}

for n in "${sizes[@]}"; do
  gen_macros "$n" "$ws/macros-$n"
  gen_handwritten "$n" "$ws/handwritten-$n"
done

export CARGO_TARGET_DIR="$ws/target"
echo "building dependencies once (not counted)…"
for n in "${sizes[@]}"; do
  (cd "$ws" && cargo build -q -p "macros-$n" -p "handwritten-$n") >/dev/null
done

time_build() { # package -> median seconds of three rebuilds of that crate alone
  local start end runs=()
  for _ in 1 2 3; do
    touch "$ws/$1/src/lib.rs"
    start=$(date +%s.%N)
    (cd "$ws" && cargo build -q -p "$1") >/dev/null
    end=$(date +%s.%N)
    runs+=("$(echo "$end - $start" | bc)")
  done
  printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p
}

printf '\n| N | macros (s) | hand-written (s) | ratio | macros per endpoint (ms) |\n|---|---|---|---|---|\n'
for n in "${sizes[@]}"; do
  m=$(time_build "macros-$n")
  h=$(time_build "handwritten-$n")
  printf '| %s | %.2f | %.2f | %.2f | %.1f |\n' "$n" "$m" "$h" "$(echo "$m / $h" | bc -l)" "$(echo "$m * 1000 / $n" | bc -l)"
done

unset CARGO_TARGET_DIR
echo
echo "graphwire-intune (this workspace):"
start=$(date +%s.%N); cargo build -q -p graphwire-intune; end=$(date +%s.%N)
touch graph-intune/src/lib.rs
start=$(date +%s.%N); cargo build -q -p graphwire-intune; end=$(date +%s.%N)
printf '  incremental (touch src/lib.rs): %.2f s\n' "$(echo "$end - $start" | bc)"
cargo clean -q -p graphwire-intune
start=$(date +%s.%N); cargo build -q -p graphwire-intune; end=$(date +%s.%N)
printf '  graphwire-intune crate alone, clean (dependencies built): %.2f s\n' "$(echo "$end - $start" | bc)"
