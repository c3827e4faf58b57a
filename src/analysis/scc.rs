//! Strongly connected components of the dependency graph, found without recursion so that a
//! dependency chain of any length fits in a small stack.

use super::graph::DependencyGraph;

/// The strongly connected components in reverse topological order: a component comes after
/// every component it depends on (providers first).
#[derive(Debug, Clone, Default)]
pub struct Components {
    /// Component of each asset.
    pub comp_of: Vec<u32>,
    start: Vec<u32>,
    members: Vec<u32>,
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
        let mut rank = vec![0u32; n];
        let mut root = vec![false; n];
        // Visited assets whose component is not finished yet, and the explicit call stack:
        // (asset, position of the next provider edge to look at).
        let mut open: Vec<u32> = Vec::new();
        let mut call: Vec<(u32, u32)> = Vec::new();
        let mut start = Vec::with_capacity(n + 1);
        start.push(0u32);
        let mut members = Vec::with_capacity(n);
        let mut next_rank = 1u32;
        let mut next_comp = n as u32;
        for s in 0..n {
            if rank[s] != 0 {
                continue;
            }
            rank[s] = next_rank;
            next_rank += 1;
            root[s] = true;
            call.push((s as u32, 0));
            while let Some(top) = call.last_mut() {
                let v = top.0 as usize;
                if let Some(e) = graph.providers(v).get(top.1 as usize) {
                    top.1 += 1;
                    let w = e.asset as usize;
                    if rank[w] == 0 {
                        rank[w] = next_rank;
                        next_rank += 1;
                        root[w] = true;
                        call.push((w as u32, 0));
                    } else if rank[w] < rank[v] {
                        rank[v] = rank[w];
                        root[v] = false;
                    }
                    continue;
                }
                call.pop();
                if root[v] {
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
                        root[p] = false;
                    }
                }
            }
        }
        // Numbered down from n - 1 in the order they finished: count up instead.
        if let Some(last) = (n as u32).checked_sub(1) {
            rank.iter_mut().for_each(|c| *c = last - *c);
        }
        Components {
            comp_of: rank,
            start,
            members,
        }
    }

    /// Number of components.
    pub fn len(&self) -> usize {
        self.start.len() - 1
    }

    /// True when there is no component (an empty graph).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The assets of component `c` (in no particular order).
    pub fn members(&self, c: usize) -> &[u32] {
        &self.members[self.start[c] as usize..self.start[c + 1] as usize]
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
