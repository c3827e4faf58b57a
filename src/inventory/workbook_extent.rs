//! How many cells the sheets of an ods or xls workbook span, read from the file before the
//! workbook reader lays each sheet out as a full rectangle of cells. A few hundred bytes can
//! ask for billions: an ods cell repeated 10,000 times in a row repeated 5,000 times, an xls
//! sheet with one cell at A1 and one at IV65536. Only cells with content count, as the reader
//! keeps only those: the empty repeated cells and rows that fill every real ods sheet to its
//! edge cost nothing.

use std::io::{Cursor, Read};

/// The cells the sheets of an ods workbook's `content.xml` span, summed over the sheets.
pub(crate) fn ods_cells(bytes: &[u8]) -> Result<u64, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut content = match zip.by_name("content.xml") {
        Ok(file) => file,
        // Left to the reader, which names what is missing.
        Err(_) => return Ok(0),
    };
    let mut scan = OdsScan::default();
    let mut buffer = vec![0u8; 1 << 16];
    // Unread bytes of a tag cut by the end of a read.
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let n = content.read(&mut buffer).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        carry.extend_from_slice(&buffer[..n]);
        let used = scan.feed(&carry);
        carry.drain(..used);
        if carry.len() > MAX_TAG {
            return Err(format!(
                "a tag in content.xml is longer than {MAX_TAG} bytes"
            ));
        }
    }
    Ok(scan.finish())
}

/// Longest tag the scan holds (attributes included).
const MAX_TAG: usize = 1 << 20;

/// The extent of the sheet being read and the total of the sheets before it.
#[derive(Default)]
struct OdsScan {
    total: u64,
    sheet: Extent,
    /// Position of the next row, and of the next cell in the current row.
    row: u64,
    col: u64,
    /// The current row repeats this many times.
    repeat_rows: u64,
    /// Column span of the filled cells of the current row.
    row_cols: Option<(u64, u64)>,
    /// Inside a cell that is not closed in its own tag: it has content.
    open_cell: Option<(u64, u64)>,
}

/// Rows and columns holding content: first and one-past-last.
#[derive(Default, Clone, Copy)]
struct Extent {
    rows: Option<(u64, u64)>,
    cols: Option<(u64, u64)>,
}

impl Extent {
    fn cells(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => (r1 - r0).saturating_mul(c1 - c0),
            _ => 0,
        }
    }
}

fn widen(span: &mut Option<(u64, u64)>, from: u64, to: u64) {
    *span = Some(match *span {
        Some((a, b)) => (a.min(from), b.max(to)),
        None => (from, to),
    });
}

impl OdsScan {
    /// Reads the complete tags of `text`; returns how many bytes it used.
    fn feed(&mut self, text: &[u8]) -> usize {
        let mut at = 0;
        while let Some(open) = memchr::memchr(b'<', &text[at..]) {
            let start = at + open;
            let rest = &text[start..];
            // Comments, character data and processing instructions end at their own marker
            // and hold no tags, whatever quotes or brackets they contain.
            let skip = [("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>")]
                .into_iter()
                .find(|(open, _)| rest.starts_with(open.as_bytes()));
            if let Some((open, close)) = skip {
                let Some(end) = find(&rest[open.len()..], close.as_bytes()) else {
                    return start;
                };
                at = start + open.len() + end + close.len();
                continue;
            }
            let Some(close) = tag_end(rest) else {
                return start;
            };
            self.tag(&text[start + 1..start + close]);
            at = start + close + 1;
        }
        text.len()
    }

    fn tag(&mut self, tag: &[u8]) {
        let self_closing = tag.ends_with(b"/");
        // A closing tag's name starts with its `/`.
        let name_end = tag
            .iter()
            .skip(1)
            .position(|b| b.is_ascii_whitespace() || *b == b'/')
            .map_or(tag.len(), |i| i + 1);
        match &tag[..name_end] {
            b"table:table" => {
                self.total = self.total.saturating_add(self.sheet.cells());
                (self.sheet, self.row) = (Extent::default(), 0);
            }
            b"table:table-row" => {
                self.repeat_rows = repeat(tag, b"table:number-rows-repeated");
                (self.col, self.row_cols) = (0, None);
                if self_closing {
                    self.end_row();
                }
            }
            b"/table:table-row" => self.end_row(),
            b"table:table-cell" | b"table:covered-table-cell" => {
                let n = repeat(tag, b"table:number-columns-repeated");
                let span = (self.col, self.col.saturating_add(n));
                self.col = span.1;
                // A closed cell holds a value when it gives one (`office:value`,
                // `office:date-value` …) or a formula.
                if !self_closing {
                    self.open_cell = Some(span);
                } else if contains(tag, b"value") || contains(tag, b"formula") {
                    widen(&mut self.row_cols, span.0, span.1);
                }
            }
            b"/table:table-cell" | b"/table:covered-table-cell" => {
                if let Some((from, to)) = self.open_cell.take() {
                    widen(&mut self.row_cols, from, to);
                }
            }
            _ => {}
        }
    }

    fn end_row(&mut self) {
        let next = self.row.saturating_add(self.repeat_rows);
        if let Some((from, to)) = self.row_cols.take() {
            widen(&mut self.sheet.cols, from, to);
            widen(&mut self.sheet.rows, self.row, next);
        }
        (self.row, self.repeat_rows) = (next, 1);
    }

    fn finish(self) -> u64 {
        self.total.saturating_add(self.sheet.cells())
    }
}

/// Where the tag at the start of `text` ends: its `>` outside quoted attribute values.
fn tag_end(text: &[u8]) -> Option<usize> {
    let (mut quote, mut after_equals) = (None, false);
    for (i, &b) in text.iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if q == b => quote = None,
            (Some(_), _) => {}
            // A quote opens a value only after `=`.
            (None, b'"' | b'\'') if after_equals => quote = Some(b),
            (None, b'>') => return Some(i),
            _ => {}
        }
        if quote.is_none() && !b.is_ascii_whitespace() {
            after_equals = b == b'=';
        }
    }
    None
}

/// The number an attribute `name="N"` of `tag` gives: 1 when absent, the most there can be
/// when unreadable (so that the workbook is refused).
fn repeat(tag: &[u8], name: &[u8]) -> u64 {
    let Some(at) = find(tag, name) else {
        return 1;
    };
    let rest = &tag[at + name.len()..];
    let digits: Vec<u8> = rest
        .iter()
        .skip_while(|b| matches!(b, b'=' | b'"' | b'\'' | b' '))
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    std::str::from_utf8(&digits)
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(u64::MAX)
        .max(1)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    find(hay, needle).is_some()
}

/// The cells the worksheets of an xls workbook ask for, summed; counting stops past `limit`.
/// The reader lays out every sheet a BoundSheet record names (from the offset it gives) when
/// the workbook is opened, reserving first what the sheet's DIMENSIONS record claims: both
/// are counted here, as the reader would read them.
pub(crate) fn xls_cells(bytes: &[u8], limit: u64) -> Result<u64, String> {
    let Ok(mut file) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        // Left to the reader, which names the damage.
        return Ok(0);
    };
    let stream = ["/Workbook", "/Book"]
        .into_iter()
        .find_map(|name| file.open_stream(name).ok());
    let Some(mut stream) = stream else {
        return Ok(0);
    };
    let mut biff = Vec::new();
    stream.read_to_end(&mut biff).map_err(|e| e.to_string())?;
    biff_cells(&biff, limit)
}

/// One record of a BIFF stream: its type and data.
fn records(biff: &[u8], from: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = from;
    std::iter::from_fn(move || {
        let head = biff.get(at..at.checked_add(4)?)?;
        let kind = u16::from_le_bytes([head[0], head[1]]);
        let len = u16::from_le_bytes([head[2], head[3]]) as usize;
        let data = biff.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((kind, data))
    })
}

/// Cell records (their type, and whether the record names a last column at its end).
const CELL_RECORDS: &[(u16, bool)] = &[
    (0x0006, false), // FORMULA
    (0x00BD, true),  // MULRK
    (0x00D6, false), // RSTRING
    (0x00FD, false), // LABELSST
    (0x0203, false), // NUMBER
    (0x0204, false), // LABEL
    (0x0205, false), // BOOLERR
    (0x027E, false), // RK
];
const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const BOUND_SHEET: u16 = 0x0085;
const DIMENSIONS: u16 = 0x0200;

/// The cells the sheets of a BIFF workbook stream ask for (see [`xls_cells`]).
fn biff_cells(biff: &[u8], limit: u64) -> Result<u64, String> {
    let sheets: Vec<usize> = records(biff, 0)
        .skip(1)
        .take_while(|(kind, _)| *kind != EOF)
        .filter(|(kind, data)| *kind == BOUND_SHEET && data.len() >= 4)
        .map(|(_, data)| u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize)
        .collect();
    // Sheets do not overlap in a sound file: reading them all reads the stream about once.
    let mut budget = biff.len().saturating_mul(4).saturating_add(1 << 20);
    let mut total = 0u64;
    for pos in sheets {
        let (cells, read) = sheet_cells(biff, pos);
        budget = budget
            .checked_sub(read)
            .ok_or("its sheets overlap (the sheet table is damaged)")?;
        total = total.saturating_add(cells);
        if total > limit {
            break;
        }
    }
    Ok(total)
}

/// The cells the sheet at `pos` asks for, and the bytes read to learn it.
fn sheet_cells(biff: &[u8], pos: usize) -> (u64, usize) {
    let (mut extent, mut claimed, mut read, mut depth) = (Extent::default(), 0u64, 0usize, 0);
    for (kind, data) in records(biff, pos) {
        read += 4 + data.len();
        match kind {
            BOF => depth += 1,
            EOF if depth <= 1 => break,
            EOF => depth -= 1,
            // Embedded charts carry cell-like records the reader skips.
            _ if depth > 1 => {}
            DIMENSIONS => claimed = claimed.max(dimensions(data)),
            _ => {
                let Some(&(_, ranged)) = CELL_RECORDS.iter().find(|(k, _)| *k == kind) else {
                    continue;
                };
                if data.len() < 6 {
                    continue;
                }
                let word = |i: usize| u64::from(u16::from_le_bytes([data[i], data[i + 1]]));
                let (row, first) = (word(0), word(2));
                let last = if ranged { word(data.len() - 2) } else { first };
                widen(&mut extent.rows, row, row + 1);
                widen(&mut extent.cols, first.min(last), first.max(last) + 1);
            }
        }
    }
    (extent.cells().max(claimed), read)
}

/// The cells a DIMENSIONS record claims, computed as the reader computes them (32-bit rows
/// in BIFF8, wrapping as its arithmetic does).
fn dimensions(data: &[u8]) -> u64 {
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([data[i], data[i + 1]]));
    let u32_at = |i: usize| u32::from_le_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]);
    let (first_row, rows_end, mut first_col, cols_end) = match data.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        _ => return 0,
    };
    if first_col > 0xFF || cols_end < first_col {
        first_col = 0;
    }
    if rows_end < 1 || cols_end < 1 {
        return 1;
    }
    let span = |first: u32, end: u32| u64::from((end - 1).wrapping_sub(first).wrapping_add(1));
    span(first_row, rows_end).saturating_mul(span(first_col, cols_end))
}

#[cfg(test)]
#[path = "workbook_extent_tests.rs"]
mod tests;
