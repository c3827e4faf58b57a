//! The bounds of the undo and redo stacks.

use super::*;

fn whole(assets: usize) -> Edit {
    let mut plan = crate::plan::Plan::empty(
        "",
        Settings::new(crate::model::Date::from_ymd(2026, 12, 7).unwrap()),
        Vec::new(),
    );
    plan.assets = (0..assets)
        .map(|i| crate::plan::PlannedAsset::new(format!("a{i}"), "w1"))
        .collect();
    Edit::ReplacePlan(Arc::new(plan))
}

fn note(i: usize) -> Edit {
    Edit::SetNote {
        asset: format!("a{i}"),
        note: None,
    }
}

#[test]
fn undo_keeps_whole_plans_up_to_a_budget_and_small_edits_up_to_a_count() {
    let mut stack = Vec::new();
    push_bounded(&mut stack, note(0));
    for _ in 0..3 {
        push_bounded(&mut stack, whole(KEPT_PLAN_ASSETS / 2));
    }
    // The oldest plan (and the note before it) went; two plans fit.
    assert_eq!(stack.len(), 2);
    assert!(stack.iter().all(|e| matches!(e, Edit::ReplacePlan(_))));
    // A plan over the whole budget is still kept, alone, as the newest entry.
    push_bounded(&mut stack, whole(KEPT_PLAN_ASSETS + 1));
    assert_eq!(stack.len(), 1);
    let mut small = Vec::new();
    for i in 0..KEPT_EDITS + 5 {
        push_bounded(&mut small, note(i));
    }
    assert_eq!(small.len(), KEPT_EDITS);
    assert!(matches!(&small[0], Edit::SetNote { asset, .. } if asset == "a5"));
}
