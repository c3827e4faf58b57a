//! A plan made from files that need `--mapping`, `--input-format` or `--ksc-server` records
//! them, so that every later command reads the inventory the same way.

use crate::common;

use common::Sandbox;

const MAP: &str = r#"
[columns]
id = "Rechnerkennung"
os = "System"
software = "Programm"
publisher = "Firma"
target = "Haengt an"
relation_kind = "Art"

[values.relation_kind]
"verwaltet durch" = "managed-by"
"#;

const CSV: &str = "Rechnerkennung;System;Programm;Firma;Haengt an;Art\n\
PC-0815;Windows 11 Pro;Kaspersky Endpoint Security for Windows;AO Kaspersky Lab;SRV-KSC;verwaltet durch\n\
PC-0816;Windows 10 Pro;Kaspersky Endpoint Security for Windows;AO Kaspersky Lab;SRV-KSC;verwaltet durch\n\
SRV-KSC;Windows Server 2019;Kaspersky Security Center 14.2 Administration Server;AO Kaspersky Lab;;\n";

/// A sandbox with the odd CSV in `data/` and its mapping in `maps/`.
fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    for dir in ["data", "maps", "plans"] {
        std::fs::create_dir_all(sb.path(dir)).unwrap();
    }
    sb.write("data/odd.csv", CSV);
    sb.write("maps/odd.toml", MAP);
    sb
}

fn plan_with_mapping(sb: &Sandbox) -> String {
    let (csv, map, plan) = (
        sb.path("data/odd.csv"),
        sb.path("maps/odd.toml"),
        sb.path("plans/p.toml"),
    );
    sb.ok(&[
        "plan",
        csv.to_str().unwrap(),
        "--mapping",
        map.to_str().unwrap(),
        "-o",
        plan.to_str().unwrap(),
        "--start",
        "2027-01-11",
    ])
}

#[test]
fn the_plan_records_the_mapping_relative_to_itself() {
    let sb = sandbox();
    plan_with_mapping(&sb);
    let table: toml::Table = sb.read("plans/p.toml").parse().unwrap();
    assert_eq!(
        table["import"]["mapping"].as_str(),
        Some("../maps/odd.toml"),
        "{table:#?}"
    );
    let ids: Vec<&str> = table["asset"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["PC-0815", "PC-0816", "SRV-KSC"]);
}

#[test]
fn later_commands_read_the_inventory_with_the_recorded_mapping() {
    let sb = sandbox();
    plan_with_mapping(&sb);
    let plan = sb.path("plans/p.toml");
    let plan = plan.to_str().unwrap();
    sb.ok(&["validate", plan]);
    sb.ok(&["status", plan]);
    sb.ok(&["replan", plan]);
    let runbook = sb.ok(&["export", plan, "--format", "runbook"]);
    assert!(runbook.contains("PC-0815"), "{runbook}");
    sb.ok(&["set", plan, "PC-0815", "--status", "in-progress"]);
    let table: toml::Table = sb.read("plans/p.toml").parse().unwrap();
    assert!(table.contains_key("import"), "replan and set keep [import]");
}

#[test]
fn a_plan_without_import_options_has_no_import_table() {
    let sb = Sandbox::new();
    let out = sb.plan_demo("p.toml", &[]);
    assert!(!sb.read("p.toml").contains("[import]"), "{out}");
}

#[test]
fn a_missing_recorded_mapping_is_a_clear_error() {
    let sb = sandbox();
    plan_with_mapping(&sb);
    std::fs::remove_file(sb.path("maps/odd.toml")).unwrap();
    let plan = sb.path("plans/p.toml");
    let err = sb.fails(2, &["validate", plan.to_str().unwrap()]);
    assert!(
        err.contains("odd.toml") && err.contains("mapping file not found"),
        "{err}"
    );
}

#[test]
fn the_input_format_and_ksc_server_are_recorded_too() {
    let sb = Sandbox::new();
    let csv = sb.write(
        "inv.csv",
        "id,os,software,publisher\nws-1,Windows 11,Kaspersky Endpoint Security for Windows,AO Kaspersky Lab\n\
         ksc-1,Windows Server 2022,Kaspersky Security Center 14.2 Administration Server,AO Kaspersky Lab\n",
    );
    let plan = sb.path("p.toml");
    sb.ok(&[
        "plan",
        csv.to_str().unwrap(),
        "--input-format",
        "csv",
        "--ksc-server",
        "ksc-1",
        "-o",
        plan.to_str().unwrap(),
    ]);
    let table: toml::Table = sb.read("p.toml").parse().unwrap();
    assert_eq!(table["import"]["format"].as_str(), Some("csv"));
    assert_eq!(table["import"]["ksc_server"].as_str(), Some("ksc-1"));
    sb.ok(&["validate", plan.to_str().unwrap()]);
}

#[test]
fn analyze_and_reconcile_still_take_the_import_flags() {
    let sb = sandbox();
    let (csv, map) = (sb.path("data/odd.csv"), sb.path("maps/odd.toml"));
    let out = sb.ok(&[
        "analyze",
        csv.to_str().unwrap(),
        "--mapping",
        map.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let v = common::json_of(&out);
    assert_eq!(v["direct"], 3, "{out}");
    plan_with_mapping(&sb);
    let plan = sb.path("plans/p.toml");
    sb.ok(&[
        "reconcile",
        plan.to_str().unwrap(),
        csv.to_str().unwrap(),
        "--mapping",
        map.to_str().unwrap(),
        "--dry-run",
    ]);
}

#[test]
fn a_plan_with_an_import_table_loads_and_saves_byte_for_byte() {
    let sb = sandbox();
    plan_with_mapping(&sb);
    let text = sb.read("plans/p.toml");
    let plan = avmigrate::plan::file::parse(&text, "p.toml").unwrap();
    assert_eq!(plan.import.mapping.as_deref(), Some("../maps/odd.toml"));
    assert_eq!(avmigrate::plan::file::to_toml(&plan), text);
}

#[test]
fn an_unknown_key_in_the_import_table_is_refused() {
    let sb = sandbox();
    plan_with_mapping(&sb);
    let text = sb
        .read("plans/p.toml")
        .replace("[import]\n", "[import]\nencoding = \"latin1\"\n");
    sb.write("plans/p.toml", text);
    let plan = sb.path("plans/p.toml");
    let err = sb.fails(2, &["validate", plan.to_str().unwrap()]);
    assert!(err.contains("encoding"), "{err}");
}

#[test]
fn plan_refuses_to_write_over_its_mapping_rules_or_catalogue() {
    let sb = sandbox();
    let (csv, map) = (sb.path("data/odd.csv"), sb.path("maps/odd.toml"));
    let (csv, map) = (csv.to_str().unwrap(), map.to_str().unwrap());
    let err = sb.fails(2, &["plan", csv, "--mapping", map, "-o", map]);
    assert!(err.contains("odd.toml"), "{err}");
    assert_eq!(sb.read("maps/odd.toml"), MAP, "the mapping is untouched");
    let rules = sb.write("rules.toml", "");
    let rules = rules.to_str().unwrap();
    sb.fails(
        2,
        &["plan", csv, "--mapping", map, "--rules", rules, "-o", rules],
    );
    sb.fails(
        2,
        &[
            "plan",
            csv,
            "--mapping",
            map,
            "--catalog",
            rules,
            "-o",
            rules,
        ],
    );
    assert_eq!(sb.read("rules.toml"), "");
}

#[test]
fn reconcile_reads_scans_with_the_plans_mapping_by_default() {
    let sb = sandbox();
    plan_with_mapping(&sb);
    let (plan, csv) = (sb.path("plans/p.toml"), sb.path("data/odd.csv"));
    let out = sb.ok(&[
        "reconcile",
        plan.to_str().unwrap(),
        csv.to_str().unwrap(),
        "--dry-run",
        "--format",
        "json",
    ]);
    let v = common::json_of(&out);
    assert_eq!(v["reconciliation"]["matched"], 3, "{out}");
}

#[test]
fn open_refuses_import_flags_for_a_plan() {
    let sb = sandbox();
    plan_with_mapping(&sb);
    let (plan, map) = (sb.path("plans/p.toml"), sb.path("maps/odd.toml"));
    let err = sb.fails(
        2,
        &[
            "open",
            plan.to_str().unwrap(),
            "--mapping",
            map.to_str().unwrap(),
        ],
    );
    assert!(err.contains("[import]"), "{err}");
}
