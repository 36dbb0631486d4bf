//! The method `#[graph_endpoint]` writes: static metadata, its registration, and one call into
//! `graphwire_core::__private::call`. No template engine runs at run time: the path is a list of
//! literal pieces and encoded segments fixed here.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::LitStr;
use syn::spanned::Spanned;

use super::model::{EndpointModel, Method, Role};
use super::template::Segment;
use crate::common::placeholder_argument;

pub fn expand(model: &EndpointModel) -> TokenStream {
    let krate = &model.krate;
    let p = quote!(#krate::__private);
    let decl = &model.decl;
    let (attrs, vis, sig) = (&decl.attrs, &decl.vis, &decl.sig);
    let operation = model
        .operation
        .as_ref()
        .map_or_else(|| sig.ident.to_string(), LitStr::value);
    let method = format_ident!("{}", model.method.map_or("Get", |m| m.variant()));
    let template = model.template.value();
    let version = if model.beta { quote!(Beta) } else { quote!(V1) };
    let delegated = &model.delegated;
    let application = &model.application;
    let clouds: Vec<TokenStream> = model
        .clouds
        .iter()
        .map(|c| quote!(#krate::NationalCloud::#c))
        .collect();
    // Only what differs from `Endpoint::new`'s defaults, to keep the expansion small.
    let mut setters_meta = TokenStream::new();
    if !delegated.is_empty() {
        setters_meta.extend(quote!(.delegated(&[#(#delegated),*])));
    }
    if !application.is_empty() {
        setters_meta.extend(quote!(.application(&[#(#application),*])));
    }
    if !model.clouds.is_empty() {
        setters_meta.extend(quote!(.clouds(&[#(#clouds),*])));
    }
    let response = match &model.response {
        Some(ty) => ty.clone(),
        None => syn::parse_quote!(()),
    };
    let body = model.params.iter().find(|p| matches!(p.role, Role::Body));
    if let Some(b) = body {
        let ty = match &b.ty {
            syn::Type::Reference(r) => (*r.elem).clone(),
            other => other.clone(),
        };
        setters_meta
            .extend(quote_spanned!(ty.span()=> .request_body(<#ty as #krate::RequestBody>::META)));
    }
    let body_arg = match body {
        Some(b) => {
            let ident = &b.ident;
            match &b.ty {
                syn::Type::Reference(_) => quote!(::core::option::Option::Some(#ident)),
                _ => quote!(::core::option::Option::Some(&#ident)),
            }
        }
        None => quote!(::core::option::Option::None::<&()>),
    };
    // Query options and headers the declaration takes as parameters are set on the call.
    let setters = model.params.iter().filter_map(|param| {
        let ident = &param.ident;
        match param.role {
            Role::Query { by_value: true } => Some(quote!(.query(&#ident))),
            Role::Query { by_value: false } => Some(quote!(.query(#ident))),
            Role::Headers => Some(quote!(.headers(#ident))),
            Role::Path | Role::Body => None,
        }
    });
    let pieces = model.segments.iter().map(|segment| match segment {
        Segment::Literal(text) => quote!(#p::Piece::Literal(#text)),
        Segment::Placeholder { name, quoted } => {
            let ident = format_ident!("{}", placeholder_argument(name));
            let param = ident.to_string();
            let variant = if *quoted {
                quote!(QuotedSegment)
            } else {
                quote!(Segment)
            };
            quote!(#p::Piece::#variant(#param, #p::PathSegment::path_segment(&#ident)))
        }
    });
    let parts = model.segments.iter().map(|segment| match segment {
        Segment::Literal(text) => quote!(#krate::meta::PathPart::Literal(#text)),
        Segment::Placeholder { name, quoted } => {
            quote!(#krate::meta::PathPart::Parameter { name: #name, quoted: #quoted })
        }
    });
    let doc = format!(
        " `{} {}{template}`",
        model.method.map_or("GET", |m| m.name()),
        if model.beta { "/beta" } else { "" }
    );
    let permission_doc = permissions_doc(model);
    let no_content_doc = no_content_doc(model, &response);
    let example_doc = example_doc(model);
    let shape = quote_spanned!(response.span()=> <#response as #krate::FromResponse>::SHAPE);
    let call = quote_spanned!(response.span()=>
        #p::call(#krate::GraphApi::graph_client(self), &ENDPOINT, &[#(#pieces),*], #body_arg, <#response as #krate::FromResponse>::from_response)
    );
    // The declared `async fn … -> Result<T>` becomes `fn … -> Call<T>`: a future that sends
    // when awaited, and takes `.query(…)` and `.header(…)` before that.
    let mut sig = sig.clone();
    sig.asyncness = None;
    sig.output = syn::parse_quote_spanned!(response.span()=> -> #krate::Call<#response>);
    quote! {
        #(#attrs)*
        ///
        #[doc = #doc]
        ///
        #[doc = #permission_doc]
        #no_content_doc
        ///
        #[doc = #example_doc]
        #[inline]
        #vis #sig {
            static ENDPOINT: #krate::meta::Endpoint = #krate::meta::Endpoint::new(
                #operation,
                #krate::meta::HttpMethod::#method,
                #template,
                &[#(#parts),*],
                #krate::ApiVersion::#version,
                #shape,
            )
            #setters_meta;
            #p::inventory::submit! { #p::Registered(&ENDPOINT) }
            #call #(#setters)*
        }
    }
}

fn permissions_doc(model: &EndpointModel) -> String {
    let list = |items: &[syn::LitStr]| {
        if items.is_empty() {
            "not supported".to_string()
        } else {
            items
                .iter()
                .map(|s| format!("`{}`", s.value()))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    format!(
        " Permissions (least privileged first): delegated {}; application {}.",
        list(&model.delegated),
        list(&model.application)
    )
}

/// For an update that may answer `204 No Content`: what `None` means.
fn no_content_doc(model: &EndpointModel, response: &syn::Type) -> TokenStream {
    let is_update = matches!(model.method, Some(Method::Patch | Method::Put));
    let is_option = matches!(response, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Option"));
    if is_update && is_option {
        quote! {
            ///
            /// Returns `None` when Graph applied the update without returning the resource
            /// (`204 No Content`); the server's state is then not known from this answer.
        }
    } else {
        TokenStream::new()
    }
}

/// A usage line built from the signature, shown as the method's example.
fn example_doc(model: &EndpointModel) -> String {
    let args: Vec<String> = model
        .params
        .iter()
        .map(|p| match &p.ty {
            syn::Type::Reference(_) => format!("&{}", p.ident),
            _ => p.ident.to_string(),
        })
        .collect();
    let options = if matches!(model.method, Some(Method::Get)) {
        " Query options go before `.await`: `.query(&Query::new().select([\"id\"]))`."
    } else {
        ""
    };
    let receiver = model
        .example_receiver
        .as_ref()
        .map_or_else(|| "api".to_owned(), LitStr::value);
    format!(
        " Example: `let result = {receiver}.{}({}).await?;`{options}",
        model.decl.sig.ident,
        args.join(", ")
    )
}

/// After errors: the signature with a body that type-checks, so only the real errors show.
pub fn stub(model: &EndpointModel) -> TokenStream {
    let decl = &model.decl;
    let (attrs, vis, sig) = (&decl.attrs, &decl.vis, &decl.sig);
    quote! {
        #(#attrs)*
        #[allow(unused_variables)]
        #vis #sig { ::core::unreachable!() }
    }
}
