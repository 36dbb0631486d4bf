//! `#[graph_enum]`: a Graph enum as member-name strings, with a catch-all that round-trips.

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::Parser;

use crate::common::{Errors, lower_first, private, suggestion};

struct Member {
    attrs: Vec<syn::Attribute>,
    ident: syn::Ident,
    graph_name: String,
}

pub fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let item: syn::DeriveInput = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(error) => return error.to_compile_error(),
    };
    let mut fallback: Option<syn::Ident> = None;
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("fallback") {
            fallback = Some(meta.value()?.parse()?);
            Ok(())
        } else {
            let name = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            Err(meta.error(format!(
                "unknown graph_enum option `{name}`; expected `fallback = VariantName`{}",
                suggestion(&name, &["fallback"])
            )))
        }
    });
    if let Err(error) = parser.parse2(args) {
        errors.push(error);
    }
    let fallback =
        fallback.unwrap_or_else(|| syn::Ident::new("Unknown", proc_macro2::Span::call_site()));
    let item_input = item.clone();
    let syn::Data::Enum(data) = &item.data else {
        errors.at(
            &item.ident,
            "#[graph_enum] goes on an enum of unit variants, one per Graph member",
        );
        let errors = errors.to_compile_errors();
        return quote!(#errors #input);
    };
    crate::common::check_foreign_attrs(&item.attrs, &["Serialize", "Deserialize"], &mut errors);
    let mut members = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, syn::Fields::Unit) {
            errors.at(&variant.ident, "Graph enum members are unit variants; the catch-all for unknown values is added by #[graph_enum]");
        }
        if variant.ident == fallback {
            errors.at(
                &variant.ident,
                format!("`{fallback}` is the name of the catch-all variant #[graph_enum] adds; rename this member or choose another with #[graph_enum(fallback = Other)]"),
            );
        }
        let mut graph_name = lower_first(&variant.ident.to_string());
        for attr in variant.attrs.iter().filter(|a| a.path().is_ident("graph")) {
            let result = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    graph_name = meta.value()?.parse::<syn::LitStr>()?.value();
                    Ok(())
                } else {
                    let name = meta
                        .path
                        .get_ident()
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    Err(meta.error(format!(
                        "unknown member option `{name}`; expected `rename = \"…\"`{}",
                        suggestion(&name, &["rename"])
                    )))
                }
            });
            if let Err(error) = result {
                errors.push(error);
            }
        }
        if let Some(other) = members
            .iter()
            .find(|m: &&Member| m.graph_name == graph_name)
        {
            errors.at(
                &variant.ident,
                format!(
                    "`{}` and `{}` both stand for the Graph member `{graph_name}`",
                    other.ident, variant.ident
                ),
            );
        }
        members.push(Member {
            attrs: variant
                .attrs
                .iter()
                .filter(|a| !a.path().is_ident("graph"))
                .cloned()
                .collect(),
            ident: variant.ident.clone(),
            graph_name,
        });
    }

    let p = private();
    let (attrs, vis, ident) = (&item.attrs, &item.vis, &item.ident);
    let rust_name = ident.to_string();
    let variants = members.iter().map(|m| {
        let (attrs, v) = (&m.attrs, &m.ident);
        quote!(#(#attrs)* #v)
    });
    let item = quote! {
        #(#attrs)*
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash)]
        #vis enum #ident {
            #(#variants,)*
            /// A member this crate does not know, kept exactly as the service sent it.
            #fallback(::std::string::String),
        }
    };
    if !errors.is_empty() {
        // The enum as written (minus our attributes), so only these errors show.
        let mut stub = item_input.clone();
        if let syn::Data::Enum(data) = &mut stub.data {
            for variant in &mut data.variants {
                variant.attrs.retain(|a| !a.path().is_ident("graph"));
            }
        }
        let errors = errors.to_compile_errors();
        return quote!(#errors #stub);
    }
    let names: Vec<&String> = members.iter().map(|m| &m.graph_name).collect();
    let idents: Vec<&syn::Ident> = members.iter().map(|m| &m.ident).collect();
    quote! {
        #item
        impl ::graphwire_core::GraphEnum for #ident {
            const META: &'static ::graphwire_core::meta::EnumMeta = &::graphwire_core::meta::EnumMeta {
                rust_name: #rust_name,
                members: &[#(#names),*],
            };
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
                f.write_str(::graphwire_core::GraphEnum::as_graph_str(self))
            }
        }
        impl #p::PropertyKind for #ident {
            const KIND: ::graphwire_core::meta::Edm =
                ::graphwire_core::meta::Edm::Enum(<Self as ::graphwire_core::GraphEnum>::META);
        }
        impl #p::serde::Serialize for #ident {
            fn serialize<S: #p::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(::graphwire_core::GraphEnum::as_graph_str(self))
            }
        }
        impl<'de> #p::serde::Deserialize<'de> for #ident {
            fn deserialize<D: #p::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                #p::deserialize_enum(deserializer)
            }
        }
    }
}
