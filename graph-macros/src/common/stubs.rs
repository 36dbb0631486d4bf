//! Impls emitted after an error, with bodies that never run: uses of the type elsewhere keep
//! type-checking, so the user sees only the real errors.

use proc_macro2::TokenStream;
use quote::quote;

/// `Serialize` and `Deserialize`.
pub fn serde_stub(krate: &syn::Path, ident: &syn::Ident) -> TokenStream {
    let p = quote!(#krate::__private);
    quote! {
        impl #p::serde::Serialize for #ident {
            fn serialize<S: #p::serde::Serializer>(&self, _: S) -> ::core::result::Result<S::Ok, S::Error> {
                ::core::unreachable!()
            }
        }
        impl<'de> #p::serde::Deserialize<'de> for #ident {
            fn deserialize<D: #p::serde::Deserializer<'de>>(_: D) -> ::core::result::Result<Self, D::Error> {
                ::core::unreachable!()
            }
        }
    }
}

/// What an entity-like type (entity or family) provides: `GraphEntity` with empty metadata,
/// `FromResponse`, `PropertyKind`, and serde.
pub fn entity_stub(krate: &syn::Path, ident: &syn::Ident) -> TokenStream {
    let rust_name = ident.to_string();
    let response_impl = super::entity_response_impl(krate, ident);
    let serde = serde_stub(krate, ident);
    quote! {
        impl #krate::GraphEntity for #ident {
            const META: &'static #krate::meta::EntityMeta =
                &#krate::meta::EntityMeta::new(#rust_name, "", ::core::option::Option::None, &[]);
        }
        #response_impl
        impl #krate::__private::PropertyKind for #ident {
            const KIND: #krate::meta::Edm = #krate::meta::Edm::Json;
        }
        #serde
    }
}
