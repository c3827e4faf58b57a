//! Dashboard: totals, breakdowns, the providers with the largest impact, wave progress,
//! validation problems and the deadline.

use super::{block, block_in, fit, fit_lines, fraction, wrap_words};
use crate::plan::validate::Severity;
use crate::tui::action::Action;
use crate::tui::data::Data;
use crate::tui::keymap::Context;
use crate::tui::state::State;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, LineGauge, Paragraph};

/// Draws the dashboard.
pub fn draw(state: &State, data: &Data, theme: &Theme, frame: &mut Frame, area: Rect) {
    let areas = crate::tui::problem_lists::dashboard(area);
    draw_totals(state, data, theme, frame, areas.top);
    let [role, family, site] = areas.middle;
    let s = &data.shared.stats;
    bars(frame, role, theme, "Direct assets by role", &s.by_role);
    bars(frame, family, theme, "… by OS family", &s.by_family);
    bars(frame, site, theme, "… by site", &s.by_site);
    draw_providers(data, theme, frame, areas.providers);
    draw_waves(data, theme, frame, areas.waves);
    draw_problems(state, data, theme, frame, areas.problems);
}

fn draw_totals(state: &State, data: &Data, theme: &Theme, frame: &mut Frame, area: Rect) {
    let t = data.shared.stats.totals;
    // Narrow terminals give the plan card the room its lines need; the counts wrap.
    let cells = if area.width < 110 {
        Layout::horizontal([
            Constraint::Length(16),
            Constraint::Length(16),
            Constraint::Length(16),
            Constraint::Min(30),
        ])
        .split(area)
    } else {
        Layout::horizontal([Constraint::Ratio(1, 4); 4]).split(area)
    };
    let pct = |n: usize| {
        if t.assets == 0 {
            0.0
        } else {
            n as f64 * 100.0 / t.assets as f64
        }
    };
    let boxes = [
        ("Direct", t.direct, "run a flagged product", theme.danger),
        ("Indirect", t.indirect, "rely on one", theme.warn),
        ("Unaffected", t.unaffected, "neither", theme.ok),
    ];
    for (i, (title, n, what, style)) in boxes.into_iter().enumerate() {
        let inner = cells[i].width.saturating_sub(2) as usize;
        let share = format!("{:.1}% of {} assets", pct(n), t.assets);
        let mut lines = vec![Line::from(Span::styled(
            format!("{n}"),
            style.patch(theme.title),
        ))];
        lines.extend(
            [share.as_str(), what]
                .iter()
                .flat_map(|text| wrap_words(text, inner))
                .map(|l| Line::from(Span::styled(l, theme.dim))),
        );
        let p = Paragraph::new(fit_lines(lines, inner)).block(block(title, theme, false));
        frame.render_widget(p, cells[i]);
    }
    let plan_lines = match &data.plan {
        None => vec![
            Line::from("No plan yet."),
            Line::from(Span::styled(
                format!(
                    "{} generates one",
                    state.keymap.hint(Context::Global, Action::GeneratePlan)
                ),
                theme.dim,
            )),
        ],
        Some(plan) => {
            // Done as `status` counts it: not while an alert says it is unverified or
            // unprotected (computed once per plan change).
            let done = data.summary.as_ref().map_or(0.0, |s| s.report.percent_done);
            let last = plan
                .planned_end()
                .map(|d| d.to_string())
                .unwrap_or_default();
            let deadline = match plan.settings.deadline {
                Some(d) => {
                    let days = data.shared.today.days_until(d);
                    format!("deadline {d} · {days} d")
                }
                None => "no deadline".into(),
            };
            vec![
                Line::from(format!(
                    "{} assets · {} waves",
                    plan.assets.len(),
                    plan.waves.len()
                )),
                Line::from(Span::styled(
                    format!("{done:.0}% done · ends {last}"),
                    theme.dim,
                )),
                Line::from(Span::styled(deadline, theme.dim)),
            ]
            .into_iter()
            .chain(coverage_lines(data, theme))
            .collect()
        }
    };
    let inner = cells[3].width.saturating_sub(2) as usize;
    frame.render_widget(
        Paragraph::new(fit_lines(plan_lines, inner)).block(block("Plan", theme, false)),
        cells[3],
    );
}

/// How many planned assets are covered, undecided, unverified and unprotected (two lines);
/// red while any machine is not known to stay protected.
fn coverage_lines<'a>(data: &Data, theme: &Theme) -> Vec<Line<'a>> {
    let Some(summary) = &data.summary else {
        return Vec::new();
    };
    let c = &summary.report.coverage;
    let style = |n: usize| if n > 0 { theme.danger } else { theme.ok };
    vec![
        Line::from(vec![
            Span::styled(format!("{} covered", c.covered), theme.ok),
            Span::raw(" · "),
            Span::styled(format!("{} undecided", c.undecided), style(c.undecided)),
        ]),
        Line::from(vec![
            Span::styled(format!("{} unverified", c.unverified), style(c.unverified)),
            Span::raw(" · "),
            Span::styled(
                format!("{} unprotected", c.unprotected),
                style(c.unprotected),
            ),
        ]),
    ]
}

fn bars(frame: &mut Frame, area: Rect, theme: &Theme, title: &str, data: &[(String, u64)]) {
    let rows = area.height.saturating_sub(2) as usize;
    let label_width = (area.width as usize / 2).clamp(6, 18);
    let items: Vec<Bar> = data
        .iter()
        .take(rows)
        .map(|(label, v)| {
            Bar::default()
                .value(*v)
                .label(Line::from(fit(&crate::tui::clean(label), label_width)))
                .style(theme.chart)
                .value_style(theme.chart.patch(theme.title))
        })
        .collect();
    let chart = BarChart::default()
        .block(block(title, theme, false))
        .direction(Direction::Horizontal)
        .bar_width(1)
        .bar_gap(0)
        .data(BarGroup::default().bars(&items));
    frame.render_widget(chart, area);
}

fn draw_providers(data: &Data, theme: &Theme, frame: &mut Frame, area: Rect) {
    let s = &data.shared;
    let rows = area.height.saturating_sub(2) as usize;
    let width = area.width.saturating_sub(12) as usize;
    let lines: Vec<Line> = s
        .stats
        .top_providers
        .iter()
        .take(rows)
        .map(|&(i, n)| {
            Line::from(vec![
                Span::styled(format!("{n:>7} "), theme.warn),
                Span::raw(fit(&s.inventory.assets()[i].id, width)),
            ])
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).style(theme.text).block(block_in(
            "Largest impact (relying assets)",
            area.width,
            theme,
            false,
        )),
        area,
    );
}

fn draw_waves(data: &Data, theme: &Theme, frame: &mut Frame, area: Rect) {
    let b = block("Plan status per wave", theme, false);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let Some(plan) = &data.plan else {
        frame.render_widget(
            Paragraph::new(Span::styled("no plan yet", theme.dim)),
            inner,
        );
        return;
    };
    for (row, w) in plan.waves.iter().enumerate().take(inner.height as usize) {
        let total = data.wave_members.get(row).map_or(0, Vec::len);
        let done = data.wave_done.get(row).copied().unwrap_or(0);
        let rect = Rect::new(inner.x, inner.y + row as u16, inner.width, 1);
        let label = format!(
            "{:<5} {done:>4}/{total:<4}",
            fit(&crate::tui::clean(&w.id), 5)
        );
        frame.render_widget(
            LineGauge::default()
                .ratio(fraction(done, total))
                .label(label)
                .filled_style(theme.ok)
                .unfilled_style(theme.dim),
            rect,
        );
    }
}

fn draw_problems(state: &State, data: &Data, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut lines = Vec::new();
    let (violations, warnings) = data.problem_counts();
    if data.plan.is_some() {
        let style: Style = if violations > 0 {
            theme.danger
        } else {
            theme.ok
        };
        lines.push(Line::from(Span::styled(
            format!("{violations} violation(s), {warnings} warning(s)"),
            style,
        )));
    }
    let import = crate::error::warning_total(&data.shared.warnings);
    if import > 0 {
        lines.push(Line::from(Span::styled(
            format!("{import} import/analysis warning(s)"),
            theme.warn,
        )));
    }
    let width = area.width.saturating_sub(4) as usize;
    let rows = (area.height.saturating_sub(2) as usize).saturating_sub(lines.len());
    let window = &state.problems;
    for (i, p) in data
        .problems
        .iter()
        .enumerate()
        .skip(window.offset)
        .take(rows)
    {
        let style = if p.severity == Severity::Violation {
            theme.danger
        } else {
            theme.warn
        };
        let chosen = i == window.selected;
        lines.push(
            Line::from(vec![
                Span::styled(if chosen { "▶" } else { " " }, theme.key),
                Span::styled(format!("{} ", p.code), style),
                Span::raw(fit(
                    &crate::tui::clean(&p.message),
                    width.saturating_sub(p.code.as_str().len() + 2),
                )),
            ])
            .style(if chosen {
                theme.selected
            } else {
                Style::default()
            }),
        );
    }
    for w in data.shared.warnings.iter().take(3) {
        lines.push(Line::from(Span::styled(
            fit(&w.to_string(), width),
            theme.dim,
        )));
    }
    frame.render_widget(
        Paragraph::new(fit_lines(lines, area.width.saturating_sub(2) as usize))
            .style(theme.text)
            .block(block_in(
                &match data.problems.is_empty() {
                    true => "Problems".to_string(),
                    false => format!(
                        "Problems ({} select, {} opens)",
                        state.keymap.hint(Context::Global, Action::Down),
                        state.keymap.hint(Context::Global, Action::Open)
                    ),
                },
                area.width,
                theme,
                false,
            )),
        area,
    );
}
