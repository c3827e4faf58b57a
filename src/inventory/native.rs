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
use super::{AssetSet, Explicit, FileCtx, asset_kind, criticality, relation_kind, tidy_interned};
use crate::error::{InputError, Location};
use crate::model::Named;
use crate::model::{Asset, AssetKind, Criticality, Inventory, Relation, RelationKind, Software};
use crate::tomlfmt::ser::{self, Escape, Writer};
use serde::Deserialize;
use std::ops::Range;
use std::sync::Arc;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileDto {
    pub(super) asset: Option<Vec<Spanned<AssetDto>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AssetDto {
    pub(super) id: Spanned<String>,
    pub(super) name: Option<String>,
    pub(super) kind: Option<Spanned<String>>,
    pub(super) os: Option<String>,
    pub(super) site: Option<String>,
    pub(super) owner: Option<String>,
    pub(super) criticality: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) tags: Vec<String>,
    #[serde(default)]
    pub(super) software: Vec<SoftwareDto>,
    #[serde(default)]
    pub(super) depends_on: Vec<RelationDto>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SoftwareDto {
    pub(super) name: Spanned<String>,
    pub(super) version: Option<String>,
    pub(super) publisher: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RelationDto {
    pub(super) id: Spanned<String>,
    pub(super) kind: Option<Spanned<String>>,
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
            let dto = result.map_err(|e| {
                let location = match e.span() {
                    Some(span) => lines.location(&file, text, range.start + span.start),
                    None => Location::file(&*file),
                };
                InputError::new(location, e.message())
            })?;
            let Some(assets) = dto.asset else { continue };
            if batch == 0 && bounds.len() > 1 && !has_table_array_header(&text[range.clone()]) {
                // Parsed whole, TOML would refuse `asset = [...]` followed by `[[asset]]`.
                let at = lines.location(&file, text, bounds[1].start);
                let message = "`asset` is already defined above as an array";
                return Err(InputError::new(at, message));
            }
            for dto in assets {
                ctx.report.rows += 1;
                let (asset, explicit, (line, column)) =
                    convert(dto, range.start, text, &lines, ctx)?;
                ctx.report.software += asset.software.len();
                ctx.report.relations += asset.depends_on.len();
                ctx.report.assets += 1;
                if !indexer.push(asset, explicit, line, Some(column)) {
                    return Ok(());
                }
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

type Parsed = Result<FileDto, toml::de::Error>;

/// Parses the batches, on several threads when there are many.
fn parse_batches(text: &str, bounds: &[Range<usize>]) -> Vec<Parsed> {
    let parse = |r: &Range<usize>| {
        let batch = &text[r.clone()];
        native_fast::parse(batch).map_or_else(|| toml::from_str::<FileDto>(batch), Ok)
    };
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

/// Turns a parsed asset table into an asset, checking names of kinds and criticalities.
fn convert(
    dto: Spanned<AssetDto>,
    base: usize,
    text: &str,
    lines: &LineIndex,
    ctx: &mut FileCtx<'_>,
) -> Result<(Asset, Explicit, (usize, usize)), InputError> {
    let file = Arc::clone(&ctx.file);
    let at = |span: Range<usize>| lines.location(&file, text, base + span.start);
    let header_line = lines.line(base + dto.span().start);
    let d = dto.into_inner();
    let id_at = lines.line_col(text, base + d.id.span().start);
    if d.id.get_ref().trim().is_empty() {
        return Err(InputError::new(at(d.id.span()), "asset id is empty"));
    }
    let mut asset = Asset::new(d.id.into_inner());
    asset.name = d.name;
    asset.os = ctx.os(d.os.as_deref().unwrap_or(""));
    asset.site = d.site.and_then(|s| ctx.opt_text(&s));
    asset.owner = d.owner.and_then(|s| ctx.opt_text(&s));
    let mut explicit = Explicit::default();
    asset.kind = match d.kind {
        None => AssetKind::infer(&asset.os),
        Some(k) => {
            explicit.kind = true;
            asset_kind(k.get_ref()).ok_or_else(|| {
                let message = format!(
                    "unknown kind \"{}\" (expected {})",
                    k.get_ref(),
                    AssetKind::names()
                );
                InputError::new(at(k.span()), message)
            })?
        }
    };
    if let Some(c) = d.criticality {
        explicit.criticality = true;
        asset.criticality = criticality(c.get_ref()).ok_or_else(|| {
            let message = format!(
                "unknown criticality \"{}\" (expected {})",
                c.get_ref(),
                Criticality::names()
            );
            InputError::new(at(c.span()), message)
        })?;
    }
    asset.tags = d.tags.iter().map(|t| ctx.text(t)).collect();
    asset.software.reserve_exact(d.software.len());
    asset.depends_on.reserve_exact(d.depends_on.len());
    for s in d.software {
        if s.name.get_ref().trim().is_empty() {
            return Err(InputError::new(at(s.name.span()), "software name is empty"));
        }
        asset.software.push(Software {
            name: ctx.text(s.name.get_ref()),
            version: s.version.map(|v| ctx.text(&v)),
            publisher: s.publisher.map(|p| ctx.text(&p)),
        });
    }
    for r in d.depends_on {
        if r.id.get_ref().trim().is_empty() {
            return Err(InputError::new(at(r.id.span()), "depends_on id is empty"));
        }
        let kind = match r.kind {
            None => RelationKind::Uses,
            Some(k) => relation_kind(k.get_ref()).ok_or_else(|| {
                let message = format!(
                    "unknown relation kind \"{}\" (expected {})",
                    k.get_ref(),
                    RelationKind::names()
                );
                InputError::new(at(k.span()), message)
            })?,
        };
        let line = lines.line(base + r.id.span().start);
        let mut relation = Relation::new(ctx.text(r.id.get_ref()), kind);
        relation.origin = Some(ctx.origin(line));
        asset.depends_on.push(relation);
    }
    asset.origin = Some(ctx.origin(header_line));
    tidy_interned(&mut asset);
    Ok((asset, explicit, id_at))
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
