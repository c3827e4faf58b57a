//! Management last, for real: a management server (e.g. Kaspersky Security Center) is retired
//! only once everything that relies on it, over any number of hops, is migrated, excluded or
//! decided. Retired early, the assets still running Kaspersky lose their policies, updates
//! and the uninstall passwords kept on the server.

use super::{Code, Problem, problem};
use crate::plan::context::PlanContext;
use crate::plan::model::{Plan, PlannedAsset, Status};
use crate::plan::units::Constraint;

/// Neither done on evidence (migrated, verified or excluded, and no open protection alert) nor
/// decided: it still needs its management server.
fn open(done: bool, a: &PlannedAsset) -> bool {
    !done && a.decision.is_none()
}

/// Waits for a decision: one is needed (or there is no product to migrate to, and it is not a
/// logical CI, which needs none) and none is recorded.
fn undecided(a: &PlannedAsset, logical: bool) -> bool {
    a.awaits_decision()
        || (a.product.is_none() && !logical && a.decision.is_none() && a.status != Status::Excluded)
}

/// "a, b, c, d, e and 3 more".
fn list(ids: &[&str]) -> String {
    let shown = ids.iter().take(5).copied().collect::<Vec<_>>().join(", ");
    match ids.len() {
        0..=5 => shown,
        n => format!("{shown} and {} more", n - 5),
    }
}

/// The units relying on each unit, built once: a walk per management server visits only what
/// it reaches, so checking every server costs what they manage, not servers × units.
struct Dependents {
    /// Dependents of unit `u`: `to[start[u]..start[u + 1]]`.
    start: Vec<u32>,
    to: Vec<u32>,
    /// The walk that last visited each unit.
    seen: Vec<u32>,
    walk: u32,
}

impl Dependents {
    fn new(n: usize, constraints: &[Constraint]) -> Dependents {
        let mut start = vec![0u32; n + 1];
        for c in constraints {
            start[c.provider as usize + 1] += 1;
        }
        for u in 0..n {
            start[u + 1] += start[u];
        }
        let mut fill = start.clone();
        let mut to = vec![0u32; constraints.len()];
        for c in constraints {
            let at = &mut fill[c.provider as usize];
            to[*at as usize] = c.dependent;
            *at += 1;
        }
        Dependents {
            start,
            to,
            seen: vec![0; n],
            walk: 0,
        }
    }

    /// Unit `u` and every unit relying on it over any number of constraints, each once.
    fn reach(&mut self, u: u32) -> Vec<u32> {
        self.walk += 1;
        let walk = self.walk;
        let mut out = vec![u];
        let mut stack = vec![u];
        while let Some(v) = stack.pop() {
            let (a, b) = (self.start[v as usize], self.start[v as usize + 1]);
            for &d in &self.to[a as usize..b as usize] {
                if self.seen[d as usize] != walk {
                    self.seen[d as usize] = walk;
                    if d != u {
                        out.push(d);
                    }
                    stack.push(d);
                }
            }
        }
        out
    }
}

/// `plan_of` gives the plan index of each inventory position.
pub(super) fn check_management(
    plan: &Plan,
    ctx: &PlanContext,
    plan_of: &[Option<usize>],
    out: &mut Vec<Problem>,
) {
    let units = &ctx.units;
    let done = plan.done_mask();
    let mut logical = vec![false; plan.assets.len()];
    for (m, k) in plan_of.iter().enumerate() {
        if let Some(k) = *k {
            logical[k] = ctx.inventory.assets()[m].kind.is_logical();
        }
    }
    let mut dependents = Dependents::new(units.len(), &units.constraints);
    for (i, server) in plan_of
        .iter()
        .enumerate()
        .filter_map(|(i, k)| k.map(|k| (i, &plan.assets[k])))
    {
        let u = units.unit_of[i];
        if u == u32::MAX || server.status == Status::Excluded || !ctx.is_management(i) {
            continue;
        }
        // Everything that relies on the server: the units reached, and the other members of
        // its own cycle.
        let mut managed: Vec<usize> = Vec::new();
        for v in dependents.reach(u) {
            managed.extend(
                units.units[v as usize]
                    .iter()
                    .filter(|&&m| m != i)
                    .filter_map(|&m| plan_of[m]),
            );
        }
        // Plan order is id order.
        managed.sort_unstable();
        let retired = matches!(server.status, Status::Migrated | Status::Verified);
        if retired {
            let still: Vec<&str> = managed
                .iter()
                .filter(|&&k| open(done[k], &plan.assets[k]))
                .map(|&k| plan.assets[k].id.as_str())
                .collect();
            if !still.is_empty() {
                out.push(
                    problem(
                        Code::ManagementRetiredEarly,
                        format!(
                            "management server {} is {}, but {} asset(s) relying on it are not \
                             migrated, excluded or decided: {}; it may only be retired after \
                             them",
                            server.id,
                            server.status,
                            still.len(),
                            list(&still)
                        ),
                    )
                    .asset(&server.id)
                    .wave(&server.wave),
                );
            }
            continue;
        }
        let waiting: Vec<&str> = managed
            .iter()
            .filter(|&&k| undecided(&plan.assets[k], logical[k]))
            .map(|&k| plan.assets[k].id.as_str())
            .collect();
        if !waiting.is_empty() {
            out.push(
                problem(
                    Code::ManagementAwaitsDecision,
                    format!(
                        "management server {} goes in {}, but {} asset(s) relying on it await \
                         a decision: {}; record their decisions (`avmigrate set PLAN ID --decide \
                         …`) before the server is retired",
                        server.id,
                        server.wave,
                        waiting.len(),
                        list(&waiting)
                    ),
                )
                .asset(&server.id)
                .wave(&server.wave),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RelationKind;
    use crate::plan::units::relying_on;

    fn constraint(dependent: u32, provider: u32) -> Constraint {
        Constraint {
            dependent,
            provider,
            kind: RelationKind::ManagedBy,
            indirect: false,
        }
    }

    #[test]
    fn each_walk_finds_what_relying_on_finds_plus_the_start() {
        // 0 ← 1 ← 2, 0 ← 3, 2 ← 3 (3 reached twice from 0), 4 alone.
        let cs = [
            constraint(1, 0),
            constraint(2, 1),
            constraint(3, 0),
            constraint(3, 2),
        ];
        let mut d = Dependents::new(5, &cs);
        for u in [0u32, 2, 4, 0, 1] {
            let mut from = vec![false; 5];
            from[u as usize] = true;
            let mut want: Vec<u32> = relying_on(5, &cs, &from)
                .iter()
                .enumerate()
                .filter(|&(v, &r)| r || v == u as usize)
                .map(|(v, _)| v as u32)
                .collect();
            let mut got = d.reach(u);
            got.sort_unstable();
            want.sort_unstable();
            assert_eq!(got, want, "from unit {u}");
        }
    }
}
