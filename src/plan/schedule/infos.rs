//! Phases 3 and 4 of (re)planning: what the layout needs to know of each unit, and the
//! layout itself.

use super::previous::Previous;
use super::risk_score;
use crate::model::Named;
use crate::plan::context::PlanContext;
use crate::plan::coverage::CoveragePlanner;
use crate::plan::job::{Cancelled, Job, Phase};
use crate::plan::layout::{Layout, LayoutConfig, Sites, UnitInfo, layout_with};
use crate::plan::model::{PlannedAsset, Status, Strategy};
use crate::plan::pilot::{is_critical, is_ot, platforms};
use crate::plan::products::ProductChooser;
use std::collections::HashMap;
use std::sync::Arc;

/// Phase 3 (progress phase "products"): one [`UnitInfo`] per unit of `ctx`, in unit order,
/// then one per kept asset that is in a wave of the previous plan (size 1, fixed there).
/// Guarantees: a unit is fixed to the latest fixed wave of its members; excluded members
/// neither prove a platform nor wait for one; site names and notes are shared.
pub(super) fn unit_infos(
    ctx: &PlanContext,
    prev: &Previous,
    kept: &[PlannedAsset],
    chooser: &mut ProductChooser,
    job: &Job,
) -> Result<Vec<UnitInfo>, Cancelled> {
    let inv = ctx.inventory;
    let units = &ctx.units;
    job.begin(Phase::Products, units.len() as u64)?;
    let mut shared = Interned::default();
    let mut infos: Vec<UnitInfo> = Vec::with_capacity(units.len());
    for (u, members) in units.units.iter().enumerate() {
        job.tick(u as u64)?;
        let before = |m: usize| prev.of(&inv.assets()[m].id);
        let in_scope: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&m| before(m).is_none_or(|p| p.status != Status::Excluded))
            .collect();
        let strategy = prev.plan.settings.strategy;
        let mut info = unit_info(ctx, members, &in_scope, strategy, chooser);
        info.sites = shared.sites(
            members
                .iter()
                .filter_map(|&m| inv.assets()[m].site().map(|t| t.as_str())),
        );
        info.priority_note = shared.note(&info.priority_note);
        for &m in members {
            if let Some(fixed) = before(m).and_then(|p| prev.fixed_wave(p)) {
                info.fixed = match info.fixed.take() {
                    Some(f) if f.0 >= fixed.0 => Some(f),
                    _ => Some(fixed),
                };
            }
        }
        infos.push(info);
    }
    // Kept assets stay in their waves and take room there (units after the real ones).
    for a in kept {
        if let Some(w) = prev.plan.wave_index(&a.wave) {
            let sites = shared.sites(inv.get(&a.id).and_then(|x| x.site().map(|t| t.as_str())));
            infos.push(UnitInfo {
                size: 1,
                sites,
                fixed: Some((w, "kept".into())),
                label: a.id.clone(),
                ..UnitInfo::default()
            });
        }
    }
    Ok(infos)
}

/// Phase 4 (progress phase "layout"): the units and the protected assets with their own
/// units laid out into waves (see [`layout_with`]); a pilot only when no wave is frozen, new
/// units only after the frozen waves. The coverage anchor unit is gone from the result.
pub(super) fn lay_out(
    ctx: &PlanContext,
    prev: &Previous,
    mut infos: Vec<UnitInfo>,
    cover: &mut CoveragePlanner,
    job: &Job,
) -> Result<Layout, Cancelled> {
    let settings = &prev.plan.settings;
    let cfg = LayoutConfig {
        wave_size: settings.wave_size.max(1),
        site_capacity: settings.site_capacity.clone(),
        pilot: prev.frozen().is_empty(),
        first_wave: prev.frozen().end,
        ramp: settings.ramp,
    };
    let constraints = cover.add_units(ctx, &mut infos, settings.strategy, &cfg);
    job.begin(Phase::Layout, infos.len() as u64)?;
    let mut lay = layout_with(&infos, &constraints, &cfg, job)?;
    cover.remove_anchor(&mut lay, &mut infos);
    Ok(lay)
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
        label: inv.assets()[first].id.to_string(),
        priority_note: note.into(),
    }
}
