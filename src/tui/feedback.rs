//! The short confirmation a plan edit leaves in the status line ("moved ws-0001 to w2").

use crate::plan::Edit;

/// What an edit did, in a few words; None for edits whose caller says more (preferences,
/// vendor rules, a regenerated plan).
pub fn describe(e: &Edit) -> Option<String> {
    match e {
        Edit::Batch(edits) => describe_all(edits),
        single => describe_all(std::slice::from_ref(single)),
    }
}

/// The assets an edit names: the one id, or how many.
fn who(asset: &str, n: usize) -> String {
    if n == 1 {
        asset.to_string()
    } else {
        format!("{n} asset(s)")
    }
}

/// One sentence for edits that all do the same to one or more assets.
fn describe_all(edits: &[Edit]) -> Option<String> {
    let first = edits.first()?;
    let n = edits.len();
    let same = edits.iter().all(|e| same_change(first, e));
    let text = match first {
        Edit::Move { asset, wave } if same => format!("moved {} to {wave}", who(asset, n)),
        Edit::Move { .. } => format!("moved {n} asset(s)"),
        Edit::Pin { asset, pinned } => format!(
            "{} {}",
            if *pinned { "pinned" } else { "unpinned" },
            who(asset, n)
        ),
        Edit::SetProduct { asset, product, .. } if same => format!(
            "product of {}: {}",
            who(asset, n),
            product.as_deref().unwrap_or("none")
        ),
        Edit::SetStatus { asset, status, .. } if same => {
            format!("status of {}: {status}", who(asset, n))
        }
        Edit::SetNote { asset, .. } => format!("note of {} changed", who(asset, n)),
        Edit::Decide { asset, decision } => match decision {
            Some(d) => format!("decision for {}: {}", who(asset, n), d.option),
            None => format!("decision for {} withdrawn", who(asset, n)),
        },
        Edit::SetCoverage {
            asset, coverage, ..
        } => match coverage {
            Some(c) => format!("coverage of {}: {}", who(asset, n), c.by),
            None => format!("coverage of {} removed", who(asset, n)),
        },
        Edit::RenameWave { wave, name } => format!("renamed {wave} to \"{name}\""),
        Edit::SetWaveDates { wave, start, end } => format!("{wave} now runs {start} – {end}"),
        Edit::FreezeWave { wave, frozen } => {
            format!("{} {wave}", if *frozen { "froze" } else { "unfroze" })
        }
        Edit::SetProduct { .. } | Edit::SetStatus { .. } => format!("changed {n} asset(s)"),
        Edit::SetPreference { .. }
        | Edit::SetVendorRules { .. }
        | Edit::ReplacePlan(_)
        | Edit::Batch(_) => return None,
    };
    Some(crate::model::text::clean(&text))
}

/// Whether two edits make the same change (to possibly different assets).
fn same_change(a: &Edit, b: &Edit) -> bool {
    match (a, b) {
        (Edit::Move { wave: x, .. }, Edit::Move { wave: y, .. }) => x == y,
        (Edit::Pin { pinned: x, .. }, Edit::Pin { pinned: y, .. }) => x == y,
        (Edit::SetProduct { product: x, .. }, Edit::SetProduct { product: y, .. }) => x == y,
        (Edit::SetStatus { status: x, .. }, Edit::SetStatus { status: y, .. }) => x == y,
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}
