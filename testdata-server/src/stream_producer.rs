//! A stream's producer: generates the chunks of a `GenerateDataStream` (or a console download)
//! ahead of its reader, at most a bounded amount ahead, and stops the moment nobody waits for
//! them: the reader went away, the call's deadline passed, or the shutdown grace ended. Work
//! already running (on tokio's blocking pool, where dropping a task stops nothing) stops at its
//! next record through the plan's [`Cancel`](crate::cancel::Cancel).
//!
//! **Memory bound by bytes.** Each chunk takes its estimated size (records × the bytes a
//! record, sampled when the stream starts) from the stream's budget (`STREAM_BUFFER_BYTES`)
//! before it is generated, and gives it back when the reader takes it; a chunk larger than
//! the whole budget takes all of it (one chunk at a time). So a stream holds at most its budget
//! or one chunk ahead of its reader, whatever `batch_size` and the record size.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use prometheus_client::metrics::counter::Counter;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tokio_stream::Stream;
use tracing::Instrument;

use crate::error::ServiceError;
use crate::metrics::Metrics;
use crate::paths::{Inputs, Report};
use crate::plan::Plan;
use crate::router::Route;
use crate::service::{Chunk, ChunkMeta};

/// How a stream ended (the `status` label of `testdata_streams_total`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamOutcome {
    /// Every chunk and the final one were handed to the reader.
    Success,
    /// The reader went away (the client cancelled or disconnected).
    Cancelled,
    /// The call's deadline passed.
    Deadline,
    /// The shutdown grace period ended first.
    Shutdown,
    /// The request was refused, or a chunk failed.
    Error,
}

impl StreamOutcome {
    /// The metric label.
    pub fn label(self) -> &'static str {
        match self {
            StreamOutcome::Success => "success",
            StreamOutcome::Cancelled => "cancelled",
            StreamOutcome::Deadline => "deadline",
            StreamOutcome::Shutdown => "shutdown",
            StreamOutcome::Error => "error",
        }
    }
}

/// A chunk with its share of the stream's byte budget (given back when the reader takes it).
pub struct Budgeted {
    chunk: Chunk,
    _share: Option<OwnedSemaphorePermit>,
}

/// The chunks handed to a reader; an `Err` ends the stream.
pub type ChunkSender = mpsc::Sender<Result<Budgeted, ServiceError>>;

/// A stream's chunks as its reader takes them; an `Err` ends the stream.
#[derive(Debug)]
pub struct ChunkReceiver(mpsc::Receiver<Result<Budgeted, ServiceError>>);

impl std::fmt::Debug for Budgeted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Budgeted").field("index", &self.chunk.index).finish()
    }
}

impl ChunkReceiver {
    /// A channel of `capacity` chunks.
    pub(crate) fn channel(capacity: usize) -> (ChunkSender, ChunkReceiver) {
        let (tx, rx) = mpsc::channel(capacity);
        (tx, ChunkReceiver(rx))
    }

    /// The next chunk (its budget share given back), or `None` once the producer is done.
    pub(crate) fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Chunk, ServiceError>>> {
        self.0.poll_recv(cx).map(|item| item.map(|r| r.map(|b| b.chunk)))
    }

    /// The next chunk, or `None` once the producer is done.
    pub async fn recv(&mut self) -> Option<Result<Chunk, ServiceError>> {
        std::future::poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// Stops the producer (what a dropped receiver does too).
    pub(crate) fn close(&mut self) {
        self.0.close();
    }
}

impl Stream for ChunkReceiver {
    type Item = Result<Chunk, ServiceError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.poll_recv(cx)
    }
}

/// A stream's byte budget (`STREAM_BUFFER_BYTES`) and the estimated bytes of one record.
pub struct ByteBudget {
    shares: Arc<Semaphore>,
    total: u32,
    per_record: u64,
}

impl ByteBudget {
    /// A budget of `bytes` for chunks of records of about `per_record` bytes.
    pub fn new(bytes: usize, per_record: u64) -> ByteBudget {
        let total = u32::try_from(bytes).unwrap_or(u32::MAX).max(1);
        ByteBudget { shares: Arc::new(Semaphore::new(total as usize)), total, per_record }
    }

    /// The share of a chunk of `records` records: its estimated bytes, at most the budget.
    fn share_of(&self, records: u64) -> u32 {
        u32::try_from(records.saturating_mul(self.per_record)).unwrap_or(u32::MAX).clamp(1, self.total)
    }

    /// The share of a chunk of `records`, waiting for it when `wait` (nothing else of the
    /// stream is being generated, so only the reader can give shares back), else only if free.
    async fn take(&self, records: u64, wait: bool) -> Option<OwnedSemaphorePermit> {
        let n = self.share_of(records);
        if wait {
            Arc::clone(&self.shares).acquire_many_owned(n).await.ok()
        } else {
            Arc::clone(&self.shares).try_acquire_many_owned(n).ok()
        }
    }
}

/// What a stream's producer needs.
pub struct StreamJob {
    /// The stream's plan (its [`Cancel`](crate::cancel::Cancel) stops the generation loops).
    pub plan: Arc<Plan>,
    /// The path inputs of the request.
    pub inputs: Arc<Inputs>,
    /// The path that generates the chunks.
    pub route: Route,
    /// The first record (the request's `offset`).
    pub offset: u64,
    /// Records per chunk.
    pub batch: u64,
    /// The index of the first chunk.
    pub first_index: i32,
    /// When the call must be answered by.
    pub deadline: Option<Instant>,
    /// Chunks generated at once.
    pub parallel: usize,
    /// `testdata_records_generated_total` of the stream's entity.
    pub records: Counter,
    /// The server's metrics.
    pub metrics: Arc<Metrics>,
    /// The bytes the stream may hold ahead of its reader.
    pub budget: ByteBudget,
}

/// Produces the stream into `tx` until it ends or is stopped, and says how it ended. Once
/// stopped, work still running is cancelled; at a deadline the producer waits for the reader
/// to close (it reports the deadline and the offset to resume from); at the end of the shutdown
/// grace the reader is sent an UNAVAILABLE error after the chunks it has.
pub async fn run(job: StreamJob, tx: ChunkSender, hard_stop: watch::Receiver<bool>) -> StreamOutcome {
    let cancel = job.plan.cancel.clone();
    let deadline = job.deadline;
    let mut sent = job.offset;
    let outcome = tokio::select! {
        biased;
        outcome = produce(&job, &tx, &mut sent) => outcome,
        stop = stopped(deadline, hard_stop, &tx) => stop,
    };
    // Chunks still being generated stop at their next record.
    cancel.cancel();
    match outcome {
        StreamOutcome::Deadline => tx.closed().await,
        StreamOutcome::Shutdown => {
            let why = format!(
                "the server is shutting down; resume with offset = {sent} once it (or another instance) is up"
            );
            let _ = tx.send(Err(ServiceError::Unavailable(why))).await;
        }
        _ => {}
    }
    outcome
}

/// Resolves when the stream must stop: its reader is gone, its deadline passed, or the
/// shutdown grace ended.
async fn stopped(
    deadline: Option<Instant>,
    mut hard_stop: watch::Receiver<bool>,
    tx: &ChunkSender,
) -> StreamOutcome {
    let deadline = async move {
        match deadline {
            Some(d) => tokio::time::sleep_until(d.into()).await,
            None => std::future::pending().await,
        }
    };
    let shutdown = async move {
        if hard_stop.wait_for(|stop| *stop).await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        () = tx.closed() => StreamOutcome::Cancelled,
        () = deadline => StreamOutcome::Deadline,
        () = shutdown => StreamOutcome::Shutdown,
    }
}

/// A chunk being generated: its encoded records and range.
type ChunkTask = tokio::task::JoinHandle<Result<(String, Report, u64, u64), ServiceError>>;

/// Chunks being generated (each with its budget share), aborted when dropped (the stream
/// stopped).
struct Pending(VecDeque<(ChunkTask, Option<OwnedSemaphorePermit>)>);

impl Drop for Pending {
    fn drop(&mut self) {
        for (task, _) in self.0.drain(..) {
            task.abort();
        }
    }
}

/// Generates the chunks of a stream and sends them in order (`sent`: the first record not yet
/// sent). The first chunk is generated alone; then up to `parallel` chunks at once: heavy
/// chunks ([`BLOCKING_THRESHOLD`](crate::paths::traditional::BLOCKING_THRESHOLD) records or
/// [`BLOCKING_BYTES`](crate::paths::traditional::BLOCKING_BYTES) estimated) on tokio's
/// blocking pool (so a stream of large chunks uses every core), smaller ones in turn on the
/// connection's thread. Each takes its share of the byte budget first; with the
/// channel's bound this keeps at most `parallel + STREAM_BUFFER_CHUNKS` chunks, and at most
/// the budget's bytes (or one chunk), in memory.
async fn produce(job: &StreamJob, tx: &ChunkSender, sent: &mut u64) -> StreamOutcome {
    let StreamJob { plan, inputs, route, batch, first_index, parallel, .. } = job;
    let mut index = *first_index;
    let mut pending = Pending(VecDeque::with_capacity(*parallel));
    let mut next = job.offset;
    // The first fallback reason of the path's own (a RAG chunk without patterns), which the
    // final chunk repeats.
    let mut fallback = None;
    loop {
        // The first chunk alone: on a thread's runtime, chunks generated ahead of it would run
        // before it is sent and delay the first bytes a reader sees.
        let ahead = if index == *first_index { 1 } else { *parallel };
        while pending.0.len() < ahead && next < plan.total {
            let (start, end) = (next, (next + batch).min(plan.total));
            let Some(share) = job.budget.take(end - start, pending.0.is_empty()).await else { break };
            let (plan, inputs, generator) =
                (Arc::clone(plan), Arc::clone(inputs), Arc::clone(&route.generator));
            let task = tokio::spawn(
                async move {
                    let (data, report) = generator.generate_encoded(&plan, &inputs, start..end).await?;
                    Ok((data, report, start, end))
                }
                .in_current_span(),
            );
            pending.0.push_back((task, Some(share)));
            next = end;
        }
        let Some((task, share)) = pending.0.pop_front() else { break };
        let result = match task.await {
            Ok(r) => r,
            Err(e) => Err(ServiceError::Internal(format!("generation task failed: {e}"))),
        };
        let (data, report, start, end) = match result {
            Ok(generated) => generated,
            Err(e) => {
                job.metrics.error("stream", e.kind().label());
                let _ = tx.send(Err(e)).await;
                return StreamOutcome::Error;
            }
        };
        job.records.inc_by(end - start);
        if fallback.is_none() {
            fallback.clone_from(&report.fallback);
        }
        let chunk = Chunk {
            data,
            index,
            first_record: start,
            record_count: (end - start) as u32,
            is_final: false,
            meta: ChunkMeta::of(route, report),
        };
        job.metrics.stream_chunks.inc();
        if tx.send(Ok(Budgeted { chunk, _share: share })).await.is_err() {
            return StreamOutcome::Cancelled;
        }
        *sent = end;
        index = index.saturating_add(1);
    }
    let last = Chunk {
        data: String::new(),
        index,
        first_record: plan.total,
        record_count: 0,
        is_final: true,
        meta: ChunkMeta::of(route, Report { fallback, ..Report::default() }),
    };
    if tx.send(Ok(Budgeted { chunk: last, _share: None })).await.is_err() {
        return StreamOutcome::Cancelled;
    }
    StreamOutcome::Success
}
