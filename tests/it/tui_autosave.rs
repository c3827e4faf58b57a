//! Autosave: a crash leaves a copy that the next start offers to restore; saving removes it.
//! (Its own test binary: it writes to the data directory that every load looks at.)

use crate::tui_support;

use avmigrate::tui::action::Action;
use avmigrate::tui::jobs::{Effect, autosave_path};
use avmigrate::tui::run_effects;
use avmigrate::tui::state::{ConfirmPurpose, Overlay};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_support::*;

fn autosave_now(s: &mut avmigrate::tui::state::State) {
    // What the runtime does every 30 s while there are unsaved changes.
    let data = s.data.as_ref().unwrap();
    let plan = std::sync::Arc::clone(data.plan.as_ref().unwrap());
    run_effects(s, vec![Effect::Autosave(data.plan_path.clone(), plan)]);
}

fn restore_offered(s: &avmigrate::tui::state::State) -> bool {
    matches!(
        s.overlays.last(),
        Some(Overlay::Confirm {
            purpose: ConfirmPurpose::RestoreAutosave(_),
            ..
        })
    )
}

#[test]
fn an_unsaved_plan_is_offered_after_a_crash_and_forgotten_once_saved() {
    let mut s = demo();
    act(&mut s, &[Action::GeneratePlan]);
    autosave_now(&mut s);
    let unsaved = autosave_path(&test_env(), None).unwrap();
    assert!(unsaved.is_file());

    // "Crash": a new start finds the copy and offers it; restoring brings the plan back.
    let mut again = demo();
    assert!(restore_offered(&again), "{:?}", again.overlays);
    let Some(Overlay::Confirm { question, .. }) = again.overlays.last() else {
        unreachable!()
    };
    assert!(
        question.starts_with("An unsaved plan for this inventory from an earlier session"),
        "{question}"
    );
    act(&mut again, &[Action::Confirm]);
    let restored = again
        .data
        .as_ref()
        .unwrap()
        .plan
        .as_ref()
        .expect("restored");
    assert_eq!(
        restored.assets,
        s.data.as_ref().unwrap().plan.as_ref().unwrap().assets
    );
    assert!(again.dirty);

    // Saving the plan removes the copy, so the next start does not offer it again.
    let path = env().join("autosave-test").join("plan.toml");
    act(&mut s, &[Action::Save]);
    let key = |s: &mut avmigrate::tui::state::State, code, m| {
        let effects = avmigrate::tui::events::on_event(s, &Event::Key(KeyEvent::new(code, m)));
        run_effects(s, effects);
    };
    key(&mut s, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_str(&mut s, &path.display().to_string());
    key(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    assert!(!s.dirty, "{:?}", s.message);
    assert!(
        !unsaved.exists(),
        "the autosave of the unsaved plan is gone after saving"
    );
    let fresh = demo();
    assert!(!restore_offered(&fresh), "{:?}", fresh.overlays);
}
