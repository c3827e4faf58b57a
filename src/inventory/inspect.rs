//! `avmigrate inspect`: how a file is seen — encoding, shape, separator, headers or JSON keys,
//! which formats claim it, how its columns map, and what reading it gives.

use super::formats::{self, FORMATS, Probe, Shape};
use super::headers::{CsvKind, classify, repeated_host_software};
use super::{FileReport, ImportOptions, decode, load_sources, workbook};
use crate::error::InputError;
use crate::model::text;

/// What `inspect` found out about one file.
#[derive(Debug, Clone)]
pub struct Inspection {
    /// The file.
    pub path: String,
    /// Detected encoding.
    pub encoding: &'static str,
    /// "TOML", "CSV", "JSON array", "JSON object", "JSON lines" or "unknown".
    pub shape: String,
    /// CSV separator.
    pub separator: Option<char>,
    /// CSV headers as written.
    pub headers: Vec<String>,
    /// Keys of the first JSON object.
    pub json_keys: Vec<String>,
    /// Every format with whether it claims the file.
    pub candidates: Vec<(&'static str, bool)>,
    /// The format that reads it (forced or detected), with its description.
    pub format: Option<(&'static str, &'static str)>,
    /// Column (or key) → model field.
    pub columns: Vec<(String, String)>,
    /// What reading it gave, or why it failed.
    pub result: Result<(FileReport, Vec<String>), String>,
    /// For a workbook, each sheet and what was done with it ("Rechner: read, row 3 is …",
    /// "Deckblatt: skipped, …"); the shape, headers and columns shown are those of the first
    /// sheet read.
    pub sheets: Vec<String>,
}

/// Inspects one file's bytes.
pub fn inspect(
    label: &str,
    bytes: Vec<u8>,
    opts: &ImportOptions,
) -> Result<Inspection, InputError> {
    let (encoding, text, probe_label, sheets) = match workbook::sniff(label, &bytes) {
        Some(kind) => {
            let all = workbook::read(label, kind, bytes.clone())?;
            let selection = workbook::select(label, &all, opts)?;
            let mut notes = Vec::new();
            for p in &selection.picked {
                let mut note = format!("{}: read, {}", p.sheet, p.why);
                if p.header_row > 1 {
                    note.push_str(&format!("; rows 1-{} above it skipped", p.header_row - 1));
                }
                for (row, why) in &p.dropped {
                    note.push_str(&format!("; row {row} not read ({why})"));
                }
                notes.push(note);
            }
            for s in &selection.skipped {
                notes.push(format!("{}: skipped, {}", s.sheet, s.why));
            }
            let first = selection.picked.into_iter().next();
            let (sheet_label, text) = first.map(|p| (p.label, p.text)).unwrap_or_default();
            (kind.name(), text, sheet_label, notes)
        }
        None => {
            let decoded = decode::decode(label, bytes.clone())?;
            (
                decoded.encoding,
                decoded.text,
                label.to_string(),
                Vec::new(),
            )
        }
    };
    let probe = if sheets.is_empty() {
        Probe::new(&probe_label, &text)
    } else {
        Probe::table(&probe_label, &text)
    };
    let (shape, separator, headers, json_keys) = match &probe.shape {
        Shape::Toml => ("TOML".to_string(), None, Vec::new(), Vec::new()),
        Shape::Csv(h) => (
            "CSV".to_string(),
            Some(char::from(h.sep)),
            h.headers.clone(),
            Vec::new(),
        ),
        Shape::Json(j) => (
            format!(
                "JSON {}",
                match j.form {
                    super::formats::JsonForm::Array => "array",
                    super::formats::JsonForm::Object => "object",
                    super::formats::JsonForm::Lines => "lines",
                }
            ),
            None,
            Vec::new(),
            j.keys.iter().cloned().collect(),
        ),
        Shape::Unknown => ("unknown".to_string(), None, Vec::new(), Vec::new()),
        Shape::Refused(e) => return Err(e.clone()),
    };
    let (shape, separator) = if sheets.is_empty() {
        (shape, separator)
    } else {
        ("workbook sheet (a table)".to_string(), None)
    };
    let candidates: Vec<(&'static str, bool)> = FORMATS
        .iter()
        .map(|f| (f.name, (f.matches)(&probe)))
        .collect();
    // As the import chooses (an unknown forced name or no match: none).
    let chosen = formats::choose(&probe, opts.input_format.as_deref(), &probe_label).ok();
    let mapped = opts.mapping.as_ref().filter(|m| m.matches(&probe));
    let chosen = if mapped.is_some() { None } else { chosen };
    let mut columns: Vec<(String, String)> = chosen
        .map(|f| {
            f.columns
                .iter()
                .map(|(c, m)| (c.to_string(), m.to_string()))
                .collect()
        })
        .unwrap_or_default();
    if let Some(m) = mapped {
        columns = m.describe();
    } else if columns.is_empty() && !headers.is_empty() {
        columns = generic_columns(&headers);
    }
    // Names as written may hold control characters: neutralise them before they are shown.
    let clean =
        |names: Vec<String>| -> Vec<String> { names.iter().map(|n| text::clean(n)).collect() };
    let (headers, json_keys) = (clean(headers), clean(json_keys));
    for (column, _) in &mut columns {
        text::clean_in_place(column);
    }
    let result = match load_sources(vec![(label.to_string(), bytes)], opts) {
        Ok(loaded) => Ok((
            loaded.files.into_iter().next().unwrap_or_default(),
            loaded
                .warnings
                .iter()
                .map(|w| w.to_string())
                .collect::<Vec<String>>(),
        )),
        Err(e) => Err(e.to_string()),
    };
    // An asset-shaped CSV whose id repeats was read as one installed product per row: show
    // that mapping, not the asset reader's.
    let by_host = matches!(&result, Ok((r, _)) if r.format == "csv-software");
    if by_host && mapped.is_none() && chosen.is_some_and(|f| f.name == "csv") {
        repeated_host_columns(&headers, &mut columns);
    }
    // A column the generic CSV does not map, but whose cells named a flagged product, was read
    // as software (with a warning): say so.
    if let Ok((_, warnings)) = &result {
        for (column, role) in &mut columns {
            let marker = format!("column \"{column}\" is not an inventory column");
            if role.starts_with("(not mapped") && warnings.iter().any(|w| w.contains(&marker)) {
                *role = "software (names a flagged product; see the warnings)".to_string();
            }
        }
    }
    Ok(Inspection {
        path: label.to_string(),
        encoding,
        shape,
        separator,
        headers,
        json_keys,
        candidates,
        format: match mapped {
            Some(_) => Some(("mapping", "read with the mapping file's columns")),
            None => chosen.map(|f| (f.name, f.description)),
        },
        columns,
        result,
        sheets,
    })
}

/// How the generic CSV reads each header (or that it ignores it).
fn generic_columns(headers: &[String]) -> Vec<(String, String)> {
    let mut roles: Vec<String> = vec!["(ignored)".to_string(); headers.len()];
    let mut set = |i: Option<usize>, role: &str| {
        if let Some(i) = i {
            roles[i] = role.to_string();
        }
    };
    match classify(headers) {
        Ok(CsvKind::Assets(c)) => {
            set(Some(c.id), "id");
            set(c.name, "name");
            set(c.os, "os");
            set(c.site, "site");
            set(c.owner, "owner");
            set(c.criticality, "criticality");
            set(c.kind, "kind");
            set(c.tags, "tags");
            set(c.software, "software (name@version|…)");
            set(c.depends_on, "depends_on (id:kind|…)");
            for &(col, version) in &c.security {
                set(Some(col), "software (security product)");
                set(version, "software version (security product)");
            }
            for role in roles.iter_mut().filter(|r| *r == "(ignored)") {
                *role =
                    "(not mapped; a flagged product named here is read as software)".to_string();
            }
        }
        Ok(CsvKind::Software(c)) => {
            set(Some(c.host), "asset");
            set(Some(c.name), "software name");
            set(c.version, "software version");
            set(c.publisher, "software publisher");
            set(c.os, "os");
        }
        Ok(CsvKind::Relations(c)) => {
            set(Some(c.from), "relation from (dependent)");
            set(Some(c.to), "relation to (provider)");
            set(c.kind, "relation kind");
        }
        Err(_) => {}
    }
    headers.iter().cloned().zip(roles).collect()
}

/// How the generic CSV reads an asset-shaped file whose id repeats (`Hostname,OS,Name,Version`,
/// one installed product per row): the id names the host, product columns the software.
fn repeated_host_columns(headers: &[String], columns: &mut [(String, String)]) {
    let Ok(CsvKind::Assets(c)) = classify(headers) else {
        return;
    };
    let (product, version, publisher) = repeated_host_software(headers, c.id);
    let roles = [
        (
            Some(c.id),
            "asset (repeated: one installed product per row)",
        ),
        (product, "software name"),
        (version, "software version"),
        (publisher, "software publisher"),
    ];
    for (col, role) in roles {
        if let Some((_, r)) = col.and_then(|i| columns.get_mut(i)) {
            *r = role.to_string();
        }
    }
}
