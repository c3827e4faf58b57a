//! Which steps of an asset count as done. A status alone is a claim; the latest reconciled scan
//! (the asset's protection evidence) and its open alerts are what the ticks follow: a step whose
//! result the evidence contradicts is not ticked, whatever the status says.

use super::Step;
use crate::plan::model::{Alert, AlertKind, PlannedAsset};
use crate::plan::protection::ProtectionState;

/// What the evidence says about one asset, as far as its steps are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Contradicted {
    /// The flagged product is (back) on the asset.
    flagged_present: bool,
    /// The successor is not shown protecting the asset.
    successor_unproven: bool,
}

impl Contradicted {
    fn of(pa: &PlannedAsset, alerts: &[&Alert]) -> Contradicted {
        let open = |k: AlertKind| alerts.iter().any(|a| a.kind == k);
        let regression = open(AlertKind::Regression);
        let protection_alert = alerts.iter().any(|a| a.kind.is_protection());
        let (flagged_seen, no_successor) = match &pa.protection {
            None => (false, false),
            Some(e) => (
                !e.flagged.is_empty(),
                e.state != ProtectionState::Protected || e.products.is_empty(),
            ),
        };
        Contradicted {
            flagged_present: regression || flagged_seen,
            // A regression means the flagged product protects the machine again: nothing shows
            // that its successor does.
            successor_unproven: protection_alert || regression || no_successor,
        }
    }

    /// True when the evidence contradicts step `key` having been done.
    fn denies(self, key: &str) -> bool {
        match key {
            "install-new" | "verify" | "verify-coverage" => self.successor_unproven,
            "remove-flagged" | "decommission" => self.flagged_present,
            "confirm-active" => self.successor_unproven || self.flagged_present,
            _ => false,
        }
    }
}

/// The open alerts of asset `id` (ids compare case-insensitively).
pub fn alerts_of<'a>(alerts: &'a [Alert], id: &str) -> Vec<&'a Alert> {
    alerts
        .iter()
        .filter(|a| a.asset.eq_ignore_ascii_case(id))
        .collect()
}

/// One tick per step of `pa`: done when its status is done (migrated, verified, excluded) and
/// neither its open `alerts` nor its protection evidence contradict the step — with an open
/// regression or protection alert, the verify, protection and removal steps are not done.
pub fn ticks(pa: &PlannedAsset, alerts: &[&Alert], steps: &[Step]) -> Vec<bool> {
    if !pa.status.is_done() {
        return vec![false; steps.len()];
    }
    // An excluded asset is not migrated at all: its steps are settled, not contradicted.
    if pa.status == crate::plan::Status::Excluded {
        return vec![true; steps.len()];
    }
    let c = Contradicted::of(pa, alerts);
    steps.iter().map(|s| !c.denies(s.key)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Status;
    use crate::plan::protection::Protection;

    const KEYS: [&str; 6] = [
        "install-new",
        "verify",
        "switch-over",
        "remove-flagged",
        "confirm-active",
        "export-records",
    ];

    fn steps() -> Vec<Step> {
        KEYS.iter().map(|&k| Step::new(k, "x")).collect()
    }

    fn asset(status: Status, protection: Option<Protection>) -> PlannedAsset {
        let mut pa = PlannedAsset::new("ws-1", "w1");
        pa.status = status;
        pa.product = Some("mde".into());
        pa.protection = protection.map(Box::new);
        pa
    }

    fn alert(kind: AlertKind) -> Alert {
        Alert {
            at: "2026-12-01T10:00:00Z".parse().unwrap(),
            asset: "WS-1".into(),
            kind,
            message: "m".into(),
            scan: "scan.toml".into(),
        }
    }

    fn evidence(state: ProtectionState, products: &[&str], flagged: &[&str]) -> Protection {
        Protection {
            state,
            products: products.iter().map(|s| s.to_string()).collect(),
            flagged: flagged.iter().map(|s| s.to_string()).collect(),
            scan: "scan.toml".into(),
            at: "2026-12-01T10:00:00Z".parse().unwrap(),
        }
    }

    /// The keys ticked.
    fn ticked(pa: &PlannedAsset, alerts: &[Alert]) -> Vec<&'static str> {
        let open: Vec<&Alert> = alerts_of(alerts, &pa.id);
        KEYS.iter()
            .zip(ticks(pa, &open, &steps()))
            .filter(|(_, t)| *t)
            .map(|(k, _)| *k)
            .collect()
    }

    #[test]
    fn a_done_asset_without_contrary_evidence_has_every_step_ticked() {
        let proven = evidence(ProtectionState::Protected, &["mde"], &[]);
        assert_eq!(ticked(&asset(Status::Verified, Some(proven)), &[]), KEYS);
        assert_eq!(ticked(&asset(Status::Migrated, None), &[]), KEYS);
        assert!(ticked(&asset(Status::InProgress, None), &[]).is_empty());
    }

    #[test]
    fn an_open_regression_unticks_verification_removal_and_confirmation() {
        let pa = asset(Status::Verified, None);
        assert_eq!(
            ticked(&pa, &[alert(AlertKind::Regression)]),
            ["switch-over", "export-records"]
        );
        // Another asset's alert changes nothing.
        let mut other = alert(AlertKind::Regression);
        other.asset = "ws-2".into();
        assert_eq!(ticked(&pa, &[other]), KEYS);
    }

    #[test]
    fn a_protection_gap_unticks_the_protection_steps_but_not_the_removal() {
        let gone = evidence(ProtectionState::Unprotected, &[], &[]);
        let pa = asset(Status::Migrated, Some(gone));
        for kind in [AlertKind::ProtectionGap, AlertKind::ProtectionUnverified] {
            assert_eq!(
                ticked(&pa, &[alert(kind)]),
                ["switch-over", "remove-flagged", "export-records"],
                "{kind:?}"
            );
        }
    }

    #[test]
    fn evidence_alone_unticks_what_it_contradicts() {
        // The scan still shows the flagged product next to the successor.
        let both = evidence(ProtectionState::Protected, &["mde"], &["KES"]);
        assert_eq!(
            ticked(&asset(Status::Migrated, Some(both)), &[]),
            ["install-new", "verify", "switch-over", "export-records"]
        );
        // Only the flagged product protects it.
        let flagged_only = evidence(ProtectionState::Protected, &[], &["KES"]);
        assert_eq!(
            ticked(&asset(Status::Migrated, Some(flagged_only)), &[]),
            ["switch-over", "export-records"]
        );
        let unverified = evidence(ProtectionState::Unverified, &[], &[]);
        assert_eq!(
            ticked(&asset(Status::Migrated, Some(unverified)), &[]),
            ["switch-over", "remove-flagged", "export-records"]
        );
    }

    #[test]
    fn an_excluded_asset_stays_settled() {
        let pa = asset(Status::Excluded, None);
        assert_eq!(ticked(&pa, &[alert(AlertKind::Regression)]), KEYS);
    }
}
