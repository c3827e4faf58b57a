//! Per-asset replacement steps: never a protection gap (BSI: do not switch protection off
//! without preparation). Install the successor next to the flagged product, verify it, remove
//! the flagged product, confirm the successor is active; management servers go last.

use super::context::PlanContext;
use super::model::PlannedAsset;
use crate::catalog;
use crate::model::OsFamily;
use crate::rules::Role;
use serde::Serialize;

/// One step of an asset's replacement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Stable key: install-new, verify, remove-flagged, confirm-active, decommission, decide,
    /// verify-coverage.
    pub key: &'static str,
    /// What to do.
    pub action: String,
    /// Things that matter for this asset.
    pub notes: Vec<String>,
}

/// The steps for planned asset `pa` (inventory position `i`).
pub fn steps_for(ctx: &PlanContext, pa: &PlannedAsset, i: usize) -> Vec<Step> {
    // Protected through a provider, no flagged product of its own: keep its protection.
    if let Some(c) = &pa.coverage
        && ctx.analysis.findings[i].is_empty()
    {
        return super::coverage::coverage_steps(ctx, pa, i, c);
    }
    let asset = &ctx.inventory.assets()[i];
    let flagged = ctx.flagged_products(i).join(", ");
    let roles = ctx.roles(i);
    let linux = asset.os.family == OsFamily::Linux;
    let windows_server = asset.os.family == OsFamily::WindowsServer;
    let mut steps = Vec::new();
    let Some(product_id) = &pa.product else {
        steps.push(Step {
            key: "decide",
            action: format!(
                "Record a decision: no catalogue product replaces {flagged} here. Exclude with a \
                 rationale, approver and review date, isolate the system, or pick a product."
            ),
            notes: vec![pa.product_reason.clone()],
        });
        return steps;
    };
    let product = ctx.catalog.product(product_id);
    let name = product
        .map(|p| p.name.clone())
        .unwrap_or_else(|| product_id.clone());
    let mut install_notes: Vec<String> = product
        .map(|p| catalog::notes_for(p, asset))
        .unwrap_or_default();
    install_notes.push(format!(
        "Exclude {name} in the Kaspersky policy and Kaspersky's folders and processes in {name}, \
         so both can run side by side."
    ));
    if windows_server {
        install_notes.push(
            "Windows Server: Defender Antivirus does not switch to passive or back to active on \
             its own; set the mode explicitly."
                .into(),
        );
    }
    if roles.contains(&Role::Mail) {
        install_notes.push("Mail system: apply the mail server's antivirus exclusions (e.g. Microsoft's Exchange exclusions) and test mail flow.".into());
    }
    steps.push(Step {
        key: "install-new",
        action: format!("Install {name} next to {flagged} (passive or coexisting mode)."),
        notes: install_notes,
    });
    steps.push(Step {
        key: "verify",
        action: format!(
            "Verify {name}: detection test (EICAR), current signatures, check-in at its console."
        ),
        notes: vec![],
    });
    let mut remove_notes = vec![
        "Have the Kaspersky uninstall password ready (KES: KLLOGIN/KLPASSWD, default user \
         KLAdmin; Network Agent uninstall password) and export it before Security Center is \
         decommissioned."
            .to_string(),
    ];
    if linux {
        remove_notes.push(
            "Linux: remove kesl (rpm -e / apt remove) before klnagent64; nothing may remain under \
             /opt/kaspersky."
                .into(),
        );
    } else if asset.os.family == OsFamily::Macos {
        remove_notes.push(
            "macOS: run the uninstall scripts under /Library/Application Support/Kaspersky Lab/ \
             (KAV/Binaries/UninstallScript, then klnagent/Binaries/UninstallScript for the \
             Network Agent)."
                .into(),
        );
    } else if matches!(asset.os.family, OsFamily::Android | OsFamily::Ios) {
        remove_notes.push(
            "Mobile: remove the Kaspersky app through the device management (MDM) that \
             installed it, after the successor app reports in."
                .into(),
        );
    } else {
        remove_notes.push(
            "Uninstall with the Security Center task \"Uninstall application remotely\" or msiexec \
             /x with KLLOGIN/KLPASSWD; kavremover as a last resort; remove browser plug-ins; \
             reboot."
                .into(),
        );
    }
    if roles.contains(&Role::OemEngine) {
        remove_notes.push(
            "Embedded Kaspersky engine: switch the appliance to another engine or replace the \
             appliance, and document it."
                .into(),
        );
    }
    steps.push(Step {
        key: "remove-flagged",
        action: format!("Remove {flagged}."),
        notes: remove_notes,
    });
    steps.push(Step {
        key: "confirm-active",
        action: format!(
            "Confirm {name} is active (not passive) and no Kaspersky service, driver or package is \
             left."
        ),
        notes: if asset.os.family == OsFamily::WindowsClient {
            vec![format!("Windows Security Center should list {name}.")]
        } else {
            vec![]
        },
    });
    if roles.contains(&Role::ManagementServer) {
        steps.push(Step {
            key: "decommission",
            action: "Decommission Kaspersky Security Center after its last managed system: \
                     Administration Server, Web Console and database."
                .into(),
            notes: vec![
                "Close ports 13000, 14000, 13291, 13299 (and agent port 15000 UDP); remove the \
                 KSN proxy; revoke licences."
                    .into(),
            ],
        });
    }
    steps
}
