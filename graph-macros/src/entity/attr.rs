//! Parsing `#[graph_entity(...)]` and the field options `#[graph(...)]`.

use proc_macro2::Span;
use syn::parse::Parser;
use syn::{Attribute, LitStr};

use crate::common::{Errors, suggestion};

/// The options of `#[graph_entity(...)]`.
#[derive(Default)]
pub struct EntityArgs {
    pub odata_type: Option<LitStr>,
    /// An action's parameter object: no `@odata.type` on the wire.
    pub parameters: Option<proc_macro2::Span>,
    /// The option list itself was malformed (so a missing `odata_type` is not news).
    pub malformed: bool,
}

const ENTITY_OPTIONS: &[&str] = &["odata_type", "parameters"];

pub fn parse_entity_args(tokens: proc_macro2::TokenStream, errors: &mut Errors) -> EntityArgs {
    let mut args = EntityArgs::default();
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("odata_type") {
            if args.odata_type.is_some() {
                return Err(meta.error("`odata_type` is given twice"));
            }
            args.odata_type = Some(meta.value()?.parse()?);
            Ok(())
        } else if meta.path.is_ident("parameters") {
            args.parameters = Some(
                meta.path
                    .get_ident()
                    .map_or_else(Span::call_site, |i| i.span()),
            );
            Ok(())
        } else {
            let name = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            Err(meta.error(format!(
                "unknown graph_entity option `{name}`; expected `odata_type = \"#microsoft.graph.…\"` or `parameters`{}",
                suggestion(&name, ENTITY_OPTIONS)
            )))
        }
    });
    if let Err(error) = parser.parse2(tokens) {
        errors.push(error);
        args.malformed = true;
    }
    args
}

/// The options of `#[graph(...)]` on one field.
#[derive(Default)]
pub struct FieldArgs {
    pub rename: Option<LitStr>,
    pub read_only: Option<Span>,
    pub secret: bool,
    pub base: Option<Span>,
    pub navigation: bool,
}

const FIELD_OPTIONS: &[&str] = &["rename", "read_only", "secret", "base", "navigation"];

pub fn parse_field_args(attrs: &[Attribute], errors: &mut Errors) -> FieldArgs {
    let mut args = FieldArgs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("graph")) {
        let result = attr.parse_nested_meta(|meta| {
            let name = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
            match name.as_str() {
                "rename" => args.rename = Some(meta.value()?.parse()?),
                "read_only" => args.read_only = Some(meta.path.get_ident().map_or_else(Span::call_site, |i| i.span())),
                "secret" => args.secret = true,
                "navigation" => args.navigation = true,
                "base" => args.base = Some(meta.path.get_ident().map_or_else(Span::call_site, |i| i.span())),
                _ => {
                    return Err(meta.error(format!(
                        "unknown field option `{name}`; expected one of `rename = \"…\"`, `read_only`, `secret`, `base`, `navigation`{}",
                        suggestion(&name, FIELD_OPTIONS)
                    )));
                }
            }
            Ok(())
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
    args
}
