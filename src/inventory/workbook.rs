//! Excel and OpenDocument workbooks (.xlsx, .xlsm, .xls, .ods): recognised by content before
//! any text decoding, opened with limits (a hostile workbook is refused, never followed), and
//! read into sheets of text cells as a person reads them.
//!
//! The sheet that holds the inventory is then chosen (`workbook_sheet`) and read by the same
//! importers as a CSV file.

use super::formats::{FORMATS, Probe};
use super::workbook_cells::{data_ref_text, data_text};
use super::workbook_sheet::{self, Claim, Selection};
use super::{Content, FileReport, ImportOptions, Sink};
use crate::error::{InputError, Location};
use calamine::{Reader, SheetVisible};
use std::io::{Cursor, Read as _};
use std::sync::Arc;

/// A workbook file larger than this is refused.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// A zip workbook whose parts unpack to more than this is refused (a zip bomb), however large
/// the file (see [`unpacked_limit`]).
pub const MAX_UNPACKED_BYTES: u64 = 1024 * 1024 * 1024;
/// A workbook with more cells than this (counting the empty cells before the last filled one
/// of each row) is refused, however large the file.
pub const MAX_CELLS: usize = 50_000_000;
/// A workbook may hold [`CELLS_PER_BYTE`] cells per byte of the file, and at least this many.
pub const MIN_CELLS: usize = 1_000_000;
/// See [`MIN_CELLS`]: real workbooks hold well under one cell per byte, sparse ones a few.
pub const CELLS_PER_BYTE: usize = 4;
/// A zip workbook may unpack to this many times its size, and to at least
/// [`MIN_UNPACKED_BYTES`]: real workbooks pack 5 to 15 times; a few megabytes that unpack to a
/// gigabyte are a bomb, or a sheet of one row repeated millions of times.
pub const MAX_PACKING: u64 = 40;
/// See [`MAX_PACKING`].
pub const MIN_UNPACKED_BYTES: u64 = 64 * 1024 * 1024;

/// The cells a workbook of `file_bytes` may hold.
pub fn cell_limit(file_bytes: usize) -> usize {
    file_bytes
        .saturating_mul(CELLS_PER_BYTE)
        .clamp(MIN_CELLS, MAX_CELLS)
}

/// The bytes the parts of a zip workbook of `file_bytes` may unpack to.
pub fn unpacked_limit(file_bytes: usize) -> u64 {
    (file_bytes as u64)
        .saturating_mul(MAX_PACKING)
        .clamp(MIN_UNPACKED_BYTES, MAX_UNPACKED_BYTES)
}

/// The kinds of workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Office Open XML (.xlsx, .xlsm).
    Xlsx,
    /// OpenDocument spreadsheet (.ods).
    Ods,
    /// Excel 97-2003 (.xls).
    Xls,
}

impl Kind {
    /// The name shown as the file's encoding.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Xlsx => "xlsx workbook",
            Kind::Ods => "ods workbook",
            Kind::Xls => "xls workbook",
        }
    }
}

const ZIP: &[u8] = b"PK\x03\x04";
const OLE2: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const ODS_MIME: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// Whether a file is a workbook: from its content (a zip with an `xl/` part or the
/// OpenDocument spreadsheet mimetype; an OLE2 compound file), or for a zip or OLE2 file whose
/// parts cannot be seen, from its extension. Text files named `.xls` (a common kind of
/// "Excel export") are not workbooks and are read as text.
pub(crate) fn sniff(label: &str, bytes: &[u8]) -> Option<Kind> {
    let ext = extension(label);
    if bytes.starts_with(OLE2) {
        return Some(Kind::Xls);
    }
    if !bytes.starts_with(ZIP) {
        return None;
    }
    let head = &bytes[..bytes.len().min(256)];
    if contains(head, ODS_MIME) {
        return Some(Kind::Ods);
    }
    if contains(bytes, b"xl/workbook.xml") || contains(bytes, b"xl/worksheets/") {
        return Some(Kind::Xlsx);
    }
    match ext.as_str() {
        "xlsx" | "xlsm" => Some(Kind::Xlsx),
        "ods" => Some(Kind::Ods),
        _ => None,
    }
}

/// Whether the first bytes of a file start a workbook (decides, for a large file, that it is
/// read whole rather than streamed as text).
pub(crate) fn starts_like_workbook(prefix: &[u8]) -> bool {
    prefix.starts_with(OLE2) || prefix.starts_with(ZIP)
}

/// Whether a (large) file starts like a workbook, which is read whole (within
/// [`MAX_FILE_BYTES`]) instead of streamed as text.
pub(crate) fn file_is_workbook(
    path: &std::path::Path,
    label: &str,
    size: u64,
) -> Result<bool, InputError> {
    let mut prefix = [0u8; 8];
    let read = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut prefix))
        .map_err(|e| super::io_error(label, e))?;
    if !starts_like_workbook(&prefix[..read]) {
        return Ok(false);
    }
    if size > MAX_FILE_BYTES {
        return Err(InputError::new(
            Location::file(label),
            format!(
                "workbook is larger than the limit of {} MiB",
                MAX_FILE_BYTES >> 20
            ),
        ));
    }
    Ok(true)
}

/// One sheet of a workbook that was read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetReport {
    /// The sheet's name.
    pub name: String,
    /// 1-based row of its header.
    pub header_row: u32,
    /// The format its table was read as.
    pub format: &'static str,
    /// Data rows read from it.
    pub rows: usize,
}

/// Reads a workbook's inventory sheets (see [`select`]) with the importers of CSV files; each
/// sheet's rows are located as `file [sheet] row N`.
pub(super) fn load(
    kind: Kind,
    bytes: Vec<u8>,
    report: &mut FileReport,
    sink: &mut Sink,
    opts: &ImportOptions,
) -> Result<Vec<Content>, InputError> {
    let sheets = read(&report.path, kind, bytes)?;
    let selection = select(&report.path, &sheets, opts)?;
    drop(sheets);
    let several = selection.picked.len() > 1;
    let mut contents = Vec::with_capacity(selection.picked.len());
    for (i, picked) in selection.picked.iter().enumerate() {
        let probe = Probe::table(&picked.label, &picked.text);
        let mut part = FileReport {
            path: report.path.clone(),
            ..FileReport::default()
        };
        let file = Arc::from(picked.label.as_str());
        contents.push(super::read_probe(
            &probe, file, &mut part, sink, opts, several,
        )?);
        if i == 0 {
            report.format = part.format;
        }
        report.sheets.push(SheetReport {
            name: picked.sheet.clone(),
            header_row: picked.header_row,
            format: part.format,
            rows: part.rows,
        });
        report.rows += part.rows;
        report.assets += part.assets;
        report.software += part.software;
        report.relations += part.relations;
        for (reason, n) in part.skipped {
            *report.skipped.entry(reason).or_default() += n;
        }
    }
    report.encoding = kind.name();
    report.separator = None;
    Ok(contents)
}

/// The sheets of a workbook to read: the one `--sheet` names, else every sheet whose header
/// a format (or the `--mapping` file) claims.
pub(crate) fn select(
    file: &str,
    sheets: &[Sheet],
    opts: &ImportOptions,
) -> Result<Selection, InputError> {
    let claim = |label: &str, text: &str| {
        let probe = Probe::table(label, text);
        if opts.mapping.as_ref().is_some_and(|m| m.matches(&probe)) {
            return Claim::Vendor;
        }
        match FORMATS.iter().find(|f| (f.matches)(&probe)) {
            None => Claim::None,
            Some(f) if f.name == "csv" => Claim::Generic,
            Some(_) => Claim::Vendor,
        }
    };
    workbook_sheet::select(file, sheets, opts.sheet.as_deref(), &claim)
}

fn extension(label: &str) -> String {
    std::path::Path::new(label)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// One sheet as text cells.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sheet {
    /// The sheet's name as written.
    pub name: String,
    /// Hidden sheets are read only when named with `--sheet`.
    pub visible: bool,
    /// Non-empty rows in order: 0-based row index and the cells from column A (an empty
    /// string for an empty cell; no empty cells after the last filled one).
    pub rows: Vec<(u32, Vec<String>)>,
}

/// Reads every sheet of a workbook.
pub(crate) fn read(label: &str, kind: Kind, bytes: Vec<u8>) -> Result<Vec<Sheet>, InputError> {
    let fail = |why: String| InputError::new(Location::file(label), why);
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(fail(format!(
            "workbook is larger than the limit of {} MiB",
            MAX_FILE_BYTES >> 20
        )));
    }
    if kind == Kind::Xls && contains(&bytes, &utf16("EncryptedPackage")) {
        return Err(fail(
            "workbook is encrypted (password protected): save a copy without a password".into(),
        ));
    }
    if kind == Kind::Xls {
        super::workbook_ole::check_chains(&bytes)
            .map_err(|why| fail(format!("unreadable {}: {why}", kind.name())))?;
    }
    if matches!(kind, Kind::Xlsx | Kind::Ods) {
        check_zip(&bytes).map_err(fail)?;
    }
    let limit = cell_limit(bytes.len());
    let spanned = match kind {
        Kind::Ods => super::workbook_extent::ods_cells(&bytes),
        Kind::Xls => super::workbook_extent::xls_cells(&bytes, limit as u64),
        // Read cell by cell, counted as they come.
        Kind::Xlsx => Ok(0),
    };
    let spanned = spanned.map_err(|why| fail(format!("unreadable {}: {why}", kind.name())))?;
    if spanned > limit as u64 {
        return Err(fail(over_cells(limit, bytes.len())));
    }
    let mut budget = Budget {
        cells: 0,
        limit,
        file_bytes: bytes.len(),
    };
    let sheets = super::workbook_guard::contain(|| match kind {
        Kind::Xlsx => read_xlsx(bytes, &mut budget),
        Kind::Ods => {
            let book = calamine::Ods::new(Cursor::new(bytes)).map_err(|e| e.to_string());
            book.and_then(|b| read_ranges(b, &mut budget))
        }
        Kind::Xls => match calamine::Xls::new(Cursor::new(bytes)) {
            Err(calamine::XlsError::Password) => Err(
                "workbook is encrypted (password protected): save a copy without a password"
                    .to_string(),
            ),
            book => book
                .map_err(|e| e.to_string())
                .and_then(|b| read_ranges(b, &mut budget)),
        },
    });
    let sheets = sheets.map_err(|why| {
        if why.starts_with("workbook ") {
            fail(why)
        } else {
            fail(format!("unreadable {}: {why}", kind.name()))
        }
    })?;
    if sheets.is_empty() {
        return Err(fail("workbook has no sheets".into()));
    }
    Ok(sheets)
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// Refuses a zip whose parts would unpack beyond its [`unpacked_limit`] or that is encrypted,
/// before any part is unpacked.
fn check_zip(bytes: &[u8]) -> Result<(), String> {
    let limit = unpacked_limit(bytes.len());
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("unreadable workbook: not a valid zip archive ({e})"))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| format!("unreadable workbook: {e}"))?;
        if entry.encrypted() {
            return Err(
                "workbook is encrypted (password protected): save a copy without a password".into(),
            );
        }
        total = total.saturating_add(entry.size());
        if total > limit {
            return Err(format!(
                "workbook unpacks to more than the limit of {} MiB for a file of {} (a zip \
                 bomb?)",
                limit >> 20,
                crate::input::human_size(bytes.len() as u64)
            ));
        }
    }
    Ok(())
}

/// Cells read so far, against the workbook's [`cell_limit`].
struct Budget {
    cells: usize,
    limit: usize,
    file_bytes: usize,
}

impl Budget {
    fn spend(&mut self, cells: usize) -> Result<(), String> {
        self.cells = self.cells.saturating_add(cells);
        if self.cells > self.limit {
            return Err(over_cells(self.limit, self.file_bytes));
        }
        Ok(())
    }
}

/// The refusal of a workbook with more cells than `limit`.
fn over_cells(limit: usize, file_bytes: usize) -> String {
    format!(
        "workbook has more than {limit} cells, the limit for a file of {} ({CELLS_PER_BYTE} \
         cells per byte, at least {MIN_CELLS}; the empty cells before a row's last filled \
         cell count)",
        crate::input::human_size(file_bytes as u64)
    )
}

/// Reads xlsx sheets cell by cell: a sheet is never laid out as a full rectangle, so a
/// workbook with one cell at A1 and one at XFD1048576 costs two cells, not billions.
fn read_xlsx(bytes: Vec<u8>, budget: &mut Budget) -> Result<Vec<Sheet>, String> {
    let mut book = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let metadata = book.sheets_metadata().to_vec();
    let mut sheets = Vec::with_capacity(metadata.len());
    for meta in metadata {
        let mut sheet = Sheet {
            name: meta.name.clone(),
            visible: meta.visible == SheetVisible::Visible,
            rows: Vec::new(),
        };
        let mut reader = book
            .worksheet_cells_reader(&meta.name)
            .map_err(|e| format!("sheet \"{}\": {e}", meta.name))?;
        while let Some(cell) = reader
            .next_cell()
            .map_err(|e| format!("sheet \"{}\": {e}", meta.name))?
        {
            let text = data_ref_text(cell.get_value());
            if text.is_empty() {
                continue;
            }
            let (row, col) = cell.get_position();
            put(&mut sheet.rows, row, col, text, budget)?;
        }
        sheets.push(sheet);
    }
    Ok(sheets)
}

/// Reads the sheets of a reader that lays sheets out as ranges (ods, xls).
fn read_ranges<R: Reader<Cursor<Vec<u8>>>>(
    mut book: R,
    budget: &mut Budget,
) -> Result<Vec<Sheet>, String>
where
    R::Error: std::fmt::Display,
{
    let metadata = book.sheets_metadata().to_vec();
    let mut sheets = Vec::with_capacity(metadata.len());
    for meta in metadata {
        let range = book
            .worksheet_range(&meta.name)
            .map_err(|e| format!("sheet \"{}\": {e}", meta.name))?;
        let mut sheet = Sheet {
            name: meta.name.clone(),
            visible: meta.visible == SheetVisible::Visible,
            rows: Vec::new(),
        };
        for (row, col, data) in range.used_cells() {
            let text = data_text(data);
            if text.is_empty() {
                continue;
            }
            let (start_row, start_col) = range.start().unwrap_or((0, 0));
            let row = start_row.saturating_add(row as u32);
            let col = start_col.saturating_add(col as u32);
            put(&mut sheet.rows, row, col, text, budget)?;
        }
        sheets.push(sheet);
    }
    Ok(sheets)
}

/// Stores a cell; cells mostly arrive row by row, left to right.
fn put(
    rows: &mut Vec<(u32, Vec<String>)>,
    row: u32,
    col: u32,
    text: String,
    budget: &mut Budget,
) -> Result<(), String> {
    let index = match rows.last() {
        Some((last, _)) if *last == row => rows.len() - 1,
        Some((last, _)) if *last > row => match rows.binary_search_by_key(&row, |(r, _)| *r) {
            Ok(i) => i,
            Err(i) => {
                rows.insert(i, (row, Vec::new()));
                i
            }
        },
        _ => {
            rows.push((row, Vec::new()));
            rows.len() - 1
        }
    };
    let cells = &mut rows[index].1;
    let col = col as usize;
    if col >= cells.len() {
        budget.spend(col + 1 - cells.len())?;
        cells.resize(col + 1, String::new());
    }
    cells[col] = text;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workbooks_are_recognised_by_content() {
        assert_eq!(
            sniff("a.bin", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"),
            Some(Kind::Xls)
        );
        let ods = b"PK\x03\x04....................mimetypeapplication/vnd.oasis.opendocument.spreadsheetPK";
        assert_eq!(sniff("a", ods), Some(Kind::Ods));
        assert_eq!(
            sniff("a", b"PK\x03\x04......xl/workbook.xml"),
            Some(Kind::Xlsx)
        );
        assert_eq!(sniff("a.xlsx", b"PK\x03\x04 broken"), Some(Kind::Xlsx));
        assert_eq!(sniff("a.zip", b"PK\x03\x04 other"), None);
        assert_eq!(sniff("export.xls", b"Hostname\tOS\n"), None);
    }

    #[test]
    fn a_corrupt_zip_is_an_error_not_a_panic() {
        let e = read("a.xlsx", Kind::Xlsx, b"PK\x03\x04 broken".to_vec()).expect_err("fails");
        assert!(
            e.to_string().starts_with("a.xlsx: unreadable workbook"),
            "{e}"
        );
        let e = read("a.xls", Kind::Xls, OLE2.to_vec()).expect_err("fails");
        assert!(
            e.to_string().starts_with("a.xls: unreadable xls workbook"),
            "{e}"
        );
    }

    #[test]
    fn cells_are_placed_and_counted() {
        let mut rows = Vec::new();
        let mut budget = Budget {
            cells: 0,
            limit: MAX_CELLS,
            file_bytes: 0,
        };
        put(&mut rows, 2, 1, "b".into(), &mut budget).expect("fits");
        put(&mut rows, 0, 0, "a".into(), &mut budget).expect("fits");
        put(&mut rows, 2, 0, "c".into(), &mut budget).expect("fits");
        assert_eq!(
            rows,
            [
                (0, vec!["a".to_string()]),
                (2, vec!["c".into(), "b".into()])
            ]
        );
        budget.cells = MAX_CELLS;
        assert!(put(&mut rows, 3, 5, "x".into(), &mut budget).is_err());
    }
}
