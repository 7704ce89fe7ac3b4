//! The parsed pattern reduced to what generation needs: `regex_syntax`'s `Hir` without
//! captures, with byte classes turned into char classes, anchors at the ends removed, and every
//! feature we cannot generate by construction rejected.

use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look};

/// A pattern node.
#[derive(Clone, Debug)]
pub(super) enum Ir {
    Empty,
    Lit(String),
    Class(ClassUnicode),
    /// `^`-like (`true`) or `$`-like (`false`) anchor; none survives [`reduce`].
    Anchor(bool),
    Concat(Vec<Ir>),
    Alt(Vec<Ir>),
    Repeat {
        sub: Box<Ir>,
        min: u32,
        max: Option<u32>,
    },
}

/// Converts `hir`, removes the anchors at the ends, and rejects what cannot be generated.
/// `Err` holds the name of the unsupported feature.
pub(super) fn reduce(hir: &Hir) -> Result<Ir, String> {
    let ir = convert(hir)?;
    let ir = strip(ir, true);
    let ir = strip(ir, false);
    if has_anchor(&ir) {
        return Err(
            "an anchor (`^`, `$`, `\\A`, `\\z`) that is not at the start or end of the pattern".into()
        );
    }
    Ok(ir)
}

fn convert(hir: &Hir) -> Result<Ir, String> {
    Ok(match hir.kind() {
        HirKind::Empty => Ir::Empty,
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(s) => Ir::Lit(s.to_owned()),
            Err(_) => return Err("a literal that is not valid UTF-8".into()),
        },
        HirKind::Class(Class::Unicode(c)) => Ir::Class(c.clone()),
        HirKind::Class(Class::Bytes(c)) => {
            let mut ranges = Vec::new();
            for r in c.ranges() {
                if r.end() > 0x7F {
                    return Err("a byte class with non-ASCII bytes (`(?-u)`)".into());
                }
                ranges.push(ClassUnicodeRange::new(char::from(r.start()), char::from(r.end())));
            }
            Ir::Class(ClassUnicode::new(ranges))
        }
        HirKind::Look(look) => match look {
            Look::Start | Look::StartLF | Look::StartCRLF => Ir::Anchor(true),
            Look::End | Look::EndLF | Look::EndCRLF => Ir::Anchor(false),
            _ => {
                return Err(format!("a word boundary assertion (`{}`)", look_syntax(*look)));
            }
        },
        HirKind::Repetition(rep) => {
            Ir::Repeat { sub: Box::new(convert(&rep.sub)?), min: rep.min, max: rep.max }
        }
        HirKind::Capture(cap) => convert(&cap.sub)?,
        HirKind::Concat(items) => Ir::Concat(items.iter().map(convert).collect::<Result<_, _>>()?),
        HirKind::Alternation(items) => Ir::Alt(items.iter().map(convert).collect::<Result<_, _>>()?),
    })
}

fn look_syntax(look: Look) -> &'static str {
    match look {
        Look::WordAscii | Look::WordUnicode => "\\b",
        Look::WordAsciiNegate | Look::WordUnicodeNegate => "\\B",
        Look::WordStartAscii | Look::WordStartUnicode => "\\<",
        Look::WordEndAscii | Look::WordEndUnicode => "\\>",
        Look::WordStartHalfAscii | Look::WordStartHalfUnicode => "\\b{start-half}",
        Look::WordEndHalfAscii | Look::WordEndHalfUnicode => "\\b{end-half}",
        _ => "look-around",
    }
}

/// True when `ir` can only ever match the empty string without consuming anything.
fn is_blank(ir: &Ir) -> bool {
    match ir {
        Ir::Empty => true,
        Ir::Concat(items) => items.iter().all(is_blank),
        _ => false,
    }
}

/// Removes the anchors of one kind (`start`: `^`, else `$`) that sit at that end of the
/// pattern: in the first (last) item of a concatenation, continuing past items that are
/// empty, in every branch of an alternation, and in an optional (`?`) repetition. Anchors
/// elsewhere are left in place for [`has_anchor`] to reject.
fn strip(ir: Ir, start: bool) -> Ir {
    match ir {
        Ir::Anchor(s) if s == start => Ir::Empty,
        Ir::Concat(mut items) => {
            let n = items.len();
            for k in 0..n {
                let i = if start { k } else { n - 1 - k };
                let item = std::mem::replace(&mut items[i], Ir::Empty);
                items[i] = strip(item, start);
                if !is_blank(&items[i]) {
                    break;
                }
            }
            Ir::Concat(items)
        }
        Ir::Alt(items) => Ir::Alt(items.into_iter().map(|b| strip(b, start)).collect()),
        Ir::Repeat { sub, min, max } if max.is_some_and(|m| m <= 1) => {
            Ir::Repeat { sub: Box::new(strip(*sub, start)), min, max }
        }
        other => other,
    }
}

fn has_anchor(ir: &Ir) -> bool {
    match ir {
        Ir::Anchor(_) => true,
        Ir::Concat(items) | Ir::Alt(items) => items.iter().any(has_anchor),
        Ir::Repeat { sub, .. } => has_anchor(sub),
        Ir::Empty | Ir::Lit(_) | Ir::Class(_) => false,
    }
}

/// The longest string `ir` can produce, in chars (saturating). An unbounded repetition
/// `{n,}` counts as `n + extra` repetitions, or as infinite (`u64::MAX`) when `extra` is
/// `None`.
pub(super) fn max_len(ir: &Ir, extra: Option<u32>) -> u64 {
    match ir {
        Ir::Empty | Ir::Anchor(_) => 0,
        Ir::Lit(s) => s.chars().count() as u64,
        Ir::Class(c) => u64::from(!c.ranges().is_empty()),
        Ir::Concat(items) => items.iter().fold(0u64, |acc, i| acc.saturating_add(max_len(i, extra))),
        Ir::Alt(items) => items.iter().map(|i| max_len(i, extra)).max().unwrap_or(0),
        Ir::Repeat { sub, min, max } => {
            let sub = max_len(sub, extra);
            if sub == 0 {
                return 0;
            }
            let reps = match (max, extra) {
                (Some(m), _) => u64::from(*m),
                (None, Some(e)) => u64::from(*min) + u64::from(e),
                (None, None) => return u64::MAX,
            };
            sub.saturating_mul(reps)
        }
    }
}

/// The shortest string `ir` can produce, in chars (saturating; `u64::MAX` when it produces
/// nothing).
pub(super) fn min_len(ir: &Ir) -> u64 {
    match ir {
        Ir::Empty | Ir::Anchor(_) => 0,
        Ir::Lit(s) => s.chars().count() as u64,
        Ir::Class(c) => {
            if c.ranges().is_empty() {
                u64::MAX
            } else {
                1
            }
        }
        Ir::Concat(items) => items.iter().fold(0u64, |acc, i| acc.saturating_add(min_len(i))),
        Ir::Alt(items) => items.iter().map(min_len).min().unwrap_or(u64::MAX),
        Ir::Repeat { sub, min, .. } => {
            if *min == 0 {
                0
            } else {
                min_len(sub).saturating_mul(u64::from(*min))
            }
        }
    }
}
