//! The counts, burn-down and top providers the screens read are computed when the data
//! changes, and stay right after edits.

use super::*;
use crate::tui::data::{PlanSummary, TOP_PROVIDERS};

/// The cached summary equals one computed afresh from the plan.
fn assert_fresh(s: &State) {
    let d = s.data.as_ref().unwrap();
    let p = d.plan.as_ref().unwrap();
    assert_eq!(
        d.summary.as_ref(),
        Some(&PlanSummary::of(p, d.shared.today))
    );
}

fn in_progress(s: &State) -> usize {
    let d = s.data.as_ref().unwrap();
    d.summary.as_ref().unwrap().report.by_status["in-progress"]
}

#[test]
fn the_cached_summary_follows_edits_undo_and_replans() {
    let mut s = demo();
    let d = s.data.as_ref().unwrap();
    assert!(d.summary.is_none(), "no plan, no summary");
    let a = &d.shared.analysis;
    assert_eq!(d.shared.stats.totals, a.totals());
    assert_eq!(d.shared.stats.top_providers, a.top_providers(TOP_PROVIDERS));

    act(&mut s, &[Action::GeneratePlan]);
    assert_fresh(&s);
    assert_eq!(in_progress(&s), 0);
    act(
        &mut s,
        &[Action::ShowWaves, Action::Right, Action::SetStatus],
    );
    pick(&mut s, "in-progress");
    assert_fresh(&s);
    assert_eq!(in_progress(&s), 1);
    act(&mut s, &[Action::ShowProgress]);
    let text = screen(&s).join("\n");
    assert!(text.contains("· 1 in progress ·"), "{text}");

    act(&mut s, &[Action::Undo]);
    assert_fresh(&s);
    assert_eq!(in_progress(&s), 0);
    assert!(screen(&s).join("\n").contains("· 0 in progress ·"));
    act(&mut s, &[Action::Redo]);
    assert_eq!(in_progress(&s), 1);
    act(&mut s, &[Action::Replan, Action::Confirm]);
    assert_fresh(&s);
    assert_eq!(in_progress(&s), 1, "replan keeps statuses");
}
