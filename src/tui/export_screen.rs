//! The Export overlay: choose an export (reports, runbook, rollout target lists, calendars,
//! owner notices), see the files it gives, what it could not list and where the files go, then
//! write them. Rendering and writing run on a worker; nothing is written before Enter.

use super::action::Action;
use super::jobs::{Effect, Msg};
use super::state::{Overlay, PickPurpose, Picker, State};
use crate::model::Timestamp;
use crate::plan::Plan;
use crate::report::exports::{self, ExportKind};
use crate::report::targets::Export;
use std::path::PathBuf;
use std::sync::Arc;
use strum::VariantArray;

/// What the export overlay is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// The files are being made (the job generation).
    Rendering(u64),
    /// The files are ready to be written (held in `State::export_preview`).
    Ready,
    /// Making or writing them failed.
    Failed(String),
    /// Being written.
    Writing,
    /// Written to these paths.
    Written(Vec<String>),
}

/// The export overlay's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportView {
    /// The export chosen.
    pub kind: ExportKind,
    /// Where it goes (a directory for several files), as typed.
    pub target: String,
    /// What is happening.
    pub stage: Stage,
    /// The file shown in the preview.
    pub selected: usize,
}

/// Making an export's files on a worker.
#[derive(Debug)]
pub struct RenderRequest {
    /// Job generation.
    pub generation: u64,
    /// The export.
    pub kind: ExportKind,
    /// Where it will go (names a single file).
    pub target: PathBuf,
    /// The estate.
    pub shared: Arc<super::data::Shared>,
    /// The plan.
    pub plan: Arc<Plan>,
    /// The time reports are stamped with.
    pub now: Timestamp,
}

/// Writing an export's files on a worker.
#[derive(Debug)]
pub struct WriteRequest {
    /// The files.
    pub export: Arc<Export>,
    /// The file or directory.
    pub target: PathBuf,
    /// True when `target` is a directory.
    pub directory: bool,
    /// Files never written over: the plan and its inventory.
    pub inputs: Vec<PathBuf>,
}

/// Opens the list of exports.
pub fn choose(state: &mut State) -> Vec<Effect> {
    let has_plan = state.data.as_ref().is_some_and(|d| d.plan.is_some());
    if !has_plan {
        let key = state
            .keymap
            .hint(super::keymap::Context::Global, Action::GeneratePlan);
        state.error(format!("no plan to export yet: generate one with {key}"));
        return Vec::new();
    }
    let items = ExportKind::VARIANTS
        .iter()
        .enumerate()
        .map(|(i, k)| (i.to_string(), k.label().to_string()))
        .collect();
    state.overlays.push(Overlay::Picker(Picker::new(
        "Export",
        items,
        PickPurpose::Export,
    )));
    Vec::new()
}

/// An export was chosen: its files are made for the preview.
pub fn chosen(state: &mut State, value: &str) -> Vec<Effect> {
    let Some(kind) = value
        .parse::<usize>()
        .ok()
        .and_then(|i| ExportKind::VARIANTS.get(i).copied())
    else {
        return Vec::new();
    };
    let plan_path = state.data.as_ref().and_then(|d| d.plan_path.clone());
    let target = kind.default_target(plan_path.as_deref());
    state.overlays.push(Overlay::Export(Box::new(ExportView {
        kind,
        target: target.display().to_string(),
        stage: Stage::Ready,
        selected: 0,
    })));
    render(state)
}

/// Makes the files of the export on top (again, after the target changed).
fn render(state: &mut State) -> Vec<Effect> {
    let generation = state.next_generation();
    let (Some(data), Some(Overlay::Export(view))) = (&state.data, state.overlays.last_mut()) else {
        return Vec::new();
    };
    let Some(plan) = &data.plan else {
        return Vec::new();
    };
    view.stage = Stage::Rendering(generation);
    state.export_preview = None;
    vec![Effect::RenderExport(Box::new(RenderRequest {
        generation,
        kind: view.kind,
        target: PathBuf::from(view.target.trim()),
        shared: Arc::clone(&data.shared),
        plan: Arc::clone(plan),
        now: state.now,
    }))]
}

/// Worker: makes the files.
pub fn run_render(req: &RenderRequest, send: &dyn Fn(Msg)) {
    let ctx = req.shared.plan_context();
    let result = req.kind.render(&req.plan, &ctx, req.now, &req.target);
    send(Msg::ExportRendered(req.generation, result.map(Box::new)));
}

/// Worker: writes the files.
pub fn run_write(req: &WriteRequest, send: &dyn Fn(Msg)) {
    let result = exports::write(&req.export, &req.target, req.directory, &req.inputs);
    send(Msg::ExportWritten(result));
}

/// The files are made: kept for the preview and for Enter.
pub fn rendered(state: &mut State, generation: u64, result: Result<Box<Export>, String>) {
    let view = state.overlays.iter_mut().rev().find_map(|o| match o {
        Overlay::Export(v) if v.stage == Stage::Rendering(generation) => Some(v),
        _ => None,
    });
    let Some(view) = view else {
        return;
    };
    match result {
        Ok(export) => {
            view.stage = Stage::Ready;
            view.selected = 0;
            state.export_preview = Some(Arc::from(export));
        }
        Err(e) => view.stage = Stage::Failed(e),
    }
}

/// The files are written (or not): always said in the status bar, and shown in the overlay
/// that is waiting for them, if it is still open.
pub fn written(state: &mut State, result: Result<Vec<PathBuf>, String>) {
    let view = state.overlays.iter_mut().rev().find_map(|o| match o {
        Overlay::Export(v) if v.stage == Stage::Writing => Some(v),
        _ => None,
    });
    match result {
        Ok(paths) => {
            let place = paths
                .first()
                .and_then(|p| p.parent())
                .map_or_else(String::new, |d| d.display().to_string());
            let text = format!("exported {} file(s) to {place}", paths.len());
            if let Some(view) = view {
                view.stage =
                    Stage::Written(paths.iter().map(|p| p.display().to_string()).collect());
            }
            state.info(text);
        }
        Err(e) => {
            if let Some(view) = view {
                view.stage = Stage::Failed(e.clone());
            }
            state.error(format!("export failed: {e}"));
        }
    }
}

/// Keys in the overlay: choose the file previewed, write, close.
pub fn action(state: &mut State, view: &ExportView, action: Action) -> Vec<Effect> {
    let files = state.export_preview.as_ref().map_or(0, |e| e.files.len());
    let set = |state: &mut State, selected: usize| {
        if let Some(Overlay::Export(v)) = state.overlays.last_mut() {
            v.selected = selected;
        }
    };
    match action {
        Action::Back => {
            state.overlays.pop();
            state.export_preview = None;
        }
        Action::Up => set(state, view.selected.saturating_sub(1)),
        Action::Down => set(state, (view.selected + 1).min(files.saturating_sub(1))),
        Action::Open => match &view.stage {
            Stage::Ready => return write(state, view),
            Stage::Written(_) => {
                state.overlays.pop();
                state.export_preview = None;
            }
            // A changed path is made again first; a failure may be retried.
            Stage::Failed(_) => return render(state),
            Stage::Rendering(_) | Stage::Writing => {}
        },
        _ => {}
    }
    Vec::new()
}

fn write(state: &mut State, view: &ExportView) -> Vec<Effect> {
    let (Some(data), Some(export)) = (&state.data, &state.export_preview) else {
        return Vec::new();
    };
    let Some(plan) = &data.plan else {
        return Vec::new();
    };
    let target = PathBuf::from(view.target.trim());
    if target.as_os_str().is_empty() {
        state.error("name where the export goes");
        return Vec::new();
    }
    // The files read: the inventory (as opened, or as the saved plan names it) and the plan.
    let mut inputs = data.shared.origin.paths.clone();
    if let Some(path) = &data.plan_path {
        let base = crate::plan::workspace::plan_dir(path);
        inputs.extend(crate::plan::workspace::inventory_paths(plan, &base));
        inputs.push(path.clone());
    }
    let request = WriteRequest {
        export: Arc::clone(export),
        target,
        directory: view.kind.is_directory(),
        inputs,
    };
    if let Some(Overlay::Export(v)) = state.overlays.last_mut() {
        v.stage = Stage::Writing;
    }
    vec![Effect::WriteExport(Box::new(request))]
}

/// Typing changes where the export goes (the files stay the same: a single file is written
/// under the name typed).
pub fn type_text(view: &mut ExportView, c: Option<char>) {
    match c {
        Some(c) if !c.is_control() => view.target.push(c),
        Some(_) => return,
        None => {
            view.target.pop();
        }
    }
    if matches!(view.stage, Stage::Written(_)) {
        view.stage = Stage::Ready;
    }
}
