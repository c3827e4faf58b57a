//! Checks of the waves themselves: capacity, blackouts, the deadline and their order in time.

use super::{Code, Problem, problem};
use crate::plan::context::PlanContext;
use crate::plan::model::{CoveredBy, LONG_PLAN_DAYS, Plan, site_capacity_of};
use std::collections::BTreeMap;

pub(super) fn check_waves(plan: &Plan, ctx: &PlanContext, out: &mut Vec<Problem>) {
    let first = plan.waves.iter().map(|w| w.start).min();
    if let (Some(start), Some(end)) = (first, plan.planned_end())
        && start.days_until(end) > LONG_PLAN_DAYS
    {
        out.push(problem(
            Code::PlanOverAYear,
            format!(
                "the waves run from {start} to {end}, more than a year: larger or longer waves \
                 shorten the plan"
            ),
        ));
    }
    let done = plan.done_mask();
    let members = plan.wave_members();
    for w in &plan.waves {
        let list = members.get(w.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        if list.len() > w.capacity {
            out.push(
                problem(
                    Code::CapacityExceeded,
                    format!(
                        "{} holds {} assets, capacity {}",
                        w.id,
                        list.len(),
                        w.capacity
                    ),
                )
                .wave(&w.id),
            );
        }
        let mut per_site: BTreeMap<String, usize> = BTreeMap::new();
        for &i in list {
            // Covered by its provider's replacement: no work at its site (see the plan format).
            if plan.assets[i].coverage.as_ref().map(|c| c.by) == Some(CoveredBy::Provider) {
                continue;
            }
            if let Some(site) = ctx
                .inventory
                .get(&plan.assets[i].id)
                .and_then(|a| a.site().map(|t| t.as_str()).map(String::from))
            {
                *per_site.entry(site).or_insert(0) += 1;
            }
        }
        for (site, n) in per_site {
            if let Some(cap) = site_capacity_of(&plan.settings.site_capacity, &site)
                && n > cap
            {
                out.push(
                    problem(
                        Code::CapacityExceeded,
                        format!(
                            "{} has {n} assets at site {site}, site capacity {cap}",
                            w.id
                        ),
                    )
                    .wave(&w.id),
                );
            }
        }
        for b in &plan.settings.blackouts {
            if b.overlaps(w.start, w.end) {
                out.push(
                    problem(
                        Code::WaveInBlackout,
                        format!(
                            "{} ({} – {}) overlaps the blackout {} – {}{}",
                            w.id,
                            w.start,
                            w.end,
                            b.from,
                            b.to,
                            b.reason
                                .as_deref()
                                .map(|r| format!(" ({r})"))
                                .unwrap_or_default()
                        ),
                    )
                    .wave(&w.id),
                );
            }
        }
        if let Some(deadline) = plan.settings.deadline
            && w.end > deadline
        {
            let open = list.iter().filter(|&&i| !done[i]).count();
            if open > 0 {
                out.push(
                    problem(
                        Code::DeadlineMissed,
                        format!(
                            "{} ends {}, after the deadline {deadline}, with {open} asset(s) not done",
                            w.id, w.end
                        ),
                    )
                    .wave(&w.id),
                );
            }
        }
    }
}

/// Waves are in schedule order: each ends on or after its start and starts after the previous
/// one ends.
pub(super) fn check_wave_order(plan: &Plan, out: &mut Vec<Problem>) {
    for (i, w) in plan.waves.iter().enumerate() {
        if w.end < w.start {
            out.push(
                problem(
                    Code::WaveOutOfOrder,
                    format!("{} ends {}, before it starts {}", w.id, w.end, w.start),
                )
                .wave(&w.id),
            );
        }
        if let Some(prev) = i.checked_sub(1).map(|p| &plan.waves[p])
            && w.start <= prev.end
        {
            out.push(
                problem(
                    Code::WaveOutOfOrder,
                    format!(
                        "{} starts {}, but the wave before it, {}, ends {}; each wave must start \
                         after the previous one ends",
                        w.id, w.start, prev.id, prev.end
                    ),
                )
                .wave(&w.id),
            );
        }
    }
}
