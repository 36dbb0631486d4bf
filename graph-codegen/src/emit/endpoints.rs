//! Endpoints: one `#[graph_endpoint]` declaration per method+path, one public module per area
//! (the top-level navigation property it lives under) holding the area's handler, whose
//! methods they are; the singleton's own endpoints are methods of `Intune` itself.

use crate::target::Target;
use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Names, described, docs, render};
use crate::csdl::TypeRef;
use crate::naming::upper_camel;
use crate::overlay::Overlay;
use crate::permissions::{PermissionMap, Source};
use crate::surface::{Endpoint, OpKind, ParamKind, ROOT_AREA, Within};
use graphwire_naming::placeholder_argument;

/// What an endpoint's method returns (inside `graphwire_core::Result`).
pub fn response_type(names: &Names<'_>, e: &Endpoint) -> Result<TokenStream, String> {
    let resource = || -> Result<TokenStream, String> {
        let name = names
            .used(&e.resource_type)
            .ok_or_else(|| format!("no Rust type for `{}`", e.resource_type))?;
        let ident = format_ident!("{name}");
        Ok(quote!(#ident))
    };
    Ok(match &e.kind {
        OpKind::List => {
            let t = resource()?;
            quote!(Pages<#t>)
        }
        OpKind::Create | OpKind::Get => resource()?,
        OpKind::Update => {
            let t = resource()?;
            quote!(Option<#t>)
        }
        OpKind::Count => quote!(i64),
        OpKind::Delete | OpKind::ReferenceSet | OpKind::ReferenceDelete => quote!(()),
        OpKind::ReferenceGet => quote!(graphwire_core::Reference),
        OpKind::Action(op) | OpKind::Function(op) => match &op.returns {
            None => quote!(()),
            Some(ty) => operation_result(names, ty)?,
        },
    })
}

fn operation_result(names: &Names<'_>, ty: &TypeRef) -> Result<TokenStream, String> {
    match (ty.name.as_str(), ty.collection) {
        ("Edm.Stream", false) => Ok(quote!(RawResponse)),
        ("Edm.Int64", false) => Ok(quote!(graphwire_core::Int64)),
        ("Edm.String", _) | ("Edm.Boolean", false) => names
            .rust_type(ty)
            .ok_or_else(|| format!("no Rust type for `{}`", ty.name)),
        (name, _) if name.starts_with("Edm.") => Err(format!(
            "an operation returns `{name}`, which has no response type yet"
        )),
        _ => names
            .rust_type(ty)
            .ok_or_else(|| format!("no Rust type for `{}`", ty.name)),
    }
}

/// The request body type, when the method takes one.
pub fn body_type(names: &Names<'_>, e: &Endpoint) -> Option<TokenStream> {
    match &e.kind {
        OpKind::Create | OpKind::Update => {
            let ident = format_ident!("{}", names.used(&e.resource_type)?);
            Some(quote!(#ident))
        }
        OpKind::ReferenceSet => Some(quote!(graphwire_core::Reference)),
        OpKind::Action(op) if !op.parameters.is_empty() => {
            let name = names
                .surface
                .parameter_structs
                .iter()
                .find(|(_, o)| o.name == op.name && o.binding == op.binding)?
                .0;
            let ident = format_ident!("{name}");
            Some(quote!(#ident))
        }
        _ => None,
    }
}

/// The path arguments: name and type.
pub fn path_arguments(names: &Names<'_>, e: &Endpoint) -> Vec<(syn::Ident, TokenStream)> {
    e.params
        .iter()
        .map(|p| {
            // The argument `#[graph_endpoint]` binds to the placeholder: the macro's own rule.
            let name = format_ident!("{}", placeholder_argument(&p.name));
            let ty = match &p.kind {
                ParamKind::Key(root) => {
                    let id = names.id_type(root);
                    quote!(&#id)
                }
                ParamKind::Function(ty) => match names.used(&ty.name) {
                    Some(rust) => {
                        let ident = format_ident!("{rust}");
                        quote!(&#ident)
                    }
                    None => quote!(&str),
                },
            };
            (name, ty)
        })
        .collect()
}

fn what(e: &Endpoint) -> String {
    let nav = e.navigation.as_deref().and_then(|n| n.split('/').nth(1));
    let ty = &e.resource_type;
    // An item by a key of several properties: `…/id='{id}',policyId='{policyId}'`.
    let last = e.template.rsplit('/').next().unwrap_or_default();
    let composite: Vec<&str> = crate::surface::composite_key_parts(last)
        .unwrap_or_default()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let item = e.template.ends_with('}') || !composite.is_empty();
    let by_key = if composite.is_empty() {
        String::new()
    } else {
        format!(" by its key (`{}`)", composite.join("`, `"))
    };
    match (&e.kind, nav) {
        (OpKind::List, Some(n)) => {
            format!("Lists the `{ty}` items of `{n}`, following `@odata.nextLink`.")
        }
        (OpKind::Create, Some(n)) => format!("Creates a `{ty}` in `{n}`."),
        (OpKind::Count, Some(n)) => format!("Counts the items of `{n}` (`$count`)."),
        (OpKind::Get, Some(n)) if item => format!("Reads one `{ty}` of `{n}`{by_key}."),
        (OpKind::Get, Some(n)) if e.template.ends_with("')") => {
            let key = e.params.last().map_or("", |p| p.name.as_str());
            format!("Reads one `{ty}` of `{n}` by its alternate key `{key}`.")
        }
        (OpKind::ReferenceGet, Some(n)) => {
            format!("Reads which `{ty}` `{n}` points to (`$ref`): its `@odata.id`, not the entity.")
        }
        (OpKind::ReferenceSet, Some(n)) => format!(
            "Points `{n}` at another `{ty}` (`$ref`): `body` is its reference, as [`GraphClient::reference_to`](graphwire_core::GraphClient::reference_to) makes it."
        ),
        (OpKind::ReferenceDelete, Some(n)) => format!(
            "Removes the reference `{n}` holds (`$ref`); the `{ty}` it pointed to is not deleted."
        ),
        (OpKind::Get, Some(n)) => format!("Reads `{n}`."),
        (OpKind::Get, None) => format!("Reads the `{ty}` singleton."),
        (OpKind::Update, Some(n)) if item => format!(
            "Updates one `{ty}` of `{n}`{by_key}: only the properties set in `body` change."
        ),
        (OpKind::Update, Some(n)) => {
            format!("Updates `{n}`: only the properties set in `body` change.")
        }
        (OpKind::Update, None) => {
            format!("Updates the `{ty}` singleton: only the properties set in `body` change.")
        }
        (OpKind::Delete, Some(n)) if item => format!("Deletes one `{ty}` of `{n}`{by_key}."),
        (OpKind::Delete, Some(n)) => format!("Deletes `{n}`."),
        (OpKind::Action(op), _) => format!(
            "Calls the `{}` action on {}`{ty}`.",
            op.name,
            if e.on_collection {
                "a collection of "
            } else {
                ""
            }
        ),
        (OpKind::Function(op), _) => format!(
            "Calls the `{}` function on {}`{ty}`.",
            op.name,
            if e.on_collection {
                "a collection of "
            } else {
                ""
            }
        ),
        (_, None) => format!("`{}` on the `{ty}` singleton.", e.kind.method()),
    }
}

fn declaration(
    names: &Names<'_>,
    permissions: &PermissionMap,
    overlay: &Overlay,
    e: &Endpoint,
) -> Result<TokenStream, String> {
    let method = e.kind.method();
    let (scopes, source) = permissions.scopes(method, &e.permission_path());
    let mut paragraphs = vec![what(e)];
    let description = match &e.kind {
        OpKind::Action(op) | OpKind::Function(op) => names.schema.operation_description(op),
        _ => e
            .navigation
            .as_deref()
            .and_then(|n| names.schema.description(n)),
    };
    paragraphs.push(described(description, String::new));
    let key = format!("{method} {}", e.template);
    if let Some(note) = overlay.notes.get(&key) {
        paragraphs.push(note.clone());
    }
    if source == Source::Uncast {
        paragraphs.push(
            "Microsoft's permissions map lists this method on the same path without its cast segment; its permissions below are read from there.".to_owned(),
        );
    } else if source != Source::Exact {
        paragraphs.push(
            "Microsoft's permissions map does not list this method+path: its permissions below are inferred by rule (those of the same path's other reads or writes, else the nearest ancestor's; `graph-codegen/src/permissions.rs`), not read from the map.".to_owned(),
        );
    }
    if let Some(cast) = &e.cast {
        paragraphs.push(format!(
            "The path reads the resource as a `{cast}` (`{}`): one that is not answers 404.",
            crate::surface::cast_segment(cast)
        ));
    }
    if e.area != ROOT_AREA {
        paragraphs.push(format!(
            "Needs the crate feature `{}`.",
            super::feature_name(&e.area)
        ));
    }
    let receiver = receiver(names.target, &e.area, e.handler().1);
    let operation = operation_name(names.target, e);
    // The macro adds the method and path, the permissions and an example line.
    let doc = docs(&paragraphs);
    let method_ident = format_ident!("{method}");
    let template = &e.template;
    let delegated = &scopes.delegated;
    let application = &scopes.application;
    let name = format_ident!("{}", e.name);
    let args = path_arguments(names, e)
        .into_iter()
        .map(|(n, t)| quote!(#n: #t));
    let body = body_type(names, e).map(|t| quote!(body: &#t));
    let response = response_type(names, e)?;
    // v1.0 is the macro's default.
    let version = (names.target.version != "v1.0").then(|| {
        let v = names.target.version;
        quote!(version = #v,)
    });
    Ok(quote! {
        #doc
        #[graph_endpoint(#method_ident, #template, #version delegated = [#(#delegated),*], application = [#(#application),*], operation = #operation, example = #receiver)]
        pub async fn #name(&self, #(#args,)* #body) -> graphwire_core::Result<#response>;
    })
}

/// How a user reaches a handler: `client.intune().managed_devices()`,
/// `client.intune().mobile_apps().as_win32_lob_app()`,
/// `client.intune_beta().virtual_endpoint().cloud_pcs()`.
pub fn receiver(target: &Target, area: &str, within: Option<Within<'_>>) -> String {
    let accessor = target.accessor;
    let area = if area == ROOT_AREA {
        format!("client.{accessor}()")
    } else {
        format!("client.{accessor}().{area}()")
    };
    match within {
        Some(within) => format!("{area}.{}()", within.accessor()),
        None => area,
    }
}

/// The operation's name in metadata, traces and errors: `managed_devices.sync_device`,
/// `mobile_apps.as_win32_lob_app.content_version_create` (`intune.get` for the first root's
/// own).
pub fn operation_name(target: &Target, e: &Endpoint) -> String {
    let area = if e.area == ROOT_AREA {
        target.accessor
    } else {
        &e.area
    };
    match e.handler().1 {
        Some(within) => format!("{area}.{}.{}", within.accessor(), e.name),
        None => format!("{area}.{}", e.name),
    }
}

/// The handler type of an area: `managed_devices` -> `ManagedDevicesHandler`; of a cast within
/// it: `win32LobApp` -> `Win32LobAppHandler`; of a navigation within it: `virtual_endpoint`'s
/// `cloud_pcs` -> `VirtualEndpointCloudPcsHandler`.
pub fn handler_type(area: &str, within: Option<Within<'_>>) -> String {
    match within {
        None => format!("{}Handler", upper_camel(area)),
        Some(Within::Cast(ty)) => format!("{}Handler", upper_camel(ty)),
        Some(Within::Navigation(group)) => {
            format!("{}{}Handler", upper_camel(area), upper_camel(group))
        }
    }
}

/// The navigation property an area is, as `deviceManagement/managedDevices` (the root type for
/// a root's own area), and its path below the root's (`/deviceManagement/managedDevices`),
/// from the area's first endpoint (its list or get).
fn area_navigation<'e>(endpoints: &[&'e Endpoint]) -> (&'e str, String) {
    let Some(first) = endpoints.first() else {
        return ("", String::new());
    };
    match first.navigation.as_deref() {
        Some(navigation) => {
            let segment = navigation.rsplit('/').next().unwrap_or(navigation);
            (navigation, format!("/{}/{segment}", first.root))
        }
        None => (first.root.as_str(), format!("/{}", first.root)),
    }
}

/// The path of a navigation's handler within a split area, placeholders as `{…}`: the
/// template of its first endpoint up to the navigation
/// (`/deviceManagement/managedDevices/{…}/logCollectionRequests`).
fn group_path(endpoints: &[&Endpoint]) -> String {
    let Some(first) = endpoints.first() else {
        return String::new();
    };
    let group = first.group.as_deref().unwrap_or_default();
    let mut out = Vec::new();
    for segment in first.template.split('/') {
        let shown = if segment.starts_with('{') {
            "{…}"
        } else {
            segment
        };
        out.push(shown);
        if crate::naming::snake(segment) == group {
            break;
        }
    }
    out.join("/")
}

/// The README's table: each area's path, feature, handler and method count.
pub fn areas_table(names: &Names<'_>) -> String {
    let mut out = String::from("| area | feature | handler | methods |\n|---|---|---|---|\n");
    for ((area, within), endpoints) in names.surface.by_handler() {
        if area == ROOT_AREA {
            let t = names.target;
            out.push_str(&format!(
                "| `/{}` itself | always | `client.{}()` ([`{}`](https://docs.rs/{}/latest/{}/struct.{}.html)) | {} |\n",
                endpoints.first().map_or("", |e| e.root.as_str()),
                t.accessor,
                t.handle,
                t.package,
                t.krate(),
                t.handle,
                endpoints.len()
            ));
            continue;
        }
        let (_, path) = area_navigation(&endpoints);
        let path = match within {
            Some(Within::Cast(ty)) => format!("{path} as `{ty}`"),
            Some(Within::Navigation(_)) => format!("`{}`", group_path(&endpoints)),
            None => format!("`{path}`"),
        };
        let handler = handler_type(area, within);
        out.push_str(&format!(
            "| {path} | `{}` | `{}` ([`{handler}`](https://docs.rs/{}/latest/{}/{area}/struct.{handler}.html)) | {} |\n",
            super::feature_name(area),
            receiver(names.target, area, within),
            names.target.package,
            names.target.krate(),
            endpoints.len()
        ));
    }
    out
}

/// The files: `endpoints/<area>.rs` for each area (a public module with its handler, and the
/// handlers of the casts within it), and `endpoints/mod.rs` (the modules and `Intune`'s handler
/// accessors).
pub fn files(
    names: &Names<'_>,
    permissions: &PermissionMap,
    overlay: &Overlay,
) -> Result<BTreeMap<String, String>, String> {
    let mut by_area: BTreeMap<&str, BTreeMap<Option<Within<'_>>, Vec<&Endpoint>>> = BTreeMap::new();
    for ((area, within), endpoints) in names.surface.by_handler() {
        by_area.entry(area).or_default().insert(within, endpoints);
    }
    let mut files = BTreeMap::new();
    let mut modules = Vec::new();
    let mut accessors = Vec::new();
    let mut gates = Vec::new();
    for (area, handlers) in &by_area {
        let mut declared = BTreeMap::new();
        for (within, endpoints) in handlers {
            let mut methods = Vec::new();
            for e in endpoints {
                methods.push(declaration(names, permissions, overlay, e)?);
            }
            declared.insert(*within, methods);
        }
        let all = declared.values().flatten();
        let text = quote!(#(#all)*).to_string();
        let runtime: Vec<syn::Ident> = ["Pages", "RawResponse"]
            .iter()
            .filter(|n| text.split(|c: char| !c.is_alphanumeric()).any(|w| w == **n))
            .map(|n| format_ident!("{n}"))
            .collect();
        let module = format_ident!("{area}");
        if *area == ROOT_AREA {
            let methods = declared.values().flatten();
            let root = names.surface.roots.first().map_or("", String::as_str);
            let title = format!(
                "The `{root}` singleton itself and the operations bound to it: methods of `{}`.",
                names.target.handle
            );
            let handle = format_ident!("{}", names.target.handle);
            let file = render(
                &[&title],
                quote! {
                    use graphwire_core::{graph_endpoint, #(#runtime),*};
                    use crate::#handle;
                    use crate::generated::*;
                    impl #handle { #(#methods)* }
                },
            )?;
            files.insert(format!("endpoints/{area}.rs"), file);
            modules.push(quote!(mod #module;));
            continue;
        }
        let feature = super::feature_name(area);
        let handler = format_ident!("{}", handler_type(area, None));
        let main = handlers.get(&None).cloned().unwrap_or_default();
        let (navigation, path) = area_navigation(&main);
        let description = described(names.schema.description(navigation), || {
            format!("The `{path}` area of Intune")
        });
        let reach = receiver(names.target, area, None);
        let handle = names.target.handle;
        let title = format!("`{path}`: {description}");
        let count: usize = handlers.values().map(Vec::len).sum();
        let (casts, groups): (Vec<Within<'_>>, Vec<Within<'_>>) = handlers
            .keys()
            .flatten()
            .partition(|w| matches!(w, Within::Cast(_)));
        let separator = if casts.is_empty() && groups.is_empty() {
            ","
        } else {
            ":"
        };
        let mut summary = format!(
            "{count} method+path pairs{separator} the methods of [`{handler}`], reached with `{reach}` ([`{handle}::{area}`](crate::{handle}::{area}))"
        );
        if let Some(first) = casts.first() {
            summary.push_str(&format!(
                ", and of the {} handlers that read its resources as one subtype (`{reach}.{}()`)",
                casts.len(),
                first.accessor()
            ));
        }
        if let Some(first) = groups.first() {
            summary.push_str(&format!(
                ", and of the {} handlers of the navigations below it (`{reach}.{}()`): one handler would have more than {} methods",
                groups.len(),
                first.accessor(),
                names.target.max_methods_per_handler
            ));
        }
        summary.push_str(&format!(". Needs the crate feature `{feature}`."));
        let mut items = Vec::new();
        let mut cast_accessors = Vec::new();
        for (within, methods) in &declared {
            let ident = format_ident!("{}", handler_type(area, *within));
            let reach_here = receiver(names.target, area, *within);
            let group = handlers
                .get(within)
                .map(|endpoints| group_path(endpoints))
                .unwrap_or_default();
            let handler_doc = match within {
                None => format!(
                    " The `{path}` endpoints: `{reach_here}`. It holds a [`GraphClient`](graphwire_core::GraphClient) (a shared handle: cloning it is cheap); each method returns a [`Call`](graphwire_core::Call) to `.await`."
                ),
                Some(Within::Cast(ty)) => format!(
                    " The `{path}` endpoints that read its resources as `{ty}` (`{}`): `{reach_here}`. Holds a [`GraphClient`](graphwire_core::GraphClient), as [`{handler}`] does.",
                    crate::surface::cast_segment(ty)
                ),
                Some(Within::Navigation(_)) => format!(
                    " The `{group}` endpoints, and those below it: `{reach_here}`. Holds a [`GraphClient`](graphwire_core::GraphClient), as [`{handler}`] does."
                ),
            };
            items.push(quote! {
                graph_handler! {
                    #[doc = #handler_doc]
                    pub struct #ident;
                }

                impl #ident { #(#methods)* }
            });
            if let Some(within) = within {
                let accessor = format_ident!("{}", within.accessor());
                let doc = match within {
                    Within::Cast(ty) => format!(
                        " The endpoints that read `{path}` resources as `{ty}` ([`{ident}`])."
                    ),
                    Within::Navigation(_) => {
                        format!(" The `{group}` endpoints, and those below it ([`{ident}`]).")
                    }
                };
                cast_accessors.push(quote! {
                    #[doc = #doc]
                    pub fn #accessor(&self) -> #ident {
                        #ident::new(self.client.clone())
                    }
                });
            }
        }
        if !cast_accessors.is_empty() {
            items.push(quote! {
                impl #handler { #(#cast_accessors)* }
            });
        }
        let file = render(
            &[&title, "", &summary],
            quote! {
                use graphwire_core::{graph_endpoint, graph_handler, #(#runtime),*};
                use crate::generated::*;

                #(#items)*
            },
        )?;
        files.insert(format!("endpoints/{area}.rs"), file);
        modules.push(quote!(#[cfg(feature = #feature)] pub mod #module;));
        let accessor_doc = format!(" `{path}`: {description} Needs the crate feature `{feature}`.");
        accessors.push(quote! {
            #[doc = #accessor_doc]
            #[cfg(feature = #feature)]
            pub fn #module(&self) -> #module::#handler {
                #module::#handler::new(self.client.clone())
            }
        });
        let gate = format_ident!("{}", upper_camel(area));
        let (handle, package) = (names.target.handle, names.target.package);
        let message = format!("`{handle}::{area}` needs the `{feature}` feature of {package}");
        let note = format!(
            "turn it on in Cargo.toml: {package} = {{{{ features = [\"{feature}\"] }}}} (or \"full\" for every area)"
        );
        gates.push(quote! {
            #[cfg(not(feature = #feature))]
            #[diagnostic::on_unimplemented(message = #message, label = "this area's feature is off", note = #note)]
            pub trait #gate {}
        });
        let stub_doc = format!(
            " Stands in for the `{area}` accessor while the feature `{feature}` is off: calling it fails to compile with a message naming the feature."
        );
        accessors.push(quote! {
            #[doc = #stub_doc]
            #[cfg(not(feature = #feature))]
            #[doc(hidden)]
            pub fn #module(&self) -> FeatureDisabled
            where
                for<'a> &'a (): feature_gates::#gate,
            {
                FeatureDisabled
            }
        });
    }
    let count = names.surface.endpoints.len();
    let header = format!(
        "The {count} endpoints of {} surface: one public module per top-level navigation property of `{}` (an area), each with its handler, and `{}`'s accessor for each handler.",
        names.target.label(),
        names.surface.roots.join("` and `"),
        names.target.handle
    );
    let handle = format_ident!("{}", names.target.handle);
    files.insert(
        "endpoints/mod.rs".into(),
        render(
            &[&header],
            quote! {
                #(#modules)*

                /// One trait per area, implemented by nothing, each compiled only while its area's
                /// feature is off. The accessor that stands in for the area requires it, so a call
                /// fails with a message naming the feature, where rustc would otherwise suggest
                /// a look-alike method of another area.
                #[doc(hidden)]
                pub mod feature_gates {
                    #(#gates)*
                }

                /// What an area's accessor returns while its feature is off. Nothing can obtain
                /// one: the accessor's bound is never met.
                #[doc(hidden)]
                pub struct FeatureDisabled;

                impl crate::#handle {
                    #(#accessors)*
                }
            },
        )?,
    );
    Ok(files)
}
