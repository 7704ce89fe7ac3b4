//! A runtime schema as JSON → compile → 10 records → every record validates against it.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(schema) = testdata::Schema::from_json(text) else { return };
    for i in 0..10 {
        // A generation error (e.g. a unique field out of values) is an answer, not a bug.
        let Ok(record) = schema.nth(7u64, i) else { return };
        if let Err(v) = schema.validate(&record) {
            panic!("record {i} of a schema it was generated from does not validate: {v}\nschema: {text}\nrecord: {record}");
        }
    }
});
