//! A first look at a decoded file: TOML, CSV (with its headers) or JSON (with the keys of its
//! first object). Formats decide from this whether a file is theirs.

use crate::inventory::csv_table::Table;
use crate::inventory::detect::{self, Format as Detected};
use crate::inventory::headers::normalise_header;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

/// What the file looks like.
#[derive(Debug)]
pub(crate) struct Probe<'t> {
    /// The decoded text.
    pub text: &'t str,
    /// Its shape.
    pub shape: Shape,
}

/// The broad shape of a file.
#[derive(Debug)]
pub(crate) enum Shape {
    /// TOML.
    Toml,
    /// A delimited table.
    Csv(CsvHead),
    /// JSON.
    Json(JsonHead),
    /// Nothing recognisable.
    Unknown,
    /// A table refused outright (a row over a size limit): no format may read it.
    Refused(crate::error::InputError),
}

/// The header row of a CSV.
#[derive(Debug, Clone)]
pub(crate) struct CsvHead {
    /// Separator.
    pub sep: u8,
    /// Header cells as written (trimmed, BOM removed).
    pub headers: Vec<String>,
    /// Header cells normalised for matching (see `normalise_header`).
    pub keys: Vec<String>,
    /// 1-based line of the header row.
    pub line: usize,
    /// Columns found by [`CsvHead::find`]: the ones the reading format maps.
    looked_up: RefCell<BTreeSet<usize>>,
}

impl CsvHead {
    /// True when a header matches (normalised) `name`.
    pub fn has(&self, name: &str) -> bool {
        let k = normalise_header(name);
        self.keys.contains(&k)
    }

    /// True when every name is a header.
    pub fn has_all(&self, names: &[&str]) -> bool {
        names.iter().all(|n| self.has(n))
    }

    /// Position of the first header among `names`.
    pub fn find(&self, names: &[&str]) -> Option<usize> {
        let found = names.iter().find_map(|n| {
            let k = normalise_header(n);
            self.keys.iter().position(|x| *x == k)
        });
        if let Some(col) = found {
            self.looked_up.borrow_mut().insert(col);
        }
        found
    }

    /// The columns found by [`CsvHead::find`] since the last [`CsvHead::forget_lookups`].
    pub fn lookups(&self) -> Vec<usize> {
        self.looked_up.borrow().iter().copied().collect()
    }

    /// Forgets the columns found so far (those of formats that only matched).
    pub fn forget_lookups(&self) {
        self.looked_up.borrow_mut().clear();
    }
}

/// How a JSON file is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonForm {
    /// `[ {…}, … ]`.
    Array,
    /// One object `{ … }`.
    Object,
    /// One object per line.
    Lines,
}

/// The keys of a JSON file's first object.
#[derive(Debug, Clone)]
pub(crate) struct JsonHead {
    /// Layout.
    pub form: JsonForm,
    /// Keys of the first object (of the array, or the object itself, or the first line).
    pub keys: BTreeSet<String>,
}

impl JsonHead {
    /// True when every key is present.
    pub fn has_all(&self, keys: &[&str]) -> bool {
        keys.iter().all(|k| self.keys.contains(*k))
    }

    /// True when any key is present.
    pub fn has_any(&self, keys: &[&str]) -> bool {
        keys.iter().any(|k| self.keys.contains(*k))
    }
}

fn csv_shape(label: &str, text: &str) -> Shape {
    match Table::open(label, text) {
        Ok(t) => Shape::Csv(CsvHead {
            sep: t.sep,
            line: t.header_line,
            keys: t.headers.iter().map(|h| normalise_header(h)).collect(),
            headers: t.headers,
            looked_up: RefCell::default(),
        }),
        Err(e) if crate::inventory::csv_table::is_limit(&e) => Shape::Refused(e),
        Err(_) => Shape::Unknown,
    }
}

impl<'t> Probe<'t> {
    /// Looks at a decoded file.
    pub fn new(label: &str, text: &'t str) -> Probe<'t> {
        let shape = match detect::detect(text) {
            Detected::NativeToml => Shape::Toml,
            Detected::Json => json_head(text).map_or(Shape::Unknown, Shape::Json),
            Detected::Csv => csv_shape(label, text),
        };
        Probe { text, shape }
    }

    /// Looks at the table of a workbook sheet: a table whatever its first cell says (a
    /// header `#` or `[Name]` is not a comment or JSON there).
    pub fn table(label: &str, text: &'t str) -> Probe<'t> {
        Probe {
            text,
            shape: csv_shape(label, text),
        }
    }

    /// The CSV header, when the file is a CSV.
    pub fn csv(&self) -> Option<&CsvHead> {
        match &self.shape {
            Shape::Csv(h) => Some(h),
            _ => None,
        }
    }

    /// The JSON head, when the file is JSON.
    pub fn json(&self) -> Option<&JsonHead> {
        match &self.shape {
            Shape::Json(h) => Some(h),
            _ => None,
        }
    }
}

fn json_head(text: &str) -> Option<JsonHead> {
    let trimmed = text.trim_start();
    let (form, object) = if let Some(rest) = trimmed.strip_prefix('[') {
        (JsonForm::Array, first_object(rest)?)
    } else {
        let first_line = trimmed.lines().next().unwrap_or("");
        let more_lines = trimmed.lines().skip(1).any(|l| !l.trim().is_empty());
        match object_keys(first_line) {
            Some(_) if more_lines => (JsonForm::Lines, first_line),
            _ => (JsonForm::Object, first_object(trimmed)?),
        }
    };
    let keys = object_keys(object).unwrap_or_default();
    Some(JsonHead { form, keys })
}

/// The keys of the JSON object `text`, if it is one. The values are checked and skipped, not
/// built: the object can be a whole 10 MB export, whose tree would take fifty times that.
fn object_keys(text: &str) -> Option<BTreeSet<String>> {
    if !text.trim_start().starts_with('{') {
        return None;
    }
    let map = serde_json::from_str::<BTreeMap<String, serde::de::IgnoredAny>>(text).ok()?;
    Some(map.into_keys().collect())
}

/// The text of the first complete `{…}` object (strings and escapes respected).
pub(crate) fn first_object(text: &str) -> Option<&str> {
    let start = text.find('{')?;
    let bytes = text.as_bytes();
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, &b) in bytes.iter().enumerate().skip(start) {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&text[start..=i]);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_headers_are_read() {
        let p = Probe::new("x.csv", "\u{feff}Device Name;OS\nws1;Windows 11\n");
        let h = p.csv().unwrap();
        assert_eq!(h.sep, b';');
        assert!(h.has("device name"));
        assert!(h.has_all(&["DeviceName", "os"]));
        assert_eq!(h.find(&["hostname", "device_name"]), Some(0));
    }

    #[test]
    fn json_forms_and_keys() {
        let arr = Probe::new(
            "a",
            "[\n  {\"name\":\"x\",\"version\":\"1\"},\n  {\"name\":\"y\"}\n]\n",
        );
        let j = arr.json().unwrap();
        assert_eq!(j.form, JsonForm::Array);
        assert!(j.has_all(&["name", "version"]));
        let lines = Probe::new(
            "l",
            "{\"name\":\"p\",\"action\":\"added\"}\n{\"name\":\"q\"}\n",
        );
        assert_eq!(lines.json().unwrap().form, JsonForm::Lines);
        assert!(lines.json().unwrap().has_any(&["action"]));
        let obj = Probe::new("o", "{\n \"value\": [ {\"id\": \"a\"} ]\n}\n");
        assert_eq!(obj.json().unwrap().form, JsonForm::Object);
        assert!(obj.json().unwrap().has_all(&["value"]));
    }

    #[test]
    fn first_object_respects_strings() {
        assert_eq!(
            first_object(r#"x {"a":"}{\"","b":{"c":1}} y"#),
            Some(r#"{"a":"}{\"","b":{"c":1}}"#)
        );
        assert_eq!(first_object("{ unterminated"), None);
    }

    #[test]
    fn object_keys_skip_values_however_deep() {
        let deep = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        let text = format!(r#"{{"value":[{{"a":{deep}}}],"@odata.context":"x"}}"#);
        let keys = object_keys(&text).expect("an object");
        assert_eq!(
            keys.into_iter().collect::<Vec<_>>(),
            ["@odata.context", "value"]
        );
        assert_eq!(object_keys("[1]"), None);
        assert_eq!(object_keys(r#"{"a": }"#), None);
    }
}
