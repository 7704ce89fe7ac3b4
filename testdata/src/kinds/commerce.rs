//! Companies, products, money and the check-digit codes of commerce (cards, IBANs, ISBNs,
//! EANs). Category and SKU of a record agree (`$product` sub-stream), and so do currency code
//! and name (`$currency`).

use super::Scope;
use super::data::{
    BUZZ_HEAD, BUZZ_MIDDLE, BUZZ_TAIL, CATEGORIES, COLOR_NAMES, CURRENCIES, IBAN_COUNTRIES, IBAN_DEFAULT,
    INDUSTRIES, PRODUCT_ADJECTIVES, PRODUCT_MATERIALS, PRODUCT_NOUNS, loc,
};
use super::util::{ean13_check_digit, iban_mod97, luhn_check_digit, push_hex};
use crate::rng::{Gen, Radix};
use crate::seed::name_key;

/// The sub-stream tag of a record's product: its first draw picks the category, so `category`
/// and `sku` of a record agree.
pub const PRODUCT: u64 = name_key("$product");
/// The sub-stream tag of a record's currency: its first draw picks the currency, so
/// `currency_code` and `currency_name` of a record agree.
pub const CURRENCY: u64 = name_key("$currency");

/// A company name from the locale's surnames and legal suffixes (`Smith LLC`,
/// `Martin et Bernard`, `Müller GmbH`, `Silva Ltda.`, `株式会社佐藤`).
pub fn company(g: &mut Gen, s: &Scope<'_>) -> String {
    let l = loc(s.ctx.locale());
    let a = *g.pick(l.last_names);
    let suffix = *g.pick(l.company_suffixes);
    let b = *g.pick(l.last_names);
    let form = g.below(3);
    let mut out = String::with_capacity(40);
    if l.suffix_glued {
        if form == 0 {
            out.push_str(a);
            out.push_str(suffix);
        } else {
            out.push_str(suffix);
            out.push_str(a);
        }
    } else if form == 2 && !l.and.is_empty() {
        out.push_str(a);
        out.push(' ');
        out.push_str(l.and);
        out.push(' ');
        out.push_str(b);
    } else {
        out.push_str(a);
        out.push(' ');
        out.push_str(suffix);
    }
    out
}

/// A legal-form suffix of the locale (`LLC`, `SARL`, `GmbH`, `Ltda.`, `株式会社`).
pub fn company_suffix(g: &mut Gen, s: &Scope<'_>) -> String {
    (*g.pick(loc(s.ctx.locale()).company_suffixes)).to_owned()
}

/// An industry in English (`Computer Software`, `Hospital & Health Care`).
pub fn industry(g: &mut Gen, _s: &Scope<'_>) -> String {
    (*g.pick(INDUSTRIES)).to_owned()
}

/// A business catch phrase in English (`Adaptive asynchronous framework`).
pub fn catch_phrase(g: &mut Gen, _s: &Scope<'_>) -> String {
    let a = *g.pick(BUZZ_HEAD);
    let b = *g.pick(BUZZ_MIDDLE);
    let c = *g.pick(BUZZ_TAIL);
    let mut out = String::with_capacity(a.len() + b.len() + c.len() + 2);
    out.push_str(a);
    out.push(' ');
    out.push_str(b);
    out.push(' ');
    out.push_str(c);
    out
}

/// A product name in English: `Adjective Material Noun` (`Ergonomic Steel Chair`).
pub fn product_name(g: &mut Gen, _s: &Scope<'_>) -> String {
    let a = *g.pick(PRODUCT_ADJECTIVES);
    let b = *g.pick(PRODUCT_MATERIALS);
    let c = *g.pick(PRODUCT_NOUNS);
    let mut out = String::with_capacity(a.len() + b.len() + c.len() + 2);
    out.push_str(a);
    out.push(' ');
    out.push_str(b);
    out.push(' ');
    out.push_str(c);
    out
}

#[inline]
fn product_category(s: &Scope<'_>) -> &'static (&'static str, &'static str) {
    s.key.child(PRODUCT).stream().pick(CATEGORIES)
}

/// The record's product category in English (`Electronics`, `Home & Kitchen`).
pub fn category(_g: &mut Gen, s: &Scope<'_>) -> String {
    product_category(s).0.to_owned()
}

/// A stock-keeping unit: the record's category code, a dash and 6 digits (`ELE-004817`);
/// 10 chars.
pub fn sku(g: &mut Gen, s: &Scope<'_>) -> String {
    let mut out = String::with_capacity(10);
    out.push_str(product_category(s).1);
    out.push('-');
    g.push_digits(&mut out, 6);
    out
}

#[inline]
fn currency(s: &Scope<'_>) -> &'static (&'static str, &'static str) {
    s.key.child(CURRENCY).stream().pick(CURRENCIES)
}

/// The record's currency as an active ISO 4217 code (`USD`, `EUR`, `JPY`); 3 uppercase letters.
pub fn currency_code(_g: &mut Gen, s: &Scope<'_>) -> String {
    currency(s).0.to_owned()
}

/// The record's currency by its ISO 4217 English name (`US Dollar`, `Euro`).
pub fn currency_name(_g: &mut Gen, s: &Scope<'_>) -> String {
    currency(s).1.to_owned()
}

/// A Luhn-valid payment card number, digits only: Visa (`4…`, 16), Mastercard (`51–55`,
/// `2221–2720`, 16), American Express (`34`/`37`, 15) or Discover (`6011`/`65`, 16).
pub fn credit_card(g: &mut Gen, _s: &Scope<'_>) -> String {
    let mut d = [0u8; 16];
    let (len, prefix_len) = match g.below(10) {
        0..=4 => {
            d[0] = 4;
            (16, 1)
        }
        5..=7 => {
            if g.coin() {
                d[0] = 5;
                d[1] = g.u64_in(1, 5) as u8;
                (16, 2)
            } else {
                let p = g.u64_in(2221, 2720);
                set_digits(&mut d, p, 4);
                (16, 4)
            }
        }
        8 => {
            d[0] = 3;
            d[1] = if g.coin() { 4 } else { 7 };
            (15, 2)
        }
        _ => {
            if g.coin() {
                set_digits(&mut d, 6011, 4);
                (16, 4)
            } else {
                d[0] = 6;
                d[1] = 5;
                (16, 2)
            }
        }
    };
    let mut r = Radix::new();
    for x in d.iter_mut().take(len - 1).skip(prefix_len) {
        *x = r.below(g, 10) as u8;
    }
    d[len - 1] = luhn_check_digit(&d[..len - 1]);
    push_digit_array(&d[..len])
}

fn set_digits(d: &mut [u8], mut v: u64, n: usize) {
    for i in (0..n).rev() {
        d[i] = (v % 10) as u8;
        v /= 10;
    }
}

fn push_digit_array(d: &[u8]) -> String {
    d.iter().map(|&x| (b'0' + x) as char).collect()
}

/// An IBAN with valid ISO 7064 mod-97 check digits and the country's length, no spaces: the
/// locale's country for `fr_FR` (FR, 27), `de_DE` (DE, 22) and `pt_BR` (BR, 29), otherwise one
/// of DE, FR, GB, NL, ES, IT, BE, AT, CH (16–27 chars).
pub fn iban(g: &mut Gen, s: &Scope<'_>) -> String {
    let l = loc(s.ctx.locale());
    let c = match l.iban {
        Some(i) => i,
        None => *g.pick(IBAN_DEFAULT),
    };
    let (cc, len, bban) = IBAN_COUNTRIES[c];
    let mut buf = [0u8; 34];
    buf[..2].copy_from_slice(cc.as_bytes());
    buf[2] = b'0';
    buf[3] = b'0';
    let mut r = Radix::new();
    for (i, t) in bban.bytes().enumerate() {
        buf[4 + i] = match t {
            b'9' => b'0' + r.below(g, 10) as u8,
            b'A' => b'A' + r.below(g, 26) as u8,
            _ => {
                let v = r.below(g, 36) as u8;
                if v < 10 { b'0' + v } else { b'A' + v - 10 }
            }
        };
    }
    let rem = iban_mod97(&buf[..len]).unwrap_or(0);
    let check = 98 - rem;
    buf[2] = b'0' + (check / 10) as u8;
    buf[3] = b'0' + (check % 10) as u8;
    buf[..len].iter().map(|&b| b as char).collect()
}

/// An ISBN-13 with a valid check digit, 13 digits without hyphens, prefix `978` or `979`.
pub fn isbn13(g: &mut Gen, _s: &Scope<'_>) -> String {
    let mut d = [0u8; 13];
    d[0] = 9;
    d[1] = 7;
    d[2] = if g.below(4) == 0 { 9 } else { 8 };
    let mut r = Radix::new();
    for x in &mut d[3..12] {
        *x = r.below(g, 10) as u8;
    }
    d[12] = ean13_check_digit(&d[..12]);
    push_digit_array(&d)
}

/// An EAN-13 barcode number with a valid check digit and a GS1 prefix of the locale's
/// country; 13 digits.
pub fn ean13(g: &mut Gen, s: &Scope<'_>) -> String {
    let l = loc(s.ctx.locale());
    let (lo, hi) = *g.pick(l.gs1);
    let mut d = [0u8; 13];
    set_digits(&mut d, g.u64_in(lo as u64, hi as u64), 3);
    let mut r = Radix::new();
    for x in &mut d[3..12] {
        *x = r.below(g, 10) as u8;
    }
    d[12] = ean13_check_digit(&d[..12]);
    push_digit_array(&d)
}

/// A colour as lowercase hex `#rrggbb`; 7 chars.
pub fn color(g: &mut Gen, _s: &Scope<'_>) -> String {
    let mut out = String::with_capacity(7);
    out.push('#');
    push_hex(&mut out, g.below(1 << 24), 6);
    out
}

/// A CSS colour name in lowercase English (`teal`, `coral`).
pub fn color_name(g: &mut Gen, _s: &Scope<'_>) -> String {
    (*g.pick(COLOR_NAMES)).to_owned()
}
