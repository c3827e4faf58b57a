//! Phases 1 and 2 of (re)planning: what the previous plan fixes, and the planned assets that
//! are no longer in scope.

use crate::plan::context::PlanContext;
use crate::plan::coverage::CoveragePlanner;
use crate::plan::model::{Plan, PlannedAsset};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// What the previous plan fixes for the new one. Read-only for every later phase.
pub(super) struct Previous<'p> {
    /// The previous plan (an empty one for a first plan).
    pub plan: &'p Plan,
    /// The last frozen wave: every wave up to it is under way or done and kept as it is.
    last_frozen: Option<usize>,
    /// Previous entries by lower-case id.
    by_id: HashMap<String, &'p PlannedAsset>,
    /// Lower-case ids whose product a person chose (a `product` event).
    user_products: HashSet<String>,
}

impl<'p> Previous<'p> {
    /// Phase 1: indexes `plan`. A wave before a frozen one counts as frozen too.
    pub fn new(plan: &'p Plan) -> Previous<'p> {
        Previous {
            plan,
            last_frozen: (0..plan.waves.len()).rev().find(|&w| plan.waves[w].frozen),
            by_id: plan
                .assets
                .iter()
                .map(|a| (a.id.as_str().to_lowercase(), a))
                .collect(),
            user_products: plan
                .events
                .iter()
                .filter(|e| e.field == "product")
                .map(|e| e.asset.to_lowercase())
                .collect(),
        }
    }

    /// Indices of the frozen waves (empty when none is).
    pub fn frozen(&self) -> Range<usize> {
        0..self.last_frozen.map_or(0, |last| last + 1)
    }

    /// Whether wave index `w` of the previous plan is frozen.
    pub fn is_frozen(&self, w: usize) -> bool {
        self.last_frozen.is_some_and(|last| w <= last)
    }

    /// The wave an asset must keep, with the reason: its wave is frozen, it is pinned, or its
    /// migration has started.
    pub fn fixed_wave(&self, a: &PlannedAsset) -> Option<(usize, String)> {
        let w = self.plan.wave_index(&a.wave)?;
        if self.is_frozen(w) {
            Some((w, "wave frozen (under way); kept".into()))
        } else if a.pinned {
            Some((w, "pinned".into()))
        } else if a.status.is_started() {
            Some((w, format!("migration started ({}); kept", a.status)))
        } else {
            None
        }
    }

    /// Whether asset `id` (previously `prev`) keeps its product: a person chose it, or its
    /// wave is fixed.
    pub fn keeps_product(&self, id: &str, prev: Option<&PlannedAsset>) -> bool {
        // A first plan has no history: skip lower-casing a million ids for empty lookups.
        (!self.user_products.is_empty() && self.user_products.contains(&id.to_lowercase()))
            || prev.is_some_and(|p| self.fixed_wave(p).is_some())
    }

    /// The previous plan's entry of asset `id`.
    pub fn of(&self, id: &str) -> Option<&'p PlannedAsset> {
        if self.by_id.is_empty() {
            return None;
        }
        self.by_id.get(&id.to_lowercase()).copied()
    }
}

/// Phase 2: the previously planned assets that are no longer direct, nor protected through a
/// planned provider (or left the inventory). Guarantees: the started ones and those with a
/// fixed wave are returned, to be kept as they are; each one, kept or dropped, is warned
/// about, in plan order.
pub(super) fn kept_assets(
    ctx: &PlanContext,
    prev: &Previous,
    cover: &CoveragePlanner,
    warnings: &mut Vec<String>,
) -> Vec<PlannedAsset> {
    let inv = ctx.inventory;
    let mut kept: Vec<PlannedAsset> = Vec::new();
    for a in &prev.plan.assets {
        let still_direct = inv
            .resolve(&a.id)
            .is_some_and(|i| ctx.units.unit_of[i] != u32::MAX);
        if still_direct || inv.resolve(&a.id).is_some_and(|i| cover.covers(i)) {
            continue;
        }
        let gone = if a.coverage.is_some() {
            "no longer gets anti-virus through a planned provider"
        } else {
            "no longer runs a flagged product"
        };
        if a.status.is_started() || prev.fixed_wave(a).is_some() {
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
    kept
}
