//! What a field's name implies when its attributes or schema leave something open: the
//! bounds of a number ([`number_bounds`], [`numeric_preset`]), the span of a date
//! ([`time_default`]), whether lorem text is a sentence ([`is_sentence`]), and how an
//! open-ended range is completed ([`complete_int`], [`complete_float`], [`complete_units`],
//! [`text_len`]).

/// The number presets a number field may name as its kind (`#[testdata(price)]`,
/// `"kind": "price"`).
pub const NUMERIC_PRESETS: &[(&str, (f64, f64))] = &[
    ("price", (1.0, 999.99)),
    ("amount", (1.0, 999.99)),
    ("age", (18.0, 90.0)),
    ("quantity", (1.0, 10.0)),
    ("rating", (1.0, 5.0)),
    ("percentage", (0.0, 100.0)),
];

/// The bounds of a number preset (`price` → 1..=999.99).
pub fn numeric_preset(name: &str) -> Option<(f64, f64)> {
    NUMERIC_PRESETS.iter().find(|(n, _)| *n == name).map(|&(_, b)| b)
}

/// Default bounds of a number field from its name, when nothing gives them: `age` 18..=90,
/// `quantity` 1..=10, `rating` 1..=5, `*percent*`/`rate`/`score` 0..=100, latitudes and
/// longitudes, money words 1..=999.99, `year` 1950..=2025, otherwise 0..=1000.
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

/// The bounds of a number field: its preset kind's, else its name's.
pub fn bounds_of(name: &str, preset: Option<&str>) -> (f64, f64) {
    preset.and_then(numeric_preset).unwrap_or_else(|| number_bounds(name))
}

/// Completes an integer range with open ends from the field's default bounds: a lone
/// minimum spans at least 1000 above it, a lone maximum the default's width below it
/// (`dlo..=dhi`: the default bounds, truncated to integers).
pub fn complete_int(lo: Option<i128>, hi: Option<i128>, (dlo, dhi): (i128, i128)) -> (i128, i128) {
    match (lo, hi) {
        (None, None) => (dlo, dhi),
        (Some(l), None) => (l, l.saturating_add((dhi - dlo).max(1000))),
        (None, Some(h)) => (h.saturating_sub(dhi - dlo).min(dlo), h),
        (Some(l), Some(h)) => (l, h),
    }
}

/// Completes a float range with open ends: a lone minimum spans the default's width above
/// the larger of it and the default minimum; a lone maximum starts at the default minimum
/// (or at itself, below that).
pub fn complete_float(lo: Option<f64>, hi: Option<f64>, (dlo, dhi): (f64, f64)) -> (f64, f64) {
    match (lo, hi) {
        (None, None) => (dlo, dhi),
        (Some(l), None) => (l, l.max(dlo) + (dhi - dlo)),
        (None, Some(h)) => (dlo.min(h), h),
        (Some(l), Some(h)) => (l, h),
    }
}

/// [`complete_float`] for decimals counted in units of their scale (`dl..=dh` are the
/// default bounds in units).
pub fn complete_units(lo: Option<i128>, hi: Option<i128>, (dl, dh): (i128, i128)) -> (i128, i128) {
    match (lo, hi) {
        (None, None) => (dl, dh),
        (Some(l), None) => (l, l.max(dl).saturating_add(dh - dl)),
        (None, Some(h)) => (dl.min(h), h),
        (Some(l), Some(h)) => (l, h),
    }
}

/// The default bounds `dlo..=dhi` at `scale` decimals, in units (`1.0..=999.99` at 2 →
/// `100..=99999`).
pub fn units_of((dlo, dhi): (f64, f64), scale: u32) -> (i128, i128) {
    let f = 10f64.powi(scale as i32);
    ((dlo * f).round() as i128, (dhi * f).round() as i128)
}

/// The character bounds of lorem text with optional `min`/`max`: 3 (or `max`, or 0 for
/// `max` 0) up to 40 chars, or 120 for a sentence.
pub fn text_len(min: Option<usize>, max: Option<usize>, sentence: bool) -> (usize, usize) {
    let lo = min.unwrap_or(if max == Some(0) { 0 } else { 3usize.min(max.unwrap_or(usize::MAX)) });
    let hi = match max {
        Some(m) => m,
        None if sentence => lo.max(120),
        None => lo.max(40),
    };
    (lo, hi)
}

/// The default span of a date or timestamp field, chosen from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeDefault {
    /// The two years before the reference instant (`created_at`, `updated_at`, …).
    Past,
    /// 18 to 90 years before it (names with `birth`, `dob`).
    Birth,
    /// The year after it (`expires_at`, `next_*`, `due`, `valid_until`, …).
    Future,
}

impl TimeDefault {
    /// The variant's name (`Past`), as the derive spells it in emitted code.
    pub const fn variant(self) -> &'static str {
        match self {
            TimeDefault::Past => "Past",
            TimeDefault::Birth => "Birth",
            TimeDefault::Future => "Future",
        }
    }
}

/// The default span of a date or timestamp field named `name`.
pub fn time_default(name: &str) -> TimeDefault {
    let n = name.to_ascii_lowercase();
    if n.contains("birth") || n == "dob" {
        TimeDefault::Birth
    } else if ["expir", "expires", "next_", "due", "valid_until", "end_date", "estimated"]
        .iter()
        .any(|w| n.contains(w))
    {
        TimeDefault::Future
    } else {
        TimeDefault::Past
    }
}

/// Whether lorem text for a field of this name is a sentence (capitalised, ending with `.`)
/// rather than words: `description`, `notes`, `comment`, `body`, `message`, `title`, ….
pub fn is_sentence(name: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_imply_bounds() {
        assert_eq!(number_bounds("age"), (18.0, 90.0));
        assert_eq!(number_bounds("unit_price"), (1.0, 999.99));
        assert_eq!(number_bounds("discount_percent"), (0.0, 100.0));
        assert_eq!(number_bounds("passage"), (0.0, 1000.0), "`age` must be a whole word");
        assert_eq!(bounds_of("x", Some("rating")), (1.0, 5.0));
        assert_eq!(bounds_of("age", Some("not_a_preset")), (18.0, 90.0));
    }

    #[test]
    fn open_ranges_are_completed() {
        assert_eq!(complete_int(Some(5), None, (0, 10)), (5, 1005));
        assert_eq!(complete_int(None, Some(5), (0, 10)), (-5, 5));
        assert_eq!(complete_int(None, Some(50), (0, 10)), (0, 50));
        assert_eq!(complete_int(Some(i128::MAX - 1), None, (0, 10)), (i128::MAX - 1, i128::MAX));
        assert_eq!(complete_float(Some(500.0), None, (1.0, 999.99)), (500.0, 500.0 + 998.99));
        assert_eq!(complete_float(None, Some(0.5), (1.0, 999.99)), (0.5, 0.5));
        assert_eq!(units_of((1.0, 999.99), 2), (100, 99_999));
        assert_eq!(complete_units(Some(200), None, (100, 99_999)), (200, 200 + 99_899));
        assert_eq!(text_len(None, None, false), (3, 40));
        assert_eq!(text_len(None, None, true), (3, 120));
        assert_eq!(text_len(None, Some(2), false), (2, 2));
        assert_eq!(text_len(None, Some(0), false), (0, 0));
        assert_eq!(text_len(Some(50), None, false), (50, 50));
    }

    #[test]
    fn names_imply_time_spans_and_text() {
        assert_eq!(time_default("created_at"), TimeDefault::Past);
        assert_eq!(time_default("birth_date"), TimeDefault::Birth);
        assert_eq!(time_default("dob"), TimeDefault::Birth);
        assert_eq!(time_default("expires_at"), TimeDefault::Future);
        assert!(is_sentence("product_description"));
        assert!(!is_sentence("nickname"));
    }
}
