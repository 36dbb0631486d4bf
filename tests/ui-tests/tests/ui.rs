//! Compile-time behaviour of the macros: what must compile, and the exact errors for misuse.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/entity/*.rs");
    t.compile_fail("ui/endpoint/*.rs");
}
