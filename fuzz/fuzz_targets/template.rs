//! An ID template (`format`) → parse → renderings match the template.
#![no_main]
use libfuzzer_sys::fuzz_target;
use testdata::constraint::template::Template;
use testdata::{Context, Gen, Key, Seed};

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    let Ok(t) = Template::parse(source) else { return };
    let ctx = Context::default();
    let lookup = |name: &str| Some(format!("<{name}>"));
    for i in 0..8 {
        let mut g = Gen::new(Key::root(Seed::new(3), 4, i));
        let unique = (i % 2 == 0).then_some(i);
        let s = t.render(&mut g, &ctx, i, unique, &lookup);
        assert!(t.matches(&s, &ctx, &lookup), "{s:?} is not a rendering of {source:?}");
    }
});
