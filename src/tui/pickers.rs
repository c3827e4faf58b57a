//! The pickers plan edits open: a wave, a product (judged for the chosen assets) or a next
//! status (from the transition table), for the marked or selected assets.

use super::data::Data;
use super::jobs::Effect;
use super::plan_ops::{no_targets, targets};
use super::state::*;
use crate::model::Named;
use crate::plan::Status;
use strum::VariantArray;

/// Opens a picker of `items` whose choice applies to the targets, or says there are none.
pub(super) fn pick_for_targets(
    state: &mut State,
    title: impl FnOnce(usize) -> String,
    items: impl FnOnce(&Data) -> Vec<(String, String)>,
    purpose: impl FnOnce(Vec<String>) -> PickPurpose,
) -> Vec<Effect> {
    let ids = targets(state);
    if ids.is_empty() {
        return no_targets(state);
    }
    let Some(data) = &state.data else {
        return Vec::new();
    };
    let items = items(data);
    state.overlays.push(Overlay::Picker(Picker::new(
        title(ids.len()),
        items,
        purpose(ids),
    )));
    Vec::new()
}

pub(super) fn pick_wave(state: &mut State) -> Vec<Effect> {
    pick_for_targets(
        state,
        |n| format!("Move {n} asset(s) to wave"),
        |data| {
            let waves = data.plan.as_ref().map_or(&[][..], |p| &p.waves);
            waves
                .iter()
                .map(|w| {
                    (
                        w.id.clone(),
                        format!("{} {} ({} – {})", w.id, w.name, w.start, w.end),
                    )
                })
                .collect()
        },
        PickPurpose::MoveToWave,
    )
}

pub(super) fn pick_product(state: &mut State) -> Vec<Effect> {
    let ids = targets(state);
    let effects = pick_for_targets(
        state,
        |n| format!("Product for {n} asset(s)"),
        |data| {
            let positions = positions_of(data, &ids);
            super::product_picker::verdicts(data, &positions)
                .iter()
                .map(|v| (v.product.clone(), super::product_picker::label(data, v)))
                .collect()
        },
        PickPurpose::SetProduct,
    );
    if let Some(Overlay::Picker(p)) = state.overlays.last_mut() {
        p.notes
            .push("✓ fits · ~ limited · ? unverified · ✗ does not fit (refused)".into());
    }
    effects
}

/// Inventory positions of planned asset ids.
pub(super) fn positions_of(data: &Data, ids: &[String]) -> Vec<usize> {
    ids.iter()
        .filter_map(|id| data.shared.inventory.resolve(id))
        .collect()
}

/// The status picker offers the statuses every target may go to next (the transition
/// table) and says in one line each why the others are not offered.
pub(super) fn pick_status(state: &mut State) -> Vec<Effect> {
    let ids = targets(state);
    let Some(plan) = state.data.as_ref().and_then(|d| d.plan.as_ref()) else {
        return Vec::new();
    };
    let mut current: Vec<Status> = ids
        .iter()
        .filter_map(|id| plan.asset(id).map(|a| a.status))
        .collect();
    current.sort();
    current.dedup();
    let effects = pick_for_targets(
        state,
        |n| format!("Status of {n} asset(s)"),
        |_| Vec::new(),
        PickPurpose::SetStatus,
    );
    if let Some(Overlay::Picker(p)) = state.overlays.last_mut() {
        for &to in Status::VARIANTS {
            let refused = current
                .iter()
                .find(|&&from| !crate::plan::edit::allowed_transitions(from).contains(&to));
            match refused {
                Some(&from) => {
                    if p.notes.is_empty() {
                        p.notes.push("Not offered:".into());
                    }
                    p.notes.push(crate::plan::edit::why_not(from, to));
                }
                None => p
                    .items
                    .push((to.as_str().to_string(), status_label(&current, to))),
            }
        }
    }
    effects
}

/// A status as the picker offers it: what it means, and what it will ask for.
fn status_label(current: &[Status], to: Status) -> String {
    let meaning = match to {
        Status::Planned => "not started",
        Status::InProgress => "the replacement is under way",
        Status::Migrated
            if current
                .iter()
                .any(|&f| crate::plan::edit::needs_note(f, to)) =>
        {
            "done without a scan: asks how it was checked"
        }
        Status::Migrated => "new product on, the flagged one removed",
        Status::Verified => "a scan confirmed the new protection",
        Status::Blocked => "cannot go on: asks for the reason",
        Status::RolledBack => "undone, back on the old product",
        Status::Excluded => "out of scope: asks for the reason",
    };
    format!("{to} — {meaning}")
}
