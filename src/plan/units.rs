//! Scheduling units and the "provider last" constraints between them.
//!
//! A unit is the set of direct assets that must share a wave: one asset, or the direct members
//! of a dependency cycle. Unit U *precedes* unit V when a direct asset of U depends (through any
//! number of non-direct assets) on a direct asset of V: then V must not go before U.

use crate::analysis::{Components, DependencyGraph};
use crate::model::RelationKind;

/// A constraint: `dependent` must not be scheduled after `provider`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Constraint {
    /// The unit that relies on the other.
    pub dependent: u32,
    /// The unit relied on.
    pub provider: u32,
    /// Relation kind of the first edge on the path.
    pub kind: RelationKind,
    /// True when the path passes through non-direct assets.
    pub indirect: bool,
}

/// The units of an inventory and the constraints between them.
#[derive(Debug, Clone, Default)]
pub struct UnitGraph {
    /// Direct asset positions per unit, sorted; units sorted by first member.
    pub units: Vec<Vec<usize>>,
    /// Unit of each asset (u32::MAX for non-direct assets).
    pub unit_of: Vec<u32>,
    /// Constraints, sorted and without duplicates.
    pub constraints: Vec<Constraint>,
}

const NONE: u32 = u32::MAX;

impl UnitGraph {
    /// Builds units and constraints from the dependency graph and the direct flags.
    pub fn build(graph: &DependencyGraph, direct: &[bool]) -> UnitGraph {
        let n = graph.len();
        // Components come in reverse topological order (providers first), found without
        // recursion.
        let comps = Components::find(graph);
        let scc_of = &comps.comp_of;
        let mut units: Vec<Vec<usize>> = Vec::new();
        for comp in comps.iter() {
            let mut members: Vec<usize> = comp
                .iter()
                .map(|&x| x as usize)
                .filter(|&i| direct[i])
                .collect();
            if !members.is_empty() {
                members.sort_unstable();
                units.push(members);
            }
        }
        units.sort();
        let mut unit_of = vec![NONE; n];
        for (u, members) in units.iter().enumerate() {
            for &m in members {
                unit_of[m] = u as u32;
            }
        }
        let mut scc_unit = vec![NONE; comps.len()];
        for (i, &u) in unit_of.iter().enumerate() {
            if u != NONE {
                scc_unit[scc_of[i] as usize] = u;
            }
        }
        // For every component: the direct units first reached from it, with the first edge kind.
        let mut reach: Vec<Vec<(u32, RelationKind, bool)>> = vec![Vec::new(); comps.len()];
        let mut constraints = Vec::new();
        for (s, comp) in comps.iter().enumerate() {
            let mut targets: Vec<(u32, RelationKind, bool)> = Vec::new();
            for &node in comp {
                for e in graph.providers(node as usize) {
                    let t = e.asset as usize;
                    if scc_of[t] as usize == s {
                        continue;
                    }
                    let target_unit = scc_unit[scc_of[t] as usize];
                    if target_unit != NONE {
                        targets.push((target_unit, e.kind, unit_of[t] == NONE));
                    } else {
                        targets.extend(
                            reach[scc_of[t] as usize]
                                .iter()
                                .map(|&(u, _, _)| (u, e.kind, true)),
                        );
                    }
                }
            }
            targets.sort_unstable_by_key(|&(u, k, ind)| (u, ind, k));
            targets.dedup_by_key(|t| t.0);
            match Some(scc_unit[s]).filter(|&u| u != NONE) {
                Some(u) => {
                    for &(p, kind, indirect) in &targets {
                        constraints.push(Constraint {
                            dependent: u,
                            provider: p,
                            kind,
                            indirect,
                        });
                    }
                }
                None => reach[s] = targets,
            }
        }
        constraints.sort_unstable();
        constraints.dedup_by_key(|c| (c.dependent, c.provider));
        UnitGraph {
            units,
            unit_of,
            constraints,
        }
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// True when there are no direct assets.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }
}

/// Units that a marked unit relies on, over any number of constraints (`from[u]` marks the
/// starting units; a marked unit counts only when another marked unit relies on it). Such
/// providers can never go before what relies on them.
pub fn relied_on_by(n: usize, constraints: &[Constraint], from: &[bool]) -> Vec<bool> {
    reach(n, constraints, from, |c| (c.dependent, c.provider))
}

/// Units that rely on a marked unit, over any number of constraints (e.g. everything a
/// management server manages, also through a secondary server). Same convention as
/// [`relied_on_by`].
pub fn relying_on(n: usize, constraints: &[Constraint], from: &[bool]) -> Vec<bool> {
    reach(n, constraints, from, |c| (c.provider, c.dependent))
}

fn reach(
    n: usize,
    constraints: &[Constraint],
    from: &[bool],
    edge: impl Fn(&Constraint) -> (u32, u32),
) -> Vec<bool> {
    let mut next: Vec<Vec<u32>> = vec![Vec::new(); n];
    for c in constraints {
        let (a, b) = edge(c);
        next[a as usize].push(b);
    }
    let mut seen = vec![false; n];
    let mut stack: Vec<usize> = (0..n).filter(|&u| from[u]).collect();
    while let Some(u) = stack.pop() {
        for &v in &next[u] {
            if !seen[v as usize] {
                seen[v as usize] = true;
                stack.push(v as usize);
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Asset, Inventory, Relation};

    fn setup(ids: &str, edges: &[&str], direct: &str) -> UnitGraph {
        let mut assets: Vec<Asset> = ids.chars().map(|c| Asset::new(c.to_string())).collect();
        for e in edges {
            let (from, to) = e.split_once('>').unwrap();
            let a = assets.iter_mut().find(|a| a.id == from).unwrap();
            a.depends_on
                .push(Relation::new(to, RelationKind::ManagedBy));
        }
        let (g, _) = DependencyGraph::build(&Inventory::from_assets(assets));
        let flags: Vec<bool> = ids.chars().map(|c| direct.contains(c)).collect();
        UnitGraph::build(&g, &flags)
    }

    fn pairs(ug: &UnitGraph) -> Vec<(usize, usize, bool)> {
        ug.constraints
            .iter()
            .map(|c| {
                (
                    ug.units[c.dependent as usize][0],
                    ug.units[c.provider as usize][0],
                    c.indirect,
                )
            })
            .collect()
    }

    #[test]
    fn constraints_pass_through_non_direct_assets() {
        // a(direct) > x(non-direct) > b(direct) > c(direct)
        let ug = setup("axbc", &["a>x", "x>b", "b>c"], "abc");
        assert_eq!(ug.len(), 3);
        let mut p = pairs(&ug);
        p.sort();
        assert_eq!(p, vec![(0, 2, true), (2, 3, false)]);
    }

    #[test]
    fn nearest_direct_provider_only() {
        // a > b > c, all direct: a→b and b→c, no a→c shortcut needed.
        let ug = setup("abc", &["a>b", "b>c"], "abc");
        assert_eq!(pairs(&ug).len(), 2);
    }

    #[test]
    fn cycle_members_form_one_unit() {
        let ug = setup("abcd", &["a>b", "b>a", "c>a", "b>d"], "abcd");
        assert_eq!(ug.units.iter().find(|u| u.len() == 2), Some(&vec![0, 1]));
        assert_eq!(ug.unit_of[0], ug.unit_of[1]);
        assert_eq!(ug.len(), 3);
        // c precedes the cycle, the cycle precedes d.
        assert_eq!(ug.constraints.len(), 2);
    }

    #[test]
    fn mixed_cycle_counts_as_its_unit() {
        // x (non-direct) and b (direct) form a cycle; a depends on x.
        let ug = setup("axb", &["a>x", "x>b", "b>x"], "ab");
        assert_eq!(pairs(&ug), vec![(0, 2, true)]);
    }

    #[test]
    fn non_direct_only_paths_give_no_units() {
        let ug = setup("ab", &["a>b"], "");
        assert!(ug.is_empty());
        assert!(ug.constraints.is_empty());
    }

    #[test]
    fn relied_on_by_follows_providers_transitively() {
        // a > b > c, d > c; only a is marked: b and c are relied on, d is not.
        let ug = setup("abcd", &["a>b", "b>c", "d>c"], "abcd");
        let marked = [true, false, false, false];
        assert_eq!(
            relied_on_by(ug.len(), &ug.constraints, &marked),
            [false, true, true, false]
        );
        // What relies on c: a, b and d; on b: only a.
        let marked = [false, false, true, false];
        assert_eq!(
            relying_on(ug.len(), &ug.constraints, &marked),
            [true, true, false, true]
        );
        let marked = [false, true, false, false];
        assert_eq!(
            relying_on(ug.len(), &ug.constraints, &marked),
            [true, false, false, false]
        );
    }
}
