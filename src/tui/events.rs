//! Terminal input (keys, mouse, resize, paste) and job results turned into state changes.

use super::action::Action;
use super::jobs::{Effect, Msg};
use super::keymap::{Context, Key};
use super::layout::{self, Hit};
use super::overlays::{takes_text, type_text};
use super::plan_save::delete_autosave;
use super::state::*;
use super::update::{refresh, switch, update};
use crossterm::event::{Event, KeyCode, KeyEventKind, MouseButton, MouseEventKind};
use strum::VariantArray;

/// Handles one terminal event.
pub fn on_event(state: &mut State, event: &Event) -> Vec<Effect> {
    match event {
        Event::Key(k) if k.kind != KeyEventKind::Release => on_key(state, k),
        Event::Resize(w, h) => {
            state.size = (*w, *h);
            super::update::keep_in_view(state);
            Vec::new()
        }
        // Only the too-small notice is drawn: no typing or clicking into what cannot be seen.
        Event::Paste(_) | Event::Mouse(_) if super::layout::too_small(state.size) => Vec::new(),
        Event::Paste(text) if takes_text(state) => {
            let mut effects = Vec::new();
            for c in text.chars().filter(|c| !c.is_control()).take(500) {
                effects.extend(type_text(state, Some(c)));
            }
            effects
        }
        Event::Mouse(m) => on_mouse(state, m),
        _ => Vec::new(),
    }
}

fn on_key(state: &mut State, k: &crossterm::event::KeyEvent) -> Vec<Effect> {
    if super::layout::too_small(state.size) {
        let key = Key::from_event(k);
        let action = key.and_then(|key| state.keymap.resolve(Context::Global, &key));
        return action.map_or_else(Vec::new, |a| update(state, a));
    }
    if let Some(answer) = super::overlays::confirm_override(state, k) {
        return match answer {
            Some(action) => update(state, action),
            None => {
                let yes = super::overlays::yes_keys(state, top_purpose(state)).join("/");
                state.info(format!(
                    "enter does not answer this question: press {yes} for yes"
                ));
                Vec::new()
            }
        };
    }
    if takes_text(state) {
        let in_filter = state.overlays.is_empty();
        match k.code {
            KeyCode::Char(c)
                if !k
                    .modifiers
                    .contains(crossterm::event::KeyModifiers::CONTROL) =>
            {
                return type_text(state, Some(c));
            }
            KeyCode::Backspace => return type_text(state, None),
            KeyCode::Char('u')
                if k.modifiers
                    .contains(crossterm::event::KeyModifiers::CONTROL) =>
            {
                let mut effects = Vec::new();
                for _ in 0..500 {
                    effects = type_text(state, None);
                }
                return effects;
            }
            KeyCode::Enter if in_filter => {
                state.assets.editing = false;
                return Vec::new();
            }
            KeyCode::Esc if in_filter => {
                state.assets.editing = false;
                state.assets.query.clear();
                return refresh(state);
            }
            _ => {}
        }
    }
    let Some(key) = Key::from_event(k) else {
        return Vec::new();
    };
    match state.keymap.resolve(state.context(), &key) {
        Some(action) => update(state, action),
        None => Vec::new(),
    }
}

fn top_purpose(state: &State) -> &ConfirmPurpose {
    match state.overlays.last() {
        Some(Overlay::Confirm { purpose, .. }) => purpose,
        _ => &ConfirmPurpose::QuitUnsaved,
    }
}

/// Gives the focus to the pane at (x, y) on screens with several scrolling panes.
fn focus_pane_at(state: &mut State, x: u16, y: u16) {
    let inside = |r: ratatui::layout::Rect| x >= r.x && x < r.right() && y >= r.y && y < r.bottom();
    let body = layout::body(state);
    match state.screen {
        Screen::Waves => {
            let board = layout::wave_board(body);
            if inside(layout::wave_list(&board)) {
                state.waves.focus_assets = false;
            } else if inside(board.assets) {
                state.waves.focus_assets = true;
            }
        }
        Screen::Vendors => {
            let [products, rules, uncovered] = layout::vendor_panes(body);
            for (area, pane) in [
                (products, VendorPane::Products),
                (rules, VendorPane::Rules),
                (uncovered, VendorPane::Uncovered),
            ] {
                if inside(area) {
                    state.vendors.pane = pane;
                }
            }
        }
        Screen::Progress => {
            use super::progress_lists::ProgressPane;
            let board = layout::progress_board(body);
            if inside(board.blocked) {
                state.progress.pane = ProgressPane::Blocked;
            } else if inside(board.alerts) {
                state.progress.pane = ProgressPane::Alerts;
            }
        }
        Screen::Dashboard | Screen::Assets | Screen::Dependencies => {}
    }
}

fn on_mouse(state: &mut State, m: &crossterm::event::MouseEvent) -> Vec<Effect> {
    match m.kind {
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            // The wheel scrolls the pane under the pointer, which takes the focus.
            if state.overlays.is_empty() && state.detail.is_empty() {
                focus_pane_at(state, m.column, m.row);
            }
            let down = m.kind == MouseEventKind::ScrollDown;
            update(state, if down { Action::Down } else { Action::Up })
        }
        MouseEventKind::Down(MouseButton::Left) if state.overlays.is_empty() => {
            match layout::hit(state, m.column, m.row) {
                Some(Hit::Tab(i)) => {
                    switch(state, Screen::VARIANTS[i]);
                    Vec::new()
                }
                Some(Hit::AssetRow(r)) => {
                    let body = state.body_rows();
                    let a = &mut state.assets;
                    if r < a.rows.len() {
                        if a.window.selected == r {
                            return update(state, Action::Open);
                        }
                        let len = a.rows.len();
                        a.window.select(r, len, body);
                    }
                    Vec::new()
                }
                Some(Hit::Wave(w)) => {
                    let waves = state
                        .data
                        .as_ref()
                        .and_then(|d| d.plan.as_ref())
                        .map_or(0, |p| p.waves.len());
                    if w >= waves {
                        return Vec::new();
                    }
                    state.waves.list.selected = w;
                    state.waves.focus_assets = false;
                    state.waves.members.reset();
                    Vec::new()
                }
                Some(Hit::WaveAsset(r)) => {
                    let members = state.data.as_ref().map_or(0, |d| {
                        super::lists::wave_assets(d, state.waves.list.selected).len()
                    });
                    if r >= members {
                        return Vec::new();
                    }
                    state.waves.focus_assets = true;
                    state.waves.members.selected = r;
                    Vec::new()
                }
                Some(Hit::ProgressRow(pane, r)) => click_progress_row(state, pane, r),
                Some(Hit::ProgressPane(pane)) => {
                    state.progress.pane = pane;
                    Vec::new()
                }
                None => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

/// A click on entry `r` of a progress list: focuses the pane and selects the entry; on the
/// entry already selected in the focused pane it opens the asset, as Enter does.
fn click_progress_row(
    state: &mut State,
    pane: super::progress_lists::ProgressPane,
    r: usize,
) -> Vec<Effect> {
    let len = state
        .data
        .as_ref()
        .map_or(0, |d| super::progress_lists::len(d, pane));
    let was_focused = state.progress.pane == pane;
    state.progress.pane = pane;
    if r >= len {
        return Vec::new();
    }
    let (area, _) = layout::progress_pane(state, pane);
    let window = state.progress.focused_mut();
    if was_focused && window.selected == r {
        return update(state, Action::Open);
    }
    window.select(r, len, layout::progress_list_rows(area));
    Vec::new()
}

/// Applies a job result.
pub fn on_msg(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Progress(stage, ratio) => {
            if let Some(l) = state.loading.as_mut() {
                l.stage = stage;
                l.ratio = ratio.clamp(0.0, 1.0);
            }
            Vec::new()
        }
        Msg::LoadFailed(e) => {
            state.loading = None;
            let e = crate::model::text::clean(&e);
            // A file opened from inside the app that cannot be read leaves the workspace open.
            if state.data.is_some() {
                state.error(format!("not opened: {e}"));
            } else {
                state.load_error = Some(e);
            }
            Vec::new()
        }
        Msg::InventoryMissing(missing) => {
            super::locate::ask(state, missing);
            Vec::new()
        }
        Msg::Loaded(data, restore) => {
            state.loading = None;
            // Selections and previews point into the previous workspace.
            state.reset_views();
            let warnings = crate::error::warning_total(&data.shared.warnings);
            state.data = Some(*data);
            state.undo.clear();
            state.redo.clear();
            // Results of jobs on the previous workspace no longer apply: a replan still running
            // is stopped.
            let cancel = super::replan::cancel_replan(state);
            state.validating = 0;
            state.dirty = false;
            state.saved_at = Some(0);
            state.info(if warnings > 0 {
                format!("loaded with {warnings} warning(s); see the dashboard")
            } else {
                "loaded".to_string()
            });
            super::locate::loaded(state);
            if let Some(path) = restore {
                let which = if state.data.as_ref().is_some_and(|d| d.plan_path.is_some()) {
                    "An autosaved version of this plan, newer than the file, was found"
                } else {
                    "An unsaved plan for this inventory from an earlier session was found"
                };
                state.overlays.push(Overlay::Confirm {
                    question: format!("{which} ({}). Restore it?", path.display()),
                    purpose: ConfirmPurpose::RestoreAutosave(path),
                });
            }
            if state.deps.root.is_none() {
                state.deps.root = state.data.as_ref().and_then(|d| {
                    d.shared
                        .analysis
                        .top_providers(1)
                        .first()
                        .map(|(i, _)| *i as u32)
                });
            }
            let mut effects = refresh(state);
            effects.extend(cancel);
            effects
        }
        Msg::Refreshed(generation, rows) => {
            if generation == state.assets.requested {
                let body = state.body_rows();
                let a = &mut state.assets;
                let keep = a.rows.get(a.window.selected).copied();
                a.rows = rows;
                a.shown = generation;
                if let Some(k) = keep
                    && let Some(pos) = a.rows.iter().position(|&r| r == k)
                {
                    a.window.selected = pos;
                }
                let len = a.rows.len();
                a.window.keep(len, body);
            }
            Vec::new()
        }
        Msg::Validated(generation, problems, summary, copy) => {
            let mut again = false;
            if generation == state.validating
                && let Some(d) = state.data.as_mut()
            {
                if let Some(copy) = copy {
                    d.validation.made(*copy);
                }
                again = std::mem::take(&mut d.validation.again);
                d.problems = problems;
                if d.plan.is_some() {
                    d.summary = Some(*summary);
                }
                if std::mem::take(&mut state.announce_plan) {
                    let (violations, warnings) = d.problem_counts();
                    let text = format!(
                        "plan ready: {violations} violation(s), {warnings} warning(s) (see the \
                         dashboard's Problems)"
                    );
                    match violations {
                        0 => state.info(text),
                        _ => state.error(text),
                    }
                }
                super::problem_lists::keep(state);
            }
            if again {
                // The plan changed while this validation ran.
                return super::plan_ops::validate(state);
            }
            Vec::new()
        }
        Msg::Replanned(generation, scheduled, rows) => {
            // Edits are allowed again; the plan (or the form's preview) takes the result.
            if !super::replan::finish(state, generation) {
                return Vec::new();
            }
            match super::settings_form::preview_ready(state, generation, scheduled, rows) {
                Some((scheduled, rows)) => super::replan::take_scheduled(state, *scheduled, rows),
                None => Vec::new(),
            }
        }
        // Esc already said so; a replan cancelled otherwise must not leave the app waiting.
        Msg::ReplanCancelled(generation) => {
            if super::replan::finish(state, generation) {
                state.info("planning cancelled; the plan is unchanged");
            }
            Vec::new()
        }
        Msg::Saved(path, hash, plan) => {
            // The autosave copy was kept under the plan's previous path (or as the unsaved
            // plan's); the new path's copy, if any, is stale too.
            let mut effects = delete_autosave(state);
            if let Some(d) = state.data.as_mut() {
                d.plan_path = Some(path.clone());
                d.disk_hash = Some(hash);
                d.on_disk = Some(plan);
            }
            state.dirty = false;
            state.saved_at = Some(state.undo.len());
            state.info(format!("saved {}", path.display()));
            effects.extend(delete_autosave(state));
            effects
        }
        Msg::SaveConflict(path) => super::disk_merge::conflict(state, path),
        Msg::SaveFailed(e) => {
            state.error(format!("save failed: {e}"));
            Vec::new()
        }
        Msg::AutosaveRead(read) => super::overlays::restore_autosave(state, read),
        Msg::InventoryHashed(path, hash) => super::locate::hashed(state, path, hash),
        Msg::ExportRendered(generation, result) => {
            super::export_screen::rendered(state, generation, result);
            Vec::new()
        }
        Msg::MergedDisk(generation, result) => super::disk_merge::merged(state, generation, result),
        Msg::Reconciled(generation, result) => {
            super::file_actions::reconciled(state, generation, result)
        }
        Msg::ExportWritten(result) => {
            super::export_screen::written(state, result);
            Vec::new()
        }
        Msg::ConfigNotSaved(e) => {
            state.error(format!("settings not kept: {e}"));
            Vec::new()
        }
    }
}
