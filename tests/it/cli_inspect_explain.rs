//! `avmigrate inspect` and `avmigrate analyze --explain`.

use crate::common;

use common::*;

#[test]
fn inspect_shows_encoding_separator_headers_format_and_columns() {
    let sb = Sandbox::new();
    let f = sb.write(
        "devices.csv",
        b"\xEF\xBB\xBFHostname;Betriebssystem;Standort\nws-1;Windows 11;Freiburg\n",
    );
    let s = &sb.ok(&["inspect", f.to_str().unwrap()]);
    assert!(s.contains("encoding   utf-8-bom"), "{s}");
    assert!(s.contains("shape      CSV, separator ;"), "{s}");
    assert!(
        s.contains("headers    Hostname | Betriebssystem | Standort"),
        "{s}"
    );
    assert!(s.contains("read as    csv:"), "{s}");
    assert!(s.contains("Betriebssystem"), "{s}");
    assert!(
        s.lines()
            .any(|l| l.contains("Hostname") && l.ends_with("→ id")),
        "{s}"
    );
    assert!(
        s.lines()
            .any(|l| l.contains("Standort") && l.ends_with("→ site")),
        "{s}"
    );
    assert!(s.contains("result     1 rows, 1 assets"), "{s}");
}

#[test]
fn inspect_explains_an_unreadable_file() {
    let sb = Sandbox::new();
    let f = sb.write("odd.csv", b"Colour;Weight\nred;12\n");
    let s = sb.ok(&["inspect", f.to_str().unwrap()]);
    assert!(s.contains("formats    none claim it"), "{s}");
    assert!(s.contains("not readable: "), "{s}");
    assert!(s.contains("--mapping"), "{s}");
}

#[test]
fn explain_names_the_file_and_line_behind_each_fact() {
    let sb = Sandbox::new();
    let a = sb.write("a.csv", "id,name,os,site\nws-1,WS-1,Windows 11,Freiburg\n");
    let b = sb.write(
        "b.csv",
        "hostname,fqdn,operating system\nWS-1,ws-1.corp.local,Windows 11 Enterprise 23H2\n",
    );
    let sw = sb.write(
        "sw.csv",
        "asset,name,version,publisher\nws-1,Kaspersky Endpoint Security for Windows,12.6,AO Kaspersky Lab\n",
    );
    let (a, b, sw) = (
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        sw.to_str().unwrap(),
    );
    let s = &sb.ok(&["analyze", a, b, sw, "--explain", "WS-1"]);
    let line = |field: &str| {
        s.lines()
            .find(|l| l.trim_start().starts_with(field))
            .unwrap_or_else(|| panic!("no {field} line in\n{s}"))
            .to_string()
    };
    assert!(
        line("os").contains("Windows 11 Enterprise 23H2") && line("os").ends_with("b.csv:2"),
        "{s}"
    );
    assert!(line("site").ends_with("a.csv:2"), "{s}");
    assert!(s.contains("(also \"Windows 11\""), "{s}");
    assert!(
        s.contains("✗ Kaspersky Endpoint Security for Windows 12.6"),
        "{s}"
    );
    assert!(
        s.lines()
            .any(|l| l.contains("Kaspersky Endpoint") && l.ends_with("sw.csv:2")),
        "{s}"
    );
    assert!(s.contains("rule kes"), "{s}");
    let v = sb.json(&["analyze", a, b, sw, "--explain", "ws-1", "--format", "json"]);
    assert_eq!(v["reliance"], "direct");
    assert!(
        v["software"][0]["at"]
            .as_str()
            .unwrap()
            .ends_with("sw.csv:2")
    );
    let err = sb.fails(2, &["analyze", a, "--explain", "nope"]);
    assert!(err.contains("--explain nope: no such asset"), "{err}");
}

#[test]
fn inspect_neutralises_control_characters_in_headers_and_json_keys() {
    let sb = Sandbox::new();
    let csv = sb.write(
        "evil.csv",
        b"hostname,os\x1b[2J,site\xE2\x80\xAE1m\nws-1,Windows 11,Freiburg\n",
    );
    let json = sb.write(
        "evil.json",
        br#"[{"hostname\u001b]0;owned\u0007": "ws-1", "name\u202e": "x"}]"#,
    );
    for f in [csv, json] {
        let s = sb.ok(&["inspect", f.to_str().unwrap()]);
        assert!(
            !s.chars()
                .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
            "{s:?}"
        );
        assert!(s.contains('\u{FFFD}'), "{s}");
    }
}

#[test]
fn inspect_names_the_forced_format_the_import_uses() {
    let sb = Sandbox::new();
    let f = sb.write("devices.csv", "hostname;os\nws-1;Windows 11\n");
    let f = f.to_str().unwrap();
    // The import trims the name (and ignores case); inspect must say so too.
    let s = sb.ok(&["inspect", "--input-format", " CSV ", f]);
    assert!(s.contains("read as    csv:"), "{s}");
    assert!(s.contains("result     1 rows, 1 assets"), "{s}");
    let s = sb.ok(&["inspect", "--input-format", "nonsense", f]);
    assert!(s.contains("read as    nothing"), "{s}");
    assert!(s.contains("unknown input format"), "{s}");
}

#[test]
fn inspect_shows_security_product_and_flagged_columns_as_software() {
    let sb = Sandbox::new();
    let f = sb.write(
        "inv.csv",
        "Hostname;AV-Produkt;AV-Version;Software2;RAM\nws-1;Kaspersky Endpoint Security;12.6;;16\nws-2;;;Kaspersky Security Center Network Agent;8\n",
    );
    let s = &sb.ok(&["inspect", f.to_str().unwrap()]);
    let role = |col: &str| column_line(s, col);
    assert!(
        role("AV-Produkt").ends_with("→ software (security product)"),
        "{s}"
    );
    assert!(
        role("AV-Version").ends_with("→ software version (security product)"),
        "{s}"
    );
    assert!(
        role("Software2").contains("→ software (names a flagged product"),
        "{s}"
    );
    assert!(role("RAM").contains("→ (not mapped"), "{s}");
    assert!(s.contains("column \"Software2\""), "{s}");
}

#[test]
fn inspect_shows_a_repeated_host_file_as_software_rows() {
    let sb = Sandbox::new();
    let f = sb.write(
        "per-software.csv",
        "Hostname,OS,Name,Version\nws-1,Windows 11,Kaspersky Endpoint Security for Windows,12.6\nws-1,Windows 11,7-Zip,24.08\n",
    );
    let s = &sb.ok(&["inspect", f.to_str().unwrap()]);
    let role = |col: &str| column_line(s, col);
    assert!(role("Hostname").contains("→ asset (repeated"), "{s}");
    assert!(role("Name").ends_with("→ software name"), "{s}");
    assert!(role("Version").ends_with("→ software version"), "{s}");
    assert!(role("OS").ends_with("→ os"), "{s}");
    assert!(s.contains("1 assets, 2 software entries"), "{s}");
}

/// The line of `inspect` output that describes column `col`.
fn column_line(inspect: &str, col: &str) -> String {
    inspect
        .lines()
        .find(|l| l.trim_start().starts_with(col))
        .unwrap_or_else(|| panic!("no {col}: {inspect}"))
        .to_string()
}
