//! Load-time bounds of computed fields: the values a compute rule (`sum`, `difference`,
//! `product`, `percent`, `sum_product`) can give, from its inputs' ranges by interval
//! arithmetic, checked against the field's own `min`/`max` so that a schema whose records
//! would break their own rules is refused when it is loaded, naming the field and the bound.
//!
//! Each end of a range is *reachable* (some generated record has that value) or only an
//! outer bound. Ends are reachable when the inputs are independent (no field feeds two
//! operands), when an optional input's `null` (which a rule reads as 0) happens with a
//! probability strictly between 0 and 1, and through `at_most`/`at_least` between the two
//! operands of a `difference` (`on_hand − reserved` with `reserved` at most `on_hand` is never
//! negative). Inputs that share a source (`total = subtotal + tax` with `tax` a percent of
//! `subtotal`), `present_if` inputs, `ref`s and arithmetic overflow give outer bounds or no
//! range at all; a field is refused only on a reachable end, so no schema whose records all
//! validate is refused. Values the analysis cannot rule out are refused when generated
//! instead (`GenerateError::ComputedOutOfBounds`), except in schemas whose fixed values break
//! rules on purpose (scenario overrides).

use std::cmp::Ordering;

use serde_json::Value;

use super::compile::{CompiledCompute, Limit, Node, NodeGen};
use super::decimal;
use testdata_core::decimal::{Round, rescale_dir};

/// The largest scale kept in a product (beyond it the analysis gives up: no refusal).
const MAX_SCALE: u32 = 36;

/// The most generated fields a range is tracked over, and the most operands of a rule: beyond
/// them the range is unknown (no refusal), so the analysis stays linear in the schema's size.
const MAX_SUPPORT: usize = 256;

/// An exact decimal `m / 10^s`.
#[derive(Clone, Copy, Debug)]
struct Dec {
    m: i128,
    s: u32,
}

impl Dec {
    fn int(m: i128) -> Dec {
        Dec { m, s: 0 }
    }

    fn of_value(v: &Value) -> Option<Dec> {
        if !v.is_number() {
            return None;
        }
        decimal::from_value(v).map(|(m, s)| Dec { m, s })
    }

    /// The mantissa at the larger scale `s` (`None` on overflow or a smaller scale).
    fn at(self, s: u32) -> Option<i128> {
        let k = s.checked_sub(self.s)?;
        self.m.checked_mul(10i128.checked_pow(k)?)
    }

    fn add(self, o: Dec) -> Option<Dec> {
        let s = self.s.max(o.s);
        Some(Dec { m: self.at(s)?.checked_add(o.at(s)?)?, s })
    }

    fn neg(self) -> Option<Dec> {
        Some(Dec { m: self.m.checked_neg()?, s: self.s })
    }

    fn mul(self, o: Dec) -> Option<Dec> {
        let s = self.s + o.s;
        if s > MAX_SCALE {
            return None;
        }
        Some(Dec { m: self.m.checked_mul(o.m)?, s })
    }

    fn cmp(self, o: Dec) -> Option<Ordering> {
        let s = self.s.max(o.s);
        Some(self.at(s)?.cmp(&o.at(s)?))
    }

    /// At scale `to`, rounded half away from zero as generation rounds a computed value.
    fn round(self, to: u32) -> Option<Dec> {
        let m = if to >= self.s { self.at(to)? } else { decimal::rescale(self.m, self.s, to) };
        Some(Dec { m, s: to })
    }

    /// At scale `to`, rounded `dir` (how a limit from a sibling is applied).
    fn round_dir(self, to: u32, dir: Round) -> Option<Dec> {
        let m = if to >= self.s { self.at(to)? } else { rescale_dir(self.m, self.s, to, dir) };
        Some(Dec { m, s: to })
    }

    /// Exact decimal text (`-500`, `0.25`).
    fn text(self) -> String {
        let digits = self.m.unsigned_abs().to_string();
        let sign = if self.m < 0 { "-" } else { "" };
        let s = self.s as usize;
        if s == 0 {
            return format!("{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = s + 1);
        let (int, frac) = padded.split_at(padded.len() - s);
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() { format!("{sign}{int}") } else { format!("{sign}{int}.{frac}") }
    }
}

/// One end of a range: its value, and whether some generated record reaches it.
#[derive(Clone, Copy, Debug)]
struct End {
    v: Dec,
    reached: bool,
}

/// The values a field can take (as a compute rule reads them), and the generated fields they
/// come from (`support`, sorted): two operands with a common source are not independent.
#[derive(Clone, Debug)]
pub(crate) struct Range {
    lo: End,
    hi: End,
    support: Vec<usize>,
}

/// The lower (`Less`) or upper (`Greater`) of two ends; on a tie either one's reach counts.
fn pick(a: End, b: End, want: Ordering) -> Option<End> {
    Some(match a.v.cmp(b.v)? {
        Ordering::Equal => End { v: a.v, reached: a.reached || b.reached },
        o if o == want => a,
        _ => b,
    })
}

fn union(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut out: Vec<usize> = a.iter().chain(b).copied().collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn disjoint(a: &[usize], b: &[usize]) -> bool {
    !a.iter().any(|x| b.contains(x))
}

impl Range {
    fn new(lo: Dec, hi: Dec, reached: bool, support: Vec<usize>) -> Range {
        Range { lo: End { v: lo, reached }, hi: End { v: hi, reached }, support }
    }

    fn constant(v: Dec) -> Range {
        Range::new(v, v, true, Vec::new())
    }

    /// Both ends only outer bounds.
    fn unreached(mut self) -> Range {
        self.lo.reached = false;
        self.hi.reached = false;
        self
    }

    /// The values of either range.
    fn hull(&self, o: &Range) -> Option<Range> {
        Some(Range {
            lo: pick(self.lo, o.lo, Ordering::Less)?,
            hi: pick(self.hi, o.hi, Ordering::Greater)?,
            support: union(&self.support, &o.support),
        })
    }

    /// `self + o`; the ends are reached only when the two are independent.
    fn add(&self, o: &Range) -> Option<Range> {
        let indep = disjoint(&self.support, &o.support);
        Some(Range {
            lo: End { v: self.lo.v.add(o.lo.v)?, reached: indep && self.lo.reached && o.lo.reached },
            hi: End { v: self.hi.v.add(o.hi.v)?, reached: indep && self.hi.reached && o.hi.reached },
            support: union(&self.support, &o.support),
        })
    }

    fn neg(&self) -> Option<Range> {
        Some(Range {
            lo: End { v: self.hi.v.neg()?, reached: self.hi.reached },
            hi: End { v: self.lo.v.neg()?, reached: self.lo.reached },
            support: self.support.clone(),
        })
    }

    /// `self × o`: the extremes are among the products of the ends.
    fn mul(&self, o: &Range) -> Option<Range> {
        let indep = disjoint(&self.support, &o.support);
        let mut corners = Vec::with_capacity(4);
        for a in [self.lo, self.hi] {
            for b in [o.lo, o.hi] {
                corners.push(End { v: a.v.mul(b.v)?, reached: indep && a.reached && b.reached });
            }
        }
        let (mut lo, mut hi) = (corners[0], corners[0]);
        for &c in &corners[1..] {
            lo = pick(lo, c, Ordering::Less)?;
            hi = pick(hi, c, Ordering::Greater)?;
        }
        Some(Range { lo, hi, support: union(&self.support, &o.support) })
    }

    fn round(&self, to: u32) -> Option<Range> {
        Some(Range {
            lo: End { v: self.lo.v.round(to)?, reached: self.lo.reached },
            hi: End { v: self.hi.v.round(to)?, reached: self.hi.reached },
            support: self.support.clone(),
        })
    }

    fn text(&self) -> String {
        format!("{}..={}", self.lo.v.text(), self.hi.v.text())
    }
}

/// When a field is `null` (read as 0 by a compute rule).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Null {
    Never,
    /// Sometimes, sometimes not (`optional` strictly between 0 and 1).
    Sometimes,
    Always,
    /// Depends on a sibling (`present_if`): not known here.
    Unsure,
}

fn nullness(node: &Node) -> Null {
    if node.present_if.is_some() {
        Null::Unsure
    } else if node.optional <= 0.0 {
        Null::Never
    } else if node.optional >= 1.0 {
        Null::Always
    } else {
        Null::Sometimes
    }
}

/// The values of a field as a rule reads it: `present` (its non-null values), with 0 for `null`.
fn with_null(present: Option<Range>, null: Null) -> Option<Range> {
    let zero = Range::constant(Dec::int(0));
    match null {
        Null::Never => present,
        Null::Always => Some(zero),
        Null::Sometimes => present?.hull(&zero),
        Null::Unsure => Some(present?.hull(&zero)?.unreached()),
    }
}

/// The ranges of every field of one object's plan: `present[i]` when field `i` is not null,
/// `input[i]` as a compute rule reads it (null as 0). `None`: not a number, or unknown.
pub(crate) struct Ranges {
    present: Vec<Option<Range>>,
    input: Vec<Option<Range>>,
}

/// The ranges of the fields of one object (`order`: dependencies first).
pub(crate) fn ranges(fields: &[Node], order: &[usize]) -> Ranges {
    let mut r = Ranges { present: vec![None; fields.len()], input: vec![None; fields.len()] };
    for &i in order {
        let node = &fields[i];
        if let NodeGen::Compute { rule: CompiledCompute::Copy(o), .. } = &node.how {
            // A copy is its source, null included.
            r.present[i] = r.present[*o].clone();
            r.input[i] = with_null(r.input[*o].clone(), nullness(node));
            continue;
        }
        let present = present_range(fields, i, &r).filter(|p| p.support.len() <= MAX_SUPPORT);
        r.input[i] = with_null(present.clone(), nullness(node));
        r.present[i] = present;
    }
    r
}

/// A generated number's bounds and the scale a sibling limit is rounded to (`None`: a float,
/// not rounded).
fn drawn_bounds(how: &NodeGen) -> Option<(Dec, Dec, Option<u32>)> {
    match how {
        NodeGen::Int { lo, hi } => Some((Dec::int((*lo).into()), Dec::int((*hi).into()), Some(0))),
        NodeGen::Decimal { lo, hi, scale, .. } => {
            let s = u32::from(*scale);
            Some((Dec { m: (*lo).into(), s }, Dec { m: (*hi).into(), s }, Some(s)))
        }
        NodeGen::Float { lo, hi } => {
            let (l, h) = (decimal::from_f64(*lo)?, decimal::from_f64(*hi)?);
            // The generator gives `lo` alone when the width overflows.
            let h = if (hi - lo).is_finite() { h } else { l };
            Some((Dec { m: l.0, s: l.1 }, Dec { m: h.0, s: h.1 }, None))
        }
        _ => None,
    }
}

/// The scale of every value a field can take, when all share one grid no finer than it.
fn grid(how: &NodeGen) -> Option<u32> {
    match how {
        NodeGen::Int { .. } => Some(0),
        NodeGen::Decimal { scale, .. } => Some(u32::from(*scale)),
        NodeGen::Compute { scale, integer, .. } => Some(if *integer { 0 } else { u32::from(*scale) }),
        NodeGen::Const(v) => Dec::of_value(v).map(|d| d.s),
        NodeGen::Choice { values, .. } => {
            values.iter().map(|v| Dec::of_value(v).map(|d| d.s)).try_fold(0, |a, s| Some(a.max(s?)))
        }
        _ => None,
    }
}

/// The non-null values of field `i`.
fn present_range(fields: &[Node], i: usize, r: &Ranges) -> Option<Range> {
    let node = &fields[i];
    match &node.how {
        NodeGen::Int { .. } | NodeGen::Decimal { .. } | NodeGen::Float { .. } => {
            let (lo, hi, scale) = drawn_bounds(&node.how)?;
            limited(fields, i, (lo, hi, scale), r)
        }
        NodeGen::Const(v) => Dec::of_value(v).map(Range::constant),
        NodeGen::Choice { values, cum } => {
            // Values of weight 0 are never drawn, except as a unique field's values.
            let mut prev = 0;
            let mut out: Option<Range> = None;
            for (v, &c) in values.iter().zip(cum) {
                let weight = c - prev;
                prev = c;
                if weight == 0 && node.unique.is_none() {
                    continue;
                }
                let one = Range::new(Dec::of_value(v)?, Dec::of_value(v)?, true, vec![i]);
                out = Some(match out {
                    Some(o) => o.hull(&one)?,
                    None => one,
                });
            }
            out
        }
        NodeGen::Compute { rule, scale, integer, .. } => {
            let target = if *integer { 0 } else { u32::from(*scale) };
            rule_range(fields, rule, r)?.round(target)
        }
        _ => None,
    }
}

/// A generated number's values, narrowed by its `at_most`/`at_least` sibling.
fn limited(fields: &[Node], i: usize, (lo, hi, scale): (Dec, Dec, Option<u32>), r: &Ranges) -> Option<Range> {
    let node = &fields[i];
    let own = Range::new(lo, hi, true, vec![i]);
    let Some(Limit { other, at_most }) = node.limit else { return Some(own) };
    if node.unique.is_some() {
        // A unique value is an offset from the narrowed lower end: no tight range.
        return None;
    }
    let null = nullness(&fields[other]);
    if null == Null::Always {
        return Some(own);
    }
    let support = union(&own.support, r.present[other].as_ref().map_or(&[][..], |o| &o.support));
    let narrowed = match &r.present[other] {
        // The sibling's range is unknown: only the own range, an outer bound on the narrowed side.
        None => {
            let mut n = own.clone();
            if at_most {
                n.hi.reached = false;
            } else {
                n.lo.reached = false;
            }
            n
        }
        Some(o) => {
            let dir = if at_most { Round::Floor } else { Round::Ceil };
            let bound = if at_most { o.hi } else { o.lo };
            let x = match scale {
                Some(s) => bound.v.round_dir(s, dir)?,
                None => bound.v,
            };
            if at_most {
                // The value lies in lo..=max(lo, min(hi, sibling)).
                let top = if x.cmp(lo)? != Ordering::Greater {
                    End { v: lo, reached: true }
                } else if x.cmp(hi)? == Ordering::Less {
                    End { v: x, reached: bound.reached }
                } else {
                    End { v: hi, reached: bound.reached }
                };
                Range { lo: End { v: lo, reached: true }, hi: top, support: support.clone() }
            } else {
                // The value lies in min(hi, max(lo, sibling))..=hi.
                let bottom = if x.cmp(hi)? != Ordering::Less {
                    End { v: hi, reached: true }
                } else if x.cmp(lo)? == Ordering::Greater {
                    End { v: x, reached: bound.reached }
                } else {
                    End { v: lo, reached: bound.reached }
                };
                Range { lo: bottom, hi: End { v: hi, reached: true }, support: support.clone() }
            }
        }
    };
    match null {
        Null::Never => Some(narrowed),
        // With the sibling null the limit does not apply: the own range is reached too.
        Null::Sometimes => Some(Range { support, ..narrowed.hull(&own)? }),
        _ => Some(Range { support, ..narrowed.hull(&own)?.unreached() }),
    }
}

/// The exact values of a rule (before rounding to the field's scale).
fn rule_range(fields: &[Node], rule: &CompiledCompute, r: &Ranges) -> Option<Range> {
    let input = |k: usize| r.input[k].clone();
    let operands = match rule {
        CompiledCompute::Sum(v) | CompiledCompute::Difference(v) | CompiledCompute::Product(v) => v.len(),
        CompiledCompute::SumProduct { positions, .. } => positions.len(),
        _ => 1,
    };
    if operands > MAX_SUPPORT {
        return None;
    }
    match rule {
        CompiledCompute::Sum(v) => {
            v.iter().try_fold(Range::constant(Dec::int(0)), |acc, &k| acc.add(&input(k)?))
        }
        CompiledCompute::Difference(v) => {
            if let [a, b] = v[..]
                && let Some(d) = related_difference(fields, a, b, r)
            {
                return Some(d);
            }
            let (first, rest) = v.split_first()?;
            rest.iter().try_fold(input(*first)?, |acc, &k| acc.add(&input(k)?.neg()?))
        }
        CompiledCompute::Product(v) => {
            v.iter().try_fold(Range::constant(Dec::int(1)), |acc, &k| acc.mul(&input(k)?))
        }
        CompiledCompute::Percent { of, rate_mantissa, rate_scale } => {
            input(*of)?.mul(&Range::constant(Dec { m: *rate_mantissa, s: rate_scale + 2 }))
        }
        CompiledCompute::SumProduct { array, positions, .. } => {
            let NodeGen::Array { item, min, max } = &fields[*array].how else { return None };
            let NodeGen::Object(plan) = &item.how else { return None };
            let inner = ranges(&plan.fields, &plan.order);
            let one = positions
                .iter()
                .try_fold(Range::constant(Dec::int(1)), |acc, &at| acc.mul(&inner.input[at].clone()?))?;
            // n independent elements, n in min..=max: the ends are n × an end of one.
            let count = Range::new(Dec::int(*min as i128), Dec::int(*max as i128), true, Vec::new());
            let total = Range { support: vec![*array], ..count.mul(&Range { support: Vec::new(), ..one })? };
            with_null(Some(total), nullness(&fields[*array]))
        }
        CompiledCompute::Copy(_) | CompiledCompute::Bucket { .. } => None,
    }
}

/// `a − b` when one of them is limited by the other (`b` at most `a`, or `a` at least `b`):
/// the relation keeps the difference's sign, which plain interval arithmetic loses. `None`
/// when they are not so related (or the limit rounds to another grid).
fn related_difference(fields: &[Node], a: usize, b: usize, r: &Ranges) -> Option<Range> {
    // `limited` is drawn within its own bounds, narrowed by `other`.
    let (limited, other, b_limited) = match (fields[b].limit, fields[a].limit) {
        (Some(Limit { other, at_most: true }), _) if other == a => (b, a, true),
        (_, Some(Limit { other, at_most: false })) if other == b => (a, b, false),
        _ => return None,
    };
    if fields[limited].unique.is_some() {
        return None;
    }
    let (llo, lhi, scale) = drawn_bounds(&fields[limited].how)?;
    if let Some(s) = scale
        && grid(&fields[other].how).is_none_or(|g| g > s)
    {
        return None;
    }
    let o = r.present[other].clone()?;
    let support = union(&[limited], &o.support);
    let clamp = |x: Dec, dir: Round| -> Option<Dec> {
        let x = match scale {
            Some(s) => x.round_dir(s, dir)?,
            None => x,
        };
        Some(if x.cmp(llo)? == Ordering::Less {
            llo
        } else if x.cmp(lhi)? == Ordering::Greater {
            lhi
        } else {
            x
        })
    };
    // Both present: with `b` at most `a`, a − b runs from olo − clamp(olo) (non-decreasing in
    // a) to ohi − llo; with `a` at least `b`, from clamp(ohi) − ohi to lhi − olo.
    let both = if b_limited {
        Range {
            lo: End { v: o.lo.v.add(clamp(o.lo.v, Round::Floor)?.neg()?)?, reached: o.lo.reached },
            hi: End { v: o.hi.v.add(llo.neg()?)?, reached: o.hi.reached },
            support: support.clone(),
        }
    } else {
        Range {
            lo: End { v: clamp(o.hi.v, Round::Ceil)?.add(o.hi.v.neg()?)?, reached: o.hi.reached },
            hi: End { v: lhi.add(o.lo.v.neg()?)?, reached: o.lo.reached },
            support: support.clone(),
        }
    };
    let own = Range::new(llo, lhi, true, vec![limited]);
    let zero = Range::constant(Dec::int(0));
    // (a, b) in each case of nulls; a null reads as 0 and lifts the limit.
    let (lnull, onull) = (nullness(&fields[limited]), nullness(&fields[other]));
    let (a_only, b_only) = if b_limited { (o.clone(), own.neg()?) } else { (own, o.neg()?) };
    let (a_null, b_null) = if b_limited { (onull, lnull) } else { (lnull, onull) };
    let cases = [(&both, false, false), (&a_only, false, true), (&b_only, true, false), (&zero, true, true)];
    let mut out: Option<Range> = None;
    for (range, a_is_null, b_is_null) in cases {
        let (Some(reach_a), Some(reach_b)) = (possible(a_null, a_is_null), possible(b_null, b_is_null))
        else {
            continue;
        };
        let case = if reach_a && reach_b { range.clone() } else { range.clone().unreached() };
        out = Some(match out {
            Some(acc) => acc.hull(&case)?,
            None => case,
        });
    }
    out.map(|r| Range { support: support.clone(), ..r })
}

/// Whether a field with nullness `null` can be null (`is_null`) or present: `None` never,
/// `Some(true)` surely in some record, `Some(false)` perhaps.
fn possible(null: Null, is_null: bool) -> Option<bool> {
    match (null, is_null) {
        (Null::Never, true) | (Null::Always, false) => None,
        (Null::Unsure, _) => Some(false),
        _ => Some(true),
    }
}

/// A computed field whose rule reaches beyond its `min` or `max`.
pub(crate) struct Refusal {
    /// The field's position in its object.
    pub field: usize,
    /// `min` or `max`.
    pub rule: &'static str,
    /// The sentence of the load error.
    pub message: String,
}

/// Checks every computed field of one object against its bounds (see the module docs).
pub(crate) fn check(fields: &[Node], order: &[usize]) -> Result<(), Refusal> {
    let computed = |n: &Node| {
        matches!(&n.how, NodeGen::Compute { rule, lo, hi, .. }
            if (lo.is_some() || hi.is_some())
                && !matches!(rule, CompiledCompute::Copy(_) | CompiledCompute::Bucket { .. }))
    };
    if !fields.iter().any(computed) {
        return Ok(());
    }
    let r = ranges(fields, order);
    for &i in order {
        let node = &fields[i];
        let NodeGen::Compute { rule, scale, integer, lo, hi, .. } = &node.how else { continue };
        if !computed(node) {
            continue;
        }
        let Some(range) = &r.present[i] else { continue };
        let target = if *integer { 0 } else { u32::from(*scale) };
        let below = lo.filter(|&lo| range.lo.reached && range.lo.v.m < lo).map(|lo| {
            (
                "min",
                format!(
                    "can give values down to {}, below its min {}",
                    range.lo.v.text(),
                    Dec { m: lo, s: target }.text()
                ),
            )
        });
        let above = hi.filter(|&hi| range.hi.reached && range.hi.v.m > hi).map(|hi| {
            (
                "max",
                format!(
                    "can give values up to {}, above its max {}",
                    range.hi.v.text(),
                    Dec { m: hi, s: target }.text()
                ),
            )
        });
        if let Some((bound, what)) = below.or(above) {
            return Err(Refusal {
                field: i,
                rule: bound,
                message: format!(
                    "its compute rule ({}) {what}; widen `min`/`max` or constrain the inputs",
                    describe(fields, rule, &r)
                ),
            });
        }
    }
    Ok(())
}

/// The rule in words, each input with its range: `difference of `on_hand` (0..=500) and …`.
fn describe(fields: &[Node], rule: &CompiledCompute, r: &Ranges) -> String {
    let one = |k: usize| {
        let n = &fields[k];
        let range = r.input[k].as_ref().map_or_else(|| "range unknown".to_owned(), Range::text);
        let limit = match n.limit {
            Some(Limit { other, at_most }) => {
                format!(", at {} `{}`", if at_most { "most" } else { "least" }, fields[other].name)
            }
            None => String::new(),
        };
        format!("`{}` ({range}{limit})", n.name)
    };
    let list = |v: &[usize]| {
        let parts: Vec<String> = v.iter().map(|&k| one(k)).collect();
        match parts.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => parts.join(""),
        }
    };
    match rule {
        CompiledCompute::Sum(v) => format!("sum of {}", list(v)),
        CompiledCompute::Difference(v) => format!("difference of {}", list(v)),
        CompiledCompute::Product(v) => format!("product of {}", list(v)),
        CompiledCompute::Percent { of, rate_mantissa, rate_scale } => {
            format!("{}% of {}", Dec { m: *rate_mantissa, s: *rate_scale }.text(), one(*of))
        }
        CompiledCompute::SumProduct { array, members, .. } => {
            let count = match &fields[*array].how {
                NodeGen::Array { min, max, .. } => format!("{min}..={max} "),
                _ => String::new(),
            };
            format!("sum over the {count}elements of `{}` of {}", fields[*array].name, members.join(" × "))
        }
        CompiledCompute::Copy(o) => format!("copy of `{}`", fields[*o].name),
        CompiledCompute::Bucket { of, .. } => format!("bucket of `{}`", fields[*of].name),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::Dec;
    use crate::Schema;

    /// The load error of a schema with `fields`, or `None` when it loads.
    fn refusal(fields: Value) -> Option<String> {
        Schema::from_value(json!({"name": "t", "fields": fields})).err().map(|e| e.to_string())
    }

    #[test]
    fn constants_floats_and_optional_inputs_have_reachable_ends() {
        let e = refusal(json!([
            {"name": "x", "type": "integer", "min": 0, "max": 10},
            {"name": "fee", "type": "integer", "value": 3},
            {"name": "net", "type": "integer", "min": 0, "compute": {"difference": ["x", "fee"]}}
        ]));
        assert!(e.is_some_and(|e| e.contains("down to -3, below its min 0")));
        let e = refusal(json!([
            {"name": "x", "type": "float", "min": -1.5, "max": 1},
            {"name": "y", "type": "float", "scale": 1, "min": 0, "compute": {"sum": ["x"]}}
        ]));
        assert!(e.is_some_and(|e| e.contains("down to -1.5")));
        // An optional input reads as 0 when null: 5 + 0 breaks min 6.
        let e = refusal(json!([
            {"name": "a", "type": "integer", "min": 5, "max": 9},
            {"name": "b", "type": "integer", "min": 1, "max": 2, "optional": 0.5},
            {"name": "s", "type": "integer", "min": 6, "compute": {"sum": ["a", "b"]}}
        ]));
        assert!(e.is_some_and(|e| e.contains("`b` (0..=2)") && e.contains("down to 5, below its min 6")));
    }

    #[test]
    fn values_never_drawn_or_not_surely_reached_are_not_refused() {
        // A value of weight 0 is never drawn.
        assert_eq!(
            refusal(json!([
                {"name": "x", "values": [-5, 1, 2], "weights": [0, 1, 1]},
                {"name": "y", "type": "integer", "min": 0, "compute": {"sum": ["x"]}}
            ])),
            None
        );
        // `b` is null (0) only when `kind` is not "a": load time does not know whether that
        // happens, so the schema loads (generation refuses such a record if it comes).
        assert_eq!(
            refusal(json!([
                {"name": "kind", "values": ["a", "b"]},
                {"name": "b", "type": "integer", "min": 1, "max": 2, "present_if": {"field": "kind", "in": ["a"]}},
                {"name": "s", "type": "integer", "min": 1, "compute": {"sum": ["b"]}}
            ])),
            None
        );
        // A difference of a field with itself is 0, not -10..=10.
        assert_eq!(
            refusal(json!([
                {"name": "x", "type": "integer", "min": 0, "max": 10},
                {"name": "z", "type": "integer", "min": 0, "max": 0, "compute": {"difference": ["x", "x"]}}
            ])),
            None
        );
    }

    #[test]
    fn decimals_print_exactly() {
        assert_eq!(Dec { m: -500, s: 0 }.text(), "-500");
        assert_eq!(Dec { m: 25, s: 2 }.text(), "0.25");
        assert_eq!(Dec { m: -1250, s: 3 }.text(), "-1.25");
        assert_eq!(Dec { m: 800, s: 2 }.text(), "8");
    }
}
