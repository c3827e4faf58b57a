//! Unit tests of plan edits: each edit, its inverse, history and refusals.

use super::*;
use crate::plan::model::{PlannedAsset, Settings, Wave};

fn plan() -> Plan {
    let d: Date = "2026-12-07".parse().unwrap();
    let wave = |id: &str, n: i32| Wave {
        id: id.into(),
        name: format!("Wave {id}"),
        start: d.add_days(n * 7),
        end: d.add_days(n * 7 + 4),
        capacity: 10,
        frozen: false,
    };
    Plan {
        schema_version: 1,
        name: "t".into(),
        inventory: vec![],
        import: Default::default(),
        settings: Settings::new(d),
        waves: vec![wave("w1", 0), wave("w2", 1)],
        assets: vec![PlannedAsset::new("a", "w1"), PlannedAsset::new("b", "w1")],
        events: vec![],
        alerts: Vec::new(),
    }
}

fn ctx() -> EditContext {
    EditContext {
        by: "tester".into(),
        at: "2026-12-08T09:00:00Z".parse().unwrap(),
        check_transitions: true,
        note: None,
    }
}

#[test]
fn move_and_undo_restores_the_plan() {
    let mut p = plan();
    let before = p.clone();
    let inv = apply(
        &mut p,
        &Edit::Move {
            asset: "A".into(),
            wave: "w2".into(),
        },
        &ctx(),
    )
    .unwrap();
    assert_eq!(p.assets[0].wave, "w2");
    assert_eq!(p.events.len(), 1);
    assert_eq!(p.events[0].field, "wave");
    let undo = EditContext {
        check_transitions: false,
        ..ctx()
    };
    let redo = apply(&mut p, &inv, &undo).unwrap();
    assert_eq!(p.assets, before.assets);
    assert_eq!(
        redo,
        Edit::Move {
            asset: "a".into(),
            wave: "w2".into()
        }
    );
}

#[test]
fn unknown_targets_are_refused_without_change() {
    let mut p = plan();
    let before = p.clone();
    let e = apply(
        &mut p,
        &Edit::Move {
            asset: "a".into(),
            wave: "w9".into(),
        },
        &ctx(),
    );
    assert!(matches!(e, Err(EditError::UnknownWave(..))));
    let e = apply(
        &mut p,
        &Edit::Pin {
            asset: "zz".into(),
            pinned: true,
        },
        &ctx(),
    );
    assert_eq!(e, Err(EditError::UnknownAsset("zz".into())));
    assert_eq!(p, before);
}

#[test]
fn failing_batch_rolls_back() {
    let mut p = plan();
    let before = p.clone();
    let batch = Edit::Batch(vec![
        Edit::Move {
            asset: "a".into(),
            wave: "w2".into(),
        },
        Edit::Move {
            asset: "nope".into(),
            wave: "w2".into(),
        },
    ]);
    assert!(apply(&mut p, &batch, &ctx()).is_err());
    assert_eq!(p, before);
}

#[test]
fn status_transitions_are_enforced() {
    let mut p = plan();
    let set = |s: Status, r: Option<&str>| Edit::SetStatus {
        asset: "a".into(),
        status: s,
        reason: r.map(String::from),
        approver: None,
        review: None,
    };
    let e = apply(&mut p, &set(Status::Verified, None), &ctx());
    assert!(matches!(e, Err(EditError::IllegalTransition { .. })));
    assert!(matches!(
        apply(&mut p, &set(Status::Blocked, None), &ctx()),
        Err(EditError::MissingReason(..))
    ));
    apply(&mut p, &set(Status::InProgress, None), &ctx()).unwrap();
    apply(&mut p, &set(Status::Migrated, None), &ctx()).unwrap();
    apply(&mut p, &set(Status::Verified, None), &ctx()).unwrap();
    assert_eq!(p.events.len(), 3);
    assert_eq!(p.events[2].from, "migrated");
    assert_eq!(p.events[2].to, "verified");
}

#[test]
fn migrated_straight_from_planned_needs_a_note() {
    let mut p = plan();
    let migrated = Edit::SetStatus {
        asset: "a".into(),
        status: Status::Migrated,
        reason: None,
        approver: None,
        review: None,
    };
    assert!(matches!(
        apply(&mut p, &migrated, &ctx()),
        Err(EditError::UnscannedMigration(_))
    ));
    assert_eq!(p.assets[0].status, Status::Planned, "refused: unchanged");
    let noted = EditContext {
        note: Some("checked on site, no scanner in this network".into()),
        ..ctx()
    };
    apply(&mut p, &migrated, &noted).unwrap();
    assert_eq!(p.assets[0].status, Status::Migrated);
    assert_eq!(
        p.events[0].note.as_deref(),
        Some("checked on site, no scanner in this network")
    );
}

#[test]
fn every_refused_status_has_a_one_line_reason() {
    for &from in Status::VARIANTS {
        for &to in Status::VARIANTS {
            if allowed_transitions(from).contains(&to) {
                assert!(check_transition("a", from, to).is_ok());
                continue;
            }
            let why = why_not(from, to);
            assert!(why.starts_with(to.as_str()) && !why.contains('\n'), "{why}");
            assert!(why.len() < 70, "{why}");
        }
    }
    assert_eq!(
        why_not(Status::Planned, Status::Verified),
        "verified: only from migrated"
    );
}
