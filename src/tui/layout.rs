//! Screen geometry shared by drawing and mouse hit-testing, so both always agree.

use super::state::{Screen, State};
use ratatui::layout::Rect;

/// Width of the wave list on the wave board.
pub const WAVE_LIST_WIDTH: u16 = 44;

/// The three horizontal bands: tab bar, body, status bar.
pub fn bands(area: Rect) -> (Rect, Rect, Rect) {
    let tabs = Rect {
        height: 1.min(area.height),
        ..area
    };
    let status = Rect {
        y: area.y + area.height.saturating_sub(1),
        height: 1.min(area.height),
        ..area
    };
    let body = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(2),
        ..area
    };
    (tabs, body, status)
}

/// The tab titles as drawn, with their x ranges.
pub fn tab_ranges() -> Vec<(String, u16, u16)> {
    let mut x = " avmigrate ".chars().count() as u16 + 1;
    let mut out = Vec::new();
    for (i, s) in Screen::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, s.title());
        let w = label.chars().count() as u16;
        out.push((label, x, x + w));
        x += w + 1;
    }
    out
}

/// What a mouse click hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    /// A tab.
    Tab(usize),
    /// A row of the assets table (index into the shown rows).
    AssetRow(usize),
    /// A wave in the wave list.
    Wave(usize),
    /// An asset of the selected wave (index into its members).
    WaveAsset(usize),
}

/// Finds what is at (x, y).
pub fn hit(state: &State, x: u16, y: u16) -> Option<Hit> {
    let area = Rect::new(0, 0, state.size.0, state.size.1);
    let (_, body, _) = bands(area);
    if y == 0 {
        return tab_ranges()
            .iter()
            .position(|(_, a, b)| x >= *a && x < *b)
            .map(Hit::Tab);
    }
    if !state.detail.is_empty() {
        return None;
    }
    match state.screen {
        Screen::Assets => {
            let first = body.y + 2;
            (y >= first && y < body.y + body.height.saturating_sub(1))
                .then(|| Hit::AssetRow(state.assets.offset + (y - first) as usize))
        }
        Screen::Waves => {
            let first = body.y + 1;
            if y < first || y >= body.y + body.height.saturating_sub(1) {
                return None;
            }
            if x < WAVE_LIST_WIDTH {
                Some(Hit::Wave((y - first) as usize))
            } else {
                let first_asset = body.y + 4;
                (y >= first_asset)
                    .then(|| Hit::WaveAsset(state.waves.offset + (y - first_asset) as usize))
            }
        }
        _ => None,
    }
}
