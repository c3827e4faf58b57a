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

/// Preferred column widths (in `Column::VARIANTS` order) …
const WIDTHS: [u16; 11] = [18, 26, 12, 22, 14, 8, 28, 10, 6, 20, 11];
/// … the least each may shrink to (the ID and the OS stay readable: "nb-verw-0001",
/// "Windows 11 23H2") …
const MIN_WIDTHS: [u16; 11] = [14, 8, 8, 15, 6, 8, 10, 10, 6, 6, 11];
/// … and which columns go first when even those do not fit (Product, Site, Crit., Kind, Flagged,
/// OS, Name).
const DROP_ORDER: [usize; 7] = [9, 4, 5, 2, 6, 3, 1];

/// The width of each column in a table `width` cells wide (0: not shown). The widths always fit,
/// so the layout never depends on how the constraint solver breaks ties between lengths that
/// cannot all be met (it did: columns changed from run to run). The widest column that can
/// shrink is narrowed first; columns are dropped only when the minimums do not fit.
pub fn column_widths(width: u16) -> [u16; 11] {
    let mut shown = [true; 11];
    let mut dropped = DROP_ORDER.iter();
    loop {
        let n = shown.iter().filter(|s| **s).count() as u16;
        // The highlight symbol column and one space between columns.
        let avail = width.saturating_sub(1 + n.saturating_sub(1));
        let mut w = [0u16; 11];
        for i in 0..11 {
            if shown[i] {
                w[i] = WIDTHS[i];
            }
        }
        loop {
            if w.iter().sum::<u16>() <= avail {
                return w;
            }
            let widest = (0..11)
                .filter(|&i| shown[i] && w[i] > MIN_WIDTHS[i])
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
    let widths = column_widths(inner.width);
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
    let rows: Vec<Row> = a.rows[start..end]
        .iter()
        .map(|&i| row(state, data, theme, i as usize, &widths))
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

fn row<'a>(state: &State, data: &'a Data, theme: &Theme, i: usize, w: &[u16; 11]) -> Row<'a> {
    let s = &data.shared;
    let a = &s.inventory.assets()[i];
    let planned = data.planned(i);
    let reliance = s.analysis.reliance_of(i);
    let marked = state.assets.marked.contains(&(i as u32));
    let mark = if marked { "● " } else { "" };
    let w_all = *w;
    let w = |c: usize| w_all[c] as usize;
    let pin = if planned.is_some_and(|p| p.pinned) {
        " ⚑"
    } else {
        ""
    };
    let cells = vec![
        Cell::from(format!(
            "{mark}{}",
            fit(&a.id, w(0).saturating_sub(mark.chars().count()))
        )),
        Cell::from(fit(a.name.as_deref().unwrap_or(""), w(1))),
        Cell::from(fit(a.kind.as_str(), w(2))),
        Cell::from(fit(&a.os.label(), w(3))),
        Cell::from(fit(a.site.as_deref().unwrap_or(""), w(4))),
        Cell::from(a.criticality.as_str()),
        Cell::from(fit(&s.flagged[i], w(6))),
        Cell::from(Span::styled(
            reliance.as_str(),
            reliance_style(theme, reliance),
        )),
        Cell::from(format!(
            "{}{pin}",
            planned
                .map(|p| crate::tui::clean(&p.wave))
                .unwrap_or_default()
        )),
        Cell::from(fit(
            &planned
                .and_then(|p| p.product.as_deref())
                .map(crate::tui::clean)
                .unwrap_or_default(),
            w(9),
        )),
        match planned {
            Some(p) => Cell::from(Span::styled(
                p.status.as_str(),
                status_style(theme, p.status),
            )),
            None => Cell::from(""),
        },
    ];
    let shown = cells
        .into_iter()
        .zip(w_all)
        .filter(|(_, width)| *width > 0)
        .map(|(c, _)| c);
    let r = Row::new(shown);
    if marked { r.style(theme.marked) } else { r }
}
