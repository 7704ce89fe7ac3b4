//! `testdata-server`: serves `testdata.v1.TestDataService` on gRPC (default 9091) and health,
//! metrics and `POST /v1/generate` on HTTP (default 8091). Every flag has an environment
//! variable (`testdata-server --help`); zero configuration works.

use clap::Parser;
use testdata_server::config::Config;

/// mimalloc: generation allocates many small strings and maps.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Command line of `testdata-server`.
#[derive(Debug, Parser)]
#[command(
    name = "testdata-server",
    version,
    about = "gRPC test-data service (Traditional path, streaming, health, metrics)"
)]
struct Args {
    #[command(flatten)]
    config: Config,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    if let Err(e) = testdata_server::cli::serve(args.config).await {
        eprintln!("testdata-server: {e}");
        std::process::exit(1);
    }
}
