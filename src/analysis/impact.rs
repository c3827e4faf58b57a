//! Impact: how many assets rely on an asset, directly or transitively, in near-linear time.
//!
//! The graph is condensed into its strongly connected components (a cycle counts once). One
//! pass over the condensation gives, per component, a lower bound (its largest dependent's
//! reach) and an upper bound (the sum of its dependents' reaches); both are exact where the
//! dependents form a tree. Components where they differ get exact counts by propagating
//! 64-wide bitsets over the condensation, largest upper bound first, while a work budget lasts.

use super::graph::DependencyGraph;
use super::scc::Components;

/// Work (component visits, edge visits and counted bits) allowed for exact counting beyond
/// the bounds pass (at least four passes over the graph): about a tenth of a second.
const BUDGET: u64 = 150_000_000;

/// Per asset: how many other assets rely on it, as an interval `[count, upper]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Impact {
    /// Exact count, or a lower bound where `upper` is larger.
    pub count: Vec<u32>,
    /// Upper bound (equal to `count` when the count is exact).
    pub upper: Vec<u32>,
}

impl Impact {
    /// No asset relied on by any (`n` zeros, not touched until read).
    pub fn none(n: usize) -> Impact {
        Impact {
            count: vec![0; n],
            upper: vec![0; n],
        }
    }
}

/// Computes the impact of every asset with `wanted[i]` (0 for the others).
pub fn compute(graph: &DependencyGraph, comps: &Components, wanted: &[bool]) -> Impact {
    let size = (comps.len() + graph.edge_count()) as u64;
    compute_within(graph, comps, wanted, BUDGET.max(4 * size))
}

/// [`compute`] with an explicit budget for the exact counting.
fn compute_within(
    graph: &DependencyGraph,
    comps: &Components,
    wanted: &[bool],
    mut budget: u64,
) -> Impact {
    let n = graph.len();
    let cn = comps.len();
    // Components from `inner` on are single assets nobody depends on: a reach of one (the
    // asset itself), kept in no table.
    let inner = comps.inner();
    if !wanted.contains(&true) {
        return Impact::none(n);
    }
    // Condensed dependents edges (deduplicated per component) in compressed form.
    let mut dep_start = Vec::with_capacity(inner + 1);
    let mut dep_edges: Vec<u32> = Vec::new();
    dep_start.push(0u32);
    for c in 0..inner {
        let first = dep_edges.len();
        for &m in comps.members(c) {
            for e in graph.dependents(m as usize) {
                let d = comps.comp_of[e.asset as usize];
                if d as usize != c {
                    dep_edges.push(d);
                }
            }
        }
        let mine = &mut dep_edges[first..];
        if mine.len() > 1 {
            mine.sort_unstable();
            let mut kept = 1;
            for k in 1..mine.len() {
                if mine[k] != mine[kept - 1] {
                    mine[kept] = mine[k];
                    kept += 1;
                }
            }
            dep_edges.truncate(first + kept);
        }
        dep_start.push(dep_edges.len() as u32);
    }
    let deps = |c: usize| match c < inner {
        true => &dep_edges[dep_start[c] as usize..dep_start[c + 1] as usize],
        false => &[],
    };
    // Dependents come later in the order: walk backwards so theirs are known first.
    let mut lo = vec![0u32; inner];
    let mut hi = vec![0u32; inner];
    let reach_of = |table: &[u32], d: u32| table.get(d as usize).map_or(1, |&r| r as u64);
    for c in (0..inner).rev() {
        let size = comps.members(c).len() as u64;
        let (mut l, mut h) = (0u64, 0u64);
        for &d in deps(c) {
            l = l.max(reach_of(&lo, d));
            h += reach_of(&hi, d);
        }
        lo[c] = (size + l) as u32;
        hi[c] = (size + h).min(n as u64) as u32;
    }
    let mut wanted_comp = vec![false; inner];
    for (i, _) in wanted.iter().enumerate().filter(|(_, w)| **w) {
        if let Some(w) = wanted_comp.get_mut(comps.comp_of[i] as usize) {
            *w = true;
        }
    }
    let mut open: Vec<u32> = (0..inner as u32)
        .filter(|&c| wanted_comp[c as usize] && lo[c as usize] != hi[c as usize])
        .collect();
    open.sort_unstable_by_key(|&c| (std::cmp::Reverse(hi[c as usize]), c));
    let mut mask = if open.is_empty() {
        Vec::new()
    } else {
        vec![0u64; cn]
    };
    for batch in open.chunks(64) {
        let first = batch.iter().copied().min().unwrap_or(0) as usize;
        if budget < (cn - first + dep_edges.len()) as u64 {
            break;
        }
        for (bit, &c) in batch.iter().enumerate() {
            mask[c as usize] |= 1 << bit;
        }
        let mut reach = [0u64; 64];
        let mut work = 0u64;
        for c in first..cn {
            let m = mask[c];
            if m == 0 {
                continue;
            }
            mask[c] = 0;
            let size = comps.members(c).len() as u64;
            let mut bits = m;
            while bits != 0 {
                reach[bits.trailing_zeros() as usize] += size;
                bits &= bits - 1;
            }
            let ds = deps(c);
            for &d in ds {
                mask[d as usize] |= m;
            }
            work += 1 + ds.len() as u64 + m.count_ones() as u64;
        }
        budget = budget.saturating_sub(work + (cn - first) as u64);
        for (bit, &c) in batch.iter().enumerate() {
            lo[c as usize] = reach[bit] as u32;
            hi[c as usize] = reach[bit] as u32;
        }
    }
    let mut out = Impact::none(n);
    for (i, _) in wanted.iter().enumerate().filter(|(_, w)| **w) {
        // The reach includes the asset itself; zeros are left unwritten (untouched memory).
        let c = comps.comp_of[i] as usize;
        if let (Some(&l), Some(&h)) = (lo.get(c), hi.get(c))
            && h > 1
        {
            out.count[i] = l - 1;
            out.upper[i] = h - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Asset, Inventory, Relation, RelationKind};

    fn graph(n: usize, edges: &[(usize, usize)]) -> DependencyGraph {
        let mut assets: Vec<Asset> = (0..n).map(|i| Asset::new(format!("a{i}"))).collect();
        for &(from, to) in edges {
            assets[from]
                .depends_on
                .push(Relation::new(format!("a{to}"), RelationKind::Uses));
        }
        DependencyGraph::build(&Inventory::from_assets(assets)).0
    }

    /// One reverse search per asset: the reference the fast count must agree with.
    fn naive(g: &DependencyGraph, i: usize) -> u32 {
        let mut seen = vec![false; g.len()];
        let mut stack = vec![i];
        seen[i] = true;
        let mut count = 0;
        while let Some(c) = stack.pop() {
            for e in g.dependents(c) {
                if !seen[e.asset as usize] {
                    seen[e.asset as usize] = true;
                    count += 1;
                    stack.push(e.asset as usize);
                }
            }
        }
        count
    }

    #[test]
    fn diamonds_and_cycles_are_counted_once_and_exactly() {
        // 1>0, 2>0, 3>1, 3>2 (diamond), 4>3, 5>4, 4>5 (cycle), 6>0.
        let edges = [
            (1, 0),
            (2, 0),
            (3, 1),
            (3, 2),
            (4, 3),
            (5, 4),
            (4, 5),
            (6, 0),
        ];
        let g = graph(7, &edges);
        let comps = Components::find(&g);
        let imp = compute(&g, &comps, &[true; 7]);
        for i in 0..7 {
            assert_eq!(imp.count[i], naive(&g, i), "asset {i}");
            assert_eq!(imp.upper[i], imp.count[i], "asset {i}");
        }
        assert_eq!(imp.count[0], 6);
        assert_eq!(imp.count[4], 1);
    }

    #[test]
    fn pseudo_random_dags_match_the_naive_count() {
        let mut x = 12345u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for round in 0..20 {
            let n = 30 + round * 7;
            let edges: Vec<(usize, usize)> = (0..n * 2)
                .map(|_| {
                    let a = (next() % n as u64) as usize;
                    let b = (next() % n as u64) as usize;
                    (a, b)
                })
                .filter(|(a, b)| a != b)
                .collect();
            let g = graph(n, &edges);
            let comps = Components::find(&g);
            let wanted: Vec<bool> = (0..n).map(|i| i % 3 != 1).collect();
            let imp = compute(&g, &comps, &wanted);
            let bounds = compute_within(&g, &comps, &wanted, 0);
            for (i, &w) in wanted.iter().enumerate() {
                let want = if w { naive(&g, i) } else { 0 };
                assert!(
                    bounds.count[i] <= want && want <= bounds.upper[i],
                    "asset {i}"
                );
                assert_eq!(imp.count[i], want, "round {round} asset {i}");
                assert_eq!(imp.upper[i], want, "round {round} asset {i}");
            }
        }
    }
}
