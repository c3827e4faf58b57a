//! The assets table's query: text filter, facets and sort over the shared estate and the plan
//! columns, run on a worker (or inline in tests); a cache keeps the last sort order.

use super::data::{Data, PlanColumns, Shared};
use super::state::{Column, Facets};
use crate::analysis::Reliance;
use std::sync::{Arc, Weak};
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
/// pass over the sorted rows instead of a sort of a million rows. The assets' ranks by id (the
/// tie-break of every sort) are kept too, so a change of sort column does not sort the ids again.
#[derive(Debug, Default)]
pub struct SortCache {
    /// The shared data the cache was made from: a weak reference keeps its address from being
    /// reused by newer data while the cache still names it.
    shared: Weak<Shared>,
    key: Option<(Column, bool, u64)>,
    order: Vec<u32>,
    id_rank: Vec<u32>,
}

/// Filters and sorts the assets, reusing the cached order when the sort is unchanged.
pub fn refresh_cached(q: &ViewQuery, cache: &mut SortCache) -> Vec<u32> {
    if cache.shared.as_ptr() != Arc::as_ptr(&q.shared) {
        *cache = SortCache {
            shared: Arc::downgrade(&q.shared),
            id_rank: id_ranks(&q.shared),
            ..SortCache::default()
        };
    }
    let plan_column = matches!(q.sort, Column::Wave | Column::Product | Column::Status);
    let key = (
        q.sort,
        q.descending,
        if plan_column { q.columns.version } else { 0 },
    );
    if cache.key != Some(key) {
        let mut all: Vec<u32> = (0..q.shared.inventory.len() as u32).collect();
        sort_rows(&mut all, q, &cache.id_rank);
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
    let hits = (!q.query.is_empty()).then(|| s.search.matching(&q.query));
    let keep = |i: u32| {
        let i = i as usize;
        let matches = hits.as_ref().is_none_or(|h| h[i])
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
                .is_none_or(|x| a.site().map(|t| t.as_str()) == Some(x))
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

/// Every asset's rank by id, equal ids sharing one: comparing ranks orders as comparing ids.
fn id_ranks(s: &Shared) -> Vec<u32> {
    let ids: Vec<&str> = s.inventory.assets().iter().map(|a| a.id.as_str()).collect();
    ranks(&ids)
}

/// The rank of every key among all of them, equal keys sharing one: comparing two ranks gives
/// what comparing the two keys does.
fn ranks<K: Ord>(keys: &[K]) -> Vec<u32> {
    let mut by_key: Vec<u32> = (0..keys.len() as u32).collect();
    by_key.sort_unstable_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]));
    let mut rank = vec![0; keys.len()];
    let mut r = 0;
    for (k, &i) in by_key.iter().enumerate() {
        if k > 0 && keys[i as usize] != keys[by_key[k - 1] as usize] {
            r = k as u32;
        }
        rank[i as usize] = r;
    }
    rank
}

/// The rank of every asset by the query's column (all equal for the id column).
fn column_ranks(q: &ViewQuery) -> Vec<u32> {
    let s = &q.shared;
    let inv = s.inventory.assets();
    let n = inv.len();
    let c = &q.columns;
    match q.sort {
        Column::Id => vec![0; n],
        Column::Name => ranks(
            &inv.iter()
                .map(|a| a.display_name().to_lowercase())
                .collect::<Vec<_>>(),
        ),
        Column::Kind => ranks(&inv.iter().map(|a| a.kind).collect::<Vec<_>>()),
        Column::Os => ranks(
            &inv.iter()
                .map(|a| (a.os.family, a.os.version_key()))
                .collect::<Vec<_>>(),
        ),
        Column::Site => ranks(
            &inv.iter()
                .map(|a| a.site().map(|t| t.as_str()))
                .collect::<Vec<_>>(),
        ),
        // Most critical first.
        Column::Criticality => ranks(
            &inv.iter()
                .map(|a| std::cmp::Reverse(a.criticality))
                .collect::<Vec<_>>(),
        ),
        Column::Flagged => ranks(&s.flagged.iter().map(String::as_str).collect::<Vec<_>>()),
        Column::Reliance => ranks(
            &(0..n)
                .map(|i| match s.analysis.reliance_of(i) {
                    Reliance::Direct => 0u8,
                    Reliance::Indirect => 1,
                    Reliance::Unaffected => 2,
                })
                .collect::<Vec<_>>(),
        ),
        Column::Wave => ranks(&c.wave),
        Column::Product => ranks(
            &c.product
                .iter()
                .map(|&p| c.products[p as usize].as_str())
                .collect::<Vec<_>>(),
        ),
        Column::Status => ranks(&c.status),
    }
}

/// Sorts `rows` (ascending asset positions) by the query's column, then id; equal rows keep
/// their order, as a stable sort would. Each asset's column and id ranks are packed into one
/// integer, so the sort compares integers instead of strings.
fn sort_rows(rows: &mut [u32], q: &ViewQuery, id_rank: &[u32]) {
    let column = column_ranks(q);
    let mut keyed: Vec<(u64, u32)> = rows
        .iter()
        .map(|&i| {
            let key = (u64::from(column[i as usize]) << 32) | u64::from(id_rank[i as usize]);
            (if q.descending { !key } else { key }, i)
        })
        .collect();
    keyed.sort_unstable();
    for (row, (_, i)) in rows.iter_mut().zip(keyed) {
        *row = i;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sort as it was first written: a stable sort by the column, then the id.
    fn reference(q: &ViewQuery) -> Vec<u32> {
        let s = &q.shared;
        let inv = s.inventory.assets();
        let id = |i: u32| inv[i as usize].id.as_str();
        let rel = |i: u32| match s.analysis.reliance_of(i as usize) {
            Reliance::Direct => 0,
            Reliance::Indirect => 1,
            Reliance::Unaffected => 2,
        };
        let cmp = |a: u32, b: u32| {
            let (x, y) = (&inv[a as usize], &inv[b as usize]);
            let (i, j) = (a as usize, b as usize);
            let c = &q.columns;
            match q.sort {
                Column::Id => std::cmp::Ordering::Equal,
                Column::Name => x
                    .display_name()
                    .to_lowercase()
                    .cmp(&y.display_name().to_lowercase()),
                Column::Kind => x.kind.cmp(&y.kind),
                Column::Os => {
                    (x.os.family, x.os.version_key()).cmp(&(y.os.family, y.os.version_key()))
                }
                Column::Site => x.site().cmp(&y.site()),
                Column::Criticality => y.criticality.cmp(&x.criticality),
                Column::Flagged => s.flagged[i].cmp(&s.flagged[j]),
                Column::Reliance => rel(a).cmp(&rel(b)),
                Column::Wave => c.wave[i].cmp(&c.wave[j]),
                Column::Product => {
                    c.products[c.product[i] as usize].cmp(&c.products[c.product[j] as usize])
                }
                Column::Status => c.status[i].cmp(&c.status[j]),
            }
        };
        let mut rows: Vec<u32> = (0..inv.len() as u32).collect();
        rows.sort_by(|&a, &b| {
            let o = cmp(a, b).then_with(|| id(a).cmp(id(b)));
            if q.descending { o.reverse() } else { o }
        });
        rows
    }

    #[test]
    fn every_sort_orders_as_the_column_then_the_id() {
        let inv = crate::synthetic::generate(&crate::synthetic::GenOptions {
            assets: 400,
            seed: 3,
        });
        let shared = Arc::new(Shared::build(
            inv,
            crate::rules::RuleSet::builtin(),
            crate::catalog::Catalog::builtin(),
            Vec::new(),
            Vec::new(),
            Default::default(),
            crate::model::Date::from_ymd(2026, 11, 28).expect("date"),
        ));
        let ctx = shared.plan_context();
        let settings =
            crate::plan::Settings::new(crate::model::Date::from_ymd(2026, 12, 7).expect("date"));
        let plan = crate::plan::schedule::generate(&ctx, settings, "t".into(), Vec::new()).plan;
        drop(ctx);
        let data = super::super::data::Data::new(Arc::clone(&shared), Some(plan), None, None);
        let mut cache = SortCache::default();
        for &column in Column::VARIANTS {
            for descending in [false, true] {
                let q = ViewQuery::snapshot(&data, "", &Facets::default(), column, descending);
                assert_eq!(
                    refresh_cached(&q, &mut cache),
                    reference(&q),
                    "{column:?} {descending}"
                );
                let q = ViewQuery::snapshot(&data, "WS", &Facets::default(), column, descending);
                let all = reference(&q);
                let want: Vec<u32> = all
                    .into_iter()
                    .filter(|&i| shared.search.of(i as usize).contains("ws"))
                    .collect();
                assert_eq!(
                    refresh_cached(&q, &mut cache),
                    want,
                    "{column:?} {descending} ws"
                );
            }
        }
    }

    #[test]
    fn ranks_order_as_ids_and_share_equal_ids() {
        let inv = crate::model::Inventory::from_assets(
            ["b", "a", "c", "a"].map(crate::model::Asset::new),
        );
        let ids: Vec<&str> = inv.assets().iter().map(|a| a.id.as_str()).collect();
        let s = Shared::build(
            inv.clone(),
            crate::rules::RuleSet::builtin(),
            crate::catalog::Catalog::builtin(),
            Vec::new(),
            Vec::new(),
            Default::default(),
            crate::model::Date::from_ymd(2026, 11, 28).expect("date"),
        );
        let rank = id_ranks(&s);
        for a in 0..ids.len() {
            for b in 0..ids.len() {
                assert_eq!(rank[a].cmp(&rank[b]), ids[a].cmp(ids[b]), "{a} {b}");
            }
        }
    }
}
