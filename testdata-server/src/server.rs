//! Assembly: load the registry, build the service, bind both listeners, serve.
//!
//! [`start`] binds gRPC and HTTP (port 0 picks free ports, which tests use), marks the
//! server ready and returns a [`Running`] handle with the bound addresses. The tonic server is
//! built in `grpc_server` and the axum app in `http_app`, the places to add layers
//! (auth, rate limits, TLS, tracing) without touching the rest.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_stream::StreamExt;
use tonic_health::ServingStatus;

use crate::cache::RedisStore;
use crate::config::{Config, ConfigError};
use crate::grpc::{FILE_DESCRIPTOR_SET, Grpc, TestDataServiceServer};
use crate::guard::{GrpcGuardLayer, Guard};
use crate::http::{HttpState, router as http_router};
use crate::metrics::Metrics;
use crate::registry::{Registry, RegistryError};
use crate::router::Router;
use crate::service::Service;

/// The tonic router of every gRPC service, behind the guard layer.
pub(crate) type GrpcRouter =
    tonic::transport::server::Router<tower::layer::util::Stack<GrpcGuardLayer, tower::layer::util::Identity>>;

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A configuration value cannot work.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A schema file cannot be loaded.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// A listener cannot be bound.
    #[error("cannot bind the {what} listener on {addr}: {source}; free the port or set {env}")]
    Bind {
        /// `gRPC` or `HTTP`.
        what: &'static str,
        /// The address.
        addr: SocketAddr,
        /// The environment variable that sets the port.
        env: &'static str,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A gRPC serving thread could not be started.
    #[error("cannot start a gRPC serving thread: {0}; lower GRPC_THREADS")]
    Thread(String),
    /// Reflection could not be built from the embedded descriptor set.
    #[error("server reflection: {0}")]
    Reflection(String),
    /// `WEAVIATE_URL` is set but that Weaviate cannot serve patterns (docs/rag.md).
    #[error(
        "{0} (WEAVIATE_URL is set: the server does not start without its pattern store; unset it to use the embedded patterns)"
    )]
    Weaviate(#[from] testdata::rag::weaviate::WeaviateError),
    /// The TLS certificate or key cannot be used.
    #[error("TLS: {0}; give a PEM certificate chain (TLS_CERT) and its PEM private key (TLS_KEY)")]
    Tls(String),
}

/// Why serving stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The gRPC server failed.
    #[error("gRPC server: {0}")]
    Grpc(#[from] tonic::transport::Error),
    /// The HTTP server failed.
    #[error("HTTP server: {0}")]
    Http(#[from] std::io::Error),
    /// A server task panicked or was cancelled.
    #[error("server task: {0}")]
    Task(String),
}

/// A running server.
#[derive(Debug)]
pub struct Running {
    /// The bound gRPC address.
    pub grpc_addr: SocketAddr,
    /// The bound HTTP address.
    pub http_addr: SocketAddr,
    /// The service (for in-process inspection: metrics, registry).
    pub service: Arc<Service>,
    shutdown: watch::Sender<bool>,
    kill: watch::Sender<bool>,
    grace: Duration,
    grpc: JoinHandle<Result<(), ServeError>>,
    http: JoinHandle<Result<(), std::io::Error>>,
}

/// Time given to streams to send their closing status once the grace period is over.
const CLOSE_TIME: Duration = Duration::from_secs(2);

impl Running {
    /// Asks both servers to stop and waits for them (see [`Running::wait`]).
    pub async fn shutdown(self) -> Result<(), ServeError> {
        let _ = self.shutdown.send(true);
        self.wait().await
    }

    /// A handle that starts a graceful shutdown when `true` is sent: the listeners close at
    /// once (new connections are refused), in-flight calls and streams go on for up to the
    /// grace period (`SHUTDOWN_GRACE_SECONDS`).
    pub fn shutdown_handle(&self) -> watch::Sender<bool> {
        self.shutdown.clone()
    }

    /// Waits until both servers stop. Once a shutdown is asked for, in-flight work has the
    /// grace period to finish; then streams still running end with UNAVAILABLE (saying which
    /// `offset` resumes them) and, after a short time to send that, the servers are aborted.
    pub async fn wait(self) -> Result<(), ServeError> {
        let Running { shutdown, kill, grace, grpc, http, service, .. } = self;
        let aborts = [grpc.abort_handle(), http.abort_handle()];
        let both = async move {
            let grpc = grpc.await;
            let http = http.await;
            (grpc, http)
        };
        tokio::pin!(both);
        let mut asked = shutdown.subscribe();
        let joined = tokio::select! {
            r = &mut both => Some(r),
            _ = asked.wait_for(|stop| *stop) => None,
        };
        let joined = match joined {
            Some(r) => r,
            None => match tokio::time::timeout(grace, &mut both).await {
                Ok(r) => r,
                Err(_) => {
                    tracing::warn!(
                        grace_s = grace.as_secs_f64(),
                        "shutdown grace period over; ending open streams"
                    );
                    service.stop_streams();
                    match tokio::time::timeout(CLOSE_TIME, &mut both).await {
                        Ok(r) => r,
                        Err(_) => {
                            let _ = kill.send(true);
                            for a in &aborts {
                                a.abort();
                            }
                            return Ok(());
                        }
                    }
                }
            },
        };
        let (grpc, http) = joined;
        grpc.map_err(|e| ServeError::Task(e.to_string()))??;
        http.map_err(|e| ServeError::Task(e.to_string()))??;
        Ok(())
    }
}

/// Loads the registry and builds the service (no sockets).
pub fn build_service(config: Config) -> Result<Arc<Service>, StartError> {
    config.validate()?;
    let registry = Registry::load(config.schemas_dir.as_deref())?;
    tracing::info!(schemas = registry.len(), "schema registry loaded");
    let metrics = Arc::new(Metrics::new());
    let llm_config = match &config.llm {
        Some(c) => c.clone(),
        None => testdata::llm::LlmConfig::from_env().map_err(|e| ConfigError(e.to_string()))?,
    };
    let mut llm = testdata::llm::Llm::with_observer(llm_config, metrics.clone())
        .map_err(|e| ConfigError(e.to_string()))?;
    for p in llm.providers() {
        tracing::info!(provider = %p.name, model = %p.model, "LLM provider configured");
    }
    let redis = match config.redis_settings() {
        Some(settings) => {
            let store = RedisStore::new(settings, metrics.clone()).map_err(|e| ConfigError(e.to_string()))?;
            let store = Arc::new(store);
            llm.add_shared_store(store.clone());
            Some(store)
        }
        None => None,
    };
    let llm = Arc::new(llm);
    // The RAG path over the configured pattern store (embedded, or Weaviate: `pattern_store`).
    let patterns = crate::pattern_store::open(&config)?;
    let rag = crate::paths::rag::RagPath::new(patterns.store, config.rag_top_k, config.coherence_threshold);
    let mut router =
        Router::default().with_llm(llm.clone(), config.coherence_threshold).with_rag(Arc::new(rag.clone()));
    if llm.usable() {
        let hybrid = crate::paths::hybrid::HybridPath::new(llm, rag, config.coherence_threshold);
        router = router.with_hybrid(Arc::new(hybrid));
    }
    let mut service = Service::new(Arc::new(config), Arc::new(registry), router, metrics);
    if let Some(store) = patterns.weaviate {
        service = service.with_weaviate(store);
    }
    Ok(Arc::new(match redis {
        Some(store) => service.with_redis(store),
        None => service,
    }))
}

/// Starts the server: registry, both listeners, health SERVING once bound.
pub async fn start(config: Config) -> Result<Running, StartError> {
    let service = build_service(config)?;
    start_service(service).await
}

/// Starts serving an already built service.
pub(crate) async fn start_service(service: Arc<Service>) -> Result<Running, StartError> {
    if let Some(redis) = service.redis() {
        redis.start().await;
    }
    if let Some(weaviate) = service.weaviate() {
        crate::pattern_store::prepare(weaviate).await?;
    }
    let config = service.config().clone();
    let grpc_addr = SocketAddr::new(config.host, config.grpc_port);
    let http_addr = SocketAddr::new(config.host, config.http_port);
    let grpc_listener = TcpListener::bind(grpc_addr).await.map_err(|source| StartError::Bind {
        what: "gRPC",
        addr: grpc_addr,
        env: "GRPC_PORT",
        source,
    })?;
    let http_listener = TcpListener::bind(http_addr).await.map_err(|source| StartError::Bind {
        what: "HTTP",
        addr: http_addr,
        env: "HTTP_PORT",
        source,
    })?;
    let grpc_addr = grpc_listener.local_addr().map_err(|source| StartError::Bind {
        what: "gRPC",
        addr: grpc_addr,
        env: "GRPC_PORT",
        source,
    })?;
    let http_addr = http_listener.local_addr().map_err(|source| StartError::Bind {
        what: "HTTP",
        addr: http_addr,
        env: "HTTP_PORT",
        source,
    })?;

    let (shutdown, shutdown_rx) = watch::channel(false);
    let (reporter, health_service) = tonic_health::server::health_reporter();
    reporter.set_service_status("", ServingStatus::NotServing).await;
    reporter.set_not_serving::<TestDataServiceServer<Grpc>>().await;

    let guard = Arc::new(Guard::new(&config.api_keys, config.rate_limit_rps, config.rate_limit_burst));
    let router = grpc_server(&service, health_service, guard.clone())?;
    let (kill, kill_rx) = watch::channel(false);
    let threads = match config.grpc_threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let first_byte = Duration::from_secs(config.limits.http_read_timeout_seconds.max(1));
    let grpc = serve_grpc(router, grpc_listener, threads, first_byte, shutdown_rx.clone(), kill_rx)?;

    let grpc_port = Arc::new(AtomicU16::new(grpc_addr.port()));
    let app = http_app(HttpState::new(service.clone(), grpc_port), guard);
    let header_timeout = Duration::from_secs(config.limits.http_read_timeout_seconds.max(1));
    let http = tokio::spawn(crate::http_serve::serve(http_listener, app, header_timeout, shutdown_rx));

    service.readiness().grpc_serving.store(true, Ordering::Release);
    reporter.set_service_status("", ServingStatus::Serving).await;
    reporter.set_serving::<TestDataServiceServer<Grpc>>().await;
    tracing::info!(
        %grpc_addr,
        %http_addr,
        tls = config.tls_cert.is_some(),
        api_keys = config.api_keys.len(),
        rate_limit_rps = config.rate_limit_rps,
        "testdata-server serving"
    );
    let grace = Duration::from_secs(config.shutdown_grace_seconds);
    Ok(Running { grpc_addr, http_addr, service, shutdown, kill, grace, grpc, http })
}

/// A serving thread's connection queue and the channel its result arrives on.
type ServingThread = (
    tokio::sync::mpsc::UnboundedSender<std::net::TcpStream>,
    tokio::sync::oneshot::Receiver<Result<(), ServeError>>,
);

/// Serves gRPC on `threads` threads, each with its own current-thread tokio runtime: a
/// connection's calls are read, generated and written on one thread, with no task hand-offs
/// between threads (cross-thread wake-ups cost more than a 10-record call, and they split each
/// unary response into two socket writes). An accept loop on the calling runtime deals the
/// connections out in turn, so the threads carry equal numbers of them. A connection reaches
/// tonic once it has sent its first byte (see [`first_byte_gate`]). The returned task ends
/// when every thread has stopped: after `shutdown` (graceful) or `kill` (at once).
fn serve_grpc(
    router: GrpcRouter,
    listener: TcpListener,
    threads: usize,
    first_byte: Duration,
    shutdown: watch::Receiver<bool>,
    kill: watch::Receiver<bool>,
) -> Result<JoinHandle<Result<(), ServeError>>, StartError> {
    let threads = threads.max(1);
    let mut queues = Vec::with_capacity(threads);
    let mut done = Vec::with_capacity(threads);
    for i in 0..threads {
        let (queue, result) =
            spawn_serving_thread(i, threads, router.clone(), first_byte, shutdown.clone(), kill.clone())?;
        queues.push(queue);
        done.push(result);
    }
    Ok(tokio::spawn(accept_loop(listener, queues, done, shutdown)))
}

/// Starts serving thread `i` of `threads`: its runtime serves the connections sent to its
/// queue until `shutdown` (graceful) or `kill` (at once), then sends its result.
fn spawn_serving_thread(
    i: usize,
    threads: usize,
    router: GrpcRouter,
    first_byte: Duration,
    mut shutdown: watch::Receiver<bool>,
    mut kill: watch::Receiver<bool>,
) -> Result<ServingThread, StartError> {
    // Built here, so a runtime that cannot be made fails the start instead of a thread.
    // Blocking pools share tokio's default budget of 512 threads.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .max_blocking_threads((512 / threads).max(1))
        .build()
        .map_err(|e| StartError::Thread(e.to_string()))?;
    let (conn_tx, conn_rx) = tokio::sync::mpsc::unbounded_channel::<std::net::TcpStream>();
    let (tx, rx) = tokio::sync::oneshot::channel();
    let serve = async move {
        let incoming = first_byte_gate(conn_rx, first_byte);
        let serve = router.serve_with_incoming_shutdown(incoming, async move {
            let _ = shutdown.wait_for(|stop| *stop).await;
        });
        let killed = async move {
            // A dropped `Running` closes this channel: that is a graceful stop (through
            // `shutdown`), not a kill.
            if kill.wait_for(|k| *k).await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            r = serve => r.map_err(ServeError::Grpc),
            _ = killed => Ok(()),
        }
    };
    std::thread::Builder::new()
        .name(format!("grpc-{i}"))
        .spawn(move || {
            let _ = tx.send(rt.block_on(serve));
        })
        .map_err(|e| StartError::Thread(e.to_string()))?;
    Ok((conn_tx, rx))
}

/// The connections of `queue` that send their first byte (the HTTP/2 preface, or a TLS hello)
/// within `first_byte` (`HTTP_READ_TIMEOUT_SECONDS`), each waiting in its own task; one that
/// sends nothing is closed: hyper would wait for its preface for good, and a graceful shutdown
/// would wait for it as well. Connections still waiting are dropped (closed) with the thread's
/// runtime.
fn first_byte_gate(
    mut queue: tokio::sync::mpsc::UnboundedReceiver<std::net::TcpStream>,
    first_byte: Duration,
) -> impl tokio_stream::Stream<Item = Result<tokio::net::TcpStream, std::io::Error>> {
    let (ready_tx, ready_rx) = tokio::sync::mpsc::unbounded_channel::<tokio::net::TcpStream>();
    tokio::spawn(async move {
        while let Some(conn) = queue.recv().await {
            let conn = match tokio::net::TcpStream::from_std(conn) {
                Ok(conn) => conn,
                Err(e) => {
                    tracing::warn!(error = %e, "gRPC connection could not be registered");
                    continue;
                }
            };
            let ready = ready_tx.clone();
            tokio::spawn(async move {
                if crate::http_serve::sends_within(&conn, first_byte).await {
                    let _ = ready.send(conn);
                }
            });
        }
    });
    tokio_stream::wrappers::UnboundedReceiverStream::new(ready_rx).map(Ok)
}

/// Accepts connections and deals them out to the serving threads' `queues` in turn until
/// `stop` (or until no thread is left), then waits for every thread: the first error.
async fn accept_loop(
    listener: TcpListener,
    mut queues: Vec<tokio::sync::mpsc::UnboundedSender<std::net::TcpStream>>,
    done: Vec<tokio::sync::oneshot::Receiver<Result<(), ServeError>>>,
    mut stop: watch::Receiver<bool>,
) -> Result<(), ServeError> {
    let mut next = 0usize;
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stop.wait_for(|s| *s) => break,
        };
        let conn = match accepted {
            Ok((conn, _)) => conn,
            Err(e) => {
                // Out of file descriptors and the like: log, breathe, go on accepting.
                tracing::warn!(error = %e, "gRPC accept failed");
                tokio::time::sleep(Duration::from_millis(5)).await;
                continue;
            }
        };
        // Pre-bound listeners lose tonic's TCP_NODELAY default (STACK pitfall 1).
        let _ = conn.set_nodelay(true);
        let conn = match conn.into_std() {
            Ok(conn) => conn,
            Err(e) => {
                tracing::warn!(error = %e, "gRPC connection could not be handed over");
                continue;
            }
        };
        hand_over(&mut queues, &mut next, conn);
        if queues.is_empty() {
            break;
        }
    }
    // Close the listener now: new connections are refused while the threads finish.
    drop(listener);
    drop(queues);
    // Every thread's result, then the first error.
    let mut first_error = None;
    for rx in done {
        let r = rx.await.unwrap_or_else(|_| Err(ServeError::Task("a gRPC thread panicked".into())));
        if let Err(e) = r {
            first_error.get_or_insert(e);
        }
    }
    first_error.map_or(Ok(()), Err)
}

/// Sends `conn` to the next live serving thread in turn (`next`); a thread that stopped (a
/// panic) is dropped from the rotation with an error in the log, and its connection goes to
/// the next one.
fn hand_over(
    queues: &mut Vec<tokio::sync::mpsc::UnboundedSender<std::net::TcpStream>>,
    next: &mut usize,
    mut conn: std::net::TcpStream,
) {
    loop {
        if queues.is_empty() {
            tracing::error!("every gRPC serving thread has stopped; no longer accepting");
            return;
        }
        let at = *next % queues.len();
        match queues[at].send(conn) {
            Ok(()) => {
                *next = next.wrapping_add(1);
                return;
            }
            Err(tokio::sync::mpsc::error::SendError(back)) => {
                tracing::error!(thread = at, "a gRPC serving thread has stopped");
                queues.remove(at);
                conn = back;
            }
        }
    }
}

/// The tonic server with every gRPC service: TestDataService, `grpc.health.v1`, reflection
/// v1 and v1alpha; behind [`GrpcGuardLayer`] (API keys, rate limit, deadlines) and, with a
/// certificate and key configured, TLS (rustls, ring).
pub(crate) fn grpc_server(
    service: &Arc<Service>,
    health: tonic_health::pb::health_server::HealthServer<impl tonic_health::pb::health_server::Health>,
    guard: Arc<Guard>,
) -> Result<GrpcRouter, StartError> {
    let max = service.config().max_message_bytes;
    let testdata = TestDataServiceServer::new(Grpc::new(service.clone()))
        .max_decoding_message_size(max)
        .max_encoding_message_size(max);
    let reflection_v1 = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()
        .map_err(|e| StartError::Reflection(e.to_string()))?;
    let reflection_v1alpha = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1alpha()
        .map_err(|e| StartError::Reflection(e.to_string()))?;
    let mut builder = tonic::transport::Server::builder();
    if let (Some(cert), Some(key)) = (&service.config().tls_cert, &service.config().tls_key) {
        let read = |p: &std::path::Path| {
            std::fs::read(p).map_err(|e| StartError::Tls(format!("cannot read `{}`: {e}", p.display())))
        };
        let identity = tonic::transport::Identity::from_pem(read(cert)?, read(key)?);
        builder = builder
            .tls_config(tonic::transport::ServerTlsConfig::new().identity(identity))
            .map_err(|e| StartError::Tls(e.to_string()))?;
    }
    Ok(builder
        .layer(GrpcGuardLayer::new(guard))
        .add_service(testdata)
        .add_service(health)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha))
}

/// The axum app; `/v1/*` behind `guard`.
pub(crate) fn http_app(state: HttpState, guard: Arc<Guard>) -> axum::Router {
    http_router(state, guard)
}
