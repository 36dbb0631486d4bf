//! The integration tests' shared helpers and the end-to-end harness, compiled from
//! `tests/tests/common/` (one copy for v1.0's tests and beta's).
#![allow(dead_code, unused_imports)]

#[path = "../../../tests/tests/common/mod.rs"]
mod shared;

pub use shared::*;
