//! The keymap drives everything the user reads about keys: status-bar hints, the help overlay
//! and the command palette. These tests check that what is shown is what the keys do.

use crate::tui_support;
use strum::VariantArray;

use avmigrate::tui::action::Action;
use avmigrate::tui::keymap::{Context, Key, Keymap};
use avmigrate::tui::lists::help_lines;
use avmigrate::tui::state::*;
use avmigrate::tui::update::update;
use avmigrate::tui::view::hints;
use std::collections::BTreeMap;

fn picker(purpose: PickPurpose) -> Overlay {
    Overlay::Picker(Picker::new("t", vec![("a".into(), "a".into())], purpose))
}

/// A state for every keymap context the app can be in.
fn states(keymap: &Keymap) -> Vec<(Context, State)> {
    let base = || tui_support::state_with(keymap.clone());
    let on = |screen: Screen| {
        let mut s = base();
        s.screen = screen;
        s
    };
    let with = |overlay: Overlay| {
        let mut s = base();
        s.overlays.push(overlay);
        s
    };
    let mut detail = on(Screen::Assets);
    detail.detail.push(DetailView {
        asset: 0,
        selected: 0,
        scroll: 0,
    });
    vec![
        (Context::Screen(Screen::Dashboard), on(Screen::Dashboard)),
        (Context::Screen(Screen::Assets), on(Screen::Assets)),
        (Context::Detail, detail),
        (
            Context::Screen(Screen::Dependencies),
            on(Screen::Dependencies),
        ),
        (Context::Screen(Screen::Waves), on(Screen::Waves)),
        (Context::Screen(Screen::Vendors), on(Screen::Vendors)),
        (Context::Help, with(Overlay::Help { scroll: 0 })),
        (Context::Palette, with(picker(PickPurpose::Action))),
        (Context::Picker, with(picker(PickPurpose::FacetKind))),
        (
            Context::Confirm,
            with(Overlay::Confirm {
                question: "?".into(),
                purpose: ConfirmPurpose::QuitUnsaved,
            }),
        ),
        (
            Context::Form,
            with(Overlay::Settings(Box::new(
                avmigrate::tui::settings_form::SettingsForm::of(&avmigrate::plan::Settings::new(
                    "2027-01-04".parse().unwrap(),
                )),
            ))),
        ),
        (
            Context::Form,
            with(Overlay::Export(Box::new(
                avmigrate::tui::export_screen::ExportView {
                    kind: avmigrate::report::exports::ExportKind::Runbook,
                    target: "plan-runbook.md".into(),
                    stage: avmigrate::tui::export_screen::Stage::Ready,
                    selected: 0,
                },
            ))),
        ),
    ]
}

/// What each hint word stands for.
fn hint_action(context: Context, what: &str) -> Action {
    match (context, what) {
        (Context::Form, "next field") => Action::Down,
        (Context::Form, "choose") => Action::Right,
        (Context::Form, "preview, then apply") => Action::Open,
        (Context::Form, "cancel") => Action::Back,
        (Context::Form, "file") => Action::Down,
        (Context::Form, "write") => Action::Open,
        (Context::Form, "close") => Action::Back,
        (_, "help") => Action::Help,
        (_, "quit") => Action::Quit,
        (_, "screens") => Action::NextTab,
        (_, "plan") => Action::GeneratePlan,
        (_, "save") => Action::Save,
        (_, "commands") => Action::Palette,
        (_, "filter") => Action::Filter,
        (_, "facets") => Action::FacetFilter,
        (_, "sort") => Action::SortNext,
        (_, "mark") => Action::ToggleMark,
        (_, "detail" | "follow" | "choose") => Action::Open,
        (_, "wave") => Action::MoveToWave,
        (_, "status") => Action::SetStatus,
        (_, "pin") => Action::TogglePin,
        (_, "decide") => Action::Decide,
        (_, "back" | "close" | "cancel") => Action::Back,
        (_, "tree") => Action::ShowDependenciesOf,
        (_, "expand" | "assets" | "pane") => Action::Right,
        (_, "collapse") => Action::Left,
        (_, "root") => Action::SetRoot,
        (_, "earlier") => Action::MoveToPrevWave,
        (_, "later") => Action::MoveToNextWave,
        (_, "rename") => Action::RenameWave,
        (_, "dates") => Action::EditWaveDates,
        (_, "freeze") => Action::ToggleFreeze,
        (_, "replan") => Action::Replan,
        (_, "settings") => Action::PlanSettings,
        (_, "undo") => Action::Undo,
        (_, "prefer") => Action::TogglePreference,
        (Context::Screen(Screen::Vendors), "up") => Action::PreferenceUp,
        (Context::Screen(Screen::Vendors), "down") => Action::PreferenceDown,
        (_, "rule") => Action::AddVendorRule,
        (_, "scroll" | "move") => Action::Down,
        (_, "yes") => Action::Confirm,
        (_, "no") => Action::Deny,
        _ => panic!("hint \"{what}\" in {context:?} has no expected action in this test"),
    }
}

fn check_hints(keymap: &Keymap) -> usize {
    let mut checked = 0;
    for (ctx, state) in states(keymap) {
        assert_eq!(state.context(), ctx);
        let shown = hints(&state);
        assert!(shown.len() >= 2, "{ctx:?} shows hints: {shown:?}");
        for (label, what) in shown {
            let key = Key::parse(&label)
                .unwrap_or_else(|| panic!("{ctx:?}: hint key \"{label}\" does not parse"));
            assert_eq!(
                keymap.resolve(ctx, &key),
                Some(hint_action(ctx, what)),
                "{ctx:?}: the hint \"{label} {what}\" must do what it says"
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn every_status_bar_hint_resolves_to_its_action() {
    let checked = check_hints(&Keymap::default_keymap());
    assert!(checked > 40, "{checked} hints checked");
}

#[test]
fn hints_follow_a_user_keymap() {
    let (map, problems) = Keymap::with_user_file(Some(
        "[assets]\nfilter = [\"ctrl-f\"]\n[global]\nhelp = [\"f1\"]\nquit = [\"ctrl-q\"]\n",
    ));
    assert!(problems.is_empty(), "{problems:?}");
    check_hints(&map);
    let mut s = tui_support::state_with(map);
    s.screen = Screen::Assets;
    let shown = hints(&s);
    assert!(
        shown.contains(&("ctrl-f".to_string(), "filter")),
        "{shown:?}"
    );
    assert!(shown.contains(&("f1".to_string(), "help")), "{shown:?}");
    s.screen = Screen::Dashboard;
    assert!(hints(&s).contains(&("ctrl-q".to_string(), "quit")));
}

#[test]
fn no_key_is_bound_twice_in_one_context() {
    let map = Keymap::default_keymap();
    for (ctx, _) in states(&map) {
        let mut seen: BTreeMap<String, Action> = BTreeMap::new();
        for (action, keys) in map.bindings(ctx) {
            for k in keys {
                if let Some(other) = seen.insert(k.clone(), action) {
                    panic!("{ctx:?}: \"{k}\" is bound to {other:?} and {action:?}");
                }
            }
        }
    }
}

#[test]
fn screen_keys_do_not_hide_global_ones() {
    let map = Keymap::default_keymap();
    let global: BTreeMap<String, Action> = map
        .bindings(Context::Global)
        .into_iter()
        .flat_map(|(a, keys)| keys.into_iter().map(move |k| (k, a)))
        .collect();
    for ctx in [
        Context::Screen(Screen::Dashboard),
        Context::Screen(Screen::Assets),
        Context::Detail,
        Context::Screen(Screen::Dependencies),
        Context::Screen(Screen::Waves),
        Context::Screen(Screen::Vendors),
    ] {
        for (action, keys) in map.bindings(ctx) {
            for k in keys {
                if let Some(g) = global.get(&k) {
                    assert_eq!(*g, action, "{ctx:?}: \"{k}\" hides the global {g:?}");
                }
            }
        }
    }
}

#[test]
fn the_palette_offers_every_action_and_runs_it() {
    let mut s = tui_support::state_with(Keymap::default_keymap());
    assert!(update(&mut s, Action::Palette).is_empty());
    let Some(Overlay::Picker(p)) = s.overlays.last() else {
        panic!("no palette: {:?}", s.overlays)
    };
    assert_eq!(p.purpose, PickPurpose::Action);
    let offered: Vec<&str> = p.items.iter().map(|(v, _)| v.as_str()).collect();
    let missing: Vec<Action> = Action::VARIANTS
        .iter()
        .copied()
        .filter(|a| !offered.contains(&a.name()))
        .collect();
    // Moving the cursor, going back and yes/no act on the palette itself: left out.
    assert_eq!(
        missing,
        [
            Action::Back,
            Action::Up,
            Action::Down,
            Action::Left,
            Action::Right,
            Action::PageUp,
            Action::PageDown,
            Action::Top,
            Action::Bottom,
            Action::Confirm,
            Action::Deny
        ]
    );
    for (value, label) in &p.items {
        let a = Action::from_name(value).unwrap();
        // What it does in words (no internal names), and its key where it has one.
        assert!(label.contains(a.desc()), "{label}");
        assert!(!label.starts_with(&format!("{value}:")), "{label}");
    }
    let save = &p.items.iter().find(|(v, _)| v == "save").unwrap().1;
    assert!(save.ends_with("[ctrl-s]"), "{save}");
    // Typing narrows it; enter runs the action.
    for c in "screens: waves".chars() {
        let ev = crossterm::event::Event::Key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char(c),
            crossterm::event::KeyModifiers::NONE,
        ));
        avmigrate::tui::events::on_event(&mut s, &ev);
    }
    let Some(Overlay::Picker(p)) = s.overlays.last() else {
        panic!()
    };
    assert_eq!(p.matching().len(), 1);
    update(&mut s, Action::Open);
    assert!(s.overlays.is_empty());
    assert_eq!(s.screen, Screen::Waves);
}

#[test]
fn help_is_generated_from_the_keymap() {
    let mut s = tui_support::state_with(Keymap::default_keymap());
    s.screen = Screen::Assets;
    let lines = help_lines(&s);
    let find = |lines: &[(String, String, String)], a: Action| {
        lines
            .iter()
            .find(|(_, _, d)| d == a.desc())
            .map(|(c, k, _)| (c.clone(), k.clone()))
    };
    assert_eq!(
        find(&lines, Action::Filter),
        Some(("Assets".into(), "/".into()))
    );
    assert_eq!(
        find(&lines, Action::Quit),
        Some(("General".into(), "q".into()))
    );
    assert_eq!(
        find(&lines, Action::Down),
        Some(("Move".into(), "j, down".into()))
    );
    // Only the keys of this screen and the global ones.
    assert_eq!(find(&lines, Action::RenameWave), None);
    s.screen = Screen::Waves;
    assert_eq!(
        find(&help_lines(&s), Action::RenameWave),
        Some(("Waves".into(), "n".into()))
    );

    let (map, problems) = Keymap::with_user_file(Some(
        "[global]\nquit = [\"ctrl-q\", \"f10\"]\n[waves]\nrename_wave = [\"ctrl-n\"]\n",
    ));
    assert!(problems.is_empty(), "{problems:?}");
    let mut s = tui_support::state_with(map);
    s.screen = Screen::Waves;
    let lines = help_lines(&s);
    assert_eq!(
        find(&lines, Action::Quit),
        Some(("General".into(), "ctrl-q, f10".into()))
    );
    assert_eq!(
        find(&lines, Action::RenameWave),
        Some(("Waves".into(), "ctrl-n".into()))
    );
    // The drawn overlay shows the same.
    s.overlays.push(Overlay::Help { scroll: 0 });
    let text = tui_support::lines(&tui_support::render(&s, 120, 35)).join("\n");
    let quit = text
        .lines()
        .find(|l| l.contains(Action::Quit.desc()))
        .expect("Quit in the help overlay");
    assert!(quit.contains("ctrl-q, f10"), "{quit}");
    assert!(text.contains("ctrl-n"), "{text}");
}

#[test]
fn a_user_key_taken_from_another_action_moves_to_the_new_one() {
    let (map, problems) = Keymap::with_user_file(Some("[global]\nundo = [\"q\"]\n"));
    assert!(problems.is_empty(), "{problems:?}");
    let q = Key::parse("q").unwrap();
    assert_eq!(
        map.resolve(Context::Screen(Screen::Dashboard), &q),
        Some(Action::Undo)
    );
    assert_eq!(
        map.keys_for(Context::Screen(Screen::Dashboard), Action::Undo),
        ["q"]
    );
    assert!(
        map.keys_for(Context::Screen(Screen::Dashboard), Action::Quit)
            .is_empty()
    );
    let s = tui_support::state_with(map.clone());
    let lines = help_lines(&s);
    let with_q: Vec<&str> = lines
        .iter()
        .filter(|(_, k, _)| k.split(", ").any(|k| k == "q"))
        .map(|(_, _, d)| d.as_str())
        .collect();
    assert_eq!(with_q, [Action::Undo.desc()], "help shows q once, for undo");
    check_hints(&map);
    // The same key for two actions in one file is reported, and neither gets it.
    let (map, problems) = Keymap::with_user_file(Some(
        "[waves]\nrename_wave = [\"x\"]\ntoggle_freeze = [\"x\"]\n",
    ));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("\"x\""), "{problems:?}");
    let x = Key::parse("x").unwrap();
    assert_eq!(map.resolve(Context::Screen(Screen::Waves), &x), None);
}

#[test]
fn a_key_repeated_for_one_action_is_fine() {
    let (map, problems) = Keymap::with_user_file(Some("[global]\nquit = [\"q\", \"q\"]\n"));
    assert!(problems.is_empty(), "{problems:?}");
    let q = Key::parse("q").unwrap();
    assert_eq!(
        map.resolve(Context::Screen(Screen::Dashboard), &q),
        Some(Action::Quit)
    );
}

#[test]
fn texts_that_name_keys_follow_the_keymap() {
    let (map, problems) = Keymap::with_user_file(Some(
        "[global]\nquit = [\"ctrl-q\"]\npalette = [\"f2\"]\ngenerate_plan = []\n",
    ));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        map.hint(Context::Global, Action::GeneratePlan),
        "f2 generate_plan",
        "an unbound action is named through the palette"
    );
    let mut s = tui_support::state_with(map);
    let small = tui_support::lines(&tui_support::render(&s, 70, 20)).join("\n");
    assert!(small.contains("press ctrl-q to quit"), "{small}");
    // The note at the end of help (scrolled down to it).
    let found = (0..60).any(|scroll| {
        s.overlays = vec![Overlay::Help { scroll }];
        let help = tui_support::lines(&tui_support::render(&s, 120, 35)).join("\n");
        help.contains("command palette (f2)")
    });
    assert!(found, "the help note names the palette key");
}
