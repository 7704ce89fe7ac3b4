//! The one place where protobuf types meet the server's and the engine's types.

use testdata::export::Format;
use testdata::proto;
use testdata::schema::{FieldDef, FieldType};

use tonic::{Code, Status};

use crate::error::{ErrorKind, ServiceError};
use crate::plan::SQL_DIALECT;
use crate::request::{ConstraintSpec, GenerateSpec, Method, ScenarioSpec, SchemaSources};
use crate::service::{Chunk, ChunkMeta, Generated, SchemaSummary};

/// A request in the server's terms. Unknown enum numbers and malformed typed fields are
/// INVALID_ARGUMENT errors naming the field.
pub fn spec_from_proto(r: proto::GenerateRequest) -> Result<GenerateSpec, ServiceError> {
    let format = format_from_wire(r.output_format)?;
    let method = method_from_wire(r.generation_method)?;
    let schema = r.schema.unwrap_or_default();
    let fields = field_defs(&schema.fields)?;
    let constraints = r
        .constraints
        .map(|c| c.field_constraints)
        .unwrap_or_default()
        .into_iter()
        .map(|(path, c)| (path, ConstraintSpec::from(c)))
        .collect();
    let scenarios = r.scenarios.into_iter().map(ScenarioSpec::from).collect();
    Ok(GenerateSpec {
        request_id: r.request_id,
        domain: r.domain,
        sources: SchemaSources {
            inline_schema: r.inline_schema,
            custom_schema: r.custom_schema,
            fields,
            predefined: schema.predefined_schema,
            entity: r.entity,
        },
        constraints,
        scenarios,
        format,
        count: i64::from(r.count),
        defect_triggering: r.defect_triggering,
        method,
        method_given: r.generation_method != 0,
        learn_from_history: r.learn_from_history,
        production_like: r.production_like,
        seed: r.seed,
        offset: r.offset,
        batch_size: i64::from(r.batch_size),
        context: r.context,
        hints: r.hints,
        use_cache: r.use_cache.unwrap_or(true),
    })
}

impl From<proto::FieldConstraint> for ConstraintSpec {
    fn from(c: proto::FieldConstraint) -> ConstraintSpec {
        ConstraintSpec {
            min: c.min,
            max: c.max,
            enum_values: c.enum_values,
            regex: c.regex,
            min_length: c.min_length.map(i64::from),
            max_length: c.max_length.map(i64::from),
            format: c.format,
        }
    }
}

impl From<proto::Scenario> for ScenarioSpec {
    fn from(s: proto::Scenario) -> ScenarioSpec {
        ScenarioSpec {
            name: s.name,
            count: i64::from(s.count),
            overrides: s.overrides.into_iter().collect(),
            description: s.description,
        }
    }
}

/// The output format of an `OutputFormat` number (the gRPC and the HTTP requests' numbering).
pub(crate) fn format_from_wire(n: i32) -> Result<Format, ServiceError> {
    match proto::OutputFormat::try_from(n) {
        Ok(proto::OutputFormat::Json) => Ok(Format::Json),
        Ok(proto::OutputFormat::Csv) => Ok(Format::Csv),
        Ok(proto::OutputFormat::Sql) => Ok(Format::Sql(SQL_DIALECT)),
        Ok(proto::OutputFormat::Jsonl) => Ok(Format::Jsonl),
        Err(_) => Err(ServiceError::invalid(format!(
            "output_format {n} is unknown; use JSON (0), CSV (1), SQL (2) or JSONL (3)"
        ))),
    }
}

/// The generator of a `GenerationMethod` number; 0 (TRADITIONAL) is also what an unset method
/// reads as, which lets the router choose (`GenerateSpec::method_given`).
pub(crate) fn method_from_wire(n: i32) -> Result<Method, ServiceError> {
    match proto::GenerationMethod::try_from(n) {
        Ok(proto::GenerationMethod::Traditional) => Ok(Method::Traditional),
        Ok(proto::GenerationMethod::Llm) => Ok(Method::Llm),
        Ok(proto::GenerationMethod::Rag) => Ok(Method::Rag),
        Ok(proto::GenerationMethod::Hybrid) => Ok(Method::Hybrid),
        Ok(proto::GenerationMethod::ForceTraditional) => Ok(Method::Traditional),
        Err(_) => Err(ServiceError::invalid(format!(
            "generation_method {n} is unknown; use TRADITIONAL (0, routed), LLM (1), RAG (2), HYBRID (3) or \
             FORCE_TRADITIONAL (4)"
        ))),
    }
}

/// A typed field of a request's `schema.fields`, as the gRPC message or the HTTP JSON carries
/// it; [`field_defs`] turns either into schema fields with the same rules.
pub(crate) trait TypedField: Sized {
    /// The field's name.
    fn name(&self) -> &str;
    /// Its `FieldType` number (a JSON request may fail to name one).
    fn type_number(&self) -> Result<i32, ServiceError>;
    /// `required` (false: null in about 10% of records).
    fn required(&self) -> bool;
    /// Documentation.
    fn description(&self) -> &str;
    /// Members of an OBJECT, or of each element of an ARRAY.
    fn nested(&self) -> &[Self];
}

impl TypedField for proto::Field {
    fn name(&self) -> &str {
        &self.name
    }
    fn type_number(&self) -> Result<i32, ServiceError> {
        Ok(self.r#type)
    }
    fn required(&self) -> bool {
        self.required
    }
    fn description(&self) -> &str {
        &self.description
    }
    fn nested(&self) -> &[Self] {
        &self.nested_fields
    }
}

/// `schema.fields` as schema fields.
pub(crate) fn field_defs<F: TypedField>(fields: &[F]) -> Result<Vec<FieldDef>, ServiceError> {
    fields.iter().enumerate().map(|(i, f)| field_def(f, &format!("schema.fields[{i}]"))).collect()
}

/// A typed field as a schema field. `required=false` makes the field null in about 10% of
/// records; OBJECT takes `nested_fields` as members, ARRAY as the members of each element
/// (an ARRAY without nested fields holds strings).
fn field_def<F: TypedField>(f: &F, at: &str) -> Result<FieldDef, ServiceError> {
    if f.name().is_empty() {
        return Err(ServiceError::invalid(format!("{at} has no name; give each field a name")));
    }
    let at = format!("{at} (`{}`)", f.name());
    let number = f.type_number()?;
    let ty = match proto::FieldType::try_from(number) {
        Ok(t) => t,
        Err(_) => {
            return Err(ServiceError::invalid(format!("{at}: type {number} is not a FieldType (0..=12)")));
        }
    };
    let nested = |label: &str| -> Result<Vec<FieldDef>, ServiceError> {
        f.nested()
            .iter()
            .enumerate()
            .map(|(i, n)| field_def(n, &format!("{label}.nested_fields[{i}]")))
            .collect()
    };
    let mut def = FieldDef {
        name: f.name().to_owned(),
        description: (!f.description().is_empty()).then(|| f.description().to_owned()),
        required: (!f.required()).then_some(false),
        ..FieldDef::default()
    };
    def.ty = Some(match ty {
        proto::FieldType::String => FieldType::String,
        proto::FieldType::Integer => FieldType::Integer,
        proto::FieldType::Float => FieldType::Float,
        proto::FieldType::Boolean => FieldType::Boolean,
        proto::FieldType::Date => FieldType::Date,
        proto::FieldType::Datetime => FieldType::Datetime,
        proto::FieldType::Email => FieldType::Email,
        proto::FieldType::Phone => FieldType::Phone,
        proto::FieldType::Address => FieldType::Address,
        proto::FieldType::Uuid => FieldType::Uuid,
        proto::FieldType::Enum => FieldType::Enum,
        proto::FieldType::Object => {
            let members = nested(&at)?;
            if members.is_empty() {
                return Err(ServiceError::invalid(format!("{at}: an OBJECT field needs nested_fields")));
            }
            def.fields = Some(members);
            FieldType::Object
        }
        proto::FieldType::Array => {
            let members = nested(&at)?;
            let item = if members.is_empty() {
                FieldDef { ty: Some(FieldType::String), ..FieldDef::default() }
            } else {
                FieldDef { ty: Some(FieldType::Object), fields: Some(members), ..FieldDef::default() }
            };
            def.items = Some(Box::new(item));
            FieldType::Array
        }
    });
    Ok(def)
}

/// The proto error code of an error class.
pub(crate) fn error_code(kind: ErrorKind) -> proto::ErrorCode {
    match kind {
        ErrorKind::InvalidArgument => proto::ErrorCode::InvalidArgument,
        ErrorKind::NotFound => proto::ErrorCode::NotFound,
        ErrorKind::CountLimit => proto::ErrorCode::CountLimit,
        ErrorKind::Unavailable => proto::ErrorCode::Unavailable,
        ErrorKind::FailedPrecondition => proto::ErrorCode::FailedPrecondition,
        ErrorKind::Internal => proto::ErrorCode::Internal,
    }
}

/// The gRPC status of an error (streams and non-in-band RPCs).
pub(crate) fn status(e: &ServiceError) -> Status {
    let code = match e.kind() {
        ErrorKind::InvalidArgument | ErrorKind::CountLimit => Code::InvalidArgument,
        ErrorKind::NotFound => Code::NotFound,
        ErrorKind::Unavailable => Code::Unavailable,
        ErrorKind::FailedPrecondition => Code::FailedPrecondition,
        ErrorKind::Internal => Code::Internal,
    };
    Status::new(code, e.to_string())
}

/// A successful `GenerateResponse`: the metadata a chunk carries, plus the generation time,
/// the coherence score and the scenario counts.
pub(crate) fn response_ok(request_id: String, g: Generated) -> proto::GenerateResponse {
    let meta =
        ChunkMeta { path: g.path, routing_reason: g.routing_reason, fallback: g.fallback, report: g.report };
    proto::GenerateResponse {
        request_id,
        success: true,
        data: g.data,
        record_count: i32::try_from(g.record_count).unwrap_or(i32::MAX),
        metadata: Some(proto::GenerationMetadata {
            generation_time_ms: (g.elapsed.as_secs_f64() * 1000.0) as f32,
            coherence_score: g.coherence.unwrap_or(0.0) as f32,
            scenario_counts: g
                .plan
                .scenario_counts
                .iter()
                .map(|(k, v)| (k.clone(), i32::try_from(*v).unwrap_or(i32::MAX)))
                .collect(),
            ..chunk_metadata(g.plan.seed, &g.plan.schema_name, g.plan.format, meta)
        }),
        error: String::new(),
        error_code: proto::ErrorCode::Unspecified as i32,
    }
}

/// A failed `GenerateResponse` (in-band: `success=false`, `error`, `error_code`).
pub(crate) fn response_err(request_id: String, e: &ServiceError) -> proto::GenerateResponse {
    proto::GenerateResponse {
        request_id,
        success: false,
        data: String::new(),
        record_count: 0,
        metadata: None,
        error: e.to_string(),
        error_code: error_code(e.kind()) as i32,
    }
}

/// The `output_format` name of a format.
fn format_name(format: Format) -> &'static str {
    match format {
        Format::Json => "json",
        Format::Jsonl => "jsonl",
        Format::Csv => "csv",
        Format::Sql(_) => "sql",
    }
}

/// A chunk's metadata on the wire (see `DataChunk.metadata` in the proto); a unary answer's
/// adds the members only it carries ([`response_ok`]).
fn chunk_metadata(
    seed: u64,
    schema_name: &str,
    format: Format,
    meta: ChunkMeta,
) -> proto::GenerationMetadata {
    let count = |n: u64| i32::try_from(n).unwrap_or(i32::MAX);
    proto::GenerationMetadata {
        generation_path: meta.path.label().into(),
        llm_tokens_used: count(meta.report.tokens),
        seed,
        cache_hit: meta.report.cache_hit,
        routing_reason: meta.routing_reason,
        fallback: meta.fallback,
        schema_name: schema_name.to_owned(),
        output_format: format_name(format).into(),
        records_repaired: count(meta.report.records_repaired),
        fields_repaired: count(meta.report.fields_repaired),
        provider: meta.report.provider,
        model: meta.report.model,
        ..proto::GenerationMetadata::default()
    }
}

/// A chunk on the wire, with the stream's seed, schema name and format.
pub(crate) fn data_chunk(
    request_id: &str,
    seed: u64,
    schema_name: &str,
    format: Format,
    c: Chunk,
) -> proto::DataChunk {
    proto::DataChunk {
        metadata: Some(chunk_metadata(seed, schema_name, format, c.meta)),
        request_id: request_id.to_owned(),
        data: c.data,
        chunk_index: c.index,
        is_final: c.is_final,
        first_record: c.first_record,
        record_count: i32::try_from(c.record_count).unwrap_or(i32::MAX),
        seed,
    }
}

/// `GetSchemasResponse` of the summaries.
pub(crate) fn schemas_response(schemas: Vec<SchemaSummary>) -> proto::GetSchemasResponse {
    proto::GetSchemasResponse {
        schemas: schemas
            .into_iter()
            .map(|s| proto::SchemaInfo {
                name: s.name,
                domain: s.domain,
                description: s.description,
                fields: s
                    .fields
                    .into_iter()
                    .map(|f| proto::SchemaFieldInfo {
                        name: f.name,
                        r#type: f.ty,
                        required: f.required,
                        description: f.description,
                        example: f.example,
                    })
                    .collect(),
                schema_json: s.schema_json,
            })
            .collect(),
    }
}
