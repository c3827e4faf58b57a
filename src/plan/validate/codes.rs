//! Every code `validate` reports, with its severity and meaning: the docs are checked
//! against it, and a problem's severity follows from its code.

use super::Severity;
use serde::Serialize;

/// A kind of problem `validate` reports. Written in kebab-case (`order-broken`) in text, JSON
/// and the docs.
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
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Code {
    /// A provider goes before an asset that relies on it.
    OrderBroken,
    /// A management server is not in a later wave than every asset that relies on it.
    ManagementNotLast,
    /// A management server is migrated or verified while an asset relying on it (over any number of hops) is not migrated, excluded or decided.
    ManagementRetiredEarly,
    /// A management server is still to be retired while assets relying on it await a decision.
    ManagementAwaitsDecision,
    /// A KRITIS or critical asset is in the pilot (the first wave).
    CriticalInPilot,
    /// A KRITIS, critical or OT asset is not in a later wave than the first wave that holds a low-risk asset of each of its platforms.
    CriticalBeforePilot,
    /// A platform (OS family or role) of the planned assets has no low-risk sample in the pilot.
    PilotNotRepresentative,
    /// A wave (or a site in it) holds more assets than allowed.
    CapacityExceeded,
    /// Assets of one dependency cycle are in different waves.
    CycleSplit,
    /// A direct asset is in no wave.
    AssetUnplanned,
    /// The target product does not support the asset.
    ProductIncompatible,
    /// The plan names an asset the inventory does not have.
    UnknownAsset,
    /// An asset names a wave that does not exist.
    UnknownWave,
    /// An asset names a product the catalogue does not have.
    UnknownProduct,
    /// A wave ends before it starts, or does not start after the previous wave ends.
    WaveOutOfOrder,
    /// A wave overlaps a blackout window.
    WaveInBlackout,
    /// A wave ends after the deadline.
    DeadlineMissed,
    /// The waves run for more than a year.
    PlanOverAYear,
    /// An inventory file differs from the one the plan was made from.
    InventoryChanged,
    /// No product supports the asset; a decision must be recorded.
    NoCompatibleProduct,
    /// The product supports the asset today but no longer by the end of its wave (end of support, or a window of recent OS releases such as "the three most recent macOS" that moves on).
    SupportEndsBeforeWave,
    /// A logical CI (application, service) has a target product, but nothing is installed on it.
    LogicalCiProduct,
    /// The product's support for the asset is unverified or limited.
    UnverifiedProduct,
    /// No host agent replaces the flagged product here (OT, air-gapped, no agent option) and no decision is recorded.
    DecisionNeeded,
    /// A recorded decision has reached its review date.
    DecisionReviewDue,
    /// An indirectly affected asset has no owner to inform.
    AffectedWithoutOwner,
    /// History events are not in time order.
    HistoryOutOfOrder,
    /// A history event names an asset the plan does not have.
    HistoryUnknownAsset,
    /// A scan found this asset; it is not in the plan's inventory and waits for a wave.
    UnassignedAsset,
    /// A reconciled scan raised an alert (protection gap, regression, unplanned asset).
    OpenAlert,
    /// An asset that gets its anti-virus through a planned provider has no coverage in the plan.
    CoverageMissing,
    /// An asset protected through a provider is covered in a later wave than the provider is replaced.
    CoverageLate,
    /// An asset is covered by its provider's replacement, but that product lacks the function.
    CoverageWithoutFunction,
    /// A coverage entry names a provider or function the inventory no longer shows.
    CoverageStale,
}

impl Code {
    /// The kebab-case name (`order-broken`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Violations fail `validate`; warnings are reported only.
    pub fn severity(self) -> Severity {
        use Code::*;
        match self {
            OrderBroken
            | ManagementNotLast
            | ManagementRetiredEarly
            | CriticalInPilot
            | CriticalBeforePilot
            | CapacityExceeded
            | CycleSplit
            | AssetUnplanned
            | ProductIncompatible
            | UnknownAsset
            | UnknownWave
            | UnknownProduct
            | WaveOutOfOrder
            | WaveInBlackout
            | DeadlineMissed
            | InventoryChanged
            | SupportEndsBeforeWave
            | HistoryOutOfOrder
            | CoverageMissing
            | CoverageLate
            | CoverageWithoutFunction => Severity::Violation,
            ManagementAwaitsDecision
            | PilotNotRepresentative
            | PlanOverAYear
            | NoCompatibleProduct
            | LogicalCiProduct
            | UnverifiedProduct
            | DecisionNeeded
            | DecisionReviewDue
            | AffectedWithoutOwner
            | HistoryUnknownAsset
            | UnassignedAsset
            | OpenAlert
            | CoverageStale => Severity::Warning,
        }
    }

    /// What the code means, one sentence as the docs give it.
    pub fn meaning(self) -> &'static str {
        match self {
            Code::OrderBroken => "a provider goes before an asset that relies on it",
            Code::ManagementNotLast => {
                "a management server is not in a later wave than every asset that relies on it"
            }
            Code::ManagementRetiredEarly => {
                "a management server is migrated or verified while an asset relying on it (over any \
         number of hops) is not migrated, excluded or decided"
            }
            Code::ManagementAwaitsDecision => {
                "a management server is still to be retired while assets relying on it await a \
         decision"
            }
            Code::CriticalInPilot => "a KRITIS or critical asset is in the pilot (the first wave)",
            Code::CriticalBeforePilot => {
                "a KRITIS, critical or OT asset is not in a later wave than the first wave that holds \
         a low-risk asset of each of its platforms"
            }
            Code::PilotNotRepresentative => {
                "a platform (OS family or role) of the planned assets has no low-risk sample in the \
         pilot"
            }
            Code::CapacityExceeded => "a wave (or a site in it) holds more assets than allowed",
            Code::CycleSplit => "assets of one dependency cycle are in different waves",
            Code::AssetUnplanned => "a direct asset is in no wave",
            Code::ProductIncompatible => "the target product does not support the asset",
            Code::UnknownAsset => "the plan names an asset the inventory does not have",
            Code::UnknownWave => "an asset names a wave that does not exist",
            Code::UnknownProduct => "an asset names a product the catalogue does not have",
            Code::WaveOutOfOrder => {
                "a wave ends before it starts, or does not start after the previous wave ends"
            }
            Code::WaveInBlackout => "a wave overlaps a blackout window",
            Code::DeadlineMissed => "a wave ends after the deadline",
            Code::PlanOverAYear => "the waves run for more than a year",
            Code::InventoryChanged => {
                "an inventory file differs from the one the plan was made from"
            }
            Code::NoCompatibleProduct => {
                "no product supports the asset; a decision must be recorded"
            }
            Code::SupportEndsBeforeWave => {
                "the product supports the asset today but no longer by the end of its wave (end of \
         support, or a window of recent OS releases such as \"the three most recent macOS\" \
         that moves on)"
            }
            Code::LogicalCiProduct => {
                "a logical CI (application, service) has a target product, but nothing is installed on \
         it"
            }
            Code::UnverifiedProduct => {
                "the product's support for the asset is unverified or limited"
            }
            Code::DecisionNeeded => {
                "no host agent replaces the flagged product here (OT, air-gapped, no agent option) and no decision is recorded"
            }
            Code::DecisionReviewDue => "a recorded decision has reached its review date",
            Code::AffectedWithoutOwner => "an indirectly affected asset has no owner to inform",
            Code::HistoryOutOfOrder => "history events are not in time order",
            Code::HistoryUnknownAsset => "a history event names an asset the plan does not have",
            Code::UnassignedAsset => {
                "a scan found this asset; it is not in the plan's inventory and waits for a wave"
            }
            Code::OpenAlert => {
                "a reconciled scan raised an alert (protection gap, regression, unplanned asset)"
            }
            Code::CoverageMissing => {
                "an asset that gets its anti-virus through a planned provider has no coverage in the plan"
            }
            Code::CoverageLate => {
                "an asset protected through a provider is covered in a later wave than the provider is \
         replaced"
            }
            Code::CoverageWithoutFunction => {
                "an asset is covered by its provider's replacement, but that product lacks the function"
            }
            Code::CoverageStale => {
                "a coverage entry names a provider or function the inventory no longer shows"
            }
        }
    }
}
