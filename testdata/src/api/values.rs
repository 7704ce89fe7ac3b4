//! The typed side of generation: how the numbers, instants and strings the shared sampling
//! ([`crate::sample`]) draws become Rust values, and the typed checks of `validate()`.
//!
//! `#[derive(TestData)]` resolves every field at compile time into a plan (integer range,
//! kind, pattern, …) and emits calls to these conversions, so the field's type decides the
//! representation while the drawn value stays the one the runtime schema draws:
//!
//! | trait | plan | implemented for |
//! |---|---|---|
//! | [`FromInt`] | integer in a range | all integer primitives |
//! | [`FromFloat`] | float in a range | `f32`, `f64` |
//! | [`FromText`] | kind, text, pattern, format, one_of | `String`, `Box<str>`, `char`, `IpAddr`, `Ipv4Addr`, `Ipv6Addr` |
//! | [`FromUuid`] | the `uuid` kind | `String`, `uuid::Uuid` (feature `uuid`) |
//! | [`FromInstant`] | timestamp in a range | `SystemTime`, `chrono::DateTime<Utc>`, `chrono::NaiveDateTime` (feature `chrono`) |
//! | [`FromDay`] | date in a range | `chrono::NaiveDate` (feature `chrono`) |
//! | [`FromUnits`] | decimal in units of a scale | `rust_decimal::Decimal` (feature `rust_decimal`), `f64` |
//!
//! `Option`, `Vec`, arrays, `Box`, `HashMap`/`BTreeMap`, tuples, `Duration` and nested
//! `TestData` types are composed by the derive itself.

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::api::Path;
use crate::constraint::Violation;
use crate::constraint::pattern::Pattern;
use crate::constraint::template::Template;
use crate::kinds::Kind;
use crate::time;

/// Integers drawn in a range of `i64`.
pub trait FromInt: Copy {
    /// The value of `v` (inside the type's range by construction).
    fn from_i64(v: i64) -> Self;
    /// The value as `i128`, for checks.
    fn to_i128(self) -> i128;
}

macro_rules! ints {
    ($($t:ty),*) => {$(
        impl FromInt for $t {
            #[inline(always)]
            fn from_i64(v: i64) -> Self { v as $t }
            #[inline(always)]
            fn to_i128(self) -> i128 { self as i128 }
        }
    )*};
}
ints!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

/// Floats drawn in a range of `f64`.
pub trait FromFloat: Copy {
    /// The value of `v`.
    fn from_f64(v: f64) -> Self;
    /// The value as `f64`, for checks.
    fn to_f64(self) -> f64;
}

impl FromFloat for f64 {
    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        v
    }
    fn to_f64(self) -> f64 {
        self
    }
}

impl FromFloat for f32 {
    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        v as f32
    }
    fn to_f64(self) -> f64 {
        self as f64
    }
}

/// Values made from generated text.
pub trait FromText: Sized {
    /// The value of the text `s`.
    fn from_text(s: String) -> Self;
    /// The value as text, for checks.
    fn as_text(&self) -> Cow<'_, str>;
}

impl FromText for String {
    #[inline(always)]
    fn from_text(s: String) -> Self {
        s
    }
    fn as_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl FromText for Box<str> {
    fn from_text(s: String) -> Self {
        s.into_boxed_str()
    }
    fn as_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl FromText for char {
    /// The first character (`' '` for empty text).
    fn from_text(s: String) -> Self {
        s.chars().next().unwrap_or(' ')
    }
    fn as_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

impl FromText for IpAddr {
    /// Parses an `ipv4`/`ipv6` kind value (the unspecified address for other text).
    fn from_text(s: String) -> Self {
        s.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }
    fn as_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

impl FromText for Ipv4Addr {
    fn from_text(s: String) -> Self {
        s.parse().unwrap_or(Ipv4Addr::UNSPECIFIED)
    }
    fn as_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

impl FromText for Ipv6Addr {
    fn from_text(s: String) -> Self {
        s.parse().unwrap_or(Ipv6Addr::UNSPECIFIED)
    }
    fn as_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

/// Values made from the two halves of a version-4 UUID.
pub trait FromUuid: Sized {
    /// The UUID whose high and low 64 bits are `hi` and `lo`.
    fn from_bits(hi: u64, lo: u64) -> Self;
    /// The value as text, for checks.
    fn as_text(&self) -> Cow<'_, str>;
}

impl FromUuid for String {
    fn from_bits(hi: u64, lo: u64) -> Self {
        crate::sample::uuid_string(hi, lo)
    }
    fn as_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

#[cfg(feature = "uuid")]
impl FromUuid for uuid::Uuid {
    #[inline(always)]
    fn from_bits(hi: u64, lo: u64) -> Self {
        uuid::Uuid::from_u64_pair(hi, lo)
    }
    fn as_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.hyphenated().to_string())
    }
}

/// Instants drawn as seconds since the Unix epoch (UTC).
pub trait FromInstant: Sized {
    /// The instant `t` seconds after 1970-01-01T00:00:00Z.
    fn from_unix(t: i64) -> Self;
    /// Seconds since the epoch, for checks.
    fn to_unix(&self) -> i64;
}

impl FromInstant for std::time::SystemTime {
    fn from_unix(t: i64) -> Self {
        let d = std::time::Duration::from_secs(t.unsigned_abs());
        if t >= 0 { std::time::UNIX_EPOCH + d } else { std::time::UNIX_EPOCH - d }
    }
    fn to_unix(&self) -> i64 {
        match self.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_secs() as i64,
            Err(e) => -(e.duration().as_secs() as i64),
        }
    }
}

#[cfg(feature = "chrono")]
impl FromInstant for chrono::DateTime<chrono::Utc> {
    #[inline]
    fn from_unix(t: i64) -> Self {
        chrono::DateTime::from_timestamp(t, 0).unwrap_or_default()
    }
    fn to_unix(&self) -> i64 {
        self.timestamp()
    }
}

#[cfg(feature = "chrono")]
impl FromInstant for chrono::NaiveDateTime {
    fn from_unix(t: i64) -> Self {
        chrono::DateTime::from_timestamp(t, 0).unwrap_or_default().naive_utc()
    }
    fn to_unix(&self) -> i64 {
        self.and_utc().timestamp()
    }
}

/// Calendar dates drawn as days since 1970-01-01.
pub trait FromDay: Sized {
    /// The date `d` days after 1970-01-01.
    fn from_day(d: i64) -> Self;
    /// Days since the epoch, for checks.
    fn to_day(&self) -> i64;
}

#[cfg(feature = "chrono")]
impl FromDay for chrono::NaiveDate {
    fn from_day(d: i64) -> Self {
        let (y, m, day) = time::civil_from_days(d);
        chrono::NaiveDate::from_ymd_opt(y as i32, m, day).unwrap_or_default()
    }
    fn to_day(&self) -> i64 {
        use chrono::Datelike;
        time::days_from_civil(self.year() as i64, self.month(), self.day())
    }
}

/// Exact decimals drawn in integer units of a scale (`1999` at scale 2 is `19.99`).
pub trait FromUnits: Sized {
    /// The value `units × 10^-scale`.
    fn from_units(units: i64, scale: u32) -> Self;
    /// `(mantissa, scale)`, for checks.
    fn to_parts(&self) -> (i128, u32);
}

#[cfg(feature = "rust_decimal")]
impl FromUnits for rust_decimal::Decimal {
    #[inline]
    fn from_units(units: i64, scale: u32) -> Self {
        rust_decimal::Decimal::new(units, scale)
    }
    fn to_parts(&self) -> (i128, u32) {
        (self.mantissa(), self.scale())
    }
}

/// The checks `validate()` runs on typed values; each appends a [`Violation`] with the path.
pub mod check {
    use super::*;

    fn push(out: &mut Vec<Violation>, path: &Path<'_>, rule: &'static str, msg: String) {
        out.push(Violation::new(path.to_string(), rule, msg));
    }

    fn describe(s: &str) -> String {
        if s.chars().count() > 60 {
            format!("\"{}…\"", s.chars().take(60).collect::<String>())
        } else {
            format!("{s:?}")
        }
    }

    /// An integer inside `lo..=hi`.
    pub fn int(out: &mut Vec<Violation>, path: &Path<'_>, v: i128, lo: i64, hi: i64) {
        if v < lo as i128 {
            push(out, path, "min", format!("{v} is below the minimum {lo}"));
        } else if v > hi as i128 {
            push(out, path, "max", format!("{v} is above the maximum {hi}"));
        }
    }

    /// A float inside `lo..=hi`.
    pub fn float(out: &mut Vec<Violation>, path: &Path<'_>, v: f64, lo: f64, hi: f64) {
        if v.is_nan() || v < lo {
            push(out, path, "min", format!("{v} is below the minimum {lo}"));
        } else if v > hi {
            push(out, path, "max", format!("{v} is above the maximum {hi}"));
        }
    }

    /// A decimal `(mantissa, scale)` with at most `scale` decimals, inside `lo..=hi` units.
    pub fn units(
        out: &mut Vec<Violation>,
        path: &Path<'_>,
        parts: (i128, u32),
        lo: i64,
        hi: i64,
        scale: u32,
    ) {
        let (m, s) = parts;
        let p = |e: u32| 10i128.checked_pow(e).unwrap_or(i128::MAX);
        let units = if s > scale {
            if m % p(s - scale) != 0 {
                push(out, path, "scale", format!("has more than {scale} decimals"));
            }
            m / p(s - scale)
        } else {
            m.saturating_mul(p(scale - s))
        };
        let show = |u: i64| u as f64 / p(scale) as f64;
        if units < lo as i128 {
            push(out, path, "min", format!("{} is below the minimum {}", m as f64 / p(s) as f64, show(lo)));
        } else if units > hi as i128 {
            push(out, path, "max", format!("{} is above the maximum {}", m as f64 / p(s) as f64, show(hi)));
        }
    }

    /// A collection or string length inside `lo..=hi`.
    pub fn len(out: &mut Vec<Violation>, path: &Path<'_>, n: usize, lo: usize, hi: usize) {
        if n < lo || n > hi {
            push(out, path, "length", format!("{n} elements, outside {lo}..={hi}"));
        }
    }

    /// Text of `min..=max` characters.
    pub fn text(out: &mut Vec<Violation>, path: &Path<'_>, s: &str, min: usize, max: usize) {
        let n = s.chars().count();
        if n < min || n > max {
            push(out, path, "length", format!("{n} characters, outside {min}..={max}"));
        }
    }

    /// A value of `kind` (only its length when it was fitted to `fit`).
    pub fn kind(out: &mut Vec<Violation>, path: &Path<'_>, s: &str, kind: Kind, fit: Option<(usize, usize)>) {
        if let Some((lo, hi)) = fit {
            text(out, path, s, lo, hi);
        } else if let Err(e) = kind.check(s) {
            push(out, path, "kind", format!("{} {e}", describe(s)));
        }
    }

    /// A match of `pattern`.
    pub fn pattern(out: &mut Vec<Violation>, path: &Path<'_>, s: &str, pattern: Option<&Pattern>) {
        if let Some(p) = pattern
            && !p.is_match(s)
        {
            push(out, path, "pattern", format!("{} does not match `{}`", describe(s), p.as_str()));
        }
    }

    /// A rendering of the `format` template.
    pub fn template(
        out: &mut Vec<Violation>,
        path: &Path<'_>,
        s: &str,
        t: Option<&Template>,
        ctx: &crate::Context,
    ) {
        if let Some(t) = t
            && !t.matches(s, ctx, &|_| None)
        {
            push(out, path, "format", format!("{} does not follow the format `{}`", describe(s), t.as_str()));
        }
    }

    /// One of the allowed values.
    pub fn one_of(out: &mut Vec<Violation>, path: &Path<'_>, found: bool, shown: &dyn std::fmt::Debug) {
        if !found {
            push(out, path, "one_of", format!("{shown:?} is not one of the allowed values"));
        }
    }

    /// An instant (seconds) or a day inside `lo..=hi`.
    pub fn time(out: &mut Vec<Violation>, path: &Path<'_>, v: i64, lo: i64, hi: i64, date: bool) {
        let show = |t: i64| if date { time::format_date(t) } else { time::format_datetime(t) };
        if v < lo {
            push(out, path, "min", format!("{} is before the earliest {}", show(v), show(lo)));
        } else if v > hi {
            push(out, path, "max", format!("{} is after the latest {}", show(v), show(hi)));
        }
    }
}
