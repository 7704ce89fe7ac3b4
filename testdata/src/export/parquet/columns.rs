//! Arrow columns built straight from records — no JSON text in between.
//!
//! [`RecordColumns`] holds one builder per column of an Arrow schema (from
//! [`super::arrow_schema`]) and appends records to them: generated ones in the engine's
//! positional form ([`RecordColumns::push_generated`]: the record's fields in schema order,
//! nested objects as arrays of their members' values, no maps built), or JSON objects
//! ([`RecordColumns::push_record`]). [`RecordColumns::finish`] hands the rows over as one
//! [`RecordBatch`].
//!
//! The values are those `arrow-json`'s decoder (with `coerce_primitive`) gives for the record's
//! JSON text, because every conversion is the one it makes: members matched by name (unknown
//! ones ignored, missing ones `null`, a bookkeeping key written after the fields wins), numbers
//! into decimals through their JSON text and `arrow_cast::parse::parse_decimal`, strings into
//! timestamps through `string_to_datetime`, numbers and booleans into string columns as their
//! JSON text. A value a column cannot hold is an [`ExportError::InvalidColumn`] naming it.

use std::fmt::Write as _;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Decimal128Builder, Float64Builder, Int64Builder, StringBuilder,
    TimestampMicrosecondBuilder,
};
use arrow_array::timezone::Tz;
use arrow_array::types::{Date32Type, Decimal128Type, Float64Type, Int64Type};
use arrow_array::{ArrayRef, ListArray, RecordBatch, StructArray};
use arrow_buffer::{NullBufferBuilder, OffsetBuffer, ScalarBuffer};
use arrow_cast::parse::{Parser, parse_decimal, string_to_datetime};
use arrow_schema::{DataType, FieldRef, Fields, SchemaRef, TimeUnit};
use serde_json::{Number, Value};

use super::arrow_error;
use crate::export::ExportError;
use crate::schema::Schema;
use crate::schema::compile::{CompiledCompute, Node, NodeGen, ObjectPlan};
use crate::seed::Seed;

/// Builders of the columns of an Arrow schema, filled record by record (see the module docs).
pub struct RecordColumns {
    schema: SchemaRef,
    columns: Vec<Column>,
    rows: usize,
}

impl std::fmt::Debug for RecordColumns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordColumns")
            .field("columns", &self.columns.len())
            .field("rows", &self.rows)
            .finish()
    }
}

impl RecordColumns {
    /// Empty columns of `schema`; an error names a column whose type has no builder here
    /// (only the types [`super::arrow_schema`] makes are supported).
    pub fn new(schema: SchemaRef) -> Result<RecordColumns, ExportError> {
        let columns =
            schema.fields().iter().map(|f| Column::new(f.data_type(), f.name())).collect::<Result<_, _>>()?;
        Ok(RecordColumns { schema, columns, rows: 0 })
    }

    /// Rows appended since the last [`RecordColumns::finish`].
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether no row was appended since the last [`RecordColumns::finish`].
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Generates record `index` of `schema`'s stream of `seed` into the columns, with `extra`
    /// members after the schema's fields (e.g. bookkeeping keys; an extra member wins over a
    /// field of the same name, as a key written later does in JSON). After an error the
    /// columns are unusable: drop them.
    pub fn push_generated(
        &mut self,
        schema: &Schema,
        seed: impl Into<Seed>,
        index: u64,
        extra: &[(&str, &Value)],
    ) -> Result<(), ExportError> {
        let slots = schema.positional(seed.into(), index)?;
        let plan = schema.plan();
        for (at, (field, column)) in self.schema.fields().iter().zip(&mut self.columns).enumerate() {
            let name = field.name().as_str();
            if let Some((_, v)) = extra.iter().rev().find(|(n, _)| *n == name) {
                column.append(v, Form::Public)?;
            } else if let Some(slot) = position(plan, at, name).filter(|&s| s < slots.len()) {
                column.append(&slots[slot], Form::of(&plan.fields[slot], plan))?;
            } else {
                column.append_null();
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Appends `record` (a JSON object; keys without a column are ignored).
    pub fn push_record(&mut self, record: &Value) -> Result<(), ExportError> {
        let Value::Object(map) = record else {
            return Err(ExportError::Parquet(format!(
                "a record must be a JSON object, found {}",
                sample(record)
            )));
        };
        for (field, column) in self.schema.fields().iter().zip(&mut self.columns) {
            match map.get(field.name()) {
                Some(v) => column.append(v, Form::Public)?,
                None => column.append_null(),
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// The rows appended so far as one batch; the columns start empty again.
    pub fn finish(&mut self) -> Result<RecordBatch, ExportError> {
        let arrays = self.columns.iter_mut().map(Column::finish).collect::<Result<Vec<_>, _>>()?;
        self.rows = 0;
        if arrays.is_empty() {
            return Ok(RecordBatch::new_empty(self.schema.clone()));
        }
        RecordBatch::try_new(self.schema.clone(), arrays).map_err(arrow_error)
    }
}

/// The position in `plan` of the member named `name`, which is usually the `at`-th (columns
/// are made from the same fields in the same order).
fn position(plan: &ObjectPlan, at: usize, name: &str) -> Option<usize> {
    match plan.fields.get(at) {
        Some(node) if node.name == name => Some(at),
        _ => plan.fields.iter().position(|n| n.name == name),
    }
}

/// How a value is laid out: as callers see it, or in the engine's positional form.
#[derive(Clone, Copy)]
enum Form<'a> {
    /// A JSON value as the record holds it (objects are maps).
    Public,
    /// An object as its members' values in `plan` order.
    Slots(&'a ObjectPlan),
    /// An array whose items are produced by node `.0` (of an object planned by `.1`).
    Items(&'a Node, &'a ObjectPlan),
}

impl<'a> Form<'a> {
    /// The form of the value of field `node` (of an object planned by `plan`), as
    /// `dynamic::write_value` reads it.
    fn of(node: &'a Node, plan: &'a ObjectPlan) -> Form<'a> {
        match &node.how {
            NodeGen::Object(p) => Form::Slots(p),
            NodeGen::Array { item, .. } => Form::Items(item, plan),
            NodeGen::Compute { rule: CompiledCompute::Copy(o), .. } => match plan.fields.get(*o) {
                Some(source) => Form::of(source, plan),
                None => Form::Public,
            },
            _ => Form::Public,
        }
    }
}

/// One column's builder (nested ones hold their children's).
enum Column {
    Int64(Int64Builder, String),
    Float64(Float64Builder, String),
    Decimal { builder: Decimal128Builder, precision: u8, scale: i8, path: String, text: String },
    Boolean(BooleanBuilder, String),
    Date32(Date32Builder, String),
    Timestamp(TimestampMicrosecondBuilder, Tz, String),
    Utf8(StringBuilder, String),
    Struct { fields: Fields, children: Vec<Column>, nulls: NullBufferBuilder, path: String },
    List { item: FieldRef, offsets: Vec<i32>, child: Box<Column>, nulls: NullBufferBuilder, path: String },
}

impl Column {
    fn new(data_type: &DataType, path: &str) -> Result<Column, ExportError> {
        let path = path.to_owned();
        Ok(match data_type {
            DataType::Int64 => Column::Int64(Int64Builder::new(), path),
            DataType::Float64 => Column::Float64(Float64Builder::new(), path),
            DataType::Decimal128(precision, scale) => Column::Decimal {
                builder: Decimal128Builder::new().with_data_type(data_type.clone()),
                precision: *precision,
                scale: *scale,
                path,
                text: String::new(),
            },
            DataType::Boolean => Column::Boolean(BooleanBuilder::new(), path),
            DataType::Date32 => Column::Date32(Date32Builder::new(), path),
            DataType::Timestamp(TimeUnit::Microsecond, tz) => {
                let zone = tz.as_deref().unwrap_or("+00:00").parse::<Tz>().map_err(arrow_error)?;
                Column::Timestamp(
                    TimestampMicrosecondBuilder::new().with_data_type(data_type.clone()),
                    zone,
                    path,
                )
            }
            DataType::Utf8 => Column::Utf8(StringBuilder::new(), path),
            DataType::Struct(fields) => Column::Struct {
                children: fields
                    .iter()
                    .map(|f| Column::new(f.data_type(), &format!("{path}.{}", f.name())))
                    .collect::<Result<_, _>>()?,
                fields: fields.clone(),
                nulls: NullBufferBuilder::new(0),
                path,
            },
            DataType::List(item) => Column::List {
                child: Box::new(Column::new(item.data_type(), &format!("{path}[]"))?),
                item: item.clone(),
                offsets: vec![0],
                nulls: NullBufferBuilder::new(0),
                path,
            },
            other => {
                return Err(ExportError::InvalidColumn {
                    column: path,
                    reason: format!("no record builder for Arrow type {other}"),
                });
            }
        })
    }

    fn path(&self) -> &str {
        match self {
            Column::Int64(_, p)
            | Column::Float64(_, p)
            | Column::Boolean(_, p)
            | Column::Date32(_, p)
            | Column::Timestamp(_, _, p)
            | Column::Utf8(_, p) => p,
            Column::Decimal { path, .. } | Column::Struct { path, .. } | Column::List { path, .. } => path,
        }
    }

    fn append_null(&mut self) {
        match self {
            Column::Int64(b, _) => b.append_null(),
            Column::Float64(b, _) => b.append_null(),
            Column::Decimal { builder, .. } => builder.append_null(),
            Column::Boolean(b, _) => b.append_null(),
            Column::Date32(b, _) => b.append_null(),
            Column::Timestamp(b, _, _) => b.append_null(),
            Column::Utf8(b, _) => b.append_null(),
            Column::Struct { children, nulls, .. } => {
                children.iter_mut().for_each(Column::append_null);
                nulls.append_null();
            }
            Column::List { offsets, nulls, .. } => {
                offsets.push(offsets.last().copied().unwrap_or(0));
                nulls.append_null();
            }
        }
    }

    /// Appends `v`, laid out as `form` says.
    fn append(&mut self, v: &Value, form: Form<'_>) -> Result<(), ExportError> {
        if v.is_null() {
            self.append_null();
            return Ok(());
        }
        let appended = match self {
            Column::Int64(b, _) => scalar(v, to_i64, Int64Type::parse).map(|x| b.append_value(x)),
            Column::Float64(b, _) => scalar(v, Number::as_f64, Float64Type::parse).map(|x| b.append_value(x)),
            Column::Date32(b, _) => scalar(v, to_i32, Date32Type::parse).map(|x| b.append_value(x)),
            Column::Boolean(b, _) => v.as_bool().map(|x| b.append_value(x)),
            Column::Timestamp(b, zone, _) => match v {
                Value::String(s) => {
                    string_to_datetime(&*zone, s).ok().map(|t| b.append_value(t.timestamp_micros()))
                }
                Value::Number(n) => to_i64(n).map(|x| b.append_value(x)),
                _ => None,
            },
            Column::Utf8(b, _) => match v {
                Value::String(s) => {
                    b.append_value(s);
                    Some(())
                }
                Value::Number(n) => {
                    b.append_value(n.to_string());
                    Some(())
                }
                Value::Bool(x) => {
                    b.append_value(if *x { "true" } else { "false" });
                    Some(())
                }
                _ => None,
            },
            Column::Decimal { builder, precision, scale, text, path } => {
                let x = decimal(v, *precision, *scale, text).map_err(|reason| invalid(path, reason))?;
                builder.append_value(x);
                Some(())
            }
            Column::Struct { .. } => return self.append_object(v, form),
            Column::List { .. } => return self.append_list(v, form),
        };
        appended.ok_or_else(|| self.mismatch(v))
    }

    fn append_object(&mut self, v: &Value, form: Form<'_>) -> Result<(), ExportError> {
        let Column::Struct { fields, children, nulls, path } = self else { return Ok(()) };
        match (v, form) {
            (Value::Array(slots), Form::Slots(plan)) => {
                for (at, (field, child)) in fields.iter().zip(children.iter_mut()).enumerate() {
                    match position(plan, at, field.name()).filter(|&s| s < slots.len()) {
                        Some(s) => child.append(&slots[s], Form::of(&plan.fields[s], plan))?,
                        None => child.append_null(),
                    }
                }
            }
            (Value::Object(map), _) => {
                for (field, child) in fields.iter().zip(children.iter_mut()) {
                    match map.get(field.name()) {
                        Some(member) => child.append(member, Form::Public)?,
                        None => child.append_null(),
                    }
                }
            }
            _ => return Err(mismatch(path, v)),
        }
        nulls.append_non_null();
        Ok(())
    }

    fn append_list(&mut self, v: &Value, form: Form<'_>) -> Result<(), ExportError> {
        let Column::List { offsets, child, nulls, path, .. } = self else { return Ok(()) };
        let (Value::Array(items), Form::Public | Form::Items(..)) = (v, form) else {
            return Err(mismatch(path, v));
        };
        let item_form = match form {
            Form::Items(item, plan) => Form::of(item, plan),
            _ => Form::Public,
        };
        for item in items {
            child.append(item, item_form)?;
        }
        let end = offsets.last().map_or(0, |&o| o as usize) + items.len();
        let end = i32::try_from(end)
            .map_err(|_| invalid(path, "more than 2^31 list items in one batch".to_owned()))?;
        offsets.push(end);
        nulls.append_non_null();
        Ok(())
    }

    fn finish(&mut self) -> Result<ArrayRef, ExportError> {
        Ok(match self {
            Column::Int64(b, _) => Arc::new(b.finish()),
            Column::Float64(b, _) => Arc::new(b.finish()),
            Column::Decimal { builder, .. } => Arc::new(builder.finish()),
            Column::Boolean(b, _) => Arc::new(b.finish()),
            Column::Date32(b, _) => Arc::new(b.finish()),
            Column::Timestamp(b, _, _) => Arc::new(b.finish()),
            Column::Utf8(b, _) => Arc::new(b.finish()),
            Column::Struct { fields, children, nulls, .. } => {
                let arrays = children.iter_mut().map(Column::finish).collect::<Result<Vec<_>, _>>()?;
                let len = nulls.len();
                let array = if arrays.is_empty() {
                    StructArray::new_empty_fields(len, nulls.finish())
                } else {
                    StructArray::try_new(fields.clone(), arrays, nulls.finish()).map_err(arrow_error)?
                };
                Arc::new(array)
            }
            Column::List { item, offsets, child, nulls, .. } => {
                let values = child.finish()?;
                let offsets = OffsetBuffer::new(ScalarBuffer::from(std::mem::replace(offsets, vec![0])));
                Arc::new(
                    ListArray::try_new(item.clone(), offsets, values, nulls.finish()).map_err(arrow_error)?,
                )
            }
        })
    }

    fn mismatch(&self, v: &Value) -> ExportError {
        mismatch(self.path(), v)
    }
}

fn mismatch(path: &str, v: &Value) -> ExportError {
    invalid(path, format!("{} does not fit the column's type", sample(v)))
}

fn invalid(path: &str, reason: String) -> ExportError {
    ExportError::InvalidColumn { column: path.to_owned(), reason }
}

/// A decimal from a JSON number (through its JSON text, in `text`) or a string, by Arrow's
/// parser: what `arrow-json` stores.
fn decimal(v: &Value, precision: u8, scale: i8, text: &mut String) -> Result<i128, String> {
    let digits = match v {
        Value::String(s) => s.as_str(),
        Value::Number(n) => {
            text.clear();
            let _ = write!(text, "{n}");
            text.as_str()
        }
        _ => return Err(format!("{} does not fit the column's type", sample(v))),
    };
    parse_decimal::<Decimal128Type>(digits, precision, scale)
        .map_err(|e| format!("{} does not fit: {e}", sample(v)))
}

/// A primitive from a JSON number (`number`) or string (`text`, Arrow's parser), as
/// `arrow-json` converts them; `None` for other values or failed conversions.
fn scalar<T>(
    v: &Value,
    number: impl Fn(&Number) -> Option<T>,
    text: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    match v {
        Value::Number(n) => number(n),
        Value::String(s) => text(s),
        _ => None,
    }
}

/// A JSON number as `i64`: integers as they are, floats truncated when in range (the
/// integer parse of `arrow-json`, then its float fallback).
fn to_i64(n: &Number) -> Option<i64> {
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    let f = n.as_f64()?;
    // The exact `i64` range of `f64`s, as `num_traits::NumCast` checks it.
    (f > -9_223_372_036_854_777_856.0 && f < 9_223_372_036_854_775_808.0).then_some(f as i64)
}

fn to_i32(n: &Number) -> Option<i32> {
    if let Some(i) = n.as_i64() {
        return i32::try_from(i).ok();
    }
    let f = n.as_f64()?;
    (f > -2_147_483_649.0 && f < 2_147_483_648.0).then_some(f as i32)
}

/// A short rendering of a value for error messages.
fn sample(v: &Value) -> String {
    let mut text = v.to_string();
    if text.len() > 60 {
        let cut = (0..=57).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        text.truncate(cut);
        text.push_str("...");
    }
    text
}
