//! Inventory importers: decoding, format detection (from content, never from the extension),
//! the native TOML and generic CSV formats, and merging several files into one inventory.
//!
//! Every problem names its file and line (and column where practical). Rows that cannot be
//! used are skipped with a [`Warning`] and counted in [`FileReport::skipped`]; with
//! [`ImportOptions::strict`] the first warning is returned as the error instead.

pub(crate) mod chunked;
mod csv_chunks;
pub use csv_chunks::with_chunks;
pub(crate) use sink::Sink;
pub mod csv_generic;
mod csv_rows;
mod csv_table;
mod decode;
mod detect;
pub(crate) mod fingerprint;
pub mod formats;
mod headers;
mod index;
pub mod inspect;
mod interned;
pub(crate) use interned::{tidy, tidy_interned};
pub mod mapping;
mod merge;
mod merge_index;
mod merge_pick;
pub mod native;
mod native_fast;
pub mod provenance;
mod sink;
mod streamed;
mod workbook;
mod workbook_cells;
mod workbook_extent;
mod workbook_guard;
mod workbook_ole;
mod workbook_sheet;

use crate::error::{InputError, Location, Warning, Warnings};
use crate::model::text::Text;
use crate::model::{
    Asset, AssetKind, Criticality, Inventory, Origin, Os, Relation, RelationKind, Software,
};
use crate::model::{FileRef, Named};
use ecow::EcoString;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// How to import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Turn the first warning into an error.
    pub strict: bool,
    /// Read every file in this format instead of detecting it (`--input-format`).
    pub input_format: Option<String>,
    /// The Kaspersky Security Center Administration Server that manages the devices of a KSC
    /// export (`--ksc-server`); found from the inventory when not given.
    pub ksc_server: Option<String>,
    /// Record where each fact of each asset was read ([`Loaded::provenance`]).
    pub provenance: bool,
    /// Read CSVs that have the mapping's columns with it (`--mapping`).
    pub mapping: Option<Arc<mapping::Mapping>>,
    /// Read this sheet of workbooks instead of choosing their inventory sheets (`--sheet`).
    pub sheet: Option<String>,
}

impl ImportOptions {
    /// Options with only `strict` set.
    pub fn strict(strict: bool) -> ImportOptions {
        ImportOptions {
            strict,
            ..ImportOptions::default()
        }
    }
}

pub use workbook::SheetReport;

/// What was read from one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileReport {
    /// The file as given.
    pub path: String,
    /// The format read: "native-toml", "csv-assets", "csv-software", "csv-relations", or the
    /// name of a vendor format (see `formats::format_names`).
    pub format: &'static str,
    /// "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be" | "windows-1252".
    pub encoding: &'static str,
    /// The CSV separator (None for TOML).
    pub separator: Option<char>,
    /// Data rows read (CSV rows, or `[[asset]]` tables for TOML).
    pub rows: usize,
    /// Asset records read; for software and relation files, the assets they created because
    /// no asset file had them.
    pub assets: usize,
    /// Installed-software entries read.
    pub software: usize,
    /// Relations read.
    pub relations: usize,
    /// Rows skipped, by reason.
    pub skipped: BTreeMap<String, usize>,
    /// For a workbook, the sheets read, in workbook order (empty for other files).
    pub sheets: Vec<SheetReport>,
}

/// The merged inventory with what was read from each file and every warning.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// All assets of all files, merged by id.
    pub inventory: Inventory,
    /// One report per file, in the order given.
    pub files: Vec<FileReport>,
    /// Problems that did not stop the import, in the order found.
    pub warnings: Vec<Warning>,
    /// Where each fact of each asset was read (same order as the inventory), when
    /// [`ImportOptions::provenance`] asked for it.
    pub provenance: Option<Vec<provenance::Provenance>>,
}

/// Reads and merges inventory files. Fails on the first unreadable file (missing, a
/// directory, binary, empty, malformed) with a one-line error naming the file.
pub fn load_paths<P: AsRef<Path>>(paths: &[P], opts: &ImportOptions) -> Result<Loaded, InputError> {
    let mut inputs = Vec::with_capacity(paths.len());
    for path in paths {
        let path = path.as_ref();
        let label = path.display().to_string();
        let size = file_size(path, &label)?;
        inputs.push(
            if size >= STREAM_FROM && !workbook::file_is_workbook(path, &label, size)? {
                Input::File(label, path.to_path_buf())
            } else {
                Input::Bytes(label.clone(), read_file(path, &label)?)
            },
        );
    }
    load_inputs(inputs, opts)
}

/// Reads one file through the streaming path whatever its size (the `stream` fuzz target).
pub(crate) fn load_streamed(
    label: String,
    path: std::path::PathBuf,
    opts: &ImportOptions,
) -> Result<Loaded, InputError> {
    load_inputs(vec![Input::File(label, path)], opts)
}

/// Files at least this large are read as a stream by formats that can (osquery logs, large
/// CSV exports), so memory follows the inventory, not the file.
pub const STREAM_FROM: u64 = 32 * 1024 * 1024;

/// A file to import: its content, or (when large) its path to stream from.
enum Input {
    Bytes(String, Vec<u8>),
    File(String, std::path::PathBuf),
}

/// Like [`load_paths`], for contents already in memory: `(label, bytes)` pairs, where the label
/// names the source in reports and messages.
pub fn load_sources(
    sources: Vec<(String, Vec<u8>)>,
    opts: &ImportOptions,
) -> Result<Loaded, InputError> {
    load_inputs(
        sources
            .into_iter()
            .map(|(label, bytes)| Input::Bytes(label, bytes))
            .collect(),
        opts,
    )
}

fn load_inputs(inputs: Vec<Input>, opts: &ImportOptions) -> Result<Loaded, InputError> {
    let mut sink = Sink {
        strict: opts.strict,
        warnings: Warnings::default(),
    };
    let mut files = Vec::with_capacity(inputs.len());
    let mut contents = Vec::with_capacity(inputs.len());
    for (index, input) in inputs.into_iter().enumerate() {
        let (label, content) = match input {
            Input::Bytes(label, bytes) => (label, Ok(bytes)),
            Input::File(label, path) => (label, Err(path)),
        };
        let mut report = FileReport {
            path: label,
            ..FileReport::default()
        };
        match content {
            Ok(bytes) => {
                for content in read_source(bytes, &mut report, &mut sink, opts)? {
                    contents.push((index, content));
                }
            }
            Err(path) => {
                contents.push((index, streamed::read(&path, &mut report, &mut sink, opts)?))
            }
        }
        files.push(report);
    }
    // Asset files first, so that software and relation rows find the assets they belong to
    // whatever order the files were given in.
    let mut merger = merge::Merger::default();
    if opts.provenance {
        merger.track_provenance();
    }
    let mut rest = Vec::new();
    for (index, content) in contents {
        match content {
            Content::Assets(set) => merger.add_assets(set, &mut sink)?,
            other => rest.push((index, other)),
        }
    }
    // Then the device records of vendor exports, then software and relation rows.
    let mut rows = Vec::new();
    // Kept per file, not concatenated: a file can name a million CIs.
    let mut named = Vec::new();
    for (index, content) in rest {
        match content {
            Content::Mixed(mixed) => {
                merger.add_records(mixed.records.drain(), &mut sink)?;
                named.push(mixed.named);
                rows.push((index, Content::Software(mixed.software)));
                rows.push((index, Content::Relations(mixed.relations)));
            }
            other => rows.push((index, other)),
        }
    }
    for cis in named {
        let records = cis.into_iter().map(formats::NamedCi::record);
        merger.add_records(records, &mut sink)?;
    }
    for (index, content) in rows {
        let report = &mut files[index];
        match content {
            Content::Software(rows) => merger.add_software(rows, report),
            Content::Relations(rows) => merger.add_relations(rows, report),
            Content::Assets(_) | Content::Mixed(_) => {}
        }
    }
    merger.link(opts.ksc_server.as_deref(), &mut sink)?;
    let (inventory, provenance) = merger.finish();
    Ok(Loaded {
        inventory,
        files,
        warnings: sink.warnings.into_vec(),
        provenance,
    })
}

fn file_size(path: &Path, label: &str) -> Result<u64, InputError> {
    crate::input::check(path, crate::input::INVENTORY_LIMIT).map_err(|e| read_error(label, e))
}

fn read_error(label: &str, e: crate::input::ReadError) -> InputError {
    InputError::new(Location::file(label), e.describe("an inventory file"))
}

fn io_error(label: &str, e: std::io::Error) -> InputError {
    let message = match e.kind() {
        std::io::ErrorKind::NotFound => "file not found".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => format!("cannot read: {e}"),
    };
    InputError::new(Location::file(label), message)
}

fn read_file(path: &Path, label: &str) -> Result<Vec<u8>, InputError> {
    crate::input::read(path, crate::input::INVENTORY_LIMIT).map_err(|e| read_error(label, e))
}

/// Reads one file: a workbook's inventory sheets, else the decoded text.
fn read_source(
    bytes: Vec<u8>,
    report: &mut FileReport,
    sink: &mut Sink,
    opts: &ImportOptions,
) -> Result<Vec<Content>, InputError> {
    if let Some(kind) = workbook::sniff(&report.path, &bytes) {
        return workbook::load(kind, bytes, report, sink, opts);
    }
    Ok(vec![read_text(bytes, report, sink, opts)?])
}

/// Reads one text file whole: decoded, probed, read by the format it is.
fn read_text(
    bytes: Vec<u8>,
    report: &mut FileReport,
    sink: &mut Sink,
    opts: &ImportOptions,
) -> Result<Content, InputError> {
    let decoded = decode::decode(&report.path, bytes)?;
    report.encoding = decoded.encoding;
    let probe = formats::Probe::new(&report.path, &decoded.text);
    let file = Arc::from(report.path.as_str());
    read_probe(&probe, file, report, sink, opts, false)
}

/// Reads a probed text (a file, or a sheet of a workbook labelled `file`). A text that yields
/// nothing is an error, or with `lenient` (one of several sheets), a warning.
fn read_probe(
    probe: &formats::Probe<'_>,
    file: Arc<str>,
    report: &mut FileReport,
    sink: &mut Sink,
    opts: &ImportOptions,
    lenient: bool,
) -> Result<Content, InputError> {
    let mapped = opts.mapping.as_ref().filter(|m| m.matches(probe));
    let format = match mapped {
        Some(_) => None,
        None => Some(formats::choose(probe, opts.input_format.as_deref(), &file)?),
    };
    // Columns looked up while matching formats are not the chosen reader's columns.
    let head = probe.csv();
    if let Some(head) = head {
        head.forget_lookups();
    }
    let mut ctx = FileCtx {
        origin_file: FileRef::new(&file),
        file,
        sink,
        report,
        shared: interned::Shared::default(),
        first_skip: None,
        head,
        unmapped: None,
    };
    let content = match mapped {
        Some(m) => {
            ctx.report.format = "mapping";
            m.read(probe, &mut ctx)?
        }
        None => {
            let format = format.unwrap_or(&formats::FORMATS[0]);
            ctx.report.format = if format.name == "native" {
                "native-toml"
            } else {
                format.name
            };
            (format.read)(probe, &mut ctx)?
        }
    };
    let found = ctx
        .unmapped
        .as_mut()
        .map(|u| u.take_all())
        .unwrap_or_default();
    let content = fingerprint::attach(content, found, &ctx);
    if lenient && let Some(why) = empty_reason(&content, &ctx) {
        let at = Location::file(&*ctx.file);
        ctx.sink
            .warn(at, format!("{why}; the sheet was not read"))?;
        return Ok(content);
    }
    check_not_empty(content, &mut ctx)
}

/// Fails on a file that gave nothing (exit 2), naming why: an import that silently reads no
/// asset would look like a clean estate. Every importer (buffered and streamed) ends here.
fn check_not_empty(content: Content, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    match empty_reason(&content, ctx) {
        None => Ok(content),
        Some(why) => Err(InputError::new(Location::file(&*ctx.file), why)),
    }
}

/// Why a file's content is empty, when it is.
fn empty_reason(content: &Content, ctx: &FileCtx<'_>) -> Option<String> {
    let empty = match content {
        Content::Assets(set) => set.inv.is_empty(),
        Content::Software(rows) => rows.is_empty(),
        Content::Relations(rows) => rows.is_empty(),
        Content::Mixed(m) => {
            m.records.is_empty()
                && m.named.is_empty()
                && m.software.is_empty()
                && m.relations.is_empty()
        }
    };
    if !empty {
        return None;
    }
    let report = &ctx.report;
    let skipped: usize = report.skipped.values().sum();
    let why = if report.format == "native-toml" {
        "file holds no assets".to_string()
    } else if report.rows == 0 && skipped == 0 {
        "file holds no usable rows: no data rows below the header".to_string()
    } else if report.rows == 0 {
        "file holds no usable rows: every row is empty".to_string()
    } else {
        let reasons: Vec<String> = report
            .skipped
            .iter()
            .filter(|(reason, _)| reason.as_str() != "empty row")
            .map(|(reason, n)| format!("{reason}: {n}"))
            .collect();
        let mut why = format!(
            "file holds no usable rows: all {} data rows were skipped ({})",
            report.rows,
            reasons.join(", ")
        );
        if let Some(first) = &ctx.first_skip {
            why.push_str(&format!("; first problem: {first}"));
        }
        why
    };
    Some(why)
}

/// Everything a parser needs while reading one file.
pub(crate) struct FileCtx<'a> {
    /// The file label, shared by every origin.
    pub file: Arc<str>,
    /// The same label, as the origins of the file's facts hold it.
    origin_file: FileRef,
    pub sink: &'a mut Sink,
    pub report: &'a mut FileReport,
    /// One copy of each repeated text, one parse of each OS text.
    shared: interned::Shared,
    /// The first problem (a skipped row or another warning): where and why, for the error of a
    /// file that yields nothing.
    first_skip: Option<String>,
    /// The probed CSV header, whose looked-up columns are the ones a vendor format maps.
    head: Option<&'a formats::CsvHead>,
    /// The columns watched for flagged-product names (see [`fingerprint`]).
    unmapped: Option<fingerprint::Unmapped>,
}

impl FileCtx<'_> {
    /// Records a warning.
    pub(crate) fn warn(&mut self, location: Location, message: String) -> Result<(), InputError> {
        if self.first_skip.is_none() {
            self.first_skip = Some(format!("{location}: {message}"));
        }
        self.sink.warn(location, message)
    }

    /// [`FileCtx::warn`] of a warning made only when it is kept.
    pub(crate) fn warn_with(
        &mut self,
        make: impl FnOnce() -> (Location, String),
    ) -> Result<(), InputError> {
        if self.first_skip.is_none() {
            let (location, message) = make();
            return self.warn(location, message);
        }
        self.sink.warn_with(make)
    }

    /// Counts a skipped row and records why.
    pub(crate) fn skip(
        &mut self,
        reason: &str,
        location: Location,
        message: String,
    ) -> Result<(), InputError> {
        *self.report.skipped.entry(reason.to_string()).or_default() += 1;
        if self.first_skip.is_none() {
            self.first_skip = Some(format!("{location}: {message}"));
        }
        self.sink.warn(location, message)
    }

    /// An origin at a line of this file.
    pub(crate) fn origin(&self, line: usize) -> Origin {
        Origin::new(self.origin_file, u32::try_from(line).unwrap_or(u32::MAX))
    }

    /// A location at a line of this file.
    pub(crate) fn line(&self, line: usize) -> Location {
        Location::line(&*self.file, line)
    }

    /// Parses an OS, reusing earlier results (inventories repeat a few OS strings many times).
    pub(crate) fn os(&mut self, raw: &str) -> Os {
        self.shared.os(raw)
    }

    /// The shared, cleaned text of a value (see [`crate::model::text::Interner`]).
    pub(crate) fn text(&mut self, raw: &str) -> Text {
        self.shared.text(raw)
    }

    /// [`FileCtx::text`] of a value read as a [`Text`] already (kept when it is the first).
    pub(crate) fn share(&mut self, text: &Text) -> Text {
        self.shared.share(text)
    }

    /// Like [`FileCtx::text`], `None` when the value is empty (also after cleaning).
    pub(crate) fn opt_text(&mut self, raw: &str) -> Option<Text> {
        self.shared.opt_text(raw)
    }
}

/// Whether a field was given in the file or filled with a default (decides merges).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Explicit {
    pub kind: bool,
    pub criticality: bool,
}

/// The assets of one file, with what each record stated explicitly (parallel to the assets).
#[derive(Debug, Default)]
pub(crate) struct AssetSet {
    pub inv: Inventory,
    pub explicit: Vec<Explicit>,
}

/// One row of a software file.
#[derive(Debug)]
pub(crate) struct SoftwareRow {
    pub host: EcoString,
    pub software: Software,
    pub origin: Origin,
    /// The host's OS when the export repeats it on every row (fills an unknown OS).
    pub os: Option<Os>,
}

/// One row of a relation file.
#[derive(Debug)]
pub(crate) struct RelationRow {
    pub from: EcoString,
    pub relation: Relation,
}

/// One device record of a vendor export. Several records (of one file or of several) that
/// name the same device are merged, conflicts reported.
#[derive(Debug)]
pub(crate) struct Record {
    /// The device as the record describes it (`origin` set to its row).
    pub asset: Asset,
    /// Which fields the record stated.
    pub explicit: Explicit,
}

/// What a vendor export holds: device records, software rows and relation rows.
#[derive(Debug, Default)]
pub(crate) struct Mixed {
    pub records: chunked::Chunked<Record>,
    /// CIs only named (by relationship rows): added after every file's records, so that the
    /// id and fields of a real CI record win whatever the order of the files.
    pub named: Vec<formats::NamedCi>,
    pub software: chunked::Chunked<SoftwareRow>,
    pub relations: chunked::Chunked<RelationRow>,
}

/// What one file contributed, before merging.
#[derive(Debug)]
pub(crate) enum Content {
    /// Assets with ids unique within the file (native TOML, generic CSV).
    Assets(AssetSet),
    /// Software rows.
    Software(chunked::Chunked<SoftwareRow>),
    /// Relation rows.
    Relations(chunked::Chunked<RelationRow>),
    /// A vendor export.
    Mixed(Mixed),
}

/// The same text, compared as people read ids and names: case-insensitively.
pub(crate) fn same_text(a: &str, b: &str) -> bool {
    a == b || folded(a).eq(folded(b))
}

/// The characters of `text` lower-cased one by one: what [`same_text`] compares.
pub(crate) fn folded(text: &str) -> impl Iterator<Item = char> + Clone + '_ {
    text.chars().flat_map(char::to_lowercase)
}

/// An asset kind by name or alias.
pub(crate) fn asset_kind(text: &str) -> Option<AssetKind> {
    AssetKind::lookup(text)
}

/// A criticality by name or alias.
pub(crate) fn criticality(text: &str) -> Option<Criticality> {
    Criticality::lookup(text)
}

/// A relation kind by name or alias, also from CMDB pairs (see [`RelationKind::lookup_pair`]).
pub(crate) fn relation_kind(text: &str) -> Option<RelationKind> {
    RelationKind::lookup_pair(text)
}
