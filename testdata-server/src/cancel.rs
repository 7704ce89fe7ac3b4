//! Stopping work whose answer nobody waits for any more: a call whose deadline passed, a client
//! that cancelled or went away, a stream cut short at shutdown.
//!
//! A [`Cancel`] travels with the work (in the [`Plan`](crate::plan::Plan), so every loop that
//! generates records sees it, also on tokio's blocking pool where dropping a future stops
//! nothing); the loops call [`Cancel::check`] between records and end with an error once it is
//! cancelled. A unary call holds a [`CancelOnDrop`]: tonic and hyper drop the call's future at
//! its deadline or when the client resets the call, and the guard then cancels the work.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use prometheus_client::metrics::counter::Counter;

use crate::error::ServiceError;

/// A flag shared by a call and the work it started; cloning shares it.
#[derive(Debug, Clone, Default)]
pub struct Cancel {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    cancelled: AtomicBool,
    /// Set by the first loop that stops on the flag (the work is counted once).
    stopped: AtomicBool,
    /// Counts work that stopped early (`testdata_generation_stopped_total`).
    counter: Option<Counter>,
}

impl Cancel {
    /// A flag whose stopped work is counted in `counter`.
    pub fn counted(counter: Counter) -> Cancel {
        Cancel { inner: Arc::new(Inner { counter: Some(counter), ..Inner::default() }) }
    }

    /// Asks every holder to stop.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether [`Cancel::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::Relaxed)
    }

    /// Whether some work stopped on this flag before finishing.
    pub fn stopped_work(&self) -> bool {
        self.inner.stopped.load(Ordering::Relaxed)
    }

    /// `Ok` while the work should go on; once cancelled, an error (which nobody reads: the
    /// caller is gone) and the stop is counted.
    pub fn check(&self) -> Result<(), ServiceError> {
        if !self.is_cancelled() {
            return Ok(());
        }
        if !self.inner.stopped.swap(true, Ordering::Relaxed)
            && let Some(counter) = &self.inner.counter
        {
            counter.inc();
        }
        Err(ServiceError::Unavailable(
            "the call was cancelled or its deadline passed; its generation stopped".into(),
        ))
    }

    /// A guard that cancels the flag when dropped (with the future of the call that holds it).
    pub fn on_drop(&self) -> CancelOnDrop {
        CancelOnDrop(self.clone())
    }
}

/// Cancels its [`Cancel`] when dropped.
#[derive(Debug)]
pub struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_guard_stops_the_work_and_counts_it_once() {
        let counter = Counter::default();
        let cancel = Cancel::counted(counter.clone());
        let guard = cancel.on_drop();
        assert!(cancel.check().is_ok());
        drop(guard);
        assert!(cancel.check().is_err());
        assert!(cancel.clone().check().is_err());
        assert!(cancel.stopped_work());
        assert_eq!(counter.get(), 1);
    }
}
