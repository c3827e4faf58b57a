//! Strongly connected components of the dependency graph, found without recursion so that a
//! dependency chain of any length fits in a small stack.

use super::bits::Bits;
use super::graph::DependencyGraph;

/// The strongly connected components in reverse topological order: a component comes after
/// every component it depends on (providers first).
///
/// Assets nobody depends on ("leaves": most workstations) are components of their own, put
/// last, and cost one number each; only the others are searched.
#[derive(Debug, Clone, Default)]
pub struct Components {
    /// Component of each asset.
    pub comp_of: Vec<u32>,
    /// Where each component of the searched assets starts in `members` (one more entry).
    start: Vec<u32>,
    members: Vec<u32>,
    /// The assets nobody depends on, in order: component `inner() + k` is `leaves[k]`.
    leaves: Vec<u32>,
}

impl Components {
    /// Pearce's variant of Tarjan's algorithm over the provider edges, without recursion:
    /// O(assets + relations) time, and one number per asset (its visit rank, then its
    /// component) where Tarjan keeps three.
    ///
    /// A finished component is numbered down from `n - 1`, above every rank still in use, so
    /// that an edge into it never lowers a rank; the numbers are turned round at the end.
    pub fn find(graph: &DependencyGraph) -> Components {
        let n = graph.len();
        // A provider is depended on: every provider edge leads to a searched asset.
        let is_leaf = |v: usize| graph.dependents(v).is_empty();
        let searched = (0..n).filter(|&v| !is_leaf(v)).count();
        let mut rank = vec![0u32; n];
        // Whether each open asset may still be its component's root.
        let mut root = Bits::new(n);
        // Visited assets whose component is not finished yet, and the explicit call stack:
        // (asset, position of the next provider edge to look at).
        let mut open: Vec<u32> = Vec::new();
        let mut call: Vec<(u32, u32)> = Vec::new();
        let mut start = vec![0u32];
        let mut members = Vec::with_capacity(searched);
        let mut next_rank = 1u32;
        let mut next_comp = searched as u32;
        for s in 0..n {
            if rank[s] != 0 || is_leaf(s) {
                continue;
            }
            rank[s] = next_rank;
            next_rank += 1;
            root.set(s, true);
            call.push((s as u32, 0));
            while let Some(top) = call.last_mut() {
                let v = top.0 as usize;
                if let Some(e) = graph.providers(v).get(top.1 as usize) {
                    top.1 += 1;
                    let w = e.asset as usize;
                    if rank[w] == 0 {
                        rank[w] = next_rank;
                        next_rank += 1;
                        root.set(w, true);
                        call.push((w as u32, 0));
                    } else if rank[w] < rank[v] {
                        rank[v] = rank[w];
                        root.set(v, false);
                    }
                    continue;
                }
                call.pop();
                if root.get(v) {
                    next_comp -= 1;
                    next_rank -= 1;
                    while let Some(&w) = open.last() {
                        if rank[w as usize] < rank[v] {
                            break;
                        }
                        open.pop();
                        rank[w as usize] = next_comp;
                        members.push(w);
                        next_rank -= 1;
                    }
                    rank[v] = next_comp;
                    members.push(v as u32);
                    start.push(members.len() as u32);
                } else {
                    open.push(v as u32);
                }
                if let Some(&(p, _)) = call.last() {
                    let p = p as usize;
                    if rank[v] < rank[p] {
                        rank[p] = rank[v];
                        root.set(p, false);
                    }
                }
            }
        }
        drop(root);
        // Numbered down from `searched - 1` in the order they finished: count up instead,
        // then number the leaves after them.
        let inner = (start.len() - 1) as u32;
        let last = (searched as u32).saturating_sub(1);
        let mut leaves = Vec::with_capacity(n - searched);
        for (v, c) in rank.iter_mut().enumerate() {
            if is_leaf(v) {
                *c = inner + leaves.len() as u32;
                leaves.push(v as u32);
            } else {
                *c = last - *c;
            }
        }
        Components {
            comp_of: rank,
            start,
            members,
            leaves,
        }
    }

    /// Number of components.
    pub fn len(&self) -> usize {
        self.inner() + self.leaves.len()
    }

    /// Number of components of assets something depends on: they come first, numbered
    /// `0..inner()`; each later one is a single asset nobody depends on.
    pub fn inner(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// True when there is no component (an empty graph).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The assets of component `c` (in no particular order).
    pub fn members(&self, c: usize) -> &[u32] {
        match c.checked_sub(self.inner()) {
            None => &self.members[self.start[c] as usize..self.start[c + 1] as usize],
            Some(k) => std::slice::from_ref(&self.leaves[k]),
        }
    }

    /// Every component's members, in reverse topological order.
    pub fn iter(&self) -> impl Iterator<Item = &[u32]> {
        (0..self.len()).map(|c| self.members(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn chain(n: usize, ring: bool) -> DependencyGraph {
        DependencyGraph::build(&crate::synthetic::shapes::chain(n, ring)).0
    }

    #[test]
    fn chain_components_are_singletons_providers_first() {
        let c = Components::find(&chain(5, false));
        assert_eq!(c.len(), 5);
        // a4 is everyone's provider: it comes first.
        assert_eq!(c.members(0), &[4]);
        assert_eq!(c.members(4), &[0]);
    }

    #[test]
    fn assets_nobody_depends_on_come_last_and_are_not_searched() {
        use crate::model::{Asset, Inventory, Relation, RelationKind};
        // Five devices managed by one server (asset 2).
        let mut assets: Vec<Asset> = (0..6).map(|i| Asset::new(format!("a{i}"))).collect();
        for (i, a) in assets.iter_mut().enumerate().filter(|(i, _)| *i != 2) {
            a.depends_on
                .push(Relation::new("a2", RelationKind::ManagedBy));
            assert_ne!(i, 2);
        }
        let g = DependencyGraph::build(&Inventory::from_assets(assets)).0;
        let c = Components::find(&g);
        assert_eq!((c.len(), c.inner()), (6, 1));
        assert_eq!(c.members(0), &[2]);
        let leaves: Vec<u32> = (1..6).flat_map(|k| c.members(k).to_vec()).collect();
        assert_eq!(leaves, [0, 1, 3, 4, 5]);
        assert!(leaves.iter().all(|&v| c.comp_of[v as usize] >= 1));
    }

    #[test]
    fn ring_is_one_component() {
        let c = Components::find(&chain(6, true));
        assert_eq!(c.len(), 1);
        let mut m = c.members(0).to_vec();
        m.sort_unstable();
        assert_eq!(m, vec![0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn an_empty_graph_has_no_component() {
        let g = DependencyGraph::build(&crate::model::Inventory::default()).0;
        assert!(Components::find(&g).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn components_match_petgraph_and_come_providers_first(
            n in 1usize..40,
            edges in proptest::collection::vec((0usize..40, 0usize..40), 0..120),
        ) {
            use crate::model::{Asset, Inventory, Relation, RelationKind};
            let mut assets: Vec<Asset> = (0..n).map(|i| Asset::new(format!("a{i}"))).collect();
            for &(from, to) in edges.iter().filter(|(f, t)| f < &n && t < &n && f != t) {
                assets[from].depends_on.push(Relation::new(format!("a{to}"), RelationKind::Uses));
            }
            let g = DependencyGraph::build(&Inventory::from_assets(assets)).0;
            let c = Components::find(&g);
            let mut mine: Vec<Vec<u32>> = c.iter().map(|m| {
                let mut m = m.to_vec();
                m.sort_unstable();
                m
            }).collect();
            for (k, m) in mine.iter().enumerate() {
                for &a in m {
                    proptest::prop_assert_eq!(c.comp_of[a as usize] as usize, k);
                }
            }
            mine.sort();
            let mut theirs: Vec<Vec<u32>> = petgraph::algo::kosaraju_scc(&g.to_petgraph())
                .into_iter()
                .map(|m| {
                    let mut m: Vec<u32> = m.into_iter().map(|x| x.index() as u32).collect();
                    m.sort_unstable();
                    m
                })
                .collect();
            theirs.sort();
            proptest::prop_assert_eq!(mine, theirs);
            for v in 0..n {
                for e in g.providers(v) {
                    proptest::prop_assert!(c.comp_of[e.asset as usize] <= c.comp_of[v]);
                }
            }
        }
    }

    #[test]
    fn deep_chain_needs_no_deep_stack() {
        let g = chain(200_000, true);
        let c = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || Components::find(&g).len())
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(c, 1);
    }
}
