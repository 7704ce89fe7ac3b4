//! The locales the kinds speak, and the tags that name them.

/// Every locale: (the engine's `Locale` variant, canonical tag, accepted lowercase tags), in
/// the order of `Locale::ALL`.
pub const LOCALES: &[(&str, &str, &[&str])] = &[
    ("En", "en", &["en", "en_us", "en_gb"]),
    ("FrFr", "fr_FR", &["fr", "fr_fr"]),
    ("DeDe", "de_DE", &["de", "de_de"]),
    ("PtBr", "pt_BR", &["pt", "pt_br"]),
    ("JaJp", "ja_JP", &["ja", "ja_jp"]),
];

/// The position in [`LOCALES`] of a tag such as `en`, `en_US`, `fr_FR`, `fr-FR`, `de`,
/// `pt_BR`, `ja_JP` (case-insensitive, `-` or `_`).
pub fn index_of_tag(tag: &str) -> Option<usize> {
    let t = tag.trim().to_ascii_lowercase().replace('-', "_");
    LOCALES.iter().position(|(_, _, tags)| tags.contains(&t.as_str()))
}

/// The accepted tags, for error messages: `en, fr_FR, de_DE, pt_BR or ja_JP`.
pub fn known_tags() -> String {
    let tags: Vec<&str> = LOCALES.iter().map(|l| l.1).collect();
    match tags.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => tags.join(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tags() {
        assert_eq!(index_of_tag("fr-FR").map(|i| LOCALES[i].0), Some("FrFr"));
        assert_eq!(index_of_tag(" EN_gb ").map(|i| LOCALES[i].0), Some("En"));
        assert_eq!(index_of_tag("es"), None);
        assert_eq!(known_tags(), "en, fr_FR, de_DE, pt_BR or ja_JP");
    }
}
