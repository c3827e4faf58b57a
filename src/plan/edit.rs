//! Plan changes as values: one function applies any edit, records history and returns the
//! inverse edit (for undo). The CLI, the TUI and undo/redo all go through [`apply`].

mod assets;
mod waves;

use super::decision::{Decision, IncompleteDecision};
use super::model::{Coverage, Plan, Status, VendorRule};
use crate::model::Named;
use crate::model::{Date, Timestamp};
use serde::{Deserialize, Serialize};
use strum::VariantArray;

/// One change to a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "edit", rename_all = "kebab-case")]
pub enum Edit {
    /// Move an asset to another wave.
    Move {
        /// Asset id.
        asset: String,
        /// Target wave id.
        wave: String,
    },
    /// Pin or unpin an asset to its wave.
    Pin {
        /// Asset id.
        asset: String,
        /// New state.
        pinned: bool,
    },
    /// Choose the target product (None: no product).
    SetProduct {
        /// Asset id.
        asset: String,
        /// Catalogue product id.
        product: Option<String>,
        /// Whether the asset needs a decision with that product (see
        /// [`super::products::decision_need`]); None keeps the flag as it is.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        needs_decision: Option<bool>,
    },
    /// Change the status, with a reason where the status needs one.
    SetStatus {
        /// Asset id.
        asset: String,
        /// New status.
        status: Status,
        /// Reason (blocked) or rationale (excluded).
        reason: Option<String>,
        /// Who accepted the risk (excluded).
        approver: Option<String>,
        /// When to review an accepted risk (excluded).
        review: Option<Date>,
    },
    /// Record (or, with None, withdraw) the decision for an asset no agent replaces.
    Decide {
        /// Asset id.
        asset: String,
        /// The decision; refused without rationale or approver.
        decision: Option<Decision>,
    },
    /// Choose how an asset protected through a provider is covered (None: no entry). Its
    /// `needs_decision` follows (true exactly when covered by a decision) unless given.
    SetCoverage {
        /// Asset id.
        asset: String,
        /// The coverage.
        coverage: Option<Coverage>,
        /// Set by undo to restore the earlier value.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        needs_decision: Option<bool>,
    },
    /// Replace the asset's note.
    SetNote {
        /// Asset id.
        asset: String,
        /// New note.
        note: Option<String>,
    },
    /// Rename a wave.
    RenameWave {
        /// Wave id.
        wave: String,
        /// New name.
        name: String,
    },
    /// Change a wave's dates.
    SetWaveDates {
        /// Wave id.
        wave: String,
        /// First day.
        start: Date,
        /// Last day.
        end: Date,
    },
    /// Freeze or unfreeze a wave (frozen waves are never rewritten by replan).
    FreezeWave {
        /// Wave id.
        wave: String,
        /// New state.
        frozen: bool,
    },
    /// Replace the product preference order.
    SetPreference {
        /// Product ids, most preferred first.
        preference: Vec<String>,
    },
    /// Replace the vendor rules.
    SetVendorRules {
        /// Ordered rules.
        rules: Vec<VendorRule>,
    },
    /// Replace the waves and placements with a regenerated plan (statuses and history kept
    /// by the scheduler); undone by restoring the previous plan. Shared, so that an undo stack
    /// holding whole plans does not copy them.
    #[serde(skip)]
    ReplacePlan(std::sync::Arc<Plan>),
    /// Several edits applied in order, undone in reverse.
    Batch(Vec<Edit>),
}

/// Who makes a change and when; and whether status rules are enforced.
#[derive(Debug, Clone)]
pub struct EditContext {
    /// User name or "reconcile".
    pub by: String,
    /// Time of the change.
    pub at: Timestamp,
    /// Enforce the status transition table (off for undo/redo, which restore a prior state).
    pub check_transitions: bool,
    /// Note recorded with the history events.
    pub note: Option<String>,
}

impl EditContext {
    /// A user edit now, by `$USER` unless `by` is given.
    pub fn user(by: Option<&str>) -> EditContext {
        let by = by
            .map(str::to_string)
            .or_else(crate::env::Env::login_name)
            .unwrap_or_else(|| "unknown".into());
        EditContext {
            by,
            at: Timestamp::now(),
            check_transitions: true,
            note: None,
        }
    }
}

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The asset is not in the plan.
    #[error("asset \"{0}\" is not in the plan")]
    UnknownAsset(String),
    /// The wave does not exist.
    #[error("wave \"{0}\" does not exist (waves: {1})")]
    UnknownWave(String, String),
    /// The status change is not allowed.
    #[error("asset \"{asset}\": cannot change status from {from} to {to}{hint}")]
    IllegalTransition {
        /// Asset id.
        asset: String,
        /// Current status.
        from: Status,
        /// Requested status.
        to: Status,
        /// What is allowed instead.
        hint: String,
    },
    /// A decision without rationale or approver.
    #[error(transparent)]
    IncompleteDecision(#[from] IncompleteDecision),
    /// A status that needs a reason got none.
    #[error("asset \"{0}\": status {1} needs a reason (--reason)")]
    MissingReason(String, Status),
    /// Planned straight to migrated without a note on how it was checked.
    #[error(
        "asset \"{0}\": migrated straight from planned (no scan) needs a note saying how it \
         was checked (--note)"
    )]
    UnscannedMigration(String),
    /// Dates in the wrong order.
    #[error("wave \"{0}\": end {2} is before start {1}")]
    BadDates(String, Date, Date),
    /// Dates that would put the wave before or into a neighbouring wave.
    #[error(
        "wave \"{wave}\": {start} – {end} would {conflict} wave \"{other}\" ({other_start} – \
         {other_end}); waves follow each other in schedule order, so move that wave first"
    )]
    WavesOutOfOrder {
        /// The wave being changed.
        wave: String,
        /// Its requested first day.
        start: Date,
        /// Its requested last day.
        end: Date,
        /// "overlap or precede" / "overlap or follow".
        conflict: &'static str,
        /// The neighbouring wave.
        other: String,
        /// The neighbour's first day.
        other_start: Date,
        /// The neighbour's last day.
        other_end: Date,
    },
}

/// Statuses reachable from `from` (the transition table).
pub fn allowed_transitions(from: Status) -> &'static [Status] {
    use Status::*;
    match from {
        // Straight to migrated records a replacement no scan saw; it needs a note.
        Planned => &[InProgress, Migrated, Blocked, Excluded],
        InProgress => &[Migrated, Blocked, RolledBack, Planned],
        Migrated => &[Verified, RolledBack, InProgress],
        Verified => &[RolledBack],
        Blocked => &[Planned, InProgress, Excluded],
        RolledBack => &[Planned, InProgress, Blocked, Excluded],
        Excluded => &[Planned],
    }
}

/// True for the one change that skips a step and so needs a note saying how it was checked:
/// planned → migrated, for a team without scans.
pub fn needs_note(from: Status, to: Status) -> bool {
    from == Status::Planned && to == Status::Migrated
}

/// Why `to` is not a next status from `from`, in one line ("verified: only from migrated").
pub fn why_not(from: Status, to: Status) -> String {
    if from == to {
        return format!("{to}: already {from}");
    }
    let before: Vec<&str> = Status::VARIANTS
        .iter()
        .filter(|s| allowed_transitions(**s).contains(&to))
        .map(|s| s.as_str())
        .collect();
    format!("{to}: only from {}", before.join(", "))
}

/// Checks one status change against the transition table.
pub fn check_transition(asset: &str, from: Status, to: Status) -> Result<(), EditError> {
    if allowed_transitions(from).contains(&to) {
        return Ok(());
    }
    let allowed: Vec<&str> = allowed_transitions(from)
        .iter()
        .map(|s| s.as_str())
        .collect();
    Err(EditError::IllegalTransition {
        asset: asset.to_string(),
        from,
        to,
        hint: format!(
            " (from {from} the next status is one of: {})",
            allowed.join(", ")
        ),
    })
}

/// Applies an edit, appends history events, and returns the edit that undoes it. On error
/// the plan is unchanged (a failing batch is rolled back).
pub fn apply(plan: &mut Plan, edit: &Edit, ctx: &EditContext) -> Result<Edit, EditError> {
    match edit {
        Edit::Batch(edits) => apply_batch(plan, edits, ctx),
        Edit::SetPreference { preference } => {
            let old = std::mem::replace(&mut plan.settings.preference, preference.clone());
            Ok(Edit::SetPreference { preference: old })
        }
        Edit::SetVendorRules { rules } => {
            let old = std::mem::replace(&mut plan.settings.vendor_rules, rules.clone());
            Ok(Edit::SetVendorRules { rules: old })
        }
        Edit::ReplacePlan(new) => {
            let old = std::mem::replace(plan, Plan::clone(new));
            Ok(Edit::ReplacePlan(std::sync::Arc::new(old)))
        }
        Edit::RenameWave { wave, name } => waves::rename(plan, wave, name),
        Edit::SetWaveDates { wave, start, end } => waves::set_dates(plan, wave, *start, *end, ctx),
        Edit::FreezeWave { wave, frozen } => waves::freeze(plan, wave, *frozen),
        Edit::Move { asset, wave } => assets::move_to(plan, asset, wave, ctx),
        Edit::Pin { asset, pinned } => assets::pin(plan, asset, *pinned, ctx),
        Edit::SetProduct {
            asset,
            product,
            needs_decision,
        } => assets::set_product(plan, asset, product, *needs_decision, ctx),
        Edit::Decide { asset, decision } => assets::decide(plan, asset, decision, ctx),
        Edit::SetCoverage {
            asset,
            coverage,
            needs_decision,
        } => assets::set_coverage(plan, asset, coverage, *needs_decision, ctx),
        Edit::SetNote { asset, note } => assets::set_note(plan, asset, note, ctx),
        Edit::SetStatus {
            asset,
            status,
            reason,
            approver,
            review,
        } => {
            let details = assets::StatusDetails {
                reason,
                approver,
                review: *review,
            };
            assets::set_status(plan, asset, *status, details, ctx)
        }
    }
}

/// [`Edit::Batch`]: the edits in order; the inverse undoes them in reverse. When one fails,
/// those before it are undone and their events dropped, so the plan is as it was.
fn apply_batch(plan: &mut Plan, edits: &[Edit], ctx: &EditContext) -> Result<Edit, EditError> {
    let mut inverses = Vec::with_capacity(edits.len());
    let events_before = plan.events.len();
    for e in edits {
        match apply(plan, e, ctx) {
            Ok(inv) => inverses.push(inv),
            Err(err) => {
                let undo = EditContext {
                    check_transitions: false,
                    ..ctx.clone()
                };
                for inv in inverses.iter().rev() {
                    let _ = apply(plan, inv, &undo);
                }
                plan.events.truncate(events_before);
                return Err(err);
            }
        }
    }
    inverses.reverse();
    Ok(Edit::Batch(inverses))
}

#[cfg(test)]
#[path = "edit_tests.rs"]
mod tests;
