//! Someone else saved the plan while it was open: the save offers to merge their changes.

use super::*;
use crate::plan::{Edit, EditContext, apply};

fn save_to(s: &mut State, path: &Path) {
    let effects = crate::tui::plan_save::save(s, Some(path.to_path_buf()), false);
    run_effects(s, effects);
}

#[test]
fn a_save_over_someone_elses_change_merges_theirs_into_ours_undoably() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rollout.toml");
    let mut s = with_plan();
    save_to(&mut s, &path);
    assert!(!s.dirty);
    // A colleague notes something on one asset and saves the file.
    let text = std::fs::read_to_string(&path).unwrap();
    let mut theirs = crate::plan::file::parse(&text, "theirs").unwrap();
    let ctx = EditContext::user(Some("colleague"));
    let note = Edit::SetNote {
        asset: "srv-ksc-01".into(),
        note: Some("call the vendor first".into()),
    };
    apply(&mut theirs, &note, &ctx).unwrap();
    std::fs::write(&path, crate::plan::file::to_toml(&theirs)).unwrap();
    // Meanwhile, here: another asset is pinned.
    let pin = Edit::Pin {
        asset: "srv-dc-01".into(),
        pinned: true,
    };
    let effects = crate::tui::plan_ops::edit(&mut s, pin);
    run_effects(&mut s, effects);
    let before_merge = plan(&s).clone();
    key(&mut s, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let Some(Overlay::Picker(p)) = s.overlays.last() else {
        panic!("the save asks what to do: {:?}", s.overlays.last());
    };
    assert_eq!(
        p.items[0].0, "merge",
        "the first choice, Enter's, loses nothing"
    );
    key(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    let merged = plan(&s);
    let asset = |id: &str| merged.assets.iter().find(|a| a.id == id).unwrap().clone();
    assert_eq!(
        asset("srv-ksc-01").note.as_deref(),
        Some("call the vendor first")
    );
    assert!(asset("srv-dc-01").pinned, "ours kept");
    assert!(s.dirty, "the merge is not saved by itself");
    // Saving now writes the merge: the file no longer counts as changed by someone else.
    key(&mut s, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(s.overlays.is_empty(), "{:?}", s.overlays.last());
    let on_disk = crate::plan::file::parse(&std::fs::read_to_string(&path).unwrap(), "x").unwrap();
    assert_eq!(&on_disk.assets, &plan(&s).assets);
    // One undo takes the merge back.
    act(&mut s, &[Action::Undo]);
    assert_eq!(plan(&s), &before_merge);
}

#[test]
fn a_save_as_over_another_file_only_offers_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = with_plan();
    save_to(&mut s, &dir.path().join("mine.toml"));
    let other = dir.path().join("other.toml");
    std::fs::write(&other, "someone's file").unwrap();
    save_to(&mut s, &other);
    assert!(matches!(
        s.overlays.last(),
        Some(Overlay::Confirm {
            purpose: ConfirmPurpose::OverwriteForeign(_),
            ..
        })
    ));
}
