//! Generates the client of the `weaviate.v1` subset when the `weaviate` feature is on (pure
//! Rust: protox compiles the .proto, no system `protoc`). Without it this script does nothing,
//! so the light path compiles no codegen. (The wire types of `testdata-server` come from the
//! `testdata-proto` crate, feature `remote`.)

fn main() -> Result<(), Box<dyn std::error::Error>> {
    #[cfg(feature = "weaviate")]
    {
        println!("cargo:rerun-if-changed=../proto/weaviate");
        let fds = protox::compile(["weaviate/v1/weaviate.proto"], ["../proto"])?;
        tonic_prost_build::configure().build_server(false).build_client(true).compile_fds(fds)?;
    }
    Ok(())
}
