//! A retrieved pattern compiled once for its variations: the values it keeps in the engine's
//! positional form, its amounts (where they are, in document order, as numbers) and its dates
//! (parsed), so each variation is a copy of the kept values, one draw per amount, one shifted
//! timestamp per date and the engine's values for the fields it owns — no map, no parsing.
//!
//! [`Compiled::vary`] builds exactly the values [`Variations::nth`](super::Variations::nth)
//! hands to [`Schema::repair`](crate::Schema::repair) (same draws, same dates, same engine
//! values), with the computed fields recomputed: when that record has no violation, it is the
//! record the repair returns.

use serde_json::{Map, Value};

use super::vary::{JITTER, Shape, round_to};
use crate::Schema;
use crate::error::GenerateError;
use crate::seed::{Key, Seed, name_key};
use crate::time;

/// A pattern ready to vary in positional form (see the [module docs](self)).
#[derive(Debug, Clone)]
pub(super) struct Compiled {
    /// Per top-level field: the pattern's value, `None` where the engine's value is taken.
    kept: Vec<Option<Value>>,
    /// The engine values a variation needs: the taken fields and the date anchor.
    wanted: Vec<bool>,
    /// Fields the pattern lacks (taken from the engine: what the repair counts).
    pub(super) missing: usize,
    /// The amounts to jitter, in the pattern's document order.
    amounts: Vec<Amount>,
    /// The dates moved with the anchor (`None`: the pattern has no date to move).
    dates: Option<Dates>,
}

/// An amount of the pattern.
#[derive(Debug, Clone)]
struct Amount {
    /// The top-level field.
    field: usize,
    /// The element and member position, for an amount inside an array's elements.
    member: Option<(usize, usize)>,
    /// The pattern's value.
    x: f64,
    /// The field's scale.
    scale: u8,
}

/// The pattern's dates.
#[derive(Debug, Clone)]
struct Dates {
    /// The first date field the pattern has a parsable value for, and whether it is a
    /// timestamp.
    anchor: (usize, bool),
    /// Its value, in seconds.
    at: i64,
    /// The kept date fields: position, timestamp or not, the value in seconds (`None`:
    /// not a date, becomes `null`).
    moved: Vec<(usize, bool, Option<i64>)>,
}

/// A date's or timestamp's value in seconds.
pub(super) fn seconds(v: &Value, timestamp: bool) -> Option<i64> {
    let s = v.as_str()?;
    if timestamp { time::parse_datetime(s) } else { time::parse_date(s).map(|d| d * time::DAY) }
}

impl Compiled {
    /// `pattern` compiled for `schema`; `None` when it cannot be varied in positional form
    /// (not an object, or a kept value that does not convert exactly).
    pub(super) fn new(schema: &Schema, shape: &Shape, pattern: &Value) -> Option<Compiled> {
        let Value::Object(fields) = pattern else { return None };
        let n = schema.field_count();
        let mut present: Vec<bool> = (0..n).map(|k| fields.contains_key(schema.field_name(k))).collect();
        let dates = Dates::of(schema, shape, fields);
        if dates.is_none() {
            // No date to move: the pattern's dates are dropped and the engine draws them.
            for (name, _) in &shape.dates {
                present[schema.field_index(name)?] = false;
            }
        }
        let taken: Vec<bool> = (0..n).map(|k| schema.engine_owns(k) || !present[k]).collect();
        let missing = (0..n).filter(|&k| !present[k] && !schema.engine_owns(k)).count();
        let kept = (0..n)
            .map(|k| match taken[k] {
                true => Some(None),
                false => schema.positional_value(k, &fields[schema.field_name(k)]).map(Some),
            })
            .collect::<Option<Vec<_>>>()?;
        let mut wanted = taken;
        let dates = dates.map(|mut d| {
            wanted[d.anchor.0] = true;
            d.moved.retain(|(k, _, _)| kept[*k].is_some());
            d
        });
        Some(Compiled { kept, wanted, missing, amounts: Amount::all(schema, shape, fields)?, dates })
    }

    /// The variation of record `index` of `seed` in positional form, computed fields
    /// recomputed (see the [module docs](self)).
    pub(super) fn vary(&self, schema: &Schema, seed: Seed, index: u64) -> Result<Vec<Value>, GenerateError> {
        let mut engine = schema.member_slots(seed, index, &self.wanted)?;
        let anchor = self.dates.as_ref().and_then(|d| seconds(&engine[d.anchor.0], d.anchor.1));
        let mut slots: Vec<Value> = self
            .kept
            .iter()
            .zip(&mut engine)
            .map(|(kept, engine)| kept.clone().unwrap_or_else(|| engine.take()))
            .collect();
        self.jitter(&mut slots, seed, index);
        if let (Some(dates), Some(anchor)) = (&self.dates, anchor) {
            dates.shift(&mut slots, anchor);
        }
        schema.recompute_positional(&mut slots);
        Ok(slots)
    }

    /// Multiplies every amount by a factor drawn from `[1 − JITTER, 1 + JITTER]` (one draw per
    /// amount of the pattern, also for the fields the engine's value replaces).
    fn jitter(&self, slots: &mut [Value], seed: Seed, index: u64) {
        let mut draws = Key::root(seed, name_key("rag.vary"), index).field(name_key("jitter"));
        for a in &self.amounts {
            let factor = draws.f64_in(1.0 - JITTER, 1.0 + JITTER);
            if self.kept[a.field].is_none() {
                continue;
            }
            let target = match a.member {
                None => Some(&mut slots[a.field]),
                Some((e, m)) => match slots[a.field].get_mut(e) {
                    Some(Value::Array(members)) => members.get_mut(m),
                    _ => None,
                },
            };
            if let Some(target) = target {
                *target = round_to(a.x * factor, a.scale);
            }
        }
    }
}

impl Amount {
    /// Every numeric amount of the pattern, in document order; `None` if an amount field is
    /// not in the schema.
    fn all(schema: &Schema, shape: &Shape, fields: &Map<String, Value>) -> Option<Vec<Amount>> {
        let mut amounts = Vec::new();
        for (name, value) in fields {
            if let Some(&scale) = shape.amounts.get(name) {
                if let Some(x) = value.as_f64() {
                    amounts.push(Amount { field: schema.field_index(name)?, member: None, x, scale });
                }
            } else if let (Some(members), Value::Array(elements)) = (shape.member_amounts.get(name), value) {
                let field = schema.field_index(name)?;
                for (e, element) in elements.iter().enumerate() {
                    let Value::Object(element) = element else { continue };
                    for (m, (key, v)) in element.iter().enumerate() {
                        if let (Some(&scale), Some(x)) = (members.get(key), v.as_f64()) {
                            amounts.push(Amount { field, member: Some((e, m)), x, scale });
                        }
                    }
                }
            }
        }
        Some(amounts)
    }
}

impl Dates {
    /// The pattern's dates, anchored on the first date field (in schema order) it has a
    /// parsable value for; `None` if it has none.
    fn of(schema: &Schema, shape: &Shape, fields: &Map<String, Value>) -> Option<Dates> {
        let (anchor, at) = shape.dates.iter().find_map(|(name, ts)| {
            let at = seconds(fields.get(name)?, *ts)?;
            Some(((schema.field_index(name)?, *ts), at))
        })?;
        let moved = shape
            .dates
            .iter()
            .filter_map(|(name, ts)| Some((schema.field_index(name)?, *ts, seconds(fields.get(name)?, *ts))))
            .collect();
        Some(Dates { anchor, at, moved })
    }

    /// Moves the dates so the anchor's is `anchor`, keeping their gaps.
    fn shift(&self, slots: &mut [Value], anchor: i64) {
        let shift = anchor - self.at;
        for &(k, timestamp, at) in &self.moved {
            slots[k] = match at {
                Some(t) if timestamp => Value::String(time::format_datetime(t + shift)),
                Some(t) => Value::String(time::format_date((t + shift).div_euclid(time::DAY))),
                None => Value::Null,
            };
        }
    }
}
