//! CSV files with one installed product or one dependency per row.

use super::csv_generic::{next_data_row, non_empty};
use super::csv_table::Table;
use super::headers::{RelationColumns, SoftwareColumns};
use super::{FileCtx, RelationRow, SoftwareRow, relation_kind};
use crate::error::InputError;
use crate::model::text::clean;
use crate::model::{Relation, RelationKind, Software};

/// Reads `asset,name,version,publisher` rows.
pub(crate) fn read_software(
    table: &mut Table<'_>,
    cols: &SoftwareColumns,
    ctx: &mut FileCtx<'_>,
) -> Result<Vec<SoftwareRow>, InputError> {
    let mut rows = Vec::new();
    while next_data_row(table, ctx)? {
        let line = table.line();
        let host = clean(table.cell(cols.host));
        let name = clean(table.cell(cols.name));
        if host.is_empty() {
            let message = format!(
                "row has no asset (column \"{}\" is empty); row skipped",
                table.headers[cols.host]
            );
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
        let software = Software {
            name,
            version: non_empty(&clean(table.opt_cell(cols.version))),
            publisher: non_empty(&clean(table.opt_cell(cols.publisher))),
        };
        let os = Some(table.opt_cell(cols.os))
            .filter(|os| !os.is_empty())
            .map(|os| ctx.os(os));
        rows.push(SoftwareRow {
            host,
            software,
            origin: ctx.origin(line),
            os,
        });
        ctx.report.software += 1;
    }
    Ok(rows)
}

/// Reads `from,to,kind` rows (an edge points from the dependent to the provider).
pub(crate) fn read_relations(
    table: &mut Table<'_>,
    cols: &RelationColumns,
    ctx: &mut FileCtx<'_>,
) -> Result<Vec<RelationRow>, InputError> {
    let mut rows = Vec::new();
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
        rows.push(RelationRow { from, relation });
        ctx.report.relations += 1;
    }
    Ok(rows)
}
