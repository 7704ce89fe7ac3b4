//! Local `testdata generate` at machine speed: the records are cut into chunks encoded on
//! every core ([`super::parallel`]) and written in order, so the bytes are the same for any
//! `--jobs`; `--shard`/`--range` select a slice of the index space ([`super::slice`]);
//! `--output` with `--split-every` writes numbered files ([`super::output`]); a manifest
//! records every file's range and checksum ([`super::manifest`]).
//!
//! # CSV headers
//!
//! `--csv-header first` (the default) writes the header only in the file that starts the
//! index space (record 0, or the `--offset` / `--range` start) — the rule of the server's
//! streams — so shard 0 carries the header and `cat` of all shards (or all split files) in
//! order is byte-identical to one run. `every` writes it at the top of every file (each file loads on its own); `none` never.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use clap::{Args, ValueEnum};
use indicatif::ProgressBar;
use testdata::export::Format;

use super::manifest::{FileEntry, MANIFEST_VERSION, Manifest, Span, check_file, hex};
use super::output::{Framing, PartOutput, PathTemplate, jsonl_to_array_items};
use super::parallel::{DEPTH, run_ordered};
use super::slice::{IndexRange, Shard, parts};
use super::{CliError, GenerateArgs};
use crate::config::Config;
use crate::plan::{Mode, Plan, Planner};
use crate::registry::Registry;
use crate::request::{GenerateSpec, SchemaSources};

/// Records per chunk of parallel work.
pub const CHUNK_RECORDS: u64 = 1024;

/// The scale-out options of `testdata generate` (local generation only).
#[derive(Debug, Clone, Default, Args)]
pub struct ScaleArgs {
    /// Worker threads (default: every core); the output is the same for any number.
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Only shard K of N of the records (0-based, e.g. 3/16). Without it, a Kubernetes
    /// Indexed Job's JOB_COMPLETION_INDEX with TESTDATA_SHARD_COUNT selects the shard.
    #[arg(long, env = "TESTDATA_SHARD")]
    pub shard: Option<Shard>,
    /// Only records A..B (instead of --offset/--count).
    #[arg(long, conflicts_with_all = ["offset", "count"])]
    pub range: Option<IndexRange>,
    /// Write to this file (template: `{shard}`, `{part}`) instead of stdout.
    #[arg(long, short = 'o')]
    pub output: Option<String>,
    /// Start a new numbered file every N records.
    #[arg(long, requires = "output")]
    pub split_every: Option<u64>,
    /// Where to write the run's manifest (default with --output: FILE.manifest.json).
    #[arg(long)]
    pub manifest: Option<PathBuf>,
    /// Keep the files of an earlier run of the same command that still match its manifest.
    #[arg(long, requires = "output")]
    pub resume: bool,
    /// CSV header: in the file that starts the index space (first), in every file, or none.
    #[arg(long, value_enum, default_value_t = CsvHeader::First)]
    pub csv_header: CsvHeader,
}

/// Which CSV files get a header line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum CsvHeader {
    /// Only the file that starts the index space (concatenations equal one run).
    #[default]
    First,
    /// Every file.
    Every,
    /// None.
    None,
}

impl CsvHeader {
    fn name(self) -> &'static str {
        match self {
            CsvHeader::First => "first",
            CsvHeader::Every => "every",
            CsvHeader::None => "none",
        }
    }
}

/// The output format of `testdata generate`: a text format of the exporters, or Parquet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// JSON, JSON Lines, CSV or SQL.
    Records(Format),
    /// Parquet (feature `parquet`).
    Parquet,
}

impl std::str::FromStr for OutputFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<OutputFormat, String> {
        if s.eq_ignore_ascii_case("parquet") {
            return if cfg!(feature = "parquet") {
                Ok(OutputFormat::Parquet)
            } else {
                Err("this build of testdata has no Parquet support (build with the `parquet` feature)".into())
            };
        }
        s.parse::<Format>().map(OutputFormat::Records).map_err(|e| format!("{e}, or parquet"))
    }
}

impl std::fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputFormat::Records(format) => format.fmt(f),
            OutputFormat::Parquet => f.write_str("parquet"),
        }
    }
}

/// A resolved run: the plan, the slice, where each file goes.
pub(super) struct Run {
    pub(super) plan: Plan,
    format: OutputFormat,
    space: Range<u64>,
    range: Range<u64>,
    shard: Option<Shard>,
    jobs: usize,
    defect_triggering: bool,
    output: Option<PathTemplate>,
    manifest_path: Option<PathBuf>,
    scale: ScaleArgs,
    /// The Parquet columns, for `--format parquet`.
    #[cfg(feature = "parquet")]
    parquet: Option<testdata::export::parquet::SchemaRef>,
    /// Chunk buffers already written out, for the next chunks (see [`Run::encode_chunk`]).
    spare: Mutex<Vec<Vec<u8>>>,
}

/// Generates locally as `args` says.
pub fn generate_local(args: GenerateArgs, inline: String, seed: Option<u64>) -> Result<(), CliError> {
    let run = resolve(args, inline, seed)?;
    eprintln!("seed: {} (replay with --seed {})", run.plan.seed, run.plan.seed);
    let mut manifest = run.new_manifest()?;
    let earlier = run.earlier_manifest(&manifest)?;
    let bar = super::progress::records_bar(run.range.end - run.range.start);
    for (number, part) in parts(run.range.clone(), run.scale.split_every).into_iter().enumerate() {
        let entry = match earlier.as_ref().and_then(|m| run.reusable(m, number, &part)) {
            Some(kept) => {
                bar.inc(kept.records);
                kept
            }
            None => run.write_part(number as u64, part, &bar)?,
        };
        manifest.files.push(entry);
        run.save(&manifest)?;
    }
    manifest.complete = true;
    run.save(&manifest)?;
    bar.finish_and_clear();
    Ok(())
}

fn resolve(args: GenerateArgs, inline: String, seed: Option<u64>) -> Result<Run, CliError> {
    let scale = args.scale.clone();
    let (offset, count) = match &scale.range {
        Some(IndexRange(r)) => (r.start, r.end),
        None => (args.offset, args.count),
    };
    let registry = Arc::new(Registry::load(args.schemas_dir.as_deref())?);
    let planner = Planner::new(registry, 16, Config::default().defect_rate);
    let spec = GenerateSpec {
        sources: SchemaSources {
            entity: args.entity.unwrap_or_default(),
            inline_schema: inline,
            ..SchemaSources::default()
        },
        count: i64::try_from(count).map_err(|_| "count is too large")?,
        seed,
        offset,
        // JSON arrays and Parquet are written from JSONL chunks (see `jsonl_to_array_items`).
        format: match args.format {
            OutputFormat::Records(Format::Json) | OutputFormat::Parquet => Format::Jsonl,
            OutputFormat::Records(format) => format,
        },
        defect_triggering: args.defect_triggering,
        ..GenerateSpec::default()
    };
    let plan = planner.plan(&spec, Mode::Stream(u64::MAX))?;
    let space = offset..plan.total.max(offset);
    let shard = match scale.shard {
        Some(shard) => Some(shard),
        None => Shard::from_env(|name| std::env::var(name).ok())?,
    };
    let range = shard.map_or(space.clone(), |s| s.of(space.clone()));
    let jobs =
        scale.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let output = scale.output.clone().map(PathTemplate);
    let manifest_path = scale.manifest.clone().or_else(|| output.as_ref().map(|t| t.manifest(shard)));
    Ok(Run {
        #[cfg(feature = "parquet")]
        parquet: match args.format {
            OutputFormat::Parquet => Some(super::parquet::columns(&plan)?),
            OutputFormat::Records(_) => None,
        },
        plan,
        format: args.format,
        space,
        range,
        shard,
        jobs,
        defect_triggering: args.defect_triggering,
        output,
        manifest_path,
        scale,
        spare: Mutex::default(),
    })
}

impl Run {
    fn new_manifest(&self) -> Result<Manifest, CliError> {
        let schema_json = serde_json::to_vec(self.plan.schema().def())?;
        Ok(Manifest {
            manifest_version: MANIFEST_VERSION,
            tool: format!("testdata {}", env!("CARGO_PKG_VERSION")),
            entity: self.plan.schema_name.clone(),
            schema_sha256: hex(ring::digest::digest(&ring::digest::SHA256, &schema_json).as_ref()),
            seed: self.plan.seed,
            format: self.format.to_string(),
            defect_triggering: self.defect_triggering,
            csv_header: self.scale.csv_header.name().to_owned(),
            space: self.space.clone().into(),
            range: self.range.clone().into(),
            shard: self.shard,
            split_every: self.scale.split_every.filter(|&n| n > 0),
            files: Vec::new(),
            complete: false,
        })
    }

    /// With `--resume`, the manifest of an earlier run of the same generation, if any.
    fn earlier_manifest(&self, now: &Manifest) -> Result<Option<Manifest>, CliError> {
        let Some(path) = self.manifest_path.as_ref().filter(|p| self.scale.resume && p.exists()) else {
            return Ok(None);
        };
        let earlier = Manifest::read(path)?;
        if !earlier.same_run(now) {
            return Err(format!(
                "--resume: {} describes another run (entity, schema, seed, format, range or split differ); remove it or drop --resume",
                path.display()
            )
            .into());
        }
        Ok(Some(earlier))
    }

    /// The earlier run's entry for file `number`, when that file is still intact.
    fn reusable(&self, earlier: &Manifest, number: usize, part: &Range<u64>) -> Option<FileEntry> {
        let entry = earlier.files.get(number).filter(|e| e.range == Span::from(part.clone()))?;
        let dir = self.manifest_dir();
        check_file(&dir, entry).ok().map(|()| entry.clone())
    }

    fn manifest_dir(&self) -> PathBuf {
        self.manifest_path.as_ref().and_then(|p| p.parent()).map_or_else(|| PathBuf::from("."), PathBuf::from)
    }

    fn save(&self, manifest: &Manifest) -> Result<(), CliError> {
        if let Some(path) = &self.manifest_path {
            manifest.write(path).map_err(|e| format!("cannot write the manifest {}: {e}", path.display()))?;
        }
        Ok(())
    }

    fn framing(&self, part: &Range<u64>) -> Framing {
        match self.format {
            OutputFormat::Records(Format::Json) => Framing::JsonArray,
            OutputFormat::Records(Format::Csv) => {
                let header = match self.scale.csv_header {
                    CsvHeader::First => part.start == self.space.start,
                    CsvHeader::Every => true,
                    CsvHeader::None => false,
                };
                Framing::Plain { header: header.then(|| self.plan.compiled.csv_header.clone()) }
            }
            _ => Framing::Plain { header: None },
        }
    }

    /// Records `range` encoded as they appear inside a file (no header, no brackets; JSONL
    /// for Parquet).
    /// The bytes go into a recycled buffer ([`Run::recycle`]): a chunk written into memory
    /// that is already allocated and faulted in costs no allocation, no page faults and no
    /// copies from growing (with `--jobs` > 1 each buffer is freed on another thread).
    pub(super) fn encode_chunk(&self, range: Range<u64>) -> Result<Vec<u8>, CliError> {
        let buffer = self.spare.lock().ok().and_then(|mut spare| spare.pop()).unwrap_or_default();
        let mut bytes = self.plan.encode_range_into(range.clone(), buffer)?;
        match self.format {
            OutputFormat::Records(Format::Json) => bytes = jsonl_to_array_items(bytes),
            OutputFormat::Records(Format::Csv) if range.start == 0 => {
                bytes.drain(..self.plan.compiled.csv_header.len().min(bytes.len()));
            }
            _ => {}
        }
        Ok(bytes)
    }

    /// Keeps a written chunk's buffer for a later chunk (as many as can be in flight).
    fn recycle(&self, buffer: Vec<u8>) {
        if let Ok(mut spare) = self.spare.lock()
            && spare.len() < self.jobs * (DEPTH + 1)
        {
            spare.push(buffer);
        }
    }

    /// Writes file `number` holding records `part`.
    fn write_part(&self, number: u64, part: Range<u64>, bar: &ProgressBar) -> Result<FileEntry, CliError> {
        let split = self.scale.split_every.is_some_and(|n| n > 0);
        let path = self.output.as_ref().map(|t| t.file(self.shard, split.then_some(number)));
        let hash = self.manifest_path.is_some();
        #[cfg(feature = "parquet")]
        let written = match &self.parquet {
            Some(columns) => {
                super::parquet::write_file(self, columns, path.as_deref(), hash, part.clone(), bar)
            }
            None => self.write_text(path.as_deref(), hash, part.clone(), bar),
        };
        #[cfg(not(feature = "parquet"))]
        let written = self.write_text(path.as_deref(), hash, part.clone(), bar);
        let (bytes, sha256) = written?;
        Ok(FileEntry {
            path: self.relative(path.as_deref()),
            range: part.clone().into(),
            records: part.end - part.start,
            bytes,
            sha256,
        })
    }

    /// Writes records `part` in a text format to `path` (stdout when `None`): size and hash.
    fn write_text(
        &self,
        path: Option<&Path>,
        hash: bool,
        part: Range<u64>,
        bar: &ProgressBar,
    ) -> Result<(u64, String), CliError> {
        let mut out = PartOutput::create(path, hash, self.framing(&part)).map_err(|e| open_error(path, e))?;
        self.in_chunks(
            part,
            bar,
            |range| self.encode_chunk(range),
            |bytes| {
                out.write_chunk(&bytes).map_err(|e| write_error(path, e))?;
                self.recycle(bytes);
                Ok(())
            },
        )?;
        out.finish().map_err(|e| write_error(path, e))
    }

    /// Records `part` in chunks of [`CHUNK_RECORDS`]: `produce` runs on `--jobs` threads,
    /// `consume` in record order on this one; the progress bar advances per chunk.
    pub(super) fn in_chunks<T: Send>(
        &self,
        part: Range<u64>,
        bar: &ProgressBar,
        produce: impl Fn(Range<u64>) -> Result<T, CliError> + Sync,
        mut consume: impl FnMut(T) -> Result<(), CliError>,
    ) -> Result<(), CliError> {
        let chunk_range = |c: u64| {
            let start = part.start + c * CHUNK_RECORDS;
            start..(start + CHUNK_RECORDS).min(part.end)
        };
        let chunks = (part.end - part.start).div_ceil(CHUNK_RECORDS);
        run_ordered(
            self.jobs,
            chunks,
            |c| produce(chunk_range(c)).map(|value| (c, value)),
            |(c, value)| {
                consume(value)?;
                let done = chunk_range(c);
                bar.inc(done.end - done.start);
                Ok(())
            },
        )
    }

    /// `path` relative to the manifest's directory (`-` for stdout).
    fn relative(&self, path: Option<&Path>) -> String {
        let Some(path) = path else { return "-".to_owned() };
        let dir = self.manifest_dir();
        match path.strip_prefix(&dir) {
            Ok(relative) => relative.display().to_string(),
            Err(_) => std::path::absolute(path).unwrap_or_else(|_| path.to_owned()).display().to_string(),
        }
    }
}

pub(super) fn open_error(path: Option<&Path>, e: std::io::Error) -> CliError {
    match path {
        Some(p) => format!("cannot create {}: {e}", p.display()).into(),
        None => format!("cannot write to stdout: {e}").into(),
    }
}

pub(super) fn write_error(path: Option<&Path>, e: std::io::Error) -> CliError {
    match path {
        Some(p) => format!("writing {} failed: {e}", p.display()).into(),
        None => format!("writing to stdout failed: {e}").into(),
    }
}
