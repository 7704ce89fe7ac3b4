//! TEMPORARY stub of the kinds API (replaced by the kinds branch).
#![allow(missing_docs)]
use crate::{Context, Gen, Key};

#[derive(Clone, Copy, Debug)]
pub struct Scope<'a> {
    pub key: Key,
    pub ctx: &'a Context,
}
impl<'a> Scope<'a> {
    pub fn new(key: Key, ctx: &'a Context) -> Self {
        Scope { key, ctx }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Uuid,
    FirstName,
    LastName,
    Email,
    Word,
    Sentence,
}
impl Kind {
    pub const ALL: &'static [Kind] = &[Kind::Uuid, Kind::FirstName, Kind::LastName, Kind::Email, Kind::Word, Kind::Sentence];
    pub const fn name(self) -> &'static str {
        match self {
            Kind::Uuid => "uuid",
            Kind::FirstName => "first_name",
            Kind::LastName => "last_name",
            Kind::Email => "email",
            Kind::Word => "word",
            Kind::Sentence => "sentence",
        }
    }
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.name() == name)
    }
    pub const fn doc(self) -> &'static str {
        "stub"
    }
    pub fn generate(self, g: &mut Gen, _s: &Scope<'_>) -> String {
        match self {
            Kind::Uuid => format!("{:016x}", g.next_u64()),
            _ => "abc".to_string(),
        }
    }
    pub fn check(self, value: &str) -> Result<(), &'static str> {
        if value.is_empty() { Err("empty") } else { Ok(()) }
    }
    pub const fn len_bounds(self) -> (usize, Option<usize>) {
        (1, None)
    }
    pub fn infer(field_name: &str) -> Option<Kind> {
        Kind::from_name(field_name)
    }
}
