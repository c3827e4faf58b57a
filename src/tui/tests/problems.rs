//! Problems as selectable lists: the dashboard's Problems pane and the wave board's violations;
//! Enter opens the asset a problem concerns.

use super::*;

#[test]
fn the_dashboards_problems_are_selected_with_the_keys_and_enter_opens_the_asset() {
    let mut s = with_plan();
    act(&mut s, &[Action::ShowDashboard]);
    let problems = s.data.as_ref().unwrap().problems.clone();
    assert!(problems.len() > 3, "the demo plan has warnings");
    let pick = problems
        .iter()
        .position(|p| p.asset.is_some())
        .expect("a problem about an asset");
    for _ in 0..pick {
        act(&mut s, &[Action::Down]);
    }
    assert_eq!(s.problems.selected, pick);
    let drawn = screen(&s).join("\n");
    let code = problems[pick].code.as_str();
    assert!(drawn.contains(&format!("▶{code}")), "{drawn}");
    act(&mut s, &[Action::Open]);
    let d = s.detail.last().expect("the asset's detail opens");
    assert_eq!(id_of(&s, d.asset), problems[pick].asset.clone().unwrap());
    act(&mut s, &[Action::Back]);
    // The selection scrolls with the list and stops at its end.
    for _ in 0..500 {
        act(&mut s, &[Action::Down]);
    }
    assert_eq!(s.problems.selected, problems.len() - 1);
    let drawn = screen(&s).join("\n");
    assert!(
        drawn.contains(&format!("▶{}", problems.last().unwrap().code.as_str())),
        "{drawn}"
    );
}

#[test]
fn the_violations_beside_the_wave_board_take_the_focus_and_open_their_asset() {
    let mut s = with_plan();
    act(&mut s, &[Action::ShowWaves]);
    // Move an asset before its provider's dependents to make a violation.
    let p = plan(&s);
    let ksc = p
        .assets
        .iter()
        .find(|a| a.id == "srv-ksc-01")
        .unwrap()
        .clone();
    let edit = crate::plan::Edit::Move {
        asset: ksc.id.clone(),
        wave: p.waves[0].id.clone(),
    };
    let effects = crate::tui::plan_ops::edit(&mut s, edit);
    run_effects(&mut s, effects);
    let violations: Vec<_> = crate::tui::problem_lists::violations(s.data.as_ref().unwrap())
        .into_iter()
        .cloned()
        .collect();
    assert!(
        !violations.is_empty(),
        "moving the management server first breaks the order"
    );
    act(&mut s, &[Action::Right, Action::Right]);
    assert!(s.waves.focus_violations);
    let drawn = screen(&s).join("\n");
    assert!(
        drawn.contains(&format!("▶{}", violations[0].code.as_str())),
        "{drawn}"
    );
    let with_asset = violations.iter().position(|v| v.asset.is_some()).unwrap();
    for _ in 0..with_asset {
        act(&mut s, &[Action::Down]);
    }
    act(&mut s, &[Action::Open]);
    let d = s.detail.last().expect("detail of the violation's asset");
    assert_eq!(
        id_of(&s, d.asset),
        violations[with_asset].asset.clone().unwrap()
    );
    act(&mut s, &[Action::Back, Action::Left]);
    assert!(!s.waves.focus_violations && s.waves.focus_assets);
}
