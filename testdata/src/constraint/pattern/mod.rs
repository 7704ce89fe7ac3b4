//! Regex-constrained strings, met by construction and intersected with length bounds.
//!
//! ```
//! use testdata::{Key, constraint::pattern::Pattern};
//!
//! let sku = Pattern::new("[A-Z]{3}-[0-9]{4}", None, None).unwrap();
//! let mut g = Key::from_raw(7).stream();
//! let s = sku.generate(&mut g);
//! assert!(sku.is_match(&s));
//! assert_eq!(sku.count(), Some(26u128.pow(3) * 10u128.pow(4)));
//!
//! let word = Pattern::new("[a-z]+", Some(5), Some(8)).unwrap();
//! assert_eq!(word.len_range(), (5, 8));
//! ```
//!
//! # The algorithm (part of the output contract)
//!
//! Changing anything below changes generated values and must be recorded in `CHANGELOG.md`.
//!
//! Lengths are counted in chars (Unicode scalar values).
//!
//! **Compilation** ([`Pattern::new`]). The regex is parsed by `regex_syntax` (Unicode mode,
//! default flags) into its `Hir`; captures are dropped, `^`/`$`/`\A`/`\z` (also in multi-line
//! mode) are dropped where they sit at the start/end of the pattern (in the first/last item of
//! a concatenation, in every branch of an alternation, inside `(…)?`), and any other anchor or
//! word boundary is [`PatternError::Unsupported`]. Then every node gets the *exact* set of
//! lengths it can produce, up to the length cap `C`:
//!
//! * literal: its length; class: `{1}`; concatenation: the sumset of its items' sets;
//!   alternation: the union of its branches' sets;
//! * repetition `x{n,m}`: items are always non-empty (if `x` can be empty, every item is
//!   optional, since an empty item and a skipped one give the same string). With `S` the
//!   non-zero lengths of `x`: `U_0 = {0}`, `U_j = {0} ∪ (U_{j-1} + S)` for the optional
//!   items, `V_0 = U_{m-n}`, `V_k = V_{k-1} + S` for the `n` mandatory ones; the set is `V_n`.
//!
//! The cap is `C = min(max_len, longest string of the pattern, 4096)`. When `max_len` is
//! `None`, unbounded repetitions (`*`, `+`, `{n,}`) repeat at most `n + 8` times (`n + 8 +
//! min_len` when a `min_len` is given, so that it stays reachable); when `max_len` is given
//! they repeat up to the cap. Strings longer than 4096 chars are never generated: a pattern
//! that can only meet its bounds above that is [`PatternError::Unsupported`]. The analysis
//! has a fixed work budget (pathological nests of repetitions under a large cap exceed it and
//! are `Unsupported` instead of slow).
//!
//! The *targets* are the root's lengths within `[min_len, C]`; none is
//! [`PatternError::Unsatisfiable`].
//!
//! **Classes.** A class is sampled uniformly over its members. A class with more than 256
//! members (`.`, negated classes, `\w`, `\d`, `\p{L}`, …) is first narrowed to the printable
//! chars it contains: printable ASCII `' '..='~'` and the Latin-1 letters `À..=Ö`, `Ø..=ö`,
//! `ø..=ÿ`; when it contains none of them (`\p{Greek}`, `\p{Han}`) it is kept whole. Smaller
//! classes (`[a-z]`, `\s`) are sampled in full.
//!
//! **Generation** ([`Pattern::write`]). Every choice among `n` options, taken in increasing
//! order (of length, of branch position, of code point), uses no draw when `n == 1` and
//! `Gen::below(n)` otherwise. In order:
//!
//! 1. the target length, uniformly among the targets;
//! 2. then node by node, depth first, left to right, each node producing an exact length `l`
//!    (a node asked for 0 chars produces "" and draws nothing):
//!    * literal: itself; class: one member (`below(size)`, then the member at that position);
//!    * concatenation: each item but the last chooses its length among those of its set that
//!      leave a length the remaining items can produce; the last one takes the rest;
//!    * alternation: one of the branches whose set holds `l`;
//!    * repetition: if every item has the same length `s`, `l / s` items; otherwise each
//!      mandatory item chooses its length so that the rest stays in `V_{k-1}` (`k` mandatory
//!      items left), then, while chars remain, each optional item chooses its length so that
//!      the rest stays in `U_{j-1}` (`j` optional items left).
//!
//! So lengths are uniform over the targets, and each step is uniform among the options that
//! can still reach the target; strings are not uniform over the whole language. Nothing is
//! rejected or retried: every string matches by construction.
//!
//! **Counting** ([`Pattern::count`]) is exact or `None`; see the `count` module for the
//! conditions under which a count is proven exact.

mod class;
mod count;
mod ir;
mod lens;
mod program;
#[cfg(test)]
mod tests;

use std::fmt;

use regex_automata::meta::Regex;
use regex_syntax::hir::{Hir, Look};

use self::ir::Ir;
use self::lens::{Budget, LenSet};
use self::program::{Builder, Node, emit, pick};
use crate::rng::Gen;

/// The longest string a pattern generates, in chars.
pub const MAX_GENERATED_LEN: usize = 4096;

/// Extra repetitions given to `*`, `+` and `{n,}` when there is no `max_len`.
const UNBOUNDED_EXTRA: u32 = 8;

/// A compiled pattern constraint: a regex plus optional char-length bounds.
///
/// Everything is precomputed by [`Pattern::new`]; [`Pattern::write`] only draws and appends.
/// See the [module docs](self) for the generation algorithm.
#[derive(Clone)]
pub struct Pattern {
    source: Box<str>,
    min_len: Option<usize>,
    max_len: Option<usize>,
    nodes: Box<[Node]>,
    root: usize,
    cap: u32,
    /// The lengths `write` targets.
    targets: LenSet,
    /// `targets` listed, when it is not a contiguous range.
    target_list: Box<[u32]>,
    matcher: Regex,
}

/// Why a [`Pattern`] cannot be built.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum PatternError {
    /// The regex does not parse; `message` is the parser's explanation.
    #[error("invalid regex `{pattern}`: {message}")]
    Syntax {
        /// The regex as given.
        pattern: String,
        /// The parser's error text.
        message: String,
    },
    /// The regex can only produce lengths outside `[min_len, max_len]`.
    #[error(
        "pattern `{pattern}` produces {achievable}, which cannot meet length {}; widen the length bounds or the pattern",
        bounds(*.min_len, *.max_len)
    )]
    Unsatisfiable {
        /// The regex as given.
        pattern: String,
        /// The lower length bound.
        min_len: Option<usize>,
        /// The upper length bound.
        max_len: Option<usize>,
        /// The lengths the regex can produce, in words ("strings of exactly 3 characters").
        achievable: String,
    },
    /// The regex uses a feature that cannot be met by construction (word boundaries, anchors
    /// in the middle) or needs strings longer than [`MAX_GENERATED_LEN`].
    #[error(
        "pattern `{pattern}` uses {feature}, which cannot be generated by construction; remove it or rewrite the pattern"
    )]
    Unsupported {
        /// The regex as given.
        pattern: String,
        /// What is unsupported.
        feature: String,
    },
    /// `min_len > max_len`.
    #[error(
        "length bounds are inverted: min_len {min_len} is greater than max_len {max_len}; swap or fix them"
    )]
    InvertedBounds {
        /// The lower length bound.
        min_len: usize,
        /// The upper length bound.
        max_len: usize,
    },
}

fn bounds(min: Option<usize>, max: Option<usize>) -> String {
    match (min, max) {
        (Some(a), Some(b)) if a == b => format!("{a}"),
        (Some(a), Some(b)) => format!("{a}..={b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => "unbounded".into(),
    }
}

fn chars(n: u32) -> &'static str {
    if n == 1 { "character" } else { "characters" }
}

/// Describes a set of lengths in words; `more` says the pattern can also go beyond the set.
fn describe(set: &LenSet, more: bool) -> String {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for n in set.iter() {
        match runs.last_mut() {
            Some((_, hi)) if *hi + 1 == n => *hi = n,
            _ => runs.push((n, n)),
        }
    }
    match (runs.as_slice(), more) {
        ([], false) => "no string at all".into(),
        ([], true) => format!("only strings longer than {MAX_GENERATED_LEN} characters"),
        ([(a, b)], false) if a == b => format!("strings of exactly {a} {}", chars(*a)),
        ([(a, b)], false) => format!("strings of {a} to {b} characters"),
        ([(a, _)], true) => format!("strings of at least {a} {}", chars(*a)),
        (runs, more) => {
            let mut parts: Vec<String> = runs
                .iter()
                .take(8)
                .map(|(a, b)| if a == b { format!("{a}") } else { format!("{a}..={b}") })
                .collect();
            if more || runs.len() > 8 {
                parts.push("…".into());
            }
            format!("strings of lengths {} characters", parts.join(", "))
        }
    }
}

impl Pattern {
    /// Compiles `regex` with optional bounds on the length (in chars) of generated strings.
    ///
    /// `max_len = None` means no upper bound, but unbounded repetitions (`*`, `+`, `{n,}`) are
    /// then capped at `n + 8` repetitions (`n + 8 + min_len` with a `min_len`). Generated
    /// strings never exceed [`MAX_GENERATED_LEN`] chars.
    ///
    /// # Errors
    ///
    /// [`PatternError::InvertedBounds`], [`PatternError::Syntax`],
    /// [`PatternError::Unsupported`] (word boundaries, anchors in the middle, lengths above
    /// [`MAX_GENERATED_LEN`], patterns too complex to analyse) and
    /// [`PatternError::Unsatisfiable`] when no string of the regex meets the bounds.
    ///
    /// ```
    /// use testdata::constraint::pattern::{Pattern, PatternError};
    /// let err = Pattern::new("[A-Z]{3}", Some(5), Some(10)).unwrap_err();
    /// assert!(matches!(err, PatternError::Unsatisfiable { .. }));
    /// assert_eq!(
    ///     err.to_string(),
    ///     "pattern `[A-Z]{3}` produces strings of exactly 3 characters, which cannot meet \
    ///      length 5..=10; widen the length bounds or the pattern"
    /// );
    /// ```
    pub fn new(regex: &str, min_len: Option<usize>, max_len: Option<usize>) -> Result<Pattern, PatternError> {
        if let (Some(a), Some(b)) = (min_len, max_len)
            && a > b
        {
            return Err(PatternError::InvertedBounds { min_len: a, max_len: b });
        }
        let unsupported = |feature: String| PatternError::Unsupported { pattern: regex.to_owned(), feature };
        let hir = regex_syntax::Parser::new()
            .parse(regex)
            .map_err(|e| PatternError::Syntax { pattern: regex.to_owned(), message: e.to_string() })?;
        let ir = ir::reduce(&hir).map_err(unsupported)?;

        let limit = MAX_GENERATED_LEN as u64;
        let extra = match max_len {
            Some(_) => None,
            None => {
                Some(UNBOUNDED_EXTRA.saturating_add(min_len.map_or(0, |m| m.min(u32::MAX as usize) as u32)))
            }
        };
        let upper = max_len.map_or(u64::MAX, |m| m as u64).min(ir::max_len(&ir, extra));
        let cap = upper.min(limit) as u32;
        let too_complex = || {
            unsupported(format!(
                "repetitions too complex to analyse within the length cap of {cap} characters; \
                 lower max_len or simplify the repetitions"
            ))
        };
        let mut builder = Builder { cap, extra, budget: Budget::new(Budget::DEFAULT), nodes: Vec::new() };
        let root = builder.build(&ir).map_err(|_| too_complex())?;
        let lo = min_len.map_or(0, |m| m.min(u32::MAX as usize) as u32);
        let targets = builder.nodes[root].lens.clamp(lo, cap);
        if targets.is_empty() {
            if upper > limit {
                return Err(unsupported(format!(
                    "lengths above {MAX_GENERATED_LEN} characters (the longest strings patterns generate)"
                )));
            }
            return Err(PatternError::Unsatisfiable {
                pattern: regex.to_owned(),
                min_len,
                max_len,
                achievable: achievable(&ir, min_len, max_len),
            });
        }
        let target_list = match targets {
            LenSet::Bits { .. } => targets.iter().collect(),
            _ => Box::default(),
        };
        let anchored = Hir::concat(vec![Hir::look(Look::Start), hir, Hir::look(Look::End)]);
        let matcher = Regex::builder().build_from_hir(&anchored).map_err(|e| {
            unsupported(format!("repetitions too large for the regex engine that validates strings ({e})"))
        })?;
        Ok(Pattern {
            source: regex.into(),
            min_len,
            max_len,
            nodes: builder.nodes.into(),
            root,
            cap,
            targets,
            target_list,
            matcher,
        })
    }

    /// The source regex.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The length bounds given to [`Pattern::new`], as `(min_len, max_len)`.
    pub fn bounds(&self) -> (Option<usize>, Option<usize>) {
        (self.min_len, self.max_len)
    }

    /// Appends one string that matches the pattern and its length bounds to `out`.
    ///
    /// Allocates nothing but the growth of `out`; never fails, never loops.
    pub fn write(&self, g: &mut Gen, out: &mut String) {
        let len = match &self.targets {
            LenSet::Range(lo, hi) => lo + pick(g, hi - lo + 1),
            _ => {
                let r = pick(g, self.target_list.len() as u32);
                self.target_list.get(r as usize).copied().unwrap_or(0)
            }
        };
        out.reserve(len as usize);
        emit(&self.nodes, self.root, len, g, out);
    }

    /// One string that matches the pattern and its length bounds.
    pub fn generate(&self, g: &mut Gen) -> String {
        let mut out = String::new();
        self.write(g, &mut out);
        out
    }

    /// Whether the whole of `s` matches the regex and its length in chars is within the bounds.
    pub fn is_match(&self, s: &str) -> bool {
        let n = s.chars().count();
        self.min_len.is_none_or(|m| n >= m) && self.max_len.is_none_or(|m| n <= m) && self.matcher.is_match(s)
    }

    /// The shortest and longest length (in chars) that [`Pattern::write`] produces.
    pub fn len_range(&self) -> (usize, usize) {
        let lo = self.targets.min().unwrap_or(0);
        let hi = self.targets.max().unwrap_or(0);
        (lo as usize, hi as usize)
    }

    /// The number of distinct strings [`Pattern::write`] can produce, when it is finite, fits
    /// in a `u128` and can be proven exact; `None` otherwise.
    ///
    /// It counts what is generated: within the length bounds and [`MAX_GENERATED_LEN`], with
    /// unbounded repetitions capped as in [`Pattern::new`] and large classes narrowed to
    /// printable chars (see the [module docs](self)). Ambiguous patterns, whose strings may
    /// have several derivations (`a*a*`, `(a|ab)(c|bc)`), give `None` rather than an
    /// over-count. This walks the whole pattern; call it once, not per value.
    pub fn count(&self) -> Option<u128> {
        count::count(&self.nodes, self.root, self.cap, self.targets.iter())
    }
}

/// The lengths `ir` can produce near the bounds, in words, for [`PatternError::Unsatisfiable`].
fn achievable(ir: &Ir, min_len: Option<usize>, max_len: Option<usize>) -> String {
    let bound = min_len.unwrap_or(0).max(max_len.unwrap_or(0)) as u64;
    let shortest = ir::min_len(ir);
    let longest = ir::max_len(ir, None);
    let cap = (bound.max(if shortest == u64::MAX { 0 } else { shortest }) + 32)
        .min(longest)
        .min(MAX_GENERATED_LEN as u64) as u32;
    let mut builder = Builder { cap, extra: None, budget: Budget::new(Budget::DEFAULT), nodes: Vec::new() };
    match builder.build(ir) {
        Ok(root) => describe(&builder.nodes[root].lens, longest > u64::from(cap)),
        Err(_) => "strings of other lengths".into(),
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pattern")
            .field("regex", &self.source)
            .field("min_len", &self.min_len)
            .field("max_len", &self.max_len)
            .field("len_range", &self.len_range())
            .finish()
    }
}
