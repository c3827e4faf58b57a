//! The synthetic estate generator: deterministic, exact size, consistent, realistic in shape.

use avmigrate::model::Named;
use avmigrate::model::{AssetKind, Inventory, OsFamily};
use avmigrate::synthetic::{GenOptions, generate};
use std::collections::HashSet;

fn gen_n(assets: usize, seed: u64) -> Inventory {
    generate(&GenOptions { assets, seed })
}

/// Position of every relation target, panicking on an unknown one.
fn graph(inv: &Inventory) -> Vec<Vec<usize>> {
    inv.assets()
        .iter()
        .map(|a| {
            a.depends_on
                .iter()
                .map(|r| {
                    inv.position_exact(&r.target)
                        .unwrap_or_else(|| panic!("{} depends on unknown {}", a.id, r.target))
                })
                .collect()
        })
        .collect()
}

/// True when the graph has a directed cycle (iterative three-colour DFS).
fn has_cycle(graph: &[Vec<usize>]) -> bool {
    const WHITE: u8 = 0;
    const GREY: u8 = 1;
    const BLACK: u8 = 2;
    let mut colour = vec![WHITE; graph.len()];
    for start in 0..graph.len() {
        if colour[start] != WHITE {
            continue;
        }
        colour[start] = GREY;
        let mut stack = vec![(start, 0usize)];
        while let Some((v, i)) = stack.pop() {
            match graph[v].get(i) {
                Some(&w) => {
                    stack.push((v, i + 1));
                    match colour[w] {
                        GREY => return true,
                        WHITE => {
                            colour[w] = GREY;
                            stack.push((w, 0));
                        }
                        _ => {}
                    }
                }
                None => colour[v] = BLACK,
            }
        }
    }
    false
}

fn is_kaspersky(inv: &Inventory, i: usize) -> bool {
    inv.assets()[i].software.iter().any(|s| {
        let text = format!("{} {}", s.name, s.publisher.as_deref().unwrap_or("")).to_lowercase();
        text.contains("kaspersky") || text.contains("касперск")
    })
}

#[test]
fn same_seed_same_estate_other_seed_other_estate() {
    let a = gen_n(3_000, 7);
    let b = gen_n(3_000, 7);
    let c = gen_n(3_000, 8);
    assert_eq!(a.assets(), b.assets());
    assert_ne!(a.assets(), c.assets());
}

#[test]
fn asset_count_is_exact() {
    for n in [0, 1, 2, 3, 7, 19, 150, 1_999, 2_000, 2_001, 12_345] {
        assert_eq!(gen_n(n, 1).len(), n, "n = {n}");
    }
}

#[test]
fn tiny_estates_are_consistent() {
    for n in 1..60 {
        let inv = gen_n(n, 3);
        graph(&inv);
        assert_eq!(
            inv.assets()[0].id,
            "ksc-ber-0001",
            "the primary Security Center comes first"
        );
    }
}

#[test]
fn ten_thousand_assets_are_realistic() {
    let inv = gen_n(10_000, 42);
    let g = graph(&inv);

    let ids: HashSet<String> = inv
        .assets()
        .iter()
        .map(|a| a.id.as_str().to_lowercase())
        .collect();
    assert_eq!(ids.len(), inv.len(), "ids unique case-insensitively");
    let names: HashSet<&str> = inv
        .assets()
        .iter()
        .filter_map(|a| a.name.as_deref())
        .collect();
    assert_eq!(names.len(), inv.len(), "host names unique");

    let relations: usize = g.iter().map(Vec::len).sum();
    let per_asset = relations as f64 / inv.len() as f64;
    assert!(
        (2.5..=3.5).contains(&per_asset),
        "{per_asset} relations per asset"
    );
    assert!(
        g.iter().enumerate().all(|(i, t)| !t.contains(&i)),
        "no self-dependencies"
    );
    assert!(has_cycle(&g), "a few deliberate cycles");

    let pilots = inv.assets().iter().filter(|a| a.has_tag("pilot")).count();
    assert!(
        (1..=100).contains(&pilots),
        "{pilots} pilots: a small sample"
    );

    let kaspersky = (0..inv.len()).filter(|&i| is_kaspersky(&inv, i)).count();
    let share = kaspersky as f64 / inv.len() as f64;
    assert!((0.6..0.9).contains(&share), "Kaspersky share {share}");

    let count = |k: AssetKind| inv.assets().iter().filter(|a| a.kind == k).count();
    for kind in [
        AssetKind::Workstation,
        AssetKind::Laptop,
        AssetKind::Server,
        AssetKind::Vm,
        AssetKind::Hypervisor,
        AssetKind::MailGateway,
        AssetKind::Proxy,
        AssetKind::Appliance,
        AssetKind::Mobile,
        AssetKind::Ot,
    ] {
        assert!(count(kind) > 0, "some {kind}");
    }
    assert!(count(AssetKind::Workstation) + count(AssetKind::Laptop) > inv.len() / 2);
    assert!(
        inv.assets()
            .iter()
            .filter(|a| a.kind == AssetKind::Ot)
            .all(|a| a.has_tag("kritis")),
        "OT is KRITIS"
    );
    assert!(
        inv.assets()
            .iter()
            .any(|a| a.os.family == OsFamily::WindowsEmbedded && a.has_tag("legacy"))
    );
    let software = |name: &str| {
        inv.assets()
            .iter()
            .any(|a| a.software.iter().any(|s| s.name == name))
    };
    for name in [
        "Kaspersky Security Center 14.2 Administration Server",
        "Kaspersky Endpoint Security for Windows",
        "Kaspersky Security Center Network Agent",
        "Kaspersky Security for Windows Server",
        "Kaspersky Security for Virtualization 6.2 Agentless",
        "Kaspersky Industrial CyberSecurity for Nodes",
        "Kaspersky Secure Mail Gateway",
        "kesl",
        "klnagent64",
        "kwts",
    ] {
        assert!(software(name), "someone runs {name}");
    }
}

#[test]
fn hierarchy_has_one_primary_and_secondaries() {
    let inv = gen_n(50_000, 5);
    let reports_to: Vec<_> = inv
        .assets()
        .iter()
        .filter(|a| a.depends_on.iter().any(|r| r.kind.as_str() == "reports-to"))
        .collect();
    assert_eq!(reports_to.len(), 3, "25 sites: one secondary per ten sites");
    assert!(
        reports_to
            .iter()
            .all(|a| a.depends_on.iter().any(|r| r.target == "ksc-ber-0001"))
    );
}
