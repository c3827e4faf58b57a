//! The layout's growing result: where each unit is, the load per wave and site, reasons,
//! warnings and the capacity of each closed wave.

use super::{Layout, UnitInfo};
use crate::plan::pilot::Proof;
use std::collections::BTreeMap;

/// Everything placed so far. Invariant: `load[w]` and `site_load[w]` are the sums of the
/// sizes and site counts of the units with `wave_of == Some(w)`.
#[derive(Default)]
pub(super) struct Placement {
    /// Wave per unit, None while unplaced.
    pub wave_of: Vec<Option<usize>>,
    /// Reason per placed unit.
    pub reasons: Vec<String>,
    /// Problems softened so far, in the order they arose.
    pub warnings: Vec<String>,
    /// Assets per wave.
    pub load: Vec<usize>,
    /// Assets per site and wave.
    pub site_load: Vec<BTreeMap<String, usize>>,
    /// Capacity per closed wave (0: not closed).
    pub capacity: Vec<usize>,
}

impl Placement {
    /// Phase 2: the units with a fixed wave (pinned, frozen, started, kept) placed there with
    /// the reason they are fixed; nothing else placed.
    pub fn with_fixed(units: &[UnitInfo]) -> Placement {
        let n = units.len();
        let mut placed = Placement {
            wave_of: vec![None; n],
            reasons: vec![String::new(); n],
            ..Placement::default()
        };
        for (u, info) in units.iter().enumerate() {
            if let Some((w, why)) = &info.fixed {
                placed.ensure(*w);
                placed.place(u, *w, info);
                placed.reasons[u] = why.clone();
            }
        }
        placed
    }

    /// Makes room to count load in wave `w`.
    pub fn ensure(&mut self, w: usize) {
        if self.load.len() <= w {
            self.load.resize(w + 1, 0);
            self.site_load.resize(w + 1, BTreeMap::new());
        }
    }

    /// Puts unit `u` into wave `w` (room made by [`Placement::ensure`]).
    pub fn place(&mut self, u: usize, w: usize, info: &UnitInfo) {
        self.wave_of[u] = Some(w);
        self.load[w] += info.size;
        for (site, k) in &info.sites {
            match self.site_load[w].get_mut(&**site) {
                Some(v) => *v += k,
                None => {
                    self.site_load[w].insert(site.to_string(), *k);
                }
            }
        }
    }

    /// Records wave `w` as done with capacity `cap`, raised to its load where it overflowed.
    pub fn close_wave(&mut self, w: usize, cap: usize) {
        self.capacity.resize(w + 1, 0);
        self.capacity[w] = cap.max(self.load[w]);
    }

    /// Final phase: the layout. Waves never closed (fixed waves outside the scheduled range)
    /// get the full wave size `ws`, or their load where larger; an unplaced unit (none when
    /// the driver finished) would read as wave 0.
    pub fn into_layout(mut self, ws: usize, proofs: Vec<Vec<Proof>>) -> Layout {
        self.capacity
            .resize(self.load.len().max(self.capacity.len()), ws);
        for (i, c) in self.capacity.iter_mut().enumerate() {
            if *c == 0 {
                *c = ws.max(self.load.get(i).copied().unwrap_or(0));
            }
        }
        Layout {
            wave_of: self.wave_of.into_iter().map(|w| w.unwrap_or(0)).collect(),
            reasons: self.reasons,
            capacity: self.capacity,
            warnings: self.warnings,
            proofs,
        }
    }
}
