//! What `#[graph_polymorphic]` understood: the base type and one subtype per variant.

use proc_macro2::TokenStream;

use crate::common::{CRATE, Errors, OptionSet, Spec, parse_args};

pub struct FamilyModel {
    pub attrs: Vec<syn::Attribute>,
    pub vis: syn::Visibility,
    pub ident: syn::Ident,
    /// `None` when missing (reported by validation) or unreadable.
    pub base: Option<syn::Type>,
    /// The option list could not be read (so a missing `base` is not news).
    pub args_failed: bool,
    pub krate: syn::Path,
    pub variants: Vec<Variant>,
}

pub struct Variant {
    pub attrs: Vec<syn::Attribute>,
    pub ident: syn::Ident,
    /// The wrapped subtype; `None` when the variant is not `Name(Subtype)`.
    pub subtype: Option<syn::Type>,
}

const BASE: &str = "base";
const OPTIONS: &[Spec] = &[
    Spec {
        name: BASE,
        form: "base = BaseType",
    },
    CRATE,
];

pub fn build(
    args: TokenStream,
    item: syn::DeriveInput,
    errors: &mut Errors,
) -> Option<FamilyModel> {
    let mut base = None;
    let mut set = OptionSet::new("graph_polymorphic option", OPTIONS);
    let krate = parse_args(args, &mut set, errors, |_, meta| {
        base = Some(meta.value()?.parse()?);
        Ok(())
    });
    let syn::Data::Enum(data) = &item.data else {
        errors.at(
            &item.ident,
            "#[graph_polymorphic] goes on an enum with one tuple variant per subtype, e.g. `Android(AndroidCompliancePolicy)`",
        );
        return None;
    };
    let variants = data
        .variants
        .iter()
        .map(|variant| Variant {
            attrs: variant.attrs.clone(),
            ident: variant.ident.clone(),
            subtype: match &variant.fields {
                syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => Some(f.unnamed[0].ty.clone()),
                _ => None,
            },
        })
        .collect();
    Some(FamilyModel {
        attrs: item.attrs.clone(),
        vis: item.vis.clone(),
        ident: item.ident.clone(),
        base,
        args_failed: set.failed,
        krate,
        variants,
    })
}
