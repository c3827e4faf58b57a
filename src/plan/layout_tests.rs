//! Unit tests of the wave layout.

use super::*;
use crate::model::{OsFamily, RelationKind};

fn unit(label: &str) -> UnitInfo {
    UnitInfo {
        size: 1,
        label: label.into(),
        groups: vec![Platform::Os(OsFamily::WindowsClient)],
        priority_note: "next by priority".into(),
        ..UnitInfo::default()
    }
}

fn edge(d: u32, p: u32) -> Constraint {
    Constraint {
        dependent: d,
        provider: p,
        kind: RelationKind::ManagedBy,
        indirect: false,
    }
}

fn cfg(wave_size: usize, pilot: bool) -> LayoutConfig {
    LayoutConfig {
        wave_size,
        site_capacity: BTreeMap::new(),
        pilot,
        first_wave: 0,
        ramp: true,
    }
}

#[test]
fn provider_goes_after_every_dependent_across_hops() {
    // 0 > 1 > 2 > 3 (each depends on the next)
    let units: Vec<UnitInfo> = (0..4).map(|i| unit(&format!("u{i}"))).collect();
    let c = vec![edge(0, 1), edge(1, 2), edge(2, 3)];
    let l = layout(&units, &c, &cfg(10, false));
    assert!(l.wave_of.iter().all(|&w| w == 0), "a chain fits one wave");
    assert!(
        l.reasons[3].contains("after u2 (which it manages)"),
        "{}",
        l.reasons[3]
    );
    let l = layout(&units, &c, &cfg(1, false));
    assert!(l.wave_of[0] < l.wave_of[1]);
    assert!(l.wave_of[1] < l.wave_of[2]);
    assert!(l.wave_of[2] < l.wave_of[3]);
}

#[test]
fn pilot_then_ramp_up() {
    let mut units: Vec<UnitInfo> = (0..40).map(|i| unit(&format!("u{i:02}"))).collect();
    units[5].pilot = true;
    units[7].pilot = true;
    let l = layout(&units, &[], &cfg(8, true));
    assert_eq!(l.wave_of[5], 0);
    assert_eq!(l.wave_of[7], 0);
    assert_eq!(l.wave_of.iter().filter(|&&w| w == 0).count(), 2);
    assert_eq!(l.capacity[..4], [2, 2, 4, 8]);
    assert_eq!(l.wave_of.iter().filter(|&&w| w == 1).count(), 2);
    assert!(l.reasons[5].contains("tagged pilot"));
}

#[test]
fn untagged_pilot_is_a_sample_per_group() {
    let mut units: Vec<UnitInfo> = (0..6).map(|i| unit(&format!("u{i}"))).collect();
    units[4].groups = vec![Platform::Os(OsFamily::Linux)];
    units[0].pilot_risk = 5;
    let l = layout(&units, &[], &cfg(10, true));
    let pilot: Vec<usize> = (0..6).filter(|&u| l.wave_of[u] == 0).collect();
    assert_eq!(pilot, vec![1, 4]);
}

#[test]
fn management_servers_go_last() {
    let mut units: Vec<UnitInfo> = (0..5).map(|i| unit(&format!("u{i}"))).collect();
    units[0].management = true;
    let l = layout(&units, &[], &cfg(2, false));
    let last = *l.wave_of.iter().max().unwrap();
    assert_eq!(l.wave_of[0], last);
    assert!(l.wave_of[1..].iter().all(|&w| w < last));
}

#[test]
fn management_server_relying_on_a_server_does_not_deadlock() {
    // mgmt (0) depends on sql (1); ws (2) depends on mgmt.
    let mut units: Vec<UnitInfo> = (0..3).map(|i| unit(&format!("u{i}"))).collect();
    units[0].management = true;
    let l = layout(&units, &[edge(0, 1), edge(2, 0)], &cfg(5, false));
    assert!(
        l.wave_of[2] < l.wave_of[0],
        "management strictly after what it manages"
    );
    assert!(l.wave_of[0] <= l.wave_of[1]);
}

#[test]
fn pins_hold_and_pull_dependents_forward() {
    // 0 depends on 1; 1 pinned to wave 0: 0 must be in wave 0 as well.
    let mut units: Vec<UnitInfo> = (0..3).map(|i| unit(&format!("u{i}"))).collect();
    units[1].fixed = Some((0, "pinned".into()));
    let l = layout(&units, &[edge(0, 1)], &cfg(5, false));
    assert_eq!(l.wave_of[1], 0);
    assert_eq!(l.wave_of[0], 0);
    assert_eq!(l.reasons[1], "pinned");
}

#[test]
fn a_pinned_management_server_pulls_its_dependents_into_earlier_waves() {
    // 0 and 1 are managed by 2, a management server pinned to wave 1.
    let mut units: Vec<UnitInfo> = (0..3).map(|i| unit(&format!("u{i}"))).collect();
    units[2].management = true;
    units[2].fixed = Some((1, "pinned".into()));
    let l = layout(&units, &[edge(0, 2), edge(1, 2)], &cfg(1, false));
    assert_eq!(l.wave_of, [0, 0, 1]);
}

#[test]
fn site_capacity_spreads_a_site() {
    let mut units: Vec<UnitInfo> = (0..6).map(|i| unit(&format!("u{i}"))).collect();
    for u in units.iter_mut() {
        u.sites = vec![("Nord".into(), 1)];
    }
    let mut c = cfg(10, false);
    c.site_capacity.insert("nord".into(), 2);
    let l = layout(&units, &[], &c);
    for w in 0..3 {
        assert_eq!(l.wave_of.iter().filter(|&&x| x == w).count(), 2);
    }
}

#[test]
fn a_provider_pinned_to_the_pilot_pulls_its_dependents_in() {
    // 0 and 1 depend on 2, which is pinned to the pilot wave.
    let mut units: Vec<UnitInfo> = (0..4).map(|i| unit(&format!("u{i}"))).collect();
    units[2].fixed = Some((0, "pinned".into()));
    units[3].pilot_risk = -1; // the sample
    let l = layout(&units, &[edge(0, 2), edge(1, 2)], &cfg(5, true));
    assert_eq!(l.wave_of, [0, 0, 0, 0]);
    assert!(l.reasons[0].contains("pinned provider"), "{}", l.reasons[0]);
    assert!(l.capacity[0] >= 3);
}

#[test]
fn the_pilot_respects_site_capacity() {
    let mut units: Vec<UnitInfo> = (0..6).map(|i| unit(&format!("u{i}"))).collect();
    for u in units.iter_mut() {
        u.pilot = true;
        u.sites = vec![("Nord".into(), 1)];
    }
    let mut c = cfg(10, true);
    c.site_capacity.insert("nord".into(), 2);
    let l = layout(&units, &[], &c);
    assert_eq!(l.wave_of.iter().filter(|&&w| w == 0).count(), 2);
    assert_eq!(l.warnings.len(), 4, "{:?}", l.warnings);
}

#[test]
fn oversized_groups_are_placed_alone_with_a_warning() {
    let mut units: Vec<UnitInfo> = (0..3).map(|i| unit(&format!("u{i}"))).collect();
    units[1].size = 7;
    let l = layout(&units, &[], &cfg(3, false));
    let w = l.wave_of[1];
    assert_eq!(l.wave_of.iter().filter(|&&x| x == w).count(), 1);
    assert_eq!(l.capacity[w], 7);
    assert_eq!(l.warnings.len(), 1);
}

#[test]
fn contradictory_pins_terminate_with_warnings() {
    // 0 depends on 1, but 0 is pinned after 1.
    let mut units: Vec<UnitInfo> = (0..2).map(|i| unit(&format!("u{i}"))).collect();
    units[0].fixed = Some((3, "pinned".into()));
    units[1].fixed = Some((1, "pinned".into()));
    let l = layout(&units, &[edge(0, 1)], &cfg(5, false));
    assert_eq!((l.wave_of[0], l.wave_of[1]), (3, 1));
}

#[test]
fn risk_first_priority_orders_ready_units() {
    let mut units: Vec<UnitInfo> = (0..4).map(|i| unit(&format!("u{i}"))).collect();
    units[3].priority = 10;
    let l = layout(&units, &[], &cfg(1, false));
    assert_eq!(l.wave_of[3], 0);
}

fn on(label: &str, family: OsFamily) -> UnitInfo {
    UnitInfo {
        groups: vec![Platform::Os(family)],
        ..unit(label)
    }
}

fn pilot_of(l: &Layout) -> Vec<usize> {
    (0..l.wave_of.len())
        .filter(|&u| l.wave_of[u] == 0)
        .collect()
}

#[test]
fn tagged_pilots_add_to_a_sample_of_every_platform() {
    // Two tagged Windows clients; a Linux server and a macOS laptop nobody tagged.
    let mut units = vec![
        unit("ws-1"),
        unit("ws-2"),
        unit("ws-3"),
        on("lx-1", OsFamily::Linux),
        on("lx-2", OsFamily::Linux),
        on("mac-1", OsFamily::Macos),
    ];
    units[1].pilot = true;
    units[2].pilot = true;
    units[3].pilot_risk = 4;
    let l = layout(&units, &[], &cfg(10, true));
    assert_eq!(pilot_of(&l), [1, 2, 4, 5], "{:?}", l.reasons);
    assert_eq!(l.reasons[1], "tagged pilot");
    assert_eq!(l.reasons[4], "sample for Linux");
    assert_eq!(l.reasons[5], "sample for macOS");
    assert!(l.warnings.is_empty(), "{:?}", l.warnings);
}

#[test]
fn a_role_sample_also_covers_its_os_family() {
    let mut units = vec![on("lx-1", OsFamily::Linux), on("mx-1", OsFamily::Linux)];
    units[1].groups.insert(0, Platform::Mail);
    let l = layout(&units, &[], &cfg(10, true));
    assert_eq!(pilot_of(&l), [1]);
    assert_eq!(l.reasons[1], "sample for mail and Linux");
}

#[test]
fn kritis_or_critical_systems_are_never_in_the_pilot() {
    // The only Windows Server is critical and tagged pilot; a client is critical too.
    let mut units = vec![
        unit("ws-1"),
        unit("ws-2"),
        on("srv-1", OsFamily::WindowsServer),
    ];
    units[0].critical = true;
    units[0].pilot_risk = -5; // would be the safest sample otherwise
    units[2].critical = true;
    units[2].pilot = true;
    let l = layout(&units, &[], &cfg(10, true));
    assert_eq!(pilot_of(&l), [1]);
    assert!(l.wave_of[0] > 0 && l.wave_of[2] > 0);
    assert!(
        l.warnings
            .iter()
            .any(|w| w.starts_with("srv-1: tagged pilot, but it is KRITIS or critical")),
        "{:?}",
        l.warnings
    );
    assert!(
        l.warnings
            .iter()
            .any(|w| w.starts_with("Windows Server could not be piloted")),
        "{:?}",
        l.warnings
    );
    // The client waited for the pilot's Windows client sample; the server for nothing.
    assert_eq!(
        l.proofs[0],
        [Proof {
            platform: Platform::Os(OsFamily::WindowsClient),
            by: Some((0, "ws-2".into())),
            in_pilot: true
        }]
    );
    assert_eq!(l.proofs[2][0].by, None);
    assert!(l.proofs[1].is_empty());
}

#[test]
fn critical_systems_wait_for_the_first_wave_that_proves_their_platform() {
    // lx-1 is the only low-risk Linux unit, but ws-1 relies on it: it cannot be in the pilot
    // (ws-1 is no sample either, the pilot takes ws-0). crit-lx (critical Linux) must go
    // strictly after lx-1's wave, even though risk-first wants it early.
    let mut units = vec![
        unit("ws-0"),
        unit("ws-1"),
        on("lx-1", OsFamily::Linux),
        on("crit-lx", OsFamily::Linux),
    ];
    units[0].pilot_risk = -1;
    units[3].critical = true;
    units[3].priority = 50;
    units[1].priority = -1;
    let l = layout(&units, &[edge(1, 2)], &cfg(1, true));
    assert_eq!(pilot_of(&l), [0]);
    let proved = l.wave_of[2];
    assert!(proved > 0);
    assert!(l.wave_of[3] > proved, "{:?}", l.wave_of);
    assert_eq!(
        l.proofs[3],
        [Proof {
            platform: Platform::Os(OsFamily::Linux),
            by: Some((proved, "lx-1".into())),
            in_pilot: false
        }]
    );
    assert!(l.warnings.is_empty(), "{:?}", l.warnings);
}

#[test]
fn a_low_risk_system_a_critical_one_relies_on_proves_nothing() {
    // crit (critical client) relies on lx-1, the only low-risk Linux unit; crit-lx (critical
    // Linux) cannot wait for lx-1 (which cannot go before crit): it goes after the pilot,
    // with a warning, and nothing deadlocks.
    let mut units = vec![
        unit("crit"),
        on("lx-1", OsFamily::Linux),
        on("crit-lx", OsFamily::Linux),
        unit("ws-1"),
    ];
    units[0].critical = true;
    units[2].critical = true;
    let l = layout(&units, &[edge(0, 1)], &cfg(10, true));
    assert_eq!(pilot_of(&l), [3]);
    assert!(l.wave_of[2] >= 1 && l.wave_of[0] >= 1);
    assert!(l.wave_of[0] <= l.wave_of[1], "provider last still holds");
    assert!(
        l.warnings
            .iter()
            .any(|w| w.starts_with("Linux could not be piloted")),
        "{:?}",
        l.warnings
    );
}

#[test]
fn a_low_risk_ot_system_may_be_the_pilot_sample_and_proves_ot() {
    let ot = |label: &str, critical: bool| UnitInfo {
        groups: vec![Platform::Ot, Platform::Os(OsFamily::WindowsEmbedded)],
        ot: true,
        critical,
        ..unit(label)
    };
    let units = vec![ot("hmi-1", true), ot("hmi-2", false), ot("hmi-3", false)];
    let l = layout(&units, &[], &cfg(10, true));
    assert_eq!(pilot_of(&l), [1]);
    assert_eq!(l.reasons[1], "sample for OT and Windows Embedded");
    // The other OT units, low-risk or not, go after the pilot that proved OT.
    assert_eq!((l.wave_of[0], l.wave_of[2]), (1, 1));
    assert!(
        l.proofs[0]
            .iter()
            .all(|p| p.by == Some((0, "hmi-2".into())) && p.in_pilot)
    );
    assert!(l.warnings.is_empty(), "{:?}", l.warnings);
}

#[test]
fn a_pilot_layout_is_deterministic() {
    let mut units: Vec<UnitInfo> = (0..30).map(|i| unit(&format!("u{i:02}"))).collect();
    for (i, u) in units.iter_mut().enumerate() {
        u.critical = i % 4 == 0;
        u.priority = (i % 5) as i64;
        if i % 3 == 0 {
            u.groups = vec![Platform::Os(OsFamily::Linux)];
        }
    }
    let c = vec![edge(1, 2), edge(5, 9), edge(8, 9), edge(12, 0)];
    let a = layout(&units, &c, &cfg(6, true));
    let b = layout(&units, &c, &cfg(6, true));
    assert_eq!(
        (&a.wave_of, &a.reasons, &a.proofs),
        (&b.wave_of, &b.reasons, &b.proofs)
    );
    for u in (0..30).filter(|&u| units[u].critical) {
        assert!(a.wave_of[u] > 0, "{u} critical in the pilot");
    }
}

#[test]
fn samples_are_added_even_when_tagged_assets_fill_a_wave() {
    let mut units: Vec<UnitInfo> = (0..6).map(|i| unit(&format!("ws-{i}"))).collect();
    for u in units.iter_mut() {
        u.pilot = true;
    }
    units.push(on("and-1", OsFamily::Android));
    let l = layout(&units, &[], &cfg(4, true));
    assert_eq!(pilot_of(&l), [0, 1, 2, 3, 4, 5, 6]);
    assert_eq!(l.reasons[6], "sample for Android");
}

/// A random acyclic estate for the layout: units of 1–4 assets at one of three sites, some
/// management servers, edges only from lower to higher indices (units are already acyclic).
fn estate() -> impl proptest::strategy::Strategy<Value = (Vec<UnitInfo>, Vec<Constraint>)> {
    use proptest::prelude::*;
    let raw_unit = (1usize..5, 0usize..3, prop::bool::weighted(0.1), -3i64..4);
    (
        prop::collection::vec(raw_unit, 1..50),
        prop::collection::vec((0u32..50, 0u32..50), 0..60),
    )
        .prop_map(|(raw, pairs)| {
            let units: Vec<UnitInfo> = raw
                .iter()
                .enumerate()
                .map(|(i, &(size, site, management, priority))| UnitInfo {
                    size,
                    management,
                    priority,
                    sites: vec![(["a", "b", "c"][site].into(), size)],
                    ..unit(&format!("u{i:02}"))
                })
                .collect();
            let n = units.len() as u32;
            let mut edges: Vec<Constraint> = pairs
                .into_iter()
                .map(|(a, b)| (a % n, b % n))
                .filter(|(a, b)| a < b)
                .map(|(d, p)| edge(d, p))
                .collect();
            edges.sort_by_key(|c| (c.dependent, c.provider));
            edges.dedup_by_key(|c| (c.dependent, c.provider));
            (units, edges)
        })
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config { cases: 64, failure_persistence: None, ..Default::default() })]

    /// The phases' guarantees together: every unit placed from the first wave on; a provider
    /// never before what relies on it, a management server strictly after it and after every
    /// unit no management server relies on; after the pilot the ramp-up capacity of a wave,
    /// and in every wave the site capacity, hold unless a single unit too large for them is
    /// alone there.
    #[test]
    fn layouts_keep_order_and_capacities(
        (units, edges) in estate(),
        wave_size in 2usize..12,
        site_cap in 2usize..8,
        pilot in proptest::bool::ANY,
    ) {
        let mut c = cfg(wave_size, pilot);
        c.site_capacity.insert("a".into(), site_cap);
        let l = layout(&units, &edges, &c);
        let w = &l.wave_of;
        for e in &edges {
            let (d, p) = (e.dependent as usize, e.provider as usize);
            let gap = usize::from(units[p].management);
            proptest::prop_assert!(w[p] >= w[d] + gap, "{p} before {d}: {w:?}");
        }
        let management: Vec<bool> = units.iter().map(|u| u.management).collect();
        let after_mgmt = crate::plan::units::relied_on_by(units.len(), &edges, &management);
        let last_free = (0..units.len()).filter(|&u| !management[u] && !after_mgmt[u]).map(|u| w[u]).max();
        for m in (0..units.len()).filter(|&m| management[m]) {
            proptest::prop_assert!(last_free.is_none_or(|f| w[m] > f), "management u{m} too early: {w:?}");
        }
        let waves = w.iter().max().copied().unwrap_or(0) + 1;
        for wave in 0..waves {
            let members: Vec<usize> = (0..units.len()).filter(|&u| w[u] == wave).collect();
            let load: usize = members.iter().map(|&u| units[u].size).sum();
            let cap = match (pilot, wave) {
                (true, 0) => load.max(1),
                (true, 1) => (wave_size / 4).max(1),
                (true, 2) => (wave_size / 2).max(1),
                _ => wave_size,
            };
            proptest::prop_assert!(load <= cap || members.len() == 1, "wave {wave} holds {load} > {cap}");
            proptest::prop_assert_eq!(l.capacity[wave], cap.max(load));
            let at_a: Vec<usize> = members.iter().copied().filter(|&u| &*units[u].sites[0].0 == "a").collect();
            let a_load: usize = at_a.iter().map(|&u| units[u].size).sum();
            proptest::prop_assert!(a_load <= site_cap || at_a.len() == 1, "wave {wave}: {a_load} at a > {site_cap}");
        }
    }
}
