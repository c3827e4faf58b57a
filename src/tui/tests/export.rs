//! The export overlay: choosing an export, its preview (files, assets not listed, warnings),
//! writing it where the user says, and never over the plan.

use super::*;
use crate::tui::export_screen::Stage;

fn export_view(s: &State) -> &crate::tui::export_screen::ExportView {
    match s.overlays.last() {
        Some(Overlay::Export(v)) => v,
        other => panic!("no export overlay: {other:?}"),
    }
}

/// Opens the export list and chooses the entry whose label contains `what`.
fn choose(s: &mut State, what: &str) {
    type_str(s, "E");
    let Some(Overlay::Picker(p)) = s.overlays.last() else {
        panic!("E opens the list of exports");
    };
    let pos = p.items.iter().position(|(_, l)| l.contains(what)).unwrap();
    for _ in 0..pos {
        key(s, KeyCode::Down, KeyModifiers::NONE);
    }
    key(s, KeyCode::Enter, KeyModifiers::NONE);
}

fn set_target(s: &mut State, path: &Path) {
    key(s, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_str(s, &path.display().to_string());
}

#[test]
fn without_a_plan_there_is_nothing_to_export() {
    let mut s = demo();
    type_str(&mut s, "E");
    assert!(s.overlays.is_empty());
    assert!(s.message.unwrap().0.contains("no plan to export yet"));
}

#[test]
fn a_rollout_export_previews_its_files_and_writes_them_into_the_directory_given() {
    let mut s = with_plan();
    choose(&mut s, "Ansible");
    assert_eq!(export_view(&s).stage, Stage::Ready);
    let export = s
        .export_preview
        .clone()
        .expect("files made for the preview");
    assert_eq!(export.files.len(), 2, "INI and YAML");
    assert!(
        !export.skipped.is_empty(),
        "Windows hosts are not Ansible's"
    );
    let text = screen(&s).join("\n");
    assert!(text.contains("Export — Ansible inventory"), "{text}");
    assert!(
        text.contains("Not listed ("),
        "skipped assets are shown: {text}"
    );
    assert!(text.contains("nothing is written before enter"), "{text}");
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("ansible");
    set_target(&mut s, &target);
    assert!(!target.exists(), "typing writes nothing");
    key(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    assert!(matches!(export_view(&s).stage, Stage::Written(_)));
    for f in &export.files {
        let written = std::fs::read_to_string(target.join(&f.name)).unwrap();
        assert_eq!(
            written, f.contents,
            "the file previewed is the file written"
        );
    }
    assert!(s.message.clone().unwrap().0.contains("exported 2 file(s)"));
    key(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    assert!(s.overlays.is_empty(), "enter closes once written");
    assert!(s.export_preview.is_none());
}

#[test]
fn a_single_file_export_goes_to_the_path_typed_and_never_over_the_plan() {
    let mut s = with_plan();
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("rollout.toml");
    std::fs::write(&plan_path, "the plan").unwrap();
    s.data.as_mut().unwrap().plan_path = Some(plan_path.clone());
    choose(&mut s, "Runbook");
    assert_eq!(
        export_view(&s).target,
        dir.path().join("rollout-runbook.md").display().to_string(),
        "beside the plan, named after it"
    );
    set_target(&mut s, &plan_path);
    key(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    assert!(matches!(&export_view(&s).stage, Stage::Failed(e) if e.contains("is an input")));
    assert_eq!(std::fs::read_to_string(&plan_path).unwrap(), "the plan");
    let target = dir.path().join("week1.md");
    set_target(&mut s, &target);
    key(&mut s, KeyCode::Enter, KeyModifiers::NONE); // a failure is made again first
    key(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.starts_with("# Runbook"), "{text}");
}

#[test]
fn the_palette_reaches_export_settings_open_and_reconcile() {
    let mut s = with_plan();
    act(&mut s, &[Action::Palette]);
    let Some(Overlay::Picker(p)) = s.overlays.last() else {
        panic!("palette open");
    };
    let labels: Vec<&str> = p.items.iter().map(|(_, l)| l.as_str()).collect();
    for wanted in [
        "Export the plan",
        "Plan settings",
        "Open another plan or inventory file",
        "Reconcile a scan with the plan",
    ] {
        assert!(
            labels.iter().any(|l| l.contains(wanted)),
            "{wanted} missing: {labels:#?}"
        );
    }
}
