//! Lansweeper report exports: the header is the report's column aliases, by default those of
//! the built-in software reports (`AssetName, Domain, Username, IPAddress, Software, Version,
//! Publisher, OS, Lastseen`), one row per asset and installed product. Formatting helper
//! columns (`icon`, `backgroundcolor`, `foregroundcolor`) are ignored.

use super::Probe;
use super::cmdb::{RecordBuilder, csv_head, open, os_text, required};
use crate::error::InputError;
use crate::inventory::csv_generic::next_data_row;
use crate::inventory::{Content, FileCtx, Mixed, SoftwareRow};
use crate::model::Software;
use crate::model::text::clean;
use std::collections::HashSet;

/// How Lansweeper columns map to the model.
pub(crate) const COLUMNS: &[(&str, &str)] = &[
    ("FQDN, else AssetName", "id (one record per asset)"),
    ("AssetName", "name"),
    (
        "OS / OSname",
        "os (\"Win 2019\" → Windows Server 2019, \"Win 11\" → Windows 11)",
    ),
    (
        "AssetTypename / Type",
        "kind (VMware Guest → vm, Switch → appliance …; Windows, Linux: from the OS)",
    ),
    ("Username", "owner (the last user)"),
    (
        "Software / softwareName",
        "software name (one row per product)",
    ),
    ("Version / softwareVersion", "software version"),
    ("Publisher / SoftwarePublisher", "software publisher"),
    (
        "Domain, IPAddress, Lastseen, icon, backgroundcolor …",
        "ignored",
    ),
];

const ASSET: &[&str] = &["AssetName"];
const FQDN: &[&str] = &["FQDN"];
const OS: &[&str] = &["OS", "OSname", "OS Name", "Operating System"];
const TYPE: &[&str] = &["AssetTypename", "AssetType", "Type"];
const USER: &[&str] = &["Username", "User"];
const SOFTWARE: &[&str] = &["Software", "softwareName", "Software Name"];
const VERSION: &[&str] = &["Version", "softwareVersion", "Software Version"];
const PUBLISHER: &[&str] = &["Publisher", "SoftwarePublisher", "Software Publisher"];

/// An `AssetName` column beside a column only Lansweeper reports have, and no asset tag (a
/// Snipe-IT report).
pub(crate) fn matches(p: &Probe) -> bool {
    p.csv().is_some_and(|h| {
        h.find(ASSET).is_some()
            && h.find(&[
                "Lastseen",
                "Lasttried",
                "AssetID",
                "AssetTypename",
                "softwareName",
                "SoftwarePublisher",
                "OSname",
                "Userdomain",
                "IPAddress",
                "Domain",
                "icon",
            ])
            .is_some()
            && !h.has("Asset Tag")
    })
}

/// Reads a report: one device record per asset (from its first row), one software row per
/// row that names a product.
pub(crate) fn read(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    let head = csv_head(p, ctx, "Lansweeper")?;
    let asset = required(head, ctx, ASSET, "Lansweeper")?;
    let col = |names: &[&str]| head.find(names);
    let (fqdn, os, kind, user) = (col(FQDN), col(OS), col(TYPE), col(USER));
    let (software, version, publisher) = (col(SOFTWARE), col(VERSION), col(PUBLISHER));
    let mut table = open(p.text, ctx)?;
    let mut mixed = Mixed::default();
    let mut seen: HashSet<String> = HashSet::new();
    while next_data_row(&mut table, ctx)? {
        let line = table.line();
        let cell = |c: Option<usize>| clean(table.opt_cell(c));
        let name = cell(Some(asset));
        let id = Some(cell(fqdn))
            .filter(|f| !f.is_empty())
            .unwrap_or(name.clone());
        if id.is_empty() {
            ctx.skip(
                "missing asset name",
                ctx.line(line),
                "row has no AssetName; row skipped".into(),
            )?;
            continue;
        }
        if seen.insert(id.to_lowercase()) {
            let mut b = RecordBuilder::new(ctx, &id, line);
            RecordBuilder::text(&mut b.asset.name, &name);
            b.os(ctx, &os_text(&cell(os)));
            b.kind(&[&cell(kind)]);
            b.owner(&cell(user));
            ctx.report.assets += 1;
            mixed.records.push(b.finish());
        }
        let product = cell(software);
        if product.is_empty() {
            continue;
        }
        mixed.software.push(SoftwareRow {
            host: id.into(),
            software: Software {
                name: ctx.text(&product),
                version: ctx.opt_text(&cell(version)),
                publisher: ctx.opt_text(&cell(publisher)),
            },
            origin: ctx.origin(line),
            os: None,
        });
        ctx.report.software += 1;
    }
    Ok(Content::Mixed(mixed))
}
