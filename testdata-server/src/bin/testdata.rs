//! `testdata`: generate records (locally or through a server), list schemas, serve.

use clap::Parser;
use testdata_server::cli::{Cli, run};

/// mimalloc: generation allocates many small strings and maps.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    if let Err(e) = run(Cli::parse()).await {
        eprintln!("testdata: {e}");
        std::process::exit(1);
    }
}
