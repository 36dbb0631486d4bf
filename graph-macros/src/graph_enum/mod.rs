//! `#[graph_enum]`: parse -> model -> validate -> codegen. A Graph enum as member-name strings,
//! with a catch-all variant that keeps values this crate does not know and round-trips them.

mod codegen;
mod model;
mod validate;

use proc_macro2::TokenStream;

use crate::common::Errors;

pub fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let item: syn::DeriveInput = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(error) => return error.to_compile_error(),
    };
    let Some(model) = model::build(args, item, &mut errors) else {
        let errors = errors.to_compile_errors();
        return quote::quote!(#errors #input);
    };
    validate::validate(&model, &mut errors);
    if errors.is_empty() {
        codegen::expand(&model)
    } else {
        let errors = errors.to_compile_errors();
        let stub = codegen::stub(&model);
        quote::quote!(#errors #stub)
    }
}
