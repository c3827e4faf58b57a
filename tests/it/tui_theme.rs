//! The monochrome theme (NO_COLOR): no cell carries a colour, and emphasis survives as
//! modifiers; the selection is REVERSED. Checked on the buffer's cell styles.

use crate::tui_support;

use avmigrate::tui::action::Action;
use avmigrate::tui::jobs::Source;
use avmigrate::tui::state::{Loading, State};
use avmigrate::tui::theme::ThemeName;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use tui_support::*;

fn mono() -> State {
    loaded_with(ThemeName::Mono, Source::Demo)
}

/// The y of the line holding `text`.
fn row_of(b: &Buffer, text: &str) -> u16 {
    lines(b)
        .iter()
        .position(|l| l.contains(text))
        .unwrap_or_else(|| panic!("{text:?} not on screen:\n{}", lines(b).join("\n"))) as u16
}

fn assert_colourless(b: &Buffer, what: &str) {
    for y in 0..b.area.height {
        for x in 0..b.area.width {
            let c = &b[(x, y)];
            assert!(
                c.fg == Color::Reset && c.bg == Color::Reset && c.underline_color == Color::Reset,
                "{what}: cell ({x},{y}) {:?} has colour {:?}/{:?}/{:?}\n{}",
                c.symbol(),
                c.fg,
                c.bg,
                c.underline_color,
                lines(b)[y as usize]
            );
        }
    }
}

#[test]
fn the_selected_row_is_reversed_without_colours() {
    let mut s = mono();
    act(&mut s, &[Action::ShowAssets, Action::Down]);
    let b = render(&s, 120, 35);
    let y = row_of(&b, "▶esx-02");
    // The table's row inside the borders (the scrollbar takes the last column).
    for x in 1..118 {
        let c = &b[(x, y)];
        assert!(
            c.modifier.contains(Modifier::REVERSED),
            "cell ({x},{y}) {:?} is not reversed: {:?}",
            c.symbol(),
            c.modifier
        );
        assert_eq!((c.fg, c.bg), (Color::Reset, Color::Reset), "cell ({x},{y})");
    }
    // The rows around it are not.
    for other in [y - 1, y + 1] {
        assert!(!b[(5, other)].modifier.contains(Modifier::REVERSED));
    }
    // A marked row is bold and underlined instead.
    act(&mut s, &[Action::ToggleMark]);
    let b = render(&s, 120, 35);
    let y = row_of(&b, "● esx-02");
    let m = b[(5, y)].modifier;
    assert!(m.contains(Modifier::BOLD | Modifier::UNDERLINED), "{m:?}");
}

#[test]
fn the_dark_theme_does_use_colour_for_the_selection() {
    // The same check as above must be able to fail: in the dark theme the selection is cyan.
    let mut s = demo();
    act(&mut s, &[Action::ShowAssets]);
    let b = render(&s, 120, 35);
    let y = row_of(&b, "▶esx-01");
    assert_eq!(b[(5, y)].bg, Color::Cyan);
    assert!(!b[(5, y)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn no_cell_anywhere_has_a_colour() {
    let mut s = State::new(
        avmigrate::tui::keymap::Keymap::default_keymap(),
        ThemeName::Mono,
        crate::tui_support::test_env(),
    );
    s.loading = Some(Loading {
        label: "demo".into(),
        stage: "analysing".into(),
        ratio: 0.4,
    });
    assert_colourless(&render(&s, 120, 35), "loading");
    s.loading = None;
    s.load_error = Some("inventory.csv: no such file".into());
    assert_colourless(&render(&s, 120, 35), "load error");

    let mut s = mono();
    let check = |s: &State, what: &str| assert_colourless(&render(s, 120, 35), what);
    check(&s, "dashboard without a plan");
    act(&mut s, &[Action::GeneratePlan]);
    for (a, what) in [
        (Action::ShowDashboard, "dashboard"),
        (Action::ShowAssets, "assets"),
        (Action::ShowDependencies, "dependencies"),
        (Action::ShowWaves, "waves"),
        (Action::ShowVendors, "vendors"),
    ] {
        act(&mut s, &[a]);
        check(&s, what);
    }
    act(
        &mut s,
        &[Action::ShowWaves, Action::Right, Action::ToggleMark],
    );
    check(&s, "wave board, assets focused, marked");
    act(&mut s, &[Action::Open]);
    check(&s, "detail");
    act(&mut s, &[Action::Help]);
    check(&s, "help");
    act(&mut s, &[Action::Back, Action::Back, Action::Palette]);
    check(&s, "palette");
    act(&mut s, &[Action::Back, Action::Quit]);
    check(&s, "confirm");
    act(&mut s, &[Action::Deny, Action::SetStatus]);
    check(&s, "picker");
    act(&mut s, &[Action::Back, Action::Save]);
    check(&s, "prompt");
    act(&mut s, &[Action::Back]);
    s.error("save failed: disk full");
    check(&s, "error message in the status bar");
    assert_colourless(&render(&s, 70, 20), "too small");
}

#[test]
fn cycling_the_theme_reaches_monochrome() {
    let mut s = demo();
    act(&mut s, &[Action::CycleTheme]);
    assert_eq!(s.theme, ThemeName::Light);
    act(&mut s, &[Action::CycleTheme]);
    assert_eq!(s.theme, ThemeName::Mono);
    act(&mut s, &[Action::ShowAssets]);
    assert_colourless(&render(&s, 120, 35), "cycled to monochrome");
}
