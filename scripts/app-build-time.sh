#!/usr/bin/env bash
# Build cost of the smallest apps (run by hand, never by CI or the tests): clean debug builds,
# one after another in one run on this machine, of
#   floor        reqwest (rustls) + serde + serde_json + tokio, one hand-written call
#   graphwire    graphwire-intune (all of deviceManagement) + tokio, one call
#   graphwire-beta  graphwire-intune-beta with one area (configuration-policies) + tokio, one call
#   graphwire-beta-full  the same with every beta area (only when APPS names it)
#   graph-rs-sdk graph-rs-sdk 3.0.1 (rustls-tls) + tokio, one call
# then graphwire-intune alone rebuilt after its dependencies (at HEAD and, with BEFORE=<rev>,
# at that revision in a worktree). Each app lives outside the workspace in its own folder and
# target directory; nothing here is built by `cargo test` or CI.
#
#   bash scripts/app-build-time.sh
#   BEFORE=fe39dcd ROUNDS=3 bash scripts/app-build-time.sh
#   APPS="floor graphwire-beta graph-rs-sdk-app" ROUNDS=3 bash scripts/app-build-time.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/target/app-build-time"
rm -rf "$out"
mkdir -p "$out"

app() { # name, dependency lines (TOML), main.rs text
  local name=$1 deps=$2 main=$3
  mkdir -p "$out/$name/src"
  printf '[package]\nname = "%s"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n[dependencies]\n%s\n\n[workspace]\n' \
    "$name" "$deps" > "$out/$name/Cargo.toml"
  printf '%s\n' "$main" > "$out/$name/src/main.rs"
}

app floor 'reqwest = { version = "0.12", default-features = false, features = ["rustls-tls", "json"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
tokio = { version = "1", features = ["rt-multi-thread", "macros"] }' '
#[derive(serde::Serialize, serde::Deserialize, Debug, Default)]
#[serde(rename_all = "camelCase")]
struct Overview { pending_count: Option<i32> }

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = "https://graph.microsoft.com/v1.0/deviceManagement/deviceCompliancePolicies/p/userStatusOverview";
    let body = Overview { pending_count: Some(0) };
    let answer: Overview = reqwest::Client::new().patch(url).bearer_auth("t").json(&body).send().await?.json().await?;
    println!("{answer:?}");
    Ok(())
}'

app graphwire "graphwire-core = { path = \"$root/graph-core\" }
graphwire-intune = { path = \"$root/graph-intune\" }
tokio = { version = \"1\", features = [\"rt-multi-thread\", \"macros\"] }" '
use graphwire_intune::{DeviceCompliancePolicyId, DeviceComplianceUserOverview, IntuneExt};

#[tokio::main]
async fn main() -> graphwire_core::Result<()> {
    let client = graphwire_core::GraphClient::builder()
        .credential(graphwire_core::StaticToken::new("t"))
        .build()?;
    let patch = DeviceComplianceUserOverview { pending_count: Some(0), ..Default::default() };
    let policy = DeviceCompliancePolicyId::from("p");
    let overview = client.intune().device_compliance_policies().user_status_overview_update(&policy, &patch).await?;
    println!("{overview:?}");
    Ok(())
}'
cp Cargo.lock "$out/graphwire/Cargo.lock"
mkdir -p "$out/graphwire-full"
cp -r "$out/graphwire/src" "$out/graphwire-full/"
sed -e 's/^name = "graphwire"/name = "graphwire-full"/' \
    -e 's|graphwire-intune = { path = \(.*\) }|graphwire-intune = { path = \1, features = ["full"] }|' \
    "$out/graphwire/Cargo.toml" > "$out/graphwire-full/Cargo.toml"
cp Cargo.lock "$out/graphwire-full/Cargo.lock"

app graphwire-beta "graphwire-core = { path = \"$root/graph-core\" }
graphwire-intune-beta = { path = \"$root/graph-intune-beta\", features = [\"configuration-policies\"] }
tokio = { version = \"1\", features = [\"rt-multi-thread\", \"macros\"] }" '
use graphwire_intune_beta::IntuneBetaExt;

#[tokio::main]
async fn main() -> graphwire_core::Result<()> {
    let client = graphwire_core::GraphClient::builder()
        .credential(graphwire_core::StaticToken::new("t"))
        .build()?;
    let policies = client.intune_beta().configuration_policies().list().await?.collect_all().await?;
    println!("{}", policies.len());
    Ok(())
}'
cp Cargo.lock "$out/graphwire-beta/Cargo.lock"
mkdir -p "$out/graphwire-beta-full"
cp -r "$out/graphwire-beta/src" "$out/graphwire-beta-full/"
sed -e 's/^name = "graphwire-beta"/name = "graphwire-beta-full"/' -e 's/"configuration-policies"/"full"/' \
    "$out/graphwire-beta/Cargo.toml" > "$out/graphwire-beta-full/Cargo.toml"
cp Cargo.lock "$out/graphwire-beta-full/Cargo.lock"

app graph-rs-sdk-app 'graph-rs-sdk = { version = "=3.0.1", default-features = false, features = ["rustls-tls"] }
serde_json = "1"
tokio = { version = "1", features = ["rt-multi-thread", "macros"] }' '
use graph_rs_sdk::GraphClient;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = GraphClient::new("t");
    let response = client
        .device_management()
        .update_device_compliance_policy_device_state_summary(&serde_json::json!({"inGracePeriodCount": 0}))
        .send()
        .await?;
    println!("{}", response.status());
    Ok(())
}'

seconds() { # command...: wall seconds, one decimal
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>"$out/last.log" || { cat "$out/last.log" >&2; return 1; }
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }'
}

# Fetch every crate first, so no build below waits on the network.
apps=${APPS:-floor graphwire graphwire-full graphwire-beta graph-rs-sdk-app}
for name in $apps; do
  (cd "$out/$name" && cargo fetch -q)
done

# ROUNDS=n repeats the four clean builds n times, interleaved, and reports each app's median:
# these machines are shared, and one build can take 30 % longer than the next.
rounds=${ROUNDS:-1}
declare -A took runs
for round in $(seq 1 "$rounds"); do
  for name in $apps; do
    rm -rf "$out/$name/target"
    t=$(cd "$out/$name" && seconds cargo build -q)
    runs[$name]="${runs[$name]:-} $t"
    echo "round $round, clean debug build, $name: $t s"
  done
done
for name in $apps; do
  took[$name]=$(printf '%s\n' ${runs[$name]} | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  echo "median clean debug build, $name: ${took[$name]} s (runs:${runs[$name]})"
done
# Each app against graph-rs-sdk's, when both were built.
if [ -n "${took[graph-rs-sdk-app]:-}" ]; then
  for name in $apps; do
    awk -v n="$name" -v t="${took[$name]}" -v r="${took[graph-rs-sdk-app]}" -v f="${took[floor]:-}" \
      'BEGIN { printf "%s / graph-rs-sdk: %.2f", n, t / r; if (f != "") printf " (over the floor: %.1f s)", t - f; printf "\n" }'
  done
fi
# The rest (a --timings build and the crate alone) needs the v1.0 app.
case " $apps " in *" graphwire "*) ;; *) exit 0 ;; esac
(cd "$out/graphwire" && rm -rf target && cargo build -q --timings >/dev/null 2>&1 && cp target/cargo-timings/cargo-timing.html "$out/graphwire-timings.html") || true

alone() { # workspace dir, label, cargo feature flags...: seconds to build graphwire-intune alone
  # (not incrementally) after its dependencies
  local dir=$1 label=$2
  shift 2
  (cd "$dir" && export CARGO_TARGET_DIR="$out/alone-target-$label" CARGO_INCREMENTAL=0 \
    && cargo build -q -p graphwire-intune "$@" >/dev/null 2>&1 \
    && cargo clean -q -p graphwire-intune && seconds cargo build -q -p graphwire-intune "$@")
}
echo "graphwire-intune alone after its dependencies, HEAD, default features: $(alone "$root" head) s"
echo "graphwire-intune alone after its dependencies, HEAD, --features full: $(alone "$root" head-full --features full) s"
if [ -n "${BEFORE:-}" ]; then
  git worktree remove --force "$out/before" 2>/dev/null || true
  git worktree add -q "$out/before" "$BEFORE"
  echo "graphwire-intune alone after its dependencies, $BEFORE: $(alone "$out/before" before) s"
  git worktree remove --force "$out/before"
fi
