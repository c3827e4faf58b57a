//! Microsoft Intune exports: Discovered apps raw data (`intune-appinv-raw`), the refused
//! aggregate (`intune-appinv-aggregate`) and the All devices export (`intune-devices`), merged
//! by device name; macOS apps without publisher; `_loc` columns ignored.

use crate::import_support;

use avmigrate::analysis::{Analysis, Reliance};
use avmigrate::inventory::ImportOptions;
use avmigrate::model::{AssetKind, OsFamily, Software};
use avmigrate::rules::RuleSet;
use import_support::*;

/// The sample AppInvRawData export, byte for byte (all fields quoted, CRLF, no BOM).
const RAW: &str = concat!(
    "\"ApplicationKey\",\"ApplicationName\",\"ApplicationPublisher\",\"ApplicationShortVersion\",\"ApplicationVersion\",\"DeviceId\",\"DeviceName\",\"OSDescription\",\"OSVersion\",\"Platform\",\"UserId\",\"EmailAddress\",\"UserName\"\r\n",
    "\"87cefaf7d9e06475ecaea86238914feb25913791\",\"Kaspersky Endpoint Security for Windows\",\"AO Kaspersky Lab\",\"12.6.0.438\",\"12.6.0.438\",\"6f1d2c3b-4a59-4e8f-9d0c-1b2a3f4e5d60\",\"FR-NB-0207\",\"Windows 11 Enterprise\",\"10.0.22631.3235\",\"Windows\",\"a1b2c3d4-e5f6-4789-9abc-def012345607\",\"s.keller@mueller-mb.de\",\"Sabine Keller\"\r\n",
    "\"5df38638c13f46c7e2369f240514e0de16803b95\",\"Kaspersky Security Center Network Agent\",\"AO Kaspersky Lab\",\"15.1.0.20748\",\"15.1.0.20748\",\"6f1d2c3b-4a59-4e8f-9d0c-1b2a3f4e5d60\",\"FR-NB-0207\",\"Windows 11 Enterprise\",\"10.0.22631.3235\",\"Windows\",\"a1b2c3d4-e5f6-4789-9abc-def012345607\",\"s.keller@mueller-mb.de\",\"Sabine Keller\"\r\n",
    "\"4f0a66b4209f4888e3e312ce417a30c0de22e89a\",\"Microsoft 365 Apps for enterprise - de-de\",\"Microsoft Corporation\",\"16.0.17328.20184\",\"16.0.17328.20184\",\"6f1d2c3b-4a59-4e8f-9d0c-1b2a3f4e5d60\",\"FR-NB-0207\",\"Windows 11 Enterprise\",\"10.0.22631.3235\",\"Windows\",\"a1b2c3d4-e5f6-4789-9abc-def012345607\",\"s.keller@mueller-mb.de\",\"Sabine Keller\"\r\n",
    "\"4f0a66b4209f4888e3e312ce417a30c0de22e89a\",\"Microsoft 365 Apps for enterprise - de-de\",\"Microsoft Corporation\",\"16.0.17328.20184\",\"16.0.17328.20184\",\"0d9c8b7a-6e5f-4d3c-2b1a-0f9e8d7c6b44\",\"OG-NB-0044\",\"Windows 11 Pro\",\"10.0.22631.3235\",\"Windows\",\"b2c3d4e5-f6a7-4890-abcd-ef0123456744\",\"t.schaefer@mueller-mb.de\",\"Tobias Schäfer\"\r\n",
    "\"1cbaba7ef9a8badabff95ce24fa8333e5bb18966\",\"Sophos Connect\",\"Sophos Limited\",\"2.3.1.0412\",\"2.3.1.0412\",\"0d9c8b7a-6e5f-4d3c-2b1a-0f9e8d7c6b44\",\"OG-NB-0044\",\"Windows 11 Pro\",\"10.0.22631.3235\",\"Windows\",\"b2c3d4e5-f6a7-4890-abcd-ef0123456744\",\"t.schaefer@mueller-mb.de\",\"Tobias Schäfer\"\r\n",
    "\"a2e16375f005d8ba07a39c7f40bae2236e33f633\",\"Kaspersky Endpoint Security for Mac\",\"\",\"12.1.0\",\"12.1.0.553\",\"3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a601\",\"FR-MAC-KON01\",\"macOS\",\"14.3.1\",\"macOS\",\"c3d4e5f6-a7b8-4901-bcde-f01234567801\",\"j.wagner@mueller-mb.de\",\"Julia Wagner\"\r\n",
    "\"a33213ac3e88806663785753bd1364cb90c09643\",\"Microsoft Teams\",\"\",\"24033.811.2738\",\"24033.811.2738.2546\",\"3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a601\",\"FR-MAC-KON01\",\"macOS\",\"14.3.1\",\"macOS\",\"c3d4e5f6-a7b8-4901-bcde-f01234567801\",\"j.wagner@mueller-mb.de\",\"Julia Wagner\"\r\n",
);

/// "Devices > All devices > Export": friendly headers, `OS_loc` duplicate, UTF-8 BOM.
const DEVICES: &str = concat!(
    "\u{feff}Device ID,Device name,Enrollment date,Last check-in,Azure AD Device ID,OS version,",
    "Serial number,Manufacturer,Model,Category,Primary user UPN,Primary user display name,",
    "Compliance,Managed by,Ownership,OS,OS_loc,JoinType\r\n",
    "6f1d2c3b-4a59-4e8f-9d0c-1b2a3f4e5d60,FR-NB-0207,2024-01-15 09:12:00,2025-03-10 06:58:12,",
    "0a1b2c3d-0000-4000-8000-000000000207,10.0.22631.3235,5CG1234XYZ,HP,EliteBook 840 G9,",
    "Vertrieb,s.keller@mueller-mb.de,Sabine Keller,Compliant,Co-managed,Corporate,Windows,",
    "Windows (lokalisiert),Hybrid Azure AD joined\r\n",
    "3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a601,FR-MAC-KON01,2023-11-02 14:00:00,2025-03-10 07:30:00,",
    ",14.3.1,C02XK1ABJG5H,Apple,MacBook Pro,Konstruktion,j.wagner@mueller-mb.de,Julia Wagner,",
    "Compliant,Intune,Corporate,macOS,macOS,\r\n",
    "9999,,2024-01-15 09:12:00,,,10.0.19045.4046,,,,,,,,Intune,Personal,Windows,Windows,\r\n",
    "aaaa-bbbb,OG-IPAD-07,2024-05-05 10:00:00,2025-03-09 18:00:00,,17.3.1,DMPX1234,Apple,iPad Air,",
    ",t.schaefer@mueller-mb.de,Tobias Schäfer,Compliant,Intune,Corporate,iOS/iPadOS,iOS/iPadOS,\r\n",
);

/// "Apps > Monitor > Discovered apps > Export" aggregate: no device column.
const AGGREGATE: &str = concat!(
    "\"ApplicationId\",\"ApplicationKey\",\"ApplicationName\",\"ApplicationPublisher\",",
    "\"ApplicationShortVersion\",\"ApplicationVersion\",\"DeviceCount\",\"Platform\"\r\n",
    "\"1\",\"87ce\",\"Kaspersky Endpoint Security for Windows\",\"AO Kaspersky Lab\",\"12.6.0.438\",",
    "\"12.6.0.438\",\"118\",\"Windows\"\r\n",
    "\"2\",\"a2e1\",\"Kaspersky Endpoint Security for Mac\",\"\",\"12.1.0\",\"12.1.0.553\",\"6\",\"macOS\"\r\n",
    "\"3\",\"4f0a\",\"Microsoft 365 Apps for enterprise - de-de\",\"Microsoft Corporation\",",
    "\"16.0.17328.20184\",\"16.0.17328.20184\",\"240\",\"Windows\"\r\n",
);

#[test]
fn raw_app_inventory_gives_software_per_device_with_its_os() {
    let loaded = load(&[("AppInvRawData.csv", RAW)]);
    let f = &loaded.files[0];
    assert_eq!(
        (f.format, f.rows, f.assets, f.software),
        ("intune-appinv-raw", 7, 3, 7)
    );
    let ids: Vec<&str> = loaded
        .inventory
        .assets()
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["FR-NB-0207", "OG-NB-0044", "FR-MAC-KON01"],
        "names as written"
    );
    let nb = asset(&loaded, "FR-NB-0207");
    assert_eq!(nb.os.raw, "Windows 11 Enterprise 10.0.22631.3235");
    assert_eq!(nb.os.feature_update.as_deref(), Some("23H2"));
    assert_eq!(nb.kind, AssetKind::Workstation);
    assert_eq!(
        nb.software[0],
        Software {
            name: "Kaspersky Endpoint Security for Windows".into(),
            version: Some("12.6.0.438".into()),
            publisher: Some("AO Kaspersky Lab".into()),
        }
    );
    assert_eq!(
        nb.origin.as_ref().unwrap().to_string(),
        "AppInvRawData.csv:2"
    );
    let mac = asset(&loaded, "FR-MAC-KON01");
    assert_eq!(mac.os.family, OsFamily::Macos);
    assert_eq!(
        mac.software[0],
        Software {
            name: "Kaspersky Endpoint Security for Mac".into(),
            version: Some("12.1.0.553".into()),
            publisher: None,
        },
        "macOS apps have no publisher"
    );
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
}

#[test]
fn raw_data_and_the_devices_export_merge_by_device_name() {
    let loaded = load(&[("AppInvRawData.csv", RAW), ("devices.csv", DEVICES)]);
    assert_eq!(loaded.files[1].format, "intune-devices");
    assert_eq!(
        loaded.inventory.len(),
        4,
        "3 devices of both files and the iPad"
    );
    let nb = asset(&loaded, "FR-NB-0207");
    assert_eq!(
        nb.owner().map(|t| t.as_str()),
        Some("s.keller@mueller-mb.de")
    );
    assert_eq!(
        nb.tags().map(|t| t.as_str()).collect::<Vec<_>>(),
        ["Vertrieb"]
    );
    assert_eq!(
        nb.os.raw, "Windows 11 Enterprise 10.0.22631.3235",
        "the same OS in both files: the first text is kept, no conflict"
    );
    assert_eq!(nb.os.version.as_deref(), Some("11"));
    assert_eq!(nb.software.len(), 3);
    assert_eq!(
        nb.vendor_id("entra"),
        Some("0a1b2c3d-0000-4000-8000-000000000207"),
        "the Entra ID device id is kept for the rollout export"
    );
    let mac = asset(&loaded, "FR-MAC-KON01");
    assert_eq!((mac.os.family, mac.software.len()), (OsFamily::Macos, 2));
    assert_eq!(mac.vendor_id("entra"), None, "an empty id is not kept");
    let ipad = asset(&loaded, "OG-IPAD-07");
    assert_eq!(
        (ipad.os.family, ipad.kind),
        (OsFamily::Ios, AssetKind::Mobile)
    );
    assert_eq!(
        ipad.tags().map(|t| t.as_str()).collect::<Vec<_>>(),
        Vec::<String>::new()
    );
    assert_eq!(
        asset(&loaded, "OG-NB-0044").software.len(),
        2,
        "only in the raw data"
    );
    assert_eq!(
        warnings(&loaded),
        ["devices.csv:4: row has no device name (column \"Device name\" is empty); row skipped"]
    );
    let analysis = Analysis::run(&loaded.inventory, &RuleSet::builtin());
    let direct: Vec<&str> = loaded
        .inventory
        .assets()
        .iter()
        .enumerate()
        .filter(|(i, _)| analysis.reliance_of(*i) == Reliance::Direct)
        .map(|(_, a)| a.id.as_str())
        .collect();
    assert_eq!(direct, ["FR-NB-0207", "FR-MAC-KON01"]);
}

#[test]
fn the_aggregate_is_refused_with_what_to_export_instead() {
    let e = load_with(
        &[("AppInvAggregate.csv", AGGREGATE)],
        &ImportOptions::default(),
    )
    .expect_err("refused");
    assert_eq!(
        e,
        "AppInvAggregate.csv: an Intune Discovered apps aggregate (AppInvAggregate) counts \
         devices per app and names no device (124 Kaspersky installations counted), so it \
         cannot be imported; export the per-device raw data (AppInvRawData) instead"
    );
}

#[test]
fn broken_rows_name_their_line_and_strict_fails() {
    let raw = concat!(
        "\"ApplicationName\",\"ApplicationPublisher\",\"ApplicationVersion\",\"DeviceId\",\"DeviceName\",\"Platform\"\r\n",
        "\"Kaspersky Endpoint Security for Windows\",\"AO Kaspersky Lab\",\"12.6.0.438\",\"d1\",\"FR-NB-0207\",\"Windows\"\r\n",
        "\"Notepad++\",\"Notepad++ Team\"\r\n",
        "\"\",\"x\",\"1\",\"d1\",\"FR-NB-0207\",\"Windows\"\r\n",
        "\"7-Zip\",\"Igor Pavlov\",\"23.01\",\"d2\",\"\",\"Windows\"\r\n",
    );
    let loaded = load(&[("raw.csv", raw)]);
    assert_eq!(
        warnings(&loaded),
        [
            "raw.csv:3: row has 2 fields, the header has 6; row skipped",
            "raw.csv:4: row has no DeviceName or ApplicationName; row skipped",
        ]
    );
    assert_eq!(
        asset(&loaded, "d2").software[0].name,
        "7-Zip",
        "DeviceId when no name"
    );
    let strict = ImportOptions {
        strict: true,
        ..ImportOptions::default()
    };
    let e = load_with(&[("raw.csv", raw)], &strict).expect_err("strict");
    assert_eq!(
        e,
        "raw.csv:3: row has 2 fields, the header has 6; row skipped"
    );
}
