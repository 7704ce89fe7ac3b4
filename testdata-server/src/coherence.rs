//! The coherence score of docs/catalogue.md ("Coherence score"), computed from
//! `Schema::validate` with no entity-specific code.
//!
//! * Checks of a record: one `valid` check per field slot (every top-level field; the declared
//!   members of an object value, recursively; each element of an array value — its members when
//!   it is an object of an object-item array, else the element itself), plus one check per
//!   rule the slot declares (`computed`, `after`, `before`, `present_if`, `at_most`,
//!   `at_least`, `ref`); in a batch, one `unique` check per `unique` field.
//! * Failures: a violation of one of those rules fails that rule check; `unknown` (an
//!   undeclared key) is one extra, failed check; any other rule fails the slot's `valid` check;
//!   `required` and `type` also fail every rule check of the slot; several violations of one
//!   check count once.
//! * `score(record) = 1 − failed / total`; a batch scores the mean over its records.
//!
//! The bookkeeping keys `_index` and `_scenario` the server adds are not schema fields and
//! are not counted.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;
use testdata::Schema;
use testdata::schema::FieldDef;

/// The rules that have their own check (the rest fail a slot's `valid` check).
pub(crate) const RULES: &[&str] =
    &["computed", "after", "before", "present_if", "at_most", "at_least", "ref", "unique"];

/// Keys the server adds to every record, ignored by the score.
pub(crate) const BOOKKEEPING: &[&str] = &["_index", "_scenario"];

fn declared_rules(f: &FieldDef) -> impl Iterator<Item = &'static str> + '_ {
    [
        (f.compute.is_some(), "computed"),
        (f.after.is_some(), "after"),
        (f.before.is_some(), "before"),
        (f.present_if.is_some(), "present_if"),
        (f.at_most.is_some(), "at_most"),
        (f.at_least.is_some(), "at_least"),
        (f.reference.is_some(), "ref"),
    ]
    .into_iter()
    .filter_map(|(on, r)| on.then_some(r))
}

/// Counts the checks of `v` against `fields` (no allocation; members in schema order are
/// read positionally, without hashing).
fn count_checks(fields: &[FieldDef], v: &Value) -> usize {
    let mut n = 0;
    let mut entries = v.as_object().map(|m| m.iter());
    for f in fields {
        n += 1 + declared_rules(f).count();
        let member = match entries.as_mut().and_then(Iterator::next) {
            Some((k, x)) if *k == f.name => Some(x),
            _ => v.get(&f.name),
        };
        match (member, &f.fields, &f.items) {
            (Some(o @ Value::Object(_)), Some(members), _) => n += count_checks(members, o),
            (Some(Value::Array(a)), _, Some(item)) => {
                for e in a {
                    n += match (&item.fields, e) {
                        (Some(members), Value::Object(_)) => count_checks(members, e),
                        _ => 1 + declared_rules(item).count(),
                    };
                }
            }
            _ => {}
        }
    }
    n
}

/// Every check of `v` against `fields` as `(path, check)`.
fn enumerate(fields: &[FieldDef], v: &Value, prefix: &str, out: &mut Vec<(String, &'static str)>) {
    for f in fields {
        let p = if prefix.is_empty() { f.name.clone() } else { format!("{prefix}.{}", f.name) };
        out.push((p.clone(), "valid"));
        for r in declared_rules(f) {
            out.push((p.clone(), r));
        }
        match (v.get(&f.name), &f.fields, &f.items) {
            (Some(o @ Value::Object(_)), Some(members), _) => enumerate(members, o, &p, out),
            (Some(Value::Array(a)), _, Some(item)) => {
                for (i, e) in a.iter().enumerate() {
                    let ep = format!("{p}[{i}]");
                    match (&item.fields, e) {
                        (Some(members), Value::Object(_)) => enumerate(members, e, &ep, out),
                        _ => {
                            out.push((ep.clone(), "valid"));
                            for r in declared_rules(item) {
                                out.push((ep.clone(), r));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// `(failed, total)` checks of one record (its own checks: a batch adds `unique`).
pub(crate) fn tally(schema: &Schema, record: &Value) -> (usize, usize) {
    let fields = &schema.def().fields;
    let is_bookkeeping =
        |v: &testdata::constraint::Violation| v.rule == "unknown" && BOOKKEEPING.contains(&v.path.as_str());
    let violations = match schema.validate(record) {
        Ok(()) => return (0, count_checks(fields, record)),
        Err(v) if v.0.iter().all(is_bookkeeping) => return (0, count_checks(fields, record)),
        Err(v) => v.0,
    };
    let mut checks = Vec::new();
    enumerate(fields, record, "", &mut checks);
    let mut failed: BTreeSet<(String, &'static str)> = BTreeSet::new();
    let mut unknown = 0usize;
    for v in &violations {
        if v.rule == "unknown" {
            if !is_bookkeeping(v) {
                unknown += 1;
            }
            continue;
        }
        let check = if RULES.contains(&v.rule) { v.rule } else { "valid" };
        failed.insert((v.path.clone(), check));
        if matches!(v.rule, "required" | "type") {
            for (p, c) in &checks {
                if *p == v.path {
                    failed.insert((p.clone(), c));
                }
            }
        }
    }
    // A violation at a path the walk did not enumerate (it should not happen) still counts.
    let total = checks.len().max(failed.len()) + unknown;
    (failed.len() + unknown, total)
}

/// `(0, total)` checks of a record known to validate (a repair has just validated it): its
/// checks counted without validating it again.
pub(crate) fn tally_valid(schema: &Schema, record: &Value) -> (usize, usize) {
    (0, count_checks(&schema.def().fields, record))
}

/// The coherence score of one record: `1 − failed checks / checks`, in `[0, 1]`.
pub fn score(schema: &Schema, record: &Value) -> f64 {
    ratio(tally(schema, record))
}

/// The mean score of a batch: each record scored against its schema, plus one `unique` check
/// per `unique` top-level field of that schema (a value repeating an earlier record's fails).
pub fn score_batch<'a>(records: impl IntoIterator<Item = (&'a Schema, &'a Value)>) -> Option<f64> {
    score_and_count(records).mean
}

/// A batch's score and how many of its records fail at least one check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchScore {
    /// The mean score ([`score_batch`]); `None` for no records.
    pub mean: Option<f64>,
    /// Records with at least one failed check (`testdata_validation_errors_total`).
    pub failing: u64,
}

/// [`score_batch`] plus the number of failing records.
pub fn score_and_count<'a>(records: impl IntoIterator<Item = (&'a Schema, &'a Value)>) -> BatchScore {
    score_tallied(records.into_iter().map(|(schema, record)| (schema, record, tally(schema, record))))
}

/// [`score_and_count`] of records whose own checks are tallied already ([`tally`]): adds each
/// record's `unique` checks against the records before it.
pub(crate) fn score_tallied<'a>(
    records: impl IntoIterator<Item = (&'a Schema, &'a Value, (usize, usize))>,
) -> BatchScore {
    let mut seen: HashMap<&str, HashMap<String, usize>> = HashMap::new();
    let mut sum = 0.0;
    let mut failing = 0u64;
    let mut n = 0usize;
    for (schema, record, (mut failed, mut total)) in records {
        for f in schema.def().fields.iter().filter(|f| f.unique) {
            total += 1;
            if let Some(v) = record.get(&f.name).filter(|v| !v.is_null()) {
                let values = seen.entry(f.name.as_str()).or_default();
                if values.insert(v.to_string(), n).is_some() {
                    failed += 1;
                }
            }
        }
        sum += ratio((failed, total));
        failing += u64::from(failed > 0);
        n += 1;
    }
    BatchScore { mean: (n > 0).then(|| sum / n as f64), failing }
}

/// The score of `(failed, total)` checks: `1 − failed / total` (1 for no checks).
pub(crate) fn ratio((failed, total): (usize, usize)) -> f64 {
    if total == 0 { 1.0 } else { 1.0 - failed as f64 / total as f64 }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::registry::Registry;

    #[test]
    fn generated_records_score_one_and_broken_ones_less() {
        let registry = Registry::builtin().unwrap();
        let cart = registry.get("cart").unwrap();
        let good = cart.nth(7, 0).unwrap();
        assert_eq!(score(cart, &good), 1.0);
        let mut checks = Vec::new();
        enumerate(&cart.def().fields, &good, "", &mut checks);
        assert_eq!(count_checks(&cart.def().fields, &good), checks.len());
        let n = checks.len() as f64;
        assert_eq!(score(cart, &json!({})), 0.0);
        // A missing total costs its `valid` and `computed` checks.
        let mut missing = good.clone();
        missing.as_object_mut().unwrap().shift_remove("total");
        assert_eq!(score(cart, &missing), 1.0 - 2.0 / n);
        // A wrong total fails its `computed` rule only.
        let mut wrong = good.clone();
        wrong["total"] = json!(good["total"].as_f64().unwrap() + 1.0);
        assert_eq!(score(cart, &wrong), 1.0 - 1.0 / n);
        // An undeclared key is one more failed check; bookkeeping keys are not.
        let mut extra = good.clone();
        extra["discount"] = json!(5);
        assert_eq!(score(cart, &extra), 1.0 - 1.0 / (n + 1.0));
        let mut kept = good.clone();
        kept["_index"] = json!(0);
        kept["_scenario"] = json!("default");
        assert_eq!(score(cart, &kept), 1.0);
        for s in registry.schemas() {
            for i in 0..20 {
                let r = s.nth(11, i).unwrap();
                assert_eq!(score(s, &r), 1.0, "{} #{i}", s.name());
            }
            let mut broken = s.nth(11, 0).unwrap();
            let first = s.def().fields[0].name.clone();
            broken[&first] = json!(12);
            assert!(score(s, &broken) < 1.0, "{}", s.name());
        }
    }

    /// A schema whose checks are counted by hand: `qty.valid`, `price.valid`, `total.valid`
    /// and `total.computed` — four.
    fn line() -> Schema {
        Schema::from_json(
            r#"{"name": "line", "fields": [
                {"name": "qty", "type": "integer", "min": 1, "max": 5},
                {"name": "price", "type": "decimal", "scale": 2, "min": 1, "max": 10},
                {"name": "total", "type": "decimal", "scale": 2, "compute": {"sum": ["qty", "price"]}}
            ]}"#,
        )
        .unwrap()
    }

    #[test]
    fn hand_counted_checks_give_the_documented_scores() {
        let s = line();
        let good = json!({"qty": 2, "price": 3.5, "total": 5.5});
        assert_eq!(score(&s, &good), 1.0);
        assert_eq!(score(&s, &json!({})), 0.0, "4 of 4 checks fail");
        assert_eq!(score(&s, &json!({"qty": 2, "price": 3.5})), 0.5, "total.valid and total.computed");
        assert_eq!(score(&s, &json!({"qty": 2, "price": 3.5, "total": 6.5})), 0.75, "total.computed");
        assert_eq!(score(&s, &json!({"qty": 2, "price": 3.5, "total": 5.5, "x": 1})), 0.8, "1 of 5");
        assert_eq!(score(&s, &json!({"qty": 2, "price": 3.5, "total": 5.5, "_index": 7})), 1.0);
        assert_eq!(score_batch([(&s, &good), (&s, &json!({}))]), Some(0.5), "the mean of 1 and 0");
    }

    #[test]
    fn a_repeated_unique_value_fails_its_unique_check() {
        let registry = Registry::builtin().unwrap();
        let user = registry.get("user").unwrap();
        let a = user.nth(3, 0).unwrap();
        let b = user.nth(3, 1).unwrap();
        assert_eq!(score_batch([(&**user, &a), (&**user, &b)]), Some(1.0));
        let s = score_batch([(&**user, &a), (&**user, &a)]).unwrap();
        assert_eq!(score_and_count([(&**user, &a), (&**user, &a)]).failing, 1);
        assert_eq!(score_and_count([(&**user, &a), (&**user, &b)]).failing, 0);
        assert!(s < 1.0 && s > 0.9, "{s}");
        assert_eq!(score_batch(std::iter::empty()), None);
    }
}
