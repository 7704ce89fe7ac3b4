//! Phones, files, versions, languages and licence plates.

use super::Scope;
use super::data::{FILE_STEMS, FILE_TYPES, LANGUAGE_TAGS, loc, templates};
use super::util::{push_tpl, push_u64};
use crate::rng::Gen;
use crate::seed::name_key;

/// The sub-stream tag of a record's file type: its first draw picks the type, so `file_name`,
/// `file_extension` and `mime_type` of a record agree.
pub const FILE: u64 = name_key("$file");

/// A phone number in one of the locale's formats (`(555) 123-4567`, `01 23 45 67 89`,
/// `030 12345678`, `(11) 2345-6789`, `03-1234-5678`).
pub fn phone(g: &mut Gen, s: &Scope<'_>) -> String {
    g.pick(&templates(s.ctx.locale()).phones).render(g)
}

/// A mobile phone number in one of the locale's formats (`555-123-4567`, `06 12 34 56 78`,
/// `0151 12345678`, `(11) 91234-5678`, `090-1234-5678`).
pub fn cell_phone(g: &mut Gen, s: &Scope<'_>) -> String {
    g.pick(&templates(s.ctx.locale()).cells).render(g)
}

#[inline]
fn file_type(s: &Scope<'_>) -> &'static (&'static str, &'static str) {
    s.key.child(FILE).stream().pick(FILE_TYPES)
}

/// A file name: a lowercase stem, an optional `_` and number, and the record's extension
/// (`invoice_42.pdf`, `notes.md`).
pub fn file_name(g: &mut Gen, s: &Scope<'_>) -> String {
    let ext = file_type(s).0;
    let mut out = String::with_capacity(24);
    out.push_str(g.pick::<&str>(FILE_STEMS));
    if g.coin() {
        out.push('_');
        push_u64(&mut out, g.u64_in(1, 999));
    }
    out.push('.');
    out.push_str(ext);
    out
}

/// The record's file extension without the dot, lowercase (`pdf`, `png`, `docx`).
pub fn file_extension(_g: &mut Gen, s: &Scope<'_>) -> String {
    file_type(s).0.to_owned()
}

/// The record's MIME type, `type/subtype` (`application/pdf`, `image/png`).
pub fn mime_type(_g: &mut Gen, s: &Scope<'_>) -> String {
    file_type(s).1.to_owned()
}

/// A semantic version `MAJOR.MINOR.PATCH`, sometimes with a pre-release (`2.14.3`,
/// `1.0.0-rc.2`).
pub fn semver(g: &mut Gen, _s: &Scope<'_>) -> String {
    let mut out = String::with_capacity(16);
    push_u64(&mut out, g.below(6));
    out.push('.');
    push_u64(&mut out, g.below(20));
    out.push('.');
    push_u64(&mut out, g.below(30));
    if g.below(7) == 0 {
        out.push('-');
        out.push_str(g.pick::<&str>(&["alpha", "beta", "rc"]));
        out.push('.');
        push_u64(&mut out, g.u64_in(1, 9));
    }
    out
}

/// A BCP 47 language tag, language and region (`en-US`, `pt-BR`); 5 chars.
pub fn language_code(g: &mut Gen, _s: &Scope<'_>) -> String {
    (*g.pick(LANGUAGE_TAGS)).to_owned()
}

/// A vehicle licence plate in a format of the locale (`ABC-1234`, `AB-123-CD`, `M AB 1234`,
/// `ABC1D23`, `品川 500 ひ 12-34`).
pub fn license_plate(g: &mut Gen, s: &Scope<'_>) -> String {
    let tpl = *g.pick(loc(s.ctx.locale()).plates);
    let mut out = String::with_capacity(tpl.len());
    push_tpl(g, &mut out, tpl);
    out
}
