//! Types: `#[graph_enum]`s, `#[graph_entity]` structs, `#[graph_polymorphic]` families, typed
//! keys and action parameter objects.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Names, described, docs, render};
use crate::csdl::{StructType, TypeRef};
use crate::naming::{doc_text, enum_variants, snake, upper_camel};
use crate::overlay::Overlay;
use graphwire_naming::field_wire_name;

/// Names of string properties that hold secrets: never shown by `Debug`.
fn is_secret(name: &str, ty: &TypeRef) -> bool {
    let lower = name.to_lowercase();
    (ty.name == "Edm.String" || ty.name == "Edm.Binary")
        && (lower.contains("password")
            || lower.contains("passcode")
            || lower.contains("secret")
            || lower.contains("bypasscode")
            || lower.ends_with("token")
            // An app content file's AES and HMAC keys (`fileEncryptionInfo`).
            || lower == "encryptionkey"
            || lower == "mackey"
            // A SAS URL: its signature is a credential for the storage it names.
            || lower == "azurestorageuri")
}

/// The field for a member named `wire` on the wire: its identifier, and `rename = "…"` when
/// the macro's spelling of the identifier is not `wire`. A second field of one name is an error.
fn field_for(
    owner: &str,
    wire: &str,
    taken: &mut Vec<String>,
) -> Result<(syn::Ident, Option<TokenStream>), String> {
    let field = snake(wire);
    if taken.contains(&field) {
        return Err(format!(
            "`{owner}.{wire}` would be a second field `{field}`"
        ));
    }
    taken.push(field.clone());
    let rename = (field_wire_name(&field) != wire).then(|| quote!(rename = #wire));
    Ok((format_ident!("{field}"), rename))
}

/// The runtime items a file's code names, imported exactly (no unused imports).
fn imports(body: &TokenStream, candidates: &[&str]) -> TokenStream {
    let text = body.to_string();
    let used: Vec<syn::Ident> = candidates
        .iter()
        .filter(|c| {
            text.split(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                .any(|word| word == **c)
        })
        .map(|c| format_ident!("{c}"))
        .collect();
    // Items are behind area features: which of these a build names depends on the features.
    if used.is_empty() {
        quote!(#![allow(unused_imports)])
    } else {
        quote!(#![allow(unused_imports)] use graphwire_core::{#(#used),*};)
    }
}

const RUNTIME: &[&str] = &[
    "DateTimeOffset",
    "JsonValue",
    "Guid",
    "Int64",
    "Nullable",
    "graph_entity",
    "graph_enum",
    "graph_polymorphic",
];

/// `enums.rs` of one part (see [`Names::root_part`]).
pub fn enums(names: &Names<'_>, part: Option<&str>) -> Result<String, String> {
    let mut items = Vec::new();
    for name in names
        .surface
        .enums
        .iter()
        .filter(|n| names.root_part(&names.features_of(n)) == part)
    {
        let Some(def) = names.schema.enums.get(name) else {
            continue;
        };
        let ident = format_ident!("{}", names.used(name).unwrap_or(name));
        let mut paragraphs = vec![described(names.schema.description(name), || {
            format!("The `{name}` enumeration.")
        })];
        paragraphs.push(format!("Graph enum `microsoft.graph.{name}`; members this crate does not know decode to `Unrecognized`."));
        if def.flags {
            paragraphs.push(
                "A flags enum: the service may send several members joined by commas, which decode to `Unrecognized` with the text kept.".into(),
            );
        }
        let doc = docs(&paragraphs);
        let members: Vec<TokenStream> = def
            .members
            .iter()
            .zip(enum_variants(&def.members))
            .map(|(m, (rust, renamed))| {
                let member_doc = docs(&[described(
                    names.schema.description(&format!("{name}/{m}")),
                    || format!("`{m}`"),
                )]);
                let ident = format_ident!("{rust}");
                let rename = renamed.then(|| quote!(#[graph(rename = #m)]));
                quote! { #member_doc #rename #ident }
            })
            .collect();
        let cfg = names.cfg_for(name);
        items.push(quote! {
            #doc
            #cfg
            #[graph_enum]
            #[non_exhaustive]
            pub enum #ident { #(#members),* }
        });
    }
    let body = quote!(#(#items)*);
    let uses = imports(&body, RUNTIME);
    render(
        &[&format!(
            "The enumerations of {} surface, one per Graph enum type.",
            names.target.label()
        )],
        quote!(#uses #body),
    )
}

/// The struct for a type's own properties; for a type with subtypes, also its family enum.
fn struct_item(
    names: &Names<'_>,
    overlay: &Overlay,
    def: &StructType,
    is_entity: bool,
) -> Result<TokenStream, String> {
    let name = &def.name;
    let own = format_ident!(
        "{}",
        names
            .own_struct(name)
            .ok_or_else(|| format!("no name for `{name}`"))?
    );
    let odata_type = format!("#microsoft.graph.{name}");
    let mut fields = Vec::new();
    let mut field_names = Vec::new();
    if let Some(base) = &def.base {
        let base_struct = format_ident!(
            "{}",
            names
                .own_struct(base)
                .ok_or_else(|| format!("`{name}` derives from `{base}`, which is not generated"))?
        );
        let doc = docs(&[format!("The properties inherited from `{base}`.")]);
        fields.push(quote! { #doc #[graph(base)] pub base: #base_struct });
        field_names.push("base".to_owned());
    } else if is_entity && def.key.is_empty() {
        // `entity`'s `id`; a type with a key of its own declares its key properties itself.
        let key = if names.surface.keyed.contains(name) {
            let id = names.id_type(name);
            quote!(#id)
        } else {
            quote!(String)
        };
        let doc = docs(&["The key (read-only).".into()]);
        fields.push(quote! { #doc pub id: Option<#key> });
        field_names.push("id".to_owned());
    }
    for p in &def.properties {
        let Some(rust) = names.rust_type(&p.ty) else {
            continue;
        };
        let (ident, rename) = field_for(name, &p.name, &mut field_names)?;
        let rust = if names.is_boxed(name, &p.name) {
            quote!(Box<#rust>)
        } else {
            rust
        };
        let wrapped = if p.nullable {
            quote!(Nullable<#rust>)
        } else {
            quote!(Option<#rust>)
        };
        let mut text = described(
            names.schema.description(&format!("{name}/{}", p.name)),
            || {
                format!(
                    "`{}` ({}{}).",
                    p.name,
                    if p.ty.collection {
                        "collection of "
                    } else {
                        ""
                    },
                    p.ty.name.trim_start_matches("Edm.")
                )
            },
        );
        if let Some(note) = Names::wire_note(&p.ty) {
            text.push_str(&format!(" On the wire: {note}."));
        }
        let doc = docs(&[text]);
        let mut options: Vec<TokenStream> = rename.into_iter().collect();
        if names.schema.is_read_only(name, &p.name) || overlay.service_set.contains(&p.name) {
            options.push(quote!(read_only));
        }
        if is_secret(&p.name, &p.ty) {
            options.push(quote!(secret));
        }
        let attr = (!options.is_empty()).then(|| quote!(#[graph(#(#options),*)]));
        fields.push(quote! { #doc #attr pub #ident: #wrapped });
    }
    // The singleton's navigation properties are left out: each leads to a whole area (a Cargo
    // feature), and they are read through the areas' own endpoints. So are those of a type
    // reached only by a link (`user`): they lead into other workloads.
    let navigations = def.navigations.iter().filter(|n| {
        n.contained
            && !names.surface.roots.iter().any(|r| r == name)
            && !names.surface.shallow.contains(name)
    });
    for n in navigations {
        let Some(rust) = names.rust_type(&n.ty) else {
            continue;
        };
        let (ident, rename) = field_for(name, &n.name, &mut field_names)?;
        let rust = if names.is_boxed(name, &n.name) {
            quote!(Box<#rust>)
        } else {
            rust
        };
        let mut text = described(
            names.schema.description(&format!("{name}/{}", n.name)),
            || format!("Navigation `{}`.", n.name),
        );
        text.push_str(" Present only when expanded (`$expand`).");
        let doc = docs(&[text]);
        let rename = rename.map(|r| quote!(#r,));
        fields.push(quote! { #doc #[graph(#rename navigation)] pub #ident: Option<#rust> });
    }
    let kind = if is_entity { "entity" } else { "complex" };
    let mut about = format!("OData type `{odata_type}` ({kind} type");
    if def.is_abstract {
        about.push_str(", abstract");
    }
    if let Some(base) = &def.base {
        about.push_str(&format!(", derives from `{base}`"));
    }
    about.push_str(").");
    let family = names.surface.families.contains(name);
    let struct_doc = if family {
        docs(&[
            format!(
                "The properties of `{name}` itself; [`{}`] is any `{name}`, subtypes included.",
                upper_camel(name)
            ),
            about.clone(),
        ])
    } else {
        docs(&[
            described(names.schema.description(name), || {
                format!("The `{name}` type.")
            }),
            about.clone(),
        ])
    };
    let cfg = names.cfg_for(name);
    let mut out = quote! {
        #struct_doc
        #cfg
        #[graph_entity(odata_type = #odata_type)]
        pub struct #own { #(#fields),* }
    };
    let family_cfg = names.cfg_for_family(name);
    if let (true, Some(family_cfg)) = (family, family_cfg) {
        let enum_ident = format_ident!("{}", upper_camel(name));
        let descendants = names.concrete_descendants(name);
        let short: Vec<String> = descendants.iter().map(|d| names.variant(name, d)).collect();
        // Two subtypes whose short names agree (`windowsInformationProtection` and
        // `windowsInformationProtectionPolicy` in `managedAppPolicy`) take their full names.
        let taken_twice = |v: &String| short.iter().filter(|o| *o == v).count() > 1;
        let variant_names: Vec<String> = descendants
            .iter()
            .zip(&short)
            .map(|(d, v)| {
                if taken_twice(v) {
                    upper_camel(d)
                } else {
                    v.clone()
                }
            })
            .collect();
        let variants = descendants.into_iter().zip(variant_names).map(|(d, v)| {
            let v = format_ident!("{v}");
            let ty = format_ident!("{}", names.own_struct(&d).unwrap_or(&d));
            let doc = docs(&[format!(
                "`{d}`: {}",
                names
                    .schema
                    .description(&d)
                    .map(doc_text)
                    .unwrap_or_else(|| "a subtype.".into())
            )]);
            quote! { #doc #v(#ty) }
        });
        let doc = docs(&[
            described(names.schema.description(name), || {
                format!("The `{name}` type.")
            }),
            format!(
                "Any `{name}`, decoded by `@odata.type`: a known subtype, `Base` (the type itself, or no `@odata.type`), or `Unknown` (a subtype this crate does not know, every member kept)."
            ),
            format!(
                "The properties every `{name}` has are in the struct [`{own}`], which the family derefs to; a variant is made from its struct with `.into()`."
            ),
            about,
        ]);
        out.extend(quote! {
            #doc
            #family_cfg
            #[graph_polymorphic(base = #own)]
            #[non_exhaustive]
            pub enum #enum_ident { #(#variants),* }
        });
    }
    Ok(out)
}

/// `entities.rs` or `complex.rs` of one part (see [`Names::root_part`]).
pub fn structs(
    names: &Names<'_>,
    overlay: &Overlay,
    entities: bool,
    part: Option<&str>,
) -> Result<String, String> {
    let set = if entities {
        &names.surface.entities
    } else {
        &names.surface.complexes
    };
    let mut items = Vec::new();
    for name in set
        .iter()
        .filter(|n| names.root_part(&names.features_of(n)) == part)
    {
        let def = names
            .schema
            .struct_type(name)
            .ok_or_else(|| format!("`{name}` is not in the schema"))?;
        items.push(struct_item(names, overlay, def, entities)?);
    }
    let body = quote!(#(#items)*);
    let uses = imports(&body, RUNTIME);
    let header = if entities {
        &format!(
            "The entity types of {} surface; a type with subtypes is also a family enum.",
            names.target.label()
        )
    } else {
        &format!(
            "The complex types of {} surface; a type with subtypes is also a family enum.",
            names.target.label()
        )
    };
    render(&[header], quote!(#uses use super::*; #body))
}

/// `parameters.rs` of one part (see [`Names::root_part`]).
pub fn parameters(names: &Names<'_>, part: Option<&str>) -> Result<String, String> {
    let mut items = Vec::new();
    for (rust, op) in &names.surface.parameter_structs {
        let ident = format_ident!("{rust}");
        let mut taken = Vec::new();
        let mut fields = Vec::new();
        // A body of one parameter gets `new(value)`, so a caller never spells out
        // `additional_data` (`..Default::default()`) for it.
        let mut constructor = None;
        let single = op.parameters.len() == 1;
        for p in &op.parameters {
            let Some(ty) = names.rust_type(&p.ty) else {
                continue;
            };
            let (ident, rename) = field_for(&op.name, &p.name, &mut taken)?;
            if single {
                let field = &ident;
                let text = format!(
                    " The body with `{}` set{}.",
                    p.name,
                    if p.ty.collection {
                        ": any iterator of items, or of what converts into one"
                    } else {
                        ""
                    }
                );
                constructor = Some(if p.ty.collection {
                    let item = names
                        .rust_type(&crate::csdl::TypeRef {
                            collection: false,
                            name: p.ty.name.clone(),
                        })
                        .ok_or_else(|| format!("no Rust type for `{}`", p.ty.name))?;
                    quote! {
                        #[doc = #text]
                        pub fn new<I>(#field: I) -> Self
                        where
                            I: IntoIterator,
                            I::Item: Into<#item>,
                        {
                            Self {
                                #field: Some(#field.into_iter().map(Into::into).collect()),
                                ..Default::default()
                            }
                        }
                    }
                } else {
                    quote! {
                        #[doc = #text]
                        pub fn new(#field: impl Into<#ty>) -> Self {
                            Self { #field: Some(#field.into()), ..Default::default() }
                        }
                    }
                });
            }
            let secret = is_secret(&p.name, &p.ty).then(|| quote!(secret));
            let options: Vec<TokenStream> = rename.into_iter().chain(secret).collect();
            let attr = (!options.is_empty()).then(|| quote!(#[graph(#(#options),*)]));
            let doc = docs(&[format!(
                "`{}` ({}{}).",
                p.name,
                if p.ty.collection {
                    "collection of "
                } else {
                    ""
                },
                p.ty.name.trim_start_matches("Edm.")
            )]);
            fields.push(quote! { #doc #attr pub #ident: Option<#ty> });
        }
        let doc = docs(&[
            format!(
                "The body of the `{}` action on `{}`.",
                op.name, op.binding.name
            ),
            described(names.schema.operation_description(op), String::new),
        ]);
        let mut features = std::collections::BTreeSet::new();
        let mut always = false;
        for e in names.surface.endpoints.iter().filter(|e| {
            matches!(&e.kind, crate::surface::OpKind::Action(o) if o.name == op.name && o.binding == op.binding)
        }) {
            if e.area == crate::surface::ROOT_AREA {
                always = true;
            }
            features.insert(super::feature_name(&e.area));
        }
        let in_part = if always {
            None
        } else {
            names.root_part(&features)
        };
        if in_part != part {
            continue;
        }
        let cfg = if always {
            TokenStream::new()
        } else {
            super::cfg_any(&features)
        };
        let constructor = constructor.map(|c| quote!(#cfg impl #ident { #c }));
        items.push(quote! {
            #doc
            #cfg
            #[graph_entity(parameters)]
            pub struct #ident { #(#fields),* }
            #constructor
        });
    }
    let body = quote!(#(#items)*);
    let uses = imports(&body, RUNTIME);
    render(
        &[&format!(
            "The bodies of {} actions that take parameters.",
            names.target.label()
        )],
        quote!(#uses use super::*; #body),
    )
}

/// Typed keys, written as text: `graph_id!` is a declarative macro prettyplease leaves as tokens.
pub fn ids(names: &Names<'_>, part: Option<&str>) -> String {
    let mut out = String::from(
        "//! Typed keys: each addressable entity type has its own, so one cannot stand in for another.\n//!\n//! ",
    );
    out.push_str(super::GENERATED);
    out.push_str("\n\n// Keys are behind area features: a build may use none of them.\n#![allow(unused_imports)]\n\nuse graphwire_core::graph_id;\n");
    for key in names
        .surface
        .keyed
        .iter()
        .filter(|k| names.root_part(&names.features_of(k)) == part)
    {
        out.push_str(&format!(
            "\n{}graph_id! {{\n    /// Key of a `{key}` (and of its subtypes).\n    pub struct {};\n}}\n",
            super::cfg_text(&names.features_of(key)),
            names.id_type(key)
        ));
    }
    out
}
