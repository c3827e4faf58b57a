//! `avmigrate inspect`: how each file is read, so that a user can fix a file or write a mapping.

use super::{EXIT_OK, Failure, emit};
use crate::inventory::ImportOptions;
use crate::inventory::inspect::inspect;
use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

pub(super) fn run(
    files: &[PathBuf],
    opts: &ImportOptions,
    out: &mut dyn Write,
) -> Result<i32, Failure> {
    let mut s = String::new();
    for path in files {
        let label = path.display().to_string();
        if path.is_dir() {
            return Err(Failure::bad_input(format!(
                "{label}: is a directory, not a file"
            )));
        }
        let bytes = crate::input::read(path, crate::input::INVENTORY_LIMIT)
            .map_err(|e| Failure::bad_input(format!("{label}: {e}")))?;
        let i = inspect(&label, bytes, opts)?;
        let _ = writeln!(s, "{}", i.path);
        let _ = writeln!(s, "  encoding   {}", i.encoding);
        for (n, note) in i.sheets.iter().enumerate() {
            let head = if n == 0 {
                "  sheets    "
            } else {
                "            "
            };
            let _ = writeln!(s, "{head} {}", crate::model::text::clean(note));
        }
        let sep = i
            .separator
            .map(|c| {
                if c == '\t' {
                    ", separator tab".to_string()
                } else {
                    format!(", separator {c}")
                }
            })
            .unwrap_or_default();
        let _ = writeln!(s, "  shape      {}{sep}", i.shape);
        if !i.headers.is_empty() {
            let _ = writeln!(s, "  headers    {}", i.headers.join(" | "));
        }
        if !i.json_keys.is_empty() {
            let _ = writeln!(s, "  JSON keys  {}", i.json_keys.join(", "));
        }
        let claimed: Vec<&str> = i
            .candidates
            .iter()
            .filter(|(_, m)| *m)
            .map(|(n, _)| *n)
            .collect();
        let _ = writeln!(
            s,
            "  formats    {} claim it (of {} known)",
            if claimed.is_empty() {
                "none".to_string()
            } else {
                claimed.join(", ")
            },
            i.candidates.len()
        );
        match i.format {
            Some((name, desc)) => {
                let _ = writeln!(s, "  read as    {name}: {desc}");
            }
            None => {
                let _ = writeln!(
                    s,
                    "  read as    nothing: describe the columns with --mapping"
                );
            }
        }
        if !i.columns.is_empty() {
            let _ = writeln!(s, "  columns");
            for (col, field) in &i.columns {
                let _ = writeln!(s, "    {col:<40} → {field}");
            }
        }
        match &i.result {
            Ok((r, warnings)) => {
                let _ = writeln!(
                    s,
                    "  result     {} rows, {} assets, {} software entries, {} relations",
                    r.rows, r.assets, r.software, r.relations
                );
                for (why, n) in &r.skipped {
                    let _ = writeln!(s, "    skipped {n} row(s): {why}");
                }
                for w in warnings.iter().take(10) {
                    let _ = writeln!(s, "    {w}");
                }
            }
            Err(e) => {
                let _ = writeln!(s, "  result     not readable: {e}");
            }
        }
    }
    emit(out, &s)?;
    Ok(EXIT_OK)
}
