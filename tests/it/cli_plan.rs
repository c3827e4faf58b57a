//! `avmigrate plan` and `validate` on the demo: completeness, determinism, pilot, provider
//! last, cycles, blackouts, deadline, strategy, site capacity, and bad options.

use crate::common;

use common::{Sandbox, demo, strings};
use std::collections::{BTreeMap, BTreeSet};

const BASE: &[&str] = &["--start", "2027-01-11", "--wave-size", "30"];

/// One `[[wave]]` of a plan file.
#[derive(Debug, Clone, PartialEq)]
struct WaveRow {
    id: String,
    name: String,
    start: String,
    end: String,
}

/// A plan file read with a plain TOML parser, as another tool would.
struct PlanFile {
    waves: Vec<WaveRow>,
    /// Asset id → wave id.
    wave_of: BTreeMap<String, String>,
    /// Every `[[asset]]` id, in file order (duplicates kept).
    ids: Vec<String>,
    table: toml::Table,
}

impl PlanFile {
    fn read(sb: &Sandbox, name: &str) -> PlanFile {
        let table: toml::Table = sb.read(name).parse().expect("plan is TOML");
        let s = |v: &toml::Value| match v {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let waves = table["wave"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| WaveRow {
                id: s(&w["id"]),
                name: s(&w["name"]),
                start: s(&w["start"]),
                end: s(&w["end"]),
            })
            .collect();
        let assets = table["asset"].as_array().unwrap();
        let ids: Vec<String> = assets.iter().map(|a| s(&a["id"])).collect();
        let wave_of = assets
            .iter()
            .map(|a| (s(&a["id"]), s(&a["wave"])))
            .collect();
        PlanFile {
            waves,
            wave_of,
            ids,
            table,
        }
    }

    fn pos(&self, asset: &str) -> usize {
        let w = &self.wave_of[asset];
        self.waves.iter().position(|x| &x.id == w).unwrap()
    }

    fn members(&self, wave: &str) -> BTreeSet<String> {
        self.wave_of
            .iter()
            .filter(|(_, w)| *w == wave)
            .map(|(a, _)| a.clone())
            .collect()
    }
}

/// One asset of the demo inventory, read as plain TOML.
struct DemoAsset {
    id: String,
    tags: Vec<String>,
    site: Option<String>,
    depends_on: Vec<String>,
}

fn demo_assets() -> Vec<DemoAsset> {
    let t: toml::Table = std::fs::read_to_string(demo()).unwrap().parse().unwrap();
    t["asset"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let list = |key: &str, field: Option<&str>| -> Vec<String> {
                a.get(key)
                    .and_then(|v| v.as_array())
                    .map(|v| {
                        v.iter()
                            .map(|x| match field {
                                Some(f) => x[f].as_str().unwrap().to_string(),
                                None => x.as_str().unwrap().to_string(),
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            };
            DemoAsset {
                id: a["id"].as_str().unwrap().to_string(),
                tags: list("tags", None),
                site: a.get("site").and_then(|s| s.as_str()).map(String::from),
                depends_on: list("depends_on", Some("id")),
            }
        })
        .collect()
}

fn direct_ids(sb: &Sandbox) -> BTreeSet<String> {
    let v = sb.json(&["analyze", "stadtwerke.toml", "--format", "json"]);
    v["direct_assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

/// The demo assets without a flagged product that get their anti-virus from one that has it
/// (`scanned-by` an agentless SVM, mail through Exchange with Kaspersky Security for Exchange).
fn protected_ids() -> BTreeSet<String> {
    let t: toml::Table = std::fs::read_to_string(demo()).unwrap().parse().unwrap();
    let mut ids = BTreeSet::new();
    for a in t["asset"].as_array().unwrap() {
        let kaspersky = a
            .get("software")
            .and_then(|s| s.as_array())
            .is_some_and(|s| {
                s.iter()
                    .any(|x| x.to_string().to_lowercase().contains("kaspersky"))
            });
        let through = a
            .get("depends_on")
            .and_then(|d| d.as_array())
            .is_some_and(|d| {
                d.iter().any(|r| {
                    matches!(r["kind"].as_str(), Some("scanned-by" | "mail-via"))
                        && ["svm-", "srv-exch-01"]
                            .iter()
                            .any(|p| r["id"].as_str().unwrap().starts_with(p))
                })
            });
        if through && !kaspersky {
            ids.insert(a["id"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(ids.len(), 33, "{ids:?}");
    ids
}

fn validate_json(sb: &Sandbox, plan: &str, code: i32) -> serde_json::Value {
    let out = sb.run(&["validate", plan, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}",
        common::text(&out.stdout)
    );
    common::json_of(&common::text(&out.stdout))
}

fn codes(v: &serde_json::Value, severity: &str) -> BTreeSet<String> {
    v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["severity"] == severity)
        .map(|p| p["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_demo_plan_is_valid_complete_and_deterministic() {
    let sb = Sandbox::new();
    let out = sb.plan_demo("a.toml", BASE);
    // 113 direct assets and 33 that get their anti-virus through one of them.
    assert!(out.starts_with("wrote a.toml (146 assets in "), "{out}");
    assert!(out.contains("violations: 0"), "{out}");
    let v = validate_json(&sb, "a.toml", 0);
    assert_eq!(v["valid"], true);
    assert_eq!(v["violations"], 0);
    assert!(codes(&v, "violation").is_empty());

    sb.plan_demo("b.toml", BASE);
    assert_eq!(
        sb.read("a.toml"),
        sb.read("b.toml"),
        "same input, same plan"
    );

    let plan = PlanFile::read(&sb, "a.toml");
    assert_eq!(plan.table["schema_version"].as_integer(), Some(1));
    assert_eq!(plan.table["settings"]["wave_size"].as_integer(), Some(30));
    let unique: BTreeSet<String> = plan.ids.iter().cloned().collect();
    assert_eq!(unique.len(), plan.ids.len(), "an asset is planned twice");
    let expected: BTreeSet<String> = direct_ids(&sb).union(&protected_ids()).cloned().collect();
    assert_eq!(
        unique, expected,
        "planned assets != direct + protected assets"
    );
    let mut sorted = plan.ids.clone();
    sorted.sort();
    assert_eq!(sorted, plan.ids, "assets are sorted by id");
    // Waves start on the given Monday, follow each other and never overlap.
    assert_eq!(plan.waves[0].start, "2027-01-11");
    for pair in plan.waves.windows(2) {
        assert!(pair[0].end < pair[1].start, "{pair:?}");
    }
}

#[test]
fn pilot_first_management_last_cycles_together_providers_last() {
    let sb = Sandbox::new();
    sb.plan_demo("p.toml", BASE);
    let plan = PlanFile::read(&sb, "p.toml");
    let inv = demo_assets();
    let relied_on: BTreeSet<&str> = inv
        .iter()
        .flat_map(|a| a.depends_on.iter().map(String::as_str))
        .collect();
    // Pilot: the pilot-tagged assets nothing relies on (srv-fs-03 is tagged, but serves others),
    // plus a sample of each platform they do not cover (Windows Server, Android).
    let pilot_leaves: BTreeSet<String> = inv
        .iter()
        .filter(|a| a.tags.iter().any(|t| t == "pilot") && !relied_on.contains(a.id.as_str()))
        .map(|a| a.id.clone())
        .collect();
    assert_eq!(pilot_leaves.len(), 6);
    assert_eq!(plan.waves[0].name, "Pilot");
    let pilot = plan.members(&plan.waves[0].id);
    assert!(pilot.is_superset(&pilot_leaves), "{pilot:?}");
    let samples: Vec<&String> = pilot.difference(&pilot_leaves).collect();
    assert_eq!(samples, ["mob-and-01", "srv-lic-01"]);
    assert_ne!(plan.wave_of["srv-fs-03"], plan.waves[0].id);

    let last = plan.waves.len() - 1;
    assert_eq!(plan.pos("srv-ksc-01"), last, "management server goes last");
    assert_eq!(plan.members(&plan.waves[last].id).len(), 1);
    assert_eq!(plan.wave_of["srv-sql-01"], plan.wave_of["srv-sql-02"]);

    // Provider last: a direct asset never goes after a direct asset it depends on.
    let direct = direct_ids(&sb);
    let mut checked = 0;
    for DemoAsset { id, depends_on, .. } in &inv {
        if !direct.contains(id) {
            continue;
        }
        for p in depends_on
            .iter()
            .filter(|p| direct.contains(*p) && *p != id)
        {
            let cycle = id.starts_with("srv-sql-0") && p.starts_with("srv-sql-0");
            if !cycle {
                assert!(plan.pos(id) <= plan.pos(p), "{id} after its provider {p}");
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} direct relations checked");
    // Every asset has a reason a person can read, naming its wave.
    for a in plan.table["asset"].as_array().unwrap() {
        let wave = a["wave"].as_str().unwrap();
        let name = &plan.waves.iter().find(|w| w.id == wave).unwrap().name;
        let reason = a["reason"].as_str().unwrap();
        assert!(reason.starts_with(&format!("{name}: ")), "{reason}");
    }
    let ksc = plan.table["asset"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"].as_str() == Some("srv-ksc-01"))
        .unwrap();
    assert!(
        ksc["reason"]
            .as_str()
            .unwrap()
            .contains("management server"),
        "{ksc}"
    );
}

#[test]
fn blackout_windows_hold_no_wave() {
    let sb = Sandbox::new();
    let mut args = BASE.to_vec();
    args.extend(["--blackout", "2027-01-18..2027-01-29=year-end freeze"]);
    sb.plan_demo("b.toml", &args);
    let plan = PlanFile::read(&sb, "b.toml");
    for w in &plan.waves {
        let overlaps = w.start.as_str() <= "2027-01-29" && "2027-01-18" <= w.end.as_str();
        assert!(!overlaps, "{w:?} overlaps the blackout");
    }
    assert_eq!(plan.waves[1].start, "2027-02-01", "the next wave waits");
    let b = &plan.table["blackout"].as_array().unwrap()[0];
    assert_eq!(b["reason"].as_str(), Some("year-end freeze"));
    validate_json(&sb, "b.toml", 0);
}

#[test]
fn a_deadline_too_early_is_written_but_fails_validation() {
    let sb = Sandbox::new();
    let mut args = BASE.to_vec();
    args.extend(["--deadline", "2027-01-20"]);
    let out = sb.plan_demo("d.toml", &args);
    assert!(out.contains("deadline-missed"), "{out}");
    assert!(sb.path("d.toml").exists());
    let v = validate_json(&sb, "d.toml", 1);
    assert_eq!(v["valid"], false);
    assert_eq!(
        codes(&v, "violation"),
        BTreeSet::from(["deadline-missed".into()])
    );
    // The pilot (ending 2027-01-15) is in time; every later wave is reported.
    let plan = PlanFile::read(&sb, "d.toml");
    let late: BTreeSet<String> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["code"] == "deadline-missed")
        .map(|p| p["wave"].as_str().unwrap().to_string())
        .collect();
    let expected: BTreeSet<String> = plan.waves[1..].iter().map(|w| w.id.clone()).collect();
    assert_eq!(late, expected);
}

#[test]
fn the_default_wave_size_keeps_a_large_estate_within_a_year_and_a_long_plan_warns() {
    let sb = Sandbox::new();
    sb.ok(&["gen", "--assets", "4000", "--output", "big.toml"]);
    let start = ["--start", "2027-01-11"];
    let out = sb.ok(&["plan", "big.toml", "-o", "p.toml", start[0], start[1]]);
    let plan = PlanFile::read(&sb, "p.toml");
    let size = plan.table["settings"]["wave_size"].as_integer().unwrap();
    assert!(size > 50, "wave size {size}");
    assert!(plan.waves.len() <= 52, "{} waves", plan.waves.len());
    assert!(!out.contains("more than a year"), "{out}");
    // Forced small waves run past a year: the summary says so before any per-asset warning.
    let out = sb.ok(&[
        "plan",
        "big.toml",
        "-o",
        "q.toml",
        "--wave-size",
        "20",
        start[0],
        start[1],
    ]);
    let warnings = out.split("warnings (").nth(1).expect("warnings");
    let first = warnings.lines().nth(1).unwrap();
    assert!(
        first.contains("more than a year after the first starts"),
        "{first}"
    );
    let v = validate_json(&sb, "q.toml", 0);
    assert!(codes(&v, "warning").contains("plan-over-a-year"), "{v}");
}

#[test]
fn safety_first_orders_differently_from_risk_first() {
    let sb = Sandbox::new();
    sb.plan_demo("risk.toml", BASE);
    let mut args = BASE.to_vec();
    args.extend(["--strategy", "safety-first"]);
    sb.plan_demo("safe.toml", &args);
    let risk = PlanFile::read(&sb, "risk.toml");
    let safe = PlanFile::read(&sb, "safe.toml");
    assert_eq!(
        safe.table["settings"]["strategy"].as_str(),
        Some("safety-first")
    );
    let moved = risk
        .wave_of
        .keys()
        .filter(|a| risk.pos(a) != safe.pos(a))
        .count();
    assert!(moved >= 10, "only {moved} assets in other waves");
    validate_json(&sb, "safe.toml", 0);
}

#[test]
fn site_capacity_is_respected_in_every_wave() {
    let sb = Sandbox::new();
    let mut args = BASE.to_vec();
    args.extend(["--site-capacity", "Verwaltung=3"]);
    let out = sb.plan_demo("s.toml", &args);
    assert!(out.contains("violations: 0"), "{out}");
    let sites: BTreeMap<String, Option<String>> =
        demo_assets().into_iter().map(|a| (a.id, a.site)).collect();
    let export = sb.json(&["export", "s.toml", "--format", "json"]);
    // Covered by their provider's replacement, assets need no work at their own site.
    let by_provider: Vec<String> = export["assets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["covered_by"] == "provider")
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    let mut total = 0;
    for w in export["waves"].as_array().unwrap() {
        let assets = strings(&w["assets"]);
        let at_site: Vec<&String> = assets
            .iter()
            .filter(|a| sites[*a].as_deref() == Some("Verwaltung"))
            .collect();
        let n = at_site.iter().filter(|a| !by_provider.contains(a)).count();
        assert!(n <= 3, "{} has {n} Verwaltung assets", w["id"]);
        total += at_site.len();
    }
    let covered = protected_ids()
        .iter()
        .filter(|a| sites[*a].as_deref() == Some("Verwaltung"))
        .count();
    assert_eq!(covered, 27);
    assert_eq!(total, 67 + covered, "every Verwaltung asset is planned");
    validate_json(&sb, "s.toml", 0);
}

#[test]
fn bad_options_exit_2_and_write_nothing() {
    let sb = Sandbox::new();
    sb.copy_demo();
    let run = |extra: &[&str]| {
        let mut args = vec!["plan", "stadtwerke.toml", "-o", "x.toml"];
        args.extend_from_slice(extra);
        let err = sb.fails(2, &args);
        assert!(!sb.path("x.toml").exists(), "{extra:?} wrote a plan");
        err
    };
    assert!(run(&["--wave-size", "0"]).contains("--wave-size"));
    for days in ["0", "121", "4294967295"] {
        let err = run(&["--wave-days", days]);
        assert!(err.contains(&format!("--wave-days {days}")), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
    let err = run(&["--start", "2027-02-30"]);
    assert!(err.contains("2027-02-30"), "{err}");
    assert!(err.contains("--start"), "{err}");
    // Values clap checks (dates, blackouts, capacities, strategies) fail on one line too.
    for (args, says) in [
        (["--blackout", "nonsense"], "nonsense"),
        (["--blackout", "2027-01-10..2027-01-01"], "before it starts"),
        (["--deadline", "2027-13-01"], "2027-13-01"),
        (["--site-capacity", "Verwaltung"], "SITE=N"),
        (["--strategy", "risk"], "risk-first, safety-first"),
    ] {
        let err = run(&args);
        assert!(err.contains(says) && err.contains(args[0]), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
    assert!(run(&["--prefer", "no-such-product"]).contains("no-such-product"));
    let err = sb.fails(2, &["plan", "missing.toml", "-o", "x.toml"]);
    assert!(err.contains("missing.toml"), "{err}");
    // Writing the plan over its own inventory would destroy the inventory.
    let inventory = sb.read("stadtwerke.toml");
    let err = sb.fails(2, &["plan", "stadtwerke.toml", "-o", "./stadtwerke.toml"]);
    assert!(
        err.contains("stadtwerke.toml") && err.contains("input"),
        "{err}"
    );
    assert_eq!(sb.read("stadtwerke.toml"), inventory);
    assert!(!sb.path("stadtwerke.toml.bak").exists());
}

#[test]
fn the_csv_pair_gives_the_same_plan_as_the_toml() {
    let sb = Sandbox::new();
    sb.plan_demo("from-toml.toml", BASE);
    for f in ["stadtwerke.csv", "stadtwerke-software.csv"] {
        std::fs::copy(common::repo(&format!("assets/examples/{f}")), sb.path(f)).unwrap();
    }
    let mut args = vec![
        "plan",
        "stadtwerke.csv",
        "stadtwerke-software.csv",
        "-o",
        "from-csv.toml",
    ];
    args.extend_from_slice(BASE);
    sb.ok(&args);
    let from_csv = PlanFile::read(&sb, "from-csv.toml");
    let refs = from_csv.table["inventory"].as_array().unwrap();
    let paths: Vec<&str> = refs.iter().map(|r| r["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["stadtwerke.csv", "stadtwerke-software.csv"]);
    assert!(
        refs.iter()
            .all(|r| r["hash"].as_str().unwrap().starts_with("sha256:"))
    );
    // From the waves on, the two plans are the same text.
    let tail = |name: &str| {
        let t = sb.read(name);
        t[t.find("[[wave]]").unwrap()..].to_string()
    };
    assert_eq!(tail("from-csv.toml"), tail("from-toml.toml"));
    assert_eq!(
        codes(&validate_json(&sb, "from-csv.toml", 0), "violation"),
        BTreeSet::new()
    );
    // A plan whose inventory file is gone cannot be checked: bad input naming the file.
    std::fs::remove_file(sb.path("stadtwerke-software.csv")).unwrap();
    let err = sb.fails(2, &["validate", "from-csv.toml"]);
    assert!(err.contains("stadtwerke-software.csv"), "{err}");
    assert!(err.contains("from-csv.toml"), "{err}");
}

#[test]
fn plan_and_replan_report_skipped_inventory_rows() {
    let sb = Sandbox::new();
    let kes = "Kaspersky Endpoint Security for Windows";
    sb.write(
        "rows.csv",
        format!(
            "id,name,os,software\nws-1,WS-1,Windows 10,{kes}\nws-2,WS-2,Windows 10;{kes}\n\
             ws-3,WS-3,Windows 11,{kes}\n"
        ),
    );
    let out = sb.ok(&["plan", "rows.csv", "-o", "p.toml", "--start", "2027-01-11"]);
    assert!(out.starts_with("wrote p.toml (2 assets in "), "{out}");
    assert!(
        out.contains(
            "warnings (1):\n  rows.csv:3: row has 3 fields, the header has 4; row skipped"
        ),
        "a machine missing from the plan must be reported:\n{out}"
    );
    let out = sb.ok(&["replan", "p.toml"]);
    assert!(out.contains("rows.csv:3: row has 3 fields"), "{out}");
}

#[test]
fn zero_wave_days_exit_2_and_nothing_runs() {
    let sb = Sandbox::new();
    sb.copy_demo();
    // There is no top-level option of that name: a usage error, nothing opened or planned.
    let out = sb.run(&["--wave-days", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--wave-days"), "{stderr}");
    assert!(out.stdout.is_empty());
    // `plan` refuses it instead of quietly planning one-day waves.
    let err = sb.fails(
        2,
        &[
            "plan",
            "stadtwerke.toml",
            "-o",
            "x.toml",
            "--wave-days",
            "0",
        ],
    );
    assert!(err.contains("--wave-days 0: a wave lasts 1 to"), "{err}");
    assert!(!sb.path("x.toml").exists());
    // A plan file that says so is bad input with its line, for every command that reads it.
    sb.plan_demo("p.toml", BASE);
    let plan = sb
        .read("p.toml")
        .replacen("wave_days = 5\n", "wave_days = 0\n", 1);
    sb.write("zero.toml", &plan);
    let line = plan.lines().position(|l| l == "wave_days = 0").unwrap() + 1;
    for cmd in [
        vec!["replan", "zero.toml"],
        vec!["validate", "zero.toml"],
        vec!["set", "zero.toml", "ws-kc-001", "--status", "in-progress"],
    ] {
        let err = sb.fails(2, &cmd);
        assert!(
            err.contains(&format!("zero.toml:{line}"))
                && err.contains("wave_days = 0: a wave lasts 1 to"),
            "{cmd:?}: {err}"
        );
    }
    assert_eq!(sb.read("zero.toml"), plan, "nothing was written");
}

#[test]
fn a_plan_of_the_builtin_demo_reopens_anywhere() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.path("elsewhere/deeper")).unwrap();
    let out = sb.ok(&["plan", "builtin:demo", "-o", "elsewhere/plan.toml"]);
    assert!(out.contains("146 assets"), "{out}");
    let text = sb.read("elsewhere/plan.toml");
    assert!(
        text.contains("[[inventory]]\npath = \"builtin:demo\"\nhash = \"sha256:"),
        "{text}"
    );
    assert!(text.contains("name = \"Replacement plan for stadtwerke\""));
    // Moved anywhere, it still reads the demo: validate, export, replan, set.
    std::fs::rename(
        sb.path("elsewhere/plan.toml"),
        sb.path("elsewhere/deeper/moved.toml"),
    )
    .unwrap();
    let plan = "elsewhere/deeper/moved.toml";
    let v = validate_json(&sb, plan, 0);
    assert_eq!(v["violations"], 0, "{v}");
    let csv = sb.ok(&["export", plan, "--format", "csv"]);
    assert_eq!(csv.lines().count(), 147, "a header and 146 planned assets");
    let dot = sb.ok(&["export", plan, "--format", "dot"]);
    assert!(dot.contains("srv-ksc-01"), "{dot}");
    sb.ok(&["replan", plan]);
    sb.ok(&["set", plan, "ws-kc-001", "--product", "mde"]);
    let text = sb.read(plan);
    assert!(text.contains("path = \"builtin:demo\""), "{text}");
    // The recorded hash is checked like a file's.
    let tampered = text.replacen("hash = \"sha256:", "hash = \"sha256:00", 1);
    sb.write("elsewhere/tampered.toml", tampered);
    let v = validate_json(&sb, "elsewhere/tampered.toml", 1);
    assert!(codes(&v, "violation").contains("inventory-changed"), "{v}");
}

#[test]
fn a_missing_inventory_file_exits_2_naming_the_plan_and_the_file() {
    let sb = Sandbox::new();
    sb.plan_demo("p.toml", BASE);
    std::fs::rename(sb.path("stadtwerke.toml"), sb.path("moved.toml")).unwrap();
    for cmd in [
        vec!["validate", "p.toml"],
        vec!["export", "p.toml", "--format", "json"],
        vec!["replan", "p.toml"],
    ] {
        let err = sb.fails(2, &cmd);
        assert!(
            err.contains("p.toml: the plan's inventory file")
                && err.contains("stadtwerke.toml is missing"),
            "{cmd:?}: {err}"
        );
    }
    // A plan naming no inventory at all is refused too, never checked against nothing.
    let text = sb.read("p.toml");
    let start = text.find("[[inventory]]").unwrap();
    let end = text.find("[settings]").unwrap();
    sb.write("none.toml", format!("{}{}", &text[..start], &text[end..]));
    let err = sb.fails(2, &["validate", "none.toml"]);
    assert!(err.contains("names no inventory file"), "{err}");
}

#[test]
fn holidays_of_a_federal_state_are_not_worked_and_the_plan_keeps_them() {
    let sb = Sandbox::new();
    sb.copy_demo();
    let args = |region: Option<&str>, out: &str| {
        let mut a = vec![
            "plan".to_string(),
            "stadtwerke.toml".into(),
            "-o".into(),
            out.into(),
            "--start".into(),
            "2026-12-21".into(),
            "--wave-size".into(),
            "60".into(),
        ];
        if let Some(r) = region {
            a.extend(["--holidays".to_string(), r.to_string()]);
        }
        a
    };
    let run = |a: Vec<String>| sb.ok(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let plain = run(args(None, "plain.toml"));
    let with = run(args(Some("de-bw"), "bw.toml"));
    assert!(!plain.contains("not worked"), "{plain}");
    assert!(
        with.contains("not worked (DE-BW holidays): 2026-12-25 1. Weihnachtstag"),
        "{with}"
    );
    let text = std::fs::read_to_string(sb.path("bw.toml")).unwrap();
    assert!(text.contains("holidays = \"DE-BW\""), "{text}");
    let first_end = |path: &str| -> String {
        let plan = avmigrate::plan::file::load(&sb.path(path)).unwrap();
        plan.waves[0].end.to_string()
    };
    // The pilot's five working days: 21–24 Dec, then (25 and 26 Dec off) 28 Dec.
    assert_eq!(first_end("plain.toml"), "2026-12-25");
    assert_eq!(first_end("bw.toml"), "2026-12-28");
    // A replan keeps the region; a plan naming an unknown one is refused with its line.
    sb.ok(&["replan", "bw.toml"]);
    assert_eq!(first_end("bw.toml"), "2026-12-28");
    std::fs::write(
        sb.path("bad.toml"),
        text.replace("holidays = \"DE-BW\"", "holidays = \"DE-XX\""),
    )
    .unwrap();
    let err = sb.fails(2, &["validate", "bad.toml"]);
    assert!(
        err.contains("bad.toml:13") && err.contains("DE-XX"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn a_yearly_change_freeze_is_kept_and_no_wave_touches_it_in_any_year() {
    let sb = Sandbox::new();
    sb.copy_demo();
    let out = sb.ok(&[
        "plan",
        "stadtwerke.toml",
        "-o",
        "p.toml",
        "--start",
        "2026-12-01",
        "--wave-size",
        "10",
        "--yearly-blackout",
        "12-20..01-06=Jahresendsperre",
    ]);
    assert!(out.contains("violations: 0"), "{out}");
    let text = std::fs::read_to_string(sb.path("p.toml")).unwrap();
    assert!(text.contains("yearly = true"), "{text}");
    let plan = avmigrate::plan::file::load(&sb.path("p.toml")).unwrap();
    let freeze = &plan.settings.blackouts[0];
    assert!(plan.waves.len() > 2);
    let years: std::collections::BTreeSet<i32> =
        plan.waves.iter().map(|w| w.start.ymd().0).collect();
    assert!(
        years.contains(&2027),
        "the plan runs into the next year: {years:?}"
    );
    for w in &plan.waves {
        assert!(
            !freeze.overlaps(w.start, w.end),
            "{} {}–{}",
            w.id,
            w.start,
            w.end
        );
    }
    sb.ok(&["validate", "p.toml"]);
    let err = sb.fails(
        2,
        &[
            "plan",
            "stadtwerke.toml",
            "-o",
            "q.toml",
            "--yearly-blackout",
            "13-01..01-06",
        ],
    );
    assert!(
        err.contains("13-01") && err.contains("--yearly-blackout"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}
