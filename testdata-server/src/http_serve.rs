//! The HTTP listener's accept loop: the axum app served by hyper with a timer, so a client that
//! never finishes its request headers is cut off after `HTTP_READ_TIMEOUT_SECONDS`
//! (`axum::serve` gives hyper no timer, and without one hyper's header timeout never fires: such a
//! connection stayed open for good), and one that sends nothing at all is closed after the same
//! time. Bodies are timed by `limits::http_body_middleware`.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::{Service, ServiceExt};

/// Serves `app` on `listener` until `stop` turns `true`, then stops accepting and waits for the
/// open connections to finish their requests (the caller bounds that wait by its grace period).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    header_timeout: Duration,
    mut stop: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut make_service = app.into_make_service_with_connect_info::<SocketAddr>();
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(header_timeout);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(error = %e, "HTTP accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = stopped(&mut stop) => break,
        };
        let _ = stream.set_nodelay(true);
        let Ok(service) = make_service.call(peer).await;
        let service =
            service.map_request(|req: http::Request<hyper::body::Incoming>| req.map(axum::body::Body::new));
        let builder = builder.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            // hyper's header timer starts with a request's first byte: a connection that never
            // sends one is closed here.
            if !sends_within(&stream, header_timeout).await {
                return;
            }
            let connection =
                builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
            if let Err(e) = watcher.watch(connection.into_owned()).await {
                tracing::debug!(error = %e, %peer, "HTTP connection ended");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}

/// Whether the client sends its first byte within `wait` (what it sent stays unread); the
/// gRPC listener (`server::serve_grpc`) uses it too.
pub(crate) async fn sends_within(stream: &tokio::net::TcpStream, wait: Duration) -> bool {
    let mut first = [0u8; 1];
    matches!(tokio::time::timeout(wait, stream.peek(&mut first)).await, Ok(Ok(n)) if n > 0)
}
