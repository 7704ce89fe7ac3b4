//! Semantic value generators: the shared vocabulary of the derive attributes, the runtime
//! schema, the LLM prompts and the validators.
//!
//! Each kind is a function `fn(&mut Gen, &Scope) -> String` and a [`Kind`] variant that
//! dispatches to it, knows its name, its documented shape, its length bounds, and checks
//! values claimed to be of it.
//!
//! ```
//! use testdata::kinds::{Kind, Scope};
//! use testdata::{Context, Key, Seed, seed::name_key};
//!
//! let ctx = Context::default();
//! let user = Key::root(Seed::new(7), name_key("User"), 0);
//! let scope = Scope::new(user, &ctx);
//! let email = Kind::Email.generate(&mut user.field(name_key("email")), &scope);
//! assert!(Kind::Email.check(&email).is_ok());
//! assert_eq!(email, Kind::Email.generate(&mut user.field(name_key("email")), &scope));
//! ```
//!
//! # Data and determinism
//!
//! The tables come from the `fake` crate's locale data (names, street suffixes, phone formats,
//! company suffixes, job titles, lorem words) and from our own tables in `data.rs` (regions with
//! postal-code prefixes and cities, products, colours, file types, currencies, user agents).
//! All sampling is ours ([`Gen`]); `fake`'s generators and `rand`'s distributions are never
//! called, so the output only changes when our code or tables change.
//!
//! # Coherence within a record
//!
//! Kinds that describe one thing of a record draw that thing from a dedicated sub-stream of the
//! record key ([`Scope::key`]), not from the field's own stream, so they agree with each other
//! while every field stays independently computable (adding or removing a field never changes
//! another one):
//!
//! | sub-stream (`key.child(name_key(tag))`) | kinds that agree |
//! |---|---|
//! | [`PERSON`] `"$person"` | first_name, last_name, full_name, username, email, safe_email |
//! | [`ADDRESS`] `"$address"` | state, state_abbr, zip, city, country, country_code, latitude, longitude, time_zone |
//! | [`PRODUCT`] `"$product"` | category, sku |
//! | [`CURRENCY`] `"$currency"` | currency_code, currency_name |
//! | [`FILE`] `"$file"` | file_name, file_extension, mime_type |
//!
//! `country` and `country_code` follow the record's locale (its address), named in the
//! locale's language (`United States`, `France`, `Deutschland`, `Brasil`, `日本`).
//!
//! Per-field variety (email provider and digits, username separator, street) comes from the
//! field's own stream.

use std::cell::Cell;
use std::fmt;
use std::str::FromStr;

use crate::context::{Context, Locale};
use crate::rng::Gen;
use crate::seed::Key;
use testdata_core::kinds::{KINDS, KindInfo};

mod address;
mod check;
mod commerce;
mod data;
mod internet;
mod misc;
mod person;
mod text;
mod util;

#[cfg(test)]
mod tests;

pub use address::{
    ADDRESS, building_number, city, country, country_code, latitude, longitude, secondary_address, state,
    state_abbr, street, street_name, time_zone, zip,
};
pub use commerce::{
    CURRENCY, PRODUCT, catch_phrase, category, color, color_name, company, company_suffix, credit_card,
    currency_code, currency_name, ean13, iban, industry, isbn13, product_name, sku,
};
pub use internet::{domain, hashtag, ipv4, ipv6, mac_address, password, slug, url, user_agent, uuid};
pub use misc::{
    FILE, cell_phone, file_extension, file_name, language_code, license_plate, mime_type, phone, semver,
};
pub use person::{
    PERSON, email, first_name, full_name, job_title, last_name, name_title, profession, safe_email, username,
};
pub use text::{paragraph, sentence, word, words};

/// The record (object) a field belongs to, plus the run's settings. One scope serves every
/// field of a record: the record's person and place are drawn once, on first use, and shared
/// by its name, email, city and postal-code fields (the same values as drawing them per field,
/// which a scope per field does).
#[derive(Clone, Debug)]
pub struct Scope<'a> {
    /// The record's key: coherent kinds draw from its sub-streams.
    pub key: Key,
    /// The run's settings (locale, anchor).
    pub ctx: &'a Context,
    /// The first draw of the `$person` stream of the key it was made for, once made.
    person: Cell<Option<(Key, u64)>>,
    /// The region index drawn for a key and a locale, once drawn.
    region: Cell<Option<(Key, Locale, usize)>>,
}

impl<'a> Scope<'a> {
    /// The scope of the record `key` under the settings `ctx`.
    #[inline]
    pub fn new(key: Key, ctx: &'a Context) -> Self {
        Scope { key, ctx, person: Cell::new(None), region: Cell::new(None) }
    }

    /// The first draw of the record's [`PERSON`] stream. (The caches remember the key and
    /// locale they were filled for, so a scope whose public fields are changed stays right.)
    #[inline]
    pub(crate) fn person_draw(&self) -> u64 {
        if let Some((k, x)) = self.person.get()
            && k == self.key
        {
            return x;
        }
        let x = self.key.child(PERSON).stream().next_u64();
        self.person.set(Some((self.key, x)));
        x
    }

    /// The record's region: an index below `regions` (the size of the locale's region table),
    /// drawn first from its [`ADDRESS`] stream.
    #[inline]
    pub(crate) fn region(&self, regions: usize) -> usize {
        let locale = self.ctx.locale();
        if let Some((k, l, i)) = self.region.get()
            && k == self.key
            && l == locale
            && i < regions
        {
            return i;
        }
        let i = self.key.child(ADDRESS).stream().index(regions);
        self.region.set(Some((self.key, locale, i)));
        i
    }
}

macro_rules! kinds {
    ($( $v:ident = $f:ident, ($min:expr, $max:expr), $fit:ident, $doc:literal; )*) => {
        /// A semantic kind of string value. See the [module docs](self).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Kind {
            $( #[doc = $doc] $v, )*
        }

        impl Kind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [Kind] = &[$(Kind::$v),*];

            /// Generates a value: draws variety from `g` (the field's stream) and record-level
            /// coherence from `s`.
            #[inline]
            pub fn generate(self, g: &mut Gen, s: &Scope<'_>) -> String {
                match self { $(Kind::$v => $f(g, s)),* }
            }
        }
    };
}

// The kinds, their names, bounds and descriptions live in `testdata_core::kinds`, which the
// derive reads too; `Kind::ALL[i]` is `KINDS[i]`.
testdata_core::for_each_kind!(kinds);

impl Kind {
    /// What the shared vocabulary says about this kind.
    #[inline]
    const fn info(self) -> &'static KindInfo {
        &KINDS[self as usize]
    }

    /// The kind's snake_case name (`first_name`).
    pub const fn name(self) -> &'static str {
        self.info().name
    }

    /// One line describing the output shape.
    pub const fn doc(self) -> &'static str {
        self.info().doc
    }

    /// The minimum and maximum number of chars (not bytes) the generator can produce,
    /// across every locale (`None`: no useful upper bound).
    pub const fn len_bounds(self) -> (usize, Option<usize>) {
        (self.info().min_len, self.info().max_len)
    }

    /// Whether values may be cut or extended to meet length bounds and stay realistic.
    pub const fn free_text(self) -> bool {
        self.info().free_text
    }

    /// The kind of an entry of the shared vocabulary.
    fn of(info: &KindInfo) -> Kind {
        // `KINDS` and `Kind::ALL` are built from the same list, in the same order.
        let i = KINDS.iter().position(|k| k.name == info.name).unwrap_or(0);
        Kind::ALL[i]
    }
}

impl Kind {
    /// The kind named `name`: an exact [`Kind::name`] or one of a few aliases (`zip_code`,
    /// `postal_code`, `ip`, `ip_address`, `company_name`, `phone_number`, `street_address`,
    /// `surname`, `given_name`, …). Case-sensitive; [`FromStr`] is more tolerant.
    pub fn from_name(name: &str) -> Option<Kind> {
        testdata_core::kinds::from_name(name).map(Kind::of)
    }

    /// Checks that `value` has the kind's shape; `Err` says what is wrong
    /// (`"is not an email address (local@domain.tld)"`).
    pub fn check(self, value: &str) -> Result<(), &'static str> {
        check::check(self, value)
    }

    /// The kind a field name clearly asks for (`email`, `userEmail`, `billing_zip_code`,
    /// `ipAddress`), or `None` when unsure. Plain `*_id` fields are never inferred.
    pub fn infer(field_name: &str) -> Option<Kind> {
        testdata_core::kinds::infer(field_name).map(Kind::of)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A kind name that is not a known kind.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown kind `{name}`{}Known kinds: {}", suggestion_text(.suggestion), known_kinds())]
pub struct UnknownKind {
    /// The name as given.
    pub name: String,
    /// The closest known name, if one is close.
    pub suggestion: Option<&'static str>,
}

fn suggestion_text(s: &Option<&'static str>) -> String {
    match s {
        Some(s) => format!("; did you mean `{s}`? "),
        None => ". ".to_owned(),
    }
}

fn known_kinds() -> String {
    let mut out = String::new();
    for (i, k) in Kind::ALL.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(k.name());
    }
    out
}

impl FromStr for Kind {
    type Err = UnknownKind;

    /// Parses a kind name: exact names and aliases, case-insensitive, `-` or ` ` for `_`.
    fn from_str(s: &str) -> Result<Kind, UnknownKind> {
        let norm: String = s
            .trim()
            .chars()
            .map(|c| if c == '-' || c == ' ' { '_' } else { c.to_ascii_lowercase() })
            .collect();
        Kind::from_name(&norm).ok_or_else(|| UnknownKind {
            name: s.to_owned(),
            suggestion: testdata_core::kinds::closest(&norm),
        })
    }
}
