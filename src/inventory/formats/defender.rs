//! Microsoft Defender for Endpoint Advanced Hunting `DeviceInfo` export (one row per device
//! report; the newest per device wins), and the OS text of Defender's platform tokens. The
//! software inventory is read by `defender_tvm`, the API's JSON by `defender_api`.

use super::Probe;
use crate::error::InputError;
use crate::inventory::csv_generic::{next_data_row, non_empty};
use crate::inventory::csv_table::Table;
use crate::inventory::{Content, Explicit, FileCtx, Mixed, Record, tidy};
use crate::model::{Asset, AssetKind, Software, Timestamp};
use std::collections::HashMap;

/// How `DeviceInfo` columns map to the model.
pub(crate) const DEVICE_INFO_COLUMNS: &[(&str, &str)] = &[
    ("DeviceName", "id (lower-case FQDN), name"),
    ("OSPlatform, OSDistribution, OSVersionInfo, OSVersion", "os"),
    (
        "DeviceType",
        "kind (Workstation, Server, Mobile, NetworkDevice)",
    ),
    ("DeviceManualTags", "tags (JSON array)"),
    ("Timestamp", "the newest report per device wins"),
];

/// `DeviceInfo`: DeviceId, DeviceName and OS columns, no software columns.
pub(crate) fn device_info_matches(p: &Probe) -> bool {
    p.csv().is_some_and(|h| {
        h.has_all(&["DeviceId", "DeviceName", "OSPlatform"]) && !h.has("SoftwareName")
    })
}

/// OS text from Defender's platform tokens ("WindowsServer2019", "Windows11", "Linux" …).
pub(crate) fn os_text(
    platform: &str,
    distribution: &str,
    version_info: &str,
    version: &str,
) -> String {
    let base = if !distribution.is_empty() {
        distribution.to_string()
    } else {
        let p = platform;
        if let Some(rest) = p.strip_prefix("WindowsServer") {
            format!("Windows Server {}", rest.replace("R2", " R2"))
        } else if let Some(rest) = p.strip_prefix("Windows") {
            format!("Windows {rest}")
        } else {
            p.to_string()
        }
    };
    // Windows reports the kernel version ("10.0") here, which says nothing the platform does
    // not; Linux and macOS report the release.
    let kernel_only = base.starts_with("Windows") && version_info.is_empty();
    let extra = if !version_info.is_empty() {
        version_info
    } else if kernel_only {
        ""
    } else {
        version
    };
    with_release(&base, extra)
}

/// An OS text with its release appended: "Ubuntu" + "22.04"; after a version number the
/// release is written "Windows 11 Version 23H2", as Windows does, because the OS parser reads
/// "Windows 11 23H2" as one number.
pub(crate) fn with_release(base: &str, release: &str) -> String {
    if release.is_empty() || base.is_empty() || base.contains(release) {
        base.to_string()
    } else if base.ends_with(|c: char| c.is_ascii_digit())
        && release.starts_with(|c: char| c.is_ascii_digit())
    {
        format!("{base} Version {release}")
    } else {
        format!("{base} {release}")
    }
}

fn kind_of(device_type: &str) -> Option<AssetKind> {
    match device_type.to_lowercase().as_str() {
        "workstation" => Some(AssetKind::Workstation),
        "server" => Some(AssetKind::Server),
        "mobile" | "smartphone" | "tablet" => Some(AssetKind::Mobile),
        "networkdevice" | "printer" => Some(AssetKind::Appliance),
        _ => None,
    }
}

/// When a `DeviceInfo` row was reported: the instant (if it reads) and the text.
type Stamp = (Option<Timestamp>, String);

/// Reads `DeviceInfo`: one record per device (its newest report).
pub(crate) fn read_device_info(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    let mut table = Table::open(&ctx.file, p.text)?;
    ctx.report.separator = Some(char::from(table.sep));
    let col = |names: &[&str]| p.csv().and_then(|h| h.find(names));
    let (name, ts) = (col(&["DeviceName"]), col(&["Timestamp"]));
    let (platform, dist, info, ver) = (
        col(&["OSPlatform"]),
        col(&["OSDistribution"]),
        col(&["OSVersionInfo"]),
        col(&["OSVersion"]),
    );
    let (dtype, tags) = (col(&["DeviceType"]), col(&["DeviceManualTags"]));
    let onboarding = col(&["OnboardingStatus"]);
    // The newest report per device, by Timestamp: as an instant (offsets converted to UTC),
    // then as text (fractions of a second; rows whose Timestamp does not read sort first).
    let mut newest: HashMap<String, (Stamp, Record)> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    while next_data_row(&mut table, ctx)? {
        let line = table.line();
        let Some(id) = non_empty::<String>(&table.opt_cell(name).to_lowercase()) else {
            ctx.skip(
                "missing device name",
                ctx.line(line),
                "row has no DeviceName; row skipped".into(),
            )?;
            continue;
        };
        let mut asset = Asset::new(id.clone());
        asset.name = Some(table.opt_cell(name).into());
        let os = os_text(
            table.opt_cell(platform),
            table.opt_cell(dist),
            table.opt_cell(info),
            table.opt_cell(ver),
        );
        asset.os = ctx.os(&os);
        let mut explicit = Explicit::default();
        match kind_of(table.opt_cell(dtype)) {
            Some(k) => (asset.kind, explicit.kind) = (k, true),
            None => asset.kind = AssetKind::infer(&asset.os),
        }
        if let Ok(list) = serde_json::from_str::<Vec<String>>(table.opt_cell(tags)) {
            asset.set_tags(list.into_iter().map(Into::into));
        }
        if table.opt_cell(onboarding).eq_ignore_ascii_case("onboarded") {
            asset.software.push(onboarded());
        }
        asset.origin = Some(ctx.origin(line));
        tidy(&mut asset);
        let text = table.opt_cell(ts);
        let stamp = (text.parse::<Timestamp>().ok(), text.to_string());
        let key = id.clone();
        match newest.get(&key) {
            Some((t, _)) if *t >= stamp => {}
            _ => {
                if !newest.contains_key(&key) {
                    order.push(key.clone());
                }
                newest.insert(key, (stamp, Record { asset, explicit }));
            }
        }
    }
    let mut mixed = Mixed::default();
    for key in order {
        if let Some((_, r)) = newest.remove(&key) {
            ctx.report.assets += 1;
            mixed.records.push(r);
        }
    }
    Ok(Content::Mixed(mixed))
}

/// `OnboardingStatus = Onboarded` is evidence of Defender for Endpoint (not of Defender
/// Antivirus alone): kept as the onboarding-state entry that reconciliation reads.
pub(crate) fn onboarded() -> Software {
    Software {
        name: "OnboardingState".into(),
        version: Some("1".into()),
        publisher: Some("Microsoft Defender for Endpoint (onboarding status)".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_tokens_become_os_text() {
        assert_eq!(
            os_text("WindowsServer2019", "", "", "10.0"),
            "Windows Server 2019"
        );
        assert_eq!(os_text("macOS", "", "", "14.5"), "macOS 14.5");
        assert_eq!(
            os_text("Windows11", "Windows 11", "23H2", "10.0"),
            "Windows 11 Version 23H2"
        );
        let os = crate::model::Os::parse(&os_text("Windows11", "", "23H2", ""));
        assert_eq!(os.version.as_deref(), Some("11"));
        assert_eq!(os.feature_update.as_deref(), Some("23H2"));
        assert_eq!(os_text("Linux", "Ubuntu", "22.04", "22.4"), "Ubuntu 22.04");
        assert_eq!(
            os_text("WindowsServer2012R2", "", "", ""),
            "Windows Server 2012 R2"
        );
    }
}
