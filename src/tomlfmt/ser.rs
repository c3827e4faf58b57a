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

use serde::ser::{self, Impossible, Serialize};
use std::fmt::{self, Display, Write};

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

/// A table's body: a struct whose fields become lines.
struct Fields<'a, W: Write> {
    out: &'a mut W,
    escape: Escape,
    path: &'a str,
}

impl<'a, W: Write> ser::Serializer for Fields<'a, W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = FieldLines<'a, W>;
    refuse_rest!("a table that is not a struct");
    refuse_values!("a table that is not a struct"; serialize_bool(bool), serialize_i8(i8),
        serialize_i16(i16), serialize_i32(i32), serialize_i64(i64), serialize_u8(u8),
        serialize_u16(u16), serialize_u32(u32), serialize_u64(u64), serialize_f32(f32),
        serialize_f64(f64), serialize_char(char), serialize_str(&str), serialize_none(),
        serialize_unit_variant(&'static str, u32, &'static str));

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(unsupported("a table that is not a struct"))
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<FieldLines<'a, W>, Error> {
        Ok(FieldLines {
            out: self.out,
            escape: self.escape,
            path: self.path,
            sub: false,
        })
    }
}

/// The fields of one table being written.
struct FieldLines<'a, W: Write> {
    out: &'a mut W,
    escape: Escape,
    path: &'a str,
    /// A sub-table has been opened: every later key would belong to it.
    sub: bool,
}

impl<W: Write> ser::SerializeStruct for FieldLines<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(Keyed {
            out: &mut *self.out,
            escape: self.escape,
            key,
            mode: Mode::Line {
                path: self.path,
                sub: &mut self.sub,
            },
        })
    }

    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

/// Where a keyed value goes.
enum Mode<'a> {
    /// A `key = value` line of the table at `path`; `sub` is set once a sub-table is open.
    Line { path: &'a str, sub: &'a mut bool },
    /// A field of an inline table; `first` until one is written.
    Inline { first: &'a mut bool },
}

/// One `key = value`, its key written only once a value turns out to be there (`None` is left
/// out).
struct Keyed<'a, W: Write> {
    out: &'a mut W,
    escape: Escape,
    /// The key as written (a bare field name, or a quoted map key).
    key: &'a str,
    mode: Mode<'a>,
}

impl<'a, W: Write> Keyed<'a, W> {
    /// Writes what comes before the value and hands back the value's serializer.
    fn begin(self) -> Result<Value<'a, W>, Error> {
        let newline = match self.mode {
            Mode::Line { sub, .. } if *sub => {
                return Err(Error(format!(
                    "`{}` follows a sub-table: map fields must come last",
                    self.key
                )));
            }
            Mode::Line { .. } => true,
            Mode::Inline { first } => {
                self.out.write_str(if *first { "{ " } else { ", " })?;
                *first = false;
                false
            }
        };
        self.out.write_str(self.key)?;
        self.out.write_str(" = ")?;
        Ok(Value {
            out: self.out,
            escape: self.escape,
            seq: SeqStyle::Inline,
            newline,
        })
    }
}

macro_rules! forward {
    ($($name:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {
        $(fn $name(self, $($arg: $ty),*) -> Result<(), Error> {
            self.begin()?.$name($($arg),*)
        })*
    };
}

impl<'a, W: Write> ser::Serializer for Keyed<'a, W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = SeqOut<'a, W>;
    type SerializeTuple = SeqOut<'a, W>;
    type SerializeMap = MapOut<'a, W>;
    type SerializeStruct = InlineTable<'a, W>;
    refuse_rest!("a value that is no string, number, flag, list or table");
    forward!(serialize_bool(v: bool), serialize_i8(v: i8), serialize_i16(v: i16),
        serialize_i32(v: i32), serialize_i64(v: i64), serialize_u8(v: u8), serialize_u16(v: u16),
        serialize_u32(v: u32), serialize_u64(v: u64), serialize_f32(v: f32),
        serialize_f64(v: f64), serialize_char(v: char), serialize_str(v: &str),
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str));

    fn serialize_none(self) -> Result<(), Error> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        match name {
            BARE | LINES | LINES_UNLESS_ONE => self.begin()?.serialize_newtype_struct(name, value),
            _ => value.serialize(self),
        }
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<SeqOut<'a, W>, Error> {
        self.begin()?.serialize_seq(len)
    }

    fn serialize_tuple(self, len: usize) -> Result<SeqOut<'a, W>, Error> {
        self.begin()?.serialize_tuple(len)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<MapOut<'a, W>, Error> {
        let Mode::Line { path, sub } = self.mode else {
            return Keyed { ..self }.begin()?.serialize_map(len);
        };
        if *sub {
            return Err(Error(format!(
                "`{}` follows a sub-table: map fields must come last",
                self.key
            )));
        }
        *sub = true;
        let table = match path {
            "" => self.key.to_string(),
            p => format!("{p}.{}", self.key),
        };
        self.out.write_str("\n[")?;
        self.out.write_str(&table)?;
        self.out.write_str("]\n")?;
        Ok(MapOut {
            out: self.out,
            escape: self.escape,
            table: Some(table),
            key: String::new(),
            first: true,
            sub: false,
            newline: false,
        })
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<InlineTable<'a, W>, Error> {
        self.begin()?.serialize_struct(name, len)
    }
}

/// How a sequence is laid out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SeqStyle {
    /// `[a, b]`
    Inline,
    /// `[\n  a,\n  b,\n]`
    Lines,
    /// `[ a ]` for one element, else as `Lines`.
    LinesUnlessOne,
}

/// One value (the right of `=`, an element of a list).
struct Value<'a, W: Write> {
    out: &'a mut W,
    escape: Escape,
    /// Layout of the sequence this value is (when it is one).
    seq: SeqStyle,
    /// Ends a `key = value` line.
    newline: bool,
}

impl<W: Write> Value<'_, W> {
    fn done(self) -> Result<(), Error> {
        if self.newline {
            self.out.write_char('\n')?;
        }
        Ok(())
    }

    fn display(self, v: impl Display) -> Result<(), Error> {
        write!(self.out, "{v}")?;
        self.done()
    }

    fn nested(out: &mut W, escape: Escape) -> Value<'_, W> {
        Value {
            out,
            escape,
            seq: SeqStyle::Inline,
            newline: false,
        }
    }
}

impl<'a, W: Write> ser::Serializer for Value<'a, W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = SeqOut<'a, W>;
    type SerializeTuple = SeqOut<'a, W>;
    type SerializeMap = MapOut<'a, W>;
    type SerializeStruct = InlineTable<'a, W>;
    refuse_rest!("a value that is no string, number, flag, list or table");

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        match v {
            v if v.is_nan() => self.display("nan"),
            v if v.is_infinite() => self.display(if v > 0.0 { "inf" } else { "-inf" }),
            // `{:?}` keeps the `.0` that makes `1.0` a TOML float.
            v => self.display(format_args!("{v:?}")),
        }
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_string(self.out, v, self.escape)?;
        self.done()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, v: &'static str) -> Result<(), Error> {
        self.serialize_str(v)
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(unsupported("an absent value in a list"))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        match name {
            BARE => {
                value.serialize(BareText(&mut *self.out))?;
                self.done()
            }
            LINES => value.serialize(Value {
                seq: SeqStyle::Lines,
                ..self
            }),
            LINES_UNLESS_ONE => value.serialize(Value {
                seq: SeqStyle::LinesUnlessOne,
                ..self
            }),
            _ => value.serialize(self),
        }
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<SeqOut<'a, W>, Error> {
        let style = match self.seq {
            SeqStyle::LinesUnlessOne if len == Some(1) => None,
            SeqStyle::LinesUnlessOne | SeqStyle::Lines => Some(true),
            SeqStyle::Inline => Some(false),
        };
        self.out.write_str(match style {
            None => "[ ",
            Some(true) => "[\n",
            Some(false) => "[",
        })?;
        Ok(SeqOut {
            out: self.out,
            escape: self.escape,
            lines: style,
            first: true,
            newline: self.newline,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<SeqOut<'a, W>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<MapOut<'a, W>, Error> {
        Ok(MapOut {
            out: self.out,
            escape: self.escape,
            table: None,
            key: String::new(),
            first: true,
            sub: false,
            newline: self.newline,
        })
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<InlineTable<'a, W>, Error> {
        Ok(InlineTable {
            out: self.out,
            escape: self.escape,
            first: true,
            newline: self.newline,
        })
    }
}

/// A list being written.
struct SeqOut<'a, W: Write> {
    out: &'a mut W,
    escape: Escape,
    /// One element per line (`Some(true)`), all on one (`Some(false)`), or the single element
    /// spaced (`None`: `[ a ]`).
    lines: Option<bool>,
    first: bool,
    newline: bool,
}

impl<W: Write> ser::SerializeSeq for SeqOut<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        match self.lines {
            Some(true) => self.out.write_str("  ")?,
            Some(false) if !self.first => self.out.write_str(", ")?,
            _ => {}
        }
        self.first = false;
        value.serialize(Value::nested(&mut *self.out, self.escape))?;
        if self.lines == Some(true) {
            self.out.write_str(",\n")?;
        }
        Ok(())
    }

    fn end(self) -> Result<(), Error> {
        self.out
            .write_str(if self.lines.is_none() { " ]" } else { "]" })?;
        if self.newline {
            self.out.write_char('\n')?;
        }
        Ok(())
    }
}

impl<W: Write> ser::SerializeTuple for SeqOut<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

/// A struct written as an inline table.
struct InlineTable<'a, W: Write> {
    out: &'a mut W,
    escape: Escape,
    first: bool,
    newline: bool,
}

impl<W: Write> ser::SerializeStruct for InlineTable<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(Keyed {
            out: &mut *self.out,
            escape: self.escape,
            key,
            mode: Mode::Inline {
                first: &mut self.first,
            },
        })
    }

    fn end(self) -> Result<(), Error> {
        self.out.write_str(if self.first { "{}" } else { " }" })?;
        if self.newline {
            self.out.write_char('\n')?;
        }
        Ok(())
    }
}

/// A map written as a sub-table (`table` is its path) or an inline table, keys quoted.
struct MapOut<'a, W: Write> {
    out: &'a mut W,
    escape: Escape,
    table: Option<String>,
    /// The current entry's key, quoted.
    key: String,
    first: bool,
    /// A sub-table of this sub-table is open.
    sub: bool,
    newline: bool,
}

impl<W: Write> ser::SerializeMap for MapOut<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key.clear();
        key.serialize(KeyText(&mut self.key, self.escape))
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let mode = match &self.table {
            Some(path) => Mode::Line {
                path,
                sub: &mut self.sub,
            },
            None => Mode::Inline {
                first: &mut self.first,
            },
        };
        value.serialize(Keyed {
            out: &mut *self.out,
            escape: self.escape,
            key: &self.key,
            mode,
        })
    }

    fn end(self) -> Result<(), Error> {
        if self.table.is_none() {
            self.out.write_str(if self.first { "{}" } else { " }" })?;
            if self.newline {
                self.out.write_char('\n')?;
            }
        }
        Ok(())
    }
}

/// A map key: a string, written quoted.
struct KeyText<'a>(&'a mut String, Escape);

impl ser::Serializer for KeyText<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    refuse_rest!("a map key that is not a string");
    refuse_values!("a map key that is not a string"; serialize_bool(bool), serialize_i8(i8),
        serialize_i16(i16), serialize_i32(i32), serialize_i64(i64), serialize_u8(u8),
        serialize_u16(u16), serialize_u32(u32), serialize_u64(u64), serialize_f32(f32),
        serialize_f64(f64), serialize_char(char), serialize_none());

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        Ok(write_string(self.0, v, self.1)?)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, v: &'static str) -> Result<(), Error> {
        self.serialize_str(v)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(unsupported("a map key that is not a string"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(unsupported("a map key that is not a string"))
    }
}

/// A [`bare`] value: its text as it is.
struct BareText<'a, W: Write>(&'a mut W);

impl<W: Write> ser::Serializer for BareText<'_, W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    refuse_rest!("a bare value that is not text");
    refuse_values!("a bare value that is not text"; serialize_bool(bool), serialize_i8(i8),
        serialize_i16(i16), serialize_i32(i32), serialize_i64(i64), serialize_u8(u8),
        serialize_u16(u16), serialize_u32(u32), serialize_u64(u64), serialize_f32(f32),
        serialize_f64(f64), serialize_char(char), serialize_none(),
        serialize_unit_variant(&'static str, u32, &'static str));

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        Ok(self.0.write_str(v)?)
    }
    fn collect_str<T: Display + ?Sized>(self, v: &T) -> Result<(), Error> {
        Ok(write!(self.0, "{v}")?)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(unsupported("a bare value that is not text"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(unsupported("a bare value that is not text"))
    }
}
