//! Snipe-IT custom asset reports: BOM, `fputcsv` quoting, backtick formula escaping, custom
//! fields for the OS and the antivirus product.

use crate::import_support;

use avmigrate::analysis::{Analysis, Reliance};
use avmigrate::inventory::ImportOptions;
use avmigrate::model::{AssetKind, OsFamily, Software};
use avmigrate::rules::RuleSet;
use import_support::*;

/// Snipe-IT custom asset report: UTF-8 BOM, `fputcsv` quoting (values with spaces quoted), LF,
/// backtick before formula-like values, custom fields `Betriebssystem`, `Virenschutz` and
/// `Virenschutz Version`, notes over two lines, an asset without name, a row without name or
/// tag.
const REPORT: &str = "\u{feff}ID,Company,\"Asset Name\",\"Asset Tag\",Model,Category,Manufacturer,Serial,Location,\"Checked Out To\",Status,Notes,Betriebssystem,Virenschutz,\"Virenschutz Version\"\n\
12,\"Müller Maschinenbau GmbH\",FR-WS-0142,MMB-000142,\"ThinkStation P360\",Desktops,Lenovo,MJ0GK4TR,\"Freiburg Hauptwerk\",\"Markus Müller\",Deployed,,\"Windows 11 Pro\",\"Kaspersky Endpoint Security for Windows\",12.6.0.438\n\
13,\"Müller Maschinenbau GmbH\",OG-NB-0044,MMB-000044,\"EliteBook 840 G10\",Laptops,HP,5CD3471LKQ,Offenburg,\"Tobias Schäfer\",Deployed,\"`=HYPERLINK(\"\"http://example.invalid\"\")\",\"Windows 11 Pro\",`-,\n\
14,\"Müller Maschinenbau GmbH\",FR-SRV-KSC01,MMB-SRV-001,\"VMware7,1\",Servers,\"VMware, Inc.\",\"VMware-42 1f 6a 3b\",\"Freiburg RZ\",`@it-infrastruktur,Deployed,,\"Windows Server 2019 Standard\",\"Kaspersky Security for Windows Server\",11.0.1.897\n\
15,\"Müller Maschinenbau GmbH\",,MMB-MON-0815,\"Dell P2422H\",Monitors,Dell,CN0ABC,\"Freiburg Hauptwerk\",,Deployed,,,,\n\
16,\"Müller Maschinenbau GmbH\",\"iPhone Sabine\",MMB-MOB-0207,\"iPhone 14\",\"Mobile Phones\",Apple,F2LXK0,,\"Sabine Keller\",Deployed,\"Diensthandy\n\
mit Tarif B\",\"iOS 17.4\",,\n\
17,,,,,,,,,,,,,,\n\
18,\"Müller Maschinenbau GmbH\",OG-WS-0031,MMB-000031,\"OptiPlex 7010\",Desktops,Dell,7XK2M9,Offenburg,,Deployed,,\"Windows 10 Pro\",\"Kaspersky Endpoint Security for Windows\",\n";

#[test]
fn custom_report_gives_assets_with_os_kind_and_antivirus() {
    let loaded = load(&[("snipeit.csv", REPORT)]);
    let f = &loaded.files[0];
    assert_eq!(
        (
            f.format,
            f.encoding,
            f.separator,
            f.rows,
            f.assets,
            f.software
        ),
        ("snipeit", "utf-8-bom", Some(','), 7, 6, 3)
    );
    let ids: Vec<&str> = loaded
        .inventory
        .assets()
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "FR-WS-0142",
            "OG-NB-0044",
            "FR-SRV-KSC01",
            "MMB-MON-0815",
            "iPhone Sabine",
            "OG-WS-0031"
        ],
        "the asset name, else the asset tag"
    );
    let ws = asset(&loaded, "FR-WS-0142");
    assert_eq!(
        (ws.kind, ws.os.family),
        (AssetKind::Workstation, OsFamily::WindowsClient)
    );
    assert_eq!(ws.site().map(|t| t.as_str()), Some("Freiburg Hauptwerk"));
    assert_eq!(ws.owner().map(|t| t.as_str()), Some("Markus Müller"));
    assert_eq!(
        ws.software,
        [Software {
            name: "Kaspersky Endpoint Security for Windows".into(),
            version: Some("12.6.0.438".into()),
            publisher: None,
        }],
        "the Virenschutz custom field"
    );
    let nb = asset(&loaded, "OG-NB-0044");
    assert_eq!(nb.kind, AssetKind::Laptop);
    assert!(
        nb.software.is_empty(),
        "`- is an escaped \"-\": no antivirus"
    );
    let ksc = asset(&loaded, "FR-SRV-KSC01");
    assert_eq!(ksc.kind, AssetKind::Server);
    assert_eq!(
        ksc.owner().map(|t| t.as_str()),
        Some("@it-infrastruktur"),
        "backtick removed"
    );
    assert_eq!(ksc.os.version.as_deref(), Some("2019"));
    let monitor = asset(&loaded, "MMB-MON-0815");
    assert_eq!(
        (monitor.kind, monitor.name.as_deref()),
        (AssetKind::Other, None)
    );
    let phone = asset(&loaded, "iPhone Sabine");
    assert_eq!(
        (phone.kind, phone.os.family),
        (AssetKind::Mobile, OsFamily::Ios)
    );
    assert_eq!(origin(phone), "snipeit.csv:6");
    let ws31 = asset(&loaded, "OG-WS-0031");
    assert_eq!(origin(ws31), "snipeit.csv:9", "after the two-line note");
    assert_eq!(ws31.software[0].version, None);
    assert_eq!(
        warnings(&loaded),
        ["snipeit.csv:8: asset has no name and no asset tag; row skipped"]
    );
    let analysis = Analysis::run(&loaded.inventory, &RuleSet::builtin());
    let direct: Vec<&str> = (0..loaded.inventory.len())
        .filter(|&i| analysis.reliance_of(i) == Reliance::Direct)
        .map(|i| loaded.inventory.assets()[i].id.as_str())
        .collect();
    assert_eq!(direct, ["FR-WS-0142", "FR-SRV-KSC01", "OG-WS-0031"]);
}

#[test]
fn strict_import_fails_on_the_row_without_name() {
    assert_eq!(
        load_with(&[("snipeit.csv", REPORT)], &ImportOptions::strict(true)).expect_err("strict"),
        "snipeit.csv:8: asset has no name and no asset tag; row skipped"
    );
}

#[test]
fn a_hostname_custom_field_is_the_id_and_merges_with_other_inventories() {
    let report = "\u{feff}\"Asset Tag\",\"Asset Name\",Category,Hostname,Antivirus\n\
MMB-000142,\"Markus' Workstation\",Desktops,fr-ws-0142.mueller-mb.local,\"Kaspersky Endpoint Security for Windows\"\n";
    let software = "asset,name,version\nFR-WS-0142,SOLIDWORKS 2023 SP5,31.50.0049\n";
    let loaded = load(&[("snipeit.csv", report), ("sw.csv", software)]);
    assert_eq!(loaded.files[0].format, "snipeit");
    assert_eq!(loaded.inventory.len(), 1);
    let ws = asset(&loaded, "FR-WS-0142");
    assert_eq!(ws.id, "fr-ws-0142.mueller-mb.local");
    assert_eq!(ws.name.as_deref(), Some("Markus' Workstation"));
    let names: Vec<&str> = ws.software.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Kaspersky Endpoint Security for Windows",
            "SOLIDWORKS 2023 SP5"
        ]
    );
}
