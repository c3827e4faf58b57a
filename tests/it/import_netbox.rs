//! NetBox device and virtual-machine exports: delimiters, custom fields, roles, and the
//! relations a device's parent, a VM's host and a VM's cluster give.

use crate::import_support;

use avmigrate::analysis::{Analysis, Reliance};
use avmigrate::inventory::ImportOptions;
use avmigrate::model::{AssetKind, OsFamily, RelationKind};
use avmigrate::rules::RuleSet;
use import_support::*;

/// Devices "Export → Current view" (sample): comma, minimal quoting, CRLF, a custom field
/// `Endpoint-Schutz`, tags joined with commas.
const DEVICES_SAMPLE: &str = "Name,Status,Tenant,Site,Location,Rack,Role,Manufacturer,Type,IP Address,Platform,Endpoint-Schutz,Tags\r\n\
fr-esx-01,Active,Müller Maschinenbau,Freiburg,RZ,R01,Hypervisor,Dell,PowerEdge R750,10.10.0.11/24,VMware ESXi 8.0,,vsphere\r\n\
FR-SRV-ERP01,Active,Müller Maschinenbau,Freiburg,RZ,R02,Server,Dell,PowerEdge R650,10.10.1.40/24,Windows Server 2022,ESET Server Security,\"sap,kritisch\"\r\n\
fr-fw-01,Active,Müller Maschinenbau,Freiburg,RZ,R01,Firewall,Sophos,XGS 3300,10.10.0.1/24,SFOS 20.0,,\r\n\
og-sw-core,Active,Müller Maschinenbau,Offenburg,Technikraum,,Core Switch,HPE Aruba,6300M 48G,10.20.0.2/24,AOS-CX 10.13,,\r\n\
FR-SRV-FS01,Active,Müller Maschinenbau,Freiburg,RZ,R02,Server,Dell,PowerEdge R450,10.10.1.30/24,Windows Server 2019,Kaspersky Security for Windows Server,fileserver\r\n";

/// Devices with `;` as the user's delimiter: Hyper-V hosts of a cluster, a blade in its chassis,
/// unnamed devices.
const DEVICES_HOSTS: &str = "Name;Status;Site;Rack;Role;Manufacturer;Type;Platform;Parent Device;Cluster;Endpoint-Schutz;Tags\r\n\
fr-hv-01;Active;Freiburg;R01;Hypervisor;Dell;PowerEdge R750;Windows Server 2022 Datacenter;;FR-Cluster;Kaspersky Security for Windows Server;hyper-v\r\n\
fr-hv-02;Active;Freiburg;R01;Hypervisor;Dell;PowerEdge R750;Windows Server 2022 Datacenter;;FR-Cluster;Microsoft Defender;hyper-v\r\n\
fr-blade-07;Active;Freiburg;R03;Server;HPE;ProLiant BL460c Gen10;Windows Server 2022;fr-chassis-01;;;\r\n\
fr-chassis-01;Active;Freiburg;R03;Blade Chassis;HPE;Synergy 12000;;;;;\r\n\
;Active;Freiburg;R01;Patch Panel;Rittal;24-Port;;;;;\r\n\
;Active;Freiburg;R02;PDU;APC;AP8853;;;;;\r\n";

/// Virtual machines with `|` as the delimiter: on a cluster, pinned to a host, a mail gateway.
const VMS: &str = "Name|Status|Site|Cluster|Device|Role|Platform|VCPUs|Memory|Disk|Endpoint-Schutz|Tags\r\n\
FR-SRV-KSC01|Active|Freiburg|FR-Cluster|||Windows Server 2019|4|16 GB|200 GB|Kaspersky Security for Windows Server|\"ksc,kritisch\"\r\n\
FR-SRV-EX01|Active|Freiburg|FR-Cluster|fr-hv-02|Server|Windows Server 2019|8|64 GB|1 TB||exchange\r\n\
DMZ-KSMG01|Active|Freiburg|DMZ-Cluster||Mail Gateway|CentOS 7|4|8 GB|100 GB|Kaspersky Secure Mail Gateway|\r\n\
fr-app-01|Offline|Freiburg|FR-Cluster||||2|4 GB|50 GB||\r\n";

/// Virtual machines, default columns, tab-separated.
const VMS_TAB: &str = "Name\tStatus\tSite\tCluster\tRole\tTenant\tVCPUs\tMemory\tDisk\tIP Address\r\n\
og-dc-01\tActive\tOffenburg\tOG-Cluster\tDomain Controller\tMüller Maschinenbau\t2\t8 GB\t80 GB\t10.20.1.10/24\r\n";

#[test]
fn device_view_gives_kinds_from_roles_and_the_antivirus_custom_field() {
    let loaded = load(&[("netbox_devices.csv", DEVICES_SAMPLE)]);
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
        ("netbox-devices", "utf-8", Some(','), 5, 5, 2)
    );
    let esx = asset(&loaded, "fr-esx-01");
    assert_eq!(
        (esx.kind, esx.os.family),
        (AssetKind::Hypervisor, OsFamily::Esxi)
    );
    assert_eq!(
        esx.tags().map(|t| t.as_str()).collect::<Vec<_>>(),
        ["vsphere"]
    );
    assert_eq!(esx.site().map(|t| t.as_str()), Some("Freiburg"));
    let erp = asset(&loaded, "FR-SRV-ERP01");
    assert_eq!(erp.kind, AssetKind::Server);
    assert_eq!(
        erp.tags().map(|t| t.as_str()).collect::<Vec<_>>(),
        ["sap", "kritisch"]
    );
    assert_eq!(software(erp), ["ESET Server Security"]);
    assert_eq!(asset(&loaded, "fr-fw-01").kind, AssetKind::Firewall);
    let sw = asset(&loaded, "og-sw-core");
    assert_eq!(
        (sw.kind, sw.site().map(|t| t.as_str())),
        (AssetKind::Appliance, Some("Offenburg"))
    );
    assert!(sw.software.is_empty() && sw.tags().len() == 0);
    let fs = asset(&loaded, "FR-SRV-FS01");
    assert_eq!(software(fs), ["Kaspersky Security for Windows Server"]);
    assert_eq!(fs.os.version.as_deref(), Some("2019"));
    assert_eq!(
        fs.origin.as_ref().map(ToString::to_string).as_deref(),
        Some("netbox_devices.csv:6")
    );
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
    let analysis = Analysis::run(&loaded.inventory, &RuleSet::builtin());
    let fs = loaded.inventory.resolve("FR-SRV-FS01").expect("fs01");
    assert_eq!(analysis.reliance_of(fs), Reliance::Direct);
    assert_eq!(analysis.totals().direct, 1);
}

#[test]
fn hosts_clusters_and_vms_relate_and_carry_reliance() {
    let loaded = load(&[
        ("netbox_virtual_machines.csv", VMS),
        ("netbox_devices.csv", DEVICES_HOSTS),
    ]);
    let formats: Vec<&str> = loaded.files.iter().map(|f| f.format).collect();
    assert_eq!(formats, ["netbox-vms", "netbox-devices"]);
    assert_eq!(loaded.files[0].separator, Some('|'));
    assert_eq!(loaded.files[1].separator, Some(';'));
    assert_eq!(
        ids(&loaded),
        [
            "FR-SRV-KSC01",
            "FR-Cluster",
            "FR-SRV-EX01",
            "DMZ-KSMG01",
            "DMZ-Cluster",
            "fr-app-01",
            "fr-hv-01",
            "fr-hv-02",
            "fr-blade-07",
            "fr-chassis-01",
        ]
    );
    let cluster = asset(&loaded, "FR-Cluster");
    assert_eq!(
        (
            cluster.kind,
            cluster.tags().map(|t| t.as_str()).collect::<Vec<_>>()
        ),
        (AssetKind::Hypervisor, vec!["cluster"])
    );
    use RelationKind::RunsOn;
    let d = |t: &str, f: &str, line: usize| (t.to_string(), RunsOn, format!("{f}:{line}"));
    let (vms, devices) = ("netbox_virtual_machines.csv", "netbox_devices.csv");
    assert_eq!(deps(&loaded, "FR-SRV-KSC01"), [d("FR-Cluster", vms, 2)]);
    assert_eq!(
        deps(&loaded, "FR-SRV-EX01"),
        [d("fr-hv-02", vms, 3)],
        "the host a VM is pinned to wins over its cluster"
    );
    assert_eq!(deps(&loaded, "DMZ-KSMG01"), [d("DMZ-Cluster", vms, 4)]);
    assert_eq!(
        deps(&loaded, "FR-Cluster"),
        [d("fr-hv-01", devices, 2), d("fr-hv-02", devices, 3)],
        "a cluster runs on its hosts"
    );
    assert_eq!(
        deps(&loaded, "fr-blade-07"),
        [d("fr-chassis-01", devices, 4)]
    );
    let kind = |id| asset(&loaded, id).kind;
    assert_eq!(kind("FR-SRV-KSC01"), AssetKind::Vm);
    assert_eq!(kind("FR-SRV-EX01"), AssetKind::Vm, "role Server on a VM");
    assert_eq!(kind("DMZ-KSMG01"), AssetKind::MailGateway);
    assert_eq!(kind("fr-hv-01"), AssetKind::Hypervisor);
    assert_eq!(kind("fr-chassis-01"), AssetKind::Other);
    assert_eq!(
        asset(&loaded, "FR-SRV-KSC01")
            .tags()
            .map(|t| t.as_str())
            .collect::<Vec<_>>(),
        ["ksc", "kritisch"]
    );
    assert_eq!(
        warnings(&loaded),
        ["netbox_devices.csv:6: 2 devices without a name skipped (the first at line 6)"]
    );
    assert_eq!(loaded.files[1].skipped.get("unnamed"), Some(&2));

    let analysis = Analysis::run(&loaded.inventory, &RuleSet::builtin());
    assert!(analysis.warnings.is_empty(), "every relation resolves");
    let inv = &loaded.inventory;
    let of = |id: &str| {
        let i = inv.resolve(id).expect(id);
        let path: Vec<&str> = analysis
            .why_path(i)
            .into_iter()
            .map(|j| inv.assets()[j].id.as_str())
            .collect();
        (analysis.reliance_of(i), path)
    };
    assert_eq!(of("fr-hv-01").0, Reliance::Direct);
    assert_eq!(of("FR-SRV-KSC01").0, Reliance::Direct);
    assert_eq!(of("DMZ-KSMG01").0, Reliance::Direct);
    assert_eq!(of("FR-Cluster"), (Reliance::Indirect, vec!["fr-hv-01"]));
    assert_eq!(
        of("fr-app-01"),
        (Reliance::Indirect, vec!["FR-Cluster", "fr-hv-01"])
    );
    assert_eq!(of("FR-SRV-EX01").0, Reliance::Unaffected);
    assert_eq!(of("DMZ-Cluster").0, Reliance::Unaffected);

    assert_eq!(
        load_with(&[("d.csv", DEVICES_HOSTS)], &ImportOptions::strict(true)).expect_err("strict"),
        "d.csv:6: 2 devices without a name skipped (the first at line 6)"
    );
}

#[test]
fn tab_separated_vm_view_with_default_columns() {
    let loaded = load(&[("vms.tsv", VMS_TAB)]);
    let f = &loaded.files[0];
    assert_eq!(
        (f.format, f.separator, f.assets),
        ("netbox-vms", Some('\t'), 2)
    );
    let dc = asset(&loaded, "og-dc-01");
    assert_eq!(dc.kind, AssetKind::Vm);
    assert_eq!(
        dc.owner(),
        None,
        "the tenant names the organisation, not an owner"
    );
    assert_eq!(deps(&loaded, "og-dc-01")[0].0, "OG-Cluster");
    assert_eq!(asset(&loaded, "OG-Cluster").kind, AssetKind::Hypervisor);
}

#[test]
fn doubled_carriage_returns_keep_rows_and_line_numbers() {
    // The export after a text-mode copy on Windows: every CRLF became CR CR LF.
    let doubled = VMS.replace("\r\n", "\r\r\n");
    let loaded = load(&[("vms.csv", &doubled)]);
    assert_eq!(loaded.files[0].format, "netbox-vms");
    assert_eq!(loaded.files[0].rows, 4);
    let app = asset(&loaded, "fr-app-01");
    assert_eq!(
        app.origin.as_ref().map(ToString::to_string).as_deref(),
        Some("vms.csv:5")
    );
    assert_eq!(app.os.raw, "", "no stray carriage return in the last cell");
    assert_eq!(deps(&loaded, "fr-app-01")[0].2, "vms.csv:5");
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
}
