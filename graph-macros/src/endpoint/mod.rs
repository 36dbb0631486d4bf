//! `#[graph_endpoint]`: args -> template -> model -> validate -> codegen.

mod args;
mod codegen;
mod model;
mod template;
mod validate;

use proc_macro2::TokenStream;

use crate::common::Errors;

pub fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let decl: model::EndpointFn = match syn::parse2(input) {
        Ok(decl) => decl,
        Err(error) => return error.to_compile_error(),
    };
    let args: args::EndpointArgs = match syn::parse2(args) {
        Ok(args) => args,
        Err(error) => {
            let error = error.to_compile_error();
            let (attrs, vis, sig) = (&decl.attrs, &decl.vis, &decl.sig);
            return quote::quote! {
                #error
                #(#attrs)*
                #[allow(unused_variables)]
                #vis #sig { ::core::unreachable!() }
            };
        }
    };
    let mut errors = Errors::default();
    let model = model::build(args, decl, &mut errors);
    validate::validate(&model, &mut errors);
    if errors.is_empty() {
        codegen::expand(&model)
    } else {
        let errors = errors.to_compile_errors();
        let stub = codegen::stub(&model);
        quote::quote!(#errors #stub)
    }
}
