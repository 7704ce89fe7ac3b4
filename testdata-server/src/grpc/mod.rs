//! The `testdata.v1.TestDataService` gRPC service: a thin edge over [`crate::service`].
//! Conversions between protobuf and the server's own types live in [`convert`] only.
//!
//! `GenerateData` keeps the old in-band contract (`success=false`, `error`, plus the new
//! `error_code`); the other RPCs report failures as gRPC status codes.

pub mod convert;

use std::pin::Pin;
use std::sync::Arc;

use testdata::proto::{
    DataChunk, GenerateRequest, GenerateResponse, GetSchemasRequest, GetSchemasResponse, HealthCheckRequest,
    HealthCheckResponse,
};
use tokio_stream::Stream;
use tonic::{Request, Response, Status};

use crate::service::Service;

/// Server stubs generated from the proto (messages come from `testdata::proto`).
#[allow(missing_docs, clippy::all)]
pub mod pb {
    tonic::include_proto!("testdata.v1");
}

pub use pb::test_data_service_server::{TestDataService, TestDataServiceServer};

/// The encoded descriptor set of `testdata/v1/test_data.proto` (for server reflection).
pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/testdata_descriptor.bin"));

/// The gRPC service.
#[derive(Debug, Clone)]
pub struct Grpc {
    service: Arc<Service>,
}

impl Grpc {
    /// The gRPC service over `service`.
    pub fn new(service: Arc<Service>) -> Grpc {
        Grpc { service }
    }
}

/// The stream type of `GenerateDataStream`.
pub type ChunkStream = Pin<Box<dyn Stream<Item = Result<DataChunk, Status>> + Send + 'static>>;

#[tonic::async_trait]
impl TestDataService for Grpc {
    async fn generate_data(
        &self,
        request: Request<GenerateRequest>,
    ) -> Result<Response<GenerateResponse>, Status> {
        let request = request.into_inner();
        let request_id = request.request_id.clone();
        let response = match convert::spec_from_proto(request) {
            Ok(spec) => {
                tracing::debug!(request_id = %spec.request_id, entity = %spec.sources.entity, count = spec.count, "generate_data_request");
                match self.service.generate(&spec).await {
                    Ok(generated) => convert::response_ok(request_id, generated),
                    Err(e) => {
                        tracing::info!(request_id = %request_id, error = %e, "generate_data_error");
                        convert::response_err(request_id, &e)
                    }
                }
            }
            Err(e) => {
                self.service.metrics().error("generate", e.kind().label());
                convert::response_err(request_id, &e)
            }
        };
        Ok(Response::new(response))
    }

    type GenerateDataStreamStream = ChunkStream;

    async fn generate_data_stream(
        &self,
        request: Request<GenerateRequest>,
    ) -> Result<Response<Self::GenerateDataStreamStream>, Status> {
        let request = request.into_inner();
        let request_id = request.request_id.clone();
        let spec = convert::spec_from_proto(request).map_err(|e| convert::status(&e))?;
        let handle = self.service.stream(&spec).map_err(|e| convert::status(&e))?;
        Ok(Response::new(convert::chunk_stream(request_id, handle)))
    }

    async fn get_schemas(
        &self,
        request: Request<GetSchemasRequest>,
    ) -> Result<Response<GetSchemasResponse>, Status> {
        let domain = request.into_inner().domain;
        Ok(Response::new(convert::schemas_response(self.service.schemas(&domain))))
    }

    async fn health_check(
        &self,
        _: Request<HealthCheckRequest>,
    ) -> Result<Response<HealthCheckResponse>, Status> {
        let (status, components) = self.service.health();
        Ok(Response::new(HealthCheckResponse { status, components: components.into_iter().collect() }))
    }
}
