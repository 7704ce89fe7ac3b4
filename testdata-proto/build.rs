//! Generates the `testdata.v1` messages, the tonic client and the server stubs from
//! `proto/testdata/v1/test_data.proto` (pure Rust: protox compiles the .proto, no system
//! `protoc`), and writes the encoded descriptor set for server reflection. The server stubs
//! are compiled only with the `server` feature (`#[cfg]` on their module).

use std::path::PathBuf;

use prost::Message;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    println!("cargo:rerun-if-changed=../proto/testdata");
    let fds = protox::compile(["testdata/v1/test_data.proto"], ["../proto"])?;
    std::fs::write(out.join("testdata_descriptor.bin"), fds.encode_to_vec())?;
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .server_mod_attribute(".testdata.v1", "#[cfg(feature = \"server\")]")
        .compile_fds(fds)?;
    Ok(())
}
