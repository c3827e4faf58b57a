//! Shared helpers of the TUI integration tests: a state with the demo loaded, actions with their
//! effects run inline, and the rendered screen as text.

#![allow(dead_code)]

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

/// Temp config and data dirs and a fixed clock, the same for every test of the binary.
pub fn env() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("avmigrate-tui-tests-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("config")).unwrap();
        std::fs::create_dir_all(dir.join("data")).unwrap();
        // SAFETY: set once, before any test of this binary reads them (every test calls env()
        // first, and OnceLock blocks the others until this returns).
        unsafe {
            std::env::set_var("AVMIGRATE_CONFIG_DIR", dir.join("config"));
            std::env::set_var("AVMIGRATE_DATA_DIR", dir.join("data"));
            std::env::set_var("AVMIGRATE_NOW", "2026-11-28T10:00:00Z");
        }
        dir
    })
}

/// A state of the given theme and source, loaded.
pub fn loaded_with(theme: ThemeName, source: Source) -> State {
    env();
    let mut state = State::new(Keymap::default_keymap(), theme);
    state.size = (120, 35);
    state.user = "tester".into();
    run_effects(
        &mut state,
        vec![Effect::Load(LoadRequest {
            source,
            rules: None,
            catalog: None,
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

/// The screen at 120×35 as one string (lines joined with newlines).
pub fn screen(state: &State) -> String {
    lines(&render(state, 120, 35)).join("\n")
}
