//! End to end: plan the demo → a technician marks a Windows client migrated → a scan shows the
//! client without Kaspersky and without anything else → `status` (text and JSON), the
//! management report and the TUI (dashboard, progress, asset detail) all show the
//! protection-unverified alert and do not count the client as done.

use crate::common;
use crate::tui_support;

use avmigrate::tui::action::Action;
use avmigrate::tui::jobs::Source;
use avmigrate::tui::theme::ThemeName;
use common::Sandbox;
use tui_support::{act, loaded_with, panel, render, select_asset};

const CLIENT: &str = "ws-kc-002";

/// The demo as a later scan sees it: `CLIENT` lost its Kaspersky lines and gained nothing.
fn scan(demo: &str) -> String {
    let start = demo.find(&format!("id = \"{CLIENT}\"")).unwrap();
    let end = demo[start..]
        .find("[[asset]]")
        .map_or(demo.len(), |e| start + e);
    let block: String = demo[start..end]
        .lines()
        .filter(|l| !l.contains("Kaspersky"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(
        block.contains("os = \"Windows 11 Enterprise 23H2\""),
        "{block}"
    );
    format!("{}{block}{}", &demo[..start], &demo[end..])
}

#[test]
fn a_client_that_lost_kaspersky_and_gained_nothing_is_an_alert_everywhere_and_not_done() {
    let sb = Sandbox::new();
    sb.plan_demo("p.toml", &["--start", "2027-01-11"]);
    for status in ["in-progress", "migrated"] {
        sb.ok(&["set", "p.toml", CLIENT, "--status", status, "--by", "mm"]);
    }
    let before = sb.json(&["status", "p.toml", "--format", "json"]);
    assert_eq!(before["percent_done"], 0.7, "marked migrated, counted done");

    sb.write("scan.toml", scan(&sb.read("stadtwerke.toml")));
    let r = sb.json(&["reconcile", "p.toml", "scan.toml", "--format", "json"]);
    let alerts = r["reconciliation"]["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0]["asset"], CLIENT);
    assert_eq!(alerts[0]["kind"], "protection-unverified");
    assert_eq!(alerts[0]["at"], common::NOW, "raised the same day");
    let evidence = r["reconciliation"]["protection"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["asset"] == CLIENT)
        .unwrap();
    assert_eq!(evidence["state"], "unverified");
    assert!(
        r["reconciliation"]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["asset"] != CLIENT),
        "no status change from an empty scan"
    );

    // status, JSON: still marked migrated, but not done and counted unverified. (The 14
    // machines whose mail Exchange scans and that run an agent of their own already are
    // migrated on that evidence.)
    let st = sb.json(&["status", "p.toml", "--format", "json"]);
    assert_eq!(st["by_status"]["migrated"], 15);
    assert_eq!(st["percent_done"], 9.6);
    assert_eq!(st["forecast"]["remaining"], 132);
    assert_eq!(st["waves"][0]["done"], 0);
    assert_eq!(st["coverage"]["unverified"], 1);
    assert_eq!(st["coverage"]["covered"], 14);
    assert_eq!(st["coverage"]["none_left_unprotected"], false);
    assert_eq!(st["alerts"][0]["kind"], "protection-unverified");
    // status, text.
    let text = sb.ok(&["status", "p.toml"]);
    assert!(text.contains("146 assets, 9.6% done"), "{text}");
    assert!(
        text.contains("protection: 14 covered · 27 undecided · 1 unverified · 0 unprotected"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "[protection-unverified] {CLIENT}: marked migrated, but the scan lists no \
             protection product"
        )),
        "{text}"
    );
    assert!(
        !text
            .to_lowercase()
            .contains("no machine is left unprotected"),
        "{text}"
    );

    // The management report.
    let md = sb.ok(&["export", "p.toml", "--format", "md"]);
    assert!(md.contains("146 assets in scope, **9.6% done**"), "{md}");
    assert!(
        md.contains(&format!(
            "| **protection-unverified** | {CLIENT} | {} |",
            common::NOW
        )),
        "{md}"
    );
    assert!(md.contains("| **unverified** |"), "{md}");
    assert!(
        md.contains("28 machine(s) are not known to stay protected"),
        "{md}"
    );
    assert!(!md.to_lowercase().contains("no machine is left unprotected"));

    // The TUI on the plan file.
    let mut s = loaded_with(ThemeName::Dark, Source::Plan(sb.path("p.toml")));
    let b = render(&s, 120, 35);
    let plan_box = panel(&b, "Plan");
    assert_eq!(plan_box[1], "10% done · ends 2027-02-26", "{plan_box:?}");
    assert_eq!(plan_box[4], "1 unverified · 0 unprotected", "{plan_box:?}");
    assert!(panel(&b, "Plan status per wave")[0].starts_with("w1       0/8"));

    act(&mut s, &[Action::ShowProgress]);
    let b = render(&s, 120, 35);
    let rollout = panel(&b, "Rollout");
    assert!(
        rollout[0].starts_with("146 assets · 9.6% done · ")
            && rollout[0].ends_with("1 open alert(s)"),
        "{rollout:?}"
    );
    assert!(
        rollout[1].starts_with("protection: 14 covered · 27 undecided · 1 unverified"),
        "{rollout:?}"
    );
    let alerts = panel(&b, "Open alerts (1)");
    assert!(
        alerts[0].starts_with(&format!(
            "▶protection-unverified {CLIENT}: marked migrated, but the scan"
        )),
        "{alerts:?}"
    );
    assert!(
        panel(&b, "Waves")[0].starts_with("w1       0/8"),
        "not done"
    );

    select_asset(&mut s, CLIENT);
    act(&mut s, &[Action::Open]);
    // Tall enough for the whole detail text.
    s.size = (120, 140);
    let b = render(&s, 120, 140);
    let detail = panel(&b, &format!("{CLIENT} — ")).join("\n");
    assert!(
        detail.contains("  protect. protection unverified: the scan lists no protection"),
        "{detail}"
    );
    assert!(
        detail.contains("Open alerts (1)\n  protection-unverified since"),
        "{detail}"
    );
    // Ticks follow the evidence: Kaspersky is gone, nothing shows its successor protecting.
    for key in ["install-new", "verify", "confirm-active"] {
        assert!(detail.contains(&format!("[ ] {key}:")), "{key}: {detail}");
    }
    assert!(detail.contains("[x] remove-flagged:"), "{detail}");
    assert!(
        detail.contains("sources:") && detail.contains("MicrosoftDocs/defender-docs:"),
        "steps name their sources: {detail}"
    );
}
