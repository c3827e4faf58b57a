//! The wave board: waves with dates and capacity, the assets of the selected wave, and the
//! plan's violations updating live beside it.

use super::{block, block_in, fit, fit_lines, fraction, pad};
use crate::model::Named;
use crate::tui::action::Action;
use crate::tui::clean;
use crate::tui::data::Data;
use crate::tui::keymap::Context;
use crate::tui::layout::{WaveBoard, wave_board, wave_list_offset};
use crate::tui::lists::wave_assets;
use crate::tui::state::State;
use crate::tui::theme::Theme;
use crate::tui::theme::status_style;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, HighlightSpacing, List, ListItem, ListState, Paragraph};

/// Draws the board.
pub fn draw(state: &State, data: &Data, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(plan) = &data.plan else {
        frame.render_widget(
            Paragraph::new(vec![
                Line::from("No plan yet."),
                Line::from(""),
                Line::from(format!(
                    "Press {} to plan the replacement in waves.",
                    state.keymap.hint(Context::Global, Action::GeneratePlan)
                )),
            ])
            .style(theme.text)
            .block(block("Waves", theme, true)),
            area,
        );
        return;
    };
    let board = wave_board(area);
    let w = &state.waves;
    // Whole ids and dates with the year; the name takes what width is left.
    let id_w = plan
        .waves
        .iter()
        .map(|w| clean(&w.id).chars().count())
        .max()
        .unwrap_or(0)
        .max(2);
    let digits = |n: usize| n.to_string().len();
    let most = plan.waves.iter().enumerate().map(|(k, wave)| {
        let n = data.wave_members.get(k).map_or(0, Vec::len);
        digits(n.max(wave.capacity))
    });
    let num_w = most.max().unwrap_or(0).max(3);
    let inner = board.waves.width.saturating_sub(3) as usize;
    let fixed = id_w + 1 + 10 + 1 + 2 * num_w + 1 + 6;
    let name_w = inner.saturating_sub(fixed + 1);
    let items: Vec<ListItem> = plan
        .waves
        .iter()
        .enumerate()
        .map(|(k, wave)| {
            let n = data.wave_members.get(k).map_or(0, Vec::len);
            let done = data.wave_done.get(k).copied().unwrap_or(0);
            let over = n > wave.capacity;
            let frozen = if wave.frozen { " ❄" } else { "" };
            let name = match name_w {
                0..5 => String::new(),
                w => format!("{} ", pad(&clean(&wave.name), w)),
            };
            ListItem::new(Line::from(vec![
                Span::raw(format!(
                    "{} {name}{} ",
                    pad(&clean(&wave.id), id_w),
                    wave.start
                )),
                Span::styled(
                    format!("{n:>num_w$}/{:<num_w$}", wave.capacity),
                    if over { theme.danger } else { theme.text },
                ),
                Span::styled(format!(" {done:>3}✓{frozen}"), theme.dim),
            ]))
        })
        .collect();
    let mut ls = ListState::default()
        .with_offset(wave_list_offset(state))
        .with_selected(Some(
            w.list.selected.min(plan.waves.len().saturating_sub(1)),
        ));
    frame.render_stateful_widget(
        List::new(items)
            .style(theme.text)
            .highlight_style(if w.focus_assets {
                theme.marked
            } else {
                theme.selected
            })
            .highlight_symbol("▶")
            .block(block(
                &format!("Waves ({})", plan.waves.len()),
                theme,
                !w.focus_assets,
            )),
        board.waves,
        &mut ls,
    );
    draw_wave_assets(state, data, theme, frame, &board);
    draw_problems(state, data, theme, frame, board.problems);
}

fn draw_wave_assets(
    state: &State,
    data: &Data,
    theme: &Theme,
    frame: &mut Frame,
    board: &WaveBoard,
) {
    let Some(plan) = &data.plan else { return };
    let w = &state.waves;
    let Some(wave) = plan.waves.get(w.list.selected) else {
        return;
    };
    let members = wave_assets(data, w.list.selected);
    let title = format!(
        "{} {} · {} – {} · {} assets",
        clean(&wave.id),
        clean(&wave.name),
        wave.start,
        wave.end,
        members.len()
    );
    frame.render_widget(
        block_in(
            &title,
            board.wave.width,
            theme,
            w.focus_assets && !w.focus_violations,
        ),
        board.wave,
    );
    let done = data.wave_done.get(w.list.selected).copied().unwrap_or(0);
    let list = board.assets;
    let cap = fraction(members.len(), wave.capacity.max(1));
    frame.render_widget(
        Gauge::default()
            .gauge_style(if members.len() > wave.capacity {
                theme.danger
            } else {
                theme.gauge
            })
            .ratio(cap)
            .label(format!(
                "capacity {}/{} · {done} done{}",
                members.len(),
                wave.capacity,
                if wave.frozen { " · frozen" } else { "" }
            )),
        board.gauge,
    );
    let s = &data.shared;
    let width = list.width as usize;
    let rows = list.height as usize;
    let shown = &members[w.members.visible(members.len(), rows)];
    // Ids as wide as the longest shown (at most 20 cells); the product takes the rest.
    let id_w = (shown.iter())
        .map(|&i| super::display_width(&clean(&s.inventory.assets()[i as usize].id)))
        .max()
        .unwrap_or(0)
        .clamp(6, 20);
    let items: Vec<ListItem> = shown
        .iter()
        .map(|&i| {
            let a = &s.inventory.assets()[i as usize];
            let p = data.planned(i as usize);
            let marked = if state.assets.marked.contains(&i) {
                "●"
            } else {
                " "
            };
            let pin = if p.is_some_and(|p| p.pinned) {
                "⚑"
            } else {
                " "
            };
            let status = p.map(|p| p.status).unwrap_or(crate::plan::Status::Planned);
            ListItem::new(Line::from(vec![
                Span::styled(format!("{marked}{pin} "), theme.marked),
                Span::raw(format!("{} ", pad(&clean(&a.id), id_w))),
                Span::styled(
                    format!("{:<12}", status.as_str()),
                    status_style(theme, status),
                ),
                Span::styled(
                    fit(
                        &match p.and_then(|p| p.product.as_deref()) {
                            None if a.kind.is_logical() => {
                                format!("{} · logical CI, no agent", a.kind)
                            }
                            product => format!(
                                "{} · {}",
                                a.os.label(),
                                clean(product.unwrap_or("no product"))
                            ),
                        },
                        // The highlight column, marks (3), id and status (12).
                        width.saturating_sub(17 + id_w),
                    ),
                    theme.dim,
                ),
            ]))
        })
        .collect();
    let mut ls = ListState::default();
    if w.focus_assets && w.members.selected >= w.members.offset {
        ls.select(Some(w.members.selected - w.members.offset));
    }
    frame.render_stateful_widget(
        List::new(items)
            .style(theme.text)
            .highlight_style(theme.selected)
            .highlight_symbol("▶")
            .highlight_spacing(HighlightSpacing::Always),
        list,
        &mut ls,
    );
}

fn draw_problems(state: &State, data: &Data, theme: &Theme, frame: &mut Frame, area: Rect) {
    let violations = crate::tui::problem_lists::violations(data);
    let width = area.width.saturating_sub(4) as usize;
    let window = &state.waves.violations;
    let focused = state.waves.focus_violations;
    let mut lines: Vec<Line> = violations
        .iter()
        .enumerate()
        .skip(window.offset)
        .take(area.height.saturating_sub(2) as usize)
        .map(|(i, p)| {
            let chosen = focused && i == window.selected;
            Line::from(vec![
                Span::styled(if chosen { "▶" } else { " " }, theme.key),
                Span::styled(format!("{} ", p.code), theme.danger),
                Span::raw(fit(
                    &clean(&p.message),
                    width.saturating_sub(p.code.as_str().len() + 2),
                )),
            ])
            .style(if chosen {
                theme.selected
            } else {
                ratatui::style::Style::default()
            })
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "No violations: every planning rule holds.",
            theme.ok,
        )));
    }
    let lines = fit_lines(lines, area.width.saturating_sub(2) as usize);
    frame.render_widget(
        Paragraph::new(lines).style(theme.text).block(block(
            &format!("Violations ({})", violations.len()),
            theme,
            focused,
        )),
        area,
    );
}
