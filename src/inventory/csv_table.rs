//! A CSV table: separator sniffing, the header row, and data rows with exact line numbers.

use super::detect::excel_separator_hint;
use crate::error::{InputError, Location};

/// The most columns a row may have; real exports have at most a few hundred.
pub(crate) const MAX_COLUMNS: usize = 10_000;
/// The most bytes one value may hold.
pub(crate) const MAX_FIELD: usize = 1024 * 1024;

/// True when `e` is the refusal of a row over [`MAX_COLUMNS`] or [`MAX_FIELD`].
pub(crate) fn is_limit(e: &InputError) -> bool {
    e.message.contains(", over the limit of ")
}

/// Refuses a row wider than [`MAX_COLUMNS`] or holding a value longer than [`MAX_FIELD`]
/// (starting at `line` of `label`): no export has such rows, and reading on would only cost
/// time.
pub(crate) fn check_record(
    record: &csv::ByteRecord,
    label: &str,
    line: usize,
) -> Result<(), InputError> {
    let at = || Location::line(label, line);
    if record.len() > MAX_COLUMNS {
        return Err(InputError::new(
            at(),
            format!(
                "row has {} columns, over the limit of {MAX_COLUMNS}",
                record.len()
            ),
        ));
    }
    if let Some(long) = record.iter().position(|f| f.len() > MAX_FIELD) {
        return Err(InputError::new(
            at(),
            format!(
                "value {} is {}, over the limit of {} for one value",
                long + 1,
                crate::input::human_size(record[long].len() as u64),
                crate::input::human_size(MAX_FIELD as u64)
            ),
        ));
    }
    Ok(())
}

/// Separators tried, in the order that wins a tie.
const SEPARATORS: [u8; 4] = [b'\t', b';', b',', b'|'];

/// A CSV table being read row by row.
pub(crate) struct Table<'t> {
    text: &'t str,
    /// Detected separator.
    pub sep: u8,
    /// Header names as written (trimmed); empty trailing names are dropped.
    pub headers: Vec<String>,
    /// 1-based line of the header row.
    pub header_line: usize,
    /// Byte offset of the header row in `text`; the reader starts there.
    base: usize,
    reader: csv::Reader<&'t [u8]>,
    record: csv::ByteRecord,
    /// Line counting cursor: `line_at` is the line of byte `counted_to`.
    counted_to: usize,
    line_at: usize,
    row_start: usize,
    /// Rows starting at or after this byte are held back: [`Table::next_row`] stops before
    /// them (a chunk's end, see `csv_chunks`).
    stop_at: usize,
    /// The row held back at `stop_at`, read (and checked) by the next call once the stop is
    /// moved.
    held: bool,
    quoting: bool,
    /// Where each cell of the current row starts, found in one pass when a location is first
    /// asked for: a row of ten thousand flagged cells is not re-scanned per cell.
    positions: std::cell::OnceCell<Vec<(usize, usize)>>,
}

impl<'t> Table<'t> {
    /// Finds the header row (skipping blank lines, a PowerShell `#TYPE` line and Excel's `sep=`
    /// line), detects the separator and reads the header.
    pub(crate) fn open(label: &str, text: &'t str) -> Result<Table<'t>, InputError> {
        Table::open_with(label, text, true)
    }

    /// Like [`Table::open`], for exports that never quote their values (OCS Inventory's
    /// software export): a `"` is an ordinary character, so a value that starts with one does
    /// not swallow the lines after it.
    pub(crate) fn open_unquoted(label: &str, text: &'t str) -> Result<Table<'t>, InputError> {
        Table::open_with(label, text, false)
    }

    fn open_with(label: &str, text: &'t str, quoting: bool) -> Result<Table<'t>, InputError> {
        let (base, header_line, hint) = find_header(text)
            .ok_or_else(|| InputError::new(Location::file(label), "no header row found"))?;
        let sep = hint.unwrap_or_else(|| sniff_separator(&text[base..]));
        let reader = csv::ReaderBuilder::new()
            .delimiter(sep)
            .has_headers(false)
            .flexible(true)
            .quoting(quoting)
            .from_reader(&text.as_bytes()[base..]);
        let mut table = Table {
            text,
            sep,
            headers: Vec::new(),
            header_line,
            base,
            reader,
            record: csv::ByteRecord::new(),
            counted_to: base,
            line_at: header_line,
            row_start: base,
            positions: std::cell::OnceCell::new(),
            stop_at: usize::MAX,
            held: false,
            quoting,
        };
        if !table.next_row(label)? {
            return Err(InputError::new(
                Location::file(label),
                "no header row found",
            ));
        }
        let mut headers: Vec<String> = (0..table.record.len())
            .map(|i| {
                table
                    .cell(i)
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_string()
            })
            .collect();
        while headers.last().is_some_and(String::is_empty) {
            headers.pop();
        }
        if headers.is_empty() {
            let at = Location::line(label, header_line);
            return Err(InputError::new(at, "the header row has no column names"));
        }
        table.headers = headers;
        Ok(table)
    }

    /// A table like this one (same separator and header) whose rows start at byte `start` of
    /// the text, which is on line `line`, and stop before `stop_at`. `start` must follow a
    /// line break; whether a record ends there is for the caller to confirm.
    pub(crate) fn resumed_at(&self, start: usize, line: usize, stop_at: usize) -> Table<'t> {
        let reader = csv::ReaderBuilder::new()
            .delimiter(self.sep)
            .has_headers(false)
            .flexible(true)
            .quoting(self.quoting)
            .from_reader(&self.text.as_bytes()[start..]);
        Table {
            text: self.text,
            sep: self.sep,
            headers: self.headers.clone(),
            header_line: self.header_line,
            base: start,
            reader,
            record: csv::ByteRecord::new(),
            counted_to: start,
            line_at: line,
            row_start: start,
            positions: std::cell::OnceCell::new(),
            stop_at,
            held: false,
            quoting: self.quoting,
        }
    }

    /// The text the table reads.
    pub(crate) fn text(&self) -> &'t str {
        self.text
    }

    /// Byte offset where the current (or held back) row starts.
    pub(crate) fn row_start(&self) -> usize {
        self.row_start
    }

    /// Where the row held back at the stop starts; None when reading ended otherwise.
    pub(crate) fn held_at(&self) -> Option<usize> {
        self.held.then_some(self.row_start)
    }

    /// Moves the stop: the next [`Table::next_row`] returns the held-back row if it now
    /// comes before `stop_at`.
    pub(crate) fn stop_before(&mut self, stop_at: usize) {
        self.stop_at = stop_at;
    }

    /// Reads the next data row; false at the end (or before a row at the stop).
    pub(crate) fn next_row(&mut self, label: &str) -> Result<bool, InputError> {
        if self.held {
            return self.deliver(label);
        }
        let more = self
            .reader
            .read_byte_record(&mut self.record)
            .map_err(|e| {
                InputError::new(
                    Location::line(label, self.line_at),
                    format!("unreadable CSV: {e}"),
                )
            })?;
        if !more {
            return Ok(false);
        }
        let bytes = self.text.as_bytes();
        // The reader reports where it started looking, which can be the line break(s) that
        // ended the previous record (`\r\r\n`, skipped blank lines).
        let mut start = self.base + self.record.position().map_or(0, |p| p.byte() as usize);
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if let Some(skipped) = bytes.get(self.counted_to..start) {
            self.line_at += skipped.iter().filter(|&&b| b == b'\n').count();
            self.counted_to = start;
        }
        self.row_start = start;
        self.positions = std::cell::OnceCell::new();
        self.deliver(label)
    }

    /// Hands out the row just read, or holds it back when it starts at the stop.
    fn deliver(&mut self, label: &str) -> Result<bool, InputError> {
        self.held = self.row_start >= self.stop_at;
        if self.held {
            return Ok(false);
        }
        self.check_limits(label)?;
        Ok(true)
    }

    fn check_limits(&self, label: &str) -> Result<(), InputError> {
        check_record(&self.record, label, self.line_at)
    }

    /// Lines after the current row: an upper bound of the rows still to come, for sizing.
    pub(crate) fn remaining_lines(&self) -> usize {
        let rest = self
            .text
            .as_bytes()
            .get(self.row_start..)
            .unwrap_or_default();
        count_breaks(rest)
    }

    /// 1-based line where the current row starts.
    pub(crate) fn line(&self) -> usize {
        self.line_at
    }

    /// The cell at `index` of the current row, trimmed; "" when the row is shorter.
    pub(crate) fn cell(&self, index: usize) -> &str {
        self.record
            .get(index)
            .and_then(|b| std::str::from_utf8(b).ok())
            .map_or("", str::trim)
    }

    /// Number of fields of the current row, empty trailing ones included.
    pub(crate) fn fields(&self) -> usize {
        self.record.len()
    }

    /// The cell of an optional column.
    pub(crate) fn opt_cell(&self, index: Option<usize>) -> &str {
        index.map_or("", |i| self.cell(i))
    }

    /// True when every cell of the current row is empty (e.g. a padding row `;;;`).
    pub(crate) fn is_blank(&self) -> bool {
        (0..self.record.len()).all(|i| self.cell(i).is_empty())
    }

    /// Why the current row does not fit the header, if it does not. Cells beyond the named
    /// columns may exist (trailing separators) as long as they are empty.
    pub(crate) fn ragged(&self) -> Option<String> {
        ragged_row(&self.record, self.headers.len(), self.line_at, |i| {
            self.cell(i).is_empty()
        })
    }

    /// 1-based line and column where cell `index` of the current row starts (past the last
    /// cell: where the row ends).
    pub(crate) fn cell_position(&self, index: usize) -> (usize, usize) {
        let positions = self.positions.get_or_init(|| self.row_positions());
        positions[index.min(positions.len() - 1)]
    }

    /// The start of every cell of the current row, then where the row ends: one pass over the
    /// row, counting characters as it goes.
    fn row_positions(&self) -> Vec<(usize, usize)> {
        let bytes = self.text.as_bytes();
        let mut line = self.line_at;
        let line_start = self.text[..self.row_start].rfind('\n').map_or(0, |i| i + 1);
        // Characters from the start of the line to `pos`.
        let mut chars = self
            .text
            .get(line_start..self.row_start)
            .map_or(0, |s| s.chars().count());
        let mut out = vec![(line, chars + 1)];
        let (mut pos, mut quoted) = (self.row_start, false);
        while let Some(&b) = bytes.get(pos) {
            match b {
                b'"' => quoted = !quoted,
                b'\n' if !quoted => break,
                b'\n' => line += 1,
                _ => {}
            }
            pos += 1;
            if b == b'\n' {
                chars = 0;
            } else if b & 0xC0 != 0x80 {
                chars += 1;
            }
            if b == self.sep && !quoted {
                out.push((line, chars + 1));
            }
        }
        out.push((line, chars + 1));
        out
    }

    /// Location of cell `index` of the current row.
    pub(crate) fn cell_location(&self, label: &str, index: usize) -> Location {
        if crate::error::is_sheet_label(label) {
            // A workbook sheet's table has one line per row and one field per column.
            return Location::at(label, self.line_at, index + 1);
        }
        let (line, column) = self.cell_position(index);
        Location::at(label, line, column)
    }
}

/// The line feeds in `bytes`, counted in blocks whose sums fit a byte (so the count is
/// vectorised: a large file's lines are counted before it is read).
pub(crate) fn count_breaks(bytes: &[u8]) -> usize {
    let mut blocks = bytes.chunks_exact(255);
    let mut total = 0;
    for block in &mut blocks {
        total += usize::from(block.iter().map(|&b| u8::from(b == b'\n')).sum::<u8>());
    }
    total + blocks.remainder().iter().filter(|&&b| b == b'\n').count()
}

/// Byte offset and 1-based line of the header row, and the separator an Excel `sep=` line names.
fn find_header(text: &str) -> Option<(usize, usize, Option<u8>)> {
    let (mut pos, mut line, mut first, mut hint) = (0, 1, true, None);
    while pos < text.len() {
        let rest = &text[pos..];
        let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let content = rest[..end].trim();
        if !content.is_empty() {
            if !first {
                return Some((pos, line, hint));
            }
            first = false;
            if let Some(sep) = excel_separator_hint(&rest[..end]) {
                hint = u8::try_from(sep).ok().filter(u8::is_ascii);
            } else if !content.starts_with("#TYPE ") {
                return Some((pos, line, hint));
            }
        }
        pos += end;
        line += 1;
    }
    None
}

/// The separator that occurs most often outside quotes in the header row (the first line of
/// `text`, or more while a quoted name spans lines).
pub(crate) fn sniff_separator(text: impl AsRef<[u8]>) -> u8 {
    let mut counts = [0usize; SEPARATORS.len()];
    let mut quoted = false;
    for &b in text.as_ref() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if quoted => {}
            _ => {
                if let Some(i) = SEPARATORS.iter().position(|&s| s == b) {
                    counts[i] += 1;
                }
            }
        }
    }
    let mut best = 2; // ',' when nothing is found: a one-column file
    for (i, &n) in counts.iter().enumerate() {
        if n > counts[best] || (n == counts[best] && n > 0 && i < best) {
            best = i;
        }
    }
    SEPARATORS[best]
}

/// Why a row of `record` does not fit a header of `columns` names, if it does not. Cells
/// beyond the named columns may exist (trailing separators) as long as they are empty.
pub(crate) fn ragged_row(
    record: &csv::ByteRecord,
    columns: usize,
    line: usize,
    is_empty: impl Fn(usize) -> bool,
) -> Option<String> {
    let len = record.len();
    if len >= columns && (columns..len).all(is_empty) {
        return None;
    }
    let mut message = format!(
        "row has {len} field{}, the header has {columns}",
        if len == 1 { "" } else { "s" }
    );
    let spanned = record.as_slice().iter().filter(|&&b| b == b'\n').count();
    if spanned > 0 {
        message.push_str(&format!(
            " (the row runs over lines {line}-{}: an unclosed quote?)",
            line + spanned
        ));
    }
    Some(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Rows = Vec<(usize, Vec<String>)>;

    fn read(text: &str) -> (Table<'_>, Rows) {
        let mut t = Table::open("f", text).expect("opens");
        let mut out = Vec::new();
        while t.next_row("f").expect("reads") {
            let cells = (0..t.record.len()).map(|i| t.cell(i).to_string()).collect();
            out.push((t.line(), cells));
        }
        (t, out)
    }

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn separator_is_sniffed_outside_quotes() {
        assert_eq!(sniff_separator("a,b,c\n"), b',');
        assert_eq!(sniff_separator("a;b;c,d\n"), b';');
        assert_eq!(sniff_separator("a\tb\tc\n"), b'\t');
        assert_eq!(sniff_separator("a|b|c\n"), b'|');
        assert_eq!(sniff_separator("\"a;b;c\",d\n"), b',');
        assert_eq!(sniff_separator("single\n"), b',');
        assert_eq!(sniff_separator("a;b,c\n"), b';', "ties prefer ;");
        assert_eq!(
            sniff_separator("a,b\nc;d;e;f\n"),
            b',',
            "only the header row counts"
        );
    }

    #[test]
    fn line_numbers_survive_crcrlf_blank_lines_and_quoted_newlines() {
        let text = "\n\nid,note\r\r\nws1,a\r\r\n\r\nws2,\"two\nlines\"\nws3,c\n";
        let (t, rows) = read(text);
        assert_eq!(t.header_line, 3);
        assert_eq!(t.headers, ["id", "note"]);
        assert_eq!(
            rows,
            [
                (4, row(&["ws1", "a"])),
                (6, row(&["ws2", "two\nlines"])),
                (8, row(&["ws3", "c"])),
            ]
        );
    }

    #[test]
    fn type_line_and_excel_hint_are_skipped() {
        let (t, rows) = read("#TYPE System.Data.DataRow\r\n\"a\",\"b\"\r\n\"1\",\"2\"\r\n");
        assert_eq!((t.header_line, t.sep), (2, b','));
        assert_eq!(rows, [(3, row(&["1", "2"]))]);
        let (t, rows) = read("sep=|\na;b|c\n1;2|3\n");
        assert_eq!(t.sep, b'|');
        assert_eq!(t.headers, ["a;b", "c"]);
        assert_eq!(rows, [(3, row(&["1;2", "3"]))]);
        let (t, rows) = read("sep=\t\r\na;b\tc,d\r\n1;2\t3,4\r\n");
        assert_eq!((t.header_line, t.sep), (2, b'\t'));
        assert_eq!(t.headers, ["a;b", "c,d"]);
        assert_eq!(rows, [(3, row(&["1;2", "3,4"]))]);
    }

    #[test]
    fn no_header_row_is_an_error() {
        let e = Table::open("f", "#TYPE x\n\n").err().expect("fails");
        assert_eq!(e.to_string(), "f: no header row found");
        let e = Table::open("f", "\n;;\n1;2\n").err().expect("fails");
        assert_eq!(e.to_string(), "f:2: the header row has no column names");
    }

    #[test]
    fn trailing_separators_are_dropped_and_ragged_rows_found() {
        let text = "a;b;;\n1;2;;\n1;2\n1\n1;2;;x\n1;2;;;;\n";
        let mut t = Table::open("f", text).expect("opens");
        assert_eq!(t.headers, ["a", "b"]);
        let mut verdicts = Vec::new();
        while t.next_row("f").expect("reads") {
            verdicts.push(t.ragged());
        }
        assert_eq!(
            verdicts,
            [
                None,
                None,
                Some("row has 1 field, the header has 2".to_string()),
                Some("row has 4 fields, the header has 2".to_string()),
                None,
            ]
        );
    }

    #[test]
    fn cell_positions_are_one_based_and_count_characters() {
        let text = "id;name;os\nwä1;\"x;\ny\";Windows 11\n";
        let mut t = Table::open("f", text).expect("opens");
        assert!(t.next_row("f").expect("reads"));
        assert_eq!(t.cell_position(0), (2, 1));
        assert_eq!(t.cell_position(1), (2, 5));
        assert_eq!(t.cell_position(2), (3, 4));
        assert_eq!(t.cell_location("f", 2).to_string(), "f:3:4");
    }

    #[test]
    fn rows_preceded_by_crlf_without_a_final_line_end() {
        // OCS Inventory: unquoted header with a trailing separator, CRLF before each row.
        let text = "TAG;Computer;\r\n\"NA\";\"ws1\";\r\n\"NA\";\"ws2\";";
        let (t, rows) = read(text);
        assert_eq!(t.headers, ["TAG", "Computer"]);
        assert_eq!(
            rows,
            [(2, row(&["NA", "ws1", ""])), (3, row(&["NA", "ws2", ""]))]
        );
    }

    #[test]
    fn unquoted_tables_take_quotes_literally() {
        let text = "a;b\r\n\"x;1;\r\ny\";2;\r\n";
        let mut t = Table::open_unquoted("f", text).expect("opens");
        let mut rows = Vec::new();
        while t.next_row("f").expect("reads") {
            let cells: Vec<String> = (0..t.fields()).map(|i| t.cell(i).to_string()).collect();
            rows.push((t.line(), cells));
        }
        assert_eq!(
            rows,
            [(2, row(&["\"x", "1", ""])), (3, row(&["y\"", "2", ""]))]
        );
    }

    #[test]
    fn an_unclosed_quote_is_hinted() {
        let text = "a,b,c\n1,\"2\n3,4\n";
        let mut t = Table::open("f", text).expect("opens");
        assert!(t.next_row("f").expect("reads"));
        assert_eq!(
            t.ragged().as_deref(),
            Some(
                "row has 2 fields, the header has 3 (the row runs over lines 2-4: an unclosed quote?)"
            )
        );
    }
}
