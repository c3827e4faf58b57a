//! A fast reader for the plain TOML that native inventories are written in: `[[asset]]`
//! headers (and `[[asset.software]]`, `[[asset.depends_on]]` under them), bare keys, basic
//! strings, and arrays of strings or one-line inline tables.
//!
//! It gives exactly what [`super::native::parse_toml`] gives for such text (the assets their
//! `Deserialize` reads, and the marks) at several times the speed, and `None` as soon as the
//! text uses anything else (other strings, dotted keys, TOML 1.1 forms, a repeated or unknown
//! key, an unknown kind name, a control character) — the `toml` crate then reads the batch
//! with its own messages. It never accepts what the crate refuses. The keys are listed here a
//! second time, for speed: `native_fast_tests` writes assets with every field set and fails
//! when this reader declines them or reads them otherwise.

use super::native::{Marks, Table, Tables};
use crate::model::text::Text;
use crate::model::{Asset, AssetKind, Criticality, Named, Os, Relation, RelationKind, Software};
use hashbrown::HashMap;
use std::borrow::Cow;
use thin_vec::ThinVec;

/// Parses one batch; `None` when it is not in the plain subset.
pub(super) fn parse(text: &str) -> Option<Tables> {
    let mut p = Cursor { text, at: 0 };
    let mut tables = Vec::new();
    let mut current: Option<Fields> = None;
    // The `[[asset.software]]` or `[[asset.depends_on]]` table being read, if any.
    let mut sub: Option<SubTable> = None;
    let mut shared = Shared::default();
    loop {
        p.skip_blank();
        let Some(b) = p.peek() else { break };
        match b {
            b'\n' | b'\r' | b'#' => p.end_of_line()?,
            b'[' => {
                let start = p.at;
                if p.literal(b"[[asset]]").is_some() {
                    p.end_of_line()?;
                    if let Some(mut fields) = current.replace(Fields::new(start)) {
                        fields.close(sub.take(), &mut shared)?;
                        tables.push(fields.finish()?);
                    }
                } else {
                    let fields = current.as_mut()?;
                    fields.close(sub.take(), &mut shared)?;
                    let table = match p.literal(b"[[asset.software]]") {
                        Some(()) => SubTable::Software(Default::default()),
                        None => p
                            .literal(b"[[asset.depends_on]]")
                            .map(|()| SubTable::Relation(Default::default()))?,
                    };
                    p.end_of_line()?;
                    fields.open(&table)?;
                    sub = Some(table);
                }
            }
            _ => {
                let key = p.bare_key()?;
                p.skip_blank();
                p.literal(b"=")?;
                p.skip_blank();
                match sub.as_mut() {
                    Some(table) => table.set(key, &mut p)?,
                    None => current.as_mut()?.set(key, &mut p, &mut shared)?,
                }
                p.end_of_line()?;
            }
        }
    }
    if let Some(mut fields) = current {
        fields.close(sub, &mut shared)?;
        tables.push(fields.finish()?);
    }
    Some((!tables.is_empty()).then_some(tables))
}

/// The keys of `[[asset]]`, in the order of [`Asset`]'s fields.
const KEYS: [&str; 10] = [
    "id",
    "name",
    "kind",
    "os",
    "site",
    "owner",
    "criticality",
    "tags",
    "software",
    "depends_on",
];

/// The keys of a software entry.
const SOFTWARE_KEYS: [&str; 3] = ["name", "version", "publisher"];

/// The keys of a dependency.
const RELATION_KEYS: [&str; 2] = ["id", "kind"];

/// A software entry or dependency written as a table of its own (`[[asset.software]]`,
/// `[[asset.depends_on]]`): its values so far.
enum SubTable<'a> {
    Software([Option<Value<'a>>; 3]),
    Relation([Option<Value<'a>>; 2]),
}

impl<'a> SubTable<'a> {
    /// Reads the value of `key`; `None` for an unknown or repeated key or a value that is not
    /// a basic string.
    fn set(&mut self, key: &str, p: &mut Cursor<'a>) -> Option<()> {
        let slot = match self {
            SubTable::Software(values) => {
                &mut values[SOFTWARE_KEYS.iter().position(|k| *k == key)?]
            }
            SubTable::Relation(values) => {
                &mut values[RELATION_KEYS.iter().position(|k| *k == key)?]
            }
        };
        once(slot, p.string()?)
    }
}

/// What a batch's assets share: a batch repeats a few texts (software, sites, OS …) many
/// times, and each is allocated and parsed once.
#[derive(Default)]
struct Shared<'a> {
    texts: HashMap<&'a str, Text>,
    os: HashMap<&'a str, Os>,
}

impl<'a> Shared<'a> {
    fn text(&mut self, value: Cow<'a, str>) -> Text {
        match value {
            Cow::Borrowed(raw) => self.texts.entry(raw).or_insert_with(|| raw.into()).clone(),
            Cow::Owned(unescaped) => unescaped.into(),
        }
    }

    fn os(&mut self, value: Cow<'a, str>) -> Os {
        match value {
            Cow::Borrowed(raw) => self.os.entry(raw).or_insert_with(|| Os::parse(raw)).clone(),
            Cow::Owned(unescaped) => Os::parse(&unescaped),
        }
    }
}

/// One `[[asset]]` table as it is read.
struct Fields {
    asset: Asset,
    at: Marks,
    /// The keys read so far (bits in the order of [`KEYS`]).
    seen: u16,
}

impl Fields {
    fn new(header: usize) -> Fields {
        Fields {
            asset: Asset::new(String::new()),
            at: Marks {
                header,
                ..Marks::default()
            },
            seen: 0,
        }
    }

    /// Reads the value of `key`; `None` for an unknown or repeated key or an unexpected value.
    fn set<'a>(&mut self, key: &str, p: &mut Cursor<'a>, shared: &mut Shared<'a>) -> Option<()> {
        let bit = 1 << KEYS.iter().position(|k| *k == key)?;
        if self.seen & bit != 0 {
            return None;
        }
        self.seen |= bit;
        let a = &mut self.asset;
        match key {
            "id" => (self.at.id, a.id) = p.string().map(|(at, s)| (at, s.into()))?,
            "name" => a.name = Some(p.string()?.1.into()),
            "kind" => {
                a.kind = AssetKind::lookup(&p.string()?.1)?;
                self.at.kind = true;
            }
            "os" => a.os = shared.os(p.string()?.1),
            "site" => a.set_site(Some(shared.text(p.string()?.1))),
            "owner" => a.set_owner(Some(shared.text(p.string()?.1))),
            "criticality" => {
                a.criticality = Criticality::lookup(&p.string()?.1)?;
                self.at.criticality = true;
            }
            "tags" => {
                let tags: ThinVec<Text> = p.array(|p| Some(shared.text(p.string()?.1)))?;
                a.set_tags(tags);
            }
            "software" => {
                let names = &mut self.at.software;
                a.software =
                    p.array(|p| software(p.inline_table(SOFTWARE_KEYS)?, names, shared))?;
            }
            "depends_on" => {
                let ids = &mut self.at.relations;
                a.depends_on =
                    p.array(|p| relation(p.inline_table(RELATION_KEYS)?, ids, shared))?;
            }
            _ => return None,
        }
        Some(())
    }

    /// Starts a table of the asset's software or dependencies: `None` when the key was given
    /// as an array already (TOML cannot extend it).
    fn open(&self, table: &SubTable<'_>) -> Option<()> {
        let key = match table {
            SubTable::Software(_) => "software",
            SubTable::Relation(_) => "depends_on",
        };
        let bit = 1 << KEYS.iter().position(|k| *k == key)?;
        (self.seen & bit == 0).then_some(())
    }

    /// Adds a finished software or dependency table to the asset.
    fn close<'a>(&mut self, table: Option<SubTable<'a>>, shared: &mut Shared<'a>) -> Option<()> {
        let a = &mut self.asset;
        match table {
            None => {}
            Some(SubTable::Software(values)) => {
                a.software
                    .push(software(values, &mut self.at.software, shared)?)
            }
            Some(SubTable::Relation(values)) => {
                a.depends_on
                    .push(relation(values, &mut self.at.relations, shared)?)
            }
        }
        Some(())
    }

    /// The table, once it has its id.
    fn finish(self) -> Option<Table> {
        (self.seen & 1 != 0).then_some(Table {
            asset: self.asset,
            at: self.at,
        })
    }
}

/// A software entry from its values (a name required), noting where its name is.
fn software<'a>(
    [name, version, publisher]: [Option<Value<'a>>; 3],
    names: &mut Vec<usize>,
    shared: &mut Shared<'a>,
) -> Option<Software> {
    let (at, name) = name?;
    names.push(at);
    Some(Software {
        name: shared.text(name),
        version: version.map(|(_, v)| shared.text(v)),
        publisher: publisher.map(|(_, v)| shared.text(v)),
    })
}

/// A dependency from its values (an id required), noting where its id is.
fn relation<'a>(
    [id, kind]: [Option<Value<'a>>; 2],
    ids: &mut Vec<usize>,
    shared: &mut Shared<'a>,
) -> Option<Relation> {
    let (at, target) = id?;
    ids.push(at);
    let kind = match kind {
        Some((_, k)) => RelationKind::lookup_pair(&k)?,
        None => RelationKind::default(),
    };
    Some(Relation::new(shared.text(target), kind))
}

/// Sets a key that must appear once.
fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    match slot {
        Some(_) => None,
        None => {
            *slot = Some(value);
            Some(())
        }
    }
}

/// A string value: where it starts (its opening quote) and its text.
type Value<'a> = (usize, Cow<'a, str>);

struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn literal(&mut self, expected: &[u8]) -> Option<()> {
        let rest = &self.text.as_bytes()[self.at..];
        rest.starts_with(expected)
            .then(|| self.at += expected.len())
    }

    /// Spaces and tabs.
    fn skip_blank(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// Blanks, an optional comment, then a line end or the end of the text.
    fn end_of_line(&mut self) -> Option<()> {
        self.skip_blank();
        if self.peek() == Some(b'#') {
            self.at += 1;
            while let Some(b) = self.peek() {
                if b == b'\n' || b == b'\r' {
                    break;
                }
                if is_control(b) {
                    return None;
                }
                self.at += 1;
            }
        }
        match self.peek() {
            None => Some(()),
            Some(b'\n') => {
                self.at += 1;
                Some(())
            }
            Some(b'\r') => self.literal(b"\r\n"),
            Some(_) => None,
        }
    }

    /// Blanks, comments and line ends, as allowed between array elements.
    fn skip_blank_lines(&mut self) -> Option<()> {
        loop {
            self.skip_blank();
            match self.peek() {
                Some(b'\n' | b'\r' | b'#') => self.end_of_line()?,
                _ => return Some(()),
            }
        }
    }

    fn bare_key(&mut self) -> Option<&'a str> {
        let start = self.at;
        while matches!(
            self.peek(),
            Some(b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-')
        ) {
            self.at += 1;
        }
        (self.at > start).then(|| &self.text[start..self.at])
    }

    /// A one-line basic string: where it starts (its opening quote) and its value.
    fn string(&mut self) -> Option<Value<'a>> {
        let start = self.at;
        self.literal(b"\"")?;
        if self.peek() == Some(b'"') && self.text.as_bytes().get(self.at + 1) == Some(&b'"') {
            return None; // a multi-line string
        }
        let mut value: Option<String> = None;
        let mut run = self.at;
        loop {
            let b = self.peek()?;
            match b {
                b'"' => {
                    let tail = &self.text[run..self.at];
                    self.at += 1;
                    let value = match value {
                        None => Cow::Borrowed(tail),
                        Some(mut v) => {
                            v.push_str(tail);
                            Cow::Owned(v)
                        }
                    };
                    return Some((start, value));
                }
                b'\\' => {
                    let v = value.get_or_insert_with(String::new);
                    v.push_str(&self.text[run..self.at]);
                    self.at += 1;
                    v.push(self.escape()?);
                    run = self.at;
                }
                _ if is_control(b) => return None,
                _ => self.at += 1,
            }
        }
    }

    /// The character of the escape after a backslash (TOML 1.0 escapes only).
    fn escape(&mut self) -> Option<char> {
        let b = self.peek()?;
        self.at += 1;
        let hex = |p: &mut Self, n: usize| {
            let digits = p.text.get(p.at..p.at + n)?;
            if !digits.bytes().all(|d| d.is_ascii_hexdigit()) {
                return None;
            }
            p.at += n;
            char::from_u32(u32::from_str_radix(digits, 16).ok()?)
        };
        match b {
            b'b' => Some('\u{8}'),
            b't' => Some('\t'),
            b'n' => Some('\n'),
            b'f' => Some('\u{c}'),
            b'r' => Some('\r'),
            b'"' => Some('"'),
            b'\\' => Some('\\'),
            b'u' => hex(self, 4),
            b'U' => hex(self, 8),
            _ => None,
        }
    }

    /// `[ element, … ]` over any number of lines, with an optional trailing comma.
    fn array<T>(&mut self, mut element: impl FnMut(&mut Self) -> Option<T>) -> Option<ThinVec<T>> {
        self.literal(b"[")?;
        let mut items = ThinVec::new();
        loop {
            self.skip_blank_lines()?;
            if self.literal(b"]").is_some() {
                return Some(items);
            }
            items.push(element(self)?);
            self.skip_blank_lines()?;
            if self.literal(b",").is_none() {
                self.skip_blank_lines()?;
                return self.literal(b"]").map(|()| items);
            }
        }
    }

    /// `{ key = "value", … }` on one line with string values of the given keys, each at most
    /// once.
    fn inline_table<const N: usize>(&mut self, keys: [&str; N]) -> Option<[Option<Value<'a>>; N]> {
        self.literal(b"{")?;
        let mut values = [const { None }; N];
        self.skip_blank();
        if self.literal(b"}").is_some() {
            return Some(values);
        }
        loop {
            let key = self.bare_key()?;
            let slot = keys.iter().position(|k| *k == key)?;
            self.skip_blank();
            self.literal(b"=")?;
            self.skip_blank();
            let value = self.string()?;
            once(&mut values[slot], value)?;
            self.skip_blank();
            if self.literal(b"}").is_some() {
                return Some(values);
            }
            self.literal(b",")?;
            self.skip_blank();
        }
    }
}

/// Characters TOML does not allow raw in strings and comments (tab is allowed).
fn is_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f
}

#[cfg(test)]
#[path = "native_fast_tests.rs"]
mod tests;
