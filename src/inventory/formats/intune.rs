//! Microsoft Intune report exports (`deviceManagement/reports/exportJobs`, the CSV inside the
//! ZIP; header = property names) and the "All devices" export (friendly headers):
//!
//! * `AppInvRawData` (`intune-appinv-raw`): one app of one device per row → the device's
//!   software (macOS apps often have no publisher), its OS filling an OS no other export stated;
//! * `AppInvAggregate` (`intune-appinv-aggregate`): device *counts* per app, no device: refused
//!   with an error that says to export AppInvRawData, because importing it as nothing would
//!   let an analysis report fewer Kaspersky machines than the organisation has;
//! * `DevicesWithInventory` (`intune-devices`): one device record per row. Localized duplicate
//!   columns (`OS_loc` …) are ignored.

use super::Probe;
use super::defender_tvm::HostSoftware;
use crate::error::{InputError, Location};
use crate::inventory::csv_generic::{next_data_row, non_empty};
use crate::inventory::csv_table::Table;
use crate::inventory::{Content, Explicit, FileCtx, Mixed, Record, tidy};
use crate::model::text::clean;
use crate::model::{Asset, AssetKind, Software};

/// How `AppInvRawData` columns map to the model.
pub(crate) const RAW_COLUMNS: &[(&str, &str)] = &[
    ("DeviceName (else DeviceId)", "asset"),
    ("ApplicationName", "software name"),
    (
        "ApplicationVersion (else ApplicationShortVersion)",
        "software version",
    ),
    (
        "ApplicationPublisher",
        "software publisher (often empty for macOS)",
    ),
    (
        "OSDescription + OSVersion (else Platform)",
        "os (fills an unknown OS)",
    ),
    (
        "ApplicationKey, UserId, UserName, EmailAddress",
        "(ignored)",
    ),
];

/// `AppInvAggregate` is refused.
pub(crate) const AGGREGATE_COLUMNS: &[(&str, &str)] = &[(
    "ApplicationName, DeviceCount",
    "(refused: counts, not devices; export AppInvRawData)",
)];

/// How the "All devices" export maps to the model.
pub(crate) const DEVICES_COLUMNS: &[(&str, &str)] = &[
    ("Device name", "id"),
    (
        "OS + OS version",
        "os (Windows + 10.0.22631.3235 → Windows 11 23H2)",
    ),
    ("Primary user UPN", "owner"),
    ("Category", "tag"),
    (
        "Azure AD Device ID",
        "Entra ID device id (kept for the Intune rollout export)",
    ),
    ("*_loc, Device ID, Ownership, Managed by …", "(ignored)"),
];

const APP: &[&str] = &["ApplicationName"];
const DEVICE: &[&str] = &["DeviceName"];

/// Headers only the "All devices" export has.
const DEVICE_ONLY: &[&str] = &[
    "Primary user UPN",
    "Managed by",
    "Ownership",
    "Enrollment date",
    "Last check-in",
    "Azure AD Device ID",
];

/// `AppInvRawData` (and `AppInvByDevice`): ApplicationName with a device column.
pub(crate) fn raw_matches(p: &Probe) -> bool {
    p.csv()
        .is_some_and(|h| h.find(APP).is_some() && h.find(&["DeviceName", "DeviceId"]).is_some())
}

/// `AppInvAggregate`: ApplicationName and DeviceCount, no device column.
pub(crate) fn aggregate_matches(p: &Probe) -> bool {
    p.csv().is_some_and(|h| {
        h.has_all(&["ApplicationName", "DeviceCount"])
            && h.find(&["DeviceName", "DeviceId"]).is_none()
    })
}

/// The "All devices" export: Device name and Device ID with an Intune-only column.
pub(crate) fn devices_matches(p: &Probe) -> bool {
    p.csv().is_some_and(|h| {
        h.has_all(&["Device name", "Device ID"])
            && h.find(DEVICE_ONLY).is_some()
            && h.find(APP).is_none()
    })
}

/// Reads `AppInvRawData`: software per device.
pub(crate) fn read_raw(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    let mut table = Table::open(&ctx.file, p.text)?;
    ctx.report.separator = Some(char::from(table.sep));
    let col = |names: &[&str]| p.csv().and_then(|h| h.find(names));
    let (device, device_id, app) = (col(DEVICE), col(&["DeviceId"]), col(APP));
    let version = col(&["ApplicationVersion"]);
    let short_version = col(&["ApplicationShortVersion"]);
    let publisher = col(&["ApplicationPublisher"]);
    let (description, os_version, platform) = (
        col(&["OSDescription"]),
        col(&["OSVersion"]),
        col(&["Platform"]),
    );
    let mut hosts = HostSoftware::keeping_case();
    while next_data_row(&mut table, ctx)? {
        let line = table.line();
        let host = Some(table.opt_cell(device))
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| table.opt_cell(device_id));
        let name = table.opt_cell(app);
        if host.is_empty() || name.is_empty() {
            ctx.skip(
                "missing device or software",
                ctx.line(line),
                "row has no DeviceName or ApplicationName; row skipped".into(),
            )?;
            continue;
        }
        let version = Some(table.opt_cell(version))
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| table.opt_cell(short_version));
        let software = Software {
            name: ctx.text(name),
            version: ctx.opt_text(version),
            publisher: ctx.opt_text(table.opt_cell(publisher)),
        };
        let os = || {
            let base = Some(table.opt_cell(description))
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| table.opt_cell(platform));
            join(base, table.opt_cell(os_version))
        };
        hosts.add(ctx, host, line, os, software);
        ctx.report.software += 1;
    }
    Ok(Content::Mixed(hosts.finish(ctx)))
}

/// Refuses `AppInvAggregate`, saying how many Kaspersky installations it counts.
pub(crate) fn read_aggregate(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    let mut table = Table::open(&ctx.file, p.text)?;
    let col = |names: &[&str]| p.csv().and_then(|h| h.find(names));
    let (app, publisher, count) = (
        col(APP),
        col(&["ApplicationPublisher"]),
        col(&["DeviceCount"]),
    );
    let mut kaspersky = 0u64;
    while table.next_row(&ctx.file)? {
        let named = [table.opt_cell(app), table.opt_cell(publisher)]
            .iter()
            .any(|t| t.to_lowercase().contains("kaspersk"));
        if named {
            kaspersky += table.opt_cell(count).parse::<u64>().unwrap_or(0);
        }
    }
    let message = format!(
        "an Intune Discovered apps aggregate (AppInvAggregate) counts devices per app and names \
         no device ({kaspersky} Kaspersky installations counted), so it cannot be imported; \
         export the per-device raw data (AppInvRawData) instead"
    );
    Err(InputError::new(Location::file(&*ctx.file), message))
}

/// Reads the "All devices" export: one record per device.
pub(crate) fn read_devices(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    let mut table = Table::open(&ctx.file, p.text)?;
    ctx.report.separator = Some(char::from(table.sep));
    let col = |names: &[&str]| p.csv().and_then(|h| h.find(names));
    let (name, os, os_version) = (col(&["Device name"]), col(&["OS"]), col(&["OS version"]));
    let (upn, category) = (col(&["Primary user UPN"]), col(&["Category"]));
    let entra = col(&["Azure AD Device ID"]);
    let mut mixed = Mixed::default();
    while next_data_row(&mut table, ctx)? {
        let line = table.line();
        let device = clean(table.opt_cell(name));
        if device.is_empty() {
            ctx.skip(
                "missing device name",
                ctx.line(line),
                "row has no device name (column \"Device name\" is empty); row skipped".into(),
            )?;
            continue;
        }
        let mut asset = Asset::new(device);
        asset.os = ctx.os(&join(table.opt_cell(os), table.opt_cell(os_version)));
        asset.kind = AssetKind::infer(&asset.os);
        asset.set_owner(non_empty(table.opt_cell(upn)));
        asset.set_tags(non_empty(table.opt_cell(category)));
        let entra_id = clean(table.opt_cell(entra).trim());
        if !entra_id.is_empty() && entra_id != "00000000-0000-0000-0000-000000000000" {
            asset.add_vendor_id(format!("entra:{entra_id}"));
        }
        asset.origin = Some(ctx.origin(line));
        tidy(&mut asset);
        ctx.report.assets += 1;
        mixed.records.push(Record {
            asset,
            explicit: Explicit::default(),
        });
    }
    Ok(Content::Mixed(mixed))
}

/// "Windows 11 Enterprise" + "10.0.22631.3235"; the version alone is not an OS.
fn join(base: &str, version: &str) -> String {
    super::defender::with_release(base, version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Os, OsFamily};

    #[test]
    fn os_and_build_give_the_windows_release() {
        let os = Os::parse(&join("Windows", "10.0.22631.3235"));
        assert_eq!(os.family, OsFamily::WindowsClient);
        assert_eq!(os.version.as_deref(), Some("11"));
        assert_eq!(os.feature_update.as_deref(), Some("23H2"));
        let os = Os::parse(&join("macOS", "14.3.1"));
        assert_eq!(
            (os.family, os.version.as_deref()),
            (OsFamily::Macos, Some("14.3.1"))
        );
        assert_eq!(join("", "10.0"), "");
    }
}
