//! osquery result rows — one row of a table as `osqueryi --json` prints it, or the `columns`
//! of a results-log line — and how the rows of each inventory table map to the model.

pub(crate) use super::osquery_json::Row;
use crate::model::{AssetKind, Software};

/// The osquery tables the importer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    /// Windows `programs` (Add/Remove Programs, every registry hive and AppX).
    Programs,
    /// Debian/Ubuntu `deb_packages`.
    Deb,
    /// RHEL/SUSE `rpm_packages`.
    Rpm,
    /// macOS `apps`.
    Apps,
    /// `system_info`: the machine itself.
    SystemInfo,
    /// `os_version`: the machine's OS.
    OsVersion,
}

impl Table {
    /// Every table, with its name split into `_`-separated words.
    const WORDS: &'static [(Table, &'static [&'static str])] = &[
        (Table::Programs, &["programs"]),
        (Table::Deb, &["deb", "packages"]),
        (Table::Rpm, &["rpm", "packages"]),
        (Table::Apps, &["apps"]),
        (Table::SystemInfo, &["system", "info"]),
        (Table::OsVersion, &["os", "version"]),
    ];

    /// The table a scheduled query's name tells (`pack_inventory_programs`,
    /// `pack/inventory/deb_packages`, `pack/Global/Inventory - apps`): the table name found
    /// last among the name's words (split at `_`, `/`, `-`, `.`, `:` and spaces).
    pub(crate) fn from_query_name(name: &str) -> Option<Table> {
        let lower = name.to_ascii_lowercase();
        let words: Vec<&str> = lower
            .split(['_', '/', '-', '.', ':', ' '])
            .filter(|w| !w.is_empty())
            .collect();
        (0..words.len()).rev().find_map(|i| {
            Table::WORDS
                .iter()
                .find(|(_, table)| words[i..].starts_with(table))
                .map(|(t, _)| *t)
        })
    }

    /// The table whose columns these are (`has` says whether a column is present): the
    /// columns that only that table has, so that other tables and ad-hoc queries do not fit.
    pub(crate) fn from_columns(has: impl Fn(&str) -> bool) -> Option<Table> {
        let all = |keys: &[&str]| keys.iter().all(|k| has(k));
        let any = |keys: &[&str]| keys.iter().any(|k| has(k));
        if all(&["name", "version", "publisher", "uninstall_string"])
            && any(&["identifying_number", "install_location"])
        {
            Some(Table::Programs)
        } else if all(&["name", "version", "arch"])
            && any(&[
                "maintainer",
                "status",
                "section",
                "priority",
                "admindir",
                "source",
            ])
            && !any(&["release", "platform"])
        {
            Some(Table::Deb)
        } else if all(&["name", "version", "release"]) && any(&["vendor", "arch", "epoch"]) {
            Some(Table::Rpm)
        } else if all(&["name", "bundle_identifier"])
            && any(&["bundle_short_version", "bundle_version", "path"])
        {
            Some(Table::Apps)
        } else if all(&["hostname", "computer_name"])
            && any(&[
                "uuid",
                "cpu_brand",
                "cpu_type",
                "hardware_model",
                "physical_memory",
            ])
        {
            Some(Table::SystemInfo)
        } else if all(&["name", "version", "platform"])
            && any(&["major", "codename", "build", "platform_like"])
        {
            Some(Table::OsVersion)
        } else {
            None
        }
    }
}

/// The machine a `system_info` row describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Device {
    /// `hostname` (the FQDN on Windows), else `computer_name`, as written.
    pub host: String,
    /// `computer_name` (the short name), else `local_hostname`.
    pub name: Option<String>,
    /// A kind the hardware tells (virtual machine, MacBook).
    pub kind: Option<AssetKind>,
}

/// What one row means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    /// An installed product.
    Software(Software),
    /// The machine.
    Device(Device),
    /// The OS text.
    Os(String),
}

/// What a row of `table` means, or why it is not used (the reason counted as skipped).
pub(crate) fn map(table: Table, row: &Row<'_>) -> Result<Item, &'static str> {
    let text = |key: &str| crate::model::text::clean(row.get(key));
    let opt = |value: String| (!value.is_empty()).then_some(value);
    let software = |name: String, version: String, publisher: Option<String>| {
        if name.is_empty() {
            return Err("no name");
        }
        Ok(Item::Software(Software {
            name: name.into(),
            version: opt(version).map(Into::into),
            publisher: publisher.and_then(opt).map(Into::into),
        }))
    };
    match table {
        Table::Programs => software(text("name"), text("version"), Some(text("publisher"))),
        Table::Deb => {
            // "<want> <error flag> <status>": "deinstall ok config-files" is a removed package
            // whose configuration stays; older osquery builds have no status column.
            let status = row.get("status");
            if status
                .split_whitespace()
                .last()
                .is_some_and(|s| s != "installed")
            {
                return Err("not installed");
            }
            let maintainer = text("maintainer");
            let publisher = match maintainer.split_once('<') {
                Some((who, _)) => who.trim().to_string(),
                None => maintainer,
            };
            software(text("name"), text("version"), Some(publisher))
        }
        Table::Rpm => {
            let (version, release) = (text("version"), text("release"));
            let full = if release.is_empty() || version.is_empty() {
                version
            } else {
                format!("{version}-{release}")
            };
            software(text("name"), full, Some(text("vendor")))
        }
        Table::Apps => {
            let name = text("name");
            let name = match name.len().checked_sub(4) {
                Some(cut)
                    if name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(".app") =>
                {
                    name[..cut].trim_end().to_string()
                }
                _ => name,
            };
            let mut version = text("bundle_short_version");
            if version.is_empty() {
                version = text("bundle_version");
            }
            let publisher = copyright_holder(row.get("copyright"))
                .or_else(|| identifier_owner(row.get("bundle_identifier")));
            software(name, version, publisher)
        }
        Table::SystemInfo => {
            let (hostname, computer) = (text("hostname"), text("computer_name"));
            let name = opt(computer).or_else(|| opt(text("local_hostname")));
            let host = match opt(hostname) {
                Some(h) => h,
                None => name.clone().ok_or("no host name")?,
            };
            let kind = hardware_kind(row.get("hardware_vendor"), row.get("hardware_model"));
            Ok(Item::Device(Device { host, name, kind }))
        }
        Table::OsVersion => {
            let os = os_text(&text("name"), &text("version"), &text("platform"));
            opt(os).map(Item::Os).ok_or("no OS name")
        }
    }
}

/// OS text from `os_version`: the name with the version unless the name already has it
/// ("Microsoft Windows 11 Pro 10.0.22631", "Ubuntu 22.04.4 LTS (Jammy Jellyfish)").
pub(crate) fn os_text(name: &str, version: &str, platform: &str) -> String {
    let base = match (name.is_empty(), platform) {
        (false, _) => name,
        (true, "darwin") => "macOS",
        (true, p) => p,
    };
    if version.is_empty() || base.contains(version) {
        base.to_string()
    } else {
        format!("{base} {version}").trim().to_string()
    }
}

/// The holder of a bundle's copyright: "Copyright © 1993-2024 Robert McNeel & Associates.
/// All rights reserved." → "Robert McNeel & Associates".
pub(crate) fn copyright_holder(copyright: &str) -> Option<String> {
    let mut s = crate::model::text::clean(copyright);
    if let Some(cut) = s.to_ascii_lowercase().find("all rights reserved") {
        s.truncate(cut);
    }
    let mut rest = s.as_str();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '-'));
        let lower = rest.to_ascii_lowercase();
        let skip = if lower.starts_with("copyright") {
            "copyright".len()
        } else if rest.starts_with('©') {
            '©'.len_utf8()
        } else if lower.starts_with("(c)") {
            3
        } else {
            rest.find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '–' | ',' | ' ')))
                .filter(|&n| n > 0 && rest[..n].chars().any(|c| c.is_ascii_digit()))
                .unwrap_or(0)
        };
        if skip == 0 {
            break;
        }
        rest = &rest[skip..];
    }
    let mut holder = rest.trim().trim_end_matches([',', ';']).trim_end();
    let abbreviation = ["inc.", "ltd.", "co.", "corp.", "s.a.", "b.v.", "n.v."]
        .iter()
        .any(|a| holder.to_ascii_lowercase().ends_with(a));
    if !abbreviation {
        holder = holder.trim_end_matches('.').trim_end();
    }
    holder
        .chars()
        .any(char::is_alphabetic)
        .then(|| holder.to_string())
}

/// The organisation of a reverse-DNS bundle identifier: "com.kaspersky.kes.mac" → "kaspersky".
fn identifier_owner(identifier: &str) -> Option<String> {
    let mut parts = identifier.split('.');
    let (_, owner, _) = (parts.next()?, parts.next()?, parts.next()?);
    (!owner.is_empty()).then(|| crate::model::text::clean(owner))
}

/// Virtual machines and MacBooks by their hardware vendor and model.
fn hardware_kind(vendor: &str, model: &str) -> Option<AssetKind> {
    let text = format!("{vendor} {model}").to_lowercase();
    const VIRTUAL: &[&str] = &[
        "vmware",
        "virtual machine",
        "virtualbox",
        "kvm",
        "qemu",
        "hvm domu",
        "parallels",
        "amazon ec2",
        "google compute engine",
    ];
    if VIRTUAL.iter().any(|v| text.contains(v)) {
        Some(AssetKind::Vm)
    } else if model.to_lowercase().starts_with("macbook") {
        Some(AssetKind::Laptop)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_tell_the_table() {
        let t = |keys: &str| Table::from_columns(|k| keys.split(',').any(|x| x == k));
        let windows_os = "arch,build,codename,install_date,major,minor,name,patch,platform,\
                          platform_like,revision,version";
        assert_eq!(t(windows_os), Some(Table::OsVersion));
        assert_eq!(
            t("name,version,source,size,arch,revision"),
            Some(Table::Deb)
        );
        let rpm = "name,version,release,source,size,sha1,arch,epoch,install_time,vendor";
        assert_eq!(t(rpm), Some(Table::Rpm));
        assert_eq!(t("name,version"), None);
    }

    #[test]
    fn query_names_tell_the_table() {
        let t = Table::from_query_name;
        assert_eq!(t("pack_inventory_programs"), Some(Table::Programs));
        assert_eq!(t("pack/inventory/deb_packages"), Some(Table::Deb));
        assert_eq!(t("pack/Global/Inventory - rpm_packages"), Some(Table::Rpm));
        assert_eq!(t("pack_osx-attacks_apps"), Some(Table::Apps));
        assert_eq!(t("pack_inventory_system_info"), Some(Table::SystemInfo));
        assert_eq!(t("os_version"), Some(Table::OsVersion));
        assert_eq!(t("pack_programs_audit_os_version"), Some(Table::OsVersion));
        assert_eq!(t("pack_inventory_npm_packages"), None);
        assert_eq!(t("pack_incident-response_process_events"), None);
        assert_eq!(t("whatsapp"), None);
    }

    #[test]
    fn copyright_holders() {
        let h = |s| copyright_holder(s);
        assert_eq!(
            h("© 2024 AO Kaspersky Lab").as_deref(),
            Some("AO Kaspersky Lab")
        );
        assert_eq!(
            h("Copyright © 1993-2024 Robert McNeel & Associates. All rights reserved.").as_deref(),
            Some("Robert McNeel & Associates")
        );
        assert_eq!(
            h("Copyright (c) 2012, 2023 Apple Inc. All rights reserved.").as_deref(),
            Some("Apple Inc.")
        );
        assert_eq!(
            h("© Firefox and Mozilla Developers").as_deref(),
            Some("Firefox and Mozilla Developers")
        );
        assert_eq!(h("Copyright 2024"), None);
        assert_eq!(h(""), None);
        assert_eq!(
            identifier_owner("com.kaspersky.kes.mac").as_deref(),
            Some("kaspersky")
        );
        assert_eq!(identifier_owner("firefox"), None);
    }

    #[test]
    fn os_version_rows_give_os_text() {
        assert_eq!(
            os_text("Microsoft Windows 11 Pro", "10.0.22631", "windows"),
            "Microsoft Windows 11 Pro 10.0.22631"
        );
        assert_eq!(
            os_text("Ubuntu", "22.04.4 LTS (Jammy Jellyfish)", "ubuntu"),
            "Ubuntu 22.04.4 LTS (Jammy Jellyfish)"
        );
        assert_eq!(os_text("", "14.4.1", "darwin"), "macOS 14.4.1");
        assert_eq!(os_text("macOS 14.4.1", "14.4.1", "darwin"), "macOS 14.4.1");
    }

    #[test]
    fn hardware_tells_virtual_machines_and_laptops() {
        assert_eq!(
            hardware_kind("VMware, Inc.", "VMware7,1"),
            Some(AssetKind::Vm)
        );
        assert_eq!(
            hardware_kind("Microsoft Corporation", "Virtual Machine"),
            Some(AssetKind::Vm)
        );
        assert_eq!(
            hardware_kind("Apple Inc.", "MacBookPro18,3"),
            Some(AssetKind::Laptop)
        );
        assert_eq!(hardware_kind("Dell Inc.", "PowerEdge R450"), None);
    }
}
