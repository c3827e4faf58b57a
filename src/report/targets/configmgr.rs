//! Configuration Manager: one PowerShell script per wave that creates a device collection and
//! adds its devices with direct membership rules, by ResourceID when the inventory came from
//! ConfigMgr, else by name through `Get-CMDevice`.
//!
//! Every value is a single-quoted literal (no expansion of `$` or backticks); PowerShell also
//! ends such a literal at the typographic single quotes, so those are doubled as well.

use super::{Export, ExportFile, WaveTargets, slug, unusable};
use crate::plan::Plan;
use std::fmt::Write as _;

/// The collection every wave collection is limited to.
const LIMITING: &str = "All Systems";

pub(super) fn write(plan: &Plan, lists: &[WaveTargets], out: &mut Export) {
    for list in lists {
        let w = list.wave;
        let collection = format!("AV migration {} {} - {}", plan_label(plan), w.id, w.name);
        let mut s = String::new();
        let _ = write!(
            s,
            "# Configuration Manager collection for wave {} ({} to {}), made by avmigrate.\r\n\
             # Run it from the site drive (PS XYZ:\\>) after Import-Module ConfigurationManager.\r\n\
             $ErrorActionPreference = 'Stop'\r\n\
             $collection = {}\r\n\
             if (-not (Get-CMDeviceCollection -Name $collection)) {{\r\n\
             \x20   New-CMDeviceCollection -Name $collection -LimitingCollectionName {} -Comment {} | Out-Null\r\n\
             }}\r\n\
             function Add-ByName([string]$Name) {{\r\n\
             \x20   $found = @(Get-CMDevice -Name $Name -Fast)\r\n\
             \x20   if ($found.Count -eq 0) {{ Write-Warning ('Not in Configuration Manager: ' + $Name); return }}\r\n\
             \x20   if ($found.Count -gt 1) {{ Write-Warning ('Several devices are named ' + $Name + '; all are added') }}\r\n\
             \x20   Add-CMDeviceCollectionDirectMembershipRule -CollectionName $collection -ResourceId $found.ResourceID\r\n\
             }}\r\n",
            one_line(&w.id),
            w.start,
            w.end,
            quote(&collection),
            quote(LIMITING),
            quote(&format!("Wave {} {} to {}", w.id, w.start, w.end)),
        );
        let mut by_name = 0;
        for t in &list.targets {
            if let Some(rid) = t.asset.vendor_id("cm").filter(|r| r.parse::<u32>().is_ok()) {
                let _ = write!(
                    s,
                    "Add-CMDeviceCollectionDirectMembershipRule -CollectionName $collection -ResourceId {rid}\r\n"
                );
                continue;
            }
            let name = netbios(t.host());
            if let Some(why) = unusable(name).or_else(|| refused(name)) {
                out.skipped.push(t.skip(why));
                continue;
            }
            by_name += 1;
            let _ = write!(s, "Add-ByName {}\r\n", quote(name));
        }
        if by_name > 0 {
            out.warnings.push(format!(
                "configmgr wave {}: {by_name} device(s) added by name (the inventory has no \
                 ConfigMgr ResourceID for them); the script warns about names it cannot find",
                one_line(&w.id)
            ));
        }
        out.files.push(ExportFile {
            name: format!("configmgr-{:02}-{}.ps1", list.number, slug(&w.id, "wave")),
            contents: s,
        });
    }
}

/// The plan's name on one line, for the collection name.
fn plan_label(plan: &Plan) -> String {
    one_line(&plan.name)
}

/// Text with control characters neutralised and line breaks as spaces.
fn one_line(text: &str) -> String {
    crate::model::text::clean(text)
}

/// A PowerShell single-quoted string literal: every single quote (ASCII and the typographic
/// ones PowerShell also accepts) doubled; control characters neutralised.
pub(crate) fn quote(text: &str) -> String {
    let mut s = String::from("'");
    for c in one_line(text).chars() {
        if is_single_quote(c) {
            s.push(c);
        }
        s.push(c);
    }
    s.push('\'');
    s
}

/// The characters PowerShell reads as a single quote.
pub(crate) fn is_single_quote(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}')
}

/// The device name ConfigMgr keeps (`Name0`): the first label of a DNS name, an IP address as
/// it is.
fn netbios(host: &str) -> &str {
    if host.parse::<std::net::IpAddr>().is_ok() {
        return host;
    }
    host.split('.').next().unwrap_or(host)
}

/// Why a name cannot be a ConfigMgr device name: wildcards would match other devices.
fn refused(name: &str) -> Option<&'static str> {
    name.contains(['*', '?', '[', ']', '%'])
        .then_some("name contains a wildcard character (* ? [ ] %) that Get-CMDevice would expand")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_double_every_kind_of_single_quote() {
        assert_eq!(quote("O'Brien"), "'O''Brien'");
        assert_eq!(quote("a\u{2019}b"), "'a\u{2019}\u{2019}b'");
        assert_eq!(quote("$(rm) `x"), "'$(rm) `x'");
        assert_eq!(quote("a\nb"), "'a b'");
    }

    #[test]
    fn device_names_are_netbios_names() {
        assert_eq!(netbios("WS-01.corp.example"), "WS-01");
        assert_eq!(netbios("10.0.0.5"), "10.0.0.5");
        assert!(refused("WS-*").is_some());
        assert!(refused("WS-01").is_none());
    }
}
