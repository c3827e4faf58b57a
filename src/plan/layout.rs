//! Placing scheduling units into waves: a representative pilot first, ramp-up, provider last,
//! KRITIS / critical / OT systems only after the pilot proved their platform, management
//! servers last, capacities, pins and frozen waves. Pure and deterministic.

use super::job::{Cancelled, Job};
use super::model::site_capacity_of;
use super::pilot::{Platform, Proof, ProofGate, pilot_units};
use super::units::{Constraint, relied_on_by};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
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

/// The order of ready units: the earliest bound by a pinned provider first, then priority,
/// then label.
type Key = Reverse<(usize, Reverse<i64>, u32, usize)>;

/// Units ready to be placed, and management servers held back until everything they do not
/// rely on is placed.
#[derive(Default)]
struct Queues {
    heap: BinaryHeap<Key>,
    waiting: BTreeMap<usize, Vec<usize>>,
    gated: Vec<usize>,
    gate_open_at: Option<usize>,
}

impl Queues {
    /// Unit `u` has no pending dependents and no unproven platform: it may go from wave `at`
    /// (a management server no earlier than the gate opens). `w` is the current wave.
    fn ready(&mut self, u: usize, at: usize, management: bool, w: usize, key: Key) {
        let at = match (management, self.gate_open_at) {
            (true, None) => {
                self.gated.push(u);
                return;
            }
            (true, Some(g)) => at.max(g),
            (false, _) => at,
        };
        if at <= w {
            self.heap.push(key);
        } else {
            self.waiting.entry(at).or_default().push(u);
        }
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
    let n = units.len();
    let ws = cfg.wave_size.max(1);
    let mut dependents: Vec<Vec<&Constraint>> = vec![Vec::new(); n];
    let mut providers: Vec<Vec<u32>> = vec![Vec::new(); n];
    for c in constraints {
        dependents[c.provider as usize].push(c);
        providers[c.dependent as usize].push(c.provider);
    }
    let upper = upper_bounds(units, &providers, &dependents);
    // Units a management server relies on may follow it, so they do not gate it.
    let management: Vec<bool> = units.iter().map(|u| u.management).collect();
    let after_mgmt = relied_on_by(n, constraints, &management);
    // Units a KRITIS / critical / OT or management unit relies on cannot go first: they
    // prove no platform.
    let held: Vec<bool> = units
        .iter()
        .map(|u| u.management || u.critical || u.ot)
        .collect();
    let blocked = relied_on_by(n, constraints, &held);

    let mut wave_of: Vec<Option<usize>> = vec![None; n];
    let mut reasons = vec![String::new(); n];
    let mut warnings = Vec::new();
    let mut load: Vec<usize> = Vec::new();
    let mut site_load: Vec<BTreeMap<String, usize>> = Vec::new();
    let mut capacity: Vec<usize> = Vec::new();
    let ensure = |w: usize, load: &mut Vec<usize>, site_load: &mut Vec<BTreeMap<String, usize>>| {
        if load.len() <= w {
            load.resize(w + 1, 0);
            site_load.resize(w + 1, BTreeMap::new());
        }
    };
    for (u, info) in units.iter().enumerate() {
        if let Some((w, why)) = &info.fixed {
            ensure(*w, &mut load, &mut site_load);
            place(u, *w, info, &mut wave_of, &mut load, &mut site_load);
            reasons[u] = why.clone();
        }
    }

    let mut w = cfg.first_wave;
    if cfg.pilot {
        ensure(w, &mut load, &mut site_load);
        let chosen = pilot_units(
            units,
            &dependents,
            &wave_of,
            cfg,
            &site_load[w],
            &mut warnings,
        );
        for (u, why) in chosen {
            place(u, w, &units[u], &mut wave_of, &mut load, &mut site_load);
            reasons[u] = why;
        }
        // What relies on a provider pinned to the pilot wave must be in it as well.
        let pulled: Vec<usize> = (0..n)
            .filter(|&u| wave_of[u].is_none() && upper[u] == Some(w))
            .collect();
        for &u in &pulled {
            place(u, w, &units[u], &mut wave_of, &mut load, &mut site_load);
            reasons[u] = normal_reason(u, units, &dependents, &wave_of, true);
        }
        if let Some(&u) = pulled.first() {
            warnings.push(format!(
                "{} unit(s) (e.g. {}) joined the pilot wave to stay ahead of a provider pinned \
                 there",
                pulled.len(),
                units[u].label
            ));
        }
        capacity.resize(w + 1, 0);
        capacity[w] = load[w].max(1);
        w += 1;
    }
    // The pilot: the wave built as one, or the first (frozen) wave of a plan under way.
    let pilot_wave = match (cfg.pilot, cfg.first_wave) {
        (true, first) => Some(first),
        (false, 0) => None,
        (false, _) => Some(0),
    };
    let fallback = cfg.first_wave + usize::from(cfg.pilot);
    let mut gate = ProofGate::new(
        units,
        &wave_of,
        &blocked,
        pilot_wave,
        fallback,
        &mut warnings,
    );
    let ramp_start = w;
    let max_fixed = units
        .iter()
        .filter_map(|i| i.fixed.as_ref().map(|f| f.0))
        .max()
        .unwrap_or(0);
    // Event-driven: a unit becomes a candidate when its last dependent is placed and its
    // platforms are proven. Providers may share the wave of what relies on them ("not
    // after"); management servers follow in a later wave, and only once every unit they do
    // not rely on is placed.
    let mut label_order: Vec<usize> = (0..n).collect();
    label_order.sort_by(|&a, &b| units[a].label.cmp(&units[b].label));
    let mut label_rank = vec![0u32; n];
    for (r, &u) in label_order.iter().enumerate() {
        label_rank[u] = r as u32;
    }
    let key = |u: usize| -> Key {
        Reverse((
            upper[u].unwrap_or(usize::MAX),
            Reverse(units[u].priority),
            label_rank[u],
            u,
        ))
    };
    let strict = |u: usize| usize::from(units[u].management);
    let mut pending = vec![0usize; n];
    let mut eligible = vec![cfg.first_wave; n];
    for u in 0..n {
        for c in &dependents[u] {
            match wave_of[c.dependent as usize] {
                Some(dw) => eligible[u] = eligible[u].max(dw + strict(u)),
                None => pending[u] += 1,
            }
        }
    }
    let blocks_gate = |u: usize| !units[u].management && !after_mgmt[u];
    let mut gate_blockers = (0..n)
        .filter(|&u| wave_of[u].is_none() && blocks_gate(u))
        .count();
    let mut q = Queues {
        gate_open_at: (gate_blockers == 0).then_some(w),
        ..Queues::default()
    };
    let mut forced_at: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut unplaced = 0usize;
    for u in 0..n {
        if wave_of[u].is_some() {
            continue;
        }
        unplaced += 1;
        if let Some(ub) = upper[u] {
            forced_at.entry(ub).or_default().push(u);
        }
        if pending[u] == 0 && gate.unproven[u] == 0 {
            let at = eligible[u].max(gate.floor[u]);
            q.ready(u, at, units[u].management, w, key(u));
        }
    }
    while unplaced > 0 {
        job.check()?;
        ensure(w, &mut load, &mut site_load);
        let cap = if cfg.pilot {
            match w - ramp_start {
                0 => (ws / 4).max(1),
                1 => (ws / 2).max(1),
                _ => ws,
            }
        } else {
            ws
        };
        let due: Vec<usize> = q.waiting.range(..=w).map(|(k, _)| *k).collect();
        for k in due {
            for u in q.waiting.remove(&k).unwrap_or_default() {
                q.heap.push(key(u));
            }
        }
        // Forced: a provider is fixed in this wave; overdue: fixed in an earlier wave that is
        // closed to scheduling (frozen), so the constraint cannot hold any more.
        let mut queue: Vec<(usize, bool)> = Vec::new();
        let due: Vec<usize> = forced_at.range(..=w).map(|(k, _)| *k).collect();
        for k in due {
            for u in forced_at.remove(&k).unwrap_or_default() {
                if k < w && wave_of[u].is_none() {
                    warnings.push(format!(
                        "{}: relies on a provider fixed in an earlier wave that is closed to \
                         scheduling; ordering constraints contradict pinned or frozen waves",
                        units[u].label
                    ));
                }
                queue.push((u, true));
            }
        }
        let mut deferred = Vec::new();
        let mut placed_any = false;
        loop {
            let (u, forced) = match queue.pop() {
                Some(x) => x,
                // A full wave takes no more ready units (every unit has at least one asset):
                // leave them in the heap rather than popping and deferring each one per wave.
                None if load[w] >= cap => break,
                None => match q.heap.pop() {
                    Some(Reverse((_, _, _, u))) => (u, false),
                    None => break,
                },
            };
            if wave_of[u].is_some() {
                continue;
            }
            let info = &units[u];
            let fits = load[w] + info.size <= cap && site_fits(info, &site_load[w], cfg);
            if !(fits || forced || load[w] == 0) {
                deferred.push(u);
                continue;
            }
            place(u, w, info, &mut wave_of, &mut load, &mut site_load);
            unplaced -= 1;
            placed_any = true;
            job.tick((n - unplaced) as u64)?;
            reasons[u] = normal_reason(u, units, &dependents, &wave_of, forced);
            if info.size > cap {
                warnings.push(format!(
                    "{}: a group of {} assets that must share a wave exceeds the capacity of \
                     its wave ({cap}; wave size {ws}); placed alone in an oversized wave",
                    info.label, info.size
                ));
                reasons[u].push_str(&format!(
                    " (group of {} exceeds the wave capacity of {cap})",
                    info.size
                ));
            } else if !fits && forced {
                warnings.push(format!(
                    "{}: placed beyond the wave capacity to stay ahead of a pinned provider",
                    info.label
                ));
            }
            if blocks_gate(u) {
                gate_blockers -= 1;
                if gate_blockers == 0 {
                    q.gate_open_at = Some(w + 1);
                    for g in std::mem::take(&mut q.gated) {
                        let at = eligible[g].max(gate.floor[g]);
                        q.ready(g, at, true, w, key(g));
                    }
                }
            }
            for v in gate.placed(units, u, w) {
                if wave_of[v].is_none() && pending[v] == 0 {
                    let at = eligible[v].max(gate.floor[v]);
                    q.ready(v, at, units[v].management, w, key(v));
                }
            }
            for &p in &providers[u] {
                let p = p as usize;
                if wave_of[p].is_some() {
                    continue;
                }
                pending[p] -= 1;
                eligible[p] = eligible[p].max(w + strict(p));
                if pending[p] == 0 && gate.unproven[p] == 0 {
                    let at = eligible[p].max(gate.floor[p]);
                    q.ready(p, at, units[p].management, w, key(p));
                }
            }
        }
        for u in deferred {
            q.heap.push(key(u));
        }
        if !placed_any && w > max_fixed + n + 1 {
            // No unit can ever become ready (contradictory pins): place the rest, warned.
            for u in 0..n {
                if wave_of[u].is_none() {
                    place(u, w, &units[u], &mut wave_of, &mut load, &mut site_load);
                    unplaced -= 1;
                    reasons[u] =
                        "placed last: its ordering constraints contradict pinned waves".into();
                    warnings.push(format!(
                        "{}: ordering constraints contradict pinned or frozen waves",
                        units[u].label
                    ));
                }
            }
        }
        capacity.resize(w + 1, 0);
        capacity[w] = cap.max(load[w]);
        w += 1;
    }
    capacity.resize(load.len().max(capacity.len()), ws);
    for (i, c) in capacity.iter_mut().enumerate() {
        if *c == 0 {
            *c = ws.max(load.get(i).copied().unwrap_or(0));
        }
    }
    Ok(Layout {
        wave_of: wave_of.into_iter().map(|w| w.unwrap_or(0)).collect(),
        reasons,
        capacity,
        warnings,
        proofs: gate.proofs(units),
    })
}

fn place(
    u: usize,
    w: usize,
    info: &UnitInfo,
    wave_of: &mut [Option<usize>],
    load: &mut [usize],
    site_load: &mut [BTreeMap<String, usize>],
) {
    wave_of[u] = Some(w);
    load[w] += info.size;
    for (site, k) in &info.sites {
        match site_load[w].get_mut(&**site) {
            Some(v) => *v += k,
            None => {
                site_load[w].insert(site.to_string(), *k);
            }
        }
    }
}

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

fn normal_reason(
    u: usize,
    units: &[UnitInfo],
    dependents: &[Vec<&Constraint>],
    wave_of: &[Option<usize>],
    forced: bool,
) -> String {
    let info = &units[u];
    if forced {
        return "no later than its pinned provider, which it relies on".to_string();
    }
    let latest = dependents[u].iter().max_by_key(|c| {
        (
            wave_of[c.dependent as usize],
            std::cmp::Reverse(c.dependent),
        )
    });
    match latest {
        Some(c) => {
            let who = &units[c.dependent as usize].label;
            let more = dependents[u].len() - 1;
            let others = if more > 0 {
                format!(" and {more} other{}", if more == 1 { "" } else { "s" })
            } else {
                String::new()
            };
            let mgmt = if info.management {
                "management server, "
            } else {
                ""
            };
            format!(
                "{mgmt}after {who} (which {}){others} (provider last)",
                relation_phrase(c.kind, c.indirect)
            )
        }
        None if info.management => {
            "management server: after every system it does not itself rely on".into()
        }
        None => info.priority_note.to_string(),
    }
}

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;
