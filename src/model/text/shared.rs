//! [`Text`]: a shared immutable string, and the [`Interner`] that hands out one copy of each
//! distinct value.

use hashbrown::HashSet;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::{Borrow, Cow};
use std::cell::RefCell;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::LazyLock;
use triomphe::ThinArc;

/// An immutable string that clones by reference count: the type of every value an inventory
/// repeats (software names, versions and publishers, OS fields, sites, owners, tags) and of
/// asset names.
///
/// It reads like a `&str` (it derefs to one) and compares, hashes and prints like one. It is
/// one pointer wide, and the count, length and bytes sit in one allocation: a million assets
/// hold several of these in each software entry, OS and relation, while the strings
/// themselves are few.
#[derive(Clone)]
pub struct Text(ThinArc<(), u8>);

impl Text {
    /// A new, unshared text (an [`Interner`] shares equal values).
    pub fn new(text: &str) -> Text {
        Text(ThinArc::from_header_and_slice((), text.as_bytes()))
    }

    /// True for the empty text (a path for `skip_serializing_if`).
    pub fn is_empty(&self) -> bool {
        self.0.slice.is_empty()
    }

    /// The text as a plain `&str`.
    pub fn as_str(&self) -> &str {
        // SAFETY: `Text::new` is the only constructor and copies the bytes of a `&str`; a
        // `ThinArc` never hands out its bytes mutably while shared, so they stay UTF-8.
        unsafe { std::str::from_utf8_unchecked(&self.0.slice) }
    }

    /// The address of the shared allocation: equal for clones, a cheap key for memos that
    /// outlive no text they were made from.
    pub fn addr(&self) -> usize {
        self.0.as_ptr() as usize
    }

    /// True when both are the same allocation (not only equal text).
    pub fn ptr_eq(a: &Text, b: &Text) -> bool {
        a.addr() == b.addr()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        Text::ptr_eq(self, other) || self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl Hash for Text {
    /// Hashes like the `&str` it holds, as `Borrow<str>` requires.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Text) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Default for Text {
    /// The empty text, one allocation shared by every empty value.
    fn default() -> Text {
        static EMPTY: LazyLock<Text> = LazyLock::new(|| Text::new(""));
        EMPTY.clone()
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::new(text)
    }
}

impl From<&String> for Text {
    fn from(text: &String) -> Text {
        Text::new(text)
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text::new(&text)
    }
}

impl From<Cow<'_, str>> for Text {
    fn from(text: Cow<'_, str>) -> Text {
        Text::new(&text)
    }
}

impl From<Text> for String {
    fn from(text: Text) -> String {
        text.as_str().to_string()
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(SHARING.with(|sharing| match sharing.borrow_mut().as_mut() {
            Some(set) => match set.get(text.as_str()) {
                Some(shared) => shared.clone(),
                None => set.get_or_insert(Text::from(text)).clone(),
            },
            None => Text::from(text),
        }))
    }
}

thread_local! {
    /// The texts read so far while [`sharing_equal_texts`] runs on this thread.
    static SHARING: RefCell<Option<HashSet<Text, foldhash::fast::FixedState>>> =
        const { RefCell::new(None) };
}

/// Runs `read` with every [`Text`] it deserializes on this thread shared by value: a plan
/// file repeats the same reasons for thousands of assets, which then hold one string.
pub fn sharing_equal_texts<T>(read: impl FnOnce() -> T) -> T {
    struct Restore(Option<HashSet<Text, foldhash::fast::FixedState>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            SHARING.with(|s| *s.borrow_mut() = self.0.take());
        }
    }
    let _restore = Restore(SHARING.with(|s| s.borrow_mut().replace(HashSet::default())));
    read()
}

/// Hands out one shared [`Text`] per distinct value, already cleaned
/// ([`super::clean`]): one per import, so that a million assets with the same fifty software
/// names hold fifty strings.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    /// Only cleaned values: text that needs cleaning is looked up by its cleaned form.
    set: HashSet<Text, foldhash::fast::RandomState>,
}

impl Interner {
    /// An empty interner.
    pub fn new() -> Interner {
        Interner::default()
    }

    /// The shared, cleaned text for `raw` (possibly empty, when cleaning leaves nothing).
    pub fn intern(&mut self, raw: &str) -> Text {
        // A hit is clean already: only clean values are stored.
        if let Some(text) = self.set.get(raw) {
            return text.clone();
        }
        if super::needs_cleaning(raw) {
            let cleaned = super::clean(raw);
            return self
                .set
                .get_or_insert_with(cleaned.as_str(), Text::new)
                .clone();
        }
        self.set.get_or_insert_with(raw, Text::new).clone()
    }

    /// Like [`Interner::intern`], `None` for an empty value (also after cleaning).
    pub fn non_empty(&mut self, raw: &str) -> Option<Text> {
        if raw.is_empty() {
            return None;
        }
        Some(self.intern(raw)).filter(|t| !t.is_empty())
    }

    /// Shares `text` with earlier equal values (cleaned first when it needs it).
    pub fn share(&mut self, text: &Text) -> Text {
        if let Some(shared) = self.set.get(text.as_str()) {
            return shared.clone();
        }
        if super::needs_cleaning(text) {
            return self.intern(text);
        }
        self.set.insert(text.clone());
        text.clone()
    }

    /// Number of distinct values held.
    pub fn len(&self) -> usize {
        self.set.len()
    }

    /// True when nothing was interned yet.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_share_one_allocation() {
        let mut interner = Interner::new();
        let a = interner.intern("Kaspersky Endpoint Security");
        let b = interner.intern("Kaspersky Endpoint Security");
        assert!(Text::ptr_eq(&a, &b));
        assert!(!Text::ptr_eq(&a, &interner.intern("KES")));
        assert_eq!(interner.len(), 2);
    }

    #[test]
    fn interned_values_are_cleaned() {
        let mut interner = Interner::new();
        let dirty = interner.intern(" evil\x1b[2J ");
        assert_eq!(dirty, "evil\u{FFFD}[2J");
        assert!(Text::ptr_eq(&dirty, &interner.intern("evil\u{FFFD}[2J")));
        assert_eq!(interner.non_empty(" \t "), None);
        let shared = interner.share(&Text::new("evil\u{FFFD}[2J"));
        assert!(Text::ptr_eq(&dirty, &shared));
        assert_eq!(interner.share(&Text::new("x\x07")), "x\u{FFFD}");
    }

    #[test]
    fn text_reads_like_a_str() {
        let t = Text::from("abc");
        assert_eq!(t, "abc");
        assert_eq!(format!("{t} {t:?}"), "abc \"abc\"");
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"abc\"");
        let back: Text = serde_json::from_str("\"abc\"").unwrap();
        assert_eq!(back, t);
    }
}
