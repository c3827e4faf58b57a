//! Microsoft Defender for Endpoint API exports (JSON):
//! * `GET /api/machines` (`defender-api-machines`): machine entities (`computerDnsName`,
//!   `osPlatform`, `version`, `machineTags` …) → device records;
//! * `GET /api/machines/SoftwareInventoryByMachine` (`defender-api-software`): one product of
//!   one device per entry (`deviceName`, `softwareVendor`, `softwareName`, `softwareVersion`),
//!   several entries per device merged, as the TVM CSV.
//!
//! Envelopes are tolerated as they come: `{"@odata.context":…,"value":[…],"@odata.nextLink":…}`,
//! several such pages concatenated, a bare array, or JSON lines (the "via files" export).

use super::defender::os_text;
use super::defender_tvm::HostSoftware;
use super::ksc_json::{Fields, first_text, strings, text, unread_products, walk};
use super::{JsonForm, Probe};
use crate::error::InputError;
use crate::inventory::{Content, Explicit, FileCtx, Mixed, Record, tidy};
use crate::model::text::clean;
use crate::model::{Asset, AssetKind, Software};

/// How machine entities map to the model.
pub(crate) const MACHINES_COLUMNS: &[(&str, &str)] = &[
    ("computerDnsName", "id (lower-case FQDN), name"),
    (
        "osPlatform + version",
        "os (Windows11 + 23H2 → Windows 11 23H2)",
    ),
    ("machineTags", "tags"),
    ("id, health, risk, IP addresses", "(ignored)"),
];

/// How software inventory entries map to the model.
pub(crate) const SOFTWARE_COLUMNS: &[(&str, &str)] = &[
    ("deviceName", "asset (lower-case FQDN)"),
    ("softwareName", "software name (normalised token)"),
    ("softwareVersion", "software version"),
    (
        "softwareVendor",
        "software publisher (normalised token, e.g. kaspersky)",
    ),
    ("osPlatform", "os (fills an unknown OS)"),
];

/// True when the file's first object has `keys`, or it is an envelope (`value`) and the text
/// names every key.
fn has_entries(p: &Probe, keys: &[&str]) -> bool {
    let Some(j) = p.json() else {
        return false;
    };
    if j.has_all(keys) {
        return true;
    }
    let envelope = j.form != JsonForm::Array && j.has_any(&["value", "@odata.context"]);
    envelope && keys.iter().all(|k| p.text.contains(&format!("\"{k}\"")))
}

/// Machine entities: `computerDnsName`, no software fields.
pub(crate) fn machines_matches(p: &Probe) -> bool {
    has_entries(p, &["computerDnsName", "osPlatform"]) && !software_matches(p)
}

/// Software inventory entries: `deviceName` and `softwareName`.
pub(crate) fn software_matches(p: &Probe) -> bool {
    has_entries(p, &["deviceName", "softwareName"])
}

/// Reads machine entities: one record per machine (the last entry of a repeated machine
/// merges into the first).
pub(crate) fn read_machines(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    let mut mixed = Mixed::default();
    let label = ctx.file.to_string();
    walk(&label, p.text, &mut |line, fields: &Fields<'_>| {
        if !fields.contains_key("computerDnsName") {
            return Ok(true);
        }
        ctx.report.rows += 1;
        let Some(dns) = text(fields, "computerDnsName") else {
            ctx.skip(
                "missing device name",
                ctx.line(line),
                "machine has no computerDnsName; skipped".into(),
            )?;
            return Ok(false);
        };
        let mut asset = Asset::new(clean(&dns.to_lowercase()));
        asset.name = Some(clean(&dns).into());
        let platform = text(fields, "osPlatform").unwrap_or_default();
        let version = text(fields, "version").unwrap_or_default();
        asset.os = ctx.os(&os_text(&platform, "", &version, ""));
        asset.kind = AssetKind::infer(&asset.os);
        asset.set_tags(strings(fields, "machineTags").into_iter().map(Into::into));
        if text(fields, "onboardingStatus").is_some_and(|s| s.eq_ignore_ascii_case("onboarded")) {
            asset.software.push(super::defender::onboarded());
        }
        const READ: &[&str] = &[
            "computerDnsName",
            "osPlatform",
            "version",
            "machineTags",
            "onboardingStatus",
        ];
        asset
            .software
            .extend(unread_products(fields, READ, line, ctx)?);
        asset.origin = Some(ctx.origin(line));
        tidy(&mut asset);
        ctx.report.assets += 1;
        mixed.records.push(Record {
            asset,
            explicit: Explicit::default(),
        });
        Ok(false)
    })?;
    Ok(Content::Mixed(mixed))
}

/// Reads software inventory entries, gathered per device.
pub(crate) fn read_software(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    let mut hosts = HostSoftware::default();
    let label = ctx.file.to_string();
    walk(&label, p.text, &mut |line, fields: &Fields<'_>| {
        if !fields.contains_key("softwareName") {
            return Ok(true);
        }
        ctx.report.rows += 1;
        let device = first_text(fields, &["deviceName", "computerDnsName"]);
        let name = text(fields, "softwareName");
        let (Some(device), Some(name)) = (device, name) else {
            ctx.skip(
                "missing device or software",
                ctx.line(line),
                "entry has no deviceName or softwareName; skipped".into(),
            )?;
            return Ok(false);
        };
        let software = Software {
            name: clean(&name).into(),
            version: text(fields, "softwareVersion").map(|v| clean(&v).into()),
            publisher: text(fields, "softwareVendor").map(|v| clean(&v).into()),
        };
        let os = || os_text(&text(fields, "osPlatform").unwrap_or_default(), "", "", "");
        hosts.add(ctx, &device, line, os, software);
        ctx.report.software += 1;
        Ok(false)
    })?;
    Ok(Content::Mixed(hosts.finish(ctx)))
}
