//! Inputs that must be refused (or warned about) with a message naming file, line and column.

use crate::import_support;
use avmigrate::model::Named;

use avmigrate::inventory::{ImportOptions, Loaded, load_paths};
use import_support::load_checked;

fn sources(files: &[(&str, &[u8])]) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .map(|(label, bytes)| (label.to_string(), bytes.to_vec()))
        .collect()
}

fn error(files: &[(&str, &[u8])]) -> String {
    error_with(files, false)
}

fn error_with(files: &[(&str, &[u8])], strict: bool) -> String {
    match load_checked(sources(files), &ImportOptions::strict(strict)) {
        Ok(loaded) => panic!("expected an error, got {} assets", loaded.inventory.len()),
        Err(e) => e.to_string(),
    }
}

fn load(files: &[(&str, &[u8])]) -> Loaded {
    match load_checked(sources(files), &ImportOptions::default()) {
        Ok(loaded) => loaded,
        Err(e) => panic!("import failed: {e}"),
    }
}

#[test]
fn malformed_toml_names_line_and_column() {
    let text = b"[[asset]]\nid = \"a\"\n\n[[asset]]\nid = \"b\nos = \"x\"\n";
    let e = error(&[("inv.toml", text)]);
    assert!(e.starts_with("inv.toml:5:"), "{e}");
    let text = b"[[asset]]\nid = \"a\"\nos = Windows\n";
    assert_eq!(
        error(&[("inv.toml", text)]),
        "inv.toml:3:6: string values must be quoted, expected literal string"
    );
}

#[test]
fn unknown_keys_and_enum_values_in_toml_are_errors() {
    let text = b"[[asset]]\nid = \"a\"\nkind = \"toaster\"\n";
    assert_eq!(
        error(&[("inv.toml", text)]),
        "inv.toml:3:8: unknown kind \"toaster\" (expected workstation|laptop|server|vm|hypervisor|mail-gateway|firewall|proxy|storage|appliance|mobile|ot|application|service|other)"
    );
    let text = b"[[asset]]\nid = \"a\"\ncriticality = \"extreme\"\n";
    assert_eq!(
        error(&[("inv.toml", text)]),
        "inv.toml:3:15: unknown criticality \"extreme\" (expected low|medium|high|critical)"
    );
    let text = b"[[asset]]\nid = \"a\"\ndepends_on = [ { id = \"b\", kind = \"owns\" } ]\n";
    assert!(
        error(&[("inv.toml", text)]).starts_with("inv.toml:3:35: unknown relation kind \"owns\""),
    );
    let text = b"[[asset]]\nid = \"a\"\nwave = \"w1\"\n";
    let e = error(&[("plan.toml", text)]);
    assert!(e.starts_with("plan.toml:3:1: unknown field `wave`"), "{e}");
    let text = b"[[asset]]\nname = \"no id\"\n";
    assert_eq!(
        error(&[("inv.toml", text)]),
        "inv.toml:1:1: missing field `id`"
    );
    let text = b"[[asset]]\nid = \"  \"\n";
    assert_eq!(
        error(&[("inv.toml", text)]),
        "inv.toml:2:6: asset id is empty"
    );
    let text = b"[[asset]]\nid = \"a\"\nsoftware = [ { version = \"1\" } ]\n";
    assert!(error(&[("inv.toml", text)]).contains("missing field `name`"));
}

#[test]
fn duplicate_ids_in_one_file_name_both_lines() {
    let text =
        b"[[asset]]\nid = \"ws-1\"\n\n[[asset]]\nid = \"ws-2\"\n\n[[asset]]\nid = \"WS-1\"\n";
    assert_eq!(
        error(&[("inv.toml", text)]),
        "inv.toml:8:6: duplicate asset id \"WS-1\" (first defined at inv.toml:1)"
    );
    let csv = b"hostname,os\nws-1,Windows 11\nws-2,Windows 11\nWS-1,Windows 10\n";
    assert_eq!(
        error(&[("inv.csv", csv)]),
        "inv.csv:4: duplicate asset id \"WS-1\" (first defined at inv.csv:2)"
    );
}

#[test]
fn inline_assets_and_asset_tables_cannot_mix() {
    let text = b"asset = [ { id = \"a\" } ]\n\n[[asset]]\nid = \"b\"\n";
    let e = error(&[("inv.toml", text)]);
    assert!(e.starts_with("inv.toml:3:1: "), "{e}");
}

#[test]
fn empty_binary_and_undecodable_files() {
    assert_eq!(error(&[("e.csv", b"")]), "e.csv: file is empty");
    assert_eq!(error(&[("e.csv", b"\r\n  \n")]), "e.csv: file is empty");
    assert_eq!(
        error(&[("x.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")]),
        "x.csv: binary file, not an inventory"
    );
    assert_eq!(
        error(&[("b.csv", b"\xEF\xBB\xBFid,os\nws-1,Windows\nws-\xE4,x\n")]),
        "b.csv:3:4: invalid UTF-8 byte 0xE4 in a file that starts with a UTF-8 byte-order mark"
    );
}

#[test]
fn missing_files_and_directories() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope.csv");
    let e = load_paths(&[&missing], &ImportOptions::default()).expect_err("missing");
    assert_eq!(
        e.to_string(),
        format!("{}: file not found", missing.display())
    );
    let e = load_paths(&[dir.path()], &ImportOptions::default()).expect_err("directory");
    assert_eq!(
        e.to_string(),
        format!(
            "{}: is a directory, not an inventory file",
            dir.path().display()
        )
    );
    let good = dir.path().join("inv.csv");
    std::fs::write(&good, "id\nws-1\n").expect("write");
    let loaded = load_paths(&[&good], &ImportOptions::default()).expect("loads");
    assert_eq!(loaded.files[0].path, good.display().to_string());
    assert_eq!(loaded.inventory.assets()[0].id, "ws-1");
}

#[test]
fn ragged_rows_are_skipped_with_a_warning_or_refused_when_strict() {
    let csv = b"id,os,site\nws-1,Windows 11,Freiburg\nws-2,Windows 11\nws-3,Windows 10,Kehl,extra\nws-4,Linux,Kehl\n";
    let loaded = load(&[("r.csv", csv)]);
    let ids: Vec<_> = loaded
        .inventory
        .assets()
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(ids, ["ws-1", "ws-4"]);
    assert_eq!(loaded.files[0].skipped.get("ragged row"), Some(&2));
    assert_eq!(loaded.files[0].rows, 4);
    let warnings: Vec<_> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "r.csv:3: row has 2 fields, the header has 3; row skipped",
            "r.csv:4: row has 4 fields, the header has 3; row skipped",
        ]
    );
    assert_eq!(
        error_with(&[("r.csv", csv)], true),
        "r.csv:3: row has 2 fields, the header has 3; row skipped"
    );
}

#[test]
fn strict_turns_cell_and_merge_warnings_into_errors() {
    let csv = b"id,kind\nws-1,toaster\n";
    assert_eq!(
        error_with(&[("k.csv", csv)], true),
        "k.csv:2:6: unknown kind \"toaster\" (expected workstation|laptop|server|vm|hypervisor|mail-gateway|firewall|proxy|storage|appliance|mobile|ot|application|service|other); using other"
    );
    let a = b"id,site\nws-1,Freiburg\n";
    let b = b"id,site\nws-1,Kehl\n";
    assert_eq!(
        error_with(&[("a.csv", a), ("b.csv", b)], true),
        "b.csv:2: asset \"ws-1\": site \"Kehl\" conflicts with \"Freiburg\" from a.csv:2; keeping \"Freiburg\""
    );
}

#[test]
fn csv_with_unknown_headers_lists_found_and_expected_columns() {
    let e = error(&[("ram.csv", b"\n\nRAM (GB);CPU\n16;4\n")]);
    assert!(
        e.starts_with(
            "ram.csv:3: cannot tell what this CSV holds: found columns \"RAM (GB)\", \"CPU\"; \
             expected an asset id column (id, hostname, computer name, device name, Gerätename, \
             name …), or software columns (asset, name, version, publisher), or relation columns \
             (from, to, kind); tried the formats native, "
        ),
        "{e}"
    );
    assert!(e.contains(", csv; run `avmigrate inspect ram.csv`"), "{e}");
    assert!(e.ends_with("describe its columns with --mapping"), "{e}");
}

#[test]
fn the_first_bad_file_stops_the_import() {
    let good = b"id\nws-1\n";
    let e = error(&[("good.csv", good), ("bad.toml", b"[[asset]\n")]);
    assert!(e.starts_with("bad.toml:1:"), "{e}");
}

#[test]
fn header_only_files_are_an_error() {
    // A file that yields nothing is never an empty success (it would look like a clean estate).
    let e = error(&[("h.csv", b"id,os\r\n")]);
    assert_eq!(
        e,
        "h.csv: file holds no usable rows: no data rows below the header"
    );
    let e = error(&[("good.csv", b"id\nws-1\n"), ("h.csv", b"id,os\r\n")]);
    assert!(e.starts_with("h.csv: file holds no usable rows"), "{e}");
}

#[test]
fn a_file_whose_only_row_has_an_unclosed_quote_is_an_error() {
    let e = error(&[("q.csv", b"id;os;site\r\n\"ws-1;Windows 11;Freiburg\r\n")]);
    assert!(e.starts_with("q.csv: file holds no usable rows"), "{e}");
    assert!(e.contains("all 1 data rows were skipped"), "{e}");
    assert!(e.contains("an unclosed quote?"), "{e}");
}

#[test]
fn a_file_whose_rows_were_all_skipped_is_an_error() {
    let bytes = b"\xEF\xBB\xBFHostname;Betriebssystem\r\n;Windows 11\r\n;Windows 10\r\n\r\n";
    let e = error(&[("s.csv", bytes)]);
    assert!(
        e.starts_with(
            "s.csv: file holds no usable rows: all 2 data rows were skipped (missing id: 2)"
        ),
        "{e}"
    );
    assert!(
        e.contains("first problem: s.csv:2: row has no asset id"),
        "{e}"
    );
    let e = error(&[("blank.csv", b"id,os\n,\n\n")]);
    assert!(e.starts_with("blank.csv: file holds no usable rows"), "{e}");
}

#[test]
fn the_earliest_problem_in_the_file_is_reported() {
    // The index is built on another thread; whichever problem comes first in the file wins.
    let dup_first = b"id,os\nws-1,a\nWS-1,b\nws-2,c\nws-3\n";
    assert_eq!(
        error_with(&[("d.csv", dup_first)], true),
        "d.csv:3: duplicate asset id \"WS-1\" (first defined at d.csv:2)"
    );
    let ragged_first = b"id,os\nws-1,a\nws-2\nWS-1,b\n";
    assert_eq!(
        error_with(&[("r.csv", ragged_first)], true),
        "r.csv:3: row has 1 field, the header has 2; row skipped"
    );
    let toml = b"[[asset]]\nid = \"a\"\n[[asset]]\nid = \"A\"\n[[asset]]\nid = \"b\"\nkind = \"toaster\"\n";
    assert_eq!(
        error(&[("t.toml", toml)]),
        "t.toml:4:6: duplicate asset id \"A\" (first defined at t.toml:1)"
    );
}

#[test]
fn duplicates_far_apart_are_found_across_batches() {
    let mut csv = String::from("id\n");
    for i in 0..3000 {
        csv.push_str(&format!("ws-{i}\n"));
    }
    csv.push_str("WS-7\n");
    assert_eq!(
        error(&[("big.csv", csv.as_bytes())]),
        "big.csv:3002: duplicate asset id \"WS-7\" (first defined at big.csv:9)"
    );
}

#[test]
fn unknown_json_is_refused_naming_the_formats_tried() {
    let e = error(&[(
        "odd.json",
        b"[\n  {\"colour\":\"red\",\"weight\":\"12\"}\n]\n",
    )]);
    assert!(
        e.starts_with("odd.json: unrecognised file: JSON (an array) with keys that fit no known export; tried the formats native,"),
        "{e}"
    );
    assert!(e.contains("avmigrate inspect odd.json"), "{e}");
    assert!(e.contains("--mapping"), "{e}");
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    /// Text made of the pieces that make CSV and TOML parsers and decoders work hard.
    fn nasty() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            Just(b"id,os,kind,depends_on,software\n".to_vec()),
            Just(b"asset;name;version\r\n".to_vec()),
            Just(b"from\tto\tkind\r\r\n".to_vec()),
            Just(b"[[asset]]\nid = \"a\"\n".to_vec()),
            Just(b"kind = \"x\"\n".to_vec()),
            Just(b"depends_on = [ { id = \"\" } ]\n".to_vec()),
            Just(b"\"\"\"".to_vec()),
            Just(b"\"".to_vec()),
            Just(b",,;|\t".to_vec()),
            Just(b"\xEF\xBB\xBF".to_vec()),
            Just(b"\xFF\xFE".to_vec()),
            Just(b"#TYPE x\n".to_vec()),
            Just(b"a@b|c:d:e\n".to_vec()),
            Just("ü€😀\u{202E}".as_bytes().to_vec()),
            prop::collection::vec(any::<u8>(), 0..8),
        ];
        prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn any_input_gives_a_result_or_an_error(a in nasty(), b in nasty(), strict in any::<bool>()) {
            let sources = vec![("a".to_string(), a), ("b".to_string(), b)];
            match load_checked(sources, &ImportOptions::strict(strict)) {
                Ok(loaded) => prop_assert_eq!(loaded.files.len(), 2),
                Err(e) => prop_assert!(!e.to_string().contains('\n'), "one line: {}", e),
            }
        }
    }
}

#[test]
fn every_csv_format_reads_a_flagged_product_in_an_unmapped_column() {
    let kes = "Kaspersky Endpoint Security 12.6";
    let cases: &[(&str, String)] = &[
        (
            "csv-software",
            format!("asset,name,version,Bemerkung\nws-1,7-Zip,24.08,{kes}\n"),
        ),
        (
            "csv-relations",
            format!("from,to,kind,Bemerkung\nws-1,ksc,managed-by,{kes}\n"),
        ),
        (
            "ksc-devices",
            format!(
                "Name\tOperating system type\tNetwork Agent is installed\tReal-time protection\tBemerkung\nws-1\tWindows\tYes\tRunning\t{kes}\n"
            ),
        ),
        (
            "servicenow-ci",
            format!(
                "\"name\",\"sys_class_name\",\"os\",\"sys_updated_on\",\"comments\"\n\"ws-1\",\"Computer\",\"Windows 11\",\"2025-03-10\",\"{kes}\"\n"
            ),
        ),
        (
            "glpi",
            format!(
                "\"Name\";\"Operating system - Name\";\"Software - Name\";\"Comments\";\nws-1;Windows 11;7-Zip;{kes};\n"
            ),
        ),
        (
            "lansweeper",
            format!(
                "AssetName,Domain,OS,Software,Version,Publisher,Bemerkung\nws-1,corp,Win 11,7-Zip,24.08,Igor Pavlov,{kes}\n"
            ),
        ),
        (
            "netbox-devices",
            format!(
                "Name,Status,Tenant,Site,Location,Rack,Role,Manufacturer,Type,IP Address,Platform,Tags,Comments\nws-1,Active,MM,Freiburg,RZ,R01,Server,Dell,R750,10.0.0.1/24,Windows Server 2022,,{kes}\n"
            ),
        ),
        (
            "defender-deviceinfo",
            format!(
                "Timestamp,DeviceId,DeviceName,OSPlatform,OnboardingStatus,Bemerkung\n2025-03-10T08:01:12Z,abc,ws-1,Windows11,Onboarded,{kes}\n"
            ),
        ),
        (
            "csv-assets",
            format!("hostname,os,Bemerkung\nws-1,Windows 11,{kes}\n"),
        ),
        (
            "csv-software",
            format!(
                "Hostname,OS,Name,Version,Bemerkung\nws-1,Windows 11,7-Zip,24.08,{kes}\nws-1,Windows 11,Notepad++,8.6,\n"
            ),
        ),
        (
            "defender-tvm",
            format!(
                "DeviceId,DeviceName,OSPlatform,OSVersion,OSArchitecture,SoftwareVendor,SoftwareName,SoftwareVersion,EndOfSupportStatus,EndOfSupportDate,ProductCodeCpe,Bemerkung\nabc,ws-1,Windows11,10.0,x64,7-zip,7-zip,24.08,,,,{kes}\n"
            ),
        ),
        (
            "snipeit",
            format!(
                "ID,Company,Asset Name,Asset Tag,Model,Category,Manufacturer,Serial,Location,Checked Out To,Status,Notes,Bemerkung\n12,MM,ws-1,MMB-1,P360,Desktops,Lenovo,MJ0,Freiburg,Markus,Deployed,,{kes}\n"
            ),
        ),
        (
            "intune-appinv-raw",
            format!(
                "\"ApplicationKey\",\"ApplicationName\",\"ApplicationPublisher\",\"ApplicationShortVersion\",\"ApplicationVersion\",\"DeviceId\",\"DeviceName\",\"OSDescription\",\"OSVersion\",\"Platform\",\"UserId\",\"EmailAddress\",\"UserName\",\"Bemerkung\"\r\n\"k1\",\"7-Zip\",\"Igor Pavlov\",\"24.08\",\"24.08\",\"d1\",\"ws-1\",\"Windows 11 Pro\",\"10.0.22631\",\"Windows\",\"u1\",\"a@b.de\",\"A B\",\"{kes}\"\r\n"
            ),
        ),
        (
            "intune-devices",
            format!(
                "Device ID,Device name,Enrollment date,Last check-in,Azure AD Device ID,OS version,Serial number,Manufacturer,Model,Category,Primary user UPN,Primary user display name,Compliance,Managed by,Ownership,OS,OS_loc,JoinType,Bemerkung\r\nd1,ws-1,2024-01-15 09:12:00,2025-03-10 06:58:12,a1,10.0.22631,S1,Lenovo,T14,,a@b.de,A B,Compliant,Intune,Corporate,Windows,Windows,Azure AD joined,{kes}\r\n"
            ),
        ),
        (
            "configmgr-software",
            format!(
                "#TYPE Selected.System.Data.DataRow\r\n\"Name0\",\"ResourceID\",\"ARPDisplayName0\",\"ProductName0\",\"ProductVersion0\",\"Publisher0\",\"InstallDate0\",\"InstalledLocation0\",\"SoftwareCode0\",\"TimeStamp\",\"Bemerkung\"\r\n\"ws-1\",\"1677\",\"7-Zip\",\"7-Zip\",\"24.08\",\"Igor Pavlov\",\"\",\"\",\"\",\"10.03.2025 05:12:44\",\"{kes}\"\r\n"
            ),
        ),
        (
            "configmgr-systems",
            format!(
                "#TYPE System.Data.DataRow\r\n\"ResourceID\",\"Name0\",\"Netbios_Name0\",\"Resource_Domain_OR_Workgr0\",\"Operating_System_Name_and0\",\"Build01\",\"Client0\",\"Bemerkung\"\r\n\"1677\",\"ws-1\",\"ws-1\",\"MM\",\"Microsoft Windows NT Workstation 10.0\",\"10.0.22631\",\"1\",\"{kes}\"\r\n"
            ),
        ),
        (
            "ocs-computers",
            format!(
                "TAG;Last inventory;Computer;Connected user;Operating system;RAM (MB);CPU (MHz);Bemerkung;\r\n\"FREIBURG\";\"2025-03-10 07:12:03\";\"ws-1\";\"mm\";\"Microsoft Windows 11 Pro\";\"32768\";\"3600\";\"{kes}\";"
            ),
        ),
        (
            "ocs-software",
            format!(
                "TAG;Software;Computer;Connected user;Description;Inventory;Bemerkung\r\nFREIBURG;7-Zip;ws-1;mm;;2025-03-10 07:12:03;{kes};\r\n"
            ),
        ),
        (
            "netbox-vms",
            format!(
                "Name|Status|Site|Cluster|Device|Role|Platform|VCPUs|Memory|Disk|Tags|Bemerkung\r\nws-1|Active|Freiburg|FR-Cluster|||Windows Server 2019|4|16 GB|200 GB||{kes}\r\n"
            ),
        ),
        (
            "servicenow-software",
            format!(
                "\"installed_on\",\"display_name\",\"version\",\"publisher\",\"install_date\",\"comments\"\r\n\"ws-1\",\"7-Zip\",\"24.08\",\"Igor Pavlov\",\"\",\"{kes}\"\r\n"
            ),
        ),
    ];
    for (format, text) in cases {
        let loaded = load(&[("f.csv", text.as_bytes())]);
        assert_eq!(loaded.files[0].format, *format, "{text}");
        let w: Vec<String> = loaded.warnings.iter().map(|w| w.message.clone()).collect();
        assert!(
            w.iter()
                .any(|m| m.contains("is not an inventory column") && m.contains(kes)),
            "{format}: {w:?}"
        );
        let ws = loaded.inventory.resolve("ws-1").expect("ws-1");
        let names: Vec<&str> = loaded.inventory.assets()[ws]
            .software
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        assert!(names.contains(&kes), "{format}: {names:?}");
        let strict = error_with(&[("f.csv", text.as_bytes())], true);
        assert!(
            strict.contains("is not an inventory column"),
            "{format}: {strict}"
        );
    }

    // A mapping file: the columns it does not name are watched the same way.
    let map = "[columns]\nid = \"Rechner\"\nos = \"System\"\n";
    let map = avmigrate::inventory::mapping::Mapping::parse(map, "map.toml").expect("mapping");
    let text = format!("Rechner;System;Bemerkung\nws-1;Windows 11;{kes}\n");
    for strict in [false, true] {
        let opts = ImportOptions {
            mapping: Some(std::sync::Arc::new(map.clone())),
            ..ImportOptions::strict(strict)
        };
        let read = load_checked(sources(&[("f.csv", text.as_bytes())]), &opts);
        match (strict, read) {
            (false, Ok(loaded)) => {
                assert_eq!(loaded.files[0].format, "mapping");
                assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
                assert!(loaded.warnings[0].message.contains("column \"Bemerkung\""));
                let ws = loaded.inventory.resolve("ws-1").expect("ws-1");
                let sw = &loaded.inventory.assets()[ws].software;
                assert!(sw.iter().any(|s| s.name == kes), "{sw:?}");
            }
            (true, Err(e)) => assert!(e.to_string().contains("is not an inventory column")),
            (strict, other) => panic!("mapping, strict {strict}: {:?}", other.map(|l| l.warnings)),
        }
    }
}

/// The roles the analysis gives each asset of `text` (a CSV), by id.
fn roles_of(text: &str) -> (Vec<(String, Vec<&'static str>)>, Vec<String>) {
    use avmigrate::analysis::Analysis;
    use avmigrate::rules::RuleSet;
    let loaded = load(&[("f.csv", text.as_bytes())]);
    let rules = RuleSet::builtin();
    let analysis = Analysis::run(&loaded.inventory, &rules);
    let roles = (loaded.inventory.assets().iter().enumerate())
        .map(|(i, a)| {
            let roles = analysis.findings[i]
                .iter()
                .map(|f| f.role.as_str())
                .collect();
            (a.id.to_string(), roles)
        })
        .collect();
    let warnings = loaded.warnings.iter().map(|w| w.message.clone()).collect();
    (roles, warnings)
}

#[test]
fn every_product_family_in_an_unmapped_column_gets_its_role() {
    let families = [
        (
            "Kaspersky Security for Microsoft Exchange Servers 9.0",
            "mail",
        ),
        ("Kaspersky Security for Linux Mail Server 8.0", "mail"),
        ("Kaspersky Secure Mail Gateway 2.0", "mail"),
        ("Kaspersky Security for Internet Gateway 6.0", "gateway"),
        ("Kaspersky Security for Storage 3.0", "storage"),
        ("Kaspersky Anti Targeted Attack Platform 6.0", "edr-server"),
        (
            "Kaspersky Endpoint Detection and Response Expert",
            "edr-server",
        ),
        (
            "Kaspersky Unified Monitoring and Analysis Platform 3.2",
            "siem",
        ),
        ("Kaspersky Thin Client 2.0", "kasperskyos-device"),
        ("kavremover", "leftover"),
    ];
    let mut text = String::from("hostname,os,Bemerkung\n");
    for (n, (product, _)) in families.iter().enumerate() {
        text.push_str(&format!("h{n},Windows Server 2019,{product}\n"));
    }
    text.push_str("kos,KasperskyOS 2.0,\n");
    let (roles, warnings) = roles_of(&text);
    for (n, (product, role)) in families.iter().enumerate() {
        assert_eq!(roles[n].1, [*role], "{product}");
        assert!(
            warnings.iter().any(|w| w.contains(product)),
            "{product}: {warnings:?}"
        );
    }
    assert_eq!(
        roles[families.len()],
        ("kos".to_string(), vec!["kasperskyos-device"])
    );
}

#[test]
fn look_alikes_in_csv_columns_are_not_flagged() {
    // A bare "kics" without a publisher stays flagged (Kaspersky's package name): only the
    // publisher tells Checkmarx's scanner apart.
    let look_alikes = ["kics by Checkmarx", "Kesko", "KaVo Dental", "KSC Pro"];
    // In a column the importer does not map: no warning, no software.
    let mut text = String::from("hostname,os,Bemerkung\n");
    for (n, name) in look_alikes.iter().enumerate() {
        text.push_str(&format!("h{n},Windows 11,{name}\n"));
    }
    let (roles, warnings) = roles_of(&text);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(roles.iter().all(|(_, r)| r.is_empty()), "{roles:?}");
    // As software rows with their publishers.
    let text = "asset,name,version,publisher\n\
                h1,kics,1.7.13,Checkmarx\n\
                h2,Kesko Ruoka,2.1,Kesko Oyj\n\
                h3,KaVo Dental CONNECTbase,3.0,KaVo Dental GmbH\n\
                h4,KSC Pro,5.2,KSC Software\n";
    let (roles, warnings) = roles_of(text);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(roles.len(), 4);
    assert!(roles.iter().all(|(_, r)| r.is_empty()), "{roles:?}");
}

#[test]
fn json_machine_objects_read_a_flagged_product_in_a_key_they_do_not_read() {
    let kes = "Kaspersky Endpoint Security 12.6";
    let cases = [
        (
            "defender-api-machines",
            format!(
                "{{\"value\":[{{\"id\":\"1f2e3d4c5b6a\",\"computerDnsName\":\"ws-1\",\"osPlatform\":\"Windows11\",\"version\":\"23H2\",\"onboardingStatus\":\"Onboarded\",\"notes\":\"{kes}\",\"path\":\"C:/Program Files/Kaspersky Lab\"}}]}}"
            ),
        ),
        (
            "ksc-openapi",
            format!(
                "[{{\"KLHST_WKS_DN\":\"ws-1\",\"KLHST_WKS_OS_NAME\":\"Windows 11\",\"KLHST_WKS_COMMENT\":\"{kes}\"}}]"
            ),
        ),
    ];
    for (format, text) in cases {
        let loaded = load(&[("f.json", text.as_bytes())]);
        assert_eq!(loaded.files[0].format, format, "{text}");
        let w: Vec<&str> = (loaded.warnings.iter().map(|w| w.message.as_str()))
            .filter(|m| m.starts_with("key "))
            .collect();
        assert_eq!(
            w.len(),
            1,
            "{format}: one warning, the path is no product: {w:?}"
        );
        assert!(
            w[0].contains("is not read by this format") && w[0].contains(kes),
            "{w:?}"
        );
        let ws = loaded.inventory.resolve("ws-1").expect("ws-1");
        let sw = &loaded.inventory.assets()[ws].software;
        assert!(sw.iter().any(|s| s.name == kes), "{format}: {sw:?}");
        let strict = error_with(&[("f.json", text.as_bytes())], true);
        assert!(strict.contains("is not read by this format"), "{strict}");
    }
}

/// Damaged Excel 97-2003 files found by fuzzing (docs/fuzzing.md): the workbook reader
/// panicked on a sector cut short, and followed a looping sector chain until memory ran out.
#[test]
fn damaged_xls_workbooks_found_by_fuzzing_are_refused_quickly() {
    let started = std::time::Instant::now();
    let short = include_bytes!("../import_workbook_data/fuzz-cfb-short-sector.xls");
    let e = error(&[("short.xls", short)]);
    assert!(
        e.starts_with("short.xls: unreadable xls workbook: its structure is damaged"),
        "{e}"
    );
    let looped = include_bytes!("../import_workbook_data/fuzz-cfb-loop.xls");
    assert_eq!(
        error(&[("loop.xls", looped)]),
        "loop.xls: unreadable xls workbook: its structure is damaged \
         (a chain of sectors loops back on itself)"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}
