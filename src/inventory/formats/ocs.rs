//! OCS Inventory NG (ocsreports) exports.
//!
//! * `ocs-computers`, the computer list export (`ms_csv.php`): separator `;` by default,
//!   header = the visible column labels (localized), unquoted, each followed by the
//!   separator; each data row is *preceded* by CRLF (no final line end), its values wrapped
//!   in `"` and each followed by the separator.
//! * `ocs-software`, the software export (`ms_soft_csv.php`): header joined by the separator,
//!   values *unquoted*, each followed by the separator, CRLF. A separator inside a value
//!   splits the row: such rows are reported as broken, with their line, and skipped.

use super::Probe;
use super::cmdb::{RecordBuilder, csv_head, open, os_text, required};
use crate::error::InputError;
use crate::inventory::csv_generic::next_data_row;
use crate::inventory::csv_table::Table;
use crate::inventory::{Content, FileCtx, Mixed, SoftwareRow};
use crate::model::Software;
use crate::model::text::clean;

/// How computer-list columns map to the model.
pub(crate) const COMPUTER_COLUMNS: &[(&str, &str)] = &[
    ("Computer (Rechner, Ordinateur)", "id"),
    (
        "Operating system (Betriebssystem, Système d'exploitation)",
        "os",
    ),
    ("Connected user (Benutzer, Utilisateur)", "owner"),
    ("TAG", "tags (not \"NA\", the TAG of agents given none)"),
    ("Last inventory, RAM (MB), CPU (MHz) …", "ignored"),
];

/// How software-export columns map to the model.
pub(crate) const SOFTWARE_COLUMNS: &[(&str, &str)] = &[
    ("Computer (Rechner, Ordinateur)", "asset"),
    ("Software (Logiciel)", "software name"),
    ("TAG, Connected user, Description, Inventory", "ignored"),
];

const COMPUTER: &[&str] = &["Computer", "Rechner", "Ordinateur", "Machine"];
const OS: &[&str] = &[
    "Operating system",
    "Betriebssystem",
    "Système d'exploitation",
    "Systeme d'exploitation",
];
const USER: &[&str] = &[
    "Connected user",
    "Benutzer",
    "Angemeldeter Benutzer",
    "Utilisateur connecté",
    "Utilisateur",
    "User",
];
const LAST_INVENTORY: &[&str] = &[
    "Last inventory",
    "Letzte Inventarisierung",
    "Letztes Inventar",
    "Dernier inventaire",
];
const SOFTWARE: &[&str] = &["Software", "Logiciel"];
const INVENTORY: &[&str] = &["Inventory", "Inventar", "Inventaire", "Inventarisierung"];
const DESCRIPTION: &[&str] = &["Description", "Beschreibung"];

/// The computer list: a computer column with the last-inventory date, or with RAM and CPU.
pub(crate) fn computers_matches(p: &Probe) -> bool {
    p.csv().is_some_and(|h| {
        h.find(COMPUTER).is_some()
            && h.find(SOFTWARE).is_none()
            && (h.find(LAST_INVENTORY).is_some() || h.has_all(&["RAM (MB)", "CPU (MHz)"]))
    })
}

/// The software export: computer and software columns with the inventory date or the
/// description.
pub(crate) fn software_matches(p: &Probe) -> bool {
    p.csv().is_some_and(|h| {
        h.find(COMPUTER).is_some()
            && h.find(SOFTWARE).is_some()
            && (h.find(INVENTORY).is_some() || h.find(DESCRIPTION).is_some())
            && h.find(&["Version", "Publisher", "Hersteller"]).is_none()
    })
}

/// Reads the computer list: one device record per row.
pub(crate) fn read_computers(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    let head = csv_head(p, ctx, "OCS Inventory")?;
    let computer = required(head, ctx, COMPUTER, "OCS Inventory")?;
    let col = |names: &[&str]| head.find(names);
    let (os, user, tag) = (col(OS), col(USER), col(&["TAG"]));
    let mut table = open(p.text, ctx)?;
    let mut mixed = Mixed::default();
    while next_data_row(&mut table, ctx)? {
        let line = table.line();
        let cell = |c: Option<usize>| clean(table.opt_cell(c));
        let id = cell(Some(computer));
        if id.is_empty() {
            ctx.skip(
                "missing computer",
                ctx.line(line),
                "row has no computer name; row skipped".into(),
            )?;
            continue;
        }
        let mut b = RecordBuilder::new(ctx, &id, line);
        b.os(ctx, &os_text(&cell(os)));
        b.kind(&[]);
        b.owner(&cell(user));
        // "NA" is the TAG of computers whose agent was given none.
        let tag = cell(tag);
        if !tag.is_empty() && !tag.eq_ignore_ascii_case("NA") {
            b.asset.add_tag(tag);
        }
        ctx.report.assets += 1;
        mixed.records.push(b.finish());
    }
    Ok(Content::Mixed(mixed))
}

/// Reads the software export: one software row per row. A row with more fields than the
/// header (plus the trailing separator) was split by a separator inside a value: it is
/// reported as broken and skipped.
pub(crate) fn read_software(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    let head = csv_head(p, ctx, "OCS Inventory software")?;
    let computer = required(head, ctx, COMPUTER, "OCS Inventory software")?;
    let software = required(head, ctx, SOFTWARE, "OCS Inventory software")?;
    let mut table = Table::open_unquoted(&ctx.file, p.text)?;
    ctx.report.separator = Some(char::from(table.sep));
    let columns = table.headers.len();
    let sep = char::from(table.sep);
    let mut rows = crate::inventory::chunked::Chunked::default();
    while table.next_row(&ctx.file)? {
        let line = table.line();
        if table.is_blank() {
            *ctx.report.skipped.entry("empty row".into()).or_default() += 1;
            continue;
        }
        ctx.report.rows += 1;
        let fields = table.fields();
        let fits = fields == columns || (fields == columns + 1 && table.cell(columns).is_empty());
        if !fits {
            let message = format!(
                "broken row: {fields} fields where the header has {columns} (a '{sep}' inside \
                 an unquoted value splits the row, or the row is cut short); row skipped"
            );
            ctx.skip("broken row", ctx.line(line), message)?;
            continue;
        }
        ctx.scan_unmapped(&table)?;
        let (host, name) = (clean(table.cell(computer)), clean(table.cell(software)));
        if host.is_empty() || name.is_empty() {
            let which = if host.is_empty() {
                "computer"
            } else {
                "software"
            };
            ctx.skip(
                &format!("missing {which}"),
                ctx.line(line),
                format!("row has no {which} name; row skipped"),
            )?;
            continue;
        }
        rows.push(SoftwareRow {
            host: host.into(),
            software: Software::named(name),
            origin: ctx.origin(line),
            os: None,
        });
        ctx.report.software += 1;
    }
    Ok(Content::Software(rows))
}
