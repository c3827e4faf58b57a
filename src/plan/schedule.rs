//! Generating and regenerating plans from an analysed inventory.
//!
//! The driver [`replan_with`] runs the phases in order: what the previous plan fixes and
//! what it keeps (`previous`), the units' facts and their layout into waves (`infos`),
//! the waves on the calendar (`waves`), the planned assets (`assets`), and the plan.

mod assets;
mod infos;
mod previous;
mod waves;

use super::context::PlanContext;
use super::coverage::CoveragePlanner;
use super::job::{Cancelled, Job, Phase};
use super::model::LONG_PLAN_DAYS;
use super::model::*;
use super::products::ProductChooser;
use crate::model::{Asset, Criticality};
use assets::{kept_in_waves, planned_assets};
use infos::{lay_out, unit_infos};
use previous::{Previous, kept_assets};
use waves::calendar;

/// A generated plan and what the scheduler could only soften.
#[derive(Debug, Clone)]
pub struct Scheduled {
    /// The plan.
    pub plan: Plan,
    /// Warnings (oversized groups, constrained pilots, missing products, deadline).
    pub warnings: Vec<String>,
}

/// A fresh plan for every direct asset.
pub fn generate(
    ctx: &PlanContext,
    settings: Settings,
    name: String,
    inventory: Vec<InventoryRef>,
) -> Scheduled {
    match generate_with(ctx, settings, name, inventory, &Job::new()) {
        Ok(s) => s,
        // Nobody else holds the job, so nobody can cancel it.
        Err(Cancelled) => unreachable!(),
    }
}

/// [`generate`], reporting progress to `job` and stopping soon after it is cancelled.
pub fn generate_with(
    ctx: &PlanContext,
    settings: Settings,
    name: String,
    inventory: Vec<InventoryRef>,
    job: &Job,
) -> Result<Scheduled, Cancelled> {
    replan_with(ctx, &Plan::empty(name, settings, inventory), job)
}

/// Regenerates a plan: frozen waves, pinned assets and assets whose migration has started keep
/// their wave and product; statuses, notes and history are kept; everything else is scheduled
/// again.
pub fn replan(ctx: &PlanContext, previous: &Plan) -> Scheduled {
    match replan_with(ctx, previous, &Job::new()) {
        Ok(s) => s,
        // Nobody else holds the job, so nobody can cancel it.
        Err(Cancelled) => unreachable!(),
    }
}

/// [`replan`], reporting progress to `job` and stopping soon after it is cancelled.
pub fn replan_with(ctx: &PlanContext, previous: &Plan, job: &Job) -> Result<Scheduled, Cancelled> {
    let prev = Previous::new(previous);
    let mut warnings = Vec::new();
    let fixed_wave = |a: &PlannedAsset| prev.fixed_wave(a);
    let keeps_product = |id: &str, p: Option<&PlannedAsset>| prev.keeps_product(id, p);
    // Assets that get anti-virus through a provider join the plan with their own coverage.
    let mut cover_chooser = ProductChooser::new(ctx, &previous.settings);
    let mut cover = CoveragePlanner::new(
        ctx,
        previous,
        &fixed_wave,
        &keeps_product,
        &mut cover_chooser,
    );
    let kept = kept_assets(ctx, &prev, &cover, &mut warnings);
    let mut chooser = ProductChooser::new(ctx, &previous.settings);
    let infos = unit_infos(ctx, &prev, &kept, &mut chooser, job)?;
    // What the layout needed is freed inside: not needed for the output, which grows next.
    let mut lay = lay_out(ctx, &prev, infos, &mut cover, job)?;
    warnings.append(&mut lay.warnings);
    let cal = calendar(&prev, &lay, &kept);
    let mut assets = planned_assets(ctx, &prev, &mut lay, &cal, &mut chooser, &mut warnings, job)?;
    kept_in_waves(kept, &prev, &cal, &mut assets);
    job.begin(Phase::Finishing, 0)?;
    cover.finish(
        ctx,
        &lay,
        &cal.new_index,
        &cal.waves,
        &mut assets,
        &mut warnings,
    );
    drop(lay);
    job.check()?;
    let plan = assemble(previous, cal.waves, assets);
    // Calendar warnings go first: per-asset warnings can run into thousands.
    if let Some(w) = calendar_warning(&plan) {
        warnings.insert(0, w);
    }
    job.finish();
    Ok(Scheduled { plan, warnings })
}

/// Phase 7: the new plan of `waves` and `assets` (sorted by id), with the name, sources,
/// settings, history and alerts of `previous`.
fn assemble(previous: &Plan, waves: Vec<Wave>, assets: Vec<PlannedAsset>) -> Plan {
    let mut plan = Plan {
        schema_version: SCHEMA_VERSION,
        name: previous.name.clone(),
        inventory: previous.inventory.clone(),
        import: previous.import.clone(),
        settings: previous.settings.clone(),
        waves,
        assets,
        events: previous.events.clone(),
        alerts: previous.alerts.clone(),
    };
    plan.sort_assets();
    plan
}

/// The plan misses its deadline, or (without one) its waves run for more than a year.
pub fn calendar_warning(plan: &Plan) -> Option<String> {
    let end = plan.planned_end()?;
    let start = plan.waves.iter().map(|w| w.start).min()?;
    let hint = "larger waves (--wave-size) or longer ones (--wave-days) shorten it";
    match plan.settings.deadline {
        Some(deadline) if end > deadline => Some(format!(
            "the last wave ends {end}, after the deadline {deadline}; {hint}"
        )),
        None if start.days_until(end) > LONG_PLAN_DAYS => Some(format!(
            "the last wave ends {end}, more than a year after the first starts ({start}); {hint}"
        )),
        _ => None,
    }
}

/// Criticality as a number (low 0 … critical 3).
pub fn criticality_rank(c: Criticality) -> i64 {
    match c {
        Criticality::Low => 0,
        Criticality::Medium => 1,
        Criticality::High => 2,
        Criticality::Critical => 3,
    }
}

/// How urgent an asset is: KRITIS, criticality, internet exposure.
pub fn risk_score(a: &Asset) -> i64 {
    10 * i64::from(a.has_tag("kritis"))
        + 4 * criticality_rank(a.criticality)
        + 3 * i64::from(a.has_tag("internet-facing"))
}

#[cfg(test)]
#[path = "schedule_tests.rs"]
mod tests;
