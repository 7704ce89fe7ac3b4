//! Generates the gRPC messages and client of `testdata-server` when the `remote` feature is
//! on (pure Rust: protox compiles the .proto, no system `protoc`). Without the feature this
//! script does nothing, so the light path compiles no codegen.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    #[cfg(feature = "remote")]
    {
        println!("cargo:rerun-if-changed=../proto");
        let fds = protox::compile(["testdata/v1/test_data.proto"], ["../proto"])?;
        tonic_prost_build::configure().build_server(false).build_client(true).compile_fds(fds)?;
    }
    Ok(())
}
