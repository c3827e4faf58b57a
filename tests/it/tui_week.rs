//! End to end, the IT lead's week in the real binary (pseudo-terminal): open the inventory →
//! plan settings (wave size) with their preview → plan → save → a scan reconciled on the
//! command line raises a protection-gap alert → reopen the plan → Progress → the alert →
//! the asset's detail shows it → block the asset with a reason, the app asking once for the
//! name the history records → save; the CLI and the plan file show who did what.

use crate::common::{Sandbox, json_of, text};
use crate::tui_e2e::Tui;
use avmigrate::model::Named;
use avmigrate::plan::file;

/// The machine the scan finds without any anti-virus: a server, so nothing switches on.
const SERVER: &str = "srv-fs-02";

/// The demo inventory as a scan sees it a week later: `SERVER` lost its Kaspersky products.
fn scan(demo: &str) -> String {
    let start = demo.find(&format!("id = \"{SERVER}\"")).unwrap();
    let end = demo[start..]
        .find("[[asset]]")
        .map_or(demo.len(), |e| start + e);
    let block: String = demo[start..end]
        .lines()
        .filter(|l| !l.contains("Kaspersky"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(block.contains("Windows Server"), "{block}");
    format!("{}{block}{}", &demo[..start], &demo[end..])
}

/// `avmigrate ARGS` in the sandbox at `now`, expected to succeed; its stdout.
fn cli(sb: &Sandbox, now: &str, args: &[&str]) -> String {
    let out = sb
        .cmd()
        .env("AVMIGRATE_NOW", now)
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// The app in the sandbox at `now`, with the sandbox's config and data directories (kept
/// between sessions, as on the IT lead's machine) and no login name to fall back on.
fn app(sb: &Sandbox, now: &str, args: &[&str]) -> Tui {
    let config = sb.path("config");
    let data = sb.path("data");
    Tui::start(
        sb.root(),
        args,
        &[
            ("AVMIGRATE_CONFIG_DIR", config.to_str().unwrap()),
            ("AVMIGRATE_DATA_DIR", data.to_str().unwrap()),
            ("AVMIGRATE_NOW", now),
            ("USER", ""),
            ("USERNAME", ""),
        ],
    )
}

#[test]
fn a_week_settings_plan_save_reconcile_reopen_and_act_on_the_alert() {
    let sb = Sandbox::new();
    sb.copy_demo();
    let monday = "2026-11-30T08:00:00Z";
    let a_week_later = "2026-12-07T08:00:00Z";

    // Monday: the settings form, wave size 20, its preview, then the plan; saved as a new file.
    let mut tui = app(&sb, monday, &["open", "stadtwerke.toml"]);
    tui.wait_for("Unaffected");
    tui.send(b",");
    tui.wait_for("Plan settings");
    // Start is the first field; the wave size the second.
    tui.send(b"\x1b[B");
    tui.wait_for("assets per full wave");
    tui.send(b"\x1520");
    tui.wait_for("Wave size      20");
    tui.send(b"\r");
    tui.wait_for("Preview");
    let preview = tui.screen();
    assert!(
        preview.contains("wave(s), 146 asset(s): 2026-12-01"),
        "{preview}"
    );
    assert!(preview.contains("assets per wave: "), "{preview}");
    tui.send(b"\r");
    tui.wait_gone("Plan settings");
    tui.wait_for("plan ready");
    tui.send(b"\x13");
    tui.wait_for("Save plan as");
    tui.send(b"\x15plans/week.toml\r");
    tui.wait_for("saved plans/week.toml");
    tui.send(b"q");
    assert!(tui.wait_exit().success(), "{}", tui.screen());
    assert!(tui.terminal_restored());
    let saved = file::load(&sb.path("plans/week.toml")).expect("the saved plan parses");
    assert_eq!(
        saved.settings.wave_size, 20,
        "the form's wave size was kept"
    );
    let members = saved.wave_members();
    assert!(
        members.values().all(|m| m.len() <= 20),
        "no wave above 20 assets: {:?}",
        members.values().map(Vec::len).collect::<Vec<_>>()
    );
    assert!(
        saved.waves.len() > 7,
        "more, smaller waves: {}",
        saved.waves.len()
    );

    // A week later: the scan is reconciled on the command line.
    sb.write("scan.toml", scan(&sb.read("stadtwerke.toml")));
    let r = json_of(&cli(
        &sb,
        a_week_later,
        &[
            "reconcile",
            "plans/week.toml",
            "scan.toml",
            "--format",
            "json",
        ],
    ));
    let alerts = r["reconciliation"]["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0]["asset"], SERVER);
    assert_eq!(alerts[0]["kind"], "protection-gap");

    // The plan reopened: Progress, the alerts pane, the alert, its asset.
    let mut tui = app(&sb, a_week_later, &["open", "plans/week.toml"]);
    tui.wait_for("Unaffected");
    tui.send(b"6");
    tui.wait_for("Open alerts (1)");
    tui.send(b"l");
    tui.wait_for(&format!("protection-gap {SERVER}: the scan lists"));
    tui.send(b"\r");
    tui.wait_for(&format!("{SERVER} — "));
    tui.wait_for("protect. unprotected: the scan lists no protection");
    // The alerts come after the software and the plan: one page down.
    tui.send(b"\x1b[6~");
    tui.wait_for("Open alerts (1)");
    tui.wait_for("protection-gap since 2026-12-07");
    // Blocked, with the reason; the first change asks whose it is.
    tui.send(b"t");
    tui.wait_for("Status of 1 asset(s)");
    tui.send(b"blocked");
    tui.wait_for("cannot go on");
    tui.send(b"\r");
    tui.wait_for("Reason for blocked");
    tui.send(b"Defender for Servers licence ordered, ticket 4711\r");
    tui.wait_for("Your name for the plan's history");
    tui.send(b"Maria Mueller\r");
    tui.wait_gone("Your name for the plan's history");
    tui.wait_for("History (");
    tui.wait_for("Maria Mueller");
    tui.send(b"\x13");
    tui.wait_for("saved plans/week.toml");
    tui.send(b"q");
    assert!(tui.wait_exit().success(), "{}", tui.screen());
    assert!(tui.terminal_restored());

    // The command line and the file agree: blocked, why, by whom, when.
    let st = json_of(&cli(
        &sb,
        a_week_later,
        &["status", "plans/week.toml", "--format", "json"],
    ));
    assert_eq!(st["by_status"]["blocked"], 1, "{st}");
    let plan = file::load(&sb.path("plans/week.toml")).unwrap();
    let a = plan.asset(SERVER).unwrap();
    assert_eq!(a.status.as_str(), "blocked");
    assert_eq!(
        a.status_reason.as_deref(),
        Some("Defender for Servers licence ordered, ticket 4711")
    );
    let e = plan
        .events
        .iter()
        .rfind(|e| e.asset == SERVER && e.field == "status")
        .expect("the status change is in the history");
    assert_eq!(
        (e.from.as_str(), e.to.as_str(), e.by.as_str()),
        ("planned", "blocked", "Maria Mueller")
    );
    assert_eq!(e.at.to_string(), "2026-12-07T08:00:00Z");
    // The name is remembered for the next session.
    let config = std::fs::read_to_string(sb.path("config/config.toml")).unwrap();
    assert!(config.contains("Maria Mueller"), "{config}");
    // The alert stays open until a scan shows protection again.
    assert_eq!(plan.alerts.len(), 1);
}
