//! Kaspersky Security Center managed-devices list export (`ksc-devices`): tab-separated
//! `.csv`, UTF-8 with and without BOM, UTF-16LE MMC export, German headers, relative dates,
//! and the managed-by relations to the secondary or the primary Administration Server.

use crate::import_support;

use avmigrate::analysis::{Analysis, Reliance};
use avmigrate::inventory::{ImportOptions, Loaded, load_sources};
use avmigrate::model::{Asset, OsFamily, RelationKind, Software};
use avmigrate::rules::RuleSet;
use import_support::*;

/// The sample export, byte for byte: tabs, CRLF, UTF-8 umlauts, relative dates.
const KSC: &str = concat!(
    "Name\tOperating system type\tWindows domain\tNetwork Agent is installed\tNetwork Agent is running\tReal-time protection\tLast connected to Administration Server\tProtection last updated\tStatus\tStatus description\tInformation last updated\tDNS domain\tTotal number of threats detected\tConnection IP address\tNetwork Agent version\tApplication version\tAnti-virus databases last updated\tDescription\tEndpoint Sensor status\tOperating system release ID\tName of virtual or secondary Administration Server\tParent group\r\n",
    "FR-WS-0142\tMicrosoft Windows 11 Pro\tMUELLER-MB\tYes\tYes\tRunning\t3 minutes ago\t3/10/2025 6:02:11 AM\tOK\t\t3 minutes ago\tmueller-mb.local\t0\t10.10.20.142\t15.1.0.20748\t12.6.0.438\t3/10/2025 4:11:37 AM\tKonstruktion EG\tNot installed\t23H2\t\tArbeitsplätze\r\n",
    "FR-NB-0207\tMicrosoft Windows 11 Enterprise\tMUELLER-MB\tYes\tYes\tRunning\t1 hour ago\t3/10/2025 7:45:02 AM\tOK\t\t1 hour ago\tmueller-mb.local\t2\t10.10.40.37\t15.1.0.20748\t12.6.0.438\t3/10/2025 4:11:37 AM\tVertrieb Außendienst\tNot installed\t23H2\t\tNotebooks\r\n",
    "FR-SRV-DC01\tMicrosoft Windows Server 2022 Standard\tMUELLER-MB\tYes\tYes\tRunning\t12 minutes ago\t3/10/2025 6:00:45 AM\tOK\t\t12 minutes ago\tmueller-mb.local\t0\t10.10.1.10\t15.1.0.20748\t11.0.1.897\t3/10/2025 4:11:37 AM\tDomänencontroller\tNot installed\t21H2\t\tServer\r\n",
    "FR-SRV-KSC01\tMicrosoft Windows Server 2019 Standard\tMUELLER-MB\tYes\tYes\tRunning\t1 minute ago\t3/10/2025 6:00:12 AM\tOK\t\t1 minute ago\tmueller-mb.local\t0\t10.10.1.20\t14.2.0.26967\t11.0.1.897\t3/10/2025 4:11:37 AM\tKaspersky Security Center Administrationsserver\tNot installed\t1809\t\tServer\r\n",
    "FR-SRV-EX01\tMicrosoft Windows Server 2019 Standard\tMUELLER-MB\tYes\tYes\tNot installed\t5 minutes ago\t\tWarning\tProtection is not installed\t5 minutes ago\tmueller-mb.local\t0\t10.10.1.25\t15.1.0.20748\t\t\tExchange 2019 (Mailbox)\tNot installed\t1809\t\tServer\r\n",
    "FR-SRV-FS01\tMicrosoft Windows Server 2019 Standard\tMUELLER-MB\tYes\tYes\tRunning\t7 minutes ago\t3/10/2025 6:01:33 AM\tOK\t\t7 minutes ago\tmueller-mb.local\t14\t10.10.1.30\t15.1.0.20748\t11.0.1.897\t3/10/2025 4:11:37 AM\tDateiserver\tNot installed\t1809\t\tServer\r\n",
    "fr-lx-web01\tUbuntu 22.04.4 LTS\t\tYes\tYes\tRunning\t2 minutes ago\t3/10/2025 6:05:51 AM\tOK\t\t2 minutes ago\tmueller-mb.local\t0\t10.10.5.11\t15.1.0.20748\t12.3.0.1162\t3/10/2025 4:11:37 AM\tWebserver Intranet\tNot installed\t\t\tLinux-Server\r\n",
    "fr-lx-db02\tRed Hat Enterprise Linux 9.3\t\tYes\tNo\tNot running\t2/27/2025 11:48:19 PM\t2/27/2025 6:01:02 AM\tCritical\tAnti-virus databases are outdated; Network Agent is not running\t2/27/2025 11:48:19 PM\tmueller-mb.local\t0\t10.10.5.22\t15.1.0.20748\t12.3.0.1162\t2/27/2025 4:10:58 AM\tPostgreSQL ERP\tNot installed\t\t\tLinux-Server\r\n",
    "OG-WS-0031\tMicrosoft Windows 10 Pro\tMUELLER-MB\tYes\tYes\tRunning\t9 minutes ago\t3/10/2025 5:58:40 AM\tOK\t\t9 minutes ago\tmueller-mb.local\t0\t10.20.20.31\t14.2.0.26967\t11.11.0.452\t3/10/2025 4:11:37 AM\tWerk Offenburg Fertigung\tNot installed\t22H2\tOG-SRV-KSC02\tArbeitsplätze Offenburg\r\n",
    "FR-MAC-KON01\tmacOS 14 Sonoma\t\tYes\tYes\tRunning\t22 minutes ago\t3/10/2025 6:20:09 AM\tOK\t\t22 minutes ago\t\t0\t10.10.20.91\t15.1.0.20748\t12.1.0.553\t3/10/2025 4:11:37 AM\tKonstruktion Design\tNot installed\t\t\tMac\r\n",
);

/// A software list that shows where the Administration Server is installed.
const KSC_SERVER_SOFTWARE: &[u8] = b"asset,name,version,publisher\r\n\
FR-SRV-KSC01,Kaspersky Security Center 14.2 Administration Server,14.2.0.26967,AO Kaspersky Lab\r\n";

fn load_with(files: &[(&str, &[u8])], opts: &ImportOptions) -> Loaded {
    let sources = files
        .iter()
        .map(|(label, bytes)| (label.to_string(), bytes.to_vec()))
        .collect();
    load_sources(sources, opts).unwrap_or_else(|e| panic!("import failed: {e}"))
}

fn load(files: &[(&str, &[u8])]) -> Loaded {
    load_with(files, &ImportOptions::default())
}

fn managers(a: &Asset) -> Vec<&str> {
    a.depends_on
        .iter()
        .filter(|r| r.kind == RelationKind::ManagedBy)
        .map(|r| r.target.as_str())
        .collect()
}

fn sw(name: &str, version: &str) -> Software {
    Software {
        name: name.into(),
        version: Some(version.into()),
        publisher: Some("AO Kaspersky Lab".into()),
    }
}

fn utf16le_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

#[test]
fn sample_export_gives_devices_software_os_and_group_tags() {
    let loaded = load(&[
        ("all_hosts.csv", KSC.as_bytes()),
        ("ksc01.csv", KSC_SERVER_SOFTWARE),
    ]);
    let f = &loaded.files[0];
    assert_eq!(
        (f.format, f.encoding, f.separator, f.rows, f.assets),
        ("ksc-devices", "utf-8", Some('\t'), 10, 10)
    );
    let ws = asset(&loaded, "FR-WS-0142");
    assert_eq!(ws.id, "FR-WS-0142.mueller-mb.local");
    assert_eq!(ws.name.as_deref(), Some("FR-WS-0142"));
    assert_eq!(ws.os.raw, "Microsoft Windows 11 Pro 23H2");
    assert_eq!(ws.os.feature_update.as_deref(), Some("23H2"));
    assert_eq!(
        ws.tags().map(|t| t.as_str()).collect::<Vec<_>>(),
        ["Arbeitsplätze"]
    );
    assert_eq!(
        ws.software,
        [
            sw("Kaspersky Security Center Network Agent", "15.1.0.20748"),
            sw("Kaspersky Endpoint Security for Windows", "12.6.0.438"),
        ]
    );
    assert_eq!(ws.origin.as_ref().unwrap().to_string(), "all_hosts.csv:2");
    let fs = asset(&loaded, "fr-srv-fs01");
    assert_eq!(fs.os.family, OsFamily::WindowsServer);
    assert_eq!(
        fs.software[1],
        sw("Kaspersky Security for Windows Server", "11.0.1.897")
    );
    let ex = asset(&loaded, "FR-SRV-EX01");
    assert_eq!(
        ex.software,
        [sw(
            "Kaspersky Security Center Network Agent",
            "15.1.0.20748"
        )],
        "no application version: only the agent"
    );
    let web = asset(&loaded, "fr-lx-web01.mueller-mb.local");
    assert_eq!(web.os.raw, "Ubuntu 22.04.4 LTS");
    assert_eq!(
        web.software[1],
        sw("Kaspersky Endpoint Security for Linux", "12.3.0.1162")
    );
    let mac = asset(&loaded, "FR-MAC-KON01");
    assert_eq!(mac.id, "FR-MAC-KON01", "no DNS domain: the name is the id");
    assert_eq!(mac.name, None);
    assert_eq!(mac.software[1].name, "Kaspersky Endpoint Security for Mac");
}

#[test]
fn devices_are_managed_by_the_secondary_server_or_the_primary_found_in_another_file() {
    let loaded = load(&[
        ("all_hosts.csv", KSC.as_bytes()),
        ("ksc01.csv", KSC_SERVER_SOFTWARE),
    ]);
    let primary = "FR-SRV-KSC01.mueller-mb.local";
    assert_eq!(managers(asset(&loaded, "FR-WS-0142")), [primary]);
    assert_eq!(managers(asset(&loaded, "fr-lx-db02")), [primary]);
    assert_eq!(managers(asset(&loaded, "OG-WS-0031")), ["OG-SRV-KSC02"]);
    assert!(
        managers(asset(&loaded, "FR-SRV-KSC01")).is_empty(),
        "the server does not manage itself"
    );
    let rel = &asset(&loaded, "FR-NB-0207").depends_on[0];
    assert_eq!(rel.origin.as_ref().unwrap().to_string(), "all_hosts.csv:3");
    // The free-text description of the server names its product: read, with a warning.
    assert_eq!(
        warnings(&loaded),
        [
            "all_hosts.csv:5:206: column \"Description\" is not an inventory column, but \
             \"Kaspersky Security Center Administrationsserver\" names Kaspersky Security \
             Center Administration Server; read as software"
        ]
    );
    for a in loaded.inventory.assets() {
        for r in &a.depends_on {
            assert!(!r.target.contains('\0'), "placeholder leaked: {r:?}");
        }
    }
}

#[test]
fn the_primary_server_can_be_given_and_must_otherwise_be_unique() {
    let opts = ImportOptions {
        ksc_server: Some("fr-srv-ksc01".into()),
        ..ImportOptions::default()
    };
    let loaded = load_with(&[("all_hosts.csv", KSC.as_bytes())], &opts);
    assert_eq!(
        managers(asset(&loaded, "FR-WS-0142")),
        ["FR-SRV-KSC01.mueller-mb.local"],
        "--ksc-server resolves to the asset's id"
    );
    assert_eq!(loaded.warnings.len(), 1, "{:?}", warnings(&loaded));

    // Without the description that names the server's product, nothing tells which it is.
    let quiet = KSC.replace(
        "Kaspersky Security Center Administrationsserver",
        "Zentrale",
    );
    let alone = load(&[("all_hosts.csv", quiet.as_bytes())]);
    assert_eq!(
        warnings(&alone),
        [
            "all_hosts.csv: the devices of this Kaspersky Security Center export are managed by \
          its primary Administration Server, which is not known: no asset of the inventory has \
          the Administration Server installed; name it with --ksc-server ID (their managed-by \
          relations to it are left out)"
        ]
    );
    assert!(managers(asset(&alone, "FR-WS-0142")).is_empty());
    assert_eq!(managers(asset(&alone, "OG-WS-0031")), ["OG-SRV-KSC02"]);

    let two = b"asset,name,version\n\
FR-SRV-KSC01,Kaspersky Security Center 14.2 Administration Server,14.2\n\
OG-SRV-KSC02,ksc64,15.1.0-20748\n";
    let several = load(&[("all_hosts.csv", quiet.as_bytes()), ("sw.csv", two)]);
    let w = warnings(&several);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("several assets have the Administration Server installed (FR-SRV-KSC01.mueller-mb.local, OG-SRV-KSC02)")
            && w[0].contains("--ksc-server"),
        "{w:?}"
    );
    assert!(managers(asset(&several, "FR-WS-0142")).is_empty());

    let strict = ImportOptions {
        strict: true,
        ..ImportOptions::default()
    };
    let e = load_sources(
        vec![("all_hosts.csv".into(), quiet.as_bytes().to_vec())],
        &strict,
    )
    .expect_err("strict: the unknown primary server is an error");
    assert!(
        e.to_string()
            .starts_with("all_hosts.csv: the devices of this Kaspersky"),
        "{e}"
    );
}

#[test]
fn mmc_unicode_export_and_german_headers_with_relative_dates() {
    let mmc = utf16le_bom(KSC);
    let loaded = load(&[("export.txt", &mmc), ("ksc01.csv", KSC_SERVER_SOFTWARE)]);
    assert_eq!(
        (loaded.files[0].format, loaded.files[0].encoding),
        ("ksc-devices", "utf-16le")
    );
    assert_eq!(loaded.inventory.len(), 10, "OG-SRV-KSC02 is not made up");
    assert_eq!(
        asset(&loaded, "FR-NB-0207")
            .tags()
            .map(|t| t.as_str())
            .collect::<Vec<_>>(),
        ["Notebooks"]
    );

    let german = "\u{feff}Name\tBetriebssystem\tWindows-Domäne\tAdministrationsagent ist installiert\t\
Verbindung mit dem Administrationsserver\tDNS-Domäne\tVersion des Administrationsagenten\t\
Programmversion\tName des virtuellen oder sekundären Administrationsservers\tGruppe\r\n\
FR-WS-0150\tMicrosoft Windows 10 Pro\tMUELLER-MB\tJa\tvor 5 Minuten\tmueller-mb.local\t\t12.6.0.438\t\tArbeitsplätze\r\n\
FR-WS-0151\tMicrosoft Windows 10 Pro\tMUELLER-MB\tNein\t10.03.2025 07:12\tmueller-mb.local\t\t\t\tArbeitsplätze\r\n";
    let loaded = load(&[("geraete.csv", german.as_bytes())]);
    assert_eq!(
        (loaded.files[0].format, loaded.files[0].encoding),
        ("ksc-devices", "utf-8-bom")
    );
    let a = asset(&loaded, "FR-WS-0150");
    assert_eq!(a.id, "FR-WS-0150.mueller-mb.local");
    assert_eq!(
        a.tags().map(|t| t.as_str()).collect::<Vec<_>>(),
        ["Arbeitsplätze"]
    );
    assert_eq!(
        a.software,
        [
            Software {
                name: "Kaspersky Security Center Network Agent".into(),
                version: None,
                publisher: Some("AO Kaspersky Lab".into()),
            },
            sw("Kaspersky Endpoint Security for Windows", "12.6.0.438"),
        ],
        "installed without a version: the agent without a version"
    );
    assert!(asset(&loaded, "FR-WS-0151").software.is_empty());
}

#[test]
fn broken_rows_are_reported_with_their_line_and_the_rest_imports() {
    let text = "Name\tNetwork Agent version\tApplication version\tName of virtual or secondary Administration Server\r\n\
ws-1\t15.1.0.20748\t12.6.0.438\tksc02\r\n\
ws-2\t15.1.0.20748\r\n\
\t15.1.0.20748\t12.6.0.438\tksc02\r\n\
ws-3\t15.1.0.20748\t\tksc02\r\n";
    let loaded = load(&[("k.csv", text.as_bytes())]);
    assert_eq!(
        warnings(&loaded),
        [
            "k.csv:3: row has 2 fields, the header has 4; row skipped",
            "k.csv:4: row has no device name (column \"Name\" is empty); row skipped",
        ]
    );
    assert_eq!(loaded.inventory.len(), 2);
    assert_eq!(managers(asset(&loaded, "ws-3")), ["ksc02"]);
    let strict = ImportOptions {
        strict: true,
        ..ImportOptions::default()
    };
    let e = load_sources(vec![("k.csv".into(), text.as_bytes().to_vec())], &strict)
        .expect_err("strict");
    assert_eq!(
        e.to_string(),
        "k.csv:3: row has 2 fields, the header has 4; row skipped"
    );
}

#[test]
fn kaspersky_hosts_are_direct_and_managed_devices_rely_on_the_server() {
    let loaded = load(&[
        ("all_hosts.csv", KSC.as_bytes()),
        ("ksc01.csv", KSC_SERVER_SOFTWARE),
    ]);
    let rules = RuleSet::builtin();
    let analysis = Analysis::run(&loaded.inventory, &rules);
    for (i, a) in loaded.inventory.assets().iter().enumerate() {
        assert_eq!(analysis.reliance_of(i), Reliance::Direct, "{}", a.id);
    }
    let server = loaded
        .inventory
        .resolve("FR-SRV-KSC01")
        .expect("server asset");
    assert!(
        analysis.findings[server]
            .iter()
            .any(|f| rules.rules()[usize::from(f.rule)].id == "ksc-admin-server"),
        "{:?}",
        &analysis.findings[server]
    );
}

/// The sample `InventoryApi.GetHostInvProducts` result, byte for byte (LF, 2-space indent).
const FS01_PRODUCTS: &str = r##"{
  "PxgRetVal": {
    "KLEVP_EA_PARAM_1": [
      {
        "type": "params",
        "value": {
          "ProductID": "3F2B1C0D9E8F7A6B5C4D3E2F1A0B9C8D",
          "bIsMsi": true,
          "DisplayName": "Kaspersky Security for Windows Server",
          "DisplayVersion": "11.0.1.897",
          "Publisher": "AO Kaspersky Lab",
          "InstallDate": "20230522",
          "InstallDir": "C:\\Program Files (x86)\\Kaspersky Lab\\Kaspersky Security for Windows Server\\",
          "Comments": "",
          "HelpLink": "",
          "HelpTelephone": "",
          "ARPRegKey": "{8E4B3A9F-2C1D-4E5F-A6B7-C8D9E0F1A2B3}",
          "CleanerProductName": "",
          "UninstallString": "MsiExec.exe /X{8E4B3A9F-2C1D-4E5F-A6B7-C8D9E0F1A2B3}",
          "QuietUninstallString": ""
        }
      },
      {
        "type": "params",
        "value": {
          "ProductID": "7A6B5C4D3E2F1A0B9C8D7E6F5A4B3C2D",
          "bIsMsi": true,
          "DisplayName": "Kaspersky Security Center Network Agent",
          "DisplayVersion": "15.1.0.20748",
          "Publisher": "AO Kaspersky Lab",
          "InstallDate": "20240611",
          "InstallDir": "C:\\Program Files (x86)\\Kaspersky Lab\\NetworkAgent\\",
          "Comments": "",
          "HelpLink": "",
          "HelpTelephone": "",
          "ARPRegKey": "{B9518725-0B76-4793-A409-C6794442FCE2}",
          "CleanerProductName": "",
          "UninstallString": "MsiExec.exe /I{B9518725-0B76-4793-A409-C6794442FCE2}",
          "QuietUninstallString": ""
        }
      },
      {
        "type": "params",
        "value": {
          "ProductID": "0C1D2E3F4A5B6C7D8E9F0A1B2C3D4E5F",
          "bIsMsi": false,
          "DisplayName": "Veeam Agent for Microsoft Windows",
          "DisplayVersion": "6.1.2.134",
          "Publisher": "Veeam Software Group GmbH",
          "InstallDate": "20240402",
          "InstallDir": "C:\\Program Files\\Veeam\\Endpoint Backup\\",
          "Comments": "",
          "HelpLink": "https://www.veeam.com/support.html",
          "HelpTelephone": "",
          "ARPRegKey": "Veeam Agent for Microsoft Windows",
          "CleanerProductName": "",
          "UninstallString": "\"C:\\Program Files\\Veeam\\Endpoint Backup\\Veeam.Agent.Configurator.exe\" -uninstall",
          "QuietUninstallString": ""
        }
      }
    ]
  }
}
"##;

/// `HostGroup.FindHosts` → `ChunkAccessor.GetItemsChunk`, saved after the groups
/// (`HostGroup.GetSubgroups`) in one file: typed scalars, a host without any name.
const HOSTS: &str = r#"{"PxgRetVal": [
  {"type": "params", "value": {"id": {"type": "long", "value": 5}, "name": "Arbeitsplätze", "parentId": {"type": "long", "value": 0}}},
  {"type": "params", "value": {"id": {"type": "long", "value": 7}, "name": "Server", "parentId": {"type": "long", "value": 0}}}
]}
{
  "pChunk": {
    "KLCSP_ITERATOR_ARRAY": [
      {"type": "params", "value": {
        "KLHST_WKS_HOSTNAME": "4a1f0c2e-9b7d-4e8a-b1c3-0d5e6f7a8b9c",
        "KLHST_WKS_DN": "FR-WS-0142",
        "KLHST_WKS_FQDN": "fr-ws-0142.mueller-mb.local",
        "KLHST_WKS_OS_NAME": "Microsoft Windows 11 Pro",
        "KLHST_WKS_GROUPID": {"type": "long", "value": 5},
        "KLHST_WKS_LAST_VISIBLE": {"type": "datetime", "value": "2025-03-10T08:01:12Z"}
      }},
      {"type": "params", "value": {
        "KLHST_WKS_DN": "FR-SRV-KSC01",
        "KLHST_WKS_DNSDOMAIN": "mueller-mb.local",
        "KLHST_WKS_OS_NAME": "Microsoft Windows Server 2019 Standard",
        "KLHST_WKS_GROUPID": {"type": "long", "value": 7}
      }},
      {"type": "params", "value": {"KLHST_WKS_HOSTNAME": "only-an-id", "KLHST_WKS_DN": ""}}
    ]
  },
  "PxgRetVal": 3
}
"#;

/// The products of the server, saved per host without the typed wrapper.
const KSC01_PRODUCTS: &str = r#"{"PxgRetVal": {"KLEVP_EA_PARAM_1": [
  {"DisplayName": "Kaspersky Security Center 14.2 Administration Server", "DisplayVersion": "14.2.0.26967", "Publisher": "AO Kaspersky Lab"},
  {"DisplayName": "Kaspersky Security Center Network Agent", "DisplayVersion": "14.2.0.26967", "Publisher": "AO Kaspersky Lab"}
]}}
"#;

#[test]
fn open_api_products_are_the_software_of_the_host_the_file_is_named_after() {
    let label = "ksc_openapi_InventoryApi.GetHostInvProducts_FR-SRV-FS01.json";
    let loaded = load(&[(label, FS01_PRODUCTS.as_bytes())]);
    let f = &loaded.files[0];
    assert_eq!((f.format, f.rows, f.software), ("ksc-openapi", 3, 3));
    let fs = asset(&loaded, "FR-SRV-FS01");
    assert_eq!(
        fs.software,
        [
            sw("Kaspersky Security for Windows Server", "11.0.1.897"),
            sw("Kaspersky Security Center Network Agent", "15.1.0.20748"),
            Software {
                name: "Veeam Agent for Microsoft Windows".into(),
                version: Some("6.1.2.134".into()),
                publisher: Some("Veeam Software Group GmbH".into()),
            },
        ]
    );
    assert_eq!(
        fs.origin.as_ref().unwrap().to_string(),
        format!("{label}:6")
    );

    // With the device list, the same products join the device once.
    let both = load(&[
        (label, FS01_PRODUCTS.as_bytes()),
        ("all_hosts.csv", KSC.as_bytes()),
    ]);
    let fs = asset(&both, "FR-SRV-FS01.mueller-mb.local");
    assert_eq!(fs.software.len(), 3, "{:?}", fs.software);
    assert_eq!(
        fs.tags().map(|t| t.as_str()).collect::<Vec<_>>(),
        ["Server"]
    );

    let e = load_sources(
        vec![("products_.json".into(), KSC01_PRODUCTS.as_bytes().to_vec())],
        &ImportOptions::default(),
    )
    .expect_err("no host");
    assert_eq!(
        e.to_string(),
        "products_.json: the products name no host and neither does the file name (expected \
         …_HOSTNAME.json, as saved per host)"
    );
}

#[test]
fn open_api_hosts_with_groups_are_managed_by_the_server_found_from_its_products() {
    let loaded = load(&[
        ("hosts.json", HOSTS.as_bytes()),
        (
            "GetHostInvProducts_FR-SRV-KSC01.json",
            KSC01_PRODUCTS.as_bytes(),
        ),
    ]);
    assert_eq!(loaded.files[0].format, "ksc-openapi");
    let ws = asset(&loaded, "fr-ws-0142.mueller-mb.local");
    assert_eq!(ws.name.as_deref(), Some("FR-WS-0142"));
    assert_eq!(ws.os.raw, "Microsoft Windows 11 Pro");
    assert_eq!(
        ws.tags().map(|t| t.as_str()).collect::<Vec<_>>(),
        ["Arbeitsplätze"],
        "group 5 by KLHST_WKS_GROUPID"
    );
    assert_eq!(ws.origin.as_ref().unwrap().to_string(), "hosts.json:8");
    assert_eq!(managers(ws), ["FR-SRV-KSC01.mueller-mb.local"]);
    let server = asset(&loaded, "FR-SRV-KSC01");
    assert_eq!(server.id, "FR-SRV-KSC01.mueller-mb.local");
    assert_eq!(
        server.tags().map(|t| t.as_str()).collect::<Vec<_>>(),
        ["Server"]
    );
    assert!(managers(server).is_empty());
    assert_eq!(
        server.software[0].name,
        "Kaspersky Security Center 14.2 Administration Server"
    );
    assert_eq!(
        warnings(&loaded),
        ["hosts.json:22: host has no KLHST_WKS_DN, KLHST_WKS_FQDN or KLHST_WKS_DNSNAME; skipped"]
    );
}
