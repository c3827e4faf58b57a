//! The assets table: only the visible window of rows is built, so a million rows draw as fast
//! as a hundred.

use super::{block, fit, reliance_style, status_style};
use crate::tui::action::Action;
use crate::tui::data::Data;
use crate::tui::keymap::Context;
use crate::tui::state::{Column, State};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Cell, HighlightSpacing, Row, Scrollbar, ScrollbarOrientation, ScrollbarState, Table, TableState,
};

const WIDTHS: [u16; 11] = [18, 26, 12, 22, 14, 8, 28, 10, 6, 20, 11];

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
    let start = a.offset.min(a.rows.len());
    let end = (start + rows_visible).min(a.rows.len());
    let header = Row::new(Column::ALL.iter().map(|c| {
        let marker = if *c == a.sort {
            if a.descending { "↓" } else { "↑" }
        } else {
            ""
        };
        Cell::from(format!("{}{marker}", c.title()))
    }))
    .style(theme.title);
    let rows: Vec<Row> = a.rows[start..end]
        .iter()
        .map(|&i| row(state, data, theme, i as usize))
        .collect();
    let widths: Vec<Constraint> = WIDTHS.iter().map(|w| Constraint::Length(*w)).collect();
    let table = Table::new(rows, widths)
        .header(header)
        .style(theme.text)
        .row_highlight_style(theme.selected)
        .highlight_symbol("▶")
        .highlight_spacing(HighlightSpacing::Always);
    let mut ts = TableState::default();
    if a.selected >= start && a.selected < end {
        ts.select(Some(a.selected - start));
    }
    frame.render_stateful_widget(table, inner, &mut ts);
    if a.rows.len() > rows_visible {
        let mut sb = ScrollbarState::new(a.rows.len())
            .position(a.selected)
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
                    state.keymap.hint(Context::Assets, Action::ClearFilters)
                ),
                theme.dim,
            ))),
            msg,
        );
    }
}

fn row<'a>(state: &State, data: &'a Data, theme: &Theme, i: usize) -> Row<'a> {
    let s = &data.shared;
    let a = &s.inventory.assets()[i];
    let planned = data.planned(i);
    let reliance = s.analysis.reliance_of(i);
    let marked = state.assets.marked.contains(&(i as u32));
    let mark = if marked { "● " } else { "" };
    let pin = if planned.is_some_and(|p| p.pinned) {
        " ⚑"
    } else {
        ""
    };
    let cells = vec![
        Cell::from(format!("{mark}{}", fit(&a.id, WIDTHS[0] as usize))),
        Cell::from(fit(a.name.as_deref().unwrap_or(""), WIDTHS[1] as usize)),
        Cell::from(a.kind.as_str()),
        Cell::from(fit(&a.os.label(), WIDTHS[3] as usize)),
        Cell::from(fit(a.site.as_deref().unwrap_or(""), WIDTHS[4] as usize)),
        Cell::from(a.criticality.as_str()),
        Cell::from(fit(&s.flagged[i], WIDTHS[6] as usize)),
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
            WIDTHS[9] as usize,
        )),
        match planned {
            Some(p) => Cell::from(Span::styled(
                p.status.as_str(),
                status_style(theme, p.status),
            )),
            None => Cell::from(""),
        },
    ];
    let r = Row::new(cells);
    if marked { r.style(theme.marked) } else { r }
}
