//! End-to-end tests over real sockets: the server runs in-process on 127.0.0.1:0 (gRPC and
//! HTTP) and is called with `testdata::remote::Client`, raw tonic clients and raw HTTP/1.1.

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{Value, json};
use testdata::proto::test_data_service_client::TestDataServiceClient;
use testdata::proto::{self, ErrorCode, GenerateRequest, GenerationMethod, OutputFormat};
use testdata::remote::{Client, RemoteError, Request};
use testdata_server::config::Config;
use testdata_server::registry::Registry;
use testdata_server::server::{Running, start};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tonic::Code;
use tonic::transport::Channel;

async fn server() -> Running {
    server_with(Config::ephemeral()).await
}

async fn server_with(config: Config) -> Running {
    start(config).await.expect("server starts")
}

async fn raw(r: &Running) -> TestDataServiceClient<Channel> {
    TestDataServiceClient::connect(format!("http://{}", r.grpc_addr)).await.expect("connect")
}

async fn chan(r: &Running) -> Channel {
    Channel::from_shared(format!("http://{}", r.grpc_addr)).unwrap().connect().await.unwrap()
}

async fn client(r: &Running) -> Client {
    Client::connect(format!("http://{}", r.grpc_addr)).await.expect("connect")
}

fn req(entity: &str, count: i32, seed: u64) -> GenerateRequest {
    GenerateRequest { entity: entity.into(), count, seed: Some(seed), ..Default::default() }
}

/// Record `i` of `entity` generated in-process, as the server must serialise it.
fn in_process(entity: &str, seed: u64, range: std::ops::Range<u64>, scenario: &str) -> Vec<Value> {
    let registry = Registry::builtin().unwrap();
    let schema = registry.get(entity).unwrap();
    range
        .map(|i| {
            let mut v = schema.nth(seed, i).unwrap();
            let m = v.as_object_mut().unwrap();
            m.insert("_index".into(), json!(i));
            m.insert("_scenario".into(), json!(scenario));
            v
        })
        .collect()
}

async fn generate(r: &Running, request: GenerateRequest) -> proto::GenerateResponse {
    raw(r).await.generate_data(request).await.expect("GenerateData answers in-band").into_inner()
}

async fn assert_error(r: &Running, request: GenerateRequest, code: ErrorCode, needles: &[&str]) -> String {
    let resp = generate(r, request).await;
    assert!(!resp.success, "expected failure, got {} records", resp.record_count);
    assert_eq!(resp.error_code, code as i32, "error: {}", resp.error);
    assert!(resp.data.is_empty());
    for n in needles {
        assert!(resp.error.contains(n), "error `{}` should contain `{n}`", resp.error);
    }
    resp.error
}

async fn collect_stream(r: &Running, request: GenerateRequest) -> Vec<proto::DataChunk> {
    let mut s = raw(r).await.generate_data_stream(request).await.expect("stream starts").into_inner();
    let mut out = Vec::new();
    while let Some(c) = s.message().await.expect("chunk") {
        out.push(c);
    }
    out
}

/// A minimal HTTP/1.1 client: (status, body).
async fn http(r: &Running, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut s = tokio::net::TcpStream::connect(r.http_addr).await.unwrap();
    let msg = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(msg.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    let text = String::from_utf8(buf).unwrap();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap();
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        dechunk(rest)
    } else {
        rest.to_owned()
    };
    (status, body)
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    loop {
        let Some((len, rest)) = s.split_once("\r\n") else { return out };
        let n = usize::from_str_radix(len.trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
}

// ---------------------------------------------------------------- GenerateData

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_seed_same_bytes_as_in_process() {
    let r = server().await;
    let resp = generate(&r, req("cart", 25, 7)).await;
    assert!(resp.success, "{}", resp.error);
    assert_eq!(resp.record_count, 25);
    let expected = serde_json::to_string(&in_process("cart", 7, 0..25, "default")).unwrap();
    assert_eq!(resp.data, expected, "server bytes differ from in-process Schema::nth");
    let m = resp.metadata.unwrap();
    assert_eq!(m.seed, 7);
    assert_eq!(m.generation_path, "traditional");
    assert_eq!(m.schema_name, "cart");
    assert_eq!(m.scenario_counts, HashMap::from([("default".to_string(), 25)]));
    assert!(m.generation_time_ms > 0.0, "generation time is measured");
    assert!(!m.routing_reason.is_empty());
    // Again: identical.
    assert_eq!(generate(&r, req("cart", 25, 7)).await.data, resp.data);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn absent_seed_is_drawn_and_returned_for_replay() {
    let r = server().await;
    let mut first = req("user", 5, 0);
    first.seed = None;
    let a = generate(&r, first.clone()).await;
    let b = generate(&r, first).await;
    let (sa, sb) = (a.metadata.unwrap().seed, b.metadata.unwrap().seed);
    assert_ne!(sa, sb, "two unseeded requests get different seeds");
    let replay = generate(&r, req("user", 5, sa)).await;
    assert_eq!(replay.data, a.data);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_error_is_in_band_with_a_code_and_the_server_keeps_serving() {
    let r = server().await;
    // Count limit: the old text, the new code.
    let e =
        assert_error(&r, req("cart", 1001, 1), ErrorCode::CountLimit, &["exceeds max sync limit 1000"]).await;
    assert_eq!(e, "Count 1001 exceeds max sync limit 1000. Use streaming instead.");
    assert_error(&r, req("cart", 0, 1), ErrorCode::InvalidArgument, &["count"]).await;
    assert_error(&r, req("cart", -5, 1), ErrorCode::InvalidArgument, &["count is -5"]).await;
    // Unknown entity names the known ones.
    assert_error(&r, req("spaceship", 3, 1), ErrorCode::NotFound, &["spaceship", "cart", "user", "order"])
        .await;
    // Bad inline schemas: not JSON, unknown key, contradiction.
    let inline = |s: &str| GenerateRequest { inline_schema: s.into(), count: 2, ..Default::default() };
    assert_error(&r, inline("{not json"), ErrorCode::InvalidArgument, &["inline_schema", "JSON"]).await;
    assert_error(
        &r,
        inline(r#"{"name":"t","fields":[{"name":"a","mni":1}]}"#),
        ErrorCode::InvalidArgument,
        &["inline_schema", "mni"],
    )
    .await;
    assert_error(
        &r,
        inline(r#"{"name":"t","fields":[{"name":"a","type":"integer","min":5,"max":1}]}"#),
        ErrorCode::InvalidArgument,
        &["inline_schema", "`a`"],
    )
    .await;
    // custom_schema is checked the same way.
    let custom = GenerateRequest { custom_schema: "[1,2]".into(), count: 1, ..Default::default() };
    assert_error(&r, custom, ErrorCode::InvalidArgument, &["custom_schema"]).await;
    // Bad constraints: unknown field, member that does not apply, contradiction.
    let constrained = |path: &str, c: proto::FieldConstraint| GenerateRequest {
        constraints: Some(proto::Constraints { field_constraints: HashMap::from([(path.to_string(), c)]) }),
        ..req("cart", 3, 1)
    };
    assert_error(
        &r,
        constrained("items.weight", proto::FieldConstraint { min: Some(1.0), ..Default::default() }),
        ErrorCode::InvalidArgument,
        &["items.weight", "weight", "quantity"],
    )
    .await;
    assert_error(
        &r,
        constrained("cart_id", proto::FieldConstraint { min: Some(1.0), ..Default::default() }),
        ErrorCode::InvalidArgument,
        &["`min`", "cart_id"],
    )
    .await;
    assert_error(
        &r,
        constrained(
            "items.quantity",
            proto::FieldConstraint { min: Some(9.0), max: Some(2.0), ..Default::default() },
        ),
        ErrorCode::InvalidArgument,
        &["items.quantity", "min 9"],
    )
    .await;
    assert_error(
        &r,
        constrained("items.quantity", proto::FieldConstraint { min: Some(1.5), ..Default::default() }),
        ErrorCode::InvalidArgument,
        &["whole number"],
    )
    .await;
    // Overrides: unknown field, wrong type.
    let scen = |k: &str, v: &str| GenerateRequest {
        scenarios: vec![proto::Scenario {
            name: "s".into(),
            count: 2,
            overrides: HashMap::from([(k.to_string(), v.to_string())]),
            description: String::new(),
        }],
        ..req("cart", 3, 1)
    };
    assert_error(&r, scen("coupon", "X"), ErrorCode::InvalidArgument, &["coupon", "cart_id"]).await;
    assert_error(
        &r,
        scen("items.quantity", "many"),
        ErrorCode::InvalidArgument,
        &["items.quantity", "integer"],
    )
    .await;
    assert_error(&r, scen("currency", "EUR"), ErrorCode::InvalidArgument, &["currency", "USD"]).await;
    assert_error(&r, scen("items", "{}"), ErrorCode::InvalidArgument, &["array"]).await;
    // Scenario counts above count.
    let mut too_many = scen("currency", "CAD");
    too_many.scenarios[0].count = 10;
    assert_error(&r, too_many, ErrorCode::InvalidArgument, &["add up to 10", "count 3"]).await;
    // LLM / RAG / HYBRID without provider: UNAVAILABLE, no silent fallback.
    let llm = GenerateRequest { generation_method: GenerationMethod::Llm as i32, ..req("cart", 3, 1) };
    assert_error(
        &r,
        llm,
        ErrorCode::Unavailable,
        &["generation method LLM needs an LLM provider", "TRADITIONAL"],
    )
    .await;
    let hybrid = GenerateRequest { generation_method: GenerationMethod::Hybrid as i32, ..req("cart", 3, 1) };
    assert_error(&r, hybrid, ErrorCode::Unavailable, &["HYBRID"]).await;
    // Unknown enum numbers.
    let fmt = GenerateRequest { output_format: 42, ..req("cart", 3, 1) };
    assert_error(&r, fmt, ErrorCode::InvalidArgument, &["output_format 42"]).await;
    // No schema at all.
    let none = GenerateRequest { count: 1, ..Default::default() };
    assert_error(&r, none, ErrorCode::InvalidArgument, &["entity", "cart"]).await;
    // Offset on GenerateData.
    let off = GenerateRequest { offset: 3, ..req("cart", 3, 1) };
    assert_error(&r, off, ErrorCode::InvalidArgument, &["offset"]).await;

    // Still serving.
    let ok = generate(&r, req("cart", 3, 1)).await;
    assert!(ok.success && ok.record_count == 3, "{}", ok.error);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenarios_with_typed_nested_overrides_keep_totals_consistent() {
    let r = server().await;
    let request = GenerateRequest {
        scenarios: vec![
            proto::Scenario {
                name: "bulk".into(),
                count: 10,
                overrides: HashMap::from([
                    ("items.quantity".to_string(), "7".to_string()),
                    ("currency".to_string(), "CAD".to_string()),
                ]),
                description: "seven of everything".into(),
            },
            proto::Scenario {
                name: "plain".into(),
                count: 5,
                overrides: HashMap::new(),
                description: String::new(),
            },
        ],
        ..req("cart", 30, 11)
    };
    let resp = generate(&r, request).await;
    assert!(resp.success, "{}", resp.error);
    let m = resp.metadata.unwrap();
    assert_eq!(
        m.scenario_counts,
        HashMap::from([("bulk".to_string(), 10), ("plain".to_string(), 5), ("default".to_string(), 15)])
    );
    let records: Vec<Value> = serde_json::from_str(&resp.data).unwrap();
    assert_eq!(records.len(), 30);
    let registry = Registry::builtin().unwrap();
    let cart = registry.get("cart").unwrap();
    for (i, rec) in records.iter().enumerate() {
        assert_eq!(rec["_index"], json!(i));
        let scenario = if i < 10 {
            "bulk"
        } else if i < 15 {
            "plain"
        } else {
            "default"
        };
        assert_eq!(rec["_scenario"], json!(scenario));
        let mut bare = rec.clone();
        bare.as_object_mut().unwrap().shift_remove("_index");
        bare.as_object_mut().unwrap().shift_remove("_scenario");
        // Totals are recomputed from the overridden quantities: the cart rules hold.
        cart.validate(&bare).unwrap_or_else(|v| panic!("record {i}: {v}"));
        if i < 10 {
            assert_eq!(rec["currency"], json!("CAD"));
            for item in rec["items"].as_array().unwrap() {
                assert_eq!(item["quantity"], json!(7), "typed integer, not the string \"7\"");
            }
        } else {
            // Scenarios without overrides (and default records) are the entity's own records.
            assert_eq!(bare, cart.nth(11, i as u64).unwrap());
        }
    }
    // count 0 with scenarios = their sum (the old service's behaviour).
    let sum_only = GenerateRequest {
        count: 0,
        scenarios: vec![proto::Scenario { name: "a".into(), count: 4, ..Default::default() }],
        ..req("user", 0, 1)
    };
    let resp = generate(&r, sum_only).await;
    assert_eq!(resp.record_count, 4, "{}", resp.error);
    // A nested object member override.
    let nested = GenerateRequest {
        scenarios: vec![proto::Scenario {
            name: "springfield".into(),
            count: 3,
            overrides: HashMap::from([("shipping_address.city".to_string(), "Springfield".to_string())]),
            description: String::new(),
        }],
        ..req("order", 3, 5)
    };
    let resp = generate(&r, nested).await;
    assert!(resp.success, "{}", resp.error);
    let records: Vec<Value> = serde_json::from_str(&resp.data).unwrap();
    assert!(records.iter().all(|o| o["shipping_address"]["city"] == json!("Springfield")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn constraints_are_merged_and_honoured() {
    let r = server().await;
    let c =
        |min: Option<f64>, max: Option<f64>, values: &[&str], regex: Option<&str>| proto::FieldConstraint {
            min,
            max,
            enum_values: values.iter().map(|s| s.to_string()).collect(),
            regex: regex.map(str::to_owned),
            ..Default::default()
        };
    let request = GenerateRequest {
        constraints: Some(proto::Constraints {
            field_constraints: HashMap::from([
                ("items.quantity".to_string(), c(Some(2.0), Some(3.0), &[], None)),
                ("currency".to_string(), c(None, None, &["CAD"], None)),
                ("customer_id".to_string(), c(None, None, &[], Some("USR-[0-9]{3}"))),
            ]),
        }),
        ..req("cart", 200, 3)
    };
    let resp = generate(&r, request).await;
    assert!(resp.success, "{}", resp.error);
    // The merged schema, built independently here.
    let registry = Registry::builtin().unwrap();
    let mut def = registry.get("cart").unwrap().def().clone();
    for f in &mut def.fields {
        match f.name.as_str() {
            "currency" => {
                f.values = Some(vec![json!("CAD")]);
                f.weights = None;
            }
            "customer_id" => {
                f.pattern = Some("USR-[0-9]{3}".into());
                f.format = None;
                f.reference = None;
            }
            "items" => {
                let item = f.items.as_mut().unwrap();
                for m in item.fields.as_mut().unwrap() {
                    if m.name == "quantity" {
                        m.min = Some(json!(2));
                        m.max = Some(json!(3));
                    }
                }
            }
            _ => {}
        }
    }
    let merged = registry.compile(def).unwrap();
    let records: Vec<Value> = serde_json::from_str(&resp.data).unwrap();
    let mut quantities = std::collections::BTreeSet::new();
    for (i, rec) in records.into_iter().enumerate() {
        let mut bare = rec;
        bare.as_object_mut().unwrap().shift_remove("_index");
        bare.as_object_mut().unwrap().shift_remove("_scenario");
        merged.validate(&bare).unwrap_or_else(|v| panic!("record {i}: {v}"));
        assert_eq!(bare["customer_id"].as_str().unwrap().len(), 7);
        for item in bare["items"].as_array().unwrap() {
            quantities.insert(item["quantity"].as_i64().unwrap());
        }
    }
    assert_eq!(quantities, [2, 3].into(), "both bounds reached, nothing outside");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_formats_parse() {
    let r = server().await;
    let expected = in_process("user", 9, 0..20, "default");
    // JSONL: one record per line, equal to in-process records.
    let resp =
        generate(&r, GenerateRequest { output_format: OutputFormat::Jsonl as i32, ..req("user", 20, 9) })
            .await;
    assert!(resp.success, "{}", resp.error);
    let lines: Vec<Value> = resp.data.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines, expected);
    assert_eq!(resp.metadata.unwrap().output_format, "jsonl");
    // CSV: header + 20 rows; the first column is user_id, the last two are _index, _scenario.
    let resp =
        generate(&r, GenerateRequest { output_format: OutputFormat::Csv as i32, ..req("user", 20, 9) }).await;
    assert!(resp.success, "{}", resp.error);
    let rows: Vec<&str> = resp.data.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 21, "{}", resp.data);
    assert!(rows[0].starts_with("user_id,email,"), "{}", rows[0]);
    assert!(rows[0].ends_with(",_index,_scenario"));
    for (i, row) in rows[1..].iter().enumerate() {
        assert!(row.starts_with(expected[i]["user_id"].as_str().unwrap()));
        assert!(row.ends_with(&format!(",{i},default")), "{row}");
    }
    // SQL: one PostgreSQL INSERT per record into the entity's table.
    let resp =
        generate(&r, GenerateRequest { output_format: OutputFormat::Sql as i32, ..req("cart", 5, 9) }).await;
    assert!(resp.success, "{}", resp.error);
    let stmts: Vec<&str> = resp.data.lines().collect();
    assert_eq!(stmts.len(), 5);
    for s in stmts {
        assert!(s.starts_with("INSERT INTO \"cart\" (\"cart_id\", \"customer_id\", \"items\""), "{s}");
        assert!(s.ends_with(");"), "{s}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn defect_triggering_mixes_edge_cases_and_stays_valid() {
    let r = server().await;
    let plain = generate(&r, req("user", 200, 4)).await;
    let edgy = generate(&r, GenerateRequest { defect_triggering: true, ..req("user", 200, 4) }).await;
    assert!(edgy.success, "{}", edgy.error);
    assert_ne!(plain.data, edgy.data);
    let registry = Registry::builtin().unwrap();
    let user = registry.get("user").unwrap();
    let records: Vec<Value> = serde_json::from_str(&edgy.data).unwrap();
    for rec in records {
        let mut bare = rec;
        bare.as_object_mut().unwrap().shift_remove("_index");
        bare.as_object_mut().unwrap().shift_remove("_scenario");
        user.validate(&bare).unwrap_or_else(|v| panic!("{v}"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_request_schemas_are_not_registered() {
    let r = server().await;
    let inline = r#"{"name":"widget","domain":"tools","fields":[
        {"name":"id","format":"W-{digits:5}","unique":true},
        {"name":"size","type":"integer","min":1,"max":3}]}"#;
    let resp = generate(
        &r,
        GenerateRequest { inline_schema: inline.into(), count: 4, seed: Some(1), ..Default::default() },
    )
    .await;
    assert!(resp.success, "{}", resp.error);
    assert_eq!(resp.metadata.unwrap().schema_name, "widget");
    let expected: Vec<Value> = {
        let s = testdata::Schema::from_json(inline).unwrap();
        (0..4u64)
            .map(|i| {
                let mut v = s.nth(1, i).unwrap();
                v.as_object_mut().unwrap().insert("_index".into(), json!(i));
                v.as_object_mut().unwrap().insert("_scenario".into(), json!("default"));
                v
            })
            .collect()
    };
    assert_eq!(resp.data, serde_json::to_string(&expected).unwrap());
    // The old dict format is accepted too.
    let legacy = r#"{"name":"thing","domain":"x","description":"d","fields":{"code":{"type":"string","format":"T-{random:4}"}}}"#;
    let resp =
        generate(&r, GenerateRequest { inline_schema: legacy.into(), count: 2, ..Default::default() }).await;
    assert!(resp.success, "{}", resp.error);
    // Typed proto fields.
    let f = |name: &str, ty: proto::FieldType, nested: Vec<proto::Field>| proto::Field {
        name: name.into(),
        r#type: ty as i32,
        required: true,
        description: String::new(),
        nested_fields: nested,
    };
    let typed = GenerateRequest {
        entity: "contact".into(),
        schema: Some(proto::Schema {
            fields: vec![
                f("email", proto::FieldType::Email, vec![]),
                f("age", proto::FieldType::Integer, vec![]),
                f("active", proto::FieldType::Boolean, vec![]),
                f("home", proto::FieldType::Object, vec![f("city", proto::FieldType::String, vec![])]),
                f("tags", proto::FieldType::Array, vec![]),
                f("tier", proto::FieldType::Enum, vec![]),
            ],
            predefined_schema: String::new(),
        }),
        constraints: Some(proto::Constraints {
            field_constraints: HashMap::from([(
                "tier".to_string(),
                proto::FieldConstraint {
                    enum_values: vec!["gold".into(), "silver".into()],
                    ..Default::default()
                },
            )]),
        }),
        ..req("contact", 5, 2)
    };
    let resp = generate(&r, typed).await;
    assert!(resp.success, "{}", resp.error);
    let records: Vec<Value> = serde_json::from_str(&resp.data).unwrap();
    for rec in &records {
        assert!(rec["email"].as_str().unwrap().contains('@'));
        assert!(rec["age"].is_i64());
        assert!(rec["active"].is_boolean());
        assert!(rec["home"]["city"].is_string());
        assert!(rec["tags"].is_array());
        assert!(["gold", "silver"].contains(&rec["tier"].as_str().unwrap()));
    }
    // An ENUM without values says what to do.
    let mut bad = GenerateRequest {
        schema: Some(proto::Schema {
            fields: vec![f("tier", proto::FieldType::Enum, vec![])],
            predefined_schema: String::new(),
        }),
        ..req("x", 1, 1)
    };
    bad.entity = String::new();
    assert_error(&r, bad, ErrorCode::InvalidArgument, &["schema.fields", "tier", "values"]).await;

    // None of them became registered.
    let names: Vec<String> = raw(&r)
        .await
        .get_schemas(proto::GetSchemasRequest { domain: String::new() })
        .await
        .unwrap()
        .into_inner()
        .schemas
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert!(!names.iter().any(|n| n == "widget" || n == "thing" || n == "contact"), "{names:?}");
    // Same inline schema twice works (the old service failed the second time).
    let again = generate(
        &r,
        GenerateRequest { inline_schema: inline.into(), count: 4, seed: Some(1), ..Default::default() },
    )
    .await;
    assert!(again.success, "{}", again.error);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compiled_request_schemas_are_cached() {
    let r = server().await;
    let request = GenerateRequest {
        constraints: Some(proto::Constraints {
            field_constraints: HashMap::from([(
                "items.quantity".to_string(),
                proto::FieldConstraint { max: Some(4.0), ..Default::default() },
            )]),
        }),
        ..req("cart", 3, 3)
    };
    let before = r.service.metrics().schema_cache_hits.get();
    let a = generate(&r, request.clone()).await;
    let b = generate(&r, request).await;
    assert_eq!(a.data, b.data);
    assert_eq!(
        r.service.metrics().schema_cache_hits.get(),
        before + 1,
        "the second request reused the compiled schema"
    );
}

// ---------------------------------------------------------------- streams

fn records_of(chunks: &[proto::DataChunk]) -> Vec<Value> {
    chunks
        .iter()
        .filter(|c| !c.is_final)
        .flat_map(|c| serde_json::from_str::<Vec<Value>>(&c.data).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_chunks_are_sequential_then_final() {
    let r = server().await;
    let chunks =
        collect_stream(&r, GenerateRequest { request_id: "s1".into(), ..req("cart", 175, 21) }).await;
    let sizes: Vec<i32> = chunks.iter().map(|c| c.record_count).collect();
    assert_eq!(sizes, vec![50, 50, 50, 25, 0]);
    for (k, c) in chunks.iter().enumerate() {
        assert_eq!(c.chunk_index, k as i32);
        assert_eq!(c.request_id, "s1");
        assert_eq!(c.seed, 21);
        assert_eq!(c.is_final, k == 4);
        assert_eq!(c.first_record, (k as u64 * 50).min(175));
    }
    assert!(chunks[4].data.is_empty());
    assert_eq!(records_of(&chunks), in_process("cart", 21, 0..175, "default"));
    // batch_size override.
    let chunks = collect_stream(&r, GenerateRequest { batch_size: 7, ..req("user", 20, 1) }).await;
    assert_eq!(chunks.iter().map(|c| c.record_count).collect::<Vec<_>>(), vec![7, 7, 6, 0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_stream_resumed_with_offset_equals_the_uninterrupted_stream() {
    let r = server().await;
    for (format, batch) in [
        (OutputFormat::Json, 37),
        (OutputFormat::Csv, 50),
        (OutputFormat::Sql, 13),
        (OutputFormat::Jsonl, 64),
    ] {
        let base = GenerateRequest {
            request_id: "resume".into(),
            output_format: format as i32,
            batch_size: batch,
            ..req("order", 1000, 77)
        };
        let full = collect_stream(&r, base.clone()).await;
        let data_chunks = full.len() - 1;
        // A "random" cut: drawn from a process-random hasher, printed for replay.
        let cut = {
            use std::hash::{BuildHasher, Hasher};
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(batch as u64);
            1 + (h.finish() as usize % (data_chunks - 1))
        };
        let mut s = raw(&r).await.generate_data_stream(base.clone()).await.unwrap().into_inner();
        let mut head = Vec::new();
        for _ in 0..cut {
            head.push(s.message().await.unwrap().unwrap());
        }
        drop(s); // the connection breaks here
        let received: u64 = head.iter().map(|c| c.record_count as u64).sum();
        let tail = collect_stream(&r, GenerateRequest { offset: received, ..base }).await;
        let joined: Vec<proto::DataChunk> = head.into_iter().chain(tail).collect();
        assert_eq!(joined, full, "{format:?} cut after chunk {cut}: resumed stream differs");
        let text: String = joined.iter().map(|c| c.data.as_str()).collect();
        if format == OutputFormat::Csv {
            assert_eq!(text.matches("order_id,").count(), 1, "one CSV header in the whole stream");
        }
    }
    // An offset that is not on a chunk boundary still gives records offset.. exactly.
    let tail = collect_stream(&r, GenerateRequest { offset: 123, ..req("order", 200, 77) }).await;
    assert_eq!(tail[0].first_record, 123);
    assert_eq!(records_of(&tail), in_process("order", 77, 123..200, "default"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_errors_are_grpc_statuses() {
    let mut config = Config::ephemeral();
    config.max_stream_records = 5000;
    let r = server_with(config).await;
    let mut c = raw(&r).await;
    let status = |res: Result<tonic::Response<tonic::Streaming<proto::DataChunk>>, tonic::Status>| match res {
        Ok(_) => panic!("expected an error status"),
        Err(s) => s,
    };
    let s = status(c.generate_data_stream(req("spaceship", 10, 1)).await);
    assert_eq!(s.code(), Code::NotFound);
    assert!(s.message().contains("cart"), "{}", s.message());
    let s = status(c.generate_data_stream(req("cart", 5001, 1)).await);
    assert_eq!(s.code(), Code::InvalidArgument);
    assert!(s.message().contains("stream limit 5000"), "{}", s.message());
    let s =
        status(c.generate_data_stream(GenerateRequest { batch_size: 1_000_000, ..req("cart", 10, 1) }).await);
    assert_eq!(s.code(), Code::InvalidArgument);
    assert!(s.message().contains("batch_size"));
    let s = status(c.generate_data_stream(GenerateRequest { offset: 11, ..req("cart", 10, 1) }).await);
    assert_eq!(s.code(), Code::InvalidArgument);
    let s = status(
        c.generate_data_stream(GenerateRequest {
            generation_method: GenerationMethod::Hybrid as i32,
            ..req("cart", 10, 1)
        })
        .await,
    );
    assert_eq!(s.code(), Code::Unavailable);
    assert!(s.message().contains("TRADITIONAL"));
    let s = status(c.generate_data_stream(req("cart", 0, 1)).await);
    assert_eq!(s.code(), Code::InvalidArgument);
    // A unique field that runs out: refused up front, not half-way.
    let tiny = r#"{"name":"tiny","fields":[{"name":"id","format":"T-{digits:1}","unique":true}]}"#;
    let s = status(
        c.generate_data_stream(GenerateRequest {
            inline_schema: tiny.into(),
            count: 11,
            ..Default::default()
        })
        .await,
    );
    assert_eq!(s.code(), Code::FailedPrecondition);
    assert!(s.message().contains("id"), "{}", s.message());

    // A failure after some chunks ends the stream with a status, not an in-band JSON object:
    // an object override whose keys are not CSV columns of the schema.
    let request = GenerateRequest {
        output_format: OutputFormat::Csv as i32,
        scenarios: vec![
            proto::Scenario { name: "ok".into(), count: 120, ..Default::default() },
            proto::Scenario {
                name: "odd".into(),
                count: 10,
                overrides: HashMap::from([(
                    "shipping_address".to_string(),
                    r#"{"planet":"Mars"}"#.to_string(),
                )]),
                description: String::new(),
            },
        ],
        ..req("order", 130, 1)
    };
    let mut s = c.generate_data_stream(request).await.expect("starts").into_inner();
    let mut ok_chunks = 0;
    let err = loop {
        match s.message().await {
            Ok(Some(chunk)) => {
                assert!(!chunk.is_final, "the stream must not complete");
                ok_chunks += 1;
            }
            Ok(None) => panic!("stream ended without an error"),
            Err(status) => break status,
        }
    };
    assert_eq!(ok_chunks, 2);
    assert!(err.message().contains("planet"), "{}", err.message());
    // Still serving.
    assert_eq!(collect_stream(&r, req("cart", 3, 1)).await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_reader_bounds_what_the_server_generates_ahead() {
    let mut config = Config::ephemeral();
    config.stream_buffer_chunks = 2;
    let r = server_with(config).await;
    let chunks = || r.service.metrics().stream_chunks.get();
    // In-process first: nothing reads, so exactly the buffer is filled (+1 chunk waiting to be sent).
    let spec = testdata_server::request::GenerateSpec {
        sources: testdata_server::request::SchemaSources { entity: "user".into(), ..Default::default() },
        count: 10_000_000,
        seed: Some(1),
        ..Default::default()
    };
    let before = chunks();
    let handle = r.service.stream(&spec, None).unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let produced = chunks() - before;
    assert!(produced <= 3, "{produced} chunks generated with nobody reading (buffer 2)");
    drop(handle);
    tokio::time::sleep(Duration::from_millis(50)).await;

    // Over the socket: a reader that takes one chunk and stops. The server may run ahead by
    // its buffer plus what HTTP/2 flow control lets through (the client's 64 KiB windows +
    // hyper's send buffer), never by the 200,000 chunks of the stream.
    let before = chunks();
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{}", r.grpc_addr))
        .unwrap()
        .initial_stream_window_size(65_535)
        .initial_connection_window_size(65_535)
        .connect()
        .await
        .unwrap();
    let mut s = TestDataServiceClient::new(channel)
        .generate_data_stream(req("user", 10_000_000, 1))
        .await
        .unwrap()
        .into_inner();
    let first = s.message().await.unwrap().unwrap();
    assert_eq!(first.record_count, 50);
    // Wait until generation stalls (debug builds generate slowly), at most 10 s.
    let mut last = u64::MAX;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let now = chunks() - before;
        if now == last {
            break;
        }
        last = now;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let b = chunks() - before;
    assert_eq!(last, b, "generation stopped while the reader waits");
    assert!(b < 60, "{b} chunks generated ahead of a reader that took 1");
    // Reading on resumes generation.
    for _ in 0..200 {
        s.message().await.unwrap().unwrap();
    }
    assert!(chunks() - before >= 201);
    drop(s);
}

// ---------------------------------------------------------------- other RPCs, health, reflection

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_schemas_and_health_check() {
    let r = server().await;
    let mut c = raw(&r).await;
    let all =
        c.get_schemas(proto::GetSchemasRequest { domain: String::new() }).await.unwrap().into_inner().schemas;
    assert!(all.len() >= 4);
    let cart = all.iter().find(|s| s.name == "cart").expect("cart listed");
    assert_eq!(cart.domain, "ecommerce");
    let id = cart.fields.iter().find(|f| f.name == "cart_id").unwrap();
    assert_eq!(id.example, "CRT-{year}-{random:7}");
    assert_eq!(id.r#type, "string");
    assert!(id.required);
    let updated = cart.fields.iter().find(|f| f.name == "updated_at").unwrap();
    assert!(!updated.required);
    let mut catalogue = testdata::schema::Catalogue::new();
    catalogue
        .load(all.iter().map(|s| (s.name.clone(), s.schema_json.clone())))
        .expect("schema_json loads back");
    assert_eq!(catalogue.get("cart").unwrap().def(), Registry::builtin().unwrap().get("cart").unwrap().def());
    let ecommerce =
        c.get_schemas(proto::GetSchemasRequest { domain: "ecommerce".into() }).await.unwrap().into_inner();
    assert_eq!(ecommerce.schemas.len(), all.iter().filter(|s| s.domain == "ecommerce").count());
    let none = c.get_schemas(proto::GetSchemasRequest { domain: "nope".into() }).await.unwrap().into_inner();
    assert!(none.schemas.is_empty());

    let h = c.health_check(proto::HealthCheckRequest {}).await.unwrap().into_inner();
    assert_eq!(h.status, "healthy");
    assert_eq!(h.components["grpc_server"], "healthy");
    assert_eq!(h.components["registry"], "healthy");
    assert_eq!(h.components["llm"], "not_configured");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grpc_health_service_reports_serving() {
    use tonic_health::pb::HealthCheckRequest;
    use tonic_health::pb::health_check_response::ServingStatus;
    use tonic_health::pb::health_client::HealthClient;
    let r = server().await;
    let mut h = HealthClient::new(chan(&r).await);
    for service in ["", "testdata.v1.TestDataService"] {
        let s = h.check(HealthCheckRequest { service: service.into() }).await.unwrap().into_inner();
        assert_eq!(s.status, ServingStatus::Serving as i32, "service `{service}`");
    }
    let unknown = h.check(HealthCheckRequest { service: "nope.Service".into() }).await;
    assert_eq!(unknown.unwrap_err().code(), Code::NotFound);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reflection_v1_and_v1alpha_list_the_services() {
    let r = server().await;
    {
        use tonic_reflection::pb::v1::ServerReflectionRequest;
        use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
        use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
        use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
        let mut c = ServerReflectionClient::new(chan(&r).await);
        let req = ServerReflectionRequest {
            host: String::new(),
            message_request: Some(MessageRequest::ListServices(String::new())),
        };
        let mut resp = c.server_reflection_info(tokio_stream::iter(vec![req])).await.unwrap().into_inner();
        let msg = resp.message().await.unwrap().unwrap();
        let Some(MessageResponse::ListServicesResponse(list)) = msg.message_response else {
            panic!("{msg:?}")
        };
        let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
        assert!(names.contains(&"testdata.v1.TestDataService".to_string()), "{names:?}");
        assert!(names.contains(&"grpc.health.v1.Health".to_string()), "{names:?}");
    }
    {
        use tonic_reflection::pb::v1alpha::ServerReflectionRequest;
        use tonic_reflection::pb::v1alpha::server_reflection_client::ServerReflectionClient;
        use tonic_reflection::pb::v1alpha::server_reflection_request::MessageRequest;
        use tonic_reflection::pb::v1alpha::server_reflection_response::MessageResponse;
        let mut c = ServerReflectionClient::new(chan(&r).await);
        let req = ServerReflectionRequest {
            host: String::new(),
            message_request: Some(MessageRequest::ListServices(String::new())),
        };
        let mut resp = c.server_reflection_info(tokio_stream::iter(vec![req])).await.unwrap().into_inner();
        let msg = resp.message().await.unwrap().unwrap();
        let Some(MessageResponse::ListServicesResponse(list)) = msg.message_response else {
            panic!("{msg:?}")
        };
        assert!(list.service.iter().any(|s| s.name == "testdata.v1.TestDataService"));
    }
}

// ---------------------------------------------------------------- HTTP

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_health_endpoints_keep_the_old_shapes() {
    let r = server().await;
    let (code, body) = http(&r, "GET", "/health", "").await;
    assert_eq!(code, 200);
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["status"], "healthy");
    assert_eq!(v["environment"], "development");
    assert!(v["service"].is_string() && v["version"].is_string());
    let (code, body) = http(&r, "GET", "/health/live", "").await;
    assert_eq!((code, serde_json::from_str::<Value>(&body).unwrap()), (200, json!({"status": "ok"})));
    let (code, body) = http(&r, "GET", "/health/ready", "").await;
    assert_eq!(code, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"status": "ready", "grpc_port": r.grpc_addr.port()})
    );
    // Readiness is real: flip the flag and it reports not ready.
    r.service.readiness().grpc_serving.store(false, std::sync::atomic::Ordering::Release);
    let (code, body) = http(&r, "GET", "/health/ready", "").await;
    assert_eq!(code, 503);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["status"], "not_ready");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_parse_and_count_requests() {
    let r = server().await;
    generate(&r, req("cart", 3, 1)).await;
    generate(&r, req("spaceship", 3, 1)).await;
    generate(&r, GenerateRequest { domain: "made-up-domain-123".into(), ..req("cart", 2, 1) }).await;
    collect_stream(&r, req("user", 60, 1)).await;
    // Four carts whose subtotal is overridden against its `computed` rule: failing records.
    let broken = proto::Scenario {
        name: "broken".into(),
        count: 4,
        overrides: HashMap::from([("subtotal".to_string(), "-3".to_string())]),
        description: String::new(),
    };
    let resp = generate(&r, GenerateRequest { scenarios: vec![broken], ..req("cart", 4, 2) }).await;
    assert!(resp.success, "{}", resp.error);
    assert!(resp.metadata.unwrap().coherence_score < 1.0);
    let (code, body) = http(&r, "GET", "/metrics", "").await;
    assert_eq!(code, 200);
    let lines = body.lines().map(|l| Ok(l.to_owned()));
    let scrape = prometheus_parse::Scrape::parse(lines).expect("metrics parse");
    let value = |name: &str, labels: &[(&str, &str)]| -> f64 {
        scrape
            .samples
            .iter()
            .filter(|s| s.metric == name && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
            .map(|s| match s.value {
                prometheus_parse::Value::Counter(v)
                | prometheus_parse::Value::Untyped(v)
                | prometheus_parse::Value::Gauge(v) => v,
                _ => 0.0,
            })
            .sum()
    };
    let ok = [("path", "traditional"), ("entity", "cart"), ("status", "success"), ("domain", "ecommerce")];
    assert_eq!(value("testdata_requests_total", &ok), 2.0, "{body}");
    assert_eq!(
        value("testdata_validation_errors_total", &[("entity", "cart"), ("domain", "ecommerce")]),
        4.0
    );
    assert_eq!(value("testdata_requests_total", &[("entity", "other"), ("status", "error")]), 1.0);
    // Unknown domains do not become labels.
    assert!(!body.contains("made-up-domain-123"));
    assert_eq!(value("testdata_requests_total", &[("domain", "other"), ("entity", "cart")]), 1.0);
    assert_eq!(value("testdata_records_generated_total", &[("entity", "cart")]), 9.0);
    assert_eq!(value("testdata_records_generated_total", &[("entity", "user")]), 60.0);
    assert_eq!(value("testdata_streams_total", &[("entity", "user"), ("status", "success")]), 1.0);
    assert_eq!(value("testdata_stream_chunks_total", &[]), 2.0);
    assert_eq!(value("testdata_errors_total", &[("rpc", "generate"), ("code", "not_found")]), 1.0);
    // (The cache counter exists from the start for the old dashboards: 0 per caching path.)
    for name in ["testdata_generation_duration_seconds", "testdata_cache_hits", "testdata_streams_active"] {
        assert!(body.contains(&format!("# TYPE {name}")), "{name} missing");
    }

    let mut config = Config::ephemeral();
    config.prometheus_enabled = false;
    let off = server_with(config).await;
    assert_eq!(http(&off, "GET", "/metrics", "").await, (404, "Metrics disabled".to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_generate_endpoint() {
    let r = server().await;
    let (code, body) =
        http(&r, "POST", "/v1/generate", r#"{"entity":"cart","count":4,"seed":7,"request_id":"h1"}"#).await;
    assert_eq!(code, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["success"], true);
    assert_eq!(v["request_id"], "h1");
    assert_eq!(v["data"], serde_json::to_value(in_process("cart", 7, 0..4, "default")).unwrap());
    assert_eq!(v["metadata"]["seed"], 7);
    // Names for enums, a string seed, CSV text.
    let (code, body) = http(
        &r,
        "POST",
        "/v1/generate",
        r#"{"entity":"user","count":2,"seed":"nightly","output_format":"csv"}"#,
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert!(v["data"].as_str().unwrap().starts_with("user_id,"));
    assert_eq!(v["metadata"]["seed"], testdata::Seed::parse("nightly").value());
    // Errors: HTTP status + the same in-band body.
    let (code, body) = http(&r, "POST", "/v1/generate", r#"{"entity":"cart","count":5000}"#).await;
    assert_eq!(code, 400);
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["error_code"], "COUNT_LIMIT");
    assert!(v["error"].as_str().unwrap().contains("exceeds max sync limit"));
    let (code, body) = http(&r, "POST", "/v1/generate", r#"{"entity":"nope","count":1}"#).await;
    assert_eq!(code, 404, "{body}");
    let (code, body) = http(&r, "POST", "/v1/generate", r#"{"entity": "#).await;
    assert_eq!(code, 400);
    assert!(body.contains("not valid JSON"), "{body}");
    let (code, body) = http(&r, "POST", "/v1/generate", r#"{"entity":"cart","cuont":3}"#).await;
    assert_eq!(code, 400);
    assert!(body.contains("cuont"), "{body}");
    let (code, _) =
        http(&r, "POST", "/v1/generate", r#"{"entity":"cart","count":1,"generation_method":"LLM"}"#).await;
    assert_eq!(code, 503);
    let (code, body) = http(&r, "GET", "/v1/schemas?domain=ecommerce", "").await;
    assert_eq!(code, 200);
    assert!(
        serde_json::from_str::<Value>(&body).unwrap()["schemas"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "cart")
    );
    // Still serving.
    let (code, _) = http(&r, "POST", "/v1/generate", r#"{"entity":"cart","count":1}"#).await;
    assert_eq!(code, 200);
}

// ---------------------------------------------------------------- the Rust client

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct CartItem {
    sku: String,
    name: String,
    quantity: u32,
    price: f64,
    category: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Cart {
    cart_id: String,
    customer_id: String,
    items: Vec<CartItem>,
    subtotal: f64,
    tax: f64,
    total: f64,
    currency: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
struct User {
    user_id: String,
    email: String,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rust_client_typed_untyped_and_streaming() {
    let r = server().await;
    let mut c = client(&r).await;
    let carts = c.generate::<Cart>(Request::entity("cart").count(12).seed(5)).await.unwrap();
    assert_eq!(carts.records.len(), 12);
    assert_eq!(carts.metadata.seed, 5);
    let expected = in_process("cart", 5, 0..12, "default");
    for (cart, e) in carts.records.iter().zip(&expected) {
        assert_eq!(cart.cart_id, e["cart_id"].as_str().unwrap());
        assert_eq!(cart.items.len(), e["items"].as_array().unwrap().len());
    }
    let values = c.generate_values(Request::entity("user").count(3).seed(5)).await.unwrap();
    assert_eq!(values.records, in_process("user", 5, 0..3, "default"));
    // Streaming, typed.
    let mut s = c.stream::<User>(Request::entity("user").count(130).seed(8)).await.unwrap();
    let mut users = Vec::new();
    while let Some(u) = s.next().await {
        users.push(u.unwrap());
    }
    assert_eq!(users.len(), 130);
    assert_eq!(s.seed(), Some(8));
    let expected = in_process("user", 8, 0..130, "default");
    assert!(users.iter().zip(&expected).all(|(u, e)| u.user_id == e["user_id"] && u.email == e["email"]));
    // Errors are typed.
    match c.generate_values(Request::entity("spaceship").count(1)).await {
        Err(RemoteError::Server { code, message }) => {
            assert_eq!(code, ErrorCode::NotFound);
            assert!(message.contains("cart"));
        }
        other => panic!("{other:?}"),
    }
    match c.stream_values(Request::entity("cart").count(1).method(GenerationMethod::Llm)).await {
        Err(RemoteError::Status(s)) => assert_eq!(s.code(), Code::Unavailable),
        other => panic!("{other:?}"),
    }
    // Decoding into the wrong type is an error naming the record.
    match c.generate::<Cart>(Request::entity("user").count(1)).await {
        Err(RemoteError::Decode { index: 0, .. }) => {}
        other => panic!("{other:?}"),
    }
    let h = c.health().await.unwrap();
    assert_eq!(h.status, "healthy");
}

// ---------------------------------------------------------------- config and registry

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemas_dir_adds_entities_and_bad_files_name_themselves() {
    let dir = std::env::temp_dir().join(format!("testdata-schemas-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("extra")).unwrap();
    std::fs::write(
        dir.join("extra/gadget.json"),
        r#"{"name":"gadget","domain":"lab","fields":[{"name":"g","format":"G-{digits:3}"}]}"#,
    )
    .unwrap();
    let mut config = Config::ephemeral();
    config.schemas_dir = Some(dir.clone());
    let r = server_with(config.clone()).await;
    let resp = generate(&r, req("gadget", 2, 1)).await;
    assert!(resp.success, "{}", resp.error);
    drop(r);
    std::fs::write(
        dir.join("extra/broken.json"),
        r#"{"name":"broken","fields":[{"name":"n","type":"integer","min":9,"max":1}]}"#,
    )
    .unwrap();
    let err = start(config.clone()).await.unwrap_err().to_string();
    assert!(err.contains("broken.json") && err.contains("`n`"), "{err}");
    std::fs::write(dir.join("extra/broken.json"), r#"{"name":"cart","fields":[{"name":"n"}]}"#).unwrap();
    let err = start(config).await.unwrap_err().to_string();
    assert!(err.contains("cart") && err.contains("broken.json"), "{err}");
    std::fs::remove_dir_all(dir).ok();

    let mut same = Config::ephemeral();
    same.grpc_port = 9999;
    same.http_port = 9999;
    assert!(start(same).await.unwrap_err().to_string().contains("GRPC_PORT and HTTP_PORT"));
}

// ---------------------------------------------------------------- the CLI

fn cli(args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_testdata")).args(args).output().expect("runs");
    (out.status.success(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_generates_locally_and_remotely_with_the_same_bytes() {
    let (ok, out, err) =
        cli(&["generate", "--entity", "cart", "--count", "5", "--seed", "7", "--format", "jsonl"]);
    assert!(ok, "{err}");
    assert!(err.contains("seed: 7"), "{err}");
    let lines: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines, in_process("cart", 7, 0..5, "default"));

    let r = server().await;
    let url = format!("http://{}", r.grpc_addr);
    for format in ["jsonl", "csv", "sql", "json"] {
        let args = ["generate", "--entity", "order", "--count", "120", "--seed", "3", "--format", format];
        let (ok, local, err) = tokio::task::spawn_blocking(move || cli(&args)).await.unwrap();
        assert!(ok, "{err}");
        let remote_args: Vec<String> =
            args.iter().map(|s| s.to_string()).chain(["--remote".to_string(), url.clone()]).collect();
        let (ok, remote, err) = tokio::task::spawn_blocking(move || {
            cli(&remote_args.iter().map(String::as_str).collect::<Vec<_>>())
        })
        .await
        .unwrap();
        assert!(ok, "{err}");
        assert_eq!(local, remote, "format {format}: local and --remote output differ");
    }
    let (ok, out, _) = cli(&["schemas"]);
    assert!(ok && out.lines().any(|l| l.starts_with("cart ")), "{out}");
    let (ok, _, err) = cli(&["generate", "--entity", "spaceship"]);
    assert!(!ok && err.contains("cart"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_message_bytes_bounds_requests_and_responses_and_the_server_keeps_serving() {
    let mut config = Config::ephemeral();
    config.max_message_bytes = 4096;
    let r = server_with(config).await;
    // A response above the limit (200 carts) is refused up front, in-band, naming the limit.
    let refused = generate(&r, req("cart", 200, 1)).await;
    assert!(!refused.success);
    assert_eq!(refused.error_code, ErrorCode::InvalidArgument as i32, "{}", refused.error);
    assert!(
        refused.error.contains("4096") && refused.error.contains("MAX_MESSAGE_BYTES"),
        "{}",
        refused.error
    );
    // So is a request above it (a 5 KB inline schema).
    let big = GenerateRequest {
        inline_schema: format!(r#"{{"name": "x", "description": "{}", "fields": []}}"#, "a".repeat(5000)),
        ..req("", 1, 1)
    };
    let err = raw(&r).await.generate_data(big).await.expect_err("too large");
    assert_eq!(err.code(), tonic::Code::OutOfRange, "{err:?}");
    // Small calls still work.
    let ok = generate(&r, req("user", 2, 1)).await;
    assert!(ok.success, "{}", ok.error);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_grpc_thread_serves_the_same_answers_and_shuts_down() {
    // Connections are dealt out in turn: with 3 threads, 6 connections land on every thread twice.
    for threads in [1, 3] {
        let r = server_with(Config { grpc_threads: threads, ..Config::ephemeral() }).await;
        let mut answers = Vec::new();
        for _ in 0..6 {
            let mut c = raw(&r).await;
            let g = c.generate_data(req("user", 5, 42)).await.expect("call").into_inner();
            assert!(g.success, "{}", g.error);
            let mut s = c.generate_data_stream(req("user", 5, 42)).await.expect("stream").into_inner();
            let mut chunks = Vec::new();
            while let Some(chunk) = s.message().await.expect("chunk") {
                chunks.push(chunk.data);
            }
            answers.push((g.data, chunks));
        }
        assert!(answers.windows(2).all(|w| w[0] == w[1]), "{threads} threads: different answers");
        let addr = r.grpc_addr;
        tokio::time::timeout(Duration::from_secs(10), r.shutdown())
            .await
            .expect("stops in time")
            .expect("clean stop");
        let refused = Channel::from_shared(format!("http://{addr}")).unwrap().connect().await;
        assert!(refused.is_err(), "{threads} threads: the listener is closed after shutdown");
    }
    let err =
        start(Config { grpc_threads: 100_000, ..Config::ephemeral() }).await.expect_err("too many threads");
    assert!(err.to_string().contains("GRPC_THREADS"), "{err}");
}
