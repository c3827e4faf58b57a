//! The compatibility cache gives the same ranking as asking the catalogue directly, over
//! estates of every platform (its speed: `cargo bench --bench catalog`).

use avmigrate::catalog::{Catalog, CompatCache, candidates, needs_for};
use avmigrate::model::{Asset, AssetKind, Date, Os};

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
                a.add_tag("air-gapped");
            }
            if i % 29 == 0 {
                a.add_tag("vdi");
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
fn the_cache_ranks_as_the_catalogue_does() {
    let cat = Catalog::builtin();
    let today = Date::from_ymd(2026, 11, 28).unwrap();
    let assets = estate(20_000);
    let mut cache = CompatCache::new(&cat, today);
    let mut usable = 0usize;
    for (a, roles) in &assets {
        let needs = needs_for(a, roles);
        let ranked = cache.candidates(a, &needs);
        usable += usize::from(ranked[0].support.is_usable());
    }
    assert!(usable > 0 && usable < assets.len(), "{usable}");
    assert!(
        cache.len() < 1_000,
        "few distinct platform/needs keys: {}",
        cache.len()
    );
    for (a, roles) in assets.iter().step_by(97) {
        let needs = needs_for(a, roles);
        let direct = candidates(&cat, a, &needs, today);
        assert_eq!(&direct[..], &cache.candidates(a, &needs)[..]);
    }
}
