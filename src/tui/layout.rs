//! Screen geometry shared by drawing and mouse hit-testing, so both always agree.

use super::list_window::ListWindow;
use super::progress_lists::{self, ProgressPane};
use super::state::{Screen, State};
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use strum::VariantArray;

/// Smallest usable terminal.
pub const MIN_SIZE: (u16, u16) = (80, 24);

/// True when a terminal of `size` (columns, rows) is too small to draw the app: only a notice
/// is shown, and keys do nothing but quit (see `update`).
pub fn too_small(size: (u16, u16)) -> bool {
    size.0 < MIN_SIZE.0 || size.1 < MIN_SIZE.1
}

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

/// The areas of the wave board (within the body band).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaveBoard {
    /// The wave list (with its border).
    pub waves: Rect,
    /// The selected wave's box (with its border).
    pub wave: Rect,
    /// Its capacity gauge.
    pub gauge: Rect,
    /// Its asset list (inside the border, below the gauge).
    pub assets: Rect,
    /// The violations box.
    pub problems: Rect,
}

/// Splits the body band into the wave board's areas.
pub fn wave_board(body: Rect) -> WaveBoard {
    // Below 100 columns the list drops the wave names, so the selected wave's assets keep
    // room for their products.
    let list = if body.width < 100 {
        34
    } else {
        WAVE_LIST_WIDTH
    };
    let [waves, right] =
        Layout::horizontal([Constraint::Length(list), Constraint::Min(20)]).areas(body);
    let [wave, problems] =
        Layout::vertical([Constraint::Min(8), Constraint::Length(9)]).areas(right);
    let inner = Rect {
        x: wave.x.saturating_add(1),
        y: wave.y.saturating_add(1),
        width: wave.width.saturating_sub(2),
        height: wave.height.saturating_sub(2),
    };
    let [gauge, assets] =
        Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
    WaveBoard {
        waves,
        wave,
        gauge: Rect { height: 1, ..gauge },
        assets,
        problems,
    }
}

/// The rows of the wave list (inside its border).
pub fn wave_list(board: &WaveBoard) -> Rect {
    Rect {
        x: board.waves.x + 1,
        y: board.waves.y + 1,
        width: board.waves.width.saturating_sub(2),
        height: board.waves.height.saturating_sub(2),
    }
}

/// Rows of the wave list as drawn.
pub fn wave_list_rows(state: &State) -> usize {
    (wave_list(&wave_board(body(state))).height as usize).max(1)
}

/// The first wave the wave list shows: the stored offset, moved so that the selected wave is
/// in view. Drawing and clicks both use it, so a click hits the wave drawn there.
pub fn wave_list_offset(state: &State) -> usize {
    let waves = state
        .data
        .as_ref()
        .and_then(|d| d.plan.as_ref())
        .map_or(0, |p| p.waves.len());
    let rows = wave_list_rows(state);
    let mut list = state.waves.list;
    list.keep(waves, rows);
    list.offset
}

/// Below this width the vendor screen stacks its panes: side by side, a product name would get
/// a dozen cells ("Microsoft D…" three times).
const VENDORS_NARROW: u16 = 100;

/// The vendor screen's panes within `area`: products, vendor rules, uncovered assets.
pub fn vendor_panes(area: Rect) -> [Rect; 3] {
    if area.width < VENDORS_NARROW {
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
        let [rules, uncovered] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(bottom);
        [top, rules, uncovered]
    } else {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
                .areas(area);
        let [rules, uncovered] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(right);
        [left, rules, uncovered]
    }
}

/// Rows each vendor pane shows (inside its border; the products table also has a header).
pub fn vendor_rows(state: &State) -> [usize; 3] {
    let [products, rules, uncovered] = vendor_panes(body(state));
    [
        products.height.saturating_sub(3).max(1) as usize,
        rules.height.saturating_sub(2).max(1) as usize,
        uncovered.height.saturating_sub(2).max(1) as usize,
    ]
}

/// The help overlay's box on a terminal of `area`.
pub fn help(area: Rect) -> Rect {
    area.centered(Constraint::Percentage(80), Constraint::Percentage(85))
}

/// The areas of an asset's detail (within the body band): its text (with its border), the
/// links list and the compatible products.
pub fn detail(body: Rect) -> [Rect; 3] {
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(body);
    let [links, products] =
        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(right);
    [left, links, products]
}

/// Where the detail text goes: the detail's left pane inside its border.
pub fn detail_text_inner(state: &State) -> Rect {
    detail(body(state))[0].inner(ratatui::layout::Margin::new(1, 1))
}

/// The body band of a terminal of the state's size.
pub fn body(state: &State) -> Rect {
    bands(Rect::new(0, 0, state.size.0, state.size.1)).1
}

/// The areas of the progress screen (within the body band).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgressBoard {
    /// Totals, protection and forecast.
    pub rollout: Rect,
    /// The wave gauges.
    pub waves: Rect,
    /// The burn-down chart.
    pub chart: Rect,
    /// The blocked list (with its border).
    pub blocked: Rect,
    /// The alerts list (with its border).
    pub alerts: Rect,
}

/// Lines under each progress list for the selected entry's whole text.
pub const PROGRESS_FULL_LINES: u16 = 3;

/// Splits the body band into the progress screen's areas; a taller terminal gives the lists
/// more rows.
pub fn progress_board(body: Rect) -> ProgressBoard {
    let lists = if body.height >= 30 { 11 } else { 9 };
    let [rollout, middle, bottom] = Layout::vertical([
        Constraint::Length(6),
        Constraint::Min(6),
        Constraint::Length(lists),
    ])
    .areas(body);
    let [waves, chart] =
        Layout::horizontal([Constraint::Length(40), Constraint::Min(20)]).areas(middle);
    let [blocked, alerts] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(bottom);
    ProgressBoard {
        rollout,
        waves,
        chart,
        blocked,
        alerts,
    }
}

/// Rows of a progress list pane: inside its border, above the selected entry's whole text.
pub fn progress_list_rows(pane: Rect) -> usize {
    pane.height.saturating_sub(2 + PROGRESS_FULL_LINES).max(1) as usize
}

/// Where a progress list pane draws its entries: the top of the pane inside its border, one
/// row per entry shown (the whole text of the selected entry goes below).
pub fn progress_list(pane: Rect) -> Rect {
    let inner = pane.inner(Margin::new(1, 1));
    Rect {
        height: (progress_list_rows(pane) as u16).min(inner.height),
        ..inner
    }
}

/// The progress list pane `which` on the screen of `state` and the window it is drawn with:
/// the stored one kept around the selection for the entries there are.
pub fn progress_pane(state: &State, which: ProgressPane) -> (Rect, ListWindow) {
    let board = progress_board(body(state));
    let (area, window) = match which {
        ProgressPane::Blocked => (board.blocked, state.progress.blocked),
        ProgressPane::Alerts => (board.alerts, state.progress.alerts),
    };
    let len = state
        .data
        .as_ref()
        .map_or(0, |d| progress_lists::len(d, which));
    (area, progress_window(window, len, area))
}

/// The window a progress list pane `pane` of `len` entries is drawn with: `window` kept
/// around its selection.
pub fn progress_window(mut window: ListWindow, len: usize, pane: Rect) -> ListWindow {
    window.keep(len, progress_list_rows(pane));
    window
}

/// Rows of the progress screen's (blocked, alerts) lists as drawn.
pub fn progress_rows(state: &State) -> (usize, usize) {
    let board = progress_board(body(state));
    (
        progress_list_rows(board.blocked),
        progress_list_rows(board.alerts),
    )
}

/// The name shown left of the tabs when there is room for it.
pub const BRAND: &str = " avmigrate ";

/// The tab titles as drawn in a terminal `width` columns wide, with their x ranges. The brand
/// (and the space after it) comes first unless it would push the last tab off the screen.
pub fn tab_ranges(width: u16) -> Vec<(String, u16, u16)> {
    let labels: Vec<String> = Screen::VARIANTS
        .iter()
        .enumerate()
        .map(|(i, s)| format!(" {} {} ", i + 1, s.title()))
        .collect();
    let tabs: usize = labels.iter().map(|l| l.chars().count() + 1).sum();
    let brand = BRAND.chars().count() + 1;
    let mut x = if brand + tabs <= width as usize {
        brand as u16
    } else {
        0
    };
    let mut out = Vec::new();
    for label in labels {
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
    /// A wave in the wave list (index into the plan's waves).
    Wave(usize),
    /// An asset of the selected wave (index into its members).
    WaveAsset(usize),
    /// An entry of a progress list (index into the pane's entries; past the last one when the
    /// row under the list's last entry was hit).
    ProgressRow(ProgressPane, usize),
    /// A progress list pane outside its entries (border, the selected entry's whole text).
    ProgressPane(ProgressPane),
}

/// Finds what is at (x, y).
pub fn hit(state: &State, x: u16, y: u16) -> Option<Hit> {
    let area = Rect::new(0, 0, state.size.0, state.size.1);
    let (_, body, _) = bands(area);
    if y == 0 {
        return tab_ranges(state.size.0)
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
                .then(|| Hit::AssetRow(state.assets.window.offset + (y - first) as usize))
        }
        Screen::Waves => {
            let board = wave_board(body);
            let inside = |r: Rect| x >= r.x && x < r.right() && y >= r.y && y < r.bottom();
            let list = wave_list(&board);
            if inside(list) {
                Some(Hit::Wave(wave_list_offset(state) + (y - list.y) as usize))
            } else if inside(board.assets) {
                Some(Hit::WaveAsset(
                    state.waves.members.offset + (y - board.assets.y) as usize,
                ))
            } else {
                None
            }
        }
        Screen::Progress => {
            // Without a plan the screen is one notice, not the lists.
            state.data.as_ref()?.summary.as_ref()?;
            let inside = |r: Rect| x >= r.x && x < r.right() && y >= r.y && y < r.bottom();
            [ProgressPane::Blocked, ProgressPane::Alerts]
                .into_iter()
                .find_map(|which| {
                    let (area, window) = progress_pane(state, which);
                    let list = progress_list(area);
                    if inside(list) {
                        Some(Hit::ProgressRow(
                            which,
                            window.offset + (y - list.y) as usize,
                        ))
                    } else {
                        inside(area).then_some(Hit::ProgressPane(which))
                    }
                })
        }
        _ => None,
    }
}
