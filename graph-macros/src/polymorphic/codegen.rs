//! The code `#[graph_polymorphic]` emits: the family enum with `Base` and `Unknown`, deref to
//! the base type, and decoding by `@odata.type` through the runtime's generic decoder.

use proc_macro2::TokenStream;
use quote::quote;

use super::model::FamilyModel;
use super::validate::ADDED_VARIANTS;

pub fn expand(model: &FamilyModel) -> TokenStream {
    let krate = &model.krate;
    let p = quote!(#krate::__private);
    let Some(base) = &model.base else {
        return stub(model);
    };
    let ident = &model.ident;
    let variants: Vec<(&Vec<syn::Attribute>, &syn::Ident, &syn::Type)> = model
        .variants
        .iter()
        .filter_map(|v| v.subtype.as_ref().map(|ty| (&v.attrs, &v.ident, ty)))
        .collect();
    let decl = variants
        .iter()
        .map(|(attrs, v, ty)| quote!(#(#attrs)* #v(#ty)));
    let names: Vec<_> = variants.iter().map(|(_, v, _)| *v).collect();
    let types: Vec<_> = variants.iter().map(|(_, _, ty)| *ty).collect();
    let response_impl = crate::common::entity_response_impl(krate, ident);
    let item = family_item(model, decl, Some(added_variants(krate, base)));
    quote! {
        #item
        impl #ident {
            /// The `@odata.type` this value is written with.
            pub fn odata_type(&self) -> &str {
                match self {
                    #(Self::#names(_) => <#types as #krate::GraphEntity>::META.odata_type,)*
                    Self::Base(_) => <#base as #krate::GraphEntity>::META.odata_type,
                    Self::Unknown(unknown) => &unknown.odata_type,
                }
            }
        }
        impl ::core::ops::Deref for #ident {
            type Target = #base;
            fn deref(&self) -> &#base {
                match self {
                    #(Self::#names(v) => v,)*
                    Self::Base(v) => v,
                    Self::Unknown(v) => &v.base,
                }
            }
        }
        impl ::core::ops::DerefMut for #ident {
            fn deref_mut(&mut self) -> &mut #base {
                match self {
                    #(Self::#names(v) => v,)*
                    Self::Base(v) => v,
                    Self::Unknown(v) => &mut v.base,
                }
            }
        }
        #(impl ::core::convert::From<#types> for #ident {
            fn from(value: #types) -> Self { Self::#names(value) }
        })*
        impl #krate::Polymorphic for #ident {
            type Base = #base;
            // Inline: each variant's decoder is built only where the family is decoded.
            #[inline]
            fn decode_subtype(
                type_name: &str,
                json: &str,
            ) -> ::core::option::Option<::core::result::Result<Self, #p::serde_json::Error>> {
                #(if #p::same_type(type_name, <#types as #krate::GraphEntity>::META.odata_type) {
                    return ::core::option::Option::Some(#p::decode_as(json).map(Self::#names));
                })*
                ::core::option::Option::None
            }
            fn from_base(base: #base) -> Self { Self::Base(base) }
            fn from_unknown(unknown: #krate::UnknownSubtype<#base>) -> Self { Self::Unknown(unknown) }
        }
        impl #krate::GraphEntity for #ident {
            const META: &'static #krate::meta::EntityMeta = <#base as #krate::GraphEntity>::META;
        }
        #response_impl
        impl #p::PropertyKind for #ident {
            const KIND: #krate::meta::Edm = <#base as #p::PropertyKind>::KIND;
        }
        impl #p::serde::Serialize for #ident {
            fn serialize<S: #p::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                match self {
                    #(Self::#names(v) => #p::serde::Serialize::serialize(v, serializer),)*
                    Self::Base(v) => #p::serde::Serialize::serialize(v, serializer),
                    Self::Unknown(v) => #p::serialize_unknown(v, serializer),
                }
            }
        }
        impl<'de> #p::serde::Deserialize<'de> for #ident {
            fn deserialize<D: #p::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                #p::deserialize_polymorphic(deserializer)
            }
        }
    }
}

/// After errors: the enum with its well-formed variants and the impls its uses need, with
/// bodies that never run, so only the real errors show.
pub fn stub(model: &FamilyModel) -> TokenStream {
    let krate = &model.krate;
    let ident = &model.ident;
    let decl = model
        .variants
        .iter()
        .filter(|v| !ADDED_VARIANTS.iter().any(|added| v.ident == added))
        .filter_map(|v| {
            let (attrs, name) = (&v.attrs, &v.ident);
            v.subtype.as_ref().map(|ty| quote!(#(#attrs)* #name(#ty)))
        });
    let added = model.base.as_ref().map(|base| added_variants(krate, base));
    let deref = model.base.as_ref().map(|base| {
        quote! {
            impl ::core::ops::Deref for #ident {
                type Target = #base;
                fn deref(&self) -> &#base { ::core::unreachable!() }
            }
            impl ::core::ops::DerefMut for #ident {
                fn deref_mut(&mut self) -> &mut #base { ::core::unreachable!() }
            }
        }
    });
    let impls = crate::common::entity_stub(krate, ident);
    let item = family_item(model, decl, added);
    quote! {
        #item
        #deref
        #impls
    }
}

/// The variants the macro adds: the base type itself, and subtypes this crate does not know.
fn added_variants(krate: &syn::Path, base: &syn::Type) -> TokenStream {
    quote! {
        /// The base type itself: `@odata.type` was missing or named the base.
        Base(#base),
        /// A subtype this crate does not know, kept whole.
        Unknown(#krate::UnknownSubtype<#base>),
    }
}

/// The family enum: the declared variants, then the added ones.
fn family_item(
    model: &FamilyModel,
    declared: impl Iterator<Item = TokenStream>,
    added: Option<TokenStream>,
) -> TokenStream {
    let (attrs, vis, ident) = (&model.attrs, &model.vis, &model.ident);
    quote! {
        #(#attrs)*
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        #vis enum #ident {
            #(#declared,)*
            #added
        }
    }
}
