//! The `testdata` command line: generate locally (or through a server), list schemas, serve.
//!
//! ```text
//! testdata generate --entity cart --count 100 --seed 7 --format csv
//! testdata generate --entity cart --count 100 --seed 7 --remote http://127.0.0.1:9091
//! testdata schemas [--domain ecommerce] [--json] [--remote URL]
//! testdata serve            # = testdata-server
//! testdata cache stats      # what the shared Redis cache holds (REDIS_URL)
//! testdata cache clear [--prefix testdata:v1:llm]
//! ```
//!
//! Local generation uses the same registry, plan and writers as the server's Traditional
//! path, so its output equals the server's for the same request and seed.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use testdata::export::{ExportOptions, Exporter, Format};

use crate::config::Config;
use crate::registry::Registry;
use crate::request::{GenerateSpec, SchemaSources};

pub(crate) mod generate;
mod health;
pub(crate) mod manifest;
mod output;
mod parallel;
#[cfg(feature = "parquet")]
mod parquet;
mod progress;
pub(crate) mod slice;

/// `testdata`: seeded test data from the command line.
#[derive(Debug, Parser)]
#[command(
    name = "testdata",
    version,
    about = "Seeded, deterministic test data: generate, list schemas, serve"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// A subcommand.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Generate records of an entity to stdout.
    Generate(Box<GenerateArgs>),
    /// List the registered schemas.
    Schemas(SchemasArgs),
    /// Run the gRPC + HTTP server (same as `testdata-server`).
    Serve(Box<ServeArgs>),
    /// Inspect or empty the shared Redis cache.
    Cache(CacheArgs),
    /// Check run manifests: every file's checksum, and that the runs' ranges tile the space.
    Verify(VerifyArgs),
    /// Ask a local server's /health/ready (for container health checks): exit 0 when ready.
    Health(HealthArgs),
    /// List or import RAG patterns (docs/rag.md).
    Patterns(crate::patterns_cli::PatternsArgs),
}

/// `testdata cache`.
#[derive(Debug, Args)]
pub(crate) struct CacheArgs {
    /// `stats` or `clear`.
    #[command(subcommand)]
    pub action: CacheAction,
    /// The Redis of the servers' shared cache.
    #[arg(long, env = "REDIS_URL", global = true)]
    pub redis_url: Option<String>,
    /// PEM file of the CA(s) to trust for `rediss://` (`REDIS_TLS_CA_FILE`).
    #[arg(long, env = "REDIS_TLS_CA_FILE", global = true)]
    pub redis_tls_ca_file: Option<PathBuf>,
    /// The servers' key prefix (`CACHE_KEY_PREFIX`).
    #[arg(long, env = "CACHE_KEY_PREFIX", default_value = "testdata", global = true)]
    pub cache_key_prefix: String,
    /// Only keys starting with this (default: `{CACHE_KEY_PREFIX}:`, every format version),
    /// e.g. `testdata:v1:llm` for the LLM answers of the current format.
    #[arg(long, global = true)]
    pub prefix: Option<String>,
}

/// What `testdata cache` does.
#[derive(Debug, Clone, Copy, Subcommand)]
pub(crate) enum CacheAction {
    /// Keys, bytes and TTLs by group (`--json` for a machine).
    Stats {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Delete the keys (SCAN + UNLINK).
    Clear,
}

/// `testdata health`.
#[derive(Debug, Args)]
pub(crate) struct HealthArgs {
    /// The server's HTTP address.
    #[arg(long, default_value = "127.0.0.1:8091")]
    pub addr: std::net::SocketAddr,
    /// The path to ask.
    #[arg(long, default_value = "/health/ready")]
    pub path: String,
}

/// `testdata verify`.
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// Manifest files (e.g. one per shard).
    #[arg(required = true)]
    pub manifests: Vec<PathBuf>,
}

/// `testdata generate`.
#[derive(Debug, Args)]
pub(crate) struct GenerateArgs {
    /// The entity (see `testdata schemas`).
    #[arg(long, short)]
    pub entity: Option<String>,
    /// A schema file (testdata schema format) instead of a registered entity.
    #[arg(long)]
    pub schema_file: Option<PathBuf>,
    /// How many records.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub count: u64,
    /// The seed (a number, or any text hashed to one); random when absent (printed to stderr).
    #[arg(long, short)]
    pub seed: Option<String>,
    /// json, jsonl, csv, sql (PostgreSQL), mysql, sqlite, parquet.
    #[arg(long, short, default_value = "json")]
    pub format: generate::OutputFormat,
    /// Start at record k (records k..count).
    #[arg(long, default_value_t = 0)]
    pub offset: u64,
    /// Mix in boundary and hostile values.
    #[arg(long)]
    pub defect_triggering: bool,
    /// Extra schema files.
    #[arg(long, env = "SCHEMAS_DIR")]
    pub schemas_dir: Option<PathBuf>,
    /// Generate through a server (e.g. http://127.0.0.1:9091) instead of locally.
    #[arg(long, conflicts_with_all = ["jobs", "shard", "range", "output", "split_every", "manifest", "resume"])]
    pub remote: Option<String>,
    /// Parallelism, slicing and file output (local generation).
    #[command(flatten)]
    pub scale: generate::ScaleArgs,
    /// The generation path and its inputs (`--method rag|llm|hybrid|auto`, `--context`, …).
    #[command(flatten)]
    pub paths: crate::patterns_cli::PathArgs,
}

/// `testdata schemas`.
#[derive(Debug, Args)]
pub(crate) struct SchemasArgs {
    /// Only this domain.
    #[arg(long, default_value = "")]
    pub domain: String,
    /// Print each schema's full JSON.
    #[arg(long)]
    pub json: bool,
    /// Extra schema files.
    #[arg(long, env = "SCHEMAS_DIR")]
    pub schemas_dir: Option<PathBuf>,
    /// Ask a server instead of the built-in registry.
    #[arg(long)]
    pub remote: Option<String>,
}

/// `testdata serve` / `testdata-server`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Server configuration.
    #[command(flatten)]
    pub config: Config,
}

/// A CLI failure, printed as one sentence.
pub type CliError = Box<dyn std::error::Error + Send + Sync>;

/// Runs a parsed command.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Generate(args) => generate(*args).await,
        Command::Schemas(args) => schemas(args).await,
        Command::Serve(args) => serve(args.config).await,
        Command::Cache(args) => cache(args).await,
        Command::Verify(args) => verify(&args.manifests),
        Command::Health(args) => health::check(args.addr, &args.path),
        Command::Patterns(args) => crate::patterns_cli::run(args).await,
    }
}

async fn cache(args: CacheArgs) -> Result<(), CliError> {
    let url = args
        .redis_url
        .filter(|u| !u.trim().is_empty())
        .ok_or("no Redis to inspect: set REDIS_URL or pass --redis-url redis://host:6379")?;
    let mut settings = crate::cache::RedisSettings::new(url);
    settings.prefix = args.cache_key_prefix.clone();
    settings.tls_ca_file = args.redis_tls_ca_file;
    settings.timeout = std::time::Duration::from_secs(5);
    let prefix = args.prefix.unwrap_or_else(|| format!("{}:", args.cache_key_prefix));
    match args.action {
        CacheAction::Stats { json } => {
            let stats = crate::cache::admin::stats(settings, &prefix).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&stats)?);
            } else {
                print!("{}", stats.render());
            }
        }
        CacheAction::Clear => {
            let deleted = crate::cache::admin::clear(settings, &prefix).await?;
            println!("deleted {deleted} keys under `{prefix}`");
        }
    }
    Ok(())
}

/// Runs the server until SIGINT/SIGTERM.
pub async fn serve(config: Config) -> Result<(), CliError> {
    let telemetry = crate::telemetry::init(&config)?;
    if let Some(endpoint) = config.effective_otlp_endpoint() {
        tracing::info!(endpoint, "exporting spans over OTLP");
    }
    let grace = config.shutdown_grace_seconds;
    let running = crate::server::start(config).await?;
    let stop = running.shutdown_handle();
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!(grace_s = grace, "shutting down: no new connections; in-flight calls may finish");
        let _ = stop.send(true);
    });
    let result = running.wait().await;
    let _ = tokio::task::spawn_blocking(move || telemetry.shutdown()).await;
    result?;
    Ok(())
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn generate(args: GenerateArgs) -> Result<(), CliError> {
    let seed = args.seed.as_deref().map(|s| testdata::Seed::parse(s).value());
    let inline = match &args.schema_file {
        Some(p) => std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?,
        None => String::new(),
    };
    if args.entity.is_none() && inline.is_empty() {
        return Err("give --entity NAME (see `testdata schemas`) or --schema-file FILE".into());
    }
    if let Some(url) = args.remote {
        let generate::OutputFormat::Records(format) = args.format else {
            return Err("--format parquet is written locally only; drop --remote".into());
        };
        return generate_remote(
            url,
            args.entity.unwrap_or_default(),
            inline,
            args.count,
            seed,
            format,
            args.offset,
            args.defect_triggering,
        )
        .await;
    }
    if args.paths.needs_service() {
        let generate::OutputFormat::Records(format) = args.format else {
            return Err("--format parquet is written by the Traditional path only; drop --method".into());
        };
        let mut spec = GenerateSpec {
            sources: SchemaSources {
                entity: args.entity.clone().unwrap_or_default(),
                inline_schema: inline,
                ..SchemaSources::default()
            },
            count: i64::try_from(args.count).map_err(|_| "count is too large")?,
            seed,
            format,
            defect_triggering: args.defect_triggering,
            ..GenerateSpec::default()
        };
        args.paths.apply(&mut spec);
        return crate::patterns_cli::generate_with_service(spec, &args.paths, args.schemas_dir).await;
    }
    generate::generate_local(args, inline, seed)
}

fn verify(manifests: &[PathBuf]) -> Result<(), CliError> {
    match manifest::verify(manifests) {
        Ok(records) => {
            eprintln!(
                "ok: {} manifest(s), {records} records, every file matches its SHA-256",
                manifests.len()
            );
            Ok(())
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("testdata verify: {e}");
            }
            Err(format!("{} problem(s) found", errors.len()).into())
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn generate_remote(
    url: String,
    entity: String,
    inline: String,
    count: u64,
    seed: Option<u64>,
    format: Format,
    offset: u64,
    defect_triggering: bool,
) -> Result<(), CliError> {
    use testdata::proto::{GenerateRequest, OutputFormat};
    let output_format = match format {
        Format::Json | Format::Jsonl => OutputFormat::Jsonl,
        Format::Csv => OutputFormat::Csv,
        Format::Sql(testdata::export::Dialect::Postgres) => OutputFormat::Sql,
        Format::Sql(d) => {
            return Err(format!("the server writes PostgreSQL SQL only; use --format sql, not {d}").into());
        }
    };
    let client = testdata::remote::Client::connect(url).await?;
    let request = GenerateRequest {
        entity,
        inline_schema: inline,
        count: i32::try_from(count).map_err(|_| "count is too large for one stream (at most 2^31 - 1)")?,
        seed,
        offset,
        defect_triggering,
        output_format: output_format as i32,
        ..GenerateRequest::default()
    };
    let mut stream = client.raw().generate_data_stream(request).await?.into_inner();
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    let mut json =
        (format == Format::Json).then(|| Exporter::new(Format::Json, Vec::new(), ExportOptions::default()));
    let mut first = true;
    while let Some(chunk) = stream.message().await? {
        if first {
            eprintln!("seed: {} (replay with --seed {})", chunk.seed, chunk.seed);
            first = false;
        }
        match json.as_mut() {
            Some(w) => {
                for line in chunk.data.lines().filter(|l| !l.is_empty()) {
                    w.write_record(&serde_json::from_str(line)?)?;
                }
            }
            None => stdout.write_all(chunk.data.as_bytes())?,
        }
    }
    if let Some(w) = json {
        stdout.write_all(&w.finish()?)?;
    }
    stdout.flush()?;
    Ok(())
}

async fn schemas(args: SchemasArgs) -> Result<(), CliError> {
    let list: Vec<(String, String, usize, String, String)> = match args.remote {
        Some(url) => {
            let mut client = testdata::remote::Client::connect(url).await?;
            client
                .schemas(&args.domain)
                .await?
                .into_iter()
                .map(|s| (s.name, s.domain, s.fields.len(), s.description, s.schema_json))
                .collect()
        }
        None => Registry::load(args.schemas_dir.as_deref())?
            .schemas()
            .map(|s| s.def())
            .filter(|d| args.domain.is_empty() || d.domain.as_deref() == Some(args.domain.as_str()))
            .map(|d| {
                (
                    d.name.clone(),
                    d.domain.clone().unwrap_or_default(),
                    d.fields.len(),
                    d.description.clone().unwrap_or_default(),
                    serde_json::to_string(d).unwrap_or_default(),
                )
            })
            .collect(),
    };
    let mut out = std::io::stdout().lock();
    for (name, domain, fields, description, json) in list {
        if args.json {
            writeln!(out, "{json}")?;
        } else {
            writeln!(out, "{name:<24} {domain:<12} {fields:>3} fields  {description}")?;
        }
    }
    Ok(())
}
