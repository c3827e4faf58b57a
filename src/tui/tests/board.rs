//! The wave board as drawn: clicks in a scrolled wave list.

use super::*;

/// The wave id drawn on line `y` of the wave list (after the highlight symbol).
fn wave_on_line(state: &State, y: u16) -> String {
    let board = crate::tui::layout::wave_board(crate::tui::layout::body(state));
    let list = crate::tui::layout::wave_list(&board);
    let line: String = screen(state)[y as usize]
        .chars()
        .skip(list.x as usize)
        .take(list.width as usize)
        .collect();
    line.trim_start_matches(['▶', ' '])
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_string()
}

#[test]
fn clicks_in_a_scrolled_wave_list_select_the_wave_drawn_there() {
    let mut s = with_plan();
    // Small waves: more of them than the wave list has lines.
    s.data
        .as_mut()
        .unwrap()
        .plan
        .as_mut()
        .unwrap()
        .settings
        .wave_size = 3;
    act(&mut s, &[Action::GeneratePlan, Action::ShowWaves]);
    let waves = plan(&s).waves.len();
    let board = crate::tui::layout::wave_board(crate::tui::layout::body(&s));
    let list = crate::tui::layout::wave_list(&board);
    let rows = list.height as usize;
    assert!(waves > rows + 1, "{waves} waves, {rows} lines");
    let last = list.y + list.height - 1;
    // Down to the last wave: the list scrolls to show it on its last line.
    act(&mut s, &[Action::Bottom]);
    assert_eq!(s.waves.wave, waves - 1);
    assert_eq!(wave_on_line(&s, last), plan(&s).waves[waves - 1].id);
    // A click on the top line selects the wave drawn there, not the first wave.
    let top = wave_on_line(&s, list.y);
    click(&mut s, list.x + 3, list.y);
    assert_eq!(s.waves.wave, waves - rows);
    assert_eq!(plan(&s).waves[s.waves.wave].id, top);
    // Moving up from the top line scrolls by one, and clicks still hit what is drawn.
    act(&mut s, &[Action::Up]);
    assert_eq!(
        wave_on_line(&s, list.y),
        plan(&s).waves[waves - rows - 1].id
    );
    let second = wave_on_line(&s, list.y + 1);
    click(&mut s, list.x + 3, list.y + 1);
    assert_eq!(s.waves.wave, waves - rows);
    assert_eq!(plan(&s).waves[s.waves.wave].id, second);
}
