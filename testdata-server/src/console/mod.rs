//! The web console at `/`: a single page (plain HTML, CSS and JavaScript embedded in the
//! binary, no build step, nothing loaded from elsewhere) to browse the catalogue, build a
//! request, preview the records and download them. See `docs/console.md`.
//!
//! | route | answer |
//! |---|---|
//! | `GET /`, `GET /console/{file}` | the page and its assets (open: they hold no data) |
//! | `GET /v1/catalogue` | every registered schema in full, a sample record each, the configured methods and limits |
//! | `POST /v1/schema/check` | a schema as JSON text → `{"valid":true,"schema":…}` or the error with its field, rule, line and column |
//! | `POST /v1/download` | a `GenerateRequest` (JSON body, or the form fields `request` and `api_key`) → the whole stream as one file, generated as it is sent |
//!
//! The data routes pass the same API-key and rate-limit guard as `/v1/generate`; the page sends
//! the key the user typed (kept in the tab's session storage) in `x-api-key`, and in the form
//! field of a download (a form post lets the browser stream the file to disk).

mod assets;
mod catalogue;
mod download;
mod schema_check;

use std::sync::Arc;
use std::sync::atomic::AtomicU16;

use axum::Router;
use axum::routing::{get, post};

use crate::guard::Guard;
use crate::service::Service;

/// What the console's routes share.
#[derive(Debug, Clone)]
struct ConsoleState {
    service: Arc<Service>,
    grpc_port: Arc<AtomicU16>,
    guard: Arc<Guard>,
}

/// The console's routes, to merge into the HTTP router. `grpc_port` is the bound gRPC port
/// (shown in the "copy as grpcurl" snippet).
pub fn router<S>(service: Arc<Service>, grpc_port: Arc<AtomicU16>, guard: Arc<Guard>) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let state = ConsoleState { service, grpc_port, guard: guard.clone() };
    let guarded = Router::new()
        .route("/v1/catalogue", get(catalogue::catalogue))
        .route("/v1/schema/check", post(schema_check::check))
        .route_layer(axum::middleware::from_fn_with_state(guard, crate::guard::http_middleware));
    Router::new()
        .route("/", get(assets::index))
        .route("/console/{file}", get(assets::file))
        // Checks the key itself: a form post carries it in the body, not in a header.
        .route("/v1/download", post(download::download))
        .merge(guarded)
        .with_state(state)
}
