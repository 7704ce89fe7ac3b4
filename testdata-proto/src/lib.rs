//! The wire contract of `testdata-server`: package `testdata.v1`, generated at build time from
//! `proto/testdata/v1/test_data.proto` with protox and tonic-prost-build.
//!
//! - Messages are plain prost structs ([`GenerateRequest`], [`GenerateResponse`], [`DataChunk`], …).
//! - [`test_data_service_client::TestDataServiceClient`] is the raw tonic client; most Rust
//!   users want the typed, validating client of `testdata` (feature `remote`,
//!   `testdata::remote::Client`), which re-exports this crate as `testdata::proto`.
//! - With the `server` feature, `test_data_service_server` holds the service trait and its
//!   tonic server, and [`FILE_DESCRIPTOR_SET`] feeds gRPC reflection.
//!
//! ```
//! use testdata_proto::{GenerateRequest, OutputFormat};
//!
//! let request = GenerateRequest { entity: "user".into(), count: 3, ..Default::default() };
//! assert_eq!(request.output_format, OutputFormat::Json as i32);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[allow(missing_docs, clippy::all, clippy::pedantic, rustdoc::invalid_html_tags)]
mod generated {
    tonic::include_proto!("testdata.v1");
}

pub use generated::*;

/// The encoded `FileDescriptorSet` of `testdata/v1/test_data.proto` (for server reflection).
pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/testdata_descriptor.bin"));
