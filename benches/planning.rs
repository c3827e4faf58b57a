//! Planning speed (issue: 100,000 direct assets planned in under 2 s, validated in under
//! 0.5 s, plan file saved and loaded in under 1 s each).

use avmigrate::analysis::Analysis;
use avmigrate::catalog::Catalog;
use avmigrate::model::Date;
use avmigrate::plan::context::PlanContext;
use avmigrate::plan::schedule::generate;
use avmigrate::plan::validate::validate;
use avmigrate::plan::{Settings, file};
use avmigrate::rules::RuleSet;
use avmigrate::synthetic::{GenOptions, generate as gen_inventory};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    // About 81 % of generated assets run Kaspersky: 124,000 assets give ~100,000 direct ones.
    let inv = gen_inventory(&GenOptions {
        assets: 124_000,
        seed: 1,
    });
    let rules = RuleSet::builtin();
    let catalog = Catalog::builtin();
    let analysis = Analysis::run(&inv, &rules);
    let today: Date = "2026-11-28".parse().expect("date");
    let ctx = PlanContext::new(&inv, &analysis, &rules, &catalog, today);
    let settings = || {
        let mut s = Settings::new("2027-01-11".parse().expect("date"));
        s.wave_size = 2_000;
        s
    };
    let plan = generate(&ctx, settings(), "bench".into(), vec![]).plan;
    eprintln!(
        "planned {} direct assets in {} waves",
        plan.assets.len(),
        plan.waves.len()
    );
    let text = file::to_toml(&plan);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plan.toml");

    let mut group = c.benchmark_group("planning");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15));
    group.bench_function("plan/100k-direct", |b| {
        b.iter(|| {
            let ctx = PlanContext::new(&inv, &analysis, &rules, &catalog, today);
            black_box(
                generate(&ctx, settings(), "bench".into(), vec![])
                    .plan
                    .assets
                    .len(),
            )
        })
    });
    group.bench_function("validate/100k-direct", |b| {
        b.iter(|| black_box(validate(&plan, &ctx, &[]).len()))
    });
    group.bench_function("save/100k-direct", |b| {
        b.iter(|| {
            avmigrate::plan::workspace::save_plan(&path, &plan).expect("save");
        })
    });
    group.bench_function("load/100k-direct", |b| {
        b.iter(|| black_box(file::parse(&text, "plan.toml").expect("load").assets.len()))
    });
    group.finish();
}

/// How soon a cancelled plan returns, per phase it is cancelled in (`CANCEL_ASSETS` assets,
/// default 124,000; `cargo bench --bench planning -- cancel`).
fn cancel_latency(c: &mut Criterion) {
    use avmigrate::plan::job::{Job, Phase};
    use std::time::Instant;
    let assets = std::env::var("CANCEL_ASSETS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(124_000);
    let inv = gen_inventory(&GenOptions { assets, seed: 1 });
    let (rules, catalog) = (RuleSet::builtin(), Catalog::builtin());
    let analysis = Analysis::run(&inv, &rules);
    let today: Date = "2026-11-28".parse().expect("date");
    let ctx = PlanContext::new(&inv, &analysis, &rules, &catalog, today);
    let settings = Settings::new("2027-01-11".parse().expect("date"));
    for phase in [Phase::Products, Phase::Layout, Phase::Assets] {
        let job = Job::new();
        let watcher = job.clone();
        let (result, latency) = std::thread::scope(|scope| {
            let cancelled_at = scope.spawn(move || {
                while watcher.snapshot().phase < phase {
                    std::thread::sleep(Duration::from_millis(1));
                }
                // Halfway through the phase, or as soon as it is seen when it is short.
                let began = Instant::now();
                while watcher.snapshot().done * 2 < watcher.snapshot().total
                    && began.elapsed() < Duration::from_secs(5)
                {
                    std::thread::sleep(Duration::from_millis(1));
                }
                watcher.cancel();
                Instant::now()
            });
            let started = Instant::now();
            let result = avmigrate::plan::schedule::generate_with(
                &ctx,
                settings.clone(),
                "bench".into(),
                vec![],
                &job,
            );
            let returned = Instant::now();
            let at = cancelled_at.join().expect("watcher");
            (
                result.map(|_| started.elapsed()),
                returned.duration_since(at),
            )
        });
        eprintln!(
            "{assets} assets, cancelled while {phase}: returned {} ms later ({})",
            latency.as_millis(),
            match result {
                Ok(_) => "it had finished",
                Err(_) => "cancelled",
            }
        );
    }
    c.bench_function("cancel/noop", |b| b.iter(|| black_box(1)));
}

criterion_group!(benches, bench, cancel_latency);
criterion_main!(benches);
