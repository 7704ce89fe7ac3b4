//! `loadgen`: a load generator for testdata-server on loopback.
//!
//! ```text
//! loadgen unary  --clients 100 --requests 10 --entity user --count 10
//! loadgen stream --clients 1 --requests 20 --entity cart --count 500
//! loadgen stream --clients 2 --requests 1 --entity user --count 2000000 --batch-size 1000
//! loadgen slow   --entity user --count 10000000 --delay-us 200 --server-pid PID
//! loadgen soak   --clients 8 --max-seconds 60 --fraction 0.8 --server-pid PID [--llm-percent 10]
//! loadgen slow-streams --clients 100 --entity order --count 1000000 --batch-size 1000 --delay-us 500000 --max-seconds 20 --server-pid PID
//! ```
//!
//! Every client has its own connection and runs its requests one after another. Reports
//! latency percentiles (HDR histogram: p50, p90, p99, p99.9, max), requests/s, records/s and,
//! for streams, the time to the first chunk. Bounded by `--requests` and `--max-seconds`.
//! Targets must be loopback addresses.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use hdrhistogram::Histogram;
use testdata::proto::GenerateRequest;
use testdata::proto::test_data_service_client::TestDataServiceClient;
use tonic::transport::{Channel, Endpoint};

/// mimalloc: generation allocates many small strings and maps.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// What to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Mode {
    /// `GenerateData` calls.
    Unary,
    /// `GenerateDataStream` calls read as fast as possible.
    Stream,
    /// One stream read slowly (`--delay-us` per chunk), sampling the server's RSS.
    Slow,
    /// `--clients` streams each read one chunk every `--delay-us`, while one client times
    /// `GenerateData` calls of 10 records every 50 ms; samples the server's RSS.
    SlowStreams,
    /// The mixed, checked workload of `testdata_server::soak` for `--max-seconds` at
    /// `--fraction` of the peak rate (measured first for `--calibrate-seconds`) or at `--rate`.
    Soak,
}

/// Command line.
#[derive(Debug, Parser)]
#[command(name = "loadgen", about = "Load generator for testdata-server (loopback only)")]
struct Args {
    /// unary, stream or slow.
    mode: Mode,
    /// The server's gRPC URL.
    #[arg(long, default_value = "http://127.0.0.1:9091")]
    target: String,
    /// Concurrent clients (one connection each).
    #[arg(long, default_value_t = 100)]
    clients: usize,
    /// Sequential requests per client.
    #[arg(long, default_value_t = 10)]
    requests: usize,
    /// Entity to generate.
    #[arg(long, default_value = "user")]
    entity: String,
    /// Records per request (per stream for stream modes).
    #[arg(long, default_value_t = 10)]
    count: i32,
    /// Records per chunk (0: the server's default).
    #[arg(long, default_value_t = 0)]
    batch_size: i32,
    /// Stop after this many seconds whatever is left.
    #[arg(long, default_value_t = 120)]
    max_seconds: u64,
    /// Slow mode: pause per chunk, in microseconds.
    #[arg(long, default_value_t = 200)]
    delay_us: u64,
    /// Slow mode: the server's process id, to sample its resident memory.
    #[arg(long)]
    server_pid: Option<u32>,
    /// API key to send (`x-api-key`).
    #[arg(long, env = "LOADGEN_API_KEY")]
    api_key: Option<String>,
    /// Client runtime threads (1: one thread, leaving the other core to the server).
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Warm-up calls per client before measuring (the measured call: unary, or a whole stream).
    #[arg(long, default_value_t = 1)]
    warmup: usize,
    /// Soak: operations per second (default: `--fraction` of the measured peak).
    #[arg(long)]
    rate: Option<f64>,
    /// Soak: the fraction of the peak rate to run at.
    #[arg(long, default_value_t = 0.8)]
    fraction: f64,
    /// Soak: seconds of the closed-loop run that measures the peak rate.
    #[arg(long, default_value_t = 5)]
    calibrate_seconds: u64,
    /// Soak: percent of the operations sent to the LLM path (the server needs a provider).
    #[arg(long, default_value_t = 0)]
    llm_percent: u64,
}

type Error = Box<dyn std::error::Error + Send + Sync>;

fn hist() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 600_000_000, 3).expect("constant, valid bounds")
}

fn print_hist(name: &str, h: &Histogram<u64>) {
    let ms = |v: u64| v as f64 / 1000.0;
    println!(
        "{name:<22} n={:<8} p50={:.3}ms p90={:.3}ms p99={:.3}ms p99.9={:.3}ms max={:.3}ms",
        h.len(),
        ms(h.value_at_quantile(0.5)),
        ms(h.value_at_quantile(0.9)),
        ms(h.value_at_quantile(0.99)),
        ms(h.value_at_quantile(0.999)),
        ms(h.max()),
    );
}

fn request(args: &Args, i: u64) -> tonic::Request<GenerateRequest> {
    let mut r = tonic::Request::new(GenerateRequest {
        entity: args.entity.clone(),
        count: args.count,
        seed: Some(i),
        batch_size: args.batch_size,
        ..Default::default()
    });
    if let Some(k) = &args.api_key
        && let Ok(v) = k.parse()
    {
        r.metadata_mut().insert("x-api-key", v);
    }
    r
}

async fn connect(target: &str) -> Result<TestDataServiceClient<Channel>, Error> {
    let channel = Endpoint::from_shared(target.to_owned())?.tcp_nodelay(true).connect().await?;
    Ok(TestDataServiceClient::new(channel).max_decoding_message_size(256 * 1024 * 1024))
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Counts shared by the measuring clients.
#[derive(Default)]
struct Totals {
    requests: AtomicU64,
    records: AtomicU64,
    bytes: AtomicU64,
    errors: AtomicU64,
}

/// The per-client histograms: whole-call latency and time to the first chunk.
type Hists = (Histogram<u64>, Histogram<u64>);

async fn run(args: Arc<Args>) -> Result<(), Error> {
    match args.mode {
        Mode::Slow => slow(&args, Instant::now() + Duration::from_secs(args.max_seconds)).await,
        Mode::Soak => soak(&args).await,
        Mode::SlowStreams => slow_streams(&args).await,
        Mode::Unary | Mode::Stream => measure(args).await,
    }
}

/// Unary and stream modes: connect, warm up, run the measured calls, print the figures.
async fn measure(args: Arc<Args>) -> Result<(), Error> {
    let totals = Arc::new(Totals::default());
    let mut clients = Vec::with_capacity(args.clients);
    for _ in 0..args.clients {
        clients.push(connect(&args.target).await?);
    }
    let clients = warm_up(&args, clients).await?;
    // The histograms (~180 kB each, zeroed) are made before the clock starts: made in the
    // tasks, they held the single client thread up for tens of milliseconds of page faults
    // while the first responses waited to be read.
    let hists: Vec<Hists> = clients.iter().map(|_| (hist(), hist())).collect();
    let start = Instant::now();
    // `--max-seconds` bounds the measured run, not the warm-up.
    let stop_at = start + Duration::from_secs(args.max_seconds);
    let mut tasks = Vec::new();
    for ((n, client), hists) in clients.into_iter().enumerate().zip(hists) {
        tasks.push(tokio::spawn(client_loop(args.clone(), totals.clone(), n, client, hists, stop_at)));
    }
    let mut latency = hist();
    let mut first = hist();
    for t in tasks {
        let (l, f) = t.await?;
        latency.add(&l)?;
        first.add(&f)?;
    }
    report(&args, &totals, start.elapsed().as_secs_f64(), &latency, &first);
    Ok(())
}

/// Warms up every connection (and the server's caches and allocator), all clients at once
/// as in the measured run, so its first burst does not pay for the server's memory growth.
async fn warm_up(
    args: &Arc<Args>,
    clients: Vec<TestDataServiceClient<Channel>>,
) -> Result<Vec<TestDataServiceClient<Channel>>, Error> {
    let mut warming = Vec::with_capacity(clients.len());
    for mut c in clients {
        let args = args.clone();
        warming.push(tokio::spawn(async move {
            for w in 0..args.warmup {
                if let Err(e) = warm_call(&args, &mut c, w as u64).await {
                    eprintln!("loadgen: a warm-up call failed: {} ({})", e.message(), e.code());
                }
            }
            c
        }));
    }
    let mut clients = Vec::with_capacity(warming.len());
    for w in warming {
        clients.push(w.await?);
    }
    Ok(clients)
}

/// One warm-up call: the measured call (a whole stream, drained, in stream mode), or a
/// unary call of at most 10 records.
async fn warm_call(
    args: &Args,
    c: &mut TestDataServiceClient<Channel>,
    seed: u64,
) -> Result<(), tonic::Status> {
    let mut r = request(args, seed);
    if args.mode == Mode::Stream {
        let mut s = c.generate_data_stream(r).await?.into_inner();
        while s.message().await?.is_some() {}
        Ok(())
    } else {
        r.get_mut().count = r.get_ref().count.min(10);
        c.generate_data(r).await.map(|_| ())
    }
}

/// One client's measured calls, one after another until `--requests` or `stop_at`.
async fn client_loop(
    args: Arc<Args>,
    totals: Arc<Totals>,
    n: usize,
    mut client: TestDataServiceClient<Channel>,
    (mut latency, mut first): Hists,
    stop_at: Instant,
) -> Hists {
    for i in 0..args.requests {
        if Instant::now() >= stop_at {
            break;
        }
        let seed = (n * args.requests + i) as u64;
        let t = Instant::now();
        match args.mode {
            Mode::Unary => unary_call(&args, &totals, &mut client, seed).await,
            Mode::Stream | Mode::Slow | Mode::Soak | Mode::SlowStreams => {
                stream_call(&args, &totals, &mut client, seed, t, &mut first, stop_at).await
            }
        }
        let _ = latency.record(t.elapsed().as_micros().max(1) as u64);
        totals.requests.fetch_add(1, Ordering::Relaxed);
    }
    (latency, first)
}

/// One `GenerateData` call: counts its records and bytes, or an error.
async fn unary_call(args: &Args, totals: &Totals, client: &mut TestDataServiceClient<Channel>, seed: u64) {
    match client.generate_data(request(args, seed)).await {
        Ok(r) if r.get_ref().success => {
            let r = r.into_inner();
            totals.records.fetch_add(r.record_count as u64, Ordering::Relaxed);
            totals.bytes.fetch_add(r.data.len() as u64, Ordering::Relaxed);
        }
        _ => {
            totals.errors.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// One `GenerateDataStream` call read to its end (or `stop_at`): records the time to the
/// first chunk (from `t`) and counts records, bytes, or an error.
async fn stream_call(
    args: &Args,
    totals: &Totals,
    client: &mut TestDataServiceClient<Channel>,
    seed: u64,
    t: Instant,
    first: &mut Histogram<u64>,
    stop_at: Instant,
) {
    let mut s = match client.generate_data_stream(request(args, seed)).await {
        Ok(s) => s.into_inner(),
        Err(_) => {
            totals.errors.fetch_add(1, Ordering::Relaxed);
            return;
        }
    };
    let mut got_first = false;
    loop {
        match s.message().await {
            Ok(Some(c)) => {
                if !got_first {
                    got_first = true;
                    let _ = first.record(t.elapsed().as_micros().max(1) as u64);
                }
                totals.records.fetch_add(c.record_count as u64, Ordering::Relaxed);
                totals.bytes.fetch_add(c.data.len() as u64, Ordering::Relaxed);
                if Instant::now() >= stop_at {
                    break;
                }
            }
            Ok(None) => break,
            Err(_) => {
                totals.errors.fetch_add(1, Ordering::Relaxed);
                break;
            }
        }
    }
}

/// Prints the run's throughput and latency figures.
fn report(args: &Args, totals: &Totals, wall: f64, latency: &Histogram<u64>, first: &Histogram<u64>) {
    let requests = totals.requests.load(Ordering::Relaxed);
    let records = totals.records.load(Ordering::Relaxed);
    let bytes = totals.bytes.load(Ordering::Relaxed);
    println!(
        "mode={:?} entity={} count={} clients={} requests/client={} wall={:.3}s",
        args.mode, args.entity, args.count, args.clients, args.requests, wall
    );
    println!(
        "requests={requests} errors={} requests/s={:.0} records/s={:.0} MB/s={:.1}",
        totals.errors.load(Ordering::Relaxed),
        requests as f64 / wall,
        records as f64 / wall,
        bytes as f64 / wall / 1e6
    );
    print_hist("latency", latency);
    if args.mode == Mode::Stream {
        print_hist("time to first chunk", first);
    }
}

async fn slow(args: &Args, stop_at: Instant) -> Result<(), Error> {
    let mut client = connect(&args.target).await?;
    let mut s = client.generate_data_stream(request(args, 1)).await?.into_inner();
    let start = Instant::now();
    let (mut records, mut max_rss, mut last_sample) = (0u64, 0u64, Instant::now());
    let sample = |max: &mut u64| {
        if let Some(kib) = args.server_pid.and_then(rss_kib) {
            *max = (*max).max(kib);
        }
    };
    sample(&mut max_rss);
    while let Some(c) = s.message().await? {
        records += c.record_count as u64;
        if args.delay_us > 0 {
            tokio::time::sleep(Duration::from_micros(args.delay_us)).await;
        }
        if last_sample.elapsed() >= Duration::from_millis(250) {
            sample(&mut max_rss);
            last_sample = Instant::now();
        }
        if Instant::now() >= stop_at {
            break;
        }
    }
    sample(&mut max_rss);
    let wall = start.elapsed().as_secs_f64();
    println!(
        "mode=slow entity={} records={records} wall={wall:.1}s records/s={:.0} server max RSS={}",
        args.entity,
        records as f64 / wall,
        if args.server_pid.is_some() {
            format!("{:.1} MB", max_rss as f64 / 1024.0)
        } else {
            "n/a (give --server-pid)".into()
        }
    );
    Ok(())
}

/// `--clients` slowly read streams and the latency of unary calls meanwhile.
async fn slow_streams(args: &Args) -> Result<(), Error> {
    let stop_at = Instant::now() + Duration::from_secs(args.max_seconds);
    let mut readers = Vec::new();
    for i in 0..args.clients {
        let mut client = connect(&args.target).await?;
        let delay = Duration::from_micros(args.delay_us);
        let r = request(args, i as u64);
        readers.push(tokio::spawn(async move {
            let Ok(s) = client.generate_data_stream(r).await else { return 0u64 };
            let mut s = s.into_inner();
            let mut chunks = 0;
            while Instant::now() < stop_at {
                match s.message().await {
                    Ok(Some(_)) => chunks += 1,
                    _ => break,
                }
                tokio::time::sleep(delay).await;
            }
            chunks
        }));
    }
    let mut unary = connect(&args.target).await?;
    let (mut latency, mut max_rss, mut errors) = (hist(), 0u64, 0u64);
    let started = Instant::now();
    while Instant::now() < stop_at {
        let t = Instant::now();
        let small = GenerateRequest { entity: "user".into(), count: 10, ..Default::default() };
        match unary.generate_data(small).await {
            Ok(r) if r.get_ref().success => {
                let _ = latency.record(t.elapsed().as_micros().max(1) as u64);
            }
            _ => errors += 1,
        }
        if let Some(kib) = args.server_pid.and_then(rss_kib) {
            max_rss = max_rss.max(kib);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut chunks = 0;
    for r in readers {
        chunks += r.await?;
    }
    println!(
        "mode=slow-streams streams={} entity={} batch={} wall={:.1}s chunks read={chunks} unary errors={errors} server max RSS={:.1} MB",
        args.clients,
        args.entity,
        args.batch_size,
        started.elapsed().as_secs_f64(),
        max_rss as f64 / 1024.0
    );
    print_hist("unary latency", &latency);
    Ok(())
}

async fn soak(args: &Args) -> Result<(), Error> {
    use testdata_server::soak::{SoakOptions, run};
    let mut options = SoakOptions {
        duration: Duration::from_secs(args.calibrate_seconds),
        rate: 1e9,
        clients: args.clients,
        server_pid: None,
        seed: 1,
        llm_percent: args.llm_percent,
    };
    let rate = match args.rate {
        Some(rate) => rate,
        None => {
            // Closed loop (every client back to back) to find the peak rate of this mix.
            let peak = run(&args.target, &options).await?;
            let ops = peak.good_ok
                + peak.good_failed
                + peak.cancelled
                + peak.bad_refused
                + peak.bad_mishandled
                + peak.llm_refused;
            let rate = ops as f64 / args.calibrate_seconds.max(1) as f64;
            println!(
                "peak: {ops} operations in {} s = {rate:.0}/s (clients={})",
                args.calibrate_seconds, args.clients
            );
            rate * args.fraction
        }
    };
    options.duration = Duration::from_secs(args.max_seconds);
    options.rate = rate;
    options.server_pid = args.server_pid;
    options.seed = 2;
    println!("soak: {} s at {rate:.0} operations/s, {} clients", args.max_seconds, args.clients);
    let r = run(&args.target, &options).await?;
    print!("{r}");
    if r.good_failed > 0 || r.wrong_bytes > 0 || r.bad_mishandled > 0 {
        return Err("the soak found failures".into());
    }
    Ok(())
}

fn loopback(target: &str) -> bool {
    let host = target.split("://").nth(1).unwrap_or(target).split('/').next().unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h).trim_matches(['[', ']']);
    host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn main() {
    let args = Args::parse();
    if !loopback(&args.target) {
        eprintln!(
            "loadgen: {} is not a loopback address; loadgen only targets 127.0.0.1, ::1 or localhost",
            args.target
        );
        std::process::exit(2);
    }
    let runtime = match args.threads {
        0 | 1 => tokio::runtime::Builder::new_current_thread().enable_all().build(),
        n => tokio::runtime::Builder::new_multi_thread().worker_threads(n).enable_all().build(),
    };
    let result = match runtime {
        Ok(rt) => rt.block_on(run(Arc::new(args))),
        Err(e) => Err(e.into()),
    };
    if let Err(e) = result {
        eprintln!("loadgen: {e}");
        std::process::exit(1);
    }
}
