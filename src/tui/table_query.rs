//! The assets table's query: text filter, facets and sort over the shared estate and the plan
//! columns, run on a worker (or inline in tests); a cache keeps the last sort order.

use super::data::{Data, PlanColumns, Shared};
use super::state::{Column, Facets};
use crate::analysis::Reliance;
use std::cmp::Ordering;
use std::sync::Arc;
use strum::VariantArray;

/// The filter, facets and sort of the assets table, with the plan columns it reads.
#[derive(Debug, Clone)]
pub struct ViewQuery {
    /// Shared data.
    pub shared: Arc<Shared>,
    /// Plan columns (wave, status, product per asset).
    pub columns: Arc<PlanColumns>,
    /// Text filter (lower-cased substring).
    pub query: String,
    /// Facets.
    pub facets: Facets,
    /// Sort column.
    pub sort: Column,
    /// Descending.
    pub descending: bool,
}

impl ViewQuery {
    /// A query over a workspace.
    pub fn snapshot(
        data: &Data,
        query: &str,
        facets: &Facets,
        sort: Column,
        descending: bool,
    ) -> ViewQuery {
        ViewQuery {
            shared: Arc::clone(&data.shared),
            columns: Arc::clone(&data.columns),
            query: query.to_lowercase(),
            facets: facets.clone(),
            sort,
            descending,
        }
    }
}

/// The last full sort order, reused while only the filter changes: a keystroke then costs one
/// pass over the sorted rows instead of a sort of a million rows.
#[derive(Debug, Default)]
pub struct SortCache {
    key: Option<(usize, Column, bool, u64)>,
    order: Vec<u32>,
}

/// Filters and sorts the assets, reusing the cached order when the sort is unchanged.
pub fn refresh_cached(q: &ViewQuery, cache: &mut SortCache) -> Vec<u32> {
    let plan_column = matches!(q.sort, Column::Wave | Column::Product | Column::Status);
    let key = (
        Arc::as_ptr(&q.shared) as usize,
        q.sort,
        q.descending,
        if plan_column { q.columns.version } else { 0 },
    );
    if cache.key != Some(key) {
        let mut all: Vec<u32> = (0..q.shared.inventory.len() as u32).collect();
        sort_rows(&mut all, q);
        cache.order = all;
        cache.key = Some(key);
    }
    filter_rows(q, &cache.order)
}

/// Filters and sorts the assets: the visible rows.
pub fn refresh(q: &ViewQuery) -> Vec<u32> {
    refresh_cached(q, &mut SortCache::default())
}

/// The rows of `order` that pass the filter, in that order.
fn filter_rows(q: &ViewQuery, order: &[u32]) -> Vec<u32> {
    let s = &q.shared;
    let inv = s.inventory.assets();
    let f = &q.facets;
    let wave_pos = f.wave.as_deref().map(|w| {
        if w == "-" {
            u16::MAX
        } else {
            q.columns
                .wave_ids
                .iter()
                .position(|x| x == w)
                .map(|p| p as u16)
                .unwrap_or(u16::MAX - 2)
        }
    });
    let status_pos = f.status.map(|st| {
        crate::plan::Status::VARIANTS
            .iter()
            .position(|s| *s == st)
            .unwrap_or(0) as u8
    });
    let needs_asset = f.kind.is_some() || f.site.is_some() || f.tag.is_some();
    let keep = |i: u32| {
        let i = i as usize;
        let matches = (q.query.is_empty() || s.search.of(i).contains(&q.query))
            && f.reliance.is_none_or(|r| s.analysis.reliance_of(i) == r)
            && wave_pos.is_none_or(|w| q.columns.wave[i] == w)
            && status_pos.is_none_or(|st| q.columns.status[i] == st);
        if !matches {
            return false;
        }
        if !needs_asset {
            return true;
        }
        let a = &inv[i];
        f.kind.is_none_or(|k| a.kind == k)
            && f.site
                .as_deref()
                .is_none_or(|x| a.site.as_deref() == Some(x))
            && f.tag.as_deref().is_none_or(|t| a.has_tag(t))
    };
    if order.len() < 200_000 {
        return order.iter().copied().filter(|&i| keep(i)).collect();
    }
    // Large tables: two halves in parallel (the machine this was sized for has two cores).
    let (left, right) = order.split_at(order.len() / 2);
    let (mut a, b) = std::thread::scope(|scope| {
        let other = scope.spawn(|| {
            right
                .iter()
                .copied()
                .filter(|&i| keep(i))
                .collect::<Vec<u32>>()
        });
        let mine: Vec<u32> = left.iter().copied().filter(|&i| keep(i)).collect();
        (mine, other.join().unwrap_or_default())
    });
    a.extend(b);
    a
}

fn sort_rows(rows: &mut [u32], q: &ViewQuery) {
    let s = &q.shared;
    let inv = s.inventory.assets();
    let id = |i: u32| inv[i as usize].id.as_str();
    let reliance_rank = |i: u32| match s.analysis.reliance_of(i as usize) {
        Reliance::Direct => 0,
        Reliance::Indirect => 1,
        Reliance::Unaffected => 2,
    };
    let cmp: Box<dyn Fn(u32, u32) -> Ordering + Sync> = match q.sort {
        Column::Id => Box::new(|a, b| id(a).cmp(id(b))),
        Column::Name => Box::new(|a, b| {
            inv[a as usize]
                .display_name()
                .to_lowercase()
                .cmp(&inv[b as usize].display_name().to_lowercase())
        }),
        Column::Kind => Box::new(|a, b| inv[a as usize].kind.cmp(&inv[b as usize].kind)),
        Column::Os => Box::new(|a, b| {
            let (x, y) = (&inv[a as usize].os, &inv[b as usize].os);
            (x.family, x.version_key()).cmp(&(y.family, y.version_key()))
        }),
        Column::Site => Box::new(|a, b| inv[a as usize].site.cmp(&inv[b as usize].site)),
        Column::Criticality => Box::new(|a, b| {
            inv[b as usize]
                .criticality
                .cmp(&inv[a as usize].criticality)
        }),
        Column::Flagged => Box::new(|a, b| s.flagged[a as usize].cmp(&s.flagged[b as usize])),
        Column::Reliance => Box::new(move |a, b| reliance_rank(a).cmp(&reliance_rank(b))),
        Column::Wave => {
            Box::new(|a, b| q.columns.wave[a as usize].cmp(&q.columns.wave[b as usize]))
        }
        Column::Product => Box::new(|a, b| {
            q.columns.products[q.columns.product[a as usize] as usize]
                .cmp(&q.columns.products[q.columns.product[b as usize] as usize])
        }),
        Column::Status => {
            Box::new(|a, b| q.columns.status[a as usize].cmp(&q.columns.status[b as usize]))
        }
    };
    rows.sort_by(|&a, &b| {
        let o = cmp(a, b).then_with(|| id(a).cmp(id(b)));
        if q.descending { o.reverse() } else { o }
    });
}
