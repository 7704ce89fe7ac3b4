//! The schema registry: the built-in catalogue (every `schemas/**/*.json` of this crate,
//! compiled into the binary), plus the files of `--schemas-dir`, loaded once at start.
//!
//! The registry is immutable after start: per-request schemas (`inline_schema`,
//! `custom_schema`, `schema.fields`) are compiled for their request only and never registered
//! (the old service registered named inline schemas globally, which leaked and collided).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};
use testdata::Schema;
use testdata::schema::SchemaDef;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/schemas.rs"));
}

/// A schema file that cannot be loaded: names the file and the field at fault.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The file cannot be read.
    #[error("schema file `{file}`: cannot read it: {source}")]
    Io {
        /// The file.
        file: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not a valid schema.
    #[error("schema file `{file}`: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// The loader's message (names the field and the rule).
        message: String,
    },
    /// Two files of the same origin define the same entity.
    #[error("schema file `{file}` defines `{name}`, already defined by `{other}`; rename one of them")]
    Duplicate {
        /// The second file.
        file: String,
        /// The entity name.
        name: String,
        /// The first file.
        other: String,
    },
}

/// A registered schema.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The compiled schema.
    pub schema: Arc<Schema>,
    /// Where it came from (`builtin:ecommerce/cart.json` or a file path).
    pub origin: String,
}

/// The registered schemas by entity name.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    entries: BTreeMap<String, Entry>,
}

impl Registry {
    /// The built-in catalogue only.
    pub fn builtin() -> Result<Registry, RegistryError> {
        let mut registry = Registry::default();
        for (path, text) in builtin::BUILTIN_SCHEMAS {
            registry.add(&format!("builtin:{path}"), text, false)?;
        }
        Ok(registry)
    }

    /// The built-in catalogue plus every `*.json` under `dir` (recursively, in path order);
    /// a file may replace a built-in schema of the same name.
    pub fn load(dir: Option<&Path>) -> Result<Registry, RegistryError> {
        let mut registry = Registry::builtin()?;
        if let Some(dir) = dir {
            let mut files = Vec::new();
            collect(dir, &mut files).map_err(|source| RegistryError::Io { file: dir.display().to_string(), source })?;
            files.sort();
            for file in files {
                let name = file.display().to_string();
                let text = std::fs::read_to_string(&file)
                    .map_err(|source| RegistryError::Io { file: name.clone(), source })?;
                registry.add(&name, &text, true)?;
            }
        }
        Ok(registry)
    }

    fn add(&mut self, origin: &str, text: &str, may_replace_builtin: bool) -> Result<(), RegistryError> {
        let def = parse_schema_text(text)
            .map_err(|message| RegistryError::Invalid { file: origin.to_owned(), message })?;
        let schema = Schema::from_def(def)
            .map_err(|e| RegistryError::Invalid { file: origin.to_owned(), message: e.to_string() })?;
        let name = schema.name().to_owned();
        if let Some(prev) = self.entries.get(&name) {
            let replacing_builtin = may_replace_builtin && prev.origin.starts_with("builtin:");
            if !replacing_builtin {
                return Err(RegistryError::Duplicate { file: origin.to_owned(), name, other: prev.origin.clone() });
            }
            tracing::info!(schema = %name, origin, replaced = %prev.origin, "built-in schema replaced");
        }
        self.entries.insert(name, Entry { schema: Arc::new(schema), origin: origin.to_owned() });
        Ok(())
    }

    /// The schema of `entity`.
    pub fn get(&self, entity: &str) -> Option<&Entry> {
        self.entries.get(entity)
    }

    /// Every entry, sorted by name.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values()
    }

    /// The entity names, sorted.
    pub fn names(&self) -> Vec<&str> {
        self.entries.keys().map(String::as_str).collect()
    }

    /// Whether a domain has at least one schema.
    pub fn has_domain(&self, domain: &str) -> bool {
        self.entries.values().any(|e| e.schema.def().domain.as_deref() == Some(domain))
    }

    /// How many schemas are registered.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no schema is registered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(())
}

/// Parses schema JSON text: the testdata schema format (`docs/schema-format.md`), or the old
/// service's dict format (`"fields": {"name": {...}}`, `item_schema`, `regex`, `default`),
/// which is converted. Errors carry the serde message (line, column, the unknown key).
pub fn parse_schema_text(text: &str) -> Result<SchemaDef, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e} (see docs/schema-format.md)"))?;
    parse_schema_value(value)
}

/// [`parse_schema_text`] of an already parsed value.
pub fn parse_schema_value(mut value: Value) -> Result<SchemaDef, String> {
    let Some(obj) = value.as_object_mut() else {
        return Err("a schema is a JSON object with `name` and `fields` (see docs/schema-format.md)".into());
    };
    if obj.get("fields").is_some_and(Value::is_object) {
        let fields = obj.remove("fields").unwrap_or(Value::Null);
        obj.insert("fields".into(), legacy_fields(fields));
        if let Some(rules) = obj.remove("coherence_rules") {
            obj.insert("rules".into(), rules);
        }
    }
    serde_json::from_value(value).map_err(|e| format!("not a valid schema: {e} (see docs/schema-format.md)"))
}

/// Converts the old dict format of fields into the list format.
fn legacy_fields(fields: Value) -> Value {
    match fields {
        Value::Object(map) => Value::Array(
            map.into_iter()
                .map(|(name, def)| {
                    let mut def = legacy_field(def);
                    if let Value::Object(m) = &mut def {
                        m.insert("name".into(), Value::String(name));
                    }
                    def
                })
                .collect(),
        ),
        other => other,
    }
}

fn legacy_field(def: Value) -> Value {
    let Value::Object(map) = def else { return def };
    let mut out = Map::new();
    for (key, value) in map {
        match key.as_str() {
            "regex" => {
                out.insert("pattern".into(), value);
            }
            "fields" => {
                out.insert("fields".into(), legacy_fields(value));
            }
            "item_schema" => {
                out.insert("items".into(), legacy_field(value));
            }
            "default" => {
                out.insert("examples".into(), Value::Array(vec![value]));
            }
            // Hints of the old Faker generator that have no meaning here.
            "faker" | "min_value" | "max_value" | "right_digits" | "elements" | "chance_of_getting_true"
            | "max_nb_chars" => {}
            _ => {
                out.insert(key, value);
            }
        }
    }
    // The old `pattern` of `product.sku` was a template: `{category}-{random_int:6}`.
    if let Some(Value::String(p)) = out.get("pattern")
        && p.contains('{')
        && !p.contains('\\')
        && !out.contains_key("format")
    {
        let p = p.clone();
        out.remove("pattern");
        out.insert("format".into(), Value::String(p));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalogue_loads() {
        let r = Registry::builtin().unwrap();
        assert!(r.get("cart").is_some(), "{:?}", r.names());
        assert!(r.len() >= 4);
    }

    #[test]
    fn legacy_dict_format_converts() {
        let def = parse_schema_text(
            r#"{"name":"thing","domain":"x","description":"d","fields":{
                "id":{"type":"string","format":"T-{random:4}"},
                "tags":{"type":"array","item_schema":{"type":"string"}},
                "code":{"type":"string","regex":"^[A-Z]{3}$","default":"ABC"}}}"#,
        )
        .unwrap();
        let schema = Schema::from_def(def).unwrap();
        let r = schema.nth(1, 0).unwrap();
        assert!(r["id"].as_str().unwrap().starts_with("T-"));
        assert_eq!(r["code"].as_str().unwrap().len(), 3);
    }

    #[test]
    fn invalid_schema_names_the_problem() {
        let e = parse_schema_text(r#"{"name":"x","fields":[{"name":"a","mni":1}]}"#).unwrap_err();
        assert!(e.contains("mni"), "{e}");
    }
}
