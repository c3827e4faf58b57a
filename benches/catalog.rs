//! Ranking replacement products (the planner does it for every direct asset on every run): the
//! compatibility cache over 100,000 generated assets, and the catalogue asked directly for
//! 10,000 of them.

use avmigrate::catalog::{Catalog, CompatCache, candidates, needs_for};
use avmigrate::model::Date;
use avmigrate::synthetic::{GenOptions, generate};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let cat = Catalog::builtin();
    let today = Date::from_ymd(2026, 11, 28).expect("date");
    let inv = generate(&GenOptions {
        assets: 100_000,
        seed: 1,
    });
    let roles = ["endpoint", "management-agent"];
    let mut group = c.benchmark_group("catalog");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("cached-candidates/100k", |b| {
        b.iter(|| {
            let mut cache = CompatCache::new(&cat, today);
            let usable = inv
                .assets()
                .iter()
                .filter(|a| {
                    let needs = needs_for(a, &roles);
                    cache.candidates(a, &needs)[0].support.is_usable()
                })
                .count();
            black_box(usable)
        })
    });
    group.bench_function("direct-candidates/10k", |b| {
        b.iter(|| {
            let n: usize = inv.assets()[..10_000]
                .iter()
                .map(|a| candidates(&cat, a, &needs_for(a, &roles), today).len())
                .sum();
            black_box(n)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
