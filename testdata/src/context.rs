//! The generation context: the reference instant ("now"), the locale and the edge-case rate.

use crate::time::DEFAULT_ANCHOR;

/// The locales whose data the kinds can produce.
///
/// ```
/// use testdata::Locale;
/// assert_eq!(Locale::from_tag("fr-FR"), Some(Locale::FrFr));
/// assert_eq!(Locale::FrFr.tag(), "fr_FR");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    /// English (United States).
    #[default]
    En,
    /// French (France).
    FrFr,
    /// German (Germany).
    DeDe,
    /// Portuguese (Brazil).
    PtBr,
    /// Japanese (Japan).
    JaJp,
}

impl Locale {
    /// Every supported locale.
    pub const ALL: &'static [Locale] = &[Locale::En, Locale::FrFr, Locale::DeDe, Locale::PtBr, Locale::JaJp];

    /// The locale for a tag such as `en`, `en_US`, `fr_FR`, `fr-FR`, `de`, `pt_BR`, `ja_JP`
    /// (case-insensitive, `-` or `_`).
    pub fn from_tag(tag: &str) -> Option<Locale> {
        testdata_core::locale::index_of_tag(tag).map(|i| Locale::ALL[i])
    }

    /// The canonical tag (`en`, `fr_FR`, `de_DE`, `pt_BR`, `ja_JP`).
    pub const fn tag(self) -> &'static str {
        testdata_core::locale::LOCALES[self as usize].1
    }
}

/// Settings shared by every value of a generation run.
///
/// The default is the English locale, no edge cases and "now" pinned at
/// [`DEFAULT_ANCHOR`] (2025-01-01T00:00:00Z), so output never depends on the wall clock.
///
/// ```
/// use testdata::{Context, Locale};
/// let ctx = Context::default().with_locale(Locale::DeDe).with_anchor(1_700_000_000);
/// assert_eq!(ctx.anchor(), 1_700_000_000);
/// assert_eq!(ctx.anchor_year(), 2023);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Context {
    anchor: i64,
    anchor_year: i64,
    locale: Locale,
    edge_cases: f64,
}

impl Default for Context {
    fn default() -> Self {
        Context::new()
    }
}

impl Context {
    /// The default context (see the type docs).
    pub const fn new() -> Context {
        Context {
            anchor: DEFAULT_ANCHOR,
            anchor_year: crate::time::year_of(DEFAULT_ANCHOR),
            locale: Locale::En,
            edge_cases: 0.0,
        }
    }

    /// The same context with "now" at `anchor` (seconds since the Unix epoch, UTC).
    pub const fn with_anchor(mut self, anchor: i64) -> Context {
        self.anchor = anchor;
        self.anchor_year = crate::time::year_of(anchor);
        self
    }

    /// The same context with another locale.
    pub const fn with_locale(mut self, locale: Locale) -> Context {
        self.locale = locale;
        self
    }

    /// The same context with boundary and hostile values mixed in with probability `p`
    /// (clamped into `[0, 1]`); they still satisfy every constraint.
    pub fn with_edge_cases(mut self, p: f64) -> Context {
        self.edge_cases = if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) };
        self
    }

    /// "Now": the reference instant, seconds since the Unix epoch.
    pub const fn anchor(&self) -> i64 {
        self.anchor
    }

    /// The year of the reference instant (what `{year}` in ID templates renders).
    pub const fn anchor_year(&self) -> i64 {
        self.anchor_year
    }

    /// The locale.
    pub const fn locale(&self) -> Locale {
        self.locale
    }

    /// The probability of an edge-case value.
    pub const fn edge_cases(&self) -> f64 {
        self.edge_cases
    }
}
