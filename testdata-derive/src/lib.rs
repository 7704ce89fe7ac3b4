//! `#[derive(TestData)]` — see the `testdata` crate for the attribute grammar.
//!
//! * `ast.rs` — the parsed model of the input;
//! * `attr.rs` — `#[testdata(...)]` parsing;
//! * `valid.rs` — resolves each field into an explicit plan and rejects bad combinations
//!   with errors spanned on the offending attribute;
//! * `expand.rs` — emits the `TestData` impl, the schema and the builder;
//! * `infer.rs`, `kinds.rs` — the compile-time copies of the engine's inference tables (a test
//!   in the `testdata` crate keeps them equal to the runtime ones).

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
