//! Phase 5 of (re)planning: the waves on the calendar.

use super::previous::Previous;
use crate::plan::calendar::OffDays;
use crate::plan::layout::Layout;
use crate::plan::model::{PlannedAsset, Wave};

/// The waves of the new plan, and where each layout wave index went.
pub(super) struct Calendar {
    /// The waves, in schedule order.
    pub waves: Vec<Wave>,
    /// Per layout wave index: its position in `waves` (`usize::MAX` when unused).
    pub new_index: Vec<usize>,
}

impl Calendar {
    /// The wave that layout wave index `w` became.
    pub fn wave(&self, w: usize) -> &Wave {
        &self.waves[self.new_index[w]]
    }
}

/// Phase 5: the used wave indices (placed units, frozen waves, waves of kept assets) become
/// waves; unused ones are dropped. Guarantees: frozen waves are copied as they are; every
/// other wave gets the next window after the one before that avoids the blackouts, keeps
/// its id and name when the previous plan had it, else a fresh unused id `wN` and the name
/// "Pilot" (the pilot wave) or "Wave N".
pub(super) fn calendar(prev: &Previous, lay: &Layout, kept: &[PlannedAsset]) -> Calendar {
    let previous = prev.plan;
    let settings = &previous.settings;
    let used = used_waves(prev, lay, kept);
    let mut new_index = vec![usize::MAX; used.len()];
    let mut waves: Vec<Wave> = Vec::new();
    let mut cursor = settings.start;
    let mut ids = FreshIds {
        taken: previous.waves.iter().map(|w| w.id.to_lowercase()).collect(),
        next: 1,
    };
    let off = OffDays::of(settings);
    let first_wave = prev.frozen().end;
    let pilot_exists = prev.frozen().is_empty() && lay.wave_of.contains(&first_wave);
    for (old, &is_used) in used.iter().enumerate() {
        if !is_used {
            continue;
        }
        new_index[old] = waves.len();
        let before = previous.waves.get(old);
        if let Some(p) = before.filter(|_| prev.is_frozen(old)) {
            cursor = cursor.max(p.end.add_days(1));
            waves.push(p.clone());
            continue;
        }
        let (start, end) = off.wave_window(cursor, settings.wave_days);
        cursor = end.add_days(1);
        let capacity = lay.capacity.get(old).copied().unwrap_or(settings.wave_size);
        let (id, name) = match before {
            Some(p) => (p.id.clone(), p.name.clone()),
            None if pilot_exists && old == first_wave => (ids.fresh(), "Pilot".to_string()),
            None => (ids.fresh(), format!("Wave {}", waves.len() + 1)),
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
    Calendar { waves, new_index }
}

/// Per wave index: whether the new plan has that wave.
fn used_waves(prev: &Previous, lay: &Layout, kept: &[PlannedAsset]) -> Vec<bool> {
    let mut used = vec![false; lay.capacity.len().max(prev.plan.waves.len())];
    for &w in &lay.wave_of {
        used[w] = true;
    }
    for w in prev.frozen() {
        used[w] = true;
    }
    for a in kept {
        if let Some(w) = prev.plan.wave_index(&a.wave) {
            used[w] = true;
        }
    }
    used
}

/// Wave ids `w1`, `w2`, … that no wave has (case-insensitive).
struct FreshIds {
    taken: Vec<String>,
    next: usize,
}

impl FreshIds {
    fn fresh(&mut self) -> String {
        loop {
            let candidate = format!("w{}", self.next);
            self.next += 1;
            if !self.taken.contains(&candidate) {
                self.taken.push(candidate.clone());
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Date;
    use crate::plan::model::{Plan, Settings};

    fn wave(id: &str, frozen: bool) -> Wave {
        let day: Date = "2027-01-11".parse().unwrap();
        Wave {
            id: id.into(),
            name: id.into(),
            start: day,
            end: day,
            capacity: 1,
            frozen,
        }
    }

    #[test]
    fn fresh_ids_skip_the_ids_waves_already_have() {
        let mut ids = FreshIds {
            taken: vec!["w2".into(), "w3".into()],
            next: 1,
        };
        let got: Vec<String> = (0..3).map(|_| ids.fresh()).collect();
        assert_eq!(got, ["w1", "w4", "w5"]);
    }

    #[test]
    fn waves_up_to_the_last_frozen_one_are_frozen_and_always_used() {
        let day: Date = "2027-01-11".parse().unwrap();
        let mut plan = Plan::empty("p", Settings::new(day), vec![]);
        plan.waves = vec![wave("a", false), wave("b", true), wave("c", false)];
        let prev = Previous::new(&plan);
        assert_eq!(prev.frozen(), 0..2);
        assert!(prev.is_frozen(0) && !prev.is_frozen(2));
        let lay = Layout {
            wave_of: vec![3],
            capacity: vec![1; 4],
            ..Layout::default()
        };
        assert_eq!(used_waves(&prev, &lay, &[]), [true, true, false, true]);
    }
}
