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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Asset;
    use crate::plan::{PlannedAsset, Protection};

    #[test]
    fn only_a_verified_status_with_the_new_product_seen_counts() {
        let asset = Asset::new("ws-01");
        let mut planned = PlannedAsset::new("ws-01", "w1");
        planned.status = Status::Verified;
        let t = |p: &PlannedAsset| {
            not_verified(&Target {
                planned: p,
                asset: &asset,
            })
        };
        assert!(t(&planned).unwrap().contains("no reconciled scan"));
        let mut seen = Protection {
            state: ProtectionState::Protected,
            products: vec!["mde".into()],
            flagged: Vec::new(),
            scan: "scan.csv".into(),
            at: "2026-11-28T10:00:00Z".parse().unwrap(),
        };
        planned.protection = Some(Box::new(seen.clone()));
        assert_eq!(t(&planned), None);
        seen.products.clear();
        seen.flagged = vec!["Kaspersky Endpoint Security".into()];
        planned.protection = Some(Box::new(seen));
        assert!(
            t(&planned)
                .unwrap()
                .contains("did not show the new product")
        );
        planned.status = Status::Migrated;
        assert!(t(&planned).unwrap().contains("status migrated"));
    }
}
