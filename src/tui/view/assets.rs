//! The assets table: only the visible window of rows is built, so a million rows draw as fast
//! as a hundred.

use super::{block, fit};
use crate::model::Named;
use crate::tui::action::Action;
use crate::tui::data::Data;
use crate::tui::keymap::Context;
use crate::tui::state::Screen;
use crate::tui::state::{Column, State};
use crate::tui::theme::Theme;
use crate::tui::theme::{reliance_style, status_style};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Cell, HighlightSpacing, Row, Scrollbar, ScrollbarOrientation, ScrollbarState, Table, TableState,
};
use strum::VariantArray;

/// The widest each column gets (in `Column::VARIANTS` order) …
const CAPS: [u16; 11] = [24, 40, 14, 26, 20, 8, 40, 10, 8, 26, 11];
/// … the least each may shrink to (the ID and the OS stay readable: "nb-verw-0001",
/// "Windows 11 23H2") …
const MIN_WIDTHS: [u16; 11] = [14, 8, 8, 15, 6, 8, 10, 10, 6, 6, 11];
/// … and which columns go first when even those do not fit (Product, Site, Crit., Kind, Flagged,
/// OS, Name).
const DROP_ORDER: [usize; 7] = [9, 4, 5, 2, 6, 3, 1];

/// The width of each column in a table `width` cells wide (0: not shown), for cells whose
/// widest text is `content` (the header included). Each column asks for its content, up to its
/// cap, so empty columns (no plan yet: wave, product, status) give their room to the others.
/// The widths always fit, so the layout never depends on how the constraint solver breaks ties
/// between lengths that cannot all be met (it did: columns changed from run to run). The widest
/// column that can shrink is narrowed first; columns are dropped only when the minimums do not
/// fit.
pub fn column_widths(width: u16, content: &[u16; 11]) -> [u16; 11] {
    let want: [u16; 11] = std::array::from_fn(|i| content[i].clamp(1, CAPS[i]));
    let least: [u16; 11] = std::array::from_fn(|i| MIN_WIDTHS[i].min(want[i]));
    let mut shown = [true; 11];
    let mut dropped = DROP_ORDER.iter();
    loop {
        let n = shown.iter().filter(|s| **s).count() as u16;
        // The highlight symbol column and one space between columns.
        let avail = width.saturating_sub(1 + n.saturating_sub(1));
        let mut w = [0u16; 11];
        for i in 0..11 {
            if shown[i] {
                w[i] = want[i];
            }
        }
        loop {
            if w.iter().sum::<u16>() <= avail {
                return w;
            }
            let widest = (0..11)
                .filter(|&i| shown[i] && w[i] > least[i])
                .max_by_key(|&i| (w[i], std::cmp::Reverse(i)));
            match widest {
                Some(i) => w[i] -= 1,
                None => break,
            }
        }
        match dropped.next() {
            Some(&i) => shown[i] = false,
            // Only the id and the fixed columns are left: let the table clip them.
            None => return w,
        }
    }
}

/// Draws the table.
pub fn draw(state: &State, data: &Data, theme: &Theme, frame: &mut Frame, area: Rect) {
    let a = &state.assets;
    let total = data.shared.inventory.len();
    let mut title = format!("Assets {}/{}", a.rows.len(), total);
    if !a.query.is_empty() || a.editing {
        title.push_str(&format!(
            "  /{}{}",
            crate::tui::clean(&a.query),
            if a.editing { "▏" } else { "" }
        ));
    }
    if !a.facets.is_empty() {
        title.push_str(&format!("  [{}]", crate::tui::clean(&a.facets.describe())));
    }
    if !a.marked.is_empty() {
        title.push_str(&format!("  {} marked", a.marked.len()));
    }
    title.push_str(&format!(
        "  sort: {}{}",
        a.sort.title(),
        if a.descending { " ↓" } else { " ↑" }
    ));
    if a.requested != a.shown {
        title.push_str("  (updating…)");
    }
    let b = block(&title, theme, true);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let rows_visible = inner.height.saturating_sub(1) as usize;
    let shown = a.window.visible(a.rows.len(), rows_visible);
    let (start, end) = (shown.start, shown.end);
    let texts: Vec<(usize, [String; 11])> = a.rows[start..end]
        .iter()
        .map(|&i| (i as usize, cell_texts(state, data, i as usize)))
        .collect();
    let mut content: [u16; 11] =
        std::array::from_fn(|c| super::display_width(Column::VARIANTS[c].title()) as u16 + 1);
    for (_, t) in &texts {
        for c in 0..11 {
            let w = super::display_width(&t[c]).min(usize::from(u16::MAX));
            content[c] = content[c].max(w as u16);
        }
    }
    let widths = column_widths(inner.width, &content);
    let header = Row::new(
        Column::VARIANTS
            .iter()
            .zip(widths)
            .filter(|(_, w)| *w > 0)
            .map(|(c, w)| {
                let marker = if *c == a.sort {
                    if a.descending { "↓" } else { "↑" }
                } else {
                    ""
                };
                Cell::from(fit(&format!("{}{marker}", c.title()), w as usize))
            }),
    )
    .style(theme.title);
    let rows: Vec<Row> = texts
        .into_iter()
        .map(|(i, t)| row(state, data, theme, i, t, &widths))
        .collect();
    let widths: Vec<Constraint> = widths
        .iter()
        .filter(|w| **w > 0)
        .map(|w| Constraint::Length(*w))
        .collect();
    let table = Table::new(rows, widths)
        .header(header)
        .style(theme.text)
        .row_highlight_style(theme.selected)
        .highlight_symbol("▶")
        .highlight_spacing(HighlightSpacing::Always);
    let mut ts = TableState::default();
    if a.window.selected >= start && a.window.selected < end {
        ts.select(Some(a.window.selected - start));
    }
    frame.render_stateful_widget(table, inner, &mut ts);
    if a.rows.len() > rows_visible {
        let mut sb = ScrollbarState::new(a.rows.len())
            .position(a.window.selected)
            .viewport_content_length(rows_visible);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight),
            area,
            &mut sb,
        );
    }
    if a.rows.is_empty() && a.requested == a.shown {
        let msg = Rect::new(inner.x + 2, inner.y + 2, inner.width.saturating_sub(4), 1);
        frame.render_widget(
            ratatui::widgets::Paragraph::new(Line::from(Span::styled(
                format!(
                    "No asset matches. Press {} to clear the filters.",
                    state
                        .keymap
                        .hint(Context::Screen(Screen::Assets), Action::ClearFilters)
                ),
                theme.dim,
            ))),
            msg,
        );
    }
}

/// The text of each cell of asset `i`, in `Column::VARIANTS` order, before fitting.
fn cell_texts(state: &State, data: &Data, i: usize) -> [String; 11] {
    let s = &data.shared;
    let a = &s.inventory.assets()[i];
    let planned = data.planned(i);
    let mark = if state.assets.marked.contains(&(i as u32)) {
        "● "
    } else {
        ""
    };
    let pin = if planned.is_some_and(|p| p.pinned) {
        " ⚑"
    } else {
        ""
    };
    let clean = crate::tui::clean;
    [
        format!("{mark}{}", clean(&a.id)),
        clean(a.name.as_deref().unwrap_or("")),
        a.kind.as_str().to_string(),
        clean(&a.os.label()),
        clean(a.site().map(|t| t.as_str()).unwrap_or("")),
        a.criticality.as_str().to_string(),
        s.flagged[i].clone(),
        s.analysis.reliance_of(i).as_str().to_string(),
        planned.map_or_else(String::new, |p| format!("{}{pin}", clean(&p.wave))),
        (planned.and_then(|p| p.product.as_deref()))
            .map(clean)
            .unwrap_or_default(),
        planned.map_or_else(String::new, |p| p.status.as_str().to_string()),
    ]
}

fn row<'a>(
    state: &State,
    data: &'a Data,
    theme: &Theme,
    i: usize,
    texts: [String; 11],
    w: &[u16; 11],
) -> Row<'a> {
    let s = &data.shared;
    let planned = data.planned(i);
    let reliance = s.analysis.reliance_of(i);
    let marked = state.assets.marked.contains(&(i as u32));
    let cells = texts.into_iter().enumerate().map(|(c, text)| {
        let text = fit(&text, w[c] as usize);
        match c {
            7 => Cell::from(Span::styled(text, reliance_style(theme, reliance))),
            10 => match planned {
                Some(p) => Cell::from(Span::styled(text, status_style(theme, p.status))),
                None => Cell::from(""),
            },
            _ => Cell::from(text),
        }
    });
    let shown = cells
        .zip(*w)
        .filter(|(_, width)| *width > 0)
        .map(|(c, _)| c);
    let r = Row::new(shown);
    if marked { r.style(theme.marked) } else { r }
}
