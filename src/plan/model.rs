//! The plan: settings, waves, planned assets and their history (plain data).

pub use super::coverage::{Coverage, CoveredBy};
pub use super::decision::{Decision, DecisionOption};
pub use super::protection::{Protection, ProtectionState};
pub use super::settings::*;
use crate::model::text::Text;
use crate::model::{Date, Timestamp};
use crate::tomlfmt::ser::{bare, bare_opt, is_false};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The plan-file schema this build writes and the newest it reads.
pub const SCHEMA_VERSION: u32 = 1;

/// Where a planned asset is in its replacement.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::VariantArray,
    strum::IntoStaticStr,
    strum::Display,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Status {
    /// Not started.
    Planned,
    /// Successor being installed or coexisting with the flagged product.
    InProgress,
    /// Flagged product removed, successor active.
    Migrated,
    /// Migration checked (detection test, console check-in).
    Verified,
    /// Cannot proceed; needs a reason.
    Blocked,
    /// Successor removed again, flagged product back.
    RolledBack,
    /// Out of scope: decommissioned, or risk accepted with rationale.
    Excluded,
}

impl crate::model::Named for Status {}

impl Status {
    /// True when the flagged product is gone for good on this asset (or it is out of scope).
    pub fn is_done(self) -> bool {
        matches!(self, Status::Migrated | Status::Verified | Status::Excluded)
    }

    /// True once work on the asset has started.
    pub fn is_started(self) -> bool {
        !matches!(self, Status::Planned)
    }
}

/// One inventory file the plan was made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InventoryRef {
    /// Path relative to the plan file's directory.
    pub path: String,
    /// `sha256:<hex>` of the file content.
    pub hash: String,
}

/// How the plan's inventory files are read when they need options beyond detection (the
/// `[import]` table; absent when every file is detected on its own).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportSettings {
    /// Read every file in this format (`--input-format`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Column mapping file, relative to the plan file's directory (`--mapping`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mapping: Option<String>,
    /// The Security Center Administration Server of a KSC export (`--ksc-server`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ksc_server: Option<String>,
    /// The sheet of workbook inventories to read (`--sheet`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
}

impl ImportSettings {
    /// True when nothing beyond detection is needed (the table is not written).
    pub fn is_default(&self) -> bool {
        *self == ImportSettings::default()
    }
}

/// A wave of replacements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wave {
    /// Stable id ("w1", "w2" …).
    pub id: String,
    /// Display name ("Pilot", "Welle 2" …).
    pub name: String,
    /// First working day.
    #[serde(serialize_with = "bare")]
    pub start: Date,
    /// Last working day.
    #[serde(serialize_with = "bare")]
    pub end: Date,
    /// Maximum number of assets.
    pub capacity: usize,
    /// Never rewritten by `replan` (set once a wave is under way).
    #[serde(default, skip_serializing_if = "is_false")]
    pub frozen: bool,
}

/// One direct asset's replacement task (an `[[asset]]` table; fields in file order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlannedAsset {
    /// Inventory id.
    pub id: String,
    /// Wave id.
    pub wave: String,
    /// Target catalogue product; None when no product is compatible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// Progress.
    pub status: Status,
    /// Kept in its wave by `replan`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub pinned: bool,
    /// Why it is in this wave.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub reason: Text,
    /// Why the product was chosen (or why there is none).
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub product_reason: Text,
    /// For an asset protected through a provider (it runs no flagged product itself): the
    /// provider, the function it performs and how the asset is covered once it is replaced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
    /// Free note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Reason for `blocked`, or the rationale for `excluded`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    /// Who approved an exclusion (risk acceptance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approver: Option<String>,
    /// When an accepted risk must be reviewed again.
    #[serde(
        default,
        serialize_with = "bare_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub review: Option<Date>,
    /// How it came into the plan when not by planning: "reconcile" (found by a scan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// No host agent replaces the flagged product here (OT, air-gapped, no compatible product,
    /// only a non-agent option): a person must record a [`Decision`].
    #[serde(default, skip_serializing_if = "is_false")]
    pub needs_decision: bool,
    /// The recorded decision, when one was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Box<Decision>>,
    /// What the latest reconciled scan proved about its protection (None before any scan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protection: Option<Box<Protection>>,
}

impl PlannedAsset {
    /// A planned asset in a wave.
    pub fn new(id: impl Into<String>, wave: impl Into<String>) -> PlannedAsset {
        PlannedAsset {
            id: id.into(),
            wave: wave.into(),
            product: None,
            status: Status::Planned,
            pinned: false,
            reason: Text::default(),
            product_reason: Text::default(),
            note: None,
            status_reason: None,
            approver: None,
            review: None,
            source: None,
            needs_decision: false,
            decision: None,
            protection: None,
            coverage: None,
        }
    }

    /// True while the asset needs a decision that nobody has recorded (an excluded asset is
    /// decided).
    pub fn awaits_decision(&self) -> bool {
        self.needs_decision && self.decision.is_none() && self.status != Status::Excluded
    }
}

/// One change in the plan's append-only history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// When.
    #[serde(serialize_with = "bare")]
    pub at: Timestamp,
    /// Which asset.
    pub asset: String,
    /// What changed: "status" (default), "wave", "product", "pin", "note".
    #[serde(default = "status_field", skip_serializing_if = "is_status_field")]
    pub field: String,
    /// Previous value ("" when none).
    #[serde(default)]
    pub from: String,
    /// New value ("" when none).
    #[serde(default)]
    pub to: String,
    /// Who: a user name, or "reconcile".
    pub by: String,
    /// Optional explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn status_field() -> String {
    "status".into()
}

fn is_status_field(field: &str) -> bool {
    field == "status"
}

/// What a reconciled scan found wrong with an asset.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::VariantArray,
    strum::IntoStaticStr,
    strum::Display,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum AlertKind {
    /// The flagged product is gone and no protection product is there, on a system where
    /// nothing switches itself on (Windows Server, Linux, macOS …): the machine is unprotected.
    ProtectionGap,
    /// The flagged product is gone and the scan lists no protection product, on a system where
    /// a built-in one may have switched itself on (Defender Antivirus on a Windows 10/11
    /// client): protection must be proven before the asset counts as done.
    ProtectionUnverified,
    /// The flagged product is back (or still there) on an asset marked migrated or verified.
    Regression,
    /// A scan found a direct asset the plan does not have.
    Unplanned,
}

impl crate::model::Named for AlertKind {}

impl AlertKind {
    /// True for the kinds that say an asset is not known to stay protected: such an asset never
    /// counts as done while the alert is open.
    pub fn is_protection(self) -> bool {
        matches!(
            self,
            AlertKind::ProtectionGap | AlertKind::ProtectionUnverified
        )
    }
}

/// An open alert from the latest reconciled scan of an asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alert {
    /// When it was first raised.
    #[serde(serialize_with = "bare")]
    pub at: Timestamp,
    /// The asset.
    pub asset: String,
    /// What is wrong.
    pub kind: AlertKind,
    /// Details for people.
    pub message: String,
    /// The scan that showed it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub scan: String,
}

/// A whole plan file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Schema version (see [`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// Human name.
    pub name: String,
    /// Inventory files it was made from.
    pub inventory: Vec<InventoryRef>,
    /// How those files are read.
    pub import: ImportSettings,
    /// Generation settings.
    pub settings: Settings,
    /// Waves in schedule order.
    pub waves: Vec<Wave>,
    /// Planned assets, sorted by id.
    pub assets: Vec<PlannedAsset>,
    /// History, in time order.
    pub events: Vec<Event>,
    /// Open alerts from reconciled scans.
    pub alerts: Vec<Alert>,
}

impl Plan {
    /// A plan with no waves, assets or history yet: what planning starts from.
    pub fn empty(
        name: impl Into<String>,
        settings: Settings,
        inventory: Vec<InventoryRef>,
    ) -> Plan {
        Plan {
            schema_version: SCHEMA_VERSION,
            name: name.into(),
            inventory,
            import: ImportSettings::default(),
            settings,
            waves: Vec::new(),
            assets: Vec::new(),
            events: Vec::new(),
            alerts: Vec::new(),
        }
    }

    /// Position of a planned asset by id (case-insensitive).
    pub fn asset_index(&self, id: &str) -> Option<usize> {
        let pos = self.assets.binary_search_by(|a| a.id.as_str().cmp(id));
        match pos {
            Ok(i) => Some(i),
            Err(_) => self
                .assets
                .iter()
                .position(|a| a.id.eq_ignore_ascii_case(id)),
        }
    }

    /// A planned asset by id.
    pub fn asset(&self, id: &str) -> Option<&PlannedAsset> {
        self.asset_index(id).map(|i| &self.assets[i])
    }

    /// Position of a wave by id (case-insensitive).
    pub fn wave_index(&self, id: &str) -> Option<usize> {
        self.waves
            .iter()
            .position(|w| w.id.eq_ignore_ascii_case(id))
    }

    /// The day the plan is planned to end: the latest end of any wave (None without waves).
    pub fn planned_end(&self) -> Option<Date> {
        self.waves.iter().map(|w| w.end).max()
    }

    /// Sorts assets by id (the file order).
    pub fn sort_assets(&mut self) {
        // A stable sort of the assets themselves buffers half of them; sorting positions and
        // moving each asset into place costs a word per asset instead.
        let mut order: Vec<usize> = (0..self.assets.len()).collect();
        order.sort_by(|&a, &b| self.assets[a].id.cmp(&self.assets[b].id));
        for start in 0..order.len() {
            // Follow the cycle through `start`: position `at` takes the asset from `order[at]`.
            let mut at = start;
            while order[at] != start {
                let from = order[at];
                self.assets.swap(at, from);
                order[at] = at;
                at = from;
            }
            order[at] = at;
        }
    }

    /// Lower-case ids of the assets with an open protection alert (unverified or unprotected).
    pub fn protection_alerted(&self) -> std::collections::HashSet<String> {
        self.alerts
            .iter()
            .filter(|a| a.kind.is_protection())
            .map(|a| a.asset.to_lowercase())
            .collect()
    }

    /// Per planned asset (plan order): true when it counts as done — its status is done
    /// (migrated, verified, excluded) and no open alert says it is unverified or unprotected.
    pub fn done_mask(&self) -> Vec<bool> {
        let alerted = self.protection_alerted();
        self.assets
            .iter()
            .map(|a| {
                a.status.is_done()
                    && (alerted.is_empty() || !alerted.contains(&a.id.as_str().to_lowercase()))
            })
            .collect()
    }

    /// Assets per wave id.
    pub fn wave_members(&self) -> BTreeMap<&str, Vec<usize>> {
        // Hashed first: a few dozen waves, a million assets; a tree would compare each id
        // several times.
        let mut m: std::collections::HashMap<&str, Vec<usize>, foldhash::fast::RandomState> =
            Default::default();
        for (i, a) in self.assets.iter().enumerate() {
            m.entry(a.wave.as_str()).or_default().push(i);
        }
        m.into_iter().collect()
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
