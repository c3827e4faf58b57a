//! The interactive terminal app (ratatui + crossterm), Elm-style: an input thread and worker
//! threads send messages; `update` changes the state; `view` draws it. A front-end over the
//! library; the domain code has no terminal dependencies.

pub mod action;
mod app;
mod autosave;
pub mod data;
pub mod decide;
pub mod detail_text;
mod disk_merge;
pub mod events;
pub mod export_screen;
mod feedback;
pub mod file_actions;
pub mod jobs;
pub mod keymap;
pub mod layout;
pub mod list_window;
pub mod lists;
mod locate;
pub mod messages;
pub mod overlay_state;
mod overlays;
mod pickers;
mod plan_ops;
mod plan_save;
pub mod problem_lists;
mod product_picker;
pub mod progress_lists;
mod replan;
mod search_text;
pub mod settings_form;
pub mod state;
mod table_query;
pub mod theme;
pub mod update;
pub mod user_config;
mod validation_copy;
pub mod view;

pub use app::{Options, run, run_effects};

#[cfg(test)]
mod tests;

/// Text from files, made safe for the terminal: control and bidi characters neutralised, and
/// invisible format characters (zero-width space, word joiner, byte-order mark) dropped so
/// they cannot pad or shift a column. Joiners inside emoji stay.
pub fn clean(text: &str) -> String {
    let mut s = crate::model::text::clean(text);
    if s.contains(['\u{200B}', '\u{2060}', '\u{FEFF}']) {
        s.retain(|c| !matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}'));
    }
    s
}
