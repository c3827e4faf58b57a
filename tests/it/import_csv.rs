//! Generic CSV import: encodings, separators, quoting, quirks of real exports, merging.

use crate::import_support;

use avmigrate::inventory::{ImportOptions, Loaded};
use avmigrate::model::{AssetKind, Criticality, RelationKind, Software};
use import_support::*;

fn load(files: &[(&str, &[u8])]) -> Loaded {
    let sources = files
        .iter()
        .map(|(label, bytes)| (label.to_string(), bytes.to_vec()))
        .collect();
    match load_checked(sources, &ImportOptions::default()) {
        Ok(loaded) => loaded,
        Err(e) => panic!("import failed: {e}"),
    }
}

fn sw(name: &str, version: Option<&str>, publisher: Option<&str>) -> Software {
    Software {
        name: name.into(),
        version: version.map(Into::into),
        publisher: publisher.map(Into::into),
    }
}

fn utf16(text: &str, little_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = if bom { "\u{feff}" } else { "" }
        .encode_utf16()
        .chain(text.encode_utf16());
    for u in units {
        out.extend(if little_endian {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    out
}

#[test]
fn utf8_bom_with_every_list_cell() {
    let bytes = b"\xEF\xBB\xBFhostname,name,os,site,owner,criticality,kind,tags,software,depends_on\r\n\
ws-01,ws-01.mueller-mb.local,Windows 11 Pro,Freiburg,Konstruktion,high,,pilot|kritis,Kaspersky Endpoint Security for Windows@12.6.0.438|Office 2021,ksc-01:managed-by|upd-01\r\n\
ksc-01,,Windows Server 2019 Standard,Freiburg,IT,critical,server,,Kaspersky Security Center 14.2 Administration Server@14.2.0.26967,\r\n";
    let loaded = load(&[("inv.csv", bytes)]);
    let f = &loaded.files[0];
    assert_eq!(
        (f.format, f.encoding, f.separator),
        ("csv-assets", "utf-8-bom", Some(','))
    );
    assert_eq!((f.rows, f.assets, f.software, f.relations), (2, 2, 3, 2));
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));

    let ws = asset(&loaded, "ws-01");
    assert_eq!(ws.name.as_deref(), Some("ws-01.mueller-mb.local"));
    assert_eq!(ws.os.raw, "Windows 11 Pro");
    assert_eq!(ws.kind, AssetKind::Workstation, "inferred from the OS");
    assert_eq!(ws.site().map(|t| t.as_str()), Some("Freiburg"));
    assert_eq!(ws.owner().map(|t| t.as_str()), Some("Konstruktion"));
    assert_eq!(ws.criticality, Criticality::High);
    assert_eq!(
        ws.tags().map(|t| t.as_str()).collect::<Vec<_>>(),
        ["pilot", "kritis"]
    );
    assert_eq!(
        ws.software,
        [
            sw(
                "Kaspersky Endpoint Security for Windows",
                Some("12.6.0.438"),
                None
            ),
            sw("Office 2021", None, None),
        ]
    );
    let deps: Vec<_> = ws
        .depends_on
        .iter()
        .map(|r| {
            (
                r.target.as_str(),
                r.kind,
                r.origin.as_ref().map(ToString::to_string),
            )
        })
        .collect();
    assert_eq!(
        deps,
        [
            (
                "ksc-01",
                RelationKind::ManagedBy,
                Some("inv.csv:2".to_string())
            ),
            ("upd-01", RelationKind::Uses, Some("inv.csv:2".to_string())),
        ]
    );
    assert_eq!(origin(ws), "inv.csv:2");

    let ksc = asset(&loaded, "KSC-01");
    assert_eq!(
        (ksc.kind, ksc.criticality),
        (AssetKind::Server, Criticality::Critical)
    );
    assert_eq!(ksc.name, None);
    assert_eq!(origin(ksc), "inv.csv:3");
}

#[test]
fn utf16le_bom_tab_separated_excel_unicode_text() {
    let text = "Computer Name\tOperating System\tDepartment\r\n\
FR-WS-0142\tWindows 10 Enterprise 22H2\tKonstruktion Müller\r\n\
OG-LX-01\tUbuntu 22.04.4 LTS\tIT\r\n";
    let loaded = load(&[("export.txt", &utf16(text, true, true))]);
    let f = &loaded.files[0];
    assert_eq!(
        (f.encoding, f.separator, f.assets),
        ("utf-16le", Some('\t'), 2)
    );
    let ws = asset(&loaded, "fr-ws-0142");
    assert_eq!(ws.owner().map(|t| t.as_str()), Some("Konstruktion Müller"));
    assert_eq!(ws.os.version.as_deref(), Some("10"));
    assert_eq!(asset(&loaded, "OG-LX-01").kind, AssetKind::Server);
    assert_eq!(origin(asset(&loaded, "OG-LX-01")), "export.txt:3");
}

#[test]
fn utf16be_bom_and_bomless_utf16le() {
    let text = "hostname;os\nws-ä1;Windows 11\n";
    let be = load(&[("be.csv", &utf16(text, false, true))]);
    assert_eq!(
        (be.files[0].encoding, be.files[0].separator),
        ("utf-16be", Some(';'))
    );
    assert_eq!(ids(&be), ["ws-ä1"]);
    let le = load(&[("le.csv", &utf16(text, true, false))]);
    assert_eq!(le.files[0].encoding, "utf-16le");
    assert_eq!(asset(&le, "WS-Ä1").os.raw, "Windows 11");
}

#[test]
fn windows_1252_german_excel_export() {
    let bytes = b"Ger\xe4tename;Betriebssystem;Standort;Abteilung;Kritikalit\xe4t;Typ\r\n\
FR-SRV-KSC01;Windows Server 2019 Standard;Freiburg;IT-Betrieb;hoch;Server\r\n\
OG-NB-007;Windows 11 Pro;Offenburg;Vertrieb M\xfcller;niedrig;Notebook\r\n\
OG-SPS-01;;Stra\xdfburg;Produktion;sehr hoch;SPS\r\n";
    let loaded = load(&[("geraete.csv", bytes)]);
    let f = &loaded.files[0];
    assert_eq!(
        (f.encoding, f.separator, f.assets),
        ("windows-1252", Some(';'), 3)
    );
    let ksc = asset(&loaded, "FR-SRV-KSC01");
    assert_eq!(
        (
            ksc.kind,
            ksc.criticality,
            ksc.site().map(|t| t.as_str()),
            ksc.owner().map(|t| t.as_str())
        ),
        (
            AssetKind::Server,
            Criticality::High,
            Some("Freiburg"),
            Some("IT-Betrieb")
        )
    );
    let nb = asset(&loaded, "OG-NB-007");
    assert_eq!(
        (nb.kind, nb.criticality),
        (AssetKind::Laptop, Criticality::Low)
    );
    assert_eq!(nb.owner().map(|t| t.as_str()), Some("Vertrieb Müller"));
    let sps = asset(&loaded, "OG-SPS-01");
    assert_eq!(
        (sps.kind, sps.criticality),
        (AssetKind::Ot, Criticality::Critical)
    );
    assert_eq!(sps.site().map(|t| t.as_str()), Some("Straßburg"));
    assert_eq!(origin(sps), "geraete.csv:4");
}

#[test]
fn pipe_and_tab_separators() {
    let pipe =
        b"hostname|os|software\nlx-01|Ubuntu 22.04|\"kesl@12.3.0-1162|klnagent64@15.1.0-20748\"\n";
    let loaded = load(&[("osquery.csv", pipe)]);
    assert_eq!(loaded.files[0].separator, Some('|'));
    assert_eq!(
        asset(&loaded, "lx-01").software,
        [
            sw("kesl", Some("12.3.0-1162"), None),
            sw("klnagent64", Some("15.1.0-20748"), None),
        ]
    );
    let tab = b"id\tname\tos\nws-1\tWS 1\tmacOS 14.5\n";
    let loaded = load(&[("tab.csv", tab)]);
    assert_eq!(loaded.files[0].separator, Some('\t'));
    assert_eq!(asset(&loaded, "ws-1").name.as_deref(), Some("WS 1"));
    assert_eq!(asset(&loaded, "ws-1").kind, AssetKind::Workstation);
}

#[test]
fn quoted_newlines_and_doubled_quotes_keep_line_numbers() {
    let bytes = b"id,name,owner\nws-1,\"first\nsecond\",\"Team \"\"A\"\"\"\nws-2,b,c\n";
    let loaded = load(&[("q.csv", bytes)]);
    let ws1 = asset(&loaded, "ws-1");
    assert_eq!(
        ws1.name.as_deref(),
        Some("first second"),
        "newline neutralised"
    );
    assert_eq!(ws1.owner().map(|t| t.as_str()), Some("Team \"A\""));
    assert_eq!(origin(ws1), "q.csv:2");
    assert_eq!(origin(asset(&loaded, "ws-2")), "q.csv:4");
}

#[test]
fn wmic_crcrlf_blank_lines_and_powershell_type_line() {
    let wmic = b"\r\r\n\r\r\nNode,Name,Caption\r\r\nWS-01,WS-01,Microsoft Windows 10 Pro\r\r\nWS-02,WS-02,Microsoft Windows 11 Pro\r\r\n";
    let loaded = load(&[("wmic.csv", wmic)]);
    assert_eq!(ids(&loaded), ["WS-01", "WS-02"]);
    assert_eq!(origin(asset(&loaded, "WS-02")), "wmic.csv:5");

    let ps = b"#TYPE Selected.System.Management.Automation.PSCustomObject\r\n\"ComputerName\",\"OperatingSystem\"\r\n\"FR-WS-0142\",\"Windows 11 Pro\"\r\n";
    let loaded = load(&[("ps.csv", ps)]);
    assert_eq!(ids(&loaded), ["FR-WS-0142"]);
    assert_eq!(origin(asset(&loaded, "FR-WS-0142")), "ps.csv:3");
    assert_eq!(asset(&loaded, "FR-WS-0142").os.raw, "Windows 11 Pro");
}

#[test]
fn trailing_separators_and_padding_rows() {
    let bytes = b"Hostname;Standort;Betriebssystem;RAM (GB);Bemerkung;;\r\n\
FR-WS-0142;Freiburg;Windows 11 Pro;31,8;;;\r\n\
;;;;;;\r\n\
FR-WS-0143;Freiburg;Windows 10 Pro;16;Ersatz \"alt\";;\r\n";
    let loaded = load(&[("excel.csv", bytes)]);
    assert_eq!(ids(&loaded), ["FR-WS-0142", "FR-WS-0143"]);
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
    let f = &loaded.files[0];
    assert_eq!(f.rows, 2);
    assert_eq!(f.skipped.get("empty row"), Some(&1));
    assert_eq!(
        asset(&loaded, "FR-WS-0143").site().map(|t| t.as_str()),
        Some("Freiburg")
    );
}

#[test]
fn software_and_relation_files_merge_into_assets_whatever_the_order() {
    let software = b"asset,name,version,publisher\n\
fr-ws-0142.mueller-mb.local,Kaspersky Endpoint Security for Windows,12.6.0.438,AO Kaspersky Lab\n\
FR-WS-0142,Kaspersky Endpoint Security for Windows,,AO Kaspersky Lab\n\
FR-SRV-KSC01,Kaspersky Security Center 14.2 Administration Server,14.2.0.26967,AO Kaspersky Lab\n\
OG-WS-9,7-Zip,23.01,Igor Pavlov\n";
    let relations = b"from;to;kind\nFR-WS-0142;FR-SRV-KSC01;managed-by\nFR-WS-0142;FR-SRV-KSC01;Managed by\nOG-WS-7;FR-SRV-KSC01;updates from\n";
    let assets = b"hostname,os\nFR-WS-0142,Windows 11 Pro\nFR-SRV-KSC01,Windows Server 2019\n";
    let loaded = load(&[
        ("sw.csv", software),
        ("rel.csv", relations),
        ("assets.csv", assets),
    ]);
    let formats: Vec<_> = loaded.files.iter().map(|f| f.format).collect();
    assert_eq!(formats, ["csv-software", "csv-relations", "csv-assets"]);
    assert_eq!(
        ids(&loaded),
        ["FR-WS-0142", "FR-SRV-KSC01", "OG-WS-9", "OG-WS-7"]
    );

    let ws = asset(&loaded, "FR-WS-0142");
    assert_eq!(
        ws.software,
        [sw(
            "Kaspersky Endpoint Security for Windows",
            Some("12.6.0.438"),
            Some("AO Kaspersky Lab")
        )],
        "the FQDN row and the short-name row are the same product"
    );
    assert_eq!(ws.depends_on.len(), 1, "duplicate relation rows collapse");
    assert_eq!(ws.depends_on[0].kind, RelationKind::ManagedBy);
    assert_eq!(
        ws.depends_on[0]
            .origin
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("rel.csv:2")
    );

    let created = asset(&loaded, "OG-WS-9");
    assert_eq!(
        created.software,
        [sw("7-Zip", Some("23.01"), Some("Igor Pavlov"))]
    );
    assert_eq!(origin(created), "sw.csv:5");
    assert_eq!(created.kind, AssetKind::Other);
    let dependent = asset(&loaded, "OG-WS-7");
    assert_eq!(dependent.depends_on[0].target, "FR-SRV-KSC01");
    assert_eq!(dependent.depends_on[0].kind, RelationKind::UpdatesFrom);
    assert_eq!(origin(dependent), "rel.csv:4");

    let counts: Vec<_> = loaded
        .files
        .iter()
        .map(|f| (f.rows, f.assets, f.software, f.relations))
        .collect();
    assert_eq!(counts, [(4, 1, 4, 0), (3, 1, 0, 3), (2, 2, 0, 0)]);
}

#[test]
fn powershell_uninstall_registry_export_is_a_software_file() {
    let bytes = b"#TYPE Selected.System.Management.Automation.PSCustomObject\r\n\
\"PSComputerName\",\"DisplayName\",\"DisplayVersion\",\"Publisher\",\"InstallDate\"\r\n\
\"FR-WS-0142\",\"Kaspersky Endpoint Security for Windows\",\"12.6.0.438\",\"AO Kaspersky Lab\",\"20240918\"\r\n";
    let loaded = load(&[("ps.csv", bytes)]);
    assert_eq!(loaded.files[0].format, "csv-software");
    assert_eq!(
        asset(&loaded, "FR-WS-0142").software,
        [sw(
            "Kaspersky Endpoint Security for Windows",
            Some("12.6.0.438"),
            Some("AO Kaspersky Lab")
        )]
    );
}

#[test]
fn fqdn_and_short_name_records_merge_and_fill_gaps() {
    let cmdb = b"name,fqdn,os,location\nfr-srv-fs01,fr-srv-fs01.mueller-mb.local,,Freiburg\n";
    let av = b"hostname,os,criticality,tags\nFR-SRV-FS01.mueller-mb.local,Windows Server 2016,high,kritis\n";
    let loaded = load(&[("cmdb.csv", cmdb), ("av.csv", av)]);
    assert_eq!(ids(&loaded), ["fr-srv-fs01"]);
    let fs = asset(&loaded, "fr-srv-fs01.mueller-mb.local");
    assert_eq!(
        fs.os.raw, "Windows Server 2016",
        "filled from the second file"
    );
    assert_eq!(
        fs.kind,
        AssetKind::Server,
        "kind re-inferred from the merged OS"
    );
    assert_eq!(fs.site().map(|t| t.as_str()), Some("Freiburg"));
    assert_eq!(fs.criticality, Criticality::High);
    assert_eq!(
        fs.tags().map(|t| t.as_str()).collect::<Vec<_>>(),
        ["kritis"]
    );
    assert_eq!(origin(fs), "cmdb.csv:2");
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
}

#[test]
fn conflicting_values_keep_the_first_and_warn_naming_both_files() {
    let a = b"id,os,site,kind,tags\nws-1,Windows 10 Pro,Freiburg,laptop,pilot\n";
    let b = b"id,os,site,kind,tags\n\nWS-1,Windows 11 Pro,freiburg,workstation,kritis|PILOT\n";
    let loaded = load(&[("a.csv", a), ("b.csv", b)]);
    let ws = asset(&loaded, "ws-1");
    assert_eq!(
        (ws.os.raw.as_str(), ws.kind),
        ("Windows 10 Pro", AssetKind::Laptop)
    );
    assert_eq!(
        ws.tags().map(|t| t.as_str()).collect::<Vec<_>>(),
        ["pilot", "kritis"]
    );
    assert_eq!(
        warnings(&loaded),
        [
            "b.csv:3: asset \"ws-1\": os \"Windows 11 Pro\" conflicts with \"Windows 10 Pro\" from a.csv:2; keeping \"Windows 10 Pro\"",
            "b.csv:3: asset \"ws-1\": kind \"workstation\" conflicts with \"laptop\" from a.csv:2; keeping \"laptop\"",
        ]
    );
}

#[test]
fn unknown_cell_values_warn_with_column_and_keep_defaults() {
    let bytes = "hostname;os;Typ;Schutzbedarf;depends_on\n\
ws-1;Windows 11;Toaster;mittel;ksc:managed-by\n\
ws-2;Windows Server 2022;server;extrem;ksc:teleports-to|upd\n"
        .as_bytes();
    let loaded = load(&[("w.csv", bytes)]);
    assert_eq!(
        warnings(&loaded),
        [
            "w.csv:2:17: unknown kind \"Toaster\" (expected workstation|laptop|server|vm|hypervisor|mail-gateway|firewall|proxy|storage|appliance|mobile|ot|application|service|other); using workstation",
            "w.csv:3:33: unknown criticality \"extrem\" (expected low|medium|high|critical); using medium",
            "w.csv:3:40: unknown relation kind \"teleports-to\" in \"ksc:teleports-to\" (expected managed-by|updates-from|mail-via|scanned-by|proxied-by|runs-on|reports-to|uses); using uses",
        ]
    );
    let ws1 = asset(&loaded, "ws-1");
    assert_eq!(
        (ws1.kind, ws1.criticality),
        (AssetKind::Workstation, Criticality::Medium)
    );
    let ws2 = asset(&loaded, "ws-2");
    assert_eq!(
        (ws2.kind, ws2.criticality),
        (AssetKind::Server, Criticality::Medium)
    );
    let deps: Vec<_> = ws2
        .depends_on
        .iter()
        .map(|r| (r.target.as_str(), r.kind))
        .collect();
    assert_eq!(
        deps,
        [("ksc", RelationKind::Uses), ("upd", RelationKind::Uses)]
    );
    assert!(loaded.files[0].skipped.is_empty(), "rows are kept");
}

#[test]
fn rows_without_id_are_skipped_and_counted() {
    let bytes = b"id,os\nws-1,Windows 11\n,Windows 10\n  ,Linux\nws-2,\n";
    let loaded = load(&[("m.csv", bytes)]);
    assert_eq!(ids(&loaded), ["ws-1", "ws-2"]);
    assert_eq!(loaded.files[0].skipped.get("missing id"), Some(&2));
    assert_eq!(loaded.files[0].rows, 4);
    assert_eq!(
        warnings(&loaded),
        [
            "m.csv:3: row has no asset id (column \"id\" is empty); row skipped",
            "m.csv:4: row has no asset id (column \"id\" is empty); row skipped",
        ]
    );
}

#[test]
fn control_characters_are_neutralised() {
    let bytes = b"id,name,software\nws-1\x1b[31m,\"evil\x07name\",\"KES\x1b]0;x\x07@1\"\n";
    let loaded = load(&[("c.csv", bytes)]);
    let a = &loaded.inventory.assets()[0];
    assert_eq!(a.id, "ws-1\u{FFFD}[31m");
    assert_eq!(a.name.as_deref(), Some("evil\u{FFFD}name"));
    assert_eq!(a.software[0].name, "KES\u{FFFD}]0;x\u{FFFD}");
}

#[test]
fn bidi_overrides_in_os_text_are_neutralised() {
    let assets = "id,os\nws-1,Windows 11\u{202E}orP\n".as_bytes();
    let software = "asset,name,os\nws-2,KES,\u{2067}Windows 10\n".as_bytes();
    let loaded = load(&[("a.csv", assets), ("s.csv", software)]);
    assert_eq!(asset(&loaded, "ws-1").os.raw, "Windows 11\u{FFFD}orP");
    assert_eq!(asset(&loaded, "ws-2").os.raw, "\u{FFFD}Windows 10");
}

#[test]
fn format_comes_from_content_not_extension() {
    let toml = b"[[asset]]\nid = \"a\"\nos = \"Windows 11\"\n";
    let csv = b"id,os\nb,Windows 10\n";
    let loaded = load(&[("looks-like.csv", toml), ("looks-like.toml", csv)]);
    let formats: Vec<_> = loaded
        .files
        .iter()
        .map(|f| (f.format, f.separator))
        .collect();
    assert_eq!(formats, [("native-toml", None), ("csv-assets", Some(','))]);
    assert_eq!(ids(&loaded), ["a", "b"]);
}

#[test]
fn generic_csv_writer_output_reads_back() {
    let bytes = b"id,name,kind,os,site,owner,criticality,tags,software,depends_on\n\
ws-1,\"M\xc3\xbcller, PC\",laptop,Windows 11,Freiburg,IT,high,pilot|kritis,KES@12.6|Office,ksc:managed-by|upd:uses\n\
ksc,,server,Windows Server 2019,,,medium,,,\n";
    let loaded = load(&[("g.csv", bytes)]);
    let written = avmigrate::inventory::csv_generic::write(&loaded.inventory);
    assert_eq!(written.as_bytes(), bytes.as_slice());
}

#[test]
fn long_format_software_export_with_os_creates_assets_with_their_os() {
    let tvm = b"DeviceId,DeviceName,OSPlatform,OSVersion,SoftwareVendor,SoftwareName,SoftwareVersion\n\
2f1c,fr-ws-0142.mueller-mb.local,Windows11,10.0,kaspersky,endpoint_security,12.6.0.438\n\
2f1c,fr-ws-0142.mueller-mb.local,Windows11,10.0,microsoft,edge,124.0\n\
9a8b,fr-srv-fs01.mueller-mb.local,WindowsServer2019,10.0,kaspersky,security_for_windows_server,11.0.1\n";
    let assets = b"hostname,os\nFR-SRV-FS01,Windows Server 2019 Standard\n";
    let loaded = load(&[("tvm.csv", tvm), ("assets.csv", assets)]);
    assert_eq!(loaded.files[0].format, "defender-tvm");
    assert_eq!(ids(&loaded), ["FR-SRV-FS01", "fr-ws-0142.mueller-mb.local"]);
    let ws = asset(&loaded, "FR-WS-0142");
    assert_eq!(ws.os.raw, "Windows 11", "OS taken from the software rows");
    assert_eq!(
        ws.kind,
        AssetKind::Workstation,
        "kind inferred from that OS"
    );
    assert_eq!(
        ws.software,
        [
            sw("endpoint_security", Some("12.6.0.438"), Some("kaspersky")),
            sw("edge", Some("124.0"), Some("microsoft")),
        ]
    );
    let fs = asset(&loaded, "fr-srv-fs01.mueller-mb.local");
    assert_eq!(
        fs.os.raw, "Windows Server 2019 Standard",
        "the asset file's OS is kept"
    );
    assert_eq!(fs.software.len(), 1);
}

#[test]
fn servicenow_relations_read_parent_as_the_dependent() {
    let rel = b"\"parent\",\"type\",\"child\",\"connection_strength\"\n\
\"Kaspersky Security Center\",\"Runs on::Runs\",\"FR-SRV-KSC01\",\"Always\"\n\
\"FR-WS-0142\",\"Managed by::Manages\",\"Kaspersky Security Center\",\"Always\"\n\
\"FR-WS-0142\",\"Contains::Contained by\",\"disk-1\",\"Always\"\n";
    let loaded = load(&[("rel.csv", rel)]);
    assert_eq!(loaded.files[0].format, "servicenow-rel");
    let deps = |id: &str| -> Vec<(String, RelationKind)> {
        asset(&loaded, id)
            .depends_on
            .iter()
            .map(|r| (r.target.to_string(), r.kind))
            .collect()
    };
    assert_eq!(
        deps("Kaspersky Security Center"),
        [("FR-SRV-KSC01".to_string(), RelationKind::RunsOn)]
    );
    assert_eq!(
        deps("FR-WS-0142"),
        [
            (
                "Kaspersky Security Center".to_string(),
                RelationKind::ManagedBy
            ),
            ("disk-1".to_string(), RelationKind::Uses),
        ]
    );
    assert!(
        warnings(&loaded).is_empty(),
        "ServiceNow relationship types outside the known pairs read as uses, quietly"
    );
}

// ---------------------------------------------------------------------------------------------
// Security-product columns, and unmapped columns that name a flagged product

/// Windows-1252 bytes of a text (the umlauts a German Excel writes).
fn cp1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            'ä' => 0xE4,
            'ö' => 0xF6,
            'ü' => 0xFC,
            'ß' => 0xDF,
            c => u8::try_from(c).expect("ASCII"),
        })
        .collect()
}

fn load_strict(files: &[(&str, &[u8])], strict: bool) -> Result<Loaded, String> {
    let sources = files
        .iter()
        .map(|(label, bytes)| (label.to_string(), bytes.to_vec()))
        .collect();
    load_checked(sources, &ImportOptions::strict(strict)).map_err(|e| e.to_string())
}

/// Whether the built-in rules flag an asset.
fn flagged(loaded: &Loaded, id: &str) -> bool {
    !avmigrate::rules::RuleSet::builtin()
        .scan_asset(asset(loaded, id))
        .is_empty()
}

#[test]
fn security_product_columns_are_read_as_software_with_their_version() {
    // German Excel "CSV (Trennzeichen-getrennt)": cp1252, `;`, CRLF, a blank row at the end.
    let text = "Hostname;Standort;Betriebssystem;Virenschutz;Version;Letzter Kontakt;Bemerkung\r\n\
ws-01;Köln;Windows 11 Pro;Kaspersky Endpoint Security für Windows;12.6.0.438;01.12.2026;\r\n\
ws-02;Köln;Windows 10 Pro;Microsoft Defender;;02.12.2026;Prüfen\r\n\
srv-01;Düsseldorf;Windows Server 2019;Kaspersky Security für Windows Server;11.0.1;;\r\n\
ws-03;Köln;Windows 11 Pro;keine;;;\r\n\
;;;;;;\r\n";
    let loaded = load(&[("liste.csv", &cp1252(text))]);
    let f = &loaded.files[0];
    assert_eq!((f.encoding, f.separator), ("windows-1252", Some(';')));
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
    let ws = asset(&loaded, "ws-01");
    assert_eq!(
        ws.software,
        [sw(
            "Kaspersky Endpoint Security für Windows",
            Some("12.6.0.438"),
            None
        )]
    );
    assert!(flagged(&loaded, "ws-01"));
    assert!(flagged(&loaded, "srv-01"));
    assert!(!flagged(&loaded, "ws-02"));
    assert_eq!(software(asset(&loaded, "ws-02")), ["Microsoft Defender"]);
    assert!(
        asset(&loaded, "ws-03").software.is_empty(),
        "\"keine\" is no product"
    );
}

#[test]
fn security_product_header_spellings() {
    for header in [
        "Antivirus",
        "Anti-Virus",
        "AV",
        "AV-Produkt",
        "Virenschutz",
        "Virenscanner",
        "Schutzsoftware",
        "Endpoint Protection",
        "Security Product",
        "Sicherheitssoftware",
        "EDR",
    ] {
        // Without a version column, with `Version`, with `<header>-Version`, with `AV-Version`.
        let plain =
            format!("\u{feff}Computer Name,{header},RAM\nws-1,Kaspersky Endpoint Security 12,16\n");
        let loaded = load(&[("a.csv", plain.as_bytes())]);
        assert!(
            loaded.warnings.is_empty(),
            "{header}: {:?}",
            warnings(&loaded)
        );
        assert_eq!(
            asset(&loaded, "ws-1").software,
            [sw("Kaspersky Endpoint Security 12", None, None)],
            "{header}"
        );
        assert!(flagged(&loaded, "ws-1"), "{header}");
        for version in [
            "Version".to_string(),
            format!("{header}-Version"),
            "AV-Version".into(),
        ] {
            let text = format!(
                "hostname;{header};{version};os\nws-1;Kaspersky Endpoint Security;12.6;Windows 11\n"
            );
            let loaded = load(&[("b.csv", text.as_bytes())]);
            assert!(
                loaded.warnings.is_empty(),
                "{header}/{version}: {:?}",
                warnings(&loaded)
            );
            assert_eq!(
                asset(&loaded, "ws-1").software,
                [sw("Kaspersky Endpoint Security", Some("12.6"), None)],
                "{header}/{version}"
            );
        }
    }
}

#[test]
fn an_unmapped_column_naming_kaspersky_is_read_with_a_warning() {
    for column in ["Bemerkung", "Software2"] {
        let text = format!(
            "Hostname;Betriebssystem;{column};RAM (GB)\r\n\
             ws-1;Windows 11;Kaspersky Endpoint Security for Windows;16\r\n\
             ws-2;Windows 11;neu aufgesetzt;8\r\n"
        );
        let loaded = load(&[("inv.csv", text.as_bytes())]);
        assert_eq!(
            software(asset(&loaded, "ws-1")),
            ["Kaspersky Endpoint Security for Windows"]
        );
        assert!(flagged(&loaded, "ws-1"));
        assert!(asset(&loaded, "ws-2").software.is_empty());
        let w = warnings(&loaded);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].starts_with("inv.csv:2:"), "{w:?}");
        assert!(
            w[0].contains(&format!("column \"{column}\" is not an inventory column")),
            "{w:?}"
        );
        assert!(w[0].ends_with("read as software"), "{w:?}");

        let e = load_strict(&[("inv.csv", text.as_bytes())], true).expect_err("strict");
        assert!(e.starts_with("inv.csv:2:"), "{e}");
        assert!(e.contains(&format!("column \"{column}\"")), "{e}");
    }
}

#[test]
fn unmapped_columns_with_look_alike_names_are_not_read() {
    let text = "Hostname;Betriebssystem;Bemerkung;Hersteller Kasse\r\n\
ws-1;Windows 11;Kesko Kassensystem;Kesko\r\n\
ws-2;Windows 10;KaVo Dental Praxis;KaVo\r\n\
ws-3;Windows 10;KSC Pro Lagerverwaltung;\r\n";
    let loaded = load(&[("fp.csv", &cp1252(text))]);
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
    for id in ["ws-1", "ws-2", "ws-3"] {
        assert!(asset(&loaded, id).software.is_empty(), "{id}");
        assert!(!flagged(&loaded, id), "{id}");
    }
    assert!(load_strict(&[("fp.csv", &cp1252(text))], true).is_ok());
}

#[test]
fn wmic_product_csv_utf16_with_blank_line_and_cr_cr_lf() {
    let text = "\r\r\nNode,Name,Vendor,Version\r\r\n\
FR-WS-0142,Kaspersky Endpoint Security for Windows,AO Kaspersky Lab,12.6.0.438\r\r\n\
FR-WS-0142,Mozilla Firefox (x64 de),Mozilla,128.0\r\r\n";
    let loaded = load(&[("wmic.csv", &utf16(text, true, true))]);
    assert_eq!(loaded.files[0].format, "csv-software");
    assert_eq!(ids(&loaded), ["FR-WS-0142"]);
    let ws = asset(&loaded, "FR-WS-0142");
    assert_eq!(
        ws.software[0],
        sw(
            "Kaspersky Endpoint Security for Windows",
            Some("12.6.0.438"),
            Some("AO Kaspersky Lab")
        )
    );
    assert_eq!(ws.software.len(), 2);
    // `wmic product get Name`: only the repeated Node says these rows are software.
    let names =
        "\r\r\nNode,Name\r\r\nWS-1,Kaspersky Endpoint Security for Windows\r\r\nWS-1,7-Zip\r\r\n";
    let loaded = load(&[("names.csv", &utf16(names, true, true))]);
    assert_eq!(ids(&loaded), ["WS-1"]);
    assert_eq!(
        software(asset(&loaded, "WS-1")),
        ["Kaspersky Endpoint Security for Windows", "7-Zip"]
    );
}

#[test]
fn powershell_win32_product_and_get_package_exports() {
    let product = "#TYPE Microsoft.Management.Infrastructure.CimInstance#root/cimv2/Win32_Product\r\n\
\"Name\",\"Version\",\"Caption\",\"IdentifyingNumber\",\"InstallDate\",\"Vendor\",\"PSComputerName\"\r\n\
\"Kaspersky Endpoint Security for Windows\",\"12.6.0.438\",\"Kaspersky Endpoint Security for Windows\",\"{6C0D3E2B-0000}\",\"20240918\",\"AO Kaspersky Lab\",\"FR-WS-0142\"\r\n\
\"7-Zip 24.08\",\"24.08\",\"7-Zip 24.08\",\"{23170F69-0000}\",\"20240101\",\"Igor Pavlov\",\"FR-WS-0142\"\r\n";
    let loaded = load(&[("product.csv", product.as_bytes())]);
    assert_eq!(ids(&loaded), ["FR-WS-0142"]);
    assert_eq!(asset(&loaded, "FR-WS-0142").software.len(), 2);
    // `Caption` repeats `Name`: read once, no warning about an unmapped column.
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);

    // A local Get-CimInstance leaves PSComputerName empty: refused with how to add the host.
    let local = product.replace("\"FR-WS-0142\"", "\"\"");
    let sources = vec![("local.csv".to_string(), local.clone().into_bytes())];
    let e = load_checked(sources, &ImportOptions::default()).expect_err("no host");
    let e = e.to_string();
    assert!(e.contains("per-software export"), "{e}");
    assert!(e.contains("$env:COMPUTERNAME"), "{e}");
    // --strict stops at the first row: its message says how to add the host too.
    let sources = vec![("local.csv".to_string(), local.into_bytes())];
    let e = load_checked(sources, &ImportOptions::strict(true)).expect_err("strict");
    let e = e.to_string();
    assert!(e.contains("local.csv:3:"), "{e}");
    assert!(e.contains("$env:COMPUTERNAME"), "{e}");

    let package = "#TYPE Microsoft.PackageManagement.Packaging.SoftwareIdentity\r\n\
\"FastPackageReference\",\"ProviderName\",\"Source\",\"Status\",\"Name\",\"Version\",\"Summary\",\"PSComputerName\"\r\n\
\"a\",\"msi\",\"\",\"Installed\",\"Kaspersky Endpoint Security for Windows\",\"12.6.0.438\",\"\",\"OG-WS-0031\"\r\n\
\"b\",\"Programs\",\"\",\"Installed\",\"Notepad++\",\"8.6\",\"\",\"OG-WS-0031\"\r\n";
    let loaded = load(&[("package.csv", package.as_bytes())]);
    assert_eq!(ids(&loaded), ["OG-WS-0031"]);
    assert_eq!(
        software(asset(&loaded, "OG-WS-0031")),
        ["Kaspersky Endpoint Security for Windows", "Notepad++"]
    );

    // Without a computer column no package becomes an asset: refused, saying how to add it.
    let local = package
        .replace(",\"PSComputerName\"", "")
        .replace(",\"OG-WS-0031\"", "");
    let sources = vec![("local.csv".to_string(), local.into_bytes())];
    let e = load_checked(sources, &ImportOptions::default()).expect_err("no host");
    let e = e.to_string();
    assert!(e.contains("per-software export"), "{e}");
    assert!(e.contains("PSComputerName"), "{e}");
}

#[test]
fn a_repeated_host_is_one_asset_with_its_software() {
    let bytes = b"Hostname,OS,Name,Version\n\
ws-1,Windows 11 Pro,Kaspersky Endpoint Security for Windows,12.6\n\
ws-1,Windows 11 Pro,7-Zip,24.08\n\
ws-1,Windows 11 Pro,Notepad++,8.6\n\
ws-2,Windows 11 Pro,7-Zip,24.08\n";
    let loaded = load(&[("long.csv", bytes)]);
    assert_eq!(ids(&loaded), ["ws-1", "ws-2"]);
    let ws1 = asset(&loaded, "ws-1");
    assert_eq!(ws1.name, None, "the Name column names products here");
    assert_eq!(ws1.kind, AssetKind::Workstation);
    assert_eq!(
        software(ws1),
        [
            "Kaspersky Endpoint Security for Windows",
            "7-Zip",
            "Notepad++"
        ]
    );
    assert_eq!(ws1.software[0].version.as_deref(), Some("12.6"));
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
    // A true duplicate (no software on the rows) is still an error.
    let dup = b"hostname,os\nws-1,Windows 11\nws-1,Windows 10\n".to_vec();
    let e = load_checked(vec![("d.csv".into(), dup)], &ImportOptions::default());
    assert!(
        e.expect_err("duplicate")
            .to_string()
            .contains("duplicate asset id")
    );
}

#[test]
fn repeated_values_share_one_allocation_and_are_cleaned_once() {
    let bytes = "id,os,site,tags,software,depends_on\n\
ws-1,Windows 11 Pro,Berlin,pilot,KES@12.6|Office\u{7},ksc-01:managed-by\n\
ws-2,Windows 11 Pro,Berlin,pilot|x,KES@12.6| Office\u{7} ,ksc-01:managed-by\n\
ksc-01,Windows Server 2019,Berlin,,,\n";
    let loaded = load(&[("inv.csv", bytes.as_bytes())]);
    let (a, b) = (asset(&loaded, "ws-1"), asset(&loaded, "ws-2"));
    let same = avmigrate::model::text::Text::ptr_eq;
    assert!(same(&a.software[0].name, &b.software[0].name));
    let (va, vb) = (&a.software[0].version, &b.software[0].version);
    assert!(same(va.as_ref().unwrap(), vb.as_ref().unwrap()));
    assert_eq!(a.software[1].name, "Office\u{FFFD}");
    assert!(same(&a.software[1].name, &b.software[1].name));
    assert!(same(&a.os.raw, &b.os.raw));
    assert!(same(a.site().unwrap(), b.site().unwrap()));
    assert!(same(a.tags().next().unwrap(), b.tags().next().unwrap()));
    assert!(same(&a.depends_on[0].target, &b.depends_on[0].target));
    assert_eq!(a.software, b.software);
}
