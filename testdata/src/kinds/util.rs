//! Small hand-written helpers of the hot path: template expansion, transliterated slugs,
//! number formatting and check digits.

use crate::rng::{Gen, Radix};

/// Expands a template into `out`: `#` → a digit, `^` → a digit 1–9, `?` → an uppercase ASCII
/// letter; every other character is copied. One output char per template char; the random
/// chars come from a [`Radix`] pool (one draw per ten).
#[inline]
pub(crate) fn push_tpl(g: &mut Gen, out: &mut String, tpl: &str) {
    let mut r = Radix::new();
    out.reserve(tpl.len());
    let mut t = tpl.as_bytes();
    while let Some((&c, rest)) = t.split_first() {
        if c == b'#' && rest.first() == Some(&b'#') {
            // Two digits in one multiplication.
            let d = r.below_steps(g, 100, 2) as usize * 2;
            out.push_str(&PAIRS[d..d + 2]);
            t = &rest[1..];
        } else if c.is_ascii() {
            // `& 0x7f`: ASCII stays itself, and the push needs no UTF-8 encoding.
            out.push(char::from(tpl_byte(g, &mut r, c) & 0x7f));
            t = rest;
        } else {
            // A non-ASCII char (never a placeholder): copied whole.
            let at = tpl.len() - t.len();
            let Some(ch) = tpl[at..].chars().next() else { break };
            out.push(ch);
            t = &t[ch.len_utf8()..];
        }
    }
}

/// A template prepared once for the tables that are expanded on every record (phones, building
/// numbers): its bytes and, per placeholder byte, its first char and radix, so an expansion
/// copies the bytes, fills the holes in order and appends — no per-char dispatch. Expands to
/// exactly what [`push_tpl`] gives from the same draws (same digits in the same order).
/// Templates that are not ASCII, longer than 32 bytes, or with a `##` pair across two draws
/// ([`pairs_stay_in_their_draw`]) are left to [`push_tpl`].
#[derive(Clone, Debug)]
pub(crate) struct Tpl {
    tpl: &'static str,
    /// The prepared form, when the template fits.
    fast: Option<FastTpl>,
}

#[derive(Clone, Debug)]
struct FastTpl {
    bytes: [u8; 32],
    len: usize,
    /// Bit `i` set: byte `i` is a placeholder.
    holes: u32,
    /// Per placeholder byte: the char of digit 0 and the radix.
    first: [u8; 32],
    radix: [u8; 32],
}

impl Tpl {
    /// The prepared form of `tpl`.
    pub(crate) fn new(tpl: &'static str) -> Tpl {
        let b = tpl.as_bytes();
        let fast = (tpl.is_ascii() && b.len() <= 32 && pairs_stay_in_their_draw(b)).then(|| {
            let mut t = FastTpl { bytes: [0; 32], len: b.len(), holes: 0, first: [0; 32], radix: [0; 32] };
            t.bytes[..b.len()].copy_from_slice(b);
            for (i, &c) in b.iter().enumerate() {
                if let Some((first, radix)) = placeholder(c) {
                    t.holes |= 1 << i;
                    t.first[i] = first;
                    t.radix[i] = radix;
                }
            }
            t
        });
        Tpl { tpl, fast }
    }

    /// Whether expansions use the prepared form (else [`push_tpl`]).
    #[cfg(test)]
    pub(crate) fn is_prepared(&self) -> bool {
        self.fast.is_some()
    }

    /// Every template of a table, in order.
    pub(crate) fn all(tpls: &[&'static str]) -> Box<[Tpl]> {
        tpls.iter().map(|t| Tpl::new(t)).collect()
    }

    /// Appends an expansion.
    #[inline]
    pub(crate) fn push(&self, g: &mut Gen, out: &mut String) {
        let Some(t) = &self.fast else { return push_tpl(g, out, self.tpl) };
        let mut buf = t.bytes;
        let mut r = Radix::new();
        let mut holes = t.holes;
        while holes != 0 {
            let i = (holes.trailing_zeros() & 31) as usize;
            holes &= holes - 1;
            buf[i] = t.first[i] + r.below(g, u64::from(t.radix[i])) as u8;
        }
        out.reserve(t.len);
        for &c in &buf[..t.len.min(32)] {
            // `& 0x7f`: ASCII stays itself, and the push needs no UTF-8 encoding.
            out.push(char::from(c & 0x7f));
        }
    }

    /// A new string with an expansion.
    #[inline]
    pub(crate) fn render(&self, g: &mut Gen) -> String {
        let mut out = String::with_capacity(self.tpl.len());
        self.push(g, &mut out);
        out
    }
}

/// `00` to `99`, two chars each.
const PAIRS: &str = "00010203040506070809101112131415161718192021222324252627282930313233343536373839\
                     40414243444546474849505152535455565758596061626364656667686970717273747576777879\
                     8081828384858687888990919293949596979899";

/// A placeholder byte's char for 0 and its radix (`#` digit, `^` digit 1–9, `?` letter).
#[inline(always)]
fn placeholder(c: u8) -> Option<(u8, u8)> {
    match c {
        b'#' => Some((b'0', 10)),
        b'^' => Some((b'1', 9)),
        b'?' => Some((b'A', 26)),
        _ => None,
    }
}

/// Whether [`push_tpl`] draws every `##` pair of `tpl` as two digits of the same draw. It draws
/// a pair as one number below 100: the same two digits as two single draws from the pool,
/// except when one digit is left in the pool, where it takes a new draw. Replays its spending
/// (pairs taken greedily from the left).
fn pairs_stay_in_their_draw(tpl: &[u8]) -> bool {
    let mut left = 0u32;
    let mut i = 0;
    while i < tpl.len() {
        let steps = match placeholder(tpl[i]) {
            Some(_) if tpl[i] == b'#' && tpl.get(i + 1) == Some(&b'#') => 2,
            Some(_) => 1,
            None => 0,
        };
        if left < steps {
            if left > 0 {
                return false;
            }
            left = Radix::PER_DRAW;
        }
        left -= steps;
        i += steps.max(1) as usize;
    }
    true
}

/// One ASCII template char expanded.
#[inline(always)]
fn tpl_byte(g: &mut Gen, r: &mut Radix, t: u8) -> u8 {
    match placeholder(t) {
        Some((first, radix)) => first + r.below(g, u64::from(radix)) as u8,
        None => t,
    }
}

/// The number of chars [`push_tpl`] produces for `tpl`.
#[cfg(test)]
pub(crate) fn tpl_len(tpl: &str) -> usize {
    tpl.chars().count()
}

/// Appends the lowercase ASCII transliteration of `name`, keeping only `[a-z0-9]`, at most
/// `max` chars. Returns the number of chars appended.
#[inline]
pub(crate) fn push_slug(out: &mut String, name: &str, max: usize) -> usize {
    let mut n = 0;
    for c in name.chars() {
        if n == max {
            break;
        }
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
                n += 1;
            }
            continue;
        }
        if let Some(t) = deunicode::deunicode_char(c) {
            for b in t.bytes() {
                if n == max {
                    break;
                }
                if b.is_ascii_alphanumeric() {
                    out.push(b.to_ascii_lowercase() as char);
                    n += 1;
                }
            }
        }
    }
    n
}

/// A table of strings in one buffer, each found by two 4-byte offsets: a random pick reads
/// 8 bytes of offsets and the string's bytes, where a `&[&str]` reads a 16-byte entry from a
/// table four times larger, and the strings lie side by side.
pub(crate) struct Packed {
    text: String,
    starts: Box<[u32]>,
}

impl Packed {
    /// The table of `items`, in order.
    pub(crate) fn new<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Packed {
        let mut text = String::new();
        let mut starts = vec![0u32];
        for item in items {
            text.push_str(item.as_ref());
            starts.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        Packed { text, starts: starts.into_boxed_slice() }
    }

    /// The number of strings.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// String `i` (empty past the end).
    #[inline]
    pub(crate) fn get(&self, i: usize) -> &str {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => self.text.get(a as usize..b as usize).unwrap_or(""),
            _ => "",
        }
    }
}

/// Appends `n` in decimal.
#[inline]
pub(crate) fn push_u64(out: &mut String, n: u64) {
    match n {
        // Handle suffixes and small counts: no formatting machinery.
        0..=9 => out.push(char::from(b'0' + n as u8)),
        10..=99 => out.push_str(&PAIRS[n as usize * 2..n as usize * 2 + 2]),
        _ => out.push_str(itoa::Buffer::new().format(n)),
    }
}

/// Appends `n` in decimal, zero-padded to `width` digits.
#[inline]
pub(crate) fn push_padded(out: &mut String, n: u64, width: usize) {
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(n);
    for _ in digits.len()..width {
        out.push('0');
    }
    out.push_str(digits);
}

/// Appends `word` with its first char uppercased.
#[inline]
pub(crate) fn push_capitalized(out: &mut String, word: &str) {
    let mut chars = word.chars();
    if let Some(c) = chars.next() {
        out.push(c.to_ascii_uppercase());
        out.push_str(chars.as_str());
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends the low `n` nibbles of `v` as lowercase hex, most significant first.
#[inline]
pub(crate) fn push_hex(out: &mut String, v: u64, n: u32) {
    for i in (0..n).rev() {
        out.push(HEX[((v >> (i * 4)) & 0xf) as usize] as char);
    }
}

/// The Luhn check digit for the digits `payload` (without the check digit).
pub(crate) fn luhn_check_digit(payload: &[u8]) -> u8 {
    let mut sum = 0u32;
    for (i, &d) in payload.iter().rev().enumerate() {
        let mut d = d as u32;
        if i % 2 == 0 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    ((10 - sum % 10) % 10) as u8
}

/// Whether an ASCII digit string passes the Luhn check.
pub(crate) fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        if !b.is_ascii_digit() {
            return false;
        }
        let mut d = (b - b'0') as u32;
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// The EAN-13 / ISBN-13 check digit for the first 12 digits.
pub(crate) fn ean13_check_digit(first12: &[u8]) -> u8 {
    let mut sum = 0u32;
    for (i, &d) in first12.iter().enumerate() {
        sum += d as u32 * if i % 2 == 0 { 1 } else { 3 };
    }
    ((10 - sum % 10) % 10) as u8
}

/// ISO 7064 mod 97-10 of an IBAN rearranged (country + check digits moved to the end, letters
/// as `A = 10 … Z = 35`). `None` when a char is not `[0-9A-Z]`.
pub(crate) fn iban_mod97(iban: &[u8]) -> Option<u32> {
    if iban.len() < 4 {
        return None;
    }
    let mut r = 0u32;
    for &b in iban[4..].iter().chain(&iban[..4]) {
        match b {
            b'0'..=b'9' => r = (r * 10 + (b - b'0') as u32) % 97,
            b'A'..=b'Z' => r = (r * 100 + (b - b'A' + 10) as u32) % 97,
            _ => return None,
        }
    }
    Some(r)
}
