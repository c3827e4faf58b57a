//! `update(state, action)`: the only place the TUI state changes in response to the user.
//! Pure apart from returning effects for the runtime to run.

use super::action::Action;
use super::jobs::{Effect, ViewQuery};
use super::lists::{dep_lines, detail_links, selected_asset, wave_assets};
use super::plan_ops;
use super::progress_lists::ProgressPane;
use super::state::*;
use strum::VariantArray;

/// Applies one action; returns the work it starts.
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    if super::layout::too_small(state.size) {
        return super::overlays::while_too_small(state, action);
    }
    if let Some(top) = state.overlays.last().cloned() {
        return super::overlays::update_overlay(state, top, action);
    }
    // While another file is read, the workspace shown is about to go: nothing may change it.
    if state.loading.is_some()
        && state.data.is_some()
        && !matches!(action, Action::Quit | Action::Help | Action::MessageLog)
    {
        state.info("opening a file… wait for it");
        return Vec::new();
    }
    match action {
        Action::Quit => return quit(state),
        Action::Help => state.overlays.push(Overlay::Help { scroll: 0 }),
        Action::MessageLog => {
            state.messages.mark_read();
            state.overlays.push(Overlay::Log { scroll: 0 });
        }
        Action::Palette => {
            let picker = palette(state);
            state.overlays.push(Overlay::Picker(picker));
        }
        Action::Back => return back(state),
        Action::CycleTheme => {
            state.theme = state.theme.next();
            state.info(format!(
                "theme: {} (kept for next time)",
                state.theme.as_str()
            ));
            return vec![Effect::SaveConfig(super::user_config::UserConfig {
                theme: Some(state.theme),
                user: None,
            })];
        }
        Action::SetUserName => super::plan_ops::ask_user_name(state, None),
        Action::OpenFile => return super::file_actions::ask_open(state),
        Action::NextTab | Action::PrevTab => {
            let n = Screen::VARIANTS.len();
            let i = state.screen.index();
            let next = if action == Action::NextTab {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            switch(state, Screen::VARIANTS[next]);
        }
        Action::ShowDashboard => switch(state, Screen::Dashboard),
        Action::ShowAssets => switch(state, Screen::Assets),
        Action::ShowDependencies => switch(state, Screen::Dependencies),
        Action::ShowWaves => switch(state, Screen::Waves),
        Action::ShowVendors => switch(state, Screen::Vendors),
        Action::ShowProgress => switch(state, Screen::Progress),
        Action::Up => move_by(state, -1),
        Action::Down => move_by(state, 1),
        Action::PageUp => move_by(state, -(state.body_rows() as i64)),
        Action::PageDown => move_by(state, state.body_rows() as i64),
        Action::Top => move_by(state, i64::MIN / 2),
        Action::Bottom => move_by(state, i64::MAX / 2),
        Action::Left => left_right(state, false),
        Action::Right => left_right(state, true),
        Action::Open => open(state),
        Action::ToggleMark => toggle_mark(state),
        Action::MarkAll => {
            let rows = state.assets.rows.clone();
            state.assets.marked.extend(rows);
            state.info(format!("{} marked", state.assets.marked.len()));
        }
        Action::ClearMarks => {
            state.assets.marked.clear();
            state.info("marks cleared");
        }
        Action::Filter => {
            if state.screen == Screen::Assets {
                state.assets.editing = true;
            }
        }
        Action::FacetFilter => {
            if state.screen == Screen::Assets {
                state.overlays.push(Overlay::Picker(Picker::new(
                    "Filter by",
                    FacetKind::VARIANTS
                        .iter()
                        .map(|f| (f.name().to_string(), f.name().to_string()))
                        .collect(),
                    PickPurpose::FacetKind,
                )));
            }
        }
        Action::ClearFilters => {
            state.assets.query.clear();
            state.assets.facets = Facets::default();
            return refresh(state);
        }
        Action::SortNext => {
            state.assets.sort = state.assets.sort.next();
            return refresh(state);
        }
        Action::SortReverse => {
            state.assets.descending = !state.assets.descending;
            return refresh(state);
        }
        Action::SetRoot | Action::ShowDependenciesOf => {
            if let Some(a) = selected_asset(state) {
                state.detail.clear();
                state.deps = DepsView {
                    root: Some(a),
                    ..DepsView::default()
                };
                state.screen = Screen::Dependencies;
            }
        }
        Action::Confirm | Action::Deny => {}
        _ => return plan_ops::update_plan(state, action),
    }
    Vec::new()
}

fn quit(state: &mut State) -> Vec<Effect> {
    if state.dirty {
        state.overlays.push(Overlay::Confirm {
            question: "The plan has unsaved changes. Quit anyway and lose them?".into(),
            purpose: ConfirmPurpose::QuitUnsaved,
        });
        Vec::new()
    } else {
        state.quit = true;
        super::plan_save::delete_autosave(state)
    }
}

/// The command palette: every action by what it does, with its keys where the palette was
/// opened; moving the cursor and answering questions are left out (they act on the palette).
fn palette(state: &State) -> Picker {
    let ctx = state.context();
    let items = Action::VARIANTS
        .iter()
        .filter(|a| a.category() != "Move" || **a == Action::Open)
        .filter(|a| !matches!(a, Action::Confirm | Action::Deny | Action::Back))
        .map(|a| {
            let mut keys = state.keymap.keys_for(ctx, *a);
            if keys.is_empty() {
                keys = state.keymap.keys_for(super::keymap::Context::Global, *a);
            }
            let keys = keys.first().map_or(String::new(), |k| format!("  [{k}]"));
            (
                a.name().to_string(),
                format!("{}: {}{keys}", a.category(), a.desc()),
            )
        })
        .collect();
    Picker::new("Command palette", items, PickPurpose::Action)
}

fn back(state: &mut State) -> Vec<Effect> {
    if state.detail.pop().is_some() {
        return Vec::new();
    }
    if state.replan_pending() {
        // The worker stops at its next check; anything it still sends arrives under a
        // generation nobody waits for and is dropped.
        let what = if state.plan_job.is_some() {
            "planning cancelled"
        } else {
            "cancelled"
        };
        let effects = super::replan::cancel_replan(state);
        state.info(format!("{what}; the plan is unchanged"));
        return effects;
    }
    if state.screen == Screen::Assets && !state.assets.marked.is_empty() {
        state.assets.marked.clear();
        state.info("marks cleared");
    }
    Vec::new()
}

/// Switches the tab (closing any detail).
pub fn switch(state: &mut State, screen: Screen) {
    state.detail.clear();
    state.screen = screen;
    if screen == Screen::Dependencies && state.deps.root.is_none() {
        state.deps.root = first_provider(state);
    }
}

fn first_provider(state: &State) -> Option<u32> {
    let data = state.data.as_ref()?;
    data.shared
        .analysis
        .top_providers(1)
        .first()
        .map(|(i, _)| *i as u32)
        .or(if data.shared.inventory.is_empty() {
            None
        } else {
            Some(0)
        })
}

/// Length of the list the cursor moves in.
fn list_len(state: &State) -> usize {
    let Some(data) = &state.data else {
        return 0;
    };
    if let Some(d) = state.detail.last() {
        return detail_links(data, d.asset).len();
    }
    match state.screen {
        Screen::Dashboard => 0,
        Screen::Progress => super::progress_lists::len(data, state.progress.pane),
        Screen::Assets => state.assets.rows.len(),
        Screen::Dependencies => dep_lines(data, &state.deps, usize::MAX / 4).len(),
        Screen::Waves => {
            if state.waves.focus_assets {
                wave_assets(data, state.waves.list.selected).len()
            } else {
                data.plan.as_ref().map_or(0, |p| p.waves.len())
            }
        }
        Screen::Vendors => match state.vendors.pane {
            VendorPane::Products => data.shared.catalog.products().len(),
            VendorPane::Rules => data
                .plan
                .as_ref()
                .map_or(0, |p| p.settings.vendor_rules.len()),
            VendorPane::Uncovered => data.shared.uncovered.len(),
        },
    }
}

/// Rows of the wave board's asset list as drawn.
pub fn wave_rows(state: &State) -> usize {
    (super::layout::wave_board(super::layout::body(state))
        .assets
        .height as usize)
        .max(1)
}

/// Keeps every selection on an item of its list and inside its window (after a resize, or a
/// plan change that shrinks a wave).
pub fn keep_in_view(state: &mut State) {
    let rows = state.body_rows();
    let wave_rows = wave_rows(state);
    let members = state
        .data
        .as_ref()
        .map_or(0, |d| wave_assets(d, state.waves.list.selected).len());
    let assets = state.assets.rows.len();
    state.assets.window.keep(assets, rows);
    // The tree's length is only known while it is drawn: its selection just stays in view.
    let deps = &mut state.deps.window;
    deps.offset = deps.offset.min(deps.selected);
    deps.scroll_into_view(rows);
    state.waves.members.keep(members, wave_rows);
    super::problem_lists::keep(state);
    state.waves.list.offset = super::layout::wave_list_offset(state);
    if let Some(data) = &state.data {
        use super::progress_lists::len;
        let (blocked, alerts) = super::layout::progress_rows(state);
        let (nb, na) = (
            len(data, ProgressPane::Blocked),
            len(data, ProgressPane::Alerts),
        );
        state.progress.blocked.keep(nb, blocked);
        state.progress.alerts.keep(na, alerts);
    }
    if !state.detail.is_empty() {
        let max = super::detail_text::max_scroll(state);
        if let Some(d) = state.detail.last_mut() {
            d.scroll = d.scroll.min(max);
        }
    }
}

fn move_by(state: &mut State, delta: i64) {
    let len = list_len(state);
    let rows = state.body_rows();
    let wave_rows = wave_rows(state);
    let list_rows = super::layout::wave_list_rows(state);
    let max_scroll = if state.detail.is_empty() {
        0
    } else {
        super::detail_text::max_scroll(state)
    };
    if let Some(d) = state.detail.last_mut() {
        // Page keys scroll the detail text (no further than its end); single steps move
        // through the links.
        if delta.unsigned_abs() > 1 {
            let target = match delta {
                // Top and Bottom.
                _ if delta <= i64::MIN / 4 => 0,
                _ if delta >= i64::MAX / 4 => max_scroll as i64,
                _ => d.scroll as i64 + (rows / 2).max(1) as i64 * delta.signum(),
            };
            d.scroll = target.clamp(0, max_scroll as i64) as usize;
        } else {
            d.selected = (d.selected as i64)
                .saturating_add(delta)
                .clamp(0, len.saturating_sub(1) as i64) as usize;
        }
        return;
    }
    if super::problem_lists::focused(state) {
        return super::problem_lists::move_by(state, delta);
    }
    match state.screen {
        Screen::Dashboard => {}
        Screen::Progress => {
            let (blocked, alerts) = super::layout::progress_rows(state);
            let rows = match state.progress.pane {
                ProgressPane::Blocked => blocked,
                ProgressPane::Alerts => alerts,
            };
            state.progress.focused_mut().move_by(delta, len, rows);
        }
        Screen::Assets => {
            state.assets.window.move_by(delta, len, rows);
        }
        Screen::Dependencies => {
            state.deps.window.move_by(delta, len, rows);
        }
        Screen::Waves => {
            let w = &mut state.waves;
            if w.focus_assets {
                w.members.move_by(delta, len, wave_rows);
            } else {
                w.list.move_by(delta, len, list_rows);
                w.members.reset();
                state.waves.list.offset = super::layout::wave_list_offset(state);
            }
        }
        Screen::Vendors => {
            let [products, rules, uncovered] = super::layout::vendor_rows(state);
            let v = &mut state.vendors;
            let (window, rows) = match v.pane {
                VendorPane::Products => (&mut v.products, products),
                VendorPane::Rules => (&mut v.rules, rules),
                VendorPane::Uncovered => (&mut v.uncovered_assets, uncovered),
            };
            window.move_by(delta, len, rows);
        }
    }
}

fn left_right(state: &mut State, right: bool) {
    if !state.detail.is_empty() {
        return;
    }
    match state.screen {
        // Wave list → its assets → the violations, and back.
        Screen::Waves => {
            let w = &mut state.waves;
            match (right, w.focus_assets, w.focus_violations) {
                (true, false, _) => w.focus_assets = true,
                (true, true, _) => w.focus_violations = true,
                (false, _, true) => w.focus_violations = false,
                (false, _, false) => w.focus_assets = false,
            }
        }
        Screen::Progress => {
            state.progress.pane = if right {
                ProgressPane::Alerts
            } else {
                ProgressPane::Blocked
            };
        }
        Screen::Vendors => {
            let panes = [
                VendorPane::Products,
                VendorPane::Rules,
                VendorPane::Uncovered,
            ];
            let i = panes
                .iter()
                .position(|p| *p == state.vendors.pane)
                .unwrap_or(0);
            let j = if right {
                (i + 1).min(2)
            } else {
                i.saturating_sub(1)
            };
            state.vendors.pane = panes[j];
        }
        Screen::Dependencies => {
            let Some(data) = &state.data else { return };
            let lines = dep_lines(data, &state.deps, state.deps.window.selected + 1);
            let Some(line) = lines.get(state.deps.window.selected) else {
                return;
            };
            if line.asset.is_none() && line.depth == 0 {
                let key = super::lists::closed_key(&line.path);
                if right {
                    state.deps.expanded.remove(&key);
                } else {
                    state.deps.expanded.insert(key);
                }
            } else if right && line.expandable {
                state.deps.expanded.insert(line.path.clone());
            } else if !right {
                if line.expanded {
                    state.deps.expanded.remove(&line.path);
                } else {
                    // Collapse the parent and select it.
                    let parent = line.path[..line.path.len().saturating_sub(1)].to_vec();
                    if let Some(pos) = dep_lines(data, &state.deps, usize::MAX / 4)
                        .iter()
                        .position(|l| l.path == parent && l.asset.is_some())
                    {
                        state.deps.expanded.remove(&parent);
                        state.deps.window.selected = pos;
                    }
                }
            }
        }
        _ => {}
    }
}

fn open(state: &mut State) {
    let Some(data) = &state.data else { return };
    if let Some(d) = state.detail.last() {
        if let Some(&(target, _, _)) = detail_links(data, d.asset).get(d.selected) {
            state.detail.push(DetailView {
                asset: target,
                selected: 0,
                scroll: 0,
            });
        }
        return;
    }
    if super::problem_lists::focused(state) {
        return super::problem_lists::open(state);
    }
    if state.screen == Screen::Dependencies {
        let lines = dep_lines(data, &state.deps, state.deps.window.selected + 1);
        if let Some(line) = lines.get(state.deps.window.selected)
            && line.asset.is_none()
        {
            return;
        }
    }
    if state.screen == Screen::Waves && !state.waves.focus_assets {
        state.waves.focus_assets = true;
        return;
    }
    if let Some(a) = selected_asset(state) {
        state.detail.push(DetailView {
            asset: a,
            selected: 0,
            scroll: 0,
        });
    } else if state.screen == Screen::Progress
        && let Some(id) = super::progress_lists::selected_id(data, &state.progress)
    {
        let id = id.to_string();
        state.info(format!(
            "{id} is not in the inventory: import a scan that has it to see its detail"
        ));
    }
}

fn toggle_mark(state: &mut State) {
    let Some(a) = selected_asset(state) else {
        return;
    };
    if !state.assets.marked.remove(&a) {
        state.assets.marked.insert(a);
    }
    if state.detail.is_empty() {
        move_by(state, 1);
    }
}

/// Asks for a fresh filtered and sorted assets table.
pub fn refresh(state: &mut State) -> Vec<Effect> {
    let Some(data) = &state.data else {
        return Vec::new();
    };
    let q = ViewQuery::snapshot(
        data,
        &state.assets.query,
        &state.assets.facets,
        state.assets.sort,
        state.assets.descending,
    );
    let generation = state.next_generation();
    state.assets.requested = generation;
    vec![Effect::Refresh(generation, q)]
}
