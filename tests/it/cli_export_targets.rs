//! `avmigrate export --format targets|ics|notices`: the rollout files of a plan, checked by
//! parsing them back (a PowerShell tokenizer check, CSV, INI, YAML, iCalendar unfolding) and
//! against golden files for an inventory of hostile names.

use crate::common;

use common::{NOW, Sandbox, repo};

const KES: &str = r#"software = [ { name = "Kaspersky Endpoint Security for Windows", version = "12.4", publisher = "AO Kaspersky Lab" } ]"#;
const KESL: &str = r#"software = [ { name = "Kaspersky Endpoint Security for Linux", version = "12.1", publisher = "AO Kaspersky Lab" } ]"#;

/// Names that break scripts, spreadsheets and inventories when written carelessly.
fn hostile(sb: &Sandbox) {
    let win = |id: &str, name: &str, owner: &str| {
        format!(
            "[[asset]]\nid = {id:?}\nname = {name:?}\nkind = \"workstation\"\nowner = {owner:?}\n\
             site = \"Zentrale\"\nos = \"Windows 11 Enterprise 23H2\"\n{KES}\n\n"
        )
    };
    let lin = |id: &str, name: &str| {
        format!(
            "[[asset]]\nid = {id:?}\nname = {name:?}\nkind = \"server\"\nowner = \"Ops\"\n\
             os = \"Ubuntu 22.04 LTS\"\n{KESL}\n\n"
        )
    };
    let text = [
        win("ws-quote", "O'Brien-PC", "../../etc/passwd"),
        win("ws-dollar", "$(Remove-Item C:\\)", "Ops"),
        win("ws-tick", "PC`whoami`", "Ops"),
        win("ws-newline", "PC\nInjected", "Ops"),
        win("ws-formula", "=cmd|'/c calc'!A1", "Ops"),
        win("ws-plus", "+SUM(A1)", "Ops"),
        win("ws-unicode", "Müller\u{2019}s-PC", "Müller, Anna"),
        win("ws-star", "WS-*", "Ops"),
        lin("srv-yes", "yes"),
        lin("srv-range", "web[1:3]"),
        lin("srv-ok", "srv-ok.example.org"),
    ]
    .concat();
    sb.write("hostile.toml", text);
    sb.ok(&[
        "plan",
        "hostile.toml",
        "-o",
        "h.toml",
        "--start",
        "2027-01-11",
    ]);
}

/// Compares with the golden file (`AVMIGRATE_BLESS=1` rewrites it).
fn golden(name: &str, actual: &str) {
    let path = repo("tests/export_targets_data").join(name);
    if std::env::var_os("AVMIGRATE_BLESS").is_some() {
        std::fs::write(&path, actual).expect("bless");
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .replace("\r\n", "\n");
    assert_eq!(
        actual.replace("\r\n", "\n"),
        want,
        "{name} differs from its golden file"
    );
}

/// A tokenizer-level PowerShell check: string literals balanced (single-quoted ones with `''`
/// and the typographic quotes), no double-quoted strings (where `$` and backtick expand), no
/// backtick outside a literal, every `$` outside literals a plain variable, braces and
/// parentheses balanced. Returns the single-quoted literals' values.
fn powershell_literals(script: &str) -> Vec<String> {
    let is_q = |c: char| matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}');
    let mut literals = Vec::new();
    let mut depth = 0i32;
    for (n, line) in script.split("\r\n").enumerate() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if is_q(c) {
                let mut value = String::new();
                loop {
                    match chars.next() {
                        Some(q) if is_q(q) => {
                            if chars.peek().copied().is_some_and(is_q) {
                                value.push(chars.next().unwrap());
                            } else {
                                break;
                            }
                        }
                        Some(x) => value.push(x),
                        None => panic!("line {}: unterminated literal: {line}", n + 1),
                    }
                }
                literals.push(value);
                continue;
            }
            match c {
                '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' => {
                    panic!("line {}: double-quoted string: {line}", n + 1)
                }
                '`' => panic!("line {}: backtick outside a literal: {line}", n + 1),
                '$' => {
                    let next = chars.peek().copied().unwrap_or(' ');
                    assert!(
                        next.is_ascii_alphabetic() || next == '_',
                        "line {}: `$` not starting a variable: {line}",
                        n + 1
                    );
                }
                '{' | '(' => depth += 1,
                '}' | ')' => depth -= 1,
                _ => {}
            }
        }
        assert!(
            depth >= 0,
            "line {}: closes more than it opened: {line}",
            n + 1
        );
    }
    assert_eq!(depth, 0, "unbalanced braces or parentheses");
    literals
}

#[test]
fn configmgr_scripts_quote_every_name_and_refuse_the_unusable() {
    let sb = Sandbox::new();
    hostile(&sb);
    let report = sb.ok(&[
        "export",
        "h.toml",
        "--format",
        "targets",
        "--tool",
        "configmgr",
        "-o",
        "out",
    ]);
    let files: Vec<_> = std::fs::read_dir(sb.path("out")).unwrap().collect();
    assert!(!files.is_empty());
    let mut all = Vec::new();
    let mut scripts = String::new();
    for f in files {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
        assert!(!text.replace("\r\n", "").contains('\n'), "bare LF");
        all.extend(powershell_literals(&text));
        scripts.push_str(&text);
    }
    assert!(all.contains(&"O'Brien-PC".to_string()), "{all:?}");
    assert!(all.contains(&"$(Remove-Item C:\\)".to_string()), "{all:?}");
    assert!(all.contains(&"PC`whoami`".to_string()), "{all:?}");
    assert!(all.contains(&"Müller\u{2019}s-PC".to_string()), "{all:?}");
    // The import turned the line break into a space: one line, inside a literal.
    assert!(all.contains(&"PC Injected".to_string()), "{all:?}");
    assert!(!scripts.contains("\r\nInjected"));
    assert!(
        report.contains("ws-star (wave w") && report.contains("name contains a wildcard"),
        "{report}"
    );
    golden("configmgr-01-w1.ps1", &sb.read("out/configmgr-01-w1.ps1"));
}

#[test]
fn configmgr_uses_resource_ids_from_a_configmgr_inventory() {
    let sb = Sandbox::new();
    sb.write(
        "systems.csv",
        concat!(
            "\"ResourceID\",\"Name0\",\"Netbios_Name0\",\"Resource_Domain_OR_Workgr0\",\"Operating_System_Name_and0\",\"Build01\",\"Client0\"\r\n",
            "\"16777321\",\"FR-WS-0142\",\"FR-WS-0142\",\"CORP\",\"Microsoft Windows NT Workstation 10.0\",\"10.0.22631\",\"1\"\r\n",
        ),
    );
    sb.write(
        "arp.csv",
        concat!(
            "\"ResourceID\",\"DisplayName0\",\"Version0\",\"Publisher0\"\r\n",
            "\"16777321\",\"Kaspersky Endpoint Security for Windows\",\"12.4\",\"AO Kaspersky Lab\"\r\n",
        ),
    );
    sb.ok(&[
        "plan",
        "systems.csv",
        "arp.csv",
        "-o",
        "cm.toml",
        "--start",
        "2027-01-11",
    ]);
    sb.ok(&[
        "export",
        "cm.toml",
        "--format",
        "targets",
        "--tool",
        "configmgr",
        "-o",
        "out",
    ]);
    let script = sb.read("out/configmgr-01-w1.ps1");
    powershell_literals(&script);
    assert!(
        script.contains("Add-CMDeviceCollectionDirectMembershipRule -CollectionName $collection -ResourceId 16777321\r\n"),
        "{script}"
    );
    assert!(!script.contains("Add-ByName '"), "{script}");
}

#[test]
fn intune_csv_keeps_the_template_rows_and_guards_formulas() {
    let sb = Sandbox::new();
    hostile(&sb);
    let report = sb.ok(&[
        "export", "h.toml", "--format", "targets", "--tool", "intune", "-o", "out",
    ]);
    let mut members: Vec<String> = Vec::new();
    let mut script_literals: Vec<String> = Vec::new();
    for f in std::fs::read_dir(sb.path("out")).unwrap() {
        let path = f.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        if path.extension().is_some_and(|e| e == "ps1") {
            // The Graph script beside each CSV: every value a balanced single-quoted literal.
            assert!(!text.replace("\r\n", "").contains('\n'), "bare LF");
            script_literals.extend(powershell_literals(&text));
            continue;
        }
        let mut lines = text.split("\r\n");
        assert_eq!(lines.next(), Some("version:v1.0"));
        assert_eq!(
            lines.next(),
            Some("Member object ID or user principal name [memberObjectIdOrUpn] Required")
        );
        let body: String = text.splitn(3, "\r\n").nth(2).unwrap().to_string();
        members.extend(
            csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(body.as_bytes())
                .records()
                .map(|r| r.expect("csv row")[0].to_string()),
        );
    }
    let text = sb.read("out/intune-01-w1.csv");
    for m in &members {
        assert!(!m.starts_with(['=', '+', '-', '@']), "formula: {m}");
    }
    assert!(
        members.contains(&"'=cmd|'/c calc'!A1".to_string()),
        "{members:?}"
    );
    assert!(members.contains(&"O'Brien-PC".to_string()), "{members:?}");
    assert!(report.contains("listed by name"), "{report}");
    assert!(
        script_literals.contains(&"O'Brien-PC".to_string()),
        "{script_literals:?}"
    );
    assert!(
        script_literals.contains(&"$(Remove-Item C:\\)".to_string()),
        "{script_literals:?}"
    );
    golden("intune-01-w1.csv", &text);
    golden("intune-01-w1.ps1", &sb.read("out/intune-01-w1.ps1"));
}

#[test]
fn ansible_inventory_lists_linux_hosts_by_wave_and_product() {
    let sb = Sandbox::new();
    hostile(&sb);
    let report = sb.ok(&[
        "export", "h.toml", "--format", "targets", "--tool", "ansible", "-o", "out",
    ]);
    let ini = sb.read("out/ansible-inventory.ini");
    // INI: group headers and one bare host name per line.
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for line in ini.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
        if let Some(g) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            assert!(
                g.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{g}"
            );
            groups.push((g.to_string(), Vec::new()));
        } else {
            assert!(
                !line.contains([' ', '=', '[', ':', '#', ';']),
                "host line {line:?}"
            );
            groups
                .last_mut()
                .expect("host before a group")
                .1
                .push(line.to_string());
        }
    }
    let hosts: Vec<&String> = groups.iter().flat_map(|(_, h)| h).collect();
    assert!(hosts.iter().any(|h| *h == "srv-ok.example.org"), "{ini}");
    assert!(hosts.iter().any(|h| *h == "yes"), "{ini}");
    assert!(
        !hosts.iter().any(|h| h.contains("Brien")),
        "Windows hosts stay out: {ini}"
    );
    assert!(groups.iter().any(|(g, _)| g.starts_with("wave_")));
    assert!(
        groups.iter().any(|(g, _)| g.starts_with("product_")),
        "{ini}"
    );
    assert!(report.contains("srv-range"), "{report}");
    // YAML: the same groups and hosts, keys single-quoted.
    let yaml = sb.read("out/ansible-inventory.yml");
    let mut yaml_hosts = Vec::new();
    for line in yaml.lines().filter(|l| !l.starts_with('#')) {
        if let Some(rest) = line.strip_prefix("        '") {
            let (key, tail) = rest.rsplit_once("': ").expect("quoted key");
            assert_eq!(tail, "{}");
            yaml_hosts.push(key.replace("''", "'"));
        } else {
            let t = line.trim_start();
            let indent = line.len() - t.len();
            assert!(
                matches!((indent, t), (0, "all:") | (2, "children:") | (6, "hosts:"))
                    || (indent == 4 && (t.ends_with(':') || t.ends_with(": {}"))),
                "unexpected YAML line {line:?}"
            );
        }
    }
    let mut a: Vec<&str> = hosts.iter().map(|s| s.as_str()).collect();
    let mut b: Vec<&str> = yaml_hosts.iter().map(String::as_str).collect();
    a.sort_unstable();
    b.sort_unstable();
    assert_eq!(a, b);
    golden("ansible-inventory.ini", &ini);
    golden("ansible-inventory.yml", &yaml);
}

#[test]
fn ksc_lists_only_verified_successors_and_says_why_not() {
    let sb = Sandbox::new();
    hostile(&sb);
    sb.ok(&[
        "set",
        "h.toml",
        "srv-ok",
        "--status",
        "migrated",
        "--note",
        "console check",
    ]);
    sb.ok(&["set", "h.toml", "srv-ok", "--status", "verified"]);
    let report = sb.ok(&[
        "export", "h.toml", "--format", "targets", "--tool", "ksc", "-o", "out",
    ]);
    let text = sb.read("out/ksc-01-w1.txt");
    assert_eq!(text, "", "no scan has shown a successor yet");
    assert!(
        report.contains("srv-ok (wave w1): marked verified, but no reconciled scan"),
        "{report}"
    );
    assert!(
        report.contains("ws-quote (wave w2): successor not verified (status planned)"),
        "{report}"
    );
    golden("ksc-01-w1.txt", &text);
}

#[test]
fn directory_formats_need_a_directory_and_a_tool() {
    let sb = Sandbox::new();
    hostile(&sb);
    let err = sb.fails(
        2,
        &["export", "h.toml", "--format", "targets", "--tool", "ksc"],
    );
    assert!(err.contains("-o DIR"), "{err}");
    let err = sb.fails(2, &["export", "h.toml", "--format", "notices"]);
    assert!(err.contains("-o DIR"), "{err}");
    let err = sb.fails(2, &["export", "h.toml", "--format", "targets", "-o", "out"]);
    assert!(err.contains("--tool"), "{err}");
    let err = sb.fails(
        2,
        &[
            "export", "h.toml", "--format", "targets", "--tool", "ksc", "--wave", "w99", "-o",
            "out",
        ],
    );
    assert!(err.contains("no such wave"), "{err}");
    let err = sb.fails(2, &["export", "h.toml", "--format", "ics", "-o", "h.toml"]);
    assert!(err.contains("is an input"), "{err}");
    sb.ok(&[
        "export", "h.toml", "--format", "targets", "--tool", "ksc", "--wave", "W1", "-o", "one",
    ]);
    let names: Vec<String> = std::fs::read_dir(sb.path("one"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["ksc-01-w1.txt"]);
}

/// RFC 5545 content lines: CRLF only, at most 75 octets, unfolded.
fn unfold(ics: &str) -> Vec<String> {
    assert!(ics.ends_with("\r\n"));
    assert!(
        !ics.replace("\r\n", "").contains(['\n', '\r']),
        "bare line break"
    );
    let mut lines: Vec<String> = Vec::new();
    for raw in ics.trim_end_matches("\r\n").split("\r\n") {
        assert!(raw.len() <= 75, "{} octets: {raw}", raw.len());
        match raw.strip_prefix(' ') {
            Some(cont) => lines.last_mut().expect("continuation first").push_str(cont),
            None => lines.push(raw.to_string()),
        }
    }
    lines
}

/// The value of a TEXT property, unescaped.
fn unescape(v: &str) -> String {
    let mut out = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(x @ ('\\' | ';' | ',')) => out.push(x),
                other => panic!("bad escape \\{other:?} in {v}"),
            }
        } else {
            assert!(c != ';' && c != ',', "unescaped {c} in {v}");
            out.push(c);
        }
    }
    out
}

#[test]
fn calendar_has_one_all_day_event_per_wave() {
    let sb = Sandbox::new();
    sb.plan_demo("p.toml", &["--start", "2027-01-11", "--wave-size", "30"]);
    let ics = sb.ok(&["export", "p.toml", "--format", "ics"]);
    let lines = unfold(&ics);
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    let json = sb.json(&["export", "p.toml", "--format", "json"]);
    let waves = json["waves"].as_array().unwrap();
    let events: Vec<&[String]> = lines.split(|l| l == "BEGIN:VEVENT").skip(1).collect();
    assert_eq!(events.len(), waves.len());
    let stamp = NOW.replace(['-', ':'], "");
    let mut uids = std::collections::HashSet::new();
    for (ev, w) in events.iter().zip(waves) {
        let prop = |name: &str| {
            ev.iter()
                .find_map(|l| l.strip_prefix(name))
                .unwrap_or_else(|| panic!("no {name}"))
                .to_string()
        };
        assert!(uids.insert(prop("UID:")));
        assert_eq!(prop("DTSTAMP:"), stamp);
        let day = |k: &str| w[k].as_str().unwrap().replace('-', "");
        assert_eq!(prop("DTSTART;VALUE=DATE:"), day("start"));
        // Exclusive end: the day after the wave's last day.
        let end: u32 = day("end").parse().unwrap();
        let dtend: u32 = prop("DTEND;VALUE=DATE:").parse().unwrap();
        assert!(dtend > end, "{dtend} after {end}");
        let description = unescape(&prop("DESCRIPTION:"));
        assert!(description.contains(w["id"].as_str().unwrap()));
        assert!(description.contains("steps: "), "{description}");
    }
    assert!(
        ics.contains("DTEND;VALUE=DATE:20270116\r\n"),
        "w1 ends on Friday 15th"
    );
}

#[test]
fn calendars_per_site_and_owner_and_notices_have_safe_names() {
    let sb = Sandbox::new();
    hostile(&sb);
    sb.ok(&["export", "h.toml", "--format", "ics", "-o", "cal"]);
    let mut names: Vec<String> = std::fs::read_dir(sb.path("cal"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "calendar.ics",
            "owner-etc-passwd.ics",
            "owner-m-ller-anna.ics",
            "owner-ops.ics",
            "site-zentrale.ics"
        ]
    );
    for n in &names {
        let lines = unfold(&sb.read(&format!("cal/{n}")));
        for l in lines
            .iter()
            .filter(|l| l.starts_with("DESCRIPTION:") || l.starts_with("SUMMARY:"))
        {
            unescape(l.split_once(':').unwrap().1);
        }
    }
    assert!(sb.read("cal/owner-m-ller-anna.ics").contains("ws-unicode"));
    assert!(!sb.read("cal/owner-m-ller-anna.ics").contains("ws-dollar"));
    golden("calendar.ics", &sb.read("cal/calendar.ics"));

    sb.ok(&["export", "h.toml", "--format", "notices", "-o", "notices"]);
    let md = sb.read("notices/notice-etc-passwd.md");
    assert!(md.contains("ws-quote"), "{md}");
    assert!(md.contains("contact your IT team"), "{md}");
    assert!(!sb.path("etc").exists());
    let txt = sb.read("notices/notice-ops.txt");
    assert!(txt.contains("srv-ok"), "{txt}");
    assert!(txt.contains("reboot"), "{txt}");
    golden("notice-ops.txt", &txt);
    golden("notice-etc-passwd.md", &md);
}

#[test]
fn notices_name_the_plans_contact() {
    let sb = Sandbox::new();
    hostile(&sb);
    let plan = sb.read("h.toml").replacen(
        "[settings]\n",
        "[settings]\ncontact = \"IT service desk, +49 30 1234-567\"\n",
        1,
    );
    sb.write("h.toml", plan);
    sb.ok(&["validate", "h.toml"]);
    sb.ok(&["export", "h.toml", "--format", "notices", "-o", "n"]);
    assert!(
        sb.read("n/notice-ops.md")
            .contains("contact IT service desk, +49 30 1234-567.")
    );
}

#[test]
fn target_lists_always_go_into_a_directory_whatever_its_name() {
    let sb = Sandbox::new();
    hostile(&sb);
    sb.ok(&[
        "export",
        "h.toml",
        "--format",
        "targets",
        "--tool",
        "ksc",
        "-o",
        "lists.ics",
    ]);
    let dir = sb.path("lists.ics");
    assert!(dir.is_dir(), "one file per wave needs a directory");
    assert!(std::fs::read_dir(&dir).unwrap().count() > 1);
}
