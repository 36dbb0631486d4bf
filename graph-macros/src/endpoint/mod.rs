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

#[cfg(test)]
mod tests {
    use quote::quote;

    /// What `#[graph_endpoint]` writes for the generator's declaration of `syncDevice`.
    fn sync_device(options: proc_macro2::TokenStream) -> String {
        super::expand(
            quote!(POST, "/deviceManagement/managedDevices/{managedDeviceId}/syncDevice", permissions = ["P"] #options),
            quote!(pub async fn sync_device(&self, managed_device_id: &str) -> graphwire_core::Result<()>;),
        )
        .to_string()
    }

    #[test]
    fn operation_and_example_name_the_handler() {
        let out = sync_device(
            quote!(, operation = "managed_devices.sync_device", example = "client.intune().managed_devices()"),
        );
        assert!(
            out.contains(
                "\" Example: `let result = client.intune().managed_devices().sync_device(&managed_device_id).await?;`\""
            ),
            "{out}"
        );
        assert!(
            out.contains("Endpoint :: new (\"managed_devices.sync_device\" ,"),
            "{out}"
        );
    }

    #[test]
    fn without_them_the_method_names_itself() {
        let out = sync_device(quote!());
        assert!(
            out.contains(
                "\" Example: `let result = api.sync_device(&managed_device_id).await?;`\""
            ),
            "{out}"
        );
        assert!(out.contains("Endpoint :: new (\"sync_device\" ,"), "{out}");
    }
}
