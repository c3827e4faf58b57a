//! A serde `Serializer` that writes structs as canonical TOML, streaming into any
//! [`std::fmt::Write`]: the plan and inventory files are written from the structs they are read
//! into, in field order, with their serde attributes (`rename`, `skip_serializing_if`, enums by
//! their serde names).
//!
//! Layout: a table's fields are `key = value` lines; a struct value is an inline table
//! (`{ a = 1, b = "x" }`, `{}` when every field is left out); a map value is a sub-table
//! (`[parent.key]` with quoted keys), which must be among the table's last fields; a `None` is
//! left out; a sequence is `[a, b]`, or one element per line when marked with [`lines`] or
//! [`lines_unless_one`]. Values marked with [`bare`] are written unquoted (TOML dates and times
//! through their `Display`). Nothing is buffered: a million assets are written as they come.

use serde::ser::{self, Serialize};
use std::fmt::{self, Display, Write};

/// Refuses the serde data model's parts that no file here uses.
macro_rules! refuse_rest {
    ($what:expr) => {
        type SerializeTupleStruct = Impossible<(), Error>;
        type SerializeTupleVariant = Impossible<(), Error>;
        type SerializeStructVariant = Impossible<(), Error>;
        fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
            Err(unsupported($what))
        }
        fn serialize_unit(self) -> Result<(), Error> {
            Err(unsupported($what))
        }
        fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
            Err(unsupported($what))
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<(), Error> {
            Err(unsupported($what))
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, Error> {
            Err(unsupported($what))
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Error> {
            Err(unsupported($what))
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Error> {
            Err(unsupported($what))
        }
    };
}

/// Refuses every scalar and sequence (for serializers that take one shape only).
macro_rules! refuse_values {
    ($what:expr; $($name:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $name(self, $(_: $arg),*) -> Result<Self::Ok, Error> {
            Err(unsupported($what))
        })*
        fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<Self::Ok, Error> {
            Err(unsupported($what))
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
            Err(unsupported($what))
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
            Err(unsupported($what))
        }
    };
}

mod table;
mod value;

use table::{Fields, Keyed, Mode};

/// Marks a value written through its `Display` without quotes.
const BARE: &str = "$tomlfmt::bare";
/// Marks a sequence written one element per line.
const LINES: &str = "$tomlfmt::lines";
/// Marks a sequence written on one line when it has one element, else one per line.
const LINES_UNLESS_ONE: &str = "$tomlfmt::lines_unless_one";

/// How strings are escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    /// Quotes, backslashes, `\n`, `\t`, `\r` and other control characters (`\uXXXX`): the plan.
    Plain,
    /// As [`Escape::Plain`], plus `\b`, `\f` and the bidirectional controls as `\uXXXX`, so that
    /// a file shows them visibly (the native inventory).
    Visible,
}

/// Why a value could not be written: the output failed, or the value has no layout here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

impl From<fmt::Error> for Error {
    fn from(_: fmt::Error) -> Self {
        Error("the output could not be written".into())
    }
}

fn unsupported(what: &str) -> Error {
    Error(format!("{what} has no TOML layout here"))
}

/// Serialises `value` through its `Display`: bare with this serializer (a TOML date or time),
/// a string with any other. For `#[serde(serialize_with = "...")]`.
pub fn bare<T: Display, S: ser::Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_newtype_struct(BARE, &Displayed(value))
}

/// [`bare`] of an optional value (`None` is left out).
pub fn bare_opt<T: Display, S: ser::Serializer>(
    value: &Option<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => s.serialize_some(&Bare(v)),
        None => s.serialize_none(),
    }
}

/// A sequence written one element per line (`[\n  a,\n  b,\n]`) by this serializer.
pub fn lines<T: Serialize, S: ser::Serializer>(items: &[T], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_newtype_struct(LINES, items)
}

/// A sequence written `[ a ]` when it has one element, else one element per line.
pub fn lines_unless_one<T: Serialize, S: ser::Serializer>(
    items: &[T],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_newtype_struct(LINES_UNLESS_ONE, items)
}

/// For `skip_serializing_if`: a `false` flag is left out.
pub fn is_false(flag: &bool) -> bool {
    !*flag
}

struct Displayed<'a, T>(&'a T);

impl<T: Display> Serialize for Displayed<'_, T> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self.0)
    }
}

struct Bare<'a, T>(&'a T);

impl<T: Display> Serialize for Bare<'_, T> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        bare(self.0, s)
    }
}

/// Writes `value` as a TOML basic string.
pub fn write_string(out: &mut (impl Write + ?Sized), value: &str, escape: Escape) -> fmt::Result {
    out.write_char('"')?;
    let mut run = 0;
    for (i, c) in value.char_indices() {
        let short = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\t' => "\\t",
            '\r' => "\\r",
            '\u{8}' if escape == Escape::Visible => "\\b",
            '\u{c}' if escape == Escape::Visible => "\\f",
            c if c.is_control() || (escape == Escape::Visible && is_bidi(c)) => "",
            _ => continue,
        };
        out.write_str(&value[run..i])?;
        if short.is_empty() {
            write!(out, "\\u{:04X}", u32::from(c))?;
        } else {
            out.write_str(short)?;
        }
        run = i + c.len_utf8();
    }
    out.write_str(&value[run..])?;
    out.write_char('"')
}

/// Bidirectional overrides, isolates and marks: they reorder what a reader sees.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Writes TOML into `out`: top-level keys, then tables, each from a serialisable struct.
pub struct Writer<'w, W: Write> {
    out: &'w mut W,
    escape: Escape,
    /// Nothing written yet (no blank line before the first table header).
    at_start: bool,
}

impl<'w, W: Write> Writer<'w, W> {
    /// A writer escaping strings with `escape`.
    pub fn new(out: &'w mut W, escape: Escape) -> Self {
        Writer {
            out,
            escape,
            at_start: true,
        }
    }

    /// A top-level `key = value` line (before any table).
    pub fn key<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        self.at_start = false;
        let mut sub = false;
        value.serialize(Keyed {
            out: &mut *self.out,
            escape: self.escape,
            key,
            mode: Mode::Line {
                path: "",
                sub: &mut sub,
            },
        })
    }

    /// `[name]` and the struct's fields.
    pub fn table<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        self.header("[", name, "]")?;
        self.fields(name, value)
    }

    /// `[[name]]` and the struct's fields: one element of an array of tables.
    pub fn array_table<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error> {
        self.header("[[", name, "]]")?;
        self.fields(name, value)
    }

    /// A line of text as it is (a comment).
    pub fn line(&mut self, text: &str) -> Result<(), Error> {
        self.at_start = false;
        self.out.write_str(text)?;
        Ok(self.out.write_char('\n')?)
    }

    fn header(&mut self, open: &str, name: &str, close: &str) -> Result<(), Error> {
        if !self.at_start {
            self.out.write_char('\n')?;
        }
        self.at_start = false;
        self.out.write_str(open)?;
        self.out.write_str(name)?;
        self.out.write_str(close)?;
        Ok(self.out.write_char('\n')?)
    }

    fn fields<T: Serialize + ?Sized>(&mut self, path: &str, value: &T) -> Result<(), Error> {
        value.serialize(Fields {
            out: &mut *self.out,
            escape: self.escape,
            path,
        })
    }
}

#[cfg(test)]
mod tests;
