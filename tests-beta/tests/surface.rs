//! graphwire-intune-beta's registered endpoints against the beta SDK's pairs the crate is
//! generated from (`graph-codegen/metadata/intune-beta-sdk-pairs.txt`, which
//! `interop/python/test_sdk_surface.py` checks is the pinned msgraph-beta-sdk's): every pair,
//! and `graph-intune-beta/overlay.json` lists none as not generated.

use std::collections::BTreeSet;
use std::path::Path;

use graph_codegen::surface::normalized_pair as normalized;
use graphwire_core::meta::{ApiVersion, Endpoint};

fn read(relative: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(relative),
    )
    .unwrap()
}

#[test]
fn the_crate_serves_every_pair_of_the_beta_sdk() {
    let _ = graphwire_intune_beta::IntuneBeta::new;
    let ours: BTreeSet<String> = Endpoint::all()
        .filter(|e| e.version == ApiVersion::Beta)
        .map(|e| normalized(&format!("{} {}", e.method.as_str(), e.template)))
        .collect();
    let published: BTreeSet<String> = read("graph-codegen/metadata/intune-beta-sdk-pairs.txt")
        .lines()
        .filter(|l| !l.is_empty())
        .map(normalized)
        .collect();
    let overlay: serde_json::Value =
        serde_json::from_str(&read("graph-intune-beta/overlay.json")).unwrap();
    let not_generated: BTreeSet<String> = overlay["sdk_differences"]["sdk_only"]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| normalized(k))
        .collect();
    assert_eq!(published.len(), 3708);
    assert_eq!(not_generated, BTreeSet::new());
    assert_eq!(ours.len(), 3708);
    assert_eq!(ours, published);
    assert!(
        overlay["sdk_differences"]["ours_only"]
            .as_object()
            .unwrap()
            .is_empty()
    );
}
