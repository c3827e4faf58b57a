//! Progress: where the rollout stands — totals, protection coverage and forecast, a gauge per
//! wave, the burn-down (planned against actual), blocked assets with their reasons and the open
//! alerts (machines not known to stay protected first).

use super::{block, fit, fraction, wrap_words};
use crate::model::Date;
use crate::progress::StatusReport;
use crate::report::management::verdict;
use crate::tui::action::Action;
use crate::tui::clean;
use crate::tui::data::{Data, PlanSummary};
use crate::tui::keymap::Context;
use crate::tui::layout::{progress_list, progress_list_rows, progress_window};
use crate::tui::list_window::ListWindow;
use crate::tui::progress_lists::{self, ProgressPane};
use crate::tui::state::State;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Chart, Dataset, GraphType, LineGauge, List, ListItem, ListState, Paragraph,
};

/// Draws the progress screen.
pub fn draw(state: &State, data: &Data, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(summary) = &data.summary else {
        let text = vec![
            Line::from("No plan yet: progress is followed against a plan."),
            Line::from(Span::styled(
                format!(
                    "{} generates one",
                    state.keymap.hint(Context::Global, Action::GeneratePlan)
                ),
                theme.dim,
            )),
        ];
        frame.render_widget(
            Paragraph::new(text)
                .style(theme.text)
                .block(block("Progress", theme, false)),
            area,
        );
        return;
    };
    let report = &summary.report;
    let board = crate::tui::layout::progress_board(area);
    draw_rollout(report, theme, frame, board.rollout);
    draw_waves(report, theme, frame, board.waves);
    draw_burndown(summary, data.shared.today, theme, frame, board.chart);
    draw_blocked(state, data, theme, frame, board.blocked);
    draw_alerts(state, data, theme, frame, board.alerts);
}

fn draw_rollout(r: &StatusReport, theme: &Theme, frame: &mut Frame, area: Rect) {
    let count = |s: &str| r.by_status.get(s).copied().unwrap_or(0);
    let f = &r.forecast;
    let verdict_style = match f.on_track {
        Some(true) => theme.ok,
        Some(false) => theme.danger,
        None => theme.dim,
    };
    let width = area.width.saturating_sub(2) as usize;
    let c = &r.coverage;
    let protection_style = if c.none_left_unprotected {
        theme.ok
    } else {
        theme.danger
    };
    let lines = vec![
        Line::from(fit(
            &format!(
                "{} assets · {:.1}% done · {} in progress · {} blocked · {} open alert(s)",
                r.total,
                r.percent_done,
                count("in-progress"),
                count("blocked"),
                r.alerts.len()
            ),
            width,
        )),
        Line::from(Span::styled(
            fit(
                &format!(
                    "protection: {} covered · {} undecided · {} unverified · {} unprotected · \
                     {} still protected by the flagged product",
                    c.covered, c.undecided, c.unverified, c.unprotected, c.pending
                ),
                width,
            ),
            protection_style,
        )),
        Line::from(vec![
            Span::styled(verdict(f).to_string(), verdict_style.patch(theme.title)),
            Span::raw(fit(
                &format!(
                    " · forecast end {} · planned end {}{}",
                    f.date.as_deref().unwrap_or("unknown"),
                    f.planned_end.as_deref().unwrap_or("-"),
                    // "no deadline set" already says there is none.
                    f.deadline
                        .as_deref()
                        .map_or(String::new(), |d| format!(" · deadline {d}")),
                ),
                width.saturating_sub(verdict(f).len()),
            )),
        ]),
        Line::from(Span::styled(fit(&f.basis, width), theme.dim)),
    ];
    frame.render_widget(
        Paragraph::new(lines)
            .style(theme.text)
            .block(block("Rollout", theme, false)),
        area,
    );
}

fn draw_waves(r: &StatusReport, theme: &Theme, frame: &mut Frame, area: Rect) {
    let b = block("Waves", theme, false);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if r.waves.is_empty() {
        frame.render_widget(Paragraph::new(Span::styled("no waves", theme.dim)), inner);
        return;
    }
    let rows = inner.height as usize;
    for (row, w) in r.waves.iter().enumerate().take(rows) {
        let last_row = row + 1 == rows && r.waves.len() > rows;
        let rect = Rect::new(inner.x, inner.y + row as u16, inner.width, 1);
        if last_row {
            let more = format!("… {} more wave(s)", r.waves.len() - row);
            frame.render_widget(Paragraph::new(Span::styled(more, theme.dim)), rect);
            break;
        }
        let blocked = if w.blocked > 0 {
            format!(" {}✗", w.blocked)
        } else {
            String::new()
        };
        let label = format!(
            "{:<5} {:>4}/{:<4}{blocked:<4}",
            fit(&clean(&w.id), 5),
            w.done,
            w.total
        );
        let style = if w.blocked > 0 {
            theme.danger
        } else {
            theme.ok
        };
        frame.render_widget(
            LineGauge::default()
                .ratio(fraction(w.done, w.total))
                .label(label)
                // Thick against thin, so the filling shows without colours too.
                .filled_symbol(ratatui::symbols::line::THICK_HORIZONTAL)
                .unfilled_symbol(ratatui::symbols::line::HORIZONTAL)
                .filled_style(style)
                .unfilled_style(theme.dim),
            rect,
        );
    }
}

/// (x, y) points of a series, x in days since `origin`.
fn points(series: &[(Date, usize)], origin: Date) -> Vec<(f64, f64)> {
    series
        .iter()
        .map(|(d, n)| (f64::from(origin.days_until(*d)), *n as f64))
        .collect()
}

fn draw_burndown(summary: &PlanSummary, today: Date, theme: &Theme, frame: &mut Frame, area: Rect) {
    let b = &summary.burndown;
    // The same days and counts as the report's chart.
    let extent = b.extent(today);
    let origin = extent.first;
    let planned = points(&b.planned, origin);
    let actual = points(&summary.actual, origin);
    let top = extent.top as f64;
    let x_today = f64::from(origin.days_until(today));
    let today_line = [(x_today, 0.0), (x_today, top)];
    let (lo, hi) = (0.0, f64::from(origin.days_until(extent.last)));
    let date_at = |x: f64| origin.add_days(x.round() as i32).to_string();
    // Three dates need room; a narrow chart labels only both ends.
    let x_labels = if area.width >= 60 {
        vec![date_at(lo), date_at((lo + hi) / 2.0), date_at(hi)]
    } else {
        vec![date_at(lo), date_at(hi)]
    };
    let datasets = vec![
        Dataset::default()
            .name("planned")
            .marker(Marker::Dot)
            .graph_type(GraphType::Line)
            .style(theme.dim)
            .data(&planned),
        Dataset::default()
            .name("actual")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.chart)
            .data(&actual),
        Dataset::default()
            .name("today")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.warn)
            .data(&today_line),
    ];
    let chart = Chart::new(datasets)
        .block(block("Burn-down: flagged assets remaining", theme, false))
        .style(theme.text)
        .x_axis(
            Axis::default()
                .style(theme.dim)
                .bounds([lo, hi])
                .labels(x_labels),
        )
        .y_axis(Axis::default().style(theme.dim).bounds([0.0, top]).labels([
            "0".to_string(),
            format!("{:.0}", top / 2.0),
            format!("{top:.0}"),
        ]))
        .hidden_legend_constraints((Constraint::Ratio(1, 2), Constraint::Ratio(1, 2)));
    frame.render_widget(chart, area);
}

/// One list pane: a row per entry (cut with "…"), the selection kept in `window`, and the
/// selected entry's whole text wrapped under the list.
struct Pane<'a> {
    title: String,
    rows: Vec<Line<'a>>,
    empty: &'static str,
    full: Option<String>,
    window: ListWindow,
    focused: bool,
}

fn draw_pane(pane: Pane, theme: &Theme, frame: &mut Frame, area: Rect) {
    let b = block(&pane.title, theme, pane.focused);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if pane.rows.is_empty() {
        frame.render_widget(Paragraph::new(Span::styled(pane.empty, theme.dim)), inner);
        return;
    }
    // The same rows and window as mouse clicks find (layout::hit).
    let rows = progress_list_rows(area);
    let window = progress_window(pane.window, pane.rows.len(), area);
    let range = window.visible(pane.rows.len(), rows);
    let list = Rect {
        height: (range.len() as u16).min(progress_list(area).height),
        ..progress_list(area)
    };
    // A short list leaves its spare rows to the whole text.
    let full = Rect {
        y: list.bottom(),
        height: inner.bottom().saturating_sub(list.bottom()),
        ..inner
    };
    let selected = window.selected - range.start;
    let items: Vec<ListItem> = pane.rows[range]
        .iter()
        .cloned()
        .map(ListItem::new)
        .collect();
    let mut ls = ListState::default().with_selected(Some(selected));
    let highlight = if pane.focused {
        theme.selected
    } else {
        theme.text
    };
    frame.render_stateful_widget(
        List::new(items)
            .style(theme.text)
            .highlight_style(highlight)
            .highlight_symbol("▶"),
        list,
        &mut ls,
    );
    if let Some(text) = pane.full {
        let width = full.width as usize;
        let lines = whole_text(&text, width, full.height as usize);
        let style = if pane.focused { theme.text } else { theme.dim };
        frame.render_widget(
            Paragraph::new(lines.into_iter().map(Line::from).collect::<Vec<_>>()).style(style),
            full,
        );
    }
}

/// `text` broken at spaces into at most `max` lines of `width`; what does not fit ends the last
/// line with "…".
pub fn whole_text(text: &str, width: usize, max: usize) -> Vec<String> {
    let mut lines = wrap_words(text, width);
    if lines.len() > max && max > 0 {
        let rest = lines[max - 1..].join(" ");
        lines.truncate(max - 1);
        lines.push(fit(&format!("{rest} …"), width));
    }
    lines
}

fn draw_blocked(state: &State, data: &Data, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(3) as usize;
    let blocked = progress_lists::blocked(data);
    let why = |why: &str| {
        if why.is_empty() {
            "(no reason given)".to_string()
        } else {
            clean(why)
        }
    };
    let rows = blocked
        .iter()
        .map(|(id, reason)| {
            let id = fit(&clean(id), width.min(24));
            let rest = width.saturating_sub(id.chars().count() + 1);
            Line::from(vec![
                Span::styled(id, theme.danger),
                Span::raw(" "),
                Span::raw(fit(&why(reason), rest)),
            ])
        })
        .collect();
    let v = &state.progress;
    let full = blocked
        .get(v.blocked.selected.min(blocked.len().saturating_sub(1)))
        .map(|(id, reason)| format!("{} blocked: {}", clean(id), why(reason)));
    let pane = Pane {
        title: format!("Blocked ({})", blocked.len()),
        rows,
        empty: "nothing blocked",
        full,
        window: v.blocked,
        focused: v.pane == ProgressPane::Blocked,
    };
    draw_pane(pane, theme, frame, area);
}

fn draw_alerts(state: &State, data: &Data, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(3) as usize;
    let alerts = progress_lists::alerts(data);
    let rows = alerts
        .iter()
        .map(|a| {
            let style = if progress_lists::is_protection(&a.kind) {
                theme.danger
            } else {
                theme.warn
            };
            let head = format!("{} {}", a.kind, fit(&clean(&a.asset), 24));
            let rest = width.saturating_sub(head.chars().count() + 2);
            Line::from(vec![
                Span::styled(head, style),
                Span::raw(": "),
                Span::raw(fit(&clean(&a.message), rest)),
            ])
        })
        .collect();
    let v = &state.progress;
    let full = alerts
        .get(v.alerts.selected.min(alerts.len().saturating_sub(1)))
        .map(|a| {
            let scan = if a.scan.is_empty() {
                String::new()
            } else {
                format!(", scan {}", clean(&a.scan))
            };
            format!(
                "{} {} since {}{scan}: {}",
                a.kind,
                clean(&a.asset),
                a.at,
                clean(&a.message)
            )
        });
    let pane = Pane {
        title: format!("Open alerts ({})", alerts.len()),
        rows,
        empty: "no open alerts",
        full,
        window: v.alerts,
        focused: v.pane == ProgressPane::Alerts,
    };
    draw_pane(pane, theme, frame, area);
}
