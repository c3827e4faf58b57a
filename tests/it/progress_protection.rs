//! Protection from evidence only: every protection state a reconciled scan can prove, Defender
//! Antivirus against Defender for Endpoint, another vendor than planned, `WinDefend` rows,
//! conflicting evidence, and what counts as done.

use avmigrate::analysis::Analysis;
use avmigrate::catalog::Catalog;
use avmigrate::inventory::{ImportOptions, load_sources};
use avmigrate::model::{Inventory, Timestamp};
use avmigrate::plan::context::PlanContext;
use avmigrate::plan::{AlertKind, Plan, ProtectionState, Settings, Status, file, schedule};
use avmigrate::progress::{Reconciliation, apply_to, burndown, reconcile, status};
use avmigrate::rules::RuleSet;

const KES: &str =
    r#"{ name = "Kaspersky Endpoint Security for Windows", publisher = "AO Kaspersky Lab" }"#;
const KSWS: &str =
    r#"{ name = "Kaspersky Security for Windows Server", publisher = "AO Kaspersky Lab" }"#;

/// One asset per case; `{sw-ID}` is replaced by that asset's software list.
const TEMPLATE: &str = r#"
[[asset]]
id = "ws-1"
os = "Windows 11 Pro 23H2"
software = [ {sw-ws-1} ]

[[asset]]
id = "ws-7"
os = "Windows 7 Professional SP1"
software = [ {sw-ws-7} ]

[[asset]]
id = "srv-1"
os = "Windows Server 2019 Standard"
software = [ {sw-srv-1} ]

[[asset]]
id = "lx-1"
os = "Ubuntu 22.04"
software = [ {sw-lx-1} ]

[[asset]]
id = "mac-1"
os = "macOS 14 Sonoma"
software = [ {sw-mac-1} ]
"#;

const IDS: [&str; 5] = ["ws-1", "ws-7", "srv-1", "lx-1", "mac-1"];

/// The estate with `software` for the named assets and the flagged product on all others.
fn estate(software: &[(&str, &str)]) -> Inventory {
    let mut text = TEMPLATE.to_string();
    for id in IDS {
        let sw = software
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, s)| s.to_string())
            .unwrap_or_else(|| match id {
                "srv-1" => KSWS.to_string(),
                "lx-1" => r#"{ name = "kesl" }"#.to_string(),
                "mac-1" => r#"{ name = "Kaspersky Endpoint Security for Mac" }"#.to_string(),
                _ => KES.to_string(),
            });
        text = text.replace(&format!("{{sw-{id}}}"), &sw);
    }
    load_sources(
        vec![("inv.toml".into(), text.into_bytes())],
        &ImportOptions::default(),
    )
    .expect("inventory")
    .inventory
}

fn now() -> Timestamp {
    "2027-01-13T08:00:00Z".parse().unwrap()
}

/// A plan of the base estate in which every asset gets Defender for Endpoint.
fn plan() -> Plan {
    let inv = estate(&[]);
    let rules = RuleSet::builtin();
    let catalog = Catalog::builtin();
    let analysis = Analysis::run(&inv, &rules);
    let ctx = PlanContext::new(&inv, &analysis, &rules, &catalog, now().date());
    let mut plan = schedule::generate(
        &ctx,
        Settings::new("2027-01-11".parse().unwrap()),
        "t".into(),
        vec![],
    )
    .plan;
    assert_eq!(plan.assets.len(), IDS.len(), "every asset is direct");
    for a in &mut plan.assets {
        a.product = Some("mde".into());
    }
    plan
}

fn run_at(plan: &mut Plan, scan: &Inventory, at: Timestamp) -> Reconciliation {
    let r = reconcile(
        plan,
        scan,
        "scan.toml",
        &RuleSet::builtin(),
        &Catalog::builtin(),
        at,
    );
    apply_to(plan, &r, at);
    r
}

fn run(plan: &mut Plan, scan: &Inventory) -> Reconciliation {
    run_at(plan, scan, now())
}

fn alerts_of(plan: &Plan, id: &str) -> Vec<AlertKind> {
    plan.alerts
        .iter()
        .filter(|a| a.asset == id)
        .map(|a| a.kind)
        .collect()
}

fn state_of(plan: &Plan, id: &str) -> (ProtectionState, Vec<String>) {
    let p = plan
        .asset(id)
        .unwrap()
        .protection
        .clone()
        .unwrap_or_else(|| panic!("{id} has evidence"));
    (p.state, p.products)
}

#[test]
fn a_windows_client_with_nothing_listed_is_unverified_not_migrated() {
    let mut plan = plan();
    let r = run(&mut plan, &estate(&[("ws-1", "")]));
    let ws = plan.asset("ws-1").unwrap();
    assert_eq!(ws.status, Status::Planned, "{:?}", r.changes);
    assert_eq!(
        state_of(&plan, "ws-1"),
        (ProtectionState::Unverified, vec![])
    );
    assert_eq!(
        alerts_of(&plan, "ws-1"),
        vec![AlertKind::ProtectionUnverified]
    );
    let alert = plan.alerts.iter().find(|a| a.asset == "ws-1").unwrap();
    assert_eq!(alert.at, now(), "raised the same day");
    assert!(alert.message.contains("defender-av"), "{}", alert.message);
    assert!(alert.message.contains("Get-MpComputerStatus"));
}

#[test]
fn a_server_or_an_old_client_with_nothing_listed_is_unprotected() {
    let mut plan = plan();
    run(
        &mut plan,
        &estate(&[("srv-1", ""), ("ws-7", ""), ("lx-1", ""), ("mac-1", "")]),
    );
    for id in ["srv-1", "ws-7", "lx-1", "mac-1"] {
        assert_eq!(plan.asset(id).unwrap().status, Status::Planned, "{id}");
        assert_eq!(
            state_of(&plan, id),
            (ProtectionState::Unprotected, vec![]),
            "{id}"
        );
        assert_eq!(alerts_of(&plan, id), vec![AlertKind::ProtectionGap], "{id}");
    }
    let srv = plan.alerts.iter().find(|a| a.asset == "srv-1").unwrap();
    assert!(
        srv.message
            .contains("does not switch itself back on on Windows Server"),
        "{}",
        srv.message
    );
}

#[test]
fn defender_antivirus_is_not_defender_for_endpoint() {
    let mut plan = plan();
    let r = run(
        &mut plan,
        &estate(&[
            ("ws-1", r#"{ name = "Microsoft Defender Antivirus" }"#),
            ("srv-1", r#"{ name = "Microsoft Defender Antivirus" }"#),
        ]),
    );
    for id in ["ws-1", "srv-1"] {
        assert_eq!(plan.asset(id).unwrap().status, Status::Migrated, "{id}");
        assert_eq!(
            state_of(&plan, id),
            (ProtectionState::Protected, vec!["defender-av".to_string()])
        );
        assert!(alerts_of(&plan, id).is_empty(), "{id}");
        let note = &r.changes.iter().find(|c| c.asset == id).unwrap().note;
        assert!(
            note.ends_with("migrated to defender-av, not the planned mde"),
            "{note}"
        );
    }
}

#[test]
fn onboarding_evidence_proves_defender_for_endpoint() {
    let mut plan = plan();
    let r = run(
        &mut plan,
        &estate(&[
            ("ws-1", r#"{ name = "Sense" }"#),
            ("srv-1", r#"{ name = "MsSense.exe" }"#),
            ("lx-1", r#"{ name = "mdatp" }"#),
            ("ws-7", r#"{ name = "OnboardingState", version = "1" }"#),
        ]),
    );
    for id in ["ws-1", "srv-1", "lx-1", "ws-7"] {
        assert_eq!(plan.asset(id).unwrap().status, Status::Migrated, "{id}");
        assert_eq!(
            state_of(&plan, id),
            (ProtectionState::Protected, vec!["mde".to_string()]),
            "{id}"
        );
        let note = &r.changes.iter().find(|c| c.asset == id).unwrap().note;
        assert!(note.ends_with("planned mde present"), "{note}");
    }
    // An onboarding state of 0 is no evidence: the asset is unprotected (Windows 7).
    let mut plan = self::plan();
    run(
        &mut plan,
        &estate(&[("ws-7", r#"{ name = "OnboardingState", version = "0" }"#)]),
    );
    assert_eq!(plan.asset("ws-7").unwrap().status, Status::Planned);
    assert_eq!(alerts_of(&plan, "ws-7"), vec![AlertKind::ProtectionGap]);
}

#[test]
fn another_vendor_is_recorded_as_not_the_planned_product() {
    let mut plan = plan();
    let r = run(
        &mut plan,
        &estate(&[(
            "ws-1",
            r#"{ name = "ESET Endpoint Security", version = "11.0" }"#,
        )]),
    );
    let c = r.changes.iter().find(|c| c.asset == "ws-1").unwrap();
    assert_eq!((c.from, c.to), (Status::Planned, Status::Migrated));
    assert_eq!(
        c.note,
        "scan scan.toml: flagged product gone, migrated to eset-protect-endpoint, not the \
         planned mde"
    );
    let ws = plan.asset("ws-1").unwrap();
    assert_eq!(
        ws.product.as_deref(),
        Some("mde"),
        "the plan keeps its target"
    );
    let p = ws.protection.as_ref().unwrap();
    assert_eq!(p.products, vec!["eset-protect-endpoint"]);
    assert_eq!((p.scan.as_str(), p.at), ("scan.toml", now()));
    assert!(p.other_than(ws.product.as_deref()));
    let ev = r.protection.iter().find(|e| e.asset == "ws-1").unwrap();
    assert!(ev.other_than_planned());
    // Reported by `status`.
    let st = status(&plan, now().date());
    assert_eq!(st.not_as_planned.len(), 1, "{:?}", st.not_as_planned);
    let n = &st.not_as_planned[0];
    assert_eq!(
        (n.asset.as_str(), n.planned.as_deref(), n.found.as_slice()),
        (
            "ws-1",
            Some("mde"),
            &["eset-protect-endpoint".to_string()][..]
        )
    );
    // The evidence survives the plan file byte for byte.
    let text = file::to_toml(&plan);
    assert!(
        text.contains(
            "protection = { state = \"protected\", products = [\"eset-protect-endpoint\"], scan \
             = \"scan.toml\", at = 2027-01-13T08:00:00Z }"
        ),
        "{text}"
    );
    let back = file::parse(&text, "p.toml").unwrap();
    assert_eq!(back, plan);
    assert_eq!(file::to_toml(&back), text);
}

#[test]
fn a_windefend_row_next_to_kaspersky_is_not_coexistence() {
    let mut plan = plan();
    let both = format!(r#"{KES}, {{ name = "WinDefend" }}, {{ name = "WdNisSvc" }}"#);
    let r = run(&mut plan, &estate(&[("ws-1", &both)]));
    assert!(
        r.changes.iter().all(|c| c.asset != "ws-1"),
        "{:?}",
        r.changes
    );
    assert_eq!(plan.asset("ws-1").unwrap().status, Status::Planned);
    // Kaspersky is still the protection; no replacement is proven, so nothing is recorded.
    let ev = r.protection.iter().find(|e| e.asset == "ws-1").unwrap();
    assert_eq!(ev.protection.state, ProtectionState::Protected);
    assert!(ev.protection.products.is_empty(), "{ev:?}");
    assert!(ev.protection.is_flagged_only());
    assert_eq!(plan.asset("ws-1").unwrap().protection, None);
    // A WinDefend row alone after Kaspersky is gone proves nothing either.
    let r = run(&mut plan, &estate(&[("ws-1", r#"{ name = "WinDefend" }"#)]));
    assert!(
        r.changes.iter().all(|c| c.asset != "ws-1"),
        "{:?}",
        r.changes
    );
    assert_eq!(
        alerts_of(&plan, "ws-1"),
        vec![AlertKind::ProtectionUnverified]
    );
}

#[test]
fn conflicting_evidence_is_an_alert_never_a_status_change() {
    let mut plan = plan();
    for id in ["ws-1", "srv-1"] {
        let i = plan.asset_index(id).unwrap();
        plan.assets[i].status = Status::Verified;
    }
    let r = run(&mut plan, &estate(&[("srv-1", "")]));
    // ws-1 still runs Kaspersky although marked verified.
    assert!(r.changes.is_empty(), "{:?}", r.changes);
    assert_eq!(plan.asset("ws-1").unwrap().status, Status::Verified);
    assert_eq!(alerts_of(&plan, "ws-1"), vec![AlertKind::Regression]);
    let msg = &plan
        .alerts
        .iter()
        .find(|a| a.asset == "ws-1")
        .unwrap()
        .message;
    assert!(
        msg.starts_with("marked verified, but the scan finds"),
        "{msg}"
    );
    assert!(msg.contains("conflicting evidence"), "{msg}");
    // srv-1 is marked verified but the scan shows nothing at all: it stays verified, the gap
    // is an alert, and it does not count as done.
    assert_eq!(plan.asset("srv-1").unwrap().status, Status::Verified);
    assert_eq!(alerts_of(&plan, "srv-1"), vec![AlertKind::ProtectionGap]);
    let mask = plan.done_mask();
    let srv = plan.asset_index("srv-1").unwrap();
    assert!(!mask[srv], "an unprotected asset is never done");
    let st = status(&plan, now().date());
    assert_eq!(st.by_status["verified"], 2);
    assert_eq!(
        st.percent_done, 20.0,
        "only ws-1 (verified, no gap) is done"
    );
    assert_eq!(st.coverage.unprotected, 1);
}

#[test]
fn kaspersky_back_after_a_scan_proved_a_replacement_is_recorded_not_applied() {
    let mut plan = plan();
    let eset = r#"{ name = "ESET Endpoint Security" }"#;
    run(&mut plan, &estate(&[("ws-1", eset)]));
    assert_eq!(plan.asset("ws-1").unwrap().status, Status::Migrated);
    // A later scan shows Kaspersky again (a KSC task reinstalled it) next to ESET.
    let back = format!("{KES}, {eset}");
    let r = run_at(
        &mut plan,
        &estate(&[("ws-1", &back)]),
        "2027-01-20T08:00:00Z".parse().unwrap(),
    );
    assert!(r.changes.is_empty(), "{:?}", r.changes);
    assert_eq!(plan.asset("ws-1").unwrap().status, Status::Migrated);
    assert_eq!(alerts_of(&plan, "ws-1"), vec![AlertKind::Regression]);
    // The recorded evidence follows the scan: the flagged product is there again.
    let p = plan.asset("ws-1").unwrap().protection.clone().unwrap();
    assert_eq!(p.products, vec!["eset-protect-endpoint"]);
    assert!(!p.flagged.is_empty(), "{p:?}");
    assert_eq!(p.at, "2027-01-20T08:00:00Z".parse().unwrap());
    assert!(status(&plan, now().date()).not_as_planned.is_empty());
}

#[test]
fn an_alerted_asset_is_not_done_in_status_waves_and_burndown() {
    let mut plan = plan();
    // A technician marks ws-1 migrated; the next scan shows nothing on it.
    let i = plan.asset_index("ws-1").unwrap();
    avmigrate::plan::apply(
        &mut plan,
        &avmigrate::plan::Edit::SetStatus {
            asset: "ws-1".into(),
            status: Status::Migrated,
            reason: None,
            approver: None,
            review: None,
        },
        &avmigrate::plan::EditContext {
            by: "mm".into(),
            at: "2027-01-12T09:00:00Z".parse().unwrap(),
            check_transitions: false,
            note: None,
        },
    )
    .unwrap();
    let before = burndown(&plan, now().date());
    assert_eq!(before.actual.last().unwrap().1, IDS.len() - 1);
    run(&mut plan, &estate(&[("ws-1", "")]));
    assert_eq!(plan.assets[i].status, Status::Migrated);
    let st = status(&plan, now().date());
    assert_eq!(st.percent_done, 0.0);
    assert_eq!(st.forecast.remaining, IDS.len());
    assert_eq!(st.waves.iter().map(|w| w.done).sum::<usize>(), 0);
    assert_eq!(st.coverage.unverified, 1);
    assert_eq!(st.coverage.covered, 0);
    assert!(!st.coverage.none_left_unprotected);
    let after = burndown(&plan, now().date());
    assert_eq!(
        after.actual.last().copied(),
        Some((now().date(), IDS.len())),
        "{:?}",
        after.actual
    );
    // Proof arrives: Defender AV listed. The alert closes and the asset is done again.
    run_at(
        &mut plan,
        &estate(&[("ws-1", r#"{ name = "Microsoft Defender Antivirus" }"#)]),
        "2027-01-14T08:00:00Z".parse().unwrap(),
    );
    assert!(alerts_of(&plan, "ws-1").is_empty());
    let st = status(&plan, "2027-01-14".parse().unwrap());
    assert_eq!(st.coverage.covered, 1);
    assert_eq!(st.percent_done, 20.0);
}

#[test]
fn the_same_scan_twice_keeps_the_first_evidence() {
    let mut plan = plan();
    let scan = estate(&[("ws-1", ""), ("srv-1", r#"{ name = "CSFalconService" }"#)]);
    run(&mut plan, &scan);
    let text = file::to_toml(&plan);
    let later: Timestamp = "2027-01-20T08:00:00Z".parse().unwrap();
    let again = run_at(&mut plan, &scan, later);
    assert!(again.changes.is_empty());
    assert_eq!(file::to_toml(&plan), text, "same evidence, same bytes");
}

#[test]
fn a_defender_device_export_saying_onboarded_proves_defender_for_endpoint() {
    let mut plan = plan();
    let device_info = concat!(
        "Timestamp,DeviceId,DeviceName,OSPlatform,OSVersion,OSDistribution,OSVersionInfo,DeviceType,OnboardingStatus\r\n",
        "2027-01-12T08:00:00Z,1a,ws-1,Windows11,10.0,Windows 11,23H2,Workstation,Onboarded\r\n",
        "2027-01-12T08:00:00Z,2b,srv-1,WindowsServer2019,10.0,Windows Server 2019,1809,Server,Can be onboarded\r\n",
    );
    let scan = load_sources(
        vec![("DeviceInfo.csv".into(), device_info.as_bytes().to_vec())],
        &ImportOptions::default(),
    )
    .expect("DeviceInfo")
    .inventory;
    run(&mut plan, &scan);
    assert_eq!(
        state_of(&plan, "ws-1"),
        (ProtectionState::Protected, vec!["mde".to_string()])
    );
    assert_eq!(plan.asset("ws-1").unwrap().status, Status::Migrated);
    assert_eq!(
        plan.asset("srv-1").unwrap().status,
        Status::Planned,
        "\"Can be onboarded\" proves nothing"
    );
    assert_eq!(alerts_of(&plan, "srv-1"), vec![AlertKind::ProtectionGap]);
}
