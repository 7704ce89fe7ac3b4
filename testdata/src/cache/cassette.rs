//! Cassettes: a directory of JSONL files, one per entity (`review.jsonl`), one answer per
//! line, human-readable and meant to be checked into a repository. Read at open; an answer
//! is appended when it is first recorded, never rewritten.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use super::{CacheError, Entry, Store, StoreFuture};

/// The cassette directory.
#[derive(Debug)]
pub struct CassetteStore {
    dir: PathBuf,
    entries: Mutex<HashMap<String, Arc<Entry>>>,
}

impl CassetteStore {
    /// Opens `dir` (created when missing) and reads every `*.jsonl` file in it. A line that is
    /// not an entry is an error naming the file and line.
    pub fn open(dir: impl Into<PathBuf>) -> Result<CassetteStore, CacheError> {
        let dir = dir.into();
        let fail = |m: String| CacheError { store: "cassettes".into(), message: m };
        std::fs::create_dir_all(&dir).map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
        let mut entries = HashMap::new();
        let listing =
            std::fs::read_dir(&dir).map_err(|e| fail(format!("cannot read {}: {e}", dir.display())))?;
        let mut files: Vec<PathBuf> = listing
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| fail(format!("cannot read {}: {e}", file.display())))?;
            for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                let entry: Entry = serde_json::from_str(line)
                    .map_err(|e| fail(format!("{}:{}: not a cassette entry: {e}", file.display(), n + 1)))?;
                entries.insert(entry.key.clone(), Arc::new(entry));
            }
        }
        Ok(CassetteStore { dir, entries: Mutex::new(entries) })
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many answers the cassettes hold.
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// Whether the cassettes hold no answer.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn append(&self, entry: &Entry) -> Result<(), CacheError> {
        let name: String = entry
            .entity()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' })
            .collect();
        let path = self.dir.join(format!("{name}.jsonl"));
        let fail = |e: std::io::Error| CacheError {
            store: "cassettes".into(),
            message: format!("cannot append to {}: {e}", path.display()),
        };
        let mut line = serde_json::to_vec(entry)
            .map_err(|e| CacheError { store: "cassettes".into(), message: e.to_string() })?;
        line.push(b'\n');
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&path).map_err(fail)?;
        file.write_all(&line).map_err(fail)
    }
}

impl Store for CassetteStore {
    fn name(&self) -> &str {
        "cassettes"
    }

    fn get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<Arc<Entry>>> {
        let hit = self.entries.lock().unwrap_or_else(PoisonError::into_inner).get(key).cloned();
        Box::pin(async move { Ok(hit) })
    }

    fn put(&self, entry: Arc<Entry>) -> StoreFuture<'_, ()> {
        // The lock is held across the append so two recorders never interleave lines.
        let result = {
            let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
            if entries.contains_key(&entry.key) {
                Ok(())
            } else {
                let written = self.append(&entry);
                if written.is_ok() {
                    entries.insert(entry.key.clone(), entry);
                }
                written
            }
        };
        Box::pin(async move { result })
    }
}
