//! Opening another file and reconciling a scan from inside the app.

use super::*;

fn demo_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/stadtwerke.toml")
}

fn answer_prompt(s: &mut State, text: &str) {
    assert!(matches!(s.overlays.last(), Some(Overlay::Prompt { .. })));
    type_str(s, text);
    key(s, KeyCode::Enter, KeyModifiers::NONE);
}

#[test]
fn ctrl_o_opens_an_inventory_and_a_plan_told_apart_by_their_content() {
    let dir = tempfile::tempdir().unwrap();
    let planned = with_plan();
    let plan_path = dir.path().join("rollout.toml");
    std::fs::write(&plan_path, crate::plan::file::to_toml(plan(&planned))).unwrap();
    let mut s = fresh();
    key(&mut s, KeyCode::Char('o'), KeyModifiers::CONTROL);
    answer_prompt(&mut s, &demo_file().display().to_string());
    assert_eq!(s.load_error, None);
    let d = s.data.as_ref().expect("loaded");
    assert!(d.plan.is_none() && d.shared.inventory.len() == 156);
    key(&mut s, KeyCode::Char('o'), KeyModifiers::CONTROL);
    answer_prompt(&mut s, &plan_path.display().to_string());
    let d = s.data.as_ref().expect("loaded");
    assert_eq!(d.plan_path.as_deref(), Some(plan_path.as_path()));
    assert_eq!(d.plan.as_ref().unwrap().assets.len(), 146);
}

#[test]
fn opening_over_unsaved_changes_asks_and_enter_does_not_answer() {
    let mut s = with_plan();
    assert!(s.dirty);
    key(&mut s, KeyCode::Char('o'), KeyModifiers::CONTROL);
    answer_prompt(&mut s, &demo_file().display().to_string());
    assert!(matches!(
        s.overlays.last(),
        Some(Overlay::Confirm {
            purpose: ConfirmPurpose::OpenDiscarding(_),
            ..
        })
    ));
    key(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    assert!(
        s.data.as_ref().unwrap().plan.is_some(),
        "enter loses nothing"
    );
    type_str(&mut s, "y");
    assert!(
        s.data.as_ref().unwrap().plan.is_none(),
        "the inventory replaced the plan"
    );
    assert!(!s.dirty);
}

#[test]
fn a_scan_is_reconciled_as_one_undoable_change_and_a_wrong_scan_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = with_plan();
    let before = plan(&s).clone();
    let wrong = dir.path().join("other.toml");
    std::fs::write(&wrong, "[[asset]]\nid = \"elsewhere-1\"\n").unwrap();
    act(&mut s, &[Action::ShowProgress]);
    type_str(&mut s, "r");
    answer_prompt(&mut s, &wrong.display().to_string());
    let (text, level) = s.message.clone().unwrap();
    assert_eq!(level, Level::Error);
    assert!(text.contains("matches none of the plan's"), "{text}");
    assert_eq!(plan(&s), &before);
    // The inventory the plan was made from, scanned again: every planned asset is seen.
    type_str(&mut s, "r");
    answer_prompt(&mut s, &demo_file().display().to_string());
    let (text, _) = s.message.clone().unwrap();
    assert!(
        text.contains("reconciled stadtwerke.toml: 146 of 146"),
        "{text}"
    );
    assert!(!s.replan_pending(), "edits are allowed again");
    assert_ne!(plan(&s), &before, "the scan's evidence is recorded");
    act(&mut s, &[Action::Undo]);
    assert_eq!(plan(&s), &before, "one undo takes the whole scan back");
}
