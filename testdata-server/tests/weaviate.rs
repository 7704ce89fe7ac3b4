//! The Weaviate pattern store against the local Weaviate of `support/weaviate.rs` (real REST
//! and gRPC sockets; Weaviate itself cannot be installed here, so the stub implements the
//! documented behaviour of the calls the adapter makes), and the server's RAG path over it
//! through a real gRPC client.

mod support;

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;
use support::weaviate::WeaviateStub;
use testdata::proto::test_data_service_client::TestDataServiceClient;
use testdata::proto::{self, GenerateRequest, GenerationMethod};
use testdata::rag::weaviate::proto::filter_target::Target;
use testdata::rag::weaviate::proto::filters::{Operator, TestValue};
use testdata::rag::weaviate::proto::{Filters, SearchRequest};
use testdata::rag::weaviate::{WeaviateError, WeaviateStore};
use testdata::rag::{Document, DocumentKind, EmbeddedStore, PatternStore, Query};
use testdata_server::config::Config;
use testdata_server::pattern_store::WeaviateArgs;
use testdata_server::server::{StartError, start};

/// Cart patterns whose item names no bundled pattern has, plus `cart_item` and `user`
/// documents whose text matches a cart query better than the carts do.
fn cart_and_lookalikes() -> Vec<Document> {
    let lines = [
        r#"{"kind":"test_data","id":"w-cart-trail","domain":"ecommerce","entity":"cart","scenario":"trail_running","description":"Trail runner kit","quality":0.9,"record":{"items":[{"sku":"W-1","name":"Weaviate Trail Runner","quantity":1,"price":140.0,"category":"Sports"},{"sku":"W-2","name":"Weaviate Hydration Vest","quantity":1,"price":80.0,"category":"Sports"}]}}"#,
        r#"{"kind":"test_data","id":"w-cart-gym","domain":"ecommerce","entity":"cart","scenario":"gym","description":"Gym bag restock","quality":0.8,"record":{"items":[{"sku":"W-3","name":"Weaviate Gym Towel","quantity":2,"price":12.0,"category":"Sports"}]}}"#,
        r#"{"kind":"test_data","id":"w-cart-other-domain","domain":"travel","entity":"cart","scenario":"trail_running","description":"Trail running trip cart running running","quality":1.0,"record":{"items":[{"sku":"W-9","name":"Travel Domain Runner","quantity":1,"price":10.0,"category":"Sports"}]}}"#,
        r#"{"kind":"test_data","id":"w-cart-item","domain":"ecommerce","entity":"cart_item","scenario":"trail_running","description":"Trail running trail running shoes cart item","quality":1.0,"record":{"items":[{"sku":"W-4","name":"Cart Item Impostor","quantity":1,"price":1.0,"category":"Sports"}]}}"#,
        r#"{"kind":"test_data","id":"w-user-runner","domain":"ecommerce","entity":"user","scenario":"trail_running","description":"Trail running fan trail running","quality":1.0,"record":{"first_name":"Trail","last_name":"Runner"}}"#,
        r#"{"kind":"defect","id":"w-bug-1","domain":"ecommerce","entity":"cart","description":"Trail running cart with a zero price","severity":"high","trigger":{"items":[{"sku":"W-5","name":"Zero Price Runner","quantity":1,"price":0.01}]}}"#,
    ];
    testdata::rag::parse_jsonl("test", &lines.join("\n")).unwrap()
}

fn weaviate_names(docs: &[Document], entity: &str) -> BTreeSet<String> {
    docs.iter()
        .filter(|d| d.entity == entity && d.domain == "ecommerce" && d.kind() == DocumentKind::TestData)
        .flat_map(|d| d.record().unwrap()["items"].as_array().cloned().unwrap_or_default())
        .map(|i| i["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn imported(stub: &WeaviateStub) -> WeaviateStore {
    let store = WeaviateStore::new(stub.settings(None)).unwrap();
    store.import(&cart_and_lookalikes()).await.expect("import");
    store
}

fn equal_on(f: &Filters) -> Option<(String, String)> {
    let Some(Target::Property(p)) = f.target.as_ref().and_then(|t| t.target.clone()) else { return None };
    let Some(TestValue::ValueText(v)) = f.test_value.clone() else { return None };
    (f.operator == Operator::Equal as i32).then_some((p, v))
}

#[tokio::test]
async fn collections_are_created_with_vectorizer_none_and_exact_match_entity_and_domain() {
    let stub = WeaviateStub::start(None).await;
    let store = WeaviateStore::new(stub.settings(None)).unwrap();
    store.prepare().await.unwrap();
    for class in ["Testdata_patterns", "Testdata_defects", "Testdata_profiles"] {
        let schema = stub.class(class).unwrap_or_else(|| panic!("{class} created"));
        assert_eq!(schema["vectorizer"], "none");
        for name in ["entity", "domain", "doc_id"] {
            let p = schema["properties"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap();
            assert_eq!(p["tokenization"], "field", "{class}.{name}");
        }
    }
    // A second start finds them and checks them; nothing is created twice.
    store.prepare().await.unwrap();
    assert_eq!(stub.db.lock().unwrap().classes.len(), 3);
}

#[tokio::test]
async fn a_collection_with_word_tokenized_entity_is_refused_because_cart_would_match_cart_item() {
    let stub = WeaviateStub::start(None).await;
    // As an older tool would have created it: default (`word`) tokenization everywhere.
    let legacy = serde_json::json!({"class": "Testdata_patterns", "vectorizer": "none", "properties": [
        {"name": "doc_id", "dataType": ["text"]}, {"name": "domain", "dataType": ["text"]},
        {"name": "entity", "dataType": ["text"]}, {"name": "text", "dataType": ["text"]},
        {"name": "quality", "dataType": ["number"]}, {"name": "document", "dataType": ["text"]}]});
    let http = reqwest_post(&stub, "/v1/schema", &legacy).await;
    assert_eq!(http, 200);
    let store = WeaviateStore::new(stub.settings(None)).unwrap();
    let e = store.prepare().await.unwrap_err();
    assert!(matches!(e, WeaviateError::Schema { .. }), "{e}");
    let message = e.to_string();
    assert!(message.contains("tokenization `word`") && message.contains("cart_item"), "{message}");

    // The stub is not lenient: on such a collection, `entity == cart` does match `cart_item`.
    let doc = cart_and_lookalikes().into_iter().find(|d| d.entity == "cart_item").unwrap();
    let object = serde_json::json!({"class": "Testdata_patterns", "id": testdata::rag::weaviate::object::object_id(&doc),
        "properties": testdata::rag::weaviate::object::properties(&doc).unwrap()});
    assert_eq!(
        reqwest_post(&stub, "/v1/batch/objects", &serde_json::json!({"objects": [object]})).await,
        200
    );
    let raw =
        testdata::rag::weaviate::search::bm25_request("Testdata_patterns", &cart_query("trail running", 5));
    let mut client =
        testdata::rag::weaviate::proto::weaviate_client::WeaviateClient::connect(stub.grpc_url())
            .await
            .unwrap();
    let reply = client.search(raw).await.unwrap().into_inner();
    assert_eq!(reply.results.len(), 1, "word tokenization lets `cart` match `cart_item`");
}

async fn reqwest_post(stub: &WeaviateStub, path: &str, body: &Value) -> u16 {
    // A plain HTTP/1.1 POST over a socket (no client library needed).
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let body = body.to_string();
    let mut s = tokio::net::TcpStream::connect(stub.rest).await.unwrap();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(request.as_bytes()).await.unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    out.split(' ').nth(1).unwrap().parse().unwrap()
}

fn cart_query(text: &str, k: usize) -> Query {
    Query::new("ecommerce", "cart", DocumentKind::TestData, text).top_k(k)
}

#[tokio::test]
async fn a_cart_query_returns_only_cart_patterns_ranked_by_bm25_with_an_exact_entity_and_domain_filter() {
    let stub = WeaviateStub::start(None).await;
    let store = imported(&stub).await;
    assert_eq!(stub.objects("Testdata_patterns").len(), 5);
    assert_eq!(stub.objects("Testdata_defects").len(), 1);

    let hits = store.search(&cart_query("trail running shoes", 5)).await.unwrap();
    let ids: Vec<&str> = hits.iter().map(|h| h.document.id.as_str()).collect();
    assert_eq!(
        ids,
        ["w-cart-trail", "w-cart-gym"],
        "the best BM25 match first, then the other cart; nothing else"
    );
    assert!(hits[0].score > 0.0 && hits[1].score == 0.0);

    let searches = stub.searches();
    let bm25 = &searches[0];
    assert_eq!(bm25.collection, "Testdata_patterns");
    assert_eq!(bm25.limit, 5, "limit = RAG_TOP_K");
    assert_eq!(bm25.bm25_search.as_ref().unwrap().query, "trail running shoes");
    let filter = bm25.filters.as_ref().unwrap();
    assert_eq!(filter.operator, Operator::And as i32);
    let clauses: BTreeSet<_> = filter.filters.iter().filter_map(equal_on).collect();
    assert_eq!(
        clauses,
        BTreeSet::from([("domain".into(), "ecommerce".into()), ("entity".into(), "cart".into())])
    );

    // top k = 1: one hit, and the limit reaches Weaviate.
    let one = store.search(&cart_query("gym towel", 1)).await.unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].document.id, "w-cart-gym");
    assert_eq!(stub.searches().last().map(|s: &SearchRequest| s.limit), Some(1));

    // Defects come from the defects collection, still only carts.
    let defects =
        store.search(&Query::new("ecommerce", "cart", DocumentKind::Defect, "zero price")).await.unwrap();
    assert_eq!(defects.iter().map(|h| h.document.id.as_str()).collect::<Vec<_>>(), ["w-bug-1"]);
    // No profile for carts in Weaviate: an empty answer (the RAG path then reports a fallback).
    let profiles = store.search(&Query::new("ecommerce", "cart", DocumentKind::Profile, "")).await.unwrap();
    assert!(profiles.is_empty());
}

#[tokio::test]
async fn the_api_key_is_sent_as_a_bearer_token_on_rest_and_grpc() {
    let stub = WeaviateStub::start(Some("s3cret")).await;
    let without = WeaviateStore::new(stub.settings(None)).unwrap();
    let e = without.import(&cart_and_lookalikes()).await.unwrap_err();
    assert!(matches!(e, WeaviateError::Unauthorized { .. }), "{e}");
    assert!(e.to_string().contains("WEAVIATE_API_KEY"), "{e}");
    let e = without.hits(&cart_query("trail", 5)).await.unwrap_err();
    assert!(matches!(e, WeaviateError::Unauthorized { ref call, .. } if call.contains("gRPC")), "{e}");

    let with = WeaviateStore::new(stub.settings(Some("s3cret"))).unwrap();
    with.import(&cart_and_lookalikes()).await.unwrap();
    let hits = with.hits(&cart_query("trail", 5)).await.unwrap();
    assert_eq!(hits[0].document.id, "w-cart-trail");
    let db = stub.db.lock().unwrap();
    assert_eq!(db.rest_auth.last().unwrap().as_deref(), Some("Bearer s3cret"));
    assert_eq!(db.grpc_auth.last().unwrap().as_deref(), Some("Bearer s3cret"));
    assert_eq!(db.grpc_auth.first().unwrap(), &None, "the keyless call carried no key");
}

#[tokio::test]
async fn an_unready_or_unreachable_weaviate_is_reported_and_the_server_refuses_to_start() {
    let stub = WeaviateStub::start(None).await;
    stub.set_ready(false);
    let store = WeaviateStore::new(stub.settings(None)).unwrap();
    let e = store.ready().await.unwrap_err();
    assert_eq!(e, WeaviateError::NotReady { url: stub.rest_url(), status: 503 });
    assert!(e.to_string().contains("/v1/.well-known/ready"), "{e}");
    assert!(store.state().to_string().starts_with("unavailable: "), "{}", store.state());

    let config = Config { weaviate: args_for(&stub, None), ..Config::ephemeral() };
    let e = start(config).await.expect_err("an unready Weaviate stops the start");
    assert!(matches!(e, StartError::Weaviate(WeaviateError::NotReady { .. })), "{e}");
    assert!(e.to_string().contains("unset it to use the embedded patterns"), "{e}");

    // Nothing listens: unreachable, naming the URL.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let store =
        WeaviateStore::new(testdata::rag::weaviate::WeaviateSettings::new(&format!("http://{closed}")))
            .unwrap();
    let e = store.prepare().await.unwrap_err();
    assert!(matches!(e, WeaviateError::Unreachable { .. }), "{e}");
    assert!(e.to_string().contains(&closed.to_string()), "{e}");
}

fn args_for(stub: &WeaviateStub, key: Option<&str>) -> WeaviateArgs {
    WeaviateArgs {
        weaviate_url: Some(stub.rest_url()),
        weaviate_grpc_url: Some(stub.grpc_url()),
        weaviate_api_key: key.map(str::to_owned),
        ..WeaviateArgs::default()
    }
}

/// Runs the `testdata` binary with the stub's settings in its environment.
fn cli(stub: &WeaviateStub, dir: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_testdata"))
        .args(args)
        .current_dir(dir)
        .env("WEAVIATE_URL", stub.rest_url())
        .env("WEAVIATE_GRPC_URL", stub.grpc_url())
        .env("WEAVIATE_API_KEY", "k1")
        .env_remove("PATTERNS_DIR")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_imports_into_weaviate_and_the_servers_rag_path_serves_carts_from_it() {
    let stub = WeaviateStub::start(Some("k1")).await;
    let dir = tempdir();
    let file = dir.join("weaviate-carts.jsonl");
    let docs = cart_and_lookalikes();
    let text: Vec<String> = docs.iter().map(|d| serde_json::to_string(d).unwrap()).collect();
    std::fs::write(&file, text.join("\n")).unwrap();
    let stub = std::sync::Arc::new(stub);
    let (s, f, d) = (stub.clone(), file.clone(), dir.clone());
    let (ok, _, err) =
        tokio::task::spawn_blocking(move || cli(&s, &d, &["patterns", "import", f.to_str().unwrap()]))
            .await
            .unwrap();
    assert!(ok, "{err}");
    assert!(err.contains("imported 6 pattern(s) into Weaviate"), "{err}");
    assert!(!dir.join("patterns").exists(), "nothing copied into a patterns directory");
    let (s, d) = (stub.clone(), dir.clone());
    let (ok, listed, err) =
        tokio::task::spawn_blocking(move || cli(&s, &d, &["patterns", "list", "--entity", "cart"]))
            .await
            .unwrap();
    assert!(ok, "{err}");
    assert!(listed.contains("w-cart-trail") && listed.contains("w-bug-1"), "{listed}");
    assert!(!listed.contains("w-cart-item") && !listed.contains("cart-fitness_shopping"), "{listed}");

    // `testdata generate --method rag` reads the same environment.
    let (s, d) = (stub.clone(), dir.clone());
    let args = [
        "generate",
        "--entity",
        "cart",
        "-n",
        "20",
        "--format",
        "json",
        "--method",
        "rag",
        "--learn-from-history",
    ];
    let (ok, out, err) = tokio::task::spawn_blocking(move || cli(&s, &d, &args)).await.unwrap();
    assert!(ok, "{err}");
    assert!(err.contains("path: rag;"), "{err}");
    let generated: Vec<Value> = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let names = weaviate_names(&docs, "cart");
    for cart in &generated {
        for item in cart["items"].as_array().unwrap() {
            assert!(names.contains(item["name"].as_str().unwrap()), "generate --method rag: {item}");
        }
    }

    let config = Config { weaviate: args_for(&stub, Some("k1")), ..Config::ephemeral() };
    let running = start(config).await.expect("starts against a ready Weaviate");
    let mut client = TestDataServiceClient::connect(format!("http://{}", running.grpc_addr)).await.unwrap();
    let health = client.health_check(proto::HealthCheckRequest {}).await.unwrap().into_inner();
    assert_eq!(health.components["weaviate"], "healthy");
    let request = GenerateRequest {
        entity: "cart".into(),
        count: 60,
        seed: Some(5),
        domain: "ecommerce".into(),
        learn_from_history: true,
        generation_method: GenerationMethod::Rag as i32,
        context: "trail running kit".into(),
        ..Default::default()
    };
    let resp = client.generate_data(request).await.unwrap().into_inner();
    assert!(resp.success, "{}", resp.error);
    let meta = resp.metadata.unwrap();
    assert_eq!(meta.generation_path, "rag");
    assert!(!meta.fallback, "{}", meta.routing_reason);
    let carts: Vec<Value> = serde_json::from_str(&resp.data).unwrap();
    assert_eq!(carts.len(), 60);
    let from_weaviate = weaviate_names(&docs, "cart");
    let bundled: BTreeSet<String> = EmbeddedStore::bundled()
        .documents()
        .flat_map(|d| d.record().and_then(|r| r["items"].as_array().cloned()).unwrap_or_default())
        .filter_map(|i| i["name"].as_str().map(str::to_owned))
        .collect();
    let mut seen = BTreeSet::new();
    for cart in &carts {
        for item in cart["items"].as_array().unwrap() {
            let name = item["name"].as_str().unwrap();
            assert!(from_weaviate.contains(name), "item {name:?} is not from a Weaviate cart pattern");
            assert!(!bundled.contains(name), "served from the embedded patterns");
            seen.insert(name.to_owned());
        }
    }
    assert!(seen.contains("Weaviate Trail Runner"), "{seen:?}");
    let search = stub.searches().into_iter().rev().find(|s| s.bm25_search.is_some()).unwrap();
    assert_eq!(search.collection, "Testdata_patterns");
    assert_eq!(search.limit, 5);
    running.shutdown().await.unwrap();
}

fn tempdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "testdata-weaviate-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
