//! At the smallest supported size (80×24) the tab bar keeps the unsaved mark and the vendor
//! rules hint is readable in full.

mod tui_support;

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
    let text: String = lines(&render(&s, 80, 24))
        .iter()
        .map(|l| format!("{l}\n"))
        .collect();
    // The hint's words, in order, each whole on some line of the rules pane.
    for word in ["preference", "catalogue.", "Select", "product", "press"] {
        assert!(text.contains(word), "{word} missing:\n{text}");
    }
}
