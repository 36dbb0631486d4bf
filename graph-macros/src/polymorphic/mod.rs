//! `#[graph_polymorphic(base = Base)]`: parse -> model -> validate -> codegen. A family of
//! subtypes decoded by `@odata.type`.

mod codegen;
mod model;
mod validate;

use crate::common::Stages;

/// The macro's stages, run by its entry point in `lib.rs`.
pub const STAGES: Stages<model::FamilyModel> = Stages {
    build: model::build,
    validate: validate::validate,
    codegen: codegen::expand,
    stub: codegen::stub,
};
