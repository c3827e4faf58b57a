//! Snipe-IT "Custom Asset Report" exports: UTF-8 BOM, PHP `fputcsv` quoting (only when needed,
//! spaces included), LF, and formula-like cells (`= + - @`, tab, CR first) prefixed with a
//! backtick, which is removed again here. Headers are the translated names of the selected
//! fields plus custom field names.
//!
//! Snipe-IT has no software inventory: a custom field that names the antivirus product
//! (`Virenschutz`, `Antivirus`, `Endpoint Protection` … see [`super::cmdb::AV_FIELDS`])
//! becomes a software entry of the asset, so that a Kaspersky machine is found.

use super::Probe;
use super::cmdb::{RecordBuilder, av_columns, av_software, csv_head, open};
use crate::error::InputError;
use crate::inventory::csv_generic::next_data_row;
use crate::inventory::{Content, FileCtx, Mixed};
use crate::model::text::clean;

/// How Snipe-IT columns map to the model.
pub(crate) const COLUMNS: &[(&str, &str)] = &[
    (
        "Hostname (custom field), else Asset Name, else Asset Tag",
        "id",
    ),
    ("Asset Name", "name"),
    (
        "Category (Kategorie)",
        "kind (Desktops → workstation, Laptops → laptop, Servers → server, Mobile Phones → \
         mobile …; others: from the OS)",
    ),
    ("Location (Standort), else Default Location", "site"),
    ("Checked Out To, else Username", "owner"),
    (
        "Operating System / OS / Betriebssystem (custom field)",
        "os",
    ),
    (
        "Antivirus / Virenschutz / Endpoint Protection … (custom field), AV Version",
        "software",
    ),
    ("a leading ` before = + - @", "removed (formula escaping)"),
    (
        "Status, Notes, Model, Serial, Purchase Date …",
        "ignored (an antivirus named only in the notes is not found)",
    ),
];

const TAG: &[&str] = &[
    "Asset Tag",
    "Inventarnummer",
    "Asset-Tag",
    "Numéro d'inventaire",
];
const NAME: &[&str] = &["Asset Name", "Asset-Name", "Name", "Nom de l'actif"];
const HOSTNAME: &[&str] = &[
    "Hostname",
    "Host Name",
    "Computername",
    "Computer Name",
    "Rechnername",
    "FQDN",
    "DNS Name",
];
const CATEGORY: &[&str] = &["Category", "Kategorie", "Catégorie"];
const LOCATION: &[&str] = &["Location", "Standort", "Emplacement"];
const DEFAULT_LOCATION: &[&str] = &["Default Location", "Standardstandort"];
const CHECKED_OUT: &[&str] = &["Checked Out To", "Herausgegeben an", "Ausgecheckt an"];
const USERNAME: &[&str] = &["Username", "Benutzername"];
const OS: &[&str] = &[
    "Operating System",
    "OS",
    "Betriebssystem",
    "Système d'exploitation",
];

/// An `Asset Tag` column beside another asset field.
pub(crate) fn matches(p: &Probe) -> bool {
    p.csv().is_some_and(|h| {
        h.find(TAG).is_some()
            && h.find(&[
                "Asset Name",
                "Asset-Name",
                "Model",
                "Modell",
                "Serial",
                "Seriennummer",
            ])
            .is_some()
    })
}

/// A cell without the backtick Snipe-IT puts before formula-like values.
fn unescape(cell: &str) -> &str {
    match cell.strip_prefix('`') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// Reads a custom asset report: one device record per row.
pub(crate) fn read(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    let head = csv_head(p, ctx, "Snipe-IT")?;
    let col = |names: &[&str]| head.find(names);
    let (tag, name, hostname) = (col(TAG), col(NAME), col(HOSTNAME));
    let (category, location, default_location) =
        (col(CATEGORY), col(LOCATION), col(DEFAULT_LOCATION));
    let (checked_out, username, os) = (col(CHECKED_OUT), col(USERNAME), col(OS));
    let (av, av_version) = av_columns(head);
    let mut table = open(p.text, ctx)?;
    let mut mixed = Mixed::default();
    while next_data_row(&mut table, ctx)? {
        let line = table.line();
        let cell = |c: Option<usize>| clean(unescape(table.opt_cell(c)));
        let either = |a, b| Some(cell(a)).filter(|s| !s.is_empty()).unwrap_or(cell(b));
        let display = cell(name);
        let id = [cell(hostname), display.clone(), cell(tag)]
            .into_iter()
            .find(|s| !s.is_empty());
        let Some(id) = id else {
            ctx.skip(
                "missing name",
                ctx.line(line),
                "asset has no name and no asset tag; row skipped".into(),
            )?;
            continue;
        };
        let mut b = RecordBuilder::new(ctx, &id, line);
        RecordBuilder::text(&mut b.asset.name, &display);
        b.os(ctx, &super::cmdb::os_text(&cell(os)));
        b.kind(&[&cell(category)]);
        b.site(&either(location, default_location));
        b.owner(&either(checked_out, username));
        if let Some(s) = av_software(&cell(av), &cell(av_version)) {
            b.asset.software.push(s);
            ctx.report.software += 1;
        }
        ctx.report.assets += 1;
        mixed.records.push(b.finish());
    }
    Ok(Content::Mixed(mixed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_escapes_are_removed() {
        assert_eq!(unescape("`=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unescape("`-42"), "-42");
        assert_eq!(unescape("`@user"), "@user");
        assert_eq!(unescape("`plain"), "`plain");
        assert_eq!(unescape("plain"), "plain");
    }
}
