//! What `#[graph_enum]` understood of the enum and its options.

use proc_macro2::TokenStream;

use crate::common::{
    CRATE, Errors, OptionSet, Spec, check_foreign_attrs, parse_args, parse_graph_attrs,
    variant_wire_name,
};

pub struct EnumModel {
    pub attrs: Vec<syn::Attribute>,
    pub vis: syn::Visibility,
    pub ident: syn::Ident,
    /// The catch-all variant's name (`Unrecognized` unless `fallback = …`).
    pub fallback: syn::Ident,
    pub krate: syn::Path,
    pub members: Vec<Member>,
}

pub struct Member {
    pub attrs: Vec<syn::Attribute>,
    pub ident: syn::Ident,
    /// The member name as Graph spells it.
    pub graph_name: String,
    /// The span of the name's source (the variant or its `rename`), for errors.
    pub name_span: proc_macro2::Span,
    /// False for a variant with fields (reported by validation).
    pub is_unit: bool,
}

const FALLBACK: &str = "fallback";
const ENUM_OPTIONS: &[Spec] = &[
    Spec {
        name: FALLBACK,
        form: "fallback = VariantName",
    },
    CRATE,
];

const RENAME: &str = "rename";
const MEMBER_OPTIONS: &[Spec] = &[Spec {
    name: RENAME,
    form: "rename = \"…\"",
}];

/// Traits the macro implements, which a user's derive must not repeat.
const GENERATED_TRAITS: &[&str] = &[
    "Debug",
    "Clone",
    "PartialEq",
    "Eq",
    "Hash",
    "Serialize",
    "Deserialize",
];

/// The default catch-all: not a member name of any Graph enum (unlike `unknown` or `other`).
pub const DEFAULT_FALLBACK: &str = "Unrecognized";

pub fn build(args: TokenStream, item: syn::DeriveInput, errors: &mut Errors) -> Option<EnumModel> {
    let mut fallback = None;
    let mut set = OptionSet::new("graph_enum option", ENUM_OPTIONS);
    let krate = parse_args(args, &mut set, errors, |_, meta| {
        fallback = Some(meta.value()?.parse()?);
        Ok(())
    });
    let syn::Data::Enum(data) = &item.data else {
        errors.at(
            &item.ident,
            "#[graph_enum] goes on an enum of unit variants, one per Graph member",
        );
        return None;
    };
    check_foreign_attrs(&item.attrs, GENERATED_TRAITS, errors);
    let members = data
        .variants
        .iter()
        .map(|variant| {
            let mut rename: Option<syn::LitStr> = None;
            let mut set = OptionSet::new("member option", MEMBER_OPTIONS);
            parse_graph_attrs(&variant.attrs, &mut set, errors, |_, meta| {
                rename = Some(meta.value()?.parse()?);
                Ok(())
            });
            let (graph_name, name_span) = match rename {
                Some(lit) => (lit.value(), lit.span()),
                None => (
                    variant_wire_name(&variant.ident.to_string()),
                    variant.ident.span(),
                ),
            };
            Member {
                attrs: variant
                    .attrs
                    .iter()
                    .filter(|a| !a.path().is_ident("graph"))
                    .cloned()
                    .collect(),
                ident: variant.ident.clone(),
                graph_name,
                name_span,
                is_unit: matches!(variant.fields, syn::Fields::Unit),
            }
        })
        .collect();
    Some(EnumModel {
        attrs: crate::common::without_generated_derives(&item.attrs, GENERATED_TRAITS),
        vis: item.vis.clone(),
        ident: item.ident.clone(),
        fallback: fallback
            .unwrap_or_else(|| syn::Ident::new(DEFAULT_FALLBACK, proc_macro2::Span::call_site())),
        krate,
        members,
    })
}
