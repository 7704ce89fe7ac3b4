//! A set of schemas that may refer to each other (`ref`): an order's `customer_id` taken from
//! the users of the same seed. Loaded together, in dependency order.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::Schema;
use super::def::{FieldDef, SchemaDef};
use crate::Context;
use crate::error::SchemaError;

/// Why a set of schemas could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    /// One schema is invalid (the source names the file or label it came from).
    #[error("{source_name}: {error}")]
    Schema {
        /// Where the schema came from (a file name or label).
        source_name: String,
        /// What is wrong with it.
        #[source]
        error: SchemaError,
    },
    /// Two schemas have the same name.
    #[error("schema `{name}` is defined twice ({first} and {second}); names must be unique")]
    Duplicate {
        /// The schema name.
        name: String,
        /// Where it was first defined.
        first: String,
        /// Where it was defined again.
        second: String,
    },
    /// References that point to no loaded schema, or form a cycle.
    #[error("schemas {names:?} refer to entities that are not loaded or refer to each other in a cycle")]
    Unresolved {
        /// The schemas that could not be loaded.
        names: Vec<String>,
    },
}

/// Schemas by name, able to resolve `ref`s between them.
///
/// ```
/// use testdata::schema::Catalogue;
/// let mut c = Catalogue::new();
/// c.load([
///     ("order.json".to_string(), r#"{"name": "order", "fields": [
///         {"name": "customer_id", "ref": {"entity": "user", "field": "user_id", "count": 100}}]}"#.to_string()),
///     ("user.json".to_string(), r#"{"name": "user", "fields": [
///         {"name": "user_id", "format": "USR-{digits:7}", "unique": true}]}"#.to_string()),
/// ]).unwrap();
/// let order = c.get("order").unwrap().nth(1, 0).unwrap();
/// let users: Vec<_> = (0..100).map(|j| c.get("user").unwrap().nth(1, j).unwrap()["user_id"].clone()).collect();
/// assert!(users.contains(&order["customer_id"]));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    schemas: BTreeMap<String, Arc<Schema>>,
    sources: BTreeMap<String, String>,
    ctx: Context,
}

fn refs(fields: &[FieldDef], out: &mut BTreeSet<String>) {
    for f in fields {
        if let Some(r) = &f.reference {
            out.insert(r.entity.clone());
        }
        if let Some(sub) = &f.fields {
            refs(sub, out);
        }
        if let Some(item) = &f.items {
            refs(std::slice::from_ref(item), out);
        }
    }
}

impl Catalogue {
    /// An empty catalogue with the default context.
    pub fn new() -> Catalogue {
        Catalogue::default()
    }

    /// An empty catalogue whose schemas use `ctx`.
    pub fn with_context(ctx: Context) -> Catalogue {
        Catalogue { ctx, ..Catalogue::default() }
    }

    /// Loads schemas from `(source name, JSON text)` pairs, in dependency order.
    /// Nothing is added when any of them fails.
    pub fn load(
        &mut self,
        sources: impl IntoIterator<Item = (String, String)>,
    ) -> Result<(), CatalogueError> {
        let mut pending: Vec<(String, SchemaDef)> = Vec::new();
        let mut seen: BTreeMap<String, String> = self.sources.clone();
        for (source, text) in sources {
            let def: SchemaDef = serde_json::from_str(&text).map_err(|e| CatalogueError::Schema {
                source_name: source.clone(),
                error: SchemaError::Json(e),
            })?;
            if let Some(first) = seen.insert(def.name.clone(), source.clone()) {
                return Err(CatalogueError::Duplicate { name: def.name, first, second: source });
            }
            pending.push((source, def));
        }
        let mut next = self.clone();
        while !pending.is_empty() {
            let before = pending.len();
            let mut i = 0;
            while i < pending.len() {
                let mut needs = BTreeSet::new();
                refs(&pending[i].1.fields, &mut needs);
                if needs.iter().all(|n| next.schemas.contains_key(n)) {
                    let (source, def) = pending.remove(i);
                    let name = def.name.clone();
                    let schema = next
                        .compile(def)
                        .map_err(|error| CatalogueError::Schema { source_name: source.clone(), error })?;
                    next.schemas.insert(name.clone(), Arc::new(schema));
                    next.sources.insert(name, source);
                } else {
                    i += 1;
                }
            }
            if pending.len() == before {
                // Compile one anyway to get its precise error (an unknown entity names itself).
                let (source, def) = pending.remove(0);
                if let Err(error) = next.compile(def.clone()) {
                    let unresolved = pending.iter().all(|(_, d)| {
                        let mut n = BTreeSet::new();
                        refs(&d.fields, &mut n);
                        !n.contains(&def.name)
                    });
                    if unresolved {
                        return Err(CatalogueError::Schema { source_name: source, error });
                    }
                }
                let mut names: Vec<String> = pending.iter().map(|(_, d)| d.name.clone()).collect();
                names.insert(0, def.name);
                return Err(CatalogueError::Unresolved { names });
            }
        }
        *self = next;
        Ok(())
    }

    /// Compiles a schema whose `ref`s resolve against this catalogue, without adding it
    /// (per-request schemas).
    pub fn compile(&self, def: SchemaDef) -> Result<Schema, SchemaError> {
        let resolve = |name: &str| self.schemas.get(name).cloned();
        Schema::compile_with(def, self.ctx.clone(), &resolve, false)
    }

    /// [`Catalogue::compile`] for a schema whose fixed values break its rules on purpose
    /// (scenario overrides such as `subtotal = -3`): its computed fields are not checked
    /// against their `min`/`max`, neither at load nor when generated, so its records can
    /// break those bounds and [`Schema::validate`] reports it.
    pub fn compile_overridden(&self, def: SchemaDef) -> Result<Schema, SchemaError> {
        let resolve = |name: &str| self.schemas.get(name).cloned();
        Schema::compile_with(def, self.ctx.clone(), &resolve, true)
    }

    /// The schema called `name`.
    pub fn get(&self, name: &str) -> Option<&Arc<Schema>> {
        self.schemas.get(name)
    }

    /// Where the schema called `name` was loaded from.
    pub fn source(&self, name: &str) -> Option<&str> {
        self.sources.get(name).map(String::as_str)
    }

    /// The schema names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.schemas.keys().map(String::as_str)
    }

    /// The schemas, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<Schema>> {
        self.schemas.values()
    }

    /// The number of schemas.
    pub fn len(&self) -> usize {
        self.schemas.len()
    }

    /// Whether there are no schemas.
    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty()
    }

    /// The context the schemas use.
    pub fn context(&self) -> &Context {
        &self.ctx
    }
}
