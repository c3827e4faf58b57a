//! Values: scalars, lists and inline tables (the right of `=`).

use super::table::{BareText, KeyText, Keyed, Mode};
use super::{BARE, Error, Escape, LINES, LINES_UNLESS_ONE, unsupported, write_string};
use serde::ser::{self, Impossible, Serialize};
use std::fmt::{Display, Write};

/// How a sequence is laid out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum SeqStyle {
    /// `[a, b]`
    Inline,
    /// `[\n  a,\n  b,\n]`
    Lines,
    /// `[ a ]` for one element, else as `Lines`.
    LinesUnlessOne,
}

/// One value (the right of `=`, an element of a list).
pub(super) struct Value<'a, W: Write> {
    pub(super) out: &'a mut W,
    pub(super) escape: Escape,
    /// Layout of the sequence this value is (when it is one).
    pub(super) seq: SeqStyle,
    /// Ends a `key = value` line.
    pub(super) newline: bool,
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
pub(super) struct SeqOut<'a, W: Write> {
    pub(super) out: &'a mut W,
    pub(super) escape: Escape,
    /// One element per line (`Some(true)`), all on one (`Some(false)`), or the single element
    /// spaced (`None`: `[ a ]`).
    pub(super) lines: Option<bool>,
    pub(super) first: bool,
    pub(super) newline: bool,
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
pub(super) struct InlineTable<'a, W: Write> {
    pub(super) out: &'a mut W,
    pub(super) escape: Escape,
    pub(super) first: bool,
    pub(super) newline: bool,
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
pub(super) struct MapOut<'a, W: Write> {
    pub(super) out: &'a mut W,
    pub(super) escape: Escape,
    pub(super) table: Option<String>,
    /// The current entry's key, quoted.
    pub(super) key: String,
    pub(super) first: bool,
    /// A sub-table of this sub-table is open.
    pub(super) sub: bool,
    pub(super) newline: bool,
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
