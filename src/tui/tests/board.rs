//! Screens as drawn: clicks in a scrolled wave list, wave rows that fit, detail scrolling.

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
        .plan_mut()
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
    assert_eq!(s.waves.list.selected, waves - 1);
    assert_eq!(wave_on_line(&s, last), plan(&s).waves[waves - 1].id);
    // A click on the top line selects the wave drawn there, not the first wave.
    let top = wave_on_line(&s, list.y);
    click(&mut s, list.x + 3, list.y);
    assert_eq!(s.waves.list.selected, waves - rows);
    assert_eq!(plan(&s).waves[s.waves.list.selected].id, top);
    // Moving up from the top line scrolls by one, and clicks still hit what is drawn.
    act(&mut s, &[Action::Up]);
    assert_eq!(
        wave_on_line(&s, list.y),
        plan(&s).waves[waves - rows - 1].id
    );
    let second = wave_on_line(&s, list.y + 1);
    click(&mut s, list.x + 3, list.y + 1);
    assert_eq!(s.waves.list.selected, waves - rows);
    assert_eq!(plan(&s).waves[s.waves.list.selected].id, second);
}

#[test]
fn wave_board_rows_fit_their_list_and_end_cut_text_with_an_ellipsis() {
    let mut s = with_plan();
    act(&mut s, &[Action::ShowWaves]);
    let board = crate::tui::layout::wave_board(crate::tui::layout::body(&s));
    let list = board.assets;
    let waves = plan(&s).waves.len();
    let mut cut = 0;
    for focus in [false, true] {
        for k in 0..waves {
            s.waves.list.selected = k;
            s.waves.focus_assets = focus;
            let lines = screen(&s);
            let members = wave_assets(s.data.as_ref().unwrap(), k).len();
            for y in list.y..list.y + (members.min(list.height as usize)) as u16 {
                let row: Vec<char> = lines[y as usize]
                    .chars()
                    .skip(list.x as usize)
                    .take(list.width as usize)
                    .collect();
                // Every row starts in the highlight column, selected or not: the marks take
                // 3 cells after it, then the id.
                assert!(matches!(row[0], ' ' | '▶'), "{row:?}");
                let text: String = row.iter().collect();
                let id = id_of(
                    &s,
                    wave_assets(s.data.as_ref().unwrap(), k)[(y - list.y) as usize],
                );
                let after_marks: String = row[4..].iter().collect();
                assert!(after_marks.starts_with(&format!("{id} ")), "{text:?}");
                if text.contains('…') {
                    cut += 1;
                    assert_eq!(
                        text.trim_end().chars().last(),
                        Some('…'),
                        "clipped: {text:?}"
                    );
                    assert_eq!(row.last(), Some(&'…'), "not the full width: {text:?}");
                }
            }
        }
    }
    assert!(cut > 0, "some rows are long enough to be cut");
    assert_eq!(
        cut % 2,
        0,
        "the same rows are cut with and without the focus"
    );
}

#[test]
fn page_down_in_a_detail_stops_at_the_end_of_its_text() {
    let mut s = with_plan();
    s.size = (80, 24);
    select_asset(&mut s, "srv-ksc-01");
    act(&mut s, &[Action::Open]);
    let max = crate::tui::detail_text::max_scroll(&s);
    assert!(max > 0, "the text is longer than the pane");
    for _ in 0..50 {
        act(&mut s, &[Action::PageDown]);
    }
    assert_eq!(s.detail.last().unwrap().scroll, max);
    // The last line of the text is on the pane's last line.
    let [text, _, _] = crate::tui::layout::detail(crate::tui::layout::body(&s));
    let lines = screen(&s);
    let bottom: String = lines[(text.bottom() - 2) as usize]
        .chars()
        .skip(text.x as usize + 1)
        .take(text.width as usize - 2)
        .collect();
    assert!(!bottom.trim().is_empty(), "{}", lines.join("\n"));
    // One page up moves back at once, not from far beyond the end.
    act(&mut s, &[Action::PageUp]);
    assert!(s.detail.last().unwrap().scroll < max);
    // A taller terminal shows more of the text, and the scroll stays inside it.
    for _ in 0..50 {
        act(&mut s, &[Action::PageDown]);
    }
    let effects = crate::tui::events::on_event(&mut s, &Event::Resize(120, 60));
    run_effects(&mut s, effects);
    assert_eq!(
        s.detail.last().unwrap().scroll,
        crate::tui::detail_text::max_scroll(&s)
    );
}

#[test]
fn top_and_bottom_in_a_detail_go_to_the_ends_of_its_text() {
    let mut s = with_plan();
    s.size = (80, 24);
    select_asset(&mut s, "srv-ksc-01");
    act(&mut s, &[Action::Open]);
    let max = crate::tui::detail_text::max_scroll(&s);
    assert!(max > s.body_rows(), "the text is longer than two pages");
    act(&mut s, &[Action::Bottom]);
    assert_eq!(s.detail.last().unwrap().scroll, max);
    act(&mut s, &[Action::Top]);
    assert_eq!(s.detail.last().unwrap().scroll, 0);
}

#[test]
fn the_detail_shows_impact_only_for_assets_that_run_a_flagged_product() {
    let mut s = with_plan();
    select_asset(&mut s, "srv-ksc-01");
    act(&mut s, &[Action::Open]);
    let text = screen(&s).join("\n");
    assert!(
        text.contains("Impact      148 asset(s) rely on it"),
        "{text}"
    );
    let mut s = with_plan();
    select_asset(&mut s, "esx-01");
    act(&mut s, &[Action::Open]);
    let text = screen(&s).join("\n");
    assert!(
        text.contains("Reliance    indirect") && !text.contains("Impact"),
        "{text}"
    );
}
