//! Calendar arithmetic and ISO 8601 text for generated dates and timestamps, anchored to a
//! fixed reference instant — never the wall clock.
//!
//! Dates are counted in days since 1970-01-01 (`i64`), timestamps in seconds since
//! 1970-01-01T00:00:00Z (`i64`), both in the proleptic Gregorian calendar, UTC. The
//! conversions are Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms.

use std::fmt::Write as _;

/// The default reference instant: 2025-01-01T00:00:00Z. "Now" for every generator unless a
/// [`Context`](crate::Context) sets another one. `{year}` in ID templates is this instant's year.
pub const DEFAULT_ANCHOR: i64 = 1_735_689_600;

pub use testdata_core::time::{
    DAY, civil_from_days, days_from_civil, days_in_month, is_leap, parse_date, parse_datetime, year_of,
};
pub(crate) use testdata_core::time::{offset_from_now, parse_duration};

/// Appends a date as `YYYY-MM-DD`.
pub fn write_date(out: &mut String, days: i64) {
    let (y, m, d) = civil_from_days(days);
    write_year(out, y);
    push2(out, b'-', m);
    push2(out, b'-', d);
}

/// Appends a timestamp as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn write_datetime(out: &mut String, ts: i64) {
    let days = ts.div_euclid(DAY);
    let secs = ts.rem_euclid(DAY) as u32;
    write_date(out, days);
    push2(out, b'T', secs / 3600);
    push2(out, b':', secs / 60 % 60);
    push2(out, b':', secs % 60);
    out.push('Z');
}

/// A date as `YYYY-MM-DD`.
pub fn format_date(days: i64) -> String {
    let mut s = String::with_capacity(10);
    write_date(&mut s, days);
    s
}

/// A timestamp as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_datetime(ts: i64) -> String {
    let mut s = String::with_capacity(20);
    write_datetime(&mut s, ts);
    s
}

fn write_year(out: &mut String, y: i64) {
    if (0..=9999).contains(&y) {
        let y = y as u32;
        out.push((b'0' + (y / 1000) as u8) as char);
        out.push((b'0' + (y / 100 % 10) as u8) as char);
        out.push((b'0' + (y / 10 % 10) as u8) as char);
        out.push((b'0' + (y % 10) as u8) as char);
    } else {
        let _ = write!(out, "{y:+05}");
    }
}

#[inline]
fn push2(out: &mut String, sep: u8, v: u32) {
    out.push(sep as char);
    out.push((b'0' + (v / 10 % 10) as u8) as char);
    out.push((b'0' + (v % 10) as u8) as char);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses() {
        assert_eq!(format_datetime(DEFAULT_ANCHOR), "2025-01-01T00:00:00Z");
        assert_eq!(format_date(days_from_civil(2024, 2, 29)), "2024-02-29");
        assert_eq!(parse_datetime("2025-01-01T00:00:00Z"), Some(DEFAULT_ANCHOR));
        assert_eq!(parse_datetime("2025-01-01T01:00:00+01:00"), Some(DEFAULT_ANCHOR));
        assert_eq!(parse_datetime("2025-01-01T00:00:00.123456Z"), Some(DEFAULT_ANCHOR));
        assert_eq!(parse_datetime("2025-01-01"), Some(DEFAULT_ANCHOR));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_datetime("2025-13-01T00:00:00Z"), None);
        assert_eq!(parse_datetime("garbage"), None);
        assert_eq!(year_of(DEFAULT_ANCHOR - 1), 2024);
    }
}
