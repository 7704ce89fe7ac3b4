//! Decimal rounding on (mantissa, scale) pairs: `m / 10^scale`.

/// Which way [`rescale_dir`] rounds a value that does not fit the target scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Round {
    /// Toward −∞: the largest value at the target scale not above the input (an upper bound).
    Floor,
    /// Toward +∞: the smallest value at the target scale not below the input (a lower bound).
    Ceil,
}

/// `m / 10^from` at scale `to`, rounded `dir` (exact when `to >= from`; saturates on overflow).
pub fn rescale_dir(m: i128, from: u32, to: u32, dir: Round) -> i128 {
    if to >= from {
        m.saturating_mul(pow10(to - from))
    } else {
        let d = pow10(from - to);
        let floor = m.div_euclid(d);
        match dir {
            Round::Floor => floor,
            Round::Ceil => floor + i128::from(m.rem_euclid(d) != 0),
        }
    }
}

/// `10^n`, saturating at `i128::MAX`.
pub fn pow10(n: u32) -> i128 {
    10i128.checked_pow(n).unwrap_or(i128::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_toward_the_bound() {
        assert_eq!(rescale_dir(1231, 3, 2, Round::Ceil), 124);
        assert_eq!(rescale_dir(1239, 3, 2, Round::Floor), 123);
        assert_eq!(rescale_dir(-1231, 3, 2, Round::Floor), -124);
        assert_eq!(rescale_dir(-1231, 3, 2, Round::Ceil), -123);
        assert_eq!(rescale_dir(1230, 3, 2, Round::Ceil), 123, "exact values do not move");
        assert_eq!(rescale_dir(5, 0, 2, Round::Floor), 500);
        assert_eq!(rescale_dir(i128::MAX / 2, 0, 3, Round::Ceil), i128::MAX);
    }
}
