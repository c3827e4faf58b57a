//! Protection through providers on the demo, through the binary: `validate` reports each broken
//! coverage rule (exit 1 with its code), `set --cover` changes the coverage, and the JSON and
//! CSV exports say how each asset is covered.

use crate::common;

use common::{Sandbox, json_of, text};
use std::collections::BTreeSet;

const BASE: &[&str] = &["--start", "2027-01-11", "--wave-size", "30"];

fn planned() -> Sandbox {
    let sb = Sandbox::new();
    sb.plan_demo("p.toml", BASE);
    sb
}

/// Rewrites the `[[asset]]` block of `id` in the plan file with `edit`.
fn edit_asset(sb: &Sandbox, plan: &str, id: &str, edit: impl Fn(&str) -> String) {
    let text = sb.read(plan);
    let start = text
        .find(&format!("[[asset]]\nid = \"{id}\"\n"))
        .unwrap_or_else(|| panic!("{id} is not planned"));
    let end = text[start + 1..]
        .find("\n[[")
        .map_or(text.len(), |e| start + 1 + e);
    let block = edit(&text[start..end]);
    sb.write(plan, format!("{}{block}{}", &text[..start], &text[end..]));
}

/// Codes of one severity reported by `validate --format json`, which must exit with `code`.
fn codes(sb: &Sandbox, plan: &str, code: i32, severity: &str) -> BTreeSet<String> {
    let out = sb.run(&["validate", plan, "--format", "json"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(code), "{stdout}");
    json_of(&stdout)["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["severity"] == severity)
        .map(|p| p["code"].as_str().unwrap().to_string())
        .collect()
}

fn set(code: &str) -> BTreeSet<String> {
    BTreeSet::from([code.to_string()])
}

#[test]
fn the_demo_plan_covers_what_the_svms_and_exchange_protect() {
    let sb = planned();
    let v = sb.json(&["export", "p.toml", "--format", "json"]);
    let assets = v["assets"].as_array().unwrap();
    let get = |id: &str| assets.iter().find(|a| a["id"] == id).unwrap().clone();
    // The SVMs have no replacement that scans VMs: the VMs get an agent of their own.
    let erp = get("srv-erp-01");
    assert_eq!(
        erp["coverage"],
        serde_json::json!({"via": "svm-02", "function": "virtualization", "by": "own-agent"})
    );
    assert_eq!(erp["covered_by"], "own-agent");
    assert_eq!(erp["product"], "mde");
    // An ESXi host nothing can protect needs a decision.
    let esx = get("esx-01");
    assert_eq!(esx["coverage"]["by"], "decision");
    assert_eq!(esx["steps"][0]["key"], "decide");
    // A workstation that already runs ESET keeps it: nothing to install.
    let ws = get("ws-verw-005");
    assert_eq!(ws["coverage"]["via"], "srv-exch-01");
    assert_eq!(ws["coverage"]["function"], "mail");
    assert_eq!(ws["product"], "eset-protect-endpoint");
    let keys: Vec<&str> = ws["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["verify"]);
    // Direct assets: their replacement, or a decision where nothing fits; no coverage entry.
    let ksc = get("srv-ksc-01");
    assert_eq!(ksc["covered_by"], "replacement");
    assert!(ksc["coverage"].is_null());
    assert_eq!(get("svm-01")["covered_by"], "decision");
    // Each covered asset is in its provider's wave or earlier.
    let pos = |id: &str| {
        let w = get(id)["wave"].as_str().unwrap().to_string();
        v["waves"]
            .as_array()
            .unwrap()
            .iter()
            .position(|x| x["id"] == w.as_str())
            .unwrap()
    };
    let covered: Vec<&serde_json::Value> =
        assets.iter().filter(|a| !a["coverage"].is_null()).collect();
    assert_eq!(covered.len(), 33);
    for a in covered {
        let id = a["id"].as_str().unwrap();
        let via = a["coverage"]["via"].as_str().unwrap();
        assert!(pos(id) <= pos(via), "{id} after {via}");
        assert!(pos(id) > 0, "{id} in the pilot");
    }
    // The status report counts them like any planned asset.
    let st = sb.json(&["status", "p.toml", "--format", "json"]);
    assert_eq!(st["total"], 146);
    // The management report names where a critical covered system's protection comes from.
    let md = sb.ok(&["export", "p.toml", "--format", "md"]);
    let erp = md
        .lines()
        .find(|l| l.starts_with("| srv-erp-01 |"))
        .expect("srv-erp-01 is critical");
    assert!(erp.contains(r"through svm-02 \(virtualization\)"), "{erp}");
}

#[test]
fn csv_adds_the_coverage_columns_after_the_existing_ones() {
    let sb = planned();
    let text = sb.ok(&["export", "p.toml", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[0], "asset");
    assert_eq!(
        header[19], "last_change",
        "existing columns keep their place"
    );
    assert_eq!(
        header[20..],
        ["covered_by", "coverage_via", "coverage_function"]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let row = |id: &str| rows.iter().find(|x| &x[0] == id).unwrap().clone();
    let ws = row("ws-verw-005");
    assert_eq!(
        (&ws[20], &ws[21], &ws[22]),
        ("own-agent", "srv-exch-01", "mail")
    );
    let esx = row("esx-02");
    assert_eq!(
        (&esx[20], &esx[21], &esx[22]),
        ("decision", "svm-02", "virtualization")
    );
    let ksc = row("srv-ksc-01");
    assert_eq!((&ksc[20], &ksc[21], &ksc[22]), ("replacement", "", ""));
}

#[test]
fn validate_reports_a_missing_coverage() {
    let sb = planned();
    assert_eq!(codes(&sb, "p.toml", 0, "violation"), BTreeSet::new());
    edit_asset(&sb, "p.toml", "srv-erp-01", |b| {
        b.lines()
            .filter(|l| !l.starts_with("coverage = "))
            .map(|l| format!("{l}\n"))
            .collect()
    });
    assert_eq!(
        codes(&sb, "p.toml", 1, "violation"),
        set("coverage-missing")
    );
    // The same when the asset is left out of the plan altogether.
    let sb = planned();
    edit_asset(&sb, "p.toml", "srv-erp-01", |_| String::new());
    assert_eq!(
        codes(&sb, "p.toml", 1, "violation"),
        set("coverage-missing")
    );
    let out = sb.run(&["validate", "p.toml"]);
    let report = text(&out.stdout);
    assert!(
        report.contains("srv-erp-01 gets its anti-virus from svm-02"),
        "{report}"
    );
}

#[test]
fn validate_reports_coverage_after_the_provider() {
    let sb = planned();
    let plan: toml::Table = sb.read("p.toml").parse().unwrap();
    let last = plan["wave"].as_array().unwrap().last().unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    edit_asset(&sb, "p.toml", "srv-erp-01", |b| {
        let wave = b.lines().find(|l| l.starts_with("wave = ")).unwrap();
        b.replace(wave, &format!("wave = \"{last}\""))
    });
    assert_eq!(codes(&sb, "p.toml", 1, "violation"), set("coverage-late"));
}

#[test]
fn validate_reports_a_provider_replacement_without_the_function() {
    let sb = planned();
    edit_asset(&sb, "p.toml", "srv-erp-01", |b| {
        b.replace("by = \"own-agent\"", "by = \"provider\"")
    });
    assert_eq!(
        codes(&sb, "p.toml", 1, "violation"),
        set("coverage-without-function")
    );
    let out = text(&sb.run(&["validate", "p.toml"]).stdout);
    assert!(
        out.contains("srv-erp-01 is covered by svm-02's replacement, but no replacement product"),
        "{out}"
    );
}

#[test]
fn validate_warns_about_a_stale_coverage_entry() {
    let sb = planned();
    edit_asset(&sb, "p.toml", "srv-erp-01", |b| {
        b.replace("via = \"svm-02\"", "via = \"svm-01\"")
    });
    assert_eq!(codes(&sb, "p.toml", 0, "violation"), BTreeSet::new());
    assert!(codes(&sb, "p.toml", 0, "warning").contains("coverage-stale"));
}

#[test]
fn set_cover_changes_the_coverage_and_its_product() {
    let sb = planned();
    sb.ok(&[
        "set",
        "p.toml",
        "srv-erp-01",
        "--cover",
        "decision",
        "--by",
        "ciso",
    ]);
    let plan = sb.read("p.toml");
    let block = &plan[plan.find("id = \"srv-erp-01\"").unwrap()..];
    let block = &block[..block.find("\n[[").unwrap()];
    assert!(
        block.contains("by = \"decision\" }\nneeds_decision = true"),
        "{block}"
    );
    assert!(!block.contains("product = "), "no agent any more: {block}");
    assert!(plan.contains("field = \"coverage\"\nfrom = \"own-agent\"\nto = \"decision\""));
    assert_eq!(codes(&sb, "p.toml", 0, "violation"), BTreeSet::new());
    // Back to an agent of its own, named.
    sb.ok(&[
        "set",
        "p.toml",
        "srv-erp-01",
        "--cover",
        "own-agent",
        "--product",
        "mde",
    ]);
    let v = sb.json(&["export", "p.toml", "--format", "json"]);
    let erp = v["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "srv-erp-01")
        .unwrap();
    assert_eq!(
        (erp["coverage"]["by"].as_str(), erp["product"].as_str()),
        (Some("own-agent"), Some("mde"))
    );
    // The SVM's replacement cannot scan VMs: covering by it is reported.
    sb.ok(&["set", "p.toml", "srv-erp-01", "--cover", "provider"]);
    assert_eq!(
        codes(&sb, "p.toml", 1, "violation"),
        set("coverage-without-function")
    );
    // Bad input: an unknown kind, an asset without coverage, an agent without a name.
    let err = sb.fails(2, &["set", "p.toml", "srv-erp-01", "--cover", "magic"]);
    assert!(err.contains("--cover magic"), "{err}");
    let err = sb.fails(2, &["set", "p.toml", "srv-fs-01", "--cover", "decision"]);
    assert!(err.contains("no coverage entry"), "{err}");
    let err = sb.fails(2, &["set", "p.toml", "esx-01", "--cover", "own-agent"]);
    assert!(err.contains("--product"), "{err}");
}
