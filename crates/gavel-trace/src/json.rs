//! Parsing and printing of the JSON value forms shared by the genesis and batch files.
//!
//! Files are read in two passes: serde checks the structure (unknown fields are rejected, a
//! syntax error reports its line and column), then every value is parsed here by hand so that
//! an error can name the field it came from. Quantities accept a JSON number or a string in
//! `0x` hex or decimal, like geth's genesis files; byte strings must be `0x` hex.

use std::fmt;

use alloy_primitives::{Address, B256, U256};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use thiserror::Error;

/// Why a single JSON value was rejected (the caller adds the field it came from).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValueError {
    /// Not `0x` followed by an even number of hex digits.
    #[error("invalid hex {value:?}: {reason}")]
    Hex { value: String, reason: &'static str },
    /// Not a number, a `0x` hex quantity or a decimal string.
    #[error("invalid quantity {value:?}")]
    Quantity { value: String },
    /// A quantity too large for its field.
    #[error("{value} exceeds the maximum {max}")]
    OutOfRange { value: String, max: &'static str },
    /// A fixed-size byte string of the wrong length.
    #[error("expected {expected} bytes, got {got}")]
    Length { expected: usize, got: usize },
}

/// A JSON quantity as written: a non-negative number or a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Quantity(pub String);

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Quantity;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a non-negative integer or a 0x-hex / decimal string")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Quantity, E> {
                Ok(Quantity(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Quantity, E> {
                // Kept as text so that the range check names the field.
                Ok(Quantity(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Quantity, E> {
                Ok(Quantity(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Quantity, E> {
                Ok(Quantity(v.to_owned()))
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Numbers that fit a JSON-safe integer are written as numbers, the rest as strings.
        match self.0.parse::<u64>() {
            Ok(n) if n < (1 << 53) => s.serialize_u64(n),
            _ => s.serialize_str(&self.0),
        }
    }
}

impl Quantity {
    /// `n` as a JSON number (small) or decimal string.
    pub fn num(n: u64) -> Self {
        Self(n.to_string())
    }

    /// `n` as a `0x` hex string without leading zeros.
    pub fn hex(n: U256) -> Self {
        Self(format!("{n:#x}"))
    }

    pub fn to_u256(&self) -> Result<U256, ValueError> {
        let s = self.0.as_str();
        let bad = || ValueError::Quantity {
            value: s.to_owned(),
        };
        let parsed = if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
            if h.is_empty() || h.len() > 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(
                    if h.len() > 64 && h.bytes().all(|b| b.is_ascii_hexdigit()) {
                        ValueError::OutOfRange {
                            value: s.to_owned(),
                            max: "2^256 - 1",
                        }
                    } else {
                        bad()
                    },
                );
            }
            U256::from_str_radix(h, 16).map_err(|_| bad())?
        } else {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            U256::from_str_radix(s, 10).map_err(|_| ValueError::OutOfRange {
                value: s.to_owned(),
                max: "2^256 - 1",
            })?
        };
        Ok(parsed)
    }

    pub fn to_u128(&self) -> Result<u128, ValueError> {
        let v = self.to_u256()?;
        u128::try_from(v).map_err(|_| ValueError::OutOfRange {
            value: self.0.clone(),
            max: "2^128 - 1",
        })
    }

    pub fn to_u64(&self) -> Result<u64, ValueError> {
        let v = self.to_u256()?;
        u64::try_from(v).map_err(|_| ValueError::OutOfRange {
            value: self.0.clone(),
            max: "2^64 - 1",
        })
    }
}

/// `0x`-prefixed hex of `bytes` (lower case; `0x` for empty).
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(2 + 2 * bytes.len());
    s.push_str("0x");
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Bytes of a `0x`-prefixed, even-length hex string.
pub(crate) fn bytes(s: &str) -> Result<Vec<u8>, ValueError> {
    let err = |reason| ValueError::Hex {
        value: abbreviate(s),
        reason,
    };
    let h = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .ok_or_else(|| err("missing 0x prefix"))?;
    if h.len() % 2 != 0 {
        return Err(err("odd number of hex digits"));
    }
    let digit = |c: u8| -> Result<u8, ValueError> {
        match c {
            b'0'..=b'9' => Ok(c - b'0'),
            b'a'..=b'f' => Ok(c - b'a' + 10),
            b'A'..=b'F' => Ok(c - b'A' + 10),
            _ => Err(err("non-hex character")),
        }
    };
    h.as_bytes()
        .chunks_exact(2)
        .map(|p| Ok(digit(p[0])? << 4 | digit(p[1])?))
        .collect()
}

fn fixed<const N: usize>(s: &str) -> Result<[u8; N], ValueError> {
    let b = bytes(s)?;
    b.as_slice().try_into().map_err(|_| ValueError::Length {
        expected: N,
        got: b.len(),
    })
}

pub(crate) fn address(s: &str) -> Result<Address, ValueError> {
    fixed::<20>(s).map(Address::from)
}

pub(crate) fn b256(s: &str) -> Result<B256, ValueError> {
    fixed::<32>(s).map(B256::from)
}

/// Long values are cut in error messages (a batch may hold megabytes of hex).
fn abbreviate(s: &str) -> String {
    const MAX: usize = 48;
    if s.len() <= MAX {
        s.to_owned()
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head}… ({} chars)", s.chars().count())
    }
}

/// A JSON object read as its `(key, value)` pairs in file order, so that duplicate keys are
/// seen (serde's maps keep the last one silently) and reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entries<T>(pub Vec<(String, T)>);

impl<T> Default for Entries<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entries<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Entries<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Entries<T>, A::Error> {
                let mut v = Vec::new();
                while let Some((k, x)) = m.next_entry::<String, T>()? {
                    v.push((k, x));
                }
                Ok(Entries(v))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

impl<T: Serialize> Serialize for Entries<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Pretty JSON with a trailing newline (the committed fixtures are diffed as text).
pub(crate) fn pretty<T: Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("plain data serializes");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_accept_numbers_hex_and_decimal_and_name_overflow() {
        let q = |s: &str| Quantity(s.into());
        assert_eq!(q("0x10").to_u64(), Ok(16));
        assert_eq!(q("16").to_u64(), Ok(16));
        assert_eq!(
            q("0x").to_u64(),
            Err(ValueError::Quantity { value: "0x".into() })
        );
        assert_eq!(
            q("-1").to_u64(),
            Err(ValueError::Quantity { value: "-1".into() })
        );
        assert_eq!(
            q("1.5").to_u64(),
            Err(ValueError::Quantity {
                value: "1.5".into()
            })
        );
        assert!(matches!(
            q("0x10000000000000000").to_u64(),
            Err(ValueError::OutOfRange {
                max: "2^64 - 1",
                ..
            })
        ));
        assert!(matches!(
            q(&format!("0x1{}", "0".repeat(64))).to_u256(),
            Err(ValueError::OutOfRange { .. })
        ));
        assert_eq!(Quantity::hex(U256::from(255)).0, "0xff");
    }

    #[test]
    fn hex_needs_prefix_even_length_and_hex_digits() {
        assert_eq!(bytes("0x"), Ok(vec![]));
        assert_eq!(bytes("0xA0ff"), Ok(vec![0xa0, 0xff]));
        for (s, reason) in [
            ("a0", "missing 0x prefix"),
            ("0xabc", "odd number of hex digits"),
            ("0xzz", "non-hex character"),
        ] {
            assert!(
                matches!(bytes(s), Err(ValueError::Hex { reason: r, .. }) if r == reason),
                "{s}"
            );
        }
        assert_eq!(
            address("0x00"),
            Err(ValueError::Length {
                expected: 20,
                got: 1
            })
        );
        assert_eq!(to_hex(&[1, 0xab]), "0x01ab");
    }

    #[test]
    fn entries_keep_duplicates_in_order() {
        let e: Entries<u8> = serde_json::from_str(r#"{"a": 1, "b": 2, "a": 3}"#).unwrap();
        assert_eq!(e.0, vec![("a".into(), 1), ("b".into(), 2), ("a".into(), 3)]);
    }
}
