//! Golden output: the first records of a few seeds are checked in under `tests/golden/`.
//! A difference is a breaking change of the output contract: if it is intended, regenerate
//! with `TESTDATA_BLESS=1 cargo test --test golden` and record it in CHANGELOG.md.

use std::path::PathBuf;

use serde_json::{Value, json};
use testdata::Seed;
use testdata_suite::{SCHEMAS, schema};

fn check(name: &str, actual: Value) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(format!("{name}.json"));
    let text = serde_json::to_string_pretty(&actual).unwrap() + "\n";
    if std::env::var_os("TESTDATA_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with TESTDATA_BLESS=1 to create it", path.display()));
    assert!(
        expected == text,
        "{name}: generated output differs from {} — a breaking change of the output contract \
         (see the file's docs)\n--- expected\n{expected}\n--- actual\n{text}",
        path.display()
    );
}

#[test]
fn schema_records_are_pinned() {
    for (name, _) in SCHEMAS {
        let s = schema(name);
        let mut out = serde_json::Map::new();
        for seed in [Seed::new(1), Seed::new(42), Seed::from("golden")] {
            out.insert(seed.to_string(), json!(s.batch(seed, 3).unwrap()));
        }
        check(&format!("schema_{name}"), Value::Object(out));
    }
}

#[test]
fn kinds_are_pinned() {
    use testdata::kinds::{Kind, Scope};
    use testdata::{Context, Key, Locale};
    let mut out = serde_json::Map::new();
    for &locale in Locale::ALL {
        let ctx = Context::default().with_locale(locale);
        let mut m = serde_json::Map::new();
        for &kind in Kind::ALL {
            let key = Key::root(Seed::new(7), testdata::seed::name_key("golden"), 0);
            let scope = Scope::new(key, &ctx);
            let v = kind.generate(&mut key.field(testdata::seed::name_key(kind.name())), &scope);
            m.insert(kind.name().to_string(), json!(v));
        }
        out.insert(locale.tag().to_string(), Value::Object(m));
    }
    check("kinds", Value::Object(out));
}
