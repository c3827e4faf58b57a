//! Kaspersky Security Center: per wave, a text file with one device name per line, for the
//! device selection of the "Uninstall application remotely" task ("Import from file"). Only
//! assets whose successor is verified are listed: the flagged product is removed last.

use super::{Export, ExportFile, Target, WaveTargets, slug, unusable};
use crate::plan::{ProtectionState, Status};

pub(super) fn write(lists: &[WaveTargets], out: &mut Export) {
    for list in lists {
        let w = list.wave;
        let mut s = String::new();
        for t in &list.targets {
            if let Some(why) = not_verified(t) {
                out.skipped.push(t.skip(why));
                continue;
            }
            let name = t.host();
            if let Some(why) = unusable(name) {
                out.skipped.push(t.skip(why));
            } else if name.contains(char::is_whitespace) {
                out.skipped
                    .push(t.skip("name contains spaces: not a device name or address"));
            } else {
                s.push_str(name);
                s.push_str("\r\n");
            }
        }
        out.files.push(ExportFile {
            name: format!("ksc-{:02}-{}.txt", list.number, slug(&w.id, "wave")),
            contents: s,
        });
    }
}

/// Why the flagged product may not be removed from the asset yet, if it may not.
fn not_verified(t: &Target) -> Option<String> {
    let p = t.planned;
    if p.status != Status::Verified {
        return Some(format!(
            "successor not verified (status {}): the flagged product stays until it is",
            p.status
        ));
    }
    match &p.protection {
        Some(e) if e.state == ProtectionState::Protected && !e.products.is_empty() => None,
        Some(e) => Some(format!(
            "marked verified, but the latest reconciled scan ({}) did not show the new product",
            crate::model::text::clean(&e.scan)
        )),
        None => Some(
            "marked verified, but no reconciled scan has shown the new product protecting it"
                .into(),
        ),
    }
}
