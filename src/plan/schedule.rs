//! Generating and regenerating plans from an analysed inventory.

use super::calendar::wave_window;
use super::context::PlanContext;
use super::coverage::CoveragePlanner;
use super::job::{Cancelled, Job, Phase};
use super::layout::{LayoutConfig, Sites, UnitInfo, layout_with};
use super::model::LONG_PLAN_DAYS;
use super::model::*;
use super::pilot::{is_critical, is_ot, platforms, proof_note};
use super::products::{ProductChooser, needs_decision};
use crate::model::Named;
use crate::model::{Asset, Criticality};
use std::collections::HashMap;
use std::sync::Arc;

/// A generated plan and what the scheduler could only soften.
#[derive(Debug, Clone)]
pub struct Scheduled {
    /// The plan.
    pub plan: Plan,
    /// Warnings (oversized groups, constrained pilots, missing products, deadline).
    pub warnings: Vec<String>,
}

/// A fresh plan for every direct asset.
pub fn generate(
    ctx: &PlanContext,
    settings: Settings,
    name: String,
    inventory: Vec<InventoryRef>,
) -> Scheduled {
    match generate_with(ctx, settings, name, inventory, &Job::new()) {
        Ok(s) => s,
        // Nobody else holds the job, so nobody can cancel it.
        Err(Cancelled) => unreachable!(),
    }
}

/// [`generate`], reporting progress to `job` and stopping soon after it is cancelled.
pub fn generate_with(
    ctx: &PlanContext,
    settings: Settings,
    name: String,
    inventory: Vec<InventoryRef>,
    job: &Job,
) -> Result<Scheduled, Cancelled> {
    replan_with(ctx, &Plan::empty(name, settings, inventory), job)
}

/// Regenerates a plan: frozen waves, pinned assets and assets whose migration has started keep
/// their wave and product; statuses, notes and history are kept; everything else is scheduled
/// again.
pub fn replan(ctx: &PlanContext, previous: &Plan) -> Scheduled {
    match replan_with(ctx, previous, &Job::new()) {
        Ok(s) => s,
        // Nobody else holds the job, so nobody can cancel it.
        Err(Cancelled) => unreachable!(),
    }
}

/// [`replan`], reporting progress to `job` and stopping soon after it is cancelled.
pub fn replan_with(ctx: &PlanContext, previous: &Plan, job: &Job) -> Result<Scheduled, Cancelled> {
    let settings = &previous.settings;
    let inv = ctx.inventory;
    let mut warnings = Vec::new();
    // A wave before a frozen one is under way or done as well: it is kept as it is.
    let last_frozen = (0..previous.waves.len())
        .rev()
        .find(|&w| previous.waves[w].frozen);
    let frozen: Vec<usize> = match last_frozen {
        Some(last) => (0..=last).collect(),
        None => Vec::new(),
    };
    let first_wave = frozen.last().map(|w| w + 1).unwrap_or(0);
    let prev_by_id: HashMap<String, &PlannedAsset> = previous
        .assets
        .iter()
        .map(|a| (a.id.to_lowercase(), a))
        .collect();
    let fixed_wave = |a: &PlannedAsset| -> Option<(usize, String)> {
        let w = previous.wave_index(&a.wave)?;
        if last_frozen.is_some_and(|last| w <= last) {
            Some((w, "wave frozen (under way); kept".into()))
        } else if a.pinned {
            Some((w, "pinned".into()))
        } else if a.status.is_started() {
            Some((w, format!("migration started ({}); kept", a.status)))
        } else {
            None
        }
    };
    let user_products: std::collections::HashSet<String> = previous
        .events
        .iter()
        .filter(|e| e.field == "product")
        .map(|e| e.asset.to_lowercase())
        .collect();
    let mut chooser = ProductChooser::new(ctx, settings);
    let keeps_product = |id: &str, prev: Option<&PlannedAsset>| {
        // A first plan has no history: skip lower-casing a million ids for empty lookups.
        (!user_products.is_empty() && user_products.contains(&id.to_lowercase()))
            || prev.is_some_and(|p| fixed_wave(p).is_some())
    };
    // Assets that get anti-virus through a provider join the plan with their own coverage.
    let mut cover = CoveragePlanner::new(ctx, previous, &fixed_wave, &keeps_product, &mut chooser);

    let units = &ctx.units;
    // Assets that were planned before but are no longer direct (or gone): keep started ones.
    let mut kept: Vec<PlannedAsset> = Vec::new();
    for a in &previous.assets {
        let still_direct = inv
            .resolve(&a.id)
            .is_some_and(|i| units.unit_of[i] != u32::MAX);
        if still_direct || inv.resolve(&a.id).is_some_and(|i| cover.covers(i)) {
            continue;
        }
        let gone = if a.coverage.is_some() {
            "no longer gets anti-virus through a planned provider"
        } else {
            "no longer runs a flagged product"
        };
        if a.status.is_started() || fixed_wave(a).is_some() {
            warnings.push(format!(
                "{}: {gone} (or left the inventory); kept because its status is {} or its wave \
                 is fixed",
                a.id, a.status
            ));
            kept.push(a.clone());
        } else {
            warnings.push(format!(
                "{}: {gone} (or left the inventory); removed from the plan",
                a.id
            ));
        }
    }

    let mut chooser = ProductChooser::new(ctx, settings);
    job.begin(Phase::Products, units.len() as u64)?;
    let mut shared = Interned::default();
    let mut infos: Vec<UnitInfo> = Vec::with_capacity(units.len());
    for (u, members) in units.units.iter().enumerate() {
        job.tick(u as u64)?;
        let prev = |m: usize| previous_of(&prev_by_id, &inv.assets()[m].id);
        // Excluded assets are out of scope: they neither prove a platform nor wait for one.
        let in_scope: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&m| prev(m).is_none_or(|p| p.status != Status::Excluded))
            .collect();
        let mut info = unit_info(ctx, members, &in_scope, settings.strategy, &mut chooser);
        info.sites = shared.sites(
            members
                .iter()
                .filter_map(|&m| inv.assets()[m].site.as_deref()),
        );
        info.priority_note = shared.note(&info.priority_note);
        for &m in members {
            if let Some(fixed) = prev(m).and_then(&fixed_wave) {
                info.fixed = match info.fixed.take() {
                    Some(f) if f.0 >= fixed.0 => Some(f),
                    _ => Some(fixed),
                };
            }
        }
        infos.push(info);
    }
    // Kept assets stay in their waves and take room there (units after the real ones).
    for a in &kept {
        if let Some(w) = previous.wave_index(&a.wave) {
            let sites = shared.sites(inv.get(&a.id).and_then(|x| x.site.as_deref()));
            infos.push(UnitInfo {
                size: 1,
                sites,
                fixed: Some((w, "kept".into())),
                label: a.id.clone(),
                ..UnitInfo::default()
            });
        }
    }
    let cfg = LayoutConfig {
        wave_size: settings.wave_size.max(1),
        site_capacity: settings.site_capacity.clone(),
        pilot: frozen.is_empty(),
        first_wave,
    };
    let constraints = cover.add_units(ctx, &mut infos, settings.strategy, &cfg);
    job.begin(Phase::Layout, infos.len() as u64)?;
    let mut lay = layout_with(&infos, &constraints, &cfg, job)?;
    cover.remove_anchor(&mut lay, &mut infos);
    // What the layout needed is not needed for the output: free it before the plan grows.
    drop((infos, constraints, shared));
    warnings.append(&mut lay.warnings);

    // Compact: drop wave indices nobody uses, except frozen ones and waves kept assets are in.
    let mut used = vec![false; lay.capacity.len().max(previous.waves.len())];
    for &w in &lay.wave_of {
        used[w] = true;
    }
    for &w in &frozen {
        used[w] = true;
    }
    for a in &kept {
        if let Some(w) = previous.wave_index(&a.wave) {
            used[w] = true;
        }
    }
    let mut new_index = vec![usize::MAX; used.len()];
    let mut waves: Vec<Wave> = Vec::new();
    let mut cursor = settings.start;
    let mut taken: Vec<String> = previous.waves.iter().map(|w| w.id.to_lowercase()).collect();
    let mut next_number = 1;
    let pilot_exists = cfg.pilot && lay.wave_of.contains(&first_wave);
    for (old, &is_used) in used.iter().enumerate() {
        if !is_used {
            continue;
        }
        new_index[old] = waves.len();
        let prev = previous.waves.get(old);
        if let Some(p) = prev.filter(|_| last_frozen.is_some_and(|last| old <= last)) {
            cursor = cursor.max(p.end.add_days(1));
            waves.push(p.clone());
            continue;
        }
        let (start, end) = wave_window(cursor, settings.wave_days, &settings.blackouts);
        cursor = end.add_days(1);
        let capacity = lay.capacity.get(old).copied().unwrap_or(settings.wave_size);
        let (id, name) = match prev {
            Some(p) => (p.id.clone(), p.name.clone()),
            None => {
                let id = loop {
                    let candidate = format!("w{next_number}");
                    next_number += 1;
                    if !taken.contains(&candidate) {
                        taken.push(candidate.clone());
                        break candidate;
                    }
                };
                let name = if pilot_exists && old == first_wave {
                    "Pilot".to_string()
                } else {
                    format!("Wave {}", waves.len() + 1)
                };
                (id, name)
            }
        };
        waves.push(Wave {
            id,
            name,
            start,
            end,
            capacity,
            frozen: false,
        });
    }

    job.begin(Phase::Assets, units.len() as u64)?;
    let mut assets: Vec<PlannedAsset> = Vec::with_capacity(inv.len() / 2);
    let wave_id = |w: usize| waves[new_index[w]].id.clone();
    for (u, members) in units.units.iter().enumerate() {
        job.tick(u as u64)?;
        let note = proof_note(&lay.proofs[u], wave_id);
        let unit_reason = std::mem::take(&mut lay.reasons[u]);
        let wave = &waves[new_index[lay.wave_of[u]]];
        let cycle_note = if members.len() > 1 {
            format!(
                "; kept together with {} (dependency cycle)",
                ctx.ids(members).join(", ")
            )
        } else {
            String::new()
        };
        for &m in members {
            let id = &inv.assets()[m].id;
            let prev = previous_of(&prev_by_id, id);
            let mut pa = match prev {
                Some(p) => p.clone(),
                None => PlannedAsset::new(id.clone(), wave.id.clone()),
            };
            pa.id = id.clone();
            pa.wave = wave.id.clone();
            // Now in the inventory and scheduled: no longer waiting for assignment.
            pa.source = None;
            pa.reason = match note.as_str() {
                "" => format!("{}: {unit_reason}{cycle_note}", wave.name),
                note => format!("{}: {unit_reason}; {note}{cycle_note}", wave.name),
            };
            if !keeps_product(id, prev) || ctx.inventory.assets()[m].kind.is_logical() {
                let (product, why) = chooser.choose(m);
                if product.is_none() && !ctx.inventory.assets()[m].kind.is_logical() {
                    warnings.push(format!("{id}: {why}"));
                }
                pa.product = product;
                pa.product_reason = why;
            }
            pa.needs_decision = needs_decision(ctx, m, pa.product.as_deref());
            assets.push(pa);
        }
    }
    for mut a in kept {
        if let Some(w) = previous.wave_index(&a.wave) {
            a.wave = waves[new_index[w]].id.clone();
        }
        assets.push(a);
    }
    job.begin(Phase::Finishing, 0)?;
    cover.finish(ctx, &lay, &new_index, &waves, &mut assets, &mut warnings);
    drop(lay);
    job.check()?;
    let mut plan = Plan {
        schema_version: SCHEMA_VERSION,
        name: previous.name.clone(),
        inventory: previous.inventory.clone(),
        import: previous.import.clone(),
        settings: previous.settings.clone(),
        waves,
        assets,
        events: previous.events.clone(),
        alerts: previous.alerts.clone(),
    };
    plan.sort_assets();
    // Calendar warnings go first: per-asset warnings can run into thousands.
    if let Some(w) = calendar_warning(&plan) {
        warnings.insert(0, w);
    }
    job.finish();
    Ok(Scheduled { plan, warnings })
}

/// The previous plan's entry of asset `id` (keys are lower-case ids).
fn previous_of<'p>(
    by_id: &HashMap<String, &'p PlannedAsset>,
    id: &str,
) -> Option<&'p PlannedAsset> {
    if by_id.is_empty() {
        return None;
    }
    by_id.get(&id.to_lowercase()).copied()
}

/// Values many units share, allocated once: site names and priority notes.
#[derive(Default)]
struct Interned {
    sites: HashMap<String, Arc<str>>,
    notes: HashMap<String, Arc<str>>,
}

impl Interned {
    /// Assets per site of `sites` (one entry per asset), sorted by site.
    fn sites<'s>(&mut self, sites: impl IntoIterator<Item = &'s str>) -> Sites {
        let mut out: Sites = Vec::new();
        for site in sites {
            match out.iter_mut().find(|(s, _)| &**s == site) {
                Some((_, k)) => *k += 1,
                None => out.push((intern(&mut self.sites, site), 1)),
            }
        }
        out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        out
    }

    fn note(&mut self, note: &str) -> Arc<str> {
        intern(&mut self.notes, note)
    }
}

fn intern(map: &mut HashMap<String, Arc<str>>, value: &str) -> Arc<str> {
    match map.get(value) {
        Some(v) => Arc::clone(v),
        None => {
            let v: Arc<str> = value.into();
            map.insert(value.to_string(), Arc::clone(&v));
            v
        }
    }
}

/// The plan misses its deadline, or (without one) its waves run for more than a year.
pub fn calendar_warning(plan: &Plan) -> Option<String> {
    let end = plan.planned_end()?;
    let start = plan.waves.iter().map(|w| w.start).min()?;
    let hint = "larger waves (--wave-size) or longer ones (--wave-days) shorten it";
    match plan.settings.deadline {
        Some(deadline) if end > deadline => Some(format!(
            "the last wave ends {end}, after the deadline {deadline}; {hint}"
        )),
        None if start.days_until(end) > LONG_PLAN_DAYS => Some(format!(
            "the last wave ends {end}, more than a year after the first starts ({start}); {hint}"
        )),
        _ => None,
    }
}

/// Criticality as a number (low 0 … critical 3).
pub fn criticality_rank(c: Criticality) -> i64 {
    match c {
        Criticality::Low => 0,
        Criticality::Medium => 1,
        Criticality::High => 2,
        Criticality::Critical => 3,
    }
}

/// How urgent an asset is: KRITIS, criticality, internet exposure.
pub fn risk_score(a: &Asset) -> i64 {
    10 * i64::from(a.has_tag("kritis"))
        + 4 * criticality_rank(a.criticality)
        + 3 * i64::from(a.has_tag("internet-facing"))
}

/// What the layout needs to know of a unit; `in_scope` are its members not excluded.
fn unit_info(
    ctx: &PlanContext,
    members: &[usize],
    in_scope: &[usize],
    strategy: Strategy,
    chooser: &mut ProductChooser,
) -> UnitInfo {
    let inv = ctx.inventory;
    let first = members
        .iter()
        .copied()
        .min_by(|&a, &b| inv.assets()[a].id.cmp(&inv.assets()[b].id))
        .unwrap_or(members[0]);
    let risk = members
        .iter()
        .map(|&m| risk_score(&inv.assets()[m]))
        .max()
        .unwrap_or(0);
    let lead = &inv.assets()[members
        .iter()
        .copied()
        .max_by_key(|&m| (risk_score(&inv.assets()[m]), std::cmp::Reverse(m)))
        .unwrap_or(first)];
    let mut traits = vec![lead.criticality.as_str().to_string()];
    for tag in ["kritis", "internet-facing"] {
        if lead.has_tag(tag) {
            traits.push(tag.to_string());
        }
    }
    let (priority, note) = match strategy {
        Strategy::RiskFirst => (
            risk,
            format!(
                "risk-first: {} as early as the rules allow",
                traits.join(", ")
            ),
        ),
        Strategy::SafetyFirst => (
            -risk,
            format!(
                "safety-first: {} systems in order of rising risk",
                traits.join(", ")
            ),
        ),
    };
    let mut groups = Vec::new();
    let (mut critical, mut ot) = (false, false);
    // A pilot sample should prove the new product on a current system: legacy systems and
    // systems without a compatible product (or logical CIs, which get none) are the last
    // choice within their risk.
    let mut penalty = 0;
    for &m in in_scope {
        let asset = &inv.assets()[m];
        let roles = ctx.roles(m);
        groups.extend(platforms(asset, &roles));
        critical |= is_critical(asset);
        ot |= is_ot(asset, &roles);
        penalty = penalty
            .max(i64::from(asset.has_tag("legacy")) + 2 * i64::from(chooser.choose(m).0.is_none()));
    }
    groups.sort_unstable();
    groups.dedup();
    UnitInfo {
        size: members.len(),
        priority,
        management: members.iter().any(|&m| ctx.is_management(m)),
        pilot: members.iter().any(|&m| inv.assets()[m].has_tag("pilot")),
        groups,
        critical,
        ot,
        pilot_risk: risk + penalty,
        // Filled in by the caller, which shares site names between units.
        sites: Sites::new(),
        fixed: None,
        label: inv.assets()[first].id.clone(),
        priority_note: note.into(),
    }
}

#[cfg(test)]
#[path = "schedule_tests.rs"]
mod tests;
