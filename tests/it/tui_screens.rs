//! One rendering test per screen and overlay on a 120×35 TestBackend: the text the user reads.

use crate::tui_support;

use avmigrate::tui::action::Action;
use avmigrate::tui::jobs::Source;
use avmigrate::tui::keymap::Keymap;
use avmigrate::tui::lists::wave_assets;
use avmigrate::tui::state::Overlay;
use avmigrate::tui::theme::ThemeName;
use tui_support::*;

fn buf(state: &avmigrate::tui::state::State) -> ratatui::buffer::Buffer {
    render(state, 120, 35)
}

/// The line of a panel that carries the selection marker.
fn highlighted(panel: &[String]) -> String {
    let hits: Vec<&String> = panel.iter().filter(|l| l.starts_with('▶')).collect();
    assert_eq!(hits.len(), 1, "one highlighted line in {panel:#?}");
    hits[0].clone()
}

#[test]
fn dashboard_shows_totals_and_the_largest_provider() {
    let mut s = demo();
    let b = buf(&s);
    assert_eq!(panel(&b, "Direct")[0], "113");
    assert_eq!(panel(&b, "Indirect")[0], "36");
    assert_eq!(panel(&b, "Unaffected")[0], "7");
    assert_eq!(panel(&b, "Direct")[1], "72.4% of 156 assets");
    assert_eq!(panel(&b, "Direct")[2], "run a flagged product");
    let top = panel(&b, "Largest impact");
    assert_eq!(top[0].trim(), "148 srv-ksc-01");
    assert_eq!(top[1].trim(), "147 srv-upd-01");
    assert_eq!(
        panel(&b, "Plan")[..2],
        ["No plan yet.", "ctrl-g generates one"]
    );
    assert!(panel(&b, "Direct assets by role")[0].starts_with("management-agent  98"));
    assert_eq!(panel(&b, "Plan status per wave")[0], "no plan yet");
    let last = lines(&b).pop().unwrap();
    assert!(
        last.contains("ctrl-g plan") && last.contains("no plan"),
        "{last}"
    );

    act(&mut s, &[Action::GeneratePlan]);
    let b = buf(&s);
    assert_eq!(
        panel(&b, "Plan")[..2],
        // 113 direct assets and 33 covered through a provider.
        ["146 assets · 7 waves", "0% done · ends 2027-01-15"]
    );
    assert!(panel(&b, "Plan status per wave")[0].starts_with("w1       0/8"));
    assert!(panel(&b, "Problems")[0].starts_with("0 violation(s)"));
    assert!(lines(&b)[0].contains("unsaved plan ●"));
}

#[test]
fn assets_table_shows_its_header_and_the_filtered_rows() {
    let mut s = demo();
    act(&mut s, &[Action::ShowAssets]);
    let b = buf(&s);
    let rows = panel(&b, "Assets 156/156");
    // Every column fits, the same way every run (no solver tie-breaking); without a plan the
    // empty Wave, Product and Status columns take no more than their titles, and the room
    // goes to the columns with content.
    assert_eq!(
        rows[0],
        " ID↑           Name       Kind       OS              Site       Crit.    Flagged pr… \
         Reliance   Wave  Product  Status"
    );
    assert_eq!(buf(&s), b, "the same layout every time");
    assert!(rows[1].starts_with("▶esx-01 "), "{}", rows[1]);
    assert!(rows[1].contains("indirect"));
    let fw = rows.iter().find(|r| r.starts_with(" fw-01 ")).unwrap();
    assert!(fw.contains(" unaffected"), "not cut: {fw}");
    let mac = rows
        .iter()
        .find(|r| r.starts_with(" mac-verw-01 "))
        .unwrap();
    assert!(
        mac.contains(" Kaspersky … direct"),
        "cut with an ellipsis: {mac}"
    );
    assert_eq!(rows.len() - 1, 30, "30 rows under the header");

    act(&mut s, &[Action::Bottom]);
    let rows = panel(&buf(&s), "Assets 156/156");
    let last = s.data.as_ref().unwrap().shared.inventory.assets()[s.assets.rows[155] as usize]
        .id
        .clone();
    assert!(highlighted(&rows[1..]).starts_with(&format!("▶{last} ")));
    assert_eq!(
        rows.last().unwrap(),
        &highlighted(&rows[1..]),
        "at the bottom"
    );

    act(&mut s, &[Action::Filter]);
    type_str(&mut s, "ksc");
    let b = buf(&s);
    let rows = panel(&b, "Assets 2/156  /ksc▏");
    assert!(rows[1].starts_with("▶srv-ksc-01 "), "{rows:#?}");
    assert!(rows[2].starts_with(" srv-ksc-02 "), "{rows:#?}");
    assert!(rows[3].is_empty());
    assert!(rows[1].contains("direct"));
    assert!(lines(&b).last().unwrap().contains("type filter"));

    type_str(&mut s, "zzz");
    let rows = panel(&buf(&s), "Assets 0/156");
    assert!(
        rows.iter()
            .any(|l| l.contains("No asset matches. Press F to clear"))
    );
}

#[test]
fn detail_shows_software_rules_why_and_products() {
    let mut s = demo();
    select_asset(&mut s, "srv-ksc-01");
    act(&mut s, &[Action::Open]);
    let b = buf(&s);
    let left = panel(&b, "srv-ksc-01 — SRV-KSC-01.stadtwerke-musterstadt.local");
    assert_eq!(left[0], "Reliance    direct");
    assert!(left.contains(&"Software".to_string()));
    let flagged = left
        .iter()
        .position(|l| l.starts_with("  ✗ Kaspersky Security Center 14.2 Administration Server"))
        .expect("the flagged entry");
    assert!(
        left[flagged + 2].starts_with("      rule ksc-admin-server (management-server)"),
        "the rule under it: {left:#?}"
    );
    assert!(
        left.iter().any(|l| l.starts_with("    7-Zip 23.01 (x64)")),
        "unflagged software without a mark"
    );
    let products = panel(&b, "Compatible products");
    assert_eq!(products[0], "yes        Microsoft Defender for Endpoint");
    let links = panel(&b, "→ depends on 0 · ← relied on by 92");
    assert!(links[0].starts_with("▶← managed-by   srv-upd-01"));

    // An indirect asset: the why-path names the provider it relies on.
    act(&mut s, &[Action::Back]);
    select_asset(&mut s, "esx-01");
    act(&mut s, &[Action::Open]);
    let b = buf(&s);
    let left = panel(&b, "esx-01 — ESX-01.stadtwerke-musterstadt.local");
    assert_eq!(left[0], "Reliance    indirect");
    assert!(
        left.contains(&"Why         esx-01 → svm-01".to_string()),
        "{left:#?}"
    );
    assert!(left.contains(&"No plan yet.".to_string()));
    assert!(panel(&b, "Compatible products")[0].contains("ESET Virtualization Security"));
}

#[test]
fn an_indirect_root_claims_no_impact_above_its_dependents() {
    let mut s = demo();
    act(&mut s, &[Action::ShowAssets]);
    crate::tui_support::select_asset(&mut s, "srv-erp-01");
    act(&mut s, &[Action::ShowDependenciesOf]);
    let tree = panel(&buf(&s), "Dependencies of srv-erp-01 (indirect)");
    assert!(
        tree.iter().any(|l| l.contains("relied on by (")),
        "{tree:#?}"
    );
}

#[test]
fn dependencies_show_both_directions_and_expand() {
    let mut s = demo();
    act(&mut s, &[Action::ShowDependencies]);
    let title = "Dependencies of srv-ksc-01 (direct, 148 rely on it in all)";
    let tree = panel(&buf(&s), title);
    assert_eq!(tree[0].trim_start_matches('▶').trim(), "depends on (0)");
    assert_eq!(tree[1].trim(), "▾ relied on by (92)");
    assert!(
        tree[2].starts_with("   ▸ ← managed-by    srv-upd-01"),
        "{}",
        tree[2]
    );
    assert!(
        tree[3].starts_with("   ▸ ← updates-from  srv-upd-01"),
        "{}",
        tree[3]
    );

    act(&mut s, &[Action::Down, Action::Down, Action::Right]);
    let tree = panel(&buf(&s), title);
    assert!(
        tree[2].starts_with("▶  ▾ ← managed-by    srv-upd-01"),
        "{}",
        tree[2]
    );
    assert!(
        tree[3].starts_with("     ▸ ← updates-from  srv-ksc-02"),
        "children one level deeper: {}",
        tree[3]
    );
    act(&mut s, &[Action::Left]);
    let tree = panel(&buf(&s), title);
    assert!(
        tree[2].starts_with("▶  ▸ ← managed-by    srv-upd-01"),
        "{}",
        tree[2]
    );
    assert!(
        tree[3].starts_with("   ▸ ← updates-from  srv-upd-01"),
        "collapsed again"
    );
}

#[test]
fn waves_show_the_pilot_and_no_violations() {
    let mut s = demo();
    act(&mut s, &[Action::ShowWaves]);
    let empty = panel(&buf(&s), "Waves");
    assert_eq!(empty[0], "No plan yet.");
    assert_eq!(empty[2], "Press ctrl-g to plan the replacement in waves.");

    act(&mut s, &[Action::GeneratePlan]);
    let b = buf(&s);
    let waves = panel(&b, "Waves (7)");
    assert!(
        waves[0].starts_with("▶w1 Pilot         2026-11-30   8/8"),
        "{}",
        waves[0]
    );
    assert!(waves[1].starts_with(" w2 Wave 2"));
    let wave = panel(&b, "w1 Pilot · 2026-11-30 – 2026-12-04 · 8 assets");
    assert!(wave[0].contains("capacity 8/8 · 0 done"));
    assert!(wave[2].trim_start().starts_with("mac-verw-01"), "{wave:#?}");
    assert_eq!(
        panel(&b, "Violations (0)")[0],
        "No violations: every planning rule holds."
    );
    assert!(lines(&b).last().unwrap().ends_with("0 violation(s) "));
}

#[test]
fn wave_board_highlights_the_selected_asset_beyond_the_first_page() {
    let mut s = demo();
    act(&mut s, &[Action::GeneratePlan, Action::ShowWaves]);
    act(
        &mut s,
        &[Action::Down, Action::Down, Action::Down, Action::Right],
    );
    for _ in 0..22 {
        act(&mut s, &[Action::Down]);
    }
    let data = s.data.as_ref().unwrap();
    let id = &data.shared.inventory.assets()[wave_assets(data, 3)[22] as usize].id;
    let wave = panel(&buf(&s), "w4 Wave 4");
    let line = highlighted(&wave);
    assert!(
        line.trim_start_matches('▶')
            .trim_start()
            .starts_with(id.as_str()),
        "{id} is highlighted: {line}"
    );
}

#[test]
fn vendors_show_coverage_and_uncovered_assets() {
    let mut s = demo();
    act(&mut s, &[Action::ShowVendors]);
    let b = buf(&s);
    let products = panel(&b, "Catalogue coverage of 113 direct assets");
    assert!(products[0].contains("Product") && products[0].contains("yes"));
    let mde: Vec<&str> = products[1].split_whitespace().collect();
    assert_eq!(
        mde,
        [
            "▶",
            "Microsoft",
            "Defender",
            "for",
            "Endpoint",
            // Two Macs on macOS 14 fell out of MDE's "three most recent releases" window.
            "84",
            // Limited: not the Exchange server (Kaspersky Security for Exchange) nor the KSMG
            // mail gateway any more: Defender only protects a mail server's files.
            "3",
            "0",
            "26"
        ]
    );
    let uncovered = panel(&b, "Covered by no product (24)");
    assert!(uncovered[0].starts_with("srv-prx-01"));
    assert!(panel(&b, "Vendor rules")[0].starts_with("No vendor rules"));
}

#[test]
fn help_lists_the_keys_of_the_screen() {
    let mut s = demo();
    act(&mut s, &[Action::ShowAssets, Action::Help]);
    let help = panel(&buf(&s), "Help — keys for this screen");
    let find = |what: &str| {
        help.iter()
            .find(|l| l.contains(what))
            .unwrap_or_else(|| panic!("{what} in {help:#?}"))
            .clone()
    };
    assert!(find("Quit (asks first").starts_with("  q "));
    assert!(find("Filter the table as you type").starts_with("  / "));
    let pos = |what: &str| help.iter().position(|l| l.contains(what)).unwrap();
    assert!(
        pos("Filter the table") < pos("Quit (asks"),
        "this screen's keys come first"
    );
    act(&mut s, &[Action::Back]);
    assert!(s.overlays.is_empty());
}

#[test]
fn palette_lists_actions_and_narrows_as_you_type() {
    let mut s = demo();
    act(&mut s, &[Action::Palette]);
    let items = panel(&buf(&s), "Command palette");
    assert!(
        items[0].starts_with("▶General: Quit (asks first"),
        "{items:#?}"
    );
    assert!(
        items
            .iter()
            .any(|l| l.starts_with(" General: Save the plan") && l.contains("[ctrl-s]")),
        "{items:#?}"
    );
    assert!(!items.iter().any(|l| l.contains("Move: Up")), "{items:#?}");
    type_str(&mut s, "wave");
    let items = panel(&buf(&s), "Command palette  ›wave▏");
    let shown: Vec<&str> = items
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.as_str())
        .collect();
    assert!(
        shown.iter().any(|l| l.contains("Screens: Waves"))
            && shown
                .iter()
                .any(|l| l.contains("Move the marked (or selected) assets to a wave")),
        "{shown:?}"
    );
    assert!(!shown.iter().any(|l| l.contains("Quit")), "{shown:?}");
}

#[test]
fn questions_and_prompts_are_drawn() {
    let mut s = demo();
    act(&mut s, &[Action::GeneratePlan, Action::Quit]);
    let q = panel(&buf(&s), "Please confirm");
    assert!(q[0].starts_with("The plan has unsaved changes."), "{q:#?}");
    assert!(
        q.iter().any(|l| l.contains("y yes   n/esc no")),
        "enter does not answer a question that loses work: {q:#?}"
    );
    assert!(!q.iter().any(|l| l.contains("enter yes")), "{q:#?}");
    act(&mut s, &[Action::Deny, Action::Save]);
    assert!(matches!(s.overlays.last(), Some(Overlay::Prompt { .. })));
    let p = panel(&buf(&s), "Save plan as");
    assert_eq!(p[0], "plans/plan.toml▏");
    assert_eq!(p[1], "enter to accept, esc to cancel");
}

#[test]
fn a_small_terminal_says_so() {
    let s = demo();
    let text = lines(&render(&s, 70, 20)).join("\n");
    assert!(text.contains("Terminal too small"));
    assert!(text.contains("avmigrate needs at least 80×24; this one is 70×20."));
    let text = lines(&render(&s, 80, 24)).join("\n");
    assert!(!text.contains("Terminal too small"));
    assert!(text.contains("Dashboard"));
}

#[test]
fn texts_naming_keys_follow_a_user_keymap() {
    let mut s = demo();
    s.keymap = Keymap::with_user_file(Some("[global]\ngenerate_plan = [\"f5\"]\n")).0;
    act(&mut s, &[Action::ShowWaves]);
    assert_eq!(
        panel(&buf(&s), "Waves")[2],
        "Press f5 to plan the replacement in waves."
    );
    act(&mut s, &[Action::ShowDashboard]);
    assert_eq!(panel(&buf(&s), "Plan")[1], "f5 generates one");
    act(&mut s, &[Action::ShowWaves, Action::RenameWave]);
    let msg = lines(&buf(&s)).pop().unwrap();
    assert!(msg.contains("no plan yet: generate one with f5"), "{msg}");
}

#[test]
fn a_narrow_table_drops_columns_instead_of_cutting_them() {
    let mut s = demo();
    s.size = (80, 24);
    act(&mut s, &[Action::ShowAssets]);
    let rows = panel(&render(&s, 80, 24), "Assets 156/156");
    assert_eq!(
        rows[0],
        " ID↑         Name        OS              Flagged pro… Reliance   Wave  Status"
    );
    // What is shown of a cell is cut with "…", never mid-word without it.
    let esx = rows.iter().find(|r| r.starts_with("▶esx-01 ")).unwrap();
    assert!(esx.contains("ESX-01.sta… "), "{esx}");
    let fw = rows.iter().find(|r| r.starts_with(" fw-01 ")).unwrap();
    assert!(fw.contains(" unaffected"), "{fw}");
}

#[test]
fn the_id_and_os_columns_keep_their_width_in_narrow_tables() {
    let mut s = demo();
    act(&mut s, &[Action::ShowAssets]);
    for width in [80, 90, 100, 110, 120] {
        s.size = (width, 24);
        let rows = panel(&render(&s, width, 24), "Assets 156/156");
        let row = rows
            .iter()
            .find(|r| r.starts_with(" nb-verw-001 "))
            .unwrap_or_else(|| panic!("no nb-verw-001 at {width} columns: {rows:#?}"));
        assert!(
            row.contains(" Windows 11 23H2 "),
            "the OS is cut at {width} columns: {row}"
        );
        // Every id shown is whole: the ID column is as wide as the longest id.
        for r in &rows[1..] {
            let id = r
                .trim_start_matches(['▶', ' '])
                .split(' ')
                .next()
                .unwrap_or("");
            assert!(!id.ends_with('…'), "an id is cut at {width} columns: {r}");
        }
    }
}

#[test]
fn vendor_names_are_readable_at_80x24() {
    let mut s = demo();
    s.size = (80, 24);
    act(&mut s, &[Action::ShowVendors]);
    let b = render(&s, 80, 24);
    let products = panel(&b, "Catalogue coverage of 113 direct assets");
    for name in [
        "Microsoft Defender for Endpoint ",
        "Microsoft Defender Antivirus ",
        "ESET Endpoint Security (ESET PROTECT) ",
        "Sophos Intercept X (Sophos Central) ",
    ] {
        assert!(
            products.iter().any(|r| r.contains(name)),
            "{name:?} not readable in {products:#?}"
        );
    }
    assert!(
        products[1].ends_with(" 84     3      0      26"),
        "{}",
        products[1]
    );
    assert!(panel(&b, "Covered by no product (24)")[0].starts_with("srv-prx-01"));
    assert!(panel(&b, "Vendor rules")[0].starts_with("No vendor rules"));
}

const HOSTILE: &str = r#"
[[asset]]
id = "evil-01"
name = "EVIL\u001b[31m-HOST\u0007"
kind = "server"
os = "Windows\u001b[2J Server 2019"
site = "Site\u001b]0;pwned\u0007"
owner = "Own\u001b[5mer"
tags = ["t\u001b[1mag"]
software = [
  { name = "Kaspersky Endpoint Security\u001b[31m", version = "12\u001b[0m", publisher = "AO\u001b[4m Kaspersky Lab" },
  { name = "Tool\u001b[32m\r\n", version = "1" },
]
depends_on = [{ id = "evil-02", kind = "managed-by" }]

[[asset]]
id = "evil-02"
name = "E2"
kind = "server"
os = "Windows Server 2019"
software = [{ name = "Kaspersky Security Center Network Agent", version = "14" }]
"#;

/// Every screen of the state, and its detail views, as buffers.
fn every_screen(s: &mut avmigrate::tui::state::State) -> Vec<ratatui::buffer::Buffer> {
    let mut out = Vec::new();
    for a in [
        Action::ShowDashboard,
        Action::ShowAssets,
        Action::ShowDependencies,
        Action::ShowWaves,
        Action::ShowVendors,
    ] {
        act(s, &[a]);
        out.push(buf(s));
    }
    act(s, &[Action::ShowWaves, Action::Right, Action::Open]);
    out.push(buf(s));
    act(
        s,
        &[Action::Back, Action::Back, Action::ShowAssets, Action::Open],
    );
    out.push(buf(s));
    out
}

fn assert_no_control_characters(buffers: &[ratatui::buffer::Buffer]) {
    for b in buffers {
        for cell in b.content() {
            assert!(
                !cell.symbol().chars().any(char::is_control),
                "control character {:?} in\n{}",
                cell.symbol(),
                lines(b).join("\n")
            );
        }
    }
}

#[test]
fn hostile_inventory_text_never_reaches_the_terminal() {
    let dir = env().join("hostile-inventory");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("evil.toml");
    std::fs::write(&path, HOSTILE).unwrap();
    let mut s = loaded_with(ThemeName::Dark, Source::Inventories(vec![path]));
    // The import already replaces control characters (ratatui would also drop them when it
    // writes a span, so the buffer check below guards code that writes cells directly).
    let evil = &s.data.as_ref().unwrap().shared.inventory.assets()[0];
    assert_eq!(evil.name.as_deref(), Some("EVIL\u{fffd}[31m-HOST\u{fffd}"));
    act(&mut s, &[Action::GeneratePlan]);
    let screens = every_screen(&mut s);
    assert_no_control_characters(&screens);
    let detail = lines(screens.last().unwrap()).join("\n");
    assert!(detail.contains("evil-01 — EVIL"), "{detail}");
    assert!(detail.contains("Kaspersky Endpoint Security"), "{detail}");
}

#[test]
fn hostile_plan_text_never_reaches_the_terminal() {
    let dir = env().join("hostile-plan");
    std::fs::create_dir_all(&dir).unwrap();
    let inventory = dir.join("evil.toml");
    std::fs::write(&inventory, HOSTILE).unwrap();
    let mut s = loaded_with(ThemeName::Dark, Source::Inventories(vec![inventory]));
    act(&mut s, &[Action::GeneratePlan]);
    let plan = dir.join("plan.toml");
    let mut p = s.data.as_ref().unwrap().plan.as_deref().cloned().unwrap();
    p.waves[0].name = "Pi\u{1b}[31mlot\u{7}".into();
    p.assets[0].note = Some("note\u{1b}]0;title\u{7}".into());
    p.assets[0].reason = "why\u{1b}[2J".into();
    p.name = "Plan\u{1b}[5m".into();
    p.inventory[0].path = "evil.toml".into();
    std::fs::write(&plan, avmigrate::plan::file::to_toml(&p)).unwrap();
    let mut s = loaded_with(ThemeName::Dark, Source::Plan(plan));
    let loaded = s.data.as_ref().unwrap().plan.as_ref().unwrap();
    assert!(
        loaded.waves[0].name.contains('\x1b'),
        "the plan keeps the text as written"
    );
    let screens = every_screen(&mut s);
    assert_no_control_characters(&screens);
    let waves = lines(&screens[3]).join("\n");
    assert!(waves.contains("Pi"), "{waves}");
}

#[test]
fn the_status_bar_keeps_the_violation_count_when_the_message_is_long() {
    let mut s = demo();
    act(&mut s, &[Action::GeneratePlan, Action::ShowVendors]);
    s.info("vendor rule added: regenerate the plan (R) to apply it");
    let bar = lines(&buf(&s)).pop().unwrap();
    assert!(bar.ends_with(" 0 violation(s) "), "{bar}");
    assert!(bar.contains(" l pane"), "hints that fit are kept: {bar}");
    s.error("x".repeat(200));
    let bar = lines(&buf(&s)).pop().unwrap();
    assert!(bar.ends_with(" 0 violation(s) "), "{bar}");
    assert!(bar.contains("x…"), "a message too long is cut: {bar}");
}

#[test]
fn invisible_combining_and_emoji_characters_keep_table_columns_in_place() {
    let dir = env().join("width-inventory");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("widths.toml");
    let ids = [
        "plain-ws-01",
        "zw\u{200B}\u{200D}\u{FEFF}-ws-02",
        "e\u{301}\u{301}-ws-03",
        "emoji-👩\u{200D}💻-04",
        "漢字-ws-05",
    ];
    let mut text = String::new();
    for id in ids {
        text.push_str(&format!(
            "[[asset]]\nid = \"{id}\"\nname = \"{id}\"\nos = \"Windows 11 Pro\"\nsoftware = [ {{ name = \"Kaspersky Endpoint Security for Windows\" }} ]\n\n"
        ));
    }
    std::fs::write(&path, text).unwrap();
    let mut s = loaded_with(ThemeName::Dark, Source::Inventories(vec![path]));
    act(&mut s, &[Action::GeneratePlan]);
    for (w, h) in [(80, 24), (120, 35)] {
        // The assets table: the OS column starts in the same cell on every row.
        act(&mut s, &[Action::ShowAssets]);
        let buf = render(&s, w, h);
        let screen = lines(&buf);
        // The cell (column) where "Windows" starts on each row that shows it.
        let starts: Vec<u16> = (0..h)
            .filter_map(|y| {
                (0..w.saturating_sub(7)).find(|&x| {
                    (0..7)
                        .all(|i| buf[(x + i, y)].symbol() == &"Windows"[i as usize..i as usize + 1])
                })
            })
            .collect();
        assert_eq!(starts.len(), ids.len(), "{screen:#?}");
        assert!(
            starts.windows(2).all(|p| p[0] == p[1]),
            "{starts:?}\n{screen:#?}"
        );
        // The wave board's asset list (padded by hand, not by a table): the status column too.
        act(
            &mut s,
            &[
                Action::ShowWaves,
                Action::Left,
                Action::Top,
                Action::Down,
                Action::Right,
            ],
        );
        let buf = render(&s, w, h);
        let starts: Vec<u16> = (0..h)
            .filter_map(|y| {
                (0..w.saturating_sub(7)).find(|&x| {
                    (0..7)
                        .all(|i| buf[(x + i, y)].symbol() == &"planned"[i as usize..i as usize + 1])
                })
            })
            .collect();
        assert_eq!(starts.len(), 4, "{:#?}", lines(&buf));
        assert!(
            starts.windows(2).all(|p| p[0] == p[1]),
            "{starts:?}\n{:#?}",
            lines(&buf)
        );
    }
}
