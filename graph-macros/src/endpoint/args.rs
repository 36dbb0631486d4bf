//! Parsing `#[graph_endpoint(METHOD, "/path", option = value, …)]`.

use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Expr, Ident, LitStr, MetaNameValue, Token};

/// The attribute's arguments, before validation.
pub struct EndpointArgs {
    pub method: Ident,
    pub path: Option<LitStr>,
    pub options: Vec<MetaNameValue>,
}

impl Parse for EndpointArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.is_empty() {
            return Err(input.error(
                "expected an HTTP method and a path, e.g. #[graph_endpoint(GET, \"/deviceManagement/deviceCompliancePolicies\")]",
            ));
        }
        if input.peek(LitStr) {
            return Err(input.error(
                "expected the HTTP method first (GET, POST, PATCH, PUT or DELETE), then the path",
            ));
        }
        let method: Ident = input.parse()?;
        if input.is_empty() {
            return Err(syn::Error::new(
                method.span(),
                "missing path: expected a string literal after the method, e.g. \"/deviceManagement/deviceCompliancePolicies\"",
            ));
        }
        input.parse::<Token![,]>()?;
        let path = if input.peek(LitStr) {
            Some(input.parse::<LitStr>()?)
        } else if input.peek(syn::Ident) && input.peek2(Token![=]) {
            return Err(input.error("missing path: expected a string literal after the method"));
        } else {
            let expr: Expr = input.parse()?;
            return Err(syn::Error::new_spanned(
                expr,
                "the path must be a string literal, e.g. \"/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}\"",
            ));
        };
        let mut options = Vec::new();
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
            let rest: Punctuated<MetaNameValue, Token![,]> = Punctuated::parse_terminated(input)?;
            options.extend(rest);
        }
        Ok(Self {
            method,
            path,
            options,
        })
    }
}
