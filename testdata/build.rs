//! Generates the gRPC messages and client of `testdata-server` when the `remote` feature is
//! on, and the client of the `weaviate.v1` subset when the `weaviate` feature is (pure Rust:
//! protox compiles the .proto, no system `protoc`). Without the features this script does
//! nothing, so the light path compiles no codegen.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    #[cfg(feature = "remote")]
    {
        println!("cargo:rerun-if-changed=../proto");
        let fds = protox::compile(["testdata/v1/test_data.proto"], ["../proto"])?;
        tonic_prost_build::configure().build_server(false).build_client(true).compile_fds(fds)?;
    }
    #[cfg(feature = "weaviate")]
    {
        println!("cargo:rerun-if-changed=../proto/weaviate");
        let fds = protox::compile(["weaviate/v1/weaviate.proto"], ["../proto"])?;
        tonic_prost_build::configure().build_server(false).build_client(true).compile_fds(fds)?;
    }
    Ok(())
}
