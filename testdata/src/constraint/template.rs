//! `format` templates for identifiers, such as `ORD-{year}-{digits:7}`.
//!
//! | placeholder | renders |
//! |---|---|
//! | `{year}` | the year of the context's reference instant (never the wall clock) |
//! | `{digits:N}` (aliases `{random:N}`, `{random_int:N}`) | `N` random decimal digits |
//! | `{letters:N}` (alias `{upper:N}`) | `N` random uppercase ASCII letters |
//! | `{lower:N}` | `N` random lowercase ASCII letters |
//! | `{alnum:N}` | `N` random characters of `0-9A-Z` |
//! | `{hex:N}` | `N` random lowercase hex digits |
//! | `{index}` / `{index:N}` | the record's index, zero-padded to `N` digits |
//! | `{name}` (any other identifier) | the value of the sibling field `name` (runtime schemas) |
//!
//! `{{` and `}}` write literal braces. A `unique` template numbers its random slots in mixed
//! radix (the last slot varies fastest), so the value space is the product of the slots'
//! sizes (`10^7` for `ORD-{year}-{digits:7}`).

use std::fmt::Write as _;

use crate::rng::Gen;

/// One piece of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// Literal text.
    Literal(String),
    /// Random characters drawn from an alphabet.
    Random {
        /// The characters to draw from.
        alphabet: Alphabet,
        /// How many characters.
        count: usize,
    },
    /// The reference year.
    Year,
    /// The record index, zero-padded to the width.
    Index(usize),
    /// The value of another field.
    Field(String),
}

/// The alphabets of random slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alphabet {
    /// `0-9`
    Digits,
    /// `A-Z`
    Upper,
    /// `a-z`
    Lower,
    /// `0-9A-Z`
    Alnum,
    /// `0-9a-f`
    Hex,
}

impl Alphabet {
    const fn chars(self) -> &'static [u8] {
        match self {
            Alphabet::Digits => b"0123456789",
            Alphabet::Upper => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            Alphabet::Lower => b"abcdefghijklmnopqrstuvwxyz",
            Alphabet::Alnum => b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            Alphabet::Hex => b"0123456789abcdef",
        }
    }

    fn contains(self, c: char) -> bool {
        c.is_ascii() && self.chars().contains(&(c as u8))
    }
}

/// A parsed `format` template.
///
/// ```
/// use testdata::constraint::template::Template;
/// use testdata::{Context, Key};
/// let t = Template::parse("ORD-{year}-{digits:7}").unwrap();
/// let ctx = Context::default();
/// let id = t.render(&mut Key::from_raw(1).stream(), &ctx, 0, None, &|_| None);
/// assert!(id.starts_with("ORD-2025-") && id.len() == 16);
/// assert_eq!(t.space(), Some(10_000_000));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    source: String,
    segments: Vec<Segment>,
}

/// Why a template could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("format template `{template}`: {message}")]
pub struct TemplateError {
    /// The template text.
    pub template: String,
    /// What is wrong, and how to fix it.
    pub message: String,
}

impl Template {
    /// Parses a template; see the [module docs](self) for the placeholders.
    pub fn parse(source: &str) -> Result<Template, TemplateError> {
        let err = |message: String| TemplateError { template: source.to_string(), message };
        let mut segments = Vec::new();
        let mut lit = String::new();
        let mut chars = source.char_indices().peekable();
        while let Some((pos, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|p| p.1) == Some('{') => {
                    chars.next();
                    lit.push('{');
                }
                '}' if chars.peek().map(|p| p.1) == Some('}') => {
                    chars.next();
                    lit.push('}');
                }
                '}' => {
                    return Err(err(format!(
                        "unmatched `}}` at byte {pos}; write `}}}}` for a literal brace"
                    )));
                }
                '{' => {
                    let mut inner = String::new();
                    let mut closed = false;
                    for (_, c) in chars.by_ref() {
                        if c == '}' {
                            closed = true;
                            break;
                        }
                        inner.push(c);
                    }
                    if !closed {
                        return Err(err(format!(
                            "unclosed `{{` at byte {pos}; write `{{{{` for a literal brace"
                        )));
                    }
                    if !lit.is_empty() {
                        segments.push(Segment::Literal(std::mem::take(&mut lit)));
                    }
                    segments.push(parse_placeholder(inner.trim()).map_err(err)?);
                }
                c => lit.push(c),
            }
        }
        if !lit.is_empty() {
            segments.push(Segment::Literal(lit));
        }
        Ok(Template { source: source.to_string(), segments })
    }

    /// The template text.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The parsed segments.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The names of the fields the template refers to.
    pub fn field_refs(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Field(f) => Some(f.as_str()),
            _ => None,
        })
    }

    /// The number of distinct values the random slots can take, when it fits in a `u64`.
    /// Templates with `{index}` are unique by themselves and report `u64::MAX`.
    pub fn space(&self) -> Option<u64> {
        if self.segments.iter().any(|s| matches!(s, Segment::Index(_))) {
            return Some(u64::MAX);
        }
        let mut n: u64 = 1;
        for s in &self.segments {
            if let Segment::Random { alphabet, count } = s {
                for _ in 0..*count {
                    n = n.checked_mul(alphabet.chars().len() as u64)?;
                }
            }
        }
        Some(n)
    }

    /// Renders one value. `unique` numbers the random slots (see the module docs) instead of
    /// drawing them; `lookup` resolves `{field}` references.
    pub fn render(
        &self,
        g: &mut Gen,
        ctx: &crate::Context,
        index: u64,
        unique: Option<u64>,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> String {
        let mut out = String::with_capacity(self.source.len() + 8);
        self.write(&mut out, g, ctx, index, unique, lookup);
        out
    }

    /// Like [`render`](Self::render), appending to `out`.
    pub fn write(
        &self,
        out: &mut String,
        g: &mut Gen,
        ctx: &crate::Context,
        index: u64,
        unique: Option<u64>,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) {
        if let Some(mut u) = unique {
            // Mixed-radix digits of `u`, last slot fastest: collect them right to left. Once the
            // trailing slots can number every u64, the leading ones are drawn at random (the
            // trailing ones alone keep values unique).
            let mut slots: Vec<u8> = Vec::new();
            let mut capacity: u128 = 1;
            for s in self.segments.iter().rev() {
                if let Segment::Random { alphabet, count } = s {
                    let a = alphabet.chars();
                    for _ in 0..*count {
                        if capacity > u64::MAX as u128 {
                            slots.push(*g.pick(a));
                        } else {
                            slots.push(a[(u % a.len() as u64) as usize]);
                            u /= a.len() as u64;
                            capacity *= a.len() as u128;
                        }
                    }
                }
            }
            let mut slots = slots.into_iter().rev();
            for s in &self.segments {
                match s {
                    Segment::Random { count, .. } => {
                        for _ in 0..*count {
                            if let Some(c) = slots.next() {
                                out.push(c as char);
                            }
                        }
                    }
                    other => write_fixed(out, other, ctx, index, lookup),
                }
            }
            return;
        }
        for s in &self.segments {
            match s {
                Segment::Random { alphabet, count } => {
                    let a = alphabet.chars();
                    for _ in 0..*count {
                        out.push(*g.pick(a) as char);
                    }
                }
                other => write_fixed(out, other, ctx, index, lookup),
            }
        }
    }

    /// Whether `value` is a rendering of this template (`{field}` references compared with
    /// `lookup`, `{year}` with the context's year).
    ///
    /// An `{index}` takes any number of digits (at least its width), so where it is followed by
    /// something that can also start with a digit (`{index}{index}`, `{index}{digits:3}`) every
    /// split is tried: the search visits each (segment, position) pair at most once.
    pub fn matches(
        &self,
        value: &str,
        ctx: &crate::Context,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> bool {
        let year = ctx.anchor_year().to_string();
        let mut pending = vec![(0usize, 0usize)];
        let mut visited = std::collections::HashSet::new();
        while let Some((segment, at)) = pending.pop() {
            if !visited.insert((segment, at)) {
                continue;
            }
            let rest = &value[at..];
            let Some(s) = self.segments.get(segment) else {
                if rest.is_empty() {
                    return true;
                }
                continue;
            };
            for taken in consumed(s, rest, &year, lookup) {
                pending.push((segment + 1, at + taken));
            }
        }
        false
    }

    /// The fewest and most characters a rendering can have, ignoring `{field}` references
    /// (`None` when unbounded because of `{index}`).
    pub fn len_range(&self) -> (usize, Option<usize>) {
        let (mut lo, mut hi) = (0usize, Some(0usize));
        for s in &self.segments {
            let (a, b) = match s {
                Segment::Literal(l) => (l.chars().count(), Some(l.chars().count())),
                Segment::Random { count, .. } => (*count, Some(*count)),
                Segment::Year => (4, Some(4)),
                Segment::Index(w) => ((*w).max(1), None),
                Segment::Field(_) => (0, None),
            };
            lo += a;
            hi = match (hi, b) {
                (Some(h), Some(b)) => Some(h + b),
                _ => None,
            };
        }
        (lo, hi)
    }
}

/// The byte lengths of the prefixes of `rest` that segment `s` can render as (empty when
/// none): one length for every segment but `{index}`, which takes any run of at least its width
/// of digits.
fn consumed(
    s: &Segment,
    rest: &str,
    year: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> std::ops::RangeInclusive<usize> {
    let exactly = |prefix: Option<&str>| match prefix {
        Some(p) if rest.starts_with(p) => p.len()..=p.len(),
        _ => NONE,
    };
    match s {
        Segment::Literal(l) => exactly(Some(l)),
        Segment::Year => exactly(Some(year)),
        Segment::Field(f) => exactly(lookup(f).as_deref()),
        Segment::Random { alphabet, count } => {
            // Every alphabet is ASCII: `count` characters are `count` bytes.
            let drawn = rest.chars().take(*count).take_while(|c| alphabet.contains(*c)).count();
            if drawn == *count { drawn..=drawn } else { NONE }
        }
        Segment::Index(width) => {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            (*width).max(1)..=digits
        }
    }
}

/// No prefix matches.
#[allow(clippy::reversed_empty_ranges)]
const NONE: std::ops::RangeInclusive<usize> = 1..=0;

fn write_fixed(
    out: &mut String,
    s: &Segment,
    ctx: &crate::Context,
    index: u64,
    lookup: &dyn Fn(&str) -> Option<String>,
) {
    match s {
        Segment::Literal(l) => out.push_str(l),
        Segment::Year => {
            let _ = write!(out, "{}", ctx.anchor_year());
        }
        Segment::Index(w) => {
            let _ = write!(out, "{index:0w$}", w = *w);
        }
        Segment::Field(f) => {
            if let Some(v) = lookup(f) {
                out.push_str(&v);
            }
        }
        Segment::Random { .. } => {}
    }
}

fn parse_placeholder(inner: &str) -> Result<Segment, String> {
    let (name, arg) = match inner.split_once(':') {
        Some((n, a)) => (n.trim(), Some(a.trim())),
        None => (inner, None),
    };
    let count = |default: Option<usize>| -> Result<usize, String> {
        match arg {
            Some(a) => a
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=64).contains(n))
                .ok_or_else(|| format!("`{{{inner}}}`: the count must be a number from 1 to 64")),
            None => default.ok_or_else(|| format!("`{{{name}}}` needs a count, e.g. `{{{name}:6}}`")),
        }
    };
    let random =
        |alphabet| -> Result<Segment, String> { Ok(Segment::Random { alphabet, count: count(None)? }) };
    match name {
        "year" => Ok(Segment::Year),
        "digits" | "random" | "random_int" | "digit" => random(Alphabet::Digits),
        "letters" | "upper" => random(Alphabet::Upper),
        "lower" => random(Alphabet::Lower),
        "alnum" => random(Alphabet::Alnum),
        "hex" => random(Alphabet::Hex),
        "index" | "seq" => Ok(Segment::Index(match arg {
            Some(_) => count(None)?,
            None => 0,
        })),
        "" => Err("empty placeholder `{}`; write `{{}}` for literal braces".to_string()),
        other
            if arg.is_none() && other.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') =>
        {
            Ok(Segment::Field(other.to_string()))
        }
        other => Err(format!(
            "unknown placeholder `{{{other}}}`; use year, digits:N, letters:N, lower:N, alnum:N, hex:N, index[:N] or a field name"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Context, Key};

    #[test]
    fn renders_and_matches() {
        let ctx = Context::default();
        let t = Template::parse("ORD-{year}-{random:7}").unwrap();
        for i in 0..1000 {
            let v = t.render(&mut Key::from_raw(i).stream(), &ctx, i, None, &|_| None);
            assert!(t.matches(&v, &ctx, &|_| None), "{v}");
            assert_eq!(v.len(), 16);
        }
        assert!(!t.matches("ORD-2025-12345", &ctx, &|_| None));
        assert!(!t.matches("ORD-2024-1234567", &ctx, &|_| None));
    }

    #[test]
    fn unique_numbering_is_injective() {
        let ctx = Context::default();
        let t = Template::parse("X{letters:1}{digits:2}").unwrap();
        assert_eq!(t.space(), Some(2600));
        let mut all: Vec<String> = (0..2600)
            .map(|u| t.render(&mut Key::from_raw(0).stream(), &ctx, 0, Some(u), &|_| None))
            .collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 2600);
    }

    #[test]
    fn field_refs_and_escapes() {
        let ctx = Context::default();
        let t = Template::parse("{category}-{random_int:6} {{x}}").unwrap();
        let look = |f: &str| (f == "category").then(|| "Home".to_string());
        let v = t.render(&mut Key::from_raw(3).stream(), &ctx, 0, None, &look);
        assert!(v.starts_with("Home-") && v.ends_with(" {x}"), "{v}");
        assert!(t.matches(&v, &ctx, &look));
        assert_eq!(t.field_refs().collect::<Vec<_>>(), ["category"]);
    }

    /// Fuzz finding `fuzz/crashes/template-index-width-29`: adjacent `{index}` slots used to be
    /// matched greedily, so the first took every digit and the rendering was rejected.
    #[test]
    fn adjacent_digit_slots_match_their_renderings() {
        let ctx = Context::default();
        for source in
            ["''{index:29}{index:29}", "{index}{index}", "A{index:2}{digits:3}{index}7", "{index}{year}"]
        {
            let t = Template::parse(source).unwrap();
            for i in [0, 7, 123_456] {
                let v = t.render(&mut Key::from_raw(i).stream(), &ctx, i, None, &|_| None);
                assert!(t.matches(&v, &ctx, &|_| None), "{v:?} is a rendering of {source:?}");
            }
        }
        let t = Template::parse("{index:2}{index:2}").unwrap();
        assert!(!t.matches("123", &ctx, &|_| None), "each slot needs two digits");
        assert!(!t.matches("12a34", &ctx, &|_| None));
    }

    #[test]
    fn errors_are_clear() {
        for bad in ["{digits}", "{digits:0}", "{nope:3}", "ab{", "a}b", "{}"] {
            let e = Template::parse(bad).unwrap_err();
            assert!(e.to_string().contains(bad), "{e}");
        }
    }
}
