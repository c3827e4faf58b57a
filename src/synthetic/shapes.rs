//! Inventories of extreme shapes for tests and benchmarks: long chains, rings, one big cycle.

use crate::model::{Asset, Inventory, Relation, RelationKind, Software};

/// The software the built-in rules flag.
fn flagged() -> Software {
    Software {
        name: "Kaspersky Endpoint Security for Windows".into(),
        version: Some("12.1".into()),
        publisher: None,
    }
}

/// `n` assets `a0 … a(n-1)`, each depending on the next; the last runs a flagged product.
/// With `ring`, the last depends on `a0` too (one cycle through every asset).
pub fn chain(n: usize, ring: bool) -> Inventory {
    let mut assets: Vec<Asset> = (0..n).map(|i| Asset::new(format!("a{i}"))).collect();
    for (i, a) in assets.iter_mut().enumerate() {
        if i + 1 < n {
            a.depends_on
                .push(Relation::new(format!("a{}", i + 1), RelationKind::Uses));
        } else if ring {
            a.depends_on.push(Relation::new("a0", RelationKind::Uses));
        }
    }
    if let Some(last) = assets.last_mut() {
        last.software.push(flagged());
    }
    Inventory::from_assets(assets)
}

/// `n` assets in one strongly connected component (a ring with chords every 7 assets), every
/// one running a flagged product.
pub fn flagged_cycle(n: usize) -> Inventory {
    let mut inv_assets: Vec<Asset> = (0..n).map(|i| Asset::new(format!("a{i}"))).collect();
    for (i, a) in inv_assets.iter_mut().enumerate() {
        a.software.push(flagged());
        a.depends_on.push(Relation::new(
            format!("a{}", (i + 1) % n),
            RelationKind::Uses,
        ));
        if i % 7 == 0 {
            a.depends_on.push(Relation::new(
                format!("a{}", (i + 7) % n),
                RelationKind::Uses,
            ));
        }
    }
    Inventory::from_assets(inv_assets)
}
