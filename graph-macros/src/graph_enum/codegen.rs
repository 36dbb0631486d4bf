//! The code `#[graph_enum]` emits: the enum with its catch-all, and small impls over the
//! generic enum decoder in the runtime.

use proc_macro2::TokenStream;
use quote::quote;

use super::model::EnumModel;

/// The enum with the catch-all variant, and the derives the runtime relies on.
fn item(model: &EnumModel, with_fallback: bool) -> TokenStream {
    let EnumModel {
        attrs,
        vis,
        ident,
        fallback,
        ..
    } = model;
    let variants = model.members.iter().map(|m| {
        let (attrs, v) = (&m.attrs, &m.ident);
        quote!(#(#attrs)* #v)
    });
    let fallback = with_fallback.then(|| {
        quote! {
            /// A member this crate does not know, kept exactly as the service sent it.
            #fallback(::std::string::String),
        }
    });
    quote! {
        #(#attrs)*
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash)]
        #vis enum #ident {
            #(#variants,)*
            #fallback
        }
    }
}

pub fn expand(model: &EnumModel) -> TokenStream {
    let krate = &model.krate;
    let p = quote!(#krate::__private);
    let (ident, fallback) = (&model.ident, &model.fallback);
    let rust_name = ident.to_string();
    let item = item(model, true);
    let property_kind = property_kind(krate, ident);
    let names: Vec<&String> = model.members.iter().map(|m| &m.graph_name).collect();
    let idents: Vec<&syn::Ident> = model.members.iter().map(|m| &m.ident).collect();
    quote! {
        #item
        impl #krate::GraphEnum for #ident {
            const META: &'static #krate::meta::EnumMeta =
                &#krate::meta::EnumMeta::new(#rust_name, &[#(#names),*]);
            fn as_graph_str(&self) -> &str {
                match self {
                    #(Self::#idents => #names,)*
                    Self::#fallback(name) => name,
                }
            }
            fn from_graph_str(name: &str) -> Self {
                match name {
                    #(#names => Self::#idents,)*
                    other => Self::#fallback(::std::string::ToString::to_string(other)),
                }
            }
        }
        impl ::core::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(#krate::GraphEnum::as_graph_str(self))
            }
        }
        #p::inventory::submit! { #p::RegisteredEnum(<#ident as #krate::GraphEnum>::META) }
        impl #krate::path::PathSegment for #ident {
            fn path_segment(&self) -> &str {
                #krate::GraphEnum::as_graph_str(self)
            }
        }
        #property_kind
        impl #p::serde::Serialize for #ident {
            fn serialize<S: #p::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(#krate::GraphEnum::as_graph_str(self))
            }
        }
        impl<'de> #p::serde::Deserialize<'de> for #ident {
            fn deserialize<D: #p::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                #p::deserialize_enum(deserializer)
            }
        }
    }
}

/// After errors: the enum (without a clashing catch-all) and the impls its uses need, with
/// bodies that never run, so only the real errors show.
pub fn stub(model: &EnumModel) -> TokenStream {
    let krate = &model.krate;
    let ident = &model.ident;
    let clash = model.members.iter().any(|m| m.ident == model.fallback);
    let unit = model.members.iter().all(|m| m.is_unit);
    let item = if unit {
        item(model, !clash)
    } else {
        // Variants with fields may hold types without the derives: keep the enum bare.
        let (attrs, vis) = (&model.attrs, &model.vis);
        let variants = model.members.iter().map(|m| &m.ident);
        quote! {
            #(#attrs)*
            #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash)]
            #vis enum #ident { #(#variants,)* }
        }
    };
    let rust_name = ident.to_string();
    let property_kind = property_kind(krate, ident);
    let serde = crate::common::serde_stub(krate, ident);
    quote! {
        #item
        impl #krate::GraphEnum for #ident {
            const META: &'static #krate::meta::EnumMeta =
                &#krate::meta::EnumMeta::new(#rust_name, &[]);
            fn as_graph_str(&self) -> &str { ::core::unreachable!() }
            fn from_graph_str(_: &str) -> Self { ::core::unreachable!() }
        }
        #property_kind
        #serde
    }
}

/// `PropertyKind`: a Graph enum, described by its metadata.
fn property_kind(krate: &syn::Path, ident: &syn::Ident) -> TokenStream {
    quote! {
        impl #krate::__private::PropertyKind for #ident {
            const KIND: #krate::meta::Edm =
                #krate::meta::Edm::Enum(<Self as #krate::GraphEnum>::META);
        }
    }
}
