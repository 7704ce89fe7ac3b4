//! Queries over Weaviate's gRPC API (`weaviate.v1.Weaviate/Search`): BM25 over the `text`
//! property, an exact filter on `entity` AND `domain`, `limit` = top k, and the stored JSON
//! document back. GraphQL, which Weaviate has deprecated, is not used.

use tonic::metadata::{Ascii, MetadataValue};
use tonic::transport::{Channel, ClientTlsConfig, Endpoint};

use super::error::WeaviateError;
use super::object::prop;
use super::proto::filter_target::Target;
use super::proto::filters::{Operator, TestValue};
use super::proto::weaviate_client::WeaviateClient;
use super::proto::{
    Bm25, FilterTarget, Filters, MetadataRequest, PropertiesRequest, SearchReply, SearchRequest, SortBy,
    value,
};
use super::settings::WeaviateSettings;
use crate::rag::{Document, Query};

/// A gRPC client of one Weaviate (the channel connects on first use and reconnects).
#[derive(Debug, Clone)]
pub struct Grpc {
    client: WeaviateClient<Channel>,
    url: String,
    authorization: Option<MetadataValue<Ascii>>,
}

impl Grpc {
    /// A client for `settings` (no connection is made yet).
    pub fn new(settings: &WeaviateSettings) -> Result<Grpc, WeaviateError> {
        let url = settings.grpc_url()?;
        let bad = |e: String| WeaviateError::Settings(format!("gRPC address {url:?}: {e}"));
        let mut endpoint = Endpoint::from_shared(url.clone())
            .map_err(|e| bad(e.to_string()))?
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .tcp_nodelay(true);
        if url.starts_with("https://") {
            let _ = rustls::crypto::ring::default_provider().install_default();
            endpoint = endpoint
                .tls_config(ClientTlsConfig::new().with_native_roots())
                .map_err(|e| bad(e.to_string()))?;
        }
        let authorization = match &settings.api_key {
            Some(key) => Some(format!("Bearer {key}").parse().map_err(|_| {
                WeaviateError::Settings("WEAVIATE_API_KEY holds characters a gRPC header cannot carry".into())
            })?),
            None => None,
        };
        Ok(Grpc { client: WeaviateClient::new(endpoint.connect_lazy()), url, authorization })
    }

    /// The gRPC URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// One `Search` call, with the API key as `authorization: Bearer …` metadata.
    pub async fn search(&self, request: SearchRequest) -> Result<SearchReply, WeaviateError> {
        let mut request = tonic::Request::new(request);
        if let Some(value) = &self.authorization {
            request.metadata_mut().insert("authorization", value.clone());
        }
        let mut client = self.client.clone();
        client.search(request).await.map(tonic::Response::into_inner).map_err(|s| self.status_error(s))
    }

    fn status_error(&self, status: tonic::Status) -> WeaviateError {
        let detail = format!("{:?}: {}", status.code(), status.message());
        match status.code() {
            tonic::Code::Unauthenticated | tonic::Code::PermissionDenied => {
                WeaviateError::Unauthorized { call: "gRPC Search".into(), detail }
            }
            tonic::Code::Unavailable => WeaviateError::Unreachable { url: self.url.clone(), message: detail },
            code => WeaviateError::Grpc {
                call: "Search".into(),
                code: format!("{code:?}"),
                message: status.message().to_owned(),
            },
        }
    }
}

/// `property == value` (exact on `field`-tokenized properties).
fn equal(property: &str, value: &str) -> Filters {
    Filters {
        operator: Operator::Equal as i32,
        target: Some(FilterTarget { target: Some(Target::Property(property.to_owned())) }),
        test_value: Some(TestValue::ValueText(value.to_owned())),
        ..Filters::default()
    }
}

/// `entity == query.entity AND domain == query.domain` (no domain clause for an empty domain).
pub fn entity_filter(query: &Query) -> Filters {
    let entity = equal(prop::ENTITY, &query.entity);
    if query.domain.is_empty() {
        return entity;
    }
    Filters {
        operator: Operator::And as i32,
        filters: vec![entity, equal(prop::DOMAIN, &query.domain)],
        ..Filters::default()
    }
}

/// The fields every query asks back: the JSON document, the UUID and the score.
fn base_request(collection: &str, limit: usize) -> SearchRequest {
    SearchRequest {
        collection: collection.to_owned(),
        properties: Some(PropertiesRequest {
            non_ref_properties: vec![prop::DOCUMENT.to_owned()],
            ..PropertiesRequest::default()
        }),
        metadata: Some(MetadataRequest { uuid: true, score: true }),
        limit: u32::try_from(limit).unwrap_or(u32::MAX),
        uses_127_api: true,
        ..SearchRequest::default()
    }
}

/// BM25 over `text`, filtered on the query's entity and domain, `limit` = `query.top_k`.
pub fn bm25_request(collection: &str, query: &Query) -> SearchRequest {
    SearchRequest {
        filters: Some(entity_filter(query)),
        bm25_search: Some(Bm25 { query: query.text.clone(), properties: vec![prop::TEXT.to_owned()] }),
        ..base_request(collection, query.top_k)
    }
}

/// The query's entity and domain by quality, best first (what fills up a BM25 answer with
/// fewer than k hits, as the embedded store does).
pub fn by_quality_request(collection: &str, query: &Query, limit: usize) -> SearchRequest {
    SearchRequest {
        filters: Some(entity_filter(query)),
        sort_by: vec![
            SortBy { ascending: false, path: vec![prop::QUALITY.to_owned()] },
            SortBy { ascending: true, path: vec![prop::DOC_ID.to_owned()] },
        ],
        ..base_request(collection, limit)
    }
}

/// A page of a whole collection, after the cursor `after` (an object UUID).
pub fn page_request(collection: &str, after: Option<String>, limit: usize) -> SearchRequest {
    SearchRequest { after, ..base_request(collection, limit) }
}

/// The documents of a reply, with their UUIDs and scores, in order.
pub fn decode(reply: SearchReply) -> Result<Vec<(String, Document, f32)>, WeaviateError> {
    let bad = |message: String| WeaviateError::Decode { call: "gRPC Search".into(), message };
    reply
        .results
        .into_iter()
        .map(|result| {
            let metadata = result.metadata.unwrap_or_default();
            let json = result
                .properties
                .and_then(|p| p.non_ref_props)
                .and_then(|mut p| p.fields.remove(prop::DOCUMENT))
                .and_then(|v| match v.kind {
                    Some(value::Kind::TextValue(s)) => Some(s),
                    _ => None,
                })
                .ok_or_else(|| {
                    bad(format!("object {} has no text property `{}`", metadata.id, prop::DOCUMENT))
                })?;
            let document: Document =
                serde_json::from_str(&json).map_err(|e| bad(format!("object {}: {e}", metadata.id)))?;
            let score = if metadata.score_present { metadata.score } else { 0.0 };
            Ok((metadata.id, document, score))
        })
        .collect()
}
