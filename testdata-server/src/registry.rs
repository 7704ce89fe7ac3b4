//! The schema registry: the built-in catalogue (every `schemas/**/*.json` of this crate,
//! compiled into the binary), plus the files of `--schemas-dir`, loaded once at start.
//!
//! The registry is immutable after start: per-request schemas (`inline_schema`,
//! `custom_schema`, `schema.fields`) are compiled for their request only and never registered,
//! so one request's schema can neither leak into nor collide with another's.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};
use testdata::schema::{Catalogue, CatalogueError, SchemaDef};
use testdata::{Schema, SchemaError};

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
    /// Two files define the same entity.
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

/// The registered schemas by entity name: a [`Catalogue`], so `ref`s between entities
/// resolve (an order's `customer_id` drawn from the users of the same seed), also from
/// per-request schemas compiled with [`Registry::compile`].
#[derive(Debug, Clone, Default)]
pub struct Registry {
    catalogue: Catalogue,
}

impl Registry {
    /// The built-in catalogue only.
    pub fn builtin() -> Result<Registry, RegistryError> {
        Registry::load(None)
    }

    /// The built-in catalogue plus every `*.json` under `dir` (recursively). Two files with
    /// the same entity name are an error naming both.
    pub fn load(dir: Option<&Path>) -> Result<Registry, RegistryError> {
        let mut sources = Vec::new();
        for (path, text) in builtin::BUILTIN_SCHEMAS {
            sources.push((format!("builtin:{path}"), (*text).to_owned()));
        }
        if let Some(dir) = dir {
            let mut files = Vec::new();
            collect(dir, &mut files)
                .map_err(|source| RegistryError::Io { file: dir.display().to_string(), source })?;
            files.sort();
            for file in files {
                let name = file.display().to_string();
                let text = std::fs::read_to_string(&file)
                    .map_err(|source| RegistryError::Io { file: name.clone(), source })?;
                sources.push((name, text));
            }
        }
        // Normalise the old dict format, and report JSON errors with the file name.
        let mut normalised = Vec::with_capacity(sources.len());
        for (file, text) in sources {
            let def = parse_schema_text(&text)
                .and_then(|def| crate::limits::check_reserved_names(&def).map(|()| def))
                .map_err(|message| RegistryError::Invalid { file: file.clone(), message })?;
            let text = serde_json::to_string(&def)
                .map_err(|e| RegistryError::Invalid { file: file.clone(), message: e.to_string() })?;
            normalised.push((file, text));
        }
        let mut catalogue = Catalogue::new();
        catalogue.load(normalised).map_err(|e| match e {
            CatalogueError::Duplicate { name, first, second } => {
                RegistryError::Duplicate { file: second, name, other: first }
            }
            CatalogueError::Schema { source_name, error } => {
                RegistryError::Invalid { file: source_name, message: error.to_string() }
            }
            other => RegistryError::Invalid { file: "schemas".into(), message: other.to_string() },
        })?;
        Ok(Registry { catalogue })
    }

    /// The schema of `entity`.
    pub fn get(&self, entity: &str) -> Option<&Arc<Schema>> {
        self.catalogue.get(entity)
    }

    /// Where `entity`'s schema was loaded from (`builtin:ecommerce/cart.json` or a path).
    pub fn origin(&self, entity: &str) -> Option<&str> {
        self.catalogue.source(entity)
    }

    /// Compiles a per-request schema whose `ref`s resolve against the registry, without
    /// registering it.
    pub fn compile(&self, def: SchemaDef) -> Result<Schema, SchemaError> {
        self.catalogue.compile(def)
    }

    /// [`Registry::compile`] for a scenario's schema, whose overrides break rules on purpose:
    /// computed fields are not held to their `min`/`max` (the coherence score shows it).
    pub fn compile_overridden(&self, def: SchemaDef) -> Result<Schema, SchemaError> {
        self.catalogue.compile_overridden(def)
    }

    /// Every schema, sorted by name.
    pub fn schemas(&self) -> impl Iterator<Item = &Arc<Schema>> {
        self.catalogue.iter()
    }

    /// The entity names, sorted.
    pub fn names(&self) -> Vec<&str> {
        self.catalogue.names().collect()
    }

    /// Whether a domain has at least one schema.
    pub fn has_domain(&self, domain: &str) -> bool {
        self.catalogue.iter().any(|s| s.def().domain.as_deref() == Some(domain))
    }

    /// How many schemas are registered.
    pub fn len(&self) -> usize {
        self.catalogue.len()
    }

    /// Whether no schema is registered.
    pub fn is_empty(&self) -> bool {
        self.catalogue.is_empty()
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
pub(crate) fn parse_schema_text(text: &str) -> Result<SchemaDef, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        format!("{} (see docs/schema-format.md)", crate::limits::json_error("the schema", &e))
    })?;
    parse_schema_value(value)
}

/// [`parse_schema_text`] of an already parsed value.
pub(crate) fn parse_schema_value(mut value: Value) -> Result<SchemaDef, String> {
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
    serde_json::from_value(value)
        .map_err(|e| format!("{} (see docs/schema-format.md)", crate::limits::json_error("the schema", &e)))
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
            // Faker hints of the dict format that have no meaning here.
            "faker"
            | "min_value"
            | "max_value"
            | "right_digits"
            | "elements"
            | "chance_of_getting_true"
            | "max_nb_chars" => {}
            _ => {
                out.insert(key, value);
            }
        }
    }
    // A dict-format `pattern` may be a template (`product.sku`: `{category}-{random_int:6}`).
    if let Some(Value::String(p)) = out.get("pattern")
        && p.as_bytes().windows(2).any(|w| w[0] == b'{' && w[1].is_ascii_alphabetic())
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

    #[test]
    fn a_schema_file_with_a_bookkeeping_field_name_is_refused_naming_file_and_field() {
        let dir = std::env::temp_dir().join(format!("testdata-reserved-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("x.json");
        std::fs::write(&file, r#"{"name":"x","fields":[{"name":"_scenario","type":"string"}]}"#).unwrap();
        let e = Registry::load(Some(&dir)).unwrap_err().to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(e.contains("x.json") && e.contains("`_scenario`") && e.contains("reserved"), "{e}");
    }
}
