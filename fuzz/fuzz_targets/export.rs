//! Records with arbitrary strings → CSV read back by the `csv` crate, SQL (SQLite dialect)
//! executed by SQLite: the values come back exactly.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| testdata_fuzz::export(data));
