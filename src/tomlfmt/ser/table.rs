//! Tables and keys: a struct's fields as lines, one `key = value`, map keys and bare text.

use super::value::{InlineTable, MapOut, SeqOut, SeqStyle, Value};
use super::{BARE, Error, Escape, LINES, LINES_UNLESS_ONE, unsupported, write_string};
use serde::ser::{self, Impossible, Serialize};
use std::fmt::{Display, Write};

/// A table's body: a struct whose fields become lines.
pub(super) struct Fields<'a, W: Write> {
    pub(super) out: &'a mut W,
    pub(super) escape: Escape,
    pub(super) path: &'a str,
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
pub(super) struct FieldLines<'a, W: Write> {
    pub(super) out: &'a mut W,
    pub(super) escape: Escape,
    pub(super) path: &'a str,
    /// A sub-table has been opened: every later key would belong to it.
    pub(super) sub: bool,
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
pub(super) enum Mode<'a> {
    /// A `key = value` line of the table at `path`; `sub` is set once a sub-table is open.
    Line { path: &'a str, sub: &'a mut bool },
    /// A field of an inline table; `first` until one is written.
    Inline { first: &'a mut bool },
}

/// One `key = value`, its key written only once a value turns out to be there (`None` is left
/// out).
pub(super) struct Keyed<'a, W: Write> {
    pub(super) out: &'a mut W,
    pub(super) escape: Escape,
    /// The key as written (a bare field name, or a quoted map key).
    pub(super) key: &'a str,
    pub(super) mode: Mode<'a>,
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

/// A map key: a string, written quoted.
pub(super) struct KeyText<'a>(pub(super) &'a mut String, pub(super) Escape);

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
pub(super) struct BareText<'a, W: Write>(pub(super) &'a mut W);

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
