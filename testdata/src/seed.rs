//! Seeds, stream keys and the keyed derivation that makes output index-addressable and
//! field-stable.
//!
//! # The algorithm (part of the output contract)
//!
//! Changing anything in this module changes generated values and is a breaking change that
//! must be recorded in `CHANGELOG.md`.
//!
//! * **Name hash** — [`name_key`]: 64-bit FNV-1a over the UTF-8 bytes of the name (offset basis
//!   `0xcbf29ce484222325`, prime `0x100000001b3`), then the `fmix64` finaliser of MurmurHash3.
//!   Used for string seeds, type keys and field keys. It is a `const fn`, so derived code
//!   computes its keys at compile time.
//! * **Combine** — [`Key::child`]: `mum(a ^ 0xa0761d6478bd642f, b ^ 0xe7037ed1a0b428db)` where
//!   `mum(x, y)` is the 128-bit product of `x` and `y` with its high and low halves XORed
//!   (the wyhash mixer).
//! * **Record key** — `Key::root(seed, type_key, index) = Key(seed).child(type_key).child(index)`.
//!   A nested object's key is `parent.child(name_key(field))`; the `i`-th element of a
//!   collection has key `field_key.child(i)`.
//! * **Draws** — [`Gen`] is SplitMix64 started at the node key: each draw adds
//!   `0x9e3779b97f4a7c15` to the state and returns `fmix` of it (Steele, Lea & Flood 2014,
//!   the generator of Java's `SplittableRandom`). It is counter based: draw `j` of a stream
//!   depends only on the key and `j`, so opening a stream costs one multiply.
//!
//! Sampling on top of the raw draws (integers in a range, floats, choices, weights) is our own
//! code in [`crate::rng`], never `rand`'s distributions, whose algorithms change between releases.

use std::fmt;

use crate::rng::Gen;

/// A generation seed.
///
/// Build it from a `u64` (`Seed::new(42)`, `Seed::from(42)`) or from a string
/// (`Seed::from("checkout flow")`), which is hashed with the fixed [`name_key`] hash, so the
/// same string gives the same seed on every platform and every release of Rust.
///
/// ```
/// use testdata::Seed;
/// assert_eq!(Seed::from("abc"), Seed::from("abc"));
/// assert_ne!(Seed::from("abc"), Seed::from("abd"));
/// assert_eq!(Seed::new(7).value(), 7);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Seed(u64);

impl Seed {
    /// A seed from a number.
    pub const fn new(value: u64) -> Seed {
        Seed(value)
    }

    /// A seed from a string, hashed with [`name_key`].
    pub const fn from_name(name: &str) -> Seed {
        Seed(name_key(name))
    }

    /// The numeric value of the seed (what `TESTDATA_SEED` accepts to replay it).
    pub const fn value(self) -> u64 {
        self.0
    }

    /// Parses a seed as a user would write it: a decimal `u64` is taken as the number, anything
    /// else is hashed as a string.
    ///
    /// ```
    /// use testdata::Seed;
    /// assert_eq!(Seed::parse("42"), Seed::new(42));
    /// assert_eq!(Seed::parse("nightly"), Seed::from("nightly"));
    /// ```
    pub fn parse(text: &str) -> Seed {
        match text.trim().parse::<u64>() {
            Ok(n) => Seed(n),
            Err(_) => Seed::from_name(text),
        }
    }
}

impl fmt::Debug for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Seed({})", self.0)
    }
}

impl fmt::Display for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl From<u64> for Seed {
    fn from(value: u64) -> Seed {
        Seed(value)
    }
}

impl From<&str> for Seed {
    fn from(name: &str) -> Seed {
        Seed::from_name(name)
    }
}

impl From<&String> for Seed {
    fn from(name: &String) -> Seed {
        Seed::from_name(name)
    }
}

impl From<String> for Seed {
    fn from(name: String) -> Seed {
        Seed::from_name(&name)
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
const P0: u64 = 0xa076_1d64_78bd_642f;
const P1: u64 = 0xe703_7ed1_a0b4_28db;

/// The fixed hash of a name (type, field or string seed): FNV-1a 64 followed by `fmix64`.
///
/// ```
/// use testdata::seed::name_key;
/// const EMAIL: u64 = name_key("email"); // usable in constants
/// assert_ne!(EMAIL, name_key("emails"));
/// ```
pub const fn name_key(name: &str) -> u64 {
    let bytes = name.as_bytes();
    let mut h = FNV_OFFSET;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(FNV_PRIME);
        i += 1;
    }
    fmix64(h)
}

/// MurmurHash3's 64-bit finaliser.
#[inline(always)]
pub(crate) const fn fmix64(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^= k >> 33;
    k
}

#[inline(always)]
const fn mum(a: u64, b: u64) -> u64 {
    let r = (a as u128).wrapping_mul(b as u128);
    (r as u64) ^ ((r >> 64) as u64)
}

/// A node of the derivation tree: a record, one of its fields, a nested object or a
/// collection element. Every value is drawn from the [`Gen`] of its node.
///
/// ```
/// use testdata::{Key, Seed, seed::name_key};
/// let user = Key::root(Seed::new(1), name_key("User"), 0);
/// let mut a = user.field(name_key("email"));
/// let mut b = user.field(name_key("email"));
/// assert_eq!(a.next_u64(), b.next_u64());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Key(u64);

impl Key {
    /// The key of record `index` of the type (or schema) whose key is `type_key`.
    #[inline]
    pub const fn root(seed: Seed, type_key: u64, index: u64) -> Key {
        Key(seed.0).child(type_key).child(index)
    }

    /// A key from a raw value (for tests and custom derivations).
    pub const fn from_raw(raw: u64) -> Key {
        Key(raw)
    }

    /// The raw value of the key.
    pub const fn raw(self) -> u64 {
        self.0
    }

    /// The child node `k` of this node (a field key, a collection index, a sub-stream tag).
    #[inline(always)]
    pub const fn child(self, k: u64) -> Key {
        Key(mum(self.0 ^ P0, k ^ P1))
    }

    /// The child node of a field given its [`name_key`].
    #[inline(always)]
    pub const fn field_key(self, field: u64) -> Key {
        self.child(field)
    }

    /// The draw stream of the field whose [`name_key`] is `field`.
    #[inline(always)]
    pub const fn field(self, field: u64) -> Gen {
        Gen::new(self.child(field))
    }

    /// The draw stream of this node itself.
    #[inline(always)]
    pub const fn stream(self) -> Gen {
        Gen::new(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_key_is_pinned() {
        // Golden values: changing them is a breaking change (see CHANGELOG.md).
        assert_eq!(name_key(""), fmix64(FNV_OFFSET));
        assert_eq!(name_key("a"), fmix64((FNV_OFFSET ^ 0x61).wrapping_mul(FNV_PRIME)));
    }

    #[test]
    fn children_differ() {
        let k = Key::root(Seed::new(1), name_key("User"), 0);
        assert_ne!(k.child(1), k.child(2));
        assert_ne!(k, Key::root(Seed::new(1), name_key("User"), 1));
        assert_ne!(k, Key::root(Seed::new(2), name_key("User"), 0));
    }
}
