//! Open `GenerateDataStream` calls per client address, bounded by `MAX_STREAMS_PER_CLIENT`:
//! one client opening streams without end is refused with RESOURCE_EXHAUSTED instead of
//! taking the memory every other client's streams need.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// The open streams of every client address.
#[derive(Debug, Default)]
pub struct StreamSlots {
    limit: usize,
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// One open stream; its slot is given back when dropped (the stream ended or was cancelled).
#[derive(Debug)]
pub struct Slot {
    slots: Arc<StreamSlots>,
    peer: IpAddr,
}

impl StreamSlots {
    /// At most `limit` open streams per client address.
    pub fn new(limit: usize) -> Arc<StreamSlots> {
        Arc::new(StreamSlots { limit, open: Mutex::default() })
    }

    /// Takes a slot for `peer`, or says why not (a sentence naming the limit and its setting).
    pub fn acquire(self: &Arc<Self>, peer: IpAddr) -> Result<Slot, String> {
        let mut open = self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = open.entry(peer).or_insert(0);
        if *n >= self.limit {
            return Err(format!(
                "{peer} already has {} streams open, the most one client may (MAX_STREAMS_PER_CLIENT); \
                 finish or cancel one first",
                self.limit
            ));
        }
        *n += 1;
        Ok(Slot { slots: Arc::clone(self), peer })
    }

    /// The streams `peer` has open.
    #[cfg(test)]
    pub(crate) fn open(&self, peer: IpAddr) -> usize {
        self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&peer).copied().unwrap_or(0)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = open.get_mut(&self.peer) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.peer);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_counted_per_address_and_given_back() {
        let slots = StreamSlots::new(2);
        let (a, b): (IpAddr, IpAddr) = ("127.0.0.1".parse().unwrap(), "127.0.0.2".parse().unwrap());
        let first = slots.acquire(a).unwrap();
        let _second = slots.acquire(a).unwrap();
        let refused = slots.acquire(a).unwrap_err();
        assert!(refused.contains("MAX_STREAMS_PER_CLIENT") && refused.contains('2'), "{refused}");
        let _other = slots.acquire(b).unwrap();
        drop(first);
        assert_eq!(slots.open(a), 1);
        assert!(slots.acquire(a).is_ok());
    }
}
