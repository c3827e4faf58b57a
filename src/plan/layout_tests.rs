//! Unit tests of the wave layout.

use super::*;
use crate::model::RelationKind;

fn unit(label: &str) -> UnitInfo {
    UnitInfo {
        size: 1,
        label: label.into(),
        sample_key: "windows-client workstation".into(),
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
    units[4].sample_key = "linux server".into();
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
        u.sites.insert("Nord".into(), 1);
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
        u.sites.insert("Nord".into(), 1);
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
