//! Endpoints: one `#[graph_endpoint]` declaration per method+path, one file per area (the
//! top-level navigation property it lives under), all methods of [`Intune`](crate).

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Names, described, docs, render};
use crate::csdl::TypeRef;
use crate::overlay::Overlay;
use crate::permissions::PermissionMap;
use crate::surface::{Endpoint, OpKind, ParamKind};

/// The argument name `#[graph_endpoint]` binds to a placeholder: `cloudPcId` -> `cloud_pc_id`.
pub fn argument_name(placeholder: &str) -> String {
    let mut out = String::new();
    for c in placeholder.chars() {
        if c.is_uppercase() {
            if !out.is_empty() {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

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
        OpKind::Delete => quote!(()),
        OpKind::Action(op) | OpKind::Function(op) => match &op.returns {
            None => quote!(()),
            Some(ty) => operation_result(names, ty)?,
        },
    })
}

fn operation_result(names: &Names<'_>, ty: &TypeRef) -> Result<TokenStream, String> {
    match (ty.name.as_str(), ty.collection) {
        ("Edm.Stream", false) => Ok(quote!(RawResponse)),
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
            let name = format_ident!("{}", argument_name(&p.name));
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
    match (&e.kind, nav) {
        (OpKind::List, Some(n)) => {
            format!("Lists the `{ty}` items of `{n}`, following `@odata.nextLink`.")
        }
        (OpKind::Create, Some(n)) => format!("Creates a `{ty}` in `{n}`."),
        (OpKind::Count, Some(n)) => format!("Counts the items of `{n}` (`$count`)."),
        (OpKind::Get, Some(n)) if e.template.ends_with('}') => {
            format!("Reads one `{ty}` of `{n}`.")
        }
        (OpKind::Get, Some(n)) => format!("Reads `{n}`."),
        (OpKind::Get, None) => format!("Reads the `{ty}` singleton."),
        (OpKind::Update, Some(n)) if e.template.ends_with('}') => {
            format!("Updates one `{ty}` of `{n}`: only the properties set in `body` change.")
        }
        (OpKind::Update, Some(n)) => {
            format!("Updates `{n}`: only the properties set in `body` change.")
        }
        (OpKind::Update, None) => {
            format!("Updates the `{ty}` singleton: only the properties set in `body` change.")
        }
        (OpKind::Delete, Some(n)) if e.template.ends_with('}') => {
            format!("Deletes one `{ty}` of `{n}`.")
        }
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
    let (scopes, _) = permissions.scopes(method, &e.permission_path());
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
    Ok(quote! {
        #doc
        #[graph_endpoint(#method_ident, #template, delegated = [#(#delegated),*], application = [#(#application),*])]
        pub async fn #name(&self, #(#args,)* #body) -> graphwire_core::Result<#response>;
    })
}

/// The files: `endpoints/<area>.rs` for each area, and `endpoints/mod.rs`.
pub fn files(
    names: &Names<'_>,
    permissions: &PermissionMap,
    overlay: &Overlay,
) -> Result<BTreeMap<String, String>, String> {
    let by_area = names.surface.by_area();
    let mut files = BTreeMap::new();
    let mut modules = Vec::new();
    for (area, endpoints) in &by_area {
        let mut methods = Vec::new();
        for e in endpoints {
            methods.push(declaration(names, permissions, overlay, e)?);
        }
        let body = quote!(impl Intune { #(#methods)* });
        let text = body.to_string();
        let runtime: Vec<syn::Ident> = ["Pages", "RawResponse"]
            .iter()
            .filter(|n| text.split(|c: char| !c.is_alphanumeric()).any(|w| w == **n))
            .map(|n| format_ident!("{n}"))
            .collect();
        let title = if *area == "root" {
            "The `deviceManagement` singleton itself and the operations bound to it.".to_owned()
        } else {
            let first = endpoints
                .first()
                .map(|e| e.template.as_str())
                .unwrap_or_default();
            format!(
                "Endpoints under `{first}` ({} method+path pairs).",
                endpoints.len()
            )
        };
        let file = render(
            &[&title],
            quote! {
                use graphwire_core::{graph_endpoint, #(#runtime),*};
                use crate::Intune;
                use crate::generated::*;
                #body
            },
        )?;
        files.insert(format!("endpoints/{area}.rs"), file);
        let module = format_ident!("{area}");
        if *area == "root" {
            modules.push(quote!(mod #module;));
        } else {
            let feature = super::feature_name(area);
            modules.push(quote!(#[cfg(feature = #feature)] mod #module;));
        }
    }
    let count = names.surface.endpoints.len();
    let header = format!(
        "The {count} endpoints of Intune's v1.0 surface, one file per top-level navigation property of `deviceManagement`."
    );
    files.insert(
        "endpoints/mod.rs".into(),
        render(&[&header], quote!(#(#modules)*))?,
    );
    Ok(files)
}
