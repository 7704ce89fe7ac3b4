//! An ID template (`format`) → parse → renderings match the template.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| testdata_fuzz::template(data));
