//! Why a unit landed where it did, in the words of the plan.

use super::{UnitInfo, relation_phrase};
use crate::plan::units::Constraint;

/// The reason of unit `u` placed by the scheduler (not fixed, not a pilot sample): forced
/// ahead of a pinned provider, after the latest placed unit that relies on it, or its
/// priority note.
pub(super) fn normal_reason(
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
