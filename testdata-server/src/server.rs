//! Assembly: load the registry, build the service, bind both listeners, serve.
//!
//! [`start`] binds gRPC and HTTP (port 0 picks free ports, which tests use), marks the
//! server ready and returns a [`Running`] handle with the bound addresses. The tonic server is
//! built in [`grpc_server`] and the axum app in [`http_app`], the places to add layers
//! (auth, rate limits, TLS, tracing) without touching the rest.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tonic::transport::server::TcpIncoming;
use tonic_health::ServingStatus;

use crate::config::{Config, ConfigError};
use crate::grpc::{FILE_DESCRIPTOR_SET, Grpc, TestDataServiceServer};
use crate::http::{HttpState, router as http_router};
use crate::metrics::Metrics;
use crate::registry::{Registry, RegistryError};
use crate::router::Router;
use crate::service::Service;

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
    /// Reflection could not be built from the embedded descriptor set.
    #[error("server reflection: {0}")]
    Reflection(String),
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
    grpc: JoinHandle<Result<(), tonic::transport::Error>>,
    http: JoinHandle<Result<(), std::io::Error>>,
}

impl Running {
    /// Asks both servers to stop (in-flight requests finish) and waits for them.
    pub async fn shutdown(self) -> Result<(), ServeError> {
        let _ = self.shutdown.send(true);
        self.wait().await
    }

    /// A handle that stops the server when `true` is sent.
    pub fn shutdown_handle(&self) -> watch::Sender<bool> {
        self.shutdown.clone()
    }

    /// Waits until both servers stop.
    pub async fn wait(self) -> Result<(), ServeError> {
        let grpc = self.grpc.await.map_err(|e| ServeError::Task(e.to_string()))?;
        let http = self.http.await.map_err(|e| ServeError::Task(e.to_string()))?;
        grpc?;
        http?;
        Ok(())
    }
}

/// Loads the registry and builds the service (no sockets).
pub fn build_service(config: Config) -> Result<Arc<Service>, StartError> {
    config.validate()?;
    let registry = Registry::load(config.schemas_dir.as_deref())?;
    tracing::info!(schemas = registry.len(), "schema registry loaded");
    Ok(Arc::new(Service::new(
        Arc::new(config),
        Arc::new(registry),
        Router::default(),
        Arc::new(Metrics::new()),
    )))
}

/// Starts the server: registry, both listeners, health SERVING once bound.
pub async fn start(config: Config) -> Result<Running, StartError> {
    let service = build_service(config)?;
    start_service(service).await
}

/// Starts serving an already built service.
pub async fn start_service(service: Arc<Service>) -> Result<Running, StartError> {
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

    let router = grpc_server(&service, health_service)?;
    // Pre-bound listeners lose tonic's TCP_NODELAY default (STACK pitfall 1): set it here.
    let incoming = TcpIncoming::from(grpc_listener).with_nodelay(Some(true));
    let mut rx = shutdown_rx.clone();
    let grpc = tokio::spawn(router.serve_with_incoming_shutdown(incoming, async move {
        let _ = rx.wait_for(|stop| *stop).await;
    }));

    let grpc_port = Arc::new(AtomicU16::new(grpc_addr.port()));
    let app = http_app(HttpState::new(service.clone(), grpc_port));
    let mut rx = shutdown_rx;
    let http = tokio::spawn(async move {
        axum::serve(http_listener, app)
            .with_graceful_shutdown(async move {
                let _ = rx.wait_for(|stop| *stop).await;
            })
            .await
    });

    service.readiness().grpc_serving.store(true, Ordering::Release);
    reporter.set_service_status("", ServingStatus::Serving).await;
    reporter.set_serving::<TestDataServiceServer<Grpc>>().await;
    tracing::info!(%grpc_addr, %http_addr, "testdata-server serving");
    Ok(Running { grpc_addr, http_addr, service, shutdown, grpc, http })
}

/// The tonic server with every gRPC service: TestDataService, `grpc.health.v1`, reflection
/// v1 and v1alpha. Add tower layers (auth, rate limits, timeouts) and TLS here.
pub fn grpc_server(
    service: &Arc<Service>,
    health: tonic_health::pb::health_server::HealthServer<impl tonic_health::pb::health_server::Health>,
) -> Result<tonic::transport::server::Router, StartError> {
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
    Ok(tonic::transport::Server::builder()
        .add_service(testdata)
        .add_service(health)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha))
}

/// The axum app. Add tower layers (auth, CORS, timeouts) here.
pub fn http_app(state: HttpState) -> axum::Router {
    http_router(state)
}
