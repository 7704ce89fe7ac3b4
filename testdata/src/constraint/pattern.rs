//! TEMPORARY stub (replaced by the pattern branch).
#![allow(missing_docs)]
use crate::Gen;
#[derive(Clone, Debug)]
pub struct Pattern {
    src: String,
}
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
#[error("pattern error {0}")]
pub struct PatternError(String);
impl Pattern {
    pub fn new(regex: &str, _min: Option<usize>, _max: Option<usize>) -> Result<Pattern, PatternError> {
        Ok(Pattern { src: regex.into() })
    }
    pub fn as_str(&self) -> &str {
        &self.src
    }
    pub fn generate(&self, _g: &mut Gen) -> String {
        self.src.clone()
    }
    pub fn is_match(&self, s: &str) -> bool {
        s == self.src
    }
    pub fn len_range(&self) -> (usize, usize) {
        (0, 0)
    }
}
