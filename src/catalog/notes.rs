//! Migration notes: the catalogue's advice for moving one asset to one product.

use super::types::{NoteRule, Product};
use crate::model::os::version_key;
use crate::model::{Asset, normalise_key};

/// The migration notes for moving `asset` to `product`, in catalogue order: the product's own
/// notes, then the catalogue-wide ones (e.g. "apply Microsoft's Exchange antivirus exclusions"
/// on Exchange servers), each only where its conditions match the asset.
pub fn notes_for(product: &Product, asset: &Asset) -> Vec<String> {
    note_rules_for(product, asset)
        .into_iter()
        .map(|n| n.text.clone())
        .collect()
}

/// The same notes as [`notes_for`], with their sources and verified flags.
pub fn note_rules_for<'p>(product: &'p Product, asset: &Asset) -> Vec<&'p NoteRule> {
    let exchange = runs_exchange(asset);
    product
        .notes
        .iter()
        .chain(&product.shared_notes)
        .filter(|n| applies(n, asset, exchange))
        .collect()
}

fn applies(n: &NoteRule, asset: &Asset, exchange: bool) -> bool {
    let os = &asset.os;
    if !n.families.is_empty() && !n.families.contains(&os.family) {
        return false;
    }
    if !n.distros.is_empty()
        && !os
            .distro
            .as_ref()
            .is_some_and(|d| n.distros.iter().any(|x| x == d))
    {
        return false;
    }
    if n.min_bound.is_some() || n.max_bound.is_some() {
        let Some(v) = os.version.as_deref().map(version_key) else {
            return false;
        };
        let lo = n.min_bound.as_ref().is_none_or(|b| b.admits_as_min(&v));
        let hi = n.max_bound.as_ref().is_none_or(|b| b.admits_as_max(&v));
        if !(lo && hi) {
            return false;
        }
    }
    if !n.kinds.is_empty() && !n.kinds.contains(&asset.kind) {
        return false;
    }
    if !n.tags.is_empty() {
        let hit = n.tags.iter().any(|t| {
            let key = normalise_key(t);
            (key == "exchange" && exchange) || asset.tags().any(|a| normalise_key(a) == key)
        });
        if !hit {
            return false;
        }
    }
    true
}

/// True when the asset is tagged `exchange` or has Microsoft Exchange Server installed.
fn runs_exchange(asset: &Asset) -> bool {
    asset.has_tag("exchange")
        || asset.software.iter().any(|s| {
            let name = s.name.to_lowercase();
            name.contains("microsoft exchange server")
                || (name.contains("exchange server")
                    && s.publisher
                        .as_deref()
                        .is_some_and(|p| p.to_lowercase().contains("microsoft")))
        })
}
