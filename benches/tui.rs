//! TUI speed (issue: with 1,000,000 assets a frame of the assets screen renders in under 5 ms
//! and a filter keystroke updates in under 100 ms off the UI thread; a 100,000-asset
//! inventory opens — full analysis — in under 1.5 s). `AVMIGRATE_BENCH_ASSETS` overrides the
//! table size (default 1,000,000).

use avmigrate::catalog::Catalog;
use avmigrate::inventory::csv_generic;
use avmigrate::plan::{Settings, schedule};
use avmigrate::rules::RuleSet;
use avmigrate::synthetic::{GenOptions, generate};
use avmigrate::tui::action::Action;
use avmigrate::tui::data::{Data, Shared};
use avmigrate::tui::jobs::{self, Effect, LoadRequest, Source, ViewQuery};
use avmigrate::tui::keymap::Keymap;
use avmigrate::tui::state::{Column, Screen, State};
use avmigrate::tui::theme::ThemeName;
use avmigrate::tui::update::update;
use avmigrate::tui::view::view;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

fn big_state(n: usize) -> State {
    let inv = generate(&GenOptions { assets: n, seed: 1 });
    let shared = Arc::new(Shared::build(
        inv,
        RuleSet::builtin(),
        Catalog::builtin(),
        vec![],
        vec![],
        Default::default(),
        "2026-11-28".parse().expect("date"),
    ));
    let mut state = State::new(Keymap::default_keymap(), ThemeName::Dark, bench_env());
    state.size = (120, 35);
    state.data = Some(Data::new(shared, None, None, None));
    state.screen = Screen::Assets;
    let data = state.data.as_ref().expect("data");
    let q = ViewQuery::snapshot(data, "", &Default::default(), state.assets.sort, false);
    state.assets.rows = jobs::refresh(&q);
    state.assets.window.selected = state.assets.rows.len() / 2;
    state.assets.window.offset = state.assets.window.selected - 10;
    state
}

/// `state` with a generated plan of its whole estate (as after ctrl-g).
fn with_plan(mut state: State) -> State {
    let data = state.data.take().expect("data");
    let shared = Arc::clone(&data.shared);
    drop(data);
    let ctx = shared.plan_context();
    let settings = Settings::new("2026-12-07".parse().expect("date"));
    let plan = schedule::generate(&ctx, settings, "bench".into(), Vec::new()).plan;
    drop(ctx);
    let data = Data::new(shared, Some(plan), None, None);
    let planned = state
        .assets
        .rows
        .iter()
        .position(|&i| data.planned(i as usize).is_some())
        .expect("a planned asset");
    state.data = Some(data);
    state.assets.window.selected = planned;
    state.assets.window.offset = planned;
    state
}

fn bench(c: &mut Criterion) {
    let n: usize = std::env::var("AVMIGRATE_BENCH_ASSETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let state = big_state(n);
    let mut group = c.benchmark_group("tui");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(10));
    let mut terminal = Terminal::new(TestBackend::new(120, 35)).expect("terminal");
    group.bench_function(format!("assets-frame/{n}"), |b| {
        b.iter(|| {
            terminal.draw(|f| view(&state, f)).expect("draw");
        })
    });
    let data = state.data.as_ref().expect("data");
    // The sort order is computed once when the sort changes; keystrokes reuse it.
    let mut cache = jobs::SortCache::default();
    let warm = ViewQuery::snapshot(data, "", &Default::default(), state.assets.sort, false);
    black_box(jobs::refresh_cached(&warm, &mut cache).len());
    for query in ["w", "ws-0001", "kaspersky endpoint"] {
        group.bench_function(format!("filter-keystroke/{n}/{query}"), |b| {
            b.iter(|| {
                let q =
                    ViewQuery::snapshot(data, query, &Default::default(), state.assets.sort, false);
                black_box(jobs::refresh_cached(&q, &mut cache).len())
            })
        });
    }
    group.bench_function(format!("sort-change/{n}"), |b| {
        b.iter(|| black_box(jobs::refresh(&warm).len()))
    });
    // A sort asked for in the app: the worker's cache knows the data, the order is new
    // (each run flips the direction, so none reuses the previous order).
    for column in [Column::Id, Column::Name, Column::Site, Column::Flagged] {
        let mut descending = false;
        group.bench_function(format!("sort-column/{n}/{column:?}"), |b| {
            b.iter(|| {
                descending = !descending;
                let q = ViewQuery::snapshot(data, "", &Default::default(), column, descending);
                black_box(jobs::refresh_cached(&q, &mut cache).len())
            })
        });
    }
    let mut state = with_plan(state);
    // Edits are recorded under a name; without one the edit would only ask for it.
    state.user = "bench".into();
    // The first validation of the plan, run to its end, leaves the validations' copy of it.
    let effects = update(&mut state, Action::TogglePin);
    avmigrate::tui::run_effects(&mut state, effects);
    // An edit while the previous edit's validation still holds the plan it reads.
    let mut validating = Vec::new();
    group.bench_function(format!("edit-while-validating/{n}"), |b| {
        b.iter(|| {
            validating = update(&mut state, Action::TogglePin);
            black_box(validating.len());
        })
    });
    drop(validating);
    // An edit on the UI thread with a whole plan open: apply, re-index, ask for validation.
    group.bench_function(format!("edit-with-plan/{n}"), |b| {
        b.iter(|| {
            black_box(update(&mut state, Action::TogglePin).len());
        })
    });
    drop(state);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("inv100k.csv");
    let inv = generate(&GenOptions {
        assets: 100_000,
        seed: 1,
    });
    std::fs::write(&path, csv_generic::write(&inv)).expect("write");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("open/100k", |b| {
        b.iter(|| {
            let mut s = State::new(Keymap::default_keymap(), ThemeName::Dark, bench_env());
            avmigrate::tui::run_effects(
                &mut s,
                vec![Effect::Load(LoadRequest {
                    source: Source::Inventories(vec![path.clone()]),
                    rules: None,
                    catalog: None,
                    import: Default::default(),
                })],
            );
            assert!(s.data.is_some(), "loaded");
            black_box(s.assets.rows.len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

/// A fixed clock and no per-user files: benchmarks measure the app, not the machine's config.
fn bench_env() -> avmigrate::env::Env {
    avmigrate::env::Env {
        config_dir: None,
        data_dir: None,
        clock: avmigrate::env::Clock::Fixed("2026-11-28T10:00:00Z".parse().expect("time")),
    }
}
