//! Intune's device-compliance API (Microsoft Graph v1.0), declared with the graph macros.

pub mod model;

pub use model::*;
