//! Reconciling a fresh inventory scan with the plan: what really changed on each machine.
//!
//! | scan shows                                   | result                                   |
//! |----------------------------------------------|------------------------------------------|
//! | flagged product gone, target (or other) there | migrated                                 |
//! | flagged product and a protection product     | in-progress (coexistence)                |
//! | flagged product gone, no protection at all   | protection-gap alert (no status change)  |
//! | flagged product on a migrated/verified asset | regression alert (no status change)      |
//! | a direct asset the plan does not have        | unplanned alert, added for assignment    |
//! | a planned asset missing from the scan        | not seen (warning, no status change)     |
//!
//! Running the same scan twice changes nothing the second time.

use super::detect::Detector;
use crate::catalog::Catalog;
use crate::model::{Asset, Inventory, Timestamp};
use crate::plan::{Alert, AlertKind, Edit, EditContext, Plan, PlannedAsset, Status, apply};
use crate::rules::RuleSet;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// A status change the scan justifies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Asset id (as in the plan).
    pub asset: String,
    /// Current status.
    pub from: Status,
    /// New status.
    pub to: Status,
    /// Why (recorded in the history).
    pub note: String,
}

/// Everything one scan says about the plan.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Reconciliation {
    /// The scan's label.
    pub scan: String,
    /// Planned assets found in the scan.
    pub matched: usize,
    /// Planned assets in all.
    pub planned: usize,
    /// Status changes.
    pub changes: Vec<Change>,
    /// Alerts the scan raises (current state per scanned asset).
    pub alerts: Vec<Alert>,
    /// Direct assets in the scan that the plan does not have: (id, flagged products).
    pub unplanned: Vec<(String, String)>,
    /// Planned assets the scan does not show.
    pub not_seen: Vec<String>,
    /// Planned assets the scan showed (lower-case ids), whose alerts it replaces.
    #[serde(skip)]
    pub scanned: BTreeSet<String>,
}

/// Compares a scan with the plan. Nothing is changed; see [`apply_to`].
pub fn reconcile(
    plan: &Plan,
    scan: &Inventory,
    scan_label: &str,
    rules: &RuleSet,
    catalog: &Catalog,
    at: Timestamp,
) -> Reconciliation {
    let findings = rules.scan(scan);
    let mut judge = Judge {
        detector: Detector::new(catalog),
        cache: HashMap::new(),
        scan_label,
        at,
    };
    let mut r = Reconciliation {
        scan: scan_label.to_string(),
        planned: plan.assets.len(),
        ..Reconciliation::default()
    };
    let mut seen_positions = vec![false; scan.len()];
    for pa in &plan.assets {
        let Some(i) = scan.resolve(&pa.id) else {
            if pa.status != Status::Excluded {
                r.not_seen.push(pa.id.clone());
            }
            continue;
        };
        r.matched += 1;
        seen_positions[i] = true;
        r.scanned.insert(pa.id.to_lowercase());
        if pa.status == Status::Excluded {
            continue;
        }
        // Protected through a provider, it never ran the flagged product: a scan without it
        // says nothing about its coverage (people record that with `set --status`).
        if pa.coverage.is_some() && findings[i].is_empty() {
            continue;
        }
        let flagged = rules.products_of(&findings[i]);
        judge.classify(pa, &scan.assets()[i], &flagged, &mut r);
    }
    for (i, asset) in scan.assets().iter().enumerate() {
        if !findings[i].is_empty() && !seen_positions[i] {
            let products = rules.products_of(&findings[i]);
            r.unplanned.push((asset.id.clone(), products.join(", ")));
            // Judged like a planned asset, as `apply_to` adds it: the next run of the same
            // scan then finds nothing left to change.
            judge.classify(
                &new_asset(asset.id.clone(), String::new()),
                asset,
                &products,
                &mut r,
            );
        }
    }
    r
}

/// What a scan's view of one asset means, for planned assets and those the scan adds alike.
struct Judge<'a> {
    detector: Detector,
    cache: HashMap<String, Vec<usize>>,
    scan_label: &'a str,
    at: Timestamp,
}

impl Judge<'_> {
    fn alert(&self, asset: &str, kind: AlertKind, message: String) -> Alert {
        Alert {
            at: self.at,
            asset: asset.to_string(),
            kind,
            message,
            scan: self.scan_label.to_string(),
        }
    }

    /// Classifies `pa` as the scan shows it (`asset`, running the `flagged` products): the
    /// status change and alerts go into `r`.
    fn classify(
        &mut self,
        pa: &PlannedAsset,
        asset: &Asset,
        flagged: &[String],
        r: &mut Reconciliation,
    ) {
        let scan_label = self.scan_label;
        let detector = &self.detector;
        let mut protection = detector.listed(asset, &mut self.cache);
        // A protection built into the OS (Defender on Windows clients) only counts once the
        // flagged product is gone: while it is installed, the built-in one stands aside.
        let target_there = pa.product.as_ref().is_some_and(|t| {
            protection.contains(t) || (flagged.is_empty() && detector.builtin(t, asset))
        });
        if let Some(t) = &pa.product
            && target_there
            && !protection.contains(t)
        {
            protection.push(t.clone());
        }
        let status = pa.status;
        let change = |to: Status, note: String| Change {
            asset: pa.id.clone(),
            from: status,
            to,
            note,
        };
        let has_flagged = !flagged.is_empty();
        let protected = !protection.is_empty();
        if pa.source.as_deref() == Some("reconcile") && has_flagged {
            // Found by a scan and still waiting for a wave: the alert stays open.
            r.alerts.push(self.alert(
                &pa.id,
                AlertKind::Unplanned,
                unplanned_message(&flagged.join(", ")),
            ));
        }
        match (has_flagged, protected) {
            (false, true) => {
                if !matches!(status, Status::Migrated | Status::Verified) {
                    let how = if target_there {
                        format!("target {} present", pa.product.as_deref().unwrap_or(""))
                    } else {
                        format!(
                            "protected by {}, not the planned {}",
                            protection.join(", "),
                            pa.product.as_deref().unwrap_or("product")
                        )
                    };
                    r.changes.push(change(
                        Status::Migrated,
                        format!("scan {scan_label}: flagged product gone, {how}"),
                    ));
                }
            }
            (false, false) => r.alerts.push(
                self.alert(
                    &pa.id,
                    AlertKind::ProtectionGap,
                    "the flagged product is gone and no protection product was found: the machine \
                 is unprotected"
                        .to_string(),
                ),
            ),
            (true, _) if matches!(status, Status::Migrated | Status::Verified) => {
                r.alerts.push(self.alert(
                    &pa.id,
                    AlertKind::Regression,
                    format!("marked {status}, but the scan finds {}", flagged.join(", ")),
                ))
            }
            (true, true) => {
                if matches!(
                    status,
                    Status::Planned | Status::Blocked | Status::RolledBack
                ) {
                    r.changes.push(change(
                        Status::InProgress,
                        format!(
                            "scan {scan_label}: {} next to {} (coexistence)",
                            protection.join(", "),
                            flagged.join(", ")
                        ),
                    ));
                }
            }
            (true, false) => {}
        }
    }
}

/// A scanned asset the plan does not have, as [`apply_to`] adds it to `wave`.
fn new_asset(id: String, wave: String) -> PlannedAsset {
    let mut pa = PlannedAsset::new(id, wave);
    pa.source = Some("reconcile".into());
    pa
}

fn unplanned_message(products: &str) -> String {
    format!("runs {products} but is not in the plan: added for assignment to a wave")
}

/// Applies a reconciliation: status changes (recorded with `by = "reconcile"`), unplanned
/// assets added to the last wave that is not frozen, and the open alerts of the scanned assets
/// replaced by the scan's (an alert already open keeps its first time).
pub fn apply_to(plan: &mut Plan, r: &Reconciliation, at: Timestamp) {
    let ctx = EditContext {
        by: "reconcile".into(),
        at,
        check_transitions: false,
        note: None,
    };
    // New assets first, so that the changes the scan found for them apply too.
    if !r.unplanned.is_empty()
        && let Some(wave) = plan
            .waves
            .iter()
            .rev()
            .find(|w| !w.frozen)
            .or(plan.waves.last())
    {
        let wave = wave.id.clone();
        for (id, products) in &r.unplanned {
            if plan.asset_index(id).is_some() {
                continue;
            }
            let mut pa = new_asset(id.clone(), wave.clone());
            pa.reason = format!(
                "found by scan {} running {products}; assign it to a wave (replan does)",
                r.scan
            );
            plan.assets.push(pa);
        }
        plan.sort_assets();
    }
    for c in &r.changes {
        let edit = Edit::SetStatus {
            asset: c.asset.clone(),
            status: c.to,
            reason: Some(c.note.clone()),
            approver: None,
            review: None,
        };
        let _ = apply(plan, &edit, &ctx);
    }
    let scanned: BTreeSet<String> = r
        .scanned
        .iter()
        .cloned()
        .chain(r.unplanned.iter().map(|(id, _)| id.to_lowercase()))
        .collect();
    let previous: Vec<Alert> = std::mem::take(&mut plan.alerts);
    let mut kept: Vec<Alert> = previous
        .iter()
        .filter(|a| !scanned.contains(&a.asset.to_lowercase()))
        .cloned()
        .collect();
    for new in &r.alerts {
        let existing = previous.iter().find(|a| {
            a.asset.eq_ignore_ascii_case(&new.asset)
                && a.kind == new.kind
                && a.message == new.message
        });
        kept.push(existing.cloned().unwrap_or_else(|| new.clone()));
    }
    kept.sort_by(|a, b| (a.at, &a.asset, a.kind).cmp(&(b.at, &b.asset, b.kind)));
    plan.alerts = kept;
}
