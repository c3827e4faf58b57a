//! `avmigrate export --format md`: the management report in Markdown.

use crate::common;

use common::Sandbox;

const BASE: &[&str] = &[
    "--start",
    "2027-01-11",
    "--wave-size",
    "30",
    "--deadline",
    "2027-06-30",
];

/// The text of one `## ` section, from its heading to the next one.
fn section<'a>(md: &'a str, heading: &str) -> &'a str {
    let start = md
        .find(&format!("\n## {heading}"))
        .unwrap_or_else(|| panic!("no section {heading} in\n{md}"));
    let rest = &md[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 4);
    &rest[..end]
}

/// Cells of a table line, split on unescaped `|`.
fn cells(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '|' if !escaped => out.push(String::new()),
            c => {
                escaped = c == '\\' && !escaped;
                out.last_mut().unwrap().push(c);
            }
        }
    }
    out.iter().map(|c| c.trim().to_string()).collect()
}

#[test]
fn every_section_is_there_with_the_exception_and_its_rationale() {
    let sb = Sandbox::new();
    sb.plan_demo("p.toml", BASE);
    sb.ok(&[
        "set",
        "p.toml",
        "srv-hist-01",
        "--status",
        "excluded",
        "--reason",
        "Decommissioned in Q2 *for sure*",
        "--approver",
        "CISO Müller",
        "--review",
        "2027-03-31",
        "--by",
        "mmueller",
    ]);
    sb.ok(&[
        "set",
        "p.toml",
        "srv-git-01",
        "--status",
        "blocked",
        "--reason",
        "uninstall password unknown",
    ]);
    let md = sb.ok(&["export", "p.toml", "--format", "md"]);
    assert!(md.starts_with("# Management report: Replacement plan for stadtwerke\n"));
    assert!(md.contains("Report of 2026-11-28T10:00:00Z; figures as of 2026-11-28."));
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## Summary",
            "## Protection",
            "## Forecast and deadline",
            "## Waves",
            "## Burn-down",
            "## KRITIS and critical systems still on the flagged product",
            "## Open alerts",
            "## Exceptions (accepted risks)",
            "## Blocked assets",
        ]
    );

    let summary = section(&md, "Summary");
    assert!(
        summary.contains("146 assets in scope, **0.7% done**"),
        "{summary}"
    );
    // 113 direct assets and 33 covered through a provider.
    assert!(summary.contains("| planned | 144 |") && summary.contains("| excluded | 1 |"));

    let forecast = section(&md, "Forecast");
    assert!(forecast.contains("- Deadline: 2027-06-30"));
    assert!(forecast.contains("- Planned end (last wave): 2027-03-12"));
    assert!(forecast.contains("- Verdict: **on track**"), "{forecast}");

    let waves = section(&md, "Waves");
    assert!(waves.contains("| w1 | Pilot | 2027-01-11 | 2027-01-15 | 8 | 0 | 1 | 0.0 |"));

    let burn = section(&md, "Burn-down");
    assert!(burn.contains("| Date | Planned | Actual |"));
    assert!(
        burn.contains("| 2026-11-28 | 146 | 145 |"),
        "the exclusion today: {burn}"
    );
    assert!(burn.contains("| 2027-03-12 | 0 | – |"), "{burn}");

    let kritis = section(&md, "KRITIS");
    assert!(
        kritis.contains(
            "| srv-ksc-02 | SRV-KSC-02.stadtwerke-musterstadt.local | Netzleitstelle | w"
        )
    );
    assert!(!kritis.contains("| srv-hist-01 |"), "excluded is done");

    let ex = section(&md, "Exceptions");
    let row = ex
        .lines()
        .find(|l| l.starts_with("| srv-hist-01 |"))
        .unwrap_or_else(|| panic!("{ex}"));
    assert_eq!(
        cells(row)[1..6],
        [
            "srv-hist-01",
            "SRV-HIST-01.stadtwerke-musterstadt.local",
            "Decommissioned in Q2 \\*for sure\\*",
            "CISO Müller",
            "2027-03-31",
        ]
    );
    assert!(section(&md, "Blocked").contains("| srv-git-01 | SRV-GIT-01"));
    assert!(section(&md, "Blocked").contains("| uninstall password unknown |"));
    assert!(section(&md, "Open alerts").contains("None."));
}

#[test]
fn markdown_in_names_is_escaped_and_tables_keep_their_columns() {
    let sb = Sandbox::new();
    let kes = r#"software = [ { name = "Kaspersky Endpoint Security for Windows", version = "12.4", publisher = "AO Kaspersky Lab" } ]"#;
    sb.write(
        "h.toml",
        format!(
            "[[asset]]\nid = \"ws-|pipe\"\nname = \"**bold** [x](y) <b> | # h\"\n\
             kind = \"workstation\"\nos = \"Windows 10 Enterprise 22H2\"\nsite = \"a|b\"\n\
             tags = [\"KRITIS\"]\n{kes}\n"
        ),
    );
    sb.ok(&["plan", "h.toml", "-o", "p.toml", "--name", "# _plan_"]);
    sb.ok(&[
        "set",
        "p.toml",
        "ws-|pipe",
        "--status",
        "excluded",
        "--reason",
        "`code` | ![img](z)",
        "--approver",
        "[me](x)",
        "--review",
        "2026-11-01",
    ]);
    let md = sb.ok(&["export", "p.toml", "--format", "md"]);
    assert!(
        md.starts_with("# Management report: \\# \\_plan\\_\n"),
        "{md}"
    );
    let ex = section(&md, "Exceptions");
    let row = ex.lines().find(|l| l.starts_with("| ws-")).unwrap();
    assert_eq!(
        cells(row),
        [
            "",
            "ws-\\|pipe",
            "\\*\\*bold\\*\\* \\[x\\]\\(y\\) \\<b\\> \\| \\# h",
            "\\`code\\` \\| \\!\\[img\\]\\(z\\)",
            "\\[me\\]\\(x\\)",
            "**2026-11-01 (overdue)**",
            "",
        ]
    );
    // Excluded is done: the KRITIS list is empty, so a planned twin must show up there.
    assert!(section(&md, "KRITIS").contains("None."));
    sb.ok(&[
        "set", "p.toml", "ws-|pipe", "--status", "planned", "--by", "tester",
    ]);
    let md = sb.ok(&["export", "p.toml", "--format", "md"]);
    let kritis = section(&md, "KRITIS");
    let row = kritis.lines().find(|l| l.starts_with("| ws-")).unwrap();
    assert_eq!(cells(row).len(), 8, "six columns: {row}");
    assert_eq!(cells(row)[3], "a\\|b");
}

/// The demo inventory as a later scan shows it: `id`'s Kaspersky lines gone, `add` (software
/// lines) added.
fn scan_without_kaspersky(demo: &str, id: &str, add: &str) -> String {
    let start = demo.find(&format!("id = \"{id}\"")).unwrap();
    let end = demo[start..]
        .find("[[asset]]")
        .map_or(demo.len(), |e| start + e);
    let block: String = demo[start..end]
        .lines()
        .filter(|l| !l.contains("Kaspersky"))
        .map(|l| format!("{l}\n"))
        .collect();
    let block = block.replacen("software = [\n", &format!("software = [\n{add}"), 1);
    assert!(block.contains("software = ["), "{id}");
    format!("{}{block}{}", &demo[..start], &demo[end..])
}

#[test]
fn the_unprotected_wording_follows_the_data() {
    let sb = Sandbox::new();
    sb.plan_demo("p.toml", BASE);
    let promise = "no machine is left unprotected";
    let md = sb.ok(&["export", "p.toml", "--format", "md"]);
    assert!(
        !md.to_lowercase().contains(promise),
        "OT hosts and assets without a product await a decision: {md}"
    );
    assert!(md.contains("27 awaiting a decision"), "{md}");
    // Every open decision recorded: now the promise holds.
    let plan = sb.read("p.toml");
    let undecided: Vec<String> = plan
        .split("\n\n")
        .filter(|b| b.starts_with("[[asset]]") && b.contains("\nneeds_decision = true"))
        .map(|b| {
            b.lines()
                .nth(1)
                .unwrap()
                .trim_start_matches("id = ")
                .trim_matches('"')
                .to_string()
        })
        .collect();
    assert_eq!(undecided.len(), 27);
    let mut args = vec!["set", "p.toml"];
    args.extend(undecided.iter().map(String::as_str));
    args.extend([
        "--decide",
        "isolate",
        "--reason",
        "segmented cell",
        "--approver",
        "CISO",
        "--review",
        "2027-06-30",
    ]);
    sb.ok(&args);
    let md = sb.ok(&["export", "p.toml", "--format", "md"]);
    assert!(md.to_lowercase().contains(promise), "{md}");
    assert!(section(&md, "Protection").contains("| unprotected | the scan lists no protection"));

    // srv-fs-02 (Windows Server) loses Kaspersky and shows nothing else.
    let demo = sb.read("stadtwerke.toml");
    sb.write("gap.toml", scan_without_kaspersky(&demo, "srv-fs-02", ""));
    sb.ok(&["reconcile", "p.toml", "gap.toml"]);
    let md = sb.ok(&["export", "p.toml", "--format", "md"]);
    let html = sb.ok(&["export", "p.toml", "--format", "html"]);
    for (format, text) in [("md", &md), ("html", &html)] {
        assert!(
            !text.to_lowercase().contains(promise),
            "{format} must not promise: {text}"
        );
        assert!(
            text.contains(
                "1 machine(s) are not known to stay protected: 1 unprotected, 0 \
                 unverified, 0 awaiting a decision"
            ),
            "{format}: {text}"
        );
    }
    let protection = section(&md, "Protection");
    assert!(
        protection.contains(
            "| **unprotected** | the scan lists no protection and nothing switches itself on | 1 |"
        ),
        "{protection}"
    );
    assert!(html.contains("<span class=\"protection-gap\">unprotected</span>"));

    // Proof arrives: Defender Antivirus is listed. The promise holds again, and the asset is
    // reported as migrated to another product than the planned one.
    sb.write(
        "fixed.toml",
        scan_without_kaspersky(
            &demo,
            "srv-fs-02",
            "  { name = \"Microsoft Defender Antivirus\" },\n",
        ),
    );
    sb.ok(&["reconcile", "p.toml", "fixed.toml"]);
    let md = sb.ok(&["export", "p.toml", "--format", "md"]);
    assert!(md.to_lowercase().contains(promise), "{md}");
    let protection = section(&md, "Protection");
    assert!(
        protection.contains("| srv-fs-02 | defender-av | mde | fixed.toml |"),
        "{protection}"
    );
}
