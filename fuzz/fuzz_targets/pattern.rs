//! A regex constraint with length bounds → generated strings match it (checked by the
//! `regex` crate, independently of the engine's own matcher) and respect the bounds.
#![no_main]
use libfuzzer_sys::fuzz_target;
use testdata::constraint::pattern::Pattern;
use testdata::{Gen, Key, Seed};

fuzz_target!(|data: &[u8]| {
    let (bounds, rest) = data.split_at(data.len().min(2));
    let Ok(source) = std::str::from_utf8(rest) else { return };
    let min = bounds.first().map(|b| usize::from(*b % 40));
    let max = bounds.get(1).map(|b| min.unwrap_or(0) + usize::from(*b % 60));
    let Ok(pattern) = Pattern::new(source, min, max) else { return };
    let independent = regex::Regex::new(&format!("^(?:{source})$")).ok();
    for i in 0..8 {
        let mut g = Gen::new(Key::root(Seed::new(1), 2, i));
        let s = pattern.generate(&mut g);
        assert!(pattern.is_match(&s), "{s:?} does not match its own pattern {source:?}");
        if let Some(re) = &independent {
            assert!(re.is_match(&s), "{s:?} does not match {source:?} (regex crate)");
        }
        let n = s.chars().count();
        assert!(min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m), "{s:?}: length {n} outside {min:?}..={max:?}");
    }
});
