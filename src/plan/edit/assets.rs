//! Edits of one planned asset. Each finds the asset (case-insensitive id), changes one field,
//! records a history event and returns the edit that restores the old value.

use super::{EditContext, EditError, check_transition};
use crate::model::Named;
use crate::plan::decision::Decision;
use crate::plan::model::{Coverage, CoveredBy, Event, Plan, Status};

/// [`super::Edit::Move`]: the asset to wave `wave` (which must exist).
pub(super) fn move_to(
    plan: &mut Plan,
    asset: &str,
    wave: &str,
    ctx: &EditContext,
) -> Result<super::Edit, EditError> {
    let wave_id = plan.waves[super::waves::wave_position(plan, wave)?]
        .id
        .clone();
    let i = asset_index(plan, asset)?;
    let old = std::mem::replace(&mut plan.assets[i].wave, wave_id.clone());
    record(plan, ctx, i, "wave", &old, &wave_id);
    Ok(super::Edit::Move {
        asset: plan.assets[i].id.clone(),
        wave: old,
    })
}

/// [`super::Edit::Pin`]: pins or unpins the asset.
pub(super) fn pin(
    plan: &mut Plan,
    asset: &str,
    pinned: bool,
    ctx: &EditContext,
) -> Result<super::Edit, EditError> {
    let i = asset_index(plan, asset)?;
    let old = std::mem::replace(&mut plan.assets[i].pinned, pinned);
    record(plan, ctx, i, "pin", &old.to_string(), &pinned.to_string());
    Ok(super::Edit::Pin {
        asset: plan.assets[i].id.clone(),
        pinned: old,
    })
}

/// [`super::Edit::SetProduct`]: the target product, and the decision flag when given.
pub(super) fn set_product(
    plan: &mut Plan,
    asset: &str,
    product: &Option<String>,
    needs_decision: Option<bool>,
    ctx: &EditContext,
) -> Result<super::Edit, EditError> {
    let i = asset_index(plan, asset)?;
    let a = &mut plan.assets[i];
    let new_needs = needs_decision.unwrap_or(a.needs_decision);
    let old_needs = std::mem::replace(&mut a.needs_decision, new_needs);
    let old = std::mem::replace(&mut a.product, product.clone());
    let show = |p: &Option<String>| p.clone().unwrap_or_default();
    record(plan, ctx, i, "product", &show(&old), &show(product));
    Ok(super::Edit::SetProduct {
        asset: plan.assets[i].id.clone(),
        product: old,
        needs_decision: Some(old_needs),
    })
}

/// [`super::Edit::Decide`]: records or withdraws a decision; a user's decision must be
/// complete.
pub(super) fn decide(
    plan: &mut Plan,
    asset: &str,
    decision: &Option<Decision>,
    ctx: &EditContext,
) -> Result<super::Edit, EditError> {
    let i = asset_index(plan, asset)?;
    if let Some(d) = decision
        && ctx.check_transitions
    {
        d.check(&plan.assets[i].id)?;
    }
    let old =
        std::mem::replace(&mut plan.assets[i].decision, decision.clone().map(Box::new)).map(|d| *d);
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
    Ok(super::Edit::Decide {
        asset: plan.assets[i].id.clone(),
        decision: old,
    })
}

/// [`super::Edit::SetCoverage`]: the coverage; the decision flag follows it unless given.
pub(super) fn set_coverage(
    plan: &mut Plan,
    asset: &str,
    coverage: &Option<Coverage>,
    needs_decision: Option<bool>,
    ctx: &EditContext,
) -> Result<super::Edit, EditError> {
    let i = asset_index(plan, asset)?;
    let a = &mut plan.assets[i];
    let by = |c: &Option<Coverage>| c.as_ref().map_or("", |c| c.by.as_str());
    let decided = coverage.as_ref().map(|c| c.by == CoveredBy::Decision);
    let new_needs = needs_decision.or(decided).unwrap_or(a.needs_decision);
    let old_needs = std::mem::replace(&mut a.needs_decision, new_needs);
    let old = std::mem::replace(&mut a.coverage, coverage.clone());
    record(plan, ctx, i, "coverage", by(&old), by(coverage));
    Ok(super::Edit::SetCoverage {
        asset: plan.assets[i].id.clone(),
        coverage: old,
        needs_decision: Some(old_needs),
    })
}

/// [`super::Edit::SetNote`]: replaces the note.
pub(super) fn set_note(
    plan: &mut Plan,
    asset: &str,
    note: &Option<String>,
    ctx: &EditContext,
) -> Result<super::Edit, EditError> {
    let i = asset_index(plan, asset)?;
    let old = std::mem::replace(&mut plan.assets[i].note, note.clone());
    record(plan, ctx, i, "note", "", note.as_deref().unwrap_or(""));
    Ok(super::Edit::SetNote {
        asset: plan.assets[i].id.clone(),
        note: old,
    })
}

/// What [`super::Edit::SetStatus`] sets besides the status.
pub(super) struct StatusDetails<'e> {
    /// Reason (blocked) or rationale (excluded).
    pub reason: &'e Option<String>,
    /// Who accepted the risk.
    pub approver: &'e Option<String>,
    /// When to review an accepted risk.
    pub review: Option<crate::model::Date>,
}

/// [`super::Edit::SetStatus`]: the status with its reason, approver and review date. A user's
/// change must follow the transition table, and blocked or excluded need a reason.
pub(super) fn set_status(
    plan: &mut Plan,
    asset: &str,
    status: Status,
    details: StatusDetails,
    ctx: &EditContext,
) -> Result<super::Edit, EditError> {
    let StatusDetails {
        reason,
        approver,
        review,
    } = details;
    let i = asset_index(plan, asset)?;
    let a = &plan.assets[i];
    let from = a.status;
    if ctx.check_transitions {
        check_transition(&a.id, from, status)?;
        let needs_reason = matches!(status, Status::Blocked | Status::Excluded);
        if needs_reason && reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            return Err(EditError::MissingReason(a.id.clone(), status));
        }
        let noted = [reason.as_deref(), ctx.note.as_deref()]
            .into_iter()
            .flatten()
            .any(|n| !n.trim().is_empty());
        if super::needs_note(from, status) && !noted {
            return Err(EditError::UnscannedMigration(a.id.clone()));
        }
    }
    let a = &mut plan.assets[i];
    let inverse = super::Edit::SetStatus {
        asset: a.id.clone(),
        status: from,
        reason: a.status_reason.clone(),
        approver: a.approver.clone(),
        review: a.review,
    };
    a.status = status;
    a.status_reason = reason.clone();
    a.approver = approver.clone();
    a.review = review;
    let note = reason.clone().or_else(|| ctx.note.clone());
    push_event(plan, ctx, i, "status", from.as_str(), status.as_str(), note);
    Ok(inverse)
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
