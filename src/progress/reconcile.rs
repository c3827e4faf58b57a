//! Reconciling a fresh inventory scan with the plan: what really changed on each machine.
//! Every verdict rests on evidence: a product the scan lists (or evidence of onboarding), never
//! a product assumed to be part of the OS.
//!
//! | scan shows                                         | protection   | result                                      |
//! |----------------------------------------------------|--------------|---------------------------------------------|
//! | flagged product gone, the planned product listed    | protected    | migrated                                    |
//! | flagged product gone, another product listed        | protected    | migrated, "migrated to X, not the planned Y" |
//! | flagged product gone, nothing listed, Windows client | unverified   | protection-unverified alert, no status change |
//! | flagged product gone, nothing listed, anything else  | unprotected  | protection-gap alert, no status change      |
//! | flagged product and a protection product           | protected    | in-progress (coexistence)                   |
//! | flagged product on a migrated/verified asset       | protected    | regression alert, no status change          |
//! | a direct asset the plan does not have              |              | unplanned alert, added for assignment       |
//! | a planned asset missing from the scan              |              | not seen (warning, no status change)        |
//!
//! The protection evidence (state, products, scan, time) is kept on the planned asset. An
//! asset with an open unverified or unprotected alert never counts as done. Running the same
//! scan twice changes nothing the second time.

use super::detect::Detector;
use crate::catalog::Catalog;
use crate::model::{Asset, Inventory, OsFamily, Timestamp};
use crate::plan::{
    Alert, AlertKind, Coverage, CoveredBy, Edit, EditContext, Plan, PlannedAsset, Protection,
    ProtectionState, Status, apply,
};
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
    /// What the scan proves about the protection of each asset it judged (planned and
    /// unplanned; excluded assets are not judged). The JSON leaves out the assets that only
    /// run the flagged product.
    #[serde(serialize_with = "about_replacement")]
    pub protection: Vec<Evidence>,
    /// Planned assets the scan showed (lower-case ids), whose alerts it replaces.
    #[serde(skip)]
    pub scanned: BTreeSet<String>,
}

/// The protection evidence of one asset in a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Asset id (as in the plan, or as in the scan for an unplanned asset).
    pub asset: String,
    /// The planned product, if any.
    pub planned: Option<String>,
    /// What the scan proves.
    #[serde(flatten)]
    pub protection: Protection,
}

/// Serialises the evidence that says something about the replacement (not flagged-only).
fn about_replacement<S: serde::Serializer>(v: &[Evidence], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().filter(|e| !e.protection.is_flagged_only()))
}

impl Evidence {
    /// True when the asset runs a product other than the planned one.
    pub fn other_than_planned(&self) -> bool {
        self.protection.other_than(self.planned.as_deref())
    }
}

/// Why a reconciliation must not be applied: the scan (of `scan_assets` assets) matched none of
/// the plan's assets, so it is most likely the wrong file.
pub fn wrong_scan(r: &Reconciliation, scan_assets: usize) -> Option<String> {
    (r.matched == 0 && r.planned > 0).then(|| wrong_scan_message(&r.scan, scan_assets, r.planned))
}

/// The refusal of a scan `label` of `scan_assets` assets that matches none of `planned`.
pub fn wrong_scan_message(label: &str, scan_assets: usize, planned: usize) -> String {
    format!(
        "the scan {label} ({scan_assets} assets) matches none of the plan's {planned} assets — \
         wrong file? Nothing was changed"
    )
}

/// How scans of a plan are read: the options given, with the plan's own mapping file (recorded
/// relative to `base`, the plan's directory) when none is given, so that scans in the plan's
/// CSV layout are read like its inventory. Detection decides the format of each scan.
pub fn scan_options(
    mut opts: crate::inventory::ImportOptions,
    plan: &Plan,
    base: &std::path::Path,
) -> Result<crate::inventory::ImportOptions, crate::error::InputError> {
    if opts.mapping.is_none() && plan.import.mapping.is_some() {
        opts.mapping = crate::plan::workspace::import_options(&plan.import, base)?.mapping;
    }
    Ok(opts)
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
        // Protected through a provider, it never ran the flagged product.
        if let Some(c) = &pa.coverage
            && findings[i].is_empty()
        {
            judge.classify_covered(plan, pa, c, &scan.assets()[i], &mut r);
            continue;
        }
        let flagged = rules.products_of(&findings[i]);
        judge.classify(pa, &scan.assets()[i], &flagged, Lost::Flagged, &mut r);
    }
    for (i, asset) in scan.assets().iter().enumerate() {
        if !findings[i].is_empty() && !seen_positions[i] {
            let products = rules.products_of(&findings[i]);
            r.unplanned
                .push((asset.id.to_string(), products.join(", ")));
            // Judged like a planned asset, as `apply_to` adds it: the next run of the same
            // scan then finds nothing left to change.
            judge.classify(
                &new_asset(asset.id.to_string(), String::new()),
                asset,
                &products,
                Lost::Flagged,
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
    /// protection evidence, the status change and the alerts go into `r`.
    fn classify(
        &mut self,
        pa: &PlannedAsset,
        asset: &Asset,
        flagged: &[String],
        lost: Lost,
        r: &mut Reconciliation,
    ) {
        let (gone, is_gone) = lost.phrases();
        let scan_label = self.scan_label;
        let products = self.detector.listed(asset, &mut self.cache);
        let mut flagged: Vec<String> = flagged.to_vec();
        flagged.sort();
        flagged.dedup();
        // A logical CI (application, service) is no machine: a scan that lists nothing on it
        // proves nothing about protection.
        if asset.kind.is_logical() && flagged.is_empty() && products.is_empty() {
            return;
        }
        let switch_on = self.detector.may_switch_on(asset);
        let state = if !flagged.is_empty() || !products.is_empty() {
            ProtectionState::Protected
        } else if switch_on.is_some() {
            ProtectionState::Unverified
        } else {
            ProtectionState::Unprotected
        };
        let status = pa.status;
        let planned = pa.product.as_deref();
        let marked = if matches!(status, Status::Migrated | Status::Verified) {
            format!("marked {status}, but ")
        } else {
            String::new()
        };
        let change = |to: Status, note: String| Change {
            asset: pa.id.clone(),
            from: status,
            to,
            note,
        };
        if pa.source.as_deref() == Some("reconcile") && !flagged.is_empty() {
            // Found by a scan and still waiting for a wave: the alert stays open.
            r.alerts.push(self.alert(
                &pa.id,
                AlertKind::Unplanned,
                unplanned_message(&flagged.join(", ")),
            ));
        }
        match state {
            ProtectionState::Protected if !flagged.is_empty() => {
                if !marked.is_empty() {
                    // Conflicting evidence: reported, never applied.
                    r.alerts.push(self.alert(
                        &pa.id,
                        AlertKind::Regression,
                        format!(
                            "{marked}the scan finds {}: conflicting evidence, the status is \
                             not changed",
                            flagged.join(", ")
                        ),
                    ));
                } else if !products.is_empty()
                    && matches!(
                        status,
                        Status::Planned | Status::Blocked | Status::RolledBack
                    )
                {
                    r.changes.push(change(
                        Status::InProgress,
                        format!(
                            "scan {scan_label}: {} next to {} (coexistence)",
                            products.join(", "),
                            flagged.join(", ")
                        ),
                    ));
                }
            }
            ProtectionState::Protected => {
                if marked.is_empty() {
                    let how = match planned {
                        Some(p) if products.iter().any(|q| q == p) => {
                            format!("planned {p} present")
                        }
                        Some(p) => {
                            format!("migrated to {}, not the planned {p}", products.join(", "))
                        }
                        None => format!(
                            "migrated to {} (no product was planned)",
                            products.join(", ")
                        ),
                    };
                    r.changes.push(change(
                        Status::Migrated,
                        format!("scan {scan_label}: {gone}, {how}"),
                    ));
                }
            }
            ProtectionState::Unverified => r.alerts.push(self.alert(
                &pa.id,
                AlertKind::ProtectionUnverified,
                format!(
                    "{marked}the scan lists no protection product ({is_gone}): {} (part of \
                     Windows) may have switched itself on, but a scan cannot show it. Prove it \
                     (Get-MpComputerStatus: AMRunningMode = Normal, RealTimeProtectionEnabled, \
                     current signatures) or install {}",
                    switch_on.unwrap_or("a built-in anti-virus"),
                    planned.unwrap_or("a replacement")
                ),
            )),
            ProtectionState::Unprotected => r.alerts.push(self.alert(
                &pa.id,
                AlertKind::ProtectionGap,
                format!(
                    "{marked}the scan lists no protection product ({is_gone}); {}: the machine \
                     is unprotected",
                    nothing_switches_on(asset.os.family)
                ),
            )),
        }
        r.protection.push(Evidence {
            asset: pa.id.clone(),
            planned: pa.product.clone(),
            protection: Protection {
                state,
                products,
                flagged,
                scan: scan_label.to_string(),
                at: self.at,
            },
        });
    }
}

impl Judge<'_> {
    /// An asset protected through a provider: its own agent, once the scan lists one, makes it
    /// migrated. A scan that lists nothing says nothing while the provider still protects it
    /// (or its replacement does, `by = "provider"`); once the provider is done, an asset that
    /// was to get an agent of its own and shows none is judged like any other.
    fn classify_covered(
        &mut self,
        plan: &Plan,
        pa: &PlannedAsset,
        c: &Coverage,
        asset: &Asset,
        r: &mut Reconciliation,
    ) {
        if c.by == CoveredBy::Provider {
            return;
        }
        let products = self.detector.listed(asset, &mut self.cache);
        let provider_gone = plan.asset(&c.via).is_some_and(|p| p.status.is_done());
        if products.is_empty() && !provider_gone {
            return;
        }
        if products.is_empty() || !matches!(pa.status, Status::Migrated | Status::Verified) {
            self.classify(pa, asset, &[], Lost::Provider(&c.via), r);
        }
    }
}

/// What an asset lost that protected it, in the words of notes and alerts.
#[derive(Clone, Copy)]
enum Lost<'a> {
    /// Its own flagged product.
    Flagged,
    /// The provider that protected it (`via`).
    Provider(&'a str),
}

impl Lost<'_> {
    /// (for a status note, for an alert)
    fn phrases(self) -> (String, String) {
        match self {
            Lost::Flagged => (
                "flagged product gone".into(),
                "the flagged product is gone".into(),
            ),
            Lost::Provider(via) => (
                format!("protected through {via} until now"),
                format!("{via} no longer protects it"),
            ),
        }
    }
}

/// Why an empty scan means "unprotected" on this platform.
fn nothing_switches_on(family: OsFamily) -> String {
    match family {
        OsFamily::WindowsServer => {
            "Defender Antivirus does not switch itself back on on Windows Server".to_string()
        }
        OsFamily::WindowsClient => {
            "no built-in anti-virus switches itself on in this Windows version".to_string()
        }
        f => format!("nothing switches itself on here ({f})"),
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
/// assets added to the last wave that is not frozen, the protection evidence of the judged
/// assets (evidence unchanged since an earlier scan keeps that scan and time; an asset that only
/// runs the flagged product gets none unless it had some), and the open
/// alerts of the scanned assets replaced by the scan's (an alert already open keeps its first
/// time).
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
            )
            .into();
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
    for ev in &r.protection {
        let Some(i) = plan.asset_index(&ev.asset) else {
            continue;
        };
        let kept = &mut plan.assets[i].protection;
        // Still only on the flagged product: nothing to record unless earlier evidence (of a
        // replacement) is now contradicted.
        if kept.is_none() && ev.protection.is_flagged_only() {
            continue;
        }
        // The first scan that showed this evidence stays on record.
        if !kept
            .as_ref()
            .is_some_and(|old| old.same_evidence(&ev.protection))
        {
            *kept = Some(Box::new(ev.protection.clone()));
        }
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
