//! What an overlay holds: pickers, questions and prompts, and what their answer does.

use super::state::FacetKind;
use crate::plan::Status;
use std::path::PathBuf;

/// What a picker's choice does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickPurpose {
    /// Move the targets to the chosen wave.
    MoveToWave(Vec<String>),
    /// Set the targets' product.
    SetProduct(Vec<String>),
    /// Set the targets' status.
    SetStatus(Vec<String>),
    /// Record a decision for the targets.
    Decide(Vec<String>),
    /// Choose which facet to set.
    FacetKind,
    /// Choose the facet value.
    FacetValue(FacetKind),
    /// Run the chosen action (command palette).
    Action,
    /// Preview the chosen export (an index into `ExportKind::VARIANTS`).
    Export,
    /// Merge, overwrite or leave a plan file someone else changed on disk.
    SaveConflict(PathBuf),
}

/// A list to choose from, filtered as you type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    /// Title.
    pub title: String,
    /// (value, label) pairs.
    pub items: Vec<(String, String)>,
    /// Typed filter.
    pub query: String,
    /// Selected index among the matching items.
    pub selected: usize,
    /// What the choice does.
    pub purpose: PickPurpose,
    /// Lines shown under the list: why some choices are not offered.
    pub notes: Vec<String>,
}

impl Picker {
    /// A picker over `(value, label)` items, nothing typed, the first item selected.
    pub fn new(
        title: impl Into<String>,
        items: Vec<(String, String)>,
        purpose: PickPurpose,
    ) -> Self {
        Picker {
            title: title.into(),
            items,
            query: String::new(),
            selected: 0,
            purpose,
            notes: Vec::new(),
        }
    }

    /// Items matching the typed filter.
    pub fn matching(&self) -> Vec<&(String, String)> {
        let q = self.query.to_lowercase();
        self.items
            .iter()
            .filter(|(_, label)| q.is_empty() || label.to_lowercase().contains(&q))
            .collect()
    }
}

/// What a yes/no question decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmPurpose {
    /// Quit and lose unsaved changes.
    QuitUnsaved,
    /// This file changed on disk since the plan was loaded (or is someone else's): overwrite it
    /// anyway.
    OverwriteForeign(PathBuf),
    /// Restore an autosaved plan found after a crash.
    RestoreAutosave(PathBuf),
    /// Regenerate the plan.
    Replan,
    /// Open this file and lose the unsaved changes.
    OpenDiscarding(PathBuf),
}

/// What a text prompt's input is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptPurpose {
    /// Path to save the plan to.
    SavePath,
    /// New name of a wave.
    RenameWave(String),
    /// New dates of a wave ("YYYY-MM-DD..YYYY-MM-DD").
    WaveDates(String),
    /// Reason for a status (blocked / excluded) on these assets.
    StatusReason(Status, Vec<String>),
    /// One part of a decision being recorded (see `tui::decide`).
    Decision(super::decide::DecisionDraft),
    /// Where a plan's missing inventory file is now (see `tui::locate`); holds the input
    /// whose different content was already pointed out, which a second enter accepts.
    LocateInventory(Option<String>),
    /// The name the plan's history records, asked once (kept in `config.toml`); the edit
    /// that asked for it runs once it is given.
    UserName(Option<Box<crate::plan::Edit>>),
    /// A plan or inventory file to open.
    OpenFile,
    /// A scan file to reconcile with the plan.
    ReconcileScan,
}

/// Overlays, drawn over the screen; the top one gets the keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// All keys, generated from the keymap.
    Help {
        /// Scroll offset.
        scroll: usize,
    },
    /// The messages of the session, newest first, whole.
    Log {
        /// Scroll offset.
        scroll: usize,
    },
    /// A list to choose from (also the command palette).
    Picker(Picker),
    /// A yes/no question.
    Confirm {
        /// The question.
        question: String,
        /// What "yes" does.
        purpose: ConfirmPurpose,
    },
    /// An export's files, where they go, and writing them.
    Export(Box<super::export_screen::ExportView>),
    /// The plan settings form with its preview.
    Settings(Box<super::settings_form::SettingsForm>),
    /// A line of text.
    Prompt {
        /// Title.
        title: String,
        /// Typed text.
        input: String,
        /// What it is for.
        purpose: PromptPurpose,
        /// Why the last input was refused.
        error: Option<String>,
    },
}
