use std::time::Instant;

use super::*;
use crate::seed::Key;

fn gen_for(seed: u64) -> Gen {
    Key::from_raw(seed).stream()
}

fn p(regex: &str, min: Option<usize>, max: Option<usize>) -> Pattern {
    match Pattern::new(regex, min, max) {
        Ok(p) => p,
        Err(e) => panic!("{regex} {min:?}..{max:?}: {e}"),
    }
}

const PATTERNS: &[&str] = &[
    "[A-Z]{3}-[0-9]{4}",
    "^[0-9]{4}$",
    r"[a-z]{3,10}@[a-z]{2,8}\.(com|org)",
    "(ab)*",
    "a{2,5}b?",
    "[^a-z]",
    ".{0,20}",
    r"\p{Greek}{2,4}",
    "(a|bcd|efghij)",
    "(a|bcd|efghij)+",
    "((ab|c){1,3}-(x|yz)?){2}",
    "x*",
    r"\w+\s\d{2,3}",
    r"(?i)hello( world)?",
    "[a-z]*[0-9]*",
    "(|a|bb)*c",
    "(a?){3,5}",
    "(^|x)abc$",
    r"\A(foo|ba+r)\z",
    r"(?m)^line$",
    r"[\u{1F600}-\u{1F64F}]{1,3}",
    "(?s).{2}",
    "",
    "((a{0,2}b){0,3}c){1,2}",
    r"[a-z]+(\.[a-z]+)*@x\.io",
];

const BOUNDS: &[(Option<usize>, Option<usize>)] = &[
    (None, None),
    (Some(0), Some(0)),
    (Some(1), Some(4)),
    (Some(5), Some(7)),
    (Some(8), None),
    (None, Some(12)),
    (Some(20), Some(40)),
    (Some(100), Some(100)),
];

#[test]
fn outputs_match_across_patterns_bounds_and_seeds() {
    let mut checked = 0;
    for regex in PATTERNS {
        for &(min, max) in BOUNDS {
            let pat = match Pattern::new(regex, min, max) {
                Ok(pat) => pat,
                Err(PatternError::Unsatisfiable { .. }) => continue,
                Err(e) => panic!("{regex} {min:?}..{max:?}: {e}"),
            };
            let (lo, hi) = pat.len_range();
            let mut seen_lo = usize::MAX;
            let mut seen_hi = 0;
            for seed in 0..5_000 {
                let s = pat.generate(&mut gen_for(seed));
                let n = s.chars().count();
                assert!(pat.is_match(&s), "{regex} {min:?}..{max:?} seed {seed}: {s:?}");
                assert!(min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m), "{regex}: {s:?}");
                assert!(lo <= n && n <= hi, "{regex}: {s:?} outside {lo}..={hi}");
                seen_lo = seen_lo.min(n);
                seen_hi = seen_hi.max(n);
            }
            // Uniform over lengths: with 5,000 draws both extremes of a small range appear.
            if hi - lo < 50 {
                assert_eq!((seen_lo, seen_hi), (lo, hi), "{regex} {min:?}..{max:?}");
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn satisfiable_combinations_are_not_rejected() {
    // Each of these must build, and cover exactly the expected lengths.
    type Case = (&'static str, Option<usize>, Option<usize>, (usize, usize));
    let cases: &[Case] = &[
        ("x*", Some(5), Some(7), (5, 7)),
        ("x*", None, None, (0, 8)),
        ("x+", Some(50), None, (50, 59)),
        ("(ab)*", Some(3), Some(9), (4, 8)),
        ("(a|bcd|efghij)", Some(2), Some(6), (3, 6)),
        (".{0,20}", None, None, (0, 20)),
        ("[A-Z]{3}-[0-9]{4}", None, None, (8, 8)),
        (r"[a-z]{3,10}@[a-z]{2,8}\.(com|org)", None, None, (10, 23)),
        ("[a-z]+", Some(5), Some(8), (5, 8)),
        ("a{1000}", None, None, (1000, 1000)),
        (".*", None, Some(10_000), (0, MAX_GENERATED_LEN)),
    ];
    for &(regex, min, max, range) in cases {
        assert_eq!(p(regex, min, max).len_range(), range, "{regex}");
    }
    // (a|bcd|efghij) with 2..=6 only produces 3 or 6.
    let pat = p("(a|bcd|efghij)", Some(2), Some(6));
    for seed in 0..200 {
        let s = pat.generate(&mut gen_for(seed));
        assert!(s == "bcd" || s == "efghij", "{s}");
    }
}

#[test]
fn impossible_lengths_are_unsatisfiable_quickly() {
    let start = Instant::now();
    let cases: &[(&str, Option<usize>, Option<usize>)] = &[
        ("(ab)*", Some(3), Some(3)),
        ("[A-Z]{3}", Some(5), None),
        ("[A-Z]{3}", Some(5), Some(10)),
        ("[A-Z]{3}", None, Some(2)),
        ("a{2,5}b?", Some(7), Some(9)),
        ("(a|bcd|efghij)", Some(4), Some(5)),
        ("(ab){2}(cde){3}", Some(10), Some(12)),
        ("[A-Z]{3}", Some(5000), None),
        (r"[^\x00-\x{10FFFF}]", None, None),
    ];
    for &(regex, min, max) in cases {
        match Pattern::new(regex, min, max) {
            Err(PatternError::Unsatisfiable { pattern, min_len, max_len, .. }) => {
                assert_eq!((pattern.as_str(), min_len, max_len), (regex, min, max));
            }
            other => panic!("{regex}: {other:?}"),
        }
    }
    assert!(start.elapsed().as_secs() < 5);
}

#[test]
fn error_messages_say_what_to_do() {
    let msg = |r: &str, a, b| Pattern::new(r, a, b).unwrap_err().to_string();
    assert_eq!(
        msg("[A-Z]{3}", Some(5), Some(10)),
        "pattern `[A-Z]{3}` produces strings of exactly 3 characters, which cannot meet length 5..=10; \
         widen the length bounds or the pattern"
    );
    assert_eq!(
        msg("(ab)*", Some(3), Some(3)),
        "pattern `(ab)*` produces strings of lengths 0, 2, 4, 6, 8, 10, 12, 14, … characters, \
         which cannot meet length 3; widen the length bounds or the pattern"
    );
    assert_eq!(
        msg("", Some(1), None),
        "pattern `` produces strings of exactly 0 characters, which cannot meet length at least 1; \
         widen the length bounds or the pattern"
    );
    assert_eq!(
        msg("a+", Some(3), Some(2)),
        "length bounds are inverted: min_len 3 is greater than max_len 2; swap or fix them"
    );
    let m = msg("a{5000}", None, None);
    assert!(m.contains("4096 characters") && m.contains("a{5000}"), "{m}");
    assert_eq!(
        msg("a{2,5}", None, Some(1)),
        "pattern `a{2,5}` produces strings of 2 to 5 characters, which cannot meet length at most 1; \
         widen the length bounds or the pattern"
    );
    let m = msg("a\\bb", None, None);
    assert!(m.contains("word boundary") && m.contains("\\b"), "{m}");
    let m = msg("[a-", None, None);
    assert!(m.starts_with("invalid regex `[a-`") && m.contains("unclosed"), "{m}");
}

#[test]
fn invalid_syntax_is_a_syntax_error() {
    for regex in ["[a-", "(abc", "a{3,2}", "*a", r"\p{NotAProperty}", "(?<n>a)(?<n>b)"] {
        match Pattern::new(regex, None, None) {
            Err(PatternError::Syntax { pattern, message }) => {
                assert_eq!(pattern, regex);
                assert!(!message.is_empty());
            }
            other => panic!("{regex}: {other:?}"),
        }
    }
}

#[test]
fn unsupported_features() {
    for regex in [r"\bfoo\b", r"a\Bb", r"\<word\>", "a^b", "a$b", "(^a)*", "(?m)a$\n^b"] {
        match Pattern::new(regex, None, None) {
            Err(PatternError::Unsupported { pattern, feature }) => {
                assert_eq!(pattern, regex);
                assert!(!feature.is_empty());
            }
            other => panic!("{regex}: {other:?}"),
        }
    }
    // Beyond the generation cap.
    for (regex, min) in [("a{5000}", None), ("a*", Some(5000))] {
        assert!(matches!(Pattern::new(regex, min, None), Err(PatternError::Unsupported { .. })), "{regex}");
    }
    // Anchors at the ends are fine.
    for regex in ["^abc$", r"\Aabc\z", "(^|x)y($|z)", "^$", "(?:^a|^b)c"] {
        let pat = p(regex, None, None);
        for seed in 0..100 {
            assert!(pat.is_match(&pat.generate(&mut gen_for(seed))), "{regex}");
        }
    }
    assert_eq!(
        Pattern::new("a{2,3}", Some(4), Some(3)).unwrap_err(),
        PatternError::InvertedBounds { min_len: 4, max_len: 3 }
    );
}

#[test]
fn deterministic() {
    for regex in PATTERNS {
        let pat = p(regex, None, None);
        let again = p(regex, None, None);
        for seed in 0..200 {
            let a = pat.generate(&mut gen_for(seed));
            let b = again.clone().generate(&mut gen_for(seed));
            assert_eq!(a, b);
            let mut g = gen_for(seed);
            let mut out = String::from(">");
            pat.write(&mut g, &mut out);
            assert_eq!(out, format!(">{a}"));
        }
    }
    // Different seeds give different strings.
    let pat = p("[A-Z]{3}-[0-9]{4}", None, None);
    let all: std::collections::HashSet<String> = (0..1000).map(|s| pat.generate(&mut gen_for(s))).collect();
    assert!(all.len() > 990);
}

#[test]
fn golden_output_is_pinned() {
    // Changing these values is a breaking change of the output contract (see CHANGELOG.md).
    let out: Vec<String> =
        ["[A-Z]{3}-[0-9]{4}", r"[a-z]{3,10}@[a-z]{2,8}\.(com|org)", "(a|bcd|efghij)+", ".{0,10}"]
            .iter()
            .map(|r| p(r, None, None).generate(&mut gen_for(42)))
            .collect();
    assert_eq!(out, GOLDEN);
}

const GOLDEN: [&str; 4] =
    ["TEH-3082", "hiawfui@qfmnnrfc.com", "aabcdbcdefghijefghijefghijefghijefghij", "9KV%êBßU"];

#[test]
fn counts() {
    let c = |r: &str, a, b| p(r, a, b).count();
    assert_eq!(c("[A-Z]{3}-[0-9]{4}", None, None), Some(26u128.pow(3) * 10u128.pow(4)));
    assert_eq!(c("^[0-9]{4}$", None, None), Some(10_000));
    assert_eq!(c("(a|bcd|efghij)", None, None), Some(3));
    assert_eq!(c("(com|org|net)", None, None), Some(3));
    assert_eq!(c("a{2,5}b?", None, None), Some(8));
    assert_eq!(c("[a-z]{1,3}", None, None), Some(26 + 26 * 26 + 26 * 26 * 26));
    assert_eq!(c("[a-z]{1,3}", Some(2), None), Some(26 * 26 + 26 * 26 * 26));
    assert_eq!(c("(ab)*", None, None), Some(9));
    assert_eq!(c("(ab)*", Some(3), Some(9)), Some(3));
    assert_eq!(c("x*", Some(5), Some(7)), Some(3));
    assert_eq!(c("x?", None, None), Some(2));
    assert_eq!(c("", None, None), Some(1));
    assert_eq!(c("(a?){3}", None, None), Some(4));
    assert_eq!(c("[ab]{2}(c|d)?", None, None), Some(4 * 3));
    assert_eq!(c(r"[a-z]{3,10}@[a-z]{2,8}\.(com|org)", Some(10), Some(10)), Some(26u128.pow(5) * 2));
    // Large classes count their printable subset: 95 ASCII + 62 Latin-1 letters.
    assert_eq!(c(".", None, None), Some(95 + 62));
    // Too many to count, or ambiguous: None, never a wrong number.
    assert_eq!(c("[a-z]{100}", None, None), None);
    assert_eq!(c("a*a*", None, None), None);
    assert_eq!(c("(a|ab)(c|bc)", None, None), None);
    assert_eq!(c("(a|a)", None, None), Some(1));
    assert_eq!(c("(a|[a-c])", None, None), None);
}

/// Brute force: every string the generator produced for many seeds is counted, and for small
/// languages they are all found.
#[test]
fn counts_agree_with_enumeration() {
    for (regex, min, max) in [
        ("[ab]{1,3}", None, None),
        ("(a|bcd|e)(x|yz)?", None, None),
        ("[0-2]{2}-(a|bb)", Some(4), Some(5)),
        ("(ab)*c?", Some(1), Some(6)),
        ("((a|b)c){0,2}", None, None),
    ] {
        let pat = p(regex, min, max);
        let Some(n) = pat.count() else { panic!("{regex}: no count") };
        let seen: std::collections::HashSet<String> =
            (0..20_000).map(|s| pat.generate(&mut gen_for(s))).collect();
        assert_eq!(seen.len() as u128, n, "{regex}: {seen:?}");
    }
}

#[test]
fn pathological_patterns_build_fast_and_work() {
    let pat = p("(a|b|c){0,200}", None, Some(300));
    assert_eq!(pat.len_range(), (0, 200));
    let pat = p("((a|bb){0,50}){0,50}", None, Some(300));
    for seed in 0..20 {
        let s = pat.generate(&mut gen_for(seed));
        assert!(pat.is_match(&s) && s.chars().count() <= 300);
    }
    let pat = p("(.*)*x(.*)+", None, Some(4096));
    for seed in 0..50 {
        assert!(pat.is_match(&pat.generate(&mut gen_for(seed))));
    }
    // Either works or says it is too complex: never hangs, never panics.
    for regex in ["((ab){0,2000}){0,3000}", "(((a|bb|cccc){1,100}){1,100}){1,100}", "(a{0,3}b{0,5}){2048}"] {
        match Pattern::new(regex, None, Some(4096)) {
            Ok(pat) => {
                // (Checked without `is_match`: the regex engine is slow on such NFAs in debug.)
                for seed in 0..20 {
                    let s = pat.generate(&mut gen_for(seed));
                    assert!(s.chars().count() <= 4096 && s.chars().all(|c| "abc".contains(c)), "{regex}");
                }
            }
            Err(PatternError::Unsupported { .. }) => {}
            Err(e) => panic!("{regex}: {e}"),
        }
    }
    let pat = p("(a{0,3}b{0,5}){30}", Some(200), Some(220));
    for seed in 0..100 {
        let s = pat.generate(&mut gen_for(seed));
        assert!(pat.is_match(&s), "{s}");
    }
}

#[test]
fn large_classes_are_printable() {
    for regex in [".{50}", "[^a-z]{50}", r"\w{50}", r"\d{50}", r"\p{L}{50}", r"\W{50}"] {
        let pat = p(regex, None, None);
        for seed in 0..200 {
            let s = pat.generate(&mut gen_for(seed));
            assert!(pat.is_match(&s));
            assert!(
                s.chars().all(|c| (' '..='~').contains(&c) || ('À'..='ÿ').contains(&c)),
                "{regex}: {s:?}"
            );
        }
    }
    let pat = p(r"\d{200}", None, None);
    assert!(pat.generate(&mut gen_for(1)).chars().all(|c| c.is_ascii_digit()));
    // No printable member: the class is used whole.
    let pat = p(r"\p{Greek}{3}", None, None);
    let s = pat.generate(&mut gen_for(3));
    assert!(s.chars().all(|c| !c.is_ascii()), "{s}");
}

#[test]
fn is_match_checks_whole_string_and_bounds() {
    let pat = p("[a-z]+", Some(2), Some(4));
    assert!(pat.is_match("abc"));
    assert!(!pat.is_match("a"));
    assert!(!pat.is_match("abcde"));
    assert!(!pat.is_match("ab1"));
    assert!(!pat.is_match("1ab"));
    let pat = p("a|bc", None, None);
    assert!(pat.is_match("a") && pat.is_match("bc") && !pat.is_match("abc"));
    // Validation follows the regex, not the generation caps.
    let pat = p("x*", None, None);
    assert!(pat.is_match(&"x".repeat(100)));
    assert_eq!(pat.as_str(), "x*");
    assert_eq!(pat.bounds(), (None, None));
}

#[test]
fn every_option_is_reachable() {
    // Each branch, class member and length shows up: nothing is silently unreachable.
    let pat = p("(com|org|net)", None, None);
    let seen: std::collections::HashSet<String> = (0..300).map(|s| pat.generate(&mut gen_for(s))).collect();
    assert_eq!(seen.len(), 3);
    let pat = p("[A-Z]", None, None);
    let seen: std::collections::HashSet<String> = (0..3000).map(|s| pat.generate(&mut gen_for(s))).collect();
    assert_eq!(seen.len(), 26);
    let pat = p("(a|bcd|efghij){1,4}", None, None);
    let lens: std::collections::HashSet<usize> =
        (0..5000).map(|s| pat.generate(&mut gen_for(s)).len()).collect();
    let mut expected = std::collections::HashSet::new();
    for k in 1..=4 {
        for combo in 0..3usize.pow(k) {
            let (mut c, mut total) = (combo, 0);
            for _ in 0..k {
                total += [1, 3, 6][c % 3];
                c /= 3;
            }
            expected.insert(total);
        }
    }
    assert_eq!(lens, expected);
}
