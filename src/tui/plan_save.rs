//! Saving the plan from the TUI: the path prompt, the save effect with conflict detection,
//! autosave.

use super::action::Action;
use super::jobs::{Effect, SaveRequest};
use super::keymap::Context;
use super::state::*;
use std::path::PathBuf;

/// Asks where to save a plan that has no file yet.
pub(super) fn prompt_save_path(state: &mut State) {
    let default = state
        .data
        .as_ref()
        .and_then(|d| d.plan_path.clone())
        .unwrap_or_else(|| PathBuf::from("plans/plan.toml"));
    state.overlays.push(Overlay::Prompt {
        title: "Save plan as".into(),
        input: default.display().to_string(),
        purpose: PromptPurpose::SavePath,
        error: None,
    });
}

/// Saves the plan (to `path`, else its own path; asks for one the first time).
pub fn save(state: &mut State, path: Option<PathBuf>, force: bool) -> Vec<Effect> {
    let Some(data) = state.data.as_mut() else {
        return Vec::new();
    };
    let Some(shared_plan) = data.plan.as_mut() else {
        let key = state.keymap.hint(Context::Global, Action::GeneratePlan);
        state.error(format!("no plan to save: generate one with {key}"));
        return Vec::new();
    };
    let target = match path.or_else(|| data.plan_path.clone()) {
        Some(p) => p,
        None => {
            prompt_save_path(state);
            return Vec::new();
        }
    };
    // Inventory paths are written relative to the plan's directory.
    let base = crate::plan::workspace::plan_dir(&target);
    let origin = &data.shared.origin;
    let paths: Vec<_> = origin
        .paths
        .iter()
        .map(|p| crate::plan::workspace::reference(p, &base))
        .collect();
    // The plan says how this inventory was read, whatever an earlier copy of it said.
    let mut import = origin.import.clone();
    import.mapping = origin
        .mapping_path
        .as_ref()
        .map(|m| crate::plan::workspace::relative_to(m, &base));
    let current = shared_plan.inventory.iter().map(|r| &r.path);
    if shared_plan.import != import || !current.eq(paths.iter().take(shared_plan.inventory.len())) {
        // Copied only when a worker still reads the plan and something did change.
        let plan = std::sync::Arc::make_mut(shared_plan);
        // Not an edit the validations' copy of the plan can replay.
        data.validation.forget();
        for (r, p) in plan.inventory.iter_mut().zip(paths) {
            r.path = p;
        }
        plan.import = import;
    }
    let same_file = data.plan_path.as_ref() == Some(&target);
    let expected = if same_file {
        data.disk_hash.clone()
    } else {
        None
    };
    vec![Effect::Save(SaveRequest {
        path: target,
        plan: std::sync::Arc::clone(shared_plan),
        expected,
        force,
    })]
}

/// The autosave effect, when there is something unsaved.
pub fn autosave(state: &State) -> Vec<Effect> {
    let Some(data) = &state.data else {
        return Vec::new();
    };
    match (&data.plan, state.dirty) {
        (Some(plan), true) => vec![Effect::Autosave(
            data.plan_path.clone(),
            std::sync::Arc::clone(plan),
        )],
        _ => Vec::new(),
    }
}

/// Removes the autosave copy (after a save or when quitting without changes).
pub fn delete_autosave(state: &State) -> Vec<Effect> {
    let plan_path = state.data.as_ref().and_then(|d| d.plan_path.clone());
    vec![Effect::DeleteAutosave(plan_path)]
}
