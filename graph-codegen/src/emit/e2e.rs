//! The end-to-end test written alongside the declarations: every endpoint called through the
//! client against the emulator, asserting the method, encoded path and body the emulator
//! received and the decoded answer.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::endpoints::{body_type, response_type};
use super::{Names, render};
use crate::overlay::Overlay;
use crate::permissions::PermissionMap;
use crate::surface::{Endpoint, OpKind, ParamKind, ROOT_AREA, without_casts};

/// The value the test passes for a placeholder, and the text it stands for in the path. A key
/// the path then casts (`{mobileAppId}/microsoft.graph.win32LobApp`) names the subtype
/// (`mobileAppId-win32LobApp`): each cast reads an item of its own type.
fn placeholder_value(
    names: &Names<'_>,
    e: &Endpoint,
    name: &str,
    kind: &ParamKind,
) -> (TokenStream, String) {
    match kind {
        ParamKind::Key(root) => {
            let id = names.id_type(root);
            // The segment after the key, when it casts.
            let cast = e
                .template
                .split_once(&format!("{{{name}}}/"))
                .and_then(|(_, rest)| rest.split('/').next())
                .filter(|segment| crate::surface::is_cast_segment(segment))
                .and_then(|segment| segment.strip_prefix("microsoft.graph."));
            let text = match cast {
                Some(ty) => format!("{name}-{ty}"),
                None => format!("{name}-1"),
            };
            (quote!(&#id::from(#text)), text)
        }
        ParamKind::Function(ty) => match names.schema.enums.get(&ty.name) {
            Some(e) => {
                let member = e.members.first().cloned().unwrap_or_default();
                let first = first_member(names, &ty.name);
                (quote!(&#first), member)
            }
            None => {
                let text = format!("{name}-1");
                (quote!(#text), text)
            }
        },
    }
}

/// `Enum::FirstVariant`: the enum's first member, as the test passes it and the emulator
/// answers it.
fn first_member(names: &Names<'_>, ty: &str) -> TokenStream {
    let members = names
        .schema
        .enums
        .get(ty)
        .map(|e| e.members.as_slice())
        .unwrap_or_default();
    let enum_ident = format_ident!("{}", names.used(ty).unwrap_or(ty));
    let first = crate::naming::enum_variants(members).into_iter().next();
    let variant = format_ident!("{}", first.map(|(v, _)| v).unwrap_or_default());
    quote!(#enum_ident::#variant)
}

/// The template with every placeholder replaced by the test's value.
fn filled(names: &Names<'_>, e: &Endpoint) -> String {
    let mut path = e.template.clone();
    for p in &e.params {
        let (_, text) = placeholder_value(names, e, &p.name, &p.kind);
        path = path.replace(&format!("{{{}}}", p.name), &text);
    }
    path
}

/// A body of the declared type with nothing set (a concrete subtype for a family).
fn default_body(names: &Names<'_>, e: &Endpoint) -> Option<TokenStream> {
    let ty = body_type(names, e)?;
    match &e.kind {
        OpKind::Create | OpKind::Update if names.surface.families.contains(&e.resource_type) => {
            let concrete = names.concrete(&e.resource_type);
            let own = format_ident!("{}", names.own_struct(&concrete).unwrap_or(&concrete));
            if concrete == e.resource_type {
                // A family whose root is concrete: the root itself is the `Base` variant.
                Some(quote!(#ty::Base(#own::default())))
            } else {
                Some(quote!(#ty::from(#own::default())))
            }
        }
        OpKind::ReferenceSet => {
            let reference = format!(
                "https://graph.microsoft.com/{}/{}s/1",
                names.target.version, e.resource_type
            );
            Some(quote!(graphwire_core::Reference::new(#reference)))
        }
        _ => Some(quote!(#ty::default())),
    }
}

/// The resource path an endpoint addresses (the item or single-valued resource), as the
/// emulator stores it: without the cast segments, which only read it as a subtype.
fn resource_path(e: &Endpoint, filled: &str) -> String {
    let path = match &e.kind {
        OpKind::Count => filled.trim_end_matches("/$count"),
        _ => filled,
    };
    without_casts(path)
        .split('/')
        .map(stored_segment)
        .collect::<Vec<_>>()
        .join("/")
}

/// A segment as the emulator keys what it addresses: an item by a key of several properties
/// (`id='a',policyId='b'`) under its values joined by commas (`a,b`), any other as it is.
fn stored_segment(segment: &str) -> String {
    match crate::surface::composite_key_parts(segment) {
        Some(parts) => parts
            .iter()
            .map(|(_, value)| value.replace("''", "'"))
            .collect::<Vec<_>>()
            .join(","),
        None => segment.to_owned(),
    }
}

/// The subtype the last segment of a collection's path casts to, if it does.
fn collection_cast(path: &str) -> Option<&str> {
    let last = path.rsplit('/').next()?;
    crate::surface::is_cast_segment(last)
        .then(|| last.strip_prefix("microsoft.graph."))
        .flatten()
}

/// How many seeded items a list or count of `path` finds: the seeds directly below it, of the
/// subtype (or a subtype of it) where the path casts.
fn expected_items(names: &Names<'_>, seeds: &BTreeMap<String, String>, path: &str) -> usize {
    let cast = collection_cast(path);
    let prefix = format!("{}/", without_casts(path));
    seeds
        .iter()
        .filter(|(p, _)| {
            p.strip_prefix(&prefix)
                .is_some_and(|rest| !rest.contains('/'))
        })
        .filter(|(_, ty)| {
            cast.is_none_or(|cast| {
                let ty = ty.trim_start_matches("#microsoft.graph.");
                names.schema.lineage(ty).iter().any(|t| t.name == cast)
            })
        })
        .count()
}

fn step(
    names: &Names<'_>,
    permissions: &PermissionMap,
    overlay: &Overlay,
    seeds: &BTreeMap<String, String>,
    e: &Endpoint,
) -> Result<TokenStream, String> {
    let method = e.kind.method();
    // Signed in as an app when an application permission allows the call; as a user (with the
    // endpoint's delegated scopes) when only delegated ones do.
    let (scopes, _) = permissions.scopes(method, &e.permission_path());
    let start = if scopes.application.is_empty() {
        let delegated = &scopes.delegated;
        quote!(Harness::start_delegated(SEEDS, &[#(#delegated),*]).await)
    } else {
        quote!(Harness::start(SEEDS).await)
    };
    let path = filled(names, e);
    let wire_path = format!("/{}{path}", names.target.version);
    let name = format_ident!("{}", e.name);
    let args: Vec<TokenStream> = e
        .params
        .iter()
        .map(|p| placeholder_value(names, e, &p.name, &p.kind).0)
        .collect();
    let key = format!("{method} {}", e.template);
    let (body_decl, body_arg, expected_body) = match default_body(names, e) {
        Some(value) => {
            let through = overlay.e2e_body_through.get(&key).map(|f| {
                let f: syn::Path =
                    syn::parse_str(f).unwrap_or_else(|_| syn::parse_quote!(invalid_overlay_path));
                quote!(let body = #f(body);)
            });
            (
                quote!(let body = #value; #through),
                quote!(&body),
                quote!(Some(serde_json::to_value(&body).unwrap())),
            )
        }
        None => (quote!(), quote!(), quote!(None)),
    };
    let accessor = format_ident!("{}", names.target.accessor);
    let handler = if e.area == ROOT_AREA {
        quote!(h.client().#accessor())
    } else {
        let area = format_ident!("{}", e.area);
        quote!(h.client().#accessor().#area())
    };
    let handler = match e.handler().1 {
        Some(within) => {
            let accessor = format_ident!("{}", within.accessor());
            quote!(#handler.#accessor())
        }
        None => handler,
    };
    let call = quote!(#handler.#name(#(#args,)* #body_arg).await.unwrap());
    let resource = resource_path(e, &path);
    let response = response_type(names, e)?;
    let any_reference = format!("https://graph.microsoft.com/{}/x", names.target.version);
    let check = match &e.kind {
        OpKind::List => {
            let expected = expected_items(names, seeds, &path);
            quote! {
                let got = #call.collect_all().await.unwrap();
                assert_eq!(got.len(), #expected, "the seeded items");
            }
        }
        OpKind::Count => {
            let expected = expected_items(names, seeds, path.trim_end_matches("/$count")) as i64;
            quote! {
                let got = #call;
                assert_eq!(got, #expected);
            }
        }
        OpKind::Get if e.template.ends_with("')") => {
            // By alternate key: an item of the collection holding that value.
            let (collection, _) = path.rsplit_once('(').unwrap_or((path.as_str(), ""));
            let item = format!("{collection}/by-alternate-key");
            let key = e.params.last().map(|p| p.name.clone()).unwrap_or_default();
            let value = e
                .params
                .last()
                .map(|p| placeholder_value(names, e, &p.name, &p.kind).1)
                .unwrap_or_default();
            let odata = format!("#microsoft.graph.{}", names.concrete(&e.resource_type));
            quote! {
                h.emulator.put_resource(#item, serde_json::json!({"@odata.type": #odata, "id": "by-alternate-key", #key: #value}));
                let got: #response = #call;
                assert_eq!(got, h.stored(#item));
            }
        }
        OpKind::Get => quote! {
            let got: #response = #call;
            assert_eq!(got, h.stored(#resource));
        },
        OpKind::Update => quote! {
            let got: #response = #call;
            assert_eq!(got, Some(h.stored(#resource)));
        },
        OpKind::Delete => quote! {
            #call;
            assert!(h.emulator.resource(#resource).is_none(), "deleted");
        },
        OpKind::ReferenceGet => {
            let reference = format!(
                "https://graph.microsoft.com/{}/{}",
                names.target.version, e.resource_type
            );
            quote! {
                h.emulator.put_resource(#resource, serde_json::json!({"@odata.id": #reference}));
                let got: #response = #call;
                assert_eq!(got.odata_id(), #reference);
            }
        }
        OpKind::ReferenceSet => quote! {
            #call;
            assert_eq!(h.emulator.resource(#resource), Some(serde_json::to_value(&body).unwrap()));
        },
        OpKind::ReferenceDelete => quote! {
            h.emulator.put_resource(#resource, serde_json::json!({"@odata.id": #any_reference}));
            #call;
            assert!(h.emulator.resource(#resource).is_none(), "removed");
        },
        OpKind::Create => match names.schema.composite_key(&e.resource_type) {
            // Stored under the values of its key's properties, as the emulator keys it.
            Some(key) => {
                let fields = key
                    .iter()
                    .map(|k| format_ident!("{}", crate::naming::snake(k)));
                quote! {
                    let got: #response = #call;
                    let key: Vec<serde_json::Value> = vec![#(serde_json::to_value(&got.#fields).unwrap()),*];
                    let key: Vec<&str> = key.iter().map(|k| k.as_str().expect("the service sets the key")).collect();
                    assert!(h.emulator.resource(&format!("{}/{}", #resource, key.join(","))).is_some(), "stored");
                }
            }
            None => quote! {
                let got: #response = #call;
                let id = got.id.clone().expect("the service sets the key");
                assert!(h.emulator.resource(&format!("{}/{}", #resource, id)).is_some(), "stored");
            },
        },
        OpKind::Action(op) | OpKind::Function(op) => match &op.returns {
            None => quote!(let () = #call;),
            Some(ty) if ty.name == "Edm.Stream" => quote! {
                let got: #response = #call;
                assert_eq!(got.status(), 200);
            },
            Some(ty) if ty.name == "Edm.String" && !ty.collection => quote! {
                let got: #response = #call;
                assert_eq!(got, "");
            },
            Some(ty) if !ty.collection && names.schema.enums.contains_key(&ty.name) => {
                // The emulator answers an enum result with its first member.
                let first = first_member(names, &ty.name);
                quote! {
                    let got: #response = #call;
                    assert_eq!(got, #first);
                }
            }
            Some(ty) if ty.name == "Edm.Int64" => quote! {
                let got: #response = #call;
                assert_eq!(got, graphwire_core::Int64(0));
            },
            Some(ty) if ty.name == "Edm.Boolean" => quote! {
                let got: #response = #call;
                assert!(!got);
            },
            Some(ty) if ty.collection => quote! {
                let got: #response = #call;
                assert!(got.is_empty());
            },
            Some(ty) => {
                let odata = format!("#microsoft.graph.{}", names.concrete(&ty.name));
                quote! {
                    let got: #response = #call;
                    assert_eq!(serde_json::to_value(&got).unwrap()["@odata.type"], #odata);
                }
            }
        },
    };
    let label = format!("{method} {}", e.template);
    Ok(quote! {
        {
            let h = #start;
            #body_decl
            #check
            h.expect(#method, #wire_path, #expected_body, #label);
        }
    })
}

/// The seeds: one stored resource for every item and single-valued resource any endpoint
/// addresses, with a concrete `@odata.type` (of the subtype an item is read as, for a cast),
/// by their paths as the emulator stores them.
fn seeds(names: &Names<'_>) -> BTreeMap<String, String> {
    let mut seeds = BTreeMap::new();
    for e in names
        .surface
        .endpoints
        .iter()
        .filter(|e| matches!(e.kind, OpKind::Get) && !e.template.ends_with("')"))
    {
        let path = resource_path(e, &filled(names, e));
        let odata = format!("#microsoft.graph.{}", names.concrete(&e.resource_type));
        // A cast's item is seeded by the cast; the same path read without it keeps that type.
        if e.template
            .rsplit('/')
            .next()
            .is_some_and(|s| s.starts_with("microsoft.graph."))
        {
            seeds.insert(path, odata);
        } else {
            seeds.entry(path).or_insert(odata);
        }
    }
    // A collection whose items have no path of their own (not indexable by key, or a
    // property's values) gets one seeded item, for its list and count to find.
    for e in names
        .surface
        .endpoints
        .iter()
        .filter(|e| matches!(e.kind, OpKind::List))
    {
        let path = filled(names, e);
        if collection_cast(&path).is_some() {
            continue;
        }
        let path = without_casts(&path);
        let prefix = format!("{path}/");
        if !seeds.keys().any(|k| k.starts_with(&prefix)) {
            let odata = format!("#microsoft.graph.{}", names.concrete(&e.resource_type));
            seeds.insert(format!("{prefix}{}-1", e.resource_type), odata);
        }
    }
    seeds
}

/// The end-to-end test files (`Target::e2e`): the handlers spread over the target's parts in
/// order, each part holding about as many endpoints as the next, so that the parts compile and
/// run side by side.
pub fn files(
    names: &Names<'_>,
    permissions: &PermissionMap,
    overlay: &Overlay,
) -> Result<Vec<(String, String)>, String> {
    let seeds = seeds(names);
    let target = names.target;
    let handlers = names.surface.by_handler();
    let total: usize = handlers.values().map(Vec::len).sum();
    let parts = target.e2e_parts.max(1);
    let mut tests: Vec<Vec<TokenStream>> = vec![Vec::new(); parts];
    let mut counts = vec![0usize; parts];
    let mut done = 0;
    // One test per handler: a whole area's steps in one future overflow a test thread's stack.
    for ((area, within), endpoints) in handlers {
        let part = (done * parts / total.max(1)).min(parts - 1);
        done += endpoints.len();
        counts[part] += endpoints.len();
        let mut steps = Vec::new();
        for e in &endpoints {
            steps.push(step(names, permissions, overlay, &seeds, e)?);
        }
        let ident = match within {
            Some(within) => format_ident!("{area}_{}", within.accessor()),
            None => format_ident!("{area}"),
        };
        tests[part].push(quote! {
            // Paused clock: a user's sign-in (device code) waits its polling interval instantly.
            #[tokio::test(start_paused = true)]
            async fn #ident() {
                #(#steps)*
            }
        });
    }
    let paths: Vec<&String> = seeds.keys().collect();
    let types: Vec<&String> = seeds.values().collect();
    let krate = format_ident!("{}", target.krate());
    let mut out = Vec::new();
    for (n, (tests, count)) in tests.into_iter().zip(counts).enumerate() {
        let first = if parts == 1 {
            format!(
                "Every one of the {total} generated endpoints, called through the client against the emulator."
            )
        } else {
            format!(
                "Part {} of {parts} of the {total} generated endpoints ({count} here), called through the client against the emulator.",
                n + 1
            )
        };
        let text = render(
            &[
                &first,
                "",
                "Each step starts an emulator holding one resource at every addressed path, calls one",
                "method, and asserts the method, encoded path and JSON body the emulator received and",
                "the decoded answer.",
            ],
            quote! {
                #![cfg_attr(rustfmt, rustfmt::skip)]
                #![allow(clippy::unit_cmp, clippy::bool_assert_comparison)]
                mod common;
                use common::harness::Harness;
                use graphwire_core::RawResponse;
                use #krate::*;

                /// (path, `@odata.type`) of every seeded resource; its key is the last segment.
                const SEEDS: &[(&str, &str)] = &[#((#paths, #types)),*];

                #(#tests)*
            },
        )?;
        out.push((target.e2e_file(n + 1), text));
    }
    Ok(out)
}
