//! Which sheets of a workbook hold the inventory, where their header row is, which rows below
//! the data are totals, and the sheet as the tab-separated table the CSV importers read (one
//! line per sheet row, so that line numbers are row numbers).

use super::headers::known_count;
use super::workbook::Sheet;
use crate::error::{InputError, Location};

/// Rows searched for the header row (title rows, blank rows and notes come before it).
pub const HEADER_SCAN: usize = 30;
/// Data rows given to the formats with the header when judging a candidate header row.
const PROBE_ROWS: usize = 20;

/// Whether the importers would read a table: no, as a generic CSV, or as a vendor export
/// (or with the `--mapping` file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Claim {
    None,
    Generic,
    Vendor,
}

/// A sheet chosen to be read.
#[derive(Debug, Clone)]
pub(crate) struct Picked {
    /// The sheet's name.
    pub sheet: String,
    /// `file [sheet]`: the label of its rows' locations.
    pub label: String,
    /// The table text: line N is sheet row N.
    pub text: String,
    /// 1-based row of the header.
    pub header_row: u32,
    /// Why this sheet.
    pub why: String,
    /// Rows below the data that were not read (totals, notes), 1-based, with why.
    pub dropped: Vec<(u32, &'static str)>,
}

/// A sheet not read, with why.
#[derive(Debug, Clone)]
pub(crate) struct Skipped {
    pub sheet: String,
    pub why: String,
}

/// The sheets of a workbook to read and those skipped.
#[derive(Debug, Clone, Default)]
pub(crate) struct Selection {
    pub picked: Vec<Picked>,
    pub skipped: Vec<Skipped>,
}

/// The label of a sheet's rows: `inventar.xlsx [Rechner]`.
pub(crate) fn sheet_label(file: &str, sheet: &str) -> String {
    format!("{file} [{sheet}]")
}

/// The best header row of a sheet: its index in `rows`, how the formats claim it and how many
/// known column names it has.
struct Header {
    index: usize,
    claim: Claim,
    known: usize,
}

fn find_header(sheet: &Sheet, label: &str, claim: &dyn Fn(&str, &str) -> Claim) -> Option<Header> {
    let mut best: Option<(Header, usize)> = None;
    for (index, (_, cells)) in sheet.rows.iter().enumerate().take(HEADER_SCAN) {
        let filled = cells.iter().filter(|c| !c.is_empty()).count();
        let known = known_count(cells);
        let verdict = if known > 0 || filled > 1 {
            let end = (index + 1 + PROBE_ROWS).min(sheet.rows.len());
            claim(label, &render(&sheet.rows[index..end], 0))
        } else {
            Claim::None
        };
        let score = (verdict, known, filled);
        if best
            .as_ref()
            .is_none_or(|(b, f)| score > (b.claim, b.known, *f))
        {
            best = Some((
                Header {
                    index,
                    claim: verdict,
                    known,
                },
                filled,
            ));
        }
    }
    best.map(|(h, _)| h)
}

/// Chooses the sheets to read: the one named (`--sheet`), else every visible sheet whose
/// header row a vendor format (or the mapping) claims or that has at least two known column
/// names; when none does and the workbook has one filled sheet, that one (so that its error
/// says what its columns lack).
pub(crate) fn select(
    file: &str,
    sheets: &[Sheet],
    wanted: Option<&str>,
    claim: &dyn Fn(&str, &str) -> Claim,
) -> Result<Selection, InputError> {
    let names = || {
        sheets
            .iter()
            .map(|s| format!("\"{}\"", s.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut selection = Selection::default();
    if let Some(wanted) = wanted {
        let wanted = wanted.trim();
        let sheet = sheets
            .iter()
            .find(|s| s.name == wanted)
            .or_else(|| {
                sheets
                    .iter()
                    .find(|s| super::same_text(s.name.trim(), wanted))
            })
            .ok_or_else(|| {
                InputError::new(
                    Location::file(file),
                    format!("no sheet named \"{wanted}\"; its sheets are {}", names()),
                )
            })?;
        let label = sheet_label(file, &sheet.name);
        let header = find_header(sheet, &label, claim)
            .ok_or_else(|| InputError::new(Location::file(&label), "the sheet is empty"))?;
        selection
            .picked
            .push(pick(sheet, label, &header, "named with --sheet"));
        for other in sheets.iter().filter(|s| s.name != sheet.name) {
            selection.skipped.push(Skipped {
                sheet: other.name.clone(),
                why: "not named with --sheet".into(),
            });
        }
        return Ok(selection);
    }
    let mut fallback = Vec::new();
    for sheet in sheets {
        let label = sheet_label(file, &sheet.name);
        let skip = |why: String| Skipped {
            sheet: sheet.name.clone(),
            why,
        };
        if sheet.rows.is_empty() {
            selection.skipped.push(skip("empty".into()));
            continue;
        }
        if !sheet.visible {
            selection
                .skipped
                .push(skip("hidden (name it with --sheet to read it)".into()));
            continue;
        }
        let Some(header) = find_header(sheet, &label, claim) else {
            selection.skipped.push(skip("empty".into()));
            continue;
        };
        let row = sheet.rows[header.index].0 + 1;
        match (header.claim, header.known) {
            (Claim::Vendor, _) => {
                let why = format!("row {row} is the header of a known export");
                selection.picked.push(pick(sheet, label, &header, &why));
            }
            (Claim::Generic, known) if known >= 2 => {
                let why = format!("row {row} is a header with {known} known column names");
                selection.picked.push(pick(sheet, label, &header, &why));
            }
            _ => {
                fallback.push((sheet, label, header));
                selection.skipped.push(skip(format!(
                    "no row in its first {HEADER_SCAN} filled rows is an inventory header"
                )));
            }
        }
    }
    if selection.picked.is_empty() {
        if fallback.len() == 1 {
            let (sheet, label, header) = fallback.remove(0);
            selection.skipped.retain(|s| s.sheet != sheet.name);
            let why = "the only filled sheet (its header is not recognised)";
            selection.picked.push(pick(sheet, label, &header, why));
            return Ok(selection);
        }
        let why = if selection.skipped.iter().all(|s| s.why == "empty") {
            "workbook is empty: no sheet has a filled cell".to_string()
        } else {
            format!(
                "no sheet looks like an inventory (no header row with known column names): \
                 its sheets are {}; name one with --sheet, and describe its columns with \
                 --mapping",
                names()
            )
        };
        return Err(InputError::new(Location::file(file), why));
    }
    Ok(selection)
}

fn pick(sheet: &Sheet, label: String, header: &Header, why: &str) -> Picked {
    let rows = &sheet.rows[header.index..];
    let width = rows[0].1.iter().filter(|c| !c.is_empty()).count();
    let mut end = rows.len();
    let mut dropped = Vec::new();
    while end > 1 {
        let (row, cells) = &rows[end - 1];
        let Some(why) = trailer(cells, width) else {
            break;
        };
        dropped.push((row + 1, why));
        end -= 1;
    }
    dropped.reverse();
    Picked {
        sheet: sheet.name.clone(),
        label,
        text: render(&rows[..end], rows[0].0),
        header_row: rows[0].0 + 1,
        why: why.to_string(),
        dropped,
    }
}

/// Why a row below the data is not an asset: a totals row ("Summe", "Gesamt", "Total",
/// "Anzahl" …, or only numbers), or a one-cell note ("Stand: 01.03.2024").
fn trailer(cells: &[String], width: usize) -> Option<&'static str> {
    let filled: Vec<&str> = cells
        .iter()
        .map(String::as_str)
        .filter(|c| !c.is_empty())
        .collect();
    let first = filled.first()?.to_lowercase();
    let stem = first.trim_end_matches(':');
    const TOTALS: &[&str] = &[
        "summe",
        "gesamt",
        "insgesamt",
        "gesamtsumme",
        "total",
        "totals",
        "sum",
        "anzahl",
        "count",
        "zwischensumme",
        "subtotal",
    ];
    let total = |t: &&str| {
        stem == *t
            || stem
                .strip_prefix(*t)
                .is_some_and(|r| r.starts_with([' ', ':']))
    };
    if TOTALS.iter().any(total) {
        return Some("totals row");
    }
    let numeric = |c: &&str| c.replace(',', ".").trim().parse::<f64>().is_ok();
    if filled.iter().all(numeric) {
        return Some("totals row (numbers only)");
    }
    if filled.len() == 1 && width >= 3 && first.contains(':') {
        return Some("note");
    }
    None
}

/// The rows as a tab-separated table whose line N is sheet row N (0-based row `first` is on
/// line `first + 1`; the lines before it are empty). A header row gets a trailing tab, so that
/// a one-column table is still read as tab-separated; shorter rows are padded to its width.
fn render(rows: &[(u32, Vec<String>)], first: u32) -> String {
    let size: usize = rows
        .iter()
        .map(|(_, cells)| cells.iter().map(|c| c.len() + 1).sum::<usize>() + 1)
        .sum();
    let mut text = String::with_capacity(size + first as usize + 2);
    let width = rows.first().map_or(0, |(_, cells)| cells.len());
    let mut line = 0u32;
    for (i, (row, cells)) in rows.iter().enumerate() {
        for _ in line..*row {
            text.push('\n');
        }
        for (c, cell) in cells.iter().enumerate() {
            if c > 0 {
                text.push('\t');
            }
            if cell.contains('"') {
                text.push('"');
                text.push_str(&cell.replace('"', "\"\""));
                text.push('"');
            } else {
                text.push_str(cell);
            }
        }
        // A row is as wide as the header: the empty cells at its end are not missing ones.
        for _ in cells.len()..width {
            text.push('\t');
        }
        if i == 0 {
            text.push('\t');
        }
        text.push('\n');
        line = row + 1;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(name: &str, rows: &[(u32, &[&str])]) -> Sheet {
        Sheet {
            name: name.into(),
            visible: true,
            rows: rows
                .iter()
                .map(|(r, cells)| (*r, cells.iter().map(|c| c.to_string()).collect()))
                .collect(),
        }
    }

    fn generic(_: &str, text: &str) -> Claim {
        let first = text.lines().find(|l| !l.is_empty()).unwrap_or("");
        if first.to_lowercase().contains("rechnername") {
            Claim::Generic
        } else {
            Claim::None
        }
    }

    #[test]
    fn cover_sheets_title_rows_and_totals_are_skipped() {
        let sheets = [
            sheet(
                "Deckblatt",
                &[(0, &["Inventar 2024"]), (2, &["Erstellt von", "IT"])],
            ),
            sheet(
                "Rechner",
                &[
                    (0, &["Rechnerliste Standort Köln"]),
                    (2, &["Rechnername", "Betriebssystem", "Standort"]),
                    (3, &["pc1", "Windows 11", "Köln"]),
                    (4, &["pc\"2", "", "Köln"]),
                    (6, &["Summe", "2"]),
                    (7, &["Stand: 01.03.2024"]),
                ],
            ),
        ];
        let s = select("inv.xlsx", &sheets, None, &generic).expect("selects");
        assert_eq!(s.picked.len(), 1);
        let p = &s.picked[0];
        assert_eq!((p.sheet.as_str(), p.header_row), ("Rechner", 3));
        assert_eq!(p.label, "inv.xlsx [Rechner]");
        assert_eq!(
            p.text,
            "\n\nRechnername\tBetriebssystem\tStandort\t\npc1\tWindows 11\tKöln\n\"pc\"\"2\"\t\tKöln\n"
        );
        assert_eq!(p.dropped, [(7, "totals row"), (8, "note")]);
        assert_eq!(s.skipped[0].sheet, "Deckblatt");
    }

    #[test]
    fn a_named_sheet_and_unknown_names() {
        let sheets = [
            sheet(
                "A",
                &[(0, &["Rechnername", "Standort"]), (1, &["pc1", "x"])],
            ),
            sheet(
                "B",
                &[(0, &["Rechnername", "Standort"]), (1, &["pc2", "y"])],
            ),
        ];
        let all = select("f.ods", &sheets, None, &generic).expect("selects");
        assert_eq!(all.picked.len(), 2, "one sheet per site: all are read");
        let one = select("f.ods", &sheets, Some("b"), &generic).expect("selects");
        assert_eq!(one.picked[0].sheet, "B");
        let e = select("f.ods", &sheets, Some("C"), &generic).expect_err("fails");
        assert_eq!(
            e.to_string(),
            "f.ods: no sheet named \"C\"; its sheets are \"A\", \"B\""
        );
    }

    #[test]
    fn no_inventory_sheet_and_empty_workbooks_are_errors() {
        let empty = [sheet("Tabelle1", &[])];
        let e = select("f.xlsx", &empty, None, &generic).expect_err("fails");
        assert_eq!(
            e.to_string(),
            "f.xlsx: workbook is empty: no sheet has a filled cell"
        );
        let notes = [
            sheet("Notizen", &[(0, &["Hallo", "Welt"])]),
            sheet("Mehr", &[(0, &["Text"])]),
        ];
        let e = select("f.xlsx", &notes, None, &generic).expect_err("fails");
        assert!(
            e.to_string().contains("no sheet looks like an inventory"),
            "{e}"
        );
        let one = [sheet(
            "Notizen",
            &[(0, &["Hallo", "Welt"]), (1, &["a", "b"])],
        )];
        let s = select("f.xlsx", &one, None, &generic).expect("the only sheet");
        assert_eq!(s.picked[0].sheet, "Notizen");
    }

    #[test]
    fn totals_rows_are_recognised() {
        let row = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(trailer(&row(&["Gesamt:", "12"]), 3), Some("totals row"));
        assert_eq!(
            trailer(&row(&["", "12", "3,5"]), 3),
            Some("totals row (numbers only)")
        );
        assert_eq!(trailer(&row(&["pc1", "12"]), 3), None);
        assert_eq!(trailer(&row(&["Anzahl Rechner: 2"]), 3), Some("totals row"));
        assert_eq!(trailer(&row(&["Totalschaden-PC"]), 3), None);
        assert_eq!(trailer(&row(&["total-01", "Windows"]), 3), None);
    }
}
