//! Someone else saved the plan file while it was open here: instead of only overwriting their
//! version, their changes can be merged into ours (three-way, from the file as this app last
//! read or wrote it), as one undoable change. Conflicts keep ours and go to the message log;
//! nothing is written until the user saves.

use super::jobs::{Effect, Msg};
use super::state::{ConfirmPurpose, Level, Overlay, PickPurpose, Picker, State};
use crate::plan::Plan;
use std::path::PathBuf;
use std::sync::Arc;

/// Merging the file on disk into the open plan, on a worker.
#[derive(Debug)]
pub struct MergeRequest {
    /// Job generation.
    pub generation: u64,
    /// The plan file.
    pub path: PathBuf,
    /// The plan as the file held it when last read or written here.
    pub base: Arc<Plan>,
    /// The plan open here.
    pub ours: Arc<Plan>,
    /// The estate (to index the merged plan's assets).
    pub shared: Arc<super::data::Shared>,
}

/// The merged plan, its table rows, the conflicts (one line each), and the file as read:
/// its content hash and plan (the next merge's base).
pub type MergedDisk = Box<(Plan, Vec<u32>, Vec<String>, String, Plan)>;

/// The file changed on disk: the open plan's own file offers a merge, any other file only
/// overwriting.
pub fn conflict(state: &mut State, path: PathBuf) -> Vec<Effect> {
    let mergeable = state.data.as_ref().is_some_and(|d| {
        d.on_disk.is_some() && d.plan.is_some() && d.plan_path.as_deref() == Some(path.as_path())
    });
    if !mergeable {
        state.overlays.push(Overlay::Confirm {
            question: format!(
                "{} already exists, or was changed on disk since it was opened (by someone \
                 else?). Overwrite it? (the current file is kept as .bak)",
                path.display()
            ),
            purpose: ConfirmPurpose::OverwriteForeign(path),
        });
        return Vec::new();
    }
    let mut picker = Picker::new(
        format!("{} was changed on disk since you opened it", path.display()),
        vec![
            (
                "merge".into(),
                "Merge their changes into yours (conflicts keep yours; then save)".into(),
            ),
            (
                "overwrite".into(),
                "Overwrite their version (it is kept as .bak)".into(),
            ),
            ("cancel".into(), "Keep working; save later".into()),
        ],
        PickPurpose::SaveConflict(path),
    );
    picker.notes = vec!["Someone else (or a command) saved this plan while it was open.".into()];
    state.overlays.push(Overlay::Picker(picker));
    Vec::new()
}

/// What the user chose.
pub fn chosen(state: &mut State, path: PathBuf, choice: &str) -> Vec<Effect> {
    match choice {
        "merge" => start(state, path),
        "overwrite" => super::plan_save::save(state, Some(path), true),
        _ => Vec::new(),
    }
}

fn start(state: &mut State, path: PathBuf) -> Vec<Effect> {
    let Some(data) = &state.data else {
        return Vec::new();
    };
    let (Some(base), Some(ours)) = (&data.on_disk, &data.plan) else {
        return Vec::new();
    };
    let request = MergeRequest {
        generation: 0,
        path,
        base: Arc::clone(base),
        ours: Arc::clone(ours),
        shared: Arc::clone(&data.shared),
    };
    // Edits wait for the merge, which replaces the plan they would change.
    let (generation, mut effects) = super::replan::begin(
        state,
        "merging the changes saved on disk… (Esc cancels)".into(),
    );
    effects.push(Effect::MergeDisk(Box::new(MergeRequest {
        generation,
        ..request
    })));
    effects
}

/// Worker: reads the file and merges it into ours.
pub fn run(req: &MergeRequest, send: &dyn Fn(Msg)) {
    send(Msg::MergedDisk(req.generation, merge(req)));
}

fn merge(req: &MergeRequest) -> Result<MergedDisk, String> {
    let bytes = crate::input::read(&req.path, crate::input::PLAN_LIMIT)
        .map_err(|e| e.describe("the plan file").to_string())?;
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8 text", req.path.display()))?;
    let theirs = crate::plan::file::parse(&text, &req.path.display().to_string())
        .map_err(|e| e.to_string())?;
    let merged =
        crate::plan::merge::merge(&req.base, &req.ours, &theirs).map_err(|e| e.to_string())?;
    let rows = super::data::plan_rows(&req.shared.inventory, &merged.plan, Vec::new());
    let conflicts = merged.conflicts.iter().map(|c| c.to_string()).collect();
    let hash = crate::plan::workspace::content_hash(text.as_bytes());
    Ok(Box::new((merged.plan, rows, conflicts, hash, theirs)))
}

/// The merge is done: the merged plan replaces ours (undoable); the file as read becomes the
/// base of the next merge, and saving no longer finds a foreign change.
pub fn merged(
    state: &mut State,
    generation: u64,
    result: Result<MergedDisk, String>,
) -> Vec<Effect> {
    if !super::replan::finish(state, generation) {
        return Vec::new();
    }
    let (plan, rows, conflicts, hash, theirs) = match result {
        Ok(done) => *done,
        Err(e) => {
            state.error(format!("merge failed: {}", crate::model::text::clean(&e)));
            return Vec::new();
        }
    };
    if let Some(d) = state.data.as_mut() {
        d.plan_rows = rows;
        d.disk_hash = Some(hash);
        d.on_disk = Some(Arc::new(theirs));
    }
    let effects = super::plan_ops::edit(state, crate::plan::Edit::ReplacePlan(Arc::new(plan)));
    for c in &conflicts {
        let text = crate::model::text::clean(&format!("merge conflict (yours kept): {c}"));
        state.messages.push(state.now, Level::Error, text);
    }
    let key = state
        .keymap
        .hint(super::keymap::Context::Global, super::action::Action::Save);
    match conflicts.len() {
        0 => state.info(format!("merged their changes; {key} saves the result")),
        n => state.error(format!(
            "merged their changes; {n} conflict(s) kept yours (see the message log); {key} \
             saves the result"
        )),
    }
    effects
}
