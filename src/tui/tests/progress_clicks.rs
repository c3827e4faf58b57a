//! Mouse clicks on the Progress screen's lists: a click focuses the pane and selects the entry
//! drawn under the pointer; a click on the selected entry of the focused pane opens its asset.

use super::*;
use crate::model::Timestamp;
use crate::plan::{Alert, AlertKind};
use crate::tui::progress_lists::{ProgressPane, alerts, selected_id};

/// The plan with srv-git-01 blocked and a regression alert on each of the first `alerts` other
/// planned assets (more than a list shows), on the Progress screen at `size`.
fn with_lists(size: (u16, u16), alerts: usize) -> (State, Vec<String>) {
    let mut s = with_plan();
    s.size = size;
    let data = s.data.as_mut().unwrap();
    let plan = data.plan_mut().unwrap();
    let git = plan
        .assets
        .iter_mut()
        .find(|a| a.id == "srv-git-01")
        .unwrap();
    git.status = Status::Blocked;
    git.status_reason = Some("uninstall password unknown".into());
    let at: Timestamp = "2026-11-28T09:00:00Z".parse().unwrap();
    let ids: Vec<String> = (plan.assets.iter())
        .filter(|a| a.id != "srv-git-01")
        .take(alerts)
        .map(|a| a.id.clone())
        .collect();
    for id in &ids {
        plan.alerts.push(Alert {
            at,
            asset: id.clone(),
            kind: AlertKind::Regression,
            message: "the scan finds Kaspersky Endpoint Security".into(),
            scan: "scan.toml".into(),
        });
    }
    data.reindex();
    act(&mut s, &[Action::ShowProgress]);
    super::super::update::keep_in_view(&mut s);
    (s, ids)
}

/// (column, row) of the first place the screen shows `text`.
fn find(state: &State, text: &str) -> (u16, u16) {
    let lines = screen(state);
    for (y, line) in lines.iter().enumerate() {
        if let Some(byte) = line.find(text) {
            return (line[..byte].chars().count() as u16, y as u16);
        }
    }
    panic!("{text:?} not on the screen:\n{}", lines.join("\n"));
}

fn open_id(state: &State) -> Option<String> {
    state.detail.last().map(|d| id_of(state, d.asset))
}

#[test]
fn a_click_selects_the_entry_drawn_there_and_a_second_click_opens_it() {
    for size in [(80u16, 24u16), (120, 35)] {
        let (mut s, ids) = with_lists(size, 10);
        assert_eq!(s.progress.pane, ProgressPane::Alerts);

        // The blocked pane: the first click focuses and selects, the second opens.
        let (x, y) = find(&s, "srv-git-01 uninstall");
        click(&mut s, x + 3, y);
        assert_eq!(s.progress.pane, ProgressPane::Blocked, "{size:?}");
        assert_eq!(s.progress.blocked.selected, 0);
        assert!(s.detail.is_empty(), "the first click only selects");
        click(&mut s, x + 3, y);
        assert_eq!(open_id(&s).as_deref(), Some("srv-git-01"), "{size:?}");
        act(&mut s, &[Action::Back]);
        assert_eq!(s.screen, Screen::Progress);

        // The alerts pane, scrolled to its end: the entry under the pointer is selected.
        let (x, y) = find(&s, &format!("regression {}:", ids[2]));
        click(&mut s, x, y);
        assert_eq!(s.progress.pane, ProgressPane::Alerts);
        assert_eq!(s.progress.alerts.selected, 2);
        assert!(s.detail.is_empty());
        act(&mut s, &[Action::Bottom]);
        assert_eq!(s.progress.alerts.selected, ids.len() - 1);
        assert!(s.progress.alerts.offset > 0, "{size:?}: the list scrolled");
        let shown = s.progress.alerts.offset + 1;
        let (x, y) = find(&s, &format!("regression {}:", ids[shown]));
        click(&mut s, x + 1, y);
        let data = s.data.as_ref().unwrap();
        assert_eq!(s.progress.alerts.selected, shown, "{size:?}");
        assert_eq!(selected_id(data, &s.progress), Some(ids[shown].as_str()));
        click(&mut s, x + 1, y);
        assert_eq!(
            open_id(&s).as_deref(),
            Some(ids[shown].as_str()),
            "{size:?}"
        );
    }
}

#[test]
fn a_click_beside_the_entries_only_focuses_the_pane() {
    let (mut s, _) = with_lists((120, 35), 2);
    // The row under the only blocked entry holds its whole text, no entry.
    let (x, y) = find(&s, "srv-git-01 uninstall");
    click(&mut s, x, y + 1);
    assert_eq!(s.progress.pane, ProgressPane::Blocked);
    click(&mut s, x, y + 1);
    assert!(s.detail.is_empty(), "nothing opened");
    assert_eq!(s.progress.blocked.selected, 0);
    // The alerts pane's border focuses it; the selection stays.
    let (x, y) = find(&s, "Open alerts (2)");
    click(&mut s, x, y);
    assert_eq!(s.progress.pane, ProgressPane::Alerts);
    assert_eq!(s.progress.alerts.selected, 0);
    // A click on the selected entry of a pane that was not focused selects, not opens.
    act(&mut s, &[Action::Left]);
    assert_eq!(s.progress.pane, ProgressPane::Blocked);
    let first = alerts(s.data.as_ref().unwrap())[0].asset.clone();
    let (x, y) = find(&s, &format!("regression {first}:"));
    click(&mut s, x, y);
    assert_eq!(s.progress.pane, ProgressPane::Alerts);
    assert!(s.detail.is_empty());
}

#[test]
fn without_a_plan_a_click_on_the_progress_screen_does_nothing() {
    let mut s = demo();
    act(&mut s, &[Action::ShowProgress]);
    let before = s.progress;
    for (x, y) in [(2, 28), (70, 28), (60, 10), (0, 33)] {
        click(&mut s, x, y);
    }
    assert_eq!(s.progress, before);
    assert!(s.detail.is_empty());
}
