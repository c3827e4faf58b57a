//! Intune / Entra ID: per wave, a group member file in the layout of the Entra admin center's
//! "Bulk import group members" template (a version row, the column heading row, then one member
//! per row), and a Microsoft Graph PowerShell script that creates the wave's group and adds each
//! device by its Entra device id or its name, looking up the object id the group needs (the
//! Intune export carries the device id, which the portal's bulk import does not take).

use super::configmgr::quote;
use super::{Export, ExportFile, WaveTargets, slug, unusable};
use crate::plan::Plan;
use crate::report::csv_export::guard_formula;
use std::fmt::Write as _;

/// The template's first two rows, which the upload requires unchanged.
pub(crate) const HEADER: &str =
    "version:v1.0\r\nMember object ID or user principal name [memberObjectIdOrUpn] Required\r\n";

/// The script's functions. OData string literals double their quotes; in a PowerShell
/// single-quoted literal each of those quotes is doubled again.
const FUNCTIONS: &str = r#"function Add-Device([string]$Filter, [string]$Label) {
    $found = @(Get-MgDevice -Filter $Filter -All)
    if ($found.Count -eq 0) { Write-Warning ('Not in Entra ID: ' + $Label); return }
    if ($found.Count -gt 1) { Write-Warning ('Several devices match ' + $Label + '; all are added') }
    foreach ($d in $found) { New-MgGroupMember -GroupId $group.Id -DirectoryObjectId $d.Id -ErrorAction Continue }
}
function Add-ByDeviceId([string]$Id) { Add-Device ('deviceId eq ''' + $Id.Replace('''', '''''') + '''') $Id }
function Add-ByName([string]$Name) { Add-Device ('displayName eq ''' + $Name.Replace('''', '''''') + '''') $Name }
"#;

pub(super) fn write(plan: &Plan, lists: &[WaveTargets], out: &mut Export) {
    for list in lists {
        let w = list.wave;
        let mut script = script_head(plan, list);
        let mut rows = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let mut by_name = Vec::new();
        for t in &list.targets {
            let member = match t.asset.vendor_id("entra") {
                Some(id) => {
                    let _ = write!(script, "Add-ByDeviceId {}\r\n", quote(id));
                    id.to_string()
                }
                None => {
                    let name = t.host();
                    if let Some(why) = unusable(name) {
                        out.skipped.push(t.skip(why));
                        continue;
                    }
                    let _ = write!(script, "Add-ByName {}\r\n", quote(name));
                    by_name.push(t.planned.id.clone());
                    name.to_string()
                }
            };
            let cell = guard_formula(&member);
            if cell != member {
                out.warnings.push(format!(
                    "intune wave {}: {}: the name starts like a spreadsheet formula; written with \
                     a leading apostrophe, correct it before the upload",
                    w.id, t.planned.id
                ));
            }
            let _ = rows.write_record([cell]);
        }
        if !by_name.is_empty() {
            out.warnings.push(format!(
                "intune wave {}: {} device(s) listed by name, not by Entra ID device id (the \
                 inventory did not come from Intune's device export): replace the names by \
                 object ids before the upload, or run the wave's .ps1, which looks them up: {}",
                w.id,
                by_name.len(),
                super::listed(&by_name)
            ));
        }
        let body = String::from_utf8(rows.into_inner().unwrap_or_default()).unwrap_or_default();
        let stem = format!("intune-{:02}-{}", list.number, slug(&w.id, "wave"));
        out.files.push(ExportFile {
            name: format!("{stem}.csv"),
            contents: format!("{HEADER}{body}"),
        });
        out.files.push(ExportFile {
            name: format!("{stem}.ps1"),
            contents: script,
        });
    }
}

/// The script's start: the wave's security group, found by name or created, and the
/// functions that add a device by its Entra device id or its display name. Every value is a
/// single-quoted literal.
fn script_head(plan: &Plan, list: &WaveTargets) -> String {
    let w = list.wave;
    let clean = crate::model::text::clean;
    let group = format!("AV migration {} {} - {}", clean(&plan.name), w.id, w.name);
    let plan_slug: String = slug(&plan.name, "plan").chars().take(30).collect();
    let nickname = format!("avmigrate-{plan_slug}-{}", slug(&w.id, "wave"));
    let description = format!("Wave {} {} to {}", w.id, w.start, w.end);
    let mut s = String::new();
    let _ = write!(
        s,
        "# Entra ID group for wave {} ({} to {}), made by avmigrate.\r\n\
         # Needs the Microsoft Graph PowerShell SDK (Install-Module Microsoft.Graph) and\r\n\
         # Connect-MgGraph -Scopes 'Group.ReadWrite.All','Device.Read.All' first.\r\n\
         $ErrorActionPreference = 'Stop'\r\n\
         $groupName = {}\r\n",
        clean(&w.id),
        w.start,
        w.end,
        quote(&group)
    );
    s.push_str(
        "$group = Get-MgGroup -Filter ('displayName eq ''' + $groupName.Replace('''', '''''') + \
         '''') | Select-Object -First 1\r\n",
    );
    let _ = write!(
        s,
        "if (-not $group) {{\r\n    $group = New-MgGroup -DisplayName $groupName -MailEnabled:$false \
         -MailNickname {} -SecurityEnabled -Description {}\r\n}}\r\n",
        quote(&nickname),
        quote(&description)
    );
    s.push_str(&FUNCTIONS.replace('\n', "\r\n"));
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_functions_keep_crlf_once() {
        let crlf = super::FUNCTIONS.replace('\n', "\r\n");
        assert!(!crlf.contains("\r\r"));
        assert_eq!(
            crlf.matches("\r\n").count(),
            super::FUNCTIONS.lines().count()
        );
    }
}
