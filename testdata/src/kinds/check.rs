//! Shape validation of values claimed to be of a kind (what `validate()` uses). Lenient enough to
//! accept everything the generators produce in every locale plus common real-world spellings
//! (uppercase hex, spaced card numbers, …); strict enough to reject obvious garbage.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::Kind;
use super::data::IBAN_COUNTRIES;
use super::util::{ean13_check_digit, iban_mod97, luhn_valid};

pub(crate) fn check(kind: Kind, v: &str) -> Result<(), &'static str> {
    use Kind::*;
    if v.trim().is_empty() {
        return Err("is empty");
    }
    match kind {
        Uuid => {
            ok(is_uuid(v), "is not a UUID (8-4-4-4-12 hex digits, e.g. 123e4567-e89b-42d3-a456-426614174000)")
        }
        Username => ok(is_username(v), "is not a username (ASCII letters, digits, `.`, `_`, `-`)"),
        Email => ok(is_email(v), "is not an email address (local@domain.tld)"),
        SafeEmail => check_safe_email(v),
        Phone | CellPhone => ok(
            is_phone(v),
            "is not a phone number (7 to 15 digits with spaces, `()`, `-`, `.`, `/`, a leading `+` or an `x` extension)",
        ),
        StateAbbr => ok(
            is_state_abbr(v),
            "is not a state abbreviation (2 to 6 uppercase letters, digits or `-`, e.g. CA, BY, JP-13)",
        ),
        Zip => ok(is_zip(v), "is not a postal code (#####, #####-####, #####-### or ###-####)"),
        CountryCode => {
            ok(is_upper_code(v, 2), "is not an ISO 3166-1 alpha-2 country code (2 uppercase letters)")
        }
        Latitude => ok(is_degrees(v, 90.0), "is not a latitude (decimal degrees between -90 and 90)"),
        Longitude => ok(is_degrees(v, 180.0), "is not a longitude (decimal degrees between -180 and 180)"),
        TimeZone => ok(is_time_zone(v), "is not an IANA time zone (Area/Location, e.g. Europe/Paris)"),
        Sku => ok(
            is_sku(v),
            "is not a SKU (uppercase letters and digits in dash-separated groups, e.g. ELE-004817)",
        ),
        CurrencyCode => ok(is_upper_code(v, 3), "is not an ISO 4217 currency code (3 uppercase letters)"),
        CreditCard => check_card(v),
        Iban => check_iban(v),
        Ipv4 => ok(v.parse::<Ipv4Addr>().is_ok(), "is not an IPv4 address (four dotted decimal octets)"),
        Ipv6 => ok(v.parse::<Ipv6Addr>().is_ok(), "is not an IPv6 address"),
        MacAddress => ok(is_mac(v), "is not a MAC address (six hex pairs separated by `:` or `-`)"),
        Url => ok(is_url(v), "is not a URL (scheme://host…)"),
        Domain => ok(
            is_domain(v),
            "is not a domain name (dot-separated labels of letters, digits and `-`, ending in a TLD)",
        ),
        Color => ok(is_hex_color(v), "is not a hex colour (#rrggbb)"),
        Password => ok(is_password(v), "is not a password (at least 8 chars, no whitespace)"),
        Slug => ok(is_slug(v), "is not a slug (lowercase letters and digits in dash-separated groups)"),
        Hashtag => ok(is_hashtag(v), "is not a hashtag (`#` followed by letters, digits or `_`)"),
        FileName => ok(is_file_name(v), "is not a file name (stem.extension, no path separators)"),
        FileExtension => ok(
            v.len() <= 10 && v.bytes().all(|b| b.is_ascii_alphanumeric()),
            "is not a file extension (1 to 10 letters or digits, without the dot)",
        ),
        MimeType => ok(is_mime_type(v), "is not a MIME type (type/subtype)"),
        Semver => ok(is_semver(v), "is not a semantic version (MAJOR.MINOR.PATCH[-pre][+build])"),
        LanguageCode => ok(is_language_tag(v), "is not a BCP 47 language tag (e.g. en-US)"),
        Isbn13 => check_isbn13(v),
        Ean13 => {
            let d = digits13(v).ok_or("is not an EAN-13 (13 digits)")?;
            ok(ean13_check_digit(&d[..12]) == d[12], "is not a valid EAN-13 (bad check digit)")
        }
        BuildingNumber => {
            ok(is_building_number(v), "is not a building number (digits, optionally followed by letters)")
        }
        // Free text: non-empty is all we can say.
        FirstName | LastName | FullName | NameTitle | JobTitle | Profession | Street | StreetName
        | SecondaryAddress | City | State | Country | Company | CompanySuffix | Industry | CatchPhrase
        | ProductName | Category | CurrencyName | UserAgent | ColorName | Word | Words | Sentence
        | Paragraph | LicensePlate => Ok(()),
    }
}

/// `Ok` when the shape holds, else the reason.
fn ok(holds: bool, reason: &'static str) -> Result<(), &'static str> {
    if holds { Ok(()) } else { Err(reason) }
}

fn is_username(v: &str) -> bool {
    v.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// An email address at a domain reserved for examples and tests.
fn check_safe_email(v: &str) -> Result<(), &'static str> {
    ok(is_email(v), "is not an email address (local@domain.tld)")?;
    let domain = v.rsplit('@').next().unwrap_or("").to_ascii_lowercase();
    ok(
        ["example.com", "example.org", "example.net"].contains(&domain.as_str())
            || domain.ends_with(".example")
            || domain.ends_with(".test")
            || domain.ends_with(".invalid"),
        "is not a safe email address (its domain must be example.com, example.org, example.net or a reserved test TLD)",
    )
}

fn is_state_abbr(v: &str) -> bool {
    (2..=6).contains(&v.len())
        && v.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
        && v.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
}

/// `len` uppercase ASCII letters (country and currency codes).
fn is_upper_code(v: &str, len: usize) -> bool {
    v.len() == len && v.bytes().all(|b| b.is_ascii_uppercase())
}

/// Decimal degrees within `-limit..=limit`.
fn is_degrees(v: &str, limit: f64) -> bool {
    is_decimal(v) && v.parse::<f64>().is_ok_and(|x| (-limit..=limit).contains(&x))
}

fn is_time_zone(v: &str) -> bool {
    v == "UTC"
        || (v.contains('/')
            && v.split('/').all(|p| {
                !p.is_empty()
                    && p.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+'))
            }))
}

fn is_sku(v: &str) -> bool {
    v.contains('-')
        && v.split('-')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
}

/// 12 to 19 digits (spaces and dashes allowed) with a valid Luhn check digit.
fn check_card(v: &str) -> Result<(), &'static str> {
    let digits: String = v.chars().filter(|c| *c != ' ' && *c != '-').collect();
    ok(
        (12..=19).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()),
        "is not a card number (12 to 19 digits)",
    )?;
    ok(luhn_valid(&digits), "is not a valid card number (bad Luhn check digit)")
}

fn is_hex_color(v: &str) -> bool {
    v.len() == 7 && v.starts_with('#') && v.bytes().skip(1).all(|b| b.is_ascii_hexdigit())
}

fn is_password(v: &str) -> bool {
    v.chars().count() >= 8 && !v.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn is_slug(v: &str) -> bool {
    v.split('-').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

fn is_hashtag(v: &str) -> bool {
    v.len() > 1 && v.starts_with('#') && v[1..].chars().all(|c| c.is_alphanumeric() || c == '_')
}

fn is_file_name(v: &str) -> bool {
    !v.contains(['/', '\\', '\0'])
        && v.rsplit_once('.').is_some_and(|(stem, ext)| !stem.is_empty() && !ext.is_empty())
}

fn is_mime_type(v: &str) -> bool {
    v.split_once('/').is_some_and(|(t, s)| {
        !t.is_empty()
            && !s.is_empty()
            && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-' | b'_'))
    })
}

/// 13 digits starting 978 or 979 with a valid EAN-13 check digit.
fn check_isbn13(v: &str) -> Result<(), &'static str> {
    let d = digits13(v).ok_or("is not an ISBN-13 (13 digits, hyphens allowed)")?;
    ok(d[0] == 9 && d[1] == 7 && (d[2] == 8 || d[2] == 9), "is not an ISBN-13 (must start with 978 or 979)")?;
    ok(ean13_check_digit(&d[..12]) == d[12], "is not a valid ISBN-13 (bad check digit)")
}

fn is_building_number(v: &str) -> bool {
    v.len() <= 10
        && v.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn is_uuid(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 36
        && b.iter()
            .enumerate()
            .all(|(i, &c)| if matches!(i, 8 | 13 | 18 | 23) { c == b'-' } else { c.is_ascii_hexdigit() })
}

fn is_email(v: &str) -> bool {
    let Some((local, domain)) = v.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.bytes().all(|b| b.is_ascii_alphanumeric() || b"._%+-'".contains(&b))
        && is_domain(domain)
}

fn is_domain(v: &str) -> bool {
    let labels: Vec<&str> = v.split('.').collect();
    labels.len() >= 2
        && v.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && labels.last().is_some_and(|t| t.len() >= 2 && t.bytes().all(|b| b.is_ascii_alphabetic()))
}

fn is_url(v: &str) -> bool {
    let Some((scheme, rest)) = v.split_once("://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or("");
    let host = match host.rsplit_once(':') {
        Some((h, port)) if !h.starts_with('[') || h.ends_with(']') => {
            if port.bytes().all(|b| b.is_ascii_digit()) { h } else { host }
        }
        _ => host,
    };
    !scheme.is_empty()
        && scheme.as_bytes()[0].is_ascii_alphabetic()
        && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
        && !host.is_empty()
        && !v.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn is_phone(v: &str) -> bool {
    let (number, ext) = match v.split_once('x') {
        Some((n, e)) => (n.trim_end(), Some(e)),
        None => (v, None),
    };
    if let Some(e) = ext
        && (e.is_empty() || !e.bytes().all(|b| b.is_ascii_digit()))
    {
        return false;
    }
    let number = number.strip_prefix('+').unwrap_or(number);
    let digits = number.bytes().filter(u8::is_ascii_digit).count();
    (7..=15).contains(&digits)
        && number.bytes().all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'(' | b')' | b'-' | b'.' | b'/'))
}

fn is_zip(v: &str) -> bool {
    let shape = |s: &str, pattern: &str| {
        s.len() == pattern.len()
            && s.bytes().zip(pattern.bytes()).all(
                |(c, p)| {
                    if p == b'#' { c.is_ascii_digit() } else { c == p }
                },
            )
    };
    shape(v, "#####") || shape(v, "#####-####") || shape(v, "#####-###") || shape(v, "###-####")
}

fn is_decimal(v: &str) -> bool {
    let s = v.strip_prefix('-').unwrap_or(v);
    let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

fn is_mac(v: &str) -> bool {
    let b = v.as_bytes();
    if b.len() != 17 {
        return false;
    }
    let sep = b[2];
    (sep == b':' || sep == b'-')
        && b.iter().enumerate().all(|(i, &c)| if i % 3 == 2 { c == sep } else { c.is_ascii_hexdigit() })
}

fn is_numeric_id(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'))
}

fn is_semver(v: &str) -> bool {
    let (v, build) = match v.split_once('+') {
        Some((a, b)) => (a, Some(b)),
        None => (v, None),
    };
    let (core, pre) = match v.split_once('-') {
        Some((a, b)) => (a, Some(b)),
        None => (v, None),
    };
    let ids_ok = |s: &str| {
        s.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    };
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| is_numeric_id(p))
        && pre.is_none_or(ids_ok)
        && build.is_none_or(ids_ok)
}

fn is_language_tag(v: &str) -> bool {
    let mut parts = v.split(['-', '_']);
    let lang = parts.next().unwrap_or("");
    if !(2..=3).contains(&lang.len()) || !lang.bytes().all(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    parts.all(|p| {
        (p.len() == 2 && p.bytes().all(|b| b.is_ascii_alphabetic()))
            || (p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()))
            || (p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphabetic()))
            || ((5..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
    })
}

fn digits13(v: &str) -> Option<[u8; 13]> {
    let mut d = [0u8; 13];
    let mut n = 0;
    for b in v.bytes() {
        match b {
            b'0'..=b'9' => {
                if n == 13 {
                    return None;
                }
                d[n] = b - b'0';
                n += 1;
            }
            b'-' | b' ' => {}
            _ => return None,
        }
    }
    (n == 13).then_some(d)
}

fn check_iban(v: &str) -> Result<(), &'static str> {
    let compact: Vec<u8> = v.bytes().filter(|&b| b != b' ').collect();
    if !(15..=34).contains(&compact.len())
        || !compact[..2].iter().all(u8::is_ascii_uppercase)
        || !compact[2..4].iter().all(u8::is_ascii_digit)
        || !compact.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Err(
            "is not an IBAN (2 uppercase letters, 2 check digits, up to 30 uppercase letters or digits)",
        );
    }
    if let Some((_, len, _)) = IBAN_COUNTRIES.iter().find(|(cc, _, _)| cc.as_bytes() == &compact[..2])
        && *len != compact.len()
    {
        return Err("is not an IBAN (wrong length for its country)");
    }
    if iban_mod97(&compact) != Some(1) {
        return Err("is not a valid IBAN (bad mod-97 check digits)");
    }
    Ok(())
}
