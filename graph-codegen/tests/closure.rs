//! The declared surface (what graphwire-intune's macros registered) against the metadata's
//! closure, computed here from the vendored CSDL: the same endpoints, types, properties and
//! enum members, exactly — nothing missing, nothing extra.

// A test helper outside #[test] functions: a failure here is a failed test.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use graph_codegen::csdl::Schema;
use graph_codegen::naming::upper_camel;
use graph_codegen::surface::Surface;
use graphwire_core::meta::{Endpoint, EntityMeta, EnumMeta};

fn closure() -> (Schema, Surface) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("metadata/cleanMetadata-v1.0.xml");
    let schema = Schema::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    let overlay_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../graph-intune/overlay.json");
    let overlay =
        graph_codegen::overlay::Overlay::parse(&std::fs::read_to_string(overlay_path).unwrap())
            .unwrap();
    let surface = Surface::build(&schema, &overlay.roots, &overlay.short_names).unwrap();
    (schema, surface)
}

fn linked() {
    // Keep graphwire-intune linked so its registrations are collected.
    let _ = graphwire_intune::Intune::new;
}

#[test]
fn endpoints_are_the_closure_exactly() {
    linked();
    let (_, surface) = closure();
    let expected: BTreeSet<(String, String)> = surface
        .endpoints
        .iter()
        .map(|e| (e.kind.method().to_owned(), e.template.clone()))
        .collect();
    let declared: Vec<(String, String)> = Endpoint::all()
        .filter(|e| {
            e.template.starts_with("/deviceManagement")
                || e.template.starts_with("/deviceAppManagement")
        })
        .map(|e| (e.method.as_str().to_owned(), e.template.to_owned()))
        .collect();
    let declared_set: BTreeSet<_> = declared.iter().cloned().collect();
    assert_eq!(
        declared.len(),
        declared_set.len(),
        "an endpoint is declared twice"
    );
    let missing: Vec<_> = expected.difference(&declared_set).collect();
    let extra: Vec<_> = declared_set.difference(&expected).collect();
    assert!(missing.is_empty(), "not declared: {missing:#?}");
    assert!(extra.is_empty(), "declared beyond the metadata: {extra:#?}");
    assert_eq!(declared.len(), 1331);
    let under = |root: &str| {
        declared
            .iter()
            .filter(|(_, t)| t == root || t.starts_with(&format!("{root}/")))
            .count()
    };
    assert_eq!(
        (under("/deviceManagement"), under("/deviceAppManagement")),
        (642, 689)
    );
    // 418 of them read a resource as a subtype (`…/microsoft.graph.win32LobApp/…`), as
    // Microsoft's SDK does.
    let casts = declared
        .iter()
        .filter(|(_, t)| t.contains("/microsoft.graph."))
        .count();
    assert_eq!(casts, 418);
    let operations: BTreeSet<&str> = Endpoint::all().map(|e| e.operation).collect();
    assert_eq!(
        operations.len(),
        Endpoint::all().count(),
        "method names are unique"
    );
}

#[test]
fn types_and_their_properties_are_the_closure_exactly() {
    linked();
    let (schema, surface) = closure();
    // Reached only through non-contained navigations: `user` (a Cloud PC assignment's
    // `assignedUsers`) with its base and subtype, and the singleton's two linked summaries.
    // (Complex types reached that way are in the set too; they have no navigations.)
    let shallow: Vec<&str> = surface
        .shallow
        .iter()
        .map(String::as_str)
        .filter(|t| schema.entities.contains_key(*t))
        .collect();
    assert_eq!(
        shallow,
        [
            "agentUser",
            "directoryObject",
            "managedDeviceOverview",
            "softwareUpdateStatusSummary",
            "user"
        ]
    );
    let declared: BTreeMap<&str, &EntityMeta> = EntityMeta::all()
        .filter(|m| m.odata_type.starts_with("#microsoft.graph."))
        .map(|m| (m.type_name().trim_start_matches("microsoft.graph."), m))
        .collect();
    let expected: BTreeSet<&str> = surface
        .entities
        .iter()
        .chain(surface.complexes.iter())
        .map(String::as_str)
        .collect();
    let declared_names: BTreeSet<&str> = declared.keys().copied().collect();
    assert_eq!(declared_names, expected);
    assert_eq!(
        (surface.entities.len(), surface.complexes.len()),
        (211, 180)
    );
    for (name, meta) in &declared {
        let def = schema.struct_type(name).unwrap();
        let mut wanted: BTreeSet<String> = def
            .properties
            .iter()
            .filter(|p| p.ty.name != "Edm.Stream")
            .map(|p| p.name.clone())
            .chain(
                def.navigations
                    .iter()
                    // The singleton's navigations are its areas (Cargo features), not fields; a
                    // type reached only by a link has none (they lead into other workloads).
                    .filter(|n| {
                        n.contained
                            && !surface.roots.iter().any(|r| r == name)
                            && !surface.shallow.contains(*name)
                    })
                    .map(|n| n.name.clone()),
            )
            .collect();
        if def.base.is_none() && schema.entities.contains_key(*name) {
            wanted.insert("id".into());
        }
        let own: BTreeSet<String> = meta
            .properties
            .iter()
            .map(|p| p.json_name.to_owned())
            .collect();
        assert_eq!(own, wanted, "the properties of `{name}`");
        let navigations: BTreeSet<&str> = meta
            .properties
            .iter()
            .filter(|p| p.navigation)
            .map(|p| p.json_name)
            .collect();
        let contained: BTreeSet<&str> = def
            .navigations
            .iter()
            .filter(|n| {
                n.contained
                    && !surface.roots.iter().any(|r| r == name)
                    && !surface.shallow.contains(*name)
            })
            .map(|n| n.name.as_str())
            .collect();
        assert_eq!(
            navigations, contained,
            "the navigation properties of `{name}`"
        );
        assert_eq!(
            meta.base
                .map(|b| b.type_name().trim_start_matches("microsoft.graph.")),
            def.base.as_deref(),
            "the base of `{name}`"
        );
    }
}

#[test]
fn enums_and_their_members_are_the_closure_exactly() {
    linked();
    let (schema, surface) = closure();
    let declared: BTreeMap<&str, &EnumMeta> = EnumMeta::all()
        .filter(|m| !m.rust_name.is_empty())
        .map(|m| (m.rust_name, m))
        .collect();
    assert_eq!(surface.enums.len(), 175);
    for name in &surface.enums {
        let meta = declared
            .get(upper_camel(name).as_str())
            .unwrap_or_else(|| panic!("enum `{name}` is not declared"));
        let members: Vec<&str> = schema.enums[name]
            .members
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(meta.members, members.as_slice(), "the members of `{name}`");
    }
    let intune: usize = declared
        .keys()
        .filter(|rust| surface.enums.iter().any(|n| upper_camel(n) == **rust))
        .count();
    assert_eq!(intune, 175);
}

#[test]
fn handlers_keep_names_short_and_areas_small() {
    let (_, surface) = closure();
    let mut lengths: Vec<usize> = surface.endpoints.iter().map(|e| e.name.len()).collect();
    lengths.sort_unstable();
    let median = lengths[lengths.len() / 2];
    assert_eq!(median, 17, "median method name");
    assert_eq!(lengths.last(), Some(&62), "longest method name");
    let by_handler = surface.by_handler();
    let (largest, methods) = by_handler
        .iter()
        .map(|(handler, endpoints)| (*handler, endpoints.len()))
        .max_by_key(|(_, n)| *n)
        .unwrap();
    assert_eq!((largest, methods), (("virtual_endpoint", None), 86));
    let by_area = surface.by_area();
    assert_eq!(
        by_area.len(),
        74,
        "57 areas of /deviceManagement, 15 of /deviceAppManagement, its own, and the first singleton itself"
    );
    assert_eq!(
        by_handler.len() - by_area.len(),
        16,
        "the casts of mobileApps"
    );
    // The three examples, by method+path.
    let named = |method: &str, template: &str| {
        surface
            .endpoints
            .iter()
            .find(|e| e.kind.method() == method && e.template == template)
            .map(|e| (e.area.as_str(), e.name.as_str()))
            .unwrap()
    };
    // The second root's areas, its own endpoints, and a cast's handler.
    assert_eq!(
        named(
            "POST",
            "/deviceAppManagement/mobileApps/{mobileAppId}/assign"
        ),
        ("mobile_apps", "assign")
    );
    assert_eq!(
        named(
            "POST",
            "/deviceAppManagement/syncMicrosoftStoreForBusinessApps"
        ),
        (
            "device_app_management",
            "sync_microsoft_store_for_business_apps"
        )
    );
    let commit = "/deviceAppManagement/mobileApps/{mobileAppId}/microsoft.graph.win32LobApp/contentVersions/{mobileAppContentId}/files/{mobileAppContentFileId}/commit";
    let cast = surface
        .endpoints
        .iter()
        .find(|e| e.kind.method() == "POST" && e.template == commit)
        .unwrap();
    assert_eq!(
        (cast.area.as_str(), cast.cast.as_deref(), cast.name.as_str()),
        (
            "mobile_apps",
            Some("win32LobApp"),
            "content_version_file_commit"
        )
    );
    assert_eq!(
        named(
            "GET",
            "/deviceAppManagement/mobileApps/microsoft.graph.win32LobApp/$count"
        ),
        ("mobile_apps", "count")
    );
    assert_eq!(
        named(
            "POST",
            "/deviceManagement/managedDevices/{managedDeviceId}/syncDevice"
        ),
        ("managed_devices", "sync_device")
    );
    // What Microsoft's SDK has beyond containment: `$ref`, links, a linked summary, a key
    // other than the id, a property with a path of its own.
    assert_eq!(
        named(
            "PUT",
            "/deviceManagement/managedDevices/{managedDeviceId}/deviceCategory/$ref"
        ),
        ("managed_devices", "device_category_ref_set")
    );
    assert_eq!(
        named(
            "GET",
            "/deviceManagement/managedDevices/{managedDeviceId}/users"
        ),
        ("managed_devices", "users_list")
    );
    assert_eq!(
        named("GET", "/deviceManagement/managedDeviceOverview"),
        ("managed_device_overview", "get")
    );
    let assigned = "/deviceManagement/virtualEndpoint/provisioningPolicies/{cloudPcProvisioningPolicyId}/assignments/{cloudPcProvisioningPolicyAssignmentId}/assignedUsers";
    assert_eq!(
        named(
            "GET",
            &format!("{assigned}(userPrincipalName='{{userPrincipalName}}')")
        ),
        (
            "virtual_endpoint",
            "assigned_user_by_user_principal_name_get"
        )
    );
    assert_eq!(
        named(
            "PATCH",
            &format!("{assigned}/{{directoryObjectId}}/mailboxSettings")
        ),
        ("virtual_endpoint", "assigned_user_mailbox_settings_update")
    );
    assert_eq!(
        named(
            "PATCH",
            "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/userStatusOverview"
        ),
        ("device_compliance_policies", "user_status_overview_update")
    );
    assert_eq!(
        named(
            "GET",
            "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/scheduledActionsForRule/{deviceComplianceScheduledActionForRuleId}/scheduledActionConfigurations"
        ),
        (
            "device_compliance_policies",
            "scheduled_actions_for_rule_configurations_list"
        )
    );
}

#[test]
fn what_the_capability_annotations_forbid_is_not_generated() {
    let (_, surface) = closure();
    let service_plans: BTreeSet<(&str, &str)> = surface
        .endpoints
        .iter()
        .filter(|e| {
            e.template
                .starts_with("/deviceManagement/virtualEndpoint/servicePlans")
        })
        .map(|e| (e.kind.method(), e.template.as_str()))
        .collect();
    assert_eq!(
        service_plans,
        BTreeSet::from([
            ("GET", "/deviceManagement/virtualEndpoint/servicePlans"),
            (
                "GET",
                "/deviceManagement/virtualEndpoint/servicePlans/$count"
            ),
            (
                "GET",
                "/deviceManagement/virtualEndpoint/servicePlans/{cloudPcServicePlanId}"
            ),
        ])
    );
}

/// The declaration of `method` in a generated area file: from its doc comment to its `;`.
fn declaration<'a>(file: &'a str, method: &str) -> &'a str {
    let signature = format!("pub async fn {method}(");
    let end = file.find(&signature).unwrap();
    let start = file[..end].rfind(";\n").map_or(0, |i| i + 2);
    &file[start..end]
}

#[test]
fn generated_docs_name_the_feature_the_call_and_inferred_permissions() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = graph_codegen::generate(&workspace).unwrap();
    let devices = &files["graph-intune/src/generated/endpoints/managed_devices.rs"];
    let sync = declaration(devices, "sync_device");
    assert!(
        sync.contains("/// Needs the crate feature `managed-devices`."),
        "{sync}"
    );
    assert!(
        sync.contains("operation = \"managed_devices.sync_device\""),
        "{sync}"
    );
    assert!(
        sync.contains("example = \"client.intune().managed_devices()\""),
        "{sync}"
    );
    assert!(!sync.contains("inferred by rule"), "{sync}");
    // `$count` is not in Microsoft's permissions map: it takes its collection's GET, and says so.
    let count = declaration(devices, "count");
    assert!(
        count.contains("its permissions below are inferred by rule"),
        "{count}"
    );
    let inferred: usize = files
        .iter()
        .filter(|(path, _)| path.starts_with("graph-intune/src/generated/endpoints/"))
        .map(|(_, text)| text.matches("inferred by rule").count())
        .sum();
    assert_eq!(inferred, 333);
    // Beta: Microsoft's map lists fewer of its paths.
    let inferred_beta: usize = files
        .iter()
        .filter(|(path, _)| path.starts_with("graph-intune-beta/src/generated/endpoints/"))
        .map(|(_, text)| text.matches("inferred by rule").count())
        .sum();
    assert_eq!(inferred_beta, 1319);
    // A cast reads the resource its path names without it: the map's entry for that path.
    let uncast: usize = files
        .iter()
        .filter(|(path, _)| path.starts_with("graph-intune/src/generated/endpoints/"))
        .map(|(_, text)| text.matches("without its cast segment").count())
        .sum();
    assert_eq!(uncast, 326);
    let apps = &files["graph-intune/src/generated/endpoints/mobile_apps.rs"];
    assert!(
        apps.contains("example = \"client.intune().mobile_apps().as_win32_lob_app()\""),
        "the cast handler's example"
    );
    // The singleton's own endpoints are on `Intune`, with no feature.
    let root = declaration(
        &files["graph-intune/src/generated/endpoints/root.rs"],
        "get",
    );
    assert!(root.contains("example = \"client.intune()\""), "{root}");
    assert!(!root.contains("Needs the crate feature"), "{root}");
}

#[test]
fn beta_areas_over_a_hundred_methods_get_a_handler_per_navigation() {
    use graph_codegen::surface::Within;
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let (_, surface) = graph_codegen::surface_of(&workspace, &graph_codegen::target::BETA).unwrap();
    assert_eq!(surface.endpoints.len(), 3708);
    let by_handler = surface.by_handler();
    let largest = by_handler.values().map(Vec::len).max().unwrap();
    assert!(largest <= 100, "largest handler {largest}");
    // Which areas are split, and into how many handlers (their own and one per navigation).
    let mut split: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for ((area, within), endpoints) in &by_handler {
        match within {
            Some(Within::Navigation(_)) => split.entry(area).or_default().1 += 1,
            None => split.entry(area).or_default().0 += endpoints.len(),
            Some(Within::Cast(_)) => {}
        }
    }
    split.retain(|_, (_, groups)| *groups > 0);
    assert_eq!(
        split,
        BTreeMap::from([
            ("comanaged_devices", (64, 11)),
            ("managed_devices", (64, 11)),
            ("virtual_endpoint", (8, 21)),
        ])
    );
    // Names below a navigation start afresh; the area's own actions stay on its handler.
    let find = |template: &str| {
        surface
            .endpoints
            .iter()
            .find(|e| e.template == template)
            .map(|e| (e.handler(), e.name.as_str()))
    };
    assert_eq!(
        find("/deviceManagement/virtualEndpoint/cloudPCs/{cloudPcId}/reboot"),
        Some((
            ("virtual_endpoint", Some(Within::Navigation("cloud_pcs"))),
            "reboot"
        ))
    );
    assert_eq!(
        find("/deviceManagement/managedDevices/{managedDeviceId}/wipe"),
        Some((("managed_devices", None), "wipe"))
    );
    assert_eq!(
        find(
            "/deviceManagement/managedDevices/{managedDeviceId}/logCollectionRequests/{deviceLogCollectionResponseId}/createDownloadUrl"
        ),
        Some((
            (
                "managed_devices",
                Some(Within::Navigation("log_collection_requests"))
            ),
            "create_download_url"
        ))
    );
}
