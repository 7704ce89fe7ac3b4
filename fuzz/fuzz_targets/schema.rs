//! A runtime schema as JSON → compile → 10 records → every record validates against it.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| testdata_fuzz::schema(data));
