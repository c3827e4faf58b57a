//! Plan edits around a running replan (and a load), and the wave board following moved assets.

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

#[test]
fn the_board_follows_a_marked_asset_to_the_wave_it_went_to() {
    let mut s = with_plan();
    let data = s.data.as_ref().unwrap();
    let pos = wave_assets(data, 2)[0];
    let id = id_of(&s, pos);
    let shown = wave_assets(data, 0)[0];
    // Marked on the assets screen; the board shows the pilot wave.
    s.assets.marked.insert(pos);
    act(
        &mut s,
        &[Action::ShowWaves, Action::Right, Action::MoveToNextWave],
    );
    let wave = plan(&s).waves[3].id.clone();
    assert_eq!(
        plan(&s).asset(&id).unwrap().wave,
        wave,
        "moved one wave later"
    );
    assert_eq!(plan(&s).asset(&id_of(&s, shown)).unwrap().wave, "w1");
    assert_eq!(
        s.waves.list.selected, 3,
        "the board shows the wave it went to"
    );
    assert_eq!(
        wave_assets(s.data.as_ref().unwrap(), 3)[s.waves.members.selected],
        pos
    );
    // And back one wave earlier.
    act(&mut s, &[Action::MoveToPrevWave]);
    assert_eq!(s.waves.list.selected, 2);
    assert_eq!(
        wave_assets(s.data.as_ref().unwrap(), 2)[s.waves.members.selected],
        pos
    );
}

#[test]
fn a_wave_reference_in_another_case_is_on_the_board_and_steps_from_its_wave() {
    let mut s = with_plan();
    let pos = wave_assets(s.data.as_ref().unwrap(), 1)[0];
    let id = id_of(&s, pos);
    // As hand-edited in the file: `wave = "W2"`.
    let d = s.data.as_mut().unwrap();
    let p = d.plan_mut().unwrap();
    let k = p.assets.iter().position(|a| a.id == id).unwrap();
    p.assets[k].wave = "W2".into();
    d.reindex();
    assert!(wave_assets(s.data.as_ref().unwrap(), 1).contains(&pos));
    act(&mut s, &[Action::ShowWaves, Action::Down, Action::Right]);
    assert_eq!(crate::tui::lists::selected_asset(&s), Some(pos));
    act(&mut s, &[Action::MoveToNextWave]);
    assert_eq!(plan(&s).asset(&id).unwrap().wave, "w3");
    assert_eq!(s.waves.list.selected, 2);
    assert_eq!(
        wave_assets(s.data.as_ref().unwrap(), 2)[s.waves.members.selected],
        pos
    );
}

#[test]
fn a_replan_of_the_previous_workspace_is_dropped_when_another_is_loaded() {
    let mut s = demo();
    let replan = update(&mut s, Action::GeneratePlan);
    assert!(s.replan_pending());
    // Another workspace is opened before the plan arrives.
    run_effects(
        &mut s,
        vec![Effect::Load(LoadRequest {
            source: Source::Demo,
            rules: None,
            catalog: None,
            import: Default::default(),
        })],
    );
    assert!(
        !s.replan_pending(),
        "edits are not held back for a plan that will not come"
    );
    run_effects(&mut s, replan);
    assert!(
        s.data.as_ref().unwrap().plan.is_none(),
        "the old workspace's plan does not land in the new one"
    );
}

#[test]
fn edits_are_stamped_with_the_time_update_was_given() {
    let mut s = with_plan();
    act(&mut s, &[Action::ShowWaves, Action::Right]);
    let id = id_of(&s, wave_assets(s.data.as_ref().unwrap(), 0)[0]);
    let at: crate::model::Timestamp = "2027-03-01T10:15:00Z".parse().unwrap();
    s.now = at;
    act(&mut s, &[Action::TogglePin]);
    assert!(pinned(&s, &id));
    let last = plan(&s).events.last().expect("an event");
    assert_eq!((last.asset.as_str(), last.at), (id.as_str(), at));
}

#[test]
fn an_edit_while_a_validation_reads_the_plan_edits_it_in_place_and_validates_after() {
    let mut s = with_plan();
    act(
        &mut s,
        &[Action::ShowWaves, Action::Right, Action::TogglePin],
    );
    // The validation of the next edit is still running (its effect not run yet)…
    let running = update(&mut s, Action::TogglePin);
    assert!(running.iter().any(|e| matches!(e, Effect::Validate(..))));
    let before = std::sync::Arc::as_ptr(s.data.as_ref().unwrap().plan.as_ref().unwrap());
    // …when another edit comes: the plan is changed where it is, the validation waits.
    let edit = update(&mut s, Action::MoveToNextWave);
    let after = std::sync::Arc::as_ptr(s.data.as_ref().unwrap().plan.as_ref().unwrap());
    assert_eq!(before, after, "the plan was not copied");
    assert!(!edit.iter().any(|e| matches!(e, Effect::Validate(..))));
    run_effects(&mut s, edit);
    // The running validation ends; the one owed follows and sees the plan as it is now.
    run_effects(&mut s, running);
    let d = s.data.as_ref().unwrap();
    let ctx = d.shared.plan_context();
    let now = crate::plan::validate::validate(plan(&s), &ctx, &[]);
    assert_eq!(d.problems, now);
    assert_eq!(
        d.summary,
        Some(crate::tui::data::PlanSummary::of(plan(&s), d.shared.today))
    );
}
