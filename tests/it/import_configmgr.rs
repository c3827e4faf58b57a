//! Configuration Manager exports (`configmgr-systems`, `configmgr-software`): PowerShell 5.1
//! `Export-Csv` quirks (`#TYPE` line, DataRow columns, `?` for umlauts, culture dates), the
//! ResourceID join between v_R_System and the software views, broken rows.

use crate::import_support;

use avmigrate::analysis::{Analysis, Reliance};
use avmigrate::inventory::ImportOptions;
use avmigrate::model::{Asset, OsFamily, RelationKind, Software};
use avmigrate::rules::RuleSet;
use import_support::*;

/// The sample v_GS_INSTALLED_SOFTWARE export (joined with Name0), byte for byte.
const INSTALLED: &str = concat!(
    "#TYPE Selected.System.Data.DataRow\r\n",
    "\"Name0\",\"ResourceID\",\"ARPDisplayName0\",\"ProductName0\",\"ProductVersion0\",\"Publisher0\",\"InstallDate0\",\"InstalledLocation0\",\"SoftwareCode0\",\"TimeStamp\"\r\n",
    "\"FR-WS-0142\",\"16777321\",\"Kaspersky Endpoint Security for Windows\",\"Kaspersky Endpoint Security for Windows\",\"12.6.0.438\",\"AO Kaspersky Lab\",\"18.09.2024 00:00:00\",\"C:\\Program Files (x86)\\Kaspersky Lab\\KES.12.6.0\\\",\"{a5e5bbc2-4e4b-4a5b-9b7e-2d1f6c3a9e01}\",\"10.03.2025 05:12:44\"\r\n",
    "\"FR-WS-0142\",\"16777321\",\"Kaspersky Security Center Network Agent\",\"Kaspersky Security Center Network Agent\",\"15.1.0.20748\",\"AO Kaspersky Lab\",\"11.06.2024 00:00:00\",\"C:\\Program Files (x86)\\Kaspersky Lab\\NetworkAgent\\\",\"{b9518725-0b76-4793-a409-c6794442fce2}\",\"10.03.2025 05:12:44\"\r\n",
    "\"FR-WS-0142\",\"16777321\",\"Zeiterfassung Client 4.2\",\"Zeiterfassung Client 4.2\",\"4.2.1\",\"M?ller Maschinenbau GmbH\",\"01.03.2023 00:00:00\",\"C:\\Program Files\\MMB\\Zeiterfassung\\\",\"zeiterfassung client 4.2_is1\",\"10.03.2025 05:12:44\"\r\n",
    "\"FR-SRV-FS01\",\"16777288\",\"Kaspersky Security for Windows Server\",\"Kaspersky Security for Windows Server\",\"11.0.1.897\",\"AO Kaspersky Lab\",\"22.05.2023 00:00:00\",\"C:\\Program Files (x86)\\Kaspersky Lab\\Kaspersky Security for Windows Server\\\",\"{8e4b3a9f-2c1d-4e5f-a6b7-c8d9e0f1a2b3}\",\"09.03.2025 23:40:02\"\r\n",
    "\"FR-SRV-ERP01\",\"16777301\",\"ESET Server Security\",\"ESET Server Security\",\"10.0.12012.0\",\"ESET, spol. s r.o.\",\"14.02.2024 00:00:00\",\"C:\\Program Files\\ESET\\ESET Security\\\",\"{c1e4d2a7-91b3-4f0e-8d5c-2a7b6e9f1d03}\",\"09.03.2025 22:18:31\"\r\n",
    "\"OG-NB-0044\",\"16777390\",\"Microsoft Defender for Endpoint\",\"\",\"10.8760.22621.1234\",\"Microsoft Corporation\",\"\",\"\",\"\",\"10.03.2025 06:01:10\"\r\n",
);

/// v_R_System as PowerShell 5.1 writes a DataTable: `#TYPE System.Data.DataRow`, every column
/// quoted, the DataRow properties appended.
const SYSTEMS: &str = concat!(
    "#TYPE System.Data.DataRow\r\n",
    "\"ResourceID\",\"Name0\",\"Netbios_Name0\",\"Resource_Domain_OR_Workgr0\",\"Operating_System_Name_and0\",\"Build01\",\"Client0\",\"RowError\",\"RowState\",\"Table\",\"ItemArray\",\"HasErrors\"\r\n",
    "\"16777321\",\"FR-WS-0142\",\"FR-WS-0142\",\"MUELLER-MB\",\"Microsoft Windows NT Workstation 10.0\",\"10.0.22631\",\"1\",\"\",\"Unchanged\",\"\",\"System.Object[]\",\"False\"\r\n",
    "\"16777288\",\"FR-SRV-FS01\",\"FR-SRV-FS01\",\"MUELLER-MB\",\"Microsoft Windows NT Server 10.0\",\"10.0.17763\",\"1\",\"\",\"Unchanged\",\"\",\"System.Object[]\",\"False\"\r\n",
    "\"16777299\",\"FR-SRV-KSC01\",\"FR-SRV-KSC01\",\"MUELLER-MB\",\"Microsoft Windows NT Server 10.0\",\"10.0.17763\",\"1\",\"\",\"Unchanged\",\"\",\"System.Object[]\",\"False\"\r\n",
    "\"16777401\",\"FR-WS-M?LLER\",\"FR-WS-M?LLER\",\"MUELLER-MB\",\"Microsoft Windows NT Workstation 10.0\",\"10.0.19045\",\"1\",\"\",\"Unchanged\",\"\",\"System.Object[]\",\"False\"\r\n",
);

/// v_GS_ADD_REMOVE_PROGRAMS (32-bit hive) keyed by ResourceID only, de-DE dates.
const ARP: &str = concat!(
    "#TYPE System.Data.DataRow\r\n",
    "\"ResourceID\",\"GroupID\",\"DisplayName0\",\"InstallDate0\",\"ProdID0\",\"Publisher0\",\"Version0\",\"RowError\",\"RowState\",\"Table\",\"ItemArray\",\"HasErrors\"\r\n",
    "\"16777321\",\"1\",\"Kaspersky Security Center Network Agent\",\"20240611\",\"{B9518725-0B76-4793-A409-C6794442FCE2}\",\"AO Kaspersky Lab\",\"15.1.0.20748\",\"\",\"Unchanged\",\"\",\"System.Object[]\",\"False\"\r\n",
    "\"16777299\",\"1\",\"Kaspersky Security Center 14.2 Administration Server\",\"20230522\",\"{5D8A4A5C-3C1B-4C5E-9D1F-0A2B3C4D5E6F}\",\"AO Kaspersky Lab\",\"14.2.0.26967\",\"\",\"Unchanged\",\"\",\"System.Object[]\",\"False\"\r\n",
    "\"16777401\",\"1\",\"Zeiterfassung Client 4.2\",\"01.03.2023 00:00:00\",\"zeiterfassung\",\"M?ller Maschinenbau GmbH\",\"4.2.1\",\"\",\"Unchanged\",\"\",\"System.Object[]\",\"False\"\r\n",
);

/// v_GS_ADD_REMOVE_PROGRAMS_64 (64-bit hive): the other half of the union.
const ARP64: &str = concat!(
    "\"ResourceID\",\"DisplayName0\",\"Publisher0\",\"Version0\"\r\n",
    "\"16777321\",\"Kaspersky Endpoint Security for Windows\",\"AO Kaspersky Lab\",\"12.6.0.438\"\r\n",
    "\"16777321\",\"Kaspersky Security Center Network Agent\",\"AO Kaspersky Lab\",\"15.1.0.20748\"\r\n",
    "\"16777288\",\"Kaspersky Security for Windows Server\",\"AO Kaspersky Lab\",\"11.0.1.897\"\r\n",
);

fn names(a: &Asset) -> Vec<(&str, Option<&str>)> {
    a.software
        .iter()
        .map(|s| (s.name.as_str(), s.version.as_deref()))
        .collect()
}

#[test]
fn installed_software_export_with_powershell_quirks() {
    let loaded = load(&[("cm.csv", INSTALLED)]);
    let f = &loaded.files[0];
    assert_eq!(
        (f.format, f.encoding, f.separator, f.rows, f.software),
        ("configmgr-software", "utf-8", Some(','), 6, 6)
    );
    assert_eq!(
        ids(&loaded),
        ["FR-WS-0142", "FR-SRV-FS01", "FR-SRV-ERP01", "OG-NB-0044"]
    );
    let ws = asset(&loaded, "FR-WS-0142");
    assert_eq!(
        ws.software[2],
        Software {
            name: "Zeiterfassung Client 4.2".into(),
            version: Some("4.2.1".into()),
            publisher: Some("M?ller Maschinenbau GmbH".into()),
        },
        "ASCII ? kept as written"
    );
    assert_eq!(
        ws.origin.as_ref().unwrap().to_string(),
        "cm.csv:3",
        "#TYPE is line 1"
    );
    assert_eq!(
        names(asset(&loaded, "OG-NB-0044")),
        [(
            "Microsoft Defender for Endpoint",
            Some("10.8760.22621.1234")
        )],
        "no ProductName0: the ARP name"
    );
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
}

#[test]
fn systems_and_software_views_are_joined_by_resource_id_in_any_order() {
    let loaded = load(&[
        ("arp64.csv", ARP64),
        ("arp.csv", ARP),
        ("systems.csv", SYSTEMS),
    ]);
    let formats: Vec<_> = loaded.files.iter().map(|f| f.format).collect();
    assert_eq!(
        formats,
        [
            "configmgr-software",
            "configmgr-software",
            "configmgr-systems"
        ]
    );
    assert_eq!(
        ids(&loaded),
        ["FR-WS-0142", "FR-SRV-FS01", "FR-SRV-KSC01", "FR-WS-M?LLER"],
        "devices keep their host names; no asset is named by a ResourceID"
    );
    let ws = asset(&loaded, "FR-WS-0142");
    assert_eq!(ws.os.family, OsFamily::WindowsClient);
    assert_eq!(ws.os.version.as_deref(), Some("11"), "build 22631");
    assert_eq!(
        names(ws),
        [
            (
                "Kaspersky Endpoint Security for Windows",
                Some("12.6.0.438")
            ),
            (
                "Kaspersky Security Center Network Agent",
                Some("15.1.0.20748")
            ),
        ],
        "the 32- and 64-bit hives are unioned"
    );
    let fs = asset(&loaded, "FR-SRV-FS01");
    assert_eq!(
        (fs.os.family, fs.os.version.as_deref()),
        (OsFamily::WindowsServer, Some("2019"))
    );
    assert_eq!(fs.origin.as_ref().unwrap().to_string(), "systems.csv:4");
    assert_eq!(
        asset(&loaded, "FR-WS-M?LLER").software[0]
            .publisher
            .as_deref(),
        Some("M?ller Maschinenbau GmbH")
    );
    for a in loaded.inventory.assets() {
        assert!(
            a.depends_on.is_empty(),
            "no alias leaks: {:?}",
            a.depends_on
        );
    }
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
}

#[test]
fn resource_ids_without_a_systems_export_name_the_assets_and_warn() {
    let loaded = load(&[("arp64.csv", ARP64)]);
    assert_eq!(ids(&loaded), ["16777321", "16777288"]);
    assert_eq!(asset(&loaded, "16777321").software.len(), 2);
    assert_eq!(
        warnings(&loaded),
        [
            "arp64.csv: 2 device(s) are named only by their ConfigMgr ResourceID (16777321, \
          16777288): no ConfigMgr systems export (v_R_System) of this import names them; add \
          it to join the software to the device names"
        ]
    );
}

#[test]
fn broken_rows_are_reported_with_their_line_and_strict_fails() {
    let text = concat!(
        "#TYPE System.Data.DataRow\r\n",
        "\"ResourceID\",\"DisplayName0\",\"Publisher0\",\"Version0\"\r\n",
        "\"16777321\",\"Kaspersky Endpoint Security for Windows\",\"AO Kaspersky Lab\",\"12.6.0.438\"\r\n",
        "\"16777321\",\"Broken \"\"row\",\"x\"\r\n",
        "\"\",\"Orphan\",\"x\",\"1\"\r\n",
        "\"16777321\",\"\",\"\",\"\"\r\n",
        "\"16777321\",\"7-Zip 23.01\",\"Igor Pavlov\",\"23.01\"\r\n",
    );
    let loaded = load(&[("arp.csv", text), ("systems.csv", SYSTEMS)]);
    assert_eq!(
        warnings(&loaded),
        [
            "arp.csv:4: row has 3 fields, the header has 4; row skipped",
            "arp.csv:5: row names no device (Name0 and ResourceID are empty); row skipped",
        ]
    );
    assert_eq!(
        names(asset(&loaded, "FR-WS-0142")),
        [
            (
                "Kaspersky Endpoint Security for Windows",
                Some("12.6.0.438")
            ),
            ("7-Zip 23.01", Some("23.01")),
        ]
    );
    assert_eq!(loaded.files[0].skipped.get("no software name"), Some(&1));
    let strict = ImportOptions {
        strict: true,
        ..ImportOptions::default()
    };
    let e = load_with(&[("arp.csv", text)], &strict).expect_err("strict");
    assert_eq!(
        e,
        "arp.csv:4: row has 3 fields, the header has 4; row skipped"
    );
}

#[test]
fn kaspersky_is_detected_and_the_ksc_server_found_for_a_ksc_export() {
    let ksc = "Name\tDNS domain\tNetwork Agent version\tApplication version\t\
Name of virtual or secondary Administration Server\r\n\
FR-WS-0142\tmueller-mb.local\t15.1.0.20748\t12.6.0.438\t\r\n";
    let loaded = load(&[
        ("hosts.csv", ksc),
        ("systems.csv", SYSTEMS),
        ("arp.csv", ARP),
        ("arp64.csv", ARP64),
    ]);
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
    let ws = asset(&loaded, "FR-WS-0142");
    assert_eq!(
        ws.id, "FR-WS-0142.mueller-mb.local",
        "the KSC record came first"
    );
    let managed: Vec<_> = ws
        .depends_on
        .iter()
        .map(|r| (r.target.as_str(), r.kind))
        .collect();
    assert_eq!(managed, [("FR-SRV-KSC01", RelationKind::ManagedBy)]);
    let analysis = Analysis::run(&loaded.inventory, &RuleSet::builtin());
    let direct: Vec<&str> = loaded
        .inventory
        .assets()
        .iter()
        .enumerate()
        .filter(|(i, _)| analysis.reliance_of(*i) == Reliance::Direct)
        .map(|(_, a)| a.id.as_str())
        .collect();
    assert_eq!(
        direct,
        ["FR-WS-0142.mueller-mb.local", "FR-SRV-FS01", "FR-SRV-KSC01"]
    );
}
