//! Generation from a runtime schema into `serde_json::Value`, with the same streams as the
//! derive: field `f` of record `i` draws from `Key::root(seed, schema_key, i).field(name_key(f))`.
//!
//! Sub-streams of a field node (part of the output contract):
//! * `node.child(OPTIONAL)` decides `null` for optional fields, so making a field optional
//!   keeps its other values;
//! * `node.child(EDGE)` decides edge-case values;
//! * `ref`s of a record to entity `e` pick record `j` from `record.child(key(e)).child(REF)`,
//!   so an order's `customer_id` and `email` come from the same user;
//! * a unique field's permutation is keyed by `Key(seed).child(schema_key).child(field).child(UNIQUE)`.

use std::borrow::Borrow;

use serde_json::{Map, Number, Value};

use crate::error::GenerateError;
use crate::kinds::{Kind, Scope};
use crate::schema::compile::{CompiledCompute, Limit, Node, NodeGen, ObjectPlan};
use crate::schema::decimal;
use crate::seed::{Key, Seed};
use crate::time::{self, DAY};
use crate::{Context, Gen, Locale};

pub(crate) use crate::sample::{EDGE, OPTIONAL, fit_len, text};
use crate::sample::{ceil_day, uuid_string};
pub(crate) const REF: u64 = crate::seed::name_key("$ref");

/// What a record's generation needs besides the plan.
pub(crate) struct RecordEnv<'a> {
    pub ctx: &'a Context,
    pub seed: Seed,
    pub type_key: u64,
    pub index: u64,
}

/// Generates record `env.index`.
pub(crate) fn record(plan: &ObjectPlan, env: &RecordEnv<'_>) -> Result<Value, GenerateError> {
    Ok(Value::Object(public(plan, record_slots(plan, env)?)))
}

/// Record `env.index` in positional form: its fields' values in schema order. Generation
/// works on this form (no map insertions, no key copies, no hashing); a nested object is a
/// `Value::Array` of its members' values in its own plan's order. [`public`] turns it into
/// the record `nth` returns, [`write_object`] writes it as the same JSON directly.
pub(crate) fn record_slots(plan: &ObjectPlan, env: &RecordEnv<'_>) -> Result<Vec<Value>, GenerateError> {
    object(plan, Key::root(env.seed, env.type_key, env.index), env, true)
}

/// The map form of an object in positional form.
fn public(plan: &ObjectPlan, slots: Vec<Value>) -> Map<String, Value> {
    let mut map = Map::with_capacity(slots.len());
    for (node, v) in plan.fields.iter().zip(slots) {
        map.insert(node.name.clone(), public_value(node, plan, v));
    }
    map
}

/// The public form of field `node`'s value (of an object planned by `plan`).
fn public_value(node: &Node, plan: &ObjectPlan, v: Value) -> Value {
    match (&node.how, v) {
        (NodeGen::Object(p), Value::Array(slots)) => Value::Object(public(p, slots)),
        (NodeGen::Array { item, .. }, Value::Array(items)) if matches!(item.how, NodeGen::Object(_)) => {
            Value::Array(items.into_iter().map(|e| public_value(item, plan, e)).collect())
        }
        (NodeGen::Compute { rule: CompiledCompute::Copy(o), .. }, v) => {
            public_value(&plan.fields[*o], plan, v)
        }
        (_, v) => v,
    }
}

/// Appends an object in positional form as the JSON serde_json writes for its map form
/// (`{"name":value,...}`, compact), without going through serde.
pub(crate) fn write_object(
    plan: &ObjectPlan,
    slots: &[Value],
    out: &mut Vec<u8>,
) -> Result<(), serde_json::Error> {
    out.push(b'{');
    for (i, (node, v)) in plan.fields.iter().zip(slots).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(&node.json_key);
        write_value(node, plan, v, out)?;
    }
    out.push(b'}');
    Ok(())
}

/// Appends field `node`'s value (of an object planned by `plan`) in its public form.
fn write_value(
    node: &Node,
    plan: &ObjectPlan,
    v: &Value,
    out: &mut Vec<u8>,
) -> Result<(), serde_json::Error> {
    match (&node.how, v) {
        (NodeGen::Object(p), Value::Array(slots)) => write_object(p, slots, out),
        (NodeGen::Array { item, .. }, Value::Array(items)) if matches!(item.how, NodeGen::Object(_)) => {
            out.push(b'[');
            for (i, e) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(item, plan, e, out)?;
            }
            out.push(b']');
            Ok(())
        }
        (NodeGen::Compute { rule: CompiledCompute::Copy(o), .. }, v) => {
            write_value(&plan.fields[*o], plan, v, out)
        }
        (_, Value::String(s)) => write_str(out, s),
        (_, Value::Null) => {
            out.extend_from_slice(b"null");
            Ok(())
        }
        (_, Value::Bool(b)) => {
            out.extend_from_slice(if *b { b"true" } else { b"false" });
            Ok(())
        }
        (_, Value::Number(n)) if n.is_i64() || n.is_u64() => {
            let mut buf = itoa::Buffer::new();
            let text = match n.as_i64() {
                Some(i) => buf.format(i),
                None => buf.format(n.as_u64().unwrap_or_default()),
            };
            out.extend_from_slice(text.as_bytes());
            Ok(())
        }
        (_, v) => serde_json::to_writer(&mut *out, v),
    }
}

/// Appends a JSON string. serde_json escapes only `"`, `\\` and control characters: a string
/// without them (nearly every generated one) is copied as is, others get serde_json's escaping.
fn write_str(out: &mut Vec<u8>, s: &str) -> Result<(), serde_json::Error> {
    if needs_escape(s.as_bytes()) {
        return serde_json::to_writer(&mut *out, s);
    }
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
    Ok(())
}

/// Whether `b` holds `"`, `\\` or a control character (< 0x20): eight bytes at a time.
#[inline]
fn needs_escape(b: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte of `v` is zero ⇒ its high bit is set in the result (no false negatives; a false
    // positive only sends the string to serde_json's exact escaping).
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let words = b.chunks_exact(8);
    let tail = words.remainder();
    let mut hit = 0u64;
    for w in words {
        let w = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        // Bytes below 0x20 (ASCII ones: `& !w` drops bytes with the high bit set).
        hit |= w.wrapping_sub(ONES * 0x20) & !w & HIGH;
        hit |= zero(w ^ (ONES * u64::from(b'"'))) | zero(w ^ (ONES * u64::from(b'\\')));
    }
    hit != 0 || tail.iter().any(|&c| c < 0x20 || c == b'"' || c == b'\\')
}

/// Field `name` of record `env.index` (with the fields it depends on, not the whole record).
pub(crate) fn field_of_record(
    plan: &ObjectPlan,
    env: &RecordEnv<'_>,
    name: &str,
) -> Result<Value, GenerateError> {
    let Some(i) = plan.fields.iter().position(|n| n.name == name) else { return Ok(Value::Null) };
    let mut wanted = vec![false; plan.fields.len()];
    wanted[i] = true;
    Ok(members(plan, env, &wanted)?[i].take().unwrap_or(Value::Null))
}

/// The top-level members of record `env.index` that `wanted` marks, in public form, together
/// with the members they depend on; `None` for the others. Each is the value [`record`]
/// gives it (every member draws from its own stream), for a fraction of the cost when few
/// members are wanted (a repair needs only the engine-owned ones).
pub(crate) fn members(
    plan: &ObjectPlan,
    env: &RecordEnv<'_>,
    wanted: &[bool],
) -> Result<Vec<Option<Value>>, GenerateError> {
    let (slots, needed) = member_slots(plan, env, wanted)?;
    let public = slots
        .into_iter()
        .zip(&plan.fields)
        .zip(needed)
        .map(|((v, node), needed)| needed.then(|| public_value(node, plan, v)));
    Ok(public.collect())
}

/// [`members`] in positional form: the members' values (`null` for those not generated) and
/// which members were generated (the wanted ones and their dependencies).
pub(crate) fn member_slots(
    plan: &ObjectPlan,
    env: &RecordEnv<'_>,
    wanted: &[bool],
) -> Result<(Vec<Value>, Vec<bool>), GenerateError> {
    let mut needed = wanted.to_vec();
    needed.resize(plan.fields.len(), false);
    // `order` lists every member after its dependencies: walked backwards, it closes the set.
    for &i in plan.order.iter().rev() {
        if needed[i] {
            for &d in &plan.deps[i] {
                needed[d] = true;
            }
        }
    }
    let scope = Scope::new(Key::root(env.seed, env.type_key, env.index), env.ctx);
    let mut slots: Vec<Value> = vec![Value::Null; plan.fields.len()];
    for &i in plan.order.iter().filter(|i| needed[**i]) {
        slots[i] = field(&plan.fields[i], &scope, plan, &slots, env, true)?;
    }
    Ok((slots, needed))
}

/// The members of an object in positional form (see [`record_slots`]).
fn object(plan: &ObjectPlan, key: Key, env: &RecordEnv<'_>, top: bool) -> Result<Vec<Value>, GenerateError> {
    let mut slots: Vec<Value> = vec![Value::Null; plan.fields.len()];
    let scope = Scope::new(key, env.ctx);
    for &i in &plan.order {
        let node = &plan.fields[i];
        slots[i] = field(node, &scope, plan, &slots, env, top)?;
    }
    Ok(slots)
}

fn field(
    node: &Node,
    scope: &Scope<'_>,
    plan: &ObjectPlan,
    siblings: &[Value],
    env: &RecordEnv<'_>,
    top: bool,
) -> Result<Value, GenerateError> {
    let nkey = scope.key.child(node.key);
    let forced = match &node.present_if {
        Some((other, values)) if !values.contains(&siblings[*other]) => return Ok(Value::Null),
        Some(_) => true,
        None => false,
    };
    if !forced && node.optional > 0.0 && nkey.child(OPTIONAL).stream().chance(node.optional) {
        return Ok(Value::Null);
    }
    let unique = match node.unique {
        Some(space) if top => {
            if env.index >= space {
                return Err(GenerateError::UniqueExhausted {
                    path: node.path.clone(),
                    space,
                    index: env.index,
                });
            }
            Some(crate::sample::unique_slot(env.seed, env.type_key, node.key, space, env.index))
        }
        _ => None,
    };
    let edge = env.ctx.edge_cases() > 0.0 && nkey.child(EDGE).stream().chance(env.ctx.edge_cases());
    if edge
        && unique.is_none()
        && let Some(v) = crate::edge::value(node, &mut nkey.child(EDGE).stream().clone(), plan, siblings, env)
    {
        return Ok(v);
    }
    value(node, nkey, scope, plan, siblings, env, unique)
}

fn value(
    node: &Node,
    nkey: Key,
    scope: &Scope<'_>,
    plan: &ObjectPlan,
    siblings: &[Value],
    env: &RecordEnv<'_>,
    unique: Option<u64>,
) -> Result<Value, GenerateError> {
    let mut g = nkey.stream();
    Ok(match &node.how {
        NodeGen::Const(v) => v.clone(),
        NodeGen::Kind { kind, fit, locale } => {
            Value::String(kind_text(*kind, *fit, *locale, scope, &mut g, unique))
        }
        NodeGen::Pattern(p) => Value::String(p.generate(&mut g)),
        NodeGen::Template(t) => {
            let lookup = |name: &str| sibling_text(plan, siblings, name);
            Value::String(t.render(&mut g, env.ctx, env.index, unique, &lookup))
        }
        NodeGen::Text { min, max, sentence } => Value::String(text(&mut g, *min, *max, *sentence)),
        NodeGen::Int { lo, hi } => {
            let (lo, hi) = limited_int(node, siblings, *lo, *hi);
            let v = match unique {
                Some(u) => lo.wrapping_add(u as i64),
                None => g.i64_in(lo, hi),
            };
            Value::Number(v.into())
        }
        NodeGen::Float { lo, hi } => {
            let (lo, hi) = limited_float(node, siblings, *lo, *hi);
            Number::from_f64(g.f64_in(lo, hi)).map(Value::Number).unwrap_or(Value::Null)
        }
        NodeGen::Decimal { lo, hi, scale, .. } => {
            let (lo, hi) = limited_units(node, siblings, *lo, *hi, *scale as u32);
            let units = match unique {
                Some(u) => lo.wrapping_add(u as i64),
                None => g.i64_in(lo, hi),
            };
            decimal::to_value(units as i128, *scale as u32)
        }
        NodeGen::Bool { p } => Value::Bool(g.chance(*p)),
        NodeGen::Date { lo, hi } => {
            let (lo, hi) = related(node, siblings, *lo * DAY, *hi * DAY);
            let (lo, hi) = (ceil_day(lo), hi.div_euclid(DAY));
            let d = match unique {
                Some(u) => lo + u as i64,
                None => g.i64_in(lo, hi.max(lo)),
            };
            Value::String(time::format_date(d))
        }
        NodeGen::Datetime { lo, hi } => {
            let (lo, hi) = related(node, siblings, *lo, *hi);
            let t = match unique {
                Some(u) => lo + u as i64,
                None => g.i64_in(lo, hi.max(lo)),
            };
            Value::String(time::format_datetime(t))
        }
        NodeGen::Choice { values, cum } => match unique {
            Some(u) => values[u as usize].clone(),
            None => values[g.weighted(cum)].clone(),
        },
        NodeGen::Object(p) => Value::Array(object(p, nkey, env, false)?),
        NodeGen::Array { item, min, max } => array(item, (*min, *max), nkey, &mut g, plan, env)?,
        NodeGen::Compute { rule, scale, integer, lo, hi, strict } => match compute(rule, siblings, plan) {
            // What `computed` gives, held to the field's bounds unless rules may break.
            Some((m, s)) => {
                let target = if *integer { 0 } else { *scale as u32 };
                let units = decimal::rescale(m, s, target);
                if *strict {
                    within_bounds(node, units, (*lo, *hi), target, env.index)?;
                }
                decimal::to_value(units, target)
            }
            None => computed(rule, *scale, *integer, siblings, plan),
        },
        NodeGen::Json => Value::Object(Map::new()),
        NodeGen::Ref { schema, field, count } => {
            // Every reference of a record to the same entity points at the same record of it.
            let j = scope.key.child(schema.key()).child(REF).stream().below(*count);
            schema.field_value(env.seed, j, field)?
        }
    })
}

/// A string of a kind: in the field's own locale when it has one, made unique by `unique`,
/// fitted to the length bounds.
fn kind_text(
    kind: Kind,
    fit: Option<(usize, usize)>,
    locale: Option<Locale>,
    scope: &Scope<'_>,
    g: &mut Gen,
    unique: Option<u64>,
) -> String {
    // The object's scope, shared by its fields, unless this field has its own locale.
    let (local_ctx, local_scope);
    let scope = match locale {
        Some(l) if l != scope.ctx.locale() => {
            local_ctx = scope.ctx.clone().with_locale(l);
            local_scope = Scope::new(scope.key, &local_ctx);
            &local_scope
        }
        _ => scope,
    };
    let mut s = match unique {
        Some(u) if kind == Kind::Uuid => unique_uuid(g, u),
        _ => kind.generate(g, scope),
    };
    if let Some(u) = unique
        && kind != Kind::Uuid
    {
        tag_unique(&mut s, u, if kind == Kind::Username { '_' } else { '+' });
    }
    if let Some((lo, hi)) = fit {
        fit_len(&mut s, lo, hi, g);
    }
    s
}

/// An array of `min..=max` elements, element `i` keyed by `nkey.child(i)`.
fn array(
    item: &Node,
    (min, max): (usize, usize),
    nkey: Key,
    g: &mut Gen,
    plan: &ObjectPlan,
    env: &RecordEnv<'_>,
) -> Result<Value, GenerateError> {
    let n = g.u64_in(min as u64, max as u64);
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n {
        let ekey = nkey.child(i);
        let v = match &item.how {
            NodeGen::Object(p) => Value::Array(object(p, ekey, env, false)?),
            _ => {
                if item.optional > 0.0 && ekey.child(OPTIONAL).stream().chance(item.optional) {
                    Value::Null
                } else {
                    value(item, ekey, &Scope::new(ekey, env.ctx), plan, &[], env, None)?
                }
            }
        };
        out.push(v);
    }
    Ok(Value::Array(out))
}

/// The value of a computed field from its siblings' values (`siblings` in plan order).
pub(crate) fn computed<S: Borrow<Value>>(
    rule: &CompiledCompute,
    scale: u8,
    integer: bool,
    siblings: &[S],
    plan: &ObjectPlan,
) -> Value {
    match compute(rule, siblings, plan) {
        Some((m, s)) => {
            let target = if integer { 0 } else { scale as u32 };
            decimal::to_value(decimal::rescale(m, s, target), target)
        }
        None => match rule {
            CompiledCompute::Copy(o) => siblings[*o].borrow().clone(),
            CompiledCompute::Bucket { of, thresholds, values } => {
                bucket(siblings[*of].borrow(), thresholds, values)
            }
            _ => Value::Null,
        },
    }
}

/// Refuses a computed value (`units` at scale `target`) outside its field's bounds.
fn within_bounds(
    node: &Node,
    units: i128,
    (lo, hi): (Option<i128>, Option<i128>),
    target: u32,
    index: u64,
) -> Result<(), GenerateError> {
    let broken = match (lo, hi) {
        (Some(lo), _) if units < lo => Some(("min", lo)),
        (_, Some(hi)) if units > hi => Some(("max", hi)),
        _ => None,
    };
    match broken {
        Some((bound, limit)) => Err(GenerateError::ComputedOutOfBounds {
            path: node.path.clone(),
            value: decimal::to_value(units, target).to_string(),
            bound,
            limit: decimal::to_value(limit, target).to_string(),
            index,
        }),
        None => Ok(()),
    }
}

/// The bounds of a date/timestamp after applying its `after`/`before` sibling.
pub(crate) fn related(node: &Node, siblings: &[Value], lo: i64, hi: i64) -> (i64, i64) {
    let Some(rel) = &node.rel else { return (lo, hi) };
    let Some(other) = siblings.get(rel.other).and_then(Value::as_str).and_then(time::parse_datetime) else {
        return (lo, hi);
    };
    let (a, b) = if rel.after {
        (lo.max(other), hi.min(other.saturating_add(rel.gap)))
    } else {
        (lo.max(other.saturating_sub(rel.gap)), hi.min(other))
    };
    if a <= b { (a, b) } else { (other, other) }
}

/// Evaluates a computed rule exactly: (mantissa, scale).
pub(crate) fn compute<S: Borrow<Value>>(
    rule: &CompiledCompute,
    siblings: &[S],
    _plan: &ObjectPlan,
) -> Option<(i128, u32)> {
    let num = |i: usize| decimal::from_value(siblings[i].borrow()).unwrap_or((0, 0));
    let add = |(a, sa): (i128, u32), (b, sb): (i128, u32)| {
        let s = sa.max(sb);
        (decimal::rescale(a, sa, s) + decimal::rescale(b, sb, s), s)
    };
    let mul = |(a, sa): (i128, u32), (b, sb): (i128, u32)| (a.saturating_mul(b), sa + sb);
    Some(match rule {
        CompiledCompute::SumProduct { array, members, positions } => {
            let mut acc = (0i128, 0u32);
            if let Some(items) = siblings[*array].borrow().as_array() {
                for item in items {
                    let mut p = (1i128, 0u32);
                    for (m, &at) in members.iter().zip(positions) {
                        // Items are positional while generating, maps when validating.
                        let member = match item {
                            Value::Array(slots) => slots.get(at),
                            item => item.get(m),
                        };
                        let v = member.and_then(decimal::from_value).unwrap_or((0, 0));
                        p = mul(p, v);
                    }
                    acc = add(acc, p);
                }
            }
            acc
        }
        CompiledCompute::Percent { of, rate_mantissa, rate_scale } => {
            let (m, s) = mul(num(*of), (*rate_mantissa, *rate_scale));
            (m, s + 2)
        }
        CompiledCompute::Sum(v) => v.iter().fold((0, 0), |acc, &i| add(acc, num(i))),
        CompiledCompute::Difference(v) => {
            let mut acc = num(v[0]);
            for &i in &v[1..] {
                let (m, s) = num(i);
                acc = add(acc, (-m, s));
            }
            acc
        }
        CompiledCompute::Product(v) => v.iter().fold((1, 0), |acc, &i| mul(acc, num(i))),
        CompiledCompute::Copy(_) | CompiledCompute::Bucket { .. } => return None,
    })
}

/// The label of the bucket `of` falls in (a value equal to a threshold goes up).
pub(crate) fn bucket(of: &Value, thresholds: &[(i128, u32)], values: &[Value]) -> Value {
    let Some((m, s)) = decimal::from_value(of) else { return Value::Null };
    let above = thresholds
        .iter()
        .take_while(|&&(tm, ts)| {
            let sc = s.max(ts);
            decimal::rescale(m, s, sc) >= decimal::rescale(tm, ts, sc)
        })
        .count();
    values.get(above).cloned().unwrap_or(Value::Null)
}

/// The sibling a number is limited by (`at_most` / `at_least`), if it has a value.
fn limit_of<'a>(node: &Node, siblings: &'a [Value]) -> Option<(&'a Value, bool)> {
    let Limit { other, at_most } = node.limit?;
    let v = siblings.get(other)?;
    (!v.is_null()).then_some((v, at_most))
}

/// How a limit from a sibling rounds so that it still holds: down for a maximum, up for a
/// minimum.
fn inward(at_most: bool) -> decimal::Round {
    if at_most { decimal::Round::Floor } else { decimal::Round::Ceil }
}

fn limited_int(node: &Node, siblings: &[Value], lo: i64, hi: i64) -> (i64, i64) {
    let Some((v, at_most)) = limit_of(node, siblings) else { return (lo, hi) };
    let Some((m, s)) = decimal::from_value(v) else { return (lo, hi) };
    // A decimal limit rounds inward: at most 7.5 means at most 7.
    let x = decimal::rescale_dir(m, s, 0, inward(at_most)).clamp(i64::MIN as i128, i64::MAX as i128) as i64;
    if at_most { (lo, hi.min(x).max(lo)) } else { (lo.max(x).min(hi), hi) }
}

fn limited_float(node: &Node, siblings: &[Value], lo: f64, hi: f64) -> (f64, f64) {
    match limit_of(node, siblings).and_then(|(v, m)| Some((v.as_f64()?, m))) {
        Some((x, true)) => (lo, hi.min(x).max(lo)),
        Some((x, false)) => (lo.max(x).min(hi), hi),
        None => (lo, hi),
    }
}

fn limited_units(node: &Node, siblings: &[Value], lo: i64, hi: i64, scale: u32) -> (i64, i64) {
    let Some((v, at_most)) = limit_of(node, siblings) else { return (lo, hi) };
    let Some((m, s)) = decimal::from_value(v) else { return (lo, hi) };
    // Round inward so the limit holds exactly.
    let x =
        decimal::rescale_dir(m, s, scale, inward(at_most)).clamp(i64::MIN as i128, i64::MAX as i128) as i64;
    if at_most { (lo, hi.min(x).max(lo)) } else { (lo.max(x).min(hi), hi) }
}

/// A sibling's value as text, for `{field}` references in templates.
pub(crate) fn sibling_text<S: Borrow<Value>>(
    plan: &ObjectPlan,
    siblings: &[S],
    name: &str,
) -> Option<String> {
    let i = plan.fields.iter().position(|n| n.name == name)?;
    match siblings.get(i)?.borrow() {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        // Objects are positional while generating: written in their public form either way.
        v => {
            let mut out = Vec::new();
            write_value(&plan.fields[i], plan, v, &mut out).ok()?;
            String::from_utf8(out).ok()
        }
    }
}

fn unique_uuid(g: &mut Gen, u: u64) -> String {
    let (hi, lo) = crate::sample::unique_uuid_bits(g, u);
    uuid_string(hi, lo)
}

/// Makes a kind's value unique with a numeric tag after `sep` (before the `@` of an email).
fn tag_unique(s: &mut String, u: u64, sep: char) {
    crate::sample::tag_unique(s, u, sep)
}

#[cfg(test)]
mod tests {
    use super::needs_escape;

    #[test]
    fn needs_escape_finds_every_escaped_byte_at_every_position() {
        for len in 1..20 {
            for at in 0..len {
                for b in 0u8..=255 {
                    let mut s = vec![b'a'; len];
                    s[at] = b;
                    let want = b < 0x20 || b == b'"' || b == b'\\';
                    // Non-ASCII bytes alone are not UTF-8, but the check is on bytes.
                    assert_eq!(needs_escape(&s), want, "byte {b:#x} at {at} of {len}");
                }
            }
        }
        assert!(!needs_escape("Zoë “quoted” 東京 🚀".as_bytes()));
    }
}
