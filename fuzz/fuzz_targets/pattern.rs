//! A regex constraint with length bounds → generated strings match it (checked by the
//! `regex` crate, independently of the engine's own matcher) and respect the bounds.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| testdata_fuzz::pattern(data));
