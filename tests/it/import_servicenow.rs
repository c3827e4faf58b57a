//! ServiceNow CMDB exports: CI lists (`cmdb_ci_computer`, `cmdb_ci_server`), relationships
//! (`cmdb_rel_ci`) and software installations (`cmdb_sam_sw_install`), alone and merged.

use crate::import_support;

use avmigrate::analysis::{Analysis, Reliance};
use avmigrate::inventory::{ImportOptions, Loaded};
use avmigrate::model::{AssetKind, OsFamily, RelationKind, Software};
use avmigrate::rules::RuleSet;
use import_support::*;
use std::collections::BTreeMap;

fn sw(name: &str, version: &str, publisher: &str) -> Software {
    let some = |s: &str| (!s.is_empty()).then(|| s.into());
    Software {
        name: name.into(),
        version: some(version),
        publisher: some(publisher),
    }
}

/// `cmdb_ci_computer` list export, byte for byte as ServiceNow writes it (all fields quoted,
/// CRLF, UTF-8 without BOM, display values).
const CI_COMPUTER: &str = "\"name\",\"sys_class_name\",\"os\",\"os_version\",\"ip_address\",\"fqdn\",\"serial_number\",\"manufacturer\",\"model_id\",\"location\",\"assigned_to\",\"install_status\",\"operational_status\",\"sys_updated_on\"\r\n\
\"FR-WS-0142\",\"Computer\",\"Windows 11 Pro\",\"10.0.22631\",\"10.10.20.142\",\"fr-ws-0142.mueller-mb.local\",\"MJ0GK4TR\",\"Lenovo\",\"ThinkStation P360\",\"Freiburg Hauptwerk\",\"Markus Müller\",\"Installed\",\"Operational\",\"2025-03-10 07:12:03\"\r\n\
\"FR-NB-0207\",\"Computer\",\"Windows 11 Enterprise\",\"10.0.22631\",\"10.10.40.37\",\"fr-nb-0207.mueller-mb.local\",\"PF3XK2M9\",\"Lenovo\",\"ThinkPad T14 Gen 4\",\"Freiburg Hauptwerk\",\"Sabine Keller\",\"Installed\",\"Operational\",\"2025-03-10 07:12:03\"\r\n\
\"FR-SRV-KSC01\",\"Windows Server\",\"Windows 2019 Standard\",\"10.0.17763\",\"10.10.1.20\",\"fr-srv-ksc01.mueller-mb.local\",\"VMware-42 1f 6a 3b 9c 2e 5d 71-0a 8b 4c 3d 2e 1f 0a 9b\",\"VMware, Inc.\",\"VMware7,1\",\"Freiburg RZ\",\"\",\"Installed\",\"Operational\",\"2025-03-09 22:00:14\"\r\n\
\"FR-SRV-EX01\",\"Windows Server\",\"Windows 2019 Standard\",\"10.0.17763\",\"10.10.1.25\",\"fr-srv-ex01.mueller-mb.local\",\"VMware-42 1f 0c 77 6e 51 2a 90-3b 4c 5d 6e 7f 80 91 a2\",\"VMware, Inc.\",\"VMware7,1\",\"Freiburg RZ\",\"\",\"Installed\",\"Operational\",\"2025-03-09 22:00:14\"\r\n\
\"fr-lx-web01\",\"Linux Server\",\"Linux Ubuntu\",\"22.04.4 LTS\",\"10.10.5.11\",\"fr-lx-web01.mueller-mb.local\",\"VMware-42 1f 11 22 33 44 55 66-77 88 99 aa bb cc dd ee\",\"VMware, Inc.\",\"VMware Virtual Platform\",\"Freiburg RZ\",\"\",\"Installed\",\"Operational\",\"2025-03-09 22:00:14\"\r\n\
\"DMZ-KSMG01\",\"Linux Server\",\"Linux CentOS\",\"\",\"192.168.100.25\",\"ksmg.mueller-mb.de\",\"\",\"VMware, Inc.\",\"VMware Virtual Platform\",\"Freiburg RZ\",\"\",\"Installed\",\"Operational\",\"2025-02-28 16:40:51\"\r\n";

/// `cmdb_ci_server`: a description over two lines, doubled quotes, the `virtual` flag, a row
/// without name, a second CI with the same display name.
const CI_SERVER: &str = "\"name\",\"sys_class_name\",\"os\",\"os_version\",\"ip_address\",\"fqdn\",\"location\",\"assigned_to\",\"used_for\",\"classification\",\"short_description\",\"virtual\",\"operational_status\",\"sys_updated_on\"\r\n\
\"FR-SRV-FS01\",\"Windows Server\",\"Windows 2016 Datacenter\",\"10.0.14393\",\"10.10.1.30\",\"fr-srv-fs01.mueller-mb.local\",\"Freiburg RZ\",\"IT-Infrastruktur\",\"Production\",\"Production\",\"Dateiserver\r\n\
Abteilungslaufwerke F: und G:\",\"false\",\"Operational\",\"2025-03-09 22:00:14\"\r\n\
\"fr-esx-01\",\"ESX Server\",\"ESXi\",\"8.0.2\",\"10.10.0.11\",\"fr-esx-01.mueller-mb.local\",\"Freiburg RZ\",\"\",\"Production\",\"\",\"\",\"false\",\"Operational\",\"2025-03-09 22:00:14\"\r\n\
\"FR-SQL-01\",\"Windows Server\",\"Windows 2022 Standard\",\"10.0.20348\",\"10.10.1.35\",\"\",\"Freiburg RZ\",\"DBA-Team\",\"Production\",\"\",\"SQL \"\"Always On\"\" Knoten\",\"true\",\"Operational\",\"2025-03-09 22:00:14\"\r\n\
\"OG-SRV-KSC02\",\"Virtual Machine Instance\",\"Windows 2019 Standard\",\"\",\"10.20.1.20\",\"og-srv-ksc02.mueller-mb.local\",\"Offenburg\",\"\",\"\",\"\",\"\",\"\",\"Operational\",\"2025-03-09 22:00:14\"\r\n\
\"\",\"Linux Server\",\"Linux Debian\",\"12\",\"10.10.9.9\",\"\",\"Freiburg RZ\",\"\",\"\",\"\",\"\",\"false\",\"Operational\",\"2025-03-09 22:00:14\"\r\n\
\"FR-SRV-FS01\",\"Windows Server\",\"Windows 2016 Datacenter\",\"10.0.14393\",\"10.10.1.31\",\"fr-srv-fs01-old.mueller-mb.local\",\"Freiburg RZ\",\"IT-Infrastruktur\",\"\",\"\",\"Altgerät\",\"false\",\"Non-Operational\",\"2024-01-15 10:00:00\"\r\n\
\"OG-PRN-01\",\"Printer\",\"\",\"\",\"10.20.9.1\",\"\",\"Offenburg\",\"\",\"\",\"\",\"\",\"false\",\"Operational\",\"2025-03-09 22:00:14\"\r\n";

/// `cmdb_rel_ci` list export (sample).
const REL_CI: &str = "\"parent\",\"type\",\"child\",\"connection_strength\",\"sys_updated_on\"\r\n\
\"Kaspersky Security Center\",\"Runs on::Runs\",\"FR-SRV-KSC01\",\"Always\",\"2024-06-11 09:02:33\"\r\n\
\"Kaspersky Security Center\",\"Depends on::Used by\",\"FR-SQL-01\",\"Always\",\"2024-06-11 09:02:33\"\r\n\
\"FR-WS-0142\",\"Managed by::Manages\",\"FR-SRV-KSC01\",\"Always\",\"2024-06-11 09:05:10\"\r\n\
\"FR-SRV-FS01\",\"Managed by::Manages\",\"FR-SRV-KSC01\",\"Always\",\"2024-06-11 09:05:10\"\r\n\
\"OG-WS-0031\",\"Managed by::Manages\",\"OG-SRV-KSC02\",\"Always\",\"2024-06-11 09:05:10\"\r\n\
\"OG-SRV-KSC02\",\"Managed by::Manages\",\"FR-SRV-KSC01\",\"Always\",\"2024-06-11 09:05:10\"\r\n\
\"E-Mail (Exchange)\",\"Depends on::Used by\",\"FR-SRV-EX01\",\"Always\",\"2023-11-30 14:21:09\"\r\n\
\"E-Mail (Exchange)\",\"Depends on::Used by\",\"DMZ-KSMG01\",\"Always\",\"2023-11-30 14:21:09\"\r\n\
\"Kaspersky Secure Mail Gateway\",\"Runs on::Runs\",\"DMZ-KSMG01\",\"Always\",\"2023-11-30 14:21:09\"\r\n\
\"SAP ERP PRD\",\"Runs on::Runs\",\"FR-SRV-ERP01\",\"Always\",\"2022-05-02 08:00:00\"\r\n";

/// Every relationship type, both ways round.
const REL_TYPES: &str = "\"parent\",\"type\",\"child\"\r\n\
\"Intranet\",\"Depends on::Used by\",\"fr-lx-web01\"\r\n\
\"FR-SRV-KSC01\",\"Used by::Depends on\",\"Kaspersky Security Center\"\r\n\
\"fr-esx-01\",\"Hosts::Hosted on\",\"FR-SRV-KSC01\"\r\n\
\"FR-SRV-EX01\",\"Hosted on::Hosts\",\"fr-esx-01\"\r\n\
\"OG-WS-0031\",\"Managed by::Manages\",\"OG-SRV-KSC02\"\r\n\
\"FR-SRV-KSC01\",\"Manages::Managed by\",\"FR-NB-0207\"\r\n\
\"fr-lx-web01\",\"Connects to::Connected by\",\"FR-SQL-01\"\r\n\
\"VMware Cluster FR\",\"Contains::Contained by\",\"fr-esx-01\"\r\n\
\"fr-esx-01\",\"Member of::Members\",\"Servergruppe RZ\"\r\n\
\"FR-WS-0142\",\"Sends data to::Receives data from\",\"FR-SRV-KSC01\"\r\n\
\"FR-SRV-KSC01\",\"Receives data from::Sends data to\",\"FR-NB-0207\"\r\n\
\"Backup\",\"Cluster of::Cluster\",\"fr-esx-01\"\r\n\
\"\",\"Runs on::Runs\",\"FR-SRV-KSC01\"\r\n";

/// `cmdb_sam_sw_install` list export.
const SW_INSTALL: &str = "\"installed_on\",\"display_name\",\"version\",\"publisher\",\"install_date\"\r\n\
\"FR-WS-0142\",\"Kaspersky Endpoint Security for Windows\",\"12.6.0.438\",\"AO Kaspersky Lab\",\"2024-09-18\"\r\n\
\"FR-WS-0142\",\"Kaspersky Security Center Network Agent\",\"15.1.0.20748\",\"AO Kaspersky Lab\",\"2024-06-11\"\r\n\
\"FR-WS-0142\",\"SOLIDWORKS 2023 SP5\",\"31.50.0049\",\"Dassault Systèmes\",\"\"\r\n\
\"FR-SRV-KSC01\",\"Kaspersky Security Center 14.2 Administration Server\",\"14.2.0.26967\",\"AO Kaspersky Lab\",\"\"\r\n\
\"FR-SRV-KSC01\",\"Kaspersky Security for Windows Server\",\"11.0.1.897\",\"AO Kaspersky Lab\",\"\"\r\n\
\"FR-SRV-EX01\",\"Microsoft Exchange Server 2019 Cumulative Update 14\",\"15.2.1544.4\",\"Microsoft Corporation\",\"\"\r\n\
\"DMZ-KSMG01\",\"Kaspersky Secure Mail Gateway\",\"2.0.1.6960\",\"AO Kaspersky Lab\",\"\"\r\n\
\"fr-lx-web01\",\"nginx\",\"1.18.0-6ubuntu14.4\",\"\",\"\"\r\n\
\"FR-NB-0207\",\"Microsoft Defender Antivirus\",\"4.18.24020.7\",\"Microsoft Corporation\",\"\"\r\n\
\"\",\"Orphan\",\"1\",\"\",\"\"\r\n";

#[test]
fn ci_list_gives_records_with_kind_os_site_and_owner() {
    let loaded = load(&[("cmdb_ci_computer.csv", CI_COMPUTER)]);
    let f = &loaded.files[0];
    assert_eq!(
        (f.format, f.encoding, f.separator, f.rows, f.assets),
        ("servicenow-ci", "utf-8", Some(','), 6, 6)
    );
    assert_eq!(
        ids(&loaded),
        [
            "fr-ws-0142.mueller-mb.local",
            "fr-nb-0207.mueller-mb.local",
            "fr-srv-ksc01.mueller-mb.local",
            "fr-srv-ex01.mueller-mb.local",
            "fr-lx-web01.mueller-mb.local",
            "ksmg.mueller-mb.de",
        ]
    );
    let ws = asset(&loaded, "FR-WS-0142");
    assert_eq!(ws.name.as_deref(), Some("FR-WS-0142"));
    assert_eq!(ws.kind, AssetKind::Workstation);
    assert_eq!(ws.os.raw, "Windows 11 Pro 10.0.22631");
    assert_eq!(ws.os.family, OsFamily::WindowsClient);
    assert_eq!(ws.site().map(|t| t.as_str()), Some("Freiburg Hauptwerk"));
    assert_eq!(ws.owner().map(|t| t.as_str()), Some("Markus Müller"));
    assert_eq!(origin(ws), "cmdb_ci_computer.csv:2");
    let ksc = asset(&loaded, "FR-SRV-KSC01");
    assert_eq!(ksc.kind, AssetKind::Server);
    assert_eq!(
        ksc.os.raw, "Windows Server 2019 Standard 10.0.17763",
        "ServiceNow's \"Windows 2019 Standard\" is a server OS"
    );
    assert_eq!(ksc.os.family, OsFamily::WindowsServer);
    assert_eq!(ksc.os.version.as_deref(), Some("2019"));
    assert_eq!(ksc.owner(), None, "empty assigned_to");
    let web = asset(&loaded, "fr-lx-web01");
    assert_eq!(web.os.raw, "Linux Ubuntu 22.04.4 LTS");
    assert_eq!(web.os.distro.as_deref(), Some("ubuntu"));
    let ksmg = asset(&loaded, "DMZ-KSMG01");
    assert_eq!(
        ksmg.id, "ksmg.mueller-mb.de",
        "fqdn is the id, name the join key"
    );
    assert_eq!(
        (ksmg.kind, ksmg.os.raw.as_str()),
        (AssetKind::Server, "Linux CentOS")
    );
    assert_eq!(origin(ksmg), "cmdb_ci_computer.csv:7");
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
}

#[test]
fn server_list_with_multiline_description_virtual_flag_and_repeated_names() {
    let loaded = load(&[("cmdb_ci_server.csv", CI_SERVER)]);
    assert_eq!(loaded.files[0].format, "servicenow-ci");
    assert_eq!(
        ids(&loaded),
        [
            "fr-srv-fs01.mueller-mb.local",
            "fr-esx-01.mueller-mb.local",
            "FR-SQL-01",
            "og-srv-ksc02.mueller-mb.local",
            "OG-PRN-01",
        ]
    );
    let fs = asset(&loaded, "FR-SRV-FS01");
    assert_eq!(
        fs.tags().map(|t| t.as_str()).collect::<Vec<_>>(),
        ["Production"],
        "used_for and classification"
    );
    assert_eq!(fs.os.version.as_deref(), Some("2016"));
    assert_eq!(fs.owner().map(|t| t.as_str()), Some("IT-Infrastruktur"));
    let esx = asset(&loaded, "fr-esx-01");
    assert_eq!(
        (esx.kind, esx.os.family),
        (AssetKind::Hypervisor, OsFamily::Esxi)
    );
    assert_eq!(
        origin(esx),
        "cmdb_ci_server.csv:4",
        "after a two-line description"
    );
    let sql = asset(&loaded, "FR-SQL-01");
    assert_eq!(sql.kind, AssetKind::Vm, "virtual = true");
    assert_eq!(sql.os.family, OsFamily::WindowsServer);
    assert_eq!(origin(sql), "cmdb_ci_server.csv:5");
    assert_eq!(asset(&loaded, "OG-SRV-KSC02").kind, AssetKind::Vm);
    assert_eq!(asset(&loaded, "OG-PRN-01").kind, AssetKind::Appliance);
    assert_eq!(
        warnings(&loaded),
        [
            "cmdb_ci_server.csv:7: CI has neither a name nor an fqdn; row skipped",
            "cmdb_ci_server.csv:8: CI name \"FR-SRV-FS01\" also names the CI at line 2 \
             (\"fr-srv-fs01.mueller-mb.local\"); relationship and software rows that name it \
             cannot tell the two apart",
        ]
    );
    assert_eq!(loaded.files[0].skipped.get("missing name"), Some(&1));
}

#[test]
fn relationship_types_point_from_the_dependent_to_the_provider() {
    let loaded = load(&[("rel.csv", REL_TYPES)]);
    let f = &loaded.files[0];
    assert_eq!((f.format, f.relations), ("servicenow-rel", 12));
    use RelationKind::*;
    let d = |target: &str, kind, line: usize| (target.to_string(), kind, format!("rel.csv:{line}"));
    assert_eq!(deps(&loaded, "Intranet"), [d("fr-lx-web01", Uses, 2)]);
    assert_eq!(
        deps(&loaded, "Kaspersky Security Center"),
        [d("FR-SRV-KSC01", Uses, 3)],
        "Used by::Depends on: the child depends on the parent"
    );
    assert_eq!(
        deps(&loaded, "FR-SRV-KSC01"),
        [d("fr-esx-01", RunsOn, 4)],
        "Hosts::Hosted on: the child runs on the parent"
    );
    assert_eq!(deps(&loaded, "FR-SRV-EX01"), [d("fr-esx-01", RunsOn, 5)]);
    assert_eq!(
        deps(&loaded, "OG-WS-0031"),
        [d("OG-SRV-KSC02", ManagedBy, 6)]
    );
    assert_eq!(
        deps(&loaded, "FR-NB-0207"),
        [
            d("FR-SRV-KSC01", ManagedBy, 7),
            d("FR-SRV-KSC01", ReportsTo, 12)
        ]
    );
    assert_eq!(deps(&loaded, "fr-lx-web01"), [d("FR-SQL-01", Uses, 8)]);
    assert_eq!(
        deps(&loaded, "VMware Cluster FR"),
        [d("fr-esx-01", Uses, 9)],
        "a container relies on what it contains"
    );
    assert_eq!(
        deps(&loaded, "Servergruppe RZ"),
        [d("fr-esx-01", Uses, 10)],
        "a group relies on its members"
    );
    assert_eq!(
        deps(&loaded, "FR-WS-0142"),
        [d("FR-SRV-KSC01", ReportsTo, 11)]
    );
    assert_eq!(
        deps(&loaded, "Backup"),
        [d("fr-esx-01", Uses, 13)],
        "unknown type: uses"
    );
    assert_eq!(
        warnings(&loaded),
        ["rel.csv:14: relationship has no parent; row skipped"],
        "no warning for types outside the table"
    );
}

#[test]
fn software_installs_attach_to_cis_by_display_name() {
    let loaded = load(&[("sw.csv", SW_INSTALL), ("ci.csv", CI_COMPUTER)]);
    assert_eq!(loaded.files[0].format, "servicenow-software");
    assert_eq!((loaded.files[0].software, loaded.files[0].assets), (9, 0));
    let ws = asset(&loaded, "fr-ws-0142.mueller-mb.local");
    assert_eq!(
        ws.software,
        [
            sw(
                "Kaspersky Endpoint Security for Windows",
                "12.6.0.438",
                "AO Kaspersky Lab"
            ),
            sw(
                "Kaspersky Security Center Network Agent",
                "15.1.0.20748",
                "AO Kaspersky Lab"
            ),
            sw("SOLIDWORKS 2023 SP5", "31.50.0049", "Dassault Systèmes"),
        ]
    );
    assert_eq!(asset(&loaded, "DMZ-KSMG01").software.len(), 1);
    assert_eq!(
        asset(&loaded, "fr-lx-web01").software,
        [sw("nginx", "1.18.0-6ubuntu14.4", "")]
    );
    assert_eq!(loaded.inventory.len(), 6, "every installation found its CI");
    assert_eq!(
        warnings(&loaded),
        ["sw.csv:11: installation has no installed_on; row skipped"]
    );
}

/// The ServiceNow estate written by hand as a native inventory.
const NATIVE: &str = r#"
[[asset]]
id = "fr-ws-0142.mueller-mb.local"
name = "FR-WS-0142"
kind = "workstation"
os = "Windows 11 Pro"
software = [
  { name = "Kaspersky Endpoint Security for Windows", version = "12.6.0.438", publisher = "AO Kaspersky Lab" },
  { name = "Kaspersky Security Center Network Agent", version = "15.1.0.20748", publisher = "AO Kaspersky Lab" },
  { name = "SOLIDWORKS 2023 SP5", version = "31.50.0049" },
]
depends_on = [ { id = "FR-SRV-KSC01", kind = "managed-by" } ]

[[asset]]
id = "fr-nb-0207.mueller-mb.local"
name = "FR-NB-0207"
software = [ { name = "Microsoft Defender Antivirus", version = "4.18.24020.7" } ]

[[asset]]
id = "fr-srv-ksc01.mueller-mb.local"
name = "FR-SRV-KSC01"
software = [
  { name = "Kaspersky Security Center 14.2 Administration Server", version = "14.2.0.26967" },
  { name = "Kaspersky Security for Windows Server", version = "11.0.1.897" },
]

[[asset]]
id = "fr-srv-ex01.mueller-mb.local"
name = "FR-SRV-EX01"
software = [ { name = "Microsoft Exchange Server 2019 Cumulative Update 14" } ]

[[asset]]
id = "fr-lx-web01.mueller-mb.local"
name = "fr-lx-web01"
software = [ { name = "nginx" } ]

[[asset]]
id = "ksmg.mueller-mb.de"
name = "DMZ-KSMG01"
software = [ { name = "Kaspersky Secure Mail Gateway", version = "2.0.1.6960" } ]

[[asset]]
id = "Kaspersky Security Center"
depends_on = [
  { id = "FR-SRV-KSC01", kind = "runs-on" },
  { id = "FR-SQL-01", kind = "uses" },
]

[[asset]]
id = "FR-SRV-FS01"
depends_on = [ { id = "FR-SRV-KSC01", kind = "managed-by" } ]

[[asset]]
id = "OG-WS-0031"
depends_on = [ { id = "OG-SRV-KSC02", kind = "managed-by" } ]

[[asset]]
id = "OG-SRV-KSC02"
depends_on = [ { id = "FR-SRV-KSC01", kind = "managed-by" } ]

[[asset]]
id = "E-Mail (Exchange)"
depends_on = [
  { id = "FR-SRV-EX01", kind = "uses" },
  { id = "DMZ-KSMG01", kind = "uses" },
]

[[asset]]
id = "Kaspersky Secure Mail Gateway"
depends_on = [ { id = "DMZ-KSMG01", kind = "runs-on" } ]

[[asset]]
id = "SAP ERP PRD"
depends_on = [ { id = "FR-SRV-ERP01", kind = "runs-on" } ]
"#;

/// Per asset id (lower-case): reliance, why-path (ids) and flagged product names.
type Outcome = BTreeMap<String, (Reliance, Vec<String>, Vec<String>)>;

fn outcome(loaded: &Loaded) -> (Outcome, Vec<String>) {
    let inv = &loaded.inventory;
    let analysis = Analysis::run(inv, &RuleSet::builtin());
    let id = |i: usize| inv.assets()[i].id.as_str().to_lowercase();
    let per_asset = (0..inv.len())
        .map(|i| {
            let path = analysis.why_path(i).into_iter().map(id).collect();
            let flagged = analysis.findings[i]
                .iter()
                .map(|f| {
                    inv.assets()[i].software[f.software as usize]
                        .name
                        .to_string()
                })
                .collect();
            (id(i), (analysis.reliance_of(i), path, flagged))
        })
        .collect();
    let warnings = analysis
        .warnings
        .iter()
        .map(|w| w.message.clone())
        .collect();
    (per_asset, warnings)
}

#[test]
fn cmdb_software_and_relations_analyse_like_the_native_inventory() {
    // Relations first, CIs last: the order of the files does not matter.
    let imported = load(&[
        ("cmdb_rel_ci.csv", REL_CI),
        ("cmdb_sam_sw_install.csv", SW_INSTALL),
        ("cmdb_ci_computer.csv", CI_COMPUTER),
    ]);
    let formats: Vec<&str> = imported.files.iter().map(|f| f.format).collect();
    assert_eq!(
        formats,
        ["servicenow-rel", "servicenow-software", "servicenow-ci"]
    );
    let native = load(&[("estate.toml", NATIVE)]);
    let (got, got_warnings) = outcome(&imported);
    let (want, want_warnings) = outcome(&native);
    // Beyond the native inventory: the hosts only the relationships name are assets, and the
    // host the "Kaspersky Security Center" application runs on runs that product.
    let mut same = got.clone();
    assert_eq!(
        same.remove("fr-sql-01").map(|x| x.0),
        Some(Reliance::Unaffected)
    );
    assert_eq!(
        same.remove("fr-srv-erp01").map(|x| x.0),
        Some(Reliance::Unaffected)
    );
    if let Some(ksc) = same.get_mut("fr-srv-ksc01.mueller-mb.local") {
        ksc.2.retain(|p| p != "Kaspersky Security Center");
    }
    assert_eq!(same, want);
    assert_eq!(
        want_warnings,
        [
            "asset \"Kaspersky Security Center\" depends on unknown asset \"FR-SQL-01\" (uses)",
            "asset \"SAP ERP PRD\" depends on unknown asset \"FR-SRV-ERP01\" (runs-on)",
        ]
    );
    assert!(got_warnings.is_empty(), "{got_warnings:?}");

    // Kaspersky found end to end, and who relies on it through which path.
    let reliance = |r: Reliance| -> Vec<&str> {
        got.iter()
            .filter(|(_, (x, _, _))| *x == r)
            .map(|(id, _)| id.as_str())
            .collect()
    };
    assert_eq!(
        reliance(Reliance::Direct),
        [
            "fr-srv-ksc01.mueller-mb.local",
            "fr-ws-0142.mueller-mb.local",
            "ksmg.mueller-mb.de"
        ]
    );
    assert_eq!(
        reliance(Reliance::Indirect),
        [
            "e-mail (exchange)",
            "fr-srv-fs01",
            "kaspersky secure mail gateway",
            "kaspersky security center",
            "og-srv-ksc02",
            "og-ws-0031",
        ]
    );
    assert_eq!(
        got["og-ws-0031"].1,
        ["og-srv-ksc02", "fr-srv-ksc01.mueller-mb.local"]
    );
    assert_eq!(got["e-mail (exchange)"].1, ["ksmg.mueller-mb.de"]);
    assert_eq!(
        got["ksmg.mueller-mb.de"].2,
        ["Kaspersky Secure Mail Gateway"]
    );
    assert_eq!(
        warnings(&imported),
        ["cmdb_sam_sw_install.csv:11: installation has no installed_on; row skipped"]
    );
}

#[test]
fn strict_import_stops_at_the_first_bad_row() {
    let strict = ImportOptions::strict(true);
    assert_eq!(
        load_with(&[("rel.csv", REL_TYPES)], &strict).expect_err("fails"),
        "rel.csv:14: relationship has no parent; row skipped"
    );
    assert_eq!(
        load_with(&[("servers.csv", CI_SERVER)], &strict).expect_err("fails"),
        "servers.csv:7: CI has neither a name nor an fqdn; row skipped"
    );
    assert!(load_with(&[("ci.csv", CI_COMPUTER)], &strict).is_ok());
}

#[test]
fn a_forced_format_names_the_column_it_misses() {
    let opts = ImportOptions {
        input_format: Some("servicenow-rel".into()),
        ..ImportOptions::default()
    };
    assert_eq!(
        load_with(&[("x.csv", "\"from\",\"to\"\r\n\"a\",\"b\"\r\n")], &opts).expect_err("fails"),
        "x.csv:1: no \"parent\" column, which a cmdb_rel_ci export needs"
    );
    assert_eq!(
        load_with(&[("x.json", "[{\"parent\": 1}]")], &opts).expect_err("fails"),
        "x.json: not a CSV file, so not a ServiceNow relationship export"
    );
}

#[test]
fn every_ci_a_relationship_names_is_an_asset_of_its_kind() {
    let loaded = load(&[("cmdb_rel_ci.csv", REL_CI)]);
    let inv = &loaded.inventory;
    let kind = |id: &str| asset(&loaded, id).kind;
    for host in [
        "FR-SRV-KSC01",
        "FR-SQL-01",
        "FR-WS-0142",
        "FR-SRV-FS01",
        "OG-WS-0031",
        "OG-SRV-KSC02",
        "FR-SRV-EX01",
        "DMZ-KSMG01",
        "FR-SRV-ERP01",
    ] {
        assert!(!kind(host).is_logical(), "{host} is a machine");
    }
    assert_eq!(kind("Kaspersky Security Center"), AssetKind::Application);
    assert_eq!(
        kind("Kaspersky Secure Mail Gateway"),
        AssetKind::Application
    );
    assert_eq!(kind("SAP ERP PRD"), AssetKind::Application);
    assert_eq!(kind("E-Mail (Exchange)"), AssetKind::Service);
    assert_eq!(inv.len(), 13);
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));

    // The host the flagged application runs on runs it, as the management server; the
    // application and the service that uses the mail gateway rely on their hosts.
    let rules = RuleSet::builtin();
    let analysis = Analysis::run(inv, &rules);
    let at = |id: &str| inv.resolve(id).expect(id);
    let ksc = at("FR-SRV-KSC01");
    assert_eq!(analysis.reliance_of(ksc), Reliance::Direct);
    let roles: Vec<String> = analysis.findings[ksc]
        .iter()
        .map(|f| rules.rules()[usize::from(f.rule)].role.to_string())
        .collect();
    assert_eq!(roles, ["management-server"]);
    assert_eq!(
        origin(asset(&loaded, "FR-SRV-KSC01")),
        "cmdb_rel_ci.csv:2",
        "the software comes from the relation row"
    );
    assert_eq!(analysis.reliance_of(at("DMZ-KSMG01")), Reliance::Direct);
    for logical in ["Kaspersky Security Center", "E-Mail (Exchange)"] {
        assert_eq!(
            analysis.reliance_of(at(logical)),
            Reliance::Indirect,
            "{logical}"
        );
    }

    // A host that depends on the mail service relies on the gateway through it.
    let user = "\"parent\",\"type\",\"child\"\r\n\"FR-WS-0300\",\"Depends on::Used by\",\"E-Mail (Exchange)\"\r\n";
    let loaded = load(&[("cmdb_rel_ci.csv", REL_CI), ("more_rel.csv", user)]);
    let inv = &loaded.inventory;
    let analysis = Analysis::run(inv, &rules);
    let ws = inv.resolve("FR-WS-0300").expect("ws");
    assert_eq!(analysis.reliance_of(ws), Reliance::Indirect);
    let path: Vec<&str> = analysis
        .why_path(ws)
        .into_iter()
        .map(|i| inv.assets()[i].id.as_str())
        .collect();
    assert_eq!(path, ["E-Mail (Exchange)", "DMZ-KSMG01"]);
}
