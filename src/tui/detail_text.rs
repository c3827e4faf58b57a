//! The detail text of an asset (facts, plan, steps, protection evidence): built from the
//! state, drawn by the view and measured by `update`, which keeps the scroll within it.

use crate::model::Named;
use crate::plan::ProtectionState;
use crate::plan::steps::{alerts_of, steps_for, ticks};
use crate::plan::{Alert, Event, Plan};
use crate::tui::clean;
use crate::tui::data::Data;
use crate::tui::state::State;
use crate::tui::theme::{Theme, reliance_style, status_style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// How far the detail text of the top detail view scrolls: to where its last line is the
/// bottom line of the pane (0 when it fits, or when no detail is open).
pub fn max_scroll(state: &State) -> usize {
    let (Some(data), Some(d)) = (&state.data, state.detail.last()) else {
        return 0;
    };
    let inner = crate::tui::layout::detail_text_inner(state);
    text(state, data, d.asset as usize, &Theme::get(state.theme))
        .line_count(inner.width)
        .saturating_sub(inner.height as usize)
}

/// The detail text of asset `i`, wrapped to its pane.
pub fn text<'a>(state: &State, data: &'a Data, i: usize, theme: &Theme) -> Paragraph<'a> {
    let s = &data.shared;
    let a = &s.inventory.assets()[i];
    let mut lines: Vec<Line> = Vec::new();
    let field = |k: &str, v: String| {
        Line::from(vec![
            Span::styled(format!("{k:<12}"), theme.dim),
            Span::raw(clean(&v)),
        ])
    };
    let reliance = s.analysis.reliance_of(i);
    lines.push(Line::from(vec![
        Span::styled(format!("{:<12}", "Reliance"), theme.dim),
        Span::styled(reliance.as_str(), reliance_style(theme, reliance)),
    ]));
    let kind = if a.kind.is_logical() {
        format!(
            "{} (logical CI: no agent, its hosts carry the replacement)",
            a.kind
        )
    } else {
        a.kind.to_string()
    };
    lines.push(field("Kind", kind));
    lines.push(field("OS", format!("{} ({})", a.os.raw, a.os.label())));
    lines.push(field("Site", a.site().cloned().unwrap_or_default().into()));
    lines.push(field(
        "Owner",
        a.owner().cloned().unwrap_or_default().into(),
    ));
    lines.push(field("Criticality", a.criticality.to_string()));
    lines.push(field(
        "Tags",
        a.tags().map(|t| t.as_str()).collect::<Vec<_>>().join(", "),
    ));
    if let Some(o) = &a.origin {
        lines.push(field("Source", o.to_string()));
    }
    if let Some(why) = s
        .analysis
        .why_text(i, |p| s.inventory.assets()[p].id.as_str())
    {
        lines.push(field("Why", why));
    }
    // Impact is counted for the assets that run a flagged product (the ones to replace).
    if reliance == crate::analysis::Reliance::Direct {
        lines.push(field(
            "Impact",
            format!("{} asset(s) rely on it", s.analysis.impact_label(i)),
        ));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled("Software", theme.title)));
    let findings = &s.analysis.findings[i];
    for (k, sw) in a.software.iter().enumerate() {
        let hit = findings.iter().find(|f| f.software as usize == k);
        let text = sw.describe();
        match hit {
            Some(f) => {
                let rule = &s.rules.rules()[usize::from(f.rule)];
                lines.push(Line::from(Span::styled(
                    format!("  ✗ {}", clean(&text)),
                    theme.danger,
                )));
                lines.push(Line::from(Span::styled(
                    format!(
                        "      rule {} ({}): {}",
                        clean(&rule.id),
                        f.role.as_str(),
                        clean(&f.reason)
                    ),
                    theme.dim,
                )));
            }
            None => lines.push(Line::from(format!("    {}", clean(&text)))),
        }
    }
    plan_lines(state, data, i, theme, &mut lines);
    Paragraph::new(lines)
        .style(theme.text)
        .wrap(Wrap { trim: false })
}

fn plan_lines(state: &State, data: &Data, i: usize, theme: &Theme, lines: &mut Vec<Line>) {
    let _ = state;
    lines.push(Line::from(""));
    let Some(p) = data.planned(i) else {
        lines.push(Line::from(Span::styled(
            if data.plan.is_some() {
                "Not in the plan (not a direct asset)."
            } else {
                "No plan yet."
            },
            theme.dim,
        )));
        return;
    };
    lines.push(Line::from(Span::styled("Plan", theme.title)));
    let wave = data
        .plan
        .as_ref()
        .and_then(|plan| plan.wave_index(&p.wave).map(|w| &plan.waves[w]))
        .map(|w| format!("{} {} ({} – {})", w.id, w.name, w.start, w.end))
        .unwrap_or_else(|| p.wave.clone());
    lines.push(Line::from(vec![
        Span::styled("  wave     ", theme.dim),
        Span::raw(clean(&wave)),
        Span::styled(if p.pinned { "  pinned" } else { "" }, theme.warn),
    ]));
    lines.push(Line::from(vec![
        Span::styled("  status   ", theme.dim),
        Span::styled(p.status.as_str(), status_style(theme, p.status)),
        Span::raw(
            p.status_reason
                .as_deref()
                .map(|r| format!(" — {}", clean(r)))
                .unwrap_or_default(),
        ),
    ]));
    lines.push(Line::from(vec![
        Span::styled("  product  ", theme.dim),
        Span::raw(clean(p.product.as_deref().unwrap_or("none"))),
    ]));
    lines.push(Line::from(Span::styled(
        format!("  why: {}", clean(&p.reason)),
        theme.dim,
    )));
    if !p.product_reason.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("  product: {}", clean(&p.product_reason)),
            theme.dim,
        )));
    }
    if let Some(d) = &p.decision {
        lines.push(Line::from(vec![
            Span::styled("  decision ", theme.dim),
            Span::raw(format!(
                "{} — {} (approved by {}, review {})",
                d.option,
                clean(&d.rationale),
                clean(&d.approver),
                d.review
            )),
        ]));
    } else if p.awaits_decision() {
        lines.push(Line::from(vec![
            Span::styled("  decision ", theme.dim),
            Span::styled(
                format!(
                    "undecided: record one with {}",
                    state.keymap.hint(
                        crate::tui::keymap::Context::Detail,
                        crate::tui::action::Action::Decide
                    )
                ),
                theme.warn,
            ),
        ]));
    }
    if let Some(n) = &p.note {
        lines.push(Line::from(format!("  note: {}", clean(n))));
    }
    let plan = data.plan.as_deref();
    let alerts = plan.map_or_else(Vec::new, |plan| alerts_of(&plan.alerts, &p.id));
    protection_lines(p, theme, lines);
    alert_lines(&alerts, theme, lines);
    if let Some(plan) = plan {
        history_lines(plan, &p.id, theme, lines);
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled("Steps", theme.title)));
    let ctx = data.shared.plan_context();
    let steps = steps_for(&ctx, p, i);
    // Ticks follow the status and the evidence: an open alert unticks what it contradicts.
    let ticks = ticks(p, &alerts, &steps);
    for (step, done) in steps.into_iter().zip(ticks) {
        let tick = if done { "[x]" } else { "[ ]" };
        // Step texts name catalogue products and carry catalogue notes.
        lines.push(Line::from(format!(
            "  {tick} {}: {}",
            step.key,
            clean(&step.action)
        )));
        for n in step.notes {
            lines.push(Line::from(Span::styled(
                format!("        {}", clean(&n)),
                theme.dim,
            )));
        }
        if !step.sources.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("        sources: {}", clean(&step.sources.join(" ; "))),
                theme.dim,
            )));
        }
    }
}

/// The asset's open alerts: kind, since when, the scan that showed it, the message.
fn alert_lines(alerts: &[&Alert], theme: &Theme, lines: &mut Vec<Line>) {
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!("Open alerts ({})", alerts.len()),
        theme.title,
    )));
    if alerts.is_empty() {
        lines.push(Line::from(Span::styled("  none", theme.dim)));
    }
    for a in alerts {
        let style = if a.kind.is_protection() {
            theme.danger
        } else {
            theme.warn
        };
        let scan = if a.scan.is_empty() {
            String::new()
        } else {
            format!(" (scan {})", clean(&a.scan))
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  {}", a.kind.as_str()), style),
            Span::styled(format!(" since {}{scan}", a.at), theme.dim),
        ]));
        lines.push(Line::from(format!("    {}", clean(&a.message))));
    }
}

/// History entries shown in the detail; older ones are counted.
pub const HISTORY_SHOWN: usize = 20;

/// The asset's history, newest first: when, who, what changed from → to, the note.
fn history_lines(plan: &Plan, id: &str, theme: &Theme, lines: &mut Vec<Line>) {
    let events: Vec<&Event> = plan
        .events
        .iter()
        .rev()
        .filter(|e| e.asset.eq_ignore_ascii_case(id))
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!("History ({})", events.len()),
        theme.title,
    )));
    if events.is_empty() {
        lines.push(Line::from(Span::styled("  no changes yet", theme.dim)));
    }
    let value = |v: &str| {
        if v.is_empty() {
            "-".to_string()
        } else {
            clean(v)
        }
    };
    for e in events.iter().take(HISTORY_SHOWN) {
        lines.push(Line::from(vec![
            Span::styled(format!("  {} {}: ", e.at, clean(&e.by)), theme.dim),
            Span::raw(format!(
                "{} {} → {}",
                clean(&e.field),
                value(&e.from),
                value(&e.to)
            )),
        ]));
        if let Some(n) = e.note.as_deref().filter(|n| !n.is_empty()) {
            lines.push(Line::from(Span::styled(
                format!("    note: {}", clean(n)),
                theme.dim,
            )));
        }
    }
    if events.len() > HISTORY_SHOWN {
        lines.push(Line::from(Span::styled(
            format!("  … {} older", events.len() - HISTORY_SHOWN),
            theme.dim,
        )));
    }
}

/// The protection evidence of the latest reconciled scan; text from scans is cleaned.
fn protection_lines(p: &crate::plan::PlannedAsset, theme: &Theme, lines: &mut Vec<Line>) {
    let (text, style) = match &p.protection {
        None => ("no scan has shown a replacement yet".to_string(), theme.dim),
        Some(e) => (
            e.describe(p.product.as_deref()),
            match e.state {
                ProtectionState::Protected if e.other_than(p.product.as_deref()) => theme.warn,
                ProtectionState::Protected => theme.ok,
                _ => theme.danger,
            },
        ),
    };
    lines.push(Line::from(vec![
        Span::styled("  protect. ", theme.dim),
        Span::styled(clean(&text), style),
    ]));
}
