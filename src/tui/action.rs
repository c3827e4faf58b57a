//! Everything a user can do in the TUI, as one enum. Keys map to actions through the keymap;
//! help, status-bar hints and the command palette are generated from it.

use serde::{Deserialize, Serialize};

macro_rules! actions {
    ($( $(#[$m:meta])* $variant:ident => $name:literal, $cat:literal, $desc:literal; )+) => {
        /// A user action (serialised in snake_case in the keymap file).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Action { $( $(#[$m])* $variant ),+ }

        impl Action {
            /// Every action, in help order.
            pub const ALL: &'static [Action] = &[$(Action::$variant),+];

            /// The snake_case name used in keymap files and the palette.
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name),+ }
            }

            /// Help category.
            pub fn category(self) -> &'static str {
                match self { $(Action::$variant => $cat),+ }
            }

            /// One line for help and the palette.
            pub fn desc(self) -> &'static str {
                match self { $(Action::$variant => $desc),+ }
            }

            /// Parses a snake_case name.
            pub fn from_name(name: &str) -> Option<Action> {
                Action::ALL.iter().copied().find(|a| a.name() == name)
            }
        }
    };
}

actions! {
    Quit => "quit", "General", "Quit (asks first when there are unsaved changes)";
    Help => "help", "General", "Show all keys";
    Palette => "palette", "General", "Command palette: every action by name";
    Back => "back", "General", "Close the overlay or go back";
    Save => "save", "General", "Save the plan (atomic, keeps a .bak)";
    SaveAs => "save_as", "General", "Save the plan under a new path";
    Undo => "undo", "General", "Undo the last plan change";
    Redo => "redo", "General", "Redo the change undone last";
    CycleTheme => "cycle_theme", "General", "Switch theme: dark, light, monochrome";
    NextTab => "next_tab", "Screens", "Next screen";
    PrevTab => "prev_tab", "Screens", "Previous screen";
    ShowDashboard => "show_dashboard", "Screens", "Dashboard";
    ShowAssets => "show_assets", "Screens", "Assets";
    ShowDependencies => "show_dependencies", "Screens", "Dependencies";
    ShowWaves => "show_waves", "Screens", "Waves";
    ShowVendors => "show_vendors", "Screens", "Vendors";
    ShowProgress => "show_progress", "Screens", "Progress: wave gauges, burn-down, blockers, alerts";
    Up => "up", "Move", "Up";
    Down => "down", "Move", "Down";
    Left => "left", "Move", "Left / collapse / previous pane";
    Right => "right", "Move", "Right / expand / next pane";
    PageUp => "page_up", "Move", "Page up";
    PageDown => "page_down", "Move", "Page down";
    Top => "top", "Move", "First row";
    Bottom => "bottom", "Move", "Last row";
    Open => "open", "Move", "Open the selected item (asset detail)";
    ToggleMark => "toggle_mark", "Select", "Mark or unmark the selected asset";
    MarkAll => "mark_all", "Select", "Mark every asset shown";
    ClearMarks => "clear_marks", "Select", "Unmark everything";
    Filter => "filter", "Assets", "Filter the table as you type";
    FacetFilter => "facet_filter", "Assets", "Filter by reliance, site, kind, wave, status or tag";
    ClearFilters => "clear_filters", "Assets", "Clear the text and facet filters";
    SortNext => "sort_next", "Assets", "Sort by the next column";
    SortReverse => "sort_reverse", "Assets", "Reverse the sort order";
    MoveToWave => "move_to_wave", "Plan", "Move the marked (or selected) assets to a wave";
    MoveToPrevWave => "move_to_prev_wave", "Plan", "Move the selected asset one wave earlier";
    MoveToNextWave => "move_to_next_wave", "Plan", "Move the selected asset one wave later";
    SetProduct => "set_product", "Plan", "Set the target product of the marked (or selected) assets";
    SetStatus => "set_status", "Plan", "Set the status of the marked (or selected) assets";
    Decide => "decide", "Plan", "Record a decision (allowlisting, isolate, vendor approval …) for the marked (or selected) assets";
    TogglePin => "toggle_pin", "Plan", "Pin or unpin the marked (or selected) assets";
    GeneratePlan => "generate_plan", "Plan", "Generate a plan from the inventory";
    Replan => "replan", "Plan", "Regenerate the plan (keeps pins, frozen waves, statuses)";
    RenameWave => "rename_wave", "Waves", "Rename the selected wave";
    EditWaveDates => "edit_wave_dates", "Waves", "Change the selected wave's dates";
    ToggleFreeze => "toggle_freeze", "Waves", "Freeze or unfreeze the selected wave";
    SetRoot => "set_root", "Dependencies", "Show the dependency tree of the selected node";
    ShowDependenciesOf => "show_dependencies_of", "Dependencies", "Dependency tree of the selected asset";
    PreferenceUp => "preference_up", "Vendors", "Move the product up in the preference order";
    PreferenceDown => "preference_down", "Vendors", "Move the product down in the preference order";
    TogglePreference => "toggle_preference", "Vendors", "Add or remove the product from the preference order";
    AddVendorRule => "add_vendor_rule", "Vendors", "Add a vendor rule: this product for the selected OS family and kind";
    DeleteVendorRule => "delete_vendor_rule", "Vendors", "Delete the selected vendor rule";
    Confirm => "confirm", "Dialogs", "Yes / accept";
    Deny => "deny", "Dialogs", "No / cancel";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(*a));
            assert!(!a.desc().is_empty());
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
    }

    #[test]
    fn serde_names_match() {
        let v: Action = toml::Value::String("move_to_wave".into())
            .try_into()
            .unwrap();
        assert_eq!(v, Action::MoveToWave);
    }
}
