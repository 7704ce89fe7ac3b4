//! The value tree: a generated value, its recorded draws, and the search that shrinks them.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use ::proptest::strategy::ValueTree;

use super::tape::{self, Draw};
use crate::seed::{Seed, name_key};

/// At most this many candidate values are generated while shrinking one failure (each is one
/// re-generation; proptest's `max_shrink_iters` separately bounds how many are tested).
pub const MAX_SHRINK_STEPS: u32 = 1 << 14;

/// At most this many rounds of (zero pass, binary pass) over the draws.
const MAX_ROUNDS: u32 = 8;

/// Generates the value of (seed, index); draws go through the thread's tape when one is active.
pub(crate) type Make<V> = Arc<dyn Fn(Seed, u64) -> V + Send + Sync>;

/// A [`ValueTree`] over the values of a [`TestData`](crate::TestData) type or a runtime
/// [`Schema`](crate::Schema): it starts at record `index` of `seed` (drawn from proptest's
/// runner RNG) and shrinks by lowering the raw draws that record was generated from.
///
/// Every draw sequence maps into the constrained domain, so every value it yields — initial,
/// shrunk or intermediate — is valid; `finish` hooks run on each.
///
/// The search, deterministic and bounded by [`MAX_SHRINK_STEPS`]: draws are visited in the
/// order the generation first made them (a collection's length before its elements, an
/// optional value's presence before its content), in rounds of three passes, repeated while
/// they make progress:
///
/// 1. *zero*: each non-zero draw is tried at 0 (range minimum, shortest length, first `one_of`
///    choice, `None`, fewest items, `true` for a `bool`, the first entry of a kind's table);
/// 2. *binary*: each remaining non-composite draw (a range, a choice, a length) is
///    binary-searched between 0 and its current value (so `age > 50` ends at exactly 51);
/// 3. *polish*: draws of composite values — streams that make several draws: text kinds such
///    as emails and names, patterns, free text — are tried at 15 evenly spaced values, and a
///    failing candidate whose `Debug` output is strictly shorter is kept (an email shrinks to a
///    *short* email).
///
/// In the zero pass a change to a composite draw is kept only if it does not lengthen the
/// value. A candidate whose `Debug` output equals the current failing value, or a value
/// already seen to pass, is decided without running the test.
pub struct DrawTree<V> {
    make: Make<V>,
    seed: Seed,
    index: u64,
    shrink: Option<Search>,
    /// Set by `current()`: the pending candidate was shown to the test.
    observed: AtomicBool,
}

impl<V> fmt::Debug for DrawTree<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DrawTree")
            .field("seed", &self.seed.value())
            .field("index", &self.index)
            .field("shrink_steps", &self.steps())
            .finish()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Zero,
    Binary,
    Polish,
}

/// The polish pass tries draw values `k << POLISH_SHIFT` for `k` in `1..POLISH_POINTS`.
const POLISH_POINTS: u64 = 16;
const POLISH_SHIFT: u32 = 60;

/// The increment of SplitMix64: consecutive draws of one stream have states `γ` apart.
const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

/// A candidate under test: draw `pos` set to `value`, and the draws it was generated from.
#[derive(Debug)]
struct Pending {
    pos: usize,
    value: u64,
    draws: Vec<Draw>,
    hash: u64,
    len: usize,
}

#[derive(Debug)]
struct Search {
    /// The draws of the simplest value known to fail.
    accepted: Vec<Draw>,
    accepted_hash: u64,
    /// The length of the accepted value's `Debug` output.
    accepted_len: usize,
    /// States of the draws that share their stream with another draw (text kinds, patterns).
    composite: HashSet<u64>,
    pending: Option<Pending>,
    phase: Phase,
    pos: usize,
    /// Binary pass: every value of draw `pos` below `lo` is known to pass (or is longer).
    /// Polish pass: the next sample point.
    lo: u64,
    progress: bool,
    rounds: u32,
    steps: u32,
    passing: HashSet<u64>,
}

/// The hash and length of a value's `Debug` output.
fn fingerprint<V: fmt::Debug>(v: &V) -> (u64, usize) {
    let text = format!("{v:?}");
    (name_key(&text), text.len())
}

/// The draws that share their stream with another draw of `draws`.
fn composite(draws: &[Draw]) -> HashSet<u64> {
    let states: HashSet<u64> = draws.iter().map(|d| d.state).collect();
    draws
        .iter()
        .map(|d| d.state)
        .filter(|s| states.contains(&s.wrapping_add(GOLDEN)) || states.contains(&s.wrapping_sub(GOLDEN)))
        .collect()
}

impl<V> DrawTree<V> {
    pub(crate) fn new(make: Make<V>, seed: Seed, index: u64) -> Self {
        DrawTree { make, seed, index, shrink: None, observed: AtomicBool::new(false) }
    }

    /// The seed of the value this tree started from: `T::nth(tree.seed(), tree.index())` is the
    /// unshrunk value (`schema.nth(..)` for a schema strategy).
    pub fn seed(&self) -> Seed {
        self.seed
    }

    /// The record index of the value this tree started from.
    pub fn index(&self) -> u64 {
        self.index
    }

    /// How many candidates shrinking has generated so far (at most [`MAX_SHRINK_STEPS`]).
    pub fn steps(&self) -> u32 {
        self.shrink.as_ref().map_or(0, |s| s.steps)
    }

    /// The raw draws of the current value, in the order they were first made (empty before
    /// shrinking starts).
    pub fn draws(&self) -> Vec<u64> {
        let Some(s) = &self.shrink else { return Vec::new() };
        s.pending.as_ref().map_or(&s.accepted, |p| &p.draws).iter().map(|d| d.value).collect()
    }
}

impl<V: fmt::Debug> DrawTree<V> {
    fn generate(&self, overrides: HashMap<u64, u64>) -> (V, Vec<Draw>) {
        let (make, seed, index) = (&self.make, self.seed, self.index);
        tape::run(overrides, || make(seed, index))
    }

    /// Generates candidates until one needs testing (`true`, pending set) or none is left
    /// (`false`, the current value is the accepted one).
    fn advance(&mut self) -> bool {
        loop {
            let Some(s) = self.shrink.as_mut() else { return false };
            if s.steps >= MAX_SHRINK_STEPS {
                return false;
            }
            if s.pos >= s.accepted.len() {
                match s.phase {
                    Phase::Zero => s.phase = Phase::Binary,
                    Phase::Binary => s.phase = Phase::Polish,
                    Phase::Polish => {
                        s.rounds += 1;
                        if !s.progress || s.rounds >= MAX_ROUNDS {
                            return false;
                        }
                        s.progress = false;
                        s.phase = Phase::Zero;
                    }
                }
                s.pos = 0;
                s.lo = if s.phase == Phase::Polish { 1 } else { 0 };
                continue;
            }
            let Draw { state, value: cur } = s.accepted[s.pos];
            let is_composite = s.composite.contains(&state);
            let target = match s.phase {
                Phase::Zero if cur == 0 => None,
                Phase::Zero => Some(0),
                Phase::Binary if s.lo >= cur || is_composite => None,
                Phase::Binary => Some(s.lo + (cur - s.lo) / 2),
                Phase::Polish if !is_composite || s.lo >= POLISH_POINTS => None,
                Phase::Polish => Some(s.lo << POLISH_SHIFT),
            };
            let Some(target) = target else {
                s.pos += 1;
                s.lo = if s.phase == Phase::Polish { 1 } else { 0 };
                continue;
            };
            if s.phase == Phase::Polish {
                s.lo += 1;
                if target == cur {
                    continue;
                }
            }
            s.steps += 1;
            let pos = s.pos;
            let mut overrides = tape::overrides(&s.accepted);
            overrides.insert(state, target);
            let (v, draws) = self.generate(overrides);
            let (hash, len) = fingerprint(&v);
            let p = Pending { pos, value: target, draws, hash, len };
            let Some(s) = self.shrink.as_mut() else { return false };
            // Composite draws (text) must not lengthen the value; the polish pass only tries
            // strictly shorter values.
            let simpler = match s.phase {
                Phase::Polish => len < s.accepted_len,
                _ => !is_composite || len <= s.accepted_len,
            };
            if !simpler {
                s.skip(p);
            } else if hash == s.accepted_hash {
                s.accept(p);
            } else if s.passing.contains(&hash) {
                s.skip(p);
            } else {
                s.pending = Some(p);
                return true;
            }
        }
    }
}

impl Search {
    fn new(accepted: Vec<Draw>, (accepted_hash, accepted_len): (u64, usize)) -> Search {
        Search {
            composite: composite(&accepted),
            accepted,
            accepted_hash,
            accepted_len,
            pending: None,
            phase: Phase::Zero,
            pos: 0,
            lo: 0,
            progress: false,
            rounds: 0,
            steps: 0,
            passing: HashSet::new(),
        }
    }

    /// The candidate failed: it becomes the value to shrink further.
    fn accept(&mut self, p: Pending) {
        self.composite = composite(&p.draws);
        self.accepted = p.draws;
        self.accepted_hash = p.hash;
        self.accepted_len = p.len;
        self.progress = true;
        if self.phase == Phase::Zero {
            self.pos = p.pos + 1;
        }
        // Binary pass: draw `pos` is now `p.value`, the new upper end of its search.
        // Polish pass: the next sample points must be shorter still.
    }

    /// The candidate passed: remember it, and move on.
    fn reject(&mut self, p: Pending) {
        self.passing.insert(p.hash);
        self.skip(p);
    }

    /// The candidate is not kept: move on.
    fn skip(&mut self, p: Pending) {
        match self.phase {
            Phase::Zero => self.pos = p.pos + 1,
            Phase::Binary => self.lo = p.value + 1,
            Phase::Polish => {}
        }
    }
}

impl<V: fmt::Debug> ValueTree for DrawTree<V> {
    type Value = V;

    fn current(&self) -> V {
        self.observed.store(true, Ordering::Relaxed);
        match &self.shrink {
            None => (self.make)(self.seed, self.index),
            Some(s) => {
                let draws = s.pending.as_ref().map_or(&s.accepted, |p| &p.draws);
                self.generate(tape::overrides(draws)).0
            }
        }
    }

    fn simplify(&mut self) -> bool {
        let observed = self.observed.swap(false, Ordering::Relaxed);
        match self.shrink.as_mut() {
            None => {
                // The value generated from its natural draws failed: record those draws.
                let (v, accepted) = self.generate(HashMap::new());
                self.shrink = Some(Search::new(accepted, fingerprint(&v)));
            }
            Some(s) => {
                if let Some(p) = s.pending.take()
                    && observed
                {
                    s.accept(p);
                }
            }
        }
        self.advance()
    }

    fn complicate(&mut self) -> bool {
        let observed = self.observed.swap(false, Ordering::Relaxed);
        let Some(s) = self.shrink.as_mut() else { return false };
        match s.pending.take() {
            Some(p) if observed => {
                s.reject(p);
                self.advance()
            }
            // Nothing under test, or a candidate never shown to the test (proptest undoing
            // simplifications when it stops early): back to the last failing value.
            _ => false,
        }
    }
}
