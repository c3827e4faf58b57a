//! The TUI model: which screen, which overlays, the loaded data and every view's state. No
//! ratatui types; `update` changes it, `view` reads it.

use super::data::Data;
use super::keymap::{Context, Keymap};
use super::list_window::ListWindow;
pub use super::overlay_state::*;
use super::theme::ThemeName;
use crate::analysis::Reliance;
use crate::model::AssetKind;
use crate::model::Named;
use crate::plan::Edit;
use std::collections::BTreeSet;
use strum::VariantArray;

/// The tabs, in order.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::VariantArray,
    strum::IntoStaticStr,
)]
#[strum(serialize_all = "lowercase")]
pub enum Screen {
    /// Totals, charts, wave progress, problems.
    Dashboard,
    /// The table of every asset.
    Assets,
    /// What an asset depends on and what depends on it.
    Dependencies,
    /// The wave board.
    Waves,
    /// Vendor catalogue, coverage, rules and preferences.
    Vendors,
    /// Rollout progress: wave gauges, burn-down, blockers, alerts.
    Progress,
}

impl Screen {
    /// Tab title ("Dashboard").
    pub fn title(self) -> String {
        let name = self.name();
        name[..1].to_ascii_uppercase() + &name[1..]
    }

    /// The name in keymap sections ("dashboard").
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// Position in the tab bar.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Keymap context.
    pub fn context(self) -> Context {
        Context::Screen(self)
    }
}

/// Columns of the assets table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::VariantArray)]
pub enum Column {
    /// Asset id.
    Id,
    /// Host or display name.
    Name,
    /// Asset kind.
    Kind,
    /// Operating system.
    Os,
    /// Site.
    Site,
    /// Criticality.
    Criticality,
    /// Flagged products found.
    Flagged,
    /// Direct / indirect / unaffected.
    Reliance,
    /// Planned wave.
    Wave,
    /// Target product.
    Product,
    /// Plan status.
    Status,
}

impl Column {
    /// Header text.
    pub fn title(self) -> &'static str {
        match self {
            Column::Id => "ID",
            Column::Name => "Name",
            Column::Kind => "Kind",
            Column::Os => "OS",
            Column::Site => "Site",
            Column::Criticality => "Crit.",
            Column::Flagged => "Flagged products",
            Column::Reliance => "Reliance",
            Column::Wave => "Wave",
            Column::Product => "Product",
            Column::Status => "Status",
        }
    }

    /// The next column (for "sort by next column").
    pub fn next(self) -> Column {
        let i = Column::VARIANTS
            .iter()
            .position(|c| *c == self)
            .unwrap_or(0);
        Column::VARIANTS[(i + 1) % Column::VARIANTS.len()]
    }
}

/// Facet filters of the assets table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    /// Only this reliance.
    pub reliance: Option<Reliance>,
    /// Only this site.
    pub site: Option<String>,
    /// Only this kind.
    pub kind: Option<AssetKind>,
    /// Only this wave id ("-" for unplanned).
    pub wave: Option<String>,
    /// Only this status.
    pub status: Option<crate::plan::Status>,
    /// Only assets with this tag.
    pub tag: Option<String>,
}

impl Facets {
    /// True when no facet is set.
    pub fn is_empty(&self) -> bool {
        *self == Facets::default()
    }

    /// "reliance=direct site=Nord" for the title bar.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(r) = self.reliance {
            parts.push(format!("reliance={}", r.as_str()));
        }
        if let Some(s) = &self.site {
            parts.push(format!("site={s}"));
        }
        if let Some(k) = self.kind {
            parts.push(format!("kind={k}"));
        }
        if let Some(w) = &self.wave {
            parts.push(format!("wave={w}"));
        }
        if let Some(s) = self.status {
            parts.push(format!("status={s}"));
        }
        if let Some(t) = &self.tag {
            parts.push(format!("tag={t}"));
        }
        parts.join(" ")
    }
}

/// Which facet a picker sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::VariantArray)]
pub enum FacetKind {
    /// Reliance.
    Reliance,
    /// Site.
    Site,
    /// Kind.
    Kind,
    /// Wave.
    Wave,
    /// Status.
    Status,
    /// Tag.
    Tag,
}

impl FacetKind {
    /// Name.
    pub fn name(self) -> &'static str {
        match self {
            FacetKind::Reliance => "reliance",
            FacetKind::Site => "site",
            FacetKind::Kind => "kind",
            FacetKind::Wave => "wave",
            FacetKind::Status => "status",
            FacetKind::Tag => "tag",
        }
    }
}

/// The assets table.
#[derive(Debug, Clone)]
pub struct AssetsView {
    /// Inventory positions shown, filtered and sorted.
    pub rows: Vec<u32>,
    /// Selected row (index into `rows`) and the first row shown.
    pub window: ListWindow,
    /// Text filter.
    pub query: String,
    /// True while the filter is being typed.
    pub editing: bool,
    /// Facet filters.
    pub facets: Facets,
    /// Sort column.
    pub sort: Column,
    /// Sort descending.
    pub descending: bool,
    /// Marked assets (inventory positions).
    pub marked: BTreeSet<u32>,
    /// Generation of the newest refresh asked for.
    pub requested: u64,
    /// Generation of the refresh shown.
    pub shown: u64,
}

impl Default for AssetsView {
    fn default() -> Self {
        AssetsView {
            rows: Vec::new(),
            window: ListWindow::default(),
            query: String::new(),
            editing: false,
            facets: Facets::default(),
            sort: Column::Id,
            descending: false,
            marked: BTreeSet::new(),
            requested: 0,
            shown: 0,
        }
    }
}

/// One open asset detail (a stack: following a provider opens another on top).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailView {
    /// Inventory position.
    pub asset: u32,
    /// Selected line among the navigable providers and dependents.
    pub selected: usize,
    /// Scroll offset of the text.
    pub scroll: usize,
}

/// The dependency tree.
#[derive(Debug, Clone, Default)]
pub struct DepsView {
    /// The asset at the root.
    pub root: Option<u32>,
    /// Expanded nodes, by path of asset positions from the root (first element: 0 = depends
    /// on, 1 = relied on by).
    pub expanded: BTreeSet<Vec<u32>>,
    /// Selected line and the first line shown.
    pub window: ListWindow,
}

/// The wave board.
#[derive(Debug, Clone, Default)]
pub struct WavesView {
    /// True when the asset list (right) has the focus, else the wave list.
    pub focus_assets: bool,
    /// The wave list: selected wave and the first wave shown.
    pub list: ListWindow,
    /// The selected wave's assets: selected asset and the first one shown.
    pub members: ListWindow,
    /// True when the violations (right of the assets) have the focus.
    pub focus_violations: bool,
    /// The violations list beside the board.
    pub violations: ListWindow,
}

/// Panes of the vendor screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VendorPane {
    /// Products with their coverage.
    #[default]
    Products,
    /// The plan's vendor rules.
    Rules,
    /// Direct assets no product covers.
    Uncovered,
}

/// The vendor screen.
#[derive(Debug, Clone, Default)]
pub struct VendorsView {
    /// Focused pane.
    pub pane: VendorPane,
    /// The products pane.
    pub products: ListWindow,
    /// The vendor rules pane.
    pub rules: ListWindow,
    /// The uncovered assets pane.
    pub uncovered_assets: ListWindow,
}

/// Progress of a background load.
#[derive(Debug, Clone, PartialEq)]
pub struct Loading {
    /// What is loaded.
    pub label: String,
    /// Current stage.
    pub stage: String,
    /// 0.0 … 1.0.
    pub ratio: f64,
}

/// Severity of a status-bar message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Information.
    Info,
    /// Something went wrong.
    Error,
}

impl Level {
    /// Seconds a message of this level stays in the status bar (the log keeps it whole).
    pub fn shown_for(self) -> i64 {
        match self {
            Level::Info => 6,
            Level::Error => 20,
        }
    }
}

/// The whole TUI state.
#[derive(Debug)]
pub struct State {
    /// The active tab.
    pub screen: Screen,
    /// Overlays, bottom to top.
    pub overlays: Vec<Overlay>,
    /// Open asset details, bottom to top (shown over the screen).
    pub detail: Vec<DetailView>,
    /// The workspace, once loaded.
    pub data: Option<Data>,
    /// Background load in progress.
    pub loading: Option<Loading>,
    /// Why loading failed.
    pub load_error: Option<String>,
    /// The plan whose missing inventory file the user is asked to locate.
    pub locating: Option<Box<super::jobs::MissingInventory>>,
    /// Key bindings.
    pub keymap: Keymap,
    /// Colours.
    pub theme: ThemeName,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// Assets table.
    pub assets: AssetsView,
    /// Dependency tree.
    pub deps: DepsView,
    /// Wave board.
    pub waves: WavesView,
    /// Vendor screen.
    pub vendors: VendorsView,
    /// Progress screen's lists.
    pub progress: super::progress_lists::ProgressView,
    /// The dashboard's problem list: selected problem and the first one shown.
    pub problems: ListWindow,
    /// Inverse edits, newest last.
    pub undo: Vec<Edit>,
    /// Edits to redo, newest last.
    pub redo: Vec<Edit>,
    /// Unsaved plan changes.
    pub dirty: bool,
    /// Status-bar message.
    pub message: Option<(String, Level)>,
    /// When the message was set.
    pub message_at: crate::model::Timestamp,
    /// Every message of the session, whole.
    pub messages: super::messages::MessageLog,
    /// A new plan arrived: the next validation's counts are announced with it.
    pub announce_plan: bool,
    /// Length of the undo stack when the plan was last saved or loaded (None when that
    /// version can no longer be reached by undo or redo).
    pub saved_at: Option<usize>,
    /// Set when the app should exit.
    pub quit: bool,
    /// Name recorded in history events.
    pub user: String,
    /// Counter for job generations.
    pub next_gen: u64,
    /// Generation of the newest validation asked for.
    pub validating: u64,
    /// Generation of the replan running (0: none). Plan edits wait until it has arrived, so
    /// its result never overwrites them.
    pub replanning: u64,
    /// Progress and cancel handle of the replan running (the status bar reads its phase).
    pub plan_job: Option<crate::plan::job::Job>,
    /// The time `update` works with (edits are stamped with it, new plans start after it): the
    /// event loop sets it before each batch of events, so `update` itself reads no clock.
    pub now: crate::model::Timestamp,
    /// Per-user directories and the clock, given by whoever starts the app.
    pub env: crate::env::Env,
    /// The plan the settings form previews, put in place by its Enter.
    pub settings_preview: Option<Box<(crate::plan::schedule::Scheduled, Vec<u32>)>>,
    /// The files the export overlay shows, written by its Enter.
    pub export_preview: Option<std::sync::Arc<crate::report::targets::Export>>,
}

impl State {
    /// A fresh state with the given keymap, theme and environment.
    pub fn new(keymap: Keymap, theme: ThemeName, env: crate::env::Env) -> State {
        State {
            screen: Screen::Dashboard,
            overlays: Vec::new(),
            detail: Vec::new(),
            data: None,
            loading: None,
            load_error: None,
            locating: None,
            keymap,
            theme,
            size: (120, 35),
            assets: AssetsView::default(),
            deps: DepsView::default(),
            waves: WavesView::default(),
            vendors: VendorsView::default(),
            progress: Default::default(),
            problems: ListWindow::default(),
            undo: Vec::new(),
            redo: Vec::new(),
            dirty: false,
            message: None,
            message_at: env.now(),
            messages: super::messages::MessageLog::default(),
            announce_plan: false,
            saved_at: Some(0),
            quit: false,
            user: String::new(),
            next_gen: 1,
            validating: 0,
            replanning: 0,
            plan_job: None,
            now: env.now(),
            env,
            settings_preview: None,
            export_preview: None,
        }
    }

    /// The keymap context the next key goes to.
    pub fn context(&self) -> Context {
        match self.overlays.last() {
            Some(Overlay::Help { .. } | Overlay::Log { .. }) => Context::Help,
            Some(Overlay::Picker(p)) if p.purpose == PickPurpose::Action => Context::Palette,
            Some(Overlay::Picker(_)) => Context::Picker,
            Some(Overlay::Confirm { .. }) => Context::Confirm,
            Some(Overlay::Prompt { .. }) => Context::Picker,
            Some(Overlay::Settings(_) | Overlay::Export(_)) => Context::Form,
            None if !self.detail.is_empty() => Context::Detail,
            None => self.screen.context(),
        }
    }

    /// Forgets every selection, open detail, mark and preview: they point into a workspace
    /// that was just replaced.
    pub fn reset_views(&mut self) {
        self.detail.clear();
        self.assets.marked.clear();
        self.assets.window.reset();
        self.deps = DepsView::default();
        self.waves = WavesView::default();
        self.vendors = VendorsView::default();
        self.progress = Default::default();
        self.problems = ListWindow::default();
        self.settings_preview = None;
        self.export_preview = None;
    }

    /// A new job generation.
    pub fn next_generation(&mut self) -> u64 {
        self.next_gen += 1;
        self.next_gen
    }

    /// True while a replan runs in the background.
    pub fn replan_pending(&self) -> bool {
        self.replanning != 0
    }

    /// Rows of a screen's main list: the terminal minus tab bar, status bar, borders and a
    /// header line (see `layout`).
    pub fn body_rows(&self) -> usize {
        (self.size.1 as usize).saturating_sub(5).max(1)
    }

    /// Shows a message in the status bar (for a few seconds) and keeps it in the log.
    pub fn info(&mut self, text: impl Into<String>) {
        self.say(Level::Info, text.into());
    }

    /// Shows an error in the status bar and keeps it in the log, counted as unread until the
    /// log is opened.
    pub fn error(&mut self, text: impl Into<String>) {
        self.say(Level::Error, text.into());
    }

    fn say(&mut self, level: Level, text: String) {
        let text = crate::model::text::clean(&text);
        self.messages.push(self.now, level, text.clone());
        self.message = Some((text, level));
        self.message_at = self.now;
    }

    /// The status-bar message, while it is fresh.
    pub fn message_shown(&self) -> Option<&(String, Level)> {
        let (_, level) = self.message.as_ref()?;
        let age = self.now.unix() - self.message_at.unix();
        (age < level.shown_for()).then_some(self.message.as_ref()?)
    }

    /// Drops a status-bar message whose time is up; true when one was dropped (the screen
    /// changes). The event loop calls it as time passes.
    pub fn expire_message(&mut self) -> bool {
        if self.message.is_some() && self.message_shown().is_none() {
            self.message = None;
            return true;
        }
        false
    }
}
