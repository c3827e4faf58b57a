//! Opening another plan or inventory file, and reconciling a scan with the plan, from inside
//! the app. Files are read on workers; a reconciled plan replaces the current one as one
//! undoable change.

use super::jobs::{Effect, LoadRequest, Msg, Source};
use super::state::{ConfirmPurpose, Loading, Overlay, PromptPurpose, State};
use crate::model::Timestamp;
use crate::plan::Plan;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Asks which file to open.
pub fn ask_open(state: &mut State) -> Vec<Effect> {
    state.overlays.push(Overlay::Prompt {
        title: "Open a plan or inventory file".into(),
        input: String::new(),
        purpose: PromptPurpose::OpenFile,
        error: None,
    });
    Vec::new()
}

/// The path was given: opened, after asking when there are unsaved changes.
pub fn submit_open(state: &mut State, input: &str) -> Vec<Effect> {
    if input.is_empty() {
        if let Some(Overlay::Prompt { error, .. }) = state.overlays.last_mut() {
            *error = Some("give a file, e.g. plans/rollout.toml or inventory.csv".into());
        }
        return Vec::new();
    }
    state.overlays.pop();
    let path = PathBuf::from(input);
    if state.dirty {
        state.overlays.push(Overlay::Confirm {
            question: format!(
                "The plan has unsaved changes. Open {} and lose them?",
                path.display()
            ),
            purpose: ConfirmPurpose::OpenDiscarding(path),
        });
        return Vec::new();
    }
    open(state, path)
}

/// Loads `path` (a plan, told by its content, or an inventory) in place of the workspace.
pub fn open(state: &mut State, path: PathBuf) -> Vec<Effect> {
    let mut effects = super::plan_save::delete_autosave(state);
    effects.extend(super::replan::cancel_replan(state));
    let request = LoadRequest {
        source: Source::Detect(path),
        rules: None,
        catalog: None,
        import: Default::default(),
    };
    state.load_error = None;
    state.loading = Some(Loading {
        label: request.source.label(),
        stage: "reading".into(),
        ratio: 0.0,
    });
    effects.push(Effect::Load(request));
    effects
}

/// A plan file is recognised by its top-level `schema_version` key; anything else is an
/// inventory.
pub fn source_of(files: Vec<PathBuf>) -> Source {
    if let [single] = files.as_slice() {
        let mut head = Vec::new();
        if let Ok(file) = crate::input::open(single, crate::input::INVENTORY_LIMIT) {
            use std::io::Read;
            let _ = file.take(4096).read_to_end(&mut head);
        }
        if crate::plan::file::looks_like_plan(&String::from_utf8_lossy(&head)) {
            return Source::Plan(single.clone());
        }
    }
    Source::Inventories(files)
}

/// Reconciling a scan on a worker.
#[derive(Debug)]
pub struct ReconcileRequest {
    /// Job generation.
    pub generation: u64,
    /// The scan file.
    pub scan: PathBuf,
    /// The estate (rules and catalogue).
    pub shared: Arc<super::data::Shared>,
    /// The plan.
    pub plan: Arc<Plan>,
    /// Where the plan is saved (its mapping file is relative to it).
    pub plan_path: Option<PathBuf>,
    /// When the scan is recorded.
    pub now: Timestamp,
}

/// What a reconcile gives: the plan with the scan applied, its table rows and a summary.
pub type Reconciled = Box<(Plan, Vec<u32>, String)>;

/// Asks which scan to reconcile.
pub fn ask_scan(state: &mut State) -> Vec<Effect> {
    if state.data.as_ref().is_none_or(|d| d.plan.is_none()) {
        state.error("no plan to reconcile a scan with yet");
        return Vec::new();
    }
    if state.replan_pending() {
        state.error("planning… wait for the new plan");
        return Vec::new();
    }
    state.overlays.push(Overlay::Prompt {
        title: "Scan to reconcile (any inventory format)".into(),
        input: String::new(),
        purpose: PromptPurpose::ReconcileScan,
        error: None,
    });
    Vec::new()
}

/// The scan was named: it is read and compared on a worker; edits wait for it.
pub fn submit_scan(state: &mut State, input: &str) -> Vec<Effect> {
    if input.is_empty() {
        if let Some(Overlay::Prompt { error, .. }) = state.overlays.last_mut() {
            *error = Some("give the scan file, e.g. scans/week-2.csv".into());
        }
        return Vec::new();
    }
    let Some(data) = &state.data else {
        return Vec::new();
    };
    let Some(plan) = &data.plan else {
        return Vec::new();
    };
    let request = ReconcileRequest {
        generation: 0,
        scan: PathBuf::from(input),
        shared: Arc::clone(&data.shared),
        plan: Arc::clone(plan),
        plan_path: data.plan_path.clone(),
        now: state.now,
    };
    state.overlays.pop();
    let (generation, mut effects) =
        super::replan::begin(state, format!("reconciling {input}… (Esc cancels)"));
    effects.push(Effect::Reconcile(Box::new(ReconcileRequest {
        generation,
        ..request
    })));
    effects
}

/// Worker: reads the scan, compares it with the plan and applies it to a copy.
pub fn run_reconcile(req: &ReconcileRequest, send: &dyn Fn(Msg)) {
    send(Msg::Reconciled(req.generation, reconcile(req)));
}

fn reconcile(req: &ReconcileRequest) -> Result<Reconciled, String> {
    // An unsaved plan records its mapping relative to `plans`, as a new plan is saved there.
    let base = req
        .plan_path
        .as_deref()
        .map_or_else(|| PathBuf::from("plans"), crate::plan::workspace::plan_dir);
    let opts = crate::progress::scan_options(Default::default(), &req.plan, &base)
        .map_err(|e| e.to_string())?;
    let loaded = crate::inventory::load_paths(std::slice::from_ref(&req.scan), &opts)
        .map_err(|e| e.to_string())?;
    let label = req.scan.display().to_string();
    let s = &req.shared;
    let r = crate::progress::reconcile(
        &req.plan,
        &loaded.inventory,
        &label,
        &s.rules,
        &s.catalog,
        req.now,
    );
    if let Some(why) = crate::progress::wrong_scan(&r, loaded.inventory.len()) {
        return Err(why);
    }
    let mut plan = (*req.plan).clone();
    crate::progress::apply_to(&mut plan, &r, req.now);
    let rows = super::data::plan_rows(&s.inventory, &plan, Vec::new());
    let summary = format!(
        "reconciled {}: {} of {} planned asset(s) seen, {} status change(s), {} open \
         alert(s), {} new asset(s) (u undoes)",
        short(&req.scan),
        r.matched,
        r.planned,
        r.changes.len(),
        plan.alerts.len(),
        r.unplanned.len()
    );
    Ok(Box::new((plan, rows, summary)))
}

fn short(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The reconciled plan replaces the current one (one undoable change).
pub fn reconciled(
    state: &mut State,
    generation: u64,
    result: Result<Reconciled, String>,
) -> Vec<Effect> {
    if !super::replan::finish(state, generation) {
        return Vec::new();
    }
    match result {
        Ok(done) => {
            let (plan, rows, summary) = *done;
            if let Some(d) = state.data.as_mut() {
                d.plan_rows = rows;
            }
            let effects =
                super::plan_ops::edit(state, crate::plan::Edit::ReplacePlan(Arc::new(plan)));
            state.info(crate::model::text::clean(&summary));
            effects
        }
        Err(e) => {
            state.error(format!("reconcile: {}", crate::model::text::clean(&e)));
            Vec::new()
        }
    }
}
