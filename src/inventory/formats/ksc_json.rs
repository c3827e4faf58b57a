//! Walking the objects of a JSON file with the line each starts on, for the API exports (KSC
//! Open API, Defender API) whose envelopes vary: `{"value":[…]}` pages, concatenated pages,
//! JSON lines, `{"PxgRetVal":{"KLEVP_EA_PARAM_1":[{"type":"params","value":{…}}]}}`. Readers
//! look at every object and pick those with the keys they know; KSC's typed scalars
//! (`{"type":"long","value":5}`) read as their value.

use crate::error::{InputError, Location};
use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// The fields of one object, unparsed.
pub(crate) type Fields<'t> = BTreeMap<String, &'t RawValue>;

/// Calls `visit` for every object of `text` (one or several JSON values, e.g. JSON lines or
/// concatenated pages) in document order, with the 1-based line where the object starts.
/// `visit` returns true to walk into the object's values. Fails on malformed JSON, naming
/// the line and column.
pub(crate) fn walk<'t>(
    label: &str,
    text: &'t str,
    visit: &mut dyn FnMut(usize, &Fields<'t>) -> Result<bool, InputError>,
) -> Result<(), InputError> {
    let lines = LineIndex::new(text);
    let stream = serde_json::Deserializer::from_str(text).into_iter::<&'t RawValue>();
    for value in stream {
        let raw = value.map_err(|e| {
            let at = Location::at(label, e.line(), e.column());
            InputError::new(at, format!("malformed JSON: {e}"))
        })?;
        descend(text, &lines, raw, visit)?;
    }
    Ok(())
}

fn descend<'t>(
    text: &'t str,
    lines: &LineIndex,
    raw: &'t RawValue,
    visit: &mut dyn FnMut(usize, &Fields<'t>) -> Result<bool, InputError>,
) -> Result<(), InputError> {
    let json = raw.get();
    let mut children: Vec<&'t RawValue> = match json.as_bytes().first() {
        Some(b'{') => {
            let Ok(fields) = serde_json::from_str::<Fields<'t>>(json) else {
                return Ok(());
            };
            let offset = json.as_ptr() as usize - text.as_ptr() as usize;
            if !visit(lines.line_of(offset), &fields)? {
                return Ok(());
            }
            fields.into_values().collect()
        }
        Some(b'[') => serde_json::from_str::<Vec<&'t RawValue>>(json).unwrap_or_default(),
        _ => return Ok(()),
    };
    // Objects keep their keys sorted; walk their values in document order.
    children.sort_by_key(|r| r.get().as_ptr() as usize);
    for child in children {
        descend(text, lines, child, visit)?;
    }
    Ok(())
}

/// Line starts of a text, to turn byte offsets into 1-based lines.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

/// The value of a field as text: strings as they are, numbers and booleans written out,
/// KSC typed scalars (`{"type":"…","value":…}`) by their value; None when absent, null, empty
/// or not a scalar.
pub(crate) fn text(fields: &Fields<'_>, key: &str) -> Option<String> {
    let raw = fields.get(key)?;
    let value: Value = serde_json::from_str(raw.get()).ok()?;
    scalar(&value)
}

fn scalar(value: &Value) -> Option<String> {
    let s = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Object(map) if map.contains_key("type") => return scalar(map.get("value")?),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// The first of `keys` that has a value.
pub(crate) fn first_text(fields: &Fields<'_>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| text(fields, k))
}

/// A field holding an array of strings (`machineTags`), else nothing.
pub(crate) fn strings(fields: &Fields<'_>, key: &str) -> Vec<String> {
    fields
        .get(key)
        .and_then(|raw| serde_json::from_str::<Vec<Value>>(raw.get()).ok())
        .map(|list| list.iter().filter_map(scalar).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_come_in_document_order_with_their_lines() {
        let json = "{\"value\":[\n {\"b\":1,\"a\":{\"type\":\"long\",\"value\":5}},\n {\"b\":\"x\"}\n]}\n\
{\"value\":[{\"b\":true}]}\n";
        let mut seen = Vec::new();
        walk("f", json, &mut |line, fields| {
            seen.push((line, text(fields, "b"), text(fields, "a")));
            Ok(true)
        })
        .expect("walks");
        // The envelope, its first item, the typed scalar object, the second item, …
        let items: Vec<_> = seen
            .iter()
            .filter(|(_, b, _)| b.is_some())
            .cloned()
            .collect();
        assert_eq!(
            items,
            [
                (2, Some("1".into()), Some("5".into())),
                (3, Some("x".into()), None),
                (5, Some("true".into()), None),
            ]
        );
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        let e = walk("f.json", "{\"a\": 1}\n{\"b\": }\n", &mut |_, _| Ok(true)).expect_err("fails");
        assert!(
            e.to_string().starts_with("f.json:2:7: malformed JSON"),
            "{e}"
        );
    }
}
