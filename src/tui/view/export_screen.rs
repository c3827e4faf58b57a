//! The export overlay: where the files go, the files with a preview of the one selected, and
//! the assets the export could not list.

use super::{block_in, fit, fit_line, fit_lines, pad};
use crate::tui::clean;
use crate::tui::export_screen::{ExportView, Stage};
use crate::tui::state::State;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// Draws the overlay over `area`.
pub fn draw(state: &State, view: &ExportView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let rect = area.centered(Constraint::Percentage(90), Constraint::Percentage(85));
    frame.render_widget(Clear, rect);
    let outer = block_in(
        &format!("Export — {}", view.kind.label()),
        rect.width,
        theme,
        true,
    );
    let inner = outer.inner(rect);
    frame.render_widget(outer, rect);
    let width = inner.width as usize;
    let export = state.export_preview.as_deref();
    let what = if view.kind.is_directory() {
        "into the directory"
    } else {
        "to the file"
    };
    let mut head = vec![
        Line::from(vec![
            Span::styled(format!("{what} "), theme.dim),
            Span::styled(clean(&view.target), theme.title),
            Span::styled("▏", theme.key),
        ]),
        stage_line(view, export, theme),
        Line::from(Span::styled(
            "type to change the path · ↑/↓ file · enter writes · esc closes",
            theme.dim,
        )),
    ];
    head = fit_lines(head, width);
    let [top, body] = Layout::vertical([
        Constraint::Length(head.len() as u16 + 1),
        Constraint::Min(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(head).style(theme.text), top);
    let Some(export) = export else { return };
    let skipped_rows = if export.skipped.is_empty() && export.warnings.is_empty() {
        0
    } else {
        (export.skipped.len() + export.warnings.len() + 1).min(body.height as usize / 3) as u16
    };
    let [files_area, notes] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(skipped_rows)]).areas(body);
    let list_w = (files_area.width / 3).clamp(16, 36);
    let [list, preview] =
        Layout::horizontal([Constraint::Length(list_w), Constraint::Min(10)]).areas(files_area);
    let first = view
        .selected
        .saturating_sub((list.height as usize).saturating_sub(1));
    let names: Vec<Line> = export
        .files
        .iter()
        .enumerate()
        .skip(first)
        .take(list.height as usize)
        .map(|(i, f)| {
            let name = match view.kind.is_directory() {
                true => clean(&f.name),
                false => std::path::Path::new(view.target.trim())
                    .file_name()
                    .map_or_else(|| clean(&f.name), |n| clean(&n.to_string_lossy())),
            };
            let size = format!("{:.1} KB", f.contents.len() as f64 / 1024.0);
            let w = list_w as usize - 1;
            let text = format!("{} {size}", pad(&name, w.saturating_sub(size.len() + 1)));
            let style = if i == view.selected {
                theme.selected
            } else {
                theme.text
            };
            Line::from(Span::styled(fit(&text, w), style))
        })
        .collect();
    frame.render_widget(Paragraph::new(names), list);
    if let Some(f) = export.files.get(view.selected) {
        let w = preview.width as usize;
        let lines: Vec<Line> = f
            .contents
            .lines()
            .take(preview.height as usize)
            .map(|l| fit_line(Line::from(Span::styled(clean(l), theme.dim)), w))
            .collect();
        frame.render_widget(Paragraph::new(lines), preview);
    }
    // Only what the pane shows is formatted: an export of a large estate lists thousands.
    let room = notes.height as usize;
    let mut extra: Vec<Line> = Vec::new();
    if !export.skipped.is_empty() {
        extra.push(Line::from(Span::styled(
            format!("Not listed ({}):", export.skipped.len()),
            theme.warn,
        )));
    }
    for s in export.skipped.iter().take(room) {
        extra.push(Line::from(format!(
            "  {} (wave {}): {}",
            clean(&s.asset),
            clean(&s.wave),
            clean(&s.reason)
        )));
    }
    for w in export.warnings.iter().take(room) {
        extra.push(Line::from(Span::styled(
            format!("warning: {}", clean(w)),
            theme.warn,
        )));
    }
    frame.render_widget(Paragraph::new(fit_lines(extra, width)), notes);
}

fn stage_line<'a>(
    view: &ExportView,
    export: Option<&crate::report::targets::Export>,
    theme: &Theme,
) -> Line<'a> {
    match &view.stage {
        Stage::Rendering(_) => Line::from(Span::styled("making the files…", theme.warn)),
        Stage::Writing => Line::from(Span::styled("writing…", theme.warn)),
        Stage::Failed(e) => Line::from(Span::styled(
            format!("{} (enter tries again)", clean(e)),
            theme.danger,
        )),
        Stage::Written(paths) => Line::from(Span::styled(
            format!("written: {} file(s) — enter closes", paths.len()),
            theme.ok,
        )),
        Stage::Ready => {
            let (files, skipped, warnings) = export.map_or((0, 0, 0), |e| {
                (e.files.len(), e.skipped.len(), e.warnings.len())
            });
            Line::from(Span::styled(
                format!(
                    "{files} file(s) · {skipped} asset(s) not listed · {warnings} warning(s) — \
                     nothing is written before enter"
                ),
                theme.ok,
            ))
        }
    }
}
