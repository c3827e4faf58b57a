//! The product picker: every catalogue product judged for the chosen assets — compatible
//! first, then limited, unverified and incompatible, each with its reason — and an
//! incompatible choice refused with that reason.

use super::data::Data;
use crate::catalog::{CompatCache, Support, Verdict};

/// The worst verdict of each product over the assets at `positions`, best products first
/// (catalogue order within the same support).
pub fn verdicts(data: &Data, positions: &[usize]) -> Vec<Verdict> {
    let s = &data.shared;
    let mut cache = CompatCache::new(&s.catalog, s.today);
    let mut worst: Vec<Verdict> = s
        .catalog
        .products()
        .iter()
        .map(|p| Verdict {
            product: p.id.clone(),
            support: Support::Yes,
            reasons: Vec::new(),
        })
        .collect();
    for &i in positions {
        let asset = &s.inventory.assets()[i];
        for v in cache.candidates(asset, &s.needs(i)).iter() {
            if let Some(w) = worst.iter_mut().find(|w| w.product == v.product)
                && v.support > w.support
            {
                w.support = v.support;
                w.reasons = v
                    .reasons
                    .iter()
                    .map(|r| format!("{}: {r}", asset.id))
                    .collect();
            }
        }
    }
    // Stable: catalogue order stays within the same support.
    worst.sort_by_key(|v| v.support);
    worst
}

/// A picker line: a mark, the product, and the reason when it is not simply compatible.
pub fn label(data: &Data, v: &Verdict) -> String {
    let name = data
        .shared
        .catalog
        .product(&v.product)
        .map_or(v.product.as_str(), |p| p.name.as_str());
    let mark = match v.support {
        Support::Yes => "✓",
        Support::Limited => "~",
        Support::Unverified => "?",
        Support::No => "✗",
    };
    match (v.support, v.reasons.first()) {
        (Support::Yes, _) | (_, None) => format!("{mark} {name} ({})", v.product),
        (support, Some(why)) => format!("{mark} {name} ({}) — {support}: {why}", v.product),
    }
}

/// Why `product` may not be chosen for these assets: its first reason when it is
/// incompatible.
pub fn refusal(data: &Data, positions: &[usize], product: &str) -> Option<String> {
    let v = verdicts(data, positions)
        .into_iter()
        .find(|v| v.product == product)?;
    (v.support == Support::No).then(|| {
        let why = v.reasons.first().cloned().unwrap_or_default();
        format!("{product} does not fit: {why} (record a decision with D instead)")
    })
}
