//! Plan actions through `update()`: generation, wave moves with undo/redo, statuses, quitting
//! with unsaved changes, saving, and the wave board's scrolling and clicks.

use super::*;

#[test]
fn generate_plan_makes_waves_with_a_pilot() {
    let mut s = demo();
    assert!(s.data.as_ref().unwrap().plan.is_none());
    act(&mut s, &[Action::GeneratePlan]);
    let p = plan(&s);
    assert_eq!(
        p.assets.len(),
        146,
        "every direct asset (113) and every asset protected through one (33) is planned"
    );
    assert_eq!(p.waves[0].name, "Pilot");
    assert!(s.dirty);
    let data = s.data.as_ref().unwrap();
    let members: usize = data.wave_members.iter().map(Vec::len).sum();
    assert_eq!(members, 146, "the wave index covers every planned asset");
}

#[test]
fn esc_cancels_a_plan_being_generated_and_its_result_is_dropped() {
    use crate::plan::job::Phase;
    let mut s = demo();
    let effects = update(&mut s, Action::GeneratePlan);
    assert!(s.replan_pending());
    let (text, _) = s.message.clone().expect("progress shown");
    assert!(text.contains("planning 113 asset(s)"), "{text}");
    assert!(text.contains("Esc cancels"), "{text}");
    let job = s.plan_job.clone().expect("the planning job is followed");
    // The status bar reads the worker's phase and percentage at each draw.
    job.begin(Phase::Layout, 8192).unwrap();
    job.tick(4096).unwrap();
    let status = screen(&s).last().cloned().unwrap();
    assert!(status.contains("placing waves 52 %"), "{status}");
    key(&mut s, KeyCode::Esc, KeyModifiers::NONE);
    assert!(!s.replan_pending());
    assert!(
        job.is_cancelled(),
        "Esc stops the worker, not only its result"
    );
    // The worker stops at its next check instead of finishing the plan.
    run_effects(&mut s, effects);
    assert_eq!(job.snapshot().phase, Phase::Cancelled);
    assert!(s.data.as_ref().unwrap().plan.is_none());
    assert!(!s.dirty);
    let status = screen(&s).last().cloned().unwrap();
    assert!(
        status.contains("planning cancelled; the plan is unchanged"),
        "{status}"
    );
    assert!(
        !status.contains('%'),
        "no progress figure once cancelled: {status}"
    );
    // A plan made afterwards is whole.
    act(&mut s, &[Action::GeneratePlan]);
    assert_eq!(plan(&s).assets.len(), 146);
    assert!(s.plan_job.is_none());
}

#[test]
fn move_to_next_wave_with_undo_and_redo() {
    let mut s = with_plan();
    act(&mut s, &[Action::ShowWaves, Action::Right, Action::Down]);
    assert!(s.waves.focus_assets);
    let data = s.data.as_ref().unwrap();
    let pos = wave_assets(data, 0)[1];
    let id = id_of(&s, pos);
    let before = plan(&s).clone();
    assert_eq!(before.asset(&id).unwrap().wave, "w1");
    act(&mut s, &[Action::MoveToNextWave]);
    let after = plan(&s).clone();
    assert_eq!(after.asset(&id).unwrap().wave, "w2");
    assert_eq!(
        s.waves.list.selected, 1,
        "the board follows the moved asset"
    );
    let data = s.data.as_ref().unwrap();
    assert_eq!(wave_assets(data, 1)[s.waves.members.selected], pos);
    let changed: Vec<&str> = before
        .assets
        .iter()
        .zip(&after.assets)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.id.as_str())
        .collect();
    assert_eq!(changed, [id.as_str()], "only that asset moved");

    key(&mut s, KeyCode::Char('u'), KeyModifiers::NONE);
    assert_eq!(plan(&s).assets, before.assets, "undo restores the plan");
    assert_eq!(plan(&s).waves, before.waves);
    assert_eq!(s.redo.len(), 1);
    act(&mut s, &[Action::Redo]);
    assert_eq!(plan(&s).assets, after.assets, "redo applies it again");
    assert!(s.redo.is_empty());
    act(&mut s, &[Action::Undo, Action::Undo]);
    assert_eq!(plan(&s).assets, before.assets);
    assert!(s.message.as_ref().unwrap().0.contains("nothing to undo"));
}

#[test]
fn set_status_through_the_picker_records_who() {
    let mut s = with_plan();
    act(&mut s, &[Action::ShowWaves, Action::Right]);
    let id = id_of(&s, wave_assets(s.data.as_ref().unwrap(), 0)[0]);
    let events = plan(&s).events.len();
    act(&mut s, &[Action::SetStatus]);
    assert!(matches!(
        &top_picker(&s).purpose,
        PickPurpose::SetStatus(ids) if ids == std::slice::from_ref(&id)
    ));
    pick(&mut s, "in-progress");
    assert!(s.overlays.is_empty());
    let p = plan(&s);
    assert_eq!(p.asset(&id).unwrap().status, Status::InProgress);
    assert_eq!(p.events.len(), events + 1);
    let e = p.events.last().unwrap();
    assert_eq!(
        (e.asset.as_str(), e.field.as_str(), e.from.as_str()),
        (id.as_str(), "status", "planned")
    );
    assert_eq!(e.to, "in-progress");
    assert_eq!(e.by, s.user);
    assert_eq!(e.by, "tester");
}

#[test]
fn blocked_status_asks_for_a_reason() {
    let mut s = with_plan();
    act(
        &mut s,
        &[Action::ShowWaves, Action::Right, Action::SetStatus],
    );
    let id = id_of(&s, wave_assets(s.data.as_ref().unwrap(), 0)[0]);
    pick(&mut s, "blocked");
    match s.overlays.last() {
        Some(Overlay::Prompt { purpose, .. }) => {
            assert_eq!(
                *purpose,
                PromptPurpose::StatusReason(Status::Blocked, vec![id.clone()])
            );
        }
        other => panic!("expected a reason prompt, got {other:?}"),
    }
    act(&mut s, &[Action::Open]);
    assert!(
        matches!(
            s.overlays.last(),
            Some(Overlay::Prompt { error: Some(_), .. })
        ),
        "an empty reason is refused"
    );
    assert_eq!(plan(&s).asset(&id).unwrap().status, Status::Planned);
    type_str(&mut s, "vendor ticket 4711");
    key(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    assert!(s.overlays.is_empty());
    let a = plan(&s).asset(&id).unwrap();
    assert_eq!(a.status, Status::Blocked);
    assert_eq!(a.status_reason.as_deref(), Some("vendor ticket 4711"));
}

#[test]
fn quit_with_unsaved_changes_asks_first() {
    let mut s = demo();
    act(&mut s, &[Action::Quit]);
    assert!(s.quit, "nothing unsaved: quits at once");

    let mut s = with_plan();
    assert!(s.dirty);
    act(&mut s, &[Action::Quit]);
    assert!(!s.quit);
    assert!(matches!(
        s.overlays.last(),
        Some(Overlay::Confirm {
            purpose: ConfirmPurpose::QuitUnsaved,
            ..
        })
    ));
    key(&mut s, KeyCode::Char('n'), KeyModifiers::NONE);
    assert!(s.overlays.is_empty());
    assert!(!s.quit, "deny keeps running");
    key(&mut s, KeyCode::Char('q'), KeyModifiers::NONE);
    assert!(!s.overlays.is_empty());
    let effects = update(&mut s, Action::Confirm);
    assert!(s.quit);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, super::super::jobs::Effect::DeleteAutosave(_))),
        "discarding the changes deletes the autosave"
    );
}

#[test]
fn first_save_asks_for_a_path() {
    let mut s = with_plan();
    act(&mut s, &[Action::Save]);
    match s.overlays.last() {
        Some(Overlay::Prompt { purpose, input, .. }) => {
            assert_eq!(*purpose, PromptPurpose::SavePath);
            assert_eq!(input, "plans/plan.toml");
        }
        other => panic!("expected the save prompt, got {other:?}"),
    }
    assert!(s.dirty);
}

#[test]
fn save_writes_a_readable_plan_and_detects_foreign_changes() {
    let dir = test_dir().join(format!("save-{:?}", std::thread::current().id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("rollout.toml");
    let _ = std::fs::remove_file(&path);
    let mut s = with_plan();
    act(&mut s, &[Action::Save]);
    key(&mut s, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_str(&mut s, &path.display().to_string());
    key(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    assert!(s.overlays.is_empty(), "{:?}", s.overlays);
    assert!(!s.dirty, "{:?}", s.message);
    assert_eq!(s.data.as_ref().unwrap().plan_path.as_ref(), Some(&path));
    let back = crate::plan::file::load(&path).expect("the saved plan loads");
    assert_eq!(back.assets, plan(&s).assets);
    assert_eq!(back.waves, plan(&s).waves);
    assert_eq!(back.settings, plan(&s).settings);

    // Someone else changes the file; our next save must not overwrite it silently.
    let foreign = format!(
        "{}\n# edited by someone else\n",
        std::fs::read_to_string(&path).unwrap()
    );
    std::fs::write(&path, &foreign).unwrap();
    act(
        &mut s,
        &[Action::ShowWaves, Action::Right, Action::MoveToNextWave],
    );
    assert!(s.dirty);
    key(&mut s, KeyCode::Char('s'), KeyModifiers::CONTROL);
    // The open plan's own file: merge (first, Enter's choice), overwrite, or leave it.
    assert!(
        matches!(
            s.overlays.last(),
            Some(Overlay::Picker(Picker {
                purpose: PickPurpose::SaveConflict(_),
                ..
            }))
        ),
        "{:?}",
        s.overlays
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        foreign,
        "not overwritten"
    );
    assert!(s.dirty);
    act(&mut s, &[Action::Down, Action::Open]);
    assert!(!s.dirty);
    let back = crate::plan::file::load(&path).unwrap();
    assert_eq!(
        back.assets,
        plan(&s).assets,
        "overwritten after choosing to"
    );
    let bak = crate::store::backup_path(&path);
    assert_eq!(
        std::fs::read_to_string(bak).unwrap(),
        foreign,
        "kept as .bak"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn wave_board_scrolls_its_asset_list_as_drawn() {
    let mut s = with_plan();
    act(
        &mut s,
        &[Action::ShowWaves, Action::Down, Action::Down, Action::Down],
    );
    assert_eq!(s.waves.list.selected, 3);
    let members = wave_assets(s.data.as_ref().unwrap(), 3).len();
    assert_eq!(members, 50);
    let shown = crate::tui::layout::wave_board(crate::tui::layout::body(&s))
        .assets
        .height as usize;
    assert_eq!(shown, 20, "35 lines: the list below the gauge has 20 rows");
    act(&mut s, &[Action::Right]);
    for _ in 0..22 {
        act(&mut s, &[Action::Down]);
    }
    assert_eq!(s.waves.members.selected, 22);
    assert_eq!(
        s.waves.members.offset, 3,
        "the selection is the last row shown"
    );
    // Moving it one wave later follows it, and it stays in view there too.
    act(&mut s, &[Action::MoveToNextWave]);
    assert_eq!(s.waves.list.selected, 4);
    assert!(s.waves.members.selected >= s.waves.members.offset);
    assert!(s.waves.members.selected < s.waves.members.offset + shown);
}

#[test]
fn clicks_on_the_wave_board_hit_what_is_drawn_there() {
    let mut s = with_plan();
    act(&mut s, &[Action::ShowWaves]);
    let board = crate::tui::layout::wave_board(crate::tui::layout::body(&s));
    // The first asset line of the selected wave.
    click(&mut s, board.assets.x + 5, board.assets.y);
    assert!(s.waves.focus_assets);
    assert_eq!(s.waves.members.selected, 0);
    click(&mut s, board.assets.x + 5, board.assets.y + 2);
    assert_eq!(s.waves.members.selected, 2);
    // Below the last asset of the pilot wave (6 assets) and in the violations box: nothing.
    click(&mut s, board.assets.x + 5, board.assets.y + 10);
    assert_eq!(s.waves.members.selected, 2);
    click(&mut s, board.problems.x + 5, board.problems.y + 2);
    assert_eq!(s.waves.members.selected, 2);
    // The third wave in the list; a line below the last wave does nothing.
    click(&mut s, 5, board.waves.y + 3);
    assert_eq!((s.waves.list.selected, s.waves.focus_assets), (2, false));
    click(&mut s, 5, board.waves.y + 20);
    assert_eq!(s.waves.list.selected, 2);
}

#[test]
fn overwriting_an_existing_file_after_confirming_writes_that_file() {
    let dir = test_dir().join(format!("overwrite-{:?}", std::thread::current().id()));
    std::fs::create_dir_all(&dir).unwrap();
    let first = dir.join("first.toml");
    let other = dir.join("other.toml");
    std::fs::write(&other, "# someone else's file\n").unwrap();
    let _ = std::fs::remove_file(&first);
    let save_as = |s: &mut State, path: &std::path::Path| {
        act(s, &[Action::SaveAs]);
        key(s, KeyCode::Char('u'), KeyModifiers::CONTROL);
        type_str(s, &path.display().to_string());
        key(s, KeyCode::Enter, KeyModifiers::NONE);
    };
    let mut s = with_plan();
    save_as(&mut s, &first);
    assert!(!s.dirty);
    let saved_first = std::fs::read_to_string(&first).unwrap();
    // Save as a file that exists: asked first, then that file (not the plan's own) is written.
    act(
        &mut s,
        &[Action::ShowWaves, Action::Right, Action::MoveToNextWave],
    );
    save_as(&mut s, &other);
    assert!(matches!(
        s.overlays.last(),
        Some(Overlay::Confirm {
            purpose: ConfirmPurpose::OverwriteForeign(p),
            ..
        }) if p == &other
    ));
    act(&mut s, &[Action::Confirm]);
    assert!(s.overlays.is_empty(), "{:?}", s.overlays);
    assert!(!s.dirty);
    assert!(
        std::fs::read_to_string(&first).unwrap() == saved_first,
        "the plan's previous file was overwritten instead"
    );
    let back = crate::plan::file::load(&other).expect("written");
    assert_eq!(back.assets, plan(&s).assets);
    assert_eq!(s.data.as_ref().unwrap().plan_path.as_ref(), Some(&other));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_wave_board_selection_stays_on_an_asset_when_its_wave_shrinks() {
    let mut s = with_plan();
    act(&mut s, &[Action::ShowWaves, Action::Right, Action::Bottom]);
    let pilot = wave_assets(s.data.as_ref().unwrap(), 0).len();
    assert_eq!(
        pilot, 8,
        "the pilot: six tagged assets and two platform samples"
    );
    assert_eq!(
        s.waves.members.selected,
        pilot - 1,
        "on the pilot's last asset"
    );
    act(&mut s, &[Action::MoveToWave]);
    pick(&mut s, "w2");
    assert_eq!(wave_assets(s.data.as_ref().unwrap(), 0).len(), pilot - 1);
    assert_eq!(s.waves.members.selected, pilot - 2, "on the new last asset");
    act(&mut s, &[Action::SetStatus]);
    assert!(
        matches!(s.overlays.last(), Some(Overlay::Picker(_))),
        "the selected asset is there to act on: {:?}",
        s.message
    );
}
