//! Strongly connected components of the dependency graph, found without recursion so that a
//! dependency chain of any length fits in a small stack.

use super::graph::DependencyGraph;

const NONE: u32 = u32::MAX;

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
    /// Iterative Tarjan over the provider edges: O(assets + relations) time, no recursion.
    pub fn find(graph: &DependencyGraph) -> Components {
        let n = graph.len();
        let mut index = vec![NONE; n];
        let mut low = vec![0u32; n];
        let mut on_stack = vec![false; n];
        let mut stack: Vec<u32> = Vec::new();
        // The explicit call stack: (asset, position of the next provider edge to look at).
        let mut call: Vec<(u32, u32)> = Vec::new();
        let mut comp_of = vec![NONE; n];
        let mut start = Vec::with_capacity(n + 1);
        start.push(0u32);
        let mut members = Vec::with_capacity(n);
        let mut counter = 0u32;
        for s in 0..n {
            if index[s] != NONE {
                continue;
            }
            index[s] = counter;
            low[s] = counter;
            counter += 1;
            stack.push(s as u32);
            on_stack[s] = true;
            call.push((s as u32, 0));
            while let Some(top) = call.last_mut() {
                let v = top.0 as usize;
                let edges = graph.providers(v);
                if let Some(e) = edges.get(top.1 as usize) {
                    top.1 += 1;
                    let w = e.asset as usize;
                    if index[w] == NONE {
                        index[w] = counter;
                        low[w] = counter;
                        counter += 1;
                        stack.push(w as u32);
                        on_stack[w] = true;
                        call.push((w as u32, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(index[w]);
                    }
                    continue;
                }
                call.pop();
                if let Some(parent) = call.last() {
                    let p = parent.0 as usize;
                    low[p] = low[p].min(low[v]);
                }
                if low[v] == index[v] {
                    let c = (start.len() - 1) as u32;
                    while let Some(w) = stack.pop() {
                        on_stack[w as usize] = false;
                        comp_of[w as usize] = c;
                        members.push(w);
                        if w as usize == v {
                            break;
                        }
                    }
                    start.push(members.len() as u32);
                }
            }
        }
        Components {
            comp_of,
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
