//! Which records a run writes: the index space `offset..count`, narrowed by `--range A..B`
//! or cut by `--shard K/N` (also from a Kubernetes Indexed Job's `JOB_COMPLETION_INDEX` plus
//! `TESTDATA_SHARD_COUNT`).
//!
//! Shard `k` of `n` over `start..end` is `start + len·k/n .. start + len·(k+1)/n` (integer
//! division, `len = end - start`): the shards are contiguous, disjoint, differ in size by at
//! most one record, and their concatenation in `k` order is the whole space.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

/// The environment variable Kubernetes sets in each pod of an Indexed Job.
pub const JOB_INDEX_ENV: &str = "JOB_COMPLETION_INDEX";
/// The number of shards when the shard index comes from [`JOB_INDEX_ENV`].
pub const SHARD_COUNT_ENV: &str = "TESTDATA_SHARD_COUNT";

/// Shard `index` of `count` (`--shard K/N`, 0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    /// Which shard, `0..count`.
    pub index: u64,
    /// How many shards.
    pub count: u64,
}

/// A `--shard` or `--range` value that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SliceError {
    /// `--shard` is not `K/N` with `K < N`.
    #[error("--shard `{0}`: expected K/N with 0 <= K < N (e.g. 3/16, shards counted from 0)")]
    BadShard(String),
    /// `--range` is not `A..B` with `A <= B`.
    #[error("--range `{0}`: expected A..B with A <= B (records A up to, not including, B)")]
    BadRange(String),
    /// The job index is set without a shard count.
    #[error(
        "{JOB_INDEX_ENV}={0} is set but {SHARD_COUNT_ENV} is not: set {SHARD_COUNT_ENV} to the Job's completions (or pass --shard K/N)"
    )]
    MissingShardCount(String),
    /// An environment variable holds no number.
    #[error("{name}=`{value}` is not a non-negative integer")]
    BadEnv {
        /// The variable.
        name: &'static str,
        /// Its value.
        value: String,
    },
}

impl FromStr for Shard {
    type Err = SliceError;

    fn from_str(s: &str) -> Result<Shard, SliceError> {
        let bad = || SliceError::BadShard(s.to_owned());
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index = k.trim().parse::<u64>().map_err(|_| bad())?;
        let count = n.trim().parse::<u64>().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// The shard from the environment: `JOB_COMPLETION_INDEX` with `TESTDATA_SHARD_COUNT`;
    /// `None` when the job index is not set.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Option<Shard>, SliceError> {
        let Some(index) = var(JOB_INDEX_ENV) else { return Ok(None) };
        let count = var(SHARD_COUNT_ENV).ok_or_else(|| SliceError::MissingShardCount(index.clone()))?;
        let number = |name: &'static str, value: &str| {
            value.trim().parse::<u64>().map_err(|_| SliceError::BadEnv { name, value: value.to_owned() })
        };
        let shard = Shard { index: number(JOB_INDEX_ENV, &index)?, count: number(SHARD_COUNT_ENV, &count)? };
        if shard.count == 0 || shard.index >= shard.count {
            return Err(SliceError::BadShard(shard.to_string()));
        }
        Ok(Some(shard))
    }

    /// This shard's part of `space`.
    pub fn of(self, space: Range<u64>) -> Range<u64> {
        let len = u128::from(space.end.saturating_sub(space.start));
        let at = |k: u64| space.start + (len * u128::from(k) / u128::from(self.count)) as u64;
        at(self.index)..at(self.index + 1)
    }
}

/// `--range A..B`: records `A` up to, not including, `B`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexRange(pub Range<u64>);

impl FromStr for IndexRange {
    type Err = SliceError;

    fn from_str(s: &str) -> Result<IndexRange, SliceError> {
        let bad = || SliceError::BadRange(s.to_owned());
        let (a, b) = s.split_once("..").ok_or_else(bad)?;
        let start = a.trim().parse::<u64>().map_err(|_| bad())?;
        let end = b.trim().parse::<u64>().map_err(|_| bad())?;
        if start > end {
            return Err(bad());
        }
        Ok(IndexRange(start..end))
    }
}

/// The contiguous runs of at most `every` records that `range` is split into (one run when
/// `every` is `None` or 0).
pub fn parts(range: Range<u64>, every: Option<u64>) -> Vec<Range<u64>> {
    let Some(n) = every.filter(|&n| n > 0) else { return vec![range] };
    if range.is_empty() {
        return vec![range];
    }
    let mut out = Vec::new();
    let mut start = range.start;
    while start < range.end {
        let end = start.saturating_add(n).min(range.end);
        out.push(start..end);
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_tile_the_space_in_order() {
        for (space, n) in [(0..10, 4), (5..1_000_003, 7), (0..3, 5), (7..7, 3)] {
            let mut at = space.start;
            for k in 0..n {
                let part = Shard { index: k, count: n }.of(space.clone());
                assert_eq!(part.start, at);
                assert!(part.end - part.start <= (space.end - space.start) / n + 1);
                at = part.end;
            }
            assert_eq!(at, space.end);
        }
    }

    #[test]
    fn parses_shards_ranges_and_the_job_index() {
        assert_eq!("3/16".parse::<Shard>(), Ok(Shard { index: 3, count: 16 }));
        for bad in ["16/16", "1/0", "a/2", "3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        assert_eq!("5..9".parse::<IndexRange>(), Ok(IndexRange(5..9)));
        assert!("9..5".parse::<IndexRange>().is_err());
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned())
        };
        assert_eq!(Shard::from_env(env(&[])), Ok(None));
        let both = env(&[(JOB_INDEX_ENV, "2"), (SHARD_COUNT_ENV, "4")]);
        assert_eq!(Shard::from_env(both), Ok(Some(Shard { index: 2, count: 4 })));
        let missing = Shard::from_env(env(&[(JOB_INDEX_ENV, "2")]));
        assert!(matches!(missing, Err(SliceError::MissingShardCount(_))));
        assert!(Shard::from_env(env(&[(JOB_INDEX_ENV, "4"), (SHARD_COUNT_ENV, "4")])).is_err());
    }

    #[test]
    fn parts_split_every_n() {
        assert_eq!(parts(3..10, Some(3)), vec![3..6, 6..9, 9..10]);
        assert_eq!(parts(3..10, None), vec![3..10]);
        assert_eq!(parts(4..4, Some(3)), vec![4..4]);
    }
}
