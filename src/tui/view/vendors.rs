//! The vendor screen: the catalogue with a coverage matrix over this estate's direct assets,
//! the plan's vendor rules and preference order, and the assets no product covers.

use super::{block, fit, pad, selectable};
use crate::model::Named;
use crate::tui::action::Action;
use crate::tui::clean;
use crate::tui::data::Data;
use crate::tui::keymap::Context;
use crate::tui::state::Screen;
use crate::tui::state::{State, VendorPane};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, HighlightSpacing, ListItem, Row, Table, TableState};

/// Draws the vendor screen.
pub fn draw(state: &State, data: &Data, theme: &Theme, frame: &mut Frame, area: Rect) {
    let [products, rules, uncovered] = crate::tui::layout::vendor_panes(area);
    draw_products(state, data, theme, frame, products);
    draw_rules(state, data, theme, frame, rules);
    draw_uncovered(state, data, theme, frame, uncovered);
}

fn draw_products(state: &State, data: &Data, theme: &Theme, frame: &mut Frame, area: Rect) {
    let s = &data.shared;
    let preference: Vec<String> = data
        .plan
        .as_ref()
        .map(|p| p.settings.preference.clone())
        .unwrap_or_default();
    let name_width = area.width.saturating_sub(34) as usize;
    let rows: Vec<Row> = s
        .coverage
        .iter()
        .map(|c| {
            let pref = preference
                .iter()
                .position(|p| *p == c.product)
                .map(|i| format!("{}", i + 1))
                .unwrap_or_default();
            Row::new(vec![
                Cell::from(Span::styled(pref, theme.key)),
                Cell::from(fit(&clean(&c.name), name_width)),
                Cell::from(Span::styled(c.yes.to_string(), theme.ok)),
                Cell::from(Span::styled(c.limited.to_string(), theme.warn)),
                Cell::from(Span::styled(c.unverified.to_string(), theme.dim)),
                Cell::from(c.no.to_string()),
            ])
        })
        .collect();
    let header = Row::new(vec!["#", "Product", "yes", "ltd", "unver", "no"]).style(theme.title);
    let widths = [
        Constraint::Length(2),
        Constraint::Min(10),
        Constraint::Length(6),
        Constraint::Length(6),
        Constraint::Length(6),
        Constraint::Length(6),
    ];
    let focused = state.vendors.pane == VendorPane::Products;
    let direct = s.stats.totals.direct;
    let table = Table::new(rows, widths)
        .header(header)
        .style(theme.text)
        .row_highlight_style(if focused {
            theme.selected
        } else {
            theme.marked
        })
        .highlight_symbol("▶")
        .highlight_spacing(HighlightSpacing::Always)
        .block(block(
            &format!("Catalogue coverage of {direct} direct assets (# = preference)"),
            theme,
            focused,
        ));
    let mut ts = TableState::default().with_offset(state.vendors.products.offset);
    if !s.coverage.is_empty() {
        ts.select(Some(
            state.vendors.products.selected.min(s.coverage.len() - 1),
        ));
    }
    frame.render_stateful_widget(table, area, &mut ts);
}

fn draw_rules(state: &State, data: &Data, theme: &Theme, frame: &mut Frame, area: Rect) {
    let focused = state.vendors.pane == VendorPane::Rules;
    let rules = data
        .plan
        .as_ref()
        .map(|p| p.settings.vendor_rules.clone())
        .unwrap_or_default();
    let width = area.width.saturating_sub(4) as usize;
    let mut items: Vec<ListItem> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let w = &r.when;
            let mut cond = Vec::new();
            let facets: [(&str, Vec<&str>); 5] = [
                ("kind", w.kind.iter().map(|k| k.as_str()).collect()),
                ("os", w.os_family.iter().map(|f| f.as_str()).collect()),
                ("site", w.site.iter().map(String::as_str).collect()),
                ("tag", w.tag.iter().map(String::as_str).collect()),
                ("crit", w.criticality.iter().map(|c| c.as_str()).collect()),
            ];
            for (name, values) in facets {
                if !values.is_empty() {
                    cond.push(format!("{name} {}", values.join("|")));
                }
            }
            let cond = if cond.is_empty() {
                "every asset".to_string()
            } else {
                cond.join(", ")
            };
            ListItem::new(fit(
                &clean(&format!("{}. {cond} → {}", i + 1, r.product)),
                width,
            ))
        })
        .collect();
    if items.is_empty() {
        let hint = format!(
            "No vendor rules: products follow the preference order, then the catalogue. \
             Select a product and press {}.",
            state
                .keymap
                .hint(Context::Screen(Screen::Vendors), Action::AddVendorRule)
        );
        let lines: Vec<Line> = super::wrap_words(&hint, width)
            .into_iter()
            .map(|l| Line::from(Span::styled(l, theme.dim)))
            .collect();
        items.push(ListItem::new(lines));
    }
    // The hint shown when there are no rules is not selectable.
    let selected = (focused && !rules.is_empty()).then_some(state.vendors.rules.selected);
    let title = "Vendor rules (first match wins)";
    let (list, mut ls) = selectable(items, selected, title, focused, theme);
    *ls.offset_mut() = state.vendors.rules.offset;
    frame.render_stateful_widget(list, area, &mut ls);
}

fn draw_uncovered(state: &State, data: &Data, theme: &Theme, frame: &mut Frame, area: Rect) {
    let s = &data.shared;
    let focused = state.vendors.pane == VendorPane::Uncovered;
    let width = area.width.saturating_sub(4) as usize;
    let items: Vec<ListItem> = s
        .uncovered
        .iter()
        .map(|&i| {
            let a = &s.inventory.assets()[i as usize];
            ListItem::new(fit(
                &format!("{} {}", pad(&clean(&a.id), 18), a.os.label()),
                width,
            ))
        })
        .collect();
    let title = format!("Covered by no product ({})", s.uncovered.len());
    let selected = focused.then_some(state.vendors.uncovered_assets.selected);
    let (list, mut ls) = selectable(items, selected, &title, focused, theme);
    *ls.offset_mut() = state.vendors.uncovered_assets.offset;
    frame.render_stateful_widget(list.style(theme.danger), area, &mut ls);
}
