//! `graph-codegen`: reads Microsoft's Graph metadata (the v1.0 CSDL and the permissions map) and
//! writes `graph-intune`'s declarations — the same `#[graph_entity]`, `#[graph_enum]`,
//! `#[graph_polymorphic]` and `#[graph_endpoint]` lines a person would write.
//!
//! Deterministic: the same inputs give byte-identical files (everything is ordered by name or
//! by the metadata's own order; nothing depends on hashing, time or the machine).

pub mod csdl;
pub mod emit;
pub mod naming;
pub mod overlay;
pub mod permissions;
pub mod sdk;
pub mod surface;
pub mod target;

use std::collections::BTreeMap;
use std::path::Path;

/// Every generated file, by path relative to the workspace root, for every target
/// ([`target::TARGETS`]): from its metadata in `graph-codegen/metadata/` and its crate's
/// `overlay.json`.
pub fn generate(workspace: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut files = BTreeMap::new();
    for target in target::TARGETS {
        files.extend(generate_target(workspace, target)?);
    }
    Ok(files)
}

/// The surface of a target, read from its inputs (for tests and the oracle).
pub fn surface_of(
    workspace: &Path,
    target: &target::Target,
) -> Result<(csdl::Schema, surface::Surface), String> {
    let read = |relative: &str| {
        std::fs::read_to_string(workspace.join(relative))
            .map_err(|e| format!("cannot read {relative}: {e}"))
    };
    let schema = csdl::Schema::parse(&read(target.metadata)?)?;
    let overlay = overlay::Overlay::parse(&read(&format!("{}/overlay.json", target.crate_dir))?)?;
    let surface = match target.sdk_pairs {
        Some(pairs) => surface::Surface::build_published(
            &schema,
            &overlay.roots,
            &overlay.short_names,
            &read(pairs)?,
            pairs,
            &overlay.sdk_only,
            target.max_methods_per_handler,
        )?,
        None => surface::Surface::build(&schema, &overlay.roots, &overlay.short_names)?,
    };
    Ok((schema, surface))
}

fn generate_target(
    workspace: &Path,
    target: &target::Target,
) -> Result<BTreeMap<String, String>, String> {
    let read = |relative: &str| {
        std::fs::read_to_string(workspace.join(relative))
            .map_err(|e| format!("cannot read {relative}: {e}"))
    };
    let crate_dir = target.crate_dir;
    let (schema, surface) = surface_of(workspace, target)?;
    let permissions =
        permissions::PermissionMap::parse(&read("graph-codegen/metadata/permissions.json")?)?;
    let overlay_file = format!("{crate_dir}/overlay.json");
    let overlay = overlay::Overlay::parse(&read(&overlay_file)?)?;
    let known: Vec<String> = surface
        .endpoints
        .iter()
        .map(|e| format!("{} {}", e.kind.method(), e.template))
        .collect();
    let stale = overlay.unknown_keys(&known);
    if !stale.is_empty() {
        return Err(format!(
            "{overlay_file} names endpoints that are not generated: {}",
            stale.join("; ")
        ));
    }
    let names = emit::Names::new(target, &schema, &surface)?;
    let mut files = BTreeMap::new();
    let dir = format!("{crate_dir}/src/generated");
    let dir = dir.as_str();

    // The types every root's areas may need, then one module per later root holding the types
    // only its areas need: gated as a whole, so a build without them does not even parse them.
    let mut parts: Vec<Option<&str>> = vec![None];
    parts.extend(surface.roots.iter().skip(1).map(|r| Some(r.as_str())));
    let mut part_modules = Vec::new();
    for part in parts {
        let at = match part {
            None => dir.to_owned(),
            Some(root) => format!("{dir}/{}", part_module(root)),
        };
        files.insert(format!("{at}/enums.rs"), emit::types::enums(&names, part)?);
        files.insert(
            format!("{at}/entities.rs"),
            emit::types::structs(&names, &overlay, true, part)?,
        );
        files.insert(
            format!("{at}/complex.rs"),
            emit::types::structs(&names, &overlay, false, part)?,
        );
        files.insert(
            format!("{at}/parameters.rs"),
            emit::types::parameters(&names, part)?,
        );
        files.insert(format!("{at}/ids.rs"), emit::types::ids(&names, part));
        if let Some(root) = part {
            let module = quote::format_ident!("{}", part_module(root));
            let cfg = emit::cfg_any(&names.root_features(root));
            files.insert(
                format!("{at}/mod.rs"),
                emit::render(
                    &[&format!(
                        "The types only the areas of `{root}` need, compiled (and parsed) only with one of their features."
                    )],
                    quote::quote! {
                        #![allow(unused_imports)]
                        // The shared types, for this part's files' `use super::*`.
                        use super::complex::*;
                        use super::entities::*;
                        use super::enums::*;
                        use super::ids::*;
                        use super::parameters::*;
                        mod complex;
                        mod entities;
                        mod enums;
                        mod ids;
                        mod parameters;
                        pub use complex::*;
                        pub use entities::*;
                        pub use enums::*;
                        pub use ids::*;
                        pub use parameters::*;
                    },
                )?,
            );
            part_modules.push(quote::quote! {
                #cfg
                mod #module;
                #cfg
                pub use #module::*;
            });
        }
    }
    for (path, text) in emit::endpoints::files(&names, &permissions, &overlay)? {
        files.insert(format!("{dir}/{path}"), text);
    }
    files.insert(
        format!("{dir}/mod.rs"),
        emit::render(
            &[&format!(
                "{} surface as declarations: {} entity types, {} complex types, {} enums, {} endpoints.",
                target.label(),
                surface.entities.len(),
                surface.complexes.len(),
                surface.enums.len(),
                surface.endpoints.len()
            )],
            quote::quote! {
                // With few area features on, some of these modules hold nothing.
                #![allow(unused_imports)]
                mod complex;
                mod endpoints;
                pub use endpoints::*;
                mod entities;
                mod enums;
                mod ids;
                mod parameters;
                pub use complex::*;
                pub use entities::*;
                pub use enums::*;
                pub use ids::*;
                pub use parameters::*;
                #(#part_modules)*
            },
        )?,
    );
    files.extend(emit::e2e::files(&names, &permissions, &overlay)?);
    let readme = &format!("{crate_dir}/README.md");
    files.insert(
        readme.into(),
        between_markers(
            &read(readme)?,
            readme,
            AREAS_BEGIN,
            AREAS_END,
            &emit::endpoints::areas_table(&names),
        )?,
    );
    let manifest = &format!("{crate_dir}/Cargo.toml");
    files.insert(
        manifest.clone(),
        with_features(&read(manifest)?, manifest, &names.features())?,
    );
    Ok(files)
}

/// The module of the types only a later root's areas need: `types_device_app_management`.
fn part_module(root: &str) -> String {
    format!("types_{}", naming::snake(root))
}

const FEATURES_BEGIN: &str = "# @generated features begin";
const FEATURES_END: &str = "# @generated features end";
const AREAS_BEGIN: &str = "<!-- @generated areas begin";
const AREAS_END: &str = "<!-- @generated areas end";

/// The manifest with the lines between the feature markers replaced: one feature per area, and
/// `full`.
fn with_features(
    manifest: &str,
    file: &str,
    features: &std::collections::BTreeSet<String>,
) -> Result<String, String> {
    let mut lines = String::new();
    let all: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
    lines.push_str(&format!("full = [{}]\n", all.join(", ")));
    for f in features {
        lines.push_str(&format!("{f} = []\n"));
    }
    between_markers(manifest, file, FEATURES_BEGIN, FEATURES_END, &lines)
}

/// `text` with the lines between the line starting `begin` and the line starting `end`
/// replaced by `lines`.
fn between_markers(
    text: &str,
    file: &str,
    begin: &str,
    end: &str,
    lines: &str,
) -> Result<String, String> {
    let start = text
        .find(begin)
        .ok_or_else(|| format!("{file} has no `{begin}` line"))?;
    let body_start = text[start..]
        .find('\n')
        .map_or(text.len(), |i| start + i + 1);
    let stop = text[body_start..]
        .find(end)
        .map(|i| body_start + i)
        .ok_or_else(|| format!("{file} has no `{end}` line"))?;
    Ok(format!("{}{}{}", &text[..body_start], lines, &text[stop..]))
}
