//! Plan changes as values: one function applies any edit, records history and returns the
//! inverse edit (for undo). The CLI, the TUI and undo/redo all go through [`apply`].

use super::decision::{Decision, IncompleteDecision};
use super::model::{Coverage, CoveredBy, Event, Plan, Status, VendorRule};
use crate::model::Named;
use crate::model::{Date, Timestamp};
use serde::{Deserialize, Serialize};

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
            .or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("USERNAME").ok())
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
        Planned => &[InProgress, Blocked, Excluded],
        InProgress => &[Migrated, Blocked, RolledBack, Planned],
        Migrated => &[Verified, RolledBack, InProgress],
        Verified => &[RolledBack],
        Blocked => &[Planned, InProgress, Excluded],
        RolledBack => &[Planned, InProgress, Blocked, Excluded],
        Excluded => &[Planned],
    }
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
        Edit::Batch(edits) => {
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
        Edit::RenameWave { wave, name } => {
            let w = wave_mut(plan, wave)?;
            let old = std::mem::replace(&mut w.name, name.clone());
            Ok(Edit::RenameWave {
                wave: wave.clone(),
                name: old,
            })
        }
        Edit::SetWaveDates { wave, start, end } => {
            if end < start {
                return Err(EditError::BadDates(wave.clone(), *start, *end));
            }
            // Undo and redo restore an earlier state as it was.
            if ctx.check_transitions {
                check_wave_order(plan, wave, *start, *end)?;
            }
            let w = wave_mut(plan, wave)?;
            let (old_start, old_end) = (w.start, w.end);
            w.start = *start;
            w.end = *end;
            Ok(Edit::SetWaveDates {
                wave: wave.clone(),
                start: old_start,
                end: old_end,
            })
        }
        Edit::FreezeWave { wave, frozen } => {
            let w = wave_mut(plan, wave)?;
            let old = std::mem::replace(&mut w.frozen, *frozen);
            Ok(Edit::FreezeWave {
                wave: wave.clone(),
                frozen: old,
            })
        }
        Edit::Move { asset, wave } => {
            let wave_id = plan.waves[wave_position(plan, wave)?].id.clone();
            let i = asset_index(plan, asset)?;
            let old = std::mem::replace(&mut plan.assets[i].wave, wave_id.clone());
            record(plan, ctx, i, "wave", &old, &wave_id);
            Ok(Edit::Move {
                asset: plan.assets[i].id.clone(),
                wave: old,
            })
        }
        Edit::Pin { asset, pinned } => {
            let i = asset_index(plan, asset)?;
            let old = std::mem::replace(&mut plan.assets[i].pinned, *pinned);
            record(plan, ctx, i, "pin", &old.to_string(), &pinned.to_string());
            Ok(Edit::Pin {
                asset: plan.assets[i].id.clone(),
                pinned: old,
            })
        }
        Edit::SetProduct {
            asset,
            product,
            needs_decision,
        } => {
            let i = asset_index(plan, asset)?;
            let a = &mut plan.assets[i];
            let new_needs = needs_decision.unwrap_or(a.needs_decision);
            let old_needs = std::mem::replace(&mut a.needs_decision, new_needs);
            let old = std::mem::replace(&mut a.product, product.clone());
            let show = |p: &Option<String>| p.clone().unwrap_or_default();
            record(plan, ctx, i, "product", &show(&old), &show(product));
            Ok(Edit::SetProduct {
                asset: plan.assets[i].id.clone(),
                product: old,
                needs_decision: Some(old_needs),
            })
        }
        Edit::Decide { asset, decision } => {
            let i = asset_index(plan, asset)?;
            if let Some(d) = decision
                && ctx.check_transitions
            {
                d.check(&plan.assets[i].id)?;
            }
            let old = std::mem::replace(&mut plan.assets[i].decision, decision.clone());
            let name = |d: &Option<Decision>| d.as_ref().map(|d| d.option.as_str()).unwrap_or("");
            let note = decision
                .as_ref()
                .map(|d| {
                    format!(
                        "{} (approved by {}, review {})",
                        d.rationale, d.approver, d.review
                    )
                })
                .or_else(|| ctx.note.clone());
            push_event(plan, ctx, i, "decision", name(&old), name(decision), note);
            Ok(Edit::Decide {
                asset: plan.assets[i].id.clone(),
                decision: old,
            })
        }
        Edit::SetCoverage {
            asset,
            coverage,
            needs_decision,
        } => {
            let i = asset_index(plan, asset)?;
            let a = &mut plan.assets[i];
            let by = |c: &Option<Coverage>| c.as_ref().map_or("", |c| c.by.as_str());
            let decided = coverage.as_ref().map(|c| c.by == CoveredBy::Decision);
            let new_needs = needs_decision.or(decided).unwrap_or(a.needs_decision);
            let old_needs = std::mem::replace(&mut a.needs_decision, new_needs);
            let old = std::mem::replace(&mut a.coverage, coverage.clone());
            record(plan, ctx, i, "coverage", by(&old), by(coverage));
            Ok(Edit::SetCoverage {
                asset: plan.assets[i].id.clone(),
                coverage: old,
                needs_decision: Some(old_needs),
            })
        }
        Edit::SetNote { asset, note } => {
            let i = asset_index(plan, asset)?;
            let old = std::mem::replace(&mut plan.assets[i].note, note.clone());
            record(plan, ctx, i, "note", "", note.as_deref().unwrap_or(""));
            Ok(Edit::SetNote {
                asset: plan.assets[i].id.clone(),
                note: old,
            })
        }
        Edit::SetStatus {
            asset,
            status,
            reason,
            approver,
            review,
        } => {
            let i = asset_index(plan, asset)?;
            let a = &plan.assets[i];
            let from = a.status;
            if ctx.check_transitions {
                check_transition(&a.id, from, *status)?;
                let needs_reason = matches!(status, Status::Blocked | Status::Excluded);
                if needs_reason && reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                    return Err(EditError::MissingReason(a.id.clone(), *status));
                }
            }
            let a = &mut plan.assets[i];
            let inverse = Edit::SetStatus {
                asset: a.id.clone(),
                status: from,
                reason: a.status_reason.clone(),
                approver: a.approver.clone(),
                review: a.review,
            };
            a.status = *status;
            a.status_reason = reason.clone();
            a.approver = approver.clone();
            a.review = *review;
            let note = reason.clone().or_else(|| ctx.note.clone());
            push_event(plan, ctx, i, "status", from.as_str(), status.as_str(), note);
            Ok(inverse)
        }
    }
}

/// Refuses dates for `wave` that would overlap or cross the wave before or after it.
fn check_wave_order(plan: &Plan, wave: &str, start: Date, end: Date) -> Result<(), EditError> {
    let i = wave_position(plan, wave)?;
    let conflict = |other: &super::model::Wave, conflict| EditError::WavesOutOfOrder {
        wave: plan.waves[i].id.clone(),
        start,
        end,
        conflict,
        other: other.id.clone(),
        other_start: other.start,
        other_end: other.end,
    };
    if let Some(prev) = i.checked_sub(1).map(|p| &plan.waves[p])
        && start <= prev.end
    {
        return Err(conflict(prev, "overlap or precede"));
    }
    if let Some(next) = plan.waves.get(i + 1)
        && end >= next.start
    {
        return Err(conflict(next, "overlap or follow"));
    }
    Ok(())
}

fn record(plan: &mut Plan, ctx: &EditContext, i: usize, field: &str, from: &str, to: &str) {
    push_event(plan, ctx, i, field, from, to, ctx.note.clone());
}

fn push_event(
    plan: &mut Plan,
    ctx: &EditContext,
    i: usize,
    field: &str,
    from: &str,
    to: &str,
    note: Option<String>,
) {
    plan.events.push(Event {
        at: ctx.at,
        asset: plan.assets[i].id.clone(),
        field: field.to_string(),
        from: from.to_string(),
        to: to.to_string(),
        by: ctx.by.clone(),
        note,
    });
}

fn asset_index(plan: &Plan, id: &str) -> Result<usize, EditError> {
    plan.asset_index(id)
        .ok_or_else(|| EditError::UnknownAsset(id.to_string()))
}

fn wave_position(plan: &Plan, id: &str) -> Result<usize, EditError> {
    plan.wave_index(id).ok_or_else(|| {
        let ids: Vec<&str> = plan.waves.iter().map(|w| w.id.as_str()).collect();
        EditError::UnknownWave(id.to_string(), ids.join(", "))
    })
}

fn wave_mut<'a>(plan: &'a mut Plan, id: &str) -> Result<&'a mut super::model::Wave, EditError> {
    let i = wave_position(plan, id)?;
    Ok(&mut plan.waves[i])
}

#[cfg(test)]
#[path = "edit_tests.rs"]
mod tests;
