//! The run manifest: a JSON file next to the output that records what was generated (tool,
//! entity, schema hash, seed, format, index ranges) and, per file, its record range, size and
//! SHA-256. It is rewritten after every finished file (`complete: false` until the end), so a
//! broken run can be resumed (`--resume` keeps the files that still match) and any set of
//! shards can be checked (`testdata verify`).

use std::fs;
use std::io::{self, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::slice::Shard;

/// The manifest format's version.
pub const MANIFEST_VERSION: u32 = 1;

/// A record range `start..end` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// First record.
    pub start: u64,
    /// One past the last record.
    pub end: u64,
}

impl From<Range<u64>> for Span {
    fn from(r: Range<u64>) -> Span {
        Span { start: r.start, end: r.end }
    }
}

/// One output file of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// The file, relative to the manifest's directory (`-` for standard output).
    pub path: String,
    /// The records it holds.
    pub range: Span,
    /// How many records (`range.end - range.start`).
    pub records: u64,
    /// Its size in bytes.
    pub bytes: u64,
    /// Lower-case hex SHA-256 of its bytes.
    pub sha256: String,
}

/// What a run generated; see the module docs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`MANIFEST_VERSION`].
    pub manifest_version: u32,
    /// `testdata <version>`.
    pub tool: String,
    /// The entity (or the schema file's schema name).
    pub entity: String,
    /// SHA-256 of the compiled schema's JSON: two runs with the same hash, seed and format
    /// produce the same bytes for the same records.
    pub schema_sha256: String,
    /// The seed.
    pub seed: u64,
    /// The output format.
    pub format: String,
    /// Whether boundary and hostile values were mixed in.
    pub defect_triggering: bool,
    /// CSV header policy (`first`, `every`, `none`).
    pub csv_header: String,
    /// The whole index space the shards (if any) are cut from.
    pub space: Span,
    /// This run's records.
    pub range: Span,
    /// The shard, when the run is one.
    pub shard: Option<Shard>,
    /// Records per file (`--split-every`), when split.
    pub split_every: Option<u64>,
    /// The finished files, in record order.
    pub files: Vec<FileEntry>,
    /// Whether every file of the run was written.
    pub complete: bool,
}

/// What a manifest check found wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// A file is missing, or its size or checksum differs.
    #[error("{path}: {problem}")]
    File {
        /// The file.
        path: String,
        /// What differs.
        problem: String,
    },
    /// The manifest says the run did not finish.
    #[error("{0}: the run did not finish (complete: false); rerun it with --resume")]
    Incomplete(String),
    /// The manifests' ranges leave a gap or overlap.
    #[error("records {0}..{1} are {2}")]
    Coverage(u64, u64, &'static str),
    /// Manifests of different runs were mixed.
    #[error(
        "{0} belongs to another run (entity, schema, seed, format or space differ from the first manifest)"
    )]
    Mixed(String),
}

impl Manifest {
    /// Reads a manifest file.
    pub fn read(path: &Path) -> Result<Manifest, Box<dyn std::error::Error + Send + Sync>> {
        let text =
            fs::read_to_string(path).map_err(|e| format!("cannot read manifest {}: {e}", path.display()))?;
        serde_json::from_str(&text)
            .map_err(|e| format!("manifest {} is not valid: {e}", path.display()).into())
    }

    /// Writes the manifest to `path` atomically (a temporary file renamed over it).
    pub fn write(&self, path: &Path) -> io::Result<()> {
        let tmp = path.with_extension("json.tmp");
        let mut text = serde_json::to_vec_pretty(self).map_err(io::Error::other)?;
        text.push(b'\n');
        fs::write(&tmp, text)?;
        fs::rename(&tmp, path)
    }

    /// Whether `other` describes the same generation (same records for the same indexes, in
    /// the same files): everything but the files and completion.
    pub fn same_run(&self, other: &Manifest) -> bool {
        fn key(m: &Manifest) -> (&str, &str, u64, &str, bool, &str, Span, Option<u64>) {
            (
                &m.entity,
                &m.schema_sha256,
                m.seed,
                &m.format,
                m.defect_triggering,
                &m.csv_header,
                m.range,
                m.split_every,
            )
        }
        key(self) == key(other)
    }

    /// Whether `other` is a slice of the same generation (may be another shard).
    fn same_generation(&self, other: &Manifest) -> bool {
        fn key(m: &Manifest) -> (&str, &str, u64, &str, bool, Span) {
            (&m.entity, &m.schema_sha256, m.seed, &m.format, m.defect_triggering, m.space)
        }
        key(self) == key(other)
    }
}

/// Checks each file of `entry` under `dir` against its size and checksum.
pub fn check_file(dir: &Path, entry: &FileEntry) -> Result<(), VerifyError> {
    let path = dir.join(&entry.path);
    let problem = |problem: String| VerifyError::File { path: path.display().to_string(), problem };
    let (bytes, sha256) = hash_file(&path).map_err(|e| problem(e.to_string()))?;
    if bytes != entry.bytes {
        return Err(problem(format!("{bytes} bytes, the manifest says {}", entry.bytes)));
    }
    if sha256 != entry.sha256 {
        return Err(problem(format!("SHA-256 {sha256}, the manifest says {}", entry.sha256)));
    }
    Ok(())
}

/// The size and hex SHA-256 of a file.
pub fn hash_file(path: &Path) -> io::Result<(u64, String)> {
    let mut file = fs::File::open(path)?;
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    let mut buffer = vec![0; 1 << 20];
    let mut total = 0;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        context.update(&buffer[..n]);
        total += n as u64;
    }
    Ok((total, hex(context.finish().as_ref())))
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Verifies manifests: every file matches its checksum, every run is complete, all belong to
/// one generation, and together their ranges cover the space without gaps or overlaps.
/// Returns the number of records covered.
pub fn verify(paths: &[PathBuf]) -> Result<u64, Vec<VerifyError>> {
    let mut errors = Vec::new();
    let mut manifests = Vec::new();
    for path in paths {
        match Manifest::read(path) {
            Ok(m) => manifests.push((path, m)),
            Err(e) => {
                errors.push(VerifyError::File { path: path.display().to_string(), problem: e.to_string() })
            }
        }
    }
    for (path, m) in &manifests {
        let dir = path.parent().unwrap_or(Path::new("."));
        if !m.complete {
            errors.push(VerifyError::Incomplete(path.display().to_string()));
        }
        errors.extend(m.files.iter().filter(|f| f.path != "-").filter_map(|f| check_file(dir, f).err()));
        if manifests[0].1.same_generation(m) {
            continue;
        }
        errors.push(VerifyError::Mixed(path.display().to_string()));
    }
    let covered = coverage(manifests.iter().map(|(_, m)| m), &mut errors);
    if errors.is_empty() { Ok(covered) } else { Err(errors) }
}

/// Checks that the runs' ranges tile their common space; returns the records covered.
fn coverage<'m>(manifests: impl Iterator<Item = &'m Manifest>, errors: &mut Vec<VerifyError>) -> u64 {
    let mut ranges: Vec<(Span, Span)> = manifests.map(|m| (m.range, m.space)).collect();
    ranges.sort_by_key(|(r, _)| (r.start, r.end));
    let Some(&(_, space)) = ranges.first() else { return 0 };
    let mut at = space.start;
    for (r, _) in &ranges {
        if r.start > at {
            errors.push(VerifyError::Coverage(at, r.start, "missing (no manifest covers them)"));
        } else if r.start < at {
            errors.push(VerifyError::Coverage(r.start, at.min(r.end), "covered twice"));
        }
        at = at.max(r.end);
    }
    if at < space.end {
        errors.push(VerifyError::Coverage(at, space.end, "missing (no manifest covers them)"));
    }
    ranges.iter().map(|(r, _)| r.end - r.start).sum()
}
