//! Shared helpers of the TUI integration tests: a state with the demo loaded, actions with their
//! effects run inline, and the rendered screen as text.

use avmigrate::env::Env;
use avmigrate::tui::action::Action;
use avmigrate::tui::jobs::{Effect, LoadRequest, Source};
use avmigrate::tui::keymap::Keymap;
use avmigrate::tui::run_effects;
use avmigrate::tui::state::State;
use avmigrate::tui::theme::ThemeName;
use avmigrate::tui::update::update;
use avmigrate::tui::view::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Temp config and data dirs, the same for every TUI test of the binary.
pub fn env() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("avmigrate-tui-tests-{}", std::process::id()));
        // A directory of this name is left from an earlier run whose process had this id
        // (ids are reused): its autosaves would be offered to these tests.
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("config")).unwrap();
        std::fs::create_dir_all(dir.join("data")).unwrap();
        dir
    })
}

/// The environment the TUI tests run in: the temp dirs and a fixed clock.
pub fn test_env() -> Env {
    Env::isolated(env(), "2026-11-28T10:00:00Z".parse().unwrap())
}

/// A fresh state of the given keymap (dark theme, test environment).
pub fn state_with(keymap: Keymap) -> State {
    State::new(keymap, ThemeName::Dark, test_env())
}

/// A state of the given theme and source, loaded.
pub fn loaded_with(theme: ThemeName, source: Source) -> State {
    let mut state = State::new(Keymap::default_keymap(), theme, test_env());
    state.size = (120, 35);
    state.user = "tester".into();
    run_effects(
        &mut state,
        vec![Effect::Load(LoadRequest {
            source,
            rules: None,
            catalog: None,
            import: Default::default(),
        })],
    );
    assert!(state.load_error.is_none(), "{:?}", state.load_error);
    assert!(state.data.is_some());
    state
}

/// The demo, dark theme.
pub fn demo() -> State {
    loaded_with(ThemeName::Dark, Source::Demo)
}

/// Runs actions, each with its effects.
pub fn act(state: &mut State, actions: &[Action]) {
    for a in actions {
        let effects = update(state, *a);
        run_effects(state, effects);
    }
}

/// Renders the state into a buffer of the given size.
pub fn render(state: &State, w: u16, h: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view(state, f)).unwrap();
    terminal.backend().buffer().clone()
}

/// The buffer as lines of text.
pub fn lines(buf: &Buffer) -> Vec<String> {
    let a = buf.area;
    (a.y..a.y + a.height)
        .map(|y| (a.x..a.x + a.width).map(|x| buf[(x, y)].symbol()).collect())
        .collect()
}

/// The text inside the bordered box whose top border carries `title`: one string per inner
/// line, without the side borders, trailing blanks trimmed. Panics when there is no such box.
pub fn panel(buf: &Buffer, title: &str) -> Vec<String> {
    let a = buf.area;
    let sym = |x: u16, y: u16| buf[(x, y)].symbol().to_string();
    for y in a.y..a.bottom() {
        for x in a.x..a.right() {
            let mut text = String::new();
            let mut cx = x;
            while cx < a.right() && text.len() < title.len() {
                text.push_str(&sym(cx, y));
                cx += 1;
            }
            if !text.starts_with(title) {
                continue;
            }
            let Some(left) = (a.x..=x).rev().find(|&c| sym(c, y) == "┌") else {
                continue;
            };
            // A scrollbar may draw its arrow over the corner.
            let Some(right) = (x..a.right()).find(|&c| matches!(sym(c, y).as_str(), "┐" | "▲"))
            else {
                continue;
            };
            return (y + 1..a.bottom())
                .take_while(|&r| sym(left, r) != "└")
                .map(|r| {
                    (left + 1..right)
                        .map(|c| sym(c, r))
                        .collect::<String>()
                        .trim_end()
                        .to_string()
                })
                .collect();
        }
    }
    panic!("no box titled {title:?} in\n{}", lines(buf).join("\n"))
}

/// Types text as key events.
pub fn type_str(state: &mut State, text: &str) {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    for c in text.chars() {
        let ev = Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        let effects = avmigrate::tui::events::on_event(state, &ev);
        run_effects(state, effects);
    }
}

/// Selects the asset with this id in the assets table (and switches to it).
pub fn select_asset(state: &mut State, id: &str) {
    act(state, &[Action::ShowAssets]);
    let inv = state.data.as_ref().unwrap().shared.inventory.assets();
    let pos = state
        .assets
        .rows
        .iter()
        .position(|&r| inv[r as usize].id == id)
        .unwrap_or_else(|| panic!("{id} not in the table"));
    let (len, rows) = (state.assets.rows.len(), state.body_rows());
    state.assets.window.select(pos, len, rows);
}
