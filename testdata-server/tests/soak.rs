//! A few seconds of the soak workload (`loadgen soak`, `testdata_server::soak`) against a
//! server in this process over real gRPC: every answer checks out, resumed streams are byte
//! exact, bad requests are refused as the caller's error. The 60 s run at 80% of peak is
//! `loadgen soak` (docs/reliability.md).

use std::time::Duration;

use testdata_server::config::Config;
use testdata_server::server::start;
use testdata_server::soak::{SoakOptions, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_soak_checks_out() {
    let running = start(Config::ephemeral()).await.unwrap();
    let options = SoakOptions {
        duration: Duration::from_secs(4),
        rate: 100.0,
        clients: 4,
        server_pid: Some(std::process::id()),
        seed: 7,
        llm_percent: 0,
    };
    let r = run(&format!("http://{}", running.grpc_addr), &options).await.unwrap();
    assert!(r.failures.is_empty(), "{:#?}", r.failures);
    assert_eq!((r.good_failed, r.wrong_bytes, r.bad_mishandled), (0, 0, 0), "{r:?}");
    assert!(r.good_ok > 100 && r.resumed > 10 && r.bad_refused > 3, "too little ran: {r:?}");
    assert!(!r.samples.is_empty(), "RSS and fds were not sampled");
    running.shutdown().await.unwrap();
}
