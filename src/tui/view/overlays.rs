//! Overlays: help (generated from the keymap), pickers and the palette, questions, prompts.

use super::{block, fit, pad, selectable};
use crate::tui::action::Action;
use crate::tui::clean;
use crate::tui::keymap::Context;
use crate::tui::state::{Overlay, State};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, ListItem, Paragraph, Wrap};

/// How many lines `text` takes wrapped at word boundaries to `width` columns (an upper
/// bound of what `Paragraph` with `Wrap` draws).
fn wrapped_lines(text: &str, width: usize) -> usize {
    let mut lines = 1;
    let mut used = 0;
    for word in text.split(' ') {
        let w = word.chars().count().max(1);
        let need = if used == 0 { w } else { used + 1 + w };
        if need <= width {
            used = need;
        } else {
            lines += 1 + w.saturating_sub(1) / width;
            used = (w - 1) % width + 1;
        }
    }
    lines
}

/// Draws every overlay, bottom to top.
pub fn draw(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    for overlay in &state.overlays {
        match overlay {
            Overlay::Help { scroll } => help(state, *scroll, theme, frame, area),
            Overlay::Settings(form) => super::settings_form::draw(form, theme, frame, area),
            Overlay::Export(view) => super::export_screen::draw(state, view, theme, frame, area),
            Overlay::Log { scroll } => log(state, *scroll, theme, frame, area),
            Overlay::Picker(p) => {
                let rect = area.centered(Constraint::Percentage(60), Constraint::Percentage(60));
                frame.render_widget(Clear, rect);
                let matching = p.matching();
                let items: Vec<ListItem> = matching
                    .iter()
                    .map(|(_, label)| ListItem::new(fit(&clean(label), rect.width as usize - 4)))
                    .collect();
                let title = format!("{}  ›{}▏", p.title, clean(&p.query));
                let (list, mut ls) = selectable(items, Some(p.selected), &title, true, theme);
                // Why some choices are not offered, under the list (as much as fits).
                let width = rect.width.saturating_sub(2) as usize;
                let notes: Vec<Line> = p
                    .notes
                    .iter()
                    .flat_map(|n| super::wrap_words(&clean(n), width))
                    .map(|l| Line::from(Span::styled(l, theme.dim)))
                    .collect();
                // The notes' bottom border takes a row.
                let room = (notes.len() as u16 + 1).min(rect.height.saturating_sub(5));
                let [top, bottom] =
                    Layout::vertical([Constraint::Min(3), Constraint::Length(room)]).areas(rect);
                frame.render_stateful_widget(list, top, &mut ls);
                if !notes.is_empty() {
                    let shown = notes.len().min(room.saturating_sub(1) as usize);
                    let lines: Vec<Line> = notes.into_iter().take(shown).collect();
                    frame.render_widget(
                        Paragraph::new(lines).block(
                            Block::default()
                                .borders(Borders::LEFT | Borders::RIGHT | Borders::BOTTOM)
                                .border_style(theme.border_focus),
                        ),
                        bottom,
                    );
                }
            }
            Overlay::Confirm { question, purpose } => {
                // Tall enough for the whole question and the answer keys below it.
                let width = (area.width as usize * 60 / 100).saturating_sub(2).max(1);
                let height = wrapped_lines(&clean(question), width) + 4;
                let rect = area.centered(
                    Constraint::Percentage(60),
                    Constraint::Length(height.min(area.height as usize) as u16),
                );
                frame.render_widget(Clear, rect);
                let keys = |a: Action| match a {
                    Action::Confirm => crate::tui::overlays::yes_keys(state, purpose).join("/"),
                    _ => state.keymap.keys_for(Context::Confirm, a).join("/"),
                };
                frame.render_widget(
                    Paragraph::new(vec![
                        Line::from(clean(question)),
                        Line::from(""),
                        Line::from(vec![
                            Span::styled(keys(Action::Confirm), theme.key),
                            Span::raw(" yes   "),
                            Span::styled(keys(Action::Deny), theme.key),
                            Span::raw(" no"),
                        ]),
                    ])
                    .style(theme.text)
                    .wrap(Wrap { trim: true })
                    .block(block("Please confirm", theme, true)),
                    rect,
                );
            }
            Overlay::Prompt {
                title,
                input,
                error,
                ..
            } => {
                let rect = area.centered(Constraint::Percentage(60), Constraint::Length(6));
                frame.render_widget(Clear, rect);
                let mut lines = vec![Line::from(vec![
                    Span::raw(clean(input)),
                    Span::styled("▏", theme.key),
                ])];
                lines.push(Line::from(match error {
                    Some(e) => Span::styled(clean(e), theme.danger),
                    None => Span::styled("enter to accept, esc to cancel", theme.dim),
                }));
                frame.render_widget(
                    Paragraph::new(lines).style(theme.text).block(block(
                        &clean(title),
                        theme,
                        true,
                    )),
                    rect,
                );
            }
        }
    }
}

/// The message log: every message of the session, newest first, wrapped whole.
fn log(state: &State, scroll: usize, theme: &Theme, frame: &mut Frame, area: Rect) {
    let rect = area.centered(Constraint::Percentage(80), Constraint::Percentage(85));
    frame.render_widget(Clear, rect);
    let width = rect.width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    for entry in state.messages.newest_first().skip(scroll) {
        let (mark, style) = match entry.level {
            crate::tui::state::Level::Info => ("·", theme.text),
            crate::tui::state::Level::Error => ("✗", theme.danger),
        };
        let at = entry.at.to_string();
        let head = format!("{} {mark} ", at.get(11..19).unwrap_or(&at));
        let indent = head.chars().count();
        for (i, line) in super::wrap_words(&entry.text, width.saturating_sub(indent).max(8))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 {
                head.clone()
            } else {
                " ".repeat(indent)
            };
            lines.push(Line::from(vec![
                Span::styled(lead, theme.dim),
                Span::styled(line, style),
            ]));
        }
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled("No messages yet.", theme.dim)));
    }
    frame.render_widget(
        Paragraph::new(lines).style(theme.text).block(block(
            "Messages — newest first",
            theme,
            true,
        )),
        rect,
    );
}

fn help(state: &State, scroll: usize, theme: &Theme, frame: &mut Frame, area: Rect) {
    use crate::tui::lists::{HELP_KEYS_WIDTH, HelpRow, help_rows};
    let rect = crate::tui::layout::help(area);
    frame.render_widget(Clear, rect);
    let width = rect.width.saturating_sub(2) as usize;
    let indent = " ".repeat(HELP_KEYS_WIDTH);
    let lines: Vec<Line> = help_rows(state, width)
        .into_iter()
        .map(|row| match row {
            HelpRow::Category(c) => Line::from(Span::styled(c, theme.title)),
            HelpRow::Keys(keys, desc) => Line::from(vec![
                Span::styled(format!("  {}", pad(&keys, HELP_KEYS_WIDTH - 2)), theme.key),
                Span::raw(desc),
            ]),
            HelpRow::More(desc) => Line::from(format!("{indent}{desc}")),
            HelpRow::Blank => Line::from(""),
            HelpRow::Note(n) => Line::from(Span::styled(n, theme.dim)),
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines)
            .style(theme.text)
            .scroll((scroll as u16, 0))
            .block(block("Help — keys for this screen", theme, true)),
        rect,
    );
}
