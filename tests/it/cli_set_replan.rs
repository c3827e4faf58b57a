//! `set`, `replan` and `validate` on changed plans: moves with history and backups, pins,
//! status rules, refused edits that leave the file alone, frozen waves, broken plan files,
//! unknown assets, changed inventories, broken order and impossible constraints.

use crate::common;

use common::Sandbox;
use std::collections::BTreeSet;

const BASE: &[&str] = &["--start", "2027-01-11", "--wave-size", "30"];

/// A sandbox with the demo planned into `p.toml`.
fn planned() -> Sandbox {
    let sb = Sandbox::new();
    sb.plan_demo("p.toml", BASE);
    sb
}

/// The `[[asset]]` block of `id` in plan text.
fn asset_block(plan: &str, id: &str) -> String {
    block(plan, "[[asset]]", &format!("id = \"{id}\""))
}

/// The `[[wave]]` block of `id` in plan text.
fn wave_block(plan: &str, id: &str) -> String {
    block(plan, "[[wave]]", &format!("id = \"{id}\""))
}

fn block(plan: &str, header: &str, id_line: &str) -> String {
    plan.split("\n\n")
        .find(|b| b.starts_with(header) && b.lines().nth(1) == Some(id_line))
        .unwrap_or_else(|| panic!("no {header} {id_line}"))
        .to_string()
}

fn field(block: &str, key: &str) -> Option<String> {
    block.lines().find_map(|l| {
        l.strip_prefix(&format!("{key} = "))
            .map(|v| v.trim_matches('"').to_string())
    })
}

/// Waves (id) of the plan, in order.
fn wave_ids(plan: &str) -> Vec<String> {
    plan.split("\n\n")
        .filter(|b| b.starts_with("[[wave]]"))
        .map(|b| field(b, "id").unwrap())
        .collect()
}

fn members(plan: &str, wave: &str) -> BTreeSet<String> {
    plan.split("\n\n")
        .filter(|b| b.starts_with("[[asset]]") && field(b, "wave").as_deref() == Some(wave))
        .map(|b| field(b, "id").unwrap())
        .collect()
}

fn violation_codes(sb: &Sandbox, plan: &str, exit: i32) -> BTreeSet<String> {
    let out = sb.run(&["validate", plan, "--format", "json"]);
    let stdout = common::text(&out.stdout);
    assert_eq!(out.status.code(), Some(exit), "{stdout}");
    let v = common::json_of(&stdout);
    v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["severity"] == "violation")
        .map(|p| p["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn set_wave_moves_records_history_and_keeps_a_backup() {
    let sb = planned();
    let before = sb.read("p.toml");
    let old_wave = field(&asset_block(&before, "ws-verw-010"), "wave").unwrap();
    assert_ne!(old_wave, "w3");
    let out = sb.ok(&[
        "set",
        "p.toml",
        "ws-verw-010",
        "--wave",
        "w3",
        "--by",
        "alice",
    ]);
    assert_eq!(out, "p.toml: updated 1 asset(s)\n");
    let after = sb.read("p.toml");
    assert_eq!(
        field(&asset_block(&after, "ws-verw-010"), "wave").as_deref(),
        Some("w3")
    );
    let event = after.rsplit("\n\n").next().unwrap();
    assert_eq!(
        event.trim_end(),
        format!(
            "[[event]]\nat = 2026-11-28T10:00:00Z\nasset = \"ws-verw-010\"\nfield = \"wave\"\n\
             from = \"{old_wave}\"\nto = \"w3\"\nby = \"alice\""
        )
    );
    assert_eq!(
        sb.read("p.toml.bak"),
        before,
        ".bak holds the previous content"
    );
    // Only the asset's wave and the event changed.
    let edited = before.replace(
        &asset_block(&before, "ws-verw-010"),
        &asset_block(&before, "ws-verw-010")
            .replace(&format!("wave = \"{old_wave}\""), "wave = \"w3\""),
    );
    assert_eq!(after, format!("{edited}\n{event}"));

    // Without --by the user comes from $USER.
    sb.ok(&["set", "p.toml", "ws-verw-010", "--note", "call first"]);
    let last = sb.read("p.toml");
    let event = last.rsplit("\n\n").next().unwrap();
    assert!(event.contains("by = \"tester\""), "{event}");
    assert!(event.contains("field = \"note\""), "{event}");
    assert_eq!(
        field(&asset_block(&last, "ws-verw-010"), "note").as_deref(),
        Some("call first")
    );
}

#[test]
fn a_pinned_asset_stays_in_its_wave_through_replan() {
    let sb = planned();
    sb.ok(&[
        "set",
        "p.toml",
        "ws-verw-010",
        "--wave",
        "w3",
        "--by",
        "alice",
    ]);
    sb.ok(&["set", "p.toml", "ws-verw-010", "--pin", "--by", "alice"]);
    sb.ok(&[
        "set",
        "p.toml",
        "ws-kc-001",
        "--status",
        "in-progress",
        "--by",
        "bob",
    ]);
    let before = sb.read("p.toml");
    let events_before = before.matches("[[event]]").count();
    assert_eq!(events_before, 3);
    let out = sb.ok(&["replan", "p.toml"]);
    assert!(out.contains("violations: 0"), "{out}");
    let after = sb.read("p.toml");
    let b = asset_block(&after, "ws-verw-010");
    assert_eq!(field(&b, "wave").as_deref(), Some("w3"), "{b}");
    assert_eq!(field(&b, "pinned").as_deref(), Some("true"));
    assert!(field(&b, "reason").unwrap().contains("pinned"), "{b}");
    // Status and history survive a replan.
    assert_eq!(
        field(&asset_block(&after, "ws-kc-001"), "status").as_deref(),
        Some("in-progress")
    );
    assert_eq!(after.matches("[[event]]").count(), events_before);
    assert_eq!(violation_codes(&sb, "p.toml", 0), BTreeSet::new());
    // A second replan changes nothing.
    sb.ok(&["replan", "p.toml"]);
    assert_eq!(sb.read("p.toml"), after);
}

#[test]
fn status_rules_are_enforced() {
    let sb = planned();
    sb.ok(&["set", "p.toml", "ws-kc-001", "--status", "in-progress"]);
    let before = sb.read("p.toml");
    let err = sb.fails(2, &["set", "p.toml", "ws-kc-001", "--status", "verified"]);
    assert!(err.contains("p.toml"), "{err}");
    assert!(
        err.contains("in-progress") && err.contains("verified"),
        "{err}"
    );
    let err = sb.fails(2, &["set", "p.toml", "ws-kc-003", "--status", "blocked"]);
    assert!(err.contains("--reason"), "{err}");
    let err = sb.fails(2, &["set", "p.toml", "ws-kc-003", "--status", "finished"]);
    assert!(
        err.contains("finished") && err.contains("rolled-back"),
        "{err}"
    );
    assert_eq!(
        sb.read("p.toml"),
        before,
        "refused edits leave the plan alone"
    );

    sb.ok(&[
        "set",
        "p.toml",
        "ws-kc-003",
        "--status",
        "blocked",
        "--reason",
        "user on leave",
    ]);
    let b = asset_block(&sb.read("p.toml"), "ws-kc-003");
    assert_eq!(field(&b, "status").as_deref(), Some("blocked"));
    assert_eq!(field(&b, "status_reason").as_deref(), Some("user on leave"));
}

#[test]
fn unknown_ids_are_refused_and_the_file_is_untouched() {
    let sb = planned();
    let before = std::fs::read(sb.path("p.toml")).unwrap();
    let err = sb.fails(2, &["set", "p.toml", "no-such-host", "--wave", "w2"]);
    assert!(
        err.contains("no-such-host") && err.contains("not in the plan"),
        "{err}"
    );
    let err = sb.fails(2, &["set", "p.toml", "ws-kc-001", "--wave", "w99"]);
    assert!(err.contains("w99") && err.contains("w1, w2"), "{err}");
    let err = sb.fails(
        2,
        &["set", "p.toml", "ws-kc-001", "--product", "no-such-av"],
    );
    assert!(
        err.contains("no-such-av") && err.contains("catalogue"),
        "{err}"
    );
    // One bad id among good ones: nothing is applied.
    let err = sb.fails(2, &["set", "p.toml", "ws-kc-001", "nope", "--wave", "w2"]);
    assert!(err.contains("nope"), "{err}");
    let err = sb.fails(2, &["set", "p.toml", "ws-kc-001", "--wave", "w2", "--pin"]);
    assert!(err.contains("one of"), "{err}");
    assert_eq!(std::fs::read(sb.path("p.toml")).unwrap(), before);
    assert!(!sb.path("p.toml.bak").exists(), "no backup without a save");
}

#[test]
fn hand_edited_times_with_offsets_are_saved_in_utc() {
    let sb = planned();
    sb.ok(&["set", "p.toml", "ws-verw-010", "--note", "n1", "--by", "a"]);
    let saved = sb.read("p.toml");
    let utc = "at = 2026-11-28T10:00:00Z\nasset = \"ws-verw-010\"";
    assert!(saved.contains(utc), "{saved}");
    // The same instant written by hand west of Greenwich, the day before, as a TOML time and
    // as a string.
    for local in [
        "at = 2026-11-28T05:00:00-05:00",
        "at = \"2026-11-27T23:30:00.75-10:30\"",
    ] {
        let edited = saved.replacen("at = 2026-11-28T10:00:00Z", local, 1);
        sb.write("p.toml", &edited);
        sb.ok(&["set", "p.toml", "ws-verw-010", "--note", "n2", "--by", "a"]);
        let after = sb.read("p.toml");
        // Byte for byte as before, but for the note and the new event.
        let event = after.rsplit("\n\n").next().unwrap();
        let expected = saved.replacen("note = \"n1\"", "note = \"n2\"", 1);
        assert_eq!(after, format!("{expected}\n{event}"));
        sb.write("p.toml", &saved);
    }
    sb.write(
        "p.toml",
        saved.replacen(
            "at = 2026-11-28T10:00:00Z",
            "at = \"2026-11-28T10:00:00+24:99\"",
            1,
        ),
    );
    let err = sb.fails(2, &["set", "p.toml", "ws-verw-010", "--note", "n3"]);
    assert!(
        err.contains("invalid timestamp \"2026-11-28T10:00:00+24:99\""),
        "{err}"
    );
}

#[test]
fn a_frozen_wave_survives_replan_byte_for_byte() {
    let sb = planned();
    let text = sb.read("p.toml");
    let w1 = wave_block(&text, "w1");
    let frozen = format!("{w1}\nfrozen = true");
    // Freeze by hand, and change the wave size so that the rest really is rescheduled.
    let edited = text
        .replacen(&w1, &frozen, 1)
        .replacen("wave_size = 30", "wave_size = 10", 1);
    sb.write("p.toml", &edited);
    let pilot = members(&text, "w1");
    let products: Vec<Option<String>> = pilot
        .iter()
        .map(|a| field(&asset_block(&text, a), "product"))
        .collect();

    let out = sb.ok(&["replan", "p.toml"]);
    assert!(out.contains("frozen"), "{out}");
    let after = sb.read("p.toml");
    assert_eq!(wave_block(&after, "w1"), frozen, "frozen wave rewritten");
    assert_eq!(members(&after, "w1"), pilot, "frozen wave's assets changed");
    let products_after: Vec<Option<String>> = pilot
        .iter()
        .map(|a| field(&asset_block(&after, a), "product"))
        .collect();
    assert_eq!(products_after, products);
    assert_ne!(
        members(&after, "w2"),
        members(&text, "w2"),
        "nothing was replanned"
    );
    assert_eq!(violation_codes(&sb, "p.toml", 0), BTreeSet::new());
}

#[test]
fn broken_plan_files_are_bad_input_with_a_line() {
    let sb = planned();
    let text = sb.read("p.toml");
    let line_of = |t: &str, needle: &str| t.lines().position(|l| l == needle).unwrap() + 1;

    sb.write(
        "v99.toml",
        text.replacen("schema_version = 1", "schema_version = 99", 1),
    );
    for cmd in [
        vec!["validate", "v99.toml"],
        vec!["replan", "v99.toml"],
        vec!["export", "v99.toml", "--format", "csv"],
        vec!["set", "v99.toml", "ws-kc-001", "--wave", "w2"],
    ] {
        let err = sb.fails(2, &cmd);
        assert!(
            err.contains("v99.toml:1") && err.contains("newer"),
            "{cmd:?}: {err}"
        );
    }

    let unknown = text.replacen("wave_days = 5\n", "wave_days = 5\ncolour = \"red\"\n", 1);
    sb.write("unknown.toml", &unknown);
    let err = sb.fails(2, &["validate", "unknown.toml"]);
    let line = line_of(&unknown, "colour = \"red\"");
    assert!(err.contains(&format!("unknown.toml:{line}")), "{err}");
    assert!(err.contains("colour"), "{err}");

    for days in ["0", "121", "4000000000"] {
        let long = text.replacen("wave_days = 5\n", &format!("wave_days = {days}\n"), 1);
        sb.write("days.toml", &long);
        let err = sb.fails(2, &["replan", "days.toml"]);
        let line = line_of(&long, &format!("wave_days = {days}"));
        assert!(err.contains(&format!("days.toml:{line}")), "{err}");
        assert!(err.contains("1 to 120 working days"), "{err}");
    }

    let bad_date = text.replacen("end = 2027-01-22", "end = 2027-01-32", 1);
    sb.write("date.toml", &bad_date);
    let err = sb.fails(2, &["validate", "date.toml"]);
    let line = line_of(&bad_date, "end = 2027-01-32");
    assert!(err.contains(&format!("date.toml:{line}")), "{err}");

    let twice = format!("{text}\n{}\n", asset_block(&text, "ws-kc-001"));
    sb.write("twice.toml", &twice);
    let err = sb.fails(2, &["validate", "twice.toml"]);
    assert!(err.contains("ws-kc-001") && err.contains("twice"), "{err}");

    let err = sb.fails(2, &["validate", "nothing-here.toml"]);
    assert!(err.contains("nothing-here.toml"), "{err}");
}

#[test]
fn an_asset_missing_from_the_inventory_is_a_violation() {
    let sb = planned();
    let text = sb.read("p.toml");
    let last = wave_ids(&text).last().unwrap().clone();
    sb.write(
        "p.toml",
        format!("{text}\n[[asset]]\nid = \"ghost-01\"\nwave = \"{last}\"\nstatus = \"planned\"\n"),
    );
    assert_eq!(
        violation_codes(&sb, "p.toml", 1),
        BTreeSet::from(["unknown-asset".to_string()])
    );
    let out = sb.run(&["validate", "p.toml"]);
    assert!(common::text(&out.stdout).contains("ghost-01"));
}

#[test]
fn a_changed_inventory_is_reported_until_replan() {
    let sb = planned();
    let mut inv = sb.read("stadtwerke.toml");
    inv.push_str("# edited after planning\n");
    sb.write("stadtwerke.toml", inv);
    assert_eq!(
        violation_codes(&sb, "p.toml", 1),
        BTreeSet::from(["inventory-changed".to_string()])
    );
    sb.ok(&["replan", "p.toml"]);
    assert_eq!(violation_codes(&sb, "p.toml", 0), BTreeSet::new());
}

#[test]
fn moving_an_asset_after_its_provider_breaks_the_order() {
    let sb = planned();
    // ws-kc-001 uses srv-fs-03 and is managed by srv-ksc-01 (last wave).
    let last = wave_ids(&sb.read("p.toml")).last().unwrap().clone();
    sb.ok(&["set", "p.toml", "ws-kc-001", "--wave", &last]);
    let codes = violation_codes(&sb, "p.toml", 1);
    assert_eq!(
        codes,
        BTreeSet::from([
            "management-not-last".to_string(),
            "order-broken".to_string()
        ])
    );
    let out = sb.run(&["validate", "p.toml"]);
    let report = common::text(&out.stdout);
    let fs = report
        .lines()
        .find(|l| l.contains("relies on srv-fs-03"))
        .unwrap_or_else(|| panic!("{report}"));
    assert!(fs.starts_with("violation [order-broken] ws-kc-001"), "{fs}");
    // Sharing a wave with its management server is not enough: the server goes strictly later.
    let ksc = report
        .lines()
        .find(|l| l.contains("relies on management server srv-ksc-01"))
        .unwrap_or_else(|| panic!("{report}"));
    assert!(
        ksc.starts_with("violation [management-not-last] ws-kc-001"),
        "{ksc}"
    );
}

#[test]
fn an_impossible_cycle_is_planned_oversized_with_a_warning() {
    let sb = Sandbox::new();
    let mut inv = String::new();
    for i in 0..10 {
        inv.push_str(&format!(
            "[[asset]]\nid = \"c{i:02}\"\nkind = \"server\"\nos = \"Windows Server 2019 Standard\"\n\
             software = [ {{ name = \"Kaspersky Security for Windows Server\", version = \"11.0\", \
             publisher = \"AO Kaspersky Lab\" }} ]\ndepends_on = [ {{ id = \"c{:02}\" }} ]\n\n",
            (i + 1) % 10
        ));
    }
    sb.write("ring.toml", inv);
    let out = sb.ok(&[
        "plan",
        "ring.toml",
        "-o",
        "ring-plan.toml",
        "--wave-size",
        "3",
        "--start",
        "2027-01-11",
    ]);
    assert!(out.contains("warnings (1)"), "{out}");
    assert!(out.contains("a group of 10 assets"), "{out}");
    assert!(out.contains("oversized"), "{out}");
    let text = sb.read("ring-plan.toml");
    assert_eq!(wave_ids(&text), ["w1"], "the whole cycle shares one wave");
    assert_eq!(members(&text, "w1").len(), 10);
    assert_eq!(violation_codes(&sb, "ring-plan.toml", 0), BTreeSet::new());
}

#[test]
fn a_hand_edited_wave_id_in_another_case_names_the_same_wave() {
    let sb = planned();
    let text = sb.read("p.toml");
    let block = asset_block(&text, "ws-kc-001");
    let old = format!("wave = \"{}\"", field(&block, "wave").unwrap());
    // The full pilot wave w1 (8 of 8) gets a ninth asset, written "W1".
    sb.write(
        "p.toml",
        text.replacen(&block, &block.replacen(&old, "wave = \"W1\"", 1), 1),
    );
    assert_eq!(
        violation_codes(&sb, "p.toml", 1),
        BTreeSet::from(["capacity-exceeded".to_string()])
    );
    let v = sb.json(&["export", "p.toml", "--format", "json"]);
    let w1 = common::strings(&v["waves"][0]["assets"]);
    assert_eq!(w1.len(), 9);
    assert!(w1.contains(&"ws-kc-001".to_string()));
    let rb = sb.ok(&["export", "p.toml", "--format", "runbook"]);
    // 113 direct assets and 33 covered through a provider, each with its section.
    assert_eq!(rb.matches("\n### ").count(), 146);
}

/// Kills `set`, `replan` and `reconcile` at pseudo-random moments, hundreds of times: after
/// each kill the plan and its backup parse, no event a finished command committed is lost,
/// and the next finished save leaves no temporary file behind.
#[cfg(unix)]
#[test]
fn kill_9_at_any_moment_never_costs_the_plan_its_backup_or_a_committed_event() {
    use avmigrate::plan::file;
    let sb = planned();
    let plan = sb.path("p.toml");
    let events = |path: &std::path::Path| -> BTreeSet<String> {
        let p = file::load(path).unwrap_or_else(|e| panic!("{} must parse: {e}", path.display()));
        p.events
            .iter()
            .map(|e| format!("{} {} {} {} {:?}", e.at, e.asset, e.field, e.to, e.note))
            .collect()
    };
    let mut committed = events(&plan);
    // xorshift: reproducible moments without a dependency.
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |bound: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % bound
    };
    let started = std::time::Instant::now();
    let (mut kills, mut finished) = (0, 0);
    for round in 0..400 {
        if started.elapsed() > std::time::Duration::from_secs(15) && kills >= 100 {
            break;
        }
        let note = format!("round {round}");
        let args: Vec<&str> = match round % 3 {
            0 => vec!["set", "p.toml", "ws-verw-010", "--note", &note],
            1 => vec!["replan", "p.toml"],
            _ => vec!["reconcile", "p.toml", "stadtwerke.toml"],
        };
        #[allow(deprecated)] // the binary of this package, built by cargo for its tests
        let bin = assert_cmd::cargo::cargo_bin("avmigrate");
        let mut child = std::process::Command::new(bin)
            .current_dir(sb.root())
            .env("AVMIGRATE_CONFIG_DIR", sb.path("config"))
            .env("AVMIGRATE_DATA_DIR", sb.path("data"))
            .env("USER", "tester")
            .args(&args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_micros(next(60_000)));
        let done = child.try_wait().expect("wait").is_some();
        if !done {
            child.kill().expect("SIGKILL");
            kills += 1;
        }
        let status = child.wait().expect("reaped");
        let now = events(&plan);
        if sb.path("p.toml.bak").exists() {
            events(&sb.path("p.toml.bak"));
        }
        assert!(
            committed.is_subset(&now),
            "round {round} ({args:?}): committed events lost"
        );
        if status.success() {
            finished += 1;
        }
        committed = now;
    }
    eprintln!("{kills} kills, {finished} finished runs");
    assert!(kills >= 100, "only {kills} kills");
    assert!(finished > 0, "no command ever finished");
    sb.ok(&["set", "p.toml", "ws-verw-010", "--note", "last"]);
    let leftovers: Vec<String> = std::fs::read_dir(sb.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    assert!(events(&plan).iter().any(|e| e.contains("ws-verw-010")));
}

#[test]
fn migrated_without_a_scan_needs_a_note_and_the_help_shows_the_table() {
    let sb = planned();
    let plan = std::fs::read_to_string(sb.path("p.toml")).unwrap();
    let id = field(
        plan.split("\n\n")
            .find(|b| b.starts_with("[[asset]]"))
            .unwrap(),
        "id",
    )
    .unwrap();
    let err = sb.fails(2, &["set", "p.toml", &id, "--status", "migrated"]);
    assert!(err.contains("--note") && err.contains(&id), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    sb.ok(&[
        "set",
        "p.toml",
        &id,
        "--status",
        "migrated",
        "--note",
        "checked on site",
    ]);
    let plan = std::fs::read_to_string(sb.path("p.toml")).unwrap();
    assert_eq!(
        field(&asset_block(&plan, &id), "status").as_deref(),
        Some("migrated")
    );
    assert!(plan.contains("note = \"checked on site\""), "{plan}");

    // The table in `set --help` is the one the edits enforce.
    use avmigrate::model::Named;
    use avmigrate::plan::Status;
    use avmigrate::plan::edit::allowed_transitions;
    let help = sb.ok(&["set", "--help"]);
    for &from in <Status as strum::VariantArray>::VARIANTS {
        let line = help
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with(&format!("{} ", from.as_str())) && l.contains('→'))
            .unwrap_or_else(|| panic!("no line for {from} in\n{help}"));
        let listed: Vec<&str> = line
            .split('→')
            .nth(1)
            .unwrap()
            .split(',')
            .map(|s| s.split('(').next().unwrap().trim())
            .collect();
        let allowed: Vec<&str> = allowed_transitions(from)
            .iter()
            .map(|s| s.as_str())
            .collect();
        assert_eq!(listed, allowed, "{line}");
    }
}

#[test]
fn a_replan_after_a_frozen_pilot_keeps_the_ramp_up() {
    let sb = planned();
    let text = sb.read("p.toml");
    let capacity = |plan: &str, id: &str| field(&wave_block(plan, id), "capacity").unwrap();
    // Wave size 30: the pilot, then a quarter (7), half (15), full.
    assert_eq!(capacity(&text, "w2"), "7");
    assert_eq!(capacity(&text, "w3"), "15");
    let w1 = wave_block(&text, "w1");
    sb.write(
        "p.toml",
        text.replacen(&w1, &format!("{w1}\nfrozen = true"), 1),
    );
    sb.ok(&["replan", "p.toml"]);
    let after = sb.read("p.toml");
    // The ramp goes on after the frozen pilot instead of jumping to the full size.
    assert_eq!(capacity(&after, "w2"), "7", "{}", wave_block(&after, "w2"));
    assert_eq!(capacity(&after, "w3"), "15", "{}", wave_block(&after, "w3"));
}
