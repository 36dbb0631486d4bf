//! Cross-crate tests live in `tests/`. This library only compiles the README's code
//! blocks as doctests, so the README cannot drift from the API.

#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
