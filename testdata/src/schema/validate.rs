//! Checks a record against a compiled schema and reports every violation with its path.

use serde_json::Value;

use super::compile::{CompiledCompute, Limit, Node, NodeGen, ObjectPlan};
use super::decimal;
use crate::Context;
use crate::constraint::Violation;
use crate::dynamic::{compute, sibling_text};
use crate::time;

fn describe(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 { format!("{}…", s.chars().take(60).collect::<String>()) } else { s }
}

/// Where a value sits in the record, rendered to text only when a violation is reported (a
/// valid record costs no path strings).
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    /// The record itself.
    Root,
    /// Member `name` of the object at the parent path.
    Member(&'a Path<'a>, &'a str),
    /// Element `i` of the array at the parent path.
    Element(&'a Path<'a>, usize),
}

impl Path<'_> {
    /// `a.b[2].c`.
    pub(crate) fn render(&self) -> String {
        match self {
            Path::Root => String::new(),
            Path::Member(Path::Root, name) => (*name).to_owned(),
            Path::Member(parent, name) => format!("{}.{name}", parent.render()),
            Path::Element(parent, i) => format!("{}[{i}]", parent.render()),
        }
    }
}

/// How records are checked.
pub(crate) struct Checker<'a> {
    /// The schema's settings (anchor, locale) for templates.
    pub ctx: &'a Context,
    /// Objects are in the generator's positional form (`Value::Array` of the members in plan
    /// order, see `dynamic::record_slots`) rather than maps.
    pub positional: bool,
}

/// Validates the members of an object at `path`.
pub(crate) fn object(
    plan: &ObjectPlan,
    v: &Value,
    path: &Path<'_>,
    cx: &Checker<'_>,
    out: &mut Vec<Violation>,
) {
    let members: Vec<Option<&Value>> = match (v, cx.positional) {
        (Value::Array(slots), true) if slots.len() == plan.fields.len() => slots.iter().map(Some).collect(),
        (Value::Object(map), false) => {
            // Records in schema order (every generated one) are read positionally, without hashing.
            let mut entries = map.iter();
            let members: Vec<Option<&Value>> = plan
                .fields
                .iter()
                .map(|n| match entries.next() {
                    Some((k, v)) if *k == n.name => Some(v),
                    _ => map.get(&n.name),
                })
                .collect();
            if members.iter().flatten().count() < map.len() {
                for k in map.keys() {
                    if !plan.fields.iter().any(|n| &n.name == k) {
                        out.push(Violation::new(
                            Path::Member(path, k).render(),
                            "unknown",
                            "the schema has no such field",
                        ));
                    }
                }
            }
            members
        }
        _ => {
            let found = describe(v);
            out.push(Violation::new(path.render(), "type", format!("expected an object, found {found}")));
            return;
        }
    };
    members_of(plan, &members, path, cx, out);
}

/// Validates an object's members, `members[i]` being field `i`'s value (`None`: missing).
pub(crate) fn members_of(
    plan: &ObjectPlan,
    members: &[Option<&Value>],
    path: &Path<'_>,
    cx: &Checker<'_>,
    out: &mut Vec<Violation>,
) {
    let siblings: Vec<&Value> = members.iter().map(|m| m.unwrap_or(&Value::Null)).collect();
    for (i, node) in plan.fields.iter().enumerate() {
        let p = Path::Member(path, &node.name);
        match (members[i], &node.present_if) {
            (None, _) => out.push(Violation::new(p.render(), "required", "the field is missing")),
            (Some(val), Some((o, values))) => {
                let holds = values.contains(siblings[*o]);
                let other = &plan.fields[*o].name;
                match (holds, val.is_null()) {
                    (true, true) => out.push(Violation::new(
                        p.render(),
                        "present_if",
                        format!("must be set when `{other}` is {}", siblings[*o]),
                    )),
                    (false, false) => out.push(Violation::new(
                        p.render(),
                        "present_if",
                        format!("must be null when `{other}` is {}", siblings[*o]),
                    )),
                    (true, false) => field(node, val, &p, plan, &siblings, cx, out),
                    (false, true) => {}
                }
            }
            (Some(Value::Null), None) if node.optional > 0.0 => {}
            (Some(val), None) => field(node, val, &p, plan, &siblings, cx, out),
        }
    }
}

fn field(
    node: &Node,
    v: &Value,
    path: &Path<'_>,
    plan: &ObjectPlan,
    siblings: &[&Value],
    cx: &Checker<'_>,
    out: &mut Vec<Violation>,
) {
    let mut bad = |rule: &'static str, msg: String| out.push(Violation::new(path.render(), rule, msg));
    if v.is_null() {
        if !matches!(node.how, NodeGen::Const(Value::Null) | NodeGen::Json) {
            bad("required", "the value is null but the field is not optional".into());
        }
        return;
    }
    match &node.how {
        NodeGen::Const(c) => {
            if c != v {
                bad("value", format!("expected the fixed value {}, found {}", describe(c), describe(v)));
            }
        }
        NodeGen::Kind { kind, fit, .. } => {
            // Not a string: nothing more to say about it (not even its limits).
            let Some(s) = string(v, &mut bad) else { return };
            match fit {
                Some((lo, hi)) => check_length(s, (*lo, *hi), &mut bad),
                None => {
                    if let Err(e) = kind.check(s) {
                        bad("kind", format!("{} {e}", describe(v)));
                    }
                }
            }
        }
        NodeGen::Pattern(p) => {
            if let Some(s) = string(v, &mut bad)
                && !p.is_match(s)
            {
                bad(
                    "pattern",
                    format!("{} does not match `{}` within the length bounds", describe(v), p.as_str()),
                );
            }
        }
        NodeGen::Template(t) => {
            let lookup = |name: &str| sibling_text(plan, siblings, name);
            if let Some(s) = string(v, &mut bad)
                && !t.matches(s, cx.ctx, &lookup)
            {
                bad("format", format!("{} does not follow the format `{}`", describe(v), t.as_str()));
            }
        }
        NodeGen::Text { min, max, .. } => {
            if let Some(s) = string(v, &mut bad) {
                check_length(s, (*min, *max), &mut bad);
            }
        }
        NodeGen::Int { lo, hi } => check_int(v, (*lo, *hi), &mut bad),
        NodeGen::Float { lo, hi } => check_float(v, (*lo, *hi), &mut bad),
        NodeGen::Decimal { lo, hi, scale, precision } => {
            check_decimal(v, (*lo, *hi), *scale, *precision, &mut bad)
        }
        NodeGen::Bool { .. } => {
            if !v.is_boolean() {
                bad("type", format!("expected true or false, found {}", describe(v)));
            }
        }
        NodeGen::Date { lo, hi } => match v.as_str().and_then(time::parse_date) {
            Some(d) => {
                check_span(v, d, (*lo, *hi), time::format_date, &mut bad);
                relation(node, d * time::DAY, siblings, &mut bad);
            }
            None => bad("type", format!("expected a date YYYY-MM-DD, found {}", describe(v))),
        },
        NodeGen::Datetime { lo, hi } => match v.as_str().and_then(time::parse_datetime) {
            Some(t) => {
                check_span(v, t, (*lo, *hi), time::format_datetime, &mut bad);
                relation(node, t, siblings, &mut bad);
            }
            None => bad("type", format!("expected an RFC 3339 timestamp, found {}", describe(v))),
        },
        NodeGen::Choice { values, cum } => check_choice(v, values, cum, &mut bad),
        NodeGen::Object(p) => object(p, v, path, cx, out),
        NodeGen::Array { item, min, max } => check_array(v, item, (*min, *max), path, plan, cx, out),
        NodeGen::Compute { rule, scale, integer, lo, hi, .. } => {
            let target = if *integer { 0 } else { *scale as u32 };
            check_computed(v, rule, target, (*lo, *hi), plan, siblings, &mut bad);
        }
        NodeGen::Json => {}
        NodeGen::Ref { schema, field: f, .. } => {
            if let Some(reason) = schema.check_field(f, v) {
                bad("ref", format!("is not a `{}.{f}` value: {reason}", schema.name()));
            }
        }
    }
    limit(node, v, plan, siblings, out, path);
}

/// The string `v` holds; anything else is a `type` violation.
fn string<'v>(v: &'v Value, bad: &mut impl FnMut(&'static str, String)) -> Option<&'v str> {
    let s = v.as_str();
    if s.is_none() {
        bad("type", format!("expected a string, found {}", describe(v)));
    }
    s
}

/// A string has `min..=max` characters.
fn check_length(s: &str, (min, max): (usize, usize), bad: &mut impl FnMut(&'static str, String)) {
    let n = s.chars().count();
    if n < min || n > max {
        bad("length", format!("{n} characters, outside {min}..={max}"));
    }
}

/// An integer within `lo..=hi`.
fn check_int(v: &Value, (lo, hi): (i64, i64), bad: &mut impl FnMut(&'static str, String)) {
    match v.as_i64() {
        Some(x) if x < lo => bad("min", format!("{x} is below the minimum {lo}")),
        Some(x) if x > hi => bad("max", format!("{x} is above the maximum {hi}")),
        Some(_) => {}
        None => bad("type", format!("expected an integer, found {}", describe(v))),
    }
}

/// A number within `lo..=hi`.
fn check_float(v: &Value, (lo, hi): (f64, f64), bad: &mut impl FnMut(&'static str, String)) {
    match v.as_f64() {
        Some(x) if x < lo => bad("min", format!("{x} is below the minimum {lo}")),
        Some(x) if x > hi => bad("max", format!("{x} is above the maximum {hi}")),
        Some(_) => {}
        None => bad("type", format!("expected a number, found {}", describe(v))),
    }
}

/// A date (in days) or timestamp (in seconds) lies in its span, shown with `show`.
fn check_span(
    v: &Value,
    at: i64,
    (lo, hi): (i64, i64),
    show: fn(i64) -> String,
    bad: &mut impl FnMut(&'static str, String),
) {
    if at < lo || at > hi {
        bad("range", format!("{} is outside {}..={}", describe(v), show(lo), show(hi)));
    }
}

/// A `one_of` value is one of the values with a positive weight.
fn check_choice(v: &Value, values: &[Value], cum: &[u64], bad: &mut impl FnMut(&'static str, String)) {
    let allowed = values.iter().zip(cum.iter().scan(0, |prev, &c| {
        let w = c - *prev;
        *prev = c;
        Some(w)
    }));
    if !allowed.clone().any(|(x, w)| w > 0 && x == v) {
        let list: Vec<String> = values.iter().map(|x| x.to_string()).collect();
        bad("one_of", format!("{} is not one of {}", describe(v), list.join(", ")));
    }
}

/// An array: its length and each element.
fn check_array(
    v: &Value,
    item: &Node,
    (min, max): (usize, usize),
    path: &Path<'_>,
    plan: &ObjectPlan,
    cx: &Checker<'_>,
    out: &mut Vec<Violation>,
) {
    match v.as_array() {
        Some(a) => {
            if a.len() < min || a.len() > max {
                out.push(Violation::new(
                    path.render(),
                    "length",
                    format!("{} items, outside {min}..={max}", a.len()),
                ));
            }
            for (i, e) in a.iter().enumerate() {
                match e {
                    Value::Null if item.optional > 0.0 => {}
                    e => field(item, e, &Path::Element(path, i), plan, &[], cx, out),
                }
            }
        }
        None => out.push(Violation::new(
            path.render(),
            "type",
            format!("expected an array, found {}", describe(v)),
        )),
    }
}

/// A decimal: its scale, bounds (in units of the scale) and precision.
fn check_decimal(
    v: &Value,
    (lo, hi): (i64, i64),
    scale: u8,
    precision: Option<u8>,
    bad: &mut impl FnMut(&'static str, String),
) {
    match decimal::from_value(v).filter(|_| v.is_number()) {
        Some((m, s)) => {
            let s_target = scale as u32;
            if s > s_target && decimal::rescale(m, s, s_target) * decimal::pow10(s - s_target) != m {
                bad("scale", format!("{} has more than {scale} decimals", describe(v)));
            }
            let units = decimal::rescale(m, s, s_target);
            if units < lo as i128 {
                bad(
                    "min",
                    format!("{} is below the minimum {}", describe(v), decimal::to_f64(lo as i128, s_target)),
                );
            }
            if units > hi as i128 {
                bad(
                    "max",
                    format!("{} is above the maximum {}", describe(v), decimal::to_f64(hi as i128, s_target)),
                );
            }
            if let Some(p) = precision
                && units.abs() >= decimal::pow10(p as u32)
            {
                bad("precision", format!("{} has more than {p} significant digits", describe(v)));
            }
        }
        None => bad("type", format!("expected a number, found {}", describe(v))),
    }
}

/// A computed field equals its rule applied to its siblings (at scale `target`), within its
/// bounds.
fn check_computed(
    v: &Value,
    rule: &CompiledCompute,
    target: u32,
    (lo, hi): (Option<i128>, Option<i128>),
    plan: &ObjectPlan,
    siblings: &[&Value],
    bad: &mut impl FnMut(&'static str, String),
) {
    if let CompiledCompute::Copy(o) = rule {
        if siblings[*o] != v {
            bad("computed", format!("must equal `{}`", plan.fields[*o].name));
        }
        return;
    }
    if let CompiledCompute::Bucket { of, thresholds, values } = rule {
        let expected = crate::dynamic::bucket(siblings[*of], thresholds, values);
        if &expected != v {
            bad(
                "computed",
                format!("{} should be {expected} (bucket of `{}`)", describe(v), plan.fields[*of].name),
            );
        }
        return;
    }
    let Some(actual) = decimal::from_value(v).filter(|_| v.is_number()) else {
        return bad("type", format!("expected a number, found {}", describe(v)));
    };
    if let Some((m, s)) = compute(rule, siblings, plan) {
        let expected = decimal::rescale(m, s, target);
        let got = decimal::rescale(actual.0, actual.1, target);
        let exact = decimal::rescale(got, target, actual.1) == actual.0 || actual.1 <= target;
        if expected != got || !exact {
            bad(
                "computed",
                format!(
                    "{} should be {} ({})",
                    describe(v),
                    decimal::to_value(expected, target),
                    describe_rule(rule, plan)
                ),
            );
        }
        if let Some(lo) = lo
            && got < lo
        {
            bad("min", format!("{} is below the minimum {}", describe(v), decimal::to_value(lo, target)));
        }
        if let Some(hi) = hi
            && got > hi
        {
            bad("max", format!("{} is above the maximum {}", describe(v), decimal::to_value(hi, target)));
        }
    }
}

fn limit(
    node: &Node,
    v: &Value,
    plan: &ObjectPlan,
    siblings: &[&Value],
    out: &mut Vec<Violation>,
    path: &Path<'_>,
) {
    let Some(Limit { other: o, at_most }) = node.limit else { return };
    if !v.is_number() || !siblings[o].is_number() {
        return;
    }
    let (Some((a, sa)), Some((b, sb))) = (decimal::from_value(v), decimal::from_value(siblings[o])) else {
        return;
    };
    let s = sa.max(sb);
    let (a, b) = (decimal::rescale(a, sa, s), decimal::rescale(b, sb, s));
    let name = &plan.fields[o].name;
    if at_most && a > b {
        out.push(Violation::new(
            path.render(),
            "at_most",
            format!("{v} is above `{name}` ({})", siblings[o]),
        ));
    }
    if !at_most && a < b {
        out.push(Violation::new(
            path.render(),
            "at_least",
            format!("{v} is below `{name}` ({})", siblings[o]),
        ));
    }
}

fn relation(node: &Node, t: i64, siblings: &[&Value], bad: &mut impl FnMut(&'static str, String)) {
    let Some(rel) = &node.rel else { return };
    let Some(other) = siblings.get(rel.other).and_then(|v| v.as_str()).and_then(time::parse_datetime) else {
        return;
    };
    if rel.after && t < other {
        bad("after", format!("is before `{}`", rel.other_name));
    }
    if !rel.after && t > other {
        bad("before", format!("is after `{}`", rel.other_name));
    }
}

fn describe_rule(rule: &CompiledCompute, plan: &ObjectPlan) -> String {
    let name = |i: &usize| plan.fields[*i].name.as_str();
    let list = |v: &[usize], op: &str| v.iter().map(name).collect::<Vec<_>>().join(op);
    match rule {
        CompiledCompute::SumProduct { array, members, .. } => {
            format!("Σ {}[].{}", name(array), members.join(" × "))
        }
        CompiledCompute::Percent { of, rate_mantissa, rate_scale } => {
            format!("{} × {}%", name(of), decimal::to_value(*rate_mantissa, *rate_scale))
        }
        CompiledCompute::Sum(v) => list(v, " + "),
        CompiledCompute::Difference(v) => list(v, " − "),
        CompiledCompute::Product(v) => list(v, " × "),
        CompiledCompute::Copy(o) => format!("copy of {}", name(o)),
        CompiledCompute::Bucket { of, .. } => format!("bucket of {}", name(of)),
    }
}

/// Validates one value of a top-level field on its own (no sibling rules).
pub(crate) fn single(plan: &ObjectPlan, name: &str, v: &Value, ctx: &Context) -> Option<String> {
    let node = plan.fields.iter().find(|n| n.name == name)?;
    let mut out = Vec::new();
    // With every sibling null, the cross-field rules (`after`/`before`, `at_most`/`at_least`)
    // have nothing to compare with and check nothing; `present_if` is checked by the caller
    // of `field`. So the node is checked as it is, without a copy stripped of those rules.
    let empty = vec![&Value::Null; plan.fields.len()];
    let self_contained = match &node.how {
        NodeGen::Compute { .. } => false,
        NodeGen::Template(t) => t.field_refs().next().is_none(),
        _ => true,
    };
    if self_contained {
        let cx = Checker { ctx, positional: false };
        field(node, v, &Path::Member(&Path::Root, name), plan, &empty, &cx, &mut out);
    }
    out.first().map(|v| v.message.clone())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::Schema;
    use crate::dynamic::{RecordEnv, record_slots};

    /// A cart-like schema with nested objects, arrays of objects and computed fields.
    fn schema() -> Schema {
        Schema::from_json(
            r#"{"name": "order", "fields": [
                {"name": "id", "type": "string", "format": "ORD-{digits:6}"},
                {"name": "ship", "type": "object", "fields": [
                    {"name": "city", "type": "string", "kind": "city"}, {"name": "zip", "type": "string", "kind": "zip"}]},
                {"name": "items", "type": "array", "min_items": 1, "max_items": 4, "items": {
                    "type": "object", "fields": [
                        {"name": "price", "type": "decimal", "min": 1, "max": 99, "scale": 2},
                        {"name": "qty", "type": "integer", "min": 1, "max": 5}]}},
                {"name": "total", "type": "decimal", "scale": 2,
                 "compute": {"sum_product": {"array": "items", "fields": ["price", "qty"]}}},
                {"name": "placed", "type": "datetime"},
                {"name": "shipped", "type": "datetime", "after": "placed", "optional": 0.3}
            ]}"#,
        )
        .unwrap()
    }

    /// Violations of `v` checked in positional form and of its public form checked as a map.
    fn both(s: &Schema, slots: &[Value], public: &Value) -> (Vec<Violation>, Vec<Violation>) {
        let members: Vec<Option<&Value>> = slots.iter().map(Some).collect();
        let mut positional = Vec::new();
        members_of(&s.plan, &members, &Path::Root, &s.checker(true), &mut positional);
        let mut map = Vec::new();
        object(&s.plan, public, &Path::Root, &s.checker(false), &mut map);
        (positional, map)
    }

    #[test]
    fn positional_records_are_checked_like_their_maps() {
        let s = schema();
        for i in 0..200 {
            let env = RecordEnv { ctx: &s.ctx, seed: 5.into(), type_key: s.key, index: i };
            let mut slots = record_slots(&s.plan, &env).unwrap();
            let mut public = s.nth(5, i).unwrap();
            assert_eq!(both(&s, &slots, &public), (vec![], vec![]), "record {i}");
            // Break a nested member, an item's quantity and the total the same way in both forms.
            if let Value::Array(ship) = &mut slots[1] {
                ship[1] = json!(12);
            }
            public["ship"]["zip"] = json!(12);
            if let Value::Array(items) = &mut slots[2]
                && let Value::Array(first) = &mut items[0]
            {
                first[1] = json!(9);
            }
            public["items"][0]["qty"] = json!(9);
            slots[3] = json!(-1);
            public["total"] = json!(-1);
            let (positional, map) = both(&s, &slots, &public);
            assert!(positional.len() >= 3, "{positional:?}");
            assert_eq!(positional, map, "record {i}");
        }
    }
}
