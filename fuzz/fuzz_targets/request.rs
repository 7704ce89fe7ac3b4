//! Arbitrary `GenerateRequest` bytes → decode → the server's conversion → planning and, when
//! planned, the first records: never a panic, every refusal a `ServiceError` with a sentence.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| testdata_fuzz::request(data));
