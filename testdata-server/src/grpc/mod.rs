//! The `testdata.v1.TestDataService` gRPC service: a thin edge over [`crate::service`].
//! Conversions between protobuf and the server's own types live in [`convert`] only; a
//! stream's lifecycle on the wire in `stream`. Only [`convert::spec_from_proto`] is public
//! (the fuzz targets decode requests with it); the service itself is served by
//! [`crate::server::start`].
//!
//! `GenerateData` keeps the old in-band contract (`success=false`, `error`, plus the new
//! `error_code`); the other RPCs report failures as gRPC status codes.

pub mod convert;
pub(crate) mod stream;

use std::pin::Pin;
use std::sync::Arc;

use testdata::proto::{
    DataChunk, GenerateRequest, GenerateResponse, GetSchemasRequest, GetSchemasResponse, HealthCheckRequest,
    HealthCheckResponse,
};
use tokio_stream::Stream;
use tonic::{Request, Response, Status};

use tracing::Instrument;

use crate::guard::Deadline;
use crate::service::Service;
use crate::stream_slots::{Slot, StreamSlots};
use crate::telemetry;

pub(crate) use testdata_proto::FILE_DESCRIPTOR_SET;
pub(crate) use testdata_proto::test_data_service_server::{TestDataService, TestDataServiceServer};

/// The gRPC service.
#[derive(Debug, Clone)]
pub(crate) struct Grpc {
    service: Arc<Service>,
    stream_slots: Arc<StreamSlots>,
}

impl Grpc {
    /// The gRPC service over `service`.
    pub(crate) fn new(service: Arc<Service>) -> Grpc {
        let stream_slots = StreamSlots::new(service.config().limits.max_streams_per_client);
        Grpc { service, stream_slots }
    }

    /// A stream slot for the caller (`MAX_STREAMS_PER_CLIENT`); callers without an address
    /// (in-process transports) are not counted.
    fn stream_slot(&self, peer: Option<std::net::SocketAddr>) -> Result<Option<Slot>, Status> {
        match peer {
            Some(addr) => self.stream_slots.acquire(addr.ip()).map(Some).map_err(|why| {
                self.service.metrics().error("stream", "resource_exhausted");
                Status::resource_exhausted(why)
            }),
            None => Ok(None),
        }
    }
}

/// The stream type of `GenerateDataStream`.
pub(crate) type ChunkStream = Pin<Box<dyn Stream<Item = Result<DataChunk, Status>> + Send + 'static>>;

fn with_request_id<T>(mut response: Response<T>, request_id: &str) -> Response<T> {
    if let Ok(v) = request_id.parse() {
        response.metadata_mut().insert("x-request-id", v);
    }
    response
}

#[tonic::async_trait]
impl TestDataService for Grpc {
    async fn generate_data(
        &self,
        request: Request<GenerateRequest>,
    ) -> Result<Response<GenerateResponse>, Status> {
        let (metadata, _, mut request) = request.into_parts();
        let request_id = telemetry::request_id_or_new(&request.request_id);
        request.request_id.clone_from(&request_id);
        let span = telemetry::rpc_span("GenerateData", &request_id, &request.domain, &request.entity);
        telemetry::set_grpc_parent(&span, &metadata);
        let service = &self.service;
        let response = async {
            match convert::spec_from_proto(request) {
                Ok(spec) => {
                    tracing::debug!(count = spec.count, "generate_data_request");
                    match service.generate(&spec).await {
                        Ok(generated) => {
                            telemetry::record_outcome(
                                &tracing::Span::current(),
                                Some(generated.path.label()),
                                Some(generated.record_count),
                            );
                            convert::response_ok(request_id.clone(), generated)
                        }
                        Err(e) => {
                            tracing::info!(error = %e, code = e.kind().label(), "generate_data_error");
                            tracing::Span::current().record("otel.status_code", "ERROR");
                            convert::response_err(request_id.clone(), &e)
                        }
                    }
                }
                Err(e) => {
                    tracing::info!(error = %e, code = e.kind().label(), "generate_data_error");
                    service.metrics().error("generate", e.kind().label());
                    convert::response_err(request_id.clone(), &e)
                }
            }
        }
        .instrument(span)
        .await;
        Ok(with_request_id(Response::new(response), &request_id))
    }

    type GenerateDataStreamStream = ChunkStream;

    async fn generate_data_stream(
        &self,
        request: Request<GenerateRequest>,
    ) -> Result<Response<Self::GenerateDataStreamStream>, Status> {
        let slot = self.stream_slot(request.remote_addr())?;
        let (metadata, extensions, mut request) = request.into_parts();
        let deadline = extensions.get::<Deadline>().map(|d| d.0);
        let request_id = telemetry::request_id_or_new(&request.request_id);
        request.request_id.clone_from(&request_id);
        let span = telemetry::rpc_span("GenerateDataStream", &request_id, &request.domain, &request.entity);
        telemetry::set_grpc_parent(&span, &metadata);
        let spec = span.in_scope(|| {
            let spec = convert::spec_from_proto(request).map_err(|e| {
                tracing::info!(error = %e, code = e.kind().label(), "generate_data_stream_error");
                self.service.metrics().error("stream", e.kind().label());
                convert::status(&e)
            })?;
            telemetry::record_outcome(&tracing::Span::current(), Some(spec.method.label()), None);
            Ok::<_, Status>(spec)
        })?;
        let handle = self.service.stream_planned(spec, deadline, span.clone()).await.map_err(|e| {
            span.in_scope(
                || tracing::info!(error = %e, code = e.kind().label(), "generate_data_stream_error"),
            );
            convert::status(&e)
        })?;
        let stop = stream::stop_signal(deadline, self.service.hard_stop());
        let stream = stream::chunk_stream(request_id.clone(), handle, stop, span);
        // The slot is given back when the stream is dropped: ended, failed or cancelled.
        let stream: ChunkStream = Box::pin(tokio_stream::StreamExt::map(stream, move |chunk| {
            let _held = &slot;
            chunk
        }));
        Ok(with_request_id(Response::new(stream), &request_id))
    }

    async fn get_schemas(
        &self,
        request: Request<GetSchemasRequest>,
    ) -> Result<Response<GetSchemasResponse>, Status> {
        let span = telemetry::rpc_span("GetSchemas", "", request.get_ref().domain.as_str(), "");
        telemetry::set_grpc_parent(&span, request.metadata());
        let _entered = span.enter();
        let domain = request.into_inner().domain;
        let response = convert::schemas_response(self.service.schemas(&domain));
        telemetry::record_outcome(&span, None, Some(response.schemas.len() as u64));
        Ok(Response::new(response))
    }

    async fn health_check(
        &self,
        request: Request<HealthCheckRequest>,
    ) -> Result<Response<HealthCheckResponse>, Status> {
        let span = telemetry::rpc_span("HealthCheck", "", "", "");
        telemetry::set_grpc_parent(&span, request.metadata());
        let _entered = span.enter();
        let (status, components) = self.service.health();
        Ok(Response::new(HealthCheckResponse { status, components: components.into_iter().collect() }))
    }
}
