//! Sets of string lengths (in chars) up to the length cap, and the set algebra the analysis
//! needs: union and sumset (`A + B = {a + b}`), with a work budget so that no pattern can make
//! the analysis slow.

use std::cmp::{max, min};

/// A set of lengths in `0..=cap`.
///
/// Stored compactly: most sets met in practice are empty or one contiguous run, and only the
/// others pay for a bitset (which covers `lo..=hi` only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum LenSet {
    /// No length at all.
    Empty,
    /// Every length in `lo..=hi`.
    Range(u32, u32),
    /// The lengths whose bit is set; `lo` and `hi` are the smallest and largest, `words[0]`
    /// holds the lengths `base * 64 .. base * 64 + 64`.
    Bits { lo: u32, hi: u32, base: u32, words: Box<[u64]> },
}

/// The analysis ran out of its work budget.
#[derive(Debug)]
pub(super) struct TooComplex;

/// Counts the word operations of the set algebra; see [`Budget::DEFAULT`].
#[derive(Debug)]
pub(super) struct Budget {
    left: u64,
}

impl Budget {
    /// About 20 million 64-bit word operations: tens of milliseconds in a debug build. Real
    /// patterns use a tiny fraction of it; only pathological nests of repetitions under a large
    /// length cap reach it.
    pub(super) const DEFAULT: u64 = 20_000_000;

    pub(super) fn new(ops: u64) -> Budget {
        Budget { left: ops }
    }

    pub(super) fn spend(&mut self, ops: u64) -> Result<(), TooComplex> {
        if ops > self.left {
            self.left = 0;
            return Err(TooComplex);
        }
        self.left -= ops;
        Ok(())
    }
}

/// A plain bitset of `cap + 1` bits, the working form of the set operations.
struct Dense {
    words: Vec<u64>,
    nbits: u32,
}

impl Dense {
    fn zero(cap: u32) -> Dense {
        let nbits = cap + 1;
        Dense { words: vec![0; nbits.div_ceil(64) as usize], nbits }
    }

    fn set_range(&mut self, lo: u32, hi: u32) {
        let hi = min(hi, self.nbits - 1);
        let mut i = lo;
        while i <= hi {
            let w = (i / 64) as usize;
            let b = i % 64;
            let span = min(64 - b, hi - i + 1);
            let mask = if span == 64 { u64::MAX } else { ((1u64 << span) - 1) << b };
            if let Some(word) = self.words.get_mut(w) {
                *word |= mask;
            }
            i += span;
        }
    }

    /// `self |= src << shift`, truncated to `nbits`.
    fn or_shifted(&mut self, src: &[u64], shift: u32) {
        let ws = (shift / 64) as usize;
        let bs = shift % 64;
        let n = self.words.len();
        for i in (ws..n).rev() {
            let j = i - ws;
            let mut v = src.get(j).copied().unwrap_or(0) << bs;
            if bs != 0 && j >= 1 {
                v |= src.get(j - 1).copied().unwrap_or(0) >> (64 - bs);
            }
            self.words[i] |= v;
        }
        self.trim();
    }

    fn trim(&mut self) {
        let extra = self.words.len() as u32 * 64 - self.nbits;
        if extra > 0
            && let Some(last) = self.words.last_mut()
        {
            *last &= u64::MAX >> extra;
        }
    }

    fn into_set(self) -> LenSet {
        let first = self.words.iter().position(|&w| w != 0);
        let last = self.words.iter().rposition(|&w| w != 0);
        let (Some(fw), Some(lw)) = (first, last) else {
            return LenSet::Empty;
        };
        let lo = fw as u32 * 64 + self.words[fw].trailing_zeros();
        let hi = lw as u32 * 64 + 63 - self.words[lw].leading_zeros();
        let ones: u32 = self.words[fw..=lw].iter().map(|w| w.count_ones()).sum();
        if ones == hi - lo + 1 {
            return LenSet::Range(lo, hi);
        }
        LenSet::Bits { lo, hi, base: fw as u32, words: self.words[fw..=lw].into() }
    }
}

impl LenSet {
    /// `{n}`, or empty when `n > cap`.
    pub(super) fn single_capped(n: u64, cap: u32) -> LenSet {
        if n <= u64::from(cap) { LenSet::Range(n as u32, n as u32) } else { LenSet::Empty }
    }

    pub(super) fn is_empty(&self) -> bool {
        matches!(self, LenSet::Empty)
    }

    pub(super) fn contains(&self, n: u32) -> bool {
        match self {
            LenSet::Empty => false,
            LenSet::Range(lo, hi) => *lo <= n && n <= *hi,
            LenSet::Bits { lo, hi, base, words } => {
                if n < *lo || n > *hi {
                    return false;
                }
                let w = (n / 64 - base) as usize;
                words.get(w).is_some_and(|w| (w >> (n % 64)) & 1 == 1)
            }
        }
    }

    /// The smallest length.
    pub(super) fn min(&self) -> Option<u32> {
        match self {
            LenSet::Empty => None,
            LenSet::Range(lo, _) | LenSet::Bits { lo, .. } => Some(*lo),
        }
    }

    /// The largest length.
    pub(super) fn max(&self) -> Option<u32> {
        match self {
            LenSet::Empty => None,
            LenSet::Range(_, hi) | LenSet::Bits { hi, .. } => Some(*hi),
        }
    }

    /// The only length, if the set has exactly one.
    #[inline]
    pub(super) fn single(&self) -> Option<u32> {
        match self {
            LenSet::Range(lo, hi) if lo == hi => Some(*lo),
            _ => None,
        }
    }

    /// The number of lengths.
    #[cfg(test)]
    pub(super) fn len(&self) -> u32 {
        match self {
            LenSet::Empty => 0,
            LenSet::Range(lo, hi) => hi - lo + 1,
            LenSet::Bits { words, .. } => words.iter().map(|w| w.count_ones()).sum(),
        }
    }

    /// The lengths in increasing order.
    pub(super) fn iter(&self) -> LenIter<'_> {
        match self {
            LenSet::Empty => LenIter { set: self, next: 1, end: 0 },
            LenSet::Range(lo, hi) | LenSet::Bits { lo, hi, .. } => LenIter { set: self, next: *lo, end: *hi },
        }
    }

    /// The maximal runs of consecutive lengths, in increasing order.
    fn runs(&self) -> Vec<(u32, u32)> {
        let mut out: Vec<(u32, u32)> = Vec::new();
        for n in self.iter() {
            match out.last_mut() {
                Some((_, hi)) if *hi + 1 == n => *hi = n,
                _ => out.push((n, n)),
            }
        }
        out
    }

    fn run_count(&self) -> usize {
        match self {
            LenSet::Empty => 0,
            LenSet::Range(..) => 1,
            LenSet::Bits { .. } => self.runs().len(),
        }
    }

    fn to_dense(&self, cap: u32) -> Dense {
        let mut d = Dense::zero(cap);
        match self {
            LenSet::Empty => {}
            LenSet::Range(lo, hi) => d.set_range(*lo, *hi),
            LenSet::Bits { base, words, .. } => {
                for (i, w) in words.iter().enumerate() {
                    if let Some(slot) = d.words.get_mut(*base as usize + i) {
                        *slot = *w;
                    }
                }
                d.trim();
            }
        }
        d
    }

    /// `self ∩ [lo, hi]`.
    pub(super) fn clamp(&self, lo: u32, hi: u32) -> LenSet {
        let (Some(a), Some(b)) = (self.min(), self.max()) else {
            return LenSet::Empty;
        };
        let (lo, hi) = (max(lo, a), min(hi, b));
        if lo > hi {
            return LenSet::Empty;
        }
        if let LenSet::Range(..) = self {
            return LenSet::Range(lo, hi);
        }
        let mut d = Dense::zero(hi);
        for n in self.iter().filter(|&n| n >= lo && n <= hi) {
            d.set_range(n, n);
        }
        d.into_set()
    }

    /// `self ∪ other`, both within `0..=cap`.
    pub(super) fn union(&self, other: &LenSet, cap: u32, budget: &mut Budget) -> Result<LenSet, TooComplex> {
        match (self, other) {
            (LenSet::Empty, x) | (x, LenSet::Empty) => return Ok(x.clone()),
            (LenSet::Range(a, b), LenSet::Range(c, d))
                if *c <= b.saturating_add(1) && *a <= d.saturating_add(1) =>
            {
                return Ok(LenSet::Range(min(*a, *c), max(*b, *d)));
            }
            _ => {}
        }
        let mut d = self.to_dense(cap);
        let o = other.to_dense(cap);
        budget.spend(3 * d.words.len() as u64)?;
        for (x, y) in d.words.iter_mut().zip(o.words.iter()) {
            *x |= *y;
        }
        Ok(d.into_set())
    }

    /// The sumset `{a + b : a ∈ self, b ∈ other, a + b ≤ cap}`.
    pub(super) fn sum(&self, other: &LenSet, cap: u32, budget: &mut Budget) -> Result<LenSet, TooComplex> {
        match (self, other) {
            (LenSet::Empty, _) | (_, LenSet::Empty) => return Ok(LenSet::Empty),
            (LenSet::Range(a, b), LenSet::Range(c, d)) => {
                let lo = u64::from(*a) + u64::from(*c);
                if lo > u64::from(cap) {
                    return Ok(LenSet::Empty);
                }
                let hi = min(u64::from(*b) + u64::from(*d), u64::from(cap));
                return Ok(LenSet::Range(lo as u32, hi as u32));
            }
            _ => {}
        }
        // Shift-and-or the denser operand by every run of the one with fewer runs; a run of
        // width w costs log2(w) doublings.
        let (runs_of, dense_of) =
            if self.run_count() <= other.run_count() { (self, other) } else { (other, self) };
        let base = dense_of.to_dense(cap);
        let nwords = base.words.len() as u64;
        let mut out = Dense::zero(cap);
        for (r0, r1) in runs_of.runs() {
            if r0 > cap {
                break;
            }
            let width = min(r1, cap) - r0 + 1;
            let mut acc = Dense { words: base.words.clone(), nbits: base.nbits };
            let mut covered = 1;
            while covered < width {
                let step = min(covered, width - covered);
                let prev = acc.words.clone();
                acc.or_shifted(&prev, step);
                covered += step;
                budget.spend(2 * nwords)?;
            }
            out.or_shifted(&acc.words, r0);
            budget.spend(3 * nwords)?;
        }
        Ok(out.into_set())
    }
}

/// The lengths of a [`LenSet`] in increasing order.
pub(super) struct LenIter<'a> {
    set: &'a LenSet,
    next: u32,
    end: u32,
}

impl Iterator for LenIter<'_> {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        match self.set {
            LenSet::Empty => None,
            LenSet::Range(..) => {
                if self.next > self.end {
                    return None;
                }
                let n = self.next;
                self.next += 1;
                Some(n)
            }
            LenSet::Bits { base, words, .. } => {
                while self.next <= self.end {
                    let n = self.next;
                    let w = words.get((n / 64 - base) as usize).copied().unwrap_or(0) >> (n % 64);
                    if w == 0 {
                        // Skip to the next word.
                        self.next = (n / 64 + 1) * 64;
                        continue;
                    }
                    let n = n + w.trailing_zeros();
                    if n > self.end {
                        break;
                    }
                    self.next = n + 1;
                    return Some(n);
                }
                self.next = self.end.saturating_add(1);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(cap: u32, items: &[u32]) -> LenSet {
        let mut d = Dense::zero(cap);
        for &i in items {
            d.set_range(i, i);
        }
        d.into_set()
    }

    fn naive_sum(a: &[u32], b: &[u32], cap: u32) -> Vec<u32> {
        let mut v: Vec<u32> =
            a.iter().flat_map(|x| b.iter().map(move |y| x + y)).filter(|&s| s <= cap).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    #[test]
    fn representations_and_iteration() {
        assert_eq!(set(100, &[]), LenSet::Empty);
        assert_eq!(set(100, &[3, 4, 5]), LenSet::Range(3, 5));
        let s = set(200, &[0, 2, 63, 64, 130, 200]);
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![0, 2, 63, 64, 130, 200]);
        assert_eq!(s.len(), 6);
        assert!(s.contains(130) && !s.contains(131) && !s.contains(201));
        assert_eq!(s.clamp(3, 130).iter().collect::<Vec<_>>(), vec![63, 64, 130]);
        assert_eq!(s.clamp(65, 129), LenSet::Empty);
    }

    #[test]
    fn sumset_matches_naive() {
        let cases: &[(&[u32], &[u32])] = &[
            (&[0, 2, 4], &[1, 70, 71, 72]),
            (&[0, 63, 64, 65], &[0, 1, 2, 3, 100]),
            (&[5], &[0, 2, 4, 6, 8, 10, 150]),
            (&[1, 2, 3, 10, 11, 12, 13, 14], &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 64, 65, 66]),
        ];
        for cap in [0, 1, 63, 64, 65, 127, 150, 300] {
            for (a, b) in cases {
                let mut budget = Budget::new(Budget::DEFAULT);
                let got = set(cap.max(300), a)
                    .clamp(0, cap)
                    .sum(&set(cap.max(300), b).clamp(0, cap), cap, &mut budget)
                    .unwrap();
                let a: Vec<u32> = a.iter().copied().filter(|&x| x <= cap).collect();
                let b: Vec<u32> = b.iter().copied().filter(|&x| x <= cap).collect();
                assert_eq!(got.iter().collect::<Vec<_>>(), naive_sum(&a, &b, cap), "cap {cap}");
            }
        }
    }

    #[test]
    fn union_merges() {
        let mut budget = Budget::new(Budget::DEFAULT);
        let u = LenSet::Range(0, 3).union(&LenSet::Range(4, 9), 20, &mut budget).unwrap();
        assert_eq!(u, LenSet::Range(0, 9));
        let u = LenSet::Range(0, 0).union(&set(20, &[2, 4]), 20, &mut budget).unwrap();
        assert_eq!(u.iter().collect::<Vec<_>>(), vec![0, 2, 4]);
    }

    #[test]
    fn budget_stops_work() {
        let mut budget = Budget::new(10);
        let evens = set(4000, &(0..2000).map(|i| i * 2).collect::<Vec<_>>());
        assert!(evens.sum(&evens, 4000, &mut budget).is_err());
    }
}
