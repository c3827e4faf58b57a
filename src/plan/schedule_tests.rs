//! Unit tests of plan generation and regeneration.

use super::*;
use crate::analysis::Analysis;
use crate::catalog::Catalog;
use crate::model::{AssetKind, Inventory, Os, Software};
use crate::plan::layout::{LayoutConfig, UnitInfo, layout_with};
use crate::plan::validate::{has_violations, validate};
use crate::rules::RuleSet;

fn workstation(id: &str, kaspersky: bool) -> Asset {
    let mut a = Asset::new(id);
    a.kind = AssetKind::Workstation;
    a.os = Os::parse("Windows 11 Enterprise 23H2");
    if kaspersky {
        a.software
            .push(Software::named("Kaspersky Endpoint Security for Windows"));
    }
    a
}

fn plan_of(inv: &Inventory, previous: Option<&Plan>) -> Scheduled {
    let (rules, catalog) = (RuleSet::builtin(), Catalog::builtin());
    let analysis = Analysis::run(inv, &rules);
    let ctx = PlanContext::new(
        inv,
        &analysis,
        &rules,
        &catalog,
        "2026-11-28".parse().unwrap(),
    );
    let out = match previous {
        Some(p) => replan(&ctx, p),
        None => {
            let mut s = Settings::new("2027-01-11".parse().unwrap());
            s.wave_size = 2;
            generate(&ctx, s, "t".into(), vec![])
        }
    };
    assert!(
        !has_violations(&validate(&out.plan, &ctx, &[])),
        "{:#?}",
        out.plan
    );
    out
}

#[test]
fn a_plan_running_past_a_year_says_so_first_and_validate_warns() {
    let ids: Vec<String> = (0..120).map(|i| format!("ws{i:03}")).collect();
    let inv = Inventory::from_assets(ids.iter().map(|id| workstation(id, true)));
    let out = plan_of(&inv, None);
    assert!(out.plan.waves.len() > 55, "{}", out.plan.waves.len());
    assert!(
        out.warnings[0].contains("more than a year after the first starts (2027-01-11)"),
        "{:?}",
        out.warnings
    );
    let (rules, catalog) = (RuleSet::builtin(), Catalog::builtin());
    let analysis = Analysis::run(&inv, &rules);
    let ctx = PlanContext::new(
        &inv,
        &analysis,
        &rules,
        &catalog,
        "2026-11-28".parse().unwrap(),
    );
    let problems = validate(&out.plan, &ctx, &[]);
    assert!(
        problems
            .iter()
            .any(|p| p.code == crate::plan::validate::Code::PlanOverAYear),
        "{problems:#?}"
    );
    // A short plan raises neither.
    let few = Inventory::from_assets(ids[..6].iter().map(|id| workstation(id, true)));
    let out = plan_of(&few, None);
    assert!(
        out.warnings.iter().all(|w| !w.contains("a year")),
        "{:?}",
        out.warnings
    );
}

#[test]
fn kept_assets_take_room_in_their_wave() {
    let ids = ["a", "b", "c", "d", "e"];
    let inv = Inventory::from_assets(ids.iter().map(|id| workstation(id, true)));
    let mut plan = plan_of(&inv, None).plan;
    // b is under way in a full wave, then its Kaspersky is found gone.
    let b = plan.asset_index("b").unwrap();
    let wave = plan.assets[b].wave.clone();
    let full = plan.wave_members()[wave.as_str()].len();
    assert_eq!(full, plan.waves[plan.wave_index(&wave).unwrap()].capacity);
    plan.assets[b].status = Status::InProgress;
    let inv = Inventory::from_assets(ids.iter().map(|id| workstation(id, *id != "b")));
    let out = plan_of(&inv, Some(&plan));
    assert_eq!(out.plan.asset("b").unwrap().wave, wave);
    assert_eq!(out.plan.assets.len(), 5);
}

#[test]
fn started_assets_keep_their_wave_and_product() {
    let ids = ["a", "b", "c", "d", "e", "f"];
    let inv = Inventory::from_assets(ids.iter().map(|id| workstation(id, true)));
    let mut plan = plan_of(&inv, None).plan;
    let last = plan.waves.last().unwrap().id.clone();
    let f = plan.asset_index("f").unwrap();
    let (wave, product) = (plan.assets[f].wave.clone(), plan.assets[f].product.clone());
    assert_eq!(wave, last, "{:#?}", plan.assets);
    let other = ["eset-protect-endpoint", "sophos-intercept-x"]
        .into_iter()
        .find(|p| Some(p.to_string()) != product)
        .unwrap();
    // f is under way; then the preference changes and f becomes the riskiest asset.
    plan.assets[f].status = Status::InProgress;
    plan.settings.preference = vec![other.to_string()];
    let inv = Inventory::from_assets(ids.iter().map(|id| {
        let mut a = workstation(id, true);
        if *id == "f" {
            a.add_tag("kritis");
        }
        a
    }));
    let out = plan_of(&inv, Some(&plan)).plan;
    let kept = out.asset("f").unwrap();
    assert_eq!((&kept.wave, &kept.product), (&wave, &product));
    assert!(kept.reason.contains("started"), "{}", kept.reason);
    // Assets not yet started follow the new preference.
    assert_eq!(out.asset("a").unwrap().product.as_deref(), Some(other));
}

fn context_of<'a>(
    inv: &'a Inventory,
    analysis: &'a Analysis,
    rules: &'a RuleSet,
    catalog: &'a Catalog,
) -> PlanContext<'a> {
    PlanContext::new(inv, analysis, rules, catalog, "2026-11-28".parse().unwrap())
}

#[test]
fn progress_runs_through_the_phases_to_100_percent() {
    let ids: Vec<String> = (0..5000).map(|i| format!("ws{i:05}")).collect();
    let inv = Inventory::from_assets(ids.iter().map(|id| workstation(id, true)));
    let (rules, catalog) = (RuleSet::builtin(), Catalog::builtin());
    let analysis = Analysis::run(&inv, &rules);
    let ctx = context_of(&inv, &analysis, &rules, &catalog);
    let job = Job::new();
    let watcher = job.clone();
    // A watcher on another thread sees the phases in order, never going back.
    let seen = std::thread::scope(|scope| {
        let watching = scope.spawn(move || {
            let mut seen = vec![watcher.snapshot()];
            let began = std::time::Instant::now();
            while seen.last().unwrap().phase != Phase::Done && began.elapsed().as_secs() < 60 {
                let now = watcher.snapshot();
                if now != *seen.last().unwrap() {
                    seen.push(now);
                }
                std::thread::yield_now();
            }
            seen
        });
        let settings = Settings::new("2027-01-11".parse().unwrap());
        let out = generate_with(&ctx, settings, "t".into(), vec![], &job).unwrap();
        assert_eq!(out.plan.assets.len(), 5000);
        watching.join().unwrap()
    });
    let percents: Vec<u8> = seen.iter().filter_map(|s| s.percent()).collect();
    assert!(percents.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert_eq!(job.snapshot().percent(), Some(100));
    assert_eq!(job.snapshot().phase, Phase::Done);
}

#[test]
fn a_cancelled_job_stops_generation_before_any_plan_is_made() {
    let ids: Vec<String> = (0..5000).map(|i| format!("ws{i:05}")).collect();
    let inv = Inventory::from_assets(ids.iter().map(|id| workstation(id, true)));
    let (rules, catalog) = (RuleSet::builtin(), Catalog::builtin());
    let analysis = Analysis::run(&inv, &rules);
    let ctx = context_of(&inv, &analysis, &rules, &catalog);
    let settings = Settings::new("2027-01-11".parse().unwrap());
    let job = Job::new();
    job.cancel();
    let out = generate_with(&ctx, settings.clone(), "t".into(), vec![], &job);
    assert_eq!(out.err(), Some(Cancelled));
    assert_eq!(job.snapshot().phase, Phase::Cancelled);
    // Cancelled while the layout runs: it stops within a few thousand units (enough units
    // that the layout outlasts the watcher thread's start on a fast machine).
    let units: Vec<UnitInfo> = (0..200_000)
        .map(|i| UnitInfo {
            size: 1,
            label: format!("u{i:05}"),
            ..UnitInfo::default()
        })
        .collect();
    let cfg = LayoutConfig {
        wave_size: 10,
        site_capacity: Default::default(),
        pilot: false,
        first_wave: 0,
        ramp: true,
    };
    let job = Job::new();
    job.begin(Phase::Layout, units.len() as u64).unwrap();
    let watcher = job.clone();
    let stopped = std::thread::scope(|scope| {
        scope.spawn(move || {
            while watcher.snapshot().done == 0 {
                std::thread::yield_now();
            }
            watcher.cancel();
        });
        layout_with(&units, &[], &cfg, &job)
    });
    assert_eq!(stopped.err(), Some(Cancelled));
    let at = job.snapshot();
    assert_eq!(at.phase, Phase::Cancelled);
    assert!(at.done < 200_000, "{at:?}");
    // The same plan, not cancelled, is whole.
    let job = Job::new();
    let out = generate_with(&ctx, settings, "t".into(), vec![], &job).unwrap();
    assert_eq!(out.plan.assets.len(), 5000);
}
