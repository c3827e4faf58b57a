//! `avmigrate analyze` (and `avmigrate` without arguments): totals, cycles, providers, the JSON
//! contract, CSV vs TOML, user rules, and bad input (exit 2, one line naming the file).

use crate::common;

use common::{Sandbox, demo, repo, strings, text};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn demo_str() -> String {
    demo().display().to_string()
}

fn analyze_json(sb: &Sandbox, files: &[&str]) -> Value {
    let mut args = vec!["analyze"];
    args.extend_from_slice(files);
    args.extend_from_slice(&["--format", "json"]);
    sb.json(&args)
}

fn ids(v: &Value, key: &str) -> BTreeSet<String> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is not an array"))
        .iter()
        .map(|a| a["id"].as_str().expect("id").to_string())
        .collect()
}

/// The text report's totals table: (direct, indirect, unaffected).
fn text_totals(report: &str) -> (usize, usize, usize) {
    let count = |label: &str| -> usize {
        let line = report
            .lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no {label} line in:\n{report}"));
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    (count("direct "), count("indirect "), count("unaffected "))
}

#[test]
fn text_report_has_totals_cycle_and_top_providers() {
    let sb = Sandbox::new();
    let out = sb.ok(&["analyze", &demo_str()]);
    assert!(out.contains("156 assets from 1 file(s)"), "{out}");
    assert_eq!(text_totals(&out), (113, 36, 7));
    assert!(out.contains("Dependency cycles (1)"), "{out}");
    assert!(
        out.contains("srv-sql-01 → srv-sql-02 → srv-sql-01"),
        "cycle missing:\n{out}"
    );
    let top = out
        .split("Top providers by impact")
        .nth(1)
        .expect("top providers section");
    let first = top.lines().nth(1).expect("first provider");
    assert!(first.contains("srv-ksc-01"), "{first}");
    assert!(first.contains("management-server"), "{first}");
    assert_eq!(first.split_whitespace().next(), Some("148"), "{first}");
    assert!(out.contains("Warnings (0)"), "{out}");
}

#[test]
fn json_report_follows_the_contract() {
    let sb = Sandbox::new();
    let v = analyze_json(&sb, &[&demo_str()]);
    assert_eq!(v["assets"], 156);
    assert_eq!(v["direct"], 113);
    assert_eq!(v["indirect"], 36);
    assert_eq!(v["unaffected"], 7);
    let direct = v["direct_assets"].as_array().unwrap();
    let indirect = v["indirect_assets"].as_array().unwrap();
    assert_eq!(direct.len(), 113);
    assert_eq!(indirect.len(), 36);
    let direct_ids = ids(&v, "direct_assets");
    assert_eq!(direct_ids.len(), 113, "duplicate direct ids");
    for d in direct {
        let products = strings(&d["products"]);
        assert!(!products.is_empty(), "{d}");
        assert!(
            products.iter().all(|p| p.contains("Kaspersky")),
            "{products:?}"
        );
    }
    let ksc = direct.iter().find(|d| d["id"] == "srv-ksc-01").unwrap();
    assert!(
        strings(&ksc["products"])
            .contains(&"Kaspersky Security Center Administration Server".to_string())
    );
    for a in indirect {
        let id = a["id"].as_str().unwrap();
        let via = strings(&a["via"]);
        assert!(!via.is_empty(), "{id} has an empty why-path");
        assert!(!direct_ids.contains(id), "{id} is direct and indirect");
        let last = via.last().unwrap();
        assert!(
            direct_ids.contains(last),
            "{id}: via {via:?} ends at a non-direct asset"
        );
        // Everything before the end is itself indirect (a path through affected assets).
        assert!(
            via[..via.len() - 1].iter().all(|x| !direct_ids.contains(x)),
            "{via:?}"
        );
    }
    let vcsa = indirect.iter().find(|a| a["id"] == "vcsa-01").unwrap();
    assert_eq!(strings(&vcsa["via"]), ["esx-01", "svm-01"]);
    assert_eq!(
        v["cycles"],
        serde_json::json!([["srv-sql-01", "srv-sql-02"]])
    );
}

#[test]
fn csv_pair_gives_the_same_result_as_toml() {
    let sb = Sandbox::new();
    let toml = analyze_json(&sb, &[&demo_str()]);
    let assets = repo("assets/examples/stadtwerke.csv");
    let software = repo("assets/examples/stadtwerke-software.csv");
    // Either order: software rows find their assets whatever order the files come in.
    for files in [[&assets, &software], [&software, &assets]] {
        let csv = analyze_json(
            &sb,
            &[
                &files[0].display().to_string(),
                &files[1].display().to_string(),
            ],
        );
        for key in ["assets", "direct", "indirect", "unaffected"] {
            assert_eq!(csv[key], toml[key], "{key}");
        }
        assert_eq!(ids(&csv, "direct_assets"), ids(&toml, "direct_assets"));
        assert_eq!(ids(&csv, "indirect_assets"), ids(&toml, "indirect_assets"));
        let products = |v: &Value| -> BTreeMap<String, Vec<String>> {
            v["direct_assets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| (a["id"].as_str().unwrap().into(), strings(&a["products"])))
                .collect()
        };
        assert_eq!(products(&csv), products(&toml));
        assert_eq!(csv["cycles"], toml["cycles"]);
    }
}

#[test]
fn no_arguments_prints_the_demo_analysis() {
    let sb = Sandbox::new();
    let out = sb.ok(&[]);
    assert!(out.contains("156 assets"), "{out}");
    assert_eq!(text_totals(&out), (113, 36, 7));
    assert!(out.contains("srv-sql-01 → srv-sql-02"), "{out}");
}

#[test]
fn a_user_rules_file_that_adds_a_rule_changes_the_result() {
    let sb = Sandbox::new();
    // nas-01 (unaffected) runs Synology Hyper Backup; call it flagged.
    let rules = sb.write(
        "site-rules.toml",
        r#"vendor = "Kaspersky"
mode = "add"

[[rule]]
id = "test-hyper-backup"
product = "Hyper Backup (flagged for the test)"
role = "endpoint"
source = "test"
[[rule.match]]
name = '(?i)^hyper backup$'
publisher = '(?i)synology'
"#,
    );
    let base = analyze_json(&sb, &[&demo_str()]);
    assert!(!ids(&base, "direct_assets").contains("nas-01"));
    let v = sb.json(&[
        "analyze",
        &demo_str(),
        "--rules",
        &rules.display().to_string(),
        "--format",
        "json",
    ]);
    assert_eq!(v["direct"], 114);
    assert_eq!(
        v["unaffected"].as_u64().unwrap() + v["indirect"].as_u64().unwrap(),
        42
    );
    let nas = v["direct_assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "nas-01")
        .expect("nas-01 is direct now");
    assert_eq!(
        strings(&nas["products"]),
        ["Hyper Backup (flagged for the test)"]
    );
}

#[test]
fn a_broken_rules_file_is_bad_input() {
    let sb = Sandbox::new();
    sb.write("bad-rules.toml", "vendor = \"x\"\n[[rule]]\nid = \n");
    let err = sb.fails(2, &["analyze", &demo_str(), "--rules", "bad-rules.toml"]);
    assert!(err.contains("bad-rules.toml:3"), "{err}");
}

/// Bad input: exit 2 with one line naming the file (and the line where there is one).
fn bad(sb: &Sandbox, file: &str, strict: bool, expect: &[&str]) {
    let mut args = vec!["analyze", file];
    if strict {
        args.push("--strict");
    }
    let err = sb.fails(2, &args);
    assert!(err.contains(file), "message does not name {file}: {err}");
    for e in expect {
        assert!(err.contains(e), "expected {e:?} in {err}");
    }
    assert!(sb.run(&args).stdout.is_empty(), "no report on failure");
}

#[test]
fn unreadable_inputs_exit_2_with_one_line() {
    let sb = Sandbox::new();
    bad(&sb, "missing.toml", false, &["not found"]);
    std::fs::create_dir(sb.path("somedir")).unwrap();
    bad(&sb, "somedir", false, &["directory"]);
    sb.write("empty.toml", "");
    bad(&sb, "empty.toml", false, &["empty"]);
    let noise: Vec<u8> = (0..512u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 7) as u8)
        .collect();
    sb.write("noise.bin", &noise);
    bad(&sb, "noise.bin", false, &["binary"]);
    sb.write("broken.toml", "[[asset]]\nid = \"a\"\nkind = \n");
    bad(&sb, "broken.toml", false, &["broken.toml:3"]);
    sb.write("unclosed.toml", "[[asset]\nid = \"x\"\n");
    bad(&sb, "unclosed.toml", false, &["unclosed.toml:1"]);
}

#[test]
fn a_ragged_csv_row_is_an_error_with_strict_and_a_warning_without() {
    let sb = Sandbox::new();
    sb.write(
        "ragged.csv",
        "id,name,os,software\n\
         ws-1,WS-1,Windows 10,Kaspersky Endpoint Security for Windows\n\
         ws-2,WS-2\n\
         ws-3,WS-3,Windows 11,Kaspersky Endpoint Security for Windows\n",
    );
    bad(
        &sb,
        "ragged.csv",
        true,
        &["ragged.csv:3: row has 2 fields, the header has 4"],
    );

    let out = sb.run(&["analyze", "ragged.csv", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = common::json_of(&text(&out.stdout));
    assert_eq!(v["assets"], 2);
    assert_eq!(v["direct"], 2);
    let warnings = strings(&v["warnings"]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with("ragged.csv:3:"), "{warnings:?}");
    let out = sb.ok(&["analyze", "ragged.csv"]);
    assert!(out.contains("Warnings (1)"), "{out}");
    assert!(out.contains("ragged.csv:3"), "{out}");
}

#[test]
fn usage_errors_exit_2() {
    let sb = Sandbox::new();
    let out = sb.run(&["analyze"]);
    assert_eq!(out.status.code(), Some(2));
    let out = sb.run(&["analyze", &demo_str(), "--format", "yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!text(&out.stderr).contains("panicked"));
}

#[test]
fn strict_turns_an_unknown_relation_target_into_an_error() {
    let sb = Sandbox::new();
    sb.write(
        "refs.toml",
        "[[asset]]\nid = \"a\"\ndepends_on = [ { id = \"ghost\" } ]\n",
    );
    let v = sb.json(&["analyze", "refs.toml", "--format", "json"]);
    assert_eq!(
        strings(&v["warnings"]),
        ["refs.toml:3: asset \"a\" depends on unknown asset \"ghost\" (uses)"]
    );
    let err = sb.fails(2, &["analyze", "refs.toml", "--strict"]);
    assert!(
        err.contains("refs.toml:3") && err.contains("ghost"),
        "{err}"
    );
    sb.write("dup.toml", "[[asset]]\nid = \"a\"\n[[asset]]\nid = \"A\"\n");
    let err = sb.fails(2, &["analyze", "dup.toml"]);
    assert!(
        err.contains("dup.toml:4") && err.contains("duplicate"),
        "{err}"
    );
}

#[test]
fn a_virenschutz_column_makes_direct_assets() {
    let sb = Sandbox::new();
    // cp1252 (ö, ü), `;`, CRLF, as Excel writes "CSV (Trennzeichen-getrennt)".
    let mut bytes = b"Hostname;Standort;Betriebssystem;Virenschutz;Version;Bemerkung\r\n".to_vec();
    bytes.extend_from_slice(
        b"ws-01;K\xF6ln;Windows 11 Pro;Kaspersky Endpoint Security f\xFCr Windows;12.6;\r\n",
    );
    bytes.extend_from_slice(
        b"ws-02;K\xF6ln;Windows 10 Pro;Kaspersky Endpoint Security f\xFCr Windows;11.11;\r\n",
    );
    bytes.extend_from_slice(
        b"srv-01;Bonn;Windows Server 2019;Kaspersky Security f\xFCr Windows Server;11.0;\r\n",
    );
    bytes.extend_from_slice(b"ws-03;Bonn;Windows 11 Pro;Microsoft Defender;;\r\n");
    sb.write("liste.csv", &bytes);
    let out = sb.ok(&["analyze", "liste.csv"]);
    assert!(
        out.lines()
            .any(|l| l.trim_start().starts_with("direct") && l.contains(" 3 ")),
        "{out}"
    );
}

#[test]
fn a_kaspersky_value_in_an_unmapped_column_warns_and_strict_fails() {
    let sb = Sandbox::new();
    sb.write(
        "inv.csv",
        "\u{feff}Hostname;Betriebssystem;Bemerkung\r\nws-1;Windows 11;Kaspersky Endpoint Security 12\r\n",
    );
    let out = sb.ok(&["analyze", "inv.csv"]);
    assert!(out.contains("direct            1"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.contains("inv.csv:2:") && l.contains("column \"Bemerkung\"")),
        "{out}"
    );
    let err = sb.fails(2, &["analyze", "inv.csv", "--strict"]);
    assert!(err.contains("column \"Bemerkung\""), "{err}");
}

#[test]
fn a_file_that_yields_no_asset_exits_2() {
    let sb = Sandbox::new();
    sb.write("quote.csv", b"id;os;site\r\n\"ws-1;Windows 11;Freiburg\r\n");
    let err = sb.fails(2, &["analyze", "quote.csv"]);
    assert!(
        err.contains("quote.csv: file holds no usable rows"),
        "{err}"
    );
    assert!(err.contains("unclosed quote"), "{err}");
    sb.write("header.csv", b"\xEF\xBB\xBFHostname;Betriebssystem\r\n");
    let err = sb.fails(2, &["analyze", "header.csv"]);
    assert!(
        err.contains("header.csv: file holds no usable rows: no data rows"),
        "{err}"
    );
    sb.write("skipped.csv", b"Hostname,OS\n,Windows 11\n,Windows 10\n");
    let err = sb.fails(2, &["analyze", "skipped.csv"]);
    assert!(
        err.contains("skipped.csv: file holds no usable rows: all 2 data rows were skipped"),
        "{err}"
    );
}

/// Pathological inputs are refused in one short line naming the limit, before any costly work.
#[test]
fn pathological_inputs_are_refused_in_one_short_line_naming_the_limit() {
    let sb = Sandbox::new();
    let wide = format!("hostname,os\n{}\n", ",x".repeat(100_000));
    sb.write("wide.csv", &wide);
    let err = sb.fails(2, &["analyze", "wide.csv"]);
    assert_eq!(
        err.trim(),
        "avmigrate: wide.csv:2: row has 100001 columns, over the limit of 10000"
    );
    let header = format!(
        "{}\nh1\n",
        (0..20_000)
            .map(|i| format!("c{i}"))
            .collect::<Vec<_>>()
            .join(",")
    );
    sb.write("header.csv", &header);
    let err = sb.fails(2, &["analyze", "header.csv"]);
    assert!(
        err.contains("header.csv:1: row has 20000 columns, over the limit"),
        "{err}"
    );
    let cell = format!("hostname,os\n{},windows\n", "ж".repeat(600_000));
    sb.write("cell.csv", &cell);
    let err = sb.fails(2, &["analyze", "cell.csv"]);
    assert!(
        err.contains("cell.csv:2: value 1 is 1.1 MiB, over the limit of 1 MiB"),
        "{err}"
    );
    let deep = format!(
        "{{\"KLHST_WKS_DN\":\"x\",\"a\":{}{}}}",
        "[".repeat(30_000),
        "]".repeat(30_000)
    );
    sb.write("deep.json", &deep);
    let err = sb.fails(2, &["analyze", "deep.json"]);
    assert!(
        err.contains("deep.json:1: JSON nested deeper than 64 levels"),
        "{err}"
    );
    sb.write("commas.toml", format!("x = [{}\n", ",".repeat(1_000_000)));
    let err = sb.fails(2, &["analyze", "commas.toml"]);
    assert!(
        err.contains("commas.toml:1: more than 64 brackets, commas"),
        "{err}"
    );
    assert!(err.len() < 200, "one short line: {err}");
}

/// Devices and named pipes are refused from their metadata: nothing is read, nothing blocks;
/// a plan whose inventory is a device and `open` of a missing file exit 2 too.
#[cfg(unix)]
#[test]
fn only_regular_files_are_read() {
    let sb = Sandbox::new();
    let err = sb.fails(2, &["analyze", "/dev/zero"]);
    assert!(
        err.contains("/dev/zero: is a device, not a regular file"),
        "{err}"
    );
    let fifo = sb.path("pipe.csv");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let err = sb.fails(2, &["analyze", "pipe.csv"]);
        assert!(
            err.contains("pipe.csv: is a named pipe, not a regular file"),
            "{err}"
        );
        let err = sb.fails(2, &["open", "pipe.csv"]);
        assert!(err.contains("is a named pipe"), "{err}");
    }
    sb.plan_demo("p.toml", &["--start", "2027-01-11"]);
    let plan = sb
        .read("p.toml")
        .replace("path = \"stadtwerke.toml\"", "path = \"/dev/zero\"");
    assert!(plan.contains("/dev/zero"));
    sb.write("p.toml", plan);
    let err = sb.fails(2, &["validate", "p.toml"]);
    assert!(err.contains("is a device, not a regular file"), "{err}");
    let err = sb.fails(2, &["open", "missing.toml"]);
    assert!(err.contains("missing.toml: file not found"), "{err}");
}

/// A CSV chain a0 → a1 → … → a(n-1) (each depends on the next); the last runs Kaspersky.
fn chain_csv(n: usize, ring: bool) -> String {
    let mut s = String::from("id,software,depends_on\n");
    for i in 0..n {
        let sw = if i == n - 1 {
            "Kaspersky Endpoint Security for Windows@12.1"
        } else {
            ""
        };
        let dep = match i + 1 < n {
            true => format!("a{}", i + 1),
            false if ring => "a0".to_string(),
            false => String::new(),
        };
        s.push_str(&format!("a{i},{sw},{dep}\n"));
    }
    s
}

#[test]
fn indirect_assets_carry_next_depth_root_and_a_bounded_via() {
    let sb = Sandbox::new();
    sb.write("chain.csv", chain_csv(30, false));
    let v = sb.json(&["analyze", "chain.csv", "--format", "json"]);
    let by_id: BTreeMap<String, &Value> = v["indirect_assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_str().unwrap().to_string(), a))
        .collect();
    assert_eq!(by_id.len(), 29);
    let near = by_id["a21"];
    assert_eq!(near["next"], "a22");
    assert_eq!(near["depth"], 8);
    assert_eq!(near["root"], "a29");
    assert_eq!(strings(&near["via"]).len(), 8);
    let far = by_id["a0"];
    assert_eq!(
        (far["next"].as_str(), far["depth"].as_u64()),
        (Some("a1"), Some(29))
    );
    assert_eq!(far["root"], "a29");
    assert!(far.get("via").is_none(), "{far}");
    assert_eq!(v["direct_assets"][0]["impact"], 29);
    // --explain prints any whole path.
    let out = sb.ok(&["analyze", "chain.csv", "--explain", "a0"]);
    assert!(out.contains("a0 → a1 → a2"), "{out}");
    assert!(out.contains("a28 → a29\n"), "{out}");
    // The text report abbreviates long paths.
    let text = sb.ok(&["analyze", "chain.csv"]);
    assert!(
        text.contains("a0 → a1 → a2 → a3 → … (29 hops) → a29"),
        "{text}"
    );
}

#[test]
fn json_output_is_linear_on_a_ring_and_a_generated_estate() {
    let sb = Sandbox::new();
    let n = 3000;
    sb.write("ring.csv", chain_csv(n, true));
    let out = sb.run(&["analyze", "ring.csv", "--format", "json"]);
    assert!(out.status.success());
    let per_asset = out.stdout.len() / (2 * n);
    assert!(per_asset < 300, "{per_asset} bytes per asset and relation");
    let v = common::json_of(&text(&out.stdout));
    assert_eq!(v["cycles"][0].as_array().unwrap().len(), n);
    sb.ok(&["gen", "--assets", "2000", "--output", "gen.toml"]);
    let out = sb.run(&["analyze", "gen.toml", "--format", "json"]);
    let v = common::json_of(&text(&out.stdout));
    let relations: u64 = v["files"][0]["relations"].as_u64().unwrap();
    let ratio = out.stdout.len() as u64 / (2000 + relations);
    assert!(ratio < 300, "{ratio} bytes per asset and relation");
}
