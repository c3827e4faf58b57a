//! Helpers and byte-exact sample fixtures shared by the osquery import tests (the `.json` and
//! `.log` files next to this one are copies of the shared samples).

use avmigrate::analysis::{Analysis, Reliance};
use avmigrate::inventory::{ImportOptions, Loaded, load_sources};
use avmigrate::model::{Asset, Software};
use avmigrate::rules::RuleSet;
use std::collections::BTreeMap;

pub const PROGRAMS: &[u8] =
    include_bytes!("../import_osquery_data/osqueryi_programs_FR-WS-0142.json");
pub const DEB: &[u8] =
    include_bytes!("../import_osquery_data/osqueryi_deb_packages_FR-LX-WEB01.json");
pub const APPS: &[u8] = include_bytes!("../import_osquery_data/osqueryi_apps_FR-MAC-KON01.json");
pub const SYSTEM_INFO: &[u8] =
    include_bytes!("../import_osquery_data/osqueryi_system_info_FR-SRV-FS01.json");
pub const LOG: &[u8] = include_bytes!("../import_osquery_data/osqueryd.results.log");

/// Imports `(label, bytes)` files.
pub fn try_load(files: &[(&str, &[u8])], opts: &ImportOptions) -> Result<Loaded, String> {
    let sources = files
        .iter()
        .map(|(label, bytes)| (label.to_string(), bytes.to_vec()))
        .collect();
    load_sources(sources, opts).map_err(|e| e.to_string())
}

/// Imports `(label, bytes)` files; panics on failure.
pub fn load(files: &[(&str, &[u8])]) -> Loaded {
    try_load(files, &ImportOptions::default()).unwrap_or_else(|e| panic!("import failed: {e}"))
}

/// Imports one file; panics on failure.
pub fn load_one(label: &str, bytes: &[u8]) -> Loaded {
    load(&[(label, bytes)])
}

/// Imports one file.
pub fn try_load_one(label: &str, bytes: &[u8], opts: &ImportOptions) -> Result<Loaded, String> {
    try_load(&[(label, bytes)], opts)
}

/// The asset a reference means; panics when there is none.
pub fn asset<'a>(loaded: &'a Loaded, id: &str) -> &'a Asset {
    loaded
        .inventory
        .get(id)
        .unwrap_or_else(|| panic!("no asset {id}"))
}

/// Asset ids in inventory order.
pub fn ids(loaded: &Loaded) -> Vec<&str> {
    let assets = loaded.inventory.assets();
    assets.iter().map(|a| a.id.as_str()).collect()
}

/// Warnings as printed.
pub fn warnings(loaded: &Loaded) -> Vec<String> {
    loaded.warnings.iter().map(ToString::to_string).collect()
}

/// A software entry with a version.
pub fn sw(name: &str, version: &str, publisher: Option<&str>) -> Software {
    Software {
        name: name.into(),
        version: Some(version.into()),
        publisher: publisher.map(Into::into),
    }
}

/// Skip counts by reason.
pub fn skipped(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// An asset's origin as printed.
pub fn origin(a: &Asset) -> String {
    a.origin
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// Name and version of each installed product, sorted.
pub fn installed<'a>(loaded: &'a Loaded, id: &str) -> Vec<(&'a str, &'a str)> {
    let mut v: Vec<(&str, &str)> = asset(loaded, id)
        .software
        .iter()
        .map(|s| (s.name.as_str(), s.version.as_deref().unwrap_or("")))
        .collect();
    v.sort();
    v
}

/// The reliance of every asset under the built-in Kaspersky rules, in inventory order.
pub fn reliance(loaded: &Loaded) -> Vec<(&str, Reliance)> {
    let analysis = Analysis::run(&loaded.inventory, &RuleSet::builtin());
    let assets = loaded.inventory.assets();
    assets
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), analysis.reliance_of(i)))
        .collect()
}

/// `programs` columns as osqueryd writes them (sorted keys, all strings).
pub fn program(name: &str, version: &str, publisher: &str) -> String {
    format!(
        r#"{{"identifying_number":"","install_date":"","install_location":"","install_source":"","language":"","name":"{name}","package_family_name":"","publisher":"{publisher}","uninstall_string":"","upgrade_code":"","version":"{version}"}}"#
    )
}

/// `deb_packages` columns.
pub fn deb(name: &str, version: &str, status: &str) -> String {
    format!(
        r#"{{"admindir":"/var/lib/dpkg","arch":"amd64","maintainer":"AO Kaspersky Lab","name":"{name}","priority":"optional","revision":"1","section":"utils","size":"1","source":"","status":"{status}","version":"{version}"}}"#
    )
}

/// One line of the event format, keys in osqueryd's order; `time` and `counter` are written as
/// given (numbers, or quoted strings as in the documentation's examples).
pub fn event(
    query: &str,
    host: &str,
    time: &str,
    counter: &str,
    action: &str,
    cols: &str,
) -> String {
    let short = host.split('.').next().unwrap_or(host).to_uppercase();
    format!(
        r#"{{"name":"{query}","hostIdentifier":"{host}","calendarTime":"Mon Mar 10 08:14:55 2025 UTC","unixTime":{time},"epoch":0,"counter":{counter},"numerics":false,"decorations":{{"host_uuid":"","hostname":"{short}"}},"columns":{cols},"action":"{action}"}}"#
    ) + "\n"
}

/// The software of the programs sample, in file order.
pub fn programs_sample() -> Vec<Software> {
    vec![
        sw(
            "Kaspersky Endpoint Security for Windows",
            "12.6.0.438",
            Some("AO Kaspersky Lab"),
        ),
        sw(
            "Kaspersky Security Center Network Agent",
            "15.1.0.20748",
            Some("AO Kaspersky Lab"),
        ),
        sw("Mozilla Firefox (x64 de)", "123.0.1", Some("Mozilla")),
        sw(
            "7-Zip 23.01 (x64 edition)",
            "23.01.00.0",
            Some("Igor Pavlov"),
        ),
        sw(
            "SOLIDWORKS 2023 SP5",
            "31.50.0049",
            Some("Dassault Systemes SolidWorks Corp"),
        ),
        sw(
            "Zeiterfassung Client 4.2",
            "4.2.1",
            Some("Müller Maschinenbau GmbH"),
        ),
    ]
}

/// The same rows as `osqueryi --json_pretty` prints them, with the Firefox row twice (HKLM
/// and the user hive list it alike): duplicates collapse into one entry.
pub const PROGRAMS_PRETTY: &str = r#"[
    {
        "identifying_number": "{A5E5BBC2-4E4B-4A5B-9B7E-2D1F6C3A9E01}",
        "install_date": "20240918",
        "install_location": "C:\\Program Files (x86)\\Kaspersky Lab\\KES.12.6.0\\",
        "install_source": "C:\\Windows\\Temp\\KES_12.6.0.438\\",
        "language": "1031",
        "name": "Kaspersky Endpoint Security for Windows",
        "package_family_name": "",
        "publisher": "AO Kaspersky Lab",
        "uninstall_string": "MsiExec.exe /I{A5E5BBC2-4E4B-4A5B-9B7E-2D1F6C3A9E01}",
        "upgrade_code": "{4CC1C0D3-7C2E-4B1D-8E0B-3A77E1F2D9C4}",
        "version": "12.6.0.438"
    },
    {
        "identifying_number": "",
        "install_date": "",
        "install_location": "C:\\Program Files\\Mozilla Firefox",
        "install_source": "",
        "language": "",
        "name": "Mozilla Firefox (x64 de)",
        "package_family_name": "",
        "publisher": "Mozilla",
        "uninstall_string": "\"C:\\Program Files\\Mozilla Firefox\\uninstall\\helper.exe\"",
        "upgrade_code": "",
        "version": "123.0.1"
    },
    {
        "identifying_number": "",
        "install_date": "",
        "install_location": "C:\\Program Files\\Mozilla Firefox",
        "install_source": "",
        "language": "",
        "name": "Mozilla Firefox (x64 de)",
        "package_family_name": "",
        "publisher": "Mozilla",
        "uninstall_string": "\"C:\\Program Files\\Mozilla Firefox\\uninstall\\helper.exe\"",
        "upgrade_code": "",
        "version": "123.0.1"
    }
]
"#;
