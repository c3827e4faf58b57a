//! How well the estate is protected right now, on evidence: which planned assets are covered,
//! which still await a decision, which are unverified or unprotected, and which migrated to a
//! product other than the planned one. Every report (status, TUI, management report) states
//! these figures and says "no machine is left unprotected" only when it is true.

use crate::plan::{AlertKind, Plan};
use serde::Serialize;
use std::collections::HashMap;

/// Where one planned asset stands on protection (the worst that applies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cover {
    /// An open protection-gap alert: the latest scan shows no protection where nothing
    /// switches itself on.
    Unprotected,
    /// An open protection-unverified alert: the latest scan shows no protection, a built-in
    /// one may be on but nobody has proven it.
    Unverified,
    /// No host agent replaces the flagged product here and no decision is recorded.
    Undecided,
    /// Done on evidence (migrated or verified without an open protection alert), excluded, or
    /// decided.
    Covered,
    /// Still running the flagged product (protected by it) or in work.
    Pending,
}

impl Cover {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Cover::Unprotected => "unprotected",
            Cover::Unverified => "unverified",
            Cover::Undecided => "undecided",
            Cover::Covered => "covered",
            Cover::Pending => "pending",
        }
    }
}

/// The protection figures of a plan (the `coverage` object of `avmigrate status`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Done on evidence, excluded or decided.
    pub covered: usize,
    /// Awaiting a decision nobody has recorded.
    pub undecided: usize,
    /// Open protection-unverified alert.
    pub unverified: usize,
    /// Open protection-gap alert.
    pub unprotected: usize,
    /// Still on the flagged product or in work.
    pub pending: usize,
    /// True when no asset is unverified, unprotected or undecided: only then may a report say
    /// that no machine is left unprotected.
    pub none_left_unprotected: bool,
}

impl Coverage {
    /// Assets not known to stay protected: unverified, unprotected or undecided.
    pub fn at_risk(&self) -> usize {
        self.unverified + self.unprotected + self.undecided
    }

    /// One sentence for people, true to the figures.
    pub fn sentence(&self) -> String {
        if self.none_left_unprotected {
            format!(
                "No machine is left unprotected: {} covered, {} still protected by the flagged \
                 product until their wave.",
                self.covered, self.pending
            )
        } else {
            format!(
                "{} machine(s) are not known to stay protected: {} unprotected, {} unverified, \
                 {} awaiting a decision ({} covered, {} still protected by the flagged product).",
                self.at_risk(),
                self.unprotected,
                self.unverified,
                self.undecided,
                self.covered,
                self.pending
            )
        }
    }
}

/// Per planned asset (plan order), where it stands.
pub fn covers(plan: &Plan) -> Vec<Cover> {
    let mut alerted: HashMap<String, AlertKind> = HashMap::new();
    for a in plan.alerts.iter().filter(|a| a.kind.is_protection()) {
        let e = alerted.entry(a.asset.to_lowercase()).or_insert(a.kind);
        *e = (*e).min(a.kind);
    }
    let done = plan.done_mask();
    plan.assets
        .iter()
        .zip(done)
        .map(|(a, done)| {
            let alert = match alerted.is_empty() {
                true => None,
                false => alerted.get(&a.id.as_str().to_lowercase()),
            };
            match alert {
                Some(AlertKind::ProtectionGap) => return Cover::Unprotected,
                Some(_) => return Cover::Unverified,
                None => {}
            }
            if a.awaits_decision() {
                Cover::Undecided
            } else if done || a.decision.is_some() {
                Cover::Covered
            } else {
                Cover::Pending
            }
        })
        .collect()
}

/// The protection figures of a plan.
pub fn coverage(plan: &Plan) -> Coverage {
    let mut c = Coverage::default();
    for cover in covers(plan) {
        match cover {
            Cover::Unprotected => c.unprotected += 1,
            Cover::Unverified => c.unverified += 1,
            Cover::Undecided => c.undecided += 1,
            Cover::Covered => c.covered += 1,
            Cover::Pending => c.pending += 1,
        }
    }
    c.none_left_unprotected = c.at_risk() == 0;
    c
}

/// An asset that a scan showed running a product other than the planned one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotAsPlanned {
    /// Asset id.
    pub asset: String,
    /// The planned product (None when none was compatible).
    pub planned: Option<String>,
    /// The products the scan found (catalogue ids).
    pub found: Vec<String>,
    /// The scan that showed it.
    pub scan: String,
    /// When that scan was reconciled.
    pub at: String,
}

/// Assets migrated to a product other than the planned one, in plan order.
pub fn not_as_planned(plan: &Plan) -> Vec<NotAsPlanned> {
    plan.assets
        .iter()
        .filter_map(|a| {
            let p = a.protection.as_ref()?;
            p.other_than(a.product.as_deref()).then(|| NotAsPlanned {
                asset: a.id.clone(),
                planned: a.product.clone(),
                found: p.products.clone(),
                scan: p.scan.clone(),
                at: p.at.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, Timestamp};
    use crate::plan::{Alert, Decision, DecisionOption, PlannedAsset, Settings, Status, Wave};

    fn plan(assets: Vec<PlannedAsset>, alerts: Vec<(&str, AlertKind)>) -> Plan {
        let day: Date = "2027-01-11".parse().unwrap();
        Plan {
            schema_version: 1,
            name: "t".into(),
            inventory: vec![],
            import: Default::default(),
            settings: Settings::new(day),
            waves: vec![Wave {
                id: "w1".into(),
                name: "Pilot".into(),
                start: day,
                end: day,
                capacity: 10,
                frozen: false,
            }],
            assets,
            events: vec![],
            alerts: alerts
                .into_iter()
                .map(|(asset, kind)| Alert {
                    at: "2027-01-11T08:00:00Z".parse::<Timestamp>().unwrap(),
                    asset: asset.into(),
                    kind,
                    message: String::new(),
                    scan: "s".into(),
                })
                .collect(),
        }
    }

    fn asset(id: &str, status: Status) -> PlannedAsset {
        let mut a = PlannedAsset::new(id, "w1");
        a.status = status;
        a
    }

    #[test]
    fn every_asset_has_one_place_and_the_sentence_follows_the_figures() {
        let mut ot = asset("hmi-1", Status::Planned);
        ot.needs_decision = true;
        let mut decided = asset("hmi-2", Status::Planned);
        decided.needs_decision = true;
        decided.decision = Some(Box::new(Decision {
            option: DecisionOption::Isolate,
            rationale: "air-gapped".into(),
            approver: "CISO".into(),
            review: "2027-06-30".parse().unwrap(),
        }));
        let p = plan(
            vec![
                asset("a", Status::Migrated),
                asset("b", Status::Migrated),
                asset("c", Status::Verified),
                asset("d", Status::Planned),
                asset("e", Status::Excluded),
                ot,
                decided,
            ],
            vec![
                ("a", AlertKind::ProtectionGap),
                ("b", AlertKind::ProtectionUnverified),
                ("d", AlertKind::Regression),
            ],
        );
        let c = coverage(&p);
        assert_eq!(
            (
                c.unprotected,
                c.unverified,
                c.undecided,
                c.covered,
                c.pending
            ),
            (1, 1, 1, 3, 1)
        );
        assert!(!c.none_left_unprotected);
        let s = c.sentence();
        assert!(
            !s.to_lowercase().contains("no machine is left unprotected"),
            "{s}"
        );
        assert!(
            s.starts_with("3 machine(s) are not known to stay protected"),
            "{s}"
        );

        let fine = plan(
            vec![asset("c", Status::Verified), asset("d", Status::Planned)],
            vec![("d", AlertKind::Unplanned)],
        );
        let c = coverage(&fine);
        assert!(c.none_left_unprotected);
        assert!(c.sentence().starts_with("No machine is left unprotected"));
    }
}
