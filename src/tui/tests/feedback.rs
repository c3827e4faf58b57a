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
    says(&s, "undone");

    act(&mut s, &[Action::SetStatus]);
    pick(&mut s, "in-progress");
    says(&s, &format!("status of {id}: in-progress"));
    act(&mut s, &[Action::SetProduct]);
    pick(&mut s, "defender-av");
    says(&s, &format!("product of {id}: defender-av"));
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
    let id = id_of(&s, wave_assets(s.data.as_ref().unwrap(), 0)[0]);
    // planned → verified skips steps: refused, and the error stays.
    act(&mut s, &[Action::SetStatus]);
    pick(&mut s, "verified");
    let (text, level) = message(&s);
    assert_eq!(level, Level::Error, "{text}");
    assert!(text.contains(&id), "{text}");
    // A vendor rule confirms itself and how to apply it.
    act(&mut s, &[Action::ShowVendors, Action::AddVendorRule]);
    assert!(message(&s).0.starts_with("vendor rule added"));
    act(&mut s, &[Action::Right, Action::DeleteVendorRule]);
    says(&s, "vendor rule 1 deleted");
}
