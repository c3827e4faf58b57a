//! Everything a user can do in the TUI, as one enum. Keys map to actions through the keymap;
//! help, status-bar hints and the command palette are generated from it.

use serde::{Deserialize, Serialize};
use strum::EnumMessage;

/// A user action (serialised in snake_case in the keymap file). Its doc comment is its line in
/// help and the palette.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::VariantArray,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::EnumMessage,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Action {
    /// Quit (asks first when there are unsaved changes)
    Quit,
    /// Show all keys
    Help,
    /// Command palette: every action by name
    Palette,
    /// Close the overlay or go back
    Back,
    /// Save the plan (atomic, keeps a .bak)
    Save,
    /// Save the plan under a new path
    SaveAs,
    /// Undo the last plan change
    Undo,
    /// Redo the change undone last
    Redo,
    /// Switch theme: dark, light, monochrome
    CycleTheme,
    /// Every message of the session, whole, newest first
    MessageLog,
    /// Set the name the plan's history records your changes under
    SetUserName,
    /// Next screen
    NextTab,
    /// Previous screen
    PrevTab,
    /// Dashboard
    ShowDashboard,
    /// Assets
    ShowAssets,
    /// Dependencies
    ShowDependencies,
    /// Waves
    ShowWaves,
    /// Vendors
    ShowVendors,
    /// Progress: wave gauges, burn-down, blockers, alerts
    ShowProgress,
    /// Up
    Up,
    /// Down
    Down,
    /// Left / collapse / previous pane
    Left,
    /// Right / expand / next pane
    Right,
    /// Page up
    PageUp,
    /// Page down
    PageDown,
    /// First row
    Top,
    /// Last row
    Bottom,
    /// Open the selected item (asset detail)
    Open,
    /// Mark or unmark the selected asset
    ToggleMark,
    /// Mark every asset shown
    MarkAll,
    /// Unmark everything
    ClearMarks,
    /// Filter the table as you type
    Filter,
    /// Filter by reliance, site, kind, wave, status or tag
    FacetFilter,
    /// Clear the text and facet filters
    ClearFilters,
    /// Sort by the next column
    SortNext,
    /// Reverse the sort order
    SortReverse,
    /// Move the marked (or selected) assets to a wave
    MoveToWave,
    /// Move the selected asset one wave earlier
    MoveToPrevWave,
    /// Move the selected asset one wave later
    MoveToNextWave,
    /// Set the target product of the marked (or selected) assets
    SetProduct,
    /// Set the status of the marked (or selected) assets
    SetStatus,
    /// Record a decision (allowlisting, isolate, vendor approval …) for the marked (or selected) assets
    Decide,
    /// Pin or unpin the marked (or selected) assets
    TogglePin,
    /// Generate a plan from the inventory
    GeneratePlan,
    /// Regenerate the plan (keeps pins, frozen waves, statuses)
    Replan,
    /// Open another plan or inventory file (asks first when there are unsaved changes)
    OpenFile,
    /// Reconcile a scan with the plan: statuses, protection evidence, alerts (undoable)
    ReconcileScan,
    /// Export the plan: reports, runbook, rollout target lists, calendars, owner notices (with a preview)
    Export,
    /// Plan settings: start, wave size and length, ramp-up, deadline, holidays, blackouts, strategy, site capacities (with a preview)
    PlanSettings,
    /// Rename the selected wave
    RenameWave,
    /// Change the selected wave's dates
    EditWaveDates,
    /// Freeze or unfreeze the selected wave
    ToggleFreeze,
    /// Show the dependency tree of the selected node
    SetRoot,
    /// Dependency tree of the selected asset
    ShowDependenciesOf,
    /// Move the product up in the preference order
    PreferenceUp,
    /// Move the product down in the preference order
    PreferenceDown,
    /// Add or remove the product from the preference order
    TogglePreference,
    /// Add a vendor rule: this product for the selected OS family and kind
    AddVendorRule,
    /// Delete the selected vendor rule
    DeleteVendorRule,
    /// Yes / accept
    Confirm,
    /// No / cancel
    Deny,
}

impl Action {
    /// The snake_case name used in keymap files and the palette.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// Parses a snake_case name.
    pub fn from_name(name: &str) -> Option<Action> {
        name.parse().ok()
    }

    /// One line for help and the palette.
    pub fn desc(self) -> &'static str {
        self.get_documentation().unwrap_or_default()
    }

    /// Help category.
    pub fn category(self) -> &'static str {
        match self {
            Action::Quit
            | Action::Help
            | Action::Palette
            | Action::Back
            | Action::Save
            | Action::SaveAs
            | Action::Undo
            | Action::Redo
            | Action::CycleTheme
            | Action::MessageLog
            | Action::SetUserName
            | Action::OpenFile => "General",
            Action::NextTab
            | Action::PrevTab
            | Action::ShowDashboard
            | Action::ShowAssets
            | Action::ShowDependencies
            | Action::ShowWaves
            | Action::ShowVendors
            | Action::ShowProgress => "Screens",
            Action::Up
            | Action::Down
            | Action::Left
            | Action::Right
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
            | Action::Open => "Move",
            Action::ToggleMark | Action::MarkAll | Action::ClearMarks => "Select",
            Action::Filter
            | Action::FacetFilter
            | Action::ClearFilters
            | Action::SortNext
            | Action::SortReverse => "Assets",
            Action::MoveToWave
            | Action::MoveToPrevWave
            | Action::MoveToNextWave
            | Action::SetProduct
            | Action::SetStatus
            | Action::Decide
            | Action::TogglePin
            | Action::GeneratePlan
            | Action::Replan
            | Action::PlanSettings
            | Action::Export
            | Action::ReconcileScan => "Plan",
            Action::RenameWave | Action::EditWaveDates | Action::ToggleFreeze => "Waves",
            Action::SetRoot | Action::ShowDependenciesOf => "Dependencies",
            Action::PreferenceUp
            | Action::PreferenceDown
            | Action::TogglePreference
            | Action::AddVendorRule
            | Action::DeleteVendorRule => "Vendors",
            Action::Confirm | Action::Deny => "Dialogs",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::VariantArray;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut names: Vec<&str> = Action::VARIANTS.iter().map(|a| a.name()).collect();
        for a in Action::VARIANTS {
            assert_eq!(Action::from_name(a.name()), Some(*a));
            assert!(!a.desc().is_empty());
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Action::VARIANTS.len());
    }

    #[test]
    fn every_action_has_a_one_line_description_and_its_serde_name() {
        for &a in Action::VARIANTS {
            assert!(!a.desc().is_empty() && !a.desc().contains('\n'), "{a:?}");
            let v: Action = toml::Value::String(a.name().into()).try_into().unwrap();
            assert_eq!(v, a);
        }
    }

    #[test]
    fn serde_names_match() {
        let v: Action = toml::Value::String("move_to_wave".into())
            .try_into()
            .unwrap();
        assert_eq!(v, Action::MoveToWave);
    }
}
