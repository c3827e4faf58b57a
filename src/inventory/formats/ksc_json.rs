//! Walking the objects of a JSON file with the line each starts on, for the API exports (KSC
//! Open API, Defender API) whose envelopes vary: `{"value":[…]}` pages, concatenated pages,
//! JSON lines, `{"PxgRetVal":{"KLEVP_EA_PARAM_1":[{"type":"params","value":{…}}]}}`. Readers
//! look at every object and pick those with the keys they know; KSC's typed scalars
//! (`{"type":"long","value":5}`) read as their value.

use crate::error::{InputError, Location};
use crate::inventory::FileCtx;
use crate::model::Software;
use crate::model::text::clean;
use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// Software named in the fields of a machine's object that its reader does not read (`read`):
/// a text value that names a flagged product is read as software, with a warning naming the
/// key (an error with `--strict`), as for a CSV column no importer maps.
pub(crate) fn unread_products(
    fields: &Fields<'_>,
    read: &[&str],
    line: usize,
    ctx: &mut FileCtx<'_>,
) -> Result<Vec<Software>, InputError> {
    let mut found = Vec::new();
    for key in fields.keys().filter(|k| !read.contains(&k.as_str())) {
        let Some(value) = text(fields, key) else {
            continue;
        };
        let value = value.trim();
        // An install path or a URL names a folder, not what is installed.
        if value.contains(['\\', '/']) {
            continue;
        }
        let Some(product) = ctx.flagged_product(value) else {
            continue;
        };
        let message = format!(
            "key \"{key}\" is not read by this format, but \"{value}\" names {product}; read as \
             software"
        );
        ctx.warn(ctx.line(line), message)?;
        found.push(Software::named(clean(value)));
    }
    Ok(found)
}

/// The fields of one object, unparsed.
pub(crate) type Fields<'t> = BTreeMap<String, &'t RawValue>;

/// How deep objects and arrays may nest. Real exports nest a handful of levels; each level is
/// parsed once per enclosing level, so the limit also bounds the work to a multiple of the
/// file's size.
pub(crate) const MAX_DEPTH: usize = 64;

/// Calls `visit` for every object of `text` (one or several JSON values, e.g. JSON lines or
/// concatenated pages) in document order, with the 1-based line where the object starts.
/// `visit` returns true to walk into the object's values. Fails on malformed JSON, naming
/// the line and column, and on nesting deeper than [`MAX_DEPTH`].
pub(crate) fn walk<'t>(
    label: &str,
    text: &'t str,
    visit: &mut dyn FnMut(usize, &Fields<'t>) -> Result<bool, InputError>,
) -> Result<(), InputError> {
    let lines = LineIndex::new(text);
    if let Some(offset) = too_deep(text.as_bytes(), MAX_DEPTH) {
        return Err(InputError::new(
            Location::line(label, lines.line_of(offset)),
            format!("JSON nested deeper than {MAX_DEPTH} levels (the limit)"),
        ));
    }
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

/// The offset of the first bracket that opens a level deeper than `max`, if any; brackets in
/// strings do not count.
fn too_deep(bytes: &[u8], max: usize) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, &b) in bytes.iter().enumerate() {
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
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Visits `root` and what it holds in document order, with a stack of its own rather than the
/// thread's.
fn descend<'t>(
    text: &'t str,
    lines: &LineIndex,
    root: &'t RawValue,
    visit: &mut dyn FnMut(usize, &Fields<'t>) -> Result<bool, InputError>,
) -> Result<(), InputError> {
    let mut stack = vec![root];
    while let Some(raw) = stack.pop() {
        let json = raw.get();
        let mut children: Vec<&'t RawValue> = match json.as_bytes().first() {
            Some(b'{') => {
                let Ok(fields) = serde_json::from_str::<Fields<'t>>(json) else {
                    continue;
                };
                let offset = json.as_ptr() as usize - text.as_ptr() as usize;
                if !visit(lines.line_of(offset), &fields)? {
                    continue;
                }
                fields.into_values().collect()
            }
            Some(b'[') => serde_json::from_str::<Vec<&'t RawValue>>(json).unwrap_or_default(),
            _ => continue,
        };
        // Objects keep their keys sorted; walk their values in document order (the stack
        // pops the last pushed first).
        children.sort_by_key(|r| std::cmp::Reverse(r.get().as_ptr() as usize));
        stack.extend(children);
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

    #[test]
    fn nesting_past_the_limit_is_refused_in_one_short_line() {
        let deep = 30_000;
        let json = format!("{{\"v\":\n{}{}}}", "[".repeat(deep), "]".repeat(deep));
        let e = walk("f.json", &json, &mut |_, _| Ok(true)).expect_err("refused");
        assert_eq!(
            e.to_string(),
            format!("f.json:2: JSON nested deeper than {MAX_DEPTH} levels (the limit)")
        );
    }

    #[test]
    fn nesting_up_to_the_limit_is_walked_and_brackets_in_strings_do_not_count() {
        let levels = MAX_DEPTH - 1;
        let json = format!(
            "{{\"s\":\"[[[[{{{{\\\"\",\"v\":{}{{\"b\":1}}{}}}",
            "[".repeat(levels - 1),
            "]".repeat(levels - 1)
        );
        let mut seen = 0;
        walk("f.json", &json, &mut |_, fields| {
            seen += usize::from(fields.contains_key("b"));
            Ok(true)
        })
        .expect("walks");
        assert_eq!(seen, 1);
    }
}
