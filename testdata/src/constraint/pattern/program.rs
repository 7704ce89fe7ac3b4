//! The compiled form of a pattern: one node per pattern node, each with its exact set of
//! achievable lengths, and the precomputed sets that let generation hit an exact length
//! without backtracking.

use std::cmp::{max, min};

use super::class::CharTable;
use super::ir::Ir;
use super::lens::{Budget, LenSet, TooComplex};
use crate::rng::Gen;

/// A compiled node.
#[derive(Clone, Debug)]
pub(super) struct Node {
    /// The lengths this node can produce (within the cap).
    pub(super) lens: LenSet,
    pub(super) op: Op,
}

#[derive(Clone, Debug)]
pub(super) enum Op {
    /// Produces only the empty string (or nothing, when `lens` is empty).
    Empty,
    Lit(Box<str>),
    Class(CharTable),
    Concat {
        children: Box<[usize]>,
        /// `suffix[i]` = lengths of `children[i..]` concatenated; `suffix[n] = {0}`.
        suffix: Box<[LenSet]>,
    },
    Alt(Box<[usize]>),
    Repeat(Box<Rep>),
}

/// A repetition `sub{min,max}`, split into `mand` mandatory items followed by at most
/// `opt_max` optional ones. Items are always generated non-empty: when `sub` can be empty, all
/// items are optional (a skipped item and an empty item produce the same string).
#[derive(Clone, Debug)]
pub(super) struct Rep {
    pub(super) sub: usize,
    /// The non-zero lengths of `sub`.
    pub(super) items: LenSet,
    pub(super) mand: u32,
    /// `None`: no limit other than the length cap.
    pub(super) opt_max: Option<u32>,
    /// `opt_sets[j]` = lengths of at most `j` optional items; the last entry is the fixed
    /// point, valid for every larger `j`.
    pub(super) opt_sets: Box<[LenSet]>,
    /// `mand_sets[k]` = lengths of `k` mandatory items followed by the optional part.
    pub(super) mand_sets: Box<[LenSet]>,
}

/// Builds the node arena for one length cap.
pub(super) struct Builder {
    pub(super) cap: u32,
    /// Extra repetitions allowed to an unbounded repetition `{n,}` (`n + extra` in all);
    /// `None` lets it repeat up to the length cap.
    pub(super) extra: Option<u32>,
    pub(super) budget: Budget,
    pub(super) nodes: Vec<Node>,
}

impl Builder {
    fn push(&mut self, lens: LenSet, op: Op) -> usize {
        self.nodes.push(Node { lens, op });
        self.nodes.len() - 1
    }

    /// Compiles `ir` and its children; returns the index of its node.
    pub(super) fn build(&mut self, ir: &Ir) -> Result<usize, TooComplex> {
        self.budget.spend(1)?;
        let cap = self.cap;
        match ir {
            Ir::Empty | Ir::Anchor(_) => Ok(self.push(LenSet::Range(0, 0), Op::Empty)),
            Ir::Lit(s) => {
                let n = s.chars().count() as u64;
                let op = if n == 0 { Op::Empty } else { Op::Lit(s.as_str().into()) };
                Ok(self.push(LenSet::single_capped(n, cap), op))
            }
            Ir::Class(c) => {
                let table = CharTable::new(c);
                let lens = if table.total() == 0 { LenSet::Empty } else { LenSet::single_capped(1, cap) };
                Ok(self.push(lens, Op::Class(table)))
            }
            Ir::Concat(items) => {
                if items.is_empty() {
                    return Ok(self.push(LenSet::Range(0, 0), Op::Empty));
                }
                let children = items.iter().map(|i| self.build(i)).collect::<Result<Vec<_>, _>>()?;
                let mut suffix = vec![LenSet::Range(0, 0); children.len() + 1];
                for i in (0..children.len()).rev() {
                    suffix[i] = self.nodes[children[i]].lens.sum(&suffix[i + 1], cap, &mut self.budget)?;
                }
                let lens = suffix[0].clone();
                Ok(self.push(lens, Op::Concat { children: children.into(), suffix: suffix.into() }))
            }
            Ir::Alt(items) => {
                let mut lens = LenSet::Empty;
                let mut branches = Vec::with_capacity(items.len());
                for item in items {
                    let b = self.build(item)?;
                    if !self.nodes[b].lens.is_empty() {
                        lens = lens.union(&self.nodes[b].lens, cap, &mut self.budget)?;
                        branches.push(b);
                    }
                }
                Ok(self.push(lens, Op::Alt(branches.into())))
            }
            Ir::Repeat { sub, min: rmin, max: rmax } => self.build_repeat(sub, *rmin, *rmax),
        }
    }

    fn build_repeat(&mut self, sub: &Ir, rmin: u32, rmax: Option<u32>) -> Result<usize, TooComplex> {
        let cap = self.cap;
        let sub = self.build(sub)?;
        let sub_lens = self.nodes[sub].lens.clone();
        let nullable = sub_lens.contains(0);
        let items = sub_lens.clamp(1, cap);
        let reps: Option<u64> = match (rmax, self.extra) {
            (Some(m), _) => Some(u64::from(m)),
            (None, Some(e)) => Some(u64::from(rmin) + u64::from(e)),
            (None, None) => None,
        };
        let mand = if nullable { 0 } else { rmin };
        let Some(smin) = items.min() else {
            // `sub` produces only "" (or nothing): so does the repetition, if anything.
            let lens = if nullable || rmin == 0 { LenSet::Range(0, 0) } else { LenSet::Empty };
            return Ok(self.push(lens, Op::Empty));
        };
        let most_items = cap / smin;
        if mand > most_items {
            return Ok(self.push(LenSet::Empty, Op::Empty));
        }
        let opt_max: Option<u32> = reps.map(|r| min(r - u64::from(mand), u64::from(u32::MAX)) as u32);
        // Optional part: U_0 = {0}, U_j = {0} ∪ (U_{j-1} + items), up to the fixed point.
        let limit = opt_max.map_or(most_items, |m| min(m, most_items));
        let mut opt_sets = vec![LenSet::Range(0, 0)];
        for _ in 0..limit {
            let prev = &opt_sets[opt_sets.len() - 1];
            let next = prev.sum(&items, cap, &mut self.budget)?.union(
                &LenSet::Range(0, 0),
                cap,
                &mut self.budget,
            )?;
            if &next == prev {
                break;
            }
            opt_sets.push(next);
        }
        // Mandatory part: V_0 = U_last, V_k = V_{k-1} + items.
        let mut mand_sets = Vec::with_capacity(mand as usize + 1);
        mand_sets.push(opt_sets[opt_sets.len() - 1].clone());
        for k in 1..=mand as usize {
            let next = mand_sets[k - 1].sum(&items, cap, &mut self.budget)?;
            mand_sets.push(next);
        }
        let lens = mand_sets[mand as usize].clone();
        Ok(self.push(
            lens,
            Op::Repeat(Box::new(Rep {
                sub,
                items,
                mand,
                opt_max,
                opt_sets: opt_sets.into(),
                mand_sets: mand_sets.into(),
            })),
        ))
    }
}

/// A choice among `n` options: no draw when `n <= 1`, else `below(n)`.
#[inline(always)]
pub(super) fn pick(g: &mut Gen, n: u32) -> u32 {
    if n <= 1 { 0 } else { g.below(u64::from(n)) as u32 }
}

/// Picks a length `s ∈ cands` with `rem - s ∈ rest`: the `r`-th smallest such length, where
/// `r` = [`pick`] over their number.
#[inline]
fn choose(g: &mut Gen, cands: &LenSet, rest: &LenSet, rem: u32) -> u32 {
    if let Some(s) = cands.single() {
        return s;
    }
    if let (LenSet::Range(a, b), LenSet::Range(c, d)) = (cands, rest) {
        // s ∈ [a, b] and rem - s ∈ [c, d]  ⇔  s ∈ [max(a, rem - d), min(b, rem - c)].
        let lo = max(*a, rem.saturating_sub(*d));
        let hi = min(*b, rem.saturating_sub(*c));
        if lo > hi || rem < *c {
            return lo;
        }
        return lo + pick(g, hi - lo + 1);
    }
    let valid = |s: &u32| *s <= rem && rest.contains(rem - s);
    let n = cands.iter().take_while(|&s| s <= rem).filter(valid).count() as u32;
    let r = pick(g, n);
    cands.iter().take_while(|&s| s <= rem).filter(valid).nth(r as usize).unwrap_or(0)
}

/// Appends a string of exactly `len` chars produced by node `id` (`len` must be in its set).
pub(super) fn emit(nodes: &[Node], id: usize, len: u32, g: &mut Gen, out: &mut String) {
    if len == 0 {
        return;
    }
    let Some(node) = nodes.get(id) else { return };
    match &node.op {
        Op::Empty => {}
        Op::Lit(s) => out.push_str(s),
        Op::Class(t) => out.push(t.sample(g)),
        Op::Concat { children, suffix } => {
            let mut rem = len;
            let last = children.len().saturating_sub(1);
            for (i, &c) in children.iter().enumerate() {
                let l = if i == last {
                    rem
                } else {
                    match (nodes.get(c), suffix.get(i + 1)) {
                        (Some(child), Some(rest)) => choose(g, &child.lens, rest, rem),
                        _ => 0,
                    }
                };
                emit(nodes, c, l, g, out);
                rem = rem.saturating_sub(l);
            }
        }
        Op::Alt(branches) => {
            let fits = |b: &&usize| nodes.get(**b).is_some_and(|n| n.lens.contains(len));
            let n = branches.iter().filter(fits).count() as u32;
            let r = pick(g, n);
            if let Some(&b) = branches.iter().filter(fits).nth(r as usize) {
                emit(nodes, b, len, g, out);
            }
        }
        Op::Repeat(rep) => emit_repeat(nodes, rep, len, g, out),
    }
}

fn emit_repeat(nodes: &[Node], rep: &Rep, len: u32, g: &mut Gen, out: &mut String) {
    let mut rem = len;
    if let Some(s) = rep.items.single() {
        // Every item has the same length: `len / s` items, no choice to make.
        if let Some(Node { op: Op::Class(t), .. }) = nodes.get(rep.sub) {
            for _ in 0..len {
                out.push(t.sample(g));
            }
            return;
        }
        for _ in 0..len / s {
            emit(nodes, rep.sub, s, g, out);
        }
        return;
    }
    for k in (0..rep.mand as usize).rev() {
        let Some(rest) = rep.mand_sets.get(k) else {
            return;
        };
        let s = choose(g, &rep.items, rest, rem);
        emit(nodes, rep.sub, s, g, out);
        rem = rem.saturating_sub(s);
    }
    let last = rep.opt_sets.len().saturating_sub(1);
    let mut left = rep.opt_max;
    while rem > 0 {
        let next = match left {
            Some(0) => return,
            Some(r) => min(r as usize - 1, last),
            None => last,
        };
        let Some(rest) = rep.opt_sets.get(next) else {
            return;
        };
        let s = choose(g, &rep.items, rest, rem);
        if s == 0 {
            return;
        }
        emit(nodes, rep.sub, s, g, out);
        rem = rem.saturating_sub(s);
        left = left.map(|r| r - 1);
    }
}
