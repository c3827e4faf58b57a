//! Reconciling scans with a plan: every case of the table in `progress::reconcile`, idempotence,
//! and the status report.

use avmigrate::analysis::Analysis;
use avmigrate::catalog::Catalog;
use avmigrate::inventory::{ImportOptions, load_sources};
use avmigrate::model::{Inventory, Timestamp};
use avmigrate::plan::context::PlanContext;
use avmigrate::plan::{AlertKind, Plan, Settings, Status, file, schedule};
use avmigrate::progress::{apply_to, reconcile, status};
use avmigrate::rules::RuleSet;

const BASE: &str = r#"
[[asset]]
id = "ws-1"
os = "Windows 11 Pro 23H2"
software = [ { name = "Kaspersky Endpoint Security for Windows", publisher = "AO Kaspersky Lab" } ]
depends_on = [ { id = "ksc", kind = "managed-by" } ]

[[asset]]
id = "ws-2"
os = "Windows 11 Pro 23H2"
software = [ { name = "Kaspersky Endpoint Security for Windows", publisher = "AO Kaspersky Lab" } ]
depends_on = [ { id = "ksc", kind = "managed-by" } ]

[[asset]]
id = "srv-1"
os = "Windows Server 2019 Standard"
software = [ { name = "Kaspersky Security for Windows Server", publisher = "AO Kaspersky Lab" } ]
depends_on = [ { id = "ksc", kind = "managed-by" } ]

[[asset]]
id = "lx-1"
os = "Ubuntu 22.04"
software = [ { name = "kesl" } ]
depends_on = [ { id = "ksc", kind = "managed-by" } ]

[[asset]]
id = "ws-3"
os = "Windows 11 Pro 23H2"
software = [ { name = "Kaspersky Endpoint Security for Windows", publisher = "AO Kaspersky Lab" } ]

[[asset]]
id = "ksc"
os = "Windows Server 2019 Standard"
software = [ { name = "Kaspersky Security Center 14.2 Administration Server", publisher = "AO Kaspersky Lab" } ]
"#;

fn inventory(text: &str) -> Inventory {
    load_sources(
        vec![("inv.toml".into(), text.as_bytes().to_vec())],
        &ImportOptions::default(),
    )
    .expect("inventory")
    .inventory
}

fn now() -> Timestamp {
    "2026-12-01T10:00:00Z".parse().unwrap()
}

fn plan_of(inv: &Inventory) -> Plan {
    let rules = RuleSet::builtin();
    let catalog = Catalog::builtin();
    let analysis = Analysis::run(inv, &rules);
    let ctx = PlanContext::new(inv, &analysis, &rules, &catalog, now().date());
    let mut plan = schedule::generate(
        &ctx,
        Settings::new("2026-11-23".parse().unwrap()),
        "t".into(),
        vec![],
    )
    .plan;
    // Known targets regardless of the catalogue's preference order.
    for a in &mut plan.assets {
        a.product = Some(
            if a.id == "lx-1" {
                "eset-server-security"
            } else {
                "mde"
            }
            .into(),
        );
    }
    plan
}

/// The base inventory with some software lines replaced, as a later scan would show it.
fn scan(changes: &[(&str, &str)]) -> Inventory {
    let mut text = BASE.to_string();
    for (from, to) in changes {
        assert!(text.contains(from), "fixture has {from}");
        text = text.replacen(from, to, 1);
    }
    inventory(&text)
}

fn run(plan: &mut Plan, inv: &Inventory) -> avmigrate::progress::Reconciliation {
    let r = reconcile(
        plan,
        inv,
        "scan.toml",
        &RuleSet::builtin(),
        &Catalog::builtin(),
        now(),
    );
    apply_to(plan, &r, now());
    r
}

fn status_of(plan: &Plan, id: &str) -> Status {
    plan.asset(id).unwrap().status
}

const KES_WS1: &str = r#"id = "ws-1"
os = "Windows 11 Pro 23H2"
software = [ { name = "Kaspersky Endpoint Security for Windows", publisher = "AO Kaspersky Lab" } ]"#;

#[test]
fn every_case_of_the_table() {
    let base = inventory(BASE);
    let mut plan = plan_of(&base);
    plan.assets
        .iter_mut()
        .find(|a| a.id == "ws-3")
        .unwrap()
        .status = Status::Verified;
    let scanned = scan(&[
        // ws-1: Kaspersky gone, ESET there → migrated.
        (
            KES_WS1,
            "id = \"ws-1\"\nos = \"Windows 11 Pro 23H2\"\nsoftware = [ { name = \"ESET Endpoint Security\" } ]",
        ),
        // ws-2: Kaspersky and Defender listed → in-progress (coexistence).
        (
            "id = \"ws-2\"\nos = \"Windows 11 Pro 23H2\"\nsoftware = [",
            "id = \"ws-2\"\nos = \"Windows 11 Pro 23H2\"\nsoftware = [ { name = \"Microsoft Defender for Endpoint\" },",
        ),
        // srv-1: Kaspersky gone, nothing else, Windows Server (Defender not automatic) → gap.
        (
            "software = [ { name = \"Kaspersky Security for Windows Server\", publisher = \"AO Kaspersky Lab\" } ]",
            "software = []",
        ),
        // lx-1: missing from the scan → not seen.
        ("id = \"lx-1\"", "id = \"lx-1-gone\""),
        // ws-3 is verified but still runs Kaspersky → regression alert.
    ]);
    let mut text = String::new();
    text.push_str(&file::to_toml(&plan));
    let mut scanned_plus = scanned.clone().into_assets();
    let mut new = avmigrate::model::Asset::new("ws-new");
    new.software = thin_vec::thin_vec![avmigrate::model::Software::named(
        "Kaspersky Endpoint Security for Windows",
    )];
    scanned_plus.push(new);
    let scanned = Inventory::from_assets(scanned_plus);

    let r = run(&mut plan, &scanned);
    assert_eq!(status_of(&plan, "ws-1"), Status::Migrated);
    assert_eq!(status_of(&plan, "ws-2"), Status::InProgress);
    assert_eq!(
        status_of(&plan, "srv-1"),
        Status::Planned,
        "a gap changes no status"
    );
    assert_eq!(
        status_of(&plan, "ws-3"),
        Status::Verified,
        "a regression is reported, not applied"
    );
    assert_eq!(r.not_seen, vec!["lx-1".to_string()]);
    assert_eq!(status_of(&plan, "lx-1"), Status::Planned);
    let kinds: Vec<(String, AlertKind)> = plan
        .alerts
        .iter()
        .map(|a| (a.asset.clone(), a.kind))
        .collect();
    assert!(
        kinds.contains(&("srv-1".into(), AlertKind::ProtectionGap)),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("ws-3".into(), AlertKind::Regression)),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("ws-new".into(), AlertKind::Unplanned)),
        "{kinds:?}"
    );
    let added = plan
        .asset("ws-new")
        .expect("unplanned asset added for assignment");
    assert_eq!(added.source.as_deref(), Some("reconcile"));
    let events: Vec<(&str, &str, &str)> = plan
        .events
        .iter()
        .map(|e| (e.asset.as_str(), e.to.as_str(), e.by.as_str()))
        .collect();
    assert!(
        events.contains(&("ws-1", "migrated", "reconcile")),
        "{events:?}"
    );
    assert!(
        events.contains(&("ws-2", "in-progress", "reconcile")),
        "{events:?}"
    );
    // The same scan again changes nothing, byte for byte.
    let before = file::to_toml(&plan);
    let again = run(&mut plan, &scanned);
    assert!(again.changes.is_empty(), "{:?}", again.changes);
    assert_eq!(file::to_toml(&plan), before);
    let _ = text;
}

#[test]
fn a_gap_closes_when_a_later_scan_shows_protection() {
    let base = inventory(BASE);
    let mut plan = plan_of(&base);
    let gap = scan(&[(
        "software = [ { name = \"Kaspersky Security for Windows Server\", publisher = \"AO Kaspersky Lab\" } ]",
        "software = []",
    )]);
    run(&mut plan, &gap);
    assert!(
        plan.alerts
            .iter()
            .any(|a| a.asset == "srv-1" && a.kind == AlertKind::ProtectionGap)
    );
    let fixed = scan(&[(
        "software = [ { name = \"Kaspersky Security for Windows Server\", publisher = \"AO Kaspersky Lab\" } ]",
        "software = [ { name = \"Microsoft Defender Antivirus\" } ]",
    )]);
    let r = run(&mut plan, &fixed);
    assert!(
        plan.alerts.iter().all(|a| a.asset != "srv-1"),
        "{:?}",
        plan.alerts
    );
    assert_eq!(status_of(&plan, "srv-1"), Status::Migrated);
    // Defender Antivirus is not Defender for Endpoint: not the planned product.
    let note = &r.changes.iter().find(|c| c.asset == "srv-1").unwrap().note;
    assert!(
        note.ends_with("migrated to defender-av, not the planned mde"),
        "{note}"
    );
}

#[test]
fn a_scan_matching_nothing_is_recognised() {
    let base = inventory(BASE);
    let plan = plan_of(&base);
    let other = inventory("[[asset]]\nid = \"printer-9\"\n");
    let r = reconcile(
        &plan,
        &other,
        "x.toml",
        &RuleSet::builtin(),
        &Catalog::builtin(),
        now(),
    );
    assert_eq!(r.matched, 0);
    assert_eq!(r.planned, plan.assets.len());
}

#[test]
fn status_counts_waves_alerts_and_forecast() {
    let base = inventory(BASE);
    let mut plan = plan_of(&base);
    let scanned = scan(&[(
        KES_WS1,
        "id = \"ws-1\"\nos = \"Windows 11 Pro 23H2\"\nsoftware = [ { name = \"ESET Endpoint Security\" } ]",
    )]);
    run(&mut plan, &scanned);
    let report = status(&plan, "2026-12-08".parse().unwrap());
    assert_eq!(report.total, 6);
    assert_eq!(report.by_status["migrated"], 1);
    assert_eq!(report.by_status["planned"], 5);
    let done: usize = report.waves.iter().map(|w| w.done).sum();
    assert_eq!(done, 1);
    // One asset done on 2026-12-01 is a week of history: no pace is extrapolated from it.
    let f = &report.forecast;
    assert_eq!(f.remaining, 5);
    assert_eq!(f.pace_per_week, None);
    assert_eq!(f.date, None);
    assert!(f.basis.contains("not enough history yet"), "{}", f.basis);
    let later = status(&plan, "2026-12-14".parse().unwrap()).forecast;
    assert!(
        later.pace_per_week.is_some() && later.date.is_some(),
        "{later:?}"
    );
    let json = serde_json::to_value(&report).unwrap();
    for key in ["total", "by_status", "waves", "alerts", "forecast"] {
        assert!(json.get(key).is_some(), "status JSON has {key}");
    }
    assert!(json["waves"][0].get("id").is_some() && json["waves"][0].get("done").is_some());
}

#[test]
fn an_unplanned_asset_in_coexistence_is_judged_on_the_first_run() {
    let base = inventory(BASE);
    let mut plan = plan_of(&base);
    let mut assets = base.clone().into_assets();
    let mut new = avmigrate::model::Asset::new("ws-new-01");
    new.os = avmigrate::model::Os::parse("Windows 11 Pro 23H2");
    new.software = thin_vec::thin_vec![
        avmigrate::model::Software::named("Kaspersky Endpoint Security for Windows"),
        avmigrate::model::Software::named("ESET Endpoint Security"),
    ];
    assets.push(new);
    let scanned = Inventory::from_assets(assets);
    let first = run(&mut plan, &scanned);
    assert_eq!(status_of(&plan, "ws-new-01"), Status::InProgress);
    assert!(
        first.changes.iter().any(|c| c.asset == "ws-new-01"
            && c.from == Status::Planned
            && c.to == Status::InProgress),
        "{:?}",
        first.changes
    );
    let before = file::to_toml(&plan);
    let again = run(&mut plan, &scanned);
    assert!(again.changes.is_empty(), "{:?}", again.changes);
    assert_eq!(file::to_toml(&plan), before);
}
