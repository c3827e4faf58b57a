//! Text from a user's catalogue reaches the detail view cleaned, like every other text.

use super::*;

/// A catalogue that extends the built-in one with a product whose name and notes carry
/// escape sequences, supported on Windows clients.
const HOSTILE_CATALOG: &str = r#"
schema_version = 1

[[vendor]]
id = "evilcorp"
name = "Evil\u001b[31mCorp"
hq = "XX"
source = "test"
verified = true

[[product]]
id = "evil-av"
vendor = "evilcorp"
name = "Evil\u001b[31mAV\u0007 Endpoint"
summary = "test"
source = "test"
verified = true

[[product.platform]]
family = "windows-client"
min = "10"
status = "supported"
note = "note\u001b]0;pwned\u0007"
source = "test"
verified = true

[[product.role]]
role = "endpoint"
status = "supported"
source = "test"
verified = true
"#;

#[test]
fn catalogue_product_names_are_cleaned_in_the_detail_view() {
    let dir = test_dir().join("hostile-catalog");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("vendors.toml");
    std::fs::write(&path, HOSTILE_CATALOG).unwrap();
    let mut s = fresh();
    run_effects(
        &mut s,
        vec![Effect::Load(LoadRequest {
            source: Source::Demo,
            rules: None,
            catalog: Some(path),
            import: Default::default(),
        })],
    );
    assert_eq!(s.load_error, None);
    act(&mut s, &[Action::GeneratePlan]);
    // A Windows 11 client, given the hostile product.
    let data = s.data.as_ref().unwrap();
    let pos = wave_assets(data, 0)
        .iter()
        .copied()
        .find(|&i| id_of(&s, i).starts_with("nb-"))
        .expect("a notebook in the pilot");
    let id = id_of(&s, pos);
    select_asset(&mut s, &id);
    act(&mut s, &[Action::SetProduct]);
    pick(&mut s, "evil-av");
    assert_eq!(
        plan(&s).asset(&id).unwrap().product.as_deref(),
        Some("evil-av")
    );
    act(&mut s, &[Action::Open]);
    let text = screen(&s).join("\n");
    // ratatui drops a bare ESC and leaves "[31m"; cleaning shows where it was.
    assert!(
        text.contains("Evil\u{fffd}[31mAV\u{fffd} Endpoint"),
        "{text}"
    );
    assert!(!text.contains("Evil[31mAV"), "{text}");
}

#[test]
fn protection_evidence_and_alerts_from_scans_are_cleaned_in_the_detail_view() {
    use crate::plan::{Alert, AlertKind, Protection, ProtectionState};
    let mut s = with_plan();
    let id = "ws-kc-002";
    let at: crate::model::Timestamp = "2026-11-28T09:00:00Z".parse().unwrap();
    let data = s.data.as_mut().unwrap();
    let plan = data.plan_mut().unwrap();
    let k = plan.asset_index(id).unwrap();
    plan.assets[k].protection = Some(Box::new(Protection {
        state: ProtectionState::Protected,
        products: vec!["evil\u{1b}[2Jav".into()],
        flagged: vec![],
        scan: "scan\u{1b}]0;pwned\u{7}.toml".into(),
        at,
    }));
    plan.alerts.push(Alert {
        at,
        asset: id.into(),
        kind: AlertKind::Regression,
        message: "bad\u{1b}[31mnews".into(),
        scan: "s".into(),
    });
    data.reindex();
    s.size = (120, 60);
    select_asset(&mut s, id);
    act(&mut s, &[Action::Open]);
    let text = screen(&s).join("\n");
    assert!(
        text.contains("protected by evil\u{fffd}[2Jav, not the planned"),
        "{text}"
    );
    assert!(text.contains("scan\u{fffd}]0;pwned\u{fffd}.toml"), "{text}");
    assert!(text.contains("bad\u{fffd}[31mnews"), "{text}");
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'));
}
