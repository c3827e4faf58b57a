//! Management last, for real: a management server (e.g. Kaspersky Security Center) is retired
//! only once everything that relies on it, over any number of hops, is migrated, excluded or
//! decided. Retired early, the assets still running Kaspersky lose their policies, updates
//! and the uninstall passwords kept on the server.

use super::{Problem, problem};
use crate::plan::context::PlanContext;
use crate::plan::model::{Plan, PlannedAsset, Status};
use crate::plan::units::relying_on;

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
    for (i, server) in plan_of
        .iter()
        .enumerate()
        .filter_map(|(i, k)| k.map(|k| (i, &plan.assets[k])))
    {
        let u = units.unit_of[i];
        if u == u32::MAX || server.status == Status::Excluded || !ctx.is_management(i) {
            continue;
        }
        let mut from = vec![false; units.len()];
        from[u as usize] = true;
        let relying = relying_on(units.len(), &units.constraints, &from);
        // Everything that relies on the server: the units reached, and the other members of
        // its own cycle.
        let mut managed: Vec<usize> = Vec::new();
        for (v, members) in units.units.iter().enumerate() {
            if !(relying[v] || v == u as usize) {
                continue;
            }
            managed.extend(
                members
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
                        "management-retired-early",
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
                    "management-awaits-decision",
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
