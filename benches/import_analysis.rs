//! Import + analysis of a generated inventory (issue: 100,000 assets, ~300,000 relations in
//! under 1 s). Set `AVMIGRATE_BENCH_1M=1` to also measure 1,000,000 assets.

use avmigrate::analysis::Analysis;
use avmigrate::inventory::{ImportOptions, csv_generic, load_sources, native};
use avmigrate::rules::RuleSet;
use avmigrate::synthetic::{GenOptions, generate, shapes};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

fn import_and_analyse(label: &str, bytes: &[u8], rules: &RuleSet) -> usize {
    let loaded = load_sources(
        vec![(label.to_string(), bytes.to_vec())],
        &ImportOptions::default(),
    )
    .expect("generated inventory imports");
    let analysis = Analysis::run(&loaded.inventory, rules);
    analysis.totals().direct
}

fn bench(c: &mut Criterion) {
    let rules = RuleSet::builtin();
    let mut sizes = vec![100_000usize];
    if std::env::var_os("AVMIGRATE_BENCH_1M").is_some() {
        sizes.push(1_000_000);
    }
    let mut group = c.benchmark_group("import+analysis");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for n in sizes {
        let inv = generate(&GenOptions { assets: n, seed: 1 });
        let csv = csv_generic::write(&inv).into_bytes();
        group.bench_function(format!("csv/{n}"), |b| {
            b.iter(|| black_box(import_and_analyse("gen.csv", &csv, &rules)))
        });
        if n <= 100_000 {
            let toml = native::write(&inv).into_bytes();
            group.bench_function(format!("toml/{n}"), |b| {
                b.iter(|| black_box(import_and_analyse("gen.toml", &toml, &rules)))
            });
        }
        let loaded = load_sources(
            vec![("gen.csv".into(), csv.clone())],
            &ImportOptions::default(),
        )
        .expect("imports");
        group.bench_function(format!("analysis-only/{n}"), |b| {
            b.iter(|| black_box(Analysis::run(&loaded.inventory, &rules).totals()))
        });
    }
    group.finish();
}

/// Extreme shapes: a 1,000,000-deep chain (target < 2 s) and 40,000 assets in one strongly
/// connected component, all flagged (target < 1 s), analysed in process.
fn shapes(c: &mut Criterion) {
    let rules = RuleSet::builtin();
    let mut group = c.benchmark_group("analysis-shapes");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15));
    let chain = shapes::chain(1_000_000, false);
    group.bench_function("chain/1000000", |b| {
        b.iter(|| black_box(Analysis::run(&chain, &rules).totals()))
    });
    drop(chain);
    let scc = shapes::flagged_cycle(40_000);
    group.bench_function("flagged-scc/40000", |b| {
        b.iter(|| black_box(Analysis::run(&scc, &rules).impact[0]))
    });
    group.finish();
}

criterion_group!(benches, bench, shapes);
criterion_main!(benches);
