//! The calendar and the date grammar of bounds: days since 1970-01-01 (`i64`) and seconds
//! since 1970-01-01T00:00:00Z (`i64`), proleptic Gregorian, UTC (Howard Hinnant's
//! `days_from_civil` / `civil_from_days`); ISO 8601 dates and RFC 3339 timestamps; durations
//! (`30d`, `-2h`) and instants relative to "now" (`now`, `now-30d`, `+1y`).

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// Days since 1970-01-01 of the civil date `y-m-d` (`m` in 1..=12, `d` in 1..=31).
pub const fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month, day)` of a day count since 1970-01-01.
pub const fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Whether `y` is a Gregorian leap year.
pub const fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// The number of days in month `m` of year `y`.
pub const fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// The year of a timestamp (seconds since the epoch).
pub const fn year_of(ts: i64) -> i64 {
    civil_from_days(ts.div_euclid(DAY)).0
}

/// Parses `YYYY-MM-DD` into days since the epoch.
pub fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = num(&b[0..4])? as i64;
    let m = num(&b[5..7])?;
    let d = num(&b[8..10])?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Parses an RFC 3339 timestamp (`YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`, a space instead of
/// `T` accepted) into seconds since the epoch; a bare date means midnight UTC. Fractions of
/// a second are truncated.
pub fn parse_datetime(s: &str) -> Option<i64> {
    if s.len() == 10 {
        return parse_date(s).map(|d| d * DAY);
    }
    let b = s.as_bytes();
    if b.len() < 19 || !(b[10] == b'T' || b[10] == b't' || b[10] == b' ') {
        return None;
    }
    let days = parse_date(s.get(0..10)?)?;
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let h = num(&b[11..13])?;
    let mi = num(&b[14..16])?;
    let se = num(&b[17..19])?;
    if h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let mut rest = &b[19..];
    if let Some((&b'.', frac)) = rest.split_first() {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        rest = &frac[n..];
    }
    let offset = match rest {
        [] | [b'Z'] | [b'z'] => 0,
        [sign @ (b'+' | b'-'), hh @ ..] if hh.len() == 5 && hh[2] == b':' => {
            let oh = num(&hh[0..2])? as i64;
            let om = num(&hh[3..5])? as i64;
            let o = oh * 3600 + om * 60;
            if *sign == b'+' { o } else { -o }
        }
        _ => return None,
    };
    Some(days * DAY + (h * 3600 + mi * 60 + se) as i64 - offset)
}

fn num(b: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as u32;
    }
    Some(v)
}

/// Parses `30d`, `12h`, `90m`, `45s`, `2w`, `1y` (365 days), signed (`-30d`, `+2h`), into
/// seconds.
pub fn parse_duration(s: &str) -> Option<i64> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit() && c != '-' && c != '+')?);
    let n: i64 = num.parse().ok()?;
    let mult = match unit.trim() {
        "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => DAY,
        "w" => 7 * DAY,
        "y" => 365 * DAY,
        _ => return None,
    };
    n.checked_mul(mult)
}

/// The offset in seconds from the reference instant ("now") of a relative bound: `now` (0),
/// `now-30d`, `now+2h`, or a signed duration (`-30d`, `+1y`). `None` for anything else
/// (absolute dates are [`parse_datetime`]'s).
pub fn offset_from_now(s: &str) -> Option<i64> {
    let s = s.trim();
    if s == "now" {
        return Some(0);
    }
    if let Some(rest) = s.strip_prefix("now") {
        return parse_duration(rest);
    }
    if s.starts_with('-') || s.starts_with('+') {
        return parse_duration(s);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2025-01-01T00:00:00Z.
    const ANCHOR: i64 = 1_735_689_600;

    #[test]
    fn civil_round_trip() {
        for z in -800_000..800_000i64 {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2025, 1, 1) * DAY, ANCHOR);
    }

    #[test]
    fn parses_dates_and_timestamps() {
        assert_eq!(parse_datetime("2025-01-01T00:00:00Z"), Some(ANCHOR));
        assert_eq!(parse_datetime("2025-01-01T01:00:00+01:00"), Some(ANCHOR));
        assert_eq!(parse_datetime("2025-01-01T00:00:00.123456Z"), Some(ANCHOR));
        assert_eq!(parse_datetime("2025-01-01"), Some(ANCHOR));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_datetime("2025-13-01T00:00:00Z"), None);
        assert_eq!(parse_datetime("garbage"), None);
        assert_eq!(year_of(ANCHOR - 1), 2024);
    }

    #[test]
    fn parses_relative_bounds() {
        assert_eq!(offset_from_now("now"), Some(0));
        assert_eq!(offset_from_now("now-30d"), Some(-30 * DAY));
        assert_eq!(offset_from_now("now+2h"), Some(7200));
        assert_eq!(offset_from_now("+1y"), Some(365 * DAY));
        assert_eq!(offset_from_now("1y"), None, "an unsigned duration is not a bound");
        assert_eq!(offset_from_now("2024-01-01"), None);
        assert_eq!(parse_duration("90m"), Some(5400));
        assert_eq!(parse_duration("5x"), None);
        assert_eq!(parse_duration("9999999999999999y"), None, "overflow is rejected");
    }
}
