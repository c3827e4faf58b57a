//! Questions that cannot be answered blind: Enter never says yes to a destructive one, a
//! too-small terminal opens none, every question is drawn whole; and the prompt that locates a
//! plan's missing inventory instead of showing an empty estate.

use super::*;
use crate::plan::workspace::{BUILTIN_DEMO, DEMO_BYTES};

fn enter(state: &mut State) {
    key(state, KeyCode::Enter, KeyModifiers::NONE);
}

fn top_confirm(state: &State) -> Option<&ConfirmPurpose> {
    match state.overlays.last() {
        Some(Overlay::Confirm { purpose, .. }) => Some(purpose),
        _ => None,
    }
}

#[test]
fn enter_does_not_quit_and_lose_changes() {
    let mut s = with_plan();
    key(&mut s, KeyCode::Char('q'), KeyModifiers::NONE);
    assert_eq!(top_confirm(&s), Some(&ConfirmPurpose::QuitUnsaved));
    enter(&mut s);
    assert!(!s.quit, "enter must not confirm quitting without saving");
    assert_eq!(top_confirm(&s), Some(&ConfirmPurpose::QuitUnsaved));
    assert!(s.message.as_ref().unwrap().0.contains("press y for yes"));
    let drawn = screen(&s).join("\n");
    assert!(drawn.contains("y yes"), "{drawn}");
    assert!(
        !drawn.contains("enter yes"),
        "enter is not offered: {drawn}"
    );
    key(&mut s, KeyCode::Char('y'), KeyModifiers::NONE);
    assert!(s.quit, "an explicit y still quits");
}

#[test]
fn enter_does_not_overwrite_a_file_changed_on_disk() {
    let mut s = with_plan();
    let path = test_dir().join("dialogs-foreign.toml");
    let msg = super::super::jobs::Msg::SaveConflict(path.clone());
    let effects = super::super::events::on_msg(&mut s, msg);
    run_effects(&mut s, effects);
    assert_eq!(
        top_confirm(&s),
        Some(&ConfirmPurpose::OverwriteForeign(path.clone()))
    );
    enter(&mut s);
    assert!(!path.exists(), "enter wrote nothing");
    assert!(top_confirm(&s).is_some());
    // The long question is drawn whole, with its answer keys, at the smallest size.
    s.size = (80, 24);
    let drawn = screen(&s).join("\n");
    assert!(drawn.contains("y yes"), "{drawn}");
    assert!(drawn.contains("n/esc no"), "{drawn}");
    key(&mut s, KeyCode::Char('n'), KeyModifiers::NONE);
    assert!(s.overlays.is_empty());
}

#[test]
fn enter_still_answers_a_harmless_question() {
    let mut s = with_plan();
    act(&mut s, &[Action::Replan]);
    assert_eq!(top_confirm(&s), Some(&ConfirmPurpose::Replan));
    enter(&mut s);
    assert!(
        s.overlays.is_empty(),
        "regenerating is undoable: enter confirms"
    );
}

#[test]
fn a_too_small_terminal_opens_no_invisible_question() {
    let mut s = with_plan();
    s.size = (60, 20);
    let drawn = screen(&s).join("\n");
    assert!(drawn.contains("Terminal too small"), "{drawn}");
    assert!(drawn.contains("unsaved changes"), "{drawn}");
    key(&mut s, KeyCode::Char('q'), KeyModifiers::NONE);
    assert!(s.overlays.is_empty(), "no question nobody can see");
    key(&mut s, KeyCode::Char('y'), KeyModifiers::NONE);
    enter(&mut s);
    assert!(!s.quit, "a blind y or enter does nothing");
    // A question already open when the window shrank cannot be answered blind either.
    s.size = (120, 35);
    key(&mut s, KeyCode::Char('q'), KeyModifiers::NONE);
    assert!(top_confirm(&s).is_some());
    s.size = (60, 20);
    key(&mut s, KeyCode::Char('y'), KeyModifiers::NONE);
    assert!(!s.quit);
    s.size = (120, 35);
    key(&mut s, KeyCode::Char('y'), KeyModifiers::NONE);
    assert!(s.quit, "visible again, it answers");

    let mut s = demo();
    s.size = (60, 20);
    key(&mut s, KeyCode::Char('q'), KeyModifiers::NONE);
    assert!(s.quit, "nothing unsaved: q quits as the notice says");
}

/// A plan made from a copy of the demo inventory beside it, whose copy is then moved away.
fn plan_with_moved_inventory(name: &str) -> (PathBuf, PathBuf) {
    let dir = test_dir().join(name);
    std::fs::create_dir_all(dir.join("moved")).unwrap();
    let inventory = dir.join("inv.toml");
    std::fs::write(&inventory, DEMO_BYTES).unwrap();
    let mut s = fresh();
    run_effects(
        &mut s,
        vec![Effect::Load(LoadRequest {
            source: Source::Inventories(vec![inventory.clone()]),
            rules: None,
            catalog: None,
            import: Default::default(),
        })],
    );
    act(&mut s, &[Action::GeneratePlan]);
    let plan_path = dir.join("plan.toml");
    let effects = super::super::plan_save::save(&mut s, Some(plan_path.clone()), true);
    run_effects(&mut s, effects);
    let moved = dir.join("moved").join("inv.toml");
    std::fs::rename(&inventory, &moved).unwrap();
    (plan_path, moved)
}

fn open_plan(path: &Path) -> State {
    let mut s = fresh();
    run_effects(
        &mut s,
        vec![Effect::Load(LoadRequest {
            source: Source::Plan(path.to_path_buf()),
            rules: None,
            catalog: None,
            import: Default::default(),
        })],
    );
    s
}

#[test]
fn a_missing_inventory_asks_where_it_is_and_the_plan_records_it() {
    let (plan_path, moved) = plan_with_moved_inventory("locate-moved");
    let mut s = open_plan(&plan_path);
    assert!(s.data.is_none(), "never an empty estate");
    let error = s.load_error.clone().unwrap();
    assert!(error.contains("inv.toml is missing"), "{error}");
    assert!(matches!(
        s.overlays.last(),
        Some(Overlay::Prompt {
            purpose: PromptPurpose::LocateInventory(None),
            ..
        })
    ));
    let drawn = screen(&s).join("\n");
    assert!(drawn.contains("Locate inventory"), "{drawn}");

    type_str(&mut s, "/no/such/file.toml");
    enter(&mut s);
    match s.overlays.last() {
        Some(Overlay::Prompt { error: Some(e), .. }) => assert!(e.contains("not found"), "{e}"),
        other => panic!("the prompt stays with an error: {other:?}"),
    }
    key(&mut s, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_str(&mut s, &moved.display().to_string());
    enter(&mut s);
    assert!(s.overlays.is_empty());
    assert_eq!(s.load_error, None);
    assert_eq!(s.data.as_ref().unwrap().shared.inventory.len(), 156);
    assert!(s.dirty, "the plan now names another file");
    assert_eq!(plan(&s).inventory[0].path, "moved/inv.toml");

    act(&mut s, &[Action::Save]);
    let reopened = open_plan(&plan_path);
    assert_eq!(reopened.load_error, None);
    assert_eq!(reopened.data.as_ref().unwrap().shared.inventory.len(), 156);
}

#[test]
fn a_located_file_is_read_by_a_worker_never_by_update() {
    let (plan_path, moved) = plan_with_moved_inventory("locate-effect");
    let mut s = open_plan(&plan_path);
    type_str(&mut s, &moved.display().to_string());
    let effects = on_event(
        &mut s,
        &Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    assert!(
        matches!(effects.as_slice(), [Effect::HashInventory(p)] if *p == moved),
        "{effects:?}"
    );
    assert!(
        s.data.is_none(),
        "nothing is loaded before the worker answers"
    );
    run_effects(&mut s, effects);
    assert_eq!(s.data.as_ref().unwrap().shared.inventory.len(), 156);
}

#[test]
fn a_located_file_with_other_content_is_used_only_when_confirmed() {
    let (plan_path, _) = plan_with_moved_inventory("locate-other");
    let mut s = open_plan(&plan_path);
    assert!(s.data.is_none());
    let other = plan_path.with_file_name("other.toml");
    let text = String::from_utf8(DEMO_BYTES.to_vec()).unwrap();
    std::fs::write(&other, format!("{text}\n# edited\n")).unwrap();
    type_str(&mut s, &other.display().to_string());
    enter(&mut s);
    match s.overlays.last() {
        Some(Overlay::Prompt { error: Some(e), .. }) => {
            assert!(e.contains("not the content"), "{e}")
        }
        other => panic!("warned first: {other:?}"),
    }
    assert!(s.data.is_none());
    enter(&mut s);
    assert!(s.overlays.is_empty(), "a second enter uses it");
    assert_eq!(s.data.as_ref().unwrap().shared.inventory.len(), 156);
}

#[test]
fn a_plan_naming_no_inventory_can_be_pointed_at_the_builtin_demo() {
    let mut s = with_plan();
    let mut p = plan(&s).clone();
    p.inventory.clear();
    let path = test_dir().join("no-inventory.toml");
    std::fs::write(&path, crate::plan::file::to_toml(&p)).unwrap();
    s = open_plan(&path);
    assert!(s.data.is_none());
    assert!(
        s.load_error
            .as_ref()
            .unwrap()
            .contains("names no inventory")
    );
    type_str(&mut s, BUILTIN_DEMO);
    enter(&mut s);
    assert_eq!(s.data.as_ref().unwrap().shared.inventory.len(), 156);
    assert_eq!(plan(&s).inventory[0].path, BUILTIN_DEMO);
}

#[test]
fn a_demo_plan_names_the_builtin_demo() {
    let mut s = with_plan();
    assert_eq!(plan(&s).inventory[0].path, BUILTIN_DEMO);
    let path = test_dir().join("elsewhere").join("demo-plan.toml");
    let effects = super::super::plan_save::save(&mut s, Some(path.clone()), true);
    run_effects(&mut s, effects);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("path = \"builtin:demo\""), "{text}");
    let reopened = open_plan(&path);
    assert_eq!(reopened.load_error, None);
    assert_eq!(reopened.data.as_ref().unwrap().shared.inventory.len(), 156);
}
