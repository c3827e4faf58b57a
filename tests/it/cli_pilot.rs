//! The demo on the command line: a representative pilot (every platform with a low-risk asset
//! gets a sample, tagged assets add to it, no KRITIS or critical asset in it), KRITIS /
//! critical / OT systems after the pilot proved their platform, and Security Center retired
//! only once what it manages is migrated, excluded or decided (`validate` exit 1 otherwise).

use crate::common;

use common::{Sandbox, demo};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

const BASE: &[&str] = &["--start", "2027-01-11", "--wave-size", "30"];

/// One asset of the demo inventory, read as plain TOML.
struct DemoAsset {
    id: String,
    kind: String,
    os: String,
    critical: bool,
    tagged: bool,
    depends_on: Vec<String>,
}

fn demo_assets() -> Vec<DemoAsset> {
    let t: toml::Table = std::fs::read_to_string(demo()).unwrap().parse().unwrap();
    let s = |a: &toml::Value, k: &str, d: &str| {
        a.get(k).and_then(|v| v.as_str()).unwrap_or(d).to_string()
    };
    t["asset"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let tags: Vec<&str> = a
                .get("tags")
                .and_then(|v| v.as_array())
                .map(|v| v.iter().filter_map(|t| t.as_str()).collect())
                .unwrap_or_default();
            DemoAsset {
                id: s(a, "id", ""),
                kind: s(a, "kind", "other"),
                os: s(a, "os", ""),
                critical: tags.contains(&"kritis") || s(a, "criticality", "medium") == "critical",
                tagged: tags.contains(&"pilot"),
                depends_on: a
                    .get("depends_on")
                    .and_then(|v| v.as_array())
                    .map(|v| {
                        v.iter()
                            .map(|d| d["id"].as_str().unwrap().to_string())
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// The OS family group of a demo OS text, as the planner names it.
fn os_group(os: &str) -> &'static str {
    match os {
        o if o.starts_with("Windows Server") => "Windows Server",
        o if o.contains("Embedded") => "Windows Embedded",
        o if o.starts_with("Windows") => "Windows client",
        o if o.starts_with("macOS") => "macOS",
        o if o.starts_with("Android") => "Android",
        o if o.starts_with("iOS") || o.starts_with("iPadOS") => "iOS",
        o if o.contains("ESXi") => "ESXi",
        _ => "Linux",
    }
}

/// Asset id → (wave position, reason) of a plan file, and its wave ids in order.
fn read_plan(sb: &Sandbox, name: &str) -> (Vec<String>, BTreeMap<String, (usize, String)>) {
    let t: toml::Table = sb.read(name).parse().unwrap();
    let waves: Vec<String> = t["wave"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap().to_string())
        .collect();
    let assets = t["asset"]
        .as_array()
        .unwrap()
        .iter()
        // Direct assets only: those covered through a provider follow it, they are not sampled.
        .filter(|a| a.get("coverage").is_none())
        .map(|a| {
            let wave = a["wave"].as_str().unwrap();
            let pos = waves.iter().position(|w| w == wave).unwrap();
            let reason = a["reason"].as_str().unwrap().to_string();
            (a["id"].as_str().unwrap().to_string(), (pos, reason))
        })
        .collect();
    (waves, assets)
}

fn validate(sb: &Sandbox, plan: &str, code: i32) -> Value {
    let out = sb.run(&["validate", plan, "--format", "json"]);
    let stdout = common::text(&out.stdout);
    assert_eq!(out.status.code(), Some(code), "{stdout}");
    common::json_of(&stdout)
}

/// (asset, message) of the problems with `code`.
fn problems(v: &Value, code: &str) -> Vec<(String, String)> {
    v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["code"] == code)
        .map(|p| {
            (
                p["asset"].as_str().unwrap_or_default().to_string(),
                p["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_demo_pilot_samples_each_platform_and_critical_systems_wait_for_it() {
    let sb = Sandbox::new();
    let out = sb.plan_demo("p.toml", BASE);
    let (waves, plan) = read_plan(&sb, "p.toml");
    assert_eq!(waves[0], "w1");
    let inv = demo_assets();
    let relied_on: BTreeSet<&str> = inv
        .iter()
        .flat_map(|a| a.depends_on.iter().map(String::as_str))
        .collect();
    let planned: Vec<&DemoAsset> = inv.iter().filter(|a| plan.contains_key(&a.id)).collect();
    let in_pilot = |a: &DemoAsset| plan[&a.id].0 == 0;
    let piloted: BTreeSet<&str> = planned
        .iter()
        .filter(|a| in_pilot(a))
        .map(|a| os_group(&a.os))
        .collect();
    for a in &planned {
        // Every OS family with a low-risk asset nothing relies on has a pilot sample …
        if !a.critical && a.kind != "ot" && !relied_on.contains(a.id.as_str()) {
            assert!(
                piloted.contains(os_group(&a.os)),
                "no pilot sample of {} ({})",
                os_group(&a.os),
                a.id
            );
        }
        // … tagged assets nothing relies on are all in it (the tags add to the samples) …
        if a.tagged && !relied_on.contains(a.id.as_str()) {
            assert!(in_pilot(a), "{} is tagged pilot", a.id);
        }
        // … and KRITIS, critical and OT systems come after it.
        if a.critical || a.kind == "ot" {
            assert!(
                !in_pilot(a),
                "{} is KRITIS, critical or OT, but in the pilot",
                a.id
            );
        }
    }
    assert_eq!(
        piloted,
        BTreeSet::from([
            "Android",
            "Linux",
            "Windows Server",
            "Windows client",
            "macOS"
        ])
    );
    let reason = |id: &str| plan[id].1.as_str();
    assert_eq!(reason("srv-lic-01"), "Pilot: sample for Windows Server");
    assert_eq!(reason("mob-and-01"), "Pilot: sample for Android");
    assert_eq!(reason("srv-git-01"), "Pilot: tagged pilot");
    assert!(
        reason("ws-nls-001").ends_with("after the pilot proved Windows client in w1"),
        "{}",
        reason("ws-nls-001")
    );
    assert!(
        reason("ot-nls-gas-01")
            .contains("after the pilot proved Windows Server in w1; OT could not be piloted"),
        "{}",
        reason("ot-nls-gas-01")
    );
    assert!(
        out.contains("OT could not be piloted: no low-risk OT system can go first"),
        "{out}"
    );
    // validate agrees and names the platforms the pilot could not sample.
    let v = validate(&sb, "p.toml", 0);
    let unsampled: Vec<String> = problems(&v, "pilot-not-representative")
        .into_iter()
        .map(|(_, m)| m)
        .collect();
    for g in [
        "OT",
        "Windows Embedded",
        "mail",
        "gateway",
        "virtualization",
    ] {
        assert!(
            unsampled
                .iter()
                .any(|m| m.starts_with(&format!("the pilot w1 has no {g} sample"))),
            "{g}: {unsampled:#?}"
        );
    }
    assert_eq!(unsampled.len(), 5, "{unsampled:#?}");
}

#[test]
fn a_kritis_asset_moved_into_the_pilot_fails_validation() {
    let sb = Sandbox::new();
    sb.plan_demo("p.toml", BASE);
    // Swap a tagged pilot client with a KRITIS client (capacities stay as they are).
    let (waves, plan) = read_plan(&sb, "p.toml");
    let later = &waves[plan["ws-nls-001"].0];
    sb.ok(&["set", "p.toml", "ws-kc-002", "--wave", later]);
    sb.ok(&["set", "p.toml", "ws-nls-001", "--wave", "w1"]);
    let v = validate(&sb, "p.toml", 1);
    let violations: BTreeSet<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["severity"] == "violation")
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(violations, BTreeSet::from(["critical-in-pilot"]));
    let found = problems(&v, "critical-in-pilot");
    assert_eq!(found.len(), 1, "{v:#}");
    assert_eq!(found[0].0, "ws-nls-001");
    assert!(
        found[0]
            .1
            .starts_with("ws-nls-001 (KRITIS) is in the pilot w1"),
        "{found:?}"
    );
}

#[test]
fn validate_fails_when_security_center_is_retired_before_what_it_manages() {
    let sb = Sandbox::new();
    sb.plan_demo("p.toml", BASE);
    // The plan is valid, but Security Center manages assets that await a decision.
    let v = validate(&sb, "p.toml", 0);
    let waiting = problems(&v, "management-awaits-decision");
    let ksc = waiting
        .iter()
        .find(|(a, _)| a == "srv-ksc-01")
        .expect("srv-ksc-01 warned");
    assert!(ksc.1.contains("mac-verw-03"), "{}", ksc.1);
    // Retired while everything else is still planned: a violation, exit 1.
    sb.ok(&["set", "p.toml", "srv-ksc-01", "--status", "in-progress"]);
    sb.ok(&["set", "p.toml", "srv-ksc-01", "--status", "migrated"]);
    let v = validate(&sb, "p.toml", 1);
    let violations: BTreeSet<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["severity"] == "violation")
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(violations, BTreeSet::from(["management-retired-early"]));
    let early = problems(&v, "management-retired-early");
    assert_eq!(early[0].0, "srv-ksc-01");
    assert!(
        early[0].1.starts_with(
            "management server srv-ksc-01 is migrated, but 112 asset(s) relying on it"
        ),
        "{early:?}"
    );
    let text = sb.run(&["validate", "p.toml"]);
    assert_eq!(text.status.code(), Some(1));
    assert!(common::text(&text.stdout).contains("violation [management-retired-early]"));
}
