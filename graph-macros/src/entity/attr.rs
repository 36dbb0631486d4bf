//! Parsing `#[graph_entity(...)]` and the field options `#[graph(...)]`.

use proc_macro2::{Span, TokenStream};
use syn::{Attribute, LitStr};

use crate::common::{CRATE, Errors, OptionSet, Spec, name_span, parse_args, parse_graph_attrs};

/// The options of `#[graph_entity(...)]`.
pub struct EntityArgs {
    pub odata_type: Option<LitStr>,
    /// An action's parameter object: no `@odata.type` on the wire.
    pub parameters: Option<Span>,
    /// Where generated code finds the runtime.
    pub krate: syn::Path,
    /// The option list itself was malformed (so a missing `odata_type` is not news).
    pub malformed: bool,
}

const ODATA_TYPE: &str = "odata_type";
const PARAMETERS: &str = "parameters";

const ENTITY_OPTIONS: &[Spec] = &[
    Spec {
        name: ODATA_TYPE,
        form: "odata_type = \"#microsoft.graph.…\"",
    },
    Spec {
        name: PARAMETERS,
        form: "parameters",
    },
    CRATE,
];

pub fn parse_entity_args(tokens: TokenStream, errors: &mut Errors) -> EntityArgs {
    let mut odata_type = None;
    let mut parameters = None;
    let mut set = OptionSet::new("graph_entity option", ENTITY_OPTIONS);
    let krate = parse_args(tokens, &mut set, errors, |name, meta| {
        if name == ODATA_TYPE {
            odata_type = Some(meta.value()?.parse()?);
        } else {
            parameters = Some(name_span(meta));
        }
        Ok(())
    });
    EntityArgs {
        odata_type,
        parameters,
        krate,
        malformed: set.failed,
    }
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

const RENAME: &str = "rename";
const READ_ONLY: &str = "read_only";
const SECRET: &str = "secret";
const BASE: &str = "base";
const NAVIGATION: &str = "navigation";

const FIELD_OPTIONS: &[Spec] = &[
    Spec {
        name: RENAME,
        form: "rename = \"…\"",
    },
    Spec {
        name: READ_ONLY,
        form: "read_only",
    },
    Spec {
        name: SECRET,
        form: "secret",
    },
    Spec {
        name: BASE,
        form: "base",
    },
    Spec {
        name: NAVIGATION,
        form: "navigation",
    },
];

pub fn parse_field_args(attrs: &[Attribute], errors: &mut Errors) -> FieldArgs {
    let mut args = FieldArgs::default();
    let mut set = OptionSet::new("field option", FIELD_OPTIONS);
    parse_graph_attrs(attrs, &mut set, errors, |name, meta| {
        match name {
            RENAME => args.rename = Some(meta.value()?.parse()?),
            READ_ONLY => args.read_only = Some(name_span(meta)),
            SECRET => args.secret = true,
            BASE => args.base = Some(name_span(meta)),
            _ => args.navigation = true,
        }
        Ok(())
    });
    args
}
