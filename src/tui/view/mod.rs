//! `view(state, frame)`: draws the state; never changes it.

mod assets;
mod dashboard;
mod deps;
mod detail;
mod export_screen;
mod overlays;
mod progress;
mod settings_form;
mod vendors;
mod waves;

use super::action::Action;
use super::keymap::Context;
use super::layout::{bands, tab_ranges};
use super::state::{Level, Screen, State};
use super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Gauge, List, ListItem, ListState, Paragraph, Wrap};
use strum::VariantArray;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

pub use super::layout::{MIN_SIZE, too_small};

/// Draws the whole screen.
pub fn view(state: &State, frame: &mut Frame) {
    let theme = Theme::get(state.theme);
    let area = frame.area();
    if too_small((area.width, area.height)) {
        let what = if state.dirty {
            "The plan has unsaved changes: enlarge the window to save or quit.".to_string()
        } else {
            format!(
                "Enlarge the window, or press {} to quit.",
                state.keymap.hint(Context::Global, Action::Quit)
            )
        };
        let text = vec![
            Line::from(Span::styled("Terminal too small", theme.title)),
            Line::from(format!(
                "avmigrate needs at least {}×{}; this one is {}×{}.",
                MIN_SIZE.0, MIN_SIZE.1, area.width, area.height
            )),
            Line::from(what),
        ];
        let y = area.height / 2;
        let rect = Rect::new(
            area.x,
            area.y + y.saturating_sub(1),
            area.width,
            3.min(area.height),
        );
        frame.render_widget(
            Paragraph::new(text)
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true }),
            rect,
        );
        return;
    }
    let (tabs, body, status) = bands(area);
    draw_tabs(state, &theme, frame, tabs);
    if let Some(l) = &state.loading {
        draw_loading(l, &theme, frame, body);
    } else if let Some(e) = &state.load_error {
        let p = Paragraph::new(vec![
            Line::from(Span::styled("Could not open the inventory", theme.danger)),
            Line::from(""),
            Line::from(e.as_str()),
        ])
        .wrap(Wrap { trim: false })
        .block(block("Error", &theme, true));
        frame.render_widget(p, body);
    } else if let Some(data) = &state.data {
        if let Some(d) = state.detail.last() {
            detail::draw(state, data, d, &theme, frame, body);
        } else {
            match state.screen {
                Screen::Dashboard => dashboard::draw(state, data, &theme, frame, body),
                Screen::Assets => assets::draw(state, data, &theme, frame, body),
                Screen::Dependencies => deps::draw(state, data, &theme, frame, body),
                Screen::Waves => waves::draw(state, data, &theme, frame, body),
                Screen::Vendors => vendors::draw(state, data, &theme, frame, body),
                Screen::Progress => progress::draw(state, data, &theme, frame, body),
            }
        }
    }
    draw_status(state, &theme, frame, status);
    overlays::draw(state, &theme, frame, area);
}

fn draw_tabs(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let ranges = tab_ranges(area.width);
    let mut spans = Vec::new();
    if ranges.first().is_some_and(|(_, x, _)| *x > 0) {
        spans.push(Span::styled(super::layout::BRAND, theme.title));
        spans.push(Span::raw(" "));
    }
    for (i, (label, _, _)) in ranges.into_iter().enumerate() {
        let style = if Screen::VARIANTS[i] == state.screen {
            theme.tab_active
        } else {
            theme.tab
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    if let Some(data) = &state.data {
        let name = data
            .plan_path
            .as_ref()
            .map(|p| p.display().to_string())
            .or_else(|| data.plan.as_ref().map(|_| "unsaved plan".to_string()))
            .unwrap_or_else(|| "no plan".to_string());
        let dirty = if state.dirty { " ●" } else { "" };
        // On a narrow terminal the name is shortened, so the unsaved mark always shows.
        let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
        let room = (area.width as usize).saturating_sub(used + 1 + dirty.chars().count());
        let name = super::clean(&name);
        let name = match name.chars().count() {
            n if n <= room => name,
            _ if room >= 8 => fit(&name, room),
            _ => String::new(),
        };
        spans.push(Span::styled(format!(" {name}{dirty}"), theme.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme.text), area);
}

fn draw_loading(l: &super::state::Loading, theme: &Theme, frame: &mut Frame, area: Rect) {
    let b = block("Opening", theme, true);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let rows = inner.height;
    let line = Rect::new(
        inner.x + 2,
        inner.y + rows / 2 - 1,
        inner.width.saturating_sub(4),
        1,
    );
    frame.render_widget(
        Paragraph::new(format!("{} — {}", super::clean(&l.label), l.stage)).style(theme.text),
        line,
    );
    let gauge = Rect {
        y: line.y + 1,
        ..line
    };
    frame.render_widget(
        Gauge::default()
            .gauge_style(theme.gauge)
            .ratio(safe_ratio(l.ratio))
            .label(format!("{:.0}%", safe_ratio(l.ratio) * 100.0)),
        gauge,
    );
}

/// Key hints for the status bar: (keys, what) for the actions that matter in a context.
pub fn hints(state: &State) -> Vec<(String, &'static str)> {
    let ctx = state.context();
    if state.assets.editing && state.overlays.is_empty() && ctx == Context::Screen(Screen::Assets) {
        return vec![
            ("type".into(), "filter"),
            ("enter".into(), "done"),
            ("esc".into(), "clear"),
        ];
    }
    if let Some(super::state::Overlay::Prompt { .. }) = state.overlays.last() {
        return vec![("enter".into(), "accept"), ("esc".into(), "cancel")];
    }
    let export: &[(Action, &str)] = &[
        (Action::Down, "file"),
        (Action::Open, "write"),
        (Action::Back, "close"),
    ];
    let actions: &[(Action, &str)] = match ctx {
        Context::Screen(Screen::Progress)
            if state.data.as_ref().is_some_and(|d| d.plan.is_some()) =>
        {
            &[
                (Action::NextTab, "screens"),
                (Action::Down, "select"),
                (Action::Left, "blocked"),
                (Action::Right, "alerts"),
                (Action::Open, "asset"),
                (Action::Help, "help"),
                (Action::Save, "save"),
                (Action::Quit, "quit"),
            ]
        }
        Context::Screen(Screen::Dashboard)
        | Context::Screen(Screen::Progress)
        | Context::Global => &[
            (Action::NextTab, "screens"),
            (Action::GeneratePlan, "plan"),
            (Action::PlanSettings, "settings"),
            (Action::Save, "save"),
            (Action::Palette, "commands"),
            (Action::Help, "help"),
            (Action::Quit, "quit"),
        ],
        Context::Screen(Screen::Assets) => &[
            (Action::Filter, "filter"),
            (Action::FacetFilter, "facets"),
            (Action::SortNext, "sort"),
            (Action::ToggleMark, "mark"),
            (Action::Open, "detail"),
            (Action::MoveToWave, "wave"),
            (Action::SetStatus, "status"),
            (Action::TogglePin, "pin"),
            (Action::Help, "help"),
        ],
        Context::Detail => &[
            (Action::Open, "follow"),
            (Action::Back, "back"),
            (Action::ShowDependenciesOf, "tree"),
            (Action::MoveToWave, "wave"),
            (Action::SetStatus, "status"),
            (Action::Decide, "decide"),
            (Action::Help, "help"),
        ],
        Context::Screen(Screen::Dependencies) => &[
            (Action::Right, "expand"),
            (Action::Left, "collapse"),
            (Action::Open, "detail"),
            (Action::SetRoot, "root"),
            (Action::Help, "help"),
        ],
        Context::Screen(Screen::Waves) => &[
            (Action::Right, "assets"),
            (Action::MoveToPrevWave, "earlier"),
            (Action::MoveToNextWave, "later"),
            (Action::TogglePin, "pin"),
            (Action::RenameWave, "rename"),
            (Action::EditWaveDates, "dates"),
            (Action::ToggleFreeze, "freeze"),
            (Action::Replan, "replan"),
            (Action::PlanSettings, "settings"),
            (Action::Undo, "undo"),
        ],
        Context::Screen(Screen::Vendors) => &[
            (Action::Right, "pane"),
            (Action::TogglePreference, "prefer"),
            (Action::PreferenceUp, "up"),
            (Action::PreferenceDown, "down"),
            (Action::AddVendorRule, "rule"),
            (Action::Replan, "replan"),
        ],
        Context::Help => &[(Action::Down, "scroll"), (Action::Back, "close")],
        Context::Palette | Context::Picker => &[
            (Action::Down, "move"),
            (Action::Open, "choose"),
            (Action::Back, "cancel"),
        ],
        Context::Confirm => &[(Action::Confirm, "yes"), (Action::Deny, "no")],
        Context::Form
            if matches!(
                state.overlays.last(),
                Some(super::state::Overlay::Export(_))
            ) =>
        {
            export
        }
        Context::Form => &[
            (Action::Down, "next field"),
            (Action::Right, "choose"),
            (Action::Open, "preview, then apply"),
            (Action::Back, "cancel"),
        ],
    };
    actions
        .iter()
        .filter_map(|(a, what)| {
            let keys = state.keymap.keys_for(ctx, *a);
            keys.first().map(|k| (k.clone(), *what))
        })
        .collect()
}

fn draw_status(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    // The plan's state on the right always shows; the message comes next, then as many key
    // hints as fit.
    let right = state.data.as_ref().map(|data| {
        let (violations, _) = data.problem_counts();
        let text = if data.plan.is_some() {
            format!(" {violations} violation(s) ")
        } else {
            " no plan ".to_string()
        };
        let style = if violations > 0 {
            theme.bar.patch(theme.danger)
        } else {
            theme.bar
        };
        Span::styled(text, style)
    });
    let width = area.width as usize;
    let mut room = width.saturating_sub(right.as_ref().map_or(0, |r| r.content.chars().count()));
    // Errors stay counted until the message log is opened.
    let unread = state.messages.unread_errors();
    let unread = (unread > 0).then(|| {
        let key = state
            .keymap
            .hint(crate::tui::keymap::Context::Global, Action::MessageLog);
        Span::styled(
            format!(" {unread} unread ({key}) "),
            theme.bar.patch(theme.danger),
        )
    });
    room = room.saturating_sub(unread.as_ref().map_or(0, |u| u.content.chars().count()));
    let mut spans = Vec::new();
    if let Some(job) = &state.plan_job {
        // Read from the worker's handle at each draw (the runtime redraws while it runs).
        let text = format!(" {} ", job.snapshot().describe());
        room = room.saturating_sub(text.chars().count());
        spans.push(Span::styled(text, theme.bar.patch(theme.key)));
    }
    if let Some((text, level)) = state.message_shown() {
        let style = match level {
            Level::Info => theme.bar,
            Level::Error => theme.bar.patch(theme.danger),
        };
        let text = format!(" {} ", fit(text, room.saturating_sub(4)));
        room = room.saturating_sub(text.chars().count() + 2);
        spans.push(Span::styled(text, style));
        spans.push(Span::styled(" │", theme.bar));
    }
    for (key, what) in hints(state) {
        let (key, what) = (format!(" {key}"), format!(" {what}"));
        let need = key.chars().count() + what.chars().count();
        if need > room {
            break;
        }
        room -= need;
        spans.push(Span::styled(key, theme.bar.patch(theme.key)));
        spans.push(Span::styled(what, theme.bar));
    }
    if unread.is_some() || right.is_some() {
        spans.push(Span::styled(" ".repeat(room), theme.bar));
    }
    spans.extend(unread);
    spans.extend(right);
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme.bar), area);
}

/// A bordered block whose title is cut with "…" to fit a box `width` cells wide.
pub fn block_in<'a>(title: &str, width: u16, theme: &Theme, focused: bool) -> Block<'a> {
    block(
        &fit(title, (width as usize).saturating_sub(4)),
        theme,
        focused,
    )
}

/// `line` cut with "…" to `width` cells, each kept span in its own style.
pub fn fit_line(line: Line<'_>, width: usize) -> Line<'_> {
    if line.width() <= width {
        return line;
    }
    let mut spans = Vec::new();
    let mut used = 0;
    for span in line.spans {
        let w = display_width(&span.content);
        if used + w < width {
            used += w;
            spans.push(span);
            continue;
        }
        // fit() ends the cut part with the ellipsis, in this span's style.
        let cut = fit(&format!("{}…", span.content), width - used);
        spans.push(Span::styled(cut, span.style));
        break;
    }
    Line {
        spans,
        ..Line::default()
    }
    .style(line.style)
}

/// Every line cut with "…" to `width` cells.
pub fn fit_lines(lines: Vec<Line<'_>>, width: usize) -> Vec<Line<'_>> {
    lines.into_iter().map(|l| fit_line(l, width)).collect()
}

/// A bordered block with a title.
pub fn block<'a>(title: &str, theme: &Theme, focused: bool) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(if focused {
            theme.border_focus
        } else {
            theme.border
        })
        .title(Span::styled(format!(" {title} "), theme.title))
}

/// A bordered list of `items` with the `selected` one (kept inside the list) highlighted, and
/// the state to draw it with.
pub fn selectable<'a>(
    items: Vec<ListItem<'a>>,
    selected: Option<usize>,
    title: &str,
    focused: bool,
    theme: &Theme,
) -> (List<'a>, ListState) {
    let last = items.len().checked_sub(1);
    let state = ListState::default().with_selected(selected.zip(last).map(|(s, l)| s.min(l)));
    let list = List::new(items)
        .style(theme.text)
        .highlight_style(theme.selected)
        .highlight_symbol("▶")
        .block(block(title, theme, focused));
    (list, state)
}

/// A ratio safe for gauges (0 ≤ r ≤ 1, NaN → 0).
pub fn safe_ratio(r: f64) -> f64 {
    if r.is_finite() {
        r.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// `done / total` as a gauge ratio.
pub fn fraction(done: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        safe_ratio(done as f64 / total as f64)
    }
}

/// Cuts text to a width (in chars), with an ellipsis.
pub fn fit(text: &str, width: usize) -> String {
    if display_width(text) <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    // Whole graphemes (a letter with its combining marks, an emoji with its joiners) until
    // the ellipsis would no longer fit.
    let mut s = String::new();
    let mut used = 0;
    for g in text.graphemes(true) {
        let w = display_width(g);
        if used + w > width - 1 {
            break;
        }
        used += w;
        s.push_str(g);
    }
    s.push('…');
    s
}

/// The cells `text` takes on a terminal: zero-width characters and combining marks take
/// none, wide characters and emoji two.
pub fn display_width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` cut with "…" to `width` cells and padded with spaces to exactly `width` cells
/// (`format!("{:<w$}")` counts characters, not cells).
pub fn pad(text: &str, width: usize) -> String {
    let mut s = fit(text, width);
    let missing = width.saturating_sub(display_width(&s));
    s.extend(std::iter::repeat_n(' ', missing));
    s
}

/// Breaks text into lines of at most `width` chars at spaces (a longer word is cut with
/// [`fit`]).
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let needed = display_width(&line) + usize::from(!line.is_empty()) + display_width(word);
        if !line.is_empty() && needed > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        if display_width(&line) > width {
            line = fit(&line, width);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod width_tests {
    use super::*;

    #[test]
    fn widths_count_cells_not_characters() {
        assert_eq!(
            display_width("e\u{301}"),
            1,
            "a combining accent takes no cell"
        );
        assert_eq!(
            display_width("a\u{200B}b"),
            2,
            "a zero-width space takes none"
        );
        assert_eq!(display_width("漢字"), 4);
        assert_eq!(display_width("👩\u{200D}💻"), 2, "one emoji, joined");
    }

    #[test]
    fn fit_and_pad_cut_whole_graphemes_and_fill_to_the_cell() {
        assert_eq!(fit("Gänsefüßchen", 5), "Gäns…");
        let accents = "e\u{301}".repeat(6);
        assert_eq!(display_width(&fit(&accents, 4)), 4);
        assert!(fit(&accents, 4).starts_with("e\u{301}e\u{301}e\u{301}"));
        assert_eq!(fit("漢字漢字", 5), "漢字…");
        assert_eq!(
            fit("👩\u{200D}💻👩\u{200D}💻👩\u{200D}💻", 5),
            "👩\u{200D}💻👩\u{200D}💻…"
        );
        for text in [
            "abc",
            "漢字漢字漢字",
            "e\u{301}e\u{301}e\u{301}e\u{301}",
            "👩\u{200D}💻x",
        ] {
            for w in 1..8 {
                let padded = pad(text, w);
                assert_eq!(display_width(&padded), w, "{text:?} {w}: {padded:?}");
                assert!(display_width(&fit(text, w)) <= w, "{text:?} {w}");
            }
        }
        assert_eq!(crate::tui::clean("a\u{200B}b\u{FEFF}c"), "abc");
    }
}
