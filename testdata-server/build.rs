//! Build script of `testdata-server`:
//!
//! 1. the server stubs of the `weaviate.v1` subset, for the tests' local Weaviate (the
//!    `testdata.v1` messages, stubs and descriptor set come from the `testdata-proto` crate);
//! 2. `schemas.rs`: an `include_str!` of every `schemas/**/*.json`, so the built-in catalogue
//!    is compiled into the binary (adding a file there needs no code change).

use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(std::env::var("OUT_DIR")?);

    // The server side of the `weaviate.v1` subset, for the tests' local Weaviate (messages
    // and client are the library's).
    println!("cargo:rerun-if-changed=../proto/weaviate");
    let fds = protox::compile(["weaviate/v1/weaviate.proto"], ["../proto"])?;
    tonic_prost_build::configure()
        .build_client(false)
        .build_server(true)
        .extern_path(".weaviate.v1", "::testdata::rag::weaviate::proto")
        .compile_fds(fds)?;

    println!("cargo:rerun-if-changed=schemas");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let root = manifest.join("schemas");
    let mut files = Vec::new();
    collect(&root, &mut files)?;
    files.sort();
    let mut code = String::from(
        "/// Every built-in schema file: (path relative to `schemas/`, JSON text).\n\
         pub static BUILTIN_SCHEMAS: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file.strip_prefix(&root)?.to_string_lossy().replace('\\', "/");
        code.push_str(&format!("    ({rel:?}, include_str!({:?})),\n", file.display().to_string()));
    }
    code.push_str("];\n");
    std::fs::write(out.join("schemas.rs"), code)?;
    Ok(())
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(())
}
