//! Import + analysis of a generated inventory (issue: 100,000 assets, ~300,000 relations in
//! under 1 s). Set `AVMIGRATE_BENCH_1M=1` to also measure 1,000,000 assets.

use avmigrate::analysis::Analysis;
use avmigrate::cli::Cli;
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
        // The command as run, from the file: JSON minus text is the cost of the JSON report.
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("gen.csv");
        std::fs::write(&path, &csv).expect("written");
        for format in ["json", "text"] {
            group.bench_function(format!("analyze-command-{format}/{n}"), |b| {
                b.iter(|| black_box(analyze_command(&path, format)))
            });
        }
    }
    group.finish();
}

/// `avmigrate analyze PATH --format FORMAT` into a sink.
fn analyze_command(path: &std::path::Path, format: &str) -> i32 {
    let args = ["avmigrate", "analyze", "--format", format].map(std::ffi::OsString::from);
    let args = args.into_iter().chain([path.as_os_str().to_owned()]);
    let cli = <Cli as clap::Parser>::try_parse_from(args).expect("arguments parse");
    avmigrate::cli::run(cli, &mut std::io::sink()).expect("analyze runs")
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
