//! Recording a decision in the app: option, rationale, approver, review date; refusals; undo.

use super::*;
use crate::plan::DecisionOption;

fn enter(s: &mut State, text: &str) {
    type_str(s, text);
    key(s, KeyCode::Enter, KeyModifiers::NONE);
}

#[test]
fn a_decision_takes_option_rationale_approver_and_review_then_undoes_as_one() {
    let mut s = with_plan();
    act(&mut s, &[Action::ShowWaves, Action::Right, Action::Decide]);
    let id = id_of(&s, wave_assets(s.data.as_ref().unwrap(), 0)[0]);
    pick(&mut s, "isolate");
    key(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    assert!(
        matches!(s.overlays.last(), Some(Overlay::Prompt { error: Some(e), .. }) if e.contains("rationale")),
        "an empty rationale is refused"
    );
    enter(&mut s, "HMI vendor forbids agents; cell isolated");
    enter(&mut s, "CISO Meyer");
    enter(&mut s, "next spring");
    assert!(
        matches!(s.overlays.last(), Some(Overlay::Prompt { error: Some(e), .. }) if e.contains("date")),
        "a review that is not a date is refused"
    );
    assert!(
        plan(&s).asset(&id).unwrap().decision.is_none(),
        "nothing applied yet"
    );
    key(&mut s, KeyCode::Backspace, KeyModifiers::NONE);
    for _ in 0.."next sprin".len() {
        key(&mut s, KeyCode::Backspace, KeyModifiers::NONE);
    }
    enter(&mut s, "2027-06-30");
    assert!(s.overlays.is_empty());
    let d = plan(&s)
        .asset(&id)
        .unwrap()
        .decision
        .clone()
        .expect("recorded");
    assert_eq!(d.option, DecisionOption::Isolate);
    assert_eq!(d.approver, "CISO Meyer");
    assert_eq!(d.review.to_string(), "2027-06-30");
    let e = plan(&s).events.last().unwrap();
    assert_eq!((e.field.as_str(), e.to.as_str()), ("decision", "isolate"));
    act(&mut s, &[Action::Undo]);
    assert!(plan(&s).asset(&id).unwrap().decision.is_none());
}

#[test]
fn a_host_agent_picked_in_the_app_settles_the_need_for_a_decision_and_undo_restores_it() {
    let mut s = with_plan();
    assert!(plan(&s).asset("mac-verw-03").unwrap().needs_decision);
    select_asset(&mut s, "mac-verw-03");
    act(&mut s, &[Action::SetProduct]);
    pick(&mut s, "sophos-intercept-x");
    let a = plan(&s).asset("mac-verw-03").unwrap();
    assert_eq!(a.product.as_deref(), Some("sophos-intercept-x"));
    assert!(!a.needs_decision, "a host agent was chosen");
    act(&mut s, &[Action::Undo]);
    let a = plan(&s).asset("mac-verw-03").unwrap();
    assert_eq!(a.product, None);
    assert!(a.needs_decision, "undo restores the need");
}
