//! Addresses and places. Coherent per record through the `$address` sub-stream (see
//! [`ADDRESS`]): state, state abbreviation, zip, city, country, coordinates and time zone of a
//! record describe one place.

use super::Scope;
use super::data::{Loc, Region, StreetStyle, loc, templates};
use super::person::names;
use super::util::{push_padded, push_tpl, push_u64};
use crate::context::Locale;
use crate::rng::Gen;
use crate::seed::{Key, name_key};

/// The sub-stream tag of a record's address: `scope.key.child(ADDRESS)`. Its stream's first draw
/// picks the region (state); `child(1)` draws the postal code, `child(2)` the city, `child(3)`
/// and `child(4)` the latitude and longitude, `child(5)` the time zone.
pub const ADDRESS: u64 = name_key("$address");

#[inline]
fn address(s: &Scope<'_>) -> (&'static Loc, &'static Region, Key) {
    let l = loc(s.ctx.locale());
    (l, &l.regions[s.region(l.regions.len())], s.key.child(ADDRESS))
}

/// Appends the record's postal code.
#[inline]
pub(crate) fn push_zip(out: &mut String, l: &Loc, region: &Region, a: Key) {
    let mut z = a.child(1).stream();
    let (lo, hi) = *z.pick(region.zips);
    let prefix = z.u64_in(lo as u64, hi as u64);
    // The tail's leading digits join the prefix: one draw and one formatting for the number.
    let digits = l.zip_tail.bytes().take_while(|&b| b == b'#').count();
    let scale = [1, 10, 100, 1_000, 10_000, 100_000][digits.min(5)];
    push_padded(out, prefix * scale + z.below(scale), l.zip_prefix + digits);
    let rest = &l.zip_tail[digits..];
    if !rest.is_empty() {
        push_tpl(&mut z, out, rest);
    }
}

/// The record's state (US state, French région, German Land, Brazilian state, Japanese
/// prefecture) in the locale's language: `California`, `Bretagne`, `Bayern`, `東京都`.
pub fn state(_g: &mut Gen, s: &Scope<'_>) -> String {
    address(s).1.name.to_owned()
}

/// The record's state abbreviation: USPS code (`CA`), ISO 3166-2 région code (`BRE`), Land code
/// (`BY`), UF (`SP`), or ISO 3166-2 prefecture code (`JP-13`).
pub fn state_abbr(_g: &mut Gen, s: &Scope<'_>) -> String {
    address(s).1.abbr.to_owned()
}

/// The record's postal code, inside its state's range: US ZIP `#####`, French and German
/// `#####`, Brazilian CEP `#####-###`, Japanese `###-####`.
pub fn zip(_g: &mut Gen, s: &Scope<'_>) -> String {
    let (l, region, a) = address(s);
    let mut out = String::with_capacity(10);
    push_zip(&mut out, l, region, a);
    out
}

/// A real city of the record's state (`Sacramento`, `Rennes`, `München`, `横浜市`).
pub fn city(_g: &mut Gen, s: &Scope<'_>) -> String {
    let (_, region, a) = address(s);
    (*a.child(2).stream().pick(region.cities)).to_owned()
}

/// The record's country, named in the locale's language: `United States`, `France`,
/// `Deutschland`, `Brasil`, `日本`.
pub fn country(_g: &mut Gen, s: &Scope<'_>) -> String {
    loc(s.ctx.locale()).country.to_owned()
}

/// The record's ISO 3166-1 alpha-2 country code (`US`, `FR`, `DE`, `BR`, `JP`).
pub fn country_code(_g: &mut Gen, s: &Scope<'_>) -> String {
    loc(s.ctx.locale()).country_code.to_owned()
}

#[inline]
fn push_micro_degrees(out: &mut String, v: i64) {
    if v < 0 {
        out.push('-');
    }
    let a = v.unsigned_abs();
    push_u64(out, a / 1_000_000);
    out.push('.');
    push_padded(out, a % 1_000_000, 6);
}

/// The record's latitude inside its country's bounding box, decimal degrees with 6 decimals (`37.774929`).
pub fn latitude(_g: &mut Gen, s: &Scope<'_>) -> String {
    let (l, _, a) = address(s);
    let v = a.child(3).stream().i64_in(l.bbox.0, l.bbox.1);
    let mut out = String::with_capacity(11);
    push_micro_degrees(&mut out, v);
    out
}

/// The record's longitude inside its country's bounding box, decimal degrees with 6 decimals (`-122.419416`).
pub fn longitude(_g: &mut Gen, s: &Scope<'_>) -> String {
    let (l, _, a) = address(s);
    let v = a.child(4).stream().i64_in(l.bbox.2, l.bbox.3);
    let mut out = String::with_capacity(11);
    push_micro_degrees(&mut out, v);
    out
}

/// An IANA time zone of the record's country (`America/Chicago`, `Europe/Paris`).
pub fn time_zone(_g: &mut Gen, s: &Scope<'_>) -> String {
    let (l, _, a) = address(s);
    (*a.child(5).stream().pick(l.time_zones)).to_owned()
}

#[inline]
fn push_street(g: &mut Gen, out: &mut String, locale: Locale, with_number: bool) {
    let n = names(locale);
    let l = n.loc;
    let table = if g.coin() { &n.last } else { &n.first };
    let name = table.get(g.index(table.len()));
    let suffix = *g.pick(l.street_suffixes);
    let number = g.pick(&templates(locale).building_numbers);
    match l.street_style {
        StreetStyle::NumberNameSuffix => {
            if with_number {
                number.push(g, out);
                out.push(' ');
            }
            out.push_str(name);
            out.push(' ');
            out.push_str(suffix);
        }
        StreetStyle::NumberSuffixName => {
            if with_number {
                number.push(g, out);
                out.push(' ');
            }
            out.push_str(suffix);
            out.push(' ');
            out.push_str(name);
        }
        StreetStyle::NameSuffixNumber => {
            out.push_str(name);
            out.push_str(suffix);
            if with_number {
                out.push(' ');
                number.push(g, out);
            }
        }
        StreetStyle::SuffixNameCommaNumber => {
            out.push_str(suffix);
            out.push(' ');
            out.push_str(name);
            if with_number {
                out.push_str(", ");
                number.push(g, out);
            }
        }
        StreetStyle::Chome => {
            out.push_str(suffix);
            if with_number {
                push_tpl(g, out, "^丁目");
                number.push(g, out);
                out.push('-');
                number.push(g, out);
            }
        }
    }
}

/// A street line with its building number, laid out as in the locale: `1234 Maple Avenue`,
/// `12 Rue Martin`, `Müllerstraße 12`, `Rua Silva, 123`, `本町3丁目12-5`.
pub fn street(g: &mut Gen, s: &Scope<'_>) -> String {
    let mut out = String::with_capacity(32);
    push_street(g, &mut out, s.ctx.locale(), true);
    out
}

/// A street name without a building number: `Maple Avenue`, `Rue Martin`, `Müllerstraße`,
/// `Rua Silva`, `本町`.
pub fn street_name(g: &mut Gen, s: &Scope<'_>) -> String {
    let mut out = String::with_capacity(28);
    push_street(g, &mut out, s.ctx.locale(), false);
    out
}

/// A building number of the locale: digits without a leading zero (`1234`, `12`).
pub fn building_number(g: &mut Gen, s: &Scope<'_>) -> String {
    g.pick(&templates(s.ctx.locale()).building_numbers).render(g)
}

/// A secondary address line: `Apt. 123`, `Suite 45`, `Appartement 12`, `Etage 3`, `Apto. 101`,
/// `101号室`.
pub fn secondary_address(g: &mut Gen, s: &Scope<'_>) -> String {
    let l = loc(s.ctx.locale());
    let mut out = String::with_capacity(16);
    let tpl = *g.pick(l.secondary);
    push_tpl(g, &mut out, tpl);
    out
}
