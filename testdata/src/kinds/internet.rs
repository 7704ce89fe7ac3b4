//! Internet identifiers: UUIDs, IP and MAC addresses, domains, URLs, user agents, passwords,
//! slugs and hashtags.

use super::Scope;
use super::data::{LOREM, USER_AGENTS, loc};
use super::person::{names, push_name_slug};
use super::util::{push_hex, push_u64};
use crate::rng::Gen;

/// A random (version 4) UUID: lowercase hex `xxxxxxxx-xxxx-4xxx-Nxxx-xxxxxxxxxxxx` where `N` is
/// one of `8 9 a b`; 36 chars.
pub fn uuid(g: &mut Gen, _s: &Scope<'_>) -> String {
    let hi = (g.next_u64() & 0xffff_ffff_ffff_0fff) | 0x4000;
    let lo = (g.next_u64() & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    let mut out = String::with_capacity(36);
    push_hex(&mut out, hi >> 32, 8);
    out.push('-');
    push_hex(&mut out, hi >> 16, 4);
    out.push('-');
    push_hex(&mut out, hi, 4);
    out.push('-');
    push_hex(&mut out, lo >> 48, 4);
    out.push('-');
    push_hex(&mut out, lo, 12);
    out
}

/// A public-looking IPv4 address in dotted decimal (`93.184.216.34`); the first octet is in
/// 1–223 and never 10 or 127.
pub fn ipv4(g: &mut Gen, _s: &Scope<'_>) -> String {
    let mut out = String::with_capacity(15);
    let mut first = g.u64_in(1, 221);
    if first >= 10 {
        first += 1; // skip 10
    }
    if first >= 127 {
        first += 1; // skip 127
    }
    push_u64(&mut out, first);
    for _ in 0..3 {
        out.push('.');
        push_u64(&mut out, g.below(256));
    }
    out
}

/// A global unicast IPv6 address (`2000::/3`), eight lowercase hex groups without leading
/// zeros and without `::` compression (`2a03:2880:f12f:83:face:b00c:0:25de`).
pub fn ipv6(g: &mut Gen, _s: &Scope<'_>) -> String {
    let mut out = String::with_capacity(39);
    let a = g.next_u64();
    let b = g.next_u64();
    let first = 0x2000 | (a >> 48) & 0x1fff;
    push_group(&mut out, first);
    for i in 1..8u32 {
        out.push(':');
        let v = if i < 4 { a >> (48 - 16 * i) } else { b >> (48 - 16 * (i - 4)) };
        push_group(&mut out, v & 0xffff);
    }
    out
}

#[inline]
fn push_group(out: &mut String, v: u64) {
    let nibbles = if v >= 0x1000 {
        4
    } else if v >= 0x100 {
        3
    } else if v >= 0x10 {
        2
    } else {
        1
    };
    push_hex(out, v, nibbles);
}

/// A unicast MAC address, lowercase hex pairs separated by colons (`3c:22:fb:7a:01:9e`);
/// 17 chars.
pub fn mac_address(g: &mut Gen, _s: &Scope<'_>) -> String {
    let v = g.next_u64() & 0xfeff_ffff_ffff; // clear the multicast bit
    let mut out = String::with_capacity(17);
    for i in (0..6).rev() {
        push_hex(&mut out, v >> (i * 8), 2);
        if i > 0 {
            out.push(':');
        }
    }
    out
}

#[inline]
fn push_domain(g: &mut Gen, out: &mut String, s: &Scope<'_>) {
    let l = loc(s.ctx.locale());
    let slugs = &names(s.ctx.locale()).last_slug;
    push_name_slug(out, slugs.get(g.index(slugs.len())));
    if g.below(4) == 0 {
        out.push('-');
        push_name_slug(out, slugs.get(g.index(slugs.len())));
    }
    out.push('.');
    out.push_str(g.pick::<&str>(l.tlds));
}

/// A domain name: lowercase ASCII labels and a TLD of the locale (`smith-jones.com`,
/// `martin.fr`, `silva.com.br`).
pub fn domain(g: &mut Gen, s: &Scope<'_>) -> String {
    let mut out = String::with_capacity(32);
    push_domain(g, &mut out, s);
    out
}

/// An `https://` URL: optional `www.`, a domain of the locale and an optional one- or two-
/// segment lowercase path (`https://www.smith.com/dolores/aut`).
pub fn url(g: &mut Gen, s: &Scope<'_>) -> String {
    let mut out = String::with_capacity(64);
    out.push_str("https://");
    if g.coin() {
        out.push_str("www.");
    }
    push_domain(g, &mut out, s);
    let segments = g.below(3);
    for _ in 0..segments {
        out.push('/');
        out.push_str(g.pick::<&str>(LOREM));
    }
    out
}

/// A current browser user-agent string (Chrome, Firefox, Safari, Edge; desktop and mobile).
pub fn user_agent(g: &mut Gen, _s: &Scope<'_>) -> String {
    (*g.pick(USER_AGENTS)).to_owned()
}

const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS: &[u8] = b"23456789";
const SYMBOLS: &[u8] = b"!@#$%^&*-_=+?";

/// A strong password: 12–24 printable ASCII chars with at least one lowercase letter, one
/// uppercase letter, one digit and one symbol (`!@#$%^&*-_=+?`), no whitespace.
pub fn password(g: &mut Gen, _s: &Scope<'_>) -> String {
    let len = g.u64_in(12, 24) as usize;
    let mut buf = [0u8; 24];
    buf[0] = *g.pick(LOWER);
    buf[1] = *g.pick(UPPER);
    buf[2] = *g.pick(DIGITS);
    buf[3] = *g.pick(SYMBOLS);
    for b in buf.iter_mut().take(len).skip(4) {
        // letters twice as likely as digits and symbols
        *b = match g.below(6) {
            0 | 1 => *g.pick(LOWER),
            2 | 3 => *g.pick(UPPER),
            4 => *g.pick(DIGITS),
            _ => *g.pick(SYMBOLS),
        };
    }
    for i in (1..len).rev() {
        let j = g.index(i + 1);
        buf.swap(i, j);
    }
    let mut out = String::with_capacity(len);
    for &b in &buf[..len] {
        out.push(b as char);
    }
    out
}

/// A URL slug: 2–4 lowercase lorem words joined by `-` (`dolor-sit-amet`).
pub fn slug(g: &mut Gen, _s: &Scope<'_>) -> String {
    let n = g.u64_in(2, 4);
    let mut out = String::with_capacity(40);
    for i in 0..n {
        if i > 0 {
            out.push('-');
        }
        out.push_str(g.pick::<&str>(LOREM));
    }
    out
}

/// A hashtag: `#` and one or two lowercase lorem words run together (`#doloremque`,
/// `#sitamet`).
pub fn hashtag(g: &mut Gen, _s: &Scope<'_>) -> String {
    let mut out = String::with_capacity(30);
    out.push('#');
    out.push_str(g.pick::<&str>(LOREM));
    if g.coin() {
        out.push_str(g.pick::<&str>(LOREM));
    }
    out
}
