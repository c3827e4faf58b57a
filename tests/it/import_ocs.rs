//! OCS Inventory NG exports: the computer list (rows preceded by CRLF, trailing separators)
//! and the software export (unquoted values; a `;` inside a value breaks the row).

use crate::import_support;

use avmigrate::analysis::{Analysis, Reliance};
use avmigrate::inventory::ImportOptions;
use avmigrate::model::{AssetKind, OsFamily};
use avmigrate::rules::RuleSet;
use import_support::*;

const BROKEN: &str = "ocs_soft.csv:4: broken row: 8 fields where the header has 6 (a ';' \
                      inside an unquoted value splits the row, or the row is cut short); row \
                      skipped";

/// "All computers" list export as `ms_csv.php` writes it: header labels unquoted, each
/// followed by `;`; every row *preceded* by CRLF, values in `"…"` each followed by `;`; no
/// final line end. A `;` inside a quoted TAG.
const COMPUTERS: &str = "TAG;Last inventory;Computer;Connected user;Operating system;RAM (MB);CPU (MHz);\r\n\
\"FREIBURG\";\"2025-03-10 07:12:03\";\"FR-WS-0142\";\"mmueller\";\"Microsoft Windows 11 Pro\";\"32768\";\"3600\";\r\n\
\"FREIBURG;RZ\";\"2025-03-09 23:00:11\";\"FR-SRV-KSC01\";\"\";\"Microsoft Windows Server 2019 Standard\";\"16384\";\"2400\";\r\n\
\"OFFENBURG\";\"2025-03-10 06:58:40\";\"OG-WS-0031\";\"tschaefer\";\"Microsoft Windows 10 Pro\";\"16384\";\"3000\";\r\n\
\"FREIBURG;RZ\";\"2025-03-09 23:00:40\";\"fr-lx-web01\";\"root\";\"Ubuntu 22.04.4 LTS\";\"8192\";\"2400\";";

/// The same export in German, with the default TAG "NA", a row without computer name and a
/// relative date.
const COMPUTERS_DE: &str = "TAG;Letzte Inventarisierung;Rechner;Benutzer;Betriebssystem;RAM (MB);CPU (MHz);\r\n\
\"NA\";\"10.03.2025 07:12\";\"OG-NB-0044\";\"tschaefer\";\"Microsoft Windows 11 Pro\";\"16384\";\"2100\";\r\n\
\"\";\"09.03.2025 17:30\";\"\";\"\";\"Microsoft Windows 10 Pro\";\"8192\";\"2000\";\r\n\
\"NA\";\"vor 3 Minuten\";\"OG-WS-0040\";\"\";\"Microsoft Windows 10 Pro\";\"8192\";\"2000\";";

/// Software export as `ms_soft_csv.php` writes it: header joined by `;` + CRLF, values
/// unquoted, each followed by `;`, CRLF. Line 4: a `;` in the description splits the row;
/// line 6: a name that starts with a quote; line 9: blank; line 10: no software name.
const SOFTWARE: &str = "TAG;Software;Computer;Connected user;Description;Inventory\r\n\
FREIBURG;Kaspersky Endpoint Security for Windows;FR-WS-0142;mmueller;CAD-Arbeitsplatz Halle 2;2025-03-10 07:12:03;\r\n\
FREIBURG;Kaspersky Security Center Network Agent;FR-WS-0142;mmueller;CAD-Arbeitsplatz Halle 2;2025-03-10 07:12:03;\r\n\
FREIBURG;Kaspersky Security Center 14.2 Administration Server;FR-SRV-KSC01;;KSC; primär;2025-03-09 23:00:11;\r\n\
OFFENBURG;Kaspersky Endpoint Security for Windows;OG-WS-0031;tschaefer;;2025-03-10 06:58:40;\r\n\
FREIBURG;\"Bär\" Zeiterfassung 4.2;FR-WS-0142;mmueller;CAD-Arbeitsplatz Halle 2;2025-03-10 07:12:03;\r\n\
FREIBURG;kesl;fr-lx-web01;root;Webserver;2025-03-09 23:00:40;\r\n\
FREIBURG;Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.38.33130;FR-SRV-KSC01;;KSC;2025-03-09 23:00:11;\r\n\
\r\n\
FREIBURG;;OG-WS-0031;tschaefer;;2025-03-10 06:58:40;\r\n";

#[test]
fn computer_list_with_rows_preceded_by_crlf() {
    let loaded = load(&[("export.csv", COMPUTERS)]);
    let f = &loaded.files[0];
    assert_eq!(
        (f.format, f.encoding, f.separator, f.rows, f.assets),
        ("ocs-computers", "utf-8", Some(';'), 4, 4)
    );
    let ws = asset(&loaded, "FR-WS-0142");
    assert_eq!(origin(ws), "export.csv:2");
    assert_eq!(
        (ws.kind, ws.os.family),
        (AssetKind::Workstation, OsFamily::WindowsClient)
    );
    assert_eq!(ws.owner().map(|t| t.as_str()), Some("mmueller"));
    assert_eq!(
        ws.tags().map(|t| t.as_str()).collect::<Vec<_>>(),
        ["FREIBURG"]
    );
    let ksc = asset(&loaded, "FR-SRV-KSC01");
    assert_eq!(
        ksc.tags().map(|t| t.as_str()).collect::<Vec<_>>(),
        ["FREIBURG;RZ"],
        "a quoted ';' stays in its value"
    );
    assert_eq!(
        (ksc.kind, ksc.owner().map(|t| t.as_str())),
        (AssetKind::Server, None)
    );
    let web = asset(&loaded, "fr-lx-web01");
    assert_eq!(
        origin(web),
        "export.csv:5",
        "the last row, without a line end"
    );
    assert_eq!(web.os.distro.as_deref(), Some("ubuntu"));
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
}

#[test]
fn german_computer_list() {
    let loaded = load(&[("export.csv", COMPUTERS_DE)]);
    assert_eq!(loaded.files[0].format, "ocs-computers");
    let ids: Vec<&str> = loaded
        .inventory
        .assets()
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(ids, ["OG-NB-0044", "OG-WS-0040"]);
    let nb = asset(&loaded, "OG-NB-0044");
    assert!(nb.tags().len() == 0, "NA is no tag");
    assert_eq!(nb.owner().map(|t| t.as_str()), Some("tschaefer"));
    assert_eq!(origin(asset(&loaded, "OG-WS-0040")), "export.csv:4");
    assert_eq!(
        warnings(&loaded),
        ["export.csv:3: row has no computer name; row skipped"]
    );
}

#[test]
fn software_export_reports_rows_split_by_a_separator_and_imports_the_rest() {
    let loaded = load(&[("ocs_soft.csv", SOFTWARE)]);
    let f = &loaded.files[0];
    assert_eq!(
        (f.format, f.separator, f.rows, f.software, f.assets),
        ("ocs-software", Some(';'), 8, 6, 4)
    );
    assert_eq!(f.skipped.get("broken row"), Some(&1));
    assert_eq!(
        warnings(&loaded),
        [
            BROKEN.to_string(),
            "ocs_soft.csv:10: row has no software name; row skipped".to_string(),
        ]
    );
    let ws = asset(&loaded, "FR-WS-0142");
    assert_eq!(
        software(ws),
        [
            "Kaspersky Endpoint Security for Windows",
            "Kaspersky Security Center Network Agent",
            "\"Bär\" Zeiterfassung 4.2",
        ],
        "unquoted values: a leading quote is part of the name"
    );
    assert_eq!(
        origin(ws),
        "ocs_soft.csv:2",
        "created by its first software row"
    );
    assert_eq!(
        software(asset(&loaded, "FR-SRV-KSC01")),
        ["Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.38.33130"],
        "the broken row's product is lost, the rest is read"
    );
}

#[test]
fn computers_and_software_merge_and_kaspersky_is_found() {
    let loaded = load(&[("ocs_soft.csv", SOFTWARE), ("export.csv", COMPUTERS)]);
    assert_eq!(loaded.inventory.len(), 4);
    assert_eq!(
        loaded.files[0].assets, 0,
        "every software row found its computer"
    );
    let analysis = Analysis::run(&loaded.inventory, &RuleSet::builtin());
    let direct: Vec<&str> = (0..loaded.inventory.len())
        .filter(|&i| analysis.reliance_of(i) == Reliance::Direct)
        .map(|i| loaded.inventory.assets()[i].id.as_str())
        .collect();
    assert_eq!(direct, ["FR-WS-0142", "OG-WS-0031", "fr-lx-web01"]);
    assert_eq!(warnings(&loaded)[0], BROKEN);
}

#[test]
fn strict_import_fails_on_the_broken_row() {
    assert_eq!(
        load_with(&[("ocs_soft.csv", SOFTWARE)], &ImportOptions::strict(true)).expect_err("strict"),
        BROKEN
    );
}
