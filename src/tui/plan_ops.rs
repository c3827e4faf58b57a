//! Plan actions of the TUI: edits (through `plan::apply`, with undo/redo), regeneration,
//! vendor preferences (saving is in `plan_save`).

use super::action::Action;
use super::jobs::Effect;
use super::keymap::Context;
use super::lists::{selected_asset, wave_assets};
use super::pickers::{pick_for_targets, pick_product, pick_status, pick_wave};
use super::plan_save::{prompt_save_path, save};
use super::state::*;
use super::update::refresh;
use super::validation_copy::Snapshot;
use crate::plan::{Edit, EditContext, Settings, VendorRule, When, apply};
use std::sync::Arc;

/// Plan-related actions.
pub fn update_plan(state: &mut State, action: Action) -> Vec<Effect> {
    if state.data.is_none() {
        return Vec::new();
    }
    match action {
        Action::Save => save(state, None, false),
        Action::SaveAs => {
            prompt_save_path(state);
            Vec::new()
        }
        Action::Undo | Action::Redo if state.replan_pending() => refuse_while_planning(state),
        Action::Undo => undo_redo(state, true),
        Action::Redo => undo_redo(state, false),
        Action::GeneratePlan | Action::Replan | Action::PlanSettings if state.replan_pending() => {
            refuse_while_planning(state)
        }
        Action::GeneratePlan => super::replan::generate(state),
        Action::PlanSettings => super::settings_form::open(state),
        Action::Export => super::export_screen::choose(state),
        Action::ReconcileScan => super::file_actions::ask_scan(state),
        Action::Replan => {
            if has_plan(state) {
                state.overlays.push(Overlay::Confirm {
                    question: "Regenerate the plan? Pinned assets, frozen waves, statuses and \
                               history are kept; everything else is scheduled again."
                        .into(),
                    purpose: ConfirmPurpose::Replan,
                });
                Vec::new()
            } else {
                super::replan::generate(state)
            }
        }
        _ if !has_plan(state) => {
            let key = state.keymap.hint(Context::Global, Action::GeneratePlan);
            state.error(format!("no plan yet: generate one with {key}"));
            Vec::new()
        }
        Action::MoveToWave
        | Action::MoveToPrevWave
        | Action::MoveToNextWave
        | Action::SetProduct
        | Action::SetStatus
        | Action::Decide
        | Action::TogglePin
        | Action::RenameWave
        | Action::EditWaveDates
        | Action::ToggleFreeze
        | Action::PreferenceUp
        | Action::PreferenceDown
        | Action::TogglePreference
        | Action::AddVendorRule
        | Action::DeleteVendorRule
            if state.replan_pending() =>
        {
            refuse_while_planning(state)
        }
        Action::MoveToWave => pick_wave(state),
        Action::MoveToPrevWave | Action::MoveToNextWave => {
            step_wave(state, action == Action::MoveToNextWave)
        }
        Action::SetProduct => pick_product(state),
        Action::SetStatus => pick_status(state),
        Action::Decide => pick_for_targets(
            state,
            |n| format!("Decision for {n} asset(s)"),
            |_| super::decide::options(),
            PickPurpose::Decide,
        ),
        Action::TogglePin => toggle_pin(state),
        Action::RenameWave => {
            if let Some(w) = selected_wave(state) {
                state.overlays.push(Overlay::Prompt {
                    title: format!("New name of {}", w.id),
                    input: w.name.clone(),
                    purpose: PromptPurpose::RenameWave(w.id.clone()),
                    error: None,
                });
            }
            Vec::new()
        }
        Action::EditWaveDates => {
            if let Some(w) = selected_wave(state) {
                state.overlays.push(Overlay::Prompt {
                    title: format!("Dates of {} (FROM..TO)", w.id),
                    input: format!("{}..{}", w.start, w.end),
                    purpose: PromptPurpose::WaveDates(w.id.clone()),
                    error: None,
                });
            }
            Vec::new()
        }
        Action::ToggleFreeze => match selected_wave(state) {
            Some(w) => edit(
                state,
                Edit::FreezeWave {
                    wave: w.id.clone(),
                    frozen: !w.frozen,
                },
            ),
            None => Vec::new(),
        },
        Action::PreferenceUp | Action::PreferenceDown | Action::TogglePreference => {
            preference(state, action)
        }
        Action::AddVendorRule => add_rule(state),
        Action::DeleteVendorRule => {
            let settings = plan_settings(state);
            let i = state.vendors.rules.selected;
            if i < settings.vendor_rules.len() {
                let mut rules = settings.vendor_rules.clone();
                rules.remove(i);
                state.vendors.rules.selected = i.saturating_sub(1);
                edit_saying(state, Edit::SetVendorRules { rules }, |_| {
                    format!("vendor rule {} deleted", i + 1)
                })
            } else {
                Vec::new()
            }
        }
        _ => Vec::new(),
    }
}

/// A replan works on a copy of the plan and replaces it when done: an edit made meanwhile
/// would be lost, so none is made.
fn refuse_while_planning(state: &mut State) -> Vec<Effect> {
    state.error("planning… wait for the new plan");
    Vec::new()
}

fn has_plan(state: &State) -> bool {
    state.data.as_ref().is_some_and(|d| d.plan.is_some())
}

fn plan_settings(state: &State) -> Settings {
    state
        .data
        .as_ref()
        .and_then(|d| d.plan.as_ref())
        .map(|p| p.settings.clone())
        .unwrap_or_else(|| Settings::new(state.now.date()))
}

fn selected_wave(state: &State) -> Option<crate::plan::Wave> {
    let plan = state.data.as_ref()?.plan.as_ref()?;
    plan.waves.get(state.waves.list.selected).cloned()
}

/// The planned assets an action applies to: the marked ones, else the selected one.
pub fn targets(state: &State) -> Vec<String> {
    let Some(data) = &state.data else {
        return Vec::new();
    };
    let positions: Vec<u32> = if !state.assets.marked.is_empty() && state.detail.is_empty() {
        state.assets.marked.iter().copied().collect()
    } else {
        selected_asset(state).into_iter().collect()
    };
    positions
        .into_iter()
        .filter_map(|i| data.planned(i as usize).map(|p| p.id.clone()))
        .collect()
}

pub(super) fn no_targets(state: &mut State) -> Vec<Effect> {
    state.error("nothing to change: select or mark planned (direct) assets");
    Vec::new()
}

/// Applies an edit through the one plan-changing function, with undo. A refused edit has said
/// why on the status line.
pub fn edit(state: &mut State, e: Edit) -> Vec<Effect> {
    try_edit(state, e).unwrap_or_else(|Refused(effects)| effects)
}

/// An edit that did not go through, with what refusing it asks for.
struct Refused(Vec<Effect>);

/// [`edit`], telling whether the edit went through.
fn try_edit(state: &mut State, e: Edit) -> Result<Vec<Effect>, Refused> {
    if state.replan_pending() {
        return Err(Refused(refuse_while_planning(state)));
    }
    if state.user.trim().is_empty() {
        ask_user_name(state, Some(Box::new(e)));
        return Err(Refused(Vec::new()));
    }
    let Some(inverse) = apply_now(state, &e, true, None) else {
        return Err(Refused(Vec::new()));
    };
    if state.saved_at.is_some_and(|at| at > state.undo.len()) {
        // The saved version was in the redo branch this edit discards.
        state.saved_at = None;
    }
    let dropped = push_bounded(&mut state.undo, inverse);
    state.saved_at = state.saved_at.and_then(|at| at.checked_sub(dropped));
    state.redo.clear();
    if let Some(text) = super::feedback::describe(&e) {
        state.info(text);
    }
    let effects = changed(state);
    mark_dirty(state);
    Ok(effects)
}

/// Planned assets that the whole plans kept for undo (or redo) may hold in all: two copies of a
/// 1,000,000-asset plan, twenty of a 100,000-asset one.
const KEPT_PLAN_ASSETS: usize = 2_000_000;

/// Small edits kept for undo (or redo).
const KEPT_EDITS: usize = 10_000;

/// Pushes an edit onto an undo or redo stack, forgetting the oldest entries once the stack
/// holds more whole plans than [`KEPT_PLAN_ASSETS`] allows or more than [`KEPT_EDITS`] edits.
/// Returns how many of the oldest entries were dropped.
fn push_bounded(stack: &mut Vec<Edit>, e: Edit) -> usize {
    stack.push(e);
    let weight = |e: &Edit| match e {
        Edit::ReplacePlan(p) => p.assets.len().max(1),
        _ => 0,
    };
    let mut kept = stack.iter().map(weight).sum::<usize>();
    let mut drop = stack.len().saturating_sub(KEPT_EDITS);
    // The newest entry always stays, however large.
    while kept > KEPT_PLAN_ASSETS && drop + 1 < stack.len() {
        kept -= weight(&stack[drop]);
        drop += 1;
    }
    stack.drain(..drop);
    drop
}

/// After an edit, undo or redo: the plan is unsaved unless the undo stack is back where it was
/// when the plan was last saved or loaded.
fn mark_dirty(state: &mut State) {
    state.dirty = state.saved_at != Some(state.undo.len());
}

/// Applies an edit; when it went through, `say` gives the status line's confirmation.
fn edit_saying(state: &mut State, e: Edit, say: impl FnOnce(&State) -> String) -> Vec<Effect> {
    match try_edit(state, e) {
        Ok(effects) => {
            let text = say(state);
            state.info(text);
            effects
        }
        Err(Refused(effects)) => effects,
    }
}

/// Asks for the name the history records (once: it is kept in `config.toml`); `pending` is
/// the edit that runs once the name is given.
pub fn ask_user_name(state: &mut State, pending: Option<Box<Edit>>) {
    state.overlays.push(Overlay::Prompt {
        title: "Your name for the plan's history".into(),
        input: state.user.clone(),
        purpose: PromptPurpose::UserName(pending),
        error: None,
    });
}

/// The name was given: keep it, then make the edit that waited for it.
pub fn user_named(state: &mut State, name: &str, pending: Option<Box<Edit>>) -> Vec<Effect> {
    state.user = crate::model::text::clean(name.trim());
    let mut effects = vec![Effect::SaveConfig(super::user_config::UserConfig {
        theme: None,
        user: Some(state.user.clone()),
    })];
    match pending {
        Some(e) => effects.extend(edit(state, *e)),
        None => state.info(format!("changes are recorded as {}", state.user)),
    }
    effects
}

/// Applies `e` to the plan as the user, now: its inverse, or None (with the error shown).
fn apply_now(
    state: &mut State,
    e: &Edit,
    check_transitions: bool,
    note: Option<String>,
) -> Option<Edit> {
    let by = state.user.clone();
    let data = state.data.as_mut()?;
    let plan = data.plan.as_mut()?;
    // A whole new plan is swapped in, not copied: the undo stack keeps the old one shared.
    if let Edit::ReplacePlan(new) = e {
        data.validation.forget();
        return Some(Edit::ReplacePlan(std::mem::replace(plan, Arc::clone(new))));
    }
    let ctx = EditContext {
        by,
        at: state.now,
        check_transitions,
        note,
    };
    // Copies the plan only while a worker (save, export) still reads the previous version;
    // validations read their own copy, which follows the edits.
    match apply(Arc::make_mut(plan), e, &ctx) {
        Ok(inverse) => {
            data.validation.record(e, &ctx);
            Some(inverse)
        }
        Err(err) => {
            state.error(err.to_string());
            None
        }
    }
}

/// After any plan change: dirty, re-index, refresh the table, validate again.
pub fn changed(state: &mut State) -> Vec<Effect> {
    state.dirty = true;
    if let Some(data) = state.data.as_mut() {
        // The summary follows with the validation asked for below.
        data.reindex_keeping_summary();
    }
    super::update::keep_in_view(state);
    let mut effects = refresh(state);
    effects.extend(validate(state));
    effects
}

/// Asks for a validation of the current plan.
pub fn validate(state: &mut State) -> Vec<Effect> {
    let Some(data) = state.data.as_mut() else {
        return Vec::new();
    };
    let Some(plan) = &data.plan else {
        return Vec::new();
    };
    let Snapshot::Read(plan, copy) = data.validation.snapshot(plan) else {
        // Asked again when the validation reading the copy is done.
        return Vec::new();
    };
    let shared = Arc::clone(&data.shared);
    let generation = state.next_generation();
    state.validating = generation;
    vec![Effect::Validate(generation, shared, plan, copy)]
}

fn undo_redo(state: &mut State, undo: bool) -> Vec<Effect> {
    let stack = if undo {
        &mut state.undo
    } else {
        &mut state.redo
    };
    let Some(e) = stack.pop() else {
        state.info(if undo {
            "nothing to undo"
        } else {
            "nothing to redo"
        });
        return Vec::new();
    };
    let note = if undo { "undo" } else { "redo" };
    let Some(inverse) = apply_now(state, &e, false, Some(note.into())) else {
        return Vec::new();
    };
    // What was undone is the inverse of what is applied now; what is redone is what is
    // applied now.
    let what = |e: &Edit| super::feedback::describe(e).map_or(String::new(), |d| format!(": {d}"));
    if undo {
        state.info(format!("undone{}", what(&inverse)));
        push_bounded(&mut state.redo, inverse);
    } else {
        state.info(format!("redone{}", what(&e)));
        let dropped = push_bounded(&mut state.undo, inverse);
        state.saved_at = state.saved_at.and_then(|at| at.checked_sub(dropped));
    }
    let effects = changed(state);
    mark_dirty(state);
    effects
}

fn step_wave(state: &mut State, later: bool) -> Vec<Effect> {
    let ids = targets(state);
    let Some(data) = &state.data else {
        return Vec::new();
    };
    let Some(plan) = &data.plan else {
        return Vec::new();
    };
    let mut edits = Vec::new();
    for id in &ids {
        let Some(a) = plan.asset(id) else { continue };
        let Some(w) = plan.wave_index(&a.wave) else {
            continue;
        };
        let target = if later { w + 1 } else { w.wrapping_sub(1) };
        if let Some(t) = plan.waves.get(target) {
            edits.push(Edit::Move {
                asset: id.clone(),
                wave: t.id.clone(),
            });
        }
    }
    if edits.is_empty() {
        state.error("no wave in that direction");
        return Vec::new();
    }
    // Keep the moved asset selected on the wave board by following it to the wave it is in
    // now (a marked asset need not be in the wave shown; a refused move moved nothing).
    match try_edit(state, Edit::Batch(edits)) {
        Ok(effects) => {
            if state.screen == Screen::Waves && state.detail.is_empty() && ids.len() == 1 {
                follow_to_wave(state, &ids[0]);
            }
            effects
        }
        Err(Refused(effects)) => effects,
    }
}

/// Shows asset `id` selected in its wave on the wave board.
fn follow_to_wave(state: &mut State, id: &str) {
    let Some(data) = &state.data else { return };
    let Some(plan) = &data.plan else { return };
    let (Some(a), Some(i)) = (plan.asset(id), data.shared.inventory.resolve(id)) else {
        return;
    };
    let Some(wave) = plan.wave_index(&a.wave) else {
        return;
    };
    let members = wave_assets(data, wave);
    let Some(pos) = members.iter().position(|&m| m as usize == i) else {
        return;
    };
    state.waves.list.selected = wave;
    state.waves.focus_assets = true;
    let rows = super::update::wave_rows(state);
    state.waves.members.select(pos, members.len(), rows);
    state.waves.list.offset = super::layout::wave_list_offset(state);
}

fn toggle_pin(state: &mut State) -> Vec<Effect> {
    let ids = targets(state);
    if ids.is_empty() {
        return no_targets(state);
    }
    let Some(plan) = state.data.as_ref().and_then(|d| d.plan.as_ref()) else {
        return Vec::new();
    };
    let pin = !ids
        .iter()
        .all(|id| plan.asset(id).is_some_and(|a| a.pinned));
    let edits = ids
        .iter()
        .map(|id| Edit::Pin {
            asset: id.clone(),
            pinned: pin,
        })
        .collect();
    edit(state, Edit::Batch(edits))
}

fn preference(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(data) = &state.data else {
        return Vec::new();
    };
    let Some(product) = data
        .shared
        .catalog
        .products()
        .get(state.vendors.products.selected)
    else {
        return Vec::new();
    };
    let id = product.id.clone();
    let mut pref = plan_settings(state).preference;
    let pos = pref.iter().position(|p| *p == id);
    match (action, pos) {
        (Action::TogglePreference, Some(i)) => {
            pref.remove(i);
        }
        (Action::TogglePreference, None) => pref.push(id),
        (Action::PreferenceUp, Some(i)) if i > 0 => pref.swap(i, i - 1),
        (Action::PreferenceDown, Some(i)) if i + 1 < pref.len() => pref.swap(i, i + 1),
        (_, None) => pref.insert(0, id),
        _ => return Vec::new(),
    }
    edit_saying(state, Edit::SetPreference { preference: pref }, |s| {
        let key = s
            .keymap
            .hint(Context::Screen(Screen::Vendors), Action::Replan);
        format!("preference changed: regenerate the plan ({key}) to apply it")
    })
}

fn add_rule(state: &mut State) -> Vec<Effect> {
    let Some(data) = &state.data else {
        return Vec::new();
    };
    let Some(product) = data
        .shared
        .catalog
        .products()
        .get(state.vendors.products.selected)
    else {
        return Vec::new();
    };
    let product = product.id.clone();
    // The rule covers the OS family and kind of the first uncovered (or direct) asset.
    let sample = data
        .shared
        .uncovered
        .get(state.vendors.uncovered_assets.selected)
        .copied()
        .map(|i| &data.shared.inventory.assets()[i as usize]);
    let when = match sample {
        Some(a) => When {
            kind: vec![a.kind],
            os_family: vec![a.os.family],
            ..When::default()
        },
        None => When::default(),
    };
    let mut rules = plan_settings(state).vendor_rules;
    rules.push(VendorRule { when, product });
    state.vendors.rules.selected = rules.len() - 1;
    edit_saying(state, Edit::SetVendorRules { rules }, |s| {
        let key = s
            .keymap
            .hint(Context::Screen(Screen::Vendors), Action::Replan);
        format!("vendor rule added: regenerate the plan ({key}) to apply it")
    })
}

#[cfg(test)]
#[path = "plan_ops_tests.rs"]
mod tests;
