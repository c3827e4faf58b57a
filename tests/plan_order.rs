//! Order rules on a small hand-made estate: management servers strictly after what they manage,
//! dependents before their providers in the runbook.

use avmigrate::analysis::Analysis;
use avmigrate::catalog::Catalog;
use avmigrate::model::{Asset, AssetKind, Inventory, Os, Relation, RelationKind, Software};
use avmigrate::plan::context::PlanContext;
use avmigrate::plan::validate::{Severity, validate};
use avmigrate::plan::{Plan, Settings, schedule};
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
            .map(|p| (p.code, p.message))
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
