//! `#[derive(TestData)]` — see the `testdata` crate.
