//! Placing scheduling units into waves: a representative pilot first, ramp-up, provider last,
//! KRITIS / critical / OT systems only after the pilot proved their platform, management
//! servers last, capacities, pins and frozen waves. Pure and deterministic.
//!
//! The driver [`layout_with`] runs the phases in order, each in its own module: the
//! constraint graph (`graph`), fixed units (`placement`), the pilot and the proof gate it
//! opens (`pilot_wave`), readiness (`ready`) and filling wave after wave (`fill`).

mod fill;
mod graph;
mod pilot_wave;
mod placement;
mod ready;
mod reasons;

use super::job::{Cancelled, Job};
use super::model::site_capacity_of;
use super::pilot::{Platform, Proof};
use super::units::Constraint;
use fill::{Inputs, Ramp, fill_wave, place_stuck};
use graph::Graph;
use pilot_wave::{place_pilot, proof_gate};
use placement::Placement;
use ready::{Order, Readiness};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Assets per site, sorted by site. Site names are shared: a million units name a few sites.
pub type Sites = Vec<(Arc<str>, usize)>;

/// What the layout needs to know about one unit.
#[derive(Debug, Clone, Default)]
pub struct UnitInfo {
    /// Number of assets.
    pub size: usize,
    /// Higher goes earlier (strategy-dependent).
    pub priority: i64,
    /// Holds a management server (goes after everything it does not itself depend on).
    pub management: bool,
    /// Tagged `pilot`.
    pub pilot: bool,
    /// Platform groups (OS family, roles) the pilot samples and proves.
    pub groups: Vec<Platform>,
    /// KRITIS or critical: never in the pilot, and only after its platforms were proven.
    pub critical: bool,
    /// OT: only after its platforms were proven (a low-risk one may be the pilot's sample).
    pub ot: bool,
    /// Lower is a safer pilot candidate.
    pub pilot_risk: i64,
    /// Assets per site.
    pub sites: Sites,
    /// Wave index it must stay in (pinned or frozen), with the reason.
    pub fixed: Option<(usize, String)>,
    /// Name used in reasons (first member id).
    pub label: String,
    /// Why it was prioritised, e.g. "critical, kritis" (shared: few distinct notes).
    pub priority_note: Arc<str>,
}

/// Layout settings.
#[derive(Debug, Clone)]
pub struct LayoutConfig {
    /// Full wave size.
    pub wave_size: usize,
    /// Maximum assets per site and wave.
    pub site_capacity: BTreeMap<String, usize>,
    /// Build a pilot wave first (false when earlier waves are frozen).
    pub pilot: bool,
    /// First wave index that may receive new units.
    pub first_wave: usize,
    /// Ramp up after the pilot (see `Settings::ramp`).
    pub ramp: bool,
}

/// Where each unit goes, why, and the capacity of each wave.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Wave index per unit.
    pub wave_of: Vec<usize>,
    /// Reason per unit, without the wave (the caller prefixes it).
    pub reasons: Vec<String>,
    /// Capacity per wave index.
    pub capacity: Vec<usize>,
    /// Problems the layout could only soften (oversized groups, constrained pilots).
    pub warnings: Vec<String>,
    /// Per unit that waited for the pilot (KRITIS, critical, OT): how its platforms were
    /// proven, for the reason (see [`super::pilot::proof_note`]).
    pub proofs: Vec<Vec<Proof>>,
}

/// Verb phrase for "X, which … it" by relation kind (provider's point of view).
pub fn relation_phrase(kind: crate::model::RelationKind, indirect: bool) -> &'static str {
    use crate::model::RelationKind::*;
    if indirect {
        return "relies on it";
    }
    match kind {
        ManagedBy => "it manages",
        UpdatesFrom => "gets updates from it",
        MailVia => "sends mail through it",
        ScannedBy => "it scans",
        ProxiedBy => "uses it as proxy",
        RunsOn => "runs on it",
        ReportsTo => "reports to it",
        Uses => "uses it",
    }
}

/// Places every unit. Always terminates; impossible constraints become warnings.
pub fn layout(units: &[UnitInfo], constraints: &[Constraint], cfg: &LayoutConfig) -> Layout {
    match layout_with(units, constraints, cfg, &Job::new()) {
        Ok(lay) => lay,
        // Nobody else holds the job, so nobody can cancel it.
        Err(Cancelled) => unreachable!(),
    }
}

/// [`layout`], reporting the units placed to `job` and stopping when it is cancelled.
pub fn layout_with(
    units: &[UnitInfo],
    constraints: &[Constraint],
    cfg: &LayoutConfig,
    job: &Job,
) -> Result<Layout, Cancelled> {
    let graph = Graph::new(units, constraints);
    let mut placed = Placement::with_fixed(units);
    if cfg.pilot {
        place_pilot(units, &graph, cfg, &mut placed);
    }
    let mut gate = proof_gate(units, &graph, cfg, &mut placed);
    let ramp = Ramp::new(cfg);
    let order = Order::new(units, &graph);
    let mut ready = Readiness::new(units, &graph, &gate, &placed, &order, cfg, ramp.start);
    // Past this wave nothing can become ready any more (contradictory pins).
    let hopeless = units
        .iter()
        .filter_map(|i| i.fixed.as_ref().map(|f| f.0))
        .max()
        .unwrap_or(0)
        + units.len()
        + 1;
    let inputs = Inputs {
        units,
        graph: &graph,
        cfg,
        order: &order,
        job,
    };
    let mut w = ramp.start;
    while ready.unplaced > 0 {
        job.check()?;
        let cap = ramp.capacity(w);
        let placed_any = fill_wave(&inputs, w, cap, &mut ready, &mut gate, &mut placed)?;
        if !placed_any && w > hopeless {
            place_stuck(units, w, &mut ready, &mut placed);
        }
        placed.close_wave(w, cap);
        w += 1;
    }
    Ok(placed.into_layout(cfg.wave_size.max(1), gate.proofs(units)))
}

/// Whether `info` fits the site capacities of `cfg` on top of `used` (assets per site).
pub(super) fn site_fits(
    info: &UnitInfo,
    used: &BTreeMap<String, usize>,
    cfg: &LayoutConfig,
) -> bool {
    info.sites.iter().all(|(site, k)| {
        site_capacity_of(&cfg.site_capacity, site)
            .is_none_or(|cap| used.get(&**site).copied().unwrap_or(0) + k <= cap)
    })
}

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;
