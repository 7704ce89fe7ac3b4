//! Exact counting of the distinct strings a compiled pattern produces.
//!
//! Per node, `counts[l]` is the number of distinct strings of `l` chars. It is exact only
//! where every string has a single derivation, which we check with sufficient conditions:
//!
//! * a concatenation: each item has a fixed length, or no char that can start what follows
//!   it occurs in it (so the item ends exactly where the first char outside its alphabet
//!   appears, or at the end);
//! * an alternation: every two branches have disjoint length sets, or disjoint first chars
//!   (and are not both able to be empty), or are different literals;
//! * a repetition: its non-empty items all have one length, or it has at most one item.
//!
//! Anything else is reported as unknown (`None`); so is an overflow of `u128`.

use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};

use super::program::{Node, Op, Rep};

struct Info {
    counts: Vec<u128>,
    /// Every char that can occur (an over-approximation is fine).
    alpha: ClassUnicode,
    /// Every char that can start a non-empty string (an over-approximation is fine).
    first: ClassUnicode,
    lit: Option<Box<str>>,
}

impl Info {
    fn nullable(&self) -> bool {
        self.counts.first().is_some_and(|&c| c > 0)
    }

    fn fixed_len(&self) -> Option<usize> {
        let mut it = self.counts.iter().enumerate().filter(|(_, c)| **c > 0).map(|(l, _)| l);
        let l = it.next()?;
        it.next().is_none().then_some(l)
    }
}

fn disjoint(a: &ClassUnicode, b: &ClassUnicode) -> bool {
    let mut x = a.clone();
    x.intersect(b);
    x.ranges().is_empty()
}

fn char_class(c: char) -> ClassUnicode {
    ClassUnicode::new([ClassUnicodeRange::new(c, c)])
}

/// `a * b` over lengths, truncated at `cap`; `None` on overflow.
fn convolve(a: &[u128], b: &[u128], cap: usize) -> Option<Vec<u128>> {
    let mut out = vec![0u128; cap + 1];
    let bs: Vec<(usize, u128)> = b.iter().copied().enumerate().filter(|(_, c)| *c > 0).collect();
    for (i, &x) in a.iter().enumerate().filter(|(_, c)| **c > 0) {
        for &(j, y) in &bs {
            if i + j > cap {
                break;
            }
            out[i + j] = out[i + j].checked_add(x.checked_mul(y)?)?;
        }
    }
    Some(out)
}

/// Number of distinct strings node `root` produces with a length in `targets`.
pub(super) fn count(
    nodes: &[Node],
    root: usize,
    cap: u32,
    targets: impl Iterator<Item = u32>,
) -> Option<u128> {
    let info = analyse(nodes, root, cap as usize)?;
    let mut total = 0u128;
    for l in targets {
        total = total.checked_add(info.counts.get(l as usize).copied().unwrap_or(0))?;
    }
    Some(total)
}

fn analyse(nodes: &[Node], id: usize, cap: usize) -> Option<Info> {
    let node = nodes.get(id)?;
    match &node.op {
        Op::Empty => {
            let mut counts = vec![0u128; cap + 1];
            if node.lens.contains(0) {
                counts[0] = 1;
            }
            Some(Info { counts, alpha: ClassUnicode::empty(), first: ClassUnicode::empty(), lit: None })
        }
        Op::Lit(s) => Some(literal(s, cap)),
        Op::Class(t) => {
            let mut counts = vec![0u128; cap + 1];
            if cap >= 1 {
                counts[1] = u128::from(t.total());
            }
            let class = t.to_class();
            Some(Info { counts, alpha: class.clone(), first: class, lit: None })
        }
        Op::Concat { children, .. } => concat(nodes, children, cap),
        Op::Alt(branches) => alternation(nodes, branches, cap),
        Op::Repeat(rep) => repeat(nodes, rep, cap),
    }
}

/// One string: the literal.
fn literal(s: &str, cap: usize) -> Info {
    let mut counts = vec![0u128; cap + 1];
    let n = s.chars().count();
    if n <= cap {
        counts[n] = 1;
    }
    let mut alpha = ClassUnicode::empty();
    for c in s.chars() {
        alpha.union(&char_class(c));
    }
    let first = s.chars().next().map_or_else(ClassUnicode::empty, char_class);
    Info { counts, alpha, first, lit: Some(s.into()) }
}

/// The product of the items' counts, when each item ends unambiguously (see the module docs).
fn concat(nodes: &[Node], children: &[usize], cap: usize) -> Option<Info> {
    let infos = children.iter().map(|&c| analyse(nodes, c, cap)).collect::<Option<Vec<_>>>()?;
    // First chars of what follows item i (the items after it, up to the first that
    // cannot be empty).
    let mut follow = vec![ClassUnicode::empty(); infos.len() + 1];
    for i in (0..infos.len()).rev() {
        let mut f = infos[i].first.clone();
        if infos[i].nullable() {
            f.union(&follow[i + 1]);
        }
        follow[i] = f;
    }
    for (i, cur) in infos.iter().enumerate() {
        if cur.fixed_len().is_none() && !disjoint(&cur.alpha, &follow[i + 1]) {
            return None;
        }
    }
    let mut acc = vec![0u128; cap + 1];
    acc[0] = 1;
    let mut alpha = ClassUnicode::empty();
    let mut first = ClassUnicode::empty();
    let mut leading = true;
    for info in &infos {
        acc = convolve(&acc, &info.counts, cap)?;
        alpha.union(&info.alpha);
        if leading {
            first.union(&info.first);
            leading = info.nullable();
        }
    }
    Some(Info { counts: acc, alpha, first, lit: None })
}

/// The sum of the branches' counts, when no two branches make the same string.
fn alternation(nodes: &[Node], branches: &[usize], cap: usize) -> Option<Info> {
    let infos = branches.iter().map(|&b| analyse(nodes, b, cap)).collect::<Option<Vec<_>>>()?;
    for (i, a) in infos.iter().enumerate() {
        for b in &infos[i + 1..] {
            let lens_disjoint = a.counts.iter().zip(&b.counts).all(|(x, y)| *x == 0 || *y == 0);
            let first_disjoint = !(a.nullable() && b.nullable()) && disjoint(&a.first, &b.first);
            let other_lits = matches!((&a.lit, &b.lit), (Some(x), Some(y)) if x != y);
            if !(lens_disjoint || first_disjoint || other_lits) {
                return None;
            }
        }
    }
    let mut counts = vec![0u128; cap + 1];
    let mut alpha = ClassUnicode::empty();
    let mut first = ClassUnicode::empty();
    for info in &infos {
        for (c, x) in counts.iter_mut().zip(&info.counts) {
            *c = c.checked_add(*x)?;
        }
        alpha.union(&info.alpha);
        first.union(&info.first);
    }
    Some(Info { counts, alpha, first, lit: None })
}

/// A repetition whose non-empty items all have one length, or of at most one item.
fn repeat(nodes: &[Node], rep: &Rep, cap: usize) -> Option<Info> {
    let sub = analyse(nodes, rep.sub, cap)?;
    let mut counts = vec![0u128; cap + 1];
    let mut item = sub.counts.clone();
    item[0] = 0;
    let smin = rep.items.min().unwrap_or(1).max(1) as usize;
    let most = (cap / smin) as u64;
    let max_items = rep.opt_max.map_or(most, |m| (u64::from(rep.mand) + u64::from(m)).min(most));
    if let Some(s) = rep.items.single() {
        // k items of s chars each: item[s]^k strings of k * s chars, disjoint by length.
        let s = s as usize;
        let per = item.get(s).copied().unwrap_or(0);
        let mut power = 1u128;
        for k in 0..=max_items as usize {
            if k >= rep.mand as usize
                && let Some(c) = counts.get_mut(k * s)
            {
                *c = c.checked_add(power)?;
            }
            if (k as u64) < max_items {
                power = power.checked_mul(per)?;
            }
        }
    } else if max_items <= 1 {
        // At most one item: "" (when allowed) or one non-empty item.
        if rep.mand == 0 {
            counts[0] = 1;
        }
        if max_items == 1 {
            for (c, x) in counts.iter_mut().zip(&item) {
                *c = c.checked_add(*x)?;
            }
        }
    } else {
        return None;
    }
    Some(Info { counts, alpha: sub.alpha, first: sub.first, lit: None })
}
