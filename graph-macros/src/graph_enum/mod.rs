//! `#[graph_enum]`: parse -> model -> validate -> codegen. A Graph enum as member-name strings,
//! with a catch-all variant that keeps values this crate does not know and round-trips them.

mod codegen;
mod model;
mod validate;

use crate::common::Stages;

/// The macro's stages, run by its entry point in `lib.rs`.
pub const STAGES: Stages<model::EnumModel> = Stages {
    build: model::build,
    validate: validate::validate,
    codegen: codegen::expand,
    stub: codegen::stub,
};
