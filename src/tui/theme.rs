//! Themes: dark, light and monochrome. `NO_COLOR` selects monochrome, where emphasis is carried
//! by modifiers only (REVERSED selection, BOLD focus) so the selection never disappears.

use ratatui::style::{Color, Modifier, Style};

/// The available themes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeName {
    /// Light text on a dark terminal.
    Dark,
    /// Dark text on a light terminal.
    Light,
    /// No colours at all.
    Mono,
}

impl ThemeName {
    /// The next theme in the cycle.
    pub fn next(self) -> ThemeName {
        match self {
            ThemeName::Dark => ThemeName::Light,
            ThemeName::Light => ThemeName::Mono,
            ThemeName::Mono => ThemeName::Dark,
        }
    }

    /// Parses "dark", "light", "mono"/"monochrome".
    pub fn from_name(name: &str) -> Option<ThemeName> {
        match name.trim().to_lowercase().as_str() {
            "dark" => Some(ThemeName::Dark),
            "light" => Some(ThemeName::Light),
            "mono" | "monochrome" | "none" => Some(ThemeName::Mono),
            _ => None,
        }
    }

    /// The default: monochrome when `NO_COLOR` is set and not empty, else dark.
    pub fn from_env() -> ThemeName {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => ThemeName::Mono,
            _ => ThemeName::Dark,
        }
    }

    /// Display name.
    pub fn as_str(self) -> &'static str {
        match self {
            ThemeName::Dark => "dark",
            ThemeName::Light => "light",
            ThemeName::Mono => "monochrome",
        }
    }
}

/// Styles for every element the views draw.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    /// Normal text.
    pub text: Style,
    /// Less important text.
    pub dim: Style,
    /// Titles and headers.
    pub title: Style,
    /// The selected row.
    pub selected: Style,
    /// Marked rows (multi-select).
    pub marked: Style,
    /// The active tab.
    pub tab_active: Style,
    /// Inactive tabs.
    pub tab: Style,
    /// Borders.
    pub border: Style,
    /// Border of the focused pane.
    pub border_focus: Style,
    /// Direct reliance / violations / errors.
    pub danger: Style,
    /// Indirect reliance / warnings.
    pub warn: Style,
    /// Done / fine.
    pub ok: Style,
    /// Key names in hints.
    pub key: Style,
    /// Status bar.
    pub bar: Style,
    /// Gauge filling.
    pub gauge: Style,
    /// Bars of bar charts.
    pub chart: Style,
}

impl Theme {
    /// The styles of a theme.
    pub fn get(name: ThemeName) -> Theme {
        let plain = Style::new();
        match name {
            ThemeName::Dark => Theme {
                text: plain.fg(Color::Gray),
                dim: plain.fg(Color::DarkGray),
                title: plain.fg(Color::Cyan).add_modifier(Modifier::BOLD),
                selected: plain.fg(Color::Black).bg(Color::Cyan),
                marked: plain.fg(Color::Yellow).add_modifier(Modifier::BOLD),
                tab_active: plain
                    .fg(Color::Black)
                    .bg(Color::Cyan)
                    .add_modifier(Modifier::BOLD),
                tab: plain.fg(Color::Gray),
                border: plain.fg(Color::DarkGray),
                border_focus: plain.fg(Color::Cyan),
                danger: plain.fg(Color::LightRed),
                warn: plain.fg(Color::Yellow),
                ok: plain.fg(Color::LightGreen),
                key: plain.fg(Color::Cyan).add_modifier(Modifier::BOLD),
                bar: plain.fg(Color::Gray).bg(Color::Rgb(30, 30, 40)),
                gauge: plain.fg(Color::Green).bg(Color::Rgb(40, 40, 40)),
                chart: plain.fg(Color::Cyan),
            },
            ThemeName::Light => Theme {
                text: plain.fg(Color::Black),
                dim: plain.fg(Color::DarkGray),
                title: plain.fg(Color::Blue).add_modifier(Modifier::BOLD),
                selected: plain.fg(Color::White).bg(Color::Blue),
                marked: plain.fg(Color::Magenta).add_modifier(Modifier::BOLD),
                tab_active: plain
                    .fg(Color::White)
                    .bg(Color::Blue)
                    .add_modifier(Modifier::BOLD),
                tab: plain.fg(Color::Black),
                border: plain.fg(Color::Gray),
                border_focus: plain.fg(Color::Blue),
                danger: plain.fg(Color::Red),
                warn: plain.fg(Color::Rgb(160, 100, 0)),
                ok: plain.fg(Color::Green),
                key: plain.fg(Color::Blue).add_modifier(Modifier::BOLD),
                bar: plain.fg(Color::Black).bg(Color::Rgb(220, 220, 230)),
                gauge: plain.fg(Color::Green).bg(Color::Rgb(225, 225, 225)),
                chart: plain.fg(Color::Blue),
            },
            ThemeName::Mono => Theme {
                text: plain,
                dim: plain.add_modifier(Modifier::DIM),
                title: plain.add_modifier(Modifier::BOLD),
                selected: plain.add_modifier(Modifier::REVERSED),
                marked: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                tab_active: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
                tab: plain,
                border: plain,
                border_focus: plain.add_modifier(Modifier::BOLD),
                danger: plain.add_modifier(Modifier::BOLD),
                warn: plain.add_modifier(Modifier::UNDERLINED),
                ok: plain,
                key: plain.add_modifier(Modifier::BOLD),
                bar: plain.add_modifier(Modifier::REVERSED),
                gauge: plain.add_modifier(Modifier::REVERSED),
                chart: plain,
            },
        }
    }
}

/// A style for a reliance value.
pub fn reliance_style(theme: &Theme, r: crate::analysis::Reliance) -> Style {
    match r {
        crate::analysis::Reliance::Direct => theme.danger,
        crate::analysis::Reliance::Indirect => theme.warn,
        crate::analysis::Reliance::Unaffected => theme.dim,
    }
}

/// A style for a plan status.
pub fn status_style(theme: &Theme, s: crate::plan::Status) -> Style {
    use crate::plan::Status::*;
    match s {
        Migrated | Verified => theme.ok,
        Blocked | RolledBack => theme.danger,
        InProgress => theme.warn,
        Planned | Excluded => theme.text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mono_uses_no_colours() {
        let t = Theme::get(ThemeName::Mono);
        for s in [t.text, t.selected, t.danger, t.bar, t.gauge, t.tab_active] {
            assert_eq!(s.fg, None);
            assert_eq!(s.bg, None);
        }
        assert!(t.selected.add_modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn themes_cycle_and_parse() {
        assert_eq!(ThemeName::Dark.next().next().next(), ThemeName::Dark);
        assert_eq!(ThemeName::from_name("Monochrome"), Some(ThemeName::Mono));
        assert_eq!(ThemeName::from_name("pink"), None);
    }
}
