//! Merging a request into a schema: constraints replace members of the fields they name
//! (checked against the field's type and the rest of the field), and scenario overrides fix a
//! field's value, converted from the request's text to the field's type.

use std::collections::BTreeMap;

use serde_json::{Number, Value};
use testdata::schema::{FieldDef, FieldType};

use crate::error::ServiceError;
use crate::request::{ConstraintSpec, ScenarioSpec};

/// Applies the request's `constraints` (field path → constraint) to `fields`.
pub(super) fn apply_constraints(
    fields: &mut [FieldDef],
    constraints: &BTreeMap<String, ConstraintSpec>,
) -> Result<(), ServiceError> {
    for (path, c) in constraints {
        let field = field_mut(fields, path, "constraint")?;
        apply_constraint(field, c, path)?;
    }
    Ok(())
}

/// Fixes the value of each field a scenario overrides (its text converted to the field's type).
pub(super) fn apply_overrides(fields: &mut [FieldDef], sc: &ScenarioSpec) -> Result<(), ServiceError> {
    for (path, text) in &sc.overrides {
        let what = format!("scenario `{}`", sc.name);
        let field = field_mut(fields, path, &format!("{what} override"))?;
        let value = typed_value(field, text)
            .map_err(|m| ServiceError::invalid(format!("{what}: override `{path}` = {text:?}: {m}")))?;
        *field = FieldDef {
            name: std::mem::take(&mut field.name),
            ty: Some(effective_type(field)),
            description: field.description.take(),
            value: Some(value),
            ..FieldDef::default()
        };
    }
    Ok(())
}

/// The type of a field as the engine infers it.
pub fn effective_type(d: &FieldDef) -> FieldType {
    d.effective_type()
}

fn type_name(t: FieldType) -> String {
    serde_json::to_value(t)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{t:?}"))
}

/// The field at a dotted path (`a.b`, `items.price`, `items[].price`).
fn field_mut<'a>(
    fields: &'a mut [FieldDef],
    path: &str,
    what: &str,
) -> Result<&'a mut FieldDef, ServiceError> {
    let parts: Vec<&str> = path.split('.').map(|p| p.trim_end_matches("[]")).collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(ServiceError::invalid(format!(
            "{what}: `{path}` is not a field path (use `a.b` for nested fields)"
        )));
    }
    descend(fields, &parts, path, what, "")
}

fn descend<'a>(
    fields: &'a mut [FieldDef],
    parts: &[&str],
    path: &str,
    what: &str,
    at: &str,
) -> Result<&'a mut FieldDef, ServiceError> {
    let Some((first, rest)) = parts.split_first() else {
        return Err(ServiceError::invalid(format!("{what}: empty field path")));
    };
    let Some(pos) = fields.iter().position(|f| f.name == *first) else {
        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        let level = if at.is_empty() { "the schema".to_owned() } else { format!("`{at}`") };
        return Err(ServiceError::invalid(format!(
            "{what}: unknown field `{path}`: {level} has no field `{first}`; its fields are: {}",
            names.join(", ")
        )));
    };
    let field = &mut fields[pos];
    if rest.is_empty() {
        return Ok(field);
    }
    let here = if at.is_empty() { field.name.clone() } else { format!("{at}.{}", field.name) };
    let children = match (&mut field.fields, &mut field.items) {
        (Some(children), _) => children,
        (None, Some(item)) if item.fields.is_some() => match &mut item.fields {
            Some(children) => children,
            None => return Err(ServiceError::Internal("unreachable".into())),
        },
        _ => {
            return Err(ServiceError::invalid(format!(
                "{what}: `{path}`: field `{here}` has no nested fields to address"
            )));
        }
    };
    descend(children, rest, path, what, &here)
}

fn is_numeric(t: FieldType) -> bool {
    matches!(t, FieldType::Integer | FieldType::Float | FieldType::Decimal)
}

fn is_stringish(t: FieldType) -> bool {
    matches!(t, FieldType::String | FieldType::Email | FieldType::Phone | FieldType::Uuid)
}

/// A request-level constraint on field `path`: each member given replaces the field's own,
/// after checking it applies to the field's type; checked in the order of the members.
fn apply_constraint(f: &mut FieldDef, c: &ConstraintSpec, path: &str) -> Result<(), ServiceError> {
    let ty = effective_type(f);
    apply_bounds(f, c, path, ty)?;
    apply_enum_values(f, c, path, ty)?;
    apply_shape(f, c, path, ty)?;
    apply_lengths(f, c, path, ty)
}

/// The error of a constraint `member` given on a field whose type it does not apply to.
fn misapplied(member: &str, applies: &str, path: &str, ty: FieldType) -> ServiceError {
    ServiceError::invalid(format!(
        "constraint `{member}` on field `{path}`: applies to {applies}, but `{path}` is {}",
        type_name(ty)
    ))
}

/// `min` / `max` of a number field (whole numbers for an integer field).
fn apply_bounds(f: &mut FieldDef, c: &ConstraintSpec, path: &str, ty: FieldType) -> Result<(), ServiceError> {
    if let Some(v) = c.min {
        if !is_numeric(ty) {
            return Err(misapplied("min", "integer, float and decimal fields", path, ty));
        }
        f.min = Some(bound_value("min", v, path, ty)?);
        f.exclusive_min = None;
    }
    if let Some(v) = c.max {
        if !is_numeric(ty) {
            return Err(misapplied("max", "integer, float and decimal fields", path, ty));
        }
        f.max = Some(bound_value("max", v, path, ty)?);
        f.exclusive_max = None;
    }
    if let (Some(lo), Some(hi)) = (c.min, c.max)
        && lo > hi
    {
        return Err(ServiceError::invalid(format!(
            "constraints on field `{path}` contradict each other: min {lo} is greater than max {hi}"
        )));
    }
    Ok(())
}

/// A bound as the field's JSON number.
fn bound_value(member: &str, v: f64, path: &str, ty: FieldType) -> Result<Value, ServiceError> {
    if !v.is_finite() {
        return Err(ServiceError::invalid(format!(
            "constraint `{member}` on field `{path}`: {v} is not a number"
        )));
    }
    if ty == FieldType::Integer {
        if v.fract() != 0.0 || v.abs() > 9.0e15 {
            return Err(ServiceError::invalid(format!(
                "constraint `{member}` on field `{path}`: {v} is not a whole number, and `{path}` is an integer"
            )));
        }
        return Ok(Value::Number((v as i64).into()));
    }
    Number::from_f64(v)
        .map(Value::Number)
        .ok_or_else(|| ServiceError::invalid(format!("{v} is not a number")))
}

/// `enum_values`: the allowed values, converted to the field's type (unweighted).
fn apply_enum_values(
    f: &mut FieldDef,
    c: &ConstraintSpec,
    path: &str,
    ty: FieldType,
) -> Result<(), ServiceError> {
    if c.enum_values.is_empty() {
        return Ok(());
    }
    if !(is_numeric(ty) || is_stringish(ty) || ty == FieldType::Enum) {
        return Err(misapplied("enum_values", "enum, string and number fields", path, ty));
    }
    let probe = f.clone();
    let mut values = Vec::with_capacity(c.enum_values.len());
    for text in &c.enum_values {
        let v = match ty {
            FieldType::Enum => enum_value_for(&probe, text),
            _ => typed_value(&probe, text),
        }
        .map_err(|m| {
            ServiceError::invalid(format!("constraint `enum_values` on field `{path}`: {text:?}: {m}"))
        })?;
        values.push(v);
    }
    f.values = Some(values);
    f.weights = None;
    f.reference = None;
    Ok(())
}

/// `regex` and `format` of a string field: they shape the field instead of its kind (given
/// or inferred); one given alone replaces the other.
fn apply_shape(f: &mut FieldDef, c: &ConstraintSpec, path: &str, ty: FieldType) -> Result<(), ServiceError> {
    if let Some(re) = &c.regex {
        if !is_stringish(ty) {
            return Err(misapplied("regex", "string fields", path, ty));
        }
        f.pattern = Some(re.clone());
        f.kind = None;
        f.reference = None;
        if c.format.is_none() {
            f.format = None;
        }
    }
    if let Some(fmt) = &c.format {
        if !is_stringish(ty) {
            return Err(misapplied("format", "string fields", path, ty));
        }
        f.format = Some(fmt.clone());
        f.kind = None;
        f.reference = None;
        if c.regex.is_none() {
            f.pattern = None;
        }
    }
    Ok(())
}

/// `min_length` / `max_length`: characters of a string field, elements of an array field.
fn apply_lengths(
    f: &mut FieldDef,
    c: &ConstraintSpec,
    path: &str,
    ty: FieldType,
) -> Result<(), ServiceError> {
    for (member, v) in [("min_length", c.min_length), ("max_length", c.max_length)] {
        let Some(v) = v else { continue };
        let n = usize::try_from(v).map_err(|_| {
            ServiceError::invalid(format!(
                "constraint `{member}` on field `{path}`: {v} is negative; give 0 or more"
            ))
        })?;
        match (ty, member) {
            (t, "min_length") if is_stringish(t) => f.min_length = Some(n),
            (t, _) if is_stringish(t) => f.max_length = Some(n),
            (FieldType::Array, "min_length") => f.min_items = Some(n),
            (FieldType::Array, _) => f.max_items = Some(n),
            _ => {
                return Err(misapplied(
                    member,
                    "string fields (characters) and array fields (elements)",
                    path,
                    ty,
                ));
            }
        }
    }
    if let (Some(lo), Some(hi)) = (c.min_length, c.max_length)
        && lo > hi
    {
        return Err(ServiceError::invalid(format!(
            "constraints on field `{path}` contradict each other: min_length {lo} is greater than max_length {hi}"
        )));
    }
    Ok(())
}

/// An enum field's value matching `text` (by its text form), or, for a field without values
/// yet, the text itself.
fn enum_value_for(f: &FieldDef, text: &str) -> Result<Value, String> {
    match f.values.as_deref() {
        Some(values) if values.iter().any(|v| !v.is_string()) => {
            // Numeric or boolean enum: parse the text as JSON.
            serde_json::from_str(text)
                .map_err(|_| "is not a number or boolean like the enum's values".to_owned())
        }
        _ => Ok(Value::String(text.to_owned())),
    }
}

/// Converts override text to the field's type.
fn typed_value(f: &FieldDef, text: &str) -> Result<Value, String> {
    let ty = effective_type(f);
    let t = text.trim();
    match ty {
        FieldType::Integer => t
            .parse::<i64>()
            .map(|n| Value::Number(n.into()))
            .map_err(|_| "is not an integer, and the field is an integer".to_owned()),
        FieldType::Float | FieldType::Decimal => {
            let v: f64 =
                t.parse().map_err(|_| format!("is not a number, and the field is {}", type_name(ty)))?;
            if !v.is_finite() {
                return Err("is not a finite number".into());
            }
            if ty == FieldType::Decimal {
                let scale = usize::from(f.scale.unwrap_or(2));
                let decimals = t.split_once('.').map_or(0, |(_, d)| d.len());
                if decimals > scale || t.contains(['e', 'E']) {
                    return Err(format!("has more than {scale} decimals, the field's scale"));
                }
            }
            Number::from_f64(v).map(Value::Number).ok_or_else(|| "is not a finite number".to_owned())
        }
        FieldType::Boolean => match t.to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(Value::Bool(true)),
            "false" | "0" => Ok(Value::Bool(false)),
            _ => Err("is not a boolean (true/false)".into()),
        },
        FieldType::Enum => {
            let values = f.values.as_deref().unwrap_or(&[]);
            values
                .iter()
                .find(|v| {
                    v.as_str() == Some(text)
                        || (!v.is_string() && serde_json::from_str::<Value>(t).ok().as_ref() == Some(*v))
                })
                .cloned()
                .ok_or_else(|| {
                    let list: Vec<String> = values
                        .iter()
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                        .collect();
                    format!("is not one of the field's values [{}]", list.join(", "))
                })
        }
        FieldType::Object | FieldType::Address | FieldType::Array | FieldType::Json => {
            let v: Value = serde_json::from_str(t).map_err(|e| format!("is not JSON ({e})"))?;
            match (ty, &v) {
                (FieldType::Array, Value::Array(_)) | (FieldType::Json, _) => Ok(v),
                (FieldType::Object | FieldType::Address, Value::Object(_)) => Ok(v),
                (FieldType::Array, _) => Err("the field is an array; give a JSON array such as [1,2]".into()),
                _ => Err("the field is an object; give a JSON object such as {\"a\":1}".into()),
            }
        }
        FieldType::String
        | FieldType::Email
        | FieldType::Phone
        | FieldType::Uuid
        | FieldType::Date
        | FieldType::Datetime => Ok(Value::String(text.to_owned())),
    }
}
