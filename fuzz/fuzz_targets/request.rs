//! Arbitrary `GenerateRequest` bytes → decode → the server's conversion → planning and, when
//! planned, the first records: never a panic, every refusal a `ServiceError` with a sentence.
#![no_main]
use libfuzzer_sys::fuzz_target;
use prost::Message;
use testdata::proto::GenerateRequest;
use testdata_server::config::Config;

fuzz_target!(|data: &[u8]| {
    let Ok(request) = GenerateRequest::decode(data) else { return };
    let service = testdata_server::server::build_service(Config::ephemeral()).expect("service");
    let Ok(spec) = testdata_server::grpc::convert::spec_from_proto(request) else { return };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let mut spec = spec;
    spec.method = testdata_server::request::Method::Traditional;
    spec.count = spec.count.clamp(0, 20);
    if let Err(e) = runtime.block_on(service.generate(&spec)) {
        assert!(!e.to_string().trim().is_empty(), "an error without a sentence: {e:?}");
        assert!(!matches!(e, testdata_server::error::ServiceError::Internal(_)), "internal error: {e}");
    }
});
