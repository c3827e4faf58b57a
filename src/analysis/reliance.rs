//! Reliance (direct / indirect / unaffected), why-paths, impact and cycles over the graph.

use super::bits::Bits;
use super::graph::DependencyGraph;
use super::scc::Components;
use serde::Serialize;
use std::collections::VecDeque;

/// How an asset relates to the flagged product.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    strum::VariantArray,
    strum::IntoStaticStr,
    strum::Display,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Reliance {
    /// Runs at least one flagged product.
    Direct,
    /// Relies (through dependencies) on an asset that runs one.
    Indirect,
    /// Neither.
    Unaffected,
}

impl crate::model::Named for Reliance {}

/// Reliance of every asset with the next hop, length and end of its shortest why-path.
///
/// Direct assets are one bit each. For indirect ones, positions are stored plus one, so that
/// zero means "none": the tables start as zeroed memory, which the system hands out
/// untouched, and an estate with few indirect assets pays only for the pages they land on.
#[derive(Debug, Clone)]
pub struct RelianceMap {
    len: usize,
    direct: Bits,
    next_hop: Vec<u32>,
    depth: Vec<u32>,
    root: Vec<u32>,
}

impl RelianceMap {
    /// Multi-source breadth-first search from every direct asset against the edge direction:
    /// the first time an asset is reached gives its shortest path to a direct asset.
    pub fn compute(graph: &DependencyGraph, direct: &[bool]) -> RelianceMap {
        let len = graph.len();
        let mut map = RelianceMap {
            len,
            direct: Bits::new(len),
            next_hop: Vec::new(),
            depth: Vec::new(),
            root: Vec::new(),
        };
        for (i, _) in direct.iter().enumerate().filter(|(_, d)| **d) {
            map.direct.set(i, true);
        }
        // Only direct assets something depends on start a path (most have no dependents).
        let mut queue: VecDeque<u32> = (0..len)
            .filter(|&i| direct[i] && !graph.dependents(i).is_empty())
            .map(|i| i as u32)
            .collect();
        if queue.is_empty() {
            return map;
        }
        let (mut next_hop, mut depth, mut root) =
            (vec![0u32; len], vec![0u32; len], vec![0u32; len]);
        while let Some(p) = queue.pop_front() {
            let p = p as usize;
            let (p_root, p_depth) = match map.is_direct(p) {
                true => (p as u32 + 1, 0),
                false => (root[p], depth[p]),
            };
            for e in graph.dependents(p) {
                let d = e.asset as usize;
                if root[d] == 0 && !map.is_direct(d) {
                    next_hop[d] = p as u32 + 1;
                    depth[d] = p_depth + 1;
                    root[d] = p_root;
                    queue.push_back(e.asset);
                }
            }
        }
        (map.next_hop, map.depth, map.root) = (next_hop, depth, root);
        map
    }

    fn is_direct(&self, i: usize) -> bool {
        self.direct.get(i)
    }

    /// Number of assets.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True for an empty inventory.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How asset `i` relates to the flagged product (unaffected past the end).
    pub fn reliance(&self, i: usize) -> Reliance {
        if self.is_direct(i) {
            Reliance::Direct
        } else if self.root.get(i).is_some_and(|&r| r != 0) {
            Reliance::Indirect
        } else {
            Reliance::Unaffected
        }
    }

    /// The first hop of the shortest why-path of an indirect asset.
    pub fn next_hop(&self, i: usize) -> Option<usize> {
        self.next_hop
            .get(i)
            .filter(|&&h| h != 0)
            .map(|&h| h as usize - 1)
    }

    /// Hops from `i` to the direct asset it relies on (0 for direct and unaffected assets).
    pub fn depth(&self, i: usize) -> usize {
        self.depth.get(i).copied().unwrap_or(0) as usize
    }

    /// The direct asset the why-path of an indirect asset ends at (itself for a direct one).
    pub fn root(&self, i: usize) -> Option<usize> {
        if self.is_direct(i) {
            return Some(i);
        }
        self.root
            .get(i)
            .filter(|&&r| r != 0)
            .map(|&r| r as usize - 1)
    }

    /// The shortest path of assets from `i` (excluded) to the direct asset it relies on
    /// (included). Empty for direct and unaffected assets.
    pub fn why_path(&self, i: usize) -> Vec<usize> {
        let mut path = Vec::new();
        let mut cur = self.next_hop(i);
        while let Some(hop) = cur {
            path.push(hop);
            cur = self.next_hop(hop);
        }
        path
    }
}

/// Dependency cycles: strongly connected components with more than one asset, each sorted,
/// the list sorted by first member.
pub fn cycles(comps: &Components) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = comps
        .iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            let mut v: Vec<usize> = c.iter().map(|&i| i as usize).collect();
            v.sort_unstable();
            v
        })
        .collect();
    out.sort_unstable();
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
        assert_eq!(r.reliance(0), Reliance::Indirect);
        assert_eq!(r.reliance(3), Reliance::Direct);
        assert_eq!(r.reliance(4), Reliance::Unaffected);
        assert_eq!(r.why_path(0), vec![3]);
        assert_eq!(r.why_path(1), vec![2, 3]);
        assert_eq!(
            (r.depth(1), r.next_hop(1), r.root(1)),
            (2, Some(2), Some(3))
        );
        assert_eq!((r.depth(3), r.next_hop(3), r.root(3)), (0, None, Some(3)));
        assert_eq!(r.root(4), None);
        assert!(r.why_path(3).is_empty());
        assert!(r.why_path(4).is_empty());
    }

    #[test]
    fn providers_do_not_inherit_reliance_from_dependents() {
        // a (direct) depends on b: b is not affected by a.
        let g = graph("ab", &["a>b"]);
        let r = RelianceMap::compute(&g, &flags(2, &[0]));
        assert_eq!(r.reliance(1), Reliance::Unaffected);
    }

    fn impact(g: &DependencyGraph, wanted: &[bool]) -> Vec<u32> {
        super::super::impact::compute(g, &Components::find(g), wanted).count
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
        assert_eq!(
            cycles(&Components::find(&g)),
            vec![vec![0, 3, 4], vec![1, 2]]
        );
    }
}
