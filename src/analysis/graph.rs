//! The dependency graph: edges from dependents to providers, resolved against the inventory.

use crate::error::{Location, Warning, Warnings};
use crate::model::{Inventory, RelationKind};
use foldhash::fast::FixedState;
use hashbrown::HashMap;
use petgraph::graph::{DiGraph, NodeIndex};

/// One resolved edge end: the asset at the other end and the relation kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// Position of the other asset in the inventory.
    pub asset: u32,
    /// What the dependency is.
    pub kind: RelationKind,
}

/// Dependency graph in compressed adjacency form (both directions), built once per inventory.
#[derive(Debug, Clone, Default)]
pub struct DependencyGraph {
    nodes: usize,
    /// Empty when there are no edges (an estate without relations keeps no offsets).
    provider_start: Vec<u32>,
    provider_edges: Vec<Edge>,
    dependent_start: Vec<u32>,
    dependent_edges: Vec<Edge>,
}

/// Distinct relation targets whose resolution is remembered while the graph is built.
const RESOLVED_MEMO_LIMIT: usize = 1 << 16;

impl DependencyGraph {
    /// Resolves every relation of the inventory. Unknown targets and self-references become
    /// warnings (with the relation's file:line) and are left out of the graph.
    pub fn build(inv: &Inventory) -> (DependencyGraph, Vec<Warning>) {
        let n = inv.len();
        let mut warnings = Warnings::default();
        let mut provider_start = Vec::with_capacity(n + 1);
        provider_start.push(0u32);
        let relations = inv.assets().iter().map(|a| a.depends_on.len()).sum();
        let mut provider_edges: Vec<Edge> = Vec::with_capacity(relations);
        // Targets are shared texts: a million relations name a few thousand providers, so
        // each distinct text is resolved once (by address: the inventory is borrowed, no text
        // is freed meanwhile) instead of hashing and comparing ids a million times.
        let mut resolved: HashMap<usize, Option<usize>, FixedState> = HashMap::default();
        for (i, asset) in inv.assets().iter().enumerate() {
            let from = provider_edges.len();
            for rel in &asset.depends_on {
                // Built only for a warning: most relations resolve, and the path is a copy.
                let location = || {
                    rel.origin
                        .as_ref()
                        .or(asset.origin.as_ref())
                        .map(|o| Location::line(o.file.to_string(), o.line() as usize))
                        .unwrap_or_default()
                };
                let target = match resolved.get(&rel.target.addr()) {
                    Some(&target) => target,
                    None => {
                        let target = inv.resolve(&rel.target);
                        // Bounded: a file of a million relations to a million different
                        // (or unknown) targets would otherwise keep a million entries.
                        if resolved.len() < RESOLVED_MEMO_LIMIT {
                            resolved.insert(rel.target.addr(), target);
                        }
                        target
                    }
                };
                match target {
                    Some(j) if j == i => warnings.push_with(|| {
                        Warning::new(
                            location(),
                            format!("asset \"{}\" depends on itself; relation ignored", asset.id),
                        )
                    }),
                    Some(j) => provider_edges.push(Edge {
                        asset: j as u32,
                        kind: rel.kind,
                    }),
                    None => warnings.push_with(|| {
                        Warning::new(
                            location(),
                            format!(
                                "asset \"{}\" depends on unknown asset \"{}\" ({})",
                                asset.id, rel.target, rel.kind
                            ),
                        )
                    }),
                }
            }
            // One edge per (from, to, kind): files merged from several sources repeat
            // relations. An asset has a few edges, so they are sorted where they stand.
            let mine = &mut provider_edges[from..];
            mine.sort_unstable_by_key(|e| (e.asset, e.kind));
            let kept = dedup_sorted(mine);
            provider_edges.truncate(from + kept);
            provider_start.push(provider_edges.len() as u32);
        }
        if provider_edges.is_empty() {
            provider_start = Vec::new();
        }
        let (dependent_start, dependent_edges) = reverse(n, &provider_start, &provider_edges);
        (
            DependencyGraph {
                nodes: n,
                provider_start,
                provider_edges,
                dependent_start,
                dependent_edges,
            },
            warnings.into_vec(),
        )
    }

    /// Number of assets (nodes).
    pub fn len(&self) -> usize {
        self.nodes
    }

    /// True when the graph has no nodes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of resolved edges.
    pub fn edge_count(&self) -> usize {
        self.provider_edges.len()
    }

    /// What asset `i` depends on.
    pub fn providers(&self, i: usize) -> &[Edge] {
        if self.provider_edges.is_empty() {
            return &[];
        }
        let (a, b) = (self.provider_start[i], self.provider_start[i + 1]);
        &self.provider_edges[a as usize..b as usize]
    }

    /// What depends on asset `i`.
    pub fn dependents(&self, i: usize) -> &[Edge] {
        if self.dependent_edges.is_empty() {
            return &[];
        }
        let (a, b) = (self.dependent_start[i], self.dependent_start[i + 1]);
        &self.dependent_edges[a as usize..b as usize]
    }

    /// The graph as a petgraph `DiGraph` (node index = asset position), for graph algorithms.
    pub fn to_petgraph(&self) -> DiGraph<(), RelationKind, u32> {
        let mut g = DiGraph::with_capacity(self.len(), self.edge_count());
        for _ in 0..self.len() {
            g.add_node(());
        }
        for i in 0..self.len() {
            for e in self.providers(i) {
                g.add_edge(NodeIndex::new(i), NodeIndex::new(e.asset as usize), e.kind);
            }
        }
        g
    }
}

/// Moves the distinct edges of a sorted slice to its front; returns how many there are.
fn dedup_sorted(edges: &mut [Edge]) -> usize {
    let mut kept = 0;
    for k in 0..edges.len() {
        if kept == 0 || edges[kept - 1] != edges[k] {
            edges[kept] = edges[k];
            kept += 1;
        }
    }
    kept
}

/// The dependents of every asset, from the providers: a counting sort by provider, filled
/// from the end so that one offset table serves as the cursor. Taking the edges in
/// (from, to, kind) order keeps each provider's dependents in (from, kind) order. No edges:
/// no offsets.
fn reverse(n: usize, start: &[u32], edges: &[Edge]) -> (Vec<u32>, Vec<Edge>) {
    if edges.is_empty() {
        return (Vec::new(), Vec::new());
    }
    // Counts, then running sums: rev_start[i] is where provider i's dependents end.
    let mut rev_start = vec![0u32; n + 1];
    for e in edges {
        rev_start[e.asset as usize] += 1;
    }
    for i in 0..n {
        rev_start[i + 1] += rev_start[i];
    }
    let placeholder = Edge {
        asset: 0,
        kind: RelationKind::Uses,
    };
    let mut rev = vec![placeholder; edges.len()];
    for from in (0..n).rev() {
        for e in edges[start[from] as usize..start[from + 1] as usize]
            .iter()
            .rev()
        {
            let slot = &mut rev_start[e.asset as usize];
            *slot -= 1;
            rev[*slot as usize] = Edge {
                asset: from as u32,
                kind: e.kind,
            };
        }
    }
    (rev_start, rev)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Asset, Relation};

    fn inv(edges: &[(&str, &str)], ids: &[&str]) -> Inventory {
        let mut assets: Vec<Asset> = ids.iter().map(|id| Asset::new(*id)).collect();
        for (from, to) in edges {
            let a = assets.iter_mut().find(|a| a.id == *from).unwrap();
            a.depends_on.push(Relation::new(*to, RelationKind::Uses));
        }
        Inventory::from_assets(assets)
    }

    #[test]
    fn edges_resolve_both_ways() {
        let inv = inv(&[("a", "b"), ("a", "C"), ("b", "c")], &["a", "b", "c"]);
        let (g, warnings) = DependencyGraph::build(&inv);
        assert!(warnings.is_empty());
        assert_eq!(g.edge_count(), 3);
        let p: Vec<u32> = g.providers(0).iter().map(|e| e.asset).collect();
        assert_eq!(p, vec![1, 2]);
        let d: Vec<u32> = g.dependents(2).iter().map(|e| e.asset).collect();
        assert_eq!(d, vec![0, 1]);
        assert_eq!(g.to_petgraph().edge_count(), 3);
    }

    #[test]
    fn unknown_targets_and_self_loops_warn() {
        let inv = inv(&[("a", "ghost"), ("a", "a")], &["a"]);
        let (g, warnings) = DependencyGraph::build(&inv);
        assert_eq!(g.edge_count(), 0);
        assert_eq!(warnings.len(), 2);
        assert!(warnings[0].message.contains("unknown asset \"ghost\""));
        assert!(warnings[1].message.contains("itself"));
    }

    #[test]
    fn duplicate_relations_collapse() {
        let inv = inv(&[("a", "b"), ("a", "B")], &["a", "b"]);
        let (g, _) = DependencyGraph::build(&inv);
        assert_eq!(g.edge_count(), 1);
    }

    #[test]
    fn dependents_mirror_providers_in_order_and_no_edges_keep_no_offsets() {
        let kinds = [
            RelationKind::Uses,
            RelationKind::ManagedBy,
            RelationKind::RunsOn,
        ];
        let ids: Vec<String> = (0..40).map(|i| format!("a{i}")).collect();
        let mut assets: Vec<Asset> = ids.iter().map(|id| Asset::new(id.as_str())).collect();
        for i in 0..40usize {
            for k in 0..(i * 7 % 5) {
                let to = (i * 13 + k * 17 + 3) % 40;
                assets[i]
                    .depends_on
                    .push(Relation::new(ids[to].as_str(), kinds[(i + k) % 3]));
            }
        }
        let (g, _) = DependencyGraph::build(&Inventory::from_assets(assets));
        for p in 0..40 {
            let expected: Vec<(u32, RelationKind)> = (0..40)
                .flat_map(|from| {
                    g.providers(from)
                        .iter()
                        .filter(|e| e.asset as usize == p)
                        .map(move |e| (from as u32, e.kind))
                })
                .collect();
            let got: Vec<(u32, RelationKind)> =
                g.dependents(p).iter().map(|e| (e.asset, e.kind)).collect();
            assert_eq!(got, expected, "dependents of a{p}");
        }
        let (bare, _) = DependencyGraph::build(&inv(&[], &["a", "b"]));
        assert_eq!((bare.len(), bare.edge_count()), (2, 0));
        assert!(bare.providers(1).is_empty() && bare.dependents(0).is_empty());
        assert!(bare.provider_start.is_empty() && bare.dependent_start.is_empty());
    }
}
