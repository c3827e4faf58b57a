//! Phases 3 and 4 of the layout: the pilot wave, and the proof gate it opens.

use super::graph::Graph;
use super::placement::Placement;
use super::reasons::normal_reason;
use super::{LayoutConfig, UnitInfo};
use crate::plan::pilot::{ProofGate, pilot_units};

/// Phase 3: fills the pilot wave (`cfg.first_wave`) with the pilot sample, then with every
/// unit bound to that wave by a provider pinned there, and closes it. Guarantees: only
/// `cfg.first_wave` gains units; its capacity is its load (at least 1); a unit relying on a
/// provider pinned to the pilot is not left for a later wave.
pub(super) fn place_pilot(
    units: &[UnitInfo],
    graph: &Graph,
    cfg: &LayoutConfig,
    placed: &mut Placement,
) {
    let w = cfg.first_wave;
    placed.ensure(w);
    let chosen = pilot_units(
        units,
        &graph.dependents,
        &placed.wave_of,
        cfg,
        &placed.site_load[w],
        &mut placed.warnings,
    );
    for (u, why) in chosen {
        placed.place(u, w, &units[u]);
        placed.reasons[u] = why;
    }
    let pulled: Vec<usize> = (0..units.len())
        .filter(|&u| placed.wave_of[u].is_none() && graph.upper[u] == Some(w))
        .collect();
    for &u in &pulled {
        placed.place(u, w, &units[u]);
        placed.reasons[u] = normal_reason(u, units, &graph.dependents, &placed.wave_of, true);
    }
    if let Some(&u) = pulled.first() {
        placed.warnings.push(format!(
            "{} unit(s) (e.g. {}) joined the pilot wave to stay ahead of a provider pinned \
             there",
            pulled.len(),
            units[u].label
        ));
    }
    placed.close_wave(w, 1);
}

/// Phase 4: which platforms the placed units already prove, and what KRITIS, critical and OT
/// units wait for. The pilot is the wave built as one, or the first (frozen) wave of a plan
/// under way; a platform nothing can prove holds its units until the first wave after the
/// pilot, with a warning.
pub(super) fn proof_gate(
    units: &[UnitInfo],
    graph: &Graph,
    cfg: &LayoutConfig,
    placed: &mut Placement,
) -> ProofGate {
    let pilot_wave = match (cfg.pilot, cfg.first_wave) {
        (true, first) => Some(first),
        (false, 0) => None,
        (false, _) => Some(0),
    };
    let fallback = cfg.first_wave + usize::from(cfg.pilot);
    ProofGate::new(
        units,
        &placed.wave_of,
        &graph.blocked,
        pilot_wave,
        fallback,
        &mut placed.warnings,
    )
}
