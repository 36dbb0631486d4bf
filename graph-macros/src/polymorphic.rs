//! `#[graph_polymorphic(base = Base)]`: a family of subtypes decoded by `@odata.type`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::Parser;

use crate::common::{Errors, private, suggestion};

pub fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let item: syn::DeriveInput = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(error) => return error.to_compile_error(),
    };
    let mut base: Option<syn::Type> = None;
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("base") {
            base = Some(meta.value()?.parse()?);
            Ok(())
        } else {
            let name = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            Err(meta.error(format!(
                "unknown graph_polymorphic option `{name}`; expected `base = BaseType`{}",
                suggestion(&name, &["base"])
            )))
        }
    });
    if let Err(error) = parser.parse2(args) {
        errors.push(error);
    }
    let syn::Data::Enum(data) = &item.data else {
        errors.at(&item.ident, "#[graph_polymorphic] goes on an enum with one tuple variant per subtype, e.g. `Android(AndroidCompliancePolicy)`");
        let errors = errors.to_compile_errors();
        return quote!(#errors #input);
    };
    let Some(base) = base else {
        errors.at(&item.ident, "#[graph_polymorphic] needs the base type: #[graph_polymorphic(base = DeviceCompliancePolicyBase)]");
        let errors = errors.to_compile_errors();
        return quote!(#errors #input);
    };
    let mut variants = Vec::new();
    for variant in &data.variants {
        match &variant.fields {
            syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                variants.push((&variant.attrs, &variant.ident, &f.unnamed[0].ty));
            }
            _ => errors.at(
                &variant.ident,
                "each variant wraps one subtype: `Name(SubtypeStruct)`",
            ),
        }
        if variant.ident == "Base" || variant.ident == "Unknown" {
            errors.at(
                &variant.ident,
                "`Base` and `Unknown` are added by #[graph_polymorphic]; rename this variant",
            );
        }
    }
    if !errors.is_empty() {
        let errors = errors.to_compile_errors();
        return quote!(#errors #input);
    }
    let p = private();
    let (attrs, vis, ident) = (&item.attrs, &item.vis, &item.ident);
    let decl = variants
        .iter()
        .map(|(attrs, v, ty)| quote!(#(#attrs)* #v(#ty)));
    let names: Vec<_> = variants.iter().map(|(_, v, _)| *v).collect();
    let types: Vec<_> = variants.iter().map(|(_, _, ty)| *ty).collect();
    let response_impl = crate::common::entity_response_impl(ident);
    quote! {
        #(#attrs)*
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        #vis enum #ident {
            #(#decl,)*
            /// The base type itself: `@odata.type` was missing or named the base.
            Base(#base),
            /// A subtype this crate does not know, kept whole.
            Unknown(::graphwire_core::UnknownSubtype<#base>),
        }
        impl #ident {
            /// The `@odata.type` this value is written with.
            pub fn odata_type(&self) -> &str {
                match self {
                    #(Self::#names(_) => <#types as ::graphwire_core::GraphEntity>::META.odata_type,)*
                    Self::Base(_) => <#base as ::graphwire_core::GraphEntity>::META.odata_type,
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
        impl ::graphwire_core::Polymorphic for #ident {
            type Base = #base;
            fn decode_subtype(
                type_name: &str,
                json: &str,
            ) -> ::core::option::Option<::core::result::Result<Self, #p::serde_json::Error>> {
                #(if #p::same_type(type_name, <#types as ::graphwire_core::GraphEntity>::META.odata_type) {
                    return ::core::option::Option::Some(#p::decode_as(json).map(Self::#names));
                })*
                ::core::option::Option::None
            }
            fn from_base(base: #base) -> Self { Self::Base(base) }
            fn from_unknown(unknown: ::graphwire_core::UnknownSubtype<#base>) -> Self { Self::Unknown(unknown) }
        }
        impl ::graphwire_core::GraphEntity for #ident {
            const META: &'static ::graphwire_core::meta::EntityMeta = <#base as ::graphwire_core::GraphEntity>::META;
        }
        #response_impl
        impl #p::PropertyKind for #ident {
            const KIND: ::graphwire_core::meta::Edm = <#base as #p::PropertyKind>::KIND;
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
