//! The table of every code `validate` reports: the docs are checked against it.

use super::Severity;

/// Every code `validate` can report, with its severity and meaning.
pub const CODES: &[(&str, Severity, &str)] = &[
    (
        "order-broken",
        Severity::Violation,
        "a provider goes before an asset that relies on it",
    ),
    (
        "management-not-last",
        Severity::Violation,
        "a management server is not in a later wave than every asset that relies on it",
    ),
    (
        "management-retired-early",
        Severity::Violation,
        "a management server is migrated or verified while an asset relying on it (over any \
         number of hops) is not migrated, excluded or decided",
    ),
    (
        "management-awaits-decision",
        Severity::Warning,
        "a management server is still to be retired while assets relying on it await a \
         decision",
    ),
    (
        "critical-in-pilot",
        Severity::Violation,
        "a KRITIS or critical asset is in the pilot (the first wave)",
    ),
    (
        "critical-before-pilot",
        Severity::Violation,
        "a KRITIS, critical or OT asset is not in a later wave than the first wave that holds \
         a low-risk asset of each of its platforms",
    ),
    (
        "pilot-not-representative",
        Severity::Warning,
        "a platform (OS family or role) of the planned assets has no low-risk sample in the \
         pilot",
    ),
    (
        "capacity-exceeded",
        Severity::Violation,
        "a wave (or a site in it) holds more assets than allowed",
    ),
    (
        "cycle-split",
        Severity::Violation,
        "assets of one dependency cycle are in different waves",
    ),
    (
        "asset-unplanned",
        Severity::Violation,
        "a direct asset is in no wave",
    ),
    (
        "product-incompatible",
        Severity::Violation,
        "the target product does not support the asset",
    ),
    (
        "unknown-asset",
        Severity::Violation,
        "the plan names an asset the inventory does not have",
    ),
    (
        "unknown-wave",
        Severity::Violation,
        "an asset names a wave that does not exist",
    ),
    (
        "unknown-product",
        Severity::Violation,
        "an asset names a product the catalogue does not have",
    ),
    (
        "wave-out-of-order",
        Severity::Violation,
        "a wave ends before it starts, or does not start after the previous wave ends",
    ),
    (
        "wave-in-blackout",
        Severity::Violation,
        "a wave overlaps a blackout window",
    ),
    (
        "deadline-missed",
        Severity::Violation,
        "a wave ends after the deadline",
    ),
    (
        "plan-over-a-year",
        Severity::Warning,
        "the waves run for more than a year",
    ),
    (
        "inventory-changed",
        Severity::Violation,
        "an inventory file differs from the one the plan was made from",
    ),
    (
        "no-compatible-product",
        Severity::Warning,
        "no product supports the asset; a decision must be recorded",
    ),
    (
        "support-ends-before-wave",
        Severity::Violation,
        "the product supports the asset today but no longer by the end of its wave (end of \
         support, or a window of recent OS releases such as \"the three most recent macOS\" \
         that moves on)",
    ),
    (
        "logical-ci-product",
        Severity::Warning,
        "a logical CI (application, service) has a target product, but nothing is installed on \
         it",
    ),
    (
        "unverified-product",
        Severity::Warning,
        "the product's support for the asset is unverified or limited",
    ),
    (
        "decision-needed",
        Severity::Warning,
        "no host agent replaces the flagged product here (OT, air-gapped, no agent option) and no decision is recorded",
    ),
    (
        "decision-review-due",
        Severity::Warning,
        "a recorded decision has reached its review date",
    ),
    (
        "affected-without-owner",
        Severity::Warning,
        "an indirectly affected asset has no owner to inform",
    ),
    (
        "history-out-of-order",
        Severity::Violation,
        "history events are not in time order",
    ),
    (
        "history-unknown-asset",
        Severity::Warning,
        "a history event names an asset the plan does not have",
    ),
    (
        "unassigned-asset",
        Severity::Warning,
        "a scan found this asset; it is not in the plan's inventory and waits for a wave",
    ),
    (
        "open-alert",
        Severity::Warning,
        "a reconciled scan raised an alert (protection gap, regression, unplanned asset)",
    ),
    (
        "coverage-missing",
        Severity::Violation,
        "an asset that gets its anti-virus through a planned provider has no coverage in the plan",
    ),
    (
        "coverage-late",
        Severity::Violation,
        "an asset protected through a provider is covered in a later wave than the provider is \
         replaced",
    ),
    (
        "coverage-without-function",
        Severity::Violation,
        "an asset is covered by its provider's replacement, but that product lacks the function",
    ),
    (
        "coverage-stale",
        Severity::Warning,
        "a coverage entry names a provider or function the inventory no longer shows",
    ),
];
