//! Pieces every macro shares: error collection, option parsing, naming, the path to the
//! runtime, and the checks of foreign attributes.

mod errors;
mod names;
mod options;
mod stages;
mod stubs;

pub use errors::Errors;
pub use names::{field_wire_name, placeholder_argument, suggestion, variant_wire_name};
pub use options::{CRATE, OptionSet, Spec, name_span, parse_args, parse_graph_attrs};
pub use stages::Stages;
pub use stubs::{entity_stub, serde_stub};

use proc_macro2::TokenStream;
use quote::quote;

/// The runtime crate as generated code names it when no `crate = "…"` option is given.
pub fn default_crate() -> syn::Path {
    syn::parse_quote!(::graphwire_core)
}

/// `impl FromResponse` for a type that is returned as one entity (entities and polymorphic
/// families). Generated per type rather than as a blanket impl, so a wrong return type is one
/// clear "not a Graph response type" error.
pub fn entity_response_impl(krate: &syn::Path, ident: &syn::Ident) -> TokenStream {
    quote! {
        impl #krate::FromResponse for #ident {
            const SHAPE: #krate::meta::ResponseShape =
                #krate::meta::ResponseShape::Entity(<Self as #krate::GraphEntity>::META);
            // Inline: the decoder for `Self` is then built only in crates that call an
            // endpoint returning it, not for every declared type in the declaring crate.
            #[inline]
            fn from_response(
                response: #krate::RawResponse,
                _: &#krate::GraphClient,
            ) -> #krate::Result<Self> {
                #krate::__private::entity_from_response(response)
            }
        }
    }
}

/// Rejects attributes that would fight the generated impls.
pub fn check_foreign_attrs(attrs: &[syn::Attribute], generated: &[&str], errors: &mut Errors) {
    for attr in attrs {
        if attr.path().is_ident("serde") {
            errors.at(
                attr,
                "serde attributes are not used here: the macro generates the (de)serializer itself; use #[graph(rename = \"...\")] to change a JSON name",
            );
        } else if attr.path().is_ident("derive") {
            let _ = attr.parse_nested_meta(|meta| {
                if let Some(ident) = meta.path.get_ident() {
                    let name = ident.to_string();
                    if generated.contains(&name.as_str()) {
                        errors.at(
                            &meta.path,
                            format!("`{name}` is already implemented by this macro; remove it from the derive list"),
                        );
                    }
                }
                Ok(())
            });
        }
    }
}

/// The user's attributes with the derives the macro implements itself removed (already
/// reported by [`check_foreign_attrs`]), so the output has no second, conflicting impl.
pub fn without_generated_derives(
    attrs: &[syn::Attribute],
    generated: &[&str],
) -> Vec<syn::Attribute> {
    attrs
        .iter()
        .filter_map(|attr| {
            if !attr.path().is_ident("derive") {
                return Some(attr.clone());
            }
            let paths = attr
                .parse_args_with(
                    syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
                )
                .ok()?;
            let kept: Vec<&syn::Path> = paths
                .iter()
                .filter(|p| {
                    !p.segments
                        .last()
                        .is_some_and(|s| generated.contains(&s.ident.to_string().as_str()))
                })
                .collect();
            (!kept.is_empty()).then(|| syn::parse_quote!(#[derive(#(#kept),*)]))
        })
        .collect()
}
