//! Phase 6 of (re)planning: the planned assets.

use super::previous::Previous;
use super::waves::Calendar;
use crate::model::text::Text;
use crate::plan::context::PlanContext;
use crate::plan::job::{Cancelled, Job, Phase};
use crate::plan::layout::Layout;
use crate::plan::model::{PlannedAsset, Wave};
use crate::plan::pilot::proof_note;
use crate::plan::products::{ProductChooser, needs_decision};

/// Phase 6 (progress phase "assets"): one planned asset per member of every unit, in unit
/// order, then the kept assets. Guarantees: each keeps its previous entry (status, notes,
/// pin) but takes its unit's wave and a reason naming that wave; its product is chosen again
/// unless it keeps it (see [`Previous::keeps_product`]); a physical asset without a product
/// is warned about. Takes the layout's reasons.
pub(super) fn planned_assets(
    ctx: &PlanContext,
    prev: &Previous,
    lay: &mut Layout,
    cal: &Calendar,
    chooser: &mut ProductChooser,
    warnings: &mut Vec<String>,
    job: &Job,
) -> Result<Vec<PlannedAsset>, Cancelled> {
    let units = &ctx.units;
    job.begin(Phase::Assets, units.len() as u64)?;
    // Sized exactly: a plan of a million assets would otherwise copy itself while growing.
    let planned = units.units.iter().map(|m| m.len()).sum();
    let mut assets: Vec<PlannedAsset> = Vec::with_capacity(planned);
    let wave_id = |w: usize| cal.wave(w).id.clone();
    for (u, members) in units.units.iter().enumerate() {
        job.tick(u as u64)?;
        let note = proof_note(&lay.proofs[u], wave_id);
        let unit_reason = std::mem::take(&mut lay.reasons[u]);
        let wave = cal.wave(lay.wave_of[u]);
        let cycle_note = if members.len() > 1 {
            format!(
                "; kept together with {} (dependency cycle)",
                ctx.ids(members).join(", ")
            )
        } else {
            String::new()
        };
        // One shared text for all the unit's members.
        let reason = Text::from(match note.as_str() {
            "" => format!("{}: {unit_reason}{cycle_note}", wave.name),
            note => format!("{}: {unit_reason}; {note}{cycle_note}", wave.name),
        });
        for &m in members {
            assets.push(planned_asset(
                ctx, prev, m, wave, &reason, chooser, warnings,
            ));
        }
    }
    Ok(assets)
}

/// The planned entry of asset `m` in `wave` with `reason`.
fn planned_asset(
    ctx: &PlanContext,
    prev: &Previous,
    m: usize,
    wave: &Wave,
    reason: &Text,
    chooser: &mut ProductChooser,
    warnings: &mut Vec<String>,
) -> PlannedAsset {
    let asset = &ctx.inventory.assets()[m];
    let id = &asset.id;
    let before = prev.of(id);
    let mut pa = match before {
        Some(p) => p.clone(),
        None => PlannedAsset::new(id.to_string(), wave.id.clone()),
    };
    pa.id = id.to_string();
    pa.wave = wave.id.clone();
    // Now in the inventory and scheduled: no longer waiting for assignment.
    pa.source = None;
    pa.reason = reason.clone();
    if !prev.keeps_product(id, before) || asset.kind.is_logical() {
        let (product, why) = chooser.choose(m);
        if product.is_none() && !asset.kind.is_logical() {
            warnings.push(format!("{id}: {why}"));
        }
        pa.product = product;
        pa.product_reason = why;
    }
    pa.needs_decision = needs_decision(ctx, m, pa.product.as_deref());
    pa
}

/// The kept assets (see [`super::previous::kept_assets`]) moved to the new ids of their waves.
pub(super) fn kept_in_waves(
    kept: Vec<PlannedAsset>,
    prev: &Previous,
    cal: &Calendar,
    assets: &mut Vec<PlannedAsset>,
) {
    for mut a in kept {
        if let Some(w) = prev.plan.wave_index(&a.wave) {
            a.wave = cal.wave(w).id.clone();
        }
        assets.push(a);
    }
}
