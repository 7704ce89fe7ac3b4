//! Edge-case values: boundaries and hostile text that still satisfy every constraint of the
//! field, mixed in with the probability set by [`Context::with_edge_cases`](crate::Context::with_edge_cases).

use serde_json::{Number, Value};

use crate::dynamic::{Env, fit_len, related};
use crate::kinds::Kind;
use crate::rng::Gen;
use crate::schema::compile::{Node, NodeGen, Plan};
use crate::schema::decimal;
use crate::time::{self, DAY};

/// Hostile text: quotes, SQL and HTML metacharacters, escapes, emoji, right-to-left scripts,
/// combining and zero-width characters, look-alike keywords.
pub const HOSTILE_STRINGS: &[&str] = &[
    "O'Brien",
    "Robert'); DROP TABLE students;--",
    "\"quoted\"",
    "back\\slash",
    "😀🎉👍🏽",
    "مرحبا بالعالم",
    "שלום עולם",
    "Zoë Ñúñez-Çelik",
    "ゼロ・ワン",
    "<script>alert(1)</script>",
    "%s%n%x",
    "tab\there",
    "line\nbreak",
    "\u{200B}zero\u{200D}width",
    "null",
    "NaN",
    "e\u{301}\u{301}",
    "𝕋𝕖𝕤𝕥",
    "' OR '1'='1",
    "${jndi:ldap://x}",
];

/// A few timestamps that break naive date code: leap days, year ends, US DST switches.
fn special_instants() -> [i64; 8] {
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

/// Kinds whose values are free text, where hostile strings are still valid values.
fn hostile_ok(k: Kind) -> bool {
    matches!(
        k.name(),
        "first_name"
            | "last_name"
            | "full_name"
            | "city"
            | "street"
            | "company"
            | "job_title"
            | "product_name"
            | "word"
            | "words"
            | "sentence"
            | "paragraph"
    )
}

/// An edge-case value for `node`, or `None` when the field has no meaningful edge case
/// (templates, patterns, computed values: those keep their normal value).
pub(crate) fn value(
    node: &Node,
    g: &mut Gen,
    _plan: &Plan,
    siblings: &[Value],
    _env: &Env<'_>,
) -> Option<Value> {
    if node.limit.is_some() {
        return None;
    }
    Some(match &node.how {
        NodeGen::Int { lo, hi } => {
            let mut c = vec![*lo, *hi];
            if lo < hi {
                c.extend([lo + 1, hi - 1]);
            }
            if *lo <= 0 && 0 <= *hi {
                c.push(0);
            }
            Value::Number((*g.pick(&c)).into())
        }
        NodeGen::Decimal { lo, hi, scale, .. } => {
            let mut c = vec![*lo, *hi];
            if lo < hi {
                c.extend([lo + 1, hi - 1]);
            }
            decimal::to_value(*g.pick(&c) as i128, *scale as u32)
        }
        NodeGen::Float { lo, hi } => {
            let mut c = vec![*lo, *hi];
            if *lo <= 0.0 && 0.0 <= *hi {
                c.push(0.0);
            }
            Number::from_f64(*g.pick(&c)).map(Value::Number)?
        }
        NodeGen::Text { min, max, .. } => {
            let mut s = match g.below(4) {
                0 => String::new(),
                1 => "x".repeat(*max),
                _ => g.pick(HOSTILE_STRINGS).to_string(),
            };
            fit_len(&mut s, *min, *max, g);
            Value::String(s)
        }
        NodeGen::Kind { kind, fit, .. } if hostile_ok(*kind) => {
            let (klo, khi) = kind.len_bounds();
            let (lo, hi) = fit.unwrap_or((klo.max(1), khi.unwrap_or(200)));
            let mut s = g.pick(HOSTILE_STRINGS).to_string();
            fit_len(&mut s, lo.max(1), hi.max(1), g);
            Value::String(s)
        }
        NodeGen::Date { lo, hi } => {
            let (lo, hi) = related(node, siblings, lo * DAY, hi * DAY);
            let (dlo, dhi) = (lo.div_euclid(DAY) + i64::from(lo.rem_euclid(DAY) != 0), hi.div_euclid(DAY));
            let mut c = vec![dlo, dhi];
            c.extend(
                special_instants().iter().map(|t| t.div_euclid(DAY)).filter(|d| (dlo..=dhi).contains(d)),
            );
            Value::String(time::format_date(*g.pick(&c)))
        }
        NodeGen::Datetime { lo, hi } => {
            let (lo, hi) = related(node, siblings, *lo, *hi);
            let mut c = vec![lo, hi];
            c.extend(special_instants().iter().copied().filter(|t| (lo..=hi).contains(t)));
            Value::String(time::format_datetime(*g.pick(&c)))
        }
        NodeGen::Choice { values, cum } => {
            // The first or last value that has a positive weight.
            let first = cum.iter().position(|&c| c > 0).unwrap_or(0);
            let last = (1..cum.len()).rev().find(|&i| cum[i] > cum[i - 1]).unwrap_or(first);
            values[if g.coin() { first } else { last }].clone()
        }
        _ => return None,
    })
}
