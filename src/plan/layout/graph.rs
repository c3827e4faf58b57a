//! Phase 1 of the layout: the constraint graph seen from each unit.

use super::UnitInfo;
use crate::plan::units::{Constraint, relied_on_by};

/// The ordering constraints indexed per unit, with what follows from them before anything is
/// placed. Read-only for every later phase.
pub(super) struct Graph<'c> {
    /// Per provider: the constraints of the units that rely on it.
    pub dependents: Vec<Vec<&'c Constraint>>,
    /// Per dependent: the units it relies on.
    pub providers: Vec<Vec<u32>>,
    /// Per unit: the latest wave it may take because a provider it relies on is fixed.
    pub upper: Vec<Option<usize>>,
    /// Per unit: a management server relies on it, so it may follow that server and does not
    /// hold the management gate shut.
    pub after_mgmt: Vec<bool>,
    /// Per unit: a KRITIS / critical / OT or management unit relies on it, so it cannot go
    /// first and proves no platform.
    pub blocked: Vec<bool>,
}

impl<'c> Graph<'c> {
    /// Indexes `constraints` (unit indices below `units.len()`). Guarantees `upper[u]` is the
    /// tightest bound over every chain of providers leading to a fixed unit (a fixed unit's
    /// bound is its own wave), one wave earlier per management server on the way.
    pub fn new(units: &[UnitInfo], constraints: &'c [Constraint]) -> Graph<'c> {
        let n = units.len();
        let mut dependents: Vec<Vec<&Constraint>> = vec![Vec::new(); n];
        let mut providers: Vec<Vec<u32>> = vec![Vec::new(); n];
        for c in constraints {
            dependents[c.provider as usize].push(c);
            providers[c.dependent as usize].push(c.provider);
        }
        let upper = upper_bounds(units, &providers, &dependents);
        let management: Vec<bool> = units.iter().map(|u| u.management).collect();
        let after_mgmt = relied_on_by(n, constraints, &management);
        let held: Vec<bool> = units
            .iter()
            .map(|u| u.management || u.critical || u.ot)
            .collect();
        let blocked = relied_on_by(n, constraints, &held);
        Graph {
            dependents,
            providers,
            upper,
            after_mgmt,
            blocked,
        }
    }
}

/// Latest wave each unit may take because a provider it relies on is fixed in place.
fn upper_bounds(
    units: &[UnitInfo],
    providers: &[Vec<u32>],
    dependents: &[Vec<&Constraint>],
) -> Vec<Option<usize>> {
    let n = units.len();
    let mut upper: Vec<Option<usize>> = units
        .iter()
        .map(|u| u.fixed.as_ref().map(|f| f.0))
        .collect();
    // Kahn's order from providers to dependents.
    let mut pending: Vec<usize> = providers.iter().map(Vec::len).collect();
    let mut queue: Vec<usize> = (0..n).filter(|&u| pending[u] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(u) = queue.pop() {
        order.push(u);
        for c in &dependents[u] {
            let d = c.dependent as usize;
            pending[d] -= 1;
            if pending[d] == 0 {
                queue.push(d);
            }
        }
    }
    for &u in &order {
        if units[u].fixed.is_some() {
            continue;
        }
        // A management server goes strictly after what relies on it; when it is fixed in the
        // first wave that cannot hold, and its dependents share that wave (validate reports it).
        let bound = providers[u]
            .iter()
            .filter_map(|&p| {
                let p = p as usize;
                upper[p].map(|w| w.saturating_sub(usize::from(units[p].management)))
            })
            .min();
        upper[u] = bound;
    }
    upper
}
