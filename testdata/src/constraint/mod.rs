//! The constraint model: what a generated value must satisfy, met by construction.
//!
//! * [`pattern`] — regular expressions intersected with length bounds, met by construction;
//! * [`template`] — `format` templates for identifiers (`ORD-{year}-{digits:7}`);
//! * [`unique`] — a keyed permutation of the index space, for `unique` fields;
//! * [`Violation`] — what `validate` reports, with the path of the offending value.

pub mod pattern;
pub mod template;
pub mod unique;

use std::fmt;

/// One broken rule found by `validate`: where, which rule, and what is wrong.
///
/// ```
/// use testdata::constraint::Violation;
/// let v = Violation::new("items[2].price", "min", "0 is below the minimum 0.01");
/// assert_eq!(v.to_string(), "items[2].price: min: 0 is below the minimum 0.01");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The path of the value, such as `items[2].price` (empty for the record itself).
    pub path: String,
    /// The rule that is broken (`min`, `max`, `length`, `pattern`, `one_of`, `format`, `type`,
    /// `required`, `computed`, `after`, `kind`, …).
    pub rule: &'static str,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl Violation {
    /// A violation at `path` of `rule`.
    pub fn new(path: impl Into<String>, rule: &'static str, message: impl Into<String>) -> Violation {
        Violation { path: path.into(), rule, message: message.into() }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.rule, self.message)
        } else {
            write!(f, "{}: {}: {}", self.path, self.rule, self.message)
        }
    }
}
