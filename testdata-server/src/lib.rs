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
//! Modules, outside in: [`config`]; [`server`] (assembly); [`grpc`] and the HTTP routes (edges;
//! `grpc::convert` is the only place proto types meet engine types); [`service`] (the core);
//! [`router`] and [`paths`] (which generator); [`plan`] (request → compiled schemas,
//! segments, encoding); [`registry`] (schemas); [`metrics`]; [`error`].
//!
//! The public modules are what the binaries, the tests, the benches and the fuzz targets use;
//! they are not a stable API (the crate is not published). The HTTP routes, the web console,
//! the API-key guard, the Redis cache and the `testdata patterns` commands are internal.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

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
pub mod http_serve;
pub mod limits;
pub mod metrics;
pub mod paths;
pub mod pattern_store;
pub(crate) mod patterns_cli;
pub mod plan;
pub mod registry;
pub mod request;
pub mod router;
pub mod server;
pub mod service;
pub mod soak;
pub mod stream_producer;
pub mod stream_slots;
pub mod telemetry;
