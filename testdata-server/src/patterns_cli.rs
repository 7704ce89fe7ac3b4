//! The pattern commands of the `testdata` CLI and its `generate --method` for the paths that
//! need the server's machinery (RAG, LLM, Hybrid), run locally with the same environment.
//!
//! ```text
//! testdata patterns list [--entity cart] [--kind defect] [--json]     # bundled + PATTERNS_DIR
//! testdata patterns import FILE [--patterns-dir DIR]                  # check, then copy into DIR
//! WEAVIATE_URL=http://weaviate:8080 testdata patterns import FILE     # check, then into Weaviate
//! WEAVIATE_URL=http://weaviate:8080 testdata patterns list            # what Weaviate holds
//! testdata generate --entity cart -n 20 --method rag --learn-from-history --context "running gear"
//! ```

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use testdata::rag::DocumentKind;
use testdata::rag::weaviate::WeaviateStore;

use crate::cli::CliError;
use crate::config::Config;
use crate::pattern_store::WeaviateArgs;
use crate::request::{GenerateSpec, Method};

/// `testdata patterns`.
#[derive(Debug, Args)]
pub struct PatternsArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: PatternsCommand,
}

/// A pattern subcommand.
#[derive(Debug, Subcommand)]
pub enum PatternsCommand {
    /// List the patterns the server would use: those of Weaviate when WEAVIATE_URL is set,
    /// else the bundled ones plus `--patterns-dir`.
    List {
        /// Only this entity.
        #[arg(long, short)]
        entity: Option<String>,
        /// Only this kind: test_data, defect or profile.
        #[arg(long, short)]
        kind: Option<String>,
        /// Extra pattern files (`*.jsonl`).
        #[arg(long, env = "PATTERNS_DIR")]
        patterns_dir: Option<PathBuf>,
        /// One JSON document per line instead of a table.
        #[arg(long)]
        json: bool,
        /// The Weaviate to list (WEAVIATE_URL, …).
        #[command(flatten)]
        weaviate: WeaviateArgs,
    },
    /// Check a JSONL pattern file, then import it into Weaviate when WEAVIATE_URL is set, else
    /// copy it into the patterns directory.
    Import {
        /// The file (one document per line: docs/rag.md).
        file: PathBuf,
        /// Where the server reads patterns from at start.
        #[arg(long, env = "PATTERNS_DIR", default_value = "patterns")]
        patterns_dir: PathBuf,
        /// The Weaviate to import into (WEAVIATE_URL, …).
        #[command(flatten)]
        weaviate: WeaviateArgs,
    },
}

/// Runs a pattern subcommand.
pub async fn run(args: PatternsArgs) -> Result<(), CliError> {
    match args.command {
        PatternsCommand::List { entity, kind, patterns_dir, json, weaviate } => {
            let documents = match weaviate.store()? {
                Some(store) => weaviate_documents(&store).await?,
                None => {
                    let extra = match patterns_dir {
                        Some(dir) => testdata::rag::read_dir(&dir)?,
                        None => Vec::new(),
                    };
                    testdata::rag::EmbeddedStore::bundled_with(extra).documents().cloned().collect()
                }
            };
            let mut out = std::io::stdout().lock();
            for doc in &documents {
                if entity.as_ref().is_some_and(|e| *e != doc.entity)
                    || kind.as_ref().is_some_and(|k| k != doc.kind().name())
                {
                    continue;
                }
                if json {
                    writeln!(out, "{}", serde_json::to_string(doc)?)?;
                } else {
                    let kind = doc.kind().name();
                    writeln!(
                        out,
                        "{:<12} {:<10} {kind:<10} {:<28} {}",
                        doc.domain, doc.entity, doc.id, doc.description
                    )?;
                }
            }
            Ok(())
        }
        PatternsCommand::Import { file, patterns_dir, weaviate } => {
            let docs = testdata::rag::read_file(&file)?;
            if let Some(store) = weaviate.store()? {
                let imported = store.import(&docs).await?;
                eprintln!(
                    "imported {imported} pattern(s) into Weaviate at {} (collections {}, {}, {})",
                    store.settings().url,
                    store.settings().collection(DocumentKind::TestData),
                    store.settings().collection(DocumentKind::Defect),
                    store.settings().collection(DocumentKind::Profile),
                );
                return Ok(());
            }
            let name = file.file_name().ok_or("the file has no name")?;
            std::fs::create_dir_all(&patterns_dir)
                .map_err(|e| format!("cannot create {}: {e}", patterns_dir.display()))?;
            let target = patterns_dir.join(name);
            std::fs::copy(&file, &target).map_err(|e| format!("cannot copy to {}: {e}", target.display()))?;
            eprintln!(
                "imported {} pattern(s) into {} (the server indexes PATTERNS_DIR={} at start)",
                docs.len(),
                target.display(),
                patterns_dir.display()
            );
            Ok(())
        }
    }
}

/// Every document of a Weaviate store (checked ready first), kind by kind.
async fn weaviate_documents(store: &WeaviateStore) -> Result<Vec<testdata::rag::Document>, CliError> {
    store.ready().await?;
    let mut documents = Vec::new();
    for kind in [DocumentKind::TestData, DocumentKind::Defect, DocumentKind::Profile] {
        documents.extend(store.list(kind).await?);
    }
    Ok(documents)
}

/// The `--method` of `testdata generate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MethodArg {
    /// The seeded engine.
    Traditional,
    /// A language model (needs a provider in the environment).
    Llm,
    /// Patterns from history.
    Rag,
    /// RAG examples + LLM text.
    Hybrid,
    /// Let the router pick (docs/routing.md).
    Auto,
}

/// The request options of the paths beyond Traditional.
#[derive(Debug, Clone, Args)]
pub struct PathArgs {
    /// The generation path (`traditional` unless given).
    #[arg(long, value_enum)]
    pub method: Option<MethodArg>,
    /// Free-text context (LLM/RAG).
    #[arg(long, default_value = "")]
    pub context: String,
    /// Routing hints (repeat the flag).
    #[arg(long = "hint")]
    pub hints: Vec<String>,
    /// Records like historical patterns.
    #[arg(long)]
    pub learn_from_history: bool,
    /// Records following a production profile.
    #[arg(long)]
    pub production_like: bool,
    /// Extra pattern files (`*.jsonl`).
    #[arg(long, env = "PATTERNS_DIR")]
    pub patterns_dir: Option<PathBuf>,
    /// The Weaviate pattern store (WEAVIATE_URL, …; unset: the embedded patterns).
    #[command(flatten)]
    pub weaviate: WeaviateArgs,
}

impl PathArgs {
    /// Whether the request needs the server's paths (not plain engine output).
    pub fn needs_service(&self) -> bool {
        !matches!(self.method, None | Some(MethodArg::Traditional))
    }

    /// `spec` with these options.
    pub fn apply(&self, spec: &mut GenerateSpec) {
        let (method, given) = match self.method {
            None | Some(MethodArg::Traditional) => (Method::Traditional, true),
            Some(MethodArg::Llm) => (Method::Llm, true),
            Some(MethodArg::Rag) => (Method::Rag, true),
            Some(MethodArg::Hybrid) => (Method::Hybrid, true),
            Some(MethodArg::Auto) => (Method::Traditional, false),
        };
        spec.method = method;
        spec.method_given = given;
        spec.context = self.context.clone();
        spec.hints = self.hints.clone();
        spec.learn_from_history = self.learn_from_history;
        spec.production_like = self.production_like;
    }
}

/// Generates `spec` through the server's service, in process, and writes the records.
pub async fn generate_with_service(
    spec: GenerateSpec,
    paths: &PathArgs,
    schemas_dir: Option<PathBuf>,
) -> Result<(), CliError> {
    let count = u32::try_from(spec.count.max(1)).map_err(|_| "count is too large")?;
    let config = Config {
        max_sync_records: count,
        schemas_dir,
        patterns_dir: paths.patterns_dir.clone(),
        weaviate: paths.weaviate.clone(),
        ..Config::default()
    };
    let service = crate::server::build_service(config)?;
    if let Some(weaviate) = service.weaviate() {
        crate::pattern_store::prepare(weaviate).await?;
    }
    let generated = service.generate(&spec).await?;
    eprintln!(
        "seed: {} (replay with --seed {}); path: {}{}; {}",
        generated.plan.seed,
        generated.plan.seed,
        generated.path.label(),
        if generated.fallback { " (fallback)" } else { "" },
        generated.routing_reason
    );
    let mut out = std::io::stdout().lock();
    out.write_all(generated.data.as_bytes())?;
    if !generated.data.ends_with('\n') {
        writeln!(out)?;
    }
    Ok(())
}
