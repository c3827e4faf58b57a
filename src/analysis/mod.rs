//! Dependency graph, reliance (direct / indirect / unaffected), impact and cycles.

pub mod graph;
pub mod reliance;

pub use graph::{DependencyGraph, Edge};
pub use reliance::{Reliance, RelianceMap};

use crate::error::Warning;
use crate::model::Inventory;
use crate::rules::{Finding, RuleSet};

/// Everything known about an inventory with respect to the flagged product.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Flagged software per asset (same order as the inventory).
    pub findings: Vec<Vec<Finding>>,
    /// The resolved dependency graph.
    pub graph: DependencyGraph,
    /// Reliance of each asset and its why-path.
    pub reliance: RelianceMap,
    /// For direct assets: how many assets rely on them, transitively (0 for the others).
    pub impact: Vec<u32>,
    /// Dependency cycles (sorted asset positions).
    pub cycles: Vec<Vec<usize>>,
    /// References to unknown assets and similar problems.
    pub warnings: Vec<Warning>,
}

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
        let findings = rules.scan(inv);
        let direct: Vec<bool> = findings.iter().map(|f| !f.is_empty()).collect();
        let (graph, warnings) = DependencyGraph::build(inv);
        let reliance = RelianceMap::compute(&graph, &direct);
        let impact = reliance::impact(&graph, &direct);
        let cycles = reliance::cycles(&graph);
        Analysis {
            findings,
            graph,
            reliance,
            impact,
            cycles,
            warnings,
        }
    }

    /// Reliance of asset `i`.
    pub fn reliance_of(&self, i: usize) -> Reliance {
        self.reliance.reliance[i]
    }

    /// The shortest path from asset `i` (excluded) to a direct asset (included).
    pub fn why_path(&self, i: usize) -> Vec<usize> {
        self.reliance.why_path(i)
    }

    /// Counts per reliance.
    pub fn totals(&self) -> Totals {
        let mut t = Totals {
            assets: self.reliance.reliance.len(),
            ..Totals::default()
        };
        for r in &self.reliance.reliance {
            match r {
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
