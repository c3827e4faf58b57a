//! Reliance (direct / indirect / unaffected), why-paths, impact and cycles over the graph.

use super::graph::DependencyGraph;
use petgraph::algo::tarjan_scc;
use serde::Serialize;
use std::collections::VecDeque;

/// How an asset relates to the flagged product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reliance {
    /// Runs at least one flagged product.
    Direct,
    /// Relies (through dependencies) on an asset that runs one.
    Indirect,
    /// Neither.
    Unaffected,
}

impl Reliance {
    /// Every value, in display order.
    pub const ALL: [Reliance; 3] = [Reliance::Direct, Reliance::Indirect, Reliance::Unaffected];

    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Reliance::Direct => "direct",
            Reliance::Indirect => "indirect",
            Reliance::Unaffected => "unaffected",
        }
    }
}

const NONE: u32 = u32::MAX;

/// Reliance of every asset with the next hop of its shortest why-path.
#[derive(Debug, Clone)]
pub struct RelianceMap {
    /// Per asset.
    pub reliance: Vec<Reliance>,
    next_hop: Vec<u32>,
}

impl RelianceMap {
    /// Multi-source breadth-first search from every direct asset against the edge direction:
    /// the first time an asset is reached gives its shortest path to a direct asset.
    pub fn compute(graph: &DependencyGraph, direct: &[bool]) -> RelianceMap {
        let n = graph.len();
        let mut reliance = vec![Reliance::Unaffected; n];
        let mut next_hop = vec![NONE; n];
        let mut queue = VecDeque::new();
        for (i, &d) in direct.iter().enumerate() {
            if d {
                reliance[i] = Reliance::Direct;
                queue.push_back(i as u32);
            }
        }
        while let Some(p) = queue.pop_front() {
            for e in graph.dependents(p as usize) {
                let d = e.asset as usize;
                if reliance[d] == Reliance::Unaffected {
                    reliance[d] = Reliance::Indirect;
                    next_hop[d] = p;
                    queue.push_back(e.asset);
                }
            }
        }
        RelianceMap { reliance, next_hop }
    }

    /// The shortest path of assets from `i` (excluded) to the direct asset it relies on
    /// (included). Empty for direct and unaffected assets.
    pub fn why_path(&self, i: usize) -> Vec<usize> {
        let mut path = Vec::new();
        let mut cur = self.next_hop.get(i).copied().unwrap_or(NONE);
        while cur != NONE {
            path.push(cur as usize);
            if self.reliance[cur as usize] == Reliance::Direct {
                break;
            }
            cur = self.next_hop[cur as usize];
        }
        path
    }
}

/// For each asset with `wanted[i]`, how many other assets depend on it, directly or through
/// others. One reverse breadth-first search per wanted asset with a reused visit stamp.
pub fn impact(graph: &DependencyGraph, wanted: &[bool]) -> Vec<u32> {
    let n = graph.len();
    let mut out = vec![0u32; n];
    let mut stamp = vec![0u32; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut generation = 0u32;
    for (root, _) in wanted.iter().enumerate().filter(|(_, w)| **w) {
        if graph.dependents(root).is_empty() {
            continue;
        }
        generation += 1;
        stamp[root] = generation;
        stack.push(root as u32);
        let mut count = 0u32;
        while let Some(cur) = stack.pop() {
            for e in graph.dependents(cur as usize) {
                let d = e.asset as usize;
                if stamp[d] != generation {
                    stamp[d] = generation;
                    count += 1;
                    stack.push(e.asset);
                }
            }
        }
        out[root] = count;
    }
    out
}

/// Dependency cycles: strongly connected components with more than one asset, each sorted,
/// the list sorted by first member.
pub fn cycles(graph: &DependencyGraph) -> Vec<Vec<usize>> {
    let g = graph.to_petgraph();
    let mut out: Vec<Vec<usize>> = tarjan_scc(&g)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            let mut v: Vec<usize> = c.into_iter().map(|n| n.index()).collect();
            v.sort_unstable();
            v
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Asset, Inventory, Relation, RelationKind};

    /// Builds a graph from "a>b" edges (a depends on b) over single-letter ids.
    fn graph(ids: &str, edges: &[&str]) -> DependencyGraph {
        let mut assets: Vec<Asset> = ids.chars().map(|c| Asset::new(c.to_string())).collect();
        for e in edges {
            let (from, to) = e.split_once('>').unwrap();
            let a = assets.iter_mut().find(|a| a.id == from).unwrap();
            a.depends_on.push(Relation::new(to, RelationKind::Uses));
        }
        DependencyGraph::build(&Inventory::from_assets(assets)).0
    }

    fn flags(n: usize, set: &[usize]) -> Vec<bool> {
        (0..n).map(|i| set.contains(&i)).collect()
    }

    #[test]
    fn reliance_and_shortest_why_path() {
        // a>b>c>d, a>d ; d direct: a's shortest path is a→d.
        let g = graph("abcde", &["a>b", "b>c", "c>d", "a>d"]);
        let r = RelianceMap::compute(&g, &flags(5, &[3]));
        assert_eq!(r.reliance[0], Reliance::Indirect);
        assert_eq!(r.reliance[3], Reliance::Direct);
        assert_eq!(r.reliance[4], Reliance::Unaffected);
        assert_eq!(r.why_path(0), vec![3]);
        assert_eq!(r.why_path(1), vec![2, 3]);
        assert!(r.why_path(3).is_empty());
        assert!(r.why_path(4).is_empty());
    }

    #[test]
    fn providers_do_not_inherit_reliance_from_dependents() {
        // a (direct) depends on b: b is not affected by a.
        let g = graph("ab", &["a>b"]);
        let r = RelianceMap::compute(&g, &flags(2, &[0]));
        assert_eq!(r.reliance[1], Reliance::Unaffected);
    }

    #[test]
    fn impact_counts_transitive_dependents_once() {
        // a>c, b>c, c>d, a>d : d has 3 dependents (a, b, c), c has 2.
        let g = graph("abcd", &["a>c", "b>c", "c>d", "a>d"]);
        let imp = impact(&g, &flags(4, &[2, 3]));
        assert_eq!(imp[3], 3);
        assert_eq!(imp[2], 2);
        assert_eq!(imp[0], 0);
    }

    #[test]
    fn impact_in_a_cycle_excludes_itself() {
        let g = graph("abc", &["a>b", "b>a", "c>a"]);
        let imp = impact(&g, &flags(3, &[0]));
        assert_eq!(imp[0], 2);
    }

    #[test]
    fn cycles_are_found_and_sorted() {
        let g = graph("abcde", &["b>c", "c>b", "d>e", "e>a", "a>d", "a>b"]);
        assert_eq!(cycles(&g), vec![vec![0, 3, 4], vec![1, 2]]);
    }
}
