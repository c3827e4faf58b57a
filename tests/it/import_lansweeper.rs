//! Lansweeper report exports: one row per asset and installed product, helper columns,
//! Lansweeper's short OS names, and an Excel "Unicode Text" (UTF-16LE, tab) re-save.

use crate::import_support;

use avmigrate::analysis::{Analysis, Reliance};
use avmigrate::inventory::{ImportOptions, Loaded, load_sources};
use avmigrate::model::{AssetKind, OsFamily, Software};
use avmigrate::rules::RuleSet;
use import_support::*;

fn load_with(files: &[(&str, Vec<u8>)], opts: &ImportOptions) -> Result<Loaded, String> {
    let sources = files
        .iter()
        .map(|(label, bytes)| (label.to_string(), bytes.clone()))
        .collect();
    load_sources(sources, opts).map_err(|e| e.to_string())
}

fn load(files: &[(&str, Vec<u8>)]) -> Loaded {
    load_with(files, &ImportOptions::default()).unwrap_or_else(|e| panic!("import failed: {e}"))
}

fn utf16le_bom(text: &str) -> Vec<u8> {
    "\u{feff}"
        .encode_utf16()
        .chain(text.encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect()
}

/// "Software: list of software by computer" style report, web console CSV: comma, UTF-8
/// without BOM, every value quoted, CRLF, helper columns `icon` and `backgroundcolor`, dates
/// in three styles, an asset without software, a row without asset name, a cut row, a
/// repeated row.
const REPORT: &str = "\"icon\",\"AssetName\",\"Domain\",\"Username\",\"IPAddress\",\"Software\",\"Version\",\"Publisher\",\"OS\",\"Lastseen\",\"backgroundcolor\"\r\n\
\"Windows.png\",\"FR-WS-0142\",\"MUELLER-MB\",\"mmueller\",\"10.10.20.142\",\"Kaspersky Endpoint Security for Windows\",\"12.6.0.438\",\"AO Kaspersky Lab\",\"Win 11\",\"10.03.2025 07:12\",\"#ffffff\"\r\n\
\"Windows.png\",\"FR-WS-0142\",\"MUELLER-MB\",\"mmueller\",\"10.10.20.142\",\"Kaspersky Security Center Network Agent\",\"15.1.0.20748\",\"AO Kaspersky Lab\",\"Win 11\",\"10.03.2025 07:12\",\"#ffffff\"\r\n\
\"Windows.png\",\"FR-SRV-KSC01\",\"MUELLER-MB\",\"\",\"10.10.1.20\",\"Kaspersky Security Center 14.2 Administration Server\",\"14.2.0.26967\",\"AO Kaspersky Lab\",\"Win 2019\",\"3/10/2025 6:02:11 AM\",\"#ffffff\"\r\n\
\"Windows.png\",\"FR-SRV-ERP01\",\"MUELLER-MB\",\"\",\"10.10.1.40\",\"ESET Server Security\",\"10.0.12012.0\",\"ESET, spol. s r.o.\",\"Win 2022\",\"3 minutes ago\",\"#ffffff\"\r\n\
\"Linux.png\",\"fr-lx-web01\",\"\",\"root\",\"10.10.5.11\",\"kesl\",\"12.3.0-1162\",\"\",\"Ubuntu 22.04.4 LTS\",\"10.03.2025 06:59\",\"#ffffff\"\r\n\
\"Windows.png\",\"OG-WS-0031\",\"MUELLER-MB\",\"tschaefer\",\"10.20.20.31\",\"\",\"\",\"\",\"Win 10\",\"09.03.2025 17:30\",\"#ffe0e0\"\r\n\
\"Windows.png\",\"\",\"MUELLER-MB\",\"\",\"10.20.20.99\",\"Sophos Connect\",\"2.3.1.0412\",\"Sophos Limited\",\"Win 11\",\"\",\"#ffffff\"\r\n\
\"Windows.png\",\"FR-WS-0142\",\"MUELLER-MB\",\"mmueller\"\r\n\
\"Windows.png\",\"FR-WS-0142\",\"MUELLER-MB\",\"mmueller\",\"10.10.20.142\",\"Kaspersky Endpoint Security for Windows\",\"12.6.0.438\",\"AO Kaspersky Lab\",\"Win 11\",\"10.03.2025 07:12\",\"#ffffff\"\r\n";

/// A report with Lansweeper's column names, saved by Excel as "Unicode Text" (the caller
/// encodes it as UTF-16LE with BOM; tab-separated, CRLF).
const UNICODE_TEXT: &str = "AssetName\tAssetTypename\tsoftwareName\tsoftwareVersion\tSoftwarePublisher\tOSname\r\n\
fr-esx-01\tVMware\t\t\t\tVMware ESXi 8.0\r\n\
DMZ-KSMG01\tLinux\tKaspersky Secure Mail Gateway\t2.0.1.6960\tAO Kaspersky Lab\tCentOS 7\r\n\
FR-SQL-01\tVMware Guest\tMicrosoft SQL Server 2019\t15.0.4360.2\tMicrosoft Corporation\tWin 2022\r\n\
OG-PRN-01\tPrinter\t\t\t\t\r\n";

#[test]
fn software_report_gives_one_record_per_asset_and_its_software() {
    let loaded = load(&[("lansweeper.csv", REPORT.as_bytes().to_vec())]);
    let f = &loaded.files[0];
    assert_eq!(
        (f.format, f.separator, f.rows, f.assets, f.software),
        ("lansweeper", Some(','), 9, 5, 6)
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
            "FR-SRV-KSC01",
            "FR-SRV-ERP01",
            "fr-lx-web01",
            "OG-WS-0031"
        ]
    );
    let ws = asset(&loaded, "FR-WS-0142");
    assert_eq!(origin(ws), "lansweeper.csv:2", "the asset's first row");
    assert_eq!(ws.os.raw, "Windows 11");
    assert_eq!(ws.kind, AssetKind::Workstation);
    assert_eq!(ws.owner().map(|t| t.as_str()), Some("mmueller"));
    assert_eq!(
        ws.software,
        [
            Software {
                name: "Kaspersky Endpoint Security for Windows".into(),
                version: Some("12.6.0.438".into()),
                publisher: Some("AO Kaspersky Lab".into()),
            },
            Software {
                name: "Kaspersky Security Center Network Agent".into(),
                version: Some("15.1.0.20748".into()),
                publisher: Some("AO Kaspersky Lab".into()),
            },
        ],
        "the repeated row adds nothing"
    );
    let ksc = asset(&loaded, "FR-SRV-KSC01");
    assert_eq!(
        ksc.os.raw, "Windows Server 2019",
        "Lansweeper's \"Win 2019\""
    );
    assert_eq!(
        (ksc.os.family, ksc.kind),
        (OsFamily::WindowsServer, AssetKind::Server)
    );
    let erp = asset(&loaded, "FR-SRV-ERP01");
    assert_eq!(
        erp.software[0].publisher.as_deref(),
        Some("ESET, spol. s r.o.")
    );
    assert_eq!(asset(&loaded, "fr-lx-web01").os.family, OsFamily::Linux);
    let ws31 = asset(&loaded, "OG-WS-0031");
    assert!(ws31.software.is_empty());
    assert_eq!(ws31.os.version.as_deref(), Some("10"));
    assert_eq!(
        warnings(&loaded),
        [
            "lansweeper.csv:8: row has no AssetName; row skipped",
            "lansweeper.csv:9: row has 4 fields, the header has 11; row skipped",
        ]
    );
    let analysis = Analysis::run(&loaded.inventory, &RuleSet::builtin());
    let direct: Vec<&str> = (0..loaded.inventory.len())
        .filter(|&i| analysis.reliance_of(i) == Reliance::Direct)
        .map(|i| loaded.inventory.assets()[i].id.as_str())
        .collect();
    assert_eq!(direct, ["FR-WS-0142", "FR-SRV-KSC01", "fr-lx-web01"]);
    assert_eq!(
        load_with(
            &[("lansweeper.csv", REPORT.as_bytes().to_vec())],
            &ImportOptions::strict(true)
        )
        .expect_err("strict"),
        "lansweeper.csv:8: row has no AssetName; row skipped"
    );
}

#[test]
fn utf16_tab_separated_resave_with_asset_types() {
    let loaded = load(&[("lansweeper.txt", utf16le_bom(UNICODE_TEXT))]);
    let f = &loaded.files[0];
    assert_eq!(
        (f.format, f.encoding, f.separator, f.assets, f.software),
        ("lansweeper", "utf-16le", Some('\t'), 4, 2)
    );
    let kind = |id| asset(&loaded, id).kind;
    assert_eq!(kind("fr-esx-01"), AssetKind::Hypervisor);
    assert_eq!(kind("DMZ-KSMG01"), AssetKind::Server, "Linux: from the OS");
    assert_eq!(kind("FR-SQL-01"), AssetKind::Vm);
    assert_eq!(kind("OG-PRN-01"), AssetKind::Appliance);
    assert_eq!(asset(&loaded, "FR-SQL-01").os.raw, "Windows Server 2022");
    assert_eq!(origin(asset(&loaded, "OG-PRN-01")), "lansweeper.txt:5");
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
}
