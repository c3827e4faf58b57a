//! Mapping files: reading a CSV no built-in format knows.

use avmigrate::inventory::mapping::Mapping;
use avmigrate::inventory::{ImportOptions, load_sources};
use avmigrate::model::{AssetKind, RelationKind};
use std::sync::Arc;

const MAP: &str = r#"
[columns]
id = "Rechnerkennung"
name = "Vollname"
os = "System"
kind = "Klasse"
software = "Programm"
version = "Ver"
publisher = "Firma"
target = "Haengt an"
relation_kind = "Art"

[options]
list_separator = "|"

[values.kind]
"Arbeitsplatz-PC" = "workstation"

[values.relation_kind]
"verwaltet durch" = "managed-by"
"#;

const CSV: &[u8] = "Rechnerkennung;Vollname;System;Klasse;Programm;Ver;Firma;Haengt an;Art\r\n\
PC-0815;pc-0815.firma.local;Windows 11 Pro;Arbeitsplatz-PC;Kaspersky Endpoint Security for Windows;12.6;AO Kaspersky Lab;SRV-KSC;verwaltet durch\r\n\
PC-0815;pc-0815.firma.local;Windows 11 Pro;Arbeitsplatz-PC;7-Zip;23.01;Igor Pavlov;;\r\n\
SRV-KSC;;Windows Server 2019;Toaster;Kaspersky Security Center 14.2 Administration Server;14.2;AO Kaspersky Lab;;\r\n"
    .as_bytes();

fn opts() -> ImportOptions {
    ImportOptions {
        mapping: Some(Arc::new(Mapping::parse(MAP, "map.toml").unwrap())),
        ..ImportOptions::default()
    }
}

#[test]
fn a_mapped_csv_gives_assets_software_and_relations() {
    let loaded = load_sources(vec![("odd.csv".into(), CSV.to_vec())], &opts()).unwrap();
    assert_eq!(loaded.files[0].format, "mapping");
    assert_eq!(loaded.files[0].assets, 2);
    let inv = &loaded.inventory;
    assert_eq!(inv.len(), 2);
    let pc = inv.get("pc-0815").unwrap();
    assert_eq!(pc.name.as_deref(), Some("pc-0815.firma.local"));
    assert_eq!(
        pc.kind,
        AssetKind::Workstation,
        "translated by [values.kind]"
    );
    let sw: Vec<(&str, Option<&str>)> = pc
        .software
        .iter()
        .map(|s| (s.name.as_str(), s.version.as_deref()))
        .collect();
    assert_eq!(
        sw,
        [
            ("Kaspersky Endpoint Security for Windows", Some("12.6")),
            ("7-Zip", Some("23.01"))
        ]
    );
    assert_eq!(pc.depends_on.len(), 1);
    assert_eq!(pc.depends_on[0].target, "SRV-KSC");
    assert_eq!(pc.depends_on[0].kind, RelationKind::ManagedBy);
    let ksc = inv.get("SRV-KSC").unwrap();
    assert_eq!(
        ksc.kind,
        AssetKind::Server,
        "unknown value falls back to the OS"
    );
    let w: Vec<String> = loaded.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].starts_with("odd.csv:4:30: unknown kind \"Toaster\""),
        "{w:?}"
    );
    assert!(w[0].contains("[values.kind] in map.toml"), "{w:?}");
}

#[test]
fn files_without_the_mapped_columns_are_detected_as_usual() {
    let generic = b"id,os\nws-1,Windows 10\n";
    let loaded = load_sources(
        vec![
            ("odd.csv".into(), CSV.to_vec()),
            ("plain.csv".into(), generic.to_vec()),
        ],
        &opts(),
    )
    .unwrap();
    assert_eq!(loaded.files[1].format, "csv-assets");
    assert_eq!(loaded.inventory.len(), 3);
}

#[test]
fn bad_mapping_files_name_the_line() {
    let e = Mapping::parse("[columns]\nid = \"x\"\ncolour = \"y\"\n", "m.toml").unwrap_err();
    assert!(e.to_string().starts_with("m.toml:3:"), "{e}");
    assert!(e.to_string().contains("colour"), "{e}");
    let e = Mapping::parse("[columns]\nname = \"x\"\n", "m.toml").unwrap_err();
    assert!(e.to_string().contains("id"), "{e}");
    let e = Mapping::parse(
        "[columns]\nid = \"x\"\n[options]\nlist_separator = \"||\"\n",
        "m.toml",
    )
    .unwrap_err();
    assert!(e.to_string().contains("single character"), "{e}");
}

#[test]
fn mapped_ids_versions_and_publishers_are_cleaned() {
    let csv = "Rechnerkennung;Vollname;System;Klasse;Programm;Ver;Firma;Haengt an;Art\n\
PC-\x1b[2J1;;Windows 11 Pro;;Kaspersky Endpoint Security for Windows;12.6\x1b[31m;AO \u{202E}Kaspersky Lab;SRV-KSC;\n\
PC-\x1b[2J1;;;;7-Zip;23.01;Igor Pavlov;;\n";
    let loaded = load_sources(vec![("odd.csv".into(), csv.as_bytes().to_vec())], &opts()).unwrap();
    let inv = &loaded.inventory;
    assert_eq!(inv.len(), 1, "one device, not two: {:?}", inv.assets());
    assert_eq!(loaded.files[0].assets, 1);
    let pc = &inv.assets()[0];
    assert_eq!(pc.id, "PC-\u{FFFD}[2J1");
    assert_eq!(pc.software.len(), 2, "{:?}", pc.software);
    let kes = &pc.software[0];
    assert_eq!(kes.version.as_deref(), Some("12.6\u{FFFD}[31m"));
    assert_eq!(kes.publisher.as_deref(), Some("AO \u{FFFD}Kaspersky Lab"));
    assert_eq!(pc.depends_on.len(), 1);
    assert_eq!(pc.depends_on[0].target, "SRV-KSC");
}
