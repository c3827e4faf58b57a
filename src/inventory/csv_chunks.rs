//! Reading a large generic asset CSV in chunks, one thread per chunk.
//!
//! The text is cut just after line breaks. Each chunk but the first is parsed on its own
//! thread as if a record started at its cut; whether one does is known only to the parser of
//! the text before it. So the reader of the previous chunk reads on to the first record that
//! starts at or after the cut and confirms that it starts exactly where the next chunk's first
//! record does. When it does not (the cut fell inside a quoted value), that reader goes on
//! through the next chunk itself and the next chunk's work is thrown away. The chunks'
//! assets, warnings and counts are merged in file order: the result is the sequential
//! reader's, byte for byte.

use super::csv_generic::read_rows;
use super::csv_table::Table;
use super::headers::AssetColumns;
use super::index::{Indexer, Pending};
use super::{Explicit, FileCtx, FileReport, Sink};
use crate::error::{InputError, Location, Warnings};
use crate::model::{Asset, Software};
use std::cell::RefCell;
use std::sync::mpsc::SyncSender;

/// An asset read, with what its row stated and the row's line, ready for the index.
type Row = Pending;

/// Rows a chunk's thread hands over at a time.
const BATCH: usize = 512;

/// Texts shorter than this are read on one thread: they take a few tens of milliseconds,
/// and the threads' start and the merge would eat most of what they save.
const MIN_TEXT: usize = 4 * 1024 * 1024;
/// The most chunks, whatever the number of cores.
const MAX_CHUNKS: usize = 8;

/// How a test asks for chunks regardless of the text's size.
#[derive(Clone)]
enum Forced {
    /// This many chunks of about equal size.
    Count(usize),
    /// Cuts at the first line break at or after each of these byte offsets.
    #[cfg(test)]
    At(Vec<usize>),
}

thread_local! {
    static FORCED: RefCell<Option<Forced>> = const { RefCell::new(None) };
}

#[cfg(test)]
thread_local! {
    /// Chunks merged by reads on this thread (tests check that chunking took place).
    static MERGED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Runs `f` with every generic asset CSV it reads (on this thread) cut into `chunks` chunks,
/// however small. For tests that compare chunked and sequential reading.
#[doc(hidden)]
pub fn with_chunks<T>(chunks: usize, f: impl FnOnce() -> T) -> T {
    forced(Forced::Count(chunks), f)
}

/// Like [`with_chunks`], with cuts after the line breaks at or after byte offsets `at`.
#[cfg(test)]
pub(crate) fn with_cuts<T>(at: Vec<usize>, f: impl FnOnce() -> T) -> T {
    forced(Forced::At(at), f)
}

fn forced<T>(how: Forced, f: impl FnOnce() -> T) -> T {
    struct Reset(Option<Forced>);
    impl Drop for Reset {
        fn drop(&mut self) {
            let before = self.0.take();
            FORCED.with(|c| *c.borrow_mut() = before);
        }
    }
    let _reset = Reset(FORCED.with(|c| c.borrow_mut().replace(how)));
    f()
}

/// Where the chunks after the first start.
pub(super) struct Plan {
    /// Byte offsets of the cuts (each just after a line break), increasing.
    cuts: Vec<usize>,
    /// Where a record starting at each cut would start (past further line breaks).
    firsts: Vec<usize>,
    /// The line of each cut.
    lines: Vec<usize>,
    /// Line breaks after the current row: room for the index.
    pub remaining: usize,
}

/// The chunks to read the rest of `table` in; None when it is better read on one thread.
pub(super) fn plan(table: &Table<'_>) -> Option<Plan> {
    let bytes = table.text().as_bytes();
    let from = table.row_start();
    let len = bytes.len().saturating_sub(from);
    let even = |n: usize| (1..n).map(|j| from + len / n * j).collect::<Vec<_>>();
    let targets = match FORCED.with(|c| c.borrow().clone()) {
        Some(Forced::Count(n)) => even(n),
        #[cfg(test)]
        Some(Forced::At(at)) => at,
        None if len < MIN_TEXT => return None,
        None => {
            let cores = std::thread::available_parallelism().map_or(1, usize::from);
            weighted(from, len, cores.min(MAX_CHUNKS))
        }
    };
    let (mut cuts, mut firsts) = (Vec::new(), Vec::new());
    for target in targets.into_iter().filter(|&t| t >= from) {
        let Some(nl) = bytes
            .get(target..)
            .and_then(|b| b.iter().position(|&b| b == b'\n'))
        else {
            continue;
        };
        let cut = target + nl + 1;
        let first = cut + bytes[cut..].iter().take_while(|&&b| is_break(b)).count();
        // The CSV reader drops a byte-order mark at the start of its input, which a chunk's
        // reader would take for the start of the file.
        let bom = bytes[cut..].starts_with("\u{feff}".as_bytes());
        if first < bytes.len() && !bom && cuts.last().is_none_or(|&c| c < cut) {
            cuts.push(cut);
            firsts.push(first);
        }
    }
    if cuts.is_empty() {
        return None;
    }
    let breaks = super::csv_table::count_breaks;
    let (mut line, mut at) = (table.line(), from);
    let mut lines = Vec::with_capacity(cuts.len());
    for &cut in &cuts {
        line += breaks(&bytes[at..cut]);
        lines.push(line);
        at = cut;
    }
    let remaining = line - table.line() + breaks(&bytes[at..]);
    Some(Plan {
        cuts,
        firsts,
        lines,
        remaining,
    })
}

/// Targets for `n` chunks of `len` bytes from `from`, the first half the size of the others:
/// the index thread takes every asset in file order, so the later chunks' assets wait (in
/// memory) until the first chunk is read; a smaller first chunk lets them flow sooner. On
/// two cores, 1:2 used the least memory (0.93 GB for 1,000,000 assets, against 0.97 for
/// 2:3) at the same speed.
fn weighted(from: usize, len: usize, n: usize) -> Vec<usize> {
    let total = 1 + 2 * (n - 1);
    (1..n).map(|j| from + len / total * (2 * j - 1)).collect()
}

fn is_break(b: u8) -> bool {
    b == b'\r' || b == b'\n'
}

/// How reading a span of chunks ended.
enum Span {
    /// At the end of the text.
    End,
    /// At cut `k`, where a record was confirmed to start.
    Cut(usize),
    /// The index stopped (at a duplicate id): reading can stop too.
    Stopped,
}

/// What a chunk's thread read.
struct Chunk {
    /// Ok(how the chunk ended) or the first error in it.
    result: Result<Span, InputError>,
    warnings: Warnings,
    report: FileReport,
    first_skip: Option<String>,
    found: Vec<(usize, Software)>,
}

/// Reads the rest of `table` in the chunks of `plan`: the first on this thread, feeding the
/// index, the others on threads of their own, merged in file order.
pub(super) fn read(
    table: &mut Table<'_>,
    cols: &AssetColumns,
    ctx: &mut FileCtx<'_>,
    indexer: &mut Indexer,
    plan: &Plan,
) -> Result<(), InputError> {
    let bound = buffered_batches(table.text().len(), plan.cuts.len());
    std::thread::scope(|scope| {
        let mut workers: Vec<_> = (0..plan.cuts.len())
            .map(|k| {
                let (tx, rx) = std::sync::mpsc::sync_channel(bound);
                let stop = plan.cuts.get(k + 1).copied().unwrap_or(usize::MAX);
                let chunk = table.resumed_at(plan.cuts[k], plan.lines[k], stop);
                let parts = (
                    std::sync::Arc::clone(&ctx.file),
                    ctx.origin_file,
                    ctx.sink.strict,
                    ctx.report.path.clone(),
                    ctx.unmapped.as_ref().map(|u| u.for_chunk()),
                );
                let worker = scope.spawn(move || read_chunk(chunk, cols, parts, plan, k + 1, tx));
                (Some(rx), Some(worker))
            })
            .collect();
        table.stop_before(plan.cuts[0]);
        let push = |a, e, l| indexer.push(a, e, l, None);
        // A chunk whose cut was passed is not needed: dropping its receiver stops its thread.
        let mut passed = |k: usize| workers[k].0 = None;
        let mut span = read_span(table, cols, ctx, plan, 0, push, &mut passed)?;
        let mut from = 0;
        while let Span::Cut(k) = span {
            for skipped in &mut workers[from..k] {
                skipped.0 = None;
            }
            from = k + 1;
            let (rows, worker) = &mut workers[k];
            // The chunk's assets are indexed while its thread is still reading.
            for batch in rows.iter().flat_map(|r| r.iter()) {
                if !indexer.push_batch(batch) {
                    return Ok(());
                }
            }
            let chunk = worker.take().and_then(|w| w.join().ok());
            let chunk = chunk.ok_or_else(|| {
                InputError::new(Location::file(&*ctx.file), "internal error while reading")
            })?;
            #[cfg(test)]
            MERGED.with(|m| m.set(m.get() + 1));
            ctx.sink.warnings.extend(chunk.warnings);
            let (report, theirs) = (&mut *ctx.report, chunk.report);
            report.rows += theirs.rows;
            report.assets += theirs.assets;
            report.software += theirs.software;
            report.relations += theirs.relations;
            for (reason, n) in theirs.skipped {
                *report.skipped.entry(reason).or_default() += n;
            }
            if ctx.first_skip.is_none() {
                ctx.first_skip = chunk.first_skip;
            }
            if let Some(unmapped) = ctx.unmapped.as_mut() {
                unmapped.append(chunk.found);
            }
            span = chunk.result?;
        }
        Ok(())
    })
}

/// How many batches each of `workers` chunk threads may read ahead of the index.
///
/// A chunk's rows wait in memory until the chunks before it are indexed, and then move into
/// the inventory: the waiting rows are a second copy of part of the estate. They may take as
/// many bytes as the text itself, so memory stays proportional to the file even when its rows
/// are a few bytes each (where a row's asset is many times its text). Files of ordinary rows
/// (a hundred bytes and more) never reach the bound, and their chunks are read in parallel.
fn buffered_batches(text_len: usize, workers: usize) -> usize {
    let batch_bytes = BATCH * std::mem::size_of::<Row>();
    (text_len / batch_bytes / workers.max(1)).max(2)
}

/// What a chunk's thread takes of the file's context: the label (and the origins' copy of
/// it), strictness, the report's path, the options and the unmapped-column watch.
type Parts = (
    std::sync::Arc<str>,
    crate::model::FileRef,
    bool,
    String,
    Option<super::fingerprint::Unmapped>,
);

/// Reads one chunk (and on, until a cut is confirmed) with a context of its own.
fn read_chunk(
    mut table: Table<'_>,
    cols: &AssetColumns,
    (file, origin_file, strict, path, unmapped): Parts,
    plan: &Plan,
    next: usize,
    rows: SyncSender<Vec<Row>>,
) -> Chunk {
    let mut sink = Sink {
        strict,
        warnings: Warnings::default(),
    };
    let mut report = FileReport {
        path,
        ..FileReport::default()
    };
    let mut ctx = FileCtx {
        file,
        origin_file,
        sink: &mut sink,
        report: &mut report,
        shared: super::interned::Shared::default(),
        first_skip: None,
        head: None,
        unmapped,
    };
    let mut batch = Vec::with_capacity(BATCH);
    let keep = |a, e, l| {
        batch.push(Pending::new(a, e, l, None));
        batch.len() < BATCH
            || rows
                .send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                .is_ok()
    };
    let result = read_span(&mut table, cols, &mut ctx, plan, next, keep, &mut |_| {});
    // When the reader has stopped listening, the rows are not needed.
    let _ = rows.send(batch);
    drop(rows);
    let found = ctx
        .unmapped
        .as_mut()
        .map(|u| u.take_all())
        .unwrap_or_default();
    let first_skip = ctx.first_skip.take();
    drop(ctx);
    Chunk {
        result,
        warnings: sink.warnings,
        report,
        first_skip,
        found,
    }
}

/// Reads rows until a cut from `next` on is confirmed as a record's start (or the text
/// ends), giving each asset to `take`; `passed` learns of each cut read past unconfirmed.
fn read_span(
    table: &mut Table<'_>,
    cols: &AssetColumns,
    ctx: &mut FileCtx<'_>,
    plan: &Plan,
    mut next: usize,
    mut take: impl FnMut(Asset, Explicit, usize) -> bool,
    passed: &mut dyn FnMut(usize),
) -> Result<Span, InputError> {
    loop {
        if !read_rows(table, cols, ctx, &mut take)? {
            return Ok(Span::Stopped);
        }
        let Some(held) = table.held_at() else {
            return Ok(Span::End);
        };
        // The held row starts at or after cut `next`: a match confirms that cut; a row
        // beyond it passes it (and perhaps more cuts) without confirming.
        loop {
            match plan.cuts.get(next) {
                None => {
                    table.stop_before(usize::MAX);
                    break;
                }
                Some(&cut) if held < cut => {
                    table.stop_before(cut);
                    break;
                }
                Some(_) if held == plan.firsts[next] => return Ok(Span::Cut(next)),
                Some(_) => {
                    passed(next);
                    next += 1;
                }
            }
        }
    }
}

#[cfg(test)]
#[path = "csv_chunks_tests.rs"]
mod tests;
