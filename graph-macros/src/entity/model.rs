//! What `#[graph_entity]` understood of the struct.

use syn::{Attribute, Ident, LitStr, Type, Visibility};

use super::attr::{FieldArgs, parse_entity_args, parse_field_args};
use crate::common::{Errors, check_foreign_attrs, field_wire_name};

pub struct EntityModel {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub ident: Ident,
    pub odata_type: Option<LitStr>,
    pub parameters: Option<proc_macro2::Span>,
    pub args_malformed: bool,
    /// Where generated code finds the runtime.
    pub krate: syn::Path,
    pub fields: Vec<FieldModel>,
}

pub struct FieldModel {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub ident: Ident,
    pub ty: Type,
    pub json_name: String,
    /// The token the JSON name came from, for error spans.
    pub name_span: proc_macro2::Span,
    pub args: FieldArgs,
}

impl EntityModel {
    /// The `#[graph(base)]` field (validation allows at most one): a subtype's inherited
    /// properties, and where its unknown members live.
    pub fn base_field(&self) -> Option<&FieldModel> {
        self.fields.iter().find(|f| f.args.base.is_some())
    }
}

impl FieldModel {
    pub fn is_read_only(&self) -> bool {
        self.args.read_only.is_some() || self.json_name == "id"
    }
}

/// Traits the macro implements, which a user's derive must not repeat.
pub const GENERATED_TRAITS: &[&str] = &[
    "Debug",
    "Clone",
    "Default",
    "PartialEq",
    "Serialize",
    "Deserialize",
];

pub fn build(
    args: proc_macro2::TokenStream,
    item: syn::DeriveInput,
    errors: &mut Errors,
) -> Option<EntityModel> {
    let args = parse_entity_args(args, errors);
    let named = match &item.data {
        syn::Data::Struct(data) => match &data.fields {
            syn::Fields::Named(named) => Some(named),
            _ => {
                errors.at(
                    &item.ident,
                    "#[graph_entity] needs a struct with named fields, one per Graph property; tuple and unit structs have no property names",
                );
                None
            }
        },
        syn::Data::Enum(data) => {
            errors.at(
                data.enum_token,
                "#[graph_entity] goes on a struct; for a Graph enum use #[graph_enum], for a family of subtypes use #[graph_polymorphic]",
            );
            None
        }
        syn::Data::Union(data) => {
            errors.at(
                data.union_token,
                "#[graph_entity] goes on a struct with named fields, not a union",
            );
            None
        }
    }?;
    if !item.generics.params.is_empty() {
        errors.at(
            &item.generics,
            "a Graph entity cannot be generic; declare one struct per Graph type",
        );
    }
    check_foreign_attrs(&item.attrs, GENERATED_TRAITS, errors);
    let fields = named
        .named
        .iter()
        .filter_map(|field| {
            let ident = field.ident.clone()?;
            check_foreign_attrs(&field.attrs, &[], errors);
            let args = parse_field_args(&field.attrs, errors);
            let (json_name, name_span) = match &args.rename {
                Some(lit) => (lit.value(), lit.span()),
                None => (field_wire_name(&ident.to_string()), ident.span()),
            };
            Some(FieldModel {
                attrs: passthrough_attrs(&field.attrs),
                vis: field.vis.clone(),
                ident,
                ty: field.ty.clone(),
                json_name,
                name_span,
                args,
            })
        })
        .collect();
    Some(EntityModel {
        attrs: crate::common::without_generated_derives(
            &passthrough_attrs(&item.attrs),
            GENERATED_TRAITS,
        ),
        vis: item.vis,
        ident: item.ident,
        odata_type: args.odata_type,
        parameters: args.parameters,
        args_malformed: args.malformed,
        krate: args.krate,
        fields,
    })
}

/// The user's attributes minus ours and serde's (already reported), kept on the output.
fn passthrough_attrs(attrs: &[Attribute]) -> Vec<Attribute> {
    attrs
        .iter()
        .filter(|a| !a.path().is_ident("graph") && !a.path().is_ident("serde"))
        .cloned()
        .collect()
}
