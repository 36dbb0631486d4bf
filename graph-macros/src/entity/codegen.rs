//! The code `#[graph_entity]` emits: the struct with its unknown-member map, metadata, and
//! small impls that call the generic encoder and decoder in graphwire-core.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::model::{EntityModel, FieldModel};

/// The struct as the user wrote it, without our attributes, plus the unknown-member map.
fn struct_item(model: &EntityModel) -> TokenStream {
    let EntityModel {
        attrs,
        vis,
        ident,
        krate,
        ..
    } = model;
    let fields = model.fields.iter().map(|f| {
        let FieldModel {
            attrs,
            vis,
            ident,
            ty,
            ..
        } = f;
        quote!(#(#attrs)* #vis #ident: #ty)
    });
    // A subtype keeps unknown members in its base's map, so they are the same whether read
    // through the subtype, its family (which derefs to the base) or the base itself.
    let additional = model.base_field().is_none().then(|| {
        quote! {
            /// Members this type does not declare: kept on decode, written back on encode.
            pub additional_data: #krate::AdditionalData,
        }
    });
    quote! {
        #(#attrs)*
        #[derive(::core::clone::Clone, ::core::default::Default, ::core::cmp::PartialEq)]
        #vis struct #ident {
            #(#fields,)*
            #additional
        }
    }
}

pub fn expand(model: &EntityModel) -> TokenStream {
    let krate = &model.krate;
    let p = quote!(#krate::__private);
    let ident = &model.ident;
    let name = ident.to_string();
    let odata_type = model
        .odata_type
        .as_ref()
        .map(syn::LitStr::value)
        .unwrap_or_default();
    let base = model.base_field();
    let props: Vec<&FieldModel> = model
        .fields
        .iter()
        .filter(|f| f.args.base.is_none())
        .collect();

    let base_meta = match base {
        Some(b) => {
            let ty = &b.ty;
            quote!(::core::option::Option::Some(<#ty as #krate::GraphEntity>::META))
        }
        None => quote!(::core::option::Option::None),
    };
    let prop_meta = props.iter().map(|f| {
        let json = &f.json_name;
        let ty = &f.ty;
        let read_only = f.is_read_only();
        let secret = f.args.secret;
        let navigation = f.args.navigation;
        let kind = quote_spanned!(ty.span()=> <#ty as #p::PropertyKind>::KIND);
        let mut meta = quote!(#krate::meta::PropertyMeta::new(#json, #kind));
        // Only what differs from the defaults, to keep the expansion small.
        if read_only {
            meta.extend(quote!(.read_only(true)));
        }
        if secret {
            meta.extend(quote!(.secret(true)));
        }
        if navigation {
            meta.extend(quote!(.navigation(true)));
        }
        meta
    });
    let decode_arms = props.iter().map(|f| {
        let (json, field) = (&f.json_name, &f.ident);
        quote!(#json => {
            self.#field = map.next_value()?;
            ::core::result::Result::Ok(true)
        })
    });
    let decode_fallback = match base {
        Some(b) => {
            let field = &b.ident;
            quote!(_ => #p::DecodeProperties::decode_property(&mut self.#field, key, map),)
        }
        None => quote!(_ => ::core::result::Result::Ok(false),),
    };
    // Where unknown members live: this type's own map, or (for a subtype) its base's.
    let additional_mut = match base {
        Some(b) => {
            let field = &b.ident;
            quote!(#p::DecodeProperties::additional_data_mut(&mut self.#field))
        }
        None => quote!(&mut self.additional_data),
    };
    let additional_ref = match base {
        Some(b) => {
            let field = &b.ident;
            quote!(#p::EncodeProperties::additional_data(&self.#field))
        }
        None => quote!(&self.additional_data),
    };
    let debug_additional = base
        .is_none()
        .then(|| quote!(.field("additional_data", &self.additional_data)));
    let encode_base = base.map(|b| {
        let field = &b.ident;
        quote!(#p::EncodeProperties::encode_properties(&self.#field, map)?;)
    });
    // Read-only properties are written only in an as-received export, never in a request.
    let encode_props = props.iter().map(|f| {
        let (json, field) = (&f.json_name, &f.ident);
        if f.is_read_only() {
            quote!(#p::read_only_property(map, #json, &self.#field)?;)
        } else {
            quote!(#p::encode_property(map, #json, &self.#field)?;)
        }
    });
    let debug_fields = model.fields.iter().map(|f| {
        let field = &f.ident;
        let label = field.to_string();
        if f.args.secret {
            quote!(.field(#label, &#p::Redacted))
        } else {
            quote!(.field(#label, &self.#field))
        }
    });
    let deref = base.map(|b| {
        let (field, ty) = (&b.ident, &b.ty);
        quote! {
            impl ::core::ops::Deref for #ident {
                type Target = #ty;
                fn deref(&self) -> &#ty { &self.#field }
            }
            impl ::core::ops::DerefMut for #ident {
                fn deref_mut(&mut self) -> &mut #ty { &mut self.#field }
            }
        }
    });

    let response_impl = crate::common::entity_response_impl(krate, ident);
    let item = struct_item(model);
    quote! {
        #item
        impl #krate::GraphEntity for #ident {
            const META: &'static #krate::meta::EntityMeta = {
                const PROPERTIES: &[#krate::meta::PropertyMeta] = &[#(#prop_meta),*];
                &#krate::meta::EntityMeta::new(#name, #odata_type, #base_meta, PROPERTIES)
            };
        }
        #p::inventory::submit! { #p::RegisteredType(<#ident as #krate::GraphEntity>::META) }
        #response_impl
        impl #p::PropertyKind for #ident {
            const KIND: #krate::meta::Edm =
                #krate::meta::Edm::Object(<Self as #krate::GraphEntity>::META);
        }
        impl #p::DecodeProperties for #ident {
            fn decode_property<'de, A: #p::serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> ::core::result::Result<bool, A::Error> {
                match key {
                    #(#decode_arms)*
                    #decode_fallback
                }
            }
            fn additional_data_mut(&mut self) -> &mut #krate::AdditionalData {
                #additional_mut
            }
        }
        impl #p::EncodeProperties for #ident {
            fn encode_properties<M: #p::serde::ser::SerializeMap>(
                &self,
                map: &mut M,
            ) -> ::core::result::Result<(), M::Error> {
                #encode_base
                #(#encode_props)*
                ::core::result::Result::Ok(())
            }
            fn additional_data(&self) -> &#krate::AdditionalData {
                #additional_ref
            }
        }
        impl #p::serde::Serialize for #ident {
            fn serialize<S: #p::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                #p::serialize_entity(self, <Self as #krate::GraphEntity>::META.odata_type, serializer)
            }
        }
        impl<'de> #p::serde::Deserialize<'de> for #ident {
            fn deserialize<D: #p::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                #p::deserialize_entity(deserializer)
            }
        }
        impl ::core::fmt::Debug for #ident {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#name)
                    #(#debug_fields)*
                    #debug_additional
                    .finish()
            }
        }
        #deref
    }
}

/// After errors: the impls uses of the type need, with bodies that never run, so the user sees
/// only the real errors and not "not a Graph property type" wherever the type is used.
pub fn stub(model: &EntityModel) -> TokenStream {
    let (krate, ident) = (&model.krate, &model.ident);
    let item = struct_item(model);
    let impls = crate::common::entity_stub(krate, ident);
    quote! {
        #item
        #impls
        impl ::core::fmt::Debug for #ident {
            fn fmt(&self, _: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::unreachable!()
            }
        }
    }
}
