//! The dependency tree: what the root asset depends on and what depends on it, with impact.

use super::{block, block_in, fit, fit_line};
use crate::model::Named;
use crate::tui::action::Action;
use crate::tui::data::Data;
use crate::tui::keymap::Context;
use crate::tui::lists::dep_lines;
use crate::tui::state::Screen;
use crate::tui::state::State;
use crate::tui::theme::Theme;
use crate::tui::theme::reliance_style;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

/// Draws the tree.
pub fn draw(state: &State, data: &Data, theme: &Theme, frame: &mut Frame, area: Rect) {
    let s = &data.shared;
    let Some(root) = state.deps.root else {
        frame.render_widget(
            Paragraph::new(format!(
                "No asset selected. Open one from the assets table and press {}.",
                state
                    .keymap
                    .hint(Context::Screen(Screen::Assets), Action::ShowDependenciesOf)
            ))
            .block(block("Dependencies", theme, true)),
            area,
        );
        return;
    };
    let r = root as usize;
    let ra = &s.inventory.assets()[r];
    // Impact counts what relies on a flagged product, so only a direct asset has one; for
    // the others the tree's "relied on by" says who depends on them.
    let reliance = s.analysis.reliance_of(r);
    let title = match reliance {
        crate::analysis::Reliance::Direct => format!(
            "Dependencies of {} (direct, {} rely on it in all)",
            ra.id,
            s.analysis.impact_label(r)
        ),
        other => format!("Dependencies of {} ({})", ra.id, other.as_str()),
    };
    let rows = area.height.saturating_sub(2) as usize;
    let offset = state.deps.window.offset;
    let lines = dep_lines(data, &state.deps, offset + rows);
    let width = area.width.saturating_sub(4) as usize;
    let items: Vec<ListItem> = lines
        .iter()
        .skip(offset)
        .map(|l| {
            let indent = "  ".repeat(l.depth);
            let marker = if l.expandable {
                if l.expanded { "▾ " } else { "▸ " }
            } else {
                "  "
            };
            match (l.asset, &l.text) {
                (Some(a), _) => {
                    let i = a as usize;
                    let asset = &s.inventory.assets()[i];
                    let rel = s.analysis.reliance_of(i);
                    let kind = l.kind.map(|k| k.as_str()).unwrap_or("");
                    let extra = if s.analysis.impact[i] > 0 {
                        format!("  impact {}", s.analysis.impact_label(i))
                    } else {
                        String::new()
                    };
                    let arrow = if l.upward { "←" } else { "→" };
                    ListItem::new(fit_line(
                        Line::from(vec![
                            Span::raw(format!("{indent}{marker}")),
                            Span::styled(format!("{arrow} {kind:<13} "), theme.dim),
                            Span::styled(
                                fit(&asset.id, width.saturating_sub(indent.len() + 20)),
                                reliance_style(theme, rel),
                            ),
                            Span::styled(format!("  {}{extra}", s.flagged[i]), theme.dim),
                        ]),
                        width,
                    ))
                }
                (None, Some(t)) => ListItem::new(fit_line(
                    Line::from(vec![
                        Span::raw(format!("{indent}{marker}")),
                        Span::styled(t.clone(), theme.title),
                    ]),
                    width,
                )),
                _ => ListItem::new(""),
            }
        })
        .collect();
    let mut ls = ListState::default();
    if state.deps.window.selected >= offset {
        ls.select(Some(state.deps.window.selected - offset));
    }
    frame.render_stateful_widget(
        List::new(items)
            .style(theme.text)
            .highlight_style(theme.selected)
            .highlight_symbol("▶")
            .block(block_in(
                &crate::tui::clean(&title),
                area.width,
                theme,
                true,
            )),
        area,
        &mut ls,
    );
}
