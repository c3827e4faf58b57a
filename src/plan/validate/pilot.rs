//! The pilot and the platforms it proves (the definitions are those of
//! [`crate::plan::pilot`]): the pilot is the first wave when it holds a low-risk system that
//! proves its platform; KRITIS / critical systems are never in it; KRITIS, critical and OT
//! systems go strictly after the first wave that proves each of their platforms; every
//! platform present should have a pilot sample.

use super::{Code, Problem, problem};
use crate::plan::context::PlanContext;
use crate::plan::model::{Plan, Status};
use crate::plan::pilot::{Platform, guard_note, is_critical, is_ot, platforms};
use crate::plan::units::relied_on_by;
use std::collections::BTreeMap;

/// What the pilot checks need to know about one planned direct asset.
struct Facts {
    wave: usize,
    critical: bool,
    ot: bool,
    management: bool,
    groups: Vec<Platform>,
}

pub(super) fn check_pilot(
    plan: &Plan,
    ctx: &PlanContext,
    wave_of: &[Option<usize>],
    excluded: &[bool],
    out: &mut Vec<Problem>,
) {
    let inv = ctx.inventory;
    let units = &ctx.units;
    let mut facts: Vec<(usize, Facts)> = Vec::new();
    // Per unit (the members of a cycle share a wave): KRITIS or critical, OT, management
    // (an excluded management server still goes last, so what it relies on still follows).
    let mut flags = vec![(false, false, false); units.len()];
    for (i, asset) in inv.assets().iter().enumerate() {
        let Some(u) = units.unit_of.get(i).copied().filter(|&u| u != u32::MAX) else {
            continue;
        };
        let Some(wave) = wave_of[i] else {
            continue;
        };
        if excluded[i] {
            flags[u as usize].2 |= ctx.is_management(i);
            continue;
        }
        let roles = ctx.roles(i);
        facts.push((
            i,
            Facts {
                wave,
                critical: is_critical(asset),
                ot: is_ot(asset, &roles),
                management: ctx.is_management(i),
                groups: platforms(asset, &roles),
            },
        ));
    }
    if facts.is_empty() || plan.waves.is_empty() {
        return;
    }
    let unit = |i: usize| units.unit_of[i] as usize;
    for (i, f) in &facts {
        let e = &mut flags[unit(*i)];
        *e = (e.0 || f.critical, e.1 || f.ot, e.2 || f.management);
    }
    // What a KRITIS / critical / OT or management unit relies on cannot go first.
    let held: Vec<bool> = flags.iter().map(|&(c, o, m)| c || o || m).collect();
    let blocked = relied_on_by(units.len(), &units.constraints, &held);
    let proves = |i: usize, in_pilot: bool| {
        let (critical, ot, management) = flags[unit(i)];
        !critical && !management && !blocked[unit(i)] && (!ot || in_pilot)
    };
    let pilot = facts
        .iter()
        .any(|(i, f)| f.wave == 0 && proves(*i, true))
        .then_some(0usize);
    let id = |i: usize| inv.assets()[i].id.as_str();
    let wid = |w: usize| plan.waves[w].id.as_str();
    // The first wave that proves each platform, with the first asset proving it there.
    let mut proof: BTreeMap<Platform, (usize, &str)> = BTreeMap::new();
    for (i, f) in &facts {
        if !proves(*i, pilot == Some(f.wave)) {
            continue;
        }
        for &g in &f.groups {
            let e = proof.entry(g).or_insert((f.wave, id(*i)));
            *e = (*e).min((f.wave, id(*i)));
        }
    }
    for (i, f) in &facts {
        if !(f.critical || f.ot) || is_done(plan, id(*i)) {
            continue;
        }
        let asset = &inv.assets()[*i];
        let why = guard_note(asset, &ctx.roles(*i));
        if pilot == Some(f.wave) {
            if f.critical {
                out.push(
                    problem(
                        Code::CriticalInPilot,
                        format!(
                            "{} ({why}) is in the pilot {}; KRITIS and critical systems go only \
                             after the pilot has proven their platform",
                            id(*i),
                            wid(f.wave)
                        ),
                    )
                    .asset(id(*i))
                    .wave(wid(f.wave)),
                );
            }
            continue;
        }
        let early = f
            .groups
            .iter()
            .find_map(|g| proof.get(g).filter(|p| f.wave <= p.0).map(|p| (g, p)));
        if let Some((g, (w, by))) = early {
            out.push(
                problem(
                    Code::CriticalBeforePilot,
                    format!(
                        "{} ({why}) is in {}, but {g} is first proven in {} (by {by}); it must go \
                         in a later wave",
                        id(*i),
                        wid(f.wave),
                        wid(*w)
                    ),
                )
                .asset(id(*i))
                .wave(wid(f.wave)),
            );
        }
    }
    check_samples(plan, ctx, &facts, pilot, out);
}

/// `pilot-not-representative`: a platform present among the planned assets has no low-risk
/// sample in the pilot.
fn check_samples(
    plan: &Plan,
    ctx: &PlanContext,
    facts: &[(usize, Facts)],
    pilot: Option<usize>,
    out: &mut Vec<Problem>,
) {
    let id = |i: usize| ctx.inventory.assets()[i].id.as_str();
    // Per platform: sampled in the pilot, and the first low-risk asset elsewhere.
    type Seen<'a> = (bool, Option<(&'a str, usize)>);
    let mut seen: BTreeMap<Platform, Seen> = BTreeMap::new();
    for (i, f) in facts {
        let low_risk = !f.critical && !f.management;
        for &g in &f.groups {
            let e = seen.entry(g).or_insert((false, None));
            if low_risk && pilot == Some(f.wave) {
                e.0 = true;
            } else if low_risk {
                let candidate = (id(*i), f.wave);
                e.1 = Some(e.1.map_or(candidate, |c| c.min(candidate)));
            }
        }
    }
    let first = plan.waves[0].id.as_str();
    for (g, (sampled, other)) in seen {
        if sampled {
            continue;
        }
        let why = match other {
            Some((a, w)) => format!(
                "the first non-critical {g} system, {a}, goes in {}",
                plan.waves[w].id
            ),
            None => format!("every {g} system is KRITIS, critical or a management server"),
        };
        let message = match pilot {
            Some(_) => format!("the pilot {first} has no {g} sample: {why}"),
            None => format!(
                "no pilot proves {g}: the first wave {first} holds no low-risk system that can \
                 go first; {why}"
            ),
        };
        let mut p = problem(Code::PilotNotRepresentative, message).wave(first);
        if let Some((a, _)) = other {
            p = p.asset(a);
        }
        out.push(p);
    }
}

/// Migrated or verified: the placement is history, nothing to move any more.
fn is_done(plan: &Plan, id: &str) -> bool {
    plan.asset(id)
        .is_some_and(|a| matches!(a.status, Status::Migrated | Status::Verified))
}
