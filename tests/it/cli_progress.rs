//! `reconcile`, `status` and the history checks of `validate`.

use crate::common;

use common::*;

#[test]
fn a_scan_that_matches_nothing_changes_nothing_and_says_so() {
    let sb = Sandbox::new();
    sb.plan_demo("plan.toml", &["--start", "2027-01-11"]);
    let before = sb.read("plan.toml");
    let scan = sb.write("scan.csv", "hostname,os\nprinter-99,Embedded firmware\n");
    let err = sb.fails(1, &["reconcile", "plan.toml", scan.to_str().unwrap()]);
    assert!(
        err.contains("matches none of the plan's 146 assets"),
        "{err}"
    );
    assert!(err.contains("wrong file?"), "{err}");
    assert_eq!(sb.read("plan.toml"), before);
    // Not rewritten at all (a save leaves a backup), and the same with JSON output.
    assert!(!sb.path("plan.toml.bak").exists());
    let out = sb.run(&[
        "reconcile",
        "plan.toml",
        scan.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing to read as a result");
    assert!(text(&out.stderr).contains("matches none of the plan's 146 assets"));
    assert!(!sb.path("plan.toml.bak").exists());
    assert_eq!(sb.read("plan.toml"), before);
}

#[test]
fn a_wrong_file_among_several_scans_is_refused() {
    let sb = Sandbox::new();
    sb.plan_demo("plan.toml", &["--start", "2027-01-11"]);
    let before = sb.read("plan.toml");
    let printers = sb.write(
        "printers.csv",
        "hostname,os\nprinter-99,Embedded firmware\n",
    );
    let err = sb.fails(
        1,
        &[
            "reconcile",
            "plan.toml",
            "stadtwerke.toml",
            printers.to_str().unwrap(),
        ],
    );
    assert!(
        err.contains("printers.csv (1 assets) matches none"),
        "{err}"
    );
    assert!(err.contains("Nothing was changed"), "{err}");
    assert_eq!(sb.read("plan.toml"), before);
    assert!(!sb.path("plan.toml.bak").exists());
    // Both files right: accepted.
    sb.write("again.toml", sb.read("stadtwerke.toml"));
    sb.ok(&[
        "reconcile",
        "plan.toml",
        "stadtwerke.toml",
        "again.toml",
        "--dry-run",
    ]);
}

#[test]
fn dry_run_reports_but_keeps_the_plan() {
    let sb = Sandbox::new();
    sb.plan_demo("plan.toml", &["--start", "2027-01-11"]);
    let before = sb.read("plan.toml");
    let demo = sb.read("stadtwerke.toml");
    // ws-verw-003 loses Kaspersky and gets ESET.
    let start = demo.find("id = \"ws-verw-003\"").unwrap();
    let end = demo[start..]
        .find("[[asset]]")
        .map_or(demo.len(), |e| start + e);
    let block = &demo[start..end];
    let changed_block = block
        .lines()
        .filter(|l| !l.contains("Kaspersky"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace(
            "software = [",
            "software = [\n  { name = \"ESET Endpoint Security\", version = \"11.1\" },",
        );
    let scan_text = format!("{}{}\n{}", &demo[..start], changed_block, &demo[end..]);
    let scan = sb.write("scan.toml", scan_text);
    let out = sb.ok(&[
        "reconcile",
        "plan.toml",
        scan.to_str().unwrap(),
        "--dry-run",
    ]);
    // ws-verw-003 is migrated; four machines that already run ESET next to a left-behind
    // Network Agent are in coexistence; the 14 machines whose mail Exchange scans and that
    // already run their own agent are migrated on that evidence.
    assert!(out.contains("would change 19 status(es)"), "{out}");
    assert_eq!(
        out.matches(": protected through srv-exch-01 until now, planned ")
            .count(),
        14,
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.contains("ws-verw-003") && l.contains("planned → migrated")),
        "{out}"
    );
    assert_eq!(out.matches("planned → in-progress").count(), 4, "{out}");
    assert!(out.contains("dry run: the plan was not changed"), "{out}");
    assert_eq!(sb.read("plan.toml"), before);
    let out = sb.ok(&["reconcile", "plan.toml", scan.to_str().unwrap()]);
    assert!(out.contains("changed 19 status(es)"), "{out}");
    let status = sb.json(&["status", "plan.toml", "--format", "json"]);
    assert_eq!(status["by_status"]["migrated"], 15);
    assert_eq!(status["by_status"]["in-progress"], 4);
    // 113 direct assets and 33 covered through a provider.
    assert_eq!(status["total"], 146);
    let again = sb.read("plan.toml");
    sb.ok(&["reconcile", "plan.toml", scan.to_str().unwrap()]);
    assert_eq!(
        sb.read("plan.toml"),
        again,
        "the same scan twice changes nothing"
    );
}

#[test]
fn validate_reports_history_out_of_order_and_for_unknown_assets() {
    let sb = Sandbox::new();
    sb.plan_demo("plan.toml", &["--start", "2027-01-11"]);
    let mut plan = sb.read("plan.toml");
    plan.push_str(
        "\n[[event]]\nat = 2027-01-12T10:00:00Z\nasset = \"ws-verw-003\"\nfrom = \"planned\"\nto = \"in-progress\"\nby = \"a\"\n\
         \n[[event]]\nat = 2027-01-11T10:00:00Z\nasset = \"ghost-1\"\nfrom = \"planned\"\nto = \"in-progress\"\nby = \"b\"\n",
    );
    sb.write("plan.toml", plan);
    let v = sb.run(&["validate", "plan.toml", "--format", "json"]);
    assert_eq!(v.status.code(), Some(1));
    let json = json_of(&text(&v.stdout));
    let codes: Vec<&str> = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"history-out-of-order"), "{codes:?}");
    assert!(codes.contains(&"history-unknown-asset"), "{codes:?}");
}

#[test]
fn status_text_shows_waves_and_forecast() {
    let sb = Sandbox::new();
    sb.plan_demo(
        "plan.toml",
        &["--start", "2027-01-11", "--deadline", "2027-06-30"],
    );
    sb.ok(&[
        "set",
        "plan.toml",
        "ws-verw-003",
        "--status",
        "in-progress",
        "--by",
        "mm",
    ]);
    sb.ok(&[
        "set",
        "plan.toml",
        "ws-verw-003",
        "--status",
        "migrated",
        "--by",
        "mm",
    ]);
    let out = sb.ok(&["status", "plan.toml"]);
    assert!(out.contains("146 assets, 0.7% done"), "{out}");
    assert!(out.contains("migrated"), "{out}");
    assert!(out.contains("w1    Pilot"), "{out}");
    assert!(out.contains("deadline 2027-06-30"), "{out}");
}
