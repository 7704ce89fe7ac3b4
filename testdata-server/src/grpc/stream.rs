//! A `GenerateDataStream` call's lifecycle on the wire: the producer's chunks
//! ([`crate::stream_producer`]) as a gRPC response stream, cut short with a status by the
//! call's deadline or the end of the shutdown grace (each saying which `offset` resumes it).
//! Dropping the stream (the client went away) closes the channel, which stops the producer.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use testdata::export::Format;
use testdata::proto;
use tokio::sync::watch;
use tokio_stream::Stream;
use tonic::Status;

use super::ChunkStream;
use super::convert::{data_chunk, status};
use crate::service::StreamHandle;
use crate::stream_producer::ChunkReceiver;

/// Why a stream is cut short by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// The call's deadline (`grpc-timeout`) passed.
    Deadline,
    /// The shutdown grace period ran out.
    Shutdown,
}

/// The future that ends a stream early: the deadline, or the end of the shutdown grace.
pub type StopFuture = Pin<Box<dyn Future<Output = StopReason> + Send>>;

/// Resolves at `deadline` or when `hard_stop` turns `true`, whichever is first.
pub fn stop_signal(deadline: Option<Instant>, mut hard_stop: watch::Receiver<bool>) -> StopFuture {
    Box::pin(async move {
        let shutdown = async move {
            if hard_stop.wait_for(|stop| *stop).await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        match deadline {
            Some(d) => tokio::select! {
                _ = tokio::time::sleep_until(d.into()) => StopReason::Deadline,
                _ = shutdown => StopReason::Shutdown,
            },
            None => {
                shutdown.await;
                StopReason::Shutdown
            }
        }
    })
}

/// The chunks of a stream as a gRPC response stream. An error, the deadline or the end of the
/// shutdown grace ends it with a status (the latter two say which `offset` resumes it);
/// dropping it (the client went away) stops the producer.
struct Chunks {
    rx: ChunkReceiver,
    request_id: String,
    seed: u64,
    schema_name: String,
    format: Format,
    stop: StopFuture,
    next_record: u64,
    records: u64,
    done: bool,
    span: tracing::Span,
}

impl Stream for Chunks {
    type Item = Result<proto::DataChunk, Status>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        if let Poll::Ready(reason) = this.stop.as_mut().poll(cx) {
            this.done = true;
            this.rx.close();
            let at = this.next_record;
            let status = match reason {
                StopReason::Deadline => Status::deadline_exceeded(format!(
                    "the call's deadline passed after record {at}; resume with offset = {at} and a longer deadline"
                )),
                StopReason::Shutdown => Status::unavailable(format!(
                    "the server is shutting down; resume with offset = {at} once it (or another instance) is up"
                )),
            };
            this.span
                .in_scope(|| tracing::info!(records = this.records, reason = ?reason, "stream cut short"));
            this.span.record("otel.status_code", "ERROR");
            return Poll::Ready(Some(Err(status)));
        }
        match this.rx.poll_recv(cx) {
            Poll::Ready(Some(Ok(c))) => {
                this.next_record = c.first_record + u64::from(c.record_count);
                this.records += u64::from(c.record_count);
                if c.is_final {
                    this.done = true;
                    crate::telemetry::record_outcome(&this.span, None, Some(this.records));
                }
                Poll::Ready(Some(Ok(data_chunk(
                    &this.request_id,
                    this.seed,
                    &this.schema_name,
                    this.format,
                    c,
                ))))
            }
            Poll::Ready(Some(Err(e))) => {
                this.done = true;
                this.span.record("otel.status_code", "ERROR");
                this.span.in_scope(|| tracing::info!(error = %e, "stream failed"));
                Poll::Ready(Some(Err(resumable(status(&e), this.next_record))))
            }
            Poll::Ready(None) => {
                // The producer ended without its final chunk (it cannot, short of a bug): say
                // so rather than end the stream as if it were complete.
                this.done = true;
                let at = this.next_record;
                this.span.record("otel.status_code", "ERROR");
                Poll::Ready(Some(Err(Status::internal(format!(
                    "the stream ended before its final chunk; resume with offset = {at}"
                )))))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

/// The chunks of a stream as a gRPC response stream, ended early by `stop`; `span` is the
/// RPC's span (it gets `record_count`).
pub fn chunk_stream(
    request_id: String,
    handle: StreamHandle,
    stop: StopFuture,
    span: tracing::Span,
) -> ChunkStream {
    Box::pin(Chunks {
        rx: handle.chunks,
        request_id,
        seed: handle.seed,
        schema_name: handle.schema_name,
        format: handle.format,
        stop,
        next_record: handle.first_record,
        records: 0,
        done: false,
        span,
    })
}

/// A stream's failure that a later call may not meet (`UNAVAILABLE`: a provider down, a
/// shutdown) says where to resume: every record before `at` was received whole.
fn resumable(status: Status, at: u64) -> Status {
    if status.code() != tonic::Code::Unavailable {
        return status;
    }
    Status::unavailable(format!("{}; resume with offset = {at} when it is back", status.message()))
}
