//! Defaults from field names, copied from the engine's schema compiler
//! (`schema/compile.rs`: `default_number_bounds`, `numeric_kind`, the date defaults and the
//! sentence names). A test in the `testdata` crate derives a struct of typical names and
//! checks that its schema generates what the schema compiler infers, so the copies cannot drift.

/// Numeric presets given as kinds on number fields (`#[testdata(price)]`).
pub fn numeric_kind(name: &str) -> Option<(f64, f64)> {
    Some(match name {
        "price" | "amount" => (1.0, 999.99),
        "age" => (18.0, 90.0),
        "quantity" => (1.0, 10.0),
        "rating" => (1.0, 5.0),
        "percentage" => (0.0, 100.0),
        _ => return None,
    })
}

/// Default bounds of a number field from its name.
pub fn number_bounds(name: &str) -> (f64, f64) {
    let n = name.to_ascii_lowercase();
    let has = |w: &str| n == w || n.ends_with(&format!("_{w}")) || n.starts_with(&format!("{w}_"));
    if has("age") {
        (18.0, 90.0)
    } else if has("quantity") || has("qty") {
        (1.0, 10.0)
    } else if has("rating") || has("stars") {
        (1.0, 5.0)
    } else if n.contains("percent") || has("rate") || has("score") {
        (0.0, 100.0)
    } else if has("latitude") || has("lat") {
        (-90.0, 90.0)
    } else if has("longitude") || has("lng") || has("lon") {
        (-180.0, 180.0)
    } else if ["price", "amount", "cost", "total", "subtotal", "balance", "value", "fee"]
        .iter()
        .any(|w| has(w))
    {
        (1.0, 999.99)
    } else if has("year") {
        (1950.0, 2025.0)
    } else {
        (0.0, 1000.0)
    }
}

/// The default range of a date or timestamp field: `Past`, `Birth` or `Future`.
pub fn time_default(name: &str) -> &'static str {
    let n = name.to_ascii_lowercase();
    if n.contains("birth") || n == "dob" {
        "Birth"
    } else if ["expir", "expires", "next_", "due", "valid_until", "end_date", "estimated"]
        .iter()
        .any(|w| n.contains(w))
    {
        "Future"
    } else {
        "Past"
    }
}

/// Whether lorem text for this name is a sentence (capitalised, ending with `.`).
pub fn sentence(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "description",
        "notes",
        "note",
        "comment",
        "body",
        "content",
        "text",
        "message",
        "subject",
        "title",
        "reason",
    ]
    .iter()
    .any(|w| name.contains(w))
}

/// The `Locale` variant of a tag, as `Locale::from_tag`.
pub fn locale(tag: &str) -> Option<&'static str> {
    let t = tag.trim().to_ascii_lowercase().replace('-', "_");
    Some(match t.as_str() {
        "en" | "en_us" | "en_gb" => "En",
        "fr" | "fr_fr" => "FrFr",
        "de" | "de_de" => "DeDe",
        "pt" | "pt_br" => "PtBr",
        "ja" | "ja_jp" => "JaJp",
        _ => return None,
    })
}

/// Days since 1970-01-01 of a civil date (Hinnant), as `testdata::time::days_from_civil`.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS[Z]` into seconds since the epoch.
pub fn parse_instant(s: &str) -> Option<i64> {
    let s = s.trim().trim_end_matches('Z');
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut it = date.split('-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    if it.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut secs = days_from_civil(y, m, d) * 86_400;
    if let Some(t) = time {
        let mut p = t.split(':');
        let h: i64 = p.next()?.parse().ok()?;
        let mi: i64 = p.next()?.parse().ok()?;
        let se: i64 = p.next().unwrap_or("0").parse().ok()?;
        if h > 23 || mi > 59 || se > 60 {
            return None;
        }
        secs += h * 3600 + mi * 60 + se;
    }
    Some(secs)
}

/// Parses `now`, `now-30d`, `-30d`, `+2h`, `1y`: seconds relative to the reference instant.
pub fn parse_relative(s: &str) -> Option<i64> {
    let s = s.trim();
    if s == "now" {
        return Some(0);
    }
    let rest = s.strip_prefix("now").unwrap_or(s).trim();
    if !(rest.starts_with('-') || rest.starts_with('+')) {
        return None;
    }
    let idx = rest.find(|c: char| !c.is_ascii_digit() && c != '-' && c != '+')?;
    let (num, unit) = rest.split_at(idx);
    let n: i64 = num.parse().ok()?;
    let mult = match unit.trim() {
        "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        "y" => 365 * 86_400,
        _ => return None,
    };
    n.checked_mul(mult)
}

#[cfg(test)]
mod tests {
    use testdata::sample::TimeDefault;

    #[test]
    fn time_defaults_equal_the_engine() {
        for n in [
            "created_at",
            "birth_date",
            "dob",
            "expires_at",
            "next_billing",
            "due_on",
            "valid_until",
            "updated",
        ] {
            assert_eq!(super::time_default(n), format!("{:?}", TimeDefault::for_name(n)), "{n}");
        }
    }

    #[test]
    fn dates_parse_like_the_engine() {
        for s in ["2024-02-29", "1999-12-31T23:59:59Z", "1970-01-01"] {
            assert_eq!(super::parse_instant(s), testdata::time::parse_datetime(s), "{s}");
        }
    }
}
