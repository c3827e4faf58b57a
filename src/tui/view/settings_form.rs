//! The plan settings form: one row per field, the selected field's hint or why its value was
//! refused, and the preview of the plan the values give.

use super::{block, display_width, fit, pad, wrap_words};
use crate::tui::clean;
use crate::tui::settings_form::{Field, Preview, SettingsForm};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use strum::VariantArray;

const LABEL: usize = 15;

/// The end of `text` in `width` cells, "…" first when cut: typing happens at the end.
fn tail(text: &str, width: usize) -> String {
    if display_width(text) <= width {
        return text.to_string();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 1;
    for c in text.chars().rev() {
        let w = display_width(c.encode_utf8(&mut [0; 4]));
        if used + w > width {
            break;
        }
        used += w;
        kept.push(c);
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

/// Draws the form over `area`.
pub fn draw(form: &SettingsForm, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = area.width.min(78);
    let inner = width.saturating_sub(2) as usize;
    let value_width = inner.saturating_sub(LABEL + 2).max(1);
    let mut lines: Vec<Line> = Vec::new();
    for (i, field) in Field::VARIANTS.iter().enumerate() {
        let selected = i == form.selected;
        let value = clean(&form.value(*field));
        let shown = match (selected, field.is_choice()) {
            (true, true) => fit(&format!("‹ {value} ›"), value_width),
            (true, false) => format!("{}▏", tail(&value, value_width.saturating_sub(1))),
            (false, _) => fit(&value, value_width),
        };
        let refused = form.error.as_ref().is_some_and(|(f, _)| f == field);
        let style = match (selected, refused) {
            (_, true) => theme.danger,
            (true, false) => theme.selected,
            (false, false) => theme.text,
        };
        lines.push(Line::from(vec![
            Span::styled(if selected { "› " } else { "  " }, theme.key),
            Span::styled(pad(field.label(), LABEL), theme.title),
            Span::styled(shown, style),
        ]));
    }
    lines.push(Line::from(""));
    let (note, style) = match &form.error {
        Some((field, why)) => (format!("{}: {}", field.label(), why), theme.danger),
        None => (form.field().hint().to_string(), theme.dim),
    };
    for l in wrap_words(&clean(&note), inner) {
        lines.push(Line::from(Span::styled(l, style)));
    }
    lines.push(Line::from(""));
    match &form.preview {
        Preview::Stale => lines.push(Line::from(Span::styled(
            fit(
                "enter: plan with these settings and preview the result",
                inner,
            ),
            theme.dim,
        ))),
        Preview::Planning(_) => lines.push(Line::from(Span::styled(
            fit("planning the preview… (esc cancels)", inner),
            theme.warn,
        ))),
        Preview::Ready(summary) => {
            lines.push(Line::from(Span::styled(
                fit(
                    "Preview — enter puts this plan in place, esc keeps the current one",
                    inner,
                ),
                theme.ok,
            )));
            for line in summary {
                let style = if line.contains("MISSED") || line.contains("more than a year") {
                    theme.danger
                } else {
                    theme.text
                };
                for l in wrap_words(&clean(line), inner) {
                    lines.push(Line::from(Span::styled(l, style)));
                }
            }
        }
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let rect = area.centered(Constraint::Length(width), Constraint::Length(height));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .style(theme.text)
            .block(block("Plan settings", theme, true)),
        rect,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_keeps_the_end_and_marks_the_cut() {
        assert_eq!(tail("abc", 5), "abc");
        assert_eq!(tail("2026-12-21..2027-01-06", 8), "…7-01-06");
        assert_eq!(display_width(&tail("日本語のテキスト", 7)), 7);
    }
}
