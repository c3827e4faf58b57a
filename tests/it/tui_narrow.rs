//! At the smallest supported size (80×24) the tab bar keeps the unsaved mark and the vendor
//! rules hint is readable in full.

use crate::tui_support;

use avmigrate::tui::action::Action;
use tui_support::*;

#[test]
fn the_tab_bar_shortens_the_plan_name_but_keeps_the_unsaved_mark() {
    let mut s = demo();
    act(&mut s, &[Action::GeneratePlan]);
    assert!(s.dirty);
    let top = lines(&render(&s, 80, 24))[0].clone();
    assert!(top.trim_end().ends_with('●'), "{top:?}");
    assert!(top.contains("6 Progress"), "{top:?}");
    let wide = lines(&render(&s, 120, 35))[0].clone();
    assert!(wide.contains("unsaved plan ●"), "{wide:?}");
}

#[test]
fn the_vendor_rules_hint_wraps_at_80_columns() {
    let mut s = demo();
    act(&mut s, &[Action::GeneratePlan, Action::ShowVendors]);
    let buf = render(&s, 80, 24);
    let pane = panel(&buf, "Vendor rules");
    let hint: Vec<&str> = pane
        .iter()
        .map(|l| l.trim())
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(hint.len() > 1, "the hint takes several lines: {pane:#?}");
    // Joined again, the lines give the whole sentence: no word was cut or lost at a line end.
    assert_eq!(
        hint.join(" "),
        "No vendor rules: products follow the preference order, then the catalogue. Select a \
         product and press a.",
        "{pane:#?}"
    );
}
