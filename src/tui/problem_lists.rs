//! The plan's problems as selectable lists: all of them in the dashboard's Problems pane, the
//! violations beside the wave board. Enter opens the asset a problem concerns, or selects its
//! wave.

use super::data::Data;
use super::state::{DetailView, Screen, State};
use crate::plan::validate::{Problem, Severity};
use ratatui::layout::{Constraint, Layout, Rect};

/// The dashboard's areas: totals band, the three breakdowns, providers, waves, problems.
pub struct DashboardAreas {
    /// The totals cards.
    pub top: Rect,
    /// The three breakdown charts.
    pub middle: [Rect; 3],
    /// Largest impact.
    pub providers: Rect,
    /// Plan status per wave.
    pub waves: Rect,
    /// Problems.
    pub problems: Rect,
}

/// Splits the dashboard's body band.
pub fn dashboard(area: Rect) -> DashboardAreas {
    let [top, middle, bottom] = Layout::vertical([
        Constraint::Length(7),
        Constraint::Length(11),
        Constraint::Min(6),
    ])
    .areas(area);
    let middle = Layout::horizontal([Constraint::Ratio(1, 3); 3]).areas(middle);
    let [providers, waves, problems] = Layout::horizontal([
        Constraint::Percentage(34),
        Constraint::Percentage(33),
        Constraint::Percentage(33),
    ])
    .areas(bottom);
    DashboardAreas {
        top,
        middle,
        providers,
        waves,
        problems,
    }
}

/// Lines above the list in the dashboard's Problems pane: the counts, the import warnings.
pub fn header_lines(data: &Data) -> usize {
    usize::from(data.plan.is_some()) + usize::from(!data.shared.warnings.is_empty())
}

/// Rows the dashboard's problem list has.
pub fn dashboard_rows(state: &State) -> usize {
    let Some(data) = &state.data else { return 1 };
    let area = dashboard(super::layout::body(state)).problems;
    (area.height as usize)
        .saturating_sub(2 + header_lines(data))
        .max(1)
}

/// Rows of the wave board's violations list.
pub fn violation_rows(state: &State) -> usize {
    let area = super::layout::wave_board(super::layout::body(state)).problems;
    (area.height as usize).saturating_sub(2).max(1)
}

/// The violations, in validation order.
pub fn violations(data: &Data) -> Vec<&Problem> {
    (data.problems.iter())
        .filter(|p| p.severity == Severity::Violation)
        .collect()
}

/// Keeps both problem selections on an item and in view (after a validation or a resize).
pub fn keep(state: &mut State) {
    let (all, violations) = state.data.as_ref().map_or((0, 0), |d| {
        let v = (d.problems.iter())
            .filter(|p| p.severity == Severity::Violation)
            .count();
        (d.problems.len(), v)
    });
    let rows = dashboard_rows(state);
    state.problems.keep(all, rows);
    let rows = violation_rows(state);
    state.waves.violations.keep(violations, rows);
}

/// True when the keys move in a problem list: on the dashboard, or in the wave board's
/// violations.
pub fn focused(state: &State) -> bool {
    state.detail.is_empty()
        && match state.screen {
            Screen::Dashboard => true,
            Screen::Waves => state.waves.focus_violations,
            _ => false,
        }
}

/// The problem selected in the list that has the keys.
pub fn selected(state: &State) -> Option<&Problem> {
    let data = state.data.as_ref()?;
    match state.screen {
        Screen::Dashboard => data.problems.get(state.problems.selected),
        Screen::Waves => violations(data)
            .get(state.waves.violations.selected)
            .copied(),
        _ => None,
    }
}

/// Length of the problem list that has the keys.
pub fn len(state: &State) -> usize {
    len_on(state, state.screen)
}

/// Length of the problem list of `screen` (the dashboard's, else the violations).
pub fn len_on(state: &State, screen: Screen) -> usize {
    let Some(data) = &state.data else { return 0 };
    match screen {
        Screen::Dashboard => data.problems.len(),
        _ => (data.problems.iter())
            .filter(|p| p.severity == Severity::Violation)
            .count(),
    }
}

/// The inventory position of the asset a problem concerns.
pub fn asset_of(data: &Data, p: &Problem) -> Option<u32> {
    let id = p.asset.as_deref()?;
    data.shared.inventory.resolve(id).map(|i| i as u32)
}

/// Moves in the problem list that has the keys.
pub fn move_by(state: &mut State, delta: i64) {
    let n = len(state);
    match state.screen {
        Screen::Dashboard => {
            let rows = dashboard_rows(state);
            state.problems.move_by(delta, n, rows);
        }
        _ => {
            let rows = violation_rows(state);
            state.waves.violations.move_by(delta, n, rows);
        }
    }
}

/// Enter on a problem: its asset's detail, or its wave selected on the wave board.
pub fn open(state: &mut State) {
    let Some(p) = selected(state).cloned() else {
        return;
    };
    let Some(data) = &state.data else { return };
    if let Some(asset) = asset_of(data, &p) {
        state.detail.push(DetailView {
            asset,
            selected: 0,
            scroll: 0,
        });
        return;
    }
    let wave = (p.wave.as_deref()).and_then(|w| data.plan.as_ref()?.wave_index(w));
    match wave {
        Some(i) => {
            state.screen = Screen::Waves;
            state.waves.focus_assets = false;
            state.waves.focus_violations = false;
            state.waves.list.selected = i;
            state.waves.members.reset();
            state.waves.list.offset = super::layout::wave_list_offset(state);
        }
        None => match &p.asset {
            Some(id) => state.info(format!(
                "{} is not in the inventory",
                crate::model::text::clean(id)
            )),
            None => state.info("this problem concerns the whole plan"),
        },
    }
}
