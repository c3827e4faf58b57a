//! `update()` tests on the demo estate: actions (and real key events where typing matters) are
//! applied, their effects run inline, and the resulting state is checked.

use super::action::Action;
use super::events::on_event;
use super::jobs::{Effect, LoadRequest, Source};
use super::keymap::Keymap;
use super::lists::wave_assets;
use super::run_effects;
use super::state::*;
use super::theme::ThemeName;
use super::update::update;
use crate::analysis::Reliance;
use crate::plan::Status;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

mod board;
mod decide;
mod dialogs;
mod disk_merge;
mod edits;
mod export;
mod feedback;
mod files;
mod hostile;
mod plan;
mod problems;
mod progress_clicks;
mod settings;
mod summary;

/// Temp config/data dirs, shared by the TUI unit tests.
fn test_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("avmigrate-tui-unit-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("config")).unwrap();
        std::fs::create_dir_all(dir.join("data")).unwrap();
        dir
    })
}

/// The test environment: the temp dirs and a fixed clock.
fn test_env() -> crate::env::Env {
    crate::env::Env::isolated(test_dir(), "2026-11-28T10:00:00Z".parse().unwrap())
}

fn fresh() -> State {
    let mut state = State::new(Keymap::default_keymap(), ThemeName::Dark, test_env());
    state.size = (120, 35);
    state.user = "tester".into();
    state
}

/// The demo estate, loaded.
fn demo() -> State {
    let mut state = fresh();
    run_effects(
        &mut state,
        vec![Effect::Load(LoadRequest {
            source: Source::Demo,
            rules: None,
            catalog: None,
            import: Default::default(),
        })],
    );
    assert_eq!(state.load_error, None);
    assert_eq!(state.assets.rows.len(), 156, "the demo has 156 assets");
    state
}

fn act(state: &mut State, actions: &[Action]) {
    for a in actions {
        let effects = update(state, *a);
        run_effects(state, effects);
    }
}

fn key(state: &mut State, code: KeyCode, modifiers: KeyModifiers) {
    let effects = on_event(state, &Event::Key(KeyEvent::new(code, modifiers)));
    run_effects(state, effects);
}

fn type_str(state: &mut State, text: &str) {
    for c in text.chars() {
        key(state, KeyCode::Char(c), KeyModifiers::NONE);
    }
}

fn id_of(state: &State, pos: u32) -> String {
    state.data.as_ref().unwrap().shared.inventory.assets()[pos as usize]
        .id
        .to_string()
}

fn plan(state: &State) -> &crate::plan::Plan {
    state.data.as_ref().unwrap().plan.as_ref().expect("a plan")
}

fn with_plan() -> State {
    let mut s = demo();
    act(&mut s, &[Action::GeneratePlan]);
    s
}

/// Selects the asset with this id in the assets table.
fn select_asset(state: &mut State, id: &str) {
    act(state, &[Action::ShowAssets]);
    let pos = state
        .assets
        .rows
        .iter()
        .position(|&r| id_of(state, r) == id);
    let pos = pos.unwrap_or_else(|| panic!("{id} not in the table"));
    state.assets.window.selected = pos;
}

/// A left click at (column, row).
fn click(state: &mut State, column: u16, row: u16) {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let ev = Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    });
    let effects = on_event(state, &ev);
    run_effects(state, effects);
}

/// The screen as drawn in a terminal of the state's size, one string a line.
fn screen(state: &State) -> Vec<String> {
    let (w, h) = state.size;
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| super::view::view(state, f))
        .expect("drawn");
    let buf = terminal.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>())
        .collect()
}

fn top_picker(state: &State) -> &Picker {
    match state.overlays.last() {
        Some(Overlay::Picker(p)) => p,
        other => panic!("expected a picker, got {other:?}"),
    }
}

/// Chooses the picker item whose value is `value` by typing its label and moving to it.
fn pick(state: &mut State, value: &str) {
    type_str(state, value);
    let p = top_picker(state);
    let pos = p
        .matching()
        .iter()
        .position(|(v, _)| v == value)
        .unwrap_or_else(|| panic!("{value} not offered in {:?}", p.items));
    for _ in 0..pos {
        act(state, &[Action::Down]);
    }
    act(state, &[Action::Open]);
}

#[test]
fn tabs_by_number_and_wrapping() {
    let mut s = fresh();
    assert_eq!(s.screen, Screen::Dashboard);
    for (action, screen) in [
        (Action::ShowAssets, Screen::Assets),
        (Action::ShowDependencies, Screen::Dependencies),
        (Action::ShowWaves, Screen::Waves),
        (Action::ShowVendors, Screen::Vendors),
        (Action::ShowProgress, Screen::Progress),
        (Action::ShowDashboard, Screen::Dashboard),
    ] {
        act(&mut s, &[action]);
        assert_eq!(s.screen, screen);
    }
    // The number keys reach the same actions through the keymap.
    key(&mut s, KeyCode::Char('4'), KeyModifiers::NONE);
    assert_eq!(s.screen, Screen::Waves);
    key(&mut s, KeyCode::Char('6'), KeyModifiers::NONE);
    assert_eq!(s.screen, Screen::Progress);
    key(&mut s, KeyCode::Char('2'), KeyModifiers::NONE);
    assert_eq!(s.screen, Screen::Assets);
    act(&mut s, &[Action::PrevTab, Action::PrevTab]);
    assert_eq!(
        s.screen,
        Screen::Progress,
        "PrevTab wraps from the first tab"
    );
    act(&mut s, &[Action::NextTab]);
    assert_eq!(
        s.screen,
        Screen::Dashboard,
        "NextTab wraps from the last tab"
    );
    key(&mut s, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(s.screen, Screen::Assets);
    key(&mut s, KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(s.screen, Screen::Dashboard);
}

#[test]
fn cursor_clamps_and_keeps_the_selection_visible() {
    let mut s = demo();
    act(&mut s, &[Action::ShowAssets]);
    let rows = s.body_rows();
    assert_eq!(rows, 30, "35 lines minus tabs, status, borders and header");
    act(&mut s, &[Action::Up]);
    assert_eq!(
        (s.assets.window.selected, s.assets.window.offset),
        (0, 0),
        "Up at the top"
    );
    act(&mut s, &[Action::Down, Action::Down]);
    assert_eq!((s.assets.window.selected, s.assets.window.offset), (2, 0));
    act(&mut s, &[Action::PageDown]);
    assert_eq!(s.assets.window.selected, 2 + rows);
    assert_eq!(
        s.assets.window.offset, 3,
        "the last visible row is the selection"
    );
    act(&mut s, &[Action::Bottom]);
    assert_eq!(s.assets.window.selected, 155);
    assert_eq!(s.assets.window.offset, 156 - rows);
    act(&mut s, &[Action::Down, Action::PageDown]);
    assert_eq!(
        s.assets.window.selected, 155,
        "Down and PageDown stop at the last row"
    );
    act(&mut s, &[Action::PageUp]);
    assert_eq!(s.assets.window.selected, 155 - rows);
    assert_eq!(
        s.assets.window.offset,
        155 - rows,
        "scrolling up moves the window"
    );
    act(&mut s, &[Action::Top]);
    assert_eq!((s.assets.window.selected, s.assets.window.offset), (0, 0));
    act(&mut s, &[Action::PageUp]);
    assert_eq!((s.assets.window.selected, s.assets.window.offset), (0, 0));
}

#[test]
fn typed_filter_narrows_and_esc_clears() {
    let mut s = demo();
    act(&mut s, &[Action::ShowAssets]);
    key(&mut s, KeyCode::Char('/'), KeyModifiers::NONE);
    assert!(s.assets.editing);
    // While typing, letters that are bound (s = sort, f = facets) go into the filter.
    type_str(&mut s, "ksc");
    assert_eq!(s.assets.query, "ksc");
    assert_eq!(s.assets.sort, Column::Id, "'s' was typed, not a sort key");
    assert!(s.overlays.is_empty(), "no picker opened by typing");
    let ids: Vec<String> = s.assets.rows.iter().map(|&r| id_of(&s, r)).collect();
    assert_eq!(ids, ["srv-ksc-01", "srv-ksc-02"]);
    let inv = s.data.as_ref().unwrap().shared.inventory.assets();
    let expected = inv
        .iter()
        .filter(|a| {
            a.id.as_str().to_lowercase().contains("ksc")
                || a.name
                    .as_deref()
                    .unwrap_or("")
                    .to_lowercase()
                    .contains("ksc")
        })
        .count();
    assert_eq!(ids.len(), expected);
    key(&mut s, KeyCode::Backspace, KeyModifiers::NONE);
    assert_eq!(s.assets.query, "ks");
    key(&mut s, KeyCode::Esc, KeyModifiers::NONE);
    assert!(!s.assets.editing);
    assert_eq!(s.assets.query, "");
    assert_eq!(s.assets.rows.len(), 156);
}

#[test]
fn enter_keeps_the_filter_and_gives_the_keys_back() {
    let mut s = demo();
    act(&mut s, &[Action::ShowAssets, Action::Filter]);
    type_str(&mut s, "mac-verw");
    key(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    assert!(!s.assets.editing);
    assert_eq!(s.assets.rows.len(), 4);
    key(&mut s, KeyCode::Char('j'), KeyModifiers::NONE);
    assert_eq!(
        s.assets.window.selected, 1,
        "j moves again once the filter is done"
    );
    act(&mut s, &[Action::ClearFilters]);
    assert_eq!(s.assets.rows.len(), 156);
}

#[test]
fn facet_picker_filters_by_reliance() {
    let mut s = demo();
    act(&mut s, &[Action::ShowAssets, Action::FacetFilter]);
    assert_eq!(top_picker(&s).purpose, PickPurpose::FacetKind);
    pick(&mut s, "reliance");
    assert_eq!(
        top_picker(&s).purpose,
        PickPurpose::FacetValue(FacetKind::Reliance)
    );
    pick(&mut s, "direct");
    assert!(s.overlays.is_empty());
    assert_eq!(s.assets.facets.reliance, Some(Reliance::Direct));
    assert_eq!(s.assets.rows.len(), 113);
    let data = s.data.as_ref().unwrap();
    assert!(
        s.assets
            .rows
            .iter()
            .all(|&r| data.shared.analysis.reliance_of(r as usize) == Reliance::Direct)
    );
    // "(any)" lifts the facet again.
    act(&mut s, &[Action::FacetFilter]);
    pick(&mut s, "reliance");
    act(&mut s, &[Action::Open]);
    assert_eq!(s.assets.facets.reliance, None);
    assert_eq!(s.assets.rows.len(), 156);
}

#[test]
fn sort_next_and_reverse() {
    let mut s = demo();
    act(&mut s, &[Action::ShowAssets]);
    let by_id: Vec<String> = s.assets.rows.iter().map(|&r| id_of(&s, r)).collect();
    let mut sorted = by_id.clone();
    sorted.sort();
    assert_eq!(by_id, sorted, "sorted by id at first");
    act(&mut s, &[Action::SortNext]);
    assert_eq!(s.assets.sort, Column::Name);
    let inv = s.data.as_ref().unwrap().shared.inventory.assets();
    let names: Vec<String> = s
        .assets
        .rows
        .iter()
        .map(|&r| inv[r as usize].display_name().to_lowercase())
        .collect();
    assert!(names.is_sorted(), "sorted by name: {names:?}");
    let ascending = s.assets.rows.clone();
    act(&mut s, &[Action::SortReverse]);
    assert!(s.assets.descending);
    let mut reversed = ascending.clone();
    reversed.reverse();
    assert_eq!(s.assets.rows, reversed);
    assert_ne!(s.assets.rows, ascending);
}

#[test]
fn marks_toggle_all_and_clear() {
    let mut s = demo();
    act(&mut s, &[Action::ShowAssets]);
    let first = s.assets.rows[0];
    act(&mut s, &[Action::ToggleMark]);
    assert!(s.assets.marked.contains(&first));
    assert_eq!(s.assets.window.selected, 1, "marking moves down");
    act(&mut s, &[Action::Up, Action::ToggleMark]);
    assert!(s.assets.marked.is_empty(), "toggling again unmarks");
    act(&mut s, &[Action::MarkAll]);
    assert_eq!(s.assets.marked.len(), 156);
    act(&mut s, &[Action::ClearMarks]);
    assert!(s.assets.marked.is_empty());
    act(&mut s, &[Action::MarkAll, Action::Back]);
    assert!(
        s.assets.marked.is_empty(),
        "Back clears the marks on the table"
    );
}

#[test]
fn open_pushes_details_and_back_pops_them() {
    let mut s = demo();
    select_asset(&mut s, "srv-upd-01");
    let upd = s.assets.rows[s.assets.window.selected];
    act(&mut s, &[Action::Open]);
    assert_eq!(s.detail.len(), 1);
    assert_eq!(s.detail[0].asset, upd);
    assert_eq!(s.context(), crate::tui::keymap::Context::Detail);
    // The first link of srv-upd-01 is its provider srv-ksc-01: Open follows it.
    act(&mut s, &[Action::Open]);
    assert_eq!(s.detail.len(), 2);
    assert_eq!(id_of(&s, s.detail[1].asset), "srv-ksc-01");
    act(&mut s, &[Action::Back]);
    assert_eq!(s.detail.len(), 1);
    assert_eq!(s.detail[0].asset, upd);
    act(&mut s, &[Action::Back]);
    assert!(s.detail.is_empty());
    assert_eq!(s.screen, Screen::Assets);
}

#[test]
fn resizing_keeps_the_selection_visible() {
    let mut s = demo();
    act(&mut s, &[Action::ShowAssets]);
    for _ in 0..29 {
        act(&mut s, &[Action::Down]);
    }
    assert_eq!((s.assets.window.selected, s.assets.window.offset), (29, 0));
    let effects = on_event(&mut s, &Event::Resize(120, 24));
    run_effects(&mut s, effects);
    assert_eq!(s.body_rows(), 19);
    assert!(
        s.assets.window.selected < s.assets.window.offset + s.body_rows(),
        "selected {} is below the window starting at {}",
        s.assets.window.selected,
        s.assets.window.offset
    );
    assert_eq!(s.assets.window.offset, 11);
}

#[test]
fn page_keys_scroll_the_detail_text_and_arrows_move_its_links() {
    let mut state = demo();
    // An asset whose text is longer than the pane (scrolling stops at the end of the text).
    state.size = (80, 24);
    select_asset(&mut state, "srv-ksc-01");
    update(&mut state, Action::Open);
    assert_eq!(state.detail.len(), 1);
    assert!(super::detail_text::max_scroll(&state) > 0);
    update(&mut state, Action::PageDown);
    assert!(state.detail[0].scroll > 0, "text scrolled");
    assert_eq!(state.detail[0].selected, 0, "links untouched");
    update(&mut state, Action::Down);
    assert_eq!(state.detail[0].selected, 1);
    update(&mut state, Action::PageUp);
    update(&mut state, Action::PageUp);
    assert_eq!(state.detail[0].scroll, 0);
}

#[test]
fn help_scrolling_stops_at_the_end() {
    let mut state = demo();
    update(&mut state, Action::Help);
    for _ in 0..500 {
        update(&mut state, Action::Down);
    }
    let Some(Overlay::Help { scroll }) = state.overlays.last() else {
        panic!("help open");
    };
    let rows = super::lists::help_rows(&state, 94).len();
    // 120×35: the box is 96×29, 27 rows inside; the last row shows at the bottom.
    assert_eq!(*scroll, rows - 27);
    let text = screen(&state).join("\n");
    assert!(
        text.contains("Keys can be changed in keymap.toml"),
        "{text}"
    );
}

#[test]
fn the_kind_picker_offers_the_kinds_present_and_marks_logical_cis() {
    let file = test_dir().join("logical-kinds.csv");
    std::fs::write(
        &file,
        "id,name,os,kind,software,depends_on\n\
         SRV01,SRV01,Windows Server 2019,server,Kaspersky Endpoint Security 12.6,\n\
         APP1,Payroll,,application,Kaspersky Security for Microsoft Exchange Servers 9.0,SRV01:runs_on\n\
         SVC1,Billing,,service,,APP1:uses\n",
    )
    .unwrap();
    let mut s = fresh();
    run_effects(
        &mut s,
        vec![Effect::Load(LoadRequest {
            source: Source::Inventories(vec![file]),
            rules: None,
            catalog: None,
            import: Default::default(),
        })],
    );
    assert_eq!(s.load_error, None);
    act(&mut s, &[Action::ShowAssets, Action::FacetFilter]);
    pick(&mut s, "kind");
    let labels: Vec<&str> = top_picker(&s)
        .items
        .iter()
        .map(|(_, l)| l.as_str())
        .collect();
    assert_eq!(
        labels,
        [
            "(any)",
            "server (1)",
            "application (1, logical CI)",
            "service (1, logical CI)"
        ]
    );
    pick(&mut s, "service");
    assert_eq!(s.assets.rows.len(), 1);
    assert_eq!(id_of(&s, s.assets.rows[0]), "SVC1");
    act(&mut s, &[Action::ClearFilters]);
    select_asset(&mut s, "APP1");
    act(&mut s, &[Action::Open]);
    let shown = screen(&s).join("\n");
    assert!(shown.contains("application (logical CI"), "{shown}");
    // In the plan's waves a logical CI shows no product to install.
    act(&mut s, &[Action::GeneratePlan, Action::ShowWaves]);
    let app = plan(&s)
        .assets
        .iter()
        .find(|a| a.id == "APP1")
        .expect("planned");
    assert_eq!(app.product, None);
    let shown = screen(&s).join("\n");
    assert!(
        shown.contains("application · logical CI, no agent"),
        "{shown}"
    );
}
