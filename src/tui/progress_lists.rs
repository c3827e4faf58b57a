//! The Progress screen's selectable lists (blocked assets, open alerts): their entries in the
//! order drawn, the selection state and the asset an entry points at. Shared by `update` and
//! the view, so both see the same entry under the cursor.

use super::data::Data;
use super::list_window::ListWindow;
use crate::model::Named;
use crate::plan::AlertKind;
use crate::progress::status::AlertOut;
use strum::VariantArray;

/// The list panes of the progress screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProgressPane {
    /// Blocked assets with their reasons (left).
    Blocked,
    /// Open alerts (right): the reason to look at this screen, so it has the focus first.
    #[default]
    Alerts,
}

/// Selection and scroll of the progress screen's lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProgressView {
    /// Focused pane.
    pub pane: ProgressPane,
    /// The blocked list.
    pub blocked: ListWindow,
    /// The alerts list.
    pub alerts: ListWindow,
}

impl ProgressView {
    /// The focused pane's window.
    pub fn focused_mut(&mut self) -> &mut ListWindow {
        match self.pane {
            ProgressPane::Blocked => &mut self.blocked,
            ProgressPane::Alerts => &mut self.alerts,
        }
    }
}

/// Position of an alert kind in the drawn order: unprotected machines first.
fn rank(kind: &str) -> usize {
    AlertKind::VARIANTS
        .iter()
        .position(|k| k.as_str() == kind)
        .unwrap_or(AlertKind::VARIANTS.len())
}

/// True for the kinds that say a machine is not known to be protected.
pub fn is_protection(kind: &str) -> bool {
    AlertKind::VARIANTS
        .iter()
        .any(|k| k.is_protection() && k.as_str() == kind)
}

/// The open alerts in the order drawn: protection gaps first, then by kind (stable otherwise).
pub fn alerts(data: &Data) -> Vec<&AlertOut> {
    let Some(summary) = &data.summary else {
        return Vec::new();
    };
    let mut v: Vec<&AlertOut> = summary.report.alerts.iter().collect();
    v.sort_by_key(|a| rank(&a.kind));
    v
}

/// The blocked assets with their reasons, in the order drawn.
pub fn blocked(data: &Data) -> &[(String, String)] {
    data.summary
        .as_ref()
        .map_or(&[], |s| s.report.blocked.as_slice())
}

/// Entries of a pane.
pub fn len(data: &Data, pane: ProgressPane) -> usize {
    match pane {
        ProgressPane::Blocked => blocked(data).len(),
        ProgressPane::Alerts => data.summary.as_ref().map_or(0, |s| s.report.alerts.len()),
    }
}

/// The asset id of the focused pane's selected entry.
pub fn selected_id<'a>(data: &'a Data, view: &ProgressView) -> Option<&'a str> {
    match view.pane {
        ProgressPane::Blocked => blocked(data)
            .get(view.blocked.selected)
            .map(|(id, _)| id.as_str()),
        ProgressPane::Alerts => alerts(data)
            .get(view.alerts.selected)
            .map(|a| a.asset.as_str()),
    }
}

/// The inventory position of the focused pane's selected entry (None when the entry names an
/// asset the inventory does not have, such as a scan's unplanned machine).
pub fn selected_asset(data: &Data, view: &ProgressView) -> Option<u32> {
    let id = selected_id(data, view)?;
    data.shared.inventory.position_exact(id).map(|i| i as u32)
}
