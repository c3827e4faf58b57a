//! Intune / Entra ID: one group member file per wave in the layout of the Entra admin center's
//! "Bulk import group members" template: a version row, the column heading row, then one member
//! per row.

use super::{Export, ExportFile, WaveTargets, slug, unusable};
use crate::report::csv_export::guard_formula;

/// The template's first two rows, which the upload requires unchanged.
pub(crate) const HEADER: &str =
    "version:v1.0\r\nMember object ID or user principal name [memberObjectIdOrUpn] Required\r\n";

pub(super) fn write(lists: &[WaveTargets], out: &mut Export) {
    for list in lists {
        let w = list.wave;
        let mut rows = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let mut by_name = Vec::new();
        for t in &list.targets {
            let member = match t.asset.vendor_id("entra") {
                Some(id) => id.to_string(),
                None => {
                    let name = t.host();
                    if let Some(why) = unusable(name) {
                        out.skipped.push(t.skip(why));
                        continue;
                    }
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
                 object ids before the upload: {}",
                w.id,
                by_name.len(),
                by_name.join(", ")
            ));
        }
        let body = String::from_utf8(rows.into_inner().unwrap_or_default()).unwrap_or_default();
        out.files.push(ExportFile {
            name: format!("intune-{:02}-{}.csv", list.number, slug(&w.id, "wave")),
            contents: format!("{HEADER}{body}"),
        });
    }
}
