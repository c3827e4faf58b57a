//! A fast reader for the plain TOML that native inventories are written in: `[[asset]]`
//! headers, bare keys, basic strings, and arrays of strings or one-line inline tables.
//!
//! It gives exactly what the `toml` crate gives for such text (values and spans) at several
//! times the speed, and `None` as soon as the text uses anything else (other strings, dotted
//! keys, TOML 1.1 forms, a repeated or unknown key, a control character) — the `toml` crate
//! then reads the batch with its own messages. It never accepts what the crate refuses.

use super::native::{AssetDto, FileDto, RelationDto, SoftwareDto};
use std::ops::Range;
use toml::Spanned;

/// Parses one batch; `None` when it is not in the plain subset.
pub(super) fn parse(text: &str) -> Option<FileDto> {
    let mut p = Cursor { text, at: 0 };
    let mut assets = Vec::new();
    let mut current: Option<(Range<usize>, Fields)> = None;
    loop {
        p.skip_blank();
        let Some(b) = p.peek() else { break };
        match b {
            b'\n' | b'\r' | b'#' => p.end_of_line()?,
            b'[' => {
                let start = p.at;
                p.literal(b"[[asset]]")?;
                let header = start..p.at;
                p.end_of_line()?;
                if let Some((span, fields)) = current.replace((header, Fields::default())) {
                    assets.push(Spanned::new(span, fields.finish()?));
                }
            }
            _ => {
                let (_, fields) = current.as_mut()?;
                let key = p.bare_key()?;
                p.skip_blank();
                p.literal(b"=")?;
                p.skip_blank();
                fields.set(key, &mut p)?;
                p.end_of_line()?;
            }
        }
    }
    if let Some((span, fields)) = current {
        assets.push(Spanned::new(span, fields.finish()?));
    }
    Some(FileDto {
        asset: (!assets.is_empty()).then_some(assets),
    })
}

/// The keys of one `[[asset]]` table as they are read.
#[derive(Default)]
struct Fields {
    id: Option<Spanned<String>>,
    name: Option<String>,
    kind: Option<Spanned<String>>,
    os: Option<String>,
    site: Option<String>,
    owner: Option<String>,
    criticality: Option<Spanned<String>>,
    tags: Option<Vec<String>>,
    software: Option<Vec<SoftwareDto>>,
    depends_on: Option<Vec<RelationDto>>,
}

impl Fields {
    /// Reads the value of `key`; `None` for an unknown or repeated key or an unexpected value.
    fn set(&mut self, key: &str, p: &mut Cursor) -> Option<()> {
        match key {
            "id" => once(&mut self.id, p.string()?),
            "name" => once(&mut self.name, p.string()?.into_inner()),
            "kind" => once(&mut self.kind, p.string()?),
            "os" => once(&mut self.os, p.string()?.into_inner()),
            "site" => once(&mut self.site, p.string()?.into_inner()),
            "owner" => once(&mut self.owner, p.string()?.into_inner()),
            "criticality" => once(&mut self.criticality, p.string()?),
            "tags" => {
                let tags = p.array(|p| Some(p.string()?.into_inner()))?;
                once(&mut self.tags, tags)
            }
            "software" => {
                let software = p.array(|p| {
                    let [name, version, publisher] =
                        p.inline_table(["name", "version", "publisher"])?;
                    Some(SoftwareDto {
                        name: name?,
                        version: version.map(Spanned::into_inner),
                        publisher: publisher.map(Spanned::into_inner),
                    })
                })?;
                once(&mut self.software, software)
            }
            "depends_on" => {
                let relations = p.array(|p| {
                    let [id, kind] = p.inline_table(["id", "kind"])?;
                    Some(RelationDto { id: id?, kind })
                })?;
                once(&mut self.depends_on, relations)
            }
            _ => None,
        }
    }

    fn finish(self) -> Option<AssetDto> {
        Some(AssetDto {
            id: self.id?,
            name: self.name,
            kind: self.kind,
            os: self.os,
            site: self.site,
            owner: self.owner,
            criticality: self.criticality,
            tags: self.tags.unwrap_or_default(),
            software: self.software.unwrap_or_default(),
            depends_on: self.depends_on.unwrap_or_default(),
        })
    }
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

    /// A one-line basic string; its span includes the quotes.
    fn string(&mut self) -> Option<Spanned<String>> {
        let start = self.at;
        self.literal(b"\"")?;
        if self.peek() == Some(b'"') && self.text.as_bytes().get(self.at + 1) == Some(&b'"') {
            return None; // a multi-line string
        }
        let mut value = String::new();
        let mut run = self.at;
        loop {
            let b = self.peek()?;
            match b {
                b'"' => {
                    value.push_str(&self.text[run..self.at]);
                    self.at += 1;
                    return Some(Spanned::new(start..self.at, value));
                }
                b'\\' => {
                    value.push_str(&self.text[run..self.at]);
                    self.at += 1;
                    value.push(self.escape()?);
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
    fn array<T>(&mut self, mut element: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        self.literal(b"[")?;
        let mut items = Vec::new();
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
    fn inline_table<const N: usize>(
        &mut self,
        keys: [&str; N],
    ) -> Option<[Option<Spanned<String>>; N]> {
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
