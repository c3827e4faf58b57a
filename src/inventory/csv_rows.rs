//! CSV files with one installed product or one dependency per row.

use super::chunked::Chunked;
use super::csv_generic::{mapped_columns, next_data_row, read_asset, security_software};
use super::csv_table::Table;
use super::headers::{AssetColumns, RelationColumns, SoftwareColumns};
use super::{FileCtx, Mixed, Record, RelationRow, SoftwareRow, relation_kind};
use crate::error::InputError;
use crate::model::Named;
use crate::model::text::clean;
use crate::model::{Relation, RelationKind, Software};

/// Reads `asset,name,version,publisher` rows.
pub(crate) fn read_software(
    table: &mut Table<'_>,
    cols: &SoftwareColumns,
    ctx: &mut FileCtx<'_>,
) -> Result<Chunked<SoftwareRow>, InputError> {
    // A row per line, sized once rather than doubled.
    let mut rows = Chunked::default();
    while next_data_row(table, ctx)? {
        let line = table.line();
        let host = clean(table.cell(cols.host));
        let name = clean(table.cell(cols.name));
        if host.is_empty() {
            let column = &table.headers[cols.host];
            let mut message = format!("row has no asset (column \"{column}\" is empty)");
            if column.eq_ignore_ascii_case("PSComputerName") {
                message.push_str(
                    " as a local Get-CimInstance or Get-Package export leaves it: add \
                     @{n='PSComputerName';e={$env:COMPUTERNAME}} to its Select-Object",
                );
            }
            message.push_str("; row skipped");
            ctx.skip("missing asset", ctx.line(line), message)?;
            continue;
        }
        if name.is_empty() {
            let message = format!(
                "row has no software name (column \"{}\" is empty); row skipped",
                table.headers[cols.name]
            );
            ctx.skip("missing software name", ctx.line(line), message)?;
            continue;
        }
        // Shared: exports repeat a few products, versions and publishers on every row.
        let software = Software {
            name: ctx.text(&name),
            version: ctx.opt_text(table.opt_cell(cols.version)),
            publisher: ctx.opt_text(table.opt_cell(cols.publisher)),
        };
        let os = Some(table.opt_cell(cols.os))
            .filter(|os| !os.is_empty())
            .map(|os| ctx.os(os));
        rows.push(SoftwareRow {
            host: host.into(),
            software,
            origin: ctx.origin(line),
            os,
        });
        ctx.report.software += 1;
    }
    let skipped = |reason: &str| ctx.report.skipped.get(reason).copied().unwrap_or(0);
    let others: usize = ctx.report.skipped.values().sum::<usize>() - skipped("empty row");
    if rows.is_empty() && others > 0 && skipped("missing asset") == others {
        let message = no_host_values(&table.headers[cols.host]);
        return Err(InputError::new(ctx.line(table.header_line), message));
    }
    Ok(rows)
}

/// Reads an asset-shaped CSV whose id repeats, one installed product per row (`wmic product
/// get Name /format:csv`, `Hostname,OS,Name,Version`): one record per row, with the row's
/// product (`software`: product, version and publisher columns) as software; the merge unites
/// the records of a host. A product column that the asset reader took for the display name
/// names the product only.
pub(crate) fn read_by_host(
    table: &mut Table<'_>,
    cols: &AssetColumns,
    software: (Option<usize>, Option<usize>, Option<usize>),
    ctx: &mut FileCtx<'_>,
) -> Result<Mixed, InputError> {
    let (product, version, publisher) = software;
    let mut mapped = mapped_columns(cols);
    mapped.extend([product, version, publisher].into_iter().flatten());
    ctx.watch_unmapped(table.headers.len(), &mapped);
    let mut mixed = Mixed::default();
    let mut hosts = std::collections::HashSet::new();
    while next_data_row(table, ctx)? {
        let line = table.line();
        let Some((mut asset, explicit)) = read_asset(table, cols, ctx)? else {
            continue;
        };
        security_software(table, cols, &mut asset, ctx);
        if product.is_some() && product == cols.name {
            asset.name = None;
        }
        let name = clean(table.opt_cell(product));
        if !name.is_empty() {
            asset.software.push(Software {
                name: ctx.text(&name),
                version: ctx.opt_text(table.opt_cell(version)),
                publisher: ctx.opt_text(table.opt_cell(publisher)),
            });
        }
        asset.software.extend(ctx.unmapped_software(line));
        ctx.report.software += asset.software.len();
        ctx.report.relations += asset.depends_on.len();
        if hosts.insert(asset.id.as_str().to_lowercase()) {
            ctx.report.assets += 1;
        }
        mixed.records.push(Record { asset, explicit });
    }
    Ok(mixed)
}

/// Reads `from,to,kind` rows (an edge points from the dependent to the provider).
pub(crate) fn read_relations(
    table: &mut Table<'_>,
    cols: &RelationColumns,
    ctx: &mut FileCtx<'_>,
) -> Result<Chunked<RelationRow>, InputError> {
    let mut rows = Chunked::default();
    while next_data_row(table, ctx)? {
        let line = table.line();
        let from = clean(table.cell(cols.from));
        let to = clean(table.cell(cols.to));
        let missing = if from.is_empty() {
            Some((cols.from, "missing from", "dependent"))
        } else if to.is_empty() {
            Some((cols.to, "missing to", "provider"))
        } else {
            None
        };
        if let Some((col, reason, role)) = missing {
            let message = format!(
                "row has no {role} asset (column \"{}\" is empty); row skipped",
                table.headers[col]
            );
            ctx.skip(reason, ctx.line(line), message)?;
            continue;
        }
        let text = table.opt_cell(cols.kind);
        let kind = if text.is_empty() {
            RelationKind::Uses
        } else if let Some(kind) = relation_kind(text) {
            kind
        } else {
            let message = format!(
                "unknown relation kind \"{text}\" (expected {}); using uses",
                RelationKind::names()
            );
            let col = cols.kind.unwrap_or(0);
            ctx.warn(table.cell_location(&ctx.file, col), message)?;
            RelationKind::Uses
        };
        let mut relation = Relation::new(to, kind);
        relation.origin = Some(ctx.origin(line));
        rows.push(RelationRow {
            from: from.into(),
            relation,
        });
        ctx.report.relations += 1;
    }
    Ok(rows)
}

/// Why a per-software export whose computer column is empty in every row is refused (a local
/// `Get-CimInstance Win32_Product | Export-Csv` leaves `PSComputerName` empty).
fn no_host_values(column: &str) -> String {
    format!(
        "this is a per-software export whose computer column \"{column}\" is empty in every row \
         (a local Get-CimInstance or Get-Package leaves PSComputerName empty), so it does not \
         say which machine the software is on; export it with the computer's name, e.g. \
         `Get-CimInstance Win32_Product | Select-Object \
         @{{n='PSComputerName';e={{$env:COMPUTERNAME}}}},Name,Version,Vendor | Export-Csv …` \
         (remote Invoke-Command and Get-CimInstance -ComputerName fill PSComputerName \
         themselves)"
    )
}
