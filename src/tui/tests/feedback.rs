//! The status line confirms what each plan edit did, and keeps the error when one is refused.

use super::*;

fn message(s: &State) -> (String, Level) {
    s.message.clone().expect("a message")
}

fn says(s: &State, text: &str) {
    assert_eq!(message(s), (text.to_string(), Level::Info));
}

#[test]
fn edits_confirm_what_they_did_in_the_status_line() {
    let mut s = with_plan();
    act(&mut s, &[Action::ShowWaves, Action::Right]);
    let id = id_of(&s, wave_assets(s.data.as_ref().unwrap(), 0)[0]);

    act(&mut s, &[Action::MoveToNextWave]);
    says(&s, &format!("moved {id} to w2"));
    act(&mut s, &[Action::MoveToPrevWave]);
    says(&s, &format!("moved {id} to w1"));
    act(&mut s, &[Action::MoveToWave]);
    pick(&mut s, "w3");
    says(&s, &format!("moved {id} to w3"));
    act(&mut s, &[Action::Undo]);
    says(&s, &format!("undone: moved {id} to w3"));
    act(&mut s, &[Action::Redo]);
    says(&s, &format!("redone: moved {id} to w3"));
    act(&mut s, &[Action::Undo]);

    act(&mut s, &[Action::SetStatus]);
    pick(&mut s, "in-progress");
    says(&s, &format!("status of {id}: in-progress"));
    act(&mut s, &[Action::SetProduct]);
    let fits = top_picker(&s)
        .items
        .iter()
        .find(|(_, label)| label.starts_with('✓'))
        .map(|(v, _)| v.clone())
        .expect("a product that fits");
    pick(&mut s, &fits);
    says(&s, &format!("product of {id}: {fits}"));
    act(&mut s, &[Action::TogglePin]);
    says(&s, &format!("pinned {id}"));

    // Several marked assets at once.
    let others: Vec<u32> = wave_assets(s.data.as_ref().unwrap(), 1)[..3].to_vec();
    s.assets.marked.extend(others);
    act(&mut s, &[Action::TogglePin]);
    says(&s, "pinned 3 asset(s)");
    s.assets.marked.clear();

    // Wave edits, from the wave list.
    act(&mut s, &[Action::Left, Action::ToggleFreeze]);
    says(&s, "froze w1");
    act(&mut s, &[Action::ToggleFreeze]);
    says(&s, "unfroze w1");
    act(&mut s, &[Action::RenameWave]);
    key(&mut s, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_str(&mut s, "Erste Welle");
    key(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    says(&s, "renamed w1 to \"Erste Welle\"");
    act(&mut s, &[Action::EditWaveDates]);
    key(&mut s, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_str(&mut s, "2026-12-01..2026-12-04");
    key(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    says(&s, "w1 now runs 2026-12-01 – 2026-12-04");
}

#[test]
fn a_refused_edit_keeps_its_error() {
    let mut s = with_plan();
    act(&mut s, &[Action::ShowWaves, Action::Right]);
    // planned → verified skips steps: not offered, and the picker says why in one line.
    act(&mut s, &[Action::SetStatus]);
    let p = top_picker(&s);
    assert!(
        p.items.iter().all(|(v, _)| v != "verified"),
        "{:?}",
        p.items
    );
    assert!(
        p.notes.iter().any(|n| n == "verified: only from migrated"),
        "{:?}",
        p.notes
    );
    act(&mut s, &[Action::Back, Action::Left]);
    // Dates over the next wave's are refused by the plan, and the error stays.
    let next = plan(&s).waves[1].clone();
    act(&mut s, &[Action::EditWaveDates]);
    key(&mut s, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_str(&mut s, &format!("{}..{}", next.start, next.end));
    key(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    let (text, level) = message(&s);
    assert_eq!(level, Level::Error, "{text}");
    assert!(text.contains(&next.id), "{text}");
    // A vendor rule confirms itself and how to apply it.
    act(&mut s, &[Action::ShowVendors, Action::AddVendorRule]);
    assert!(message(&s).0.starts_with("vendor rule added"));
    act(&mut s, &[Action::Right, Action::DeleteVendorRule]);
    says(&s, "vendor rule 1 deleted");
}

#[test]
fn migrated_without_a_scan_asks_how_it_was_checked() {
    let mut s = with_plan();
    act(&mut s, &[Action::ShowWaves, Action::Right]);
    let id = id_of(&s, wave_assets(s.data.as_ref().unwrap(), 0)[0]);
    act(&mut s, &[Action::SetStatus]);
    let offered = &top_picker(&s).items;
    let label = &offered.iter().find(|(v, _)| v == "migrated").unwrap().1;
    assert!(label.contains("without a scan"), "{label}");
    pick(&mut s, "migrated");
    assert!(
        matches!(s.overlays.last(), Some(Overlay::Prompt { title, .. }) if title.contains("how was it checked")),
        "{:?}",
        s.overlays.last()
    );
    type_str(&mut s, "checked on site");
    key(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    let a = plan(&s).asset(&id).unwrap().clone();
    assert_eq!(a.status, crate::plan::Status::Migrated);
    let event = plan(&s).events.last().unwrap().clone();
    assert_eq!(event.note.as_deref(), Some("checked on site"));
}

#[test]
fn messages_expire_and_the_log_keeps_them_whole() {
    let mut s = with_plan();
    s.size = (80, 24);
    let long = format!("{} end-of-message", "a rather long message ".repeat(8));
    s.info(long.clone());
    let bar = screen(&s).last().unwrap().clone();
    assert!(
        bar.contains('…') && !bar.contains("end-of-message"),
        "{bar}"
    );
    // Six seconds later the status bar gives its room back to the key hints.
    s.now = crate::model::Timestamp::from_unix(s.now.unix() + Level::Info.shown_for());
    assert!(s.expire_message());
    let bar = screen(&s).last().unwrap().clone();
    assert!(!bar.contains("rather long"), "{bar}");
    act(&mut s, &[Action::MessageLog]);
    let drawn = screen(&s).join("\n");
    assert!(drawn.contains("Messages — newest first"), "{drawn}");
    assert!(
        drawn.contains("end-of-message"),
        "the log shows it whole:\n{drawn}"
    );
    act(&mut s, &[Action::Back]);
    assert!(s.overlays.is_empty());
}

#[test]
fn errors_stay_counted_until_the_log_is_read() {
    let mut s = with_plan();
    s.error("something failed");
    s.now = crate::model::Timestamp::from_unix(s.now.unix() + 3600);
    s.expire_message();
    s.info("later news");
    let bar = screen(&s).last().unwrap().clone();
    assert!(bar.contains("1 unread (L)"), "{bar}");
    act(&mut s, &[Action::MessageLog, Action::Back]);
    let bar = screen(&s).last().unwrap().clone();
    assert!(!bar.contains("unread"), "{bar}");
}

#[test]
fn a_new_plan_is_announced_with_the_dashboards_counts() {
    let s = with_plan();
    let (violations, warnings) = s.data.as_ref().unwrap().problem_counts();
    let (text, _) = message(&s);
    assert_eq!(
        text,
        format!(
            "plan ready: {violations} violation(s), {warnings} warning(s) (see the dashboard's \
             Problems)"
        )
    );
    let mut s = s;
    act(&mut s, &[Action::ShowDashboard]);
    let drawn = screen(&s).join("\n");
    assert!(
        drawn.contains(&format!("{violations} violation(s), {warnings} warning(s)")),
        "{drawn}"
    );
}

#[test]
fn the_name_for_the_history_is_asked_once_and_kept() {
    let mut s = with_plan();
    s.user = String::new();
    act(
        &mut s,
        &[Action::ShowWaves, Action::Right, Action::TogglePin],
    );
    assert!(
        matches!(
            s.overlays.last(),
            Some(Overlay::Prompt {
                purpose: PromptPurpose::UserName(Some(_)),
                ..
            })
        ),
        "{:?}",
        s.overlays.last()
    );
    assert!(
        plan(&s).events.is_empty(),
        "nothing recorded without a name"
    );
    type_str(&mut s, "Jana Weber");
    let effects = on_event(
        &mut s,
        &Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::SaveConfig(c) if c.user.as_deref() == Some("Jana Weber"))),
        "{effects:?}"
    );
    run_effects(&mut s, effects);
    assert_eq!(plan(&s).events.last().unwrap().by, "Jana Weber");
    // Asked once: the next edit just happens.
    act(&mut s, &[Action::TogglePin]);
    assert!(s.overlays.is_empty());
    // The theme is kept too.
    let effects = crate::tui::update::update(&mut s, Action::CycleTheme);
    assert!(matches!(effects.as_slice(), [Effect::SaveConfig(c)] if c.theme == Some(s.theme)));
}

#[test]
fn the_product_picker_marks_fit_and_refuses_what_does_not() {
    let mut s = with_plan();
    select_asset(&mut s, "mac-verw-01");
    act(&mut s, &[Action::SetProduct]);
    let items = top_picker(&s).items.clone();
    let support_rank = |label: &str| "✓~?✗".chars().position(|c| label.starts_with(c)).unwrap();
    let ranks: Vec<usize> = items.iter().map(|(_, l)| support_rank(l)).collect();
    assert!(
        ranks.windows(2).all(|w| w[0] <= w[1]),
        "fitting first: {items:?}"
    );
    let defender = &items.iter().find(|(v, _)| v == "defender-av").unwrap().1;
    assert!(
        defender.starts_with('✗') && defender.contains("does not run on macOS"),
        "{defender}"
    );
    pick(&mut s, "defender-av");
    let (text, level) = message(&s);
    assert_eq!(level, Level::Error, "{text}");
    assert!(text.contains("does not fit"), "{text}");
    let id_product = plan(&s).asset("mac-verw-01").unwrap().product.clone();
    assert_ne!(id_product.as_deref(), Some("defender-av"));
}

#[test]
fn undoing_back_to_the_saved_plan_leaves_nothing_unsaved() {
    let mut s = with_plan();
    let dir = test_dir().join(format!("undo-saved-{:?}", std::thread::current().id()));
    std::fs::create_dir_all(&dir).unwrap();
    let effects = crate::tui::plan_save::save(&mut s, Some(dir.join("p.toml")), false);
    crate::tui::run_effects(&mut s, effects);
    assert!(!s.dirty, "saved");
    act(
        &mut s,
        &[Action::ShowWaves, Action::Right, Action::TogglePin],
    );
    assert!(s.dirty);
    act(&mut s, &[Action::TogglePin]);
    assert!(s.dirty, "pinned and unpinned is two changes, still unsaved");
    act(&mut s, &[Action::Undo, Action::Undo]);
    assert!(!s.dirty, "back at the saved version");
    act(&mut s, &[Action::Redo]);
    assert!(s.dirty);
    act(&mut s, &[Action::Undo]);
    assert!(!s.dirty);
    // Saved after one change, then undone and changed differently: the same undo depth is
    // not the saved version any more.
    act(&mut s, &[Action::TogglePin]);
    let effects = crate::tui::plan_save::save(&mut s, Some(dir.join("p.toml")), true);
    crate::tui::run_effects(&mut s, effects);
    assert!(!s.dirty);
    act(&mut s, &[Action::Undo, Action::Down, Action::TogglePin]);
    assert_eq!(s.undo.len(), 1);
    assert!(
        s.dirty,
        "another change at the saved depth is still unsaved"
    );
}

#[test]
fn the_wheel_scrolls_the_pane_under_the_pointer() {
    use crossterm::event::{MouseEvent, MouseEventKind};
    let mut s = with_plan();
    act(&mut s, &[Action::ShowVendors]);
    assert_eq!(s.vendors.pane, VendorPane::Products);
    let [_, _, uncovered] = crate::tui::layout::vendor_panes(crate::tui::layout::body(&s));
    let wheel = |kind| {
        Event::Mouse(MouseEvent {
            kind,
            column: uncovered.x + 2,
            row: uncovered.y + 2,
            modifiers: KeyModifiers::NONE,
        })
    };
    let effects = on_event(&mut s, &wheel(MouseEventKind::ScrollDown));
    run_effects(&mut s, effects);
    assert_eq!(s.vendors.pane, VendorPane::Uncovered);
    assert_eq!(s.vendors.uncovered_assets.selected, 1);
    assert_eq!(
        s.vendors.products.selected, 0,
        "the other pane did not move"
    );
}
