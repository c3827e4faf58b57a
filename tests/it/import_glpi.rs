//! GLPI computer search exports: GLPI 10 (BOM, trailing delimiters, `''`, `<br>` lists) and
//! GLPI 11 (RFC CSV), English, German and French headers.

use crate::import_support;

use avmigrate::analysis::{Analysis, Reliance};
use avmigrate::inventory::{ImportOptions, Loaded};
use avmigrate::model::{AssetKind, OsFamily, Software};
use avmigrate::rules::RuleSet;
use import_support::*;

fn sw(name: &str, version: &str, publisher: &str) -> Software {
    let some = |s: &str| (!s.is_empty()).then(|| s.into());
    Software {
        name: name.into(),
        version: some(version),
        publisher: some(publisher),
    }
}

/// Ids of the assets running a flagged product.
fn direct(loaded: &Loaded) -> Vec<&str> {
    let analysis = Analysis::run(&loaded.inventory, &RuleSet::builtin());
    loaded
        .inventory
        .assets()
        .iter()
        .enumerate()
        .filter(|(i, _)| analysis.reliance_of(*i) == Reliance::Direct)
        .map(|(_, a)| a.id.as_str())
        .collect()
}

/// GLPI 10 "Export → CSV" (sample): UTF-8 BOM, `;`, a delimiter after every value, LF,
/// `''` for `"`, a comment over two lines, software joined with `<br>`.
const GLPI10_SAMPLE: &str = "\u{feff}\"Name\";\"Entity\";\"Status\";\"Manufacturer\";\"Serial number\";\"Type\";\"Model\";\"Operating system - Name\";\"Location\";\"Last update\";\"Comments\";\"Software - Name\";\"Software - Version\";\n\
\"FR-WS-0142\";\"Root entity > Müller Maschinenbau GmbH > Freiburg\";\"In use\";\"LENOVO\";\"MJ0GK4TR\";\"Desktop\";\"ThinkStation P360\";\"Microsoft Windows 11 Pro\";\"Freiburg > Halle 2 > Konstruktion\";\"2025-03-10 07:12\";\"\";\"Kaspersky Endpoint Security for Windows<br>Kaspersky Security Center Network Agent<br>SOLIDWORKS 2023 SP5\";\"12.6.0.438<br>15.1.0.20748<br>31.50.0049\";\n\
\"FR-SRV-KSC01\";\"Root entity > Müller Maschinenbau GmbH > Freiburg\";\"In use\";\"VMware, Inc.\";\"VMware-42 1f 6a 3b 9c 2e 5d 71-0a 8b 4c 3d 2e 1f 0a 9b\";\"Virtual machine\";\"VMware7,1\";\"Microsoft Windows Server 2019 Standard\";\"Freiburg > RZ\";\"2025-03-09 23:00\";\"KSC-Server ''primär''\n\
verwaltet auch OG-SRV-KSC02\";\"Kaspersky Security Center 14.2 Administration Server<br>Kaspersky Security Center Network Agent<br>Kaspersky Security for Windows Server\";\"14.2.0.26967<br>14.2.0.26967<br>11.0.1.897\";\n\
\"FR-SRV-ERP01\";\"Root entity > Müller Maschinenbau GmbH > Freiburg\";\"In use\";\"Dell Inc.\";\"3HQ7K53\";\"Server\";\"PowerEdge R650\";\"Microsoft Windows Server 2022 Standard\";\"Freiburg > RZ\";\"2025-03-09 23:00\";\"\";\"ESET Server Security<br>SAP GUI for Windows 8.00 Compilation 1\";\"10.0.12012.0<br>8.00.0.1\";\n\
\"fr-lx-web01\";\"Root entity > Müller Maschinenbau GmbH > Freiburg\";\"In use\";\"VMware, Inc.\";\"VMware-42 1f 11 22 33 44 55 66-77 88 99 aa bb cc dd ee\";\"Virtual machine\";\"VMware Virtual Platform\";\"Ubuntu\";\"Freiburg > RZ\";\"2025-03-09 23:00\";\"\";\"kesl<br>klnagent64<br>nginx\";\"12.3.0-1162<br>15.1.0-20748<br>1.18.0-6ubuntu14.4\";\n\
\"OG-NB-0044\";\"Root entity > Müller Maschinenbau GmbH > Offenburg\";\"In use\";\"HP\";\"5CD3471LKQ\";\"Laptop\";\"HP EliteBook 840 G10 Notebook PC\";\"Microsoft Windows 11 Pro\";\"Offenburg > Verwaltung\";\"2025-03-10 06:58\";\"\";\"Microsoft 365 Apps for enterprise - de-de<br>Sophos Connect\";\"16.0.17328.20184<br>2.3.1.0412\";\n";

/// GLPI 10 with `,` as the user's delimiter: `''` in a software name, an empty version in
/// the middle of a list, a version list that does not pair up, a row without name, a cut row.
const GLPI10_COMMA: &str = "\u{feff}\"Name\",\"Entity\",\"Type\",\"Operating system - Name\",\"Operating system - Version\",\"Location\",\"User\",\"Software - Name\",\"Software - Version\",\"Software - Publisher\",\n\
\"OG-WS-0031\",\"Root entity > Müller Maschinenbau GmbH > Offenburg\",\"Desktop\",\"Microsoft Windows 10 Pro\",\"22H2\",\"\",\"Tobias Schäfer\",\"Kaspersky Endpoint Security for Windows<br>7-Zip ''x64''<br>Zeiterfassung Client 4.2\",\"11.11.0.452<br><br>4.2.1\",\"AO Kaspersky Lab<br>Igor Pavlov<br>Müller Maschinenbau GmbH\",\n\
\"OG-SRV-KSC02\",\"Root entity > Müller Maschinenbau GmbH > Offenburg\",\"Virtual machine\",\"Microsoft Windows Server 2019 Standard\",\"\",\"Offenburg > Serverraum\",\"\",\"Kaspersky Security Center 14.2 Administration Server<br>Kaspersky Security for Windows Server\",\"14.2.0.26967\",\"\",\n\
\"\",\"Root entity\",\"Desktop\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\n\
\"OG-WS-0099\",\"Root entity > Müller Maschinenbau GmbH > Offenburg\",\"Desktop\",\n";

/// GLPI 11 (PhpSpreadsheet): German headers, RFC quoting with doubled quotes, CRLF, no BOM,
/// no trailing delimiter.
const GLPI11_DE: &str = "\"Name\";\"Einheit\";\"Status\";\"Typ\";\"Betriebssystem - Name\";\"Standort\";\"Benutzer\";\"Kommentare\";\"Software - Name\";\"Software - Version\"\r\n\
\"FR-NB-0207\";\"Root entity > Müller Maschinenbau GmbH > Freiburg\";\"In Betrieb\";\"Notebook\";\"Microsoft Windows 11 Enterprise\";\"Freiburg > Verwaltung\";\"Sabine Keller\";\"Leihgerät \"\"Pool\"\"\r\n\
bis 31.12.\";\"Kaspersky Endpoint Security for Windows<br>Microsoft 365 Apps for enterprise - de-de\";\"12.6.0.438<br>16.0.17328.20184\"\r\n\
\"FR-SRV-FS01\";\"Root entity > Müller Maschinenbau GmbH > Freiburg\";\"In Betrieb\";\"Server\";\"Microsoft Windows Server 2016 Datacenter\";\"Freiburg > RZ\";\"\";\"\";\"Kaspersky Security for Windows Server\";\"11.0.1.897\"\r\n";

/// GLPI 11 in French, minimal quoting.
const GLPI11_FR: &str = "Nom,Entité,Type,Système d'exploitation - Nom,Lieu,Logiciel - Nom,Logiciel - Version\r\n\
OG-NB-0044,Entité racine > Müller Maschinenbau GmbH > Offenburg,Portable,Microsoft Windows 11 Pro,Offenburg > Verwaltung,Sophos Connect<br>Microsoft Defender,2.3.1.0412<br>4.18.24020.7\r\n";

#[test]
fn glpi10_export_gives_computers_with_paired_software() {
    let loaded = load(&[("glpi.csv", GLPI10_SAMPLE)]);
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
        ("glpi", "utf-8-bom", Some(';'), 5, 5, 13)
    );
    let ws = asset(&loaded, "FR-WS-0142");
    assert_eq!(
        (ws.kind, ws.os.family),
        (AssetKind::Workstation, OsFamily::WindowsClient)
    );
    assert_eq!(ws.os.raw, "Microsoft Windows 11 Pro");
    assert_eq!(
        ws.site().map(|t| t.as_str()),
        Some("Freiburg"),
        "top of the location path"
    );
    assert_eq!(
        ws.software,
        [
            sw("Kaspersky Endpoint Security for Windows", "12.6.0.438", ""),
            sw(
                "Kaspersky Security Center Network Agent",
                "15.1.0.20748",
                ""
            ),
            sw("SOLIDWORKS 2023 SP5", "31.50.0049", ""),
        ]
    );
    let ksc = asset(&loaded, "FR-SRV-KSC01");
    assert_eq!(ksc.kind, AssetKind::Vm);
    assert_eq!(ksc.os.version.as_deref(), Some("2019"));
    assert_eq!(origin(ksc), "glpi.csv:3");
    assert_eq!(
        ksc.software[2],
        sw("Kaspersky Security for Windows Server", "11.0.1.897", "")
    );
    let erp = asset(&loaded, "FR-SRV-ERP01");
    assert_eq!(origin(erp), "glpi.csv:5", "after the two-line comment");
    assert_eq!(erp.kind, AssetKind::Server);
    let web = asset(&loaded, "fr-lx-web01");
    assert_eq!((web.kind, web.os.family), (AssetKind::Vm, OsFamily::Linux));
    assert_eq!(web.software[0], sw("kesl", "12.3.0-1162", ""));
    let nb = asset(&loaded, "OG-NB-0044");
    assert_eq!(
        (nb.kind, nb.site().map(|t| t.as_str())),
        (AssetKind::Laptop, Some("Offenburg"))
    );
    assert_eq!(origin(nb), "glpi.csv:7");
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
    assert_eq!(
        direct(&loaded),
        ["FR-WS-0142", "FR-SRV-KSC01", "fr-lx-web01"]
    );
}

#[test]
fn glpi10_quotes_empty_list_entries_and_lists_that_do_not_pair() {
    let loaded = load(&[("glpi.csv", GLPI10_COMMA)]);
    let f = &loaded.files[0];
    assert_eq!(
        (f.format, f.separator, f.rows, f.assets),
        ("glpi", Some(','), 4, 2)
    );
    let ws = asset(&loaded, "OG-WS-0031");
    assert_eq!(ws.os.raw, "Microsoft Windows 10 Pro 22H2");
    assert_eq!(ws.os.feature_update.as_deref(), Some("22H2"));
    assert_eq!(
        ws.site().map(|t| t.as_str()),
        Some("Offenburg"),
        "from the entity"
    );
    assert_eq!(ws.owner().map(|t| t.as_str()), Some("Tobias Schäfer"));
    assert_eq!(
        ws.software,
        [
            sw(
                "Kaspersky Endpoint Security for Windows",
                "11.11.0.452",
                "AO Kaspersky Lab"
            ),
            sw("7-Zip \"x64\"", "", "Igor Pavlov"),
            sw(
                "Zeiterfassung Client 4.2",
                "4.2.1",
                "Müller Maschinenbau GmbH"
            ),
        ]
    );
    let ksc = asset(&loaded, "OG-SRV-KSC02");
    assert_eq!(
        ksc.software,
        [
            sw(
                "Kaspersky Security Center 14.2 Administration Server",
                "",
                ""
            ),
            sw("Kaspersky Security for Windows Server", "", ""),
        ]
    );
    assert_eq!(
        warnings(&loaded),
        [
            "glpi.csv:3:255: 2 software names but 1 version; they cannot be paired, so the \
             versions of this computer are left out",
            "glpi.csv:4: computer has no name; row skipped",
            "glpi.csv:5: row has 4 fields, the header has 10; row skipped",
        ]
    );
    assert_eq!(direct(&loaded), ["OG-WS-0031", "OG-SRV-KSC02"]);
    assert_eq!(
        load_with(&[("glpi.csv", GLPI10_COMMA)], &ImportOptions::strict(true)).expect_err("strict"),
        warnings(&loaded)[0]
    );
}

#[test]
fn glpi11_german_headers_and_rfc_quoting() {
    let loaded = load(&[("glpi11.csv", GLPI11_DE)]);
    let f = &loaded.files[0];
    assert_eq!(
        (f.format, f.encoding, f.separator, f.assets),
        ("glpi", "utf-8", Some(';'), 2)
    );
    let nb = asset(&loaded, "FR-NB-0207");
    assert_eq!(nb.kind, AssetKind::Laptop);
    assert_eq!(nb.os.raw, "Microsoft Windows 11 Enterprise");
    assert_eq!(nb.owner().map(|t| t.as_str()), Some("Sabine Keller"));
    assert_eq!(
        nb.software,
        [
            sw("Kaspersky Endpoint Security for Windows", "12.6.0.438", ""),
            sw(
                "Microsoft 365 Apps for enterprise - de-de",
                "16.0.17328.20184",
                ""
            ),
        ]
    );
    let fs = asset(&loaded, "FR-SRV-FS01");
    assert_eq!(origin(fs), "glpi11.csv:4", "after the two-line comment");
    assert_eq!(
        (fs.kind, fs.os.version.as_deref()),
        (AssetKind::Server, Some("2016"))
    );
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
    assert_eq!(direct(&loaded), ["FR-NB-0207", "FR-SRV-FS01"]);
}

#[test]
fn glpi11_french_headers() {
    let loaded = load(&[("glpi_fr.csv", GLPI11_FR)]);
    assert_eq!(loaded.files[0].format, "glpi");
    let nb = asset(&loaded, "OG-NB-0044");
    assert_eq!(nb.kind, AssetKind::Laptop, "Portable");
    assert_eq!(nb.site().map(|t| t.as_str()), Some("Offenburg"));
    assert_eq!(nb.os.family, OsFamily::WindowsClient);
    assert_eq!(
        nb.software,
        [
            sw("Sophos Connect", "2.3.1.0412", ""),
            sw("Microsoft Defender", "4.18.24020.7", ""),
        ]
    );
    assert!(direct(&loaded).is_empty());
}

#[test]
fn glpi_merges_with_another_inventory_by_name() {
    let other = "hostname,os,criticality\nfr-ws-0142.mueller-mb.local,Windows 11 Pro,high\n";
    let loaded = load(&[("glpi.csv", GLPI10_SAMPLE), ("cmdb.csv", other)]);
    assert_eq!(
        loaded.inventory.len(),
        5,
        "the FQDN record merges with the GLPI name"
    );
    let ws = asset(&loaded, "FR-WS-0142");
    assert_eq!(ws.id, "fr-ws-0142.mueller-mb.local");
    assert_eq!(ws.software.len(), 3);
}
