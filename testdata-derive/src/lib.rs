//! `#[derive(TestData)]` — see the `testdata` crate for the attribute grammar.
//!
//! * `ast.rs` — the parsed model of the input;
//! * `attr.rs` — `#[testdata(...)]` parsing;
//! * `valid.rs` — resolves each field into an explicit plan and rejects bad combinations
//!   with errors spanned on the offending attribute;
//! * `expand.rs` — emits the `TestData` impl, the schema and the builder; the emitted code
//!   calls the engine through `testdata::__private`, never through its documented API's
//!   internals.
//!
//! The rules shared with the engine (kind names and bounds, inference from field names, the
//! defaults of open ranges, decimal rounding, date bounds, locale tags) come from the
//! `testdata-core` crate, which the engine uses too. Design notes: `docs/derive.md`.

mod ast;
mod attr;
mod expand;
mod valid;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives `testdata::TestData`. See the `testdata` crate docs.
#[proc_macro_derive(TestData, attributes(testdata))]
pub fn derive_test_data(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input).unwrap_or_else(|e| e.to_compile_error()).into()
}
