//! `#[graph_entity]`: parse -> model -> validate -> codegen.

mod attr;
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
        // Not a struct we can model: show the errors and keep the item so nothing else breaks.
        let errors = errors.to_compile_errors();
        return quote::quote!(#errors #input);
    };
    validate::validate(&model, &mut errors);
    let item = codegen::struct_item(&model);
    if errors.is_empty() {
        let impls = codegen::expand(&model);
        quote::quote!(#item #impls)
    } else {
        // The struct and stub impls, so uses of it type-check and only these errors show.
        let errors = errors.to_compile_errors();
        let stub = codegen::stub(&model);
        quote::quote!(#errors #item #stub)
    }
}
