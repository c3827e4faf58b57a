//! Edits of one wave. Each finds the wave (case-insensitive id), changes it and returns the
//! edit that restores it; waves keep no history events.

use super::{Edit, EditContext, EditError};
use crate::model::Date;
use crate::plan::model::{Plan, Wave};

/// [`Edit::RenameWave`]: the wave's display name.
pub(super) fn rename(plan: &mut Plan, wave: &str, name: &str) -> Result<Edit, EditError> {
    let w = wave_mut(plan, wave)?;
    let old = std::mem::replace(&mut w.name, name.to_string());
    Ok(Edit::RenameWave {
        wave: wave.to_string(),
        name: old,
    })
}

/// [`Edit::SetWaveDates`]: the wave's first and last day, in order; a user's dates must not
/// overlap or cross the neighbouring waves.
pub(super) fn set_dates(
    plan: &mut Plan,
    wave: &str,
    start: Date,
    end: Date,
    ctx: &EditContext,
) -> Result<Edit, EditError> {
    if end < start {
        return Err(EditError::BadDates(wave.to_string(), start, end));
    }
    // Undo and redo restore an earlier state as it was.
    if ctx.check_transitions {
        check_wave_order(plan, wave, start, end)?;
    }
    let w = wave_mut(plan, wave)?;
    let (old_start, old_end) = (w.start, w.end);
    w.start = start;
    w.end = end;
    Ok(Edit::SetWaveDates {
        wave: wave.to_string(),
        start: old_start,
        end: old_end,
    })
}

/// [`Edit::FreezeWave`]: freezes or unfreezes the wave.
pub(super) fn freeze(plan: &mut Plan, wave: &str, frozen: bool) -> Result<Edit, EditError> {
    let w = wave_mut(plan, wave)?;
    let old = std::mem::replace(&mut w.frozen, frozen);
    Ok(Edit::FreezeWave {
        wave: wave.to_string(),
        frozen: old,
    })
}

/// Refuses dates for `wave` that would overlap or cross the wave before or after it.
fn check_wave_order(plan: &Plan, wave: &str, start: Date, end: Date) -> Result<(), EditError> {
    let i = wave_position(plan, wave)?;
    let conflict = |other: &Wave, conflict| EditError::WavesOutOfOrder {
        wave: plan.waves[i].id.clone(),
        start,
        end,
        conflict,
        other: other.id.clone(),
        other_start: other.start,
        other_end: other.end,
    };
    if let Some(prev) = i.checked_sub(1).map(|p| &plan.waves[p])
        && start <= prev.end
    {
        return Err(conflict(prev, "overlap or precede"));
    }
    if let Some(next) = plan.waves.get(i + 1)
        && end >= next.start
    {
        return Err(conflict(next, "overlap or follow"));
    }
    Ok(())
}

/// Position of wave `id`, or an error listing the waves.
pub(super) fn wave_position(plan: &Plan, id: &str) -> Result<usize, EditError> {
    plan.wave_index(id).ok_or_else(|| {
        let ids: Vec<&str> = plan.waves.iter().map(|w| w.id.as_str()).collect();
        EditError::UnknownWave(id.to_string(), ids.join(", "))
    })
}

fn wave_mut<'a>(plan: &'a mut Plan, id: &str) -> Result<&'a mut Wave, EditError> {
    let i = wave_position(plan, id)?;
    Ok(&mut plan.waves[i])
}
