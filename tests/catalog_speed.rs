//! Ranking candidates for 100,000 assets must be cheap (the planner does it on every run).
//! Timings are printed; run with `cargo test --release --test catalog_speed -- --nocapture`.

use avmigrate::catalog::{Catalog, CompatCache, candidates, needs_for};
use avmigrate::model::{Asset, AssetKind, Date, Os};
use std::time::Instant;

const OSES: &[&str] = &[
    "Windows 11 Pro 23H2",
    "Windows 10 Enterprise 22H2",
    "Windows 10 Enterprise LTSC 2019 (1809)",
    "Windows 7 Professional SP1",
    "Windows 7 Professional (32-bit)",
    "Windows 8.1 Pro",
    "Windows XP Professional",
    "Windows 7 Embedded Standard",
    "Windows 10 IoT Enterprise LTSC 2021",
    "Windows Server 2008 R2 Standard SP1",
    "Windows Server 2012 Standard",
    "Windows Server 2012 R2 Datacenter",
    "Windows Server 2016 Standard",
    "Windows Server 2019 Standard",
    "Windows Server 2022 Datacenter",
    "Windows Server 2025 Datacenter",
    "CentOS Linux 7.9.2009",
    "Red Hat Enterprise Linux 8.6 (Ootpa)",
    "Red Hat Enterprise Linux 9.4",
    "Ubuntu 22.04.4 LTS",
    "Ubuntu 24.04 LTS",
    "Debian GNU/Linux 12 (bookworm)",
    "SUSE Linux Enterprise Server 12 SP5",
    "SUSE Linux Enterprise Server 15 SP6",
    "macOS 14.5 Sonoma",
    "macOS 15.1",
    "VMware ESXi 7.0 U3",
    "Android 14",
    "iPadOS 17.4",
    "Siemens SIMATIC firmware V2.9",
    "",
];

const KINDS: &[AssetKind] = &[
    AssetKind::Workstation,
    AssetKind::Laptop,
    AssetKind::Server,
    AssetKind::Vm,
    AssetKind::Ot,
    AssetKind::Other,
];

fn estate(n: usize) -> Vec<(Asset, Vec<&'static str>)> {
    (0..n)
        .map(|i| {
            let mut a = Asset::new(format!("host-{i:06}"));
            a.os = Os::parse(OSES[i % OSES.len()]);
            a.kind = KINDS[(i / OSES.len()) % KINDS.len()];
            if i % 17 == 0 {
                a.tags.push("air-gapped".into());
            }
            if i % 29 == 0 {
                a.tags.push("vdi".into());
            }
            let roles = match i % 11 {
                0 => vec!["mail"],
                1 => vec!["server-protection", "management-agent"],
                _ => vec!["endpoint", "management-agent"],
            };
            (a, roles)
        })
        .collect()
}

#[test]
fn hundred_thousand_assets_with_the_cache() {
    let cat = Catalog::builtin();
    let today = Date::from_ymd(2026, 11, 28).unwrap();
    let assets = estate(100_000);

    let start = Instant::now();
    let mut cache = CompatCache::new(&cat, today);
    let mut usable = 0usize;
    for (a, roles) in &assets {
        let needs = needs_for(a, roles);
        let ranked = cache.candidates(a, &needs);
        usable += usize::from(ranked[0].support.is_usable());
    }
    let cached = start.elapsed();
    println!(
        "CompatCache: 100,000 assets in {cached:?} ({} distinct platform/needs keys, {usable} with a usable product)",
        cache.len()
    );
    assert!(usable > 0);
    // Generous even for an unoptimised debug build; release takes a few milliseconds.
    assert!(cached.as_secs_f64() < 5.0, "cached pass took {cached:?}");

    // The cache gives the same answer as the direct call.
    for (a, roles) in assets.iter().step_by(997) {
        let needs = needs_for(a, roles);
        let direct = candidates(&cat, a, &needs, today);
        assert_eq!(&direct[..], &cache.candidates(a, &needs)[..]);
    }
}

#[test]
fn direct_candidates_timing() {
    let cat = Catalog::builtin();
    let today = Date::from_ymd(2026, 11, 28).unwrap();
    let assets = estate(if cfg!(debug_assertions) {
        5_000
    } else {
        100_000
    });
    let start = Instant::now();
    let mut n = 0usize;
    for (a, roles) in &assets {
        n += candidates(&cat, a, &needs_for(a, roles), today).len();
    }
    println!(
        "candidates() without cache: {} assets in {:?} ({n} verdicts)",
        assets.len(),
        start.elapsed()
    );
}
