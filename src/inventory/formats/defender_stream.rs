//! A CSV table read from a stream of decoded text (used by the Defender TVM reader, whose
//! exports reach hundreds of megabytes): the header row found as [`Table`] finds it (blank
//! lines, a PowerShell `#TYPE` line and Excel's `sep=` line skipped, the separator sniffed),
//! then records with the 1-based line where each starts.
//!
//! [`Table`]: crate::inventory::csv_table::Table

use crate::error::InputError;
use crate::input::{RECORD_LIMIT, read_until_limited};
use crate::inventory::FileCtx;
use crate::inventory::csv_table::sniff_separator;
use crate::inventory::detect::excel_separator_hint;
use crate::inventory::headers::normalise_header;
use std::io::{BufRead, Read};

/// The CSV reader's buffer.
const BUFFER: usize = 1 << 16;

/// A CSV being read record by record from a stream.
pub(crate) struct CsvStream<'a> {
    reader: csv::Reader<Counting<'a>>,
    record: csv::ByteRecord,
    /// Header names as written (trimmed); empty trailing names dropped.
    pub headers: Vec<String>,
    keys: Vec<String>,
    /// Lines before the first data line.
    before_data: usize,
    line: usize,
}

/// Counts what the CSV reader takes from the stream, to tell where a record ends, and
/// refuses a record that grows past [`RECORD_LIMIT`] before the CSV reader buffers all of it.
struct Counting<'a> {
    inner: &'a mut dyn BufRead,
    total: u64,
    /// Where the record being read starts (the byte after the last whole record).
    record_start: u64,
    last: u8,
    eof: bool,
}

impl Read for Counting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // The CSV reader reads ahead by at most its buffer, so this allows that much slack.
        if self.total - self.record_start > (RECORD_LIMIT + BUFFER) as u64 {
            return Err(crate::input::record_too_long(RECORD_LIMIT));
        }
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.eof = true;
        } else {
            self.total += n as u64;
            self.last = buf[n - 1];
        }
        Ok(n)
    }
}

impl<'a> CsvStream<'a> {
    /// Reads up to the header row and the header; sets the report's separator.
    pub(crate) fn open(
        input: &'a mut dyn BufRead,
        ctx: &mut FileCtx<'_>,
    ) -> Result<CsvStream<'a>, InputError> {
        let io = |e: std::io::Error| InputError::new(ctx.line(1), format!("cannot read: {e}"));
        let (mut line_no, mut first, mut hint) = (0usize, true, None);
        let mut header = loop {
            let mut buf = Vec::new();
            if read_until_limited(input, b'\n', &mut buf, RECORD_LIMIT).map_err(io)? == 0 {
                let at = crate::error::Location::file(&*ctx.file);
                return Err(InputError::new(at, "no header row found"));
            }
            line_no += 1;
            let text = String::from_utf8_lossy(&buf);
            let content = text.trim().trim_start_matches('\u{feff}');
            if content.is_empty() {
                continue;
            }
            if first {
                first = false;
                if let Some(sep) = excel_separator_hint(&text) {
                    hint = u8::try_from(sep).ok().filter(u8::is_ascii);
                    continue;
                }
                if content.starts_with("#TYPE ") {
                    continue;
                }
            }
            break buf;
        };
        let header_line = line_no;
        // A quoted header name may span lines; the whole header stays within the record limit,
        // and each line read is counted for quotes once.
        let quotes = |bytes: &[u8]| bytes.iter().filter(|&&b| b == b'"').count();
        let mut open_quote = quotes(&header) % 2 == 1;
        while open_quote {
            let before = header.len();
            if read_until_limited(input, b'\n', &mut header, RECORD_LIMIT).map_err(io)? == 0 {
                break;
            }
            line_no += 1;
            open_quote ^= quotes(&header[before..]) % 2 == 1;
        }
        let sep = hint.unwrap_or_else(|| sniff_separator(&header));
        let mut headers: Vec<String> = csv::ReaderBuilder::new()
            .delimiter(sep)
            .has_headers(false)
            .flexible(true)
            .from_reader(header.as_slice())
            .byte_records()
            .next()
            .and_then(Result::ok)
            .map(|r| {
                r.iter()
                    .map(|c| {
                        String::from_utf8_lossy(c)
                            .trim_start_matches('\u{feff}')
                            .trim()
                            .to_string()
                    })
                    .collect()
            })
            .unwrap_or_default();
        while headers.last().is_some_and(String::is_empty) {
            headers.pop();
        }
        if headers.is_empty() {
            let message = "the header row has no column names".to_string();
            return Err(InputError::new(ctx.line(header_line), message));
        }
        ctx.report.separator = Some(char::from(sep));
        let reader = csv::ReaderBuilder::new()
            .delimiter(sep)
            .has_headers(false)
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .buffer_capacity(BUFFER)
            .from_reader(Counting {
                inner: input,
                total: 0,
                record_start: 0,
                last: b'\n',
                eof: false,
            });
        Ok(CsvStream {
            reader,
            record: csv::ByteRecord::new(),
            keys: headers.iter().map(|h| normalise_header(h)).collect(),
            headers,
            before_data: line_no,
            line: line_no,
        })
    }

    /// Position of the first header among `names` (normalised, as `CsvHead::find`).
    pub(crate) fn find(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| {
            let k = normalise_header(n);
            self.keys.iter().position(|x| *x == k)
        })
    }

    /// 1-based line where the current record starts.
    pub(crate) fn line(&self) -> usize {
        self.line
    }

    /// The cell at `index` of the current record, trimmed; "" when the row is shorter.
    pub(crate) fn cell(&self, index: usize) -> &str {
        self.record
            .get(index)
            .and_then(|b| std::str::from_utf8(b).ok())
            .map_or("", str::trim)
    }

    /// The cell of an optional column.
    pub(crate) fn opt_cell(&self, index: Option<usize>) -> &str {
        index.map_or("", |i| self.cell(i))
    }

    /// Reads the next record; false at the end. Blank lines are passed over.
    fn next_record(&mut self, ctx: &FileCtx<'_>) -> Result<bool, InputError> {
        loop {
            let more = self
                .reader
                .read_byte_record(&mut self.record)
                .map_err(|e| {
                    InputError::new(ctx.line(self.line), format!("unreadable CSV: {e}"))
                })?;
            if !more {
                return Ok(false);
            }
            // The reader counts every line break it consumed; the record ends on the line
            // before the next unread byte unless it is the last one and has no line break.
            let pos = self.reader.position();
            let (end_line, consumed) = (pos.line() as usize, pos.byte());
            self.reader.get_mut().record_start = consumed;
            let counter = self.reader.get_ref();
            let unterminated = counter.eof && consumed == counter.total && counter.last != b'\n';
            let inside = self
                .record
                .as_slice()
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            let start = end_line.saturating_sub(inside + usize::from(!unterminated));
            self.line = self.before_data + start.max(1);
            crate::inventory::csv_table::check_record(&self.record, &ctx.file, self.line)?;
            let blank_line = self.record.len() == 1 && self.record[0].iter().all(|&b| b == b'\r');
            if !blank_line {
                return Ok(true);
            }
        }
    }

    /// Advances to the next row worth reading, as `csv_generic::next_data_row`: counts it,
    /// skips (counted, no warning) rows without any value and (with a warning) rows that do
    /// not fit the header.
    pub(crate) fn next_data_row(&mut self, ctx: &mut FileCtx<'_>) -> Result<bool, InputError> {
        while self.next_record(ctx)? {
            if self.is_blank() {
                *ctx.report.skipped.entry("empty row".into()).or_default() += 1;
                continue;
            }
            ctx.report.rows += 1;
            if let Some(why) = self.ragged() {
                ctx.skip(
                    "ragged row",
                    ctx.line(self.line),
                    format!("{why}; row skipped"),
                )?;
                continue;
            }
            return Ok(true);
        }
        Ok(false)
    }

    /// True when every cell of the current row is empty or blank.
    fn is_blank(&self) -> bool {
        match self
            .record
            .as_slice()
            .iter()
            .find(|b| !b.is_ascii_whitespace())
        {
            None => true,
            Some(b) if b.is_ascii() => false,
            // Unicode whitespace is judged cell by cell.
            Some(_) => (0..self.record.len()).all(|i| self.cell(i).is_empty()),
        }
    }

    /// Why the current row does not fit the header (as `Table::ragged`).
    fn ragged(&self) -> Option<String> {
        crate::inventory::csv_table::ragged_row(&self.record, self.headers.len(), self.line, |i| {
            self.cell(i).is_empty()
        })
    }
}
