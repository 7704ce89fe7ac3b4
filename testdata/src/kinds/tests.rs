//! Unit tests of the kinds: shapes and bounds over thousands of seeds in every locale,
//! determinism, coherence, check digits, validators, inference and names.

use super::data::{
    ALL_LOCS, BUZZ_HEAD, BUZZ_MIDDLE, BUZZ_TAIL, CATEGORIES, COLOR_NAMES, CURRENCIES, FILE_STEMS, FILE_TYPES,
    IBAN_COUNTRIES, INDUSTRIES, LANGUAGE_TAGS, LOREM, Loc, PRODUCT_ADJECTIVES, PRODUCT_MATERIALS,
    PRODUCT_NOUNS, PROFESSIONS, USER_AGENTS, loc,
};
use super::person::SLUG_MAX;
use super::util::{push_slug, tpl_len};
use super::*;
use crate::context::{Context, Locale};
use crate::seed::{Seed, name_key};

const SEEDS: u64 = 2_000;

fn scope_key(seed: u64, i: u64) -> Key {
    Key::root(Seed::new(seed), name_key("Record"), i)
}

fn gen_value(kind: Kind, ctx: &Context, key: Key) -> String {
    let s = Scope::new(key, ctx);
    kind.generate(&mut key.field(name_key(kind.name())), &s)
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

#[test]
fn every_kind_in_every_locale_checks_and_stays_in_bounds() {
    assert!(Kind::ALL.len() >= 45, "{} kinds", Kind::ALL.len());
    for &locale in Locale::ALL {
        let ctx = Context::default().with_locale(locale);
        for &kind in Kind::ALL {
            let (lo, hi) = kind.len_bounds();
            for seed in 0..SEEDS {
                let v = gen_value(kind, &ctx, scope_key(seed, seed * 31));
                let n = chars(&v);
                assert!(!v.is_empty(), "{kind} in {locale:?} is empty");
                assert!(n >= lo, "{kind} in {locale:?}: {v:?} shorter than {lo}");
                assert!(hi.is_none_or(|hi| n <= hi), "{kind} in {locale:?}: {v:?} longer than {hi:?}");
                if let Err(e) = kind.check(&v) {
                    panic!("{kind} in {locale:?}: check rejects its own {v:?}: {e}");
                }
            }
        }
    }
}

fn mm<'a>(items: impl IntoIterator<Item = &'a str>) -> (usize, usize) {
    items.into_iter().fold((usize::MAX, 0), |(lo, hi), s| (lo.min(chars(s)), hi.max(chars(s))))
}

fn slug_len(s: &str, max: usize) -> usize {
    let mut out = String::new();
    push_slug(&mut out, s, max).max(1)
}

fn slug_mm<'a>(items: impl IntoIterator<Item = &'a str>) -> (usize, usize) {
    items
        .into_iter()
        .fold((usize::MAX, 0), |(lo, hi), s| (lo.min(slug_len(s, SLUG_MAX)), hi.max(slug_len(s, SLUG_MAX))))
}

fn over_locs(f: impl Fn(&Loc) -> (usize, usize)) -> (usize, usize) {
    ALL_LOCS.iter().map(|l| f(l)).fold((usize::MAX, 0), |(a, b), (c, d)| (a.min(c), b.max(d)))
}

fn tpl_mm(tpls: &[&str]) -> (usize, usize) {
    tpls.iter().fold((usize::MAX, 0), |(lo, hi), t| (lo.min(tpl_len(t)), hi.max(tpl_len(t))))
}

fn add(a: (usize, usize), b: (usize, usize)) -> (usize, usize) {
    (a.0 + b.0, a.1 + b.1)
}

fn plus(a: (usize, usize), k: usize) -> (usize, usize) {
    (a.0 + k, a.1 + k)
}

fn either(a: (usize, usize), b: (usize, usize)) -> (usize, usize) {
    (a.0.min(b.0), a.1.max(b.1))
}

/// The exact extremes of a handle (username / email local part) for one locale.
fn handle_mm(l: &Loc) -> (usize, usize) {
    let f = slug_mm(l.first_names.iter().copied());
    let la = slug_mm(l.last_names.iter().copied());
    let two = add(f, la);
    let digits = (0, 2);
    let forms = [add(plus(two, 1), digits), add(two, digits), add(plus(la, 1), digits), add(f, (1, 2))];
    forms.into_iter().fold((usize::MAX, 0), either)
}

/// Length extremes derived from the tables, for the kinds whose length comes from them.
fn table_bounds(kind: Kind) -> Option<(usize, usize)> {
    use Kind::*;
    Some(match kind {
        FirstName => over_locs(|l| mm(l.first_names.iter().copied())),
        LastName => over_locs(|l| mm(l.last_names.iter().copied())),
        FullName => {
            over_locs(|l| plus(add(mm(l.first_names.iter().copied()), mm(l.last_names.iter().copied())), 1))
        }
        NameTitle => over_locs(|l| mm(l.titles.iter().copied())),
        Username => over_locs(handle_mm),
        Email => over_locs(|l| plus(add(handle_mm(l), mm(l.free_email.iter().copied())), 1)),
        SafeEmail => over_locs(|l| plus(handle_mm(l), "@example.com".len())),
        Phone => over_locs(|l| tpl_mm(l.phones)),
        CellPhone => over_locs(|l| tpl_mm(l.cells)),
        JobTitle => over_locs(|l| {
            let sep = if l.job_glued { 0 } else { 2 };
            plus(
                add(
                    add(mm(l.seniority.iter().copied()), mm(l.job_fields.iter().copied())),
                    mm(l.positions.iter().copied()),
                ),
                sep,
            )
        }),
        Profession => mm(PROFESSIONS.iter().copied()),
        Street | StreetName => over_locs(|l| {
            let name = either(mm(l.first_names.iter().copied()), mm(l.last_names.iter().copied()));
            let suffix = mm(l.street_suffixes.iter().copied());
            let num = tpl_mm(l.building_numbers);
            let with = kind == Street;
            match l.street_style {
                data::StreetStyle::Chome if with => add(plus(suffix, 3), plus(add(num, num), 1)),
                data::StreetStyle::Chome => suffix,
                data::StreetStyle::NameSuffixNumber => {
                    let b = add(name, suffix);
                    if with { plus(add(b, num), 1) } else { b }
                }
                data::StreetStyle::SuffixNameCommaNumber => {
                    let b = plus(add(name, suffix), 1);
                    if with { plus(add(b, num), 2) } else { b }
                }
                _ => {
                    let b = plus(add(name, suffix), 1);
                    if with { plus(add(b, num), 1) } else { b }
                }
            }
        }),
        BuildingNumber => over_locs(|l| tpl_mm(l.building_numbers)),
        SecondaryAddress => over_locs(|l| tpl_mm(l.secondary)),
        City => over_locs(|l| mm(l.regions.iter().flat_map(|r| r.cities.iter().copied()))),
        State => over_locs(|l| mm(l.regions.iter().map(|r| r.name))),
        StateAbbr => over_locs(|l| mm(l.regions.iter().map(|r| r.abbr))),
        Zip => over_locs(|l| plus((tpl_len(l.zip_tail), tpl_len(l.zip_tail)), l.zip_prefix)),
        Country => over_locs(|l| mm([l.country])),
        TimeZone => over_locs(|l| mm(l.time_zones.iter().copied())),
        Company => over_locs(|l| {
            let last = mm(l.last_names.iter().copied());
            let suffix = mm(l.company_suffixes.iter().copied());
            if l.suffix_glued {
                add(last, suffix)
            } else {
                let a = plus(add(last, suffix), 1);
                let b = plus(add(last, last), 2 + chars(l.and));
                if l.and.is_empty() { a } else { either(a, b) }
            }
        }),
        CompanySuffix => over_locs(|l| mm(l.company_suffixes.iter().copied())),
        Industry => mm(INDUSTRIES.iter().copied()),
        CatchPhrase => plus(
            add(
                add(mm(BUZZ_HEAD.iter().copied()), mm(BUZZ_MIDDLE.iter().copied())),
                mm(BUZZ_TAIL.iter().copied()),
            ),
            2,
        ),
        ProductName => plus(
            add(
                add(mm(PRODUCT_ADJECTIVES.iter().copied()), mm(PRODUCT_MATERIALS.iter().copied())),
                mm(PRODUCT_NOUNS.iter().copied()),
            ),
            2,
        ),
        Category => mm(CATEGORIES.iter().map(|c| c.0)),
        CurrencyName => mm(CURRENCIES.iter().map(|c| c.1)),
        Domain | Url => over_locs(|l| {
            let name = slug_mm(l.last_names.iter().copied());
            let tld = mm(l.tlds.iter().copied());
            let d = either(plus(add(name, tld), 1), plus(add(add(name, name), tld), 2));
            if kind == Domain {
                d
            } else {
                let w = mm(LOREM.iter().copied());
                add(plus(d, 8), (0, 4 + 2 * (w.1 + 1)))
            }
        }),
        UserAgent => mm(USER_AGENTS.iter().copied()),
        ColorName => mm(COLOR_NAMES.iter().copied()),
        Word => mm(LOREM.iter().copied()),
        Words => {
            let w = mm(LOREM.iter().copied());
            (2 * w.0 + 1, 5 * w.1 + 4)
        }
        Sentence => {
            let w = mm(LOREM.iter().copied());
            (4 * w.0 + 4, 12 * w.1 + 12)
        }
        Paragraph => {
            let w = mm(LOREM.iter().copied());
            (3 * (4 * w.0 + 4) + 2, 6 * (12 * w.1 + 12) + 5)
        }
        Slug => {
            let w = mm(LOREM.iter().copied());
            (2 * w.0 + 1, 4 * w.1 + 3)
        }
        Hashtag => {
            let w = mm(LOREM.iter().copied());
            (w.0 + 1, 2 * w.1 + 1)
        }
        FileName => {
            plus(add(mm(FILE_STEMS.iter().copied()), add(mm(FILE_TYPES.iter().map(|f| f.0)), (0, 4))), 1)
        }
        FileExtension => mm(FILE_TYPES.iter().map(|f| f.0)),
        MimeType => mm(FILE_TYPES.iter().map(|f| f.1)),
        LanguageCode => mm(LANGUAGE_TAGS.iter().copied()),
        LicensePlate => over_locs(|l| tpl_mm(l.plates)),
        Iban => IBAN_COUNTRIES.iter().fold((usize::MAX, 0), |(a, b), c| (a.min(c.1), b.max(c.1))),
        _ => return None,
    })
}

#[test]
fn len_bounds_hold_for_every_table_entry() {
    let mut report = String::new();
    for &kind in Kind::ALL {
        let Some((lo, hi)) = table_bounds(kind) else {
            continue;
        };
        let (blo, bhi) = kind.len_bounds();
        if !(blo <= lo && bhi.is_none_or(|b| hi <= b)) {
            report.push_str(&format!("{kind}: tables give ({lo}, {hi}), declared ({blo}, {bhi:?})\n"));
        }
    }
    assert!(report.is_empty(), "{report}");
}

#[test]
fn tables_are_sound() {
    for l in ALL_LOCS {
        for t in [
            l.first_names,
            l.last_names,
            l.titles,
            l.street_suffixes,
            l.building_numbers,
            l.secondary,
            l.time_zones,
            l.phones,
            l.cells,
            l.company_suffixes,
            l.seniority,
            l.job_fields,
            l.positions,
            l.free_email,
            l.tlds,
            l.plates,
        ] {
            assert!(!t.is_empty());
        }
        assert!(!l.regions.is_empty() && !l.gs1.is_empty());
        for r in l.regions {
            assert!(!r.cities.is_empty() && !r.zips.is_empty(), "{}", r.name);
            for &(lo, hi) in r.zips {
                assert!(lo <= hi && (hi as u64) < 10u64.pow(l.zip_prefix as u32), "{}", r.name);
            }
        }
        for n in l.first_names.iter().chain(l.last_names) {
            let mut s = String::new();
            assert!(push_slug(&mut s, n, SLUG_MAX) > 0, "{n} has no ASCII transliteration");
        }
        for d in l.free_email.iter().chain(l.tlds) {
            assert!(d.bytes().all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'-'), "{d}");
        }
    }
    for (cc, len, bban) in IBAN_COUNTRIES {
        assert_eq!(bban.len() + 4, *len, "{cc}");
    }
    for w in LOREM {
        assert!(w.bytes().all(|b| b.is_ascii_lowercase()), "{w}");
    }
    let mut names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), Kind::ALL.len());
}

#[test]
fn same_key_same_value_and_keys_differ() {
    let ctx = Context::default();
    for &kind in Kind::ALL {
        let mut distinct = std::collections::HashSet::new();
        for i in 0..50 {
            let k = scope_key(9, i);
            let a = gen_value(kind, &ctx, k);
            assert_eq!(a, gen_value(kind, &ctx, k), "{kind}");
            distinct.insert(a);
        }
        // Kinds with a single value per locale.
        let single = matches!(kind, Kind::Country | Kind::CountryCode);
        assert!(single || distinct.len() > 1, "{kind} never varies");
    }
}

fn slug_of(name: &str) -> String {
    let mut s = String::new();
    push_slug(&mut s, name, SLUG_MAX);
    s
}

#[test]
fn person_kinds_agree_within_a_record() {
    for &locale in Locale::ALL {
        let ctx = Context::default().with_locale(locale);
        for i in 0..SEEDS {
            let k = scope_key(3, i);
            let first = gen_value(Kind::FirstName, &ctx, k);
            let last = gen_value(Kind::LastName, &ctx, k);
            let full = gen_value(Kind::FullName, &ctx, k);
            assert!(full.contains(&first) && full.contains(&last), "{full} / {first} {last}");
            let (f, l) = (slug_of(&first), slug_of(&last));
            for kind in [Kind::Username, Kind::Email, Kind::SafeEmail] {
                let v = gen_value(kind, &ctx, k);
                let local = v.split('@').next().unwrap_or("");
                assert!(local.contains(&f) || local.contains(&l), "{kind} {v} for {first} {last}");
                assert!(v.is_ascii() && v == v.to_ascii_lowercase(), "{v}");
            }
        }
    }
}

#[test]
fn address_kinds_agree_within_a_record() {
    for &locale in Locale::ALL {
        let ctx = Context::default().with_locale(locale);
        let l = loc(locale);
        for i in 0..SEEDS {
            let k = scope_key(5, i);
            let state = gen_value(Kind::State, &ctx, k);
            let region = l.regions.iter().find(|r| r.name == state).expect("state from the table");
            assert_eq!(gen_value(Kind::StateAbbr, &ctx, k), region.abbr);
            let city = gen_value(Kind::City, &ctx, k);
            assert!(region.cities.contains(&city.as_str()), "{city} not in {state}");
            let zip = gen_value(Kind::Zip, &ctx, k);
            let prefix: u16 = zip[..l.zip_prefix].parse().expect("numeric zip prefix");
            assert!(region.zips.iter().any(|&(lo, hi)| (lo..=hi).contains(&prefix)), "{zip} not in {state}");
            assert_eq!(gen_value(Kind::Country, &ctx, k), l.country);
            assert_eq!(gen_value(Kind::CountryCode, &ctx, k), l.country_code);
        }
    }
}

#[test]
fn en_zip_matches_state() {
    let ctx = Context::default();
    let mut seen = std::collections::HashSet::new();
    for i in 0..SEEDS {
        let k = scope_key(11, i);
        let abbr = gen_value(Kind::StateAbbr, &ctx, k);
        let zip: u32 = gen_value(Kind::Zip, &ctx, k).parse().expect("5-digit zip");
        let ok = match abbr.as_str() {
            "CA" => (90_000..=96_199).contains(&zip),
            "NY" => (10_000..=14_999).contains(&zip),
            "TX" => (75_000..=79_999).contains(&zip) || (88_500..=88_599).contains(&zip),
            "MA" => (1_000..=2_799).contains(&zip),
            _ => true,
        };
        assert!(ok, "{abbr} {zip}");
        seen.insert(abbr);
    }
    assert!(seen.len() >= 45, "only {} states", seen.len());
}

#[test]
fn other_record_level_pairs_agree() {
    let ctx = Context::default();
    for i in 0..500 {
        let k = scope_key(13, i);
        let code = gen_value(Kind::CurrencyCode, &ctx, k);
        let name = gen_value(Kind::CurrencyName, &ctx, k);
        assert!(CURRENCIES.contains(&(code.as_str(), name.as_str())));
        let category = gen_value(Kind::Category, &ctx, k);
        let sku = gen_value(Kind::Sku, &ctx, k);
        let code = CATEGORIES.iter().find(|c| c.0 == category).map(|c| c.1).unwrap_or("?");
        assert!(sku.starts_with(code), "{sku} {category}");
        let ext = gen_value(Kind::FileExtension, &ctx, k);
        let mime = gen_value(Kind::MimeType, &ctx, k);
        assert!(FILE_TYPES.contains(&(ext.as_str(), mime.as_str())));
        assert!(gen_value(Kind::FileName, &ctx, k).ends_with(&format!(".{ext}")));
    }
}

#[test]
fn fields_do_not_disturb_each_other() {
    // A field's value depends only on the record key and its own field key.
    let ctx = Context::default();
    let k = scope_key(1, 1);
    let before = gen_value(Kind::Email, &ctx, k);
    let _ = gen_value(Kind::FirstName, &ctx, k);
    let _ = gen_value(Kind::Zip, &ctx, k);
    assert_eq!(before, gen_value(Kind::Email, &ctx, k));
}

#[test]
fn check_digits_are_valid() {
    use super::util::{ean13_check_digit, iban_mod97, luhn_valid};
    assert!(luhn_valid("4111111111111111"));
    assert!(luhn_valid("378282246310005"));
    assert!(!luhn_valid("4111111111111112"));
    assert_eq!(iban_mod97(b"DE89370400440532013000"), Some(1));
    assert_eq!(iban_mod97(b"GB82WEST12345698765432"), Some(1));
    assert_eq!(iban_mod97(b"FR1420041010050500013M02606"), Some(1));
    assert_eq!(ean13_check_digit(&[9, 7, 8, 0, 3, 0, 6, 4, 0, 6, 1, 5]), 7);
    assert!(Kind::Isbn13.check("978-0-306-40615-7").is_ok());
    assert!(Kind::Ean13.check("4006381333931").is_ok());
    assert!(Kind::Iban.check("DE89 3704 0044 0532 0130 00").is_ok());
    assert!(Kind::CreditCard.check("4111 1111 1111 1111").is_ok());
    let ctx = Context::default();
    let mut brands = std::collections::HashSet::new();
    let mut countries = std::collections::HashSet::new();
    for i in 0..SEEDS {
        let k = scope_key(17, i);
        let card = gen_value(Kind::CreditCard, &ctx, k);
        assert!(luhn_valid(&card), "{card}");
        let len_ok = match &card[..1] {
            "4" | "5" | "2" | "6" => card.len() == 16,
            "3" => card.len() == 15 && (card.starts_with("34") || card.starts_with("37")),
            _ => false,
        };
        assert!(len_ok, "{card}");
        brands.insert(card[..1].to_owned());
        let iban = gen_value(Kind::Iban, &ctx, k);
        assert_eq!(iban_mod97(iban.as_bytes()), Some(1), "{iban}");
        countries.insert(iban[..2].to_owned());
        for kind in [Kind::Isbn13, Kind::Ean13] {
            let v = gen_value(kind, &ctx, k);
            let d: Vec<u8> = v.bytes().map(|b| b - b'0').collect();
            assert_eq!(ean13_check_digit(&d[..12]), d[12], "{v}");
        }
    }
    assert_eq!(brands.len(), 5, "{brands:?}");
    assert!(countries.len() >= 8, "{countries:?}");
    for (locale, cc) in [(Locale::FrFr, "FR"), (Locale::DeDe, "DE"), (Locale::PtBr, "BR")] {
        let ctx = Context::default().with_locale(locale);
        assert!(gen_value(Kind::Iban, &ctx, scope_key(1, 2)).starts_with(cc));
    }
}

#[test]
fn check_rejects_garbage() {
    use Kind::*;
    let bad: &[(Kind, &[&str])] = &[
        (
            Uuid,
            &[
                "",
                "123",
                "123e4567-e89b-42d3-a456-42661417400",
                "123e4567xe89b-42d3-a456-426614174000",
                "g23e4567-e89b-42d3-a456-426614174000",
            ],
        ),
        (
            Email,
            &[
                "plainaddress",
                "@example.com",
                "a@b",
                "a@@b.com",
                "a b@c.com",
                "a@b.c",
                ".a@b.com",
                "a..b@c.com",
            ],
        ),
        (SafeEmail, &["a@gmail.com", "nope"]),
        (Phone, &["abc", "12", "555-CALL-NOW", "+1 (555) 123-4567 xabc"]),
        (Zip, &["1234", "ABCDE", "123456", "12345-67"]),
        (StateAbbr, &["c", "california", "ca"]),
        (CountryCode, &["us", "USA", "U1"]),
        (CurrencyCode, &["usd", "US", "EURO"]),
        (Latitude, &["91", "-90.5", "abc", "1e3", "NaN"]),
        (Longitude, &["181.0", "east", "inf"]),
        (TimeZone, &["Paris", "Europe/", "Europe Paris"]),
        (Sku, &["ele-004817", "ELE004817", "ELE--1"]),
        (CreditCard, &["4111111111111112", "1234", "4111-1111-1111-111a"]),
        (Iban, &["DE89370400440532013001", "DE8937040044053201300", "XX", "de89370400440532013000"]),
        (Ipv4, &["256.1.1.1", "1.2.3", "a.b.c.d"]),
        (Ipv6, &["2001:db8", "12345::", "gggg::1"]),
        (MacAddress, &["00:11:22:33:44", "00-11:22:33:44:55", "zz:11:22:33:44:55"]),
        (Url, &["example.com", "://x", "http://", "ht tp://x.com", "https://exa mple.com"]),
        (Domain, &["localhost", "-a.com", "a..com", "a.c", "a.c0m", "exa mple.com"]),
        (Color, &["fff", "#ffff", "#gggggg", "red"]),
        (Password, &["short", "has space inside"]),
        (Slug, &["Hello-World", "a--b", "-a", "a b"]),
        (Hashtag, &["#", "tag", "#a b"]),
        (FileName, &["noext", ".hidden", "dir/file.txt", "file."]),
        (FileExtension, &[".pdf", "toolongextension"]),
        (MimeType, &["pdf", "application/", "/pdf", "a b/c"]),
        (Semver, &["1.2", "1.2.3.4", "01.2.3", "1.2.x", "1.2.3-"]),
        (LanguageCode, &["english", "e", "en-USA1234567"]),
        (Isbn13, &["9780306406158", "1234567890128", "978030640615"]),
        (Ean13, &["4006381333932", "400638133393", "40063813339a1"]),
        (BuildingNumber, &["A12", "12 34"]),
        (Username, &["john doe", "a@b"]),
        (FirstName, &["", "   "]),
    ];
    for (kind, values) in bad {
        for v in *values {
            assert!(kind.check(v).is_err(), "{kind} accepted {v:?}");
        }
    }
    let good: &[(Kind, &str)] = &[
        (Uuid, "123E4567-E89B-12D3-A456-426614174000"),
        (Email, "john.o'neil+tag@mail.example.co.uk"),
        (Url, "http://localhost:8080/path?q=1"),
        (Phone, "+49 30 12345678"),
        (Zip, "12345-6789"),
        (Semver, "1.0.0-rc.1+build.5"),
        (LanguageCode, "en"),
        (MacAddress, "00-1A-2B-3C-4D-5E"),
        (Ipv6, "::1"),
        (TimeZone, "UTC"),
    ];
    for (kind, v) in good {
        assert!(kind.check(v).is_ok(), "{kind} rejected {v:?}: {:?}", kind.check(v));
    }
    assert_eq!(Email.check("nope"), Err("is not an email address (local@domain.tld)"));
}

#[test]
fn infer_reads_field_names() {
    use Kind::*;
    let cases: &[(&str, Option<Kind>)] = &[
        ("email", Some(Email)),
        ("email_address", Some(Email)),
        ("user_email", Some(Email)),
        ("userEmail", Some(Email)),
        ("EmailAddress", Some(Email)),
        ("first_name", Some(FirstName)),
        ("firstName", Some(FirstName)),
        ("given_name", Some(FirstName)),
        ("billing_first_name", Some(FirstName)),
        ("last_name", Some(LastName)),
        ("surname", Some(LastName)),
        ("full_name", Some(FullName)),
        ("zip", Some(Zip)),
        ("zip_code", Some(Zip)),
        ("postal_code", Some(Zip)),
        ("postcode", Some(Zip)),
        ("shipping_zip_code", Some(Zip)),
        ("city", Some(City)),
        ("billing_city", Some(City)),
        ("state", Some(State)),
        ("order_state", None),
        ("country", Some(Country)),
        ("country_code", Some(CountryCode)),
        ("countryCode", Some(CountryCode)),
        ("phone", Some(Phone)),
        ("phone_number", Some(Phone)),
        ("phoneNumber", Some(Phone)),
        ("mobile", Some(CellPhone)),
        ("street", Some(Street)),
        ("address_line1", Some(Street)),
        ("addressLine1", Some(Street)),
        ("street_address", Some(Street)),
        ("address_line2", Some(SecondaryAddress)),
        ("company", Some(Company)),
        ("company_name", Some(Company)),
        ("brand", Some(Company)),
        ("job_title", Some(JobTitle)),
        ("username", Some(Username)),
        ("login", Some(Username)),
        ("last_login", None),
        ("url", Some(Url)),
        ("website", Some(Url)),
        ("homepage", Some(Url)),
        ("avatar_url", Some(Url)),
        ("domain", Some(Domain)),
        ("ip", Some(Ipv4)),
        ("ip_address", Some(Ipv4)),
        ("ipAddress", Some(Ipv4)),
        ("IPAddress", Some(Ipv4)),
        ("ipv4", Some(Ipv4)),
        ("client_ip", Some(Ipv4)),
        ("ipv6", Some(Ipv6)),
        ("IPv6Address", Some(Ipv6)),
        ("user_agent", Some(UserAgent)),
        ("userAgent", Some(UserAgent)),
        ("color", Some(Color)),
        ("colour", Some(Color)),
        ("sku", Some(Sku)),
        ("currency", Some(CurrencyCode)),
        ("iban", Some(Iban)),
        ("credit_card", Some(CreditCard)),
        ("card_number", Some(CreditCard)),
        ("uuid", Some(Uuid)),
        ("guid", Some(Uuid)),
        ("request_uuid", Some(Uuid)),
        ("id", None),
        ("user_id", None),
        ("email_id", None),
        ("title", None),
        ("name", None),
        ("price", None),
        ("created_at", None),
        ("", None),
        ("__", None),
        ("latitude", Some(Latitude)),
        ("lng", Some(Longitude)),
        ("time_zone", Some(TimeZone)),
        ("timezone", Some(TimeZone)),
        ("mime_type", Some(MimeType)),
        ("content_type", Some(MimeType)),
        ("file_name", Some(FileName)),
        ("filename", Some(FileName)),
        ("isbn", Some(Isbn13)),
        ("password", Some(Password)),
        ("slug", Some(Slug)),
        ("language", Some(LanguageCode)),
    ];
    for (name, want) in cases {
        assert_eq!(Kind::infer(name), *want, "infer({name:?})");
    }
}

#[test]
fn names_round_trip_and_aliases_resolve() {
    for &k in Kind::ALL {
        assert_eq!(Kind::from_name(k.name()), Some(k));
        assert_eq!(k.name().parse::<Kind>(), Ok(k));
        assert_eq!(k.to_string(), k.name());
        assert!(!k.doc().is_empty());
    }
    for (alias, kind) in [
        ("zip_code", Kind::Zip),
        ("postal_code", Kind::Zip),
        ("ip", Kind::Ipv4),
        ("ip_address", Kind::Ipv4),
        ("company_name", Kind::Company),
        ("phone_number", Kind::Phone),
        ("street_address", Kind::Street),
        ("surname", Kind::LastName),
        ("given_name", Kind::FirstName),
    ] {
        assert_eq!(Kind::from_name(alias), Some(kind), "{alias}");
    }
    assert_eq!("First-Name".parse::<Kind>(), Ok(Kind::FirstName));
    assert_eq!(Kind::from_name("nope"), None);
}

#[test]
fn unknown_kind_suggests_the_closest_name() {
    let err = "emial".parse::<Kind>().unwrap_err();
    assert_eq!(err.suggestion, Some("email"));
    let msg = err.to_string();
    assert!(
        msg.starts_with("unknown kind `emial`; did you mean `email`? Known kinds: uuid, first_name"),
        "{msg}"
    );
    assert_eq!("frist_name".parse::<Kind>().unwrap_err().suggestion, Some("first_name"));
    let far = "completely_unrelated_thing".parse::<Kind>().unwrap_err();
    assert_eq!(far.suggestion, None);
    assert!(far.to_string().starts_with("unknown kind `completely_unrelated_thing`. Known kinds: "), "{far}");
}

#[test]
fn locales_produce_their_own_data() {
    let k = scope_key(21, 0);
    let ja = Context::default().with_locale(Locale::JaJp);
    assert!(!gen_value(Kind::FullName, &ja, k).is_ascii());
    let zip = gen_value(Kind::Zip, &ja, k);
    assert_eq!(zip.as_bytes()[3], b'-');
    let pt = Context::default().with_locale(Locale::PtBr);
    assert_eq!(gen_value(Kind::Zip, &pt, k).as_bytes()[5], b'-');
    let de = Context::default().with_locale(Locale::DeDe);
    assert_eq!(gen_value(Kind::CountryCode, &de, k), "DE");
    let fr = Context::default().with_locale(Locale::FrFr);
    let cell = gen_value(Kind::CellPhone, &fr, k);
    assert!(cell.starts_with("06") || cell.starts_with("07") || cell.starts_with("09"), "{cell}");
}

#[test]
fn golden_values_are_pinned() {
    // Output is a stability contract: changing any of these is a breaking change.
    let k = scope_key(42, 0);
    let en = Context::default();
    let pinned = [
        (Kind::Uuid, "085c9e60-0190-4b86-84f9-0b97ee7d98f9"),
        (Kind::FirstName, "Shanie"),
        (Kind::FullName, "Shanie Cronin"),
        (Kind::Email, "shanie28@gmail.com"),
        (Kind::Street, "568 Carroll Summit"),
        (Kind::City, "Honolulu"),
        (Kind::Zip, "96855"),
        (Kind::CreditCard, "4814344232662700"),
        (Kind::Iban, "CH1513271957768925764"),
        (Kind::Sku, "SPO-986979"),
    ];
    for (kind, want) in pinned {
        assert_eq!(gen_value(kind, &en, k), want, "{kind}");
    }
    let ja = Context::default().with_locale(Locale::JaJp);
    assert_eq!(gen_value(Kind::FullName, &ja, k), "林 蓮");
    let de = Context::default().with_locale(Locale::DeDe);
    assert_eq!(gen_value(Kind::Street, &de, k), "Lærkeufer 568");
    let pt = Context::default().with_locale(Locale::PtBr);
    assert_eq!(gen_value(Kind::Zip, &pt, k), "63155-336");
}

#[test]
fn packed_name_tables_match_the_locale_tables() {
    for &locale in Locale::ALL {
        let l = loc(locale);
        let n = super::person::names(locale);
        for (table, packed, slugs) in
            [(l.first_names, &n.first, &n.first_slug), (l.last_names, &n.last, &n.last_slug)]
        {
            assert_eq!(packed.len(), table.len());
            assert_eq!(slugs.len(), table.len());
            for (i, name) in table.iter().enumerate() {
                assert_eq!(packed.get(i), *name);
                let mut slug = String::new();
                push_slug(&mut slug, name, SLUG_MAX);
                assert_eq!(slugs.get(i), slug);
            }
            assert_eq!(packed.get(table.len()), "", "past the end");
        }
    }
}

#[test]
fn prepared_templates_expand_like_push_tpl() {
    use super::util::{Tpl, push_tpl};
    use crate::rng::Gen;
    let extra: &[&'static str] = &[
        "^丁目",
        "??-^#",
        "",
        "plain",
        "#################################",
        // `##` pairs that start on the last digit of a draw (ten digits a draw).
        "###-###-###-##",
        "^########-##",
        "?#########-##-#",
    ];
    for l in ALL_LOCS {
        for tpl in l.phones.iter().chain(l.cells).chain(l.building_numbers).chain(extra) {
            let t = Tpl::new(tpl);
            for seed in 0..200 {
                let (mut a, mut b) = (Gen::new(Key::from_raw(seed)), Gen::new(Key::from_raw(seed)));
                let mut want = String::new();
                push_tpl(&mut a, &mut want, tpl);
                assert_eq!(t.render(&mut b), want, "{tpl}");
                assert_eq!(a.next_u64(), b.next_u64(), "{tpl}: same draws consumed");
            }
        }
    }
}

#[test]
fn push_padded_matches_format() {
    use super::util::push_padded;
    let mut ns: Vec<u64> =
        vec![0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 12_345, 99_999, 100_000, u64::MAX, u64::MAX - 1];
    ns.extend((0..64).map(|b| 1u64 << b));
    ns.extend((1..20).map(|p| 10u64.pow(p) - 1));
    ns.extend((1..20).map(|p| 10u64.pow(p)));
    for &n in &ns {
        for width in 0..24 {
            let mut out = String::from("x");
            push_padded(&mut out, n, width);
            assert_eq!(out, format!("x{n:0width$}"), "{n} width {width}");
        }
    }
}

#[test]
fn a_shared_scope_gives_the_values_of_a_scope_per_field() {
    // One scope per record caches the person and region draws; the values must not change.
    let kinds = [
        Kind::FirstName,
        Kind::LastName,
        Kind::Email,
        Kind::Username,
        Kind::FullName,
        Kind::City,
        Kind::Zip,
        Kind::State,
        Kind::StateAbbr,
        Kind::Latitude,
        Kind::TimeZone,
    ];
    for &locale in Locale::ALL {
        let ctx = Context::default().with_locale(locale);
        for i in 0..300 {
            let key = scope_key(7, i);
            let shared = Scope::new(key, &ctx);
            for kind in kinds {
                let mut g = key.field(name_key(kind.name()));
                assert_eq!(
                    kind.generate(&mut g, &shared),
                    gen_value(kind, &ctx, key),
                    "{kind:?} {locale:?} {i}"
                );
            }
        }
    }
}

#[test]
fn a_scope_whose_key_or_locale_is_changed_does_not_reuse_its_caches() {
    let en = Context::default();
    let fr = Context::default().with_locale(Locale::FrFr);
    for i in 0..300 {
        let mut s = Scope::new(scope_key(9, i), &en);
        for kind in [Kind::State, Kind::Zip, Kind::FirstName] {
            kind.generate(&mut Gen::new(Key::from_raw(i)), &s);
        }
        s.ctx = &fr;
        s.key = scope_key(10, i);
        for kind in [Kind::State, Kind::City, Kind::Zip, Kind::FirstName, Kind::Email] {
            let mut g = s.key.field(name_key(kind.name()));
            assert_eq!(kind.generate(&mut g, &s), gen_value(kind, &fr, s.key), "{kind:?} {i}");
        }
    }
}

#[test]
fn every_built_in_template_gets_the_prepared_expansion() {
    use super::util::Tpl;
    for l in ALL_LOCS {
        for tpl in l.phones.iter().chain(l.cells).chain(l.building_numbers) {
            assert!(Tpl::new(tpl).is_prepared() || !tpl.is_ascii(), "{tpl}");
        }
    }
    assert!(!Tpl::new("###-###-###-##").is_prepared(), "a pair across draws keeps push_tpl");
}
