//! The plan settings form: defaults, refused values, the preview, applying it (undoable), the
//! ramp and holidays reaching the plan, and Esc while a preview is planned.

use super::*;
use crate::tui::settings_form::{Field, Preview};
use strum::VariantArray;

fn open_form(s: &mut State) {
    type_str(s, ",");
    assert!(
        matches!(s.overlays.last(), Some(Overlay::Settings(_))),
        "',' opens the settings form"
    );
}

fn form(s: &State) -> &crate::tui::settings_form::SettingsForm {
    match s.overlays.last() {
        Some(Overlay::Settings(f)) => f,
        other => panic!("no form on top: {other:?}"),
    }
}

/// Selects `field` with the down key and replaces its text.
fn set_field(s: &mut State, field: Field, text: &str) {
    while form(s).field() != field {
        key(s, KeyCode::Down, KeyModifiers::NONE);
    }
    key(s, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_str(s, text);
}

fn enter(s: &mut State) {
    key(s, KeyCode::Enter, KeyModifiers::NONE);
}

#[test]
fn the_form_shows_a_new_plans_defaults_whole_at_80_and_120_columns() {
    for size in [(80, 24), (120, 35)] {
        let mut s = demo();
        s.size = size;
        open_form(&mut s);
        let text = screen(&s).join("\n");
        assert!(text.contains("Plan settings"), "{text}");
        for f in Field::VARIANTS {
            assert!(
                text.contains(f.label()),
                "{} missing at {size:?}:\n{text}",
                f.label()
            );
        }
        // The fixed clock says Saturday 2026-11-28: the first wave starts on Monday.
        assert!(text.contains("2026-11-30"), "{text}");
        assert!(
            text.contains("risk-first") && text.contains("5 working days"),
            "{text}"
        );
        assert!(
            text.contains("first day of the first wave"),
            "hint shown: {text}"
        );
    }
}

#[test]
fn a_refused_value_is_named_and_nothing_is_planned() {
    let mut s = demo();
    open_form(&mut s);
    set_field(&mut s, Field::WaveSize, "0");
    enter(&mut s);
    assert!(!s.replan_pending(), "nothing planned from a refused value");
    let f = form(&s);
    assert_eq!(f.error.as_ref().map(|e| e.0), Some(Field::WaveSize));
    let text = screen(&s).join("\n");
    assert!(
        text.contains("Wave size: a whole number of at least 1"),
        "{text}"
    );
}

#[test]
fn enter_previews_then_applies_the_settings_and_undo_restores_the_old_plan() {
    let mut s = with_plan();
    let before = plan(&s).clone();
    assert_eq!(before.settings.wave_size, 50);
    open_form(&mut s);
    set_field(&mut s, Field::WaveSize, "20");
    set_field(&mut s, Field::Deadline, "2027-01-15");
    enter(&mut s);
    let Preview::Ready(summary) = &form(&s).preview else {
        panic!("preview expected: {:?}", form(&s).preview);
    };
    let text = summary.join("\n");
    assert!(text.contains("wave(s)"), "{text}");
    assert!(text.contains("deadline 2027-01-15: MISSED"), "{text}");
    assert!(
        text.contains(&format!("now: {} wave(s)", before.waves.len())),
        "{text}"
    );
    assert_eq!(plan(&s), &before, "a preview changes nothing");
    let drawn = screen(&s).join("\n");
    assert!(drawn.contains("MISSED by"), "{drawn}");
    enter(&mut s);
    assert!(s.overlays.is_empty(), "applying closes the form");
    assert_eq!(plan(&s).settings.wave_size, 20);
    assert!(
        plan(&s).waves.len() > before.waves.len(),
        "smaller waves, more of them"
    );
    assert!(s.dirty);
    act(&mut s, &[Action::Undo]);
    assert_eq!(
        plan(&s).settings,
        before.settings,
        "one undo restores the old settings"
    );
    assert_eq!(plan(&s).waves, before.waves);
}

#[test]
fn typing_after_a_preview_asks_for_a_new_one() {
    let mut s = with_plan();
    open_form(&mut s);
    enter(&mut s);
    assert!(matches!(form(&s).preview, Preview::Ready(_)));
    set_field(&mut s, Field::WaveSize, "30");
    assert_eq!(form(&s).preview, Preview::Stale);
    assert!(s.settings_preview.is_none(), "the stale preview is dropped");
    // Enter now previews again rather than applying the old preview.
    enter(&mut s);
    assert!(!s.overlays.is_empty());
    enter(&mut s);
    assert_eq!(plan(&s).settings.wave_size, 30);
}

#[test]
fn ramp_off_gives_full_waves_after_the_pilot_and_holidays_reach_the_plan() {
    let mut s = demo();
    open_form(&mut s);
    set_field(&mut s, Field::WaveSize, "20");
    while form(&s).field() != Field::Ramp {
        key(&mut s, KeyCode::Down, KeyModifiers::NONE);
    }
    key(&mut s, KeyCode::Right, KeyModifiers::NONE);
    while form(&s).field() != Field::Holidays {
        key(&mut s, KeyCode::Down, KeyModifiers::NONE);
    }
    key(&mut s, KeyCode::Right, KeyModifiers::NONE);
    key(&mut s, KeyCode::Right, KeyModifiers::NONE);
    assert!(screen(&s).join("\n").contains("‹ DE-BW ›"));
    enter(&mut s);
    enter(&mut s);
    let p = plan(&s);
    assert!(!p.settings.ramp);
    assert_eq!(
        p.settings.holidays,
        Some(crate::plan::holidays::Region::DeBw)
    );
    let size = |w: usize| p.assets.iter().filter(|a| a.wave == p.waves[w].id).count();
    assert_eq!(
        size(1),
        20,
        "no ramp: the first wave after the pilot is full"
    );
    // With the ramp, that wave takes a quarter.
    let mut s = demo();
    open_form(&mut s);
    set_field(&mut s, Field::WaveSize, "20");
    enter(&mut s);
    enter(&mut s);
    let p = plan(&s);
    let size = |w: usize| p.assets.iter().filter(|a| a.wave == p.waves[w].id).count();
    assert!(
        size(1) <= 5,
        "ramp: a quarter after the pilot, got {}",
        size(1)
    );
}

#[test]
fn esc_while_the_preview_is_planned_cancels_it_and_keeps_the_plan() {
    let mut s = with_plan();
    let before = plan(&s).clone();
    open_form(&mut s);
    set_field(&mut s, Field::WaveSize, "10");
    // Enter without running the worker: the preview is being planned.
    let effects = on_event(
        &mut s,
        &Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    assert!(matches!(form(&s).preview, Preview::Planning(_)));
    let job = s.plan_job.clone().expect("a planning job");
    key(&mut s, KeyCode::Esc, KeyModifiers::NONE);
    assert!(s.overlays.is_empty());
    assert!(job.is_cancelled());
    assert!(!s.replan_pending());
    run_effects(&mut s, effects);
    assert_eq!(plan(&s), &before, "the cancelled preview changes nothing");
}
