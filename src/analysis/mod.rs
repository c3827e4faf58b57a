//! Dependency graph, reliance (direct / indirect / unaffected), impact and cycles.

mod bits;
pub mod graph;
pub mod impact;
pub mod reliance;
pub mod scc;

pub use graph::{DependencyGraph, Edge};
pub use reliance::{Reliance, RelianceMap};
pub use scc::Components;

use crate::error::Warning;
use crate::model::Inventory;
use crate::rules::{Findings, RuleSet};

/// Everything known about an inventory with respect to the flagged product.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Flagged software per asset (same order as the inventory).
    pub findings: Findings,
    /// The resolved dependency graph.
    pub graph: DependencyGraph,
    /// Reliance of each asset and its why-path.
    pub reliance: RelianceMap,
    /// For direct assets: how many assets rely on them, transitively (0 for the others); a
    /// lower bound where `impact_upper` is larger (see the `impact` module).
    pub impact: Vec<u32>,
    /// Upper bound of `impact` (equal where the count is exact).
    pub impact_upper: Vec<u32>,
    /// Dependency cycles (sorted asset positions).
    pub cycles: Vec<Vec<usize>>,
    /// References to unknown assets and similar problems.
    pub warnings: Vec<Warning>,
}

/// Inventories with fewer assets are analysed on one thread: a second one would save less
/// than it costs to start.
const PARALLEL_FROM: usize = 20_000;

/// Why-paths up to this many hops are shown whole (in JSON `via`, text and the app).
pub const WHY_SHOWN: usize = 8;

/// Counts of assets per reliance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// All assets.
    pub assets: usize,
    /// Running a flagged product.
    pub direct: usize,
    /// Relying on a direct asset.
    pub indirect: usize,
    /// Neither.
    pub unaffected: usize,
}

impl Analysis {
    /// Matches the rules, builds the graph and computes reliance, impact and cycles.
    pub fn run(inv: &Inventory, rules: &RuleSet) -> Analysis {
        let (findings, (graph, warnings)) = if inv.len() < PARALLEL_FROM {
            (rules.scan(inv), DependencyGraph::build(inv))
        } else {
            // Matching and resolving relations need only the inventory: two cores, half the time.
            std::thread::scope(|scope| {
                let graph = scope.spawn(|| DependencyGraph::build(inv));
                let findings = rules.scan(inv);
                let graph = graph
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e));
                (findings, graph)
            })
        };
        let direct: Vec<bool> = findings.iter().map(|f| !f.is_empty()).collect();
        let reliance = RelianceMap::compute(&graph, &direct);
        // Most inventories state no relation at all: then every asset is a component of its
        // own, nobody relies on anybody, and the components (12 bytes per asset) are not
        // worth finding.
        let (impact, cycles) = if graph.edge_count() == 0 {
            (impact::Impact::none(graph.len()), Vec::new())
        } else {
            let comps = Components::find(&graph);
            (
                impact::compute(&graph, &comps, &direct),
                reliance::cycles(&comps),
            )
        };
        Analysis {
            findings,
            graph,
            reliance,
            impact: impact.count,
            impact_upper: impact.upper,
            cycles,
            warnings,
        }
    }

    /// Reliance of asset `i`.
    pub fn reliance_of(&self, i: usize) -> Reliance {
        self.reliance.reliance(i)
    }

    /// The shortest path from asset `i` (excluded) to a direct asset (included).
    pub fn why_path(&self, i: usize) -> Vec<usize> {
        self.reliance.why_path(i)
    }

    /// The impact of asset `i` as text: the count, or `≥ N` where only a bound is known.
    pub fn impact_label(&self, i: usize) -> String {
        match (self.impact.get(i), self.impact_upper.get(i)) {
            (Some(lo), Some(hi)) if hi > lo => format!("≥ {lo}"),
            (Some(lo), _) => lo.to_string(),
            _ => "0".to_string(),
        }
    }

    /// The why-path of asset `i` as `i → … → root` with ids from `id`: whole up to
    /// [`WHY_SHOWN`] hops, beyond that the first hops, the hop count and the end.
    pub fn why_text<'a>(&self, i: usize, id: impl Fn(usize) -> &'a str) -> Option<String> {
        let root = self.reliance.root(i).filter(|&r| r != i)?;
        let depth = self.reliance.depth(i);
        let mut parts = vec![id(i).to_string()];
        let mut cur = i;
        let shown = if depth <= WHY_SHOWN { depth } else { 3 };
        for _ in 0..shown {
            cur = self.reliance.next_hop(cur)?;
            parts.push(id(cur).to_string());
        }
        if depth > WHY_SHOWN {
            parts.push(format!("… ({depth} hops)"));
            parts.push(id(root).to_string());
        }
        Some(parts.join(" → "))
    }

    /// Counts per reliance.
    pub fn totals(&self) -> Totals {
        let mut t = Totals {
            assets: self.reliance.len(),
            ..Totals::default()
        };
        for i in 0..self.reliance.len() {
            match self.reliance.reliance(i) {
                Reliance::Direct => t.direct += 1,
                Reliance::Indirect => t.indirect += 1,
                Reliance::Unaffected => t.unaffected += 1,
            }
        }
        t
    }

    /// Direct assets with the most assets relying on them, largest first (ties by position).
    pub fn top_providers(&self, limit: usize) -> Vec<(usize, u32)> {
        let mut v: Vec<(usize, u32)> = self
            .impact
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| (i, *n))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(limit);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::shapes;

    /// Runs `f` on a thread with a 256 KiB stack: any recursion per asset would overflow it.
    fn small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(f)
            .expect("thread")
            .join()
            .expect("no stack overflow")
    }

    #[test]
    fn a_deep_chain_and_ring_are_analysed_without_recursion() {
        // 1,000,000 in an optimised build; an unoptimised one proves the same at a fifth.
        let n = if cfg!(debug_assertions) {
            200_000
        } else {
            1_000_000
        };
        for ring in [false, true] {
            let (totals, impact, cycles, depth) = small_stack(move || {
                let inv = shapes::chain(n, ring);
                let a = Analysis::run(&inv, &RuleSet::builtin());
                let depth = a.reliance.depth(0);
                (a.totals(), a.impact[n - 1], a.cycles.len(), depth)
            });
            assert_eq!((totals.direct, totals.indirect), (1, n - 1));
            assert_eq!(impact as usize, n - 1);
            assert_eq!(cycles, usize::from(ring));
            assert_eq!(depth, n - 1);
        }
    }

    #[test]
    fn a_flagged_cycle_counts_everyone_else() {
        let a = Analysis::run(&shapes::flagged_cycle(500), &RuleSet::builtin());
        assert!(a.impact.iter().all(|&n| n == 499));
        assert_eq!(a.impact, a.impact_upper);
        assert_eq!(a.impact_label(3), "499");
    }

    #[test]
    fn why_text_is_whole_up_to_the_bound_and_abbreviated_beyond() {
        let inv = shapes::chain(20, false);
        let a = Analysis::run(&inv, &RuleSet::builtin());
        let id = |j: usize| inv.assets()[j].id.as_str();
        assert_eq!(
            a.why_text(11, id).unwrap(),
            "a11 → a12 → a13 → a14 → a15 → a16 → a17 → a18 → a19"
        );
        assert_eq!(
            a.why_text(0, id).unwrap(),
            "a0 → a1 → a2 → a3 → … (19 hops) → a19"
        );
        assert_eq!(a.why_text(19, id), None);
    }
}
