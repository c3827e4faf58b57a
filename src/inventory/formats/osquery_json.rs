//! Reading one osquery result row from JSON quickly: keys and the values the mapping needs are
//! borrowed from the input where they have no escapes; the other values are only hashed, for
//! the row's identity, and never copied.

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess};
use serde::de::{SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// One result row: its columns in the order written, with the values of the columns the
/// mapping reads (the others are kept as "").
#[derive(Debug, Default)]
pub(crate) struct Row<'a> {
    cols: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    identity: u64,
}

impl Row<'_> {
    /// The value of a column ("" when the row lacks it: older osquery builds have fewer).
    pub(crate) fn get(&self, key: &str) -> &str {
        self.cols
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v)
    }

    /// True when the row has the column.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.cols.iter().any(|(k, _)| k == key)
    }

    /// A fingerprint of the whole row (every column, also those not kept), whatever the order
    /// of its columns. A `removed` event repeats the row it removes exactly, so this identifies
    /// the row across events.
    pub(crate) fn identity(&self) -> u64 {
        self.identity
    }

    /// Repairs every kept value with [`super::osquery_cp850::repair`].
    pub(crate) fn repair_text(&mut self) {
        for (_, v) in &mut self.cols {
            if let Some(fixed) = super::osquery_cp850::repair(v) {
                *v = Cow::Owned(fixed);
            }
        }
    }
}

/// True for the columns some table's mapping reads.
fn kept(key: &str) -> bool {
    matches!(
        key,
        "name"
            | "version"
            | "publisher"
            | "status"
            | "maintainer"
            | "release"
            | "vendor"
            | "bundle_short_version"
            | "bundle_version"
            | "bundle_identifier"
            | "copyright"
            | "hostname"
            | "computer_name"
            | "local_hostname"
            | "hardware_vendor"
            | "hardware_model"
            | "platform"
    )
}

/// A scalar as text with its hash: strings as given, numbers and booleans
/// (`--logger_numerics`) as written, null and nested values empty. `keep` false leaves the
/// text out (only the hash is wanted).
struct Scalar {
    keep: bool,
}

struct Value<'a> {
    text: Cow<'a, str>,
    hash: u64,
}

impl Scalar {
    fn borrowed<'a>(&self, v: &'a str) -> Value<'a> {
        let text = if self.keep { v } else { "" };
        Value {
            text: Cow::Borrowed(text),
            hash: hash_str(v),
        }
    }

    fn owned<'a>(&self, v: String) -> Value<'a> {
        let hash = hash_str(&v);
        let text = if self.keep {
            Cow::Owned(v)
        } else {
            Cow::Borrowed("")
        };
        Value { text, hash }
    }
}

impl<'de> Visitor<'de> for Scalar {
    type Value = Value<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(self.borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        // A string with escapes, unescaped into a scratch buffer: copy it only when kept.
        Ok(if self.keep {
            self.owned(v.to_string())
        } else {
            Value {
                text: Cow::Borrowed(""),
                hash: hash_str(v),
            }
        })
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(self.owned(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(self.owned(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(self.owned(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(self.owned(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(self.borrowed(if v { "true" } else { "false" }))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.borrowed(""))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.borrowed(""))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(self.borrowed(""))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(self.borrowed(""))
    }
}

impl<'de> DeserializeSeed<'de> for Scalar {
    type Value = Value<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

struct Key<'a>(Value<'a>);

impl<'de: 'a, 'a> Deserialize<'de> for Key<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Scalar { keep: true }).map(Key)
    }
}

struct RowVisitor;

impl<'de> Visitor<'de> for RowVisitor {
    type Value = Row<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of columns")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut cols = Vec::with_capacity(map.size_hint().unwrap_or(12));
        let mut identity = 0u64;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let value = map.next_value_seed(Scalar {
                keep: kept(&key.text),
            })?;
            // Summed, so that the order of the columns does not matter.
            identity = identity.wrapping_add(mix(key.hash.wrapping_mul(SEED) ^ value.hash));
            cols.push((key.text, value.text));
        }
        Ok(Row { cols, identity })
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Row<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(RowVisitor)
    }
}

const SEED: u64 = 0x9E37_79B9_7F4A_7C15;

/// A fast 64-bit hash of a string (multiply-rotate over 8-byte words, then a full mix).
fn hash_str(s: &str) -> u64 {
    let mut h = s.len() as u64;
    for chunk in s.as_bytes().chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(SEED);
    }
    mix(h)
}

/// MurmurHash3's 64-bit finaliser: every input bit affects every output bit.
fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

/// A hasher for keys that are hashes already (row identities).
#[derive(Default)]
pub(crate) struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(SEED);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Builds [`PassThrough`] hashers.
pub(crate) type PassThroughState = std::hash::BuildHasherDefault<PassThrough>;

#[cfg(test)]
mod tests {
    use super::*;

    fn row(json: &str) -> Row<'_> {
        serde_json::from_str(json).expect("row parses")
    }

    #[test]
    fn values_of_every_json_type_become_text() {
        let r = row(
            r#"{"name":"x\"y","version":12,"release":-1.5,"vendor":null,"status":true,"publisher":{"g":[1]},"other":"z"}"#,
        );
        let got: Vec<&str> = [
            "name",
            "version",
            "release",
            "vendor",
            "status",
            "publisher",
        ]
        .iter()
        .map(|k| r.get(k))
        .collect();
        assert_eq!(got, ["x\"y", "12", "-1.5", "", "true", ""]);
        assert!(r.has("vendor") && r.has("other") && !r.has("missing"));
        assert_eq!(r.get("other"), "", "columns no mapping reads are not kept");
    }

    #[test]
    fn identity_covers_every_column_in_any_order() {
        let a = row(r#"{"name":"x","version":"1","path":"C:\\a"}"#).identity();
        assert_eq!(
            a,
            row(r#"{"path":"C:\\a","version":"1","name":"x"}"#).identity()
        );
        assert_ne!(
            a,
            row(r#"{"name":"x","version":"1","path":"C:\\b"}"#).identity()
        );
        assert_ne!(
            a,
            row(r#"{"name":"x","version":"2","path":"C:\\a"}"#).identity()
        );
        assert_ne!(
            a,
            row(r#"{"name":"1","version":"x","path":"C:\\a"}"#).identity()
        );
        assert_ne!(a, row(r#"{"name":"x","version":"1"}"#).identity());
    }

    #[test]
    fn string_hashes_differ_by_length_and_content() {
        assert_ne!(hash_str(""), hash_str("\0"));
        assert_ne!(hash_str("abcdefgh"), hash_str("abcdefgh\0"));
        assert_ne!(hash_str("ab"), hash_str("ba"));
    }
}
