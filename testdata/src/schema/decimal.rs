//! Exact decimal arithmetic for money and computed fields: a value is a mantissa and a scale
//! (`12.34` = `(1234, 2)`), read from JSON numbers through their shortest decimal text, so no
//! binary floating-point error ever enters a sum.

use serde_json::{Number, Value};
pub(crate) use testdata_core::decimal::{Round, rescale_dir};

/// `10^n` as `i128` (n ≤ 38).
pub(crate) const fn pow10(n: u32) -> i128 {
    let mut r: i128 = 1;
    let mut i = 0;
    while i < n {
        r *= 10;
        i += 1;
    }
    r
}

/// Parses decimal text (`-12.340`, `5`, `1e3`) into (mantissa, scale).
pub(crate) fn parse(text: &str) -> Option<(i128, u32)> {
    let t = text.trim();
    let (num, exp) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], t[i + 1..].parse::<i32>().ok()?),
        None => (t, 0),
    };
    let (neg, digits) = match num.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, num.strip_prefix('+').unwrap_or(num)),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((a, b)) => (a, b),
        None => (digits, ""),
    };
    if int.is_empty() && frac.is_empty() || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut m: i128 = 0;
    for b in int.bytes().chain(frac.bytes()) {
        m = m.checked_mul(10)?.checked_add((b - b'0') as i128)?;
    }
    let mut scale = frac.len() as i32 - exp;
    while scale < 0 {
        m = m.checked_mul(10)?;
        scale += 1;
    }
    if scale > 30 {
        return None;
    }
    Some((if neg { -m } else { m }, scale as u32))
}

/// The exact decimal of a finite `f64`'s shortest representation.
pub(crate) fn from_f64(x: f64) -> Option<(i128, u32)> {
    if !x.is_finite() {
        return None;
    }
    parse(&Number::from_f64(x)?.to_string())
}

/// The exact decimal of a JSON number (or numeric string).
pub(crate) fn from_value(v: &Value) -> Option<(i128, u32)> {
    match v {
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Some((i128::from(i), 0)),
            (None, Some(u)) => Some((i128::from(u), 0)),
            _ => {
                // The shortest text of the float, written on the stack (no allocation).
                let mut text = StackText::default();
                match std::fmt::Write::write_fmt(&mut text, format_args!("{n}")) {
                    Ok(()) => parse(text.as_str()),
                    Err(_) => parse(&n.to_string()),
                }
            }
        },
        Value::String(s) => parse(s),
        _ => None,
    }
}

/// Text of at most 48 bytes written on the stack (a float's shortest form fits).
struct StackText {
    bytes: [u8; 48],
    len: usize,
}

impl Default for StackText {
    fn default() -> StackText {
        StackText { bytes: [0; 48], len: 0 }
    }
}

impl StackText {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl std::fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// `m / 10^from` at scale `to`, rounded half away from zero.
pub(crate) fn rescale(m: i128, from: u32, to: u32) -> i128 {
    if to >= from {
        m.saturating_mul(pow10(to - from))
    } else {
        let d = pow10(from - to);
        let q = m / d;
        let r = m % d;
        if r.abs() * 2 >= d { q + m.signum() } else { q }
    }
}

/// The nearest `f64` to `m / 10^scale` (exact decimal text when |m| < 2^53 and scale ≤ 22).
pub(crate) fn to_f64(m: i128, scale: u32) -> f64 {
    m as f64 / pow10(scale) as f64
}

/// A JSON number for `m / 10^scale` (an integer when the scale is 0).
pub(crate) fn to_value(m: i128, scale: u32) -> Value {
    if scale == 0
        && let Ok(i) = i64::try_from(m)
    {
        return Value::Number(i.into());
    }
    Number::from_f64(to_f64(m, scale)).map(Value::Number).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rescales() {
        assert_eq!(parse("12.34"), Some((1234, 2)));
        assert_eq!(parse("-0.5"), Some((-5, 1)));
        assert_eq!(parse("1e3"), Some((1000, 0)));
        assert_eq!(parse("1.5e-2"), Some((15, 3)));
        assert_eq!(parse("abc"), None);
        assert_eq!(rescale(1235, 3, 2), 124);
        assert_eq!(rescale(-1235, 3, 2), -124);
        assert_eq!(rescale(1234, 3, 2), 123);
        assert_eq!(from_f64(0.1 + 0.2), Some((30000000000000004, 17)));
        assert_eq!(to_value(1234, 2).to_string(), "12.34");
        assert_eq!(to_value(5, 0).to_string(), "5");
    }

    #[test]
    fn f64_round_trip_is_exact_for_cents() {
        for m in (0..2_000_000i128).step_by(7) {
            let v = to_value(m, 2);
            assert_eq!(from_value(&v).map(|(x, s)| rescale(x, s, 2)), Some(m));
        }
    }
}
