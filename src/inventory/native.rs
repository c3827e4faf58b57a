//! The native TOML inventory: an `[[asset]]` table per asset (see docs/inventory-format.md).
//!
//! The `toml` crate slows down super-linearly on one huge document, so a large file is cut at
//! lines that are exactly `[[asset]]` into batches parsed one by one (in parallel), and spans
//! are shifted back to positions in the whole file. A file with multi-line strings is parsed
//! whole, since a `[[asset]]` line could sit inside such a string. Each batch is first given to
//! [`super::native_fast`], which reads the plain TOML this module writes several times faster;
//! the `toml` crate reads what it declines.

use super::index::with_indexer;
use super::native_fast;
use super::{AssetSet, Explicit, FileCtx, tidy_interned};
use crate::error::{InputError, Location};
use crate::model::{Asset, AssetKind, Inventory};
use crate::tomlfmt::ser::{self, Escape, Writer};
use serde::Deserialize;
use std::ops::Range;
use std::sync::Arc;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One asset table as read, before [`finish`] checks and shares it: the [`Asset`] its
/// `Deserialize` gives (the one definition of the keys) and where its parts were.
#[derive(Debug, PartialEq)]
pub(super) struct Table {
    pub(super) asset: Asset,
    pub(super) at: Marks,
}

/// Byte offsets in the parsed text of an asset table's parts, and which defaults it states.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Marks {
    /// The table (its `[[asset]]` header).
    pub(super) header: usize,
    /// The value of `id`.
    pub(super) id: usize,
    /// `kind` was given (else it is inferred from the OS).
    pub(super) kind: bool,
    /// `criticality` was given.
    pub(super) criticality: bool,
    /// The value of each software entry's `name`.
    pub(super) software: Vec<usize>,
    /// The value of each dependency's `id`.
    pub(super) relations: Vec<usize>,
}

/// A batch's `asset` array (`None` when the batch has no `asset` key).
pub(super) type Tables = Option<Vec<Table>>;

/// A whole batch as the `toml` crate reads it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    asset: Option<Vec<Asset>>,
}

/// Reads a batch with the `toml` crate: the assets through their `Deserialize`, the marks
/// from the same parsed document.
pub(super) fn parse_toml(text: &str) -> Result<Tables, toml::de::Error> {
    let root = DeTable::parse(text)?;
    let marks = marks(root.get_ref());
    let file = File::deserialize(toml::de::Deserializer::from(root))?;
    Ok(file.asset.map(|assets| {
        assets
            .into_iter()
            .zip(
                marks
                    .into_iter()
                    .chain(std::iter::repeat_with(Marks::default)),
            )
            .map(|(asset, at)| Table { asset, at })
            .collect()
    }))
}

/// The marks of every asset table of a parsed document.
fn marks(root: &DeTable<'_>) -> Vec<Marks> {
    let Some(DeValue::Array(assets)) = get(root, "asset").map(Spanned::get_ref) else {
        return Vec::new();
    };
    assets
        .iter()
        .map(|table| {
            let start = table.span().start;
            let fields = match table.get_ref() {
                DeValue::Table(t) => Some(t),
                _ => None,
            };
            let key = |name| fields.and_then(|t| get(t, name));
            // Where each element's `inner` value starts, for the array under `name`.
            let offsets = |name, inner| match key(name).map(Spanned::get_ref) {
                Some(DeValue::Array(items)) => items
                    .iter()
                    .map(|item| match item.get_ref() {
                        DeValue::Table(t) => get(t, inner).map_or(item.span().start, at),
                        _ => item.span().start,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            Marks {
                header: start,
                id: key("id").map_or(start, at),
                kind: key("kind").is_some(),
                criticality: key("criticality").is_some(),
                software: offsets("software", "name"),
                relations: offsets("depends_on", "id"),
            }
        })
        .collect()
}

fn get<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(_, v)| v)
}

fn at(value: &Spanned<DeValue<'_>>) -> usize {
    value.span().start
}

/// Assets per separately parsed batch: small enough to stay in the parser's linear range.
const BATCH: usize = 256;

/// Batches parsed together (in parallel) before their assets are taken over.
const PARSE_CHUNK: usize = 32;

/// Reads a native TOML inventory.
pub(crate) fn read(text: &str, ctx: &mut FileCtx<'_>) -> Result<AssetSet, InputError> {
    crate::tomlfmt::check_punctuation(text, &ctx.file)?;
    let starts = batch_starts(text);
    let mut bounds: Vec<Range<usize>> = starts.windows(2).map(|w| w[0]..w[1]).collect();
    bounds.push(starts.last().copied().unwrap_or(0)..text.len());
    let file = Arc::clone(&ctx.file);
    let capacity = bounds.len().saturating_sub(1).max(1) * BATCH;
    let ((), set) = with_indexer(&file, capacity, |indexer| {
        // Parsed a chunk at a time, so that only one chunk's tables are in memory at once.
        let parsed = bounds
            .chunks(PARSE_CHUNK)
            .flat_map(|chunk| parse_batches(text, chunk));
        // Line starts are indexed one batch at a time (a whole-file index of a large file
        // would cost memory for the whole read).
        let mut first_line = 1;
        for (batch, (range, result)) in bounds.iter().zip(parsed).enumerate() {
            let lines = LineIndex::window(text, range.clone(), first_line);
            first_line += lines.starts.len() - 1;
            let (tables, failure) = match result {
                Ok(tables) => (tables, None),
                Err(e) => {
                    let location = match e.span() {
                        Some(span) => lines.location(&file, text, range.start + span.start),
                        None => Location::file(&*file),
                    };
                    // A value refused by an asset's `Deserialize` fails the whole batch; the
                    // tables before its own are still indexed, so that a problem earlier in
                    // the file (a duplicate id) is the one reported.
                    let before = e.span().and_then(|span| {
                        let cut = last_header_before(&text[range.clone()], span.start)?;
                        parse_batch(&text[range.start..range.start + cut]).ok()?
                    });
                    (before, Some(InputError::new(location, e.message())))
                }
            };
            let Some(tables) = tables else {
                match failure {
                    Some(error) => return Err(error),
                    None => continue,
                }
            };
            if failure.is_none()
                && batch == 0
                && bounds.len() > 1
                && !has_table_array_header(&text[range.clone()])
            {
                // Parsed whole, TOML would refuse `asset = [...]` followed by `[[asset]]`.
                let at = lines.location(&file, text, bounds[1].start);
                let message = "`asset` is already defined above as an array";
                return Err(InputError::new(at, message));
            }
            for table in tables {
                ctx.report.rows += 1;
                let (asset, explicit, (line, column)) =
                    finish(table, range.start, text, &lines, ctx)?;
                ctx.report.software += asset.software.len();
                ctx.report.relations += asset.depends_on.len();
                ctx.report.assets += 1;
                if !indexer.push(asset, explicit, line, Some(column)) {
                    return Ok(());
                }
            }
            if let Some(error) = failure {
                return Err(error);
            }
        }
        Ok(())
    })?;
    Ok(set)
}

/// Offsets where batches start: 0 (the preamble, possibly empty), then every `BATCH`-th
/// `[[asset]]` line. Just `[0]` when the file must be parsed whole.
fn batch_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    if text.contains("\"\"\"") || text.contains("'''") {
        return starts;
    }
    let (mut count, mut line_start) = (0, 0);
    // A line is a batch start when it holds `[[asset]]` and at most white space and a comment.
    for line in text.split_inclusive('\n') {
        let rest = line.trim().strip_prefix("[[asset]]").map(str::trim_start);
        if rest.is_some_and(|r| r.is_empty() || r.starts_with('#')) {
            if count % BATCH == 0 {
                starts.push(line_start);
            }
            count += 1;
        }
        line_start += line.len();
    }
    starts
}

/// True when some line of `text` opens an array of tables (`[[asset]]` in any spelling), so
/// assets in it are tables, not a static `asset = [...]` array.
fn has_table_array_header(text: &str) -> bool {
    text.lines().any(|l| l.trim_start().starts_with("[["))
}

/// Where the last `[[asset]]` line at or before `offset` starts, unless at the very start.
fn last_header_before(batch: &str, offset: usize) -> Option<usize> {
    let mut line_start = 0;
    let mut found = None;
    for line in batch.split_inclusive('\n') {
        if line_start > offset {
            break;
        }
        if line.trim_start().starts_with("[[asset]]") {
            found = Some(line_start);
        }
        line_start += line.len();
    }
    found.filter(|&at| at > 0)
}

type Parsed = Result<Tables, toml::de::Error>;

/// Parses one batch: by the fast reader when it can, else by the `toml` crate.
fn parse_batch(batch: &str) -> Parsed {
    native_fast::parse(batch).map_or_else(|| parse_toml(batch), Ok)
}

/// Parses the batches, on several threads when there are many.
fn parse_batches(text: &str, bounds: &[Range<usize>]) -> Vec<Parsed> {
    let parse = |r: &Range<usize>| parse_batch(&text[r.clone()]);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if bounds.len() < 8 || threads < 2 {
        return bounds.iter().map(parse).collect();
    }
    let per_thread = bounds.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = bounds
            .chunks(per_thread)
            .map(|chunk| scope.spawn(move || chunk.iter().map(parse).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .zip(bounds.chunks(per_thread))
            .flat_map(|(h, chunk)| {
                h.join()
                    .unwrap_or_else(|_| chunk.iter().map(parse).collect())
            })
            .collect()
    })
}

/// Checks a table read from the batch at `base` and completes its asset: ids and software
/// names not blank, the kind inferred when not given, texts and OS shared and cleaned,
/// origins set. Gives the asset, what it stated, and the line and column of its id.
fn finish(
    table: Table,
    base: usize,
    text: &str,
    lines: &LineIndex,
    ctx: &mut FileCtx<'_>,
) -> Result<(Asset, Explicit, (usize, usize)), InputError> {
    let Table { mut asset, at } = table;
    let file = Arc::clone(&ctx.file);
    let error = |offset: usize, message: &str| {
        InputError::new(lines.location(&file, text, base + offset), message)
    };
    if asset.id.trim().is_empty() {
        return Err(error(at.id, "asset id is empty"));
    }
    let blank = |name: &str| name.trim().is_empty();
    if let Some(i) = asset.software.iter().position(|s| blank(&s.name)) {
        let offset = at.software.get(i).copied().unwrap_or(at.header);
        return Err(error(offset, "software name is empty"));
    }
    if let Some(i) = asset.depends_on.iter().position(|r| blank(&r.target)) {
        let offset = at.relations.get(i).copied().unwrap_or(at.header);
        return Err(error(offset, "depends_on id is empty"));
    }
    let explicit = Explicit {
        kind: at.kind,
        criticality: at.criticality,
    };
    asset.os = ctx.os(&asset.os.raw);
    if !explicit.kind {
        asset.kind = AssetKind::infer(&asset.os);
    }
    asset.texts_mut(|t| *t = ctx.share(t));
    // The assets stay for the whole session: no room kept from reading.
    asset.fit();
    for (relation, offset) in asset.depends_on.iter_mut().zip(&at.relations) {
        relation.origin = Some(ctx.origin(lines.line(base + offset)));
    }
    asset.origin = Some(ctx.origin(lines.line(base + at.header)));
    tidy_interned(&mut asset);
    Ok((asset, explicit, lines.line_col(text, base + at.id)))
}

/// Byte offsets of the line starts in a window of the text (which starts at a line start), to
/// turn spans into lines and columns.
struct LineIndex {
    starts: Vec<usize>,
    first_line: usize,
}

impl LineIndex {
    #[cfg(test)]
    fn new(text: &str) -> LineIndex {
        LineIndex::window(text, 0..text.len(), 1)
    }

    /// The lines of `text[range]`, the first of which is line `first_line` of the file. The
    /// start just past the window's last line end is included.
    fn window(text: &str, range: Range<usize>, first_line: usize) -> LineIndex {
        let mut starts = vec![range.start];
        starts.extend(
            text.as_bytes()[range.clone()]
                .iter()
                .enumerate()
                .filter(|&(_, b)| *b == b'\n')
                .map(|(i, _)| range.start + i + 1),
        );
        LineIndex { starts, first_line }
    }

    /// Position in `starts` of the line holding a byte offset.
    fn slot(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1) - 1
    }

    /// 1-based line of a byte offset.
    fn line(&self, offset: usize) -> usize {
        self.first_line + self.slot(offset)
    }

    /// 1-based line and character column of a byte offset.
    fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let slot = self.slot(offset);
        let line = self.first_line + slot;
        let start = self.starts[slot];
        let column = text
            .get(start..offset.min(text.len()))
            .map_or(offset.saturating_sub(start), |s| s.chars().count())
            + 1;
        (line, column)
    }

    /// File, line and column of a byte offset.
    fn location(&self, file: &str, text: &str, offset: usize) -> Location {
        let (line, column) = self.line_col(text, offset);
        Location::at(file, line, column)
    }
}

/// The canonical native TOML of an inventory: one `[[asset]]` table per asset in inventory
/// order, keys in the documented order, empty and default values left out (criticality
/// `medium`, relation kind `uses`), software and dependencies as arrays of inline tables
/// (serialised from [`Asset`] by [`crate::tomlfmt::ser`]).
pub fn write(inv: &Inventory) -> String {
    write_assets(inv.assets())
}

/// [`write`] of a plain list of assets (no index needed, e.g. for `gen`).
pub fn write_assets(assets: &[Asset]) -> String {
    let mut out = String::with_capacity(assets.len() * 400);
    // Writing into a string cannot fail, and an asset is a struct the serializer lays out.
    let _ = write_to(assets, &mut out);
    out
}

fn write_to(assets: &[Asset], out: &mut String) -> Result<(), ser::Error> {
    let mut w = Writer::new(out, Escape::Visible);
    if assets.is_empty() {
        w.line("# an inventory without assets")?;
    }
    for a in assets {
        w.array_table("asset", a)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        let mut out = String::new();
        ser::write_string(&mut out, "a\"b\\c\nd\u{1b}e\u{202E}f😀ü", Escape::Visible).unwrap();
        assert_eq!(out, r#""a\"b\\c\nd\u001Be\u202Ef😀ü""#);
        let parsed: toml::Table = toml::from_str(&format!("x = {out}")).expect("valid TOML");
        assert_eq!(parsed["x"].as_str(), Some("a\"b\\c\nd\u{1b}e\u{202E}f😀ü"));
    }

    #[test]
    fn batches_start_at_lone_asset_lines() {
        let mut text = String::from("# inventory\n");
        for i in 0..(BATCH * 2 + 3) {
            text.push_str(&format!("[[asset]]\nid = \"a{i}\"\n\n"));
        }
        let starts = batch_starts(&text);
        assert_eq!(starts.len(), 4, "preamble and three batches");
        assert_eq!(&text[starts[1]..starts[1] + 20], "[[asset]]\nid = \"a0\"\n");
        assert!(text[starts[2]..].starts_with(&format!("[[asset]]\nid = \"a{BATCH}\"")));
        assert_eq!(batch_starts("x = \"\"\"\n[[asset]]\n\"\"\"\n"), [0]);
        assert_eq!(batch_starts("[[asset]]\nid = \"a\"\n"), [0, 0]);
        assert_eq!(batch_starts(" \t[[asset]] \r\n[[asset]] x\n"), [0, 0]);
    }

    #[test]
    fn batch_starts_skip_asset_headers_that_are_not_alone_on_their_line() {
        // One long line mentioning `[[asset]]` many times (its speed: `cargo bench --bench
        // hostile_input`).
        let mut text = String::from("note = \"");
        text.push_str(&"[[asset]] ".repeat(1_000));
        text.push_str("\"\n[[asset]]\nid = \"a\"\n");
        let starts = batch_starts(&text);
        assert_eq!(starts, [0, text.rfind("\n[[asset]]").unwrap() + 1]);
    }

    #[test]
    fn the_last_header_before_an_offset_is_found() {
        let batch = "[[asset]]\nid = \"a\"\n  [[asset]] # b\nid = \"b\"\n";
        assert_eq!(last_header_before(batch, 5), None, "the first table");
        assert_eq!(last_header_before(batch, 30), Some(19));
        assert_eq!(last_header_before("asset = [{ id = \"a\" }]\n", 12), None);
    }

    #[test]
    fn line_index_gives_character_columns() {
        let text = "ab\nüx = 1\n";
        let window = LineIndex::window("a\nb\ncd\n", 2..7, 2);
        assert_eq!((window.line(2), window.line(4)), (2, 3));
        assert_eq!(window.line_col("a\nb\ncd\n", 5), (3, 2));
        assert_eq!(window.line(7), 4, "the start just past the window");
        let lines = LineIndex::new(text);
        assert_eq!(lines.location("f", text, 0).to_string(), "f:1:1");
        assert_eq!(lines.location("f", text, 5).to_string(), "f:2:2");
    }
}
