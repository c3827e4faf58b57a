//! Runbook steps of an asset protected through a provider: it has no flagged product to
//! remove, only protection to keep when the provider is replaced.

use super::{Coverage, CoveredBy};
use crate::catalog::{self, Capability};
use crate::model::{AssetKind, OsFamily};
use crate::plan::context::PlanContext;
use crate::plan::model::{DecisionOption, PlannedAsset};
use crate::plan::steps::Step;
use strum::VariantArray;

/// The steps for planned asset `pa` (inventory position `i`) covered as `c`: verify the
/// provider's replacement scans it, install and verify an agent of its own before the provider
/// goes, or record a decision.
pub fn coverage_steps(ctx: &PlanContext, pa: &PlannedAsset, i: usize, c: &Coverage) -> Vec<Step> {
    let asset = &ctx.inventory.assets()[i];
    let via = &c.via;
    let what = c.function.describe();
    let product = pa.product.as_deref().map(|p| {
        ctx.catalog
            .product(p)
            .map_or_else(|| p.to_string(), |x| x.name.clone())
    });
    match (c.by, product) {
        (CoveredBy::Provider, Some(name)) => {
            let (object, check) = match c.function {
                Capability::Virtualization if asset.kind == AssetKind::Hypervisor => (
                    "the virtual machines on this host",
                    "Agentless protection is set up per host or cluster: the new security \
                     appliance must protect every virtual machine on this host before the old \
                     one is removed; check each is listed as protected in the new console.",
                ),
                Capability::Virtualization => (
                    "this virtual machine",
                    "Check in the new console that this machine is listed as protected, then \
                     run a detection test (EICAR test file) inside it.",
                ),
                Capability::Mail => (
                    "this system's mail",
                    "Send an EICAR test mail through the new mail protection to this system and \
                     check that it is blocked.",
                ),
                _ => (
                    "this storage",
                    "Point the storage's antivirus (ICAP) settings to the new scan server, write \
                     an EICAR test file to one of its shares and check that it is blocked.",
                ),
            };
            vec![Step {
                key: "verify-coverage",
                action: format!(
                    "Covered by {via}'s replacement {name} once it is in place: verify scanning \
                     of {object}."
                ),
                notes: vec![
                    check.to_string(),
                    format!(
                        "Do not switch off the Kaspersky protection on {via} before this is \
                         verified: until then it is this asset's only {what}."
                    ),
                ],
                sources: vec![],
            }]
        }
        (CoveredBy::OwnAgent, Some(name)) if runs_already(ctx, i, pa.product.as_deref()) => {
            vec![Step {
                key: "verify",
                action: format!(
                    "Already runs {name}: before {via} is replaced, confirm it is active (not \
                     passive), has current signatures and checks in at its console."
                ),
                notes: vec![format!(
                    "Today {via} also provides its {what}; after {via} is replaced, {name} is \
                     its only protection."
                )],
                sources: vec![],
            }]
        }
        (CoveredBy::OwnAgent, Some(name)) => {
            let mut install_notes: Vec<String> = pa
                .product
                .as_deref()
                .and_then(|p| ctx.catalog.product(p))
                .map(|p| catalog::notes_for(p, asset))
                .unwrap_or_default();
            // No flagged product runs here: advice about removing it does not apply.
            install_notes.retain(|n| !n.to_lowercase().contains("kaspersky"));
            install_notes.push(format!(
                "Today {via} provides its {what}; {via} is replaced in its own wave, so this \
                 agent must be active before then."
            ));
            if c.function == Capability::Virtualization {
                install_notes.push(format!(
                    "While {via} still scans it, exclude {name}'s folders and processes from the \
                     agentless scan so that files are not scanned twice."
                ));
            }
            let mut confirm = Vec::new();
            if asset.os.family == OsFamily::WindowsServer {
                confirm.push(
                    "Windows Server: Defender Antivirus does not switch to passive or back to \
                     active on its own; set the mode explicitly."
                        .to_string(),
                );
            }
            vec![
                Step {
                    key: "install-new",
                    action: format!(
                        "Install {name} on this asset before {via} is replaced (it gets its \
                         anti-virus from {via} today)."
                    ),
                    notes: install_notes,
                    sources: vec![],
                },
                Step {
                    key: "verify",
                    action: format!(
                        "Verify {name}: detection test (EICAR), current signatures, check-in at \
                         its console."
                    ),
                    notes: vec![],
                    sources: vec![],
                },
                Step {
                    key: "confirm-active",
                    action: format!(
                        "Confirm {name} is active (not passive) once {via} no longer protects \
                         this asset."
                    ),
                    sources: if confirm.is_empty() {
                        vec![]
                    } else {
                        vec![crate::plan::steps::sources::MDAV_COMPAT.to_string()]
                    },
                    notes: confirm,
                },
            ]
        }
        _ => {
            let options: Vec<String> = DecisionOption::VARIANTS
                .iter()
                .map(|o| format!("{o}: {}", o.describe()))
                .collect();
            let mut notes = vec![pa.product_reason.to_string()];
            match &pa.decision {
                Some(d) => notes.push(format!(
                    "Decided: {} ({}; approved by {}, review {}).",
                    d.option, d.rationale, d.approver, d.review
                )),
                None => notes.push(format!("Options: {}.", options.join("; "))),
            }
            vec![Step {
                key: "decide",
                action: format!(
                    "Record a decision before {via} is replaced: this asset gets its {what} from \
                     {via}, and neither {via}'s replacement nor an agent of its own covers it."
                ),
                notes,
                sources: vec![],
            }]
        }
    }
}

/// True when the asset's software lists `product` (it runs it already).
fn runs_already(ctx: &PlanContext, i: usize, product: Option<&str>) -> bool {
    product.is_some_and(|p| ctx.listed(i).iter().any(|q| q == p))
}
