//! Inputs that must be refused (or warned about) with a message naming file, line and column.

use avmigrate::inventory::{ImportOptions, Loaded, load_paths, load_sources};

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
    match load_sources(sources(files), &ImportOptions::strict(strict)) {
        Ok(loaded) => panic!("expected an error, got {} assets", loaded.inventory.len()),
        Err(e) => e.to_string(),
    }
}

fn load(files: &[(&str, &[u8])]) -> Loaded {
    match load_sources(sources(files), &ImportOptions::default()) {
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
            match load_sources(sources, &ImportOptions::strict(strict)) {
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
}

/// Damaged Excel 97-2003 files found by fuzzing (docs/fuzzing.md): the workbook reader
/// panicked on a sector cut short, and followed a looping sector chain until memory ran out.
#[test]
fn damaged_xls_workbooks_found_by_fuzzing_are_refused_quickly() {
    let started = std::time::Instant::now();
    let short = include_bytes!("import_workbook_data/fuzz-cfb-short-sector.xls");
    let e = error(&[("short.xls", short)]);
    assert!(
        e.starts_with("short.xls: unreadable xls workbook: its structure is damaged"),
        "{e}"
    );
    let looped = include_bytes!("import_workbook_data/fuzz-cfb-loop.xls");
    assert_eq!(
        error(&[("loop.xls", looped)]),
        "loop.xls: unreadable xls workbook: its structure is damaged \
         (a chain of sectors loops back on itself)"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}
