//! From the written schema ([`SchemaDef`]) to the generation plan ([`Node`]s): defaults
//! inferred from names, every contradiction reported with the field path, and everything a
//! record needs precomputed so that generation does no parsing.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use super::Schema;
use super::def::{Compute, FieldDef, FieldType, Reference, SchemaDef};
use crate::constraint::pattern::Pattern;
use crate::constraint::template::Template;
use crate::error::SchemaError;
use crate::kinds::Kind;
use crate::seed::name_key;
use crate::time::{self, DAY};
use crate::{Context, Locale};
use testdata_core::decimal::Round;
use testdata_core::defaults;

/// A compiled field.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub name: String,
    /// `"name":` as JSON (the name escaped), written before the value by `write_json`.
    pub json_key: Box<[u8]>,
    pub key: u64,
    pub path: String,
    pub optional: f64,
    pub unique: Option<u64>,
    pub how: NodeGen,
    /// For dates and timestamps: the sibling this one follows or precedes.
    pub rel: Option<Rel>,
    /// Present exactly when sibling `.0` has one of the values `.1`.
    pub present_if: Option<(usize, Vec<Value>)>,
    /// For numbers: the sibling this one is at most or at least.
    pub limit: Option<Limit>,
}

/// A number bounded by a sibling number (`at_most` / `at_least`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limit {
    /// The sibling's position.
    pub other: usize,
    /// At most the sibling (`true`), or at least it (`false`).
    pub at_most: bool,
}

/// `after` / `before` a sibling.
#[derive(Clone, Debug)]
pub(crate) struct Rel {
    pub other: usize,
    pub other_name: String,
    pub after: bool,
    pub gap: i64,
}

/// How a field's value is produced.
#[derive(Clone, Debug)]
pub(crate) enum NodeGen {
    Const(Value),
    Kind {
        kind: Kind,
        fit: Option<(usize, usize)>,
        locale: Option<Locale>,
    },
    Pattern(Box<Pattern>),
    Template(Template),
    Text {
        min: usize,
        max: usize,
        sentence: bool,
    },
    Int {
        lo: i64,
        hi: i64,
    },
    Float {
        lo: f64,
        hi: f64,
    },
    Decimal {
        lo: i64,
        hi: i64,
        scale: u8,
        precision: Option<u8>,
    },
    Bool {
        p: f64,
    },
    Date {
        lo: i64,
        hi: i64,
    },
    Datetime {
        lo: i64,
        hi: i64,
    },
    Choice {
        values: Vec<Value>,
        cum: Vec<u64>,
    },
    Object(ObjectPlan),
    Array {
        item: Box<Node>,
        min: usize,
        max: usize,
    },
    Compute {
        rule: CompiledCompute,
        scale: u8,
        integer: bool,
        lo: Option<i128>,
        hi: Option<i128>,
        /// A generated value outside `lo..=hi` is a `GenerateError` (`false` in schemas whose
        /// fixed values break rules on purpose: scenario overrides).
        strict: bool,
    },
    Json,
    /// A field of record `j < count` of another entity.
    Ref {
        schema: Arc<Schema>,
        field: String,
        count: u64,
    },
}

/// The members of an object and the order in which to produce them (dependencies first).
#[derive(Clone, Debug)]
pub(crate) struct ObjectPlan {
    pub fields: Vec<Node>,
    pub order: Vec<usize>,
    /// Per field, the siblings it waits for (what `order` sorts by).
    pub deps: Vec<Vec<usize>>,
}

/// A computed rule with sibling names resolved to indexes.
#[derive(Clone, Debug)]
pub(crate) enum CompiledCompute {
    /// `positions`: the members' indexes in the array items' plan.
    SumProduct {
        array: usize,
        members: Vec<String>,
        positions: Vec<usize>,
    },
    Percent {
        of: usize,
        rate_mantissa: i128,
        rate_scale: u32,
    },
    Sum(Vec<usize>),
    Difference(Vec<usize>),
    Product(Vec<usize>),
    Copy(usize),
    Bucket {
        of: usize,
        thresholds: Vec<(i128, u32)>,
        values: Vec<Value>,
    },
}

/// Finds an already loaded schema by name (for `ref`).
pub(crate) type Resolver<'a> = &'a dyn Fn(&str) -> Option<Arc<Schema>>;

struct CompileContext<'a> {
    schema: &'a str,
    ctx: &'a Context,
    locale: Option<Locale>,
    resolve: Resolver<'a>,
    /// Fixed values may break rules on purpose (scenario overrides): computed fields are not
    /// checked against their bounds, neither here nor when generated.
    rules_may_break: bool,
}

impl CompileContext<'_> {
    fn err(&self, path: &str, rule: &'static str, message: impl Into<String>) -> SchemaError {
        SchemaError::Field {
            schema: self.schema.to_string(),
            path: path.to_string(),
            rule,
            message: message.into(),
        }
    }
}

/// Compiles a whole schema. With `rules_may_break` (scenario overrides), computed fields are
/// not checked against their `min`/`max` (see [`super::bounds`]).
pub(crate) fn compile(
    def: &SchemaDef,
    ctx: &Context,
    resolve: Resolver<'_>,
    rules_may_break: bool,
) -> Result<ObjectPlan, SchemaError> {
    if def.name.trim().is_empty() {
        return Err(SchemaError::Schema {
            schema: def.name.clone(),
            message: "the schema needs a `name`".into(),
        });
    }
    let locale = match &def.locale {
        Some(tag) => Some(Locale::from_tag(tag).ok_or_else(|| SchemaError::Schema {
            schema: def.name.clone(),
            message: format!("unknown locale `{tag}`; use one of en, fr_FR, de_DE, pt_BR, ja_JP"),
        })?),
        None => None,
    };
    let cx = CompileContext { schema: &def.name, ctx, locale, resolve, rules_may_break };
    if def.fields.is_empty() {
        return Err(SchemaError::Schema {
            schema: def.name.clone(),
            message: "the schema has no fields".into(),
        });
    }
    compile_object(&cx, &def.fields, "", true)
}

/// The members of one object, with their positions by name.
struct Siblings<'a> {
    defs: &'a [FieldDef],
    index: HashMap<&'a str, usize>,
}

impl Siblings<'_> {
    /// The position of the member named `name`.
    fn find(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }
}

impl std::ops::Deref for Siblings<'_> {
    type Target = [FieldDef];

    fn deref(&self) -> &[FieldDef] {
        self.defs
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") }
}

fn compile_object(
    cx: &CompileContext<'_>,
    defs: &[FieldDef],
    prefix: &str,
    top: bool,
) -> Result<ObjectPlan, SchemaError> {
    let mut fields = Vec::with_capacity(defs.len());
    // Name → position, built once: lookups by name stay O(1) so compiling is linear in the
    // number of fields (a scan per field made 100,000 fields take minutes).
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(defs.len());
    for (i, d) in defs.iter().enumerate() {
        let path = join(prefix, &d.name);
        if d.name.trim().is_empty() {
            return Err(cx.err(
                &join(prefix, &format!("#{i}")),
                "name",
                "every field needs a non-empty `name`",
            ));
        }
        if index.insert(d.name.as_str(), i).is_some() {
            return Err(cx.err(
                &path,
                "name",
                "the name is used twice in the same object; names must be unique",
            ));
        }
        fields.push(compile_field(cx, d, &path, top)?);
    }
    let defs = &Siblings { defs, index };
    // Resolve sibling references now that every member is known.
    for (i, d) in defs.iter().enumerate() {
        let path = join(prefix, &d.name);
        resolve_refs(cx, d, &path, i, &mut fields, defs)?;
    }
    let order = topo_order(cx, prefix, &fields, defs)?;
    collapse_copies(&mut fields, &order);
    if !cx.rules_may_break
        && let Err(refusal) = super::bounds::check(&fields, &order)
    {
        return Err(cx.err(&fields[refusal.field].path, refusal.rule, refusal.message));
    }
    let deps = fields.iter().map(|f| deps(f, defs)).collect();
    Ok(ObjectPlan { fields, order, deps })
}

fn sibling(
    cx: &CompileContext<'_>,
    defs: &Siblings<'_>,
    path: &str,
    rule: &'static str,
    name: &str,
) -> Result<usize, SchemaError> {
    defs.find(name).ok_or_else(|| {
        let known: Vec<&str> = defs.iter().map(|d| d.name.as_str()).collect();
        cx.err(
            path,
            rule,
            format!(
                "refers to `{name}`, which is not a field of the same object (fields: {})",
                known.join(", ")
            ),
        )
    })
}

/// Resolves the rules of field `me` that name its siblings: date order, `present_if`,
/// `at_most`/`at_least`, computed values and template references.
fn resolve_refs(
    cx: &CompileContext<'_>,
    d: &FieldDef,
    path: &str,
    me: usize,
    fields: &mut [Node],
    defs: &Siblings<'_>,
) -> Result<(), SchemaError> {
    for (name, after) in [(&d.after, true), (&d.before, false)] {
        if let Some(other) = name {
            resolve_time_order(cx, d, path, (me, fields), defs, other, after)?;
        }
    }
    if let Some(cond) = &d.present_if {
        resolve_present_if(cx, path, (me, fields), defs, cond)?;
    }
    for (name, at_most) in [(&d.at_most, true), (&d.at_least, false)] {
        if let Some(other) = name {
            resolve_limit(cx, path, (me, fields), defs, other, at_most)?;
        }
    }
    if let Some(c) = &d.compute {
        let rule = resolve_compute(cx, path, fields, defs, c)?;
        if let NodeGen::Compute { rule: r, .. } = &mut fields[me].how {
            *r = rule;
        }
    }
    if let NodeGen::Template(t) = &fields[me].how {
        for r in t.field_refs() {
            let o = sibling(cx, defs, path, "format", r)?;
            if o == me {
                return Err(cx.err(path, "format", "a template cannot refer to its own field"));
            }
        }
    }
    Ok(())
}

/// `after`/`before` a sibling date: checks explicit bounds against it, or makes the range
/// follow it.
fn resolve_time_order(
    cx: &CompileContext<'_>,
    d: &FieldDef,
    path: &str,
    (me, fields): (usize, &mut [Node]),
    defs: &Siblings<'_>,
    other: &String,
    after: bool,
) -> Result<(), SchemaError> {
    let o = sibling(cx, defs, path, if after { "after" } else { "before" }, other)?;
    if o == me {
        return Err(cx.err(path, "after", "a field cannot be ordered relative to itself"));
    }
    let (lo, hi) = match &fields[me].how {
        NodeGen::Date { lo, hi } => (lo * DAY, hi * DAY),
        NodeGen::Datetime { lo, hi } => (*lo, *hi),
        _ => return Err(cx.err(path, "after", "`after`/`before` apply to date and datetime fields")),
    };
    let (olo, ohi) = match &fields[o].how {
        NodeGen::Date { lo, hi } => (lo * DAY, hi * DAY),
        NodeGen::Datetime { lo, hi } => (*lo, *hi),
        _ => return Err(cx.err(path, "after", format!("`{other}` is not a date or datetime field"))),
    };
    let gap = match &d.max_gap {
        Some(v) => parse_duration(v).ok_or_else(|| {
            cx.err(path, "max_gap", "use seconds or a duration such as `30d`, `12h`, `90m`, `2w`")
        })?,
        None => 30 * DAY,
    };
    if gap < 0 {
        return Err(cx.err(path, "max_gap", "the gap must not be negative"));
    }
    let explicit =
        d.min.is_some() || d.max.is_some() || d.exclusive_min.is_some() || d.exclusive_max.is_some();
    if explicit {
        // The value lies in [max(other, lo), min(other + gap, hi)] (after), which is never
        // empty when the other field's range sits inside ours (give or take the gap).
        let ok = if after { ohi <= hi && lo <= olo + gap } else { olo >= lo && hi >= ohi - gap };
        if !ok {
            return Err(cx.err(
                path,
                if after { "after" } else { "before" },
                format!(
                    "its range {}..{} cannot be {} every value of `{other}` ({}..{}) within {}s; widen the range or the gap",
                    time::format_datetime(lo),
                    time::format_datetime(hi),
                    if after { "after" } else { "before" },
                    time::format_datetime(olo),
                    time::format_datetime(ohi),
                    gap
                ),
            ));
        }
    } else {
        // Without explicit bounds the range follows the other field.
        // Never later than "now" unless the other field already is.
        let now = cx.ctx.anchor().max(ohi);
        let (nlo, nhi) =
            if after { (olo, ohi.saturating_add(gap).min(now)) } else { (olo.saturating_sub(gap), ohi) };
        match &mut fields[me].how {
            NodeGen::Date { lo, hi } => {
                *lo = nlo.div_euclid(DAY);
                *hi = nhi.div_euclid(DAY);
            }
            NodeGen::Datetime { lo, hi } => {
                *lo = nlo;
                *hi = nhi;
            }
            _ => {}
        }
    }
    fields[me].rel = Some(Rel { other: o, other_name: other.clone(), after, gap });
    Ok(())
}

/// `present_if`: the field is set only when a sibling holds one of the values.
fn resolve_present_if(
    cx: &CompileContext<'_>,
    path: &str,
    (me, fields): (usize, &mut [Node]),
    defs: &Siblings<'_>,
    cond: &super::def::Condition,
) -> Result<(), SchemaError> {
    let o = sibling(cx, defs, path, "present_if", &cond.field)?;
    if o == me {
        return Err(cx.err(path, "present_if", "a field cannot depend on itself"));
    }
    if cond.values.is_empty() {
        return Err(cx.err(path, "present_if", "list at least one value in `in`"));
    }
    fields[me].present_if = Some((o, cond.values.clone()));
    Ok(())
}

/// `at_most`/`at_least` a sibling number, whose ranges must leave room.
fn resolve_limit(
    cx: &CompileContext<'_>,
    path: &str,
    (me, fields): (usize, &mut [Node]),
    defs: &Siblings<'_>,
    other: &String,
    at_most: bool,
) -> Result<(), SchemaError> {
    let rule = if at_most { "at_most" } else { "at_least" };
    let o = sibling(cx, defs, path, rule, other)?;
    let ranged =
        matches!(fields[me].how, NodeGen::Int { .. } | NodeGen::Float { .. } | NodeGen::Decimal { .. });
    if o == me || !ranged || !is_numeric(&fields[o].how) {
        return Err(cx.err(
            path,
            rule,
            format!("`{rule}` relates two different number fields; `{other}` is not one"),
        ));
    }
    if let (Some((lo, hi)), Some((olo, ohi))) = (num_range(&fields[me].how), num_range(&fields[o].how)) {
        let ok = if at_most { olo >= lo } else { ohi <= hi };
        if !ok {
            return Err(cx.err(
                path,
                rule,
                format!(
                    "its range {lo}..={hi} leaves no room {} every value of `{other}` ({olo}..={ohi}); \
                     adjust one of the ranges",
                    if at_most { "below" } else { "above" }
                ),
            ));
        }
    }
    fields[me].limit = Some(Limit { other: o, at_most });
    Ok(())
}

/// The compiled rule of a computed field, its operands resolved to sibling positions.
fn resolve_compute(
    cx: &CompileContext<'_>,
    path: &str,
    fields: &[Node],
    defs: &Siblings<'_>,
    c: &Compute,
) -> Result<CompiledCompute, SchemaError> {
    Ok(match c {
        Compute::SumProduct { array, fields: members } => {
            let a = sibling(cx, defs, path, "compute", array)?;
            let NodeGen::Array { item, .. } = &fields[a].how else {
                return Err(cx.err(
                    path,
                    "compute",
                    format!("sum_product needs `{array}` to be an array of objects"),
                ));
            };
            let NodeGen::Object(plan) = &item.how else {
                return Err(cx.err(
                    path,
                    "compute",
                    format!("sum_product needs `{array}` to be an array of objects"),
                ));
            };
            let mut positions = Vec::with_capacity(members.len());
            for m in members {
                let Some(at) = plan.fields.iter().position(|n| &n.name == m) else {
                    return Err(cx.err(path, "compute", format!("`{array}` elements have no member `{m}`")));
                };
                if !is_numeric(&plan.fields[at].how) {
                    return Err(cx.err(path, "compute", format!("`{array}[].{m}` is not a number")));
                }
                positions.push(at);
            }
            if members.is_empty() {
                return Err(cx.err(path, "compute", "sum_product needs at least one member in `fields`"));
            }
            CompiledCompute::SumProduct { array: a, members: members.clone(), positions }
        }
        Compute::Percent { of, rate } => {
            let o = numeric_sibling(cx, defs, fields, path, of)?;
            let (m, s) = crate::schema::decimal::from_f64(*rate)
                .ok_or_else(|| cx.err(path, "compute", "the percentage `rate` must be a finite number"))?;
            CompiledCompute::Percent { of: o, rate_mantissa: m, rate_scale: s }
        }
        Compute::Sum(names) | Compute::Difference(names) | Compute::Product(names) => {
            if names.is_empty() {
                return Err(cx.err(path, "compute", "name at least one field"));
            }
            let idx = names
                .iter()
                .map(|n| numeric_sibling(cx, defs, fields, path, n))
                .collect::<Result<Vec<_>, _>>()?;
            match c {
                Compute::Sum(_) => CompiledCompute::Sum(idx),
                Compute::Difference(_) => CompiledCompute::Difference(idx),
                _ => CompiledCompute::Product(idx),
            }
        }
        Compute::Copy(name) => CompiledCompute::Copy(sibling(cx, defs, path, "compute", name)?),
        Compute::Bucket { of, thresholds, values } => {
            let o = numeric_sibling(cx, defs, fields, path, of)?;
            if values.len() != thresholds.len() + 1 {
                return Err(cx.err(
                    path,
                    "compute",
                    format!(
                        "bucket needs one more value than thresholds ({} thresholds, {} values)",
                        thresholds.len(),
                        values.len()
                    ),
                ));
            }
            let t = thresholds
                .iter()
                .map(|&x| crate::schema::decimal::from_f64(x))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| cx.err(path, "compute", "bucket thresholds must be finite numbers"))?;
            if thresholds.windows(2).any(|w| w[0] >= w[1]) {
                return Err(cx.err(path, "compute", "bucket thresholds must be strictly ascending"));
            }
            CompiledCompute::Bucket { of: o, thresholds: t, values: values.clone() }
        }
    })
}

/// The numeric range of a generated number field (for load-time checks only).
fn num_range(g: &NodeGen) -> Option<(f64, f64)> {
    match g {
        NodeGen::Int { lo, hi } => Some((*lo as f64, *hi as f64)),
        NodeGen::Float { lo, hi } => Some((*lo, *hi)),
        NodeGen::Decimal { lo, hi, scale, .. } => {
            let f = 10f64.powi(*scale as i32);
            Some((*lo as f64 / f, *hi as f64 / f))
        }
        _ => None,
    }
}

fn is_numeric(g: &NodeGen) -> bool {
    matches!(g, NodeGen::Int { .. } | NodeGen::Float { .. } | NodeGen::Decimal { .. })
        || matches!(g, NodeGen::Compute { rule, .. } if !matches!(rule, CompiledCompute::Bucket { .. }))
        || matches!(g, NodeGen::Const(v) if v.is_number())
        || matches!(g, NodeGen::Choice { values, .. } if values.iter().all(Value::is_number))
}

fn numeric_sibling(
    cx: &CompileContext<'_>,
    defs: &Siblings<'_>,
    fields: &[Node],
    path: &str,
    name: &str,
) -> Result<usize, SchemaError> {
    let i = sibling(cx, defs, path, "compute", name)?;
    if !is_numeric(&fields[i].how) {
        return Err(cx.err(path, "compute", format!("`{name}` is not a number field")));
    }
    Ok(i)
}

/// The fields each field waits for.
fn deps(n: &Node, defs: &Siblings<'_>) -> Vec<usize> {
    let mut out = Vec::new();
    if let Some(r) = &n.rel {
        out.push(r.other);
    }
    if let Some((o, _)) = &n.present_if {
        out.push(*o);
    }
    if let Some(Limit { other: o, .. }) = &n.limit {
        out.push(*o);
    }
    match &n.how {
        NodeGen::Compute { rule, .. } => match rule {
            CompiledCompute::SumProduct { array, .. } => out.push(*array),
            CompiledCompute::Percent { of, .. } => out.push(*of),
            CompiledCompute::Sum(v) | CompiledCompute::Difference(v) | CompiledCompute::Product(v) => {
                out.extend(v)
            }
            CompiledCompute::Copy(o) => out.push(*o),
            CompiledCompute::Bucket { of, .. } => out.push(*of),
        },
        NodeGen::Template(t) => {
            for r in t.field_refs() {
                if let Some(i) = defs.find(r) {
                    out.push(i);
                }
            }
        }
        _ => {}
    }
    out
}

/// Points every copy of a copy at the original (the same value, so the output is unchanged):
/// reading a copied value then costs one step however long a chain of copies is. `order` is
/// the dependency order, so a field's source is collapsed before the field.
fn collapse_copies(fields: &mut [Node], order: &[usize]) {
    for &i in order {
        if let NodeGen::Compute { rule: CompiledCompute::Copy(o), .. } = fields[i].how
            && let NodeGen::Compute { rule: CompiledCompute::Copy(root), .. } = fields[o].how
            && let NodeGen::Compute { rule: CompiledCompute::Copy(src), .. } = &mut fields[i].how
        {
            *src = root;
        }
    }
}

/// The load error of fields that depend on each other in a cycle (`names`: the cycle, its
/// first field repeated at the end).
fn cycle_error(cx: &CompileContext<'_>, prefix: &str, names: &[&str]) -> SchemaError {
    SchemaError::Schema {
        schema: cx.schema.to_string(),
        message: format!(
            "fields {}depend on each other in a cycle: {}; break the cycle",
            if prefix.is_empty() { String::new() } else { format!("of `{prefix}` ") },
            names.join(" → ")
        ),
    }
}

fn topo_order(
    cx: &CompileContext<'_>,
    prefix: &str,
    fields: &[Node],
    defs: &Siblings<'_>,
) -> Result<Vec<usize>, SchemaError> {
    // Depth-first, with an explicit stack (a chain of 100,000 `copy` fields must not overflow
    // the thread's stack). 0 = unvisited, 1 = in progress, 2 = done.
    let mut state = vec![0u8; fields.len()];
    let mut order = Vec::with_capacity(fields.len());
    for root in 0..fields.len() {
        if state[root] != 0 {
            continue;
        }
        // Each frame: a field and its dependencies still to visit.
        let mut stack: Vec<(usize, std::vec::IntoIter<usize>)> =
            vec![(root, deps(&fields[root], defs).into_iter())];
        state[root] = 1;
        while let Some((i, pending)) = stack.last_mut() {
            let i = *i;
            match pending.next() {
                Some(d) if state[d] == 1 => {
                    let start = stack.iter().position(|(s, _)| *s == d).unwrap_or(0);
                    let mut names: Vec<&str> =
                        stack[start..].iter().map(|(c, _)| fields[*c].name.as_str()).collect();
                    names.push(fields[d].name.as_str());
                    return Err(cycle_error(cx, prefix, &names));
                }
                Some(d) if state[d] == 0 => {
                    state[d] = 1;
                    stack.push((d, deps(&fields[d], defs).into_iter()));
                }
                Some(_) => {}
                None => {
                    state[i] = 2;
                    order.push(i);
                    stack.pop();
                }
            }
        }
    }
    Ok(order)
}

fn compile_field(cx: &CompileContext<'_>, d: &FieldDef, path: &str, top: bool) -> Result<Node, SchemaError> {
    let ty = d.effective_type();
    if let Some(m) = super::keys::misplaced_key(d, ty) {
        return Err(cx.err(path, m.key, m.message));
    }
    let optional = optional_probability(cx, d, path)?;
    if d.weights.is_some() && d.values.is_none() {
        return Err(cx.err(path, "weights", "`weights` needs `values` (one_of) of the same length"));
    }
    let locale = match &d.locale {
        Some(tag) => Some(Locale::from_tag(tag).ok_or_else(|| {
            cx.err(
                path,
                "locale",
                format!("unknown locale `{tag}`; use {}", testdata_core::locale::known_tags()),
            )
        })?),
        None => cx.locale,
    };
    let how = if let Some(v) = &d.value {
        NodeGen::Const(v.clone())
    } else if let Some(r) = &d.reference {
        compile_ref(cx, r, path)?
    } else if let Some(compute) = &d.compute {
        compile_compute(cx, d, compute, path, ty)?
    } else if let Some(values) = &d.values {
        compile_choice(cx, d, path, values)?
    } else {
        compile_typed(cx, d, path, ty, locale)?
    };
    let unique = if d.unique {
        if !top {
            return Err(cx.err(path, "unique", "`unique` is supported on top-level fields only"));
        }
        Some(unique_space(cx, path, &how)?)
    } else {
        None
    };
    let mut json_key = serde_json::to_vec(&d.name).map_err(|e| cx.err(path, "name", e.to_string()))?;
    json_key.push(b':');
    Ok(Node {
        name: d.name.clone(),
        json_key: json_key.into_boxed_slice(),
        key: name_key(&d.name),
        path: path.to_string(),
        optional,
        unique,
        how,
        rel: None,
        present_if: None,
        limit: None,
    })
}

/// The probability of `null`: `optional`, or 0.1 for `required: false`, else 0.
fn optional_probability(cx: &CompileContext<'_>, d: &FieldDef, path: &str) -> Result<f64, SchemaError> {
    match (d.optional, d.required) {
        (Some(p), _) if !(0.0..=1.0).contains(&p) => {
            Err(cx.err(path, "optional", format!("probability {p} is outside 0..=1")))
        }
        (Some(p), _) => Ok(p),
        (None, Some(false)) => Ok(0.1),
        _ => Ok(0.0),
    }
}

/// A reference to a top-level field of another loaded entity, within its dataset size.
fn compile_ref(cx: &CompileContext<'_>, r: &Reference, path: &str) -> Result<NodeGen, SchemaError> {
    let Some(schema) = (cx.resolve)(&r.entity) else {
        return Err(cx.err(
            path,
            "ref",
            format!(
                "refers to entity `{}`, which is not loaded; load both schemas in one Catalogue",
                r.entity
            ),
        ));
    };
    if !schema.def().fields.iter().any(|f| f.name == r.field) {
        return Err(cx.err(
            path,
            "ref",
            format!("entity `{}` has no top-level field `{}`", r.entity, r.field),
        ));
    }
    if r.count == 0 {
        return Err(cx.err(path, "ref", "`count` (the referenced dataset's size) must be at least 1"));
    }
    if let Some(max) = schema.max_records()
        && r.count > max
    {
        return Err(cx.err(
            path,
            "ref",
            format!(
                "`{}` can have at most {max} records (a unique field), fewer than `count` {}",
                r.entity, r.count
            ),
        ));
    }
    Ok(NodeGen::Ref { schema, field: r.field.clone(), count: r.count })
}

/// A computed field: its number class and bounds (the rule itself is resolved with the
/// other fields, in `resolve_refs`).
fn compile_compute(
    cx: &CompileContext<'_>,
    d: &FieldDef,
    compute: &Compute,
    path: &str,
    ty: FieldType,
) -> Result<NodeGen, SchemaError> {
    if let Some(allowed) = &d.values {
        let Compute::Bucket { values, .. } = compute else {
            return Err(cx.err(
                path,
                "compute",
                "`values` cannot restrict a computed number; remove one of them",
            ));
        };
        if let Some(x) = values.iter().find(|v| !allowed.contains(v)) {
            return Err(cx.err(
                path,
                "compute",
                format!("the bucket label {x} is not one of the field's `values`"),
            ));
        }
    }
    let integer = ty == FieldType::Integer;
    if !matches!(ty, FieldType::Integer | FieldType::Float | FieldType::Decimal)
        && !matches!(compute, Compute::Copy(_) | Compute::Bucket { .. })
    {
        return Err(cx.err(path, "compute", "computed fields are integer, float or decimal (or use `copy`)"));
    }
    let scale = if integer { 0 } else { d.scale.unwrap_or(2) };
    let bound = |v: &Option<Value>, rule| -> Result<Option<i128>, SchemaError> {
        match v {
            None => Ok(None),
            Some(v) => crate::schema::decimal::from_value(v)
                .map(|(m, s)| Some(crate::schema::decimal::rescale(m, s, scale as u32)))
                .ok_or_else(|| cx.err(path, rule, "must be a number")),
        }
    };
    Ok(NodeGen::Compute {
        rule: CompiledCompute::Sum(Vec::new()),
        scale,
        integer,
        lo: bound(&d.min, "min")?,
        hi: bound(&d.max, "max")?,
        strict: !cx.rules_may_break,
    })
}

/// A field generated by its type: one rule per type.
fn compile_typed(
    cx: &CompileContext<'_>,
    d: &FieldDef,
    path: &str,
    ty: FieldType,
    locale: Option<Locale>,
) -> Result<NodeGen, SchemaError> {
    Ok(match ty {
        FieldType::String | FieldType::Uuid | FieldType::Email | FieldType::Phone => {
            compile_string(cx, d, path, ty, locale)?
        }
        FieldType::Integer => {
            let (lo, hi) = int_bounds(cx, d, path)?;
            NodeGen::Int { lo, hi }
        }
        FieldType::Float if d.scale.is_none() => {
            let (lo, hi) = float_bounds(cx, d, path)?;
            NodeGen::Float { lo, hi }
        }
        FieldType::Float | FieldType::Decimal => decimal_bounds(cx, d, path)?,
        FieldType::Boolean => {
            let p = d.probability.unwrap_or(0.5);
            if !(0.0..=1.0).contains(&p) {
                return Err(cx.err(path, "probability", format!("{p} is outside 0..=1")));
            }
            NodeGen::Bool { p }
        }
        FieldType::Date => {
            let (lo, hi) = time_bounds(cx, d, path, true)?;
            NodeGen::Date { lo, hi }
        }
        FieldType::Datetime => {
            let (lo, hi) = time_bounds(cx, d, path, false)?;
            NodeGen::Datetime { lo, hi }
        }
        FieldType::Enum => return Err(cx.err(path, "one_of", "an enum needs a non-empty `values` list")),
        FieldType::Object | FieldType::Address => {
            let members = match (&d.fields, ty) {
                (Some(f), _) => f.clone(),
                (None, FieldType::Address) => address_members(),
                (None, _) => return Err(cx.err(path, "fields", "an object needs `fields`")),
            };
            if members.is_empty() {
                return Err(cx.err(path, "fields", "an object needs at least one field"));
            }
            NodeGen::Object(compile_object(cx, &members, path, false)?)
        }
        FieldType::Array => compile_array(cx, d, path)?,
        FieldType::Json => NodeGen::Json,
    })
}

/// An array: its length bounds and its item (never `unique`).
fn compile_array(cx: &CompileContext<'_>, d: &FieldDef, path: &str) -> Result<NodeGen, SchemaError> {
    let Some(item) = &d.items else {
        return Err(cx.err(path, "items", "an array needs `items` describing its elements"));
    };
    let min = d.min_items.unwrap_or(1).max(usize::from(d.non_empty));
    let max = d.max_items.unwrap_or(min.max(5));
    if d.non_empty && d.max_items == Some(0) {
        return Err(cx.err(path, "non_empty", "non_empty contradicts max_items = 0"));
    }
    if min > max {
        return Err(cx.err(path, "length", format!("min_items {min} is greater than max_items {max}")));
    }
    if max > 10_000 {
        return Err(cx.err(path, "length", format!("max_items {max} is above the limit of 10000")));
    }
    let mut item_def = (**item).clone();
    if item_def.name.is_empty() {
        item_def.name = "item".into();
    }
    let mut node = compile_field(cx, &item_def, &format!("{path}[]"), false)?;
    // An element that is not an object has no sibling fields for `{name}` to refer to.
    if let NodeGen::Template(t) = &node.how
        && let Some(r) = t.field_refs().next()
    {
        return Err(cx.err(
            &format!("{path}[]"),
            "format",
            format!(
                "refers to the field `{r}`, but an array element has no sibling fields; \
                 make the elements objects, or use a placeholder such as `{{random:7}}`"
            ),
        ));
    }
    node.name = String::new();
    if node.unique.is_some() {
        return Err(cx.err(path, "unique", "`unique` is supported on top-level fields only"));
    }
    Ok(NodeGen::Array { item: Box::new(node), min, max })
}

fn unique_space(cx: &CompileContext<'_>, path: &str, how: &NodeGen) -> Result<u64, SchemaError> {
    let space = match how {
        NodeGen::Int { lo, hi } => (*hi as i128 - *lo as i128 + 1).min(u64::MAX as i128) as u64,
        NodeGen::Decimal { lo, hi, .. } => (*hi as i128 - *lo as i128 + 1).min(u64::MAX as i128) as u64,
        NodeGen::Choice { values, .. } => values.len() as u64,
        // A space beyond 2^64 is numbered within its first 2^64 values: still unique.
        NodeGen::Template(t) => t.space().unwrap_or(u64::MAX),
        NodeGen::Kind { kind, fit: None, .. } if kind.name() == "uuid" => u64::MAX,
        // Emails and usernames carry an 8-digit tag (`+NNNNNNNN`, `_NNNNNNNN`).
        NodeGen::Kind { kind, fit: None, .. }
            if matches!(kind.name(), "email" | "safe_email" | "username") =>
        {
            100_000_000
        }
        NodeGen::Date { lo, hi } => (hi - lo + 1) as u64,
        NodeGen::Datetime { lo, hi } => (hi - lo + 1) as u64,
        _ => {
            return Err(cx.err(
                path,
                "unique",
                "unique is supported for integer/decimal ranges, one_of values, format templates, dates, \
                 and the uuid, email, safe_email and username kinds",
            ));
        }
    };
    if space == 0 {
        return Err(cx.err(path, "unique", "the field has no possible values"));
    }
    Ok(space)
}

fn compile_choice(
    cx: &CompileContext<'_>,
    d: &FieldDef,
    path: &str,
    values: &[Value],
) -> Result<NodeGen, SchemaError> {
    if values.is_empty() {
        return Err(cx.err(path, "one_of", "the list of values is empty; give at least one value"));
    }
    if d.min.is_some() || d.max.is_some() || d.exclusive_min.is_some() || d.exclusive_max.is_some() {
        return Err(cx.err(
            path,
            "one_of",
            "give `values` or a range (`min`/`max`), not both; list only allowed values",
        ));
    }
    let weights: Vec<u64> = match &d.weights {
        Some(w) if w.len() != values.len() => {
            return Err(cx.err(
                path,
                "weights",
                format!("{} weights for {} values; give one weight per value", w.len(), values.len()),
            ));
        }
        Some(w) => w.iter().map(|&x| x as u64).collect(),
        None => vec![1; values.len()],
    };
    if weights.iter().all(|&w| w == 0) {
        return Err(cx.err(
            path,
            "weights",
            "all weights are 0; at least one value must have a positive weight",
        ));
    }
    let mut cum = Vec::with_capacity(weights.len());
    let mut acc = 0u64;
    for w in weights {
        acc += w;
        cum.push(acc);
    }
    Ok(NodeGen::Choice { values: values.to_vec(), cum })
}

fn compile_string(
    cx: &CompileContext<'_>,
    d: &FieldDef,
    path: &str,
    ty: FieldType,
    locale: Option<Locale>,
) -> Result<NodeGen, SchemaError> {
    let mut min = d.min_length;
    let max = d.max_length;
    if d.non_empty {
        min = Some(min.unwrap_or(1).max(1));
        if max == Some(0) {
            return Err(cx.err(path, "non_empty", "non_empty contradicts max_length = 0"));
        }
    }
    if let (Some(a), Some(b)) = (min, max)
        && a > b
    {
        return Err(cx.err(path, "length", format!("min_length {a} is greater than max_length {b}")));
    }
    let shapes = [d.pattern.is_some(), d.format.is_some(), d.kind.is_some()].iter().filter(|x| **x).count();
    if shapes > 1 {
        return Err(cx.err(path, "kind", "use only one of `kind`, `pattern` and `format` on a field"));
    }
    if let Some(p) = &d.pattern {
        let pat = Pattern::new(p, min, max).map_err(|e| cx.err(path, "pattern", e.to_string()))?;
        return Ok(NodeGen::Pattern(Box::new(pat)));
    }
    if let Some(f) = &d.format {
        let t = Template::parse(f).map_err(|e| cx.err(path, "format", e.to_string()))?;
        let (tlo, thi) = t.len_range();
        if let Some(b) = max
            && tlo > b
        {
            return Err(cx.err(
                path,
                "length",
                format!("format `{f}` renders at least {tlo} characters, above max_length {b}"),
            ));
        }
        if let (Some(a), Some(thi)) = (min, thi)
            && thi < a
        {
            return Err(cx.err(
                path,
                "length",
                format!("format `{f}` renders at most {thi} characters, below min_length {a}"),
            ));
        }
        return Ok(NodeGen::Template(t));
    }
    let kind = match (&d.kind, ty) {
        (Some(k), _) => Some(resolve_kind(cx, path, k)?),
        (None, FieldType::Uuid) => Kind::from_name("uuid"),
        (None, FieldType::Email) => Kind::from_name("email"),
        (None, FieldType::Phone) => Kind::from_name("phone"),
        (None, _) => Kind::infer(&d.name),
    };
    if let Some(kind) = kind {
        if defaults::numeric_preset(kind.name()).is_some() {
            return Err(cx.err(
                path,
                "kind",
                format!("kind `{}` is numeric; give the field type integer, float or decimal", kind.name()),
            ));
        }
        let (klo, khi) = kind.len_bounds();
        let lo = min.unwrap_or(0);
        if let Ok(fit) = crate::sample::kind_fit(kind, min, max) {
            return Ok(NodeGen::Kind { kind, fit, locale });
        }
        return Err(cx.err(
            path,
            "length",
            format!(
                "kind `{}` produces {}..{} characters, which cannot meet the length bounds {}..{}; \
                 widen the bounds or use a pattern",
                kind.name(),
                klo,
                khi.map(|k| k.to_string()).unwrap_or_else(|| "∞".into()),
                lo,
                max.map(|k| k.to_string()).unwrap_or_else(|| "∞".into())
            ),
        ));
    }
    let sentence = defaults::is_sentence(&d.name);
    let (lo, hi) = defaults::text_len(min, max, sentence);
    Ok(NodeGen::Text { min: lo, max: hi, sentence })
}

fn resolve_kind(cx: &CompileContext<'_>, path: &str, k: &str) -> Result<Kind, SchemaError> {
    Kind::from_name(k).ok_or_else(|| {
        let known: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        cx.err(path, "kind", format!("unknown kind `{k}`; known kinds: {}", known.join(", ")))
    })
}

/// Default bounds for a number field from its preset kind or its name (when the schema gives
/// none).
fn default_number_bounds(name: &str, kind: Option<&str>) -> (f64, f64) {
    defaults::bounds_of(name, kind)
}

fn int_bounds(cx: &CompileContext<'_>, d: &FieldDef, path: &str) -> Result<(i64, i64), SchemaError> {
    let num = |v: &Value, rule| -> Result<i64, SchemaError> {
        match v
            .as_i64()
            .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.2e18).map(|f| f as i64))
        {
            Some(x) => Ok(x),
            None if v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0) => Err(cx.err(
                path,
                rule,
                format!("{v} is out of range: integers lie in -9223372036854775808..=9223372036854775807"),
            )),
            None => Err(cx.err(path, rule, format!("{v} is not an integer"))),
        }
    };
    let (dlo, dhi) = default_number_bounds(&d.name, d.kind.as_deref());
    let lo = match (&d.min, &d.exclusive_min) {
        (Some(_), Some(_)) => return Err(cx.err(path, "min", "give `min` or `exclusive_min`, not both")),
        (Some(v), None) => Some(num(v, "min")?),
        (None, Some(v)) => Some(
            num(v, "exclusive_min")?
                .checked_add(1)
                .ok_or_else(|| cx.err(path, "exclusive_min", "overflows"))?,
        ),
        (None, None) => None,
    };
    let hi = match (&d.max, &d.exclusive_max) {
        (Some(_), Some(_)) => return Err(cx.err(path, "max", "give `max` or `exclusive_max`, not both")),
        (Some(v), None) => Some(num(v, "max")?),
        (None, Some(v)) => Some(
            num(v, "exclusive_max")?
                .checked_sub(1)
                .ok_or_else(|| cx.err(path, "exclusive_max", "overflows"))?,
        ),
        (None, None) => None,
    };
    let (lo, hi) = defaults::complete_int(lo.map(i128::from), hi.map(i128::from), (dlo as i128, dhi as i128));
    let clamp = |x: i128| x.clamp(i64::MIN.into(), i64::MAX.into()) as i64;
    let (lo, hi) = (clamp(lo), clamp(hi));
    if lo > hi {
        return Err(cx.err(path, "range", format!("the minimum {lo} is greater than the maximum {hi}")));
    }
    Ok((lo, hi))
}

fn float_bounds(cx: &CompileContext<'_>, d: &FieldDef, path: &str) -> Result<(f64, f64), SchemaError> {
    let num = |v: &Value, rule| -> Result<f64, SchemaError> {
        v.as_f64().filter(|f| f.is_finite()).ok_or_else(|| cx.err(path, rule, format!("{v} is not a number")))
    };
    let (dlo, dhi) = default_number_bounds(&d.name, d.kind.as_deref());
    let lo = match (&d.min, &d.exclusive_min) {
        (Some(_), Some(_)) => return Err(cx.err(path, "min", "give `min` or `exclusive_min`, not both")),
        (Some(v), None) => Some(num(v, "min")?),
        (None, Some(v)) => Some(num(v, "exclusive_min")?.next_up()),
        (None, None) => None,
    };
    let hi = match (&d.max, &d.exclusive_max) {
        (Some(_), Some(_)) => return Err(cx.err(path, "max", "give `max` or `exclusive_max`, not both")),
        (Some(v), None) => Some(num(v, "max")?),
        (None, Some(v)) => Some(num(v, "exclusive_max")?.next_down()),
        (None, None) => None,
    };
    let (lo, hi) = defaults::complete_float(lo, hi, (dlo, dhi));
    if lo > hi {
        return Err(cx.err(path, "range", format!("the minimum {lo} is greater than the maximum {hi}")));
    }
    Ok((lo, hi))
}

fn decimal_bounds(cx: &CompileContext<'_>, d: &FieldDef, path: &str) -> Result<NodeGen, SchemaError> {
    use crate::schema::decimal;
    let scale = d.scale.unwrap_or(2);
    if scale > 9 {
        return Err(cx.err(path, "scale", format!("scale {scale} is above the supported 9 decimals")));
    }
    if let Some(p) = d.precision
        && (p == 0 || p > 18 || p < scale)
    {
        return Err(cx.err(
            path,
            "precision",
            format!("precision {p} must be in {}..=18 (at least the scale)", scale.max(1)),
        ));
    }
    let s = scale as u32;
    let units = |v: &Value, rule, dir: Round| -> Result<i64, SchemaError> {
        let (m, vs) =
            decimal::from_value(v).ok_or_else(|| cx.err(path, rule, format!("{v} is not a number")))?;
        // Round inward so the bound is met: up for a lower bound, down for an upper bound.
        let u = decimal::rescale_dir(m, vs, s, dir);
        i64::try_from(u).map_err(|_| cx.err(path, rule, "is too large"))
    };
    let (dlo, dhi) = default_number_bounds(&d.name, d.kind.as_deref());
    let lo = match (&d.min, &d.exclusive_min) {
        (Some(_), Some(_)) => return Err(cx.err(path, "min", "give `min` or `exclusive_min`, not both")),
        (Some(v), None) => Some(units(v, "min", Round::Ceil)?),
        (None, Some(v)) => {
            let (m, vs) =
                decimal::from_value(v).ok_or_else(|| cx.err(path, "exclusive_min", "not a number"))?;
            let u = decimal::rescale_dir(m, vs, s, Round::Floor);
            Some(i64::try_from(u + 1).map_err(|_| cx.err(path, "exclusive_min", "is too large"))?)
        }
        (None, None) => None,
    };
    let hi = match (&d.max, &d.exclusive_max) {
        (Some(_), Some(_)) => return Err(cx.err(path, "max", "give `max` or `exclusive_max`, not both")),
        (Some(v), None) => Some(units(v, "max", Round::Floor)?),
        (None, Some(v)) => {
            let (m, vs) =
                decimal::from_value(v).ok_or_else(|| cx.err(path, "exclusive_max", "not a number"))?;
            let u = decimal::rescale_dir(m, vs, s, Round::Ceil);
            Some(i64::try_from(u - 1).map_err(|_| cx.err(path, "exclusive_max", "is too large"))?)
        }
        (None, None) => None,
    };
    let (lo, hi) =
        defaults::complete_units(lo.map(i128::from), hi.map(i128::from), defaults::units_of((dlo, dhi), s));
    let clamp = |x: i128| x.clamp(i64::MIN.into(), i64::MAX.into()) as i64;
    let (mut lo, mut hi) = (clamp(lo), clamp(hi));
    if let Some(p) = d.precision {
        let cap = 10i64.pow(p as u32) - 1;
        if d.min.is_none() && d.exclusive_min.is_none() {
            lo = lo.max(-cap);
        }
        if d.max.is_none() && d.exclusive_max.is_none() {
            hi = hi.min(cap);
        }
        if lo < -cap || hi > cap {
            return Err(cx.err(
                path,
                "precision",
                format!("the range does not fit in {p} digits with {scale} decimals"),
            ));
        }
    }
    if lo > hi {
        return Err(cx.err(
            path,
            "range",
            format!(
                "the minimum {} is greater than the maximum {} (at scale {scale})",
                decimal::to_f64(lo as i128, s),
                decimal::to_f64(hi as i128, s)
            ),
        ));
    }
    if hi.unsigned_abs() > (1u64 << 53) || lo.unsigned_abs() > (1u64 << 53) {
        return Err(cx.err(
            path,
            "range",
            "the bounds exceed the exactly representable range of JSON numbers (±2^53 units)",
        ));
    }
    Ok(NodeGen::Decimal { lo, hi, scale, precision: d.precision })
}

/// Parses `30d`, `12h`, `90m`, `45s`, `2w`, `1y` (365 days) or a number of seconds.
pub(crate) fn parse_duration(v: &Value) -> Option<i64> {
    match v.as_i64() {
        Some(n) => Some(n),
        None => time::parse_duration(v.as_str()?),
    }
}

/// Parses a time bound: an ISO date or timestamp, `now`, or `now`-relative (`-30d`, `+2h`).
fn parse_instant(v: &Value, anchor: i64) -> Option<i64> {
    if let Some(n) = v.as_i64() {
        return Some(n);
    }
    let s = v.as_str()?.trim();
    match time::offset_from_now(s) {
        Some(offset) => anchor.checked_add(offset),
        None => time::parse_datetime(s),
    }
}

fn time_bounds(
    cx: &CompileContext<'_>,
    d: &FieldDef,
    path: &str,
    date: bool,
) -> Result<(i64, i64), SchemaError> {
    let anchor = cx.ctx.anchor();
    let parse = |v: &Value, rule| {
        parse_instant(v, anchor).ok_or_else(|| {
            cx.err(
                path,
                rule,
                format!("{v} is not a date; use YYYY-MM-DD, an RFC 3339 timestamp, `now` or `-30d`"),
            )
        })
    };
    let unit = if date { DAY } else { 1 };
    let lo = match (&d.min, &d.exclusive_min) {
        (Some(v), _) => Some(parse(v, "min")?),
        (None, Some(v)) => Some(parse(v, "exclusive_min")?.saturating_add(unit)),
        _ => None,
    };
    let hi = match (&d.max, &d.exclusive_max) {
        (Some(v), _) => Some(parse(v, "max")?),
        (None, Some(v)) => Some(parse(v, "exclusive_max")?.saturating_sub(unit)),
        _ => None,
    };
    let (lo, hi) = crate::sample::time_range(anchor, testdata_core::defaults::time_default(&d.name), lo, hi);
    let (first, last) = (time::days_from_civil(1, 1, 1) * DAY, time::days_from_civil(10_000, 1, 1) * DAY - 1);
    if lo < first || hi > last {
        let (rule, at) = if lo < first { ("min", lo) } else { ("max", hi) };
        return Err(cx.err(
            path,
            rule,
            format!(
                "the range reaches year {}; dates and timestamps must lie in the years 0001 to 9999",
                time::year_of(at)
            ),
        ));
    }
    if lo > hi {
        return Err(cx.err(
            path,
            "range",
            format!(
                "the earliest {} is after the latest {}",
                time::format_datetime(lo),
                time::format_datetime(hi)
            ),
        ));
    }
    if date {
        let (dl, dh) = (lo.div_euclid(DAY) + i64::from(lo.rem_euclid(DAY) != 0), hi.div_euclid(DAY));
        if dl > dh {
            return Err(cx.err(path, "range", "no whole day lies inside the range"));
        }
        Ok((dl, dh))
    } else {
        Ok((lo, hi))
    }
}

fn address_members() -> Vec<FieldDef> {
    ["street", "city", "state", "zip", "country"]
        .into_iter()
        .map(|n| FieldDef {
            name: n.into(),
            ty: Some(FieldType::String),
            kind: Some(n.into()),
            ..FieldDef::default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::Schema;

    /// The load error of a schema with `fields`, or `None` when it loads.
    fn refusal(fields: Value) -> Option<String> {
        Schema::from_value(json!({"name": "t", "fields": fields})).err().map(|e| e.to_string())
    }

    #[test]
    fn an_array_elements_format_cannot_refer_to_a_field() {
        // Fuzz finding: `{random7}` (no colon) is a field reference; an array of strings has
        // no siblings, so it rendered "PRD-" that its own format then refused.
        let e = refusal(json!([
            {"name": "ids", "type": "array", "min_items": 1, "items": {"type": "string", "format": "PRD-{random7}"}}
        ]));
        assert!(e.is_some_and(|e| e.contains("`ids[]`") && e.contains("refers to the field `random7`")));
        assert_eq!(
            refusal(json!([
                {"name": "ids", "type": "array", "items": {"type": "string", "format": "PRD-{random:7}"}}
            ])),
            None
        );
    }
}
