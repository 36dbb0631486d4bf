//! The converter (`graph_codegen::sdk::convert`) run on a small tree in Kiota's Python shape
//! (`tests/fixtures/kiota/generated/`), so its reading of models, enums and request builders
//! is tested without the SDK: the pairs and the CSDL it writes are compared whole with the
//! expected files beside the fixture, and that CSDL goes through the generator's own reader
//! and walk to the same endpoints.
//!
//! The fixture holds one of each thing the converter reads: a root singleton typed in a second
//! namespace's folder (`models/device_management/device_management.py`), a type of that
//! namespace (`deviceManagement.alertRecord`), a navigation written to (contained) and one only
//! read, items by key, `$count`, a cast to a subtype, an action with a body, a function with a
//! required and an optional (aliased) parameter answering an integer, an enum, a
//! collection of strings, a property `serialize` leaves out (read-only), items addressed by a
//! key of two properties (`runStates/id='{id}',deviceId='{deviceId}'`) and descriptions.
//!
//! After a deliberate change to the converter's output: `BLESS=1 cargo test -p graph-codegen
//! --test sdk_fixture`, then read the diff of the expected files.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use graph_codegen::csdl::Schema;
use graph_codegen::surface::Surface;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kiota")
}

fn convert(generated: &Path) -> Result<graph_codegen::sdk::Converted, String> {
    graph_codegen::sdk::convert(
        generated,
        &["deviceManagement".to_owned()],
        "the test fixture (graph-codegen/tests/fixtures/kiota)",
    )
}

/// Compares `actual` with the expected file, or writes it under `BLESS=1`.
fn expect_file(name: &str, actual: &str) {
    let path = fixture().join(name);
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from what the converter wrote, first at line {}:\n  expected: {:?}\n  written:  {:?}\n(BLESS=1 rewrites it)",
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

#[test]
fn the_fixture_converts_to_the_expected_pairs_and_csdl() {
    let converted = convert(&fixture().join("generated")).unwrap();
    assert_eq!(
        converted.pairs,
        [
            "DELETE /deviceManagement/scripts/{deviceScript%2Did}",
            "DELETE /deviceManagement/scripts/{deviceScript%2Did}/assignments/{deviceScriptAssignment%2Did}",
            "DELETE /deviceManagement/scripts/{deviceScript%2Did}/runStates/id='{id}',deviceId='{deviceId}'",
            "GET /deviceManagement",
            "GET /deviceManagement/alertRecords",
            "GET /deviceManagement/alertRecords/{alertRecord%2Did}",
            "GET /deviceManagement/scripts",
            "GET /deviceManagement/scripts/$count",
            "GET /deviceManagement/scripts/graph.deviceShellScript",
            "GET /deviceManagement/scripts/{deviceScript%2Did}",
            "GET /deviceManagement/scripts/{deviceScript%2Did}/assignments",
            "GET /deviceManagement/scripts/{deviceScript%2Did}/assignments/{deviceScriptAssignment%2Did}",
            "GET /deviceManagement/scripts/{deviceScript%2Did}/getRunCount(since='{since}',until='@until')",
            "GET /deviceManagement/scripts/{deviceScript%2Did}/runStates",
            "GET /deviceManagement/scripts/{deviceScript%2Did}/runStates/id='{id}',deviceId='{deviceId}'",
            "PATCH /deviceManagement",
            "PATCH /deviceManagement/scripts/{deviceScript%2Did}",
            "PATCH /deviceManagement/scripts/{deviceScript%2Did}/runStates/id='{id}',deviceId='{deviceId}'",
            "POST /deviceManagement/scripts",
            "POST /deviceManagement/scripts/{deviceScript%2Did}/assign",
            "POST /deviceManagement/scripts/{deviceScript%2Did}/assignments",
            "POST /deviceManagement/scripts/{deviceScript%2Did}/runStates",
        ]
    );
    expect_file("expected-pairs.txt", &(converted.pairs.join("\n") + "\n"));
    expect_file("expected.xml", &converted.csdl);
}

#[test]
fn the_written_csdl_says_what_the_sdk_tree_says() {
    let converted = convert(&fixture().join("generated")).unwrap();
    let schema = Schema::parse(&converted.csdl).unwrap();

    let script = schema.struct_type("deviceScript").unwrap();
    let property = |name: &str| {
        script
            .properties
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("deviceScript has no property {name}"))
    };
    assert_eq!(property("displayName").ty.name, "Edm.String");
    assert_eq!(property("scriptContent").ty.name, "Edm.Binary");
    assert_eq!(property("runAsAccount").ty.name, "runAsAccountType");
    assert!(property("roleScopeTagIds").ty.collection);
    // Kiota's `serialize` leaves `createdDateTime` out: read-only; the rest it writes.
    assert!(schema.is_read_only("deviceScript", "createdDateTime"));
    assert!(!schema.is_read_only("deviceScript", "displayName"));

    // The type of the second namespace keeps it.
    assert!(schema.struct_type("deviceManagement.alertRecord").is_some());

    // Items addressed by two of their properties: an entity type keyed by them, though Kiota's
    // class does not derive from `entity`, reached by a contained navigation.
    assert_eq!(
        schema.composite_key("deviceScriptRunState"),
        Some(["id".to_owned(), "deviceId".to_owned()].as_slice())
    );
    assert!(schema.entities.contains_key("deviceScriptRunState"));
    assert!(
        script
            .navigations
            .iter()
            .any(|n| n.name == "runStates" && n.contained)
    );

    let roots = vec!["deviceManagement".to_owned()];
    let surface = Surface::build_published(
        &schema,
        &roots,
        &BTreeMap::new(),
        &converted.pairs.join("\n"),
        "the fixture's pairs",
        &BTreeMap::new(),
        graph_codegen::surface::MAX_METHODS_PER_HANDLER,
    )
    .unwrap();
    let mut endpoints: Vec<String> = surface
        .endpoints
        .iter()
        .map(|e| format!("{} {} {}", e.kind.method(), e.template, e.name))
        .collect();
    endpoints.sort();
    // The generator walks the converted CSDL to exactly the SDK's pairs, under its own names
    // (`{deviceScriptId}`, the cast spelled in full, the second namespace's type as key).
    assert_eq!(
        endpoints,
        [
            "DELETE /deviceManagement/scripts/{deviceScriptId} delete",
            "DELETE /deviceManagement/scripts/{deviceScriptId}/assignments/{deviceScriptAssignmentId} assignment_delete",
            "DELETE /deviceManagement/scripts/{deviceScriptId}/runStates/id='{id}',deviceId='{deviceId}' run_state_delete",
            "GET /deviceManagement get",
            "GET /deviceManagement/alertRecords list",
            "GET /deviceManagement/alertRecords/{deviceManagementAlertRecordId} get",
            "GET /deviceManagement/scripts list",
            "GET /deviceManagement/scripts/$count count",
            "GET /deviceManagement/scripts/microsoft.graph.deviceShellScript list",
            "GET /deviceManagement/scripts/{deviceScriptId} get",
            "GET /deviceManagement/scripts/{deviceScriptId}/assignments assignments_list",
            "GET /deviceManagement/scripts/{deviceScriptId}/assignments/{deviceScriptAssignmentId} assignment_get",
            "GET /deviceManagement/scripts/{deviceScriptId}/getRunCount(since='{since}',until='@until') get_run_count",
            "GET /deviceManagement/scripts/{deviceScriptId}/runStates run_states_list",
            "GET /deviceManagement/scripts/{deviceScriptId}/runStates/id='{id}',deviceId='{deviceId}' run_state_get",
            "PATCH /deviceManagement update",
            "PATCH /deviceManagement/scripts/{deviceScriptId} update",
            "PATCH /deviceManagement/scripts/{deviceScriptId}/runStates/id='{id}',deviceId='{deviceId}' run_state_update",
            "POST /deviceManagement/scripts create",
            "POST /deviceManagement/scripts/{deviceScriptId}/assign assign",
            "POST /deviceManagement/scripts/{deviceScriptId}/assignments assignments_create",
            "POST /deviceManagement/scripts/{deviceScriptId}/runStates run_states_create",
        ]
    );
}

/// Copies the fixture to a fresh folder, so a test can break one file of it.
fn fixture_copy(test: &str) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let to = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("sdk_fixture-{test}"));
    let _ = std::fs::remove_dir_all(&to);
    copy(&fixture().join("generated"), &to);
    to
}

#[test]
fn a_path_to_a_property_no_type_has_is_an_error_naming_the_file() {
    let tree = fixture_copy("unknown-property");
    let file = tree.join("device_management/scripts/item/owners/owners_request_builder.py");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let text = std::fs::read_to_string(
        tree.join("device_management/scripts/item/assignments/assignments_request_builder.py"),
    )
    .unwrap()
    .replace("/assignments\"", "/owners\"")
    .replace(
        "{deviceScript%2Did}/assignments{",
        "{deviceScript%2Did}/owners{",
    )
    .replace("assignments property", "owners property");
    std::fs::write(&file, text).unwrap();
    let error = convert(&tree).err().unwrap();
    assert_eq!(
        error,
        format!(
            "{}: no property `owners` on the type at /deviceManagement/scripts/{{deviceScript%2Did}} or its bases",
            file.display()
        )
    );
}

#[test]
fn a_builder_without_a_url_template_is_an_error_naming_the_file() {
    let tree = fixture_copy("no-template");
    let file = tree.join("device_management/scripts/count/count_request_builder.py");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("{+baseurl}", "{+base}");
    std::fs::write(&file, text).unwrap();
    let error = convert(&tree).err().unwrap();
    assert_eq!(error, format!("{}: no URL template", file.display()));
}
