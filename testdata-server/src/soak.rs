//! The soak workload (`loadgen soak`, issue 16 part 3): a mixed load for a given time at a
//! given rate, checking every answer, sampling the server's resident memory and open file
//! descriptors.
//!
//! Each operation is drawn at random (seeded, so a run can be repeated):
//!
//! | share | operation | checked |
//! |---:|---|---|
//! | 45% | `GenerateData`, 1–20 records | success, `record_count`, the data parses to that many records |
//! | 25% | a stream read to its end | chunk indexes in order, records add up to the count, every chunk parses |
//! | 10% | a stream cancelled after 0–3 chunks | the chunks read are well formed |
//! | 15% | a stream resumed with `offset` | its chunks equal, byte for byte, the same chunks of an uninterrupted run |
//! | 5% | a bad request (unknown entity, negative count or batch size, broken inline schema) | refused as the caller's error (INVALID_ARGUMENT / NOT_FOUND), never success, INTERNAL or UNAVAILABLE |
//!
//! With [`SoakOptions::llm_percent`] above 0, that share of the operations is taken first by
//! `generation_method = LLM` requests for 1–8 `review` records (a unary call, or one stream in
//! four with chunks of half the count), against whatever provider the server has. Each must
//! answer records that validate, or a **clear retryable refusal**: `UNAVAILABLE` or
//! `RESOURCE_EXHAUSTED` with a sentence (in-band for `GenerateData`, a status for streams, after
//! chunks that validate). Anything else (INTERNAL, another code, an empty message, records
//! that do not validate, no answer within [`LLM_PATIENCE`]) is a failed good request.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use testdata::proto::GenerateRequest;
use testdata::proto::test_data_service_client::TestDataServiceClient;
use tonic::transport::Channel;

/// The longest an LLM-path operation may take before it counts as a hang (a failure).
pub const LLM_PATIENCE: Duration = Duration::from_secs(60);

/// What to run.
#[derive(Debug, Clone)]
pub struct SoakOptions {
    /// How long.
    pub duration: Duration,
    /// Operations started per second, spread over the clients (paced, not closed-loop).
    pub rate: f64,
    /// Concurrent clients (one connection each).
    pub clients: usize,
    /// The server's process id, to sample its RSS and open fds (`None`: not sampled).
    pub server_pid: Option<u32>,
    /// Seed of the operation mix.
    pub seed: u64,
    /// Percent of the operations sent to the LLM path (0: none; the server needs a provider).
    pub llm_percent: u64,
}

impl Default for SoakOptions {
    fn default() -> SoakOptions {
        SoakOptions {
            duration: Duration::from_secs(10),
            rate: 100.0,
            clients: 4,
            server_pid: None,
            seed: 1,
            llm_percent: 0,
        }
    }
}

/// The counts of a soak run.
#[derive(Debug, Default)]
pub struct SoakReport {
    /// Good requests that succeeded and checked out.
    pub good_ok: u64,
    /// Good requests that failed or answered wrongly (each a line in `failures`).
    pub good_failed: u64,
    /// Streams cancelled on purpose.
    pub cancelled: u64,
    /// Resumed streams compared byte for byte.
    pub resumed: u64,
    /// Bytes of resumed streams that differed from the uninterrupted run.
    pub wrong_bytes: u64,
    /// Bad requests refused as the caller's error.
    pub bad_refused: u64,
    /// Bad requests answered otherwise.
    pub bad_mishandled: u64,
    /// Operations started late because the clients could not keep up with the rate.
    pub behind: u64,
    /// LLM-path operations answered with records that validate.
    pub llm_ok: u64,
    /// LLM-path operations refused clearly (UNAVAILABLE / RESOURCE_EXHAUSTED with a sentence).
    pub llm_refused: u64,
    /// The slowest LLM-path operation (answered or refused).
    pub llm_slowest: Duration,
    /// The first few LLM refusals, as `CODE: message`.
    pub llm_refusals: Vec<String>,
    /// The first few failures, described.
    pub failures: Vec<String>,
    /// (seconds since start, RSS KiB, open fds) every second.
    pub samples: Vec<(f64, u64, u64)>,
}

impl std::fmt::Display for SoakReport {
    /// The RSS and fd curve (one line a sample), the counts, the LLM path's (when it ran)
    /// and the failures, one per line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "t_s rss_mb fds")?;
        for (t, rss, fds) in &self.samples {
            writeln!(f, "{t:.0} {:.1} {fds}", *rss as f64 / 1024.0)?;
        }
        writeln!(
            f,
            "good ok={} failed={} | cancelled streams={} | resumed streams={} wrong bytes={} | bad refused={} mishandled={} | late starts={}",
            self.good_ok,
            self.good_failed,
            self.cancelled,
            self.resumed,
            self.wrong_bytes,
            self.bad_refused,
            self.bad_mishandled,
            self.behind
        )?;
        if self.llm_ok + self.llm_refused > 0 {
            writeln!(
                f,
                "LLM path: answered={} refused (retryable)={} slowest={:.1}s",
                self.llm_ok,
                self.llm_refused,
                self.llm_slowest.as_secs_f64()
            )?;
        }
        for why in &self.llm_refusals {
            writeln!(f, "refusal: {why}")?;
        }
        for failure in &self.failures {
            writeln!(f, "failure: {failure}")?;
        }
        Ok(())
    }
}

#[derive(Default)]
struct Counters {
    good_ok: AtomicU64,
    good_failed: AtomicU64,
    cancelled: AtomicU64,
    resumed: AtomicU64,
    wrong_bytes: AtomicU64,
    bad_refused: AtomicU64,
    bad_mishandled: AtomicU64,
    behind: AtomicU64,
    llm_ok: AtomicU64,
    llm_refused: AtomicU64,
    llm_slowest_us: AtomicU64,
    llm_refusals: std::sync::Mutex<Vec<String>>,
    failures: std::sync::Mutex<Vec<String>>,
}

impl Counters {
    fn fail(&self, what: String) {
        self.good_failed.fetch_add(1, Ordering::Relaxed);
        let mut f = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if f.len() < 20 {
            f.push(what);
        }
    }

    fn refused(&self, what: String) {
        self.llm_refused.fetch_add(1, Ordering::Relaxed);
        let mut r = self.llm_refusals.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if r.len() < 5 {
            r.push(what);
        }
    }
}

/// A small seeded generator (SplitMix64) for the operation mix.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const ENTITIES: [&str; 4] = ["user", "order", "cart", "product"];

/// Validates records against the built-in schemas.
struct Validator(crate::registry::Registry);

impl Validator {
    /// The first record of `records` that breaks its entity's schema, described.
    fn check(&self, entity: &str, records: &[serde_json::Value]) -> Result<(), String> {
        let schema = self.0.get(entity).ok_or_else(|| format!("no built-in schema `{entity}`"))?;
        for record in records {
            let mut record = record.clone();
            if let Some(map) = record.as_object_mut() {
                map.remove("_index");
                map.remove("_scenario");
            }
            if let Err(v) = schema.validate(&record) {
                return Err(format!("a record does not validate: {v}"));
            }
        }
        Ok(())
    }
}

/// The resident memory (KiB) and open file descriptors of process `pid`.
pub fn rss_and_fds(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss = status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()?;
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?.count() as u64;
    Some((rss, fds))
}

/// Runs the soak against `target` (a loopback gRPC URL) and reports.
pub async fn run(
    target: &str,
    options: &SoakOptions,
) -> Result<SoakReport, Box<dyn std::error::Error + Send + Sync>> {
    let counters = Arc::new(Counters::default());
    let validator = Arc::new(Validator(crate::registry::Registry::builtin()?));
    let started = Instant::now();
    let until = started + options.duration;
    let per_client = Duration::from_secs_f64(options.clients as f64 / options.rate.max(0.001));
    let mut tasks = Vec::new();
    for n in 0..options.clients {
        let channel =
            tonic::transport::Endpoint::from_shared(target.to_owned())?.tcp_nodelay(true).connect().await?;
        let client = TestDataServiceClient::new(channel).max_decoding_message_size(64 * 1024 * 1024);
        let counters = Arc::clone(&counters);
        let validator = Arc::clone(&validator);
        let mut mix = Mix(options.seed ^ (n as u64).wrapping_mul(0x100_0000_01B3));
        let llm_percent = options.llm_percent;
        let offset = per_client.mul_f64(n as f64 / options.clients.max(1) as f64);
        tasks.push(tokio::spawn(async move {
            let mut next = started + offset;
            while next < until {
                tokio::time::sleep_until(next.into()).await;
                if llm_percent > 0 && mix.below(100) < llm_percent {
                    llm(client.clone(), &mut mix, &counters, &validator).await;
                } else {
                    one_operation(client.clone(), &mut mix, &counters, &validator).await;
                }
                next += per_client;
                if Instant::now() > next + per_client {
                    counters.behind.fetch_add(1, Ordering::Relaxed);
                    next = Instant::now();
                }
            }
        }));
    }
    let mut samples = Vec::new();
    if let Some(pid) = options.server_pid {
        while Instant::now() < until {
            if let Some((rss, fds)) = rss_and_fds(pid) {
                samples.push((started.elapsed().as_secs_f64(), rss, fds));
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
    for t in tasks {
        t.await?;
    }
    if let Some((rss, fds)) = options.server_pid.and_then(rss_and_fds) {
        samples.push((started.elapsed().as_secs_f64(), rss, fds));
    }
    let c = Arc::try_unwrap(counters).unwrap_or_default();
    Ok(SoakReport {
        good_ok: c.good_ok.into_inner(),
        good_failed: c.good_failed.into_inner(),
        cancelled: c.cancelled.into_inner(),
        resumed: c.resumed.into_inner(),
        wrong_bytes: c.wrong_bytes.into_inner(),
        bad_refused: c.bad_refused.into_inner(),
        bad_mishandled: c.bad_mishandled.into_inner(),
        behind: c.behind.into_inner(),
        llm_ok: c.llm_ok.into_inner(),
        llm_refused: c.llm_refused.into_inner(),
        llm_slowest: Duration::from_micros(c.llm_slowest_us.into_inner()),
        llm_refusals: c.llm_refusals.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner),
        failures: c.failures.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner),
        samples,
    })
}

async fn one_operation(
    mut client: TestDataServiceClient<Channel>,
    mix: &mut Mix,
    c: &Counters,
    v: &Validator,
) {
    let entity = ENTITIES[mix.below(ENTITIES.len() as u64) as usize].to_owned();
    let seed = mix.below(1_000_000);
    let roll = mix.below(100);
    let request = |count: u64, batch: u64| GenerateRequest {
        entity: entity.clone(),
        count: count as i32,
        batch_size: batch as i32,
        seed: Some(seed),
        ..Default::default()
    };
    match roll {
        0..45 => unary(&mut client, request(1 + mix.below(20), 0), c, v).await,
        45..70 => {
            if let Err(why) =
                read_stream(&mut client, request(50 + mix.below(250), 10 + mix.below(40)), None, v).await
            {
                c.fail(format!("stream {entity} seed {seed}: {why}"));
            } else {
                c.good_ok.fetch_add(1, Ordering::Relaxed);
            }
        }
        70..80 => {
            let keep = mix.below(4) as usize;
            match read_stream(&mut client, request(500, 10), Some(keep), v).await {
                Ok(_) => {
                    c.cancelled.fetch_add(1, Ordering::Relaxed);
                }
                Err(why) => c.fail(format!("cancelled stream {entity} seed {seed}: {why}")),
            }
        }
        80..95 => {
            let (count, batch) = (100 + mix.below(200), 10 + mix.below(20));
            let skip = 1 + mix.below(count / batch);
            resume(&mut client, request(count, batch), skip, c, v).await;
        }
        _ => bad(&mut client, mix.below(4), c).await,
    }
}

async fn unary(
    client: &mut TestDataServiceClient<Channel>,
    request: GenerateRequest,
    c: &Counters,
    v: &Validator,
) {
    let (entity, count) = (request.entity.clone(), request.count);
    let answer = match client.generate_data(request).await {
        Ok(r) => r.into_inner(),
        Err(s) => return c.fail(format!("unary {entity}: {} {}", s.code(), s.message())),
    };
    if !answer.success {
        return c.fail(format!("unary {entity}: {}", answer.error));
    }
    match serde_json::from_str::<Vec<serde_json::Value>>(&answer.data) {
        Ok(records) if records.len() == count as usize && answer.record_count == count => {
            match v.check(&entity, &records) {
                Ok(()) => {
                    c.good_ok.fetch_add(1, Ordering::Relaxed);
                }
                Err(why) => c.fail(format!("unary {entity}: {why}")),
            }
        }
        Ok(records) => c.fail(format!("unary {entity}: {} records for count {count}", records.len())),
        Err(e) => c.fail(format!("unary {entity}: the data is not a JSON array: {e}")),
    }
}

/// Why a stream did not check out: the server's status, or what was wrong with its chunks.
#[derive(Debug)]
struct Failure {
    /// The status that ended the stream, if it was one.
    status: Option<tonic::Status>,
    what: String,
}

impl Failure {
    fn status(s: tonic::Status) -> Failure {
        Failure { what: format!("{} {}", s.code(), s.message()), status: Some(s) }
    }
}

impl From<String> for Failure {
    fn from(what: String) -> Failure {
        Failure { status: None, what }
    }
}

impl From<&str> for Failure {
    fn from(what: &str) -> Failure {
        what.to_owned().into()
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.what)
    }
}

/// Reads a stream (all of it, or `keep` chunks then cancels) and returns its chunks' data;
/// checks chunk order, that every chunk parses, and that a full read adds up to the count.
async fn read_stream(
    client: &mut TestDataServiceClient<Channel>,
    request: GenerateRequest,
    keep: Option<usize>,
    v: &Validator,
) -> Result<Vec<String>, Failure> {
    let entity = request.entity.clone();
    let count = request.count as u64;
    let batch = request.batch_size.max(1) as u64;
    let first = request.offset / batch;
    let mut stream = client.generate_data_stream(request).await.map_err(Failure::status)?.into_inner();
    let mut chunks = Vec::new();
    let mut records = 0u64;
    loop {
        if keep.is_some_and(|k| chunks.len() >= k) {
            return Ok(chunks);
        }
        let chunk = match stream.message().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => return Err("the stream ended without its final chunk".into()),
            Err(s) => return Err(Failure::status(s)),
        };
        if chunk.chunk_index as u64 != first + chunks.len() as u64 {
            return Err(
                format!("chunk {} where {} was due", chunk.chunk_index, first + chunks.len() as u64).into()
            );
        }
        if chunk.is_final {
            break;
        }
        let parsed: Vec<serde_json::Value> = serde_json::from_str(&chunk.data)
            .map_err(|e| Failure::from(format!("chunk {}: {e}", chunk.chunk_index)))?;
        if parsed.len() != chunk.record_count as usize {
            return Err(format!(
                "chunk {}: {} records, says {}",
                chunk.chunk_index,
                parsed.len(),
                chunk.record_count
            )
            .into());
        }
        v.check(&entity, &parsed)
            .map_err(|why| Failure::from(format!("chunk {}: {why}", chunk.chunk_index)))?;
        records += parsed.len() as u64;
        chunks.push(chunk.data);
    }
    let expected = count - (first * batch).min(count);
    if records != expected {
        return Err(format!("{records} records, {expected} expected").into());
    }
    Ok(chunks)
}

async fn resume(
    client: &mut TestDataServiceClient<Channel>,
    request: GenerateRequest,
    skip: u64,
    c: &Counters,
    v: &Validator,
) {
    let whole = match read_stream(client, request.clone(), None, v).await {
        Ok(chunks) => chunks,
        Err(why) => return c.fail(format!("uninterrupted stream {}: {why}", request.entity)),
    };
    let offset = skip * request.batch_size as u64;
    let resumed = match read_stream(client, GenerateRequest { offset, ..request.clone() }, None, v).await {
        Ok(chunks) => chunks,
        Err(why) => return c.fail(format!("stream {} resumed at {offset}: {why}", request.entity)),
    };
    let expected = whole.get(skip as usize..).unwrap_or_default();
    let differing: u64 = expected
        .iter()
        .zip(&resumed)
        .map(|(a, b)| {
            a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count() as u64 + a.len().abs_diff(b.len()) as u64
        })
        .sum::<u64>()
        + expected
            .iter()
            .skip(resumed.len())
            .chain(resumed.iter().skip(expected.len()))
            .map(|s| s.len() as u64)
            .sum::<u64>();
    c.resumed.fetch_add(1, Ordering::Relaxed);
    if differing > 0 {
        c.wrong_bytes.fetch_add(differing, Ordering::Relaxed);
        c.fail(format!(
            "stream {} seed {:?} resumed at {offset}: {differing} bytes differ",
            request.entity, request.seed
        ));
    } else {
        c.good_ok.fetch_add(1, Ordering::Relaxed);
    }
}

async fn bad(client: &mut TestDataServiceClient<Channel>, which: u64, c: &Counters) {
    let request = match which {
        0 => GenerateRequest { entity: "no_such_entity".into(), count: 5, ..Default::default() },
        1 => GenerateRequest { entity: "user".into(), count: -1, ..Default::default() },
        2 => GenerateRequest { entity: "user".into(), count: 5, batch_size: -5, ..Default::default() },
        _ => GenerateRequest {
            inline_schema: "{\"name\": \"x\", \"fields\": [".into(),
            count: 5,
            ..Default::default()
        },
    };
    let caller_error =
        |code: tonic::Code| matches!(code, tonic::Code::InvalidArgument | tonic::Code::NotFound);
    let ok = if which == 2 {
        client.generate_data_stream(request).await.map(|_| ()).is_err_and(|s| caller_error(s.code()))
    } else {
        match client.generate_data(request).await {
            Ok(r) => {
                let r = r.into_inner();
                !r.success
                    && matches!(
                        r.error_code(),
                        testdata::proto::ErrorCode::InvalidArgument | testdata::proto::ErrorCode::NotFound
                    )
            }
            Err(_) => false,
        }
    };
    let counter = if ok { &c.bad_refused } else { &c.bad_mishandled };
    counter.fetch_add(1, Ordering::Relaxed);
}

/// A clear retryable refusal: UNAVAILABLE or RESOURCE_EXHAUSTED with a sentence.
fn retryable_refusal(code: tonic::Code, message: &str) -> bool {
    matches!(code, tonic::Code::Unavailable | tonic::Code::ResourceExhausted)
        && message.split_whitespace().count() >= 3
}

/// How an LLM-path operation ended.
enum LlmOutcome {
    /// Records that validate.
    Records,
    /// A clear retryable refusal (`CODE: message`).
    Refused(String),
    /// Anything else, described.
    Failed(String),
}

/// One LLM-path operation: a unary call or (one in four) a stream of `review` records.
async fn llm(mut client: TestDataServiceClient<Channel>, mix: &mut Mix, c: &Counters, v: &Validator) {
    let seed = mix.below(1_000_000);
    let count = 1 + mix.below(8);
    let stream = mix.below(4) == 0;
    let request = GenerateRequest {
        entity: "review".into(),
        count: count as i32,
        batch_size: if stream { count.div_ceil(2) as i32 } else { 0 },
        seed: Some(seed),
        generation_method: testdata::proto::GenerationMethod::Llm as i32,
        ..Default::default()
    };
    let what = format!("LLM {} review ×{count} seed {seed}", if stream { "stream" } else { "unary" });
    let started = Instant::now();
    let outcome = tokio::time::timeout(LLM_PATIENCE, async {
        if stream {
            match read_stream(&mut client, request, None, v).await {
                Ok(_) => LlmOutcome::Records,
                Err(Failure { status: Some(s), .. }) if retryable_refusal(s.code(), s.message()) => {
                    LlmOutcome::Refused(format!("{:?}: {}", s.code(), s.message()))
                }
                Err(why) => LlmOutcome::Failed(why.to_string()),
            }
        } else {
            llm_unary(&mut client, request, v).await
        }
    })
    .await
    .unwrap_or_else(|_| LlmOutcome::Failed(format!("no answer within {LLM_PATIENCE:?}")));
    c.llm_slowest_us.fetch_max(started.elapsed().as_micros() as u64, Ordering::Relaxed);
    match outcome {
        LlmOutcome::Records => {
            c.llm_ok.fetch_add(1, Ordering::Relaxed);
            c.good_ok.fetch_add(1, Ordering::Relaxed);
        }
        LlmOutcome::Refused(why) => c.refused(why),
        LlmOutcome::Failed(why) => c.fail(format!("{what}: {why}")),
    }
}

async fn llm_unary(
    client: &mut TestDataServiceClient<Channel>,
    request: GenerateRequest,
    v: &Validator,
) -> LlmOutcome {
    let count = request.count;
    let answer = match client.generate_data(request).await {
        Ok(r) => r.into_inner(),
        Err(s) if retryable_refusal(s.code(), s.message()) => {
            return LlmOutcome::Refused(format!("{:?}: {}", s.code(), s.message()));
        }
        Err(s) => return LlmOutcome::Failed(format!("{} {}", s.code(), s.message())),
    };
    if !answer.success {
        // In-band codes have no RESOURCE_EXHAUSTED (that one comes as a status).
        let code = match answer.error_code() {
            testdata::proto::ErrorCode::Unavailable => tonic::Code::Unavailable,
            other => return LlmOutcome::Failed(format!("{other:?}: {}", answer.error)),
        };
        return if retryable_refusal(code, &answer.error) {
            LlmOutcome::Refused(format!("{code:?}: {}", answer.error))
        } else {
            LlmOutcome::Failed(format!("{code:?} without a sentence: {:?}", answer.error))
        };
    }
    match serde_json::from_str::<Vec<serde_json::Value>>(&answer.data) {
        Ok(records) if records.len() == count as usize && answer.record_count == count => {
            match v.check("review", &records) {
                Ok(()) => LlmOutcome::Records,
                Err(why) => LlmOutcome::Failed(why),
            }
        }
        Ok(records) => LlmOutcome::Failed(format!("{} records for count {count}", records.len())),
        Err(e) => LlmOutcome::Failed(format!("the data is not a JSON array: {e}")),
    }
}
