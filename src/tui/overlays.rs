//! Overlays get the keys first: help, pickers (and the palette), confirmations, prompts.

use super::action::Action;
use super::jobs::Effect;
use super::plan_ops::{changed, edit};
use super::plan_save::save;
use super::state::*;
use super::update::{refresh, update};
use crate::analysis::Reliance;
use crate::model::Named;
use crate::model::{AssetKind, Date};
use crate::plan::products::decision_need;
use crate::plan::{Edit, Status};
use std::path::PathBuf;
use strum::VariantArray;

/// Handles an action while an overlay is on top.
pub fn update_overlay(state: &mut State, top: Overlay, action: Action) -> Vec<Effect> {
    match top {
        Overlay::Help { scroll } | Overlay::Log { scroll } => {
            let last = match top {
                Overlay::Help { .. } => {
                    let (w, h) = state.size;
                    let r = super::layout::help(ratatui::layout::Rect::new(0, 0, w, h));
                    let rows = super::lists::help_rows(state, r.width.saturating_sub(2) as usize);
                    rows.len()
                        .saturating_sub(r.height.saturating_sub(2) as usize)
                }
                _ => state.messages.len().saturating_sub(1),
            };
            let scroll = match action {
                Action::Up => scroll.saturating_sub(1),
                Action::Down => scroll + 1,
                Action::PageUp => scroll.saturating_sub(state.body_rows()),
                Action::PageDown => scroll + state.body_rows(),
                Action::Top => 0,
                Action::Bottom => last,
                Action::Back | Action::Help | Action::Quit | Action::MessageLog => {
                    state.overlays.pop();
                    return Vec::new();
                }
                _ => scroll,
            };
            if let Some(Overlay::Help { scroll: s } | Overlay::Log { scroll: s }) =
                state.overlays.last_mut()
            {
                *s = scroll.min(last);
            }
            Vec::new()
        }
        Overlay::Picker(p) => picker(state, p, action),
        Overlay::Confirm { purpose, .. } => match action {
            Action::Confirm => {
                state.overlays.pop();
                confirmed(state, purpose)
            }
            Action::Deny | Action::Back => {
                state.overlays.pop();
                Vec::new()
            }
            _ => Vec::new(),
        },
        Overlay::Settings(form) => settings_form_action(state, &form, action),
        Overlay::Export(view) => super::export_screen::action(state, &view, action),
        Overlay::Prompt { input, purpose, .. } => match action {
            Action::Open => submit_prompt(state, &input, purpose),
            Action::Back => {
                state.overlays.pop();
                Vec::new()
            }
            _ => Vec::new(),
        },
    }
}

/// Keys in the plan settings form: move between fields, choose, preview and apply, close.
fn settings_form_action(
    state: &mut State,
    form: &super::settings_form::SettingsForm,
    action: Action,
) -> Vec<Effect> {
    use super::settings_form::{Field, close, submit};
    let n = Field::VARIANTS.len();
    fn top(state: &mut State) -> Option<&mut super::settings_form::SettingsForm> {
        match state.overlays.last_mut() {
            Some(Overlay::Settings(f)) => Some(f.as_mut()),
            _ => None,
        }
    }
    match action {
        Action::Back => return close(state, form),
        Action::Open => return submit(state, form),
        Action::Up | Action::Down => {
            if let Some(f) = top(state) {
                f.selected = if action == Action::Up {
                    (f.selected + n - 1) % n
                } else {
                    (f.selected + 1) % n
                };
            }
        }
        Action::Left | Action::Right => {
            return form_changed(state, |f| f.cycle(action == Action::Right));
        }
        _ => {}
    }
    Vec::new()
}

/// Changes the settings form on top: a preview it had is dropped, and one being planned is
/// stopped (its plan must never be put in place for values the form no longer shows).
fn form_changed(
    state: &mut State,
    change: impl FnOnce(&mut super::settings_form::SettingsForm),
) -> Vec<Effect> {
    use super::settings_form::Preview;
    let Some(Overlay::Settings(form)) = state.overlays.last_mut() else {
        return Vec::new();
    };
    let was_planning = matches!(form.preview, Preview::Planning(_));
    change(form);
    if form.preview != Preview::Stale {
        return Vec::new();
    }
    state.settings_preview = None;
    if was_planning {
        super::replan::cancel_replan(state)
    } else {
        Vec::new()
    }
}

/// True for questions whose "yes" loses work (quit without saving, overwrite a file): Enter
/// never answers them, only an explicit key does.
pub(crate) fn destructive(purpose: &ConfirmPurpose) -> bool {
    matches!(
        purpose,
        ConfirmPurpose::QuitUnsaved
            | ConfirmPurpose::OverwriteForeign(_)
            | ConfirmPurpose::OpenDiscarding(_)
    )
}

/// The keys that answer "yes" to a question: for a destructive one every binding but Enter
/// (or `y` when Enter is the only one).
pub(crate) fn yes_keys(state: &State, purpose: &ConfirmPurpose) -> Vec<String> {
    let keys = state
        .keymap
        .keys_for(super::keymap::Context::Confirm, Action::Confirm);
    if !destructive(purpose) {
        return keys;
    }
    let keys: Vec<String> = keys.into_iter().filter(|k| k != "enter").collect();
    if keys.is_empty() {
        vec!["y".to_string()]
    } else {
        keys
    }
}

/// The action a key press stands for while a question is on top, when it differs from the
/// keymap's: Enter does nothing on a destructive question, and `y` answers one whose only
/// "yes" binding is Enter.
pub(crate) fn confirm_override(
    state: &State,
    key: &crossterm::event::KeyEvent,
) -> Option<Option<Action>> {
    use crossterm::event::{KeyCode, KeyModifiers};
    let Some(Overlay::Confirm { purpose, .. }) = state.overlays.last() else {
        return None;
    };
    if !destructive(purpose) || !key.modifiers.difference(KeyModifiers::SHIFT).is_empty() {
        return None;
    }
    match key.code {
        KeyCode::Enter => Some(None),
        KeyCode::Char('y') if yes_keys(state, purpose) == ["y"] => Some(Some(Action::Confirm)),
        _ => None,
    }
}

/// While the terminal is too small to draw anything but a notice, nothing may happen blind:
/// only quitting without unsaved changes works (no question could be seen and answered).
pub(crate) fn while_too_small(state: &mut State, action: Action) -> Vec<Effect> {
    if action == Action::Quit && !state.dirty {
        state.overlays.clear();
        state.quit = true;
        return super::plan_save::delete_autosave(state);
    }
    Vec::new()
}

/// Typed text for the overlay on top (or the assets filter): a character or backspace.
pub fn type_text(state: &mut State, c: Option<char>) -> Vec<Effect> {
    match state.overlays.last_mut() {
        Some(Overlay::Picker(p)) => {
            edit_text(&mut p.query, c);
            p.selected = 0;
            Vec::new()
        }
        Some(Overlay::Prompt { input, error, .. }) => {
            edit_text(input, c);
            *error = None;
            Vec::new()
        }
        Some(Overlay::Export(view)) => {
            super::export_screen::type_text(view, c);
            Vec::new()
        }
        Some(Overlay::Settings(_)) => form_changed(state, |f| f.type_char(c)),
        Some(_) => Vec::new(),
        None if state.assets.editing => {
            edit_text(&mut state.assets.query, c);
            state.assets.window.reset();
            refresh(state)
        }
        None => Vec::new(),
    }
}

/// True when typed characters go to a text field rather than to the keymap.
pub fn takes_text(state: &State) -> bool {
    match state.overlays.last() {
        Some(
            Overlay::Picker(_) | Overlay::Prompt { .. } | Overlay::Settings(_) | Overlay::Export(_),
        ) => true,
        Some(_) => false,
        None => state.assets.editing && state.screen == Screen::Assets && state.detail.is_empty(),
    }
}

fn edit_text(text: &mut String, c: Option<char>) {
    match c {
        Some(c) if !c.is_control() => text.push(c),
        Some(_) => {}
        None => {
            text.pop();
        }
    }
}

fn picker(state: &mut State, p: Picker, action: Action) -> Vec<Effect> {
    let n = p.matching().len();
    let set_selected = |state: &mut State, sel: usize| {
        if let Some(Overlay::Picker(p)) = state.overlays.last_mut() {
            p.selected = sel;
        }
    };
    match action {
        Action::Up => set_selected(state, p.selected.saturating_sub(1)),
        Action::Down => set_selected(state, (p.selected + 1).min(n.saturating_sub(1))),
        Action::PageUp => set_selected(state, p.selected.saturating_sub(10)),
        Action::PageDown => set_selected(state, (p.selected + 10).min(n.saturating_sub(1))),
        Action::Back => {
            state.overlays.pop();
        }
        Action::Open => {
            let Some((value, _)) = p.matching().get(p.selected).map(|x| (*x).clone()) else {
                return Vec::new();
            };
            state.overlays.pop();
            return chosen(state, p.purpose, &value);
        }
        _ => {}
    }
    Vec::new()
}

fn chosen(state: &mut State, purpose: PickPurpose, value: &str) -> Vec<Effect> {
    match purpose {
        PickPurpose::Export => super::export_screen::chosen(state, value),
        PickPurpose::SaveConflict(path) => super::disk_merge::chosen(state, path, value),
        PickPurpose::Action => match Action::from_name(value) {
            Some(a) => update(state, a),
            None => Vec::new(),
        },
        PickPurpose::MoveToWave(ids) => {
            let edits = ids
                .into_iter()
                .map(|asset| Edit::Move {
                    asset,
                    wave: value.to_string(),
                })
                .collect();
            edit(state, Edit::Batch(edits))
        }
        PickPurpose::SetProduct(ids) => {
            let refused = state.data.as_ref().and_then(|d| {
                let positions = super::pickers::positions_of(d, &ids);
                super::product_picker::refusal(d, &positions, value)
            });
            if let Some(why) = refused {
                state.error(why);
                return Vec::new();
            }
            // One context for all targets: the detector and caches are built once.
            let ctx = state.data.as_ref().map(|d| d.shared.plan_context());
            let plan = state.data.as_ref().and_then(|d| d.plan.as_ref());
            let edits: Vec<Edit> = ids
                .into_iter()
                .map(|asset| Edit::SetProduct {
                    needs_decision: ctx
                        .as_ref()
                        .zip(plan.and_then(|p| p.asset(&asset)))
                        .and_then(|(ctx, pa)| decision_need(ctx, pa, Some(value))),
                    asset,
                    product: Some(value.to_string()),
                })
                .collect();
            edit(state, Edit::Batch(edits))
        }
        PickPurpose::SetStatus(ids) => {
            let Some(status) = Status::from_name(value) else {
                return Vec::new();
            };
            let unscanned = status == Status::Migrated
                && ids.iter().any(|id| {
                    state
                        .data
                        .as_ref()
                        .and_then(|d| d.plan.as_ref())
                        .and_then(|p| p.asset(id))
                        .is_some_and(|a| crate::plan::edit::needs_note(a.status, status))
                });
            if unscanned {
                state.overlays.push(Overlay::Prompt {
                    title: "Migrated without a scan: how was it checked?".into(),
                    input: String::new(),
                    purpose: PromptPurpose::StatusReason(status, ids),
                    error: None,
                });
                return Vec::new();
            }
            if matches!(status, Status::Blocked | Status::Excluded) {
                state.overlays.push(Overlay::Prompt {
                    title: format!("Reason for {status}"),
                    input: String::new(),
                    purpose: PromptPurpose::StatusReason(status, ids),
                    error: None,
                });
                return Vec::new();
            }
            set_status(state, status, ids, None)
        }
        PickPurpose::Decide(ids) => super::decide::start(state, value, ids),
        PickPurpose::FacetKind => {
            let Some(kind) = FacetKind::VARIANTS
                .iter()
                .copied()
                .find(|f| f.name() == value)
            else {
                return Vec::new();
            };
            let items = facet_values(state, kind);
            state.overlays.push(Overlay::Picker(Picker::new(
                format!("Only {}", kind.name()),
                items,
                PickPurpose::FacetValue(kind),
            )));
            Vec::new()
        }
        PickPurpose::FacetValue(kind) => {
            let f = &mut state.assets.facets;
            let any = value == "*";
            match kind {
                FacetKind::Reliance => {
                    f.reliance = Reliance::VARIANTS
                        .iter()
                        .copied()
                        .find(|r| r.as_str() == value)
                }
                FacetKind::Site => f.site = (!any).then(|| value.to_string()),
                FacetKind::Kind => f.kind = AssetKind::from_name(value).filter(|_| !any),
                FacetKind::Wave => f.wave = (!any).then(|| value.to_string()),
                FacetKind::Status => f.status = Status::from_name(value),
                FacetKind::Tag => f.tag = (!any).then(|| value.to_string()),
            }
            state.assets.window.reset();
            refresh(state)
        }
    }
}

fn set_status(
    state: &mut State,
    status: Status,
    ids: Vec<String>,
    reason: Option<String>,
) -> Vec<Effect> {
    let edits = ids
        .into_iter()
        .map(|asset| Edit::SetStatus {
            asset,
            status,
            reason: reason.clone(),
            approver: None,
            review: None,
        })
        .collect();
    edit(state, Edit::Batch(edits))
}

/// The values a facet can take in this estate, "*" (any) first.
fn facet_values(state: &State, kind: FacetKind) -> Vec<(String, String)> {
    let mut items = vec![("*".to_string(), "(any)".to_string())];
    let Some(data) = &state.data else {
        return items;
    };
    let inv = data.shared.inventory.assets();
    let mut values: Vec<String> = match kind {
        FacetKind::Reliance => Reliance::VARIANTS
            .iter()
            .map(|r| r.as_str().to_string())
            .collect(),
        // The kinds the inventory has, with how many: logical CIs marked as such.
        FacetKind::Kind => {
            let kinds = AssetKind::VARIANTS.iter().filter_map(|&k| {
                let n = inv.iter().filter(|a| a.kind == k).count();
                let logical = if k.is_logical() { ", logical CI" } else { "" };
                (n > 0).then(|| (k.as_str().to_string(), format!("{k} ({n}{logical})")))
            });
            items.extend(kinds);
            Vec::new()
        }
        FacetKind::Status => Status::VARIANTS
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
        FacetKind::Wave => {
            let mut v: Vec<String> = data
                .plan
                .as_ref()
                .map(|p| p.waves.iter().map(|w| w.id.clone()).collect())
                .unwrap_or_default();
            v.push("-".into());
            v
        }
        FacetKind::Site => {
            let mut v: Vec<String> = inv
                .iter()
                .filter_map(|a| a.site().map(|t| t.as_str()).map(String::from))
                .collect();
            v.sort();
            v.dedup();
            v
        }
        FacetKind::Tag => {
            let mut v: Vec<String> = inv
                .iter()
                .flat_map(|a| a.tags().map(|t| t.to_string()))
                .collect();
            v.sort();
            v.dedup();
            v
        }
    };
    items.extend(values.drain(..).map(|v| (v.clone(), v)));
    items
}

fn confirmed(state: &mut State, purpose: ConfirmPurpose) -> Vec<Effect> {
    match purpose {
        ConfirmPurpose::QuitUnsaved => {
            state.quit = true;
            // The user chose to lose the changes: an autosave would offer them back next time.
            super::plan_save::delete_autosave(state)
        }
        ConfirmPurpose::OverwriteForeign(path) => save(state, Some(path), true),
        ConfirmPurpose::OpenDiscarding(path) => super::file_actions::open(state, path),
        ConfirmPurpose::Replan => {
            // Same as generating, but with the current plan as the previous one.
            let Some(data) = &state.data else {
                return Vec::new();
            };
            let Some(plan) = &data.plan else {
                return Vec::new();
            };
            let shared = std::sync::Arc::clone(&data.shared);
            let previous = std::sync::Arc::clone(plan);
            super::replan::start_replan(
                state,
                shared,
                previous,
                "regenerating… (Esc cancels)".into(),
            )
        }
        // Read by a worker: `restore_autosave` takes it from there.
        ConfirmPurpose::RestoreAutosave(path) => vec![Effect::ReadAutosave(path)],
    }
}

/// Puts the autosaved plan the user chose to restore in place (undoable when it replaces one).
pub(crate) fn restore_autosave(
    state: &mut State,
    read: Result<Box<crate::plan::Plan>, String>,
) -> Vec<Effect> {
    let plan = match read {
        Ok(plan) => std::sync::Arc::new(*plan),
        Err(e) => {
            state.error(e);
            return Vec::new();
        }
    };
    state.info("autosaved plan restored (not saved yet)");
    match state.data.as_mut() {
        Some(d) if d.plan.is_some() => edit(state, Edit::ReplacePlan(plan)),
        // A plan that was never saved: there is nothing to replace (and to undo).
        Some(d) => {
            d.plan = Some(plan);
            changed(state)
        }
        None => Vec::new(),
    }
}

fn submit_prompt(state: &mut State, input: &str, purpose: PromptPurpose) -> Vec<Effect> {
    let refuse = |state: &mut State, msg: String| {
        if let Some(Overlay::Prompt { error, .. }) = state.overlays.last_mut() {
            *error = Some(msg);
        }
        Vec::new()
    };
    let input = input.trim();
    match purpose {
        PromptPurpose::SavePath => {
            if input.is_empty() {
                return refuse(state, "give a file name, e.g. plans/rollout.toml".into());
            }
            state.overlays.pop();
            save(state, Some(PathBuf::from(input)), false)
        }
        PromptPurpose::RenameWave(wave) => {
            if input.is_empty() {
                return refuse(state, "a wave needs a name".into());
            }
            state.overlays.pop();
            edit(
                state,
                Edit::RenameWave {
                    wave,
                    name: input.to_string(),
                },
            )
        }
        PromptPurpose::WaveDates(wave) => {
            let parsed = input.split_once("..").and_then(|(a, b)| {
                Some((
                    a.trim().parse::<Date>().ok()?,
                    b.trim().parse::<Date>().ok()?,
                ))
            });
            match parsed {
                Some((start, end)) if start <= end => {
                    state.overlays.pop();
                    edit(state, Edit::SetWaveDates { wave, start, end })
                }
                Some(_) => refuse(state, "the end is before the start".into()),
                None => refuse(state, "expected YYYY-MM-DD..YYYY-MM-DD".into()),
            }
        }
        PromptPurpose::Decision(draft) => super::decide::submit(state, input, draft),
        PromptPurpose::LocateInventory(warned) => super::locate::submit(state, input, warned),
        PromptPurpose::OpenFile => super::file_actions::submit_open(state, input),
        PromptPurpose::ReconcileScan => super::file_actions::submit_scan(state, input),
        PromptPurpose::UserName(pending) => {
            if input.trim().is_empty() {
                return refuse(state, "the history needs a name (or initials)".into());
            }
            state.overlays.pop();
            super::plan_ops::user_named(state, input, pending)
        }
        PromptPurpose::StatusReason(status, ids) => {
            if input.is_empty() {
                return refuse(state, format!("{status} needs a reason or note"));
            }
            state.overlays.pop();
            set_status(state, status, ids, Some(input.to_string()))
        }
    }
}
