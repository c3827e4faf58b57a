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

criterion_group!(benches, bench);
criterion_main!(benches);
