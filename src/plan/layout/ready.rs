//! Phase 5 of the layout: which unplaced units may be placed, from which wave, in what order.
//! Event-driven: a unit becomes a candidate when its last dependent is placed and its
//! platforms are proven. Providers may share the wave of what relies on them ("not after");
//! management servers follow in a later wave, and only once every unit they do not rely on
//! is placed.

use super::fill::Inputs;
use super::graph::Graph;
use super::placement::Placement;
use super::{LayoutConfig, UnitInfo};
use crate::plan::pilot::ProofGate;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

/// The order of ready units: the earliest bound by a pinned provider first, then priority,
/// then label.
pub(super) type Key = Reverse<(usize, Reverse<i64>, u32, usize)>;

/// The ordering of ready units. Guarantees a total order (ties broken by unit index), so the
/// layout is deterministic.
pub(super) struct Order {
    upper: Vec<Option<usize>>,
    priority: Vec<i64>,
    label_rank: Vec<u32>,
}

impl Order {
    /// The order for `units` under the bounds of `graph`.
    pub fn new(units: &[UnitInfo], graph: &Graph) -> Order {
        let n = units.len();
        let mut label_order: Vec<usize> = (0..n).collect();
        label_order.sort_by(|&a, &b| units[a].label.cmp(&units[b].label));
        let mut label_rank = vec![0u32; n];
        for (r, &u) in label_order.iter().enumerate() {
            label_rank[u] = r as u32;
        }
        Order {
            upper: graph.upper.clone(),
            priority: units.iter().map(|u| u.priority).collect(),
            label_rank,
        }
    }

    /// The heap key of unit `u` (the greatest key is placed first).
    pub fn key(&self, u: usize) -> Key {
        Reverse((
            self.upper[u].unwrap_or(usize::MAX),
            Reverse(self.priority[u]),
            self.label_rank[u],
            u,
        ))
    }
}

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

/// The bookkeeping of readiness. Invariants: a unit is in the heap, waiting or gated only
/// once every unit relying on it is placed (`pending == 0`) and its platforms are proven;
/// `eligible[u]` is the earliest wave its placed dependents allow (one later for a
/// management server); the gate opens the wave after the last unit a management server
/// does not rely on is placed.
pub(super) struct Readiness {
    pending: Vec<usize>,
    eligible: Vec<usize>,
    gate_blockers: usize,
    queues: Queues,
    forced_at: BTreeMap<usize, Vec<usize>>,
    /// Units not placed yet.
    pub unplaced: usize,
}

impl Readiness {
    /// Readiness once fixed units and the pilot are placed; `w` is the first wave to fill.
    pub fn new(
        units: &[UnitInfo],
        graph: &Graph,
        gate: &ProofGate,
        placed: &Placement,
        order: &Order,
        cfg: &LayoutConfig,
        w: usize,
    ) -> Readiness {
        let n = units.len();
        let wave_of = &placed.wave_of;
        let mut pending = vec![0usize; n];
        let mut eligible = vec![cfg.first_wave; n];
        for u in 0..n {
            for c in &graph.dependents[u] {
                match wave_of[c.dependent as usize] {
                    Some(dw) => eligible[u] = eligible[u].max(dw + strict(units, u)),
                    None => pending[u] += 1,
                }
            }
        }
        let gate_blockers = (0..n)
            .filter(|&u| wave_of[u].is_none() && blocks_gate(units, graph, u))
            .count();
        let mut ready = Readiness {
            pending,
            eligible,
            gate_blockers,
            queues: Queues {
                gate_open_at: (gate_blockers == 0).then_some(w),
                ..Queues::default()
            },
            forced_at: BTreeMap::new(),
            unplaced: 0,
        };
        for (u, at) in wave_of.iter().enumerate() {
            if at.is_some() {
                continue;
            }
            ready.unplaced += 1;
            if let Some(ub) = graph.upper[u] {
                ready.forced_at.entry(ub).or_default().push(u);
            }
            if ready.pending[u] == 0 && gate.unproven[u] == 0 {
                ready.make_ready(u, units, gate, order, w);
            }
        }
        ready
    }

    /// Unit `u` is ready from the later of its dependents' and its proofs' floor.
    fn make_ready(
        &mut self,
        u: usize,
        units: &[UnitInfo],
        gate: &ProofGate,
        order: &Order,
        w: usize,
    ) {
        let at = self.eligible[u].max(gate.floor[u]);
        self.queues
            .ready(u, at, units[u].management, w, order.key(u));
    }

    /// Moves the units waiting for wave `w` or earlier into the heap.
    pub fn release_due(&mut self, w: usize, order: &Order) {
        let due: Vec<usize> = self.queues.waiting.range(..=w).map(|(k, _)| *k).collect();
        for k in due {
            for u in self.queues.waiting.remove(&k).unwrap_or_default() {
                self.queues.heap.push(order.key(u));
            }
        }
    }

    /// The units that must go in wave `w` at the latest (a provider is fixed there), as
    /// `(unit, forced)`; units bound to an earlier wave, closed to scheduling (frozen), are
    /// warned about since the constraint can no longer hold.
    pub fn forced_due(
        &mut self,
        w: usize,
        units: &[UnitInfo],
        placed: &mut Placement,
    ) -> Vec<(usize, bool)> {
        let mut queue = Vec::new();
        let due: Vec<usize> = self.forced_at.range(..=w).map(|(k, _)| *k).collect();
        for k in due {
            for u in self.forced_at.remove(&k).unwrap_or_default() {
                if k < w && placed.wave_of[u].is_none() {
                    placed.warnings.push(format!(
                        "{}: relies on a provider fixed in an earlier wave that is closed to \
                         scheduling; ordering constraints contradict pinned or frozen waves",
                        units[u].label
                    ));
                }
                queue.push((u, true));
            }
        }
        queue
    }

    /// The next ready unit, highest key first.
    pub fn pop(&mut self) -> Option<usize> {
        self.queues.heap.pop().map(|Reverse((_, _, _, u))| u)
    }

    /// Returns units taken by [`Readiness::pop`] that did not fit the current wave.
    pub fn defer(&mut self, deferred: Vec<usize>, order: &Order) {
        for u in deferred {
            self.queues.heap.push(order.key(u));
        }
    }

    /// Records that unit `u` was placed in wave `w` (the caller counted it off `unplaced`)
    /// and makes ready what that releases: the management servers once the gate opens, units
    /// whose last proof this was, and providers whose last pending dependent this was.
    pub fn placed(
        &mut self,
        u: usize,
        w: usize,
        inp: &Inputs,
        gate: &mut ProofGate,
        wave_of: &[Option<usize>],
    ) {
        let (units, graph, order) = (inp.units, inp.graph, inp.order);
        if blocks_gate(units, graph, u) {
            self.gate_blockers -= 1;
            if self.gate_blockers == 0 {
                self.queues.gate_open_at = Some(w + 1);
                for g in std::mem::take(&mut self.queues.gated) {
                    self.make_ready(g, units, gate, order, w);
                }
            }
        }
        for v in gate.placed(units, u, w) {
            if wave_of[v].is_none() && self.pending[v] == 0 {
                self.make_ready(v, units, gate, order, w);
            }
        }
        for &p in &graph.providers[u] {
            let p = p as usize;
            if wave_of[p].is_some() {
                continue;
            }
            self.pending[p] -= 1;
            self.eligible[p] = self.eligible[p].max(w + strict(units, p));
            if self.pending[p] == 0 && gate.unproven[p] == 0 {
                self.make_ready(p, units, gate, order, w);
            }
        }
    }
}

/// A management server goes strictly after what relies on it; other providers may share
/// the wave.
fn strict(units: &[UnitInfo], u: usize) -> usize {
    usize::from(units[u].management)
}

/// Unit `u` holds the management gate shut until placed.
fn blocks_gate(units: &[UnitInfo], graph: &Graph, u: usize) -> bool {
    !units[u].management && !graph.after_mgmt[u]
}
