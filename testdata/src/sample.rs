//! Sampling shared by runtime schemas ([`Schema`](crate::Schema)) and derived types
//! (`#[derive(TestData)]`): both call these functions with the same streams, which is what
//! makes a derived type and its schema produce the same values.
//!
//! # Sub-streams of a field node (part of the output contract)
//!
//! * `node.child(`[`OPTIONAL`]`)` decides `None`/`null` for optional fields, so making a field
//!   optional keeps its other values;
//! * `node.child(`[`EDGE`]`)` decides and draws edge-case values;
//! * a unique field's permutation is keyed by
//!   `Key(seed).child(type_key).child(field_key).child(`[`UNIQUE`]`)`.

use crate::constraint::unique::Permutation;
use crate::kinds::Kind;
use crate::rng::Gen;
use crate::seed::{Key, Seed, name_key};
use crate::time::{self, DAY};
use crate::{Context, HOSTILE_STRINGS};

/// Sub-stream tag deciding whether an optional value is absent.
pub const OPTIONAL: u64 = name_key("$optional");
/// Sub-stream tag deciding and drawing edge-case values.
pub const EDGE: u64 = name_key("$edge");
/// Sub-stream tag keying a unique field's permutation.
pub const UNIQUE: u64 = name_key("$unique");

/// Whether the optional value at `node` is absent (`None`/`null`), with probability `p`.
#[inline(always)]
pub fn is_none(node: Key, p: f64) -> bool {
    p > 0.0 && node.child(OPTIONAL).stream().chance(p)
}

/// Whether the value at `node` is an edge case under `ctx` (never when the rate is 0).
#[inline(always)]
pub fn is_edge(node: Key, ctx: &Context) -> bool {
    ctx.edge_cases() > 0.0 && node.child(EDGE).stream().chance(ctx.edge_cases())
}

/// The stream edge-case values of `node` are drawn from.
#[inline]
pub fn edge_stream(node: Key) -> Gen {
    node.child(EDGE).stream()
}

/// The position of record `index` in the unique permutation of a field with `space` values
/// (`index` wraps around past the space; [`Schema`](crate::Schema) reports an error there).
pub fn unique_slot(seed: Seed, type_key: u64, field_key: u64, space: u64, index: u64) -> u64 {
    let mut kg = Key::from_raw(seed.value()).child(type_key).child(field_key).child(UNIQUE).stream();
    Permutation::new(space.max(1), &mut kg).apply(index % space.max(1))
}

/// A version-4 UUID's two halves as drawn by the `uuid` kind ([`crate::kinds::uuid`]).
#[inline]
pub fn uuid_bits(g: &mut Gen) -> (u64, u64) {
    let hi = (g.next_u64() & 0xffff_ffff_ffff_0fff) | 0x4000;
    let lo = (g.next_u64() & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    (hi, lo)
}

/// A unique field's UUID halves: 64 random bits, then the 62-bit permuted slot.
pub fn unique_uuid_bits(g: &mut Gen, slot: u64) -> (u64, u64) {
    let hi = (g.next_u64() & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
    let lo = (slot & ((1 << 62) - 1)) | 0x8000_0000_0000_0000;
    (hi, lo)
}

/// Writes UUID halves as lowercase hyphenated hex.
pub fn uuid_string(hi: u64, lo: u64) -> String {
    let mut s = String::with_capacity(36);
    let hex = b"0123456789abcdef";
    for i in 0..32 {
        if matches!(i, 8 | 12 | 16 | 20) {
            s.push('-');
        }
        let nib = if i < 16 { (hi >> (60 - 4 * i)) & 0xf } else { (lo >> (60 - 4 * (i - 16))) & 0xf };
        s.push(hex[nib as usize] as char);
    }
    s
}

/// Makes a kind's value unique with a numeric tag after `sep` (before the `@` of an email).
pub fn tag_unique(s: &mut String, slot: u64, sep: char) {
    let tag = format!("{sep}{slot:08}");
    match s.find('@') {
        Some(at) => s.insert_str(at, &tag),
        None => s.push_str(&tag),
    }
}

/// The separator of a unique kind's tag (`_` for usernames, `+` otherwise).
pub fn unique_sep(kind: Kind) -> char {
    if kind == Kind::Username { '_' } else { '+' }
}

/// Cuts or extends `s` to a length in `lo..=hi` characters.
pub fn fit_len(s: &mut String, lo: usize, hi: usize, g: &mut Gen) {
    let n = s.chars().count();
    if n > hi {
        let cut = s.char_indices().nth(hi).map(|(i, _)| i).unwrap_or(s.len());
        s.truncate(cut);
        while s.ends_with(' ') {
            s.pop();
        }
    }
    let mut n = s.chars().count();
    while n < lo {
        if n > 0 && n + 1 < lo && !s.ends_with(' ') {
            s.push(' ');
        } else {
            s.push(g.lower());
        }
        n += 1;
    }
}

/// Lorem text of a length drawn uniformly from `min..=max` characters (a capitalised sentence
/// ending with `.` when `sentence`).
pub fn text(g: &mut Gen, min: usize, max: usize, sentence: bool) -> String {
    use fake::locales::Data;
    let words = <fake::locales::EN as Data>::LOREM_WORD;
    let target = g.u64_in(min as u64, max as u64) as usize;
    let mut s = String::with_capacity(target + 12);
    while s.len() < target {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(words[g.index(words.len())]);
    }
    // Lorem words are ASCII, so bytes are chars.
    s.truncate(target);
    if s.ends_with(' ') {
        s.pop();
        s.push(g.lower());
    }
    if sentence && let Some(first) = s.get(0..1) {
        let up = first.to_ascii_uppercase();
        s.replace_range(0..1, &up);
        if s.len() >= 2 {
            s.pop();
            s.push('.');
        }
    }
    s
}

/// Kinds whose text may be cut or extended to meet length bounds and stay realistic.
pub const fn free_text(k: Kind) -> bool {
    k.free_text()
}

/// A kind whose values cannot meet the requested length bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LengthUnreachable;

/// How a kind meets the length bounds `min..=max` (`None`: unbounded): `Ok(None)` when every
/// value already fits, `Ok(Some((lo, hi)))` when values are cut or extended to `lo..=hi`
/// (free-text kinds), `Err(LengthUnreachable)` when the kind cannot meet them.
pub const fn kind_fit(
    kind: Kind,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<Option<(usize, usize)>, LengthUnreachable> {
    let (klo, khi) = kind.len_bounds();
    let lo = match min {
        Some(m) => m,
        None => 0,
    };
    let hi = match max {
        Some(m) => m,
        None => usize::MAX,
    };
    let inside = klo >= lo
        && match (khi, max) {
            (_, None) => true,
            (Some(k), Some(m)) => k <= m,
            (None, Some(_)) => false,
        };
    if inside {
        Ok(None)
    } else if free_text(kind) {
        let cap = if lo > 10_000 { lo } else { 10_000 };
        Ok(Some((lo, if hi < cap { hi } else { cap })))
    } else {
        Err(LengthUnreachable)
    }
}

/// Kinds whose values are free text, where hostile strings are still valid values.
pub const fn hostile_ok(k: Kind) -> bool {
    matches!(
        k,
        Kind::FirstName
            | Kind::LastName
            | Kind::FullName
            | Kind::City
            | Kind::Street
            | Kind::Company
            | Kind::JobTitle
            | Kind::ProductName
            | Kind::Word
            | Kind::Words
            | Kind::Sentence
            | Kind::Paragraph
    )
}

/// A few timestamps that break naive date code: leap days, year ends, US DST switches.
pub fn special_instants() -> [i64; 8] {
    [
        time::days_from_civil(2024, 2, 29) * DAY + 12 * 3600,
        time::days_from_civil(2020, 2, 29) * DAY,
        time::days_from_civil(2024, 12, 31) * DAY + DAY - 1,
        time::days_from_civil(2025, 1, 1) * DAY,
        time::days_from_civil(2024, 3, 10) * DAY + 7 * 3600,
        time::days_from_civil(2024, 11, 3) * DAY + 6 * 3600,
        time::days_from_civil(2023, 12, 31) * DAY + DAY - 1,
        time::days_from_civil(2000, 2, 29) * DAY,
    ]
}

/// An edge-case integer of `lo..=hi`: an end, next to an end, or zero.
pub fn edge_int(g: &mut Gen, lo: i64, hi: i64) -> i64 {
    let mut c = vec![lo, hi];
    if lo < hi {
        c.extend([lo + 1, hi - 1]);
    }
    if lo <= 0 && 0 <= hi {
        c.push(0);
    }
    *g.pick(&c)
}

/// An edge-case decimal (in units of its scale) of `lo..=hi`: an end or next to one.
pub fn edge_decimal(g: &mut Gen, lo: i64, hi: i64) -> i64 {
    let mut c = vec![lo, hi];
    if lo < hi {
        c.extend([lo + 1, hi - 1]);
    }
    *g.pick(&c)
}

/// An edge-case float of `lo..=hi`: an end or zero.
pub fn edge_float(g: &mut Gen, lo: f64, hi: f64) -> f64 {
    let mut c = vec![lo, hi];
    if lo <= 0.0 && 0.0 <= hi {
        c.push(0.0);
    }
    *g.pick(&c)
}

/// Edge-case text of `min..=max` characters: empty, maximal, or hostile.
pub fn edge_text(g: &mut Gen, min: usize, max: usize) -> String {
    let mut s = match g.below(4) {
        0 => String::new(),
        1 => "x".repeat(max),
        _ => g.pick(HOSTILE_STRINGS).to_string(),
    };
    fit_len(&mut s, min, max, g);
    s
}

/// A hostile value for a free-text kind (`None` for other kinds, which keep their normal
/// value), fitted to `fit` or the kind's own bounds.
pub fn edge_kind(g: &mut Gen, kind: Kind, fit: Option<(usize, usize)>) -> Option<String> {
    if !hostile_ok(kind) {
        return None;
    }
    let (klo, khi) = kind.len_bounds();
    let (lo, hi) = fit.unwrap_or((klo.max(1), khi.unwrap_or(200)));
    let mut s = g.pick(HOSTILE_STRINGS).to_string();
    fit_len(&mut s, lo.max(1), hi.max(1), g);
    Some(s)
}

/// An edge-case day (days since the epoch) for a date whose instants lie in `lo..=hi`
/// (seconds): the first or last whole day, or a special day inside.
pub fn edge_date(g: &mut Gen, lo: i64, hi: i64) -> i64 {
    let (dlo, dhi) = (ceil_day(lo), hi.div_euclid(DAY));
    let mut c = vec![dlo, dhi];
    c.extend(special_instants().iter().map(|t| t.div_euclid(DAY)).filter(|d| (dlo..=dhi).contains(d)));
    *g.pick(&c)
}

/// An edge-case instant of `lo..=hi`: an end, or a leap day, year end or DST switch inside.
pub fn edge_datetime(g: &mut Gen, lo: i64, hi: i64) -> i64 {
    let mut c = vec![lo, hi];
    c.extend(special_instants().iter().copied().filter(|t| (lo..=hi).contains(t)));
    *g.pick(&c)
}

/// An edge-case choice: the first or last value with a positive weight (`cum` holds the
/// running sums of the weights).
pub fn edge_choice(g: &mut Gen, cum: &[u64]) -> usize {
    let first = cum.iter().position(|&c| c > 0).unwrap_or(0);
    let last = (1..cum.len()).rev().find(|&i| cum[i] > cum[i - 1]).unwrap_or(first);
    if g.coin() { first } else { last }
}

/// The first whole day at or after the instant `t`.
pub fn ceil_day(t: i64) -> i64 {
    t.div_euclid(DAY) + i64::from(t.rem_euclid(DAY) != 0)
}

/// A day of `lo..=hi` (days since the epoch).
#[inline]
pub fn date_in(g: &mut Gen, lo: i64, hi: i64) -> i64 {
    g.i64_in(lo, hi.max(lo))
}

/// A bound of a date or timestamp range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeBound {
    /// Seconds since the Unix epoch.
    At(i64),
    /// Seconds relative to the context's reference instant (`now` is `Now(0)`).
    Now(i64),
}

impl TimeBound {
    /// The instant, given the reference instant.
    pub const fn resolve(self, anchor: i64) -> i64 {
        match self {
            TimeBound::At(t) => t,
            TimeBound::Now(d) => anchor.saturating_add(d),
        }
    }
}

pub use testdata_core::defaults::TimeDefault;

/// The instants `(lo, hi)` a date or timestamp field spans, from its optional explicit bounds
/// (inclusive, already resolved) and its name's default, relative to `anchor`.
pub fn time_range(anchor: i64, default: TimeDefault, lo: Option<i64>, hi: Option<i64>) -> (i64, i64) {
    let (dlo, dhi) = match default {
        TimeDefault::Birth => {
            // Aged 18 to 90 in calendar years on the reference day.
            let years_before = |n: i64| {
                let (y, m, d) = time::civil_from_days(anchor.div_euclid(DAY));
                time::days_from_civil(y - n, m, d.min(time::days_in_month(y - n, m))) * DAY
            };
            (years_before(91) + DAY, years_before(18))
        }
        TimeDefault::Future => (anchor, anchor + 365 * DAY),
        TimeDefault::Past => (anchor - 730 * DAY, anchor),
    };
    match (lo, hi) {
        (None, None) => (dlo, dhi),
        (Some(l), None) => (l, l.max(anchor).saturating_add(365 * DAY)),
        (None, Some(h)) => (h.min(anchor).saturating_sub(730 * DAY), h),
        (Some(l), Some(h)) => (l, h),
    }
}

/// The whole days `(lo, hi)` inside the instants `lo..=hi`.
pub fn day_range(lo: i64, hi: i64) -> (i64, i64) {
    (ceil_day(lo), hi.div_euclid(DAY))
}

/// An integer field of `lo..=hi` at `node`, with its edge cases: what a runtime schema's
/// integer field draws (used for the members of composite values such as `Duration`).
#[inline]
pub fn int_field(node: Key, ctx: &Context, lo: i64, hi: i64) -> i64 {
    if is_edge(node, ctx) { edge_int(&mut edge_stream(node), lo, hi) } else { node.stream().i64_in(lo, hi) }
}
