//! Which keys of a field apply to its type: a key that does not (`min_length` on an array,
//! `min` on a string) is a load error naming the key to use instead, so a typo or a key
//! from another type never passes silently. (Unknown keys are refused by `FieldDef`'s
//! `deny_unknown_fields`.)

use super::def::{FieldDef, FieldType};

use FieldType as T;

const TEXT: &[FieldType] = &[T::String, T::Uuid, T::Email, T::Phone];
const NUMBERS_AND_TIMES: &[FieldType] = &[T::Integer, T::Float, T::Decimal, T::Date, T::Datetime];
const NUMBERS: &[FieldType] = &[T::Integer, T::Float, T::Decimal];
const TIMES: &[FieldType] = &[T::Date, T::Datetime];

/// A key given on a field whose type it does not apply to, and what to write instead.
pub(crate) struct Misplaced {
    /// The key as written.
    pub key: &'static str,
    /// The sentence of the error.
    pub message: String,
}

/// The first key of `d` that does not apply to its type `ty`.
pub(crate) fn misplaced_key(d: &FieldDef, ty: FieldType) -> Option<Misplaced> {
    let given: [(&'static str, bool, &[FieldType]); 15] = [
        ("min_length", d.min_length.is_some(), TEXT),
        ("max_length", d.max_length.is_some(), TEXT),
        ("min_items", d.min_items.is_some(), &[T::Array]),
        ("max_items", d.max_items.is_some(), &[T::Array]),
        ("min", d.min.is_some(), NUMBERS_AND_TIMES),
        ("max", d.max.is_some(), NUMBERS_AND_TIMES),
        ("exclusive_min", d.exclusive_min.is_some(), NUMBERS_AND_TIMES),
        ("exclusive_max", d.exclusive_max.is_some(), NUMBERS_AND_TIMES),
        ("pattern", d.pattern.is_some(), TEXT),
        ("precision", d.precision.is_some(), NUMBERS),
        ("scale", d.scale.is_some(), NUMBERS),
        ("after", d.after.is_some(), TIMES),
        ("before", d.before.is_some(), TIMES),
        ("max_gap", d.max_gap.is_some(), TIMES),
        ("items", d.items.is_some(), &[T::Array]),
    ];
    let (key, _, applies) = given.into_iter().find(|(_, set, applies)| *set && !applies.contains(&ty))?;
    let instead = match (key, ty) {
        ("min_length" | "max_length", T::Array) => {
            format!("; use `{}` for an array's element count", key.replace("length", "items"))
        }
        ("min_items" | "max_items", t) if TEXT.contains(&t) => {
            format!("; use `{}` for a string's length", key.replace("items", "length"))
        }
        ("min" | "max" | "exclusive_min" | "exclusive_max", t) if TEXT.contains(&t) => {
            "; use `min_length`/`max_length` for a string's length".to_owned()
        }
        ("min" | "max" | "exclusive_min" | "exclusive_max", T::Array) => {
            "; use `min_items`/`max_items` for an array's element count".to_owned()
        }
        _ => String::new(),
    };
    let types: Vec<String> = applies.iter().map(|t| format!("{t:?}").to_lowercase()).collect();
    Some(Misplaced {
        key,
        message: format!(
            "`{key}` does not apply to a field of type {} (it applies to {}){instead}",
            format!("{ty:?}").to_lowercase(),
            types.join(", ")
        ),
    })
}
