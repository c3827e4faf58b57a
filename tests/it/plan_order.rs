//! Order rules on a small hand-made estate: management servers strictly after what they manage
//! and retired only once it is migrated, excluded or decided, dependents before their providers
//! in the runbook, waves in time order, assets in id order whatever the order in the file.

use avmigrate::analysis::Analysis;
use avmigrate::catalog::Catalog;
use avmigrate::model::{Asset, AssetKind, Date, Inventory, Os, Relation, RelationKind, Software};
use avmigrate::plan::context::PlanContext;
use avmigrate::plan::validate::{Severity, validate};
use avmigrate::plan::{
    Decision, DecisionOption, Edit, EditContext, EditError, Plan, Settings, Status, apply, file,
    schedule,
};
use avmigrate::progress::status;
use avmigrate::report::runbook::to_runbook;
use avmigrate::rules::RuleSet;

fn asset(id: &str, os: &str, software: &str, deps: &[(&str, RelationKind)]) -> Asset {
    let mut a = Asset::new(id);
    a.os = Os::parse(os);
    a.kind = AssetKind::infer(&a.os);
    a.software.push(Software::named(software));
    for (to, kind) in deps {
        a.depends_on.push(Relation::new(*to, *kind));
    }
    a
}

/// ksc-01 manages everything; ws-1 also uses the file server fs-1.
fn estate() -> Inventory {
    let kes = "Kaspersky Endpoint Security for Windows";
    let managed = ("ksc-01", RelationKind::ManagedBy);
    Inventory::from_assets([
        asset(
            "ksc-01",
            "Windows Server 2019 Standard",
            "Kaspersky Security Center 14.2 Administration Server",
            &[],
        ),
        asset(
            "fs-1",
            "Windows Server 2019 Standard",
            "Kaspersky Security for Windows Server",
            &[managed],
        ),
        asset(
            "ws-1",
            "Windows 11 Enterprise 23H2",
            kes,
            &[managed, ("fs-1", RelationKind::Uses)],
        ),
        asset("ws-2", "Windows 11 Enterprise 23H2", kes, &[managed]),
    ])
}

struct Setup {
    inv: Inventory,
    analysis: Analysis,
    rules: RuleSet,
    catalog: Catalog,
}

impl Setup {
    fn new() -> Setup {
        let inv = estate();
        let rules = RuleSet::builtin();
        let analysis = Analysis::run(&inv, &rules);
        Setup {
            inv,
            analysis,
            rules,
            catalog: Catalog::builtin(),
        }
    }

    fn ctx(&self) -> PlanContext<'_> {
        PlanContext::new(
            &self.inv,
            &self.analysis,
            &self.rules,
            &self.catalog,
            "2026-11-28".parse().unwrap(),
        )
    }

    fn plan(&self) -> Plan {
        let mut s = Settings::new("2027-01-11".parse().unwrap());
        s.wave_size = 10;
        schedule::generate(&self.ctx(), s, "order".into(), vec![]).plan
    }

    fn violations(&self, plan: &Plan) -> Vec<(&'static str, String)> {
        validate(plan, &self.ctx(), &[])
            .into_iter()
            .filter(|p| p.severity == Severity::Violation)
            .map(|p| (p.code.as_str(), p.message))
            .collect()
    }
}

fn set_wave(plan: &mut Plan, id: &str, wave: &str) {
    let i = plan.asset_index(id).unwrap();
    plan.assets[i].wave = wave.to_string();
}

#[test]
fn the_generated_plan_puts_the_management_server_last() {
    let s = Setup::new();
    let plan = s.plan();
    assert_eq!(s.violations(&plan), vec![]);
    let last = &plan.waves.last().unwrap().id;
    assert_eq!(&plan.asset("ksc-01").unwrap().wave, last);
    assert_eq!(plan.wave_members()[last.as_str()].len(), 1, "{plan:#?}");
}

#[test]
fn a_management_server_sharing_a_wave_with_what_it_manages_is_a_violation() {
    let s = Setup::new();
    let mut plan = s.plan();
    let ksc_wave = plan.asset("ksc-01").unwrap().wave.clone();
    set_wave(&mut plan, "ws-2", &ksc_wave);
    let v = s.violations(&plan);
    assert_eq!(v.len(), 1, "{v:#?}");
    assert_eq!(v[0].0, "management-not-last");
    assert!(
        v[0].1
            .starts_with("ws-2 relies on management server ksc-01"),
        "{v:#?}"
    );
}

#[test]
fn the_runbook_lists_dependents_before_their_providers_within_a_wave() {
    let s = Setup::new();
    let mut plan = s.plan();
    let first = plan.waves[0].id.clone();
    // fs-1 sorts before ws-1 by id, but ws-1 relies on it: ws-1 goes first.
    for id in ["ws-1", "ws-2", "fs-1"] {
        set_wave(&mut plan, id, &first);
    }
    for w in &mut plan.waves {
        w.capacity = 10;
    }
    assert_eq!(s.violations(&plan), vec![]);
    let book = to_runbook(&plan, &s.ctx());
    let at = |id: &str| {
        book.find(&format!("### {id} "))
            .unwrap_or_else(|| panic!("{id} missing:\n{book}"))
    };
    assert!(at("ws-1") < at("fs-1"), "{book}");
    // Unconstrained assets keep id order.
    assert!(at("ws-1") < at("ws-2"), "{book}");
    assert!(at("fs-1") < at("ksc-01"), "{book}");
}

/// Two waves a week apart, w2 after w1, with one asset each.
fn two_waves() -> Plan {
    let s = Setup::new();
    let mut plan = s.plan();
    plan.waves.truncate(2);
    let (w1, w2) = (plan.waves[0].id.clone(), plan.waves[1].id.clone());
    plan.assets.retain(|a| a.wave == w1 || a.wave == w2);
    plan
}

fn editor(undo: bool) -> EditContext {
    EditContext {
        by: "t".into(),
        at: "2026-12-01T10:00:00Z".parse().unwrap(),
        check_transitions: !undo,
        note: None,
    }
}

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

#[test]
fn waves_out_of_time_order_are_a_violation() {
    let s = Setup::new();
    let mut plan = s.plan();
    assert!(plan.waves.len() >= 3, "{plan:#?}");
    let codes = |plan: &Plan| -> Vec<&'static str> {
        s.violations(plan)
            .into_iter()
            .map(|(c, _)| c)
            .filter(|c| *c == "wave-out-of-order")
            .collect()
    };
    assert!(codes(&plan).is_empty());
    // w2 starts on the day w1 ends; w3 ends before it starts.
    plan.waves[1].start = plan.waves[0].end;
    plan.waves[2].end = plan.waves[2].start.add_days(-1);
    let v: Vec<String> = s
        .violations(&plan)
        .into_iter()
        .filter(|(c, _)| *c == "wave-out-of-order")
        .map(|(_, m)| m)
        .collect();
    assert_eq!(v.len(), 2, "{v:#?}");
    assert!(v.iter().any(|m| m.contains("before it starts")), "{v:#?}");
    assert!(
        v.iter()
            .any(|m| m.contains("must start after the previous one ends")),
        "{v:#?}"
    );
}

#[test]
fn set_wave_dates_refuses_dates_that_cross_a_neighbour() {
    let mut plan = two_waves();
    let before = plan.clone();
    let (w1, w2) = (plan.waves[0].clone(), plan.waves[1].clone());
    // w2 may not start on or before the day w1 ends …
    let e = apply(
        &mut plan,
        &Edit::SetWaveDates {
            wave: w2.id.clone(),
            start: w1.end,
            end: w2.end,
        },
        &editor(false),
    );
    let err = e.unwrap_err();
    assert!(matches!(err, EditError::WavesOutOfOrder { .. }), "{err}");
    assert!(
        err.to_string().contains(&format!("wave \"{}\"", w1.id)),
        "{err}"
    );
    // … nor w1 end on or after w2 starts.
    let e = apply(
        &mut plan,
        &Edit::SetWaveDates {
            wave: w1.id.clone(),
            start: w1.start,
            end: w2.start,
        },
        &editor(false),
    );
    assert!(matches!(e, Err(EditError::WavesOutOfOrder { .. })), "{e:?}");
    assert_eq!(plan, before);
    // Moving w2 later and w1 up to the day before it is fine.
    let later = Edit::SetWaveDates {
        wave: w2.id.clone(),
        start: w2.start.add_days(7),
        end: w2.end.add_days(7),
    };
    let undo_later = apply(&mut plan, &later, &editor(false)).unwrap();
    let grow = Edit::SetWaveDates {
        wave: w1.id.clone(),
        start: w1.start,
        end: w2.start.add_days(6),
    };
    let undo_grow = apply(&mut plan, &grow, &editor(false)).unwrap();
    assert_eq!(plan.waves[0].end, w2.start.add_days(6));
    // Undo in reverse order gives the plan back.
    apply(&mut plan, &undo_grow, &editor(true)).unwrap();
    apply(&mut plan, &undo_later, &editor(true)).unwrap();
    assert_eq!(plan.waves, before.waves);
}

#[test]
fn the_planned_end_is_the_latest_wave_end() {
    let mut plan = two_waves();
    // A hand-edited plan whose first wave runs longest.
    plan.waves[0].end = day("2027-12-31");
    assert_eq!(plan.planned_end(), Some(day("2027-12-31")));
    let report = status(&plan, day("2026-12-01"));
    assert_eq!(report.forecast.planned_end.as_deref(), Some("2027-12-31"));
    plan.settings.deadline = Some(day("2027-06-30"));
    assert_eq!(
        status(&plan, day("2026-12-01")).forecast.on_track,
        Some(false)
    );
}

#[test]
fn assets_are_in_id_order_whatever_the_file_order() {
    let plan = Setup::new().plan();
    let text = file::to_toml(&plan);
    // The same plan with its [[asset]] tables in reverse order.
    let (head, tables) = text.split_once("[[asset]]\n").unwrap();
    let mut blocks: Vec<String> = tables
        .split("[[asset]]\n")
        .map(|b| format!("[[asset]]\n{}\n", b.trim_end()))
        .collect();
    blocks.reverse();
    let shuffled = format!("{head}{}", blocks.join("\n"));
    assert_ne!(shuffled, text);
    let parsed = file::parse(&shuffled, "shuffled.toml").unwrap();
    assert_eq!(parsed, plan);
    let ids: Vec<&str> = parsed.assets.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["fs-1", "ksc-01", "ws-1", "ws-2"]);
    // Saving gives the canonical text, and loading that again changes nothing.
    let saved = file::to_toml(&parsed);
    assert_eq!(saved, text);
    assert_eq!(
        file::to_toml(&file::parse(&saved, "saved.toml").unwrap()),
        saved
    );
}

#[test]
fn security_center_is_retired_only_after_what_it_manages_is_done_or_decided() {
    let s = Setup::new();
    let mut plan = s.plan();
    let problems = |plan: &Plan| -> Vec<(&'static str, Severity, Option<String>)> {
        validate(plan, &s.ctx(), &[])
            .into_iter()
            .filter(|p| p.code.as_str().starts_with("management-"))
            .map(|p| (p.code.as_str(), p.severity, p.asset))
            .collect()
    };
    assert_eq!(problems(&plan), []);
    // ws-2 turns out to need a decision (say, a system no agent may touch).
    let i = plan.asset_index("ws-2").unwrap();
    plan.assets[i].needs_decision = true;
    let ksc = Some("ksc-01".to_string());
    assert_eq!(
        problems(&plan),
        [("management-awaits-decision", Severity::Warning, ksc.clone())]
    );
    let status = |plan: &mut Plan, id: &str, status: Status| {
        let edit = Edit::SetStatus {
            asset: id.into(),
            status,
            reason: None,
            approver: None,
            review: None,
        };
        apply(plan, &edit, &editor(true)).unwrap();
    };
    // Everything else migrated, then the server too: ws-2 still waits, so that is too early.
    for id in ["fs-1", "ws-1", "ksc-01"] {
        status(&mut plan, id, Status::Migrated);
    }
    assert_eq!(
        problems(&plan),
        [("management-retired-early", Severity::Violation, ksc.clone())]
    );
    // The decision is recorded: the server may go.
    let decide = Edit::Decide {
        asset: "ws-2".into(),
        decision: Some(Decision {
            option: DecisionOption::Isolate,
            rationale: "lab machine, isolated until it is replaced".into(),
            approver: "CISO".into(),
            review: day("2027-06-30"),
        }),
    };
    apply(&mut plan, &decide, &editor(false)).unwrap();
    assert_eq!(problems(&plan), []);
    assert_eq!(s.violations(&plan), vec![]);
}
