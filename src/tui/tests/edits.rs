//! Plan edits around a running replan.

use super::*;

/// Whether the planned asset `id` is pinned.
fn pinned(state: &State, id: &str) -> bool {
    plan(state).asset(id).unwrap().pinned
}

#[test]
fn edits_wait_while_a_replan_runs() {
    let mut s = with_plan();
    act(&mut s, &[Action::ShowWaves, Action::Right]);
    let id = id_of(&s, wave_assets(s.data.as_ref().unwrap(), 0)[0]);
    assert!(!pinned(&s, &id));
    // A status picker opened before the replan starts…
    act(&mut s, &[Action::SetStatus]);
    let picker = s.overlays.pop().expect("the status picker");
    // The replan starts; its result has not arrived yet.
    let replan = update(&mut s, Action::GeneratePlan);
    assert!(s.replan_pending());
    // …and chosen from while it runs changes nothing either.
    s.overlays.push(picker);
    pick(&mut s, "in-progress");
    assert_eq!(
        s.message.as_ref().unwrap().0,
        "planning… wait for the new plan"
    );
    assert_eq!(plan(&s).asset(&id).unwrap().status, Status::Planned);
    let events = plan(&s).events.len();
    for a in [
        Action::TogglePin,
        Action::MoveToNextWave,
        Action::SetStatus,
        Action::Undo,
    ] {
        s.message = None;
        let effects = update(&mut s, a);
        assert!(effects.is_empty(), "{a:?} starts nothing");
        assert!(s.overlays.is_empty(), "{a:?} opens no picker");
        let (text, level) = s.message.clone().expect("a message");
        assert_eq!(
            (text.as_str(), level),
            ("planning… wait for the new plan", Level::Error),
            "{a:?}"
        );
    }
    assert_eq!(plan(&s).events.len(), events, "nothing changed meanwhile");
    run_effects(&mut s, replan);
    assert!(!s.replan_pending());
    assert!(s.message.as_ref().unwrap().0.starts_with("plan ready"));
    // Now edits go through again, and stay.
    act(&mut s, &[Action::TogglePin]);
    assert!(pinned(&s, &id));
}
