//! The plan as JSON: waves with their assets, planned assets with steps and how each is
//! covered, and affected assets.

use super::{affected_by_wave, last_change, positions};
use crate::model::Named;
use crate::plan::Plan;
use crate::plan::context::PlanContext;
use crate::plan::coverage::covered_by_asset;
use crate::plan::steps::steps_for;
use serde_json::{Value, json};

/// The JSON value of a plan export.
pub fn to_json(plan: &Plan, ctx: &PlanContext) -> Value {
    let members = plan.wave_members();
    let affected = affected_by_wave(plan, ctx);
    let changes = last_change(plan);
    let pos = positions(plan, ctx);
    // Done as `status` counts it: not while an alert says it is unverified or unprotected.
    let done = plan.done_mask();
    let waves: Vec<Value> = plan
        .waves
        .iter()
        .map(|w| {
            let ids: Vec<&str> = members
                .get(w.id.as_str())
                .map(|v| v.iter().map(|&i| plan.assets[i].id.as_str()).collect())
                .unwrap_or_default();
            let done = members
                .get(w.id.as_str())
                .map(|v| v.iter().filter(|&&i| done[i]).count())
                .unwrap_or(0);
            let aff: Vec<&str> = affected
                .get(w.id.as_str())
                .map(|v| {
                    v.iter()
                        .map(|&i| ctx.inventory.assets()[i].id.as_str())
                        .collect()
                })
                .unwrap_or_default();
            json!({
                "id": w.id, "name": w.name, "start": w.start.to_string(), "end": w.end.to_string(),
                "capacity": w.capacity, "frozen": w.frozen, "total": ids.len(), "done": done,
                "assets": ids, "affected": aff,
            })
        })
        .collect();
    let assets: Vec<Value> = plan
        .assets
        .iter()
        .zip(pos)
        .map(|(a, p)| {
            let steps = p.map(|i| steps_for(ctx, a, i)).unwrap_or_default();
            let asset = p.map(|i| &ctx.inventory.assets()[i]);
            json!({
                "id": a.id, "wave": a.wave, "product": a.product, "status": a.status.as_str(),
                "pinned": a.pinned, "reason": a.reason, "product_reason": a.product_reason,
                "note": a.note, "status_reason": a.status_reason, "approver": a.approver,
                "review": a.review.map(|d| d.to_string()),
                "flagged_products": p.map(|i| ctx.flagged_products(i)).unwrap_or_default(),
                "last_change": changes.get(&a.id.as_str().to_lowercase()),
                "kind": asset.map(|x| x.kind.as_str()),
                "covered_by": covered_by_asset(a, asset), "coverage": a.coverage,
                "steps": steps,
            })
        })
        .collect();
    let assets = with_protection(plan, assets);
    json!({
        "name": plan.name,
        "schema_version": plan.schema_version,
        "strategy": plan.settings.strategy.as_str(),
        "start": plan.settings.start.to_string(),
        "deadline": plan.settings.deadline.map(|d| d.to_string()),
        "waves": waves,
        "assets": assets,
    })
}

/// Adds each asset's protection evidence (`protection`: state, products, flagged, scan, at)
/// where a reconciled scan recorded one.
fn with_protection(plan: &Plan, mut assets: Vec<Value>) -> Vec<Value> {
    for (v, a) in assets.iter_mut().zip(&plan.assets) {
        if let (Some(p), Some(obj)) = (&a.protection, v.as_object_mut()) {
            obj.insert("protection".into(), json!(p));
        }
    }
    assets
}
