//! `unique`: a keyed, deterministic permutation of the index space `0..n`.
//!
//! Record `i` of a unique field takes the value numbered `permute(i)` in the field's value
//! space, so values never repeat across a whole stream, across shards and across resumed
//! streams, and record `i` costs O(1) without producing `0..i`.
//!
//! # Algorithm (part of the output contract)
//!
//! A balanced Feistel network over the smallest even-bit-width domain `2^(2h) ≥ n`
//! (4 rounds; round function `fmix64(key_r ^ right)` masked to `h` bits, with round keys drawn
//! from the field's stream), followed by cycle walking: the permutation is re-applied while
//! the result is `≥ n`. The domain is less than four times `n`, so the expected number of
//! walks is below 4, and cycle walking on a permutation always terminates.

use crate::rng::Gen;
use crate::seed::fmix64;

/// A permutation of `0..size`.
///
/// ```
/// use testdata::constraint::unique::Permutation;
/// use testdata::Key;
/// let p = Permutation::new(1000, &mut Key::from_raw(5).stream());
/// let mut seen: Vec<u64> = (0..1000).map(|i| p.apply(i)).collect();
/// seen.sort();
/// assert_eq!(seen, (0..1000).collect::<Vec<_>>());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Permutation {
    size: u64,
    half_bits: u32,
    keys: [u64; 4],
}

impl Permutation {
    /// The permutation of `0..size` keyed by four draws of `g`.
    pub fn new(size: u64, g: &mut Gen) -> Permutation {
        let bits = 64 - size.saturating_sub(1).leading_zeros();
        let half_bits = bits.div_ceil(2).max(1);
        let keys = [g.next_u64(), g.next_u64(), g.next_u64(), g.next_u64()];
        Permutation { size, half_bits, keys }
    }

    /// The size of the permuted space.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The image of `index` (which must be `< size`; larger indexes are reduced modulo `size`).
    pub fn apply(&self, index: u64) -> u64 {
        if self.size <= 1 {
            return 0;
        }
        let mut x = index % self.size;
        loop {
            x = self.feistel(x);
            if x < self.size {
                return x;
            }
        }
    }

    fn feistel(&self, x: u64) -> u64 {
        let h = self.half_bits;
        let mask = if h >= 64 { u64::MAX } else { (1u64 << h) - 1 };
        let mut left = (x >> h) & mask;
        let mut right = x & mask;
        for k in self.keys {
            let f = fmix64(k ^ right) & mask;
            let next = left ^ f;
            left = right;
            right = next;
        }
        (left << h) | right
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::Key;

    #[test]
    fn is_a_bijection_for_many_sizes() {
        for size in [1u64, 2, 3, 7, 10, 64, 99, 100, 1000, 4097, 10_000] {
            let p = Permutation::new(size, &mut Key::from_raw(size).stream());
            let mut seen = vec![false; size as usize];
            for i in 0..size {
                let v = p.apply(i);
                assert!(v < size);
                assert!(!seen[v as usize], "duplicate at size {size}");
                seen[v as usize] = true;
            }
        }
    }

    #[test]
    fn huge_spaces_work() {
        let p = Permutation::new(10_000_000, &mut Key::from_raw(1).stream());
        let a = p.apply(0);
        let b = p.apply(1);
        assert_ne!(a, b);
        assert!(a < 10_000_000 && b < 10_000_000);
        let q = Permutation::new(u64::MAX, &mut Key::from_raw(1).stream());
        assert_ne!(q.apply(1), q.apply(2));
    }
}
