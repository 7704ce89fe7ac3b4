//! The wire types of `testdata-server` (package `testdata.v1`), generated at build time from
//! `proto/testdata/v1/test_data.proto` with protox + tonic-prost-build (feature `remote`).
//!
//! Messages are plain prost structs; [`test_data_service_client::TestDataServiceClient`] is
//! the raw tonic client. Most users want [`crate::remote::Client`] instead. The server crate
//! reuses these message types (`extern_path`), so there is one definition of each message.
#![allow(missing_docs, clippy::all, clippy::pedantic)]

tonic::include_proto!("testdata.v1");
