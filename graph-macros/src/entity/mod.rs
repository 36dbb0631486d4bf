//! `#[graph_entity]`: parse -> model -> validate -> codegen.

mod attr;
mod codegen;
mod model;
mod validate;

use crate::common::Stages;

/// The macro's stages, run by its entry point in `lib.rs`.
pub const STAGES: Stages<model::EntityModel> = Stages {
    build: model::build,
    validate: validate::validate,
    codegen: codegen::expand,
    stub: codegen::stub,
};
