//! Asset detail: every field, software with the flagged entries and the rules that matched,
//! the why-path, providers and dependents (navigable), compatible products, plan state and steps.

use super::{block, block_in, fit, selectable};
use crate::catalog::{self, CompatCache, Support};
use crate::model::Named;
use crate::tui::clean;
use crate::tui::data::Data;
use crate::tui::lists::detail_links;
use crate::tui::state::{DetailView, State};
use crate::tui::theme::{Theme, reliance_style};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{ListItem, Paragraph};

/// Draws the detail of one asset.
pub fn draw(
    state: &State,
    data: &Data,
    d: &DetailView,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let i = d.asset as usize;
    let a = &data.shared.inventory.assets()[i];
    let title = format!("{} — {}", a.id, a.display_name());
    let [left, links, products] = crate::tui::layout::detail(area);
    frame.render_widget(
        crate::tui::detail_text::text(state, data, i, theme)
            .scroll((d.scroll.min(u16::MAX as usize) as u16, 0))
            .block(block_in(&clean(&title), left.width, theme, false)),
        left,
    );
    draw_links(data, d, theme, frame, links);
    draw_products(data, i, theme, frame, products);
}

fn draw_links(data: &Data, d: &DetailView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let s = &data.shared;
    let links = detail_links(data, d.asset);
    let width = area.width.saturating_sub(6) as usize;
    let items: Vec<ListItem> = links
        .iter()
        .map(|&(j, kind, dependent)| {
            let arrow = if dependent { "←" } else { "→" };
            let other = &s.inventory.assets()[j as usize];
            let r = s.analysis.reliance_of(j as usize);
            ListItem::new(Line::from(vec![
                Span::styled(format!("{arrow} {:<13}", kind.as_str()), theme.dim),
                Span::styled(
                    fit(&other.id, width.saturating_sub(15)),
                    reliance_style(theme, r),
                ),
            ]))
        })
        .collect();
    let providers = links.iter().filter(|l| !l.2).count();
    let title = format!(
        "→ depends on {providers} · ← relied on by {}",
        links.len() - providers
    );
    let (list, mut ls) = selectable(items, Some(d.selected), &title, true, theme);
    frame.render_stateful_widget(list, area, &mut ls);
}

fn draw_products(data: &Data, i: usize, theme: &Theme, frame: &mut Frame, area: Rect) {
    let s = &data.shared;
    let a = &s.inventory.assets()[i];
    let needs = s.needs(i);
    let mut cache = CompatCache::new(&s.catalog, s.today);
    let verdicts = cache.candidates(a, &needs);
    let mut lines = Vec::new();
    let width = area.width.saturating_sub(4) as usize;
    for v in verdicts
        .iter()
        .filter(|v| v.support != Support::No)
        .take(area.height.saturating_sub(2) as usize / 2)
    {
        let style = match v.support {
            Support::Yes => theme.ok,
            Support::Limited => theme.warn,
            _ => theme.dim,
        };
        // Catalogue text comes from a user's file too: cleaned like every other text.
        let name = s
            .catalog
            .product(&v.product)
            .map(|p| p.name.as_str())
            .unwrap_or(&v.product);
        lines.push(Line::from(vec![
            Span::styled(format!("{:<11}", v.support.as_str()), style),
            Span::raw(fit(&clean(name), width.saturating_sub(11))),
        ]));
        if let Some(r) = v.reasons.first() {
            lines.push(Line::from(Span::styled(
                format!("  {}", fit(&clean(r), width.saturating_sub(2))),
                theme.dim,
            )));
        }
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            clean(&catalog::explain_none(a, &needs)),
            theme.danger,
        )));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .style(theme.text)
            .block(block("Compatible products", theme, false)),
        area,
    );
}
