//! `avmigrate export`: runbook, CSV, DOT and JSON of a plan, hostile names, `-o FILE`.

use crate::common;

use common::{Sandbox, strings};
use std::collections::BTreeSet;

const BASE: &[&str] = &["--start", "2027-01-11", "--wave-size", "30"];

fn planned() -> Sandbox {
    let sb = Sandbox::new();
    sb.plan_demo("p.toml", BASE);
    sb
}

/// (wave ids in order, planned asset ids) from the JSON export.
fn plan_shape(sb: &Sandbox, plan: &str) -> (Vec<String>, BTreeSet<String>) {
    let v = sb.json(&["export", plan, "--format", "json"]);
    let waves = v["waves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap().to_string())
        .collect();
    let assets = v["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    (waves, assets)
}

/// The runbook section of one asset (from its `###` heading to the next heading).
fn section<'a>(runbook: &'a str, id: &str) -> &'a str {
    let start = runbook
        .find(&format!("### {id} "))
        .unwrap_or_else(|| panic!("no section for {id}"));
    let rest = &runbook[start + 4..];
    let end = rest.find("\n#").map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

fn step_pos(section: &str, key: &str) -> Option<usize> {
    section.find(&format!("- [ ] **{key}**: "))
}

/// An inventory with hostile text: a formula as name, quotes in an id.
fn hostile(sb: &Sandbox) {
    let kes = r#"software = [ { name = "Kaspersky Endpoint Security for Windows", version = "12.4", publisher = "AO Kaspersky Lab" } ]"#;
    sb.write(
        "hostile.toml",
        format!(
            "[[asset]]\nid = \"ws-evil\"\nname = '=HYPERLINK(\"http://x\")'\nkind = \"workstation\"\n\
             os = \"Windows 10 Enterprise 22H2\"\n{kes}\n\n\
             [[asset]]\nid = 'ws-\"quoted\"'\nname = 'say \"hi\" [x](y)'\nkind = \"workstation\"\n\
             os = \"Windows 11 Enterprise 23H2\"\n{kes}\n"
        ),
    );
    sb.ok(&[
        "plan",
        "hostile.toml",
        "-o",
        "h.toml",
        "--start",
        "2027-01-11",
    ]);
}

#[test]
fn runbook_has_a_section_per_wave_and_safe_step_order() {
    let sb = planned();
    let (waves, assets) = plan_shape(&sb, "p.toml");
    let rb = sb.ok(&["export", "p.toml", "--format", "runbook"]);
    let headings: Vec<&str> = rb.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(headings.len(), waves.len());
    for (h, w) in headings.iter().zip(&waves) {
        assert!(h.starts_with(&format!("## {w} — ")), "{h}");
    }
    assert!(headings[0].starts_with("## w1 — Pilot (2027-01-11 – 2027-01-15, 8 assets)"));
    assert_eq!(rb.matches("\n### ").count(), assets.len());

    let ws = section(&rb, "ws-kc-002");
    let order: Vec<usize> = ["install-new", "verify", "remove-flagged", "confirm-active"]
        .iter()
        .map(|k| step_pos(ws, k).unwrap_or_else(|| panic!("no {k} in\n{ws}")))
        .collect();
    assert!(
        order.windows(2).all(|p| p[0] < p[1]),
        "steps out of order:\n{ws}"
    );
    assert!(step_pos(ws, "decommission").is_none());

    let ksc = section(&rb, "srv-ksc-01");
    let install = step_pos(ksc, "install-new").unwrap();
    let remove = step_pos(ksc, "remove-flagged").unwrap();
    let decommission = step_pos(ksc, "decommission").expect("KSC is decommissioned");
    assert!(install < remove && remove < decommission, "{ksc}");

    // No compatible product: a decision, never a removal that leaves the machine bare.
    let svm = section(&rb, "svm-01");
    assert!(step_pos(svm, "decide").is_some(), "{svm}");
    assert!(step_pos(svm, "remove-flagged").is_none(), "{svm}");
}

#[test]
fn csv_has_the_contract_columns_and_one_row_per_asset() {
    let sb = planned();
    sb.ok(&[
        "set",
        "p.toml",
        "ws-kc-001",
        "--status",
        "in-progress",
        "--by",
        "bob",
    ]);
    let (_, assets) = plan_shape(&sb, "p.toml");
    let text = sb.ok(&["export", "p.toml", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
    };
    let (asset, wave, product, status, last) = (
        col("asset"),
        col("wave"),
        col("product"),
        col("status"),
        col("last_change"),
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), assets.len());
    let ids: BTreeSet<String> = rows.iter().map(|x| x[asset].to_string()).collect();
    assert_eq!(ids, assets);
    let kc1 = rows.iter().find(|x| &x[asset] == "ws-kc-001").unwrap();
    assert_eq!(&kc1[status], "in-progress");
    assert_eq!(&kc1[last], "2026-11-28T10:00:00Z");
    assert_eq!(&kc1[product], "mde");
    assert!(kc1[wave].starts_with('w'));
    let kc2 = rows.iter().find(|x| &x[asset] == "ws-kc-002").unwrap();
    assert_eq!(
        (&kc2[wave], &kc2[status], &kc2[last]),
        ("w1", "planned", "")
    );
    let svm = rows.iter().find(|x| &x[asset] == "svm-01").unwrap();
    assert_eq!(&svm[product], "");
}

#[test]
fn csv_defuses_formulas_in_asset_names() {
    let sb = Sandbox::new();
    hostile(&sb);
    let text = sb.ok(&["export", "h.toml", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let name = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "name")
        .unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 2);
    let evil = rows.iter().find(|x| &x[0] == "ws-evil").unwrap();
    assert_eq!(&evil[name], "'=HYPERLINK(\"http://x\")");
    for row in &rows {
        for cell in row.iter() {
            assert!(
                !cell.starts_with(['=', '+', '@', '-']),
                "formula cell {cell:?}"
            );
        }
    }
    let quoted = rows.iter().find(|x| &x[0] == "ws-\"quoted\"").unwrap();
    assert_eq!(&quoted[name], "say \"hi\" [x](y)");
}

#[test]
fn dot_has_a_cluster_per_wave_and_escapes_quotes() {
    let sb = planned();
    let (waves, _) = plan_shape(&sb, "p.toml");
    let dot = sb.ok(&["export", "p.toml", "--format", "dot"]);
    assert!(dot.starts_with("digraph "), "{dot}");
    assert!(dot.trim_end().ends_with('}'));
    assert_eq!(dot.matches("subgraph cluster_").count(), waves.len());
    assert_eq!(
        dot.matches('{').count(),
        dot.matches('}').count(),
        "unbalanced braces"
    );
    assert!(dot.contains("\"ws-kc-001\" -> \"srv-ksc-01\" [label=\"managed-by\"];"));

    let sb = Sandbox::new();
    hostile(&sb);
    let dot = sb.ok(&["export", "h.toml", "--format", "dot"]);
    assert!(
        dot.contains(r#""ws-\"quoted\"" [label="ws-\"quoted\"\n→ mde"];"#),
        "{dot}"
    );
    // Every line has its quotes balanced once escaped quotes are removed.
    for line in dot.lines() {
        let bare = line.replace("\\\\", "").replace("\\\"", "");
        assert_eq!(
            bare.matches('"').count() % 2,
            0,
            "unbalanced quotes: {line}"
        );
    }
}

#[test]
fn runbook_escapes_markdown_in_hostile_text() {
    let sb = Sandbox::new();
    hostile(&sb);
    let rb = sb.ok(&["export", "h.toml", "--format", "runbook"]);
    assert!(rb.contains(r#"(say "hi" \[x\]\(y\))"#), "{rb}");
    assert!(!rb.contains("[x](y)"), "{rb}");
}

#[test]
fn json_lists_waves_with_assets_and_assets_with_steps() {
    let sb = planned();
    let v = sb.json(&["export", "p.toml", "--format", "json"]);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["strategy"], "risk-first");
    let waves = v["waves"].as_array().unwrap();
    let assets = v["assets"].as_array().unwrap();
    // 113 direct assets and 33 that get their anti-virus through one of them.
    assert_eq!(assets.len(), 146);
    let in_waves: Vec<String> = waves.iter().flat_map(|w| strings(&w["assets"])).collect();
    assert_eq!(in_waves.len(), 146, "every asset in exactly one wave");
    assert_eq!(in_waves.iter().collect::<BTreeSet<_>>().len(), 146);
    assert_eq!(waves[0]["name"], "Pilot");
    assert_eq!(waves[0]["total"], strings(&waves[0]["assets"]).len());
    for a in assets {
        let steps = a["steps"].as_array().unwrap();
        let keys: Vec<&str> = steps.iter().map(|s| s["key"].as_str().unwrap()).collect();
        for s in steps {
            assert!(s["sources"].is_array(), "{s}");
        }
        let pos = |k: &str| keys.iter().position(|x| *x == k);
        let id = a["id"].as_str().unwrap();
        // Never a removal before the successor is installed (or found running) and verified;
        // a job it does for others moves over in between.
        let covered = a["coverage"]["by"].is_string();
        match pos("remove-flagged") {
            // Protected through a provider: nothing flagged to remove on it (see cli_coverage).
            Some(_) if covered => panic!("{id}: {keys:?}"),
            None if covered => {}
            Some(remove) => {
                assert!(a["product"].is_string(), "{id}");
                let verify = pos("verify").unwrap_or_else(|| panic!("{id}: {keys:?}"));
                assert!(verify < remove, "{id}: {keys:?}");
                if let Some(install) = pos("install-new") {
                    assert!(install < verify, "{id}: {keys:?}");
                }
                if let Some(switch) = pos("switch-over") {
                    assert!(verify < switch && switch < remove, "{id}: {keys:?}");
                }
                assert!(pos("confirm-active") > Some(remove), "{id}: {keys:?}");
            }
            None => assert_eq!(keys[0], "decide", "{id}: {keys:?}"),
        }
        // OT systems wait for a decision: nothing is installed on them.
        if id.starts_with("ot-") {
            assert_eq!(keys, ["decide"], "{id}");
            assert!(a["product"].is_null(), "{id}");
        }
        let wave = a["wave"].as_str().unwrap();
        let w = waves.iter().find(|w| w["id"] == wave).unwrap();
        assert!(strings(&w["assets"]).contains(&a["id"].as_str().unwrap().to_string()));
    }
    // Indirect assets are listed as affected in the wave of the provider they rely on, except
    // the 33 the plan covers itself.
    let affected: Vec<String> = waves.iter().flat_map(|w| strings(&w["affected"])).collect();
    assert_eq!(affected.len(), 36 - 33);
}

#[test]
fn output_file_gets_the_same_text() {
    let sb = planned();
    for format in ["runbook", "csv", "dot", "json"] {
        let name = format!("out.{format}");
        let stdout = sb.ok(&["export", "p.toml", "--format", format]);
        let msg = sb.ok(&["export", "p.toml", "--format", format, "-o", &name]);
        assert_eq!(msg, format!("wrote {name}\n"));
        assert_eq!(sb.read(&name), stdout, "{format}");
    }
    let err = sb.fails(
        2,
        &["export", "p.toml", "--format", "csv", "-o", "no/dir/x.csv"],
    );
    assert!(err.contains("no/dir/x.csv"), "{err}");
    // An export never replaces its own plan or inventory.
    let plan = sb.read("p.toml");
    let inventory = sb.read("stadtwerke.toml");
    for target in ["p.toml", "./stadtwerke.toml"] {
        let err = sb.fails(2, &["export", "p.toml", "--format", "csv", "-o", target]);
        assert!(err.contains(target) && err.contains("input"), "{err}");
    }
    assert_eq!(sb.read("p.toml"), plan);
    assert_eq!(sb.read("stadtwerke.toml"), inventory);
}

#[test]
fn a_logical_ci_gets_no_product_in_plan_runbook_dot_and_validate() {
    let sb = Sandbox::new();
    sb.write(
        "inv.csv",
        "id,name,os,kind,software,depends_on\n\
         SRV01,SRV01,Windows Server 2019,server,Kaspersky Endpoint Security 12.6,\n\
         APP1,Payroll,,application,Kaspersky Security for Microsoft Exchange Servers 9.0,SRV01:runs_on\n\
         WS01,WS01,Windows 11,workstation,,APP1:uses\n",
    );
    let mut args = vec!["plan", "inv.csv", "-o", "p.toml"];
    args.extend(BASE);
    let out = sb.ok(&args);
    assert!(out.contains("1 logical CI(s)"), "{out}");
    assert!(!out.contains("have no target product"), "{out}");
    let v = sb.json(&["export", "p.toml", "--format", "json"]);
    let app = v["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "APP1")
        .expect("APP1 planned");
    assert!(app["product"].is_null(), "{app}");
    assert_eq!(app["kind"], "application", "{app}");
    assert_eq!(app["covered_by"], "hosts", "{app}");
    let why = app["product_reason"].as_str().unwrap();
    assert!(why.contains("logical CI") && why.contains("SRV01"), "{why}");
    let srv = v["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "SRV01");
    assert!(srv.is_some_and(|s| s["product"].is_string()), "{v}");

    let runbook = sb.ok(&["export", "p.toml", "--format", "runbook"]);
    let head = runbook.lines().find(|l| l.starts_with("### APP1")).unwrap();
    assert!(head.contains("no agent"), "{head}");
    let dot = sb.ok(&["export", "p.toml", "--format", "dot"]);
    assert!(dot.contains("APP1\\n(logical CI: no agent)"), "{dot}");
    let csv = sb.ok(&["export", "p.toml", "--format", "csv"]);
    let row = csv
        .lines()
        .find(|l| l.starts_with("APP1,"))
        .expect("APP1 row");
    assert!(
        row.contains(",application,") && row.contains(",hosts,"),
        "{row}"
    );

    let checked = sb.ok(&["validate", "p.toml"]);
    for code in [
        "no-compatible-product",
        "decision-needed",
        "logical-ci-product",
    ] {
        assert!(!checked.contains(code), "{code}: {checked}");
    }
    // A product set by hand on a logical CI is flagged; replan clears it.
    sb.ok(&["set", "p.toml", "APP1", "--product", "mde"]);
    let checked = sb.run(&["validate", "p.toml"]);
    let checked = String::from_utf8_lossy(&checked.stdout).into_owned();
    assert!(checked.contains("[logical-ci-product] APP1"), "{checked}");
    sb.ok(&["replan", "p.toml"]);
    let v = sb.json(&["export", "p.toml", "--format", "json"]);
    let app = v["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "APP1");
    assert!(app.is_some_and(|a| a["product"].is_null()), "{v}");
    let checked = sb.ok(&["validate", "p.toml"]);
    assert!(!checked.contains("logical-ci-product"), "{checked}");
}
