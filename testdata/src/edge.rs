//! Edge-case values: boundaries and hostile text that still satisfy every constraint of the
//! field, mixed in with the probability set by [`Context::with_edge_cases`](crate::Context::with_edge_cases).

use serde_json::{Number, Value};

use crate::dynamic::{RecordEnv, related};
use crate::rng::Gen;
use crate::sample;
use crate::schema::compile::{Node, NodeGen, ObjectPlan};
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

/// An edge-case value for `node`, or `None` when the field has no meaningful edge case
/// (templates, patterns, computed values: those keep their normal value).
pub(crate) fn value(
    node: &Node,
    g: &mut Gen,
    _plan: &ObjectPlan,
    siblings: &[Value],
    _env: &RecordEnv<'_>,
) -> Option<Value> {
    if node.limit.is_some() {
        return None;
    }
    Some(match &node.how {
        NodeGen::Int { lo, hi } => Value::Number(sample::edge_int(g, *lo, *hi).into()),
        NodeGen::Decimal { lo, hi, scale, .. } => {
            decimal::to_value(sample::edge_decimal(g, *lo, *hi) as i128, *scale as u32)
        }
        NodeGen::Float { lo, hi } => Number::from_f64(sample::edge_float(g, *lo, *hi)).map(Value::Number)?,
        NodeGen::Text { min, max, .. } => Value::String(sample::edge_text(g, *min, *max)),
        NodeGen::Kind { kind, fit, .. } if sample::hostile_ok(*kind) => {
            Value::String(sample::edge_kind(g, *kind, *fit)?)
        }
        NodeGen::Date { lo, hi } => {
            let (lo, hi) = related(node, siblings, lo * DAY, hi * DAY);
            Value::String(time::format_date(sample::edge_date(g, lo, hi)))
        }
        NodeGen::Datetime { lo, hi } => {
            let (lo, hi) = related(node, siblings, *lo, *hi);
            Value::String(time::format_datetime(sample::edge_datetime(g, lo, hi)))
        }
        NodeGen::Choice { values, cum } => values[sample::edge_choice(g, cum)].clone(),
        _ => return None,
    })
}
