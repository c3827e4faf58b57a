//! Planning in the background: generating or regenerating a plan on a worker (progress in the
//! status bar, Esc cancels) and putting the result in place as one undoable change.

use super::jobs::Effect;
use super::plan_ops::changed;
use super::state::*;
use crate::plan::schedule::Scheduled;
use std::sync::Arc;

/// Generates a plan (or regenerates the current one) with the plan's settings, or a new
/// plan's defaults.
pub fn generate(state: &mut State) -> Vec<Effect> {
    let Some(data) = &state.data else {
        return Vec::new();
    };
    let shared = Arc::clone(&data.shared);
    let previous = match &data.plan {
        Some(p) => Arc::clone(p),
        None => {
            let settings = super::settings_form::base_settings(state);
            match super::settings_form::plan_with(state, settings) {
                Some(p) => p,
                None => return Vec::new(),
            }
        }
    };
    let direct = shared.analysis.totals().direct;
    start_replan(
        state,
        shared,
        previous,
        format!("planning {direct} asset(s) in the background… (Esc cancels)"),
    )
}

/// A finished plan replaces the current one (an undoable change) or becomes the first.
pub fn take_scheduled(state: &mut State, scheduled: Scheduled, rows: Vec<u32>) -> Vec<Effect> {
    if let Some(d) = state.data.as_mut() {
        d.plan_rows = rows;
    }
    let had_plan = state.data.as_ref().is_some_and(|d| d.plan.is_some());
    let warnings = scheduled.warnings.len();
    let scheduled_warnings = scheduled.warnings.clone();
    let calendar = crate::plan::schedule::calendar_warning(&scheduled.plan);
    let effects = if had_plan {
        super::plan_ops::edit(
            state,
            crate::plan::Edit::ReplacePlan(Arc::new(scheduled.plan)),
        )
    } else {
        if let Some(d) = state.data.as_mut() {
            d.plan = Some(Arc::new(scheduled.plan));
        }
        // The version loaded had no plan: no undo leads back to it.
        state.saved_at = None;
        changed(state)
    };
    // The scheduler's notes go to the log; the counts come with the validation, the
    // same as the dashboard's.
    for w in &scheduled_warnings {
        let text = crate::model::text::clean(&format!("planner: {w}"));
        state.messages.push(state.now, Level::Info, text);
    }
    match calendar {
        Some(c) => state.error(format!("plan ready: {c}")),
        None => {
            state.info(format!(
                "plan ready ({warnings} planner note(s) in the log); checking it…"
            ));
            state.announce_plan = true;
        }
    }
    state.waves.list.selected = state.waves.list.selected.min(
        state
            .data
            .as_ref()
            .and_then(|d| d.plan.as_ref())
            .map_or(0, |p| p.waves.len().saturating_sub(1)),
    );
    effects
}

/// Starts a replan on a worker, with a job the status bar follows and Esc cancels.
pub(super) fn start_replan(
    state: &mut State,
    shared: Arc<super::data::Shared>,
    previous: Arc<crate::plan::Plan>,
    message: String,
) -> Vec<Effect> {
    let (generation, mut effects) = begin(state, message);
    let job = crate::plan::job::Job::new();
    state.plan_job = Some(job.clone());
    effects.push(Effect::Replan(generation, shared, previous, job));
    effects
}

/// Starts a background job that replaces the plan (a replan, a reconcile, a merge): edits
/// wait for it, Esc drops its result, and a job still running for an older generation is
/// stopped, not left to finish unseen. Returns its generation.
pub(super) fn begin(state: &mut State, message: String) -> (u64, Vec<Effect>) {
    let effects = cancel_replan(state);
    let generation = state.next_generation();
    state.replanning = generation;
    state.info(message);
    (generation, effects)
}

/// A job's result arrived: true when it is the one the app waits for (edits are allowed
/// again); false when it was cancelled or replaced, and its result is to be dropped.
pub(super) fn finish(state: &mut State, generation: u64) -> bool {
    if generation == 0 || generation != state.replanning {
        return false;
    }
    state.replanning = 0;
    state.plan_job = None;
    true
}

/// Stops the replan running, if any: its worker returns soon and what it sends is dropped.
pub(super) fn cancel_replan(state: &mut State) -> Vec<Effect> {
    state.replanning = 0;
    state
        .plan_job
        .take()
        .map(Effect::CancelPlanning)
        .into_iter()
        .collect()
}
