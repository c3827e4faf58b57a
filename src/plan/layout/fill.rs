//! Phase 6 of the layout: filling one wave after the other.

use super::graph::Graph;
use super::placement::Placement;
use super::ready::{Order, Readiness};
use super::reasons::normal_reason;
use super::{LayoutConfig, UnitInfo, site_fits};
use crate::plan::job::{Cancelled, Job};
use crate::plan::pilot::ProofGate;

/// What every wave is filled from: read-only for the whole phase.
pub(super) struct Inputs<'a> {
    /// The units.
    pub units: &'a [UnitInfo],
    /// Their constraints.
    pub graph: &'a Graph<'a>,
    /// The settings.
    pub cfg: &'a LayoutConfig,
    /// The order of ready units.
    pub order: &'a Order,
    /// Progress and cancellation.
    pub job: &'a Job,
}

/// The capacity of each scheduled wave: after the pilot a quarter, then half, then the full
/// wave size. Never 0. When earlier waves are frozen (a replan in the middle of the rollout),
/// the first frozen wave was the pilot and the frozen ones after it took the ramp's first
/// steps: the ramp goes on from there rather than starting at full size.
pub(super) struct Ramp {
    /// First wave the ramp applies to (the wave after the pilot).
    pub start: usize,
    size: usize,
    /// Ramp steps the frozen waves already took.
    done: usize,
    /// False for a layout without pilot and without frozen waves: full size throughout.
    ramped: bool,
}

impl Ramp {
    /// The ramp for `cfg`.
    pub fn new(cfg: &LayoutConfig) -> Ramp {
        Ramp {
            start: cfg.first_wave + usize::from(cfg.pilot),
            size: cfg.wave_size.max(1),
            done: if cfg.pilot {
                0
            } else {
                cfg.first_wave.saturating_sub(1)
            },
            ramped: cfg.ramp && (cfg.pilot || cfg.first_wave > 0),
        }
    }

    /// Capacity of wave `w` (at or after `start`).
    pub fn capacity(&self, w: usize) -> usize {
        let ws = self.size;
        if !self.ramped {
            return ws;
        }
        match w - self.start + self.done {
            0 => (ws / 4).max(1),
            1 => (ws / 2).max(1),
            _ => ws,
        }
    }
}

/// Fills wave `w` up to `cap`: first the units that must go no later than `w`, then ready
/// units by [`Order`]. Guarantees: a unit goes in only if it fits the wave's capacity and
/// every site capacity, unless it is forced (then warned) or the wave is still empty (an
/// oversized group, placed alone and warned). Returns whether it placed anything.
pub(super) fn fill_wave(
    inp: &Inputs,
    w: usize,
    cap: usize,
    ready: &mut Readiness,
    gate: &mut ProofGate,
    placed: &mut Placement,
) -> Result<bool, Cancelled> {
    placed.ensure(w);
    ready.release_due(w, inp.order);
    let mut queue = ready.forced_due(w, inp.units, placed);
    let mut deferred = Vec::new();
    let mut placed_any = false;
    loop {
        let (u, forced) = match queue.pop() {
            Some(x) => x,
            // A full wave takes no more ready units (every unit has at least one asset):
            // leave them in the heap rather than popping and deferring each one per wave.
            None if placed.load[w] >= cap => break,
            None => match ready.pop() {
                Some(u) => (u, false),
                None => break,
            },
        };
        if placed.wave_of[u].is_some() {
            continue;
        }
        let info = &inp.units[u];
        let fits =
            placed.load[w] + info.size <= cap && site_fits(info, &placed.site_load[w], inp.cfg);
        if !(fits || forced || placed.load[w] == 0) {
            deferred.push(u);
            continue;
        }
        placed.place(u, w, info);
        ready.unplaced -= 1;
        placed_any = true;
        inp.job.tick((inp.units.len() - ready.unplaced) as u64)?;
        explain(inp, u, cap, fits, forced, placed);
        ready.placed(u, w, inp, gate, &placed.wave_of);
    }
    ready.defer(deferred, inp.order);
    Ok(placed_any)
}

/// The reason of unit `u` just placed, and the warning when it overflows its wave's capacity
/// `cap` (`fits`: it did not).
fn explain(inp: &Inputs, u: usize, cap: usize, fits: bool, forced: bool, placed: &mut Placement) {
    let info = &inp.units[u];
    placed.reasons[u] = normal_reason(u, inp.units, &inp.graph.dependents, &placed.wave_of, forced);
    if info.size > cap {
        let ws = inp.cfg.wave_size.max(1);
        placed.warnings.push(format!(
            "{}: a group of {} assets that must share a wave exceeds the capacity of \
             its wave ({cap}; wave size {ws}); placed alone in an oversized wave",
            info.label, info.size
        ));
        placed.reasons[u].push_str(&format!(
            " (group of {} exceeds the wave capacity of {cap})",
            info.size
        ));
    } else if !fits && forced {
        placed.warnings.push(format!(
            "{}: placed beyond the wave capacity to stay ahead of a pinned provider",
            info.label
        ));
    }
}

/// Places every unplaced unit in wave `w` with a warning: called when no unit can ever become
/// ready (contradictory pins), so that the layout terminates.
pub(super) fn place_stuck(
    units: &[UnitInfo],
    w: usize,
    ready: &mut Readiness,
    placed: &mut Placement,
) {
    for (u, info) in units.iter().enumerate() {
        if placed.wave_of[u].is_none() {
            placed.place(u, w, info);
            ready.unplaced -= 1;
            placed.reasons[u] =
                "placed last: its ordering constraints contradict pinned waves".into();
            placed.warnings.push(format!(
                "{}: ordering constraints contradict pinned or frozen waves",
                info.label
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ramp(wave_size: usize, pilot: bool, first_wave: usize) -> Ramp {
        Ramp::new(&LayoutConfig {
            wave_size,
            site_capacity: Default::default(),
            pilot,
            first_wave,
            ramp: true,
        })
    }

    #[test]
    fn the_ramp_starts_after_the_pilot_at_a_quarter_then_half_then_full() {
        let r = ramp(40, true, 2);
        assert_eq!(r.start, 3);
        let caps: Vec<usize> = (3..7).map(|w| r.capacity(w)).collect();
        assert_eq!(caps, [10, 20, 40, 40]);
        // Frozen pilot and first ramp wave (a replan mid-rollout): the ramp goes on at half.
        let r = ramp(40, false, 2);
        assert_eq!((r.start, r.capacity(2), r.capacity(3)), (2, 20, 40));
        // Only the pilot frozen: the next wave is the ramp's first, a quarter.
        let r = ramp(40, false, 1);
        assert_eq!(
            (r.start, r.capacity(1), r.capacity(2), r.capacity(3)),
            (1, 10, 20, 40)
        );
        // Many waves frozen: full size; no pilot and nothing frozen: full size throughout.
        assert_eq!(ramp(40, false, 6).capacity(6), 40);
        assert_eq!(ramp(40, false, 0).capacity(0), 40);
    }

    #[test]
    fn without_ramp_the_waves_after_the_pilot_are_full_size() {
        let r = Ramp::new(&LayoutConfig {
            wave_size: 40,
            site_capacity: Default::default(),
            pilot: true,
            first_wave: 0,
            ramp: false,
        });
        assert_eq!((r.start, r.capacity(1), r.capacity(2)), (1, 40, 40));
    }

    #[test]
    fn a_ramp_capacity_is_never_zero() {
        for size in 0..4 {
            let r = ramp(size, true, 0);
            assert!((1..4).all(|w| r.capacity(w) >= 1), "wave size {size}");
        }
    }
}
