//! Lorem-ipsum text: words, sentences, paragraphs (the same Latin table for every locale).

use super::Scope;
use super::data::LOREM;
use super::util::push_capitalized;
use crate::rng::Gen;

/// One lowercase lorem-ipsum word (`dolor`); 1–14 ASCII letters.
pub fn word(g: &mut Gen, _s: &Scope<'_>) -> String {
    (*g.pick(LOREM)).to_owned()
}

/// 2–5 lowercase lorem-ipsum words separated by single spaces (`sit amet dolor`).
pub fn words(g: &mut Gen, _s: &Scope<'_>) -> String {
    let n = g.u64_in(2, 5);
    let mut out = String::with_capacity(48);
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(g.pick::<&str>(LOREM));
    }
    out
}

#[inline]
fn push_sentence(g: &mut Gen, out: &mut String) {
    let n = g.u64_in(4, 12);
    for i in 0..n {
        let w = *g.pick(LOREM);
        if i == 0 {
            push_capitalized(out, w);
        } else {
            out.push(' ');
            out.push_str(w);
        }
    }
    out.push('.');
}

/// A sentence of 4–12 lorem-ipsum words, capitalised, ending with a period
/// (`Quia dolor sit amet consequatur.`).
pub fn sentence(g: &mut Gen, _s: &Scope<'_>) -> String {
    let mut out = String::with_capacity(96);
    push_sentence(g, &mut out);
    out
}

/// A paragraph of 3–6 [`sentence`]s separated by single spaces.
pub fn paragraph(g: &mut Gen, _s: &Scope<'_>) -> String {
    let n = g.u64_in(3, 6);
    let mut out = String::with_capacity(400);
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        push_sentence(g, &mut out);
    }
    out
}
