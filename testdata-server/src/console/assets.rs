//! The page and its assets, compiled into the binary.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

const JS: &str = "text/javascript; charset=utf-8";

/// `(file name, content type, content)` of every asset: the style sheet and the JavaScript
/// modules (`app.js` imports the others), one concern each.
const ASSETS: &[(&str, &str, &str)] = &[
    ("app.css", "text/css; charset=utf-8", include_str!("assets/app.css")),
    ("app.js", JS, include_str!("assets/app.js")),
    ("api.js", JS, include_str!("assets/api.js")),
    ("builder.js", JS, include_str!("assets/builder.js")),
    ("catalogue.js", JS, include_str!("assets/catalogue.js")),
    ("dom.js", JS, include_str!("assets/dom.js")),
    ("editors.js", JS, include_str!("assets/editors.js")),
    ("request.js", JS, include_str!("assets/request.js")),
    ("results.js", JS, include_str!("assets/results.js")),
    ("schema.js", JS, include_str!("assets/schema.js")),
    ("snippets.js", JS, include_str!("assets/snippets.js")),
];

const INDEX: &str = include_str!("assets/index.html");

/// The page may load only its own assets and talk only to its own server.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; frame-src 'self'; base-uri 'none'";

fn page(content_type: &'static str, body: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// `GET /`.
pub(super) async fn index() -> Response {
    page("text/html; charset=utf-8", INDEX)
}

/// `GET /console/{file}`.
pub(super) async fn file(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, body)) => page(content_type, body),
        None => (StatusCode::NOT_FOUND, "no such console asset").into_response(),
    }
}
