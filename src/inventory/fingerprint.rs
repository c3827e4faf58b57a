//! No silent ignore: a cell of a column that no importer maps, but whose text names a flagged
//! product (matches a fingerprint of the built-in rules), is read as software of the row's
//! asset, with a warning naming the column (an error with `--strict`). Every CSV reader shares
//! this: the generic CSV, mapping files, software and relation CSVs and the vendor formats.
//!
//! Vendor formats declare nothing: the columns they look up through the probed header
//! (`CsvHead::find`) while reading count as mapped, every other column is watched. Streamed
//! CSVs (Defender TVM) declare their columns; JSON formats whose objects describe a machine
//! (Defender API machines, KSC Open API hosts) check the keys they do not read
//! (`ksc_json::unread_products`).

use super::csv_table::Table;
use super::formats::defender_stream::CsvStream;
use super::{Content, FileCtx, Mixed, SoftwareRow};
use crate::error::InputError;
use crate::error::Location;
use crate::model::Software;
use crate::rules::RuleSet;
use std::collections::HashMap;

/// Texts matched against the built-in fingerprints, with a cache (exports repeat a few texts).
pub(crate) struct Fingerprints {
    rules: RuleSet,
    seen: HashMap<String, Option<String>>,
}

impl Fingerprints {
    /// The built-in fingerprints.
    pub(crate) fn new() -> Fingerprints {
        Fingerprints {
            rules: RuleSet::builtin(),
            seen: HashMap::new(),
        }
    }

    /// The flagged product `text` names, if any (text without a letter names none, nor a
    /// hexadecimal id such as a GUID or a device hash).
    pub(crate) fn product(&mut self, text: &str) -> Option<String> {
        let hex_id = |t: &str| {
            t.chars()
                .all(|c| c.is_ascii_hexdigit() || "-{}".contains(c))
        };
        if !text.chars().any(char::is_alphabetic) || hex_id(text) {
            return None;
        }
        if let Some(product) = self.seen.get(text) {
            return product.clone();
        }
        let product = self
            .rules
            .match_software(&Software::named(text))
            .map(|(rule, _)| self.rules.rules()[rule].product.clone());
        if self.seen.len() < 4096 {
            self.seen.insert(text.to_string(), product.clone());
        }
        product
    }
}

/// The current row of a CSV read whole ([`Table`]) or streamed ([`CsvStream`]).
pub(crate) trait Row {
    /// The header of column `col` ("" past the last).
    fn header(&self, col: usize) -> &str;
    /// The cell at `col` of the current row, trimmed.
    fn cell(&self, col: usize) -> &str;
    /// The 1-based line where the current row starts.
    fn line(&self) -> usize;
    /// Where cell `col` of the current row is.
    fn location(&self, label: &str, col: usize) -> Location;
}

impl Row for Table<'_> {
    fn header(&self, col: usize) -> &str {
        self.headers.get(col).map_or("", String::as_str)
    }
    fn cell(&self, col: usize) -> &str {
        Table::cell(self, col)
    }
    fn line(&self) -> usize {
        Table::line(self)
    }
    fn location(&self, label: &str, col: usize) -> Location {
        self.cell_location(label, col)
    }
}

impl Row for CsvStream<'_> {
    fn header(&self, col: usize) -> &str {
        self.headers.get(col).map_or("", String::as_str)
    }
    fn cell(&self, col: usize) -> &str {
        CsvStream::cell(self, col)
    }
    fn line(&self) -> usize {
        CsvStream::line(self)
    }
    fn location(&self, label: &str, _col: usize) -> Location {
        // A stream keeps no text to count columns in: the column is named by the message.
        Location::line(label, CsvStream::line(self))
    }
}

/// The columns of one CSV that its reader does not map, and what was found in them.
pub(crate) struct Unmapped {
    columns: Vec<usize>,
    mapped: Vec<usize>,
    prints: Fingerprints,
    /// Software found, by the line of its row, not yet given to an asset.
    found: Vec<(usize, Software)>,
}

impl Unmapped {
    /// Watches every column of a `width`-column table except `mapped`.
    pub(crate) fn new(width: usize, mapped: &[usize]) -> Unmapped {
        Unmapped {
            columns: (0..width).filter(|c| !mapped.contains(c)).collect(),
            mapped: mapped.iter().copied().filter(|&c| c < width).collect(),
            prints: Fingerprints::new(),
            found: Vec::new(),
        }
    }

    /// Checks the current row: each watched cell that names a flagged product is kept as
    /// software of the row's line, with a warning.
    pub(crate) fn scan(
        &mut self,
        table: &dyn Row,
        ctx: &mut FileCtx<'_>,
    ) -> Result<(), InputError> {
        for &col in &self.columns {
            let text = table.cell(col).trim();
            // An install path or a URL names a folder, not what is installed.
            if text.contains(['\\', '/']) {
                continue;
            }
            let Some(product) = self.prints.product(text) else {
                continue;
            };
            // A copy of a mapped cell (Win32_Product's `Caption` repeats `Name`) was read there.
            if self.mapped.iter().any(|&c| table.cell(c).trim() == text) {
                continue;
            }
            let header = table.header(col);
            let file = ctx.file.clone();
            ctx.warn_with(|| {
                let message = format!(
                    "column \"{header}\" is not an inventory column, but \"{text}\" names \
                     {product}; read as software"
                );
                (table.location(&file, col), message)
            })?;
            self.found.push((table.line(), Software::named(text)));
        }
        Ok(())
    }

    /// The software found in the row at `line` (taken: the caller gives it to the row's asset).
    pub(crate) fn take_line(&mut self, line: usize) -> Vec<Software> {
        if !self.found.iter().any(|(l, _)| *l == line) {
            return Vec::new();
        }
        let (mine, rest) = std::mem::take(&mut self.found)
            .into_iter()
            .partition(|(l, _)| *l == line);
        self.found = rest;
        mine.into_iter().map(|(_, s)| s).collect()
    }

    /// A watch of the same columns for another chunk of the same file, nothing found yet.
    pub(crate) fn for_chunk(&self) -> Unmapped {
        Unmapped {
            columns: self.columns.clone(),
            mapped: self.mapped.clone(),
            prints: Fingerprints::new(),
            found: Vec::new(),
        }
    }

    /// Adds what the watch of a later chunk found and did not give away.
    pub(crate) fn append(&mut self, found: Vec<(usize, Software)>) {
        self.found.extend(found);
    }

    /// Everything found and not yet taken, by line.
    pub(crate) fn take_all(&mut self) -> Vec<(usize, Software)> {
        std::mem::take(&mut self.found)
    }
}

impl FileCtx<'_> {
    /// Watches every column but `mapped` of a `width`-column table for flagged-product names
    /// (readers that know their columns; vendor formats are watched without asking).
    pub(crate) fn watch_unmapped(&mut self, width: usize, mapped: &[usize]) {
        self.unmapped = Some(Unmapped::new(width, mapped));
    }

    /// Checks the current row's unmapped cells for flagged-product names (see the module documentation).
    pub(crate) fn scan_unmapped(&mut self, table: &Table<'_>) -> Result<(), InputError> {
        if self.unmapped.is_none() {
            let Some(head) = self.head else {
                return Ok(());
            };
            self.watch_unmapped(table.headers.len(), &head.lookups());
        }
        let Some(mut unmapped) = self.unmapped.take() else {
            return Ok(());
        };
        let scanned = unmapped.scan(table, self);
        self.unmapped = Some(unmapped);
        scanned
    }

    /// The flagged product `text` names, if any (with the file's cache of fingerprints).
    pub(crate) fn flagged_product(&mut self, text: &str) -> Option<String> {
        let unmapped = self.unmapped.get_or_insert_with(|| Unmapped::new(0, &[]));
        unmapped.prints.product(text)
    }

    /// Checks the current row of a streamed CSV (watched with [`Self::watch_unmapped`]).
    pub(crate) fn scan_row(&mut self, row: &dyn Row) -> Result<(), InputError> {
        let Some(mut unmapped) = self.unmapped.take() else {
            return Ok(());
        };
        let scanned = unmapped.scan(row, self);
        self.unmapped = Some(unmapped);
        scanned
    }

    /// The software found in unmapped cells of the row at `line`, for its asset.
    pub(crate) fn unmapped_software(&mut self, line: usize) -> Vec<Software> {
        self.unmapped
            .as_mut()
            .map(|u| u.take_line(line))
            .unwrap_or_default()
    }
}

/// Gives the software found in unmapped cells to the asset read from the same row: the
/// record of that line, else the host of its software row, else the dependent of its relation
/// row. A row that gave no asset (skipped) gives its finds to nobody (its warning stays).
pub(crate) fn attach(
    content: Content,
    found: Vec<(usize, Software)>,
    ctx: &FileCtx<'_>,
) -> Content {
    if found.is_empty() {
        return content;
    }
    let line_of = |o: Option<&crate::model::Origin>| o.map_or(0, |o| o.line() as usize);
    match content {
        Content::Assets(mut set) => {
            // The first asset of a line is the row's own (a row may also name its host).
            let mut at: HashMap<usize, usize> = HashMap::new();
            for (i, a) in set.inv.assets().iter().enumerate() {
                at.entry(line_of(a.origin.as_ref())).or_insert(i);
            }
            for (line, software) in found {
                if let Some(&i) = at.get(&line) {
                    set.inv.asset_mut(i).software.push(software);
                }
            }
            Content::Assets(set)
        }
        Content::Software(rows) => Content::Mixed(with_found(
            Mixed {
                software: rows,
                ..Mixed::default()
            },
            found,
            ctx,
        )),
        Content::Relations(rows) => Content::Mixed(with_found(
            Mixed {
                relations: rows,
                ..Mixed::default()
            },
            found,
            ctx,
        )),
        Content::Mixed(mixed) => Content::Mixed(with_found(mixed, found, ctx)),
    }
}

fn with_found(mut mixed: Mixed, found: Vec<(usize, Software)>, ctx: &FileCtx<'_>) -> Mixed {
    let line_of = |o: &crate::model::Origin| o.line() as usize;
    let mut hosts: HashMap<usize, String> = HashMap::new();
    let rows = mixed.relations.iter().filter_map(|r| {
        let line = line_of(r.relation.origin.as_ref()?);
        Some((line, r.from.as_str()))
    });
    let rows = rows
        .chain(
            mixed
                .software
                .iter()
                .map(|r| (line_of(&r.origin), r.host.as_str())),
        )
        // Reversed: of the records of one line, the first (the row's own asset) wins.
        .chain(mixed.records.iter().rev().filter_map(|r| {
            let line = line_of(r.asset.origin.as_ref()?);
            Some((line, r.asset.id.as_str()))
        }));
    // Later sources overwrite earlier ones: a record beats a software row beats a relation.
    for (line, host) in rows {
        hosts.insert(line, host.to_string());
    }
    for (line, software) in found {
        if let Some(host) = hosts.get(&line) {
            mixed.software.push(SoftwareRow {
                host: host.as_str().into(),
                software,
                origin: ctx.origin(line),
                os: None,
            });
        }
    }
    mixed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_name_flagged_products_only() {
        let mut f = Fingerprints::new();
        assert!(f.product("Kaspersky Endpoint Security 12.6").is_some());
        assert!(
            f.product("Kaspersky Endpoint Security 12.6").is_some(),
            "cached"
        );
        assert_eq!(f.product("Microsoft Office"), None);
        assert_eq!(f.product("12.6.0"), None);
        assert_eq!(f.product(""), None);
    }

    #[test]
    fn found_software_is_taken_by_line() {
        let mut u = Unmapped::new(3, &[0, 2]);
        assert_eq!(u.columns, [1]);
        u.found.push((2, Software::named("a")));
        u.found.push((3, Software::named("b")));
        assert_eq!(u.take_line(2), [Software::named("a")]);
        assert!(u.take_line(2).is_empty());
        assert_eq!(u.take_all(), [(3, Software::named("b"))]);
    }
}
