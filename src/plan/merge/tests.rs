use super::*;
use crate::model::{Date, Timestamp};
use crate::plan::model::{
    Alert, AlertKind, Blackout, Event, InventoryRef, PlannedAsset, Settings, Status,
};
use crate::plan::{Decision, DecisionOption, Protection, ProtectionState};

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn wave(id: &str, start: &str, end: &str) -> Wave {
    Wave {
        id: id.into(),
        name: format!("Wave {id}"),
        start: day(start),
        end: day(end),
        capacity: 10,
        frozen: false,
    }
}

fn event(time: &str, asset: &str, to: &str, by: &str) -> Event {
    Event {
        at: at(time),
        asset: asset.into(),
        field: "wave".into(),
        from: "w1".into(),
        to: to.into(),
        by: by.into(),
        note: None,
    }
}

fn base() -> Plan {
    let inventory = vec![InventoryRef {
        path: "inv.toml".into(),
        hash: "sha256:aa".into(),
    }];
    let mut p = Plan::empty("p", Settings::new(day("2027-01-04")), inventory);
    p.waves = vec![
        wave("w1", "2027-01-04", "2027-01-08"),
        wave("w2", "2027-01-11", "2027-01-15"),
    ];
    for id in ["a", "b", "c"] {
        p.assets.push(PlannedAsset::new(id, "w1"));
    }
    p.events = vec![event("2026-11-01T08:00:00Z", "a", "w1", "base")];
    p
}

fn merged(b: &Plan, o: &Plan, t: &Plan) -> Merged {
    merge(b, o, t).expect("merges")
}

#[test]
fn identical_sides_give_ours_unchanged() {
    let b = base();
    let mut o = b.clone();
    o.assets[0].wave = "w2".into();
    let m = merged(&b, &o, &o);
    assert_eq!(m.plan, o);
    assert!(m.conflicts.is_empty());
}

#[test]
fn disjoint_changes_both_land() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    o.assets[0].wave = "w2".into();
    o.assets[0].reason = "moved by ours".into();
    t.assets[1].product = Some("mde".into());
    t.assets[1].product_reason = "chosen by theirs".into();
    t.assets[2].note = Some("call first".into());
    t.settings.wave_size = 20;
    t.settings.ramp = false;
    o.settings.contact = Some("IT hotline 1234".into());
    o.settings.site_capacity.insert("Nord".into(), 3);
    let m = merged(&b, &o, &t);
    assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
    let p = &m.plan;
    assert_eq!(
        (p.assets[0].wave.as_str(), p.assets[0].reason.as_str()),
        ("w2", "moved by ours")
    );
    assert_eq!(p.assets[1].product.as_deref(), Some("mde"));
    assert_eq!(p.assets[1].product_reason, "chosen by theirs");
    assert_eq!(p.assets[2].note.as_deref(), Some("call first"));
    assert_eq!(p.settings.wave_size, 20);
    assert!(!p.settings.ramp);
    assert_eq!(p.settings.contact.as_deref(), Some("IT hotline 1234"));
    assert_eq!(p.settings.site_capacity.get("Nord"), Some(&3));
}

#[test]
fn the_reason_follows_the_side_whose_wave_wins() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    o.assets[0].reason = "rewritten by a replan".into();
    t.assets[0].wave = "w2".into();
    t.assets[0].reason = "Wave 2: pinned".into();
    let m = merged(&b, &o, &t);
    assert!(m.conflicts.is_empty());
    assert_eq!(m.plan.assets[0].reason, "Wave 2: pinned");
}

#[test]
fn different_changes_of_one_field_conflict_and_keep_ours() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    o.assets[1].wave = "w2".into();
    t.assets[1].wave = "w3".into();
    o.assets[2].status = Status::Blocked;
    o.assets[2].status_reason = Some("no window".into());
    t.assets[2].status = Status::Blocked;
    t.assets[2].status_reason = Some("owner away".into());
    let m = merged(&b, &o, &t);
    assert_eq!(m.plan.assets[1].wave, "w2");
    assert_eq!(m.plan.assets[2].status_reason.as_deref(), Some("no window"));
    let lines: Vec<String> = m.conflicts.iter().map(|c| c.to_string()).collect();
    assert_eq!(
        lines[0],
        r#"asset "b" wave: base "w1", ours "w2" (kept), theirs "w3""#
    );
    assert!(
        lines[1].starts_with(r#"asset "c" status: base status = "planned""#),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains(r#"ours status = "blocked", status_reason = "no window""#));
    assert!(lines[1].contains(r#"theirs status = "blocked", status_reason = "owner away""#));
    assert_eq!(lines.len(), 2);
    let text = to_toml(&m);
    assert!(
        text.starts_with("schema_version = 1\n# avmigrate merge: 2 conflict(s)"),
        "{text}"
    );
    let reread = crate::plan::file::parse(&text, "m.toml").expect("the annotated plan loads");
    assert_eq!(reread, m.plan);
}

#[test]
fn the_same_change_on_both_sides_is_no_conflict() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    for p in [&mut o, &mut t] {
        p.assets[0].decision = Some(Box::new(Decision {
            option: DecisionOption::Isolate,
            rationale: "cell isolated".into(),
            approver: "CISO".into(),
            review: day("2027-06-30"),
        }));
    }
    let m = merged(&b, &o, &t);
    assert!(m.conflicts.is_empty());
    assert_eq!(m.plan, o);
}

#[test]
fn records_added_removed_and_removed_while_changed() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    t.assets.push(PlannedAsset::new("d", "w2"));
    o.assets.remove(1); // "b", unchanged by theirs: gone
    t.assets[2].note = Some("kept".into()); // "c", removed by ours below
    o.assets.retain(|a| a.id != "c");
    t.waves.push(wave("w3", "2027-01-18", "2027-01-22"));
    let m = merged(&b, &o, &t);
    let ids: Vec<&str> = m.plan.assets.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["a", "d"]);
    assert_eq!(m.plan.waves.len(), 3);
    assert_eq!(m.conflicts.len(), 1);
    assert_eq!(m.conflicts[0].scope, Scope::Asset("c".into()));
    assert_eq!(m.conflicts[0].ours, None);
}

#[test]
fn histories_are_united_in_time_order_without_duplicates() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    o.events
        .push(event("2026-11-02T09:00:00Z", "a", "w2", "alice"));
    o.events
        .push(event("2026-11-04T09:00:00Z", "c", "w2", "alice"));
    t.events
        .push(event("2026-11-02T09:00:00Z", "b", "w2", "bob"));
    t.events
        .push(event("2026-11-03T09:00:00Z", "b", "w1", "bob"));
    // The same change recorded on both sides stays one event.
    o.events
        .push(event("2026-11-05T09:00:00Z", "c", "w1", "carol"));
    t.events
        .push(event("2026-11-05T09:00:00Z", "c", "w1", "carol"));
    let m = merged(&b, &o, &t);
    let seen: Vec<(String, &str)> = m
        .plan
        .events
        .iter()
        .map(|e| (e.at.to_string(), e.by.as_str()))
        .collect();
    let want = [
        ("2026-11-01T08:00:00Z", "base"),
        ("2026-11-02T09:00:00Z", "alice"),
        ("2026-11-02T09:00:00Z", "bob"),
        ("2026-11-03T09:00:00Z", "bob"),
        ("2026-11-04T09:00:00Z", "alice"),
        ("2026-11-05T09:00:00Z", "carol"),
    ];
    let want: Vec<(String, &str)> = want.iter().map(|(a, b)| (a.to_string(), *b)).collect();
    assert_eq!(seen, want);
    // With the sides swapped: the same events, the same times; ours' first within a second.
    let swapped = merged(&b, &t, &o).plan.events;
    assert_eq!(swapped.len(), m.plan.events.len());
    assert_eq!(
        (swapped[1].by.as_str(), swapped[2].by.as_str()),
        ("bob", "alice")
    );
}

#[test]
fn reordered_collections_merge_clean() {
    let mut b = base();
    b.settings.blackouts = vec![
        Blackout {
            from: day("2027-03-01"),
            to: day("2027-03-05"),
            reason: None,
            yearly: false,
        },
        Blackout {
            from: day("2027-05-01"),
            to: day("2027-05-05"),
            reason: Some("fair".into()),
            yearly: false,
        },
    ];
    let mut t = b.clone();
    t.settings.blackouts.reverse();
    t.assets.reverse();
    t.waves.reverse();
    t.inventory.reverse();
    let m = merged(&b, &b, &t);
    assert!(m.conflicts.is_empty());
    assert_eq!(m.plan, b);
}

#[test]
fn alerts_one_side_resolved_stay_resolved() {
    let mut b = base();
    let alert = |asset: &str| Alert {
        at: at("2026-11-10T08:00:00Z"),
        asset: asset.into(),
        kind: AlertKind::ProtectionGap,
        message: "no protection".into(),
        scan: "scan.csv".into(),
    };
    b.alerts = vec![alert("a")];
    let (mut o, mut t) = (b.clone(), b.clone());
    o.alerts.clear();
    t.alerts.push(alert("b"));
    let m = merged(&b, &o, &t);
    let assets: Vec<&str> = m.plan.alerts.iter().map(|a| a.asset.as_str()).collect();
    assert_eq!(assets, ["b"]);
}

#[test]
fn the_later_scan_s_protection_wins() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    let seen = |state, time: &str| Protection {
        state,
        products: Vec::new(),
        flagged: Vec::new(),
        scan: time.into(),
        at: at(time),
    };
    o.assets[0].protection = Some(Box::new(seen(
        ProtectionState::Unverified,
        "2026-11-20T08:00:00Z",
    )));
    t.assets[0].protection = Some(Box::new(seen(
        ProtectionState::Unprotected,
        "2026-11-21T08:00:00Z",
    )));
    let m = merged(&b, &o, &t);
    assert!(m.conflicts.is_empty());
    assert_eq!(m.plan.assets[0].protection, t.assets[0].protection);
}

#[test]
fn wave_days_conflict_as_one_and_never_cross() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    o.waves[1].start = day("2027-01-12");
    t.waves[1].end = day("2027-01-10");
    t.waves[1].start = day("2027-01-06");
    let m = merged(&b, &o, &t);
    assert_eq!(m.conflicts.len(), 1);
    assert_eq!(m.conflicts[0].field, "start..end");
    assert_eq!(m.plan.waves[1], o.waves[1]);
}

#[test]
fn different_inventories_and_schemas_are_refused() {
    let b = base();
    let mut t = b.clone();
    t.inventory[0].hash = "sha256:bb".into();
    let e = merge(&b, &b, &t).unwrap_err();
    assert!(matches!(e, Refused::Inventory { .. }));
    assert!(e.to_string().contains("inv.toml sha256:bb"), "{e}");
    let mut t = b.clone();
    t.schema_version = 0;
    let e = merge(&b, &b, &t).unwrap_err();
    assert!(e.to_string().contains("theirs 0"), "{e}");
}

#[test]
fn a_recorded_move_wins_over_a_replan_placement() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    o.assets[1].wave = "w2".into(); // placed there by ours' replan: no event
    t.assets[1].wave = "w3".into();
    t.events
        .push(event("2026-11-02T09:00:00Z", "B", "w3", "bob"));
    let m = merged(&b, &o, &t);
    assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
    assert_eq!(m.plan.assets[1].wave, "w3");
    // Both recorded: a true conflict.
    o.events
        .push(event("2026-11-02T10:00:00Z", "b", "w2", "alice"));
    assert_eq!(merged(&b, &o, &t).conflicts.len(), 1);
}

#[test]
fn a_wave_one_side_removed_stays_while_the_other_side_put_assets_in_it() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    t.waves.retain(|w| w.id != "w2");
    o.assets[0].wave = "w2".into();
    let m = merged(&b, &o, &t);
    assert!(
        m.plan.waves.iter().any(|w| w.id == "w2"),
        "the asset keeps a wave to be in"
    );
    let c = m
        .conflicts
        .iter()
        .find(|c| c.scope == Scope::Wave("w2".into()))
        .expect("reported");
    assert!(c.to_string().contains("kept: 1 asset(s) in it"), "{c}");
    assert!(c.theirs.is_none(), "theirs removed it");
}
