//! The RAG path and the router over a real gRPC client against the real server, with the
//! bundled pattern store (docs/rag.md, docs/routing.md).

use std::collections::BTreeSet;

use serde_json::Value;
use testdata::proto::test_data_service_client::TestDataServiceClient;
use testdata::proto::{self, GenerateRequest, GenerationMethod};
use testdata_server::config::Config;
use testdata_server::registry::Registry;
use testdata_server::server::{Running, start};

async fn server() -> Running {
    start(Config::ephemeral()).await.expect("server starts")
}

async fn generate(r: &Running, request: GenerateRequest) -> proto::GenerateResponse {
    let mut client =
        TestDataServiceClient::connect(format!("http://{}", r.grpc_addr)).await.expect("connect");
    client.generate_data(request).await.expect("GenerateData answers in-band").into_inner()
}

fn req(entity: &str, count: i32, seed: u64) -> GenerateRequest {
    GenerateRequest {
        entity: entity.into(),
        count,
        seed: Some(seed),
        domain: "ecommerce".into(),
        ..Default::default()
    }
}

fn records(resp: &proto::GenerateResponse) -> Vec<Value> {
    assert!(resp.success, "{}", resp.error);
    let mut out: Vec<Value> = serde_json::from_str(&resp.data).unwrap();
    for r in &mut out {
        let m = r.as_object_mut().unwrap();
        m.shift_remove("_index");
        m.shift_remove("_scenario");
    }
    out
}

fn bundled_cart_item_names() -> BTreeSet<String> {
    let store = testdata::rag::EmbeddedStore::bundled();
    store
        .documents()
        .filter(|d| d.entity == "cart" && d.kind() == testdata::rag::DocumentKind::TestData)
        .flat_map(|d| d.record().unwrap()["items"].as_array().unwrap().clone())
        .map(|i| i["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn learn_from_history_carts_come_from_cart_patterns_with_fresh_ids_totals_and_dates() {
    let r = server().await;
    let request = GenerateRequest {
        learn_from_history: true,
        generation_method: GenerationMethod::Rag as i32,
        context: "shoppers buying running and fitness gear".into(),
        ..req("cart", 200, 11)
    };
    let resp = generate(&r, request.clone()).await;
    let meta = resp.metadata.clone().unwrap();
    assert_eq!(meta.generation_path, "rag");
    assert!(!meta.fallback, "{}", meta.routing_reason);
    assert_eq!(meta.routing_reason, "generation_method=RAG");
    let carts = records(&resp);
    let names = bundled_cart_item_names();
    let cart = Registry::builtin().unwrap().get("cart").unwrap().clone();
    let mut ids = BTreeSet::new();
    for c in &carts {
        cart.validate(c).unwrap_or_else(|v| panic!("{v}"));
        assert!(ids.insert(c["cart_id"].as_str().unwrap().to_owned()), "fresh, distinct ids");
        for item in c["items"].as_array().unwrap() {
            assert!(names.contains(item["name"].as_str().unwrap()), "item {item} is not from a cart pattern");
        }
        let cents = |v: &Value| (v.as_f64().unwrap() * 100.0).round() as i64;
        assert_eq!(cents(&c["total"]), cents(&c["subtotal"]) + cents(&c["tax"]));
        if let Some(updated) = c["updated_at"].as_str() {
            assert!(updated >= c["created_at"].as_str().unwrap());
        }
    }
    assert_eq!(generate(&r, request).await.data, resp.data, "same seed, same bytes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn defect_triggering_users_carry_the_bundled_triggers_inside_the_constraints() {
    let r = server().await;
    let resp = generate(&r, GenerateRequest { defect_triggering: true, ..req("user", 200, 3) }).await;
    assert_eq!(resp.metadata.as_ref().unwrap().generation_path, "rag");
    let users = records(&resp);
    let user = Registry::builtin().unwrap().get("user").unwrap().clone();
    for u in &users {
        user.validate(u).unwrap_or_else(|v| panic!("{v}"));
    }
    assert!(users.iter().any(|u| u["email"].as_str().is_some_and(|e| e.contains('+'))));
    assert!(users.iter().any(|u| u["first_name"] == "José"));
    assert!(users.iter().any(|u| u["last_name"] == "O'Brien"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_like_orders_follow_the_profile_and_explicit_rag_works() {
    let r = server().await;
    let resp = generate(
        &r,
        GenerateRequest {
            production_like: true,
            generation_method: GenerationMethod::Rag as i32,
            ..req("order", 1000, 5)
        },
    )
    .await;
    let meta = resp.metadata.clone().unwrap();
    assert_eq!((meta.generation_path.as_str(), meta.fallback), ("rag", false));
    let orders = records(&resp);
    let delivered = orders.iter().filter(|o| o["status"] == "delivered").count() as f64 / orders.len() as f64;
    assert!((delivered - 0.58).abs() < 0.05, "delivered share {delivered}");
    assert!(orders.iter().all(|o| o["items"].as_array().unwrap().len() <= 3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_entity_without_patterns_falls_back_to_traditional_with_the_reason() {
    let r = server().await;
    let rag = generate(
        &r,
        GenerateRequest { generation_method: GenerationMethod::Rag as i32, ..req("coupon", 5, 1) },
    )
    .await;
    let meta = rag.metadata.clone().unwrap();
    assert!(meta.fallback);
    assert!(
        meta.routing_reason.contains("no test_data pattern for entity `coupon`"),
        "{}",
        meta.routing_reason
    );
    let plain = generate(
        &r,
        GenerateRequest {
            generation_method: GenerationMethod::ForceTraditional as i32,
            ..req("coupon", 5, 1)
        },
    )
    .await;
    assert_eq!(rag.data, plain.data, "the engine's records");
}

/// Each row of docs/routing.md: (entity, method, hints, context, flags, path, fallback).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_row_of_the_routing_table_holds() {
    struct Row {
        entity: &'static str,
        method: GenerationMethod,
        hints: &'static [&'static str],
        context: &'static str,
        learn: bool,
        production: bool,
        defects: bool,
        path: &'static str,
        fallback: bool,
        reason: &'static str,
    }
    let t = GenerationMethod::Traditional;
    let rows = [
        Row {
            entity: "user",
            method: t,
            hints: &[],
            context: "",
            learn: false,
            production: false,
            defects: false,
            path: "traditional",
            fallback: false,
            reason: "Traditional",
        },
        Row {
            entity: "cart",
            method: t,
            hints: &[],
            context: "",
            learn: true,
            production: false,
            defects: false,
            path: "rag",
            fallback: false,
            reason: "learn_from_history",
        },
        Row {
            entity: "cart",
            method: t,
            hints: &["Similar-To last month"],
            context: "",
            learn: false,
            production: false,
            defects: false,
            path: "rag",
            fallback: false,
            reason: "similar",
        },
        Row {
            entity: "order",
            method: t,
            hints: &["HISTORICAL_PATTERNS"],
            context: "",
            learn: false,
            production: false,
            defects: false,
            path: "rag",
            fallback: false,
            reason: "historical",
        },
        Row {
            entity: "order",
            method: t,
            hints: &[],
            context: "",
            learn: false,
            production: true,
            defects: false,
            path: "rag",
            fallback: false,
            reason: "production_like",
        },
        Row {
            entity: "user",
            method: t,
            hints: &[],
            context: "",
            learn: false,
            production: false,
            defects: true,
            path: "rag",
            fallback: false,
            reason: "defect_triggering",
        },
        Row {
            entity: "review",
            method: t,
            hints: &[],
            context: "reviews of running shoes",
            learn: false,
            production: false,
            defects: false,
            path: "traditional",
            fallback: true,
            reason: "no LLM provider",
        },
        Row {
            entity: "cart",
            method: t,
            hints: &["Realistic"],
            context: "",
            learn: false,
            production: false,
            defects: false,
            path: "traditional",
            fallback: true,
            reason: "realistic",
        },
        Row {
            entity: "cart",
            method: t,
            hints: &["similar"],
            context: "holiday shoppers buying gifts",
            learn: false,
            production: false,
            defects: false,
            path: "rag",
            fallback: true,
            reason: "Hybrid",
        },
        Row {
            entity: "cart",
            method: t,
            hints: &["use_traditional", "similar"],
            context: "",
            learn: false,
            production: false,
            defects: false,
            path: "traditional",
            fallback: false,
            reason: "use traditional",
        },
        Row {
            entity: "review",
            method: GenerationMethod::ForceTraditional,
            hints: &["realistic"],
            context: "long reviews please",
            learn: true,
            production: false,
            defects: false,
            path: "traditional",
            fallback: false,
            reason: "FORCE_TRADITIONAL",
        },
        Row {
            entity: "cart",
            method: GenerationMethod::Rag,
            hints: &[],
            context: "",
            learn: false,
            production: false,
            defects: false,
            path: "rag",
            fallback: false,
            reason: "generation_method=RAG",
        },
    ];
    let r = server().await;
    for (k, row) in rows.iter().enumerate() {
        let request = GenerateRequest {
            generation_method: row.method as i32,
            hints: row.hints.iter().map(|h| h.to_string()).collect(),
            context: row.context.into(),
            learn_from_history: row.learn,
            production_like: row.production,
            defect_triggering: row.defects,
            ..req(row.entity, 3, 1)
        };
        let resp = generate(&r, request).await;
        assert!(resp.success, "row {k}: {}", resp.error);
        let meta = resp.metadata.unwrap();
        assert_eq!(meta.generation_path, row.path, "row {k}: {}", meta.routing_reason);
        assert_eq!(meta.fallback, row.fallback, "row {k}: {}", meta.routing_reason);
        assert!(
            meta.routing_reason.contains(row.reason),
            "row {k}: `{}` lacks `{}`",
            meta.routing_reason,
            row.reason
        );
    }
}

/// Every chunk of `request`'s stream (a real gRPC server stream), checked in order.
async fn stream(r: &Running, request: GenerateRequest) -> Vec<proto::DataChunk> {
    let mut client =
        TestDataServiceClient::connect(format!("http://{}", r.grpc_addr)).await.expect("connect");
    let mut chunks = client.generate_data_stream(request).await.expect("the stream opens").into_inner();
    let mut out = Vec::new();
    while let Some(chunk) = chunks.message().await.expect("a chunk") {
        out.push(chunk);
    }
    assert!(out.last().is_some_and(|c| c.is_final), "the stream ends with its final chunk");
    out
}

/// Streams carry what the unary metadata says about the path: `generation_path`,
/// `routing_reason` (with the path's own fallback reason) and `fallback`, on every chunk.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_chunks_carry_the_path_routing_reason_and_fallback_of_the_unary_answer() {
    let r = server().await;
    let cases = [
        // Routed to RAG by a flag, no fallback.
        GenerateRequest { learn_from_history: true, batch_size: 7, ..req("cart", 20, 5) },
        // RAG asked for an entity without patterns: the path's own fallback, with its reason.
        GenerateRequest {
            generation_method: GenerationMethod::Rag as i32,
            batch_size: 4,
            ..req("coupon", 10, 5)
        },
        // Routed to the LLM (a context), which is not configured: the router's fallback.
        GenerateRequest { context: "reviews of running shoes".into(), batch_size: 6, ..req("review", 12, 5) },
    ];
    let expected = [
        ("rag", false, "learn_from_history"),
        ("rag", true, "no test_data pattern for entity `coupon`"),
        ("traditional", true, "no LLM provider"),
    ];
    for (request, (path, fallback, reason)) in cases.into_iter().zip(expected) {
        let unary = generate(&r, request.clone()).await.metadata.expect("unary metadata");
        assert_eq!(
            (unary.generation_path.as_str(), unary.fallback),
            (path, fallback),
            "{}",
            unary.routing_reason
        );
        assert!(unary.routing_reason.contains(reason), "{}", unary.routing_reason);
        let chunks = stream(&r, request).await;
        assert!(chunks.len() >= 3, "several chunks: {}", chunks.len());
        for chunk in &chunks {
            let meta = chunk.metadata.as_ref().expect("every chunk has metadata");
            assert_eq!(meta.generation_path, unary.generation_path, "chunk {}", chunk.chunk_index);
            assert_eq!(meta.routing_reason, unary.routing_reason, "chunk {}", chunk.chunk_index);
            assert_eq!(meta.fallback, unary.fallback, "chunk {}", chunk.chunk_index);
            assert_eq!((meta.seed, meta.schema_name.as_str()), (unary.seed, unary.schema_name.as_str()));
            assert_eq!(meta.output_format, "json");
        }
    }
}
