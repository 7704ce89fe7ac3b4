//! Sampling: integers in a range, floats, probabilities, choices and weighted choices, all on
//! top of the raw draws of a [`Gen`]. Our own algorithms, written down here, because they are
//! part of the output contract (see [`crate::seed`]).
//!
//! * `below(n)`: the high 64 bits of the 128-bit product `draw × n` (Lemire's method without the
//!   rejection step; the bias is below `n / 2^64`, invisible for test data, and the cost is one
//!   multiply with no loop).
//! * integer in `[lo, hi]`: `lo + below(hi - lo + 1)`, or one raw draw for the full 64-bit span.
//! * unit float: the top 53 bits of one draw times `2^-53`, in `[0, 1)`.
//! * float in `[lo, hi]`: `lo + unit × (hi - lo)`, clamped into the range.
//! * weighted choice: `below(total)` located in the running sums with a binary search.

use crate::seed::Key;

const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

/// SplitMix64's output function of a stream state.
#[inline(always)]
pub(crate) const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A stream of draws (SplitMix64, see the [module docs](self)), with the sampling methods the
/// generators use.
///
/// `Gen` also implements [`rand_core::Rng`], so `with = my_fn` generators can hand it to code
/// written against `rand`.
#[derive(Clone, Debug)]
pub struct Gen {
    state: u64,
}

impl Gen {
    /// The stream starting at `key`.
    #[inline(always)]
    pub const fn new(key: Key) -> Gen {
        Gen { state: key.raw() }
    }

    /// The next raw 64-bit draw.
    ///
    /// With the `proptest` feature, a draw made while a shrinking tape is active on this thread
    /// (inside the value trees of `testdata::proptest` only) may be replaced by the tape; otherwise it
    /// is the plain SplitMix64 output, and the check costs one relaxed atomic load.
    #[inline(always)]
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN);
        let z = mix(self.state);
        #[cfg(feature = "proptest")]
        if crate::proptest::tape::active() {
            return crate::proptest::tape::draw(self.state, z);
        }
        z
    }

    /// A number in `0..n` (`0` when `n == 0`).
    #[inline(always)]
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// An index into a collection of `len` items (`0` when `len == 0`).
    #[inline(always)]
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// An integer in the inclusive range `[lo, hi]` (`lo` when `hi < lo`).
    #[inline]
    pub fn i64_in(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = hi.wrapping_sub(lo) as u64;
        if span == u64::MAX {
            return self.next_u64() as i64;
        }
        lo.wrapping_add(self.below(span + 1) as i64)
    }

    /// An unsigned integer in the inclusive range `[lo, hi]` (`lo` when `hi < lo`).
    #[inline]
    pub fn u64_in(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        let span = hi - lo;
        if span == u64::MAX {
            return self.next_u64();
        }
        lo + self.below(span + 1)
    }

    /// A float in `[0, 1)`.
    #[inline(always)]
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A float in `[lo, hi]` (`lo` when the range is empty or not finite).
    #[inline]
    pub fn f64_in(&mut self, lo: f64, hi: f64) -> f64 {
        if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) || !(hi - lo).is_finite() {
            return lo;
        }
        let v = lo + self.unit() * (hi - lo);
        v.clamp(lo, hi)
    }

    /// `true` with probability `p` (clamped into `[0, 1]`).
    #[inline(always)]
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A fair coin.
    #[inline(always)]
    pub fn coin(&mut self) -> bool {
        self.next_u64() >> 63 == 1
    }

    /// One item of a non-empty slice. Returns the first item's reference for a one-item slice
    /// and panics on an empty slice (every caller in this crate checks non-emptiness up front).
    #[inline(always)]
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// The index chosen by weight, given the running sums of the weights
    /// (`[w0, w0+w1, ...]`, last element = total > 0).
    #[inline]
    pub fn weighted(&mut self, cumulative: &[u64]) -> usize {
        let total = cumulative.last().copied().unwrap_or(0);
        let r = self.below(total);
        cumulative.partition_point(|&c| c <= r).min(cumulative.len().saturating_sub(1))
    }

    /// An ASCII decimal digit.
    #[inline(always)]
    pub fn digit(&mut self) -> char {
        (b'0' + self.below(10) as u8) as char
    }

    /// Appends `n` random decimal digits to `out` (several digits per draw, see [`Radix`]).
    #[inline]
    pub fn push_digits(&mut self, out: &mut String, n: usize) {
        let mut r = Radix::new();
        for _ in 0..n {
            out.push((b'0' + r.below(self, 10) as u8) as char);
        }
    }

    /// A lowercase ASCII letter.
    #[inline(always)]
    pub fn lower(&mut self) -> char {
        (b'a' + self.below(26) as u8) as char
    }

    /// An uppercase ASCII letter.
    #[inline(always)]
    pub fn upper(&mut self) -> char {
        (b'A' + self.below(26) as u8) as char
    }
}

/// Several small draws from one 64-bit draw: successive digits, in the radices asked for, of
/// the fraction `x / 2^64` of a draw `x` (multiply by the radix, the high word is the digit, the
/// low word the rest). A new draw is taken every [`Radix::PER_DRAW`] digits, so for radices up
/// to 36 each digit is uniform to within `36^10 / 2^64 < 3·10^-4` of its probability. Templates of digits and letters
/// cost one draw per ten chars instead of one per char.
#[derive(Clone, Debug, Default)]
pub struct Radix {
    x: u64,
    left: u32,
}

impl Radix {
    /// Digits taken from one draw.
    pub const PER_DRAW: u32 = 10;

    /// A pool with nothing drawn yet: the first digit takes a draw from the stream.
    #[inline(always)]
    pub const fn new() -> Radix {
        Radix { x: 0, left: 0 }
    }

    /// A number in `0..n` (`n` ≤ 36 keeps the bound above).
    #[inline(always)]
    pub fn below(&mut self, g: &mut Gen, n: u64) -> u64 {
        self.below_steps(g, n, 1)
    }

    /// A number in `0..n` that uses `steps` digits' worth of the draw (`n` ≤ 36^steps keeps
    /// the bound above): `below_steps(g, 100, 2)` gives the same two digits as two
    /// `below(g, 10)`, in one multiplication.
    #[inline(always)]
    pub fn below_steps(&mut self, g: &mut Gen, n: u64, steps: u32) -> u64 {
        if self.left < steps {
            self.x = g.next_u64();
            self.left = Self::PER_DRAW;
        }
        self.left -= steps;
        let t = self.x as u128 * n as u128;
        self.x = t as u64;
        (t >> 64) as u64
    }
}

impl rand_core::TryRng for Gen {
    type Error = core::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok((self.next_u64() >> 32) as u32)
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(self.next_u64())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_reference_sequence() {
        // Reference values of SplitMix64 seeded with 0 (from the published algorithm).
        let mut g = Gen::new(Key::from_raw(0));
        assert_eq!(g.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(g.next_u64(), 0x6e78_9e6a_a1b9_65f4);
        assert_eq!(g.next_u64(), 0x06c4_5d18_8009_454f);
    }

    #[test]
    fn ranges_stay_inside() {
        let mut g = Gen::new(Key::from_raw(9));
        for _ in 0..10_000 {
            let v = g.i64_in(-3, 5);
            assert!((-3..=5).contains(&v));
            let f = g.f64_in(0.5, 0.75);
            assert!((0.5..=0.75).contains(&f));
            let u = g.u64_in(10, 10);
            assert_eq!(u, 10);
        }
        assert_eq!(g.i64_in(7, 3), 7);
        let _ = g.i64_in(i64::MIN, i64::MAX);
    }

    #[test]
    fn radix_digits_are_the_decimal_expansion_of_one_draw() {
        let key = crate::Key::root(crate::Seed::new(3), 1, 2);
        for start in 0..64u64 {
            let (mut a, mut b) = (Gen::new(key.child(start)), Gen::new(key.child(start)));
            let (mut ra, mut rb) = (Radix::new(), Radix::new());
            let singles: Vec<u64> = (0..10).map(|_| ra.below(&mut a, 10)).collect();
            let pairs: Vec<u64> = (0..5)
                .flat_map(|_| {
                    let p = rb.below_steps(&mut b, 100, 2);
                    [p / 10, p % 10]
                })
                .collect();
            assert_eq!(singles, pairs);
            // Ten digits use one draw; the eleventh takes the next.
            assert_eq!(a.next_u64(), b.next_u64());
            assert!(singles.iter().all(|&d| d < 10));
        }
    }

    #[test]
    fn weighted_respects_zero_weights() {
        let mut g = Gen::new(Key::from_raw(3));
        let cum = [0, 5, 5, 6];
        for _ in 0..5_000 {
            let i = g.weighted(&cum);
            assert!(i == 1 || i == 3, "{i}");
        }
    }
}
