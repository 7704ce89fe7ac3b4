//! People: names, usernames, emails, titles, jobs. Coherent per record through the `$person`
//! sub-stream (see [`PERSON`]).

use std::sync::OnceLock;

use super::Scope;
use super::data::{Loc, loc};
use super::util::{Packed, push_slug, push_u64};
use crate::context::Locale;
use crate::rng::Gen;
use crate::seed::name_key;

/// The sub-stream tag of a record's person: `scope.key.child(PERSON)`. Its first draw picks the
/// first and the last name, so every person kind of a record names the same person.
pub const PERSON: u64 = name_key("$person");

/// At most this many chars of a transliterated name go into a handle (username, email, domain).
pub(crate) const SLUG_MAX: usize = 12;

/// The record's person: the locale's name tables and the indices of the first and last names
/// in them.
#[inline]
pub(crate) fn person_at(s: &Scope<'_>) -> (&'static Names, usize, usize) {
    let n = names(s.ctx.locale());
    // One draw for both: the first name from its high part, the last name from the rest
    // (bias below n_first · n_last / 2^64).
    let x = s.person_draw();
    let t = x as u128 * n.first.len() as u128;
    let first = (t >> 64) as usize;
    let last = ((t as u64 as u128 * n.last.len() as u128) >> 64) as usize;
    (n, first, last)
}

/// The record's person: (locale bundle, first name, last name).
#[inline]
pub(crate) fn person(s: &Scope<'_>) -> (&'static Loc, &'static str, &'static str) {
    let (n, first, last) = person_at(s);
    (n.loc, n.first.get(first), n.last.get(last))
}

/// A locale's name tables, packed (see [`Packed`]), with the handle slugs of each name
/// index-aligned with them: the name's lowercase ASCII transliteration, at most [`SLUG_MAX`]
/// chars, possibly empty. Built once per locale, so a handle costs a copy instead of a
/// transliteration, and a pick reads 8 bytes of offsets instead of a 16-byte `&str` from a
/// table four times larger.
pub(crate) struct Names {
    pub loc: &'static Loc,
    pub first: Packed,
    pub last: Packed,
    pub first_slug: Packed,
    pub last_slug: Packed,
}

/// The name tables of `locale`.
#[inline]
pub(crate) fn names(locale: Locale) -> &'static Names {
    static ALL: [OnceLock<Names>; 5] = [const { OnceLock::new() }; 5];
    ALL[locale as usize].get_or_init(|| {
        let slug = |names: &[&str]| {
            Packed::new(names.iter().map(|n| {
                let mut out = String::new();
                push_slug(&mut out, n, SLUG_MAX);
                out
            }))
        };
        let l = loc(locale);
        Names {
            loc: l,
            first: Packed::new(l.first_names.iter()),
            last: Packed::new(l.last_names.iter()),
            first_slug: slug(l.first_names),
            last_slug: slug(l.last_names),
        }
    })
}

/// Appends a name's slug, or `x` for a name without a transliteration.
#[inline]
pub(crate) fn push_name_slug(out: &mut String, slug: &str) {
    out.push_str(if slug.is_empty() { "x" } else { slug });
}

/// Appends a lowercase ASCII handle for the person whose name slugs are `first` and `last`:
/// `first.last`, `first_last`, `firstlast`, `flast`, `first42`, `last.first`, sometimes followed
/// by a number 1–99.
#[inline]
pub(crate) fn push_handle(g: &mut Gen, out: &mut String, first: &str, last: &str) {
    let form = g.below(6);
    match form {
        0..=2 => {
            push_name_slug(out, first);
            match form {
                0 => out.push('.'),
                1 => out.push('_'),
                _ => {}
            }
            push_name_slug(out, last);
        }
        3 => {
            out.push_str(first.get(..1).unwrap_or(""));
            push_name_slug(out, last);
        }
        4 => {
            push_name_slug(out, first);
            push_u64(out, g.u64_in(1, 99));
            return;
        }
        _ => {
            push_name_slug(out, last);
            out.push('.');
            push_name_slug(out, first);
        }
    }
    if g.below(4) == 0 {
        push_u64(out, g.u64_in(1, 99));
    }
}

/// The record person's handle slugs (first, last).
#[inline]
fn person_slugs(s: &Scope<'_>) -> (&'static Loc, &'static str, &'static str) {
    let (n, first, last) = person_at(s);
    (n.loc, n.first_slug.get(first), n.last_slug.get(last))
}

/// The record person's first name in the locale (`Emma`, `Jérôme`, `さくら`).
pub fn first_name(_g: &mut Gen, s: &Scope<'_>) -> String {
    let (n, first, _) = person_at(s);
    n.first.get(first).to_owned()
}

/// The record person's last name in the locale (`Smith`, `Müller`, `佐藤`).
pub fn last_name(_g: &mut Gen, s: &Scope<'_>) -> String {
    let (n, _, last) = person_at(s);
    n.last.get(last).to_owned()
}

/// The record person's full name: `First Last` (`ja_JP`: `Last First`), separated by one space.
pub fn full_name(_g: &mut Gen, s: &Scope<'_>) -> String {
    let (l, first, last) = person(s);
    let (a, b) = if l.family_first { (last, first) } else { (first, last) };
    let mut out = String::with_capacity(a.len() + b.len() + 1);
    out.push_str(a);
    out.push(' ');
    out.push_str(b);
    out
}

/// A form of address of the locale (`Mr.`, `Dr.`, `Mme`, `Herr`, `様`).
pub fn name_title(g: &mut Gen, s: &Scope<'_>) -> String {
    (*g.pick(loc(s.ctx.locale()).titles)).to_owned()
}

/// The record person's username: lowercase ASCII `[a-z0-9._]`, such as `emma.smith`,
/// `jsmith42`, `smith_emma`; 2–27 chars.
pub fn username(g: &mut Gen, s: &Scope<'_>) -> String {
    let (_, first, last) = person_slugs(s);
    let mut out = String::with_capacity(2 * SLUG_MAX + 3);
    push_handle(g, &mut out, first, last);
    out
}

/// The record person's email at a free provider of the locale: lowercase ASCII
/// `local@domain.tld`, such as `emma.smith42@gmail.com`.
pub fn email(g: &mut Gen, s: &Scope<'_>) -> String {
    let (l, first, last) = person_slugs(s);
    let mut out = String::with_capacity(2 * SLUG_MAX + 20);
    push_handle(g, &mut out, first, last);
    out.push('@');
    out.push_str(g.pick::<&str>(l.free_email));
    out
}

/// The record person's email at a reserved example domain (`example.com`, `example.org`,
/// `example.net`), so it can never reach a real mailbox: `emma.smith@example.com`.
pub fn safe_email(g: &mut Gen, s: &Scope<'_>) -> String {
    let (_, first, last) = person_slugs(s);
    let mut out = String::with_capacity(2 * SLUG_MAX + 16);
    push_handle(g, &mut out, first, last);
    out.push_str("@example.");
    out.push_str(g.pick::<&str>(&["com", "org", "net"]));
    out
}

/// A job title: `Seniority Field Position` (`Senior Marketing Analyst`; `ja_JP` in Japanese,
/// without spaces).
pub fn job_title(g: &mut Gen, s: &Scope<'_>) -> String {
    let l = loc(s.ctx.locale());
    let a = *g.pick(l.seniority);
    let b = *g.pick(l.job_fields);
    let c = *g.pick(l.positions);
    let mut out = String::with_capacity(a.len() + b.len() + c.len() + 2);
    out.push_str(a);
    if !l.job_glued {
        out.push(' ');
    }
    out.push_str(b);
    if !l.job_glued {
        out.push(' ');
    }
    out.push_str(c);
    out
}

/// A profession in lowercase English (`teacher`, `web developer`).
pub fn profession(g: &mut Gen, _s: &Scope<'_>) -> String {
    (*g.pick(super::data::PROFESSIONS)).to_owned()
}
