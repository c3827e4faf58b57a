//! Ansible: one inventory, in INI and in YAML, with a group per wave (`wave_1` …) and per
//! target product (`product_<slug>`), for the Linux and macOS hosts (Ansible reaches Windows
//! hosts only through WinRM or SSH set up for it; those go through the Windows tools).
//!
//! Host names are restricted to letters, digits, `.`, `-` and `_`, which need no escaping in
//! INI; YAML keys are single-quoted all the same, so `yes`, `null` or `1.10` stay strings.

use super::{Export, ExportFile, WaveTargets, unusable};
use crate::model::OsFamily;
use std::collections::BTreeMap;
use std::fmt::Write as _;

pub(super) fn write(lists: &[WaveTargets], out: &mut Export) {
    // Group name → hosts, in file order: the waves first, then the products.
    let mut waves: Vec<(String, Vec<String>)> = Vec::new();
    let mut products: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for list in lists {
        let mut hosts = Vec::new();
        for t in &list.targets {
            if !matches!(t.asset.os.family, OsFamily::Linux | OsFamily::Macos) {
                out.skipped.push(t.skip(format!(
                    "not a Linux or macOS host ({}): the Ansible inventory lists only those",
                    t.asset.os.label()
                )));
                continue;
            }
            let name = t.host();
            if let Some(why) = unusable(name).or_else(|| refused(name)) {
                out.skipped.push(t.skip(why));
                continue;
            }
            hosts.push(name.to_string());
            match &t.planned.product {
                Some(p) => products
                    .entry(format!("product_{}", group_slug(p)))
                    .or_default()
                    .push(name.to_string()),
                None => out.warnings.push(format!(
                    "ansible: {} has no target product: in its wave group only",
                    t.planned.id
                )),
            }
        }
        waves.push((format!("wave_{}", list.number), hosts));
    }
    let groups: Vec<(String, Vec<String>)> = waves.into_iter().chain(products).collect();
    out.files.push(ExportFile {
        name: "ansible-inventory.ini".into(),
        contents: ini(&groups),
    });
    out.files.push(ExportFile {
        name: "ansible-inventory.yml".into(),
        contents: yaml(&groups),
    });
}

fn ini(groups: &[(String, Vec<String>)]) -> String {
    let mut s = String::from(
        "# Ansible inventory made by avmigrate: one group per wave and per product.\n",
    );
    for (group, hosts) in groups {
        let _ = writeln!(s, "\n[{group}]");
        for h in hosts {
            let _ = writeln!(s, "{h}");
        }
    }
    s
}

fn yaml(groups: &[(String, Vec<String>)]) -> String {
    let mut s = String::from(
        "# Ansible inventory made by avmigrate: one group per wave and per product.\nall:\n  children:\n",
    );
    for (group, hosts) in groups {
        if hosts.is_empty() {
            let _ = writeln!(s, "    {group}: {{}}");
            continue;
        }
        let _ = writeln!(s, "    {group}:\n      hosts:");
        for h in hosts {
            let _ = writeln!(s, "        '{}': {{}}", h.replace('\'', "''"));
        }
    }
    s
}

/// Why a name cannot be an Ansible host: only host-name characters are accepted, since INI
/// lines are split at spaces and read `[a:b]` as a range, `#` and `;` as comments, `=` as a
/// variable and `:` as a port.
fn refused(name: &str) -> Option<&'static str> {
    let ok = name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'));
    (!ok || name.starts_with(['.', '-']))
        .then_some("not a host name Ansible can use (only letters, digits, '.', '-' and '_')")
}

/// A group-name slug: Ansible group names are valid variable names (letters, digits, `_`).
fn group_slug(product: &str) -> String {
    super::slug(product, "unknown").replace('-', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_host_names_are_accepted() {
        assert!(refused("web-01.example.org").is_none());
        assert!(refused("srv_ü1").is_none());
        assert!(refused("a b").is_some());
        assert!(refused("h[1:3]").is_some());
        assert!(refused("x=1").is_some());
        assert!(refused("h:22").is_some());
        assert!(refused("-oProxyCommand").is_some());
        assert_eq!(group_slug("sentinelone-linux"), "sentinelone_linux");
    }

    #[test]
    fn yaml_keys_are_quoted_and_empty_groups_are_maps() {
        let y = yaml(&[
            ("wave_1".into(), vec!["yes".into()]),
            ("wave_2".into(), vec![]),
        ]);
        assert!(y.contains("        'yes': {}\n"), "{y}");
        assert!(y.contains("    wave_2: {}\n"), "{y}");
    }
}
