//! The TUI opened with `--mapping`: a plan it saves records the mapping, and reopening that
//! plan reads the inventory with it.

use crate::tui_support;

use avmigrate::inventory::ImportOptions;
use avmigrate::inventory::mapping::Mapping;
use avmigrate::tui::action::Action;
use avmigrate::tui::jobs::{Effect, Import, LoadRequest, Source};
use avmigrate::tui::keymap::Keymap;
use avmigrate::tui::run_effects;
use avmigrate::tui::state::State;
use avmigrate::tui::theme::ThemeName;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;
use std::sync::Arc;
use tui_support::*;

const MAP: &str = "[columns]\nid = \"Rechnerkennung\"\nos = \"System\"\nsoftware = \"Programm\"\n";
const CSV: &str = "Rechnerkennung;System;Programm\n\
PC-1;Windows 11 Pro;Kaspersky Endpoint Security for Windows\n\
PC-2;Windows 10 Pro;Kaspersky Endpoint Security for Windows\n";

/// Loads `source` in an environment of the test's own (`name`): an autosave another test
/// leaves in the shared one would be offered on loading and take the keys meant for saving.
fn load(name: &str, source: Source, import: Import) -> State {
    let home = env().join(name).join("home");
    for sub in ["config", "data"] {
        std::fs::create_dir_all(home.join(sub)).unwrap();
    }
    let own = avmigrate::env::Env::isolated(&home, "2026-11-28T10:00:00Z".parse().unwrap());
    let mut state = State::new(Keymap::default_keymap(), ThemeName::Dark, own);
    state.size = (120, 35);
    let request = LoadRequest {
        source,
        rules: None,
        catalog: None,
        import,
    };
    run_effects(&mut state, vec![Effect::Load(request)]);
    state
}

fn key(s: &mut State, code: KeyCode, modifiers: KeyModifiers) {
    let effects = avmigrate::tui::events::on_event(s, &Event::Key(KeyEvent::new(code, modifiers)));
    run_effects(s, effects);
}

fn save_as(s: &mut State, path: &Path) {
    act(s, &[Action::Save]);
    key(s, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_str(s, &path.display().to_string());
    key(s, KeyCode::Enter, KeyModifiers::NONE);
    assert!(!s.dirty, "{:?}", s.message);
}

#[test]
fn a_plan_saved_from_a_mapped_inventory_reopens_with_its_mapping() {
    let dir = env().join("plan-import");
    for sub in ["data", "maps", "plans"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    let (csv, map) = (dir.join("data/odd.csv"), dir.join("maps/odd.toml"));
    std::fs::write(&csv, CSV).unwrap();
    std::fs::write(&map, MAP).unwrap();
    let import = Import {
        options: ImportOptions {
            mapping: Some(Arc::new(Mapping::load(&map).unwrap())),
            ..ImportOptions::default()
        },
        mapping_path: Some(map.clone()),
    };
    let mut s = load("plan-import", Source::Inventories(vec![csv]), import);
    assert_eq!(s.load_error, None);
    assert_eq!(s.assets.rows.len(), 2);
    act(&mut s, &[Action::GeneratePlan]);
    let plan_path = dir.join("plans/p.toml");
    save_as(&mut s, &plan_path);

    let text = std::fs::read_to_string(&plan_path).unwrap();
    assert!(
        text.contains("[import]\nmapping = \"../maps/odd.toml\"\n"),
        "{text}"
    );
    let reopened = load("plan-import", Source::Plan(plan_path), Import::default());
    assert_eq!(reopened.load_error, None);
    assert_eq!(
        reopened.assets.rows.len(),
        2,
        "read with the recorded mapping"
    );
}

#[test]
fn a_saved_plan_records_how_its_inventory_was_read_not_a_stale_import_table() {
    let dir = env().join("stale-import");
    std::fs::create_dir_all(&dir).unwrap();
    let mut s = load("stale-import", Source::Demo, Import::default());
    act(&mut s, &[Action::GeneratePlan]);
    // As a plan restored from an autosave of another session might say.
    let plan = s.data.as_mut().unwrap().plan_mut().unwrap();
    plan.import.format = Some("ksc".into());
    plan.import.mapping = Some("../gone/map.toml".into());
    let path = dir.join("p.toml");
    save_as(&mut s, &path);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("[import]"), "{text}");
}
