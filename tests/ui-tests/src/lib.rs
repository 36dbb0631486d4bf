//! The macros' compile-time behaviour lives in `tests/ui.rs` and the cases in `ui/`; this
//! library is empty.
