//! `testdata-server`: the [`testdata`] engine as a gRPC service, wire-compatible with the
//! Python "Test Data Agent" (`testdata.v1.TestDataService`), plus HTTP health, metrics and a
//! JSON generate endpoint.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let running = testdata_server::server::start(testdata_server::config::Config::default()).await?;
//! println!("gRPC on {}, HTTP on {}", running.grpc_addr, running.http_addr);
//! running.wait().await?;
//! # Ok(()) }
//! ```
//!
//! The public API, outside in: [`config`] and [`server`] (start a server, or build its
//! [`service::Service`] without sockets); [`cli`] (the `testdata` command); the request in the
//! server's terms, [`request`], with [`grpc::convert::spec_from_proto`] from the wire; the
//! core, [`service`], with its [`registry`] of schemas, its [`metrics`] and its errors
//! ([`error`]); request planning ([`plan`]) and the generators ([`paths`]); [`coherence`],
//! [`pattern_store`], [`telemetry`] and the [`soak`] workload.
//!
//! That surface is what the binaries, the tests, the benches and the fuzz targets use; it is
//! not a stable API (the crate is not published). The gRPC and HTTP edges, the router, the
//! limits on hostile input, stream production, the web console, the API-key guard, the Redis
//! cache and the `testdata patterns` commands are internal.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![warn(unnameable_types)]

pub(crate) mod cache;
pub mod cancel;
pub mod cli;
pub mod coherence;
pub mod config;
pub(crate) mod console;
pub mod error;
pub mod grpc;
pub(crate) mod guard;
pub(crate) mod http;
pub(crate) mod http_serve;
pub(crate) mod limits;
pub mod metrics;
pub mod paths;
pub mod pattern_store;
pub(crate) mod patterns_cli;
pub mod plan;
pub mod registry;
pub mod request;
pub(crate) mod router;
pub mod server;
pub mod service;
pub mod soak;
pub(crate) mod stream_producer;
pub(crate) mod stream_slots;
pub mod telemetry;
