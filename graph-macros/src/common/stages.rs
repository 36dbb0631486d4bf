//! The flow every item macro shares: parse the item, build the model (options included),
//! validate it, then emit the code, or the errors followed by a stub that type-checks.

use proc_macro2::TokenStream;

use super::Errors;

/// One macro's stages.
pub struct Stages<M> {
    /// Reads the options and the item; `None` when the item cannot be modelled at all (its
    /// errors are recorded, and the item is kept as written).
    pub build: fn(TokenStream, syn::DeriveInput, &mut Errors) -> Option<M>,
    /// Rules that need the whole model.
    pub validate: fn(&M, &mut Errors),
    /// The item and its impls.
    pub codegen: fn(&M) -> TokenStream,
    /// After errors: the item and impls with bodies that never run.
    pub stub: fn(&M) -> TokenStream,
}

impl<M> Stages<M> {
    /// Runs the stages on a macro's arguments and item.
    pub fn run(&self, args: TokenStream, input: TokenStream) -> TokenStream {
        let mut errors = Errors::default();
        let item: syn::DeriveInput = match syn::parse2(input.clone()) {
            Ok(item) => item,
            Err(error) => return error.to_compile_error(),
        };
        let Some(model) = (self.build)(args, item, &mut errors) else {
            let errors = errors.to_compile_errors();
            return quote::quote!(#errors #input);
        };
        (self.validate)(&model, &mut errors);
        if errors.is_empty() {
            (self.codegen)(&model)
        } else {
            let errors = errors.to_compile_errors();
            let stub = (self.stub)(&model);
            quote::quote!(#errors #stub)
        }
    }
}
