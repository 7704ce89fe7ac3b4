//! The `testdata` command line: generate locally (or through a server), list schemas, serve.
//!
//! ```text
//! testdata generate --entity cart --count 100 --seed 7 --format csv
//! testdata generate --entity cart --count 100 --seed 7 --remote http://127.0.0.1:9091
//! testdata schemas [--domain ecommerce] [--json] [--remote URL]
//! testdata serve            # = testdata-server
//! ```
//!
//! Local generation uses the same registry, plan and writers as the server's Traditional
//! path, so its output equals the server's for the same request and seed.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use testdata::export::{ExportOptions, Exporter, Format};

use crate::config::Config;
use crate::plan::{Mode, Planner};
use crate::registry::Registry;
use crate::request::{GenerateSpec, SchemaSources};

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
    pub command: Command,
}

/// A subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate records of an entity to stdout.
    Generate(GenerateArgs),
    /// List the registered schemas.
    Schemas(SchemasArgs),
    /// Run the gRPC + HTTP server (same as `testdata-server`).
    Serve(Box<ServeArgs>),
    /// List or import RAG patterns (docs/rag.md).
    Patterns(crate::patterns_cli::PatternsArgs),
}

/// `testdata generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
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
    /// json, jsonl, csv, sql (PostgreSQL), mysql, sqlite.
    #[arg(long, short, default_value = "json")]
    pub format: Format,
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
    #[arg(long)]
    pub remote: Option<String>,
    /// The generation path and its inputs (`--method rag|llm|hybrid|auto`, `--context`, …).
    #[command(flatten)]
    pub paths: crate::patterns_cli::PathArgs,
}

/// `testdata schemas`.
#[derive(Debug, Args)]
pub struct SchemasArgs {
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
pub struct ServeArgs {
    /// Server configuration.
    #[command(flatten)]
    pub config: Config,
}

/// A CLI failure, printed as one sentence.
pub type CliError = Box<dyn std::error::Error + Send + Sync>;

/// Runs a parsed command.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Generate(args) => generate(args).await,
        Command::Schemas(args) => schemas(args).await,
        Command::Serve(args) => serve(args.config).await,
        Command::Patterns(args) => crate::patterns_cli::run(args),
    }
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

/// Installs a plain tracing subscriber filtered by `level` (`LOG_LEVEL`).
pub fn init_logging(level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
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
        return generate_remote(
            url,
            args.entity.unwrap_or_default(),
            inline,
            args.count,
            seed,
            args.format,
            args.offset,
            args.defect_triggering,
        )
        .await;
    }
    if args.paths.needs_service() {
        let mut spec = GenerateSpec {
            sources: SchemaSources {
                entity: args.entity.clone().unwrap_or_default(),
                inline_schema: inline,
                ..SchemaSources::default()
            },
            count: i64::try_from(args.count).map_err(|_| "count is too large")?,
            seed,
            format: args.format,
            defect_triggering: args.defect_triggering,
            ..GenerateSpec::default()
        };
        args.paths.apply(&mut spec);
        return crate::patterns_cli::generate_with_service(spec, &args.paths, args.schemas_dir).await;
    }
    let registry = Arc::new(Registry::load(args.schemas_dir.as_deref())?);
    let planner = Planner::new(registry, 16, Config::default().defect_rate);
    let spec = GenerateSpec {
        sources: SchemaSources {
            entity: args.entity.unwrap_or_default(),
            inline_schema: inline,
            ..SchemaSources::default()
        },
        count: i64::try_from(args.count).map_err(|_| "count is too large")?,
        seed,
        offset: args.offset,
        format: args.format,
        defect_triggering: args.defect_triggering,
        method_given: true,
        ..GenerateSpec::default()
    };
    let plan = planner.plan(&spec, Mode::Stream(u64::MAX))?;
    eprintln!("seed: {} (replay with --seed {})", plan.seed, plan.seed);
    let options = ExportOptions {
        table: plan.schema_name.clone(),
        columns: Some(plan.compiled.columns.clone()),
        ..ExportOptions::default()
    };
    let stdout = std::io::stdout().lock();
    let mut out = Exporter::new(args.format, stdout, options);
    let mut at = args.offset;
    while at < plan.total {
        let end = (at + 1000).min(plan.total);
        for (i, record) in (at..).zip(plan.records(at..end)?) {
            out.write_record(&plan.with_bookkeeping(record, i)?)?;
        }
        at = end;
    }
    out.finish()?.flush()?;
    Ok(())
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
