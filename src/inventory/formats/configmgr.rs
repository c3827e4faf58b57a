//! Microsoft Configuration Manager (SCCM) SQL views, as exported with SSMS or
//! `Invoke-Sqlcmd | Export-Csv` (a `#TYPE System.Data.DataRow` first line and the DataRow
//! columns `RowError, RowState, Table, ItemArray, HasErrors` are tolerated and ignored; `?` in
//! place of umlauts is kept as written; culture-formatted dates are not read).
//!
//! * `v_R_System` (`configmgr-systems`): one device record per row, known by its host name and
//!   also by its `ResourceID`.
//! * `v_GS_INSTALLED_SOFTWARE`, `v_GS_ADD_REMOVE_PROGRAMS(_64)`, `v_Add_Remove_Programs`
//!   (`configmgr-software`): one product per row. A row names its device by `Name0` /
//!   `Netbios_Name0` when the query joined `v_R_System`, else only by `ResourceID`.
//!
//! The ResourceID join is made when merging: a system record declares the alias
//! `cm:<ResourceID>` and software rows without a name point to that alias, so that the files
//! can be given in any order and the device keeps its host name as id (matching the other
//! exports). Rows whose ResourceID no systems export names make an asset named by the
//! ResourceID, with one warning per file.

use super::Probe;
use super::probe::CsvHead;
use crate::error::InputError;
use crate::inventory::csv_generic::next_data_row;
use crate::inventory::csv_table::Table;
use crate::inventory::merge::{alias_host, alias_relation};
use crate::inventory::{Content, Explicit, FileCtx, Mixed, Record, SoftwareRow, tidy};
use crate::model::lists::push_tight;
use crate::model::text::clean;
use crate::model::{Asset, AssetKind, Software};

/// How `v_R_System` columns map to the model.
pub(crate) const SYSTEMS_COLUMNS: &[(&str, &str)] = &[
    (
        "Name0 / Netbios_Name0",
        "id, name (with Full_Domain_Name0: id = FQDN)",
    ),
    (
        "ResourceID",
        "joins the software rows of the ConfigMgr software views",
    ),
    (
        "Operating_System_Name_and0 (+ Build01)",
        "os (\"Microsoft Windows NT Server 10.0\" with build 17763 → Windows Server 2019)",
    ),
    (
        "RowError, RowState, Table, ItemArray, HasErrors",
        "(ignored)",
    ),
];

/// How the software views' columns map to the model.
pub(crate) const SOFTWARE_COLUMNS: &[(&str, &str)] = &[
    (
        "Name0 / Netbios_Name0, else ResourceID",
        "asset (a ResourceID is resolved through v_R_System)",
    ),
    (
        "ARPDisplayName0 / DisplayName0, else ProductName0",
        "software name (rows without any name are counted as skipped)",
    ),
    ("ProductVersion0 / Version0", "software version"),
    ("Publisher0", "software publisher"),
    ("InstallDate0, TimeStamp, DataRow columns", "(ignored)"),
];

const RESOURCE_ID: &[&str] = &["ResourceID"];
const HOST: &[&str] = &["Name0", "Netbios_Name0"];
const DOMAIN: &[&str] = &["Full_Domain_Name0"];
const OS: &[&str] = &["Operating_System_Name_and0"];
const BUILD: &[&str] = &["Build01"];
const DISPLAY_NAME: &[&str] = &["ARPDisplayName0", "DisplayName0"];
const PRODUCT_NAME: &[&str] = &["ProductName0"];
const VERSION: &[&str] = &["ProductVersion0", "Version0"];
const PUBLISHER: &[&str] = &["Publisher0"];

fn is_software(h: &CsvHead) -> bool {
    h.find(DISPLAY_NAME)
        .or_else(|| h.find(PRODUCT_NAME))
        .is_some()
}

/// `v_R_System`: ResourceID, a name column and an OS or domain column, no software columns.
pub(crate) fn systems_matches(p: &Probe) -> bool {
    p.csv().is_some_and(|h| {
        h.find(RESOURCE_ID).is_some()
            && h.find(HOST).is_some()
            && h.find(&[
                "Operating_System_Name_and0",
                "Resource_Domain_OR_Workgr0",
                "Client0",
            ])
            .is_some()
            && !is_software(h)
    })
}

/// The software views: ResourceID and a display-name or product-name column.
pub(crate) fn software_matches(p: &Probe) -> bool {
    p.csv()
        .is_some_and(|h| h.find(RESOURCE_ID).is_some() && is_software(h))
}

/// Reads `v_R_System`: device records that software rows find by their ResourceID.
pub(crate) fn read_systems(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    let mut table = Table::open(&ctx.file, p.text)?;
    ctx.report.separator = Some(char::from(table.sep));
    let col = |names: &[&str]| p.csv().and_then(|h| h.find(names));
    let (rid, host, domain) = (col(RESOURCE_ID), col(HOST), col(DOMAIN));
    let netbios = col(&["Netbios_Name0"]);
    let (os, build) = (col(OS), col(BUILD));
    let mut mixed = Mixed::default();
    while next_data_row(&mut table, ctx)? {
        let line = table.line();
        let name = clean(
            Some(table.opt_cell(host))
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| table.opt_cell(netbios)),
        );
        if name.is_empty() {
            ctx.skip(
                "missing name",
                ctx.line(line),
                "row has no device name (Name0 and Netbios_Name0 are empty); row skipped".into(),
            )?;
            continue;
        }
        let domain = table.opt_cell(domain).trim_matches('.');
        let mut asset = if domain.is_empty() || name.contains('.') {
            Asset::new(name)
        } else {
            let mut a = Asset::new(format!("{name}.{domain}"));
            a.name = Some(name.into());
            a
        };
        asset.os = ctx.os(&os_text(table.opt_cell(os), table.opt_cell(build)));
        asset.kind = AssetKind::infer(&asset.os);
        asset.origin = Some(ctx.origin(line));
        tidy(&mut asset);
        let resource_id = table.opt_cell(rid);
        if !resource_id.is_empty() {
            let alias = alias_relation(&format!("cm:{resource_id}"));
            push_tight(&mut asset.depends_on, alias);
        }
        ctx.report.assets += 1;
        mixed.records.push(Record {
            asset,
            explicit: Explicit::default(),
        });
    }
    Ok(Content::Mixed(mixed))
}

/// "Microsoft Windows NT Workstation 10.0" with build "10.0.22631" → "… 10.0 (Build 22631)",
/// which the OS parser reads as Windows 11 23H2.
fn os_text(os: &str, build: &str) -> String {
    let build = build.rsplit('.').next().unwrap_or("");
    if os.is_empty() || build.is_empty() || !build.bytes().all(|b| b.is_ascii_digit()) {
        os.to_string()
    } else {
        format!("{os} (Build {build})")
    }
}

/// Reads a software view: one product per row.
pub(crate) fn read_software(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    let mut table = Table::open(&ctx.file, p.text)?;
    ctx.report.separator = Some(char::from(table.sep));
    let col = |names: &[&str]| p.csv().and_then(|h| h.find(names));
    let (rid, host, netbios) = (col(RESOURCE_ID), col(HOST), col(&["Netbios_Name0"]));
    let (display, product) = (col(DISPLAY_NAME), col(PRODUCT_NAME));
    let (version, publisher) = (col(VERSION), col(PUBLISHER));
    let mut mixed = Mixed::default();
    while next_data_row(&mut table, ctx)? {
        let line = table.line();
        let name = Some(table.opt_cell(display))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| table.opt_cell(product));
        if name.is_empty() {
            // Entries without a display name are hidden from Programs and Features too.
            *ctx.report
                .skipped
                .entry("no software name".into())
                .or_default() += 1;
            continue;
        }
        let named = Some(table.opt_cell(host))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| table.opt_cell(netbios));
        let resource_id = table.opt_cell(rid);
        let host = if !named.is_empty() {
            clean(named)
        } else if !resource_id.is_empty() {
            alias_host(&format!("cm:{}", clean(resource_id)))
        } else {
            ctx.skip(
                "missing asset",
                ctx.line(line),
                "row names no device (Name0 and ResourceID are empty); row skipped".into(),
            )?;
            continue;
        };
        mixed.software.push(SoftwareRow {
            host: host.into(),
            software: Software {
                name: ctx.text(name),
                version: ctx.opt_text(table.opt_cell(version)),
                publisher: ctx.opt_text(table.opt_cell(publisher)),
            },
            origin: ctx.origin(line),
            os: None,
        });
        ctx.report.software += 1;
    }
    Ok(Content::Mixed(mixed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Os, OsFamily};

    #[test]
    fn builds_make_nt_versions_readable() {
        let os = Os::parse(&os_text(
            "Microsoft Windows NT Workstation 10.0",
            "10.0.22631",
        ));
        assert_eq!(os.family, OsFamily::WindowsClient);
        assert_eq!(os.version.as_deref(), Some("11"));
        let os = Os::parse(&os_text("Microsoft Windows NT Server 10.0", "10.0.17763"));
        assert_eq!(
            (os.family, os.version.as_deref()),
            (OsFamily::WindowsServer, Some("2019"))
        );
        assert_eq!(
            os_text("Microsoft Windows NT Server 10.0", ""),
            "Microsoft Windows NT Server 10.0"
        );
    }
}
