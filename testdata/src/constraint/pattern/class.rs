//! Character classes as sampling tables.

use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};

use crate::rng::Gen;

/// Classes with more members than this are "large" (`.`, negated classes, `\w`, `\d`,
/// `\p{L}`, …) and are narrowed to [`printable`] characters when they share any.
pub(super) const LARGE_CLASS: u32 = 256;

/// The realistic subset large classes are narrowed to: printable ASCII (`' '..='~'`) and the
/// Latin-1 letters `À..=Ö`, `Ø..=ö`, `ø..=ÿ`.
pub(super) fn printable() -> ClassUnicode {
    ClassUnicode::new([
        ClassUnicodeRange::new(' ', '~'),
        ClassUnicodeRange::new('À', 'Ö'),
        ClassUnicodeRange::new('Ø', 'ö'),
        ClassUnicodeRange::new('ø', 'ÿ'),
    ])
}

/// The members of a class, as disjoint ranges of scalar values in increasing order, with their
/// running counts.
#[derive(Clone, Debug)]
pub(super) struct CharTable {
    /// `(first, last)` code points, inclusive, never spanning the surrogate gap.
    ranges: Box<[(u32, u32)]>,
    /// `cum[i]` = number of members in `ranges[..=i]`.
    cum: Box<[u32]>,
}

impl CharTable {
    /// The sampling table of `class` (narrowed to printable characters when it is large).
    pub(super) fn new(class: &ClassUnicode) -> CharTable {
        let full = CharTable::exact(class);
        if full.total() <= LARGE_CLASS {
            return full;
        }
        let mut narrow = class.clone();
        narrow.intersect(&printable());
        if narrow.ranges().is_empty() { full } else { CharTable::exact(&narrow) }
    }

    fn exact(class: &ClassUnicode) -> CharTable {
        let mut ranges = Vec::new();
        for r in class.ranges() {
            let (a, b) = (u32::from(r.start()), u32::from(r.end()));
            if a < 0xD800 && b > 0xDFFF {
                ranges.push((a, 0xD7FF));
                ranges.push((0xE000, b));
            } else {
                ranges.push((a, b));
            }
        }
        let mut cum = Vec::with_capacity(ranges.len());
        let mut total = 0u32;
        for (a, b) in &ranges {
            total += b - a + 1;
            cum.push(total);
        }
        CharTable { ranges: ranges.into(), cum: cum.into() }
    }

    /// The number of members.
    pub(super) fn total(&self) -> u32 {
        self.cum.last().copied().unwrap_or(0)
    }

    /// The members as a class (for the counting analysis).
    pub(super) fn to_class(&self) -> ClassUnicode {
        ClassUnicode::new(
            self.ranges
                .iter()
                .filter_map(|&(a, b)| Some(ClassUnicodeRange::new(char::from_u32(a)?, char::from_u32(b)?))),
        )
    }

    /// One member, uniformly: `r = below(total)` (no draw when the class has one member), then
    /// the `r`-th member in code point order.
    #[inline]
    pub(super) fn sample(&self, g: &mut Gen) -> char {
        let total = self.total();
        let r = if total > 1 { g.below(u64::from(total)) as u32 } else { 0 };
        let code = match &*self.ranges {
            [(start, _)] => start + r,
            ranges => {
                let i = self.cum.partition_point(|&c| c <= r);
                let before = if i == 0 { 0 } else { self.cum.get(i - 1).copied().unwrap_or(0) };
                ranges.get(i).map_or(0, |r| r.0) + (r - before)
            }
        };
        char::from_u32(code).unwrap_or('\u{FFFD}')
    }
}
