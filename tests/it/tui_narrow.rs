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

/// Characters that draw borders, scrollbars and gauges: words end at them.
fn is_frame(c: char) -> bool {
    ('\u{2500}'..='\u{259F}').contains(&c)
        || ('\u{2800}'..='\u{28FF}').contains(&c)
        || "▲▼▶◀●•".contains(c)
}

fn row_words(line: &str) -> Vec<String> {
    line.split(|c: char| c.is_whitespace() || is_frame(c))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn words(screen: &[String]) -> Vec<String> {
    screen.iter().flat_map(|l| row_words(l)).collect()
}

/// The rows inside the topmost box whose top border starts with `title` (the overlay drawn
/// last), or the whole screen.
fn inside_box(screen: Vec<String>, title: Option<&str>) -> Vec<String> {
    let Some(title) = title else { return screen };
    let top = screen
        .iter()
        .position(|l| l.contains(&format!("┌ {title}")));
    let Some(top) = top else {
        panic!("no box titled {title}: {screen:#?}")
    };
    let chars: Vec<char> = screen[top].chars().collect();
    let start = chars
        .iter()
        .enumerate()
        .position(|(i, c)| {
            *c == '┌'
                && chars[i..]
                    .iter()
                    .collect::<String>()
                    .starts_with(&format!("┌ {title}"))
        })
        .unwrap();
    let end = (start + 1..chars.len())
        .find(|&i| chars[i] == '┐')
        .unwrap_or(chars.len() - 1);
    screen[top..]
        .iter()
        .map(|l| {
            l.chars()
                .skip(start + 1)
                .take(end - start - 1)
                .collect::<String>()
        })
        .take_while(|l| !l.starts_with('─'))
        .collect()
}

/// Words on the screen at `w`×`h` that appear nowhere on a screen wide enough for everything
/// and do not end in "…": words cut without saying so.
fn cut_words(s: &mut avmigrate::tui::state::State, w: u16, h: u16) -> Vec<String> {
    cut_words_in(s, w, h, None)
}

/// [`cut_words`] inside the box titled `title` only.
fn cut_words_in(
    s: &mut avmigrate::tui::state::State,
    w: u16,
    h: u16,
    title: Option<&str>,
) -> Vec<String> {
    s.size = (w, h);
    let narrow = inside_box(lines(&render(s, w, h)), title);
    s.size = (400, h);
    let wide = inside_box(lines(&render(s, 400, h)), title);
    s.size = (w, h);
    let known: std::collections::HashSet<String> = words(&wide).into_iter().collect();
    let rows: Vec<Vec<String>> = narrow.iter().map(|l| row_words(l)).collect();
    let in_known = |part: &str| known.iter().any(|k| k.contains(part));
    // A word too long for its pane wraps onto the next row: its parts, joined, are in a
    // known word. That is not a cut.
    let wrapped = |r: usize, word: &str| {
        let joins_next = rows
            .get(r + 1)
            .is_some_and(|next| next.iter().any(|n| in_known(&format!("{word}{n}"))));
        let joins_prev = r > 0 && rows[r - 1].iter().any(|p| in_known(&format!("{p}{word}")));
        joins_next || joins_prev
    };
    let mut cut: Vec<String> = (rows.iter().enumerate())
        .flat_map(|(r, row)| row.iter().map(move |w| (r, w)))
        .filter(|(_, word)| !word.ends_with('…') && !known.contains(*word))
        .filter(|(_, word)| word.chars().any(char::is_alphanumeric))
        .filter(|(r, word)| !wrapped(*r, word))
        .map(|(_, word)| word.clone())
        .collect();
    cut.dedup();
    cut
}

#[test]
fn no_screen_cuts_a_word_without_an_ellipsis_at_80x24_or_120x35() {
    use avmigrate::tui::state::{DetailView, Screen};
    let screens = [
        Action::ShowDashboard,
        Action::ShowAssets,
        Action::ShowDependencies,
        Action::ShowWaves,
        Action::ShowVendors,
        Action::ShowProgress,
    ];
    let mut failures = Vec::new();
    for with_plan in [false, true] {
        let mut s = demo();
        if with_plan {
            act(&mut s, &[Action::GeneratePlan]);
        }
        for (w, h) in [(80, 24), (120, 35)] {
            for screen in screens {
                act(&mut s, &[screen]);
                let cut = cut_words(&mut s, w, h);
                if !cut.is_empty() {
                    failures.push(format!("{screen:?} {w}x{h} plan={with_plan}: {cut:?}"));
                }
            }
            act(&mut s, &[Action::ShowAssets]);
            s.screen = Screen::Assets;
            s.detail.push(DetailView {
                asset: 0,
                selected: 0,
                scroll: 0,
            });
            let cut = cut_words(&mut s, w, h);
            if !cut.is_empty() {
                failures.push(format!("detail {w}x{h} plan={with_plan}: {cut:?}"));
            }
            s.detail.clear();
            for (overlay, title) in [
                (Action::Help, "Help"),
                (Action::Palette, "Command palette"),
                (Action::PlanSettings, "Plan settings"),
            ] {
                act(&mut s, &[overlay]);
                let cut = cut_words_in(&mut s, w, h, Some(title));
                if !cut.is_empty() {
                    failures.push(format!("{overlay:?} {w}x{h} plan={with_plan}: {cut:?}"));
                }
                s.overlays.clear();
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
