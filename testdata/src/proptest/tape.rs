//! The draw tape: records the raw draws of one generation and replays modified ones.
//!
//! A [`Gen`](crate::Gen) stream is SplitMix64: draw `j` of the stream keyed `k` is
//! `mix(k + (j + 1) · γ)`. The tape identifies a draw by that pre-mix state, which stands for the
//! pair (stream key, draw number) without `Gen` having to carry its origin key. Two different
//! (key, draw) pairs share a state only if `k₁ − k₂ = (j₂ − j₁) · γ` (mod 2⁶⁴): with keys from
//! a 64-bit mixer and a few thousand draws per value, about one chance in 2⁴⁰; and a shared
//! state would only make the two draws shrink together, never produce an invalid value.
//!
//! A draw the tape does not override takes its natural value, so generating under an empty tape
//! gives exactly the value generated without one. A state read twice (the `$person` stream is
//! read by every person kind of a record) is recorded once and replayed identically each time.
//!
//! The tape is thread-local and installed only for the duration of [`run`]; a global counter of
//! installed tapes lets [`Gen::next_u64`](crate::Gen::next_u64) skip the thread-local lookup
//! with one relaxed load when no tape exists anywhere.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

static TAPES_ACTIVE: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static TAPE: RefCell<Option<Tape>> = const { RefCell::new(None) };
}

/// One recorded draw: the stream state that identifies it and the value it produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Draw {
    pub state: u64,
    pub value: u64,
}

/// The overrides of a generation and the record of its draws.
#[derive(Debug, Default)]
struct Tape {
    overrides: HashMap<u64, u64>,
    seen: HashSet<u64>,
    log: Vec<Draw>,
}

/// Whether any thread has a tape installed (the hot-path check of `Gen::next_u64`).
#[inline(always)]
pub(crate) fn active() -> bool {
    TAPES_ACTIVE.load(Ordering::Relaxed) != 0
}

/// The value of the draw identified by `state`, whose natural value is `natural`: the tape's
/// override when this thread has a tape, else `natural`. Records the draw.
#[cold]
#[inline(never)]
pub(crate) fn draw(state: u64, natural: u64) -> u64 {
    TAPE.with(|cell| {
        let Ok(mut slot) = cell.try_borrow_mut() else { return natural };
        let Some(tape) = slot.as_mut() else { return natural };
        let value = tape.overrides.get(&state).copied().unwrap_or(natural);
        if tape.seen.insert(state) {
            tape.log.push(Draw { state, value });
        }
        value
    })
}

/// Removes this thread's tape and restores the previous one, also when `f` panics.
struct Installed {
    previous: Option<Tape>,
}

impl Drop for Installed {
    fn drop(&mut self) {
        let previous = self.previous.take();
        TAPE.with(|cell| {
            if let Ok(mut slot) = cell.try_borrow_mut() {
                *slot = previous;
            }
        });
        TAPES_ACTIVE.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Runs `f` with a tape that replaces the draws in `overrides` (by state) and records every
/// draw made; returns `f`'s result and the draws in the order they were first made.
pub(crate) fn run<R>(overrides: HashMap<u64, u64>, f: impl FnOnce() -> R) -> (R, Vec<Draw>) {
    let tape = Tape { overrides, seen: HashSet::new(), log: Vec::new() };
    let previous = TAPE.with(|cell| cell.try_borrow_mut().ok().and_then(|mut slot| slot.replace(tape)));
    TAPES_ACTIVE.fetch_add(1, Ordering::Relaxed);
    let guard = Installed { previous };
    let out = f();
    let log = TAPE.with(|cell| {
        cell.try_borrow_mut().ok().and_then(|mut slot| slot.as_mut().map(|t| std::mem::take(&mut t.log)))
    });
    drop(guard);
    (out, log.unwrap_or_default())
}

/// The overrides that replay `draws` exactly.
pub(crate) fn overrides(draws: &[Draw]) -> HashMap<u64, u64> {
    draws.iter().map(|d| (d.state, d.value)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Key, rng::mix};

    #[test]
    fn empty_tape_changes_nothing_and_records_in_order() {
        let plain: Vec<u64> = {
            let mut g = Key::from_raw(5).stream();
            (0..4).map(|_| g.next_u64()).collect()
        };
        let (taped, log) = run(HashMap::new(), || {
            let mut g = Key::from_raw(5).stream();
            let mut again = Key::from_raw(5).stream();
            let v: Vec<u64> = (0..4).map(|_| g.next_u64()).collect();
            assert_eq!(again.next_u64(), v[0]);
            v
        });
        assert_eq!(plain, taped);
        assert_eq!(log.len(), 4, "a state read twice is recorded once");
        assert!(log.iter().zip(&plain).all(|(d, v)| d.value == *v && mix(d.state) == *v));
    }

    #[test]
    fn overrides_replace_draws() {
        let (first, log) = run(HashMap::new(), || Key::from_raw(9).stream().next_u64());
        let mut o = overrides(&log);
        o.insert(log[0].state, 0);
        let (v, log2) = run(o, || Key::from_raw(9).stream().i64_in(18, 90));
        assert_eq!(v, 18);
        assert_eq!(log2, vec![Draw { state: log[0].state, value: 0 }]);
        assert_ne!(first, 0);
    }
}
