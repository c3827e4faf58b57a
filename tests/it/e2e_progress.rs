//! End to end on the command line: plan → set statuses → reconcile a changed scan → status,
//! exports and the management report reflect it; the same scan again changes nothing.

use crate::common;

use common::{Sandbox, json_of};
use serde_json::Value;
use std::collections::BTreeSet;

const KES: &str = r#"  { name = "Kaspersky Endpoint Security for Windows", version = "12.4.0.467", publisher = "AO Kaspersky Lab" },"#;

/// Runs `avmigrate` at a given time and expects success.
fn at(sb: &Sandbox, now: &str, args: &[&str]) -> String {
    let out = sb
        .cmd()
        .env("AVMIGRATE_NOW", now)
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

/// The demo inventory with some machines changed, as a later scan would see them:
/// ws-verw-003 switched to ESET, ws-kc-002 (a Windows 11 client) lost Kaspersky and lists
/// nothing else (Defender Antivirus may be on, but the scan cannot show it), srv-fs-02 lost
/// every anti-virus product, and one new Kaspersky machine appeared.
fn changed_scan(demo: &str) -> String {
    let mut blocks: Vec<String> = Vec::new();
    for block in demo.split("\n[[asset]]\n") {
        let id = block
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("id = \""))
            .and_then(|l| l.strip_suffix('"'))
            .unwrap_or("");
        let mut b = block.to_string();
        if matches!(id, "ws-verw-003" | "ws-kc-002" | "srv-fs-02") {
            b = b
                .lines()
                .filter(|l| !l.contains("Kaspersky"))
                .collect::<Vec<_>>()
                .join("\n");
            b.push('\n');
            assert!(
                block.contains("Kaspersky") && !b.contains("Kaspersky"),
                "{id}"
            );
        }
        if id == "ws-verw-003" {
            b = b.replacen(
                "software = [\n",
                "software = [\n  { name = \"ESET Endpoint Security\", version = \"11.0.2032.0\", \
                 publisher = \"ESET, spol. s r.o.\" },\n",
                1,
            );
        }
        blocks.push(b);
    }
    assert_eq!(blocks.len(), 157, "156 assets and the header");
    let mut scan = blocks.join("\n[[asset]]\n");
    scan.push_str(&format!(
        "\n[[asset]]\nid = \"ws-new-001\"\nkind = \"workstation\"\n\
         os = \"Windows 11 Enterprise 23H2\"\nsoftware = [\n{KES}\n]\n"
    ));
    scan
}

/// (asset, from, to) of the status changes in `reconcile --format json`.
fn changes(v: &Value) -> BTreeSet<(String, String, String)> {
    v["reconciliation"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap().to_string();
            (s("asset"), s("from"), s("to"))
        })
        .collect()
}

fn asset<'a>(export: &'a Value, id: &str) -> &'a Value {
    export["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("{id} not exported"))
}

#[test]
fn plan_set_reconcile_status_and_reports_follow_the_rollout() {
    let sb = Sandbox::new();
    sb.plan_demo(
        "p.toml",
        &[
            "--start",
            "2027-01-11",
            "--wave-size",
            "30",
            "--deadline",
            "2027-03-31",
        ],
    );
    // The technicians report by hand.
    let by = ["--by", "mmueller"];
    let set = |now: &str, args: &[&str]| {
        let mut a = vec!["set", "p.toml"];
        a.extend_from_slice(args);
        a.extend_from_slice(&by);
        at(&sb, now, &a);
    };
    set(
        "2027-01-11T09:00:00Z",
        &["ws-kc-002", "ws-verw-017", "--status", "in-progress"],
    );
    set(
        "2027-01-12T15:00:00Z",
        &["ws-kc-002", "--status", "migrated"],
    );
    set(
        "2027-01-12T16:00:00Z",
        &[
            "srv-git-01",
            "--status",
            "blocked",
            "--reason",
            "uninstall password unknown",
        ],
    );

    // What an unchanged scan would already change (the demo has ESET beside a few agents).
    sb.write("same.toml", sb.read("stadtwerke.toml"));
    let baseline = changes(&json_of(&at(
        &sb,
        "2027-01-13T08:00:00Z",
        &[
            "reconcile",
            "p.toml",
            "same.toml",
            "--dry-run",
            "--format",
            "json",
        ],
    )));
    // ESET beside a left-behind Network Agent is coexistence; machines whose mail Exchange
    // scans and that run an agent of their own already are migrated on that evidence.
    let coexist = baseline
        .iter()
        .filter(|(_, _, to)| to == "in-progress")
        .count();
    let covered_done = baseline
        .iter()
        .filter(|(_, _, to)| to == "migrated")
        .count();
    assert_eq!(coexist + covered_done, baseline.len(), "{baseline:?}");
    assert_eq!(covered_done, 14, "{baseline:?}");

    sb.write("scan.toml", changed_scan(&sb.read("stadtwerke.toml")));
    let r = json_of(&at(
        &sb,
        "2027-01-13T08:00:00Z",
        &["reconcile", "p.toml", "scan.toml", "--format", "json"],
    ));
    let mut expected = baseline.clone();
    expected.insert(("ws-verw-003".into(), "planned".into(), "migrated".into()));
    assert_eq!(
        changes(&r),
        expected,
        "ws-kc-002 stays migrated (marked by hand), with an alert"
    );
    let kinds: BTreeSet<(String, String)> = r["reconciliation"]["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["asset"].as_str().unwrap().to_string(),
                a["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        BTreeSet::from([
            ("srv-fs-02".to_string(), "protection-gap".to_string()),
            ("ws-kc-002".to_string(), "protection-unverified".to_string()),
            ("ws-new-001".to_string(), "unplanned".to_string()),
        ])
    );

    // Status reflects the scan.
    let st = sb.json(&["status", "p.toml", "--format", "json"]);
    // 113 direct, 33 covered through a provider, and the new machine.
    assert_eq!(st["total"], 147, "the new machine is in the plan now");
    let by_status = &st["by_status"];
    assert_eq!(by_status["migrated"], 2 + covered_done);
    assert_eq!(by_status["in-progress"], 1 + coexist);
    assert_eq!(by_status["blocked"], 1);
    assert_eq!(by_status["planned"], 147 - 4 - baseline.len());
    let alert_kinds: Vec<&str> = st["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert!(alert_kinds.contains(&"protection-gap") && alert_kinds.contains(&"unplanned"));
    // ws-kc-002 is marked migrated, but unverified: not done.
    let w1 = &st["waves"][0];
    assert_eq!(
        (w1["id"].as_str(), w1["done"].as_u64()),
        (Some("w1"), Some(1))
    );
    assert_eq!(st["coverage"]["unverified"], 1);
    assert_eq!(st["coverage"]["unprotected"], 1);
    assert_eq!(st["coverage"]["none_left_unprotected"], false);
    assert_eq!(w1["blocked"], 1);
    assert_eq!(st["blocked"][0][1], "uninstall password unknown");

    // The same scan once more changes nothing, byte for byte.
    let before = sb.read("p.toml");
    let again = json_of(&at(
        &sb,
        "2027-01-14T08:00:00Z",
        &["reconcile", "p.toml", "scan.toml", "--format", "json"],
    ));
    assert!(changes(&again).is_empty());
    let after = sb.read("p.toml");
    let differ: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .take(5)
        .collect();
    assert!(
        before == after,
        "the same scan changed the plan ({} → {} lines): {differ:?}",
        before.lines().count(),
        after.lines().count()
    );

    // The management report tells management.
    let md = at(
        &sb,
        "2027-01-14T08:00:00Z",
        &["export", "p.toml", "--format", "md"],
    );
    let alerts = &md[md.find("## Open alerts").unwrap()..];
    let gap = alerts.find("| **protection-gap** | srv-fs-02 | 2027-01-13T08:00:00Z |");
    let new = alerts.find("| **unplanned** | ws-new-001 |");
    assert!(
        gap.is_some() && new.is_some() && gap < new,
        "gaps first:\n{alerts}"
    );
    assert!(
        md.contains("| migrated | 16 |") && md.contains("| blocked | 1 |"),
        "{md}"
    );
    assert!(md.contains("| w1 | Pilot | 2027-01-11 | 2027-01-15 | 8 | 1 | 1 | 12.5 |"));
    assert!(md.contains("| 2027-01-12 | 147 | 146 |"), "burn-down: {md}");
    // ws-verw-003 and the 14 covered machines with their own agent done, ws-kc-002 unverified
    // again: fifteen down, one up.
    assert!(md.contains("| 2027-01-13 | 147 | 132 |"), "burn-down: {md}");
    assert!(md.contains(
        "| srv-git-01 | SRV-GIT-01.stadtwerke-musterstadt.local | w1 | uninstall password unknown |"
    ));
    let html = at(
        &sb,
        "2027-01-14T08:00:00Z",
        &["export", "p.toml", "--format", "html"],
    );
    assert!(html.contains(
        "<tr><td><span class=\"protection-gap\">protection-gap</span></td><td>srv-fs-02</td>"
    ));
    assert!(html.contains("<td>ws-new-001</td>"));
    assert!(html.contains("<tr><td>migrated</td><td class=\"num\">16</td></tr>"));
    assert!(
        html.contains(
            "<td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">12.5</td>"
        )
    );
    assert!(html.contains("today 2027-01-14"));

    // The machine-readable exports carry statuses and the time of the last change.
    let json = sb.json(&["export", "p.toml", "--format", "json"]);
    let a = asset(&json, "ws-verw-003");
    assert_eq!(a["status"], "migrated");
    assert_eq!(a["last_change"], "2027-01-13T08:00:00Z");
    assert_eq!(
        asset(&json, "ws-kc-002")["last_change"],
        "2027-01-12T15:00:00Z"
    );
    assert_eq!(asset(&json, "ws-new-001")["status"], "planned");
    let csv = sb.ok(&["export", "p.toml", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == "ws-verw-003")
        .unwrap();
    assert_eq!(&row[col("status")], "migrated");
    assert_eq!(&row[col("last_change")], "2027-01-13T08:00:00Z");
}
