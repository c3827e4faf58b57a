//! The generic CSV: one row per asset, with list cells for tags, software and dependencies.
//! Reading dispatches on the header row to the asset, software or relation reader.

use super::csv_chunks;
use super::csv_table::Table;
use super::headers::{self, AssetColumns, CsvKind};
use super::index::with_indexer;
use super::{
    AssetSet, Content, Explicit, FileCtx, FileReport, asset_kind, criticality, csv_rows,
    relation_kind, tidy, tidy_interned,
};
use crate::error::InputError;
use crate::model::Named;
use crate::model::{Asset, AssetKind, Criticality, Inventory, Relation, RelationKind, Software};
use std::sync::Arc;
use thin_vec::ThinVec;

/// Reads any CSV: finds the header, decides from it what the file holds, and reads the rows.
pub(crate) fn read(text: &str, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    let mut table = Table::open(&ctx.file, text)?;
    ctx.report.separator = Some(char::from(table.sep));
    let kind = headers::classify(&table.headers)
        .map_err(|message| InputError::new(ctx.line(table.header_line), message))?;
    match kind {
        CsvKind::Assets(cols) => {
            ctx.report.format = "csv-assets";
            ctx.watch_unmapped(table.headers.len(), &mapped_columns(&cols));
            let before = (
                ctx.sink.warnings.len(),
                ctx.report.clone(),
                ctx.first_skip.clone(),
            );
            let error = match read_assets(&mut table, &cols, ctx) {
                Ok(set) => return Ok(Content::Assets(set)),
                Err(e) => e,
            };
            let software = headers::repeated_host_software(&table.headers, cols.id);
            let carries_software =
                software.0.is_some() || cols.software.is_some() || !cols.security.is_empty();
            if !error.message.starts_with("duplicate asset id") || !carries_software {
                return Err(error);
            }
            // The id repeats and the rows carry software: a per-software export, one row per
            // installed product. Read again, as one record per row that the merge unites.
            ctx.first_skip = before.2;
            ctx.sink.warnings.truncate(before.0);
            *ctx.report = FileReport {
                format: "csv-software",
                ..before.1
            };
            let mut table = Table::open(&ctx.file, text)?;
            csv_rows::read_by_host(&mut table, &cols, software, ctx).map(Content::Mixed)
        }
        CsvKind::Software(cols) => {
            ctx.report.format = "csv-software";
            let mapped = [
                Some(cols.host),
                Some(cols.name),
                cols.version,
                cols.publisher,
                cols.os,
            ];
            let mapped: Vec<usize> = mapped.into_iter().flatten().collect();
            ctx.watch_unmapped(table.headers.len(), &mapped);
            csv_rows::read_software(&mut table, &cols, ctx).map(Content::Software)
        }
        CsvKind::Relations(cols) => {
            ctx.report.format = "csv-relations";
            let mapped: Vec<usize> = [Some(cols.from), Some(cols.to), cols.kind]
                .into_iter()
                .flatten()
                .collect();
            ctx.watch_unmapped(table.headers.len(), &mapped);
            csv_rows::read_relations(&mut table, &cols, ctx).map(Content::Relations)
        }
    }
}

/// Advances to the next row worth reading: counts it, and skips (with a warning) rows that do
/// not fit the header. Rows without any value are skipped and counted, without a warning.
pub(crate) fn next_data_row(
    table: &mut Table<'_>,
    ctx: &mut FileCtx<'_>,
) -> Result<bool, InputError> {
    while table.next_row(&ctx.file)? {
        if table.is_blank() {
            *ctx.report.skipped.entry("empty row".into()).or_default() += 1;
            continue;
        }
        ctx.report.rows += 1;
        if let Some(why) = table.ragged() {
            let at = ctx.line(table.line());
            ctx.skip("ragged row", at, format!("{why}; row skipped"))?;
            continue;
        }
        ctx.scan_unmapped(table)?;
        return Ok(true);
    }
    Ok(false)
}

fn read_assets(
    table: &mut Table<'_>,
    cols: &AssetColumns,
    ctx: &mut FileCtx<'_>,
) -> Result<AssetSet, InputError> {
    let file = Arc::clone(&ctx.file);
    let plan = csv_chunks::plan(table);
    let capacity = plan
        .as_ref()
        .map_or_else(|| table.remaining_lines(), |p| p.remaining);
    let ((), set) = with_indexer(&file, capacity, |indexer| match &plan {
        Some(plan) => csv_chunks::read(table, cols, ctx, indexer, plan),
        None => read_rows(table, cols, ctx, |a, e, l| indexer.push(a, e, l, None)).map(drop),
    })?;
    Ok(set)
}

/// Reads rows until the table ends (or stops), giving each asset with its line to `take`;
/// false when `take` refused one (the index stopped at a duplicate id).
pub(super) fn read_rows(
    table: &mut Table<'_>,
    cols: &AssetColumns,
    ctx: &mut FileCtx<'_>,
    mut take: impl FnMut(Asset, Explicit, usize) -> bool,
) -> Result<bool, InputError> {
    while next_data_row(table, ctx)? {
        let line = table.line();
        let Some((mut asset, explicit)) = read_asset(table, cols, ctx)? else {
            continue;
        };
        security_software(table, cols, &mut asset, ctx);
        // `read_asset` tidied the row's own values; software found in unmapped columns
        // is not interned, so only then is the asset cleaned again.
        let found = ctx.unmapped_software(line);
        if !found.is_empty() {
            asset.software.extend(found);
            tidy(&mut asset);
        }
        ctx.report.software += asset.software.len();
        ctx.report.relations += asset.depends_on.len();
        ctx.report.assets += 1;
        if !take(asset, explicit, line) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The asset of the current row; None when the row is skipped.
pub(crate) fn read_asset(
    table: &Table<'_>,
    cols: &AssetColumns,
    ctx: &mut FileCtx<'_>,
) -> Result<Option<(Asset, Explicit)>, InputError> {
    let line = table.line();
    let id = table.cell(cols.id);
    if id.is_empty() {
        let message = format!(
            "row has no asset id (column \"{}\" is empty); row skipped",
            table.headers[cols.id]
        );
        ctx.skip("missing id", ctx.line(line), message)?;
        return Ok(None);
    }
    let mut asset = Asset::new(id);
    asset.name = non_empty(table.opt_cell(cols.name));
    asset.os = ctx.os(table.opt_cell(cols.os));
    asset.set_site(ctx.opt_text(table.opt_cell(cols.site)));
    asset.set_owner(ctx.opt_text(table.opt_cell(cols.owner)));
    let mut explicit = Explicit::default();
    let inferred = AssetKind::infer(&asset.os);
    asset.kind = inferred;
    if let Some(col) = cols.kind.filter(|&c| !table.cell(c).is_empty()) {
        let text = table.cell(col);
        match asset_kind(text) {
            Some(kind) => (asset.kind, explicit.kind) = (kind, true),
            None => {
                let message = format!(
                    "unknown kind \"{text}\" (expected {}); using {inferred}",
                    AssetKind::names()
                );
                ctx.warn(table.cell_location(&ctx.file, col), message)?;
            }
        }
    }
    if let Some(col) = cols.criticality.filter(|&c| !table.cell(c).is_empty()) {
        let text = table.cell(col);
        match criticality(text) {
            Some(c) => (asset.criticality, explicit.criticality) = (c, true),
            None => {
                let message = format!(
                    "unknown criticality \"{text}\" (expected {}); using medium",
                    Criticality::names()
                );
                ctx.warn(table.cell_location(&ctx.file, col), message)?;
            }
        }
    }
    let tags = table.opt_cell(cols.tags);
    asset.set_tags(list(tags, &['|', ',']).map(|t| ctx.text(t)));
    let software = table.opt_cell(cols.software);
    asset.software = match ctx.shared.software_cell(software) {
        Some(cached) => cached,
        None => {
            let mut read = ThinVec::with_capacity(list(software, &['|']).count());
            read.extend(list(software, &['|']).map(|entry| software_entry(entry, ctx)));
            ctx.shared.remember_software(software, &read);
            read
        }
    };
    if let Some(col) = cols.depends_on {
        let cell = table.cell(col);
        let origin = ctx.origin(line);
        if let Some(cached) = ctx.shared.relation_cell(cell) {
            asset.depends_on = (cached.iter())
                .map(|(target, kind)| Relation {
                    target: target.clone(),
                    kind: *kind,
                    origin: Some(origin),
                })
                .collect();
        } else {
            asset.depends_on = ThinVec::with_capacity(list(cell, &['|']).count());
            let mut warned = false;
            for entry in list(cell, &['|']) {
                let (target, kind) = relation_entry(entry);
                let kind = match kind {
                    Ok(kind) => kind,
                    Err(text) => {
                        let message = format!(
                            "unknown relation kind \"{text}\" in \"{entry}\" (expected {}); using uses",
                            RelationKind::names()
                        );
                        ctx.warn(table.cell_location(&ctx.file, col), message)?;
                        warned = true;
                        RelationKind::Uses
                    }
                };
                let mut relation = Relation::new(ctx.text(target), kind);
                relation.origin = Some(origin);
                asset.depends_on.push(relation);
            }
            if !warned {
                let read = asset.depends_on.iter();
                let read = read.map(|r| (r.target.clone(), r.kind)).collect();
                ctx.shared.remember_relations(cell, read);
            }
        }
    }
    asset.origin = Some(ctx.origin(line));
    tidy_interned(&mut asset);
    Ok(Some((asset, explicit)))
}

/// Cells of a security-product column that say "nothing installed".
const NO_PRODUCT: &[&str] = &[
    "-", "--", "n/a", "na", "none", "no", "nein", "keine", "kein", "ohne", "0", "?",
];

/// The products named in the security-product columns of the current row, as software.
pub(crate) fn security_software(
    table: &Table<'_>,
    cols: &AssetColumns,
    asset: &mut Asset,
    ctx: &mut FileCtx<'_>,
) {
    for &(col, version) in &cols.security {
        let version = ctx.opt_text(table.opt_cell(version));
        for name in list(table.cell(col), &['|']) {
            if NO_PRODUCT.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                continue;
            }
            let mut software = Software::named(ctx.text(name));
            software.version.clone_from(&version);
            asset.software.push(software);
        }
    }
}

/// The columns the asset reader maps; the others are watched for flagged-product names.
pub(crate) fn mapped_columns(cols: &AssetColumns) -> Vec<usize> {
    [
        Some(cols.id),
        cols.name,
        cols.os,
        cols.site,
        cols.owner,
        cols.criticality,
        cols.kind,
        cols.tags,
        cols.software,
        cols.depends_on,
    ]
    .into_iter()
    .flatten()
    .chain(
        cols.security
            .iter()
            .flat_map(|&(c, v)| [Some(c), v])
            .flatten(),
    )
    .collect()
}

/// Some(text) unless empty (a `String` or a [`Text`], as the field wants).
pub(crate) fn non_empty<T: for<'a> From<&'a str>>(text: &str) -> Option<T> {
    (!text.is_empty()).then(|| T::from(text))
}

/// The trimmed, non-empty entries of a list cell.
fn list<'c>(cell: &'c str, separators: &'c [char]) -> impl Iterator<Item = &'c str> + 'c {
    // One separator splits with a byte search, far faster than matching a set per character.
    let (one, many) = match separators {
        [c] => (Some(cell.split(*c)), None),
        _ => (None, Some(cell.split(separators))),
    };
    one.into_iter()
        .flatten()
        .chain(many.into_iter().flatten())
        .map(str::trim)
        .filter(|e| !e.is_empty())
}

/// `name` or `name@version` (split on the last `@`), with shared texts.
fn software_entry(entry: &str, ctx: &mut FileCtx<'_>) -> Software {
    let (name, version) = split_software(entry);
    Software {
        name: ctx.text(name),
        version: version.and_then(|v| ctx.opt_text(v)),
        publisher: None,
    }
}

/// The name and version of `name` or `name@version` (split on the last `@`).
fn split_software(entry: &str) -> (&str, Option<&str>) {
    match entry.rsplit_once('@') {
        Some((name, version)) if !name.trim().is_empty() => (name.trim(), Some(version.trim())),
        _ => (entry, None),
    }
}

/// `id` or `id:kind` (split on the last `:`); the kind text when it is not a known kind.
fn relation_entry(entry: &str) -> (&str, Result<RelationKind, &str>) {
    match entry.rsplit_once(':') {
        Some((id, kind)) if !id.trim().is_empty() => {
            let kind = kind.trim();
            if kind.is_empty() {
                (id.trim(), Ok(RelationKind::Uses))
            } else {
                (id.trim(), relation_kind(kind).ok_or(kind))
            }
        }
        _ => (entry, Ok(RelationKind::Uses)),
    }
}

/// The generic CSV, one row per asset: `id,name,kind,os,site,owner,criticality,tags,software,
/// depends_on`. Software is written as `name@version` (the CSV has no place for publishers);
/// dependencies always as `id:kind`, so ids containing `:` survive.
pub fn write(inv: &Inventory) -> String {
    write_assets(inv.assets())
}

/// [`write`] of a plain list of assets (no index needed, e.g. for `gen`).
pub fn write_assets(assets: &[Asset]) -> String {
    let mut out = Vec::with_capacity(assets.len() * 320);
    // Writing into memory cannot fail, and every cell is UTF-8.
    let _ = write_assets_to(assets, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`write_assets`] row by row into `sink`: a large estate is never held as one string.
pub fn write_assets_to(assets: &[Asset], sink: &mut dyn std::io::Write) -> std::io::Result<()> {
    sink.write_all(b"id,name,kind,os,site,owner,criticality,tags,software,depends_on\n")?;
    let mut out = String::with_capacity(1024);
    for a in assets {
        out.clear();
        let tags = a.tags().map(|t| t.as_str()).collect::<Vec<_>>().join("|");
        let software: Vec<String> = a
            .software
            .iter()
            .map(|s| match &s.version {
                Some(v) => format!("{}@{v}", s.name),
                None => s.name.to_string(),
            })
            .collect();
        let depends: Vec<String> = a
            .depends_on
            .iter()
            .map(|r| format!("{}:{}", r.target, r.kind))
            .collect();
        let cells = [
            a.id.as_str(),
            a.name.as_deref().unwrap_or(""),
            a.kind.as_str(),
            &a.os.raw,
            a.site().map(|t| t.as_str()).unwrap_or(""),
            a.owner().map(|t| t.as_str()).unwrap_or(""),
            a.criticality.as_str(),
            &tags,
            &software.join("|"),
            &depends.join("|"),
        ];
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_cell(&mut out, cell);
        }
        out.push('\n');
        sink.write_all(out.as_bytes())?;
    }
    Ok(())
}

fn push_cell(out: &mut String, cell: &str) {
    let quote = cell.contains([',', '"', '\n', '\r'])
        || cell.starts_with(char::is_whitespace)
        || cell.ends_with(char::is_whitespace);
    if quote {
        out.push('"');
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn software_cells_split_on_the_last_at() {
        assert_eq!(split_software("KES"), ("KES", None));
        let s = split_software("Kaspersky Endpoint Security @ home@12.6.0.438");
        assert_eq!(
            s,
            ("Kaspersky Endpoint Security @ home", Some("12.6.0.438"))
        );
        assert_eq!(split_software("KES@"), ("KES", Some("")));
        assert_eq!(split_software("@1.0"), ("@1.0", None));
    }

    #[test]
    fn relation_cells_split_on_the_last_colon() {
        assert_eq!(relation_entry("ksc-01"), ("ksc-01", Ok(RelationKind::Uses)));
        assert_eq!(
            relation_entry("ksc-01:managed-by"),
            ("ksc-01", Ok(RelationKind::ManagedBy))
        );
        assert_eq!(
            relation_entry("a:b:updates from"),
            ("a:b", Ok(RelationKind::UpdatesFrom))
        );
        assert_eq!(
            relation_entry("ksc-01:"),
            ("ksc-01", Ok(RelationKind::Uses))
        );
        assert_eq!(relation_entry("ksc-01:toaster"), ("ksc-01", Err("toaster")));
        assert_eq!(
            relation_kind("Depends on::Used by"),
            Some(RelationKind::Uses)
        );
        assert_eq!(relation_kind("Runs on::Runs"), Some(RelationKind::RunsOn));
    }

    #[test]
    fn repeated_cells_read_alike_with_their_own_lines_and_warnings() {
        let csv = "id,software,depends_on\n\
                   a,KES@12|Notepad++,b:managed-by|c:toaster\n\
                   b,KES@12|Notepad++,a:managed-by|c\n\
                   c,KES@12|Notepad++,a:managed-by|c:toaster\n\
                   d,,a:managed-by|c\n";
        let loaded = super::super::load_sources(
            vec![("t.csv".into(), csv.as_bytes().to_vec())],
            &super::super::ImportOptions::default(),
        )
        .unwrap();
        let assets = loaded.inventory.assets();
        assert!(
            assets[1..3]
                .iter()
                .all(|a| a.software == assets[0].software)
        );
        assert_eq!(assets[0].software[0].version.as_deref(), Some("12"));
        assert!(assets[3].software.is_empty());
        for (a, line) in assets[1..].iter().zip(3..) {
            let kinds: Vec<_> = a.depends_on.iter().map(|r| r.kind).collect();
            assert_eq!(kinds, [RelationKind::ManagedBy, RelationKind::Uses]);
            assert!(
                a.depends_on
                    .iter()
                    .all(|r| r.origin.as_ref().unwrap().line() == line)
            );
        }
        let toasters = loaded.warnings.iter();
        let lines: Vec<_> = toasters
            .filter(|w| w.message.contains("toaster"))
            .map(|w| w.location.line)
            .collect();
        assert_eq!(lines, [Some(2), Some(4)], "a cell that warned warns again");
    }

    #[test]
    fn list_cells_drop_empty_entries() {
        let tags: Vec<&str> = list(" pilot | kritis,,internet-facing|", &['|', ',']).collect();
        assert_eq!(tags, ["pilot", "kritis", "internet-facing"]);
    }

    #[test]
    fn writer_quotes_only_when_needed() {
        let mut a = Asset::new("ws-1");
        a.name = Some("Müller, \"Dev\"".into());
        a.set_tags(["pilot".into(), "kritis".into()]);
        a.software = thin_vec::thin_vec![
            Software {
                name: "KES".into(),
                version: Some("12.6".into()),
                publisher: None,
            },
            Software::named("Notepad++"),
        ];
        a.depends_on = thin_vec::thin_vec![Relation::new("ksc-01", RelationKind::ManagedBy)];
        let inv = Inventory::from_assets([a]);
        assert_eq!(
            write(&inv),
            "id,name,kind,os,site,owner,criticality,tags,software,depends_on\n\
             ws-1,\"Müller, \"\"Dev\"\"\",other,,,,medium,pilot|kritis,KES@12.6|Notepad++,ksc-01:managed-by\n"
        );
    }
}
