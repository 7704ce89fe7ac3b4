//! Misuse of `#[derive(TestData)]` is a compile error spanned on the attribute at fault.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
