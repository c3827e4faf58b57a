//! Work that may take long, as plain functions: the runtime runs them on worker threads, tests
//! run them inline. Results come back as [`Msg`]s carrying the generation they were asked for.

use super::autosave::autosave_candidate;
pub use super::autosave::autosave_path;
use super::data::{Data, Origin, Shared};
pub use super::table_query::{SortCache, ViewQuery, refresh, refresh_cached};
use crate::catalog::Catalog;
use crate::env::Env;
use crate::inventory::{self, ImportOptions};
use crate::plan::job::Job;
use crate::plan::schedule::{Scheduled, replan_with};
use crate::plan::validate::{Problem, validate};
use crate::plan::workspace::{
    BUILTIN_DEMO, DEMO_BYTES, content_hash, import_options, import_settings, inventory_paths,
    is_builtin, missing_inventory, plan_dir, read_inventory, reference,
};
use crate::plan::{Plan, file};
use crate::rules::RuleSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What to open.
#[derive(Debug, Clone)]
pub enum Source {
    /// The demo inventory embedded in the binary.
    Demo,
    /// Inventory files.
    Inventories(Vec<PathBuf>),
    /// A plan file (with the inventory it names).
    Plan(PathBuf),
    /// One file, a plan or an inventory: told by its content when it is read.
    Detect(PathBuf),
    /// A plan file read with these inventory files instead of the ones it names (located by
    /// the user after they went missing); the plan then records them.
    PlanWithInventory {
        /// The plan file.
        plan: PathBuf,
        /// Its inventory files (or the built-in demo), in the plan's order.
        inventory: Vec<PathBuf>,
    },
}

impl Source {
    /// What is being opened, for the loading screen.
    pub fn label(&self) -> String {
        match self {
            Source::Demo => "demo estate (Stadtwerke Musterstadt)".into(),
            Source::Inventories(p) => p
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            Source::Plan(plan) | Source::PlanWithInventory { plan, .. } | Source::Detect(plan) => {
                plan.display().to_string()
            }
        }
    }
}

/// A plan whose inventory file is not where the plan says, with the load that found it so the
/// app can retry once the user has located the file.
#[derive(Debug, Clone)]
pub struct MissingInventory {
    /// The load that failed.
    pub request: LoadRequest,
    /// The plan file.
    pub plan: PathBuf,
    /// The inventory files the plan names (resolved; earlier located ones included).
    pub paths: Vec<PathBuf>,
    /// Which of them is missing (None: the plan names no inventory at all).
    pub index: Option<usize>,
    /// The content hash the plan recorded for the missing file.
    pub hash: Option<String>,
}

impl MissingInventory {
    /// One line saying what is missing.
    pub fn describe(&self) -> String {
        match self.index.and_then(|i| self.paths.get(i)) {
            Some(p) => format!(
                "{}: its inventory file {} is missing (moved or deleted?)",
                self.plan.display(),
                p.display()
            ),
            None => format!("{}: the plan names no inventory file", self.plan.display()),
        }
    }
}

/// A request to load a workspace.
#[derive(Debug, Clone)]
pub struct LoadRequest {
    /// What to open.
    pub source: Source,
    /// Extra rules file.
    pub rules: Option<PathBuf>,
    /// Extra catalogue file.
    pub catalog: Option<PathBuf>,
    /// How to read inventory files (a plan's own `[import]` table wins).
    pub import: Import,
}

/// Import options from the command line, with the mapping file they were read from.
#[derive(Debug, Clone, Default)]
pub struct Import {
    /// The options.
    pub options: ImportOptions,
    /// The `--mapping` file, recorded relative to a plan made from this inventory.
    pub mapping_path: Option<PathBuf>,
}

/// Work for the runtime.
#[derive(Debug)]
pub enum Effect {
    /// Load a workspace.
    Load(LoadRequest),
    /// Filter and sort the assets table.
    Refresh(u64, ViewQuery),
    /// Validate the plan; with `true`, also send back a copy of it for later validations.
    Validate(u64, Arc<Shared>, Arc<Plan>, bool),
    /// Regenerate (or generate) the plan, reporting to the job.
    Replan(u64, Arc<Shared>, Arc<Plan>, Job),
    /// Stop a replan: it returns soon and sends [`Msg::ReplanCancelled`].
    CancelPlanning(Job),
    /// Save the plan.
    Save(SaveRequest),
    /// Write the autosave copy of the plan saved at this path (None: not saved yet); where the
    /// copy lives is worked out by the worker (it resolves the path on disk).
    Autosave(Option<PathBuf>, Arc<Plan>),
    /// Remove the autosave copy of the plan saved at this path (after a save or a clean exit).
    DeleteAutosave(Option<PathBuf>),
    /// Read the autosave copy the user chose to restore.
    ReadAutosave(PathBuf),
    /// Read an inventory file the user located and hash its content.
    HashInventory(PathBuf),
    /// Keep the theme or the user's name in `config.toml`.
    SaveConfig(super::user_config::UserConfig),
    /// Make an export's files for the preview.
    RenderExport(Box<super::export_screen::RenderRequest>),
    /// Write an export's files.
    WriteExport(Box<super::export_screen::WriteRequest>),
    /// Merge the plan file someone else saved into the open plan.
    MergeDisk(Box<super::disk_merge::MergeRequest>),
    /// Read a scan and reconcile it with the plan.
    Reconcile(Box<super::file_actions::ReconcileRequest>),
}

/// Results of effects.
#[derive(Debug)]
pub enum Msg {
    /// Load progress.
    Progress(String, f64),
    /// A workspace was loaded.
    Loaded(Box<Data>, Option<PathBuf>),
    /// Loading failed.
    LoadFailed(String),
    /// A plan's inventory file is missing: the user may locate it.
    InventoryMissing(Box<MissingInventory>),
    /// The assets table rows for a generation.
    Refreshed(u64, Vec<u32>),
    /// Validation results for a generation.
    Validated(
        u64,
        Vec<Problem>,
        Box<super::data::PlanSummary>,
        Option<Box<Plan>>,
    ),
    /// A regenerated plan for a generation.
    Replanned(u64, Box<Scheduled>, Vec<u32>),
    /// The autosave copy to restore, or why it cannot be.
    AutosaveRead(Result<Box<Plan>, String>),
    /// The replan of a generation stopped because it was cancelled.
    ReplanCancelled(u64),
    /// The plan was saved: where, the new content hash, and the plan as written.
    Saved(PathBuf, String, Arc<Plan>),
    /// The plan file changed on disk since it was loaded.
    SaveConflict(PathBuf),
    /// Saving failed.
    SaveFailed(String),
    /// A located inventory file's content hash, or why it cannot be read.
    InventoryHashed(PathBuf, Result<String, String>),
    /// `config.toml` could not be written.
    ConfigNotSaved(String),
    /// An export's files for a generation, or why they could not be made.
    ExportRendered(u64, Result<Box<crate::report::targets::Export>, String>),
    /// An export was written to these paths, or why not.
    ExportWritten(Result<Vec<PathBuf>, String>),
    /// The file on disk merged into the open plan for a generation, or why not.
    MergedDisk(u64, Result<super::disk_merge::MergedDisk, String>),
    /// A scan reconciled for a generation: the plan with it applied, or why not.
    Reconciled(u64, Result<super::file_actions::Reconciled, String>),
}

/// Runs an effect to completion, reporting through `send`.
pub fn run(effect: Effect, env: &Env, send: &dyn Fn(Msg)) {
    match effect {
        Effect::Load(mut req) => {
            if let Source::Detect(path) = &req.source {
                req.source = super::file_actions::source_of(vec![path.clone()]);
            }
            load_and_send(&req, env, send)
        }
        Effect::Refresh(generation, q) => send(Msg::Refreshed(generation, refresh(&q))),
        Effect::MergeDisk(req) => super::disk_merge::run(&req, &send),
        Effect::Reconcile(req) => super::file_actions::run_reconcile(&req, &send),
        Effect::RenderExport(req) => super::export_screen::run_render(&req, &send),
        Effect::WriteExport(req) => super::export_screen::run_write(&req, &send),
        Effect::SaveConfig(update) => {
            if let Err(e) = super::user_config::write(env, &update) {
                send(Msg::ConfigNotSaved(e));
            }
        }
        Effect::HashInventory(path) => {
            let hash = if is_builtin(&path) {
                Ok(content_hash(DEMO_BYTES))
            } else {
                crate::input::read(&path, crate::input::INVENTORY_LIMIT)
                    .map(|bytes| content_hash(&bytes))
                    .map_err(|e| e.describe("an inventory file").to_string())
            };
            send(Msg::InventoryHashed(path, hash))
        }
        Effect::Validate(generation, shared, plan, copy) => {
            let ctx = shared.plan_context();
            let problems = validate(&plan, &ctx, &[]);
            let summary = super::data::PlanSummary::of(&plan, shared.today);
            drop(ctx);
            let copy = copy.then(|| Box::new(Plan::clone(&plan)));
            // Let go of the plan before answering: the app edits its copy in place once the
            // answer is in.
            drop(plan);
            send(Msg::Validated(
                generation,
                problems,
                Box::new(summary),
                copy,
            ));
        }
        Effect::Replan(generation, shared, previous, job) => {
            let ctx = shared.plan_context();
            send(match replan_with(&ctx, &previous, &job) {
                Ok(scheduled) => {
                    // Resolved here, so the app does not stall on a large estate's ids.
                    let rows =
                        super::data::plan_rows(&shared.inventory, &scheduled.plan, Vec::new());
                    Msg::Replanned(generation, Box::new(scheduled), rows)
                }
                Err(_) => Msg::ReplanCancelled(generation),
            });
        }
        Effect::CancelPlanning(job) => job.cancel(),
        Effect::Save(req) => send(save(&req)),
        Effect::Autosave(plan_path, plan) => {
            let Some(path) = autosave_path(env, plan_path.as_deref()) else {
                return;
            };
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = crate::store::write_atomic_by(&path, &mut |out| {
                crate::plan::file::write_toml_to(&plan, out)
            });
        }
        Effect::DeleteAutosave(plan_path) => {
            if let Some(path) = autosave_path(env, plan_path.as_deref()) {
                let _ = std::fs::remove_file(path);
            }
        }
        Effect::ReadAutosave(path) => {
            let read = crate::input::read_text(&path, crate::input::PLAN_LIMIT)
                .map_err(|e| format!("cannot read the autosave: {e}"))
                .and_then(|text| {
                    crate::plan::file::parse(&text, &path.display().to_string())
                        .map_err(|e| format!("autosave unreadable: {e}"))
                });
            send(Msg::AutosaveRead(read.map(Box::new)));
        }
    }
}

/// Why a load stopped.
enum Failed {
    Error(String),
    Missing(Box<MissingInventory>),
}

impl From<String> for Failed {
    fn from(e: String) -> Failed {
        Failed::Error(e)
    }
}

/// Loads and sends the result: the data (with an autosave to offer), why not, or the
/// inventory file the plan misses.
fn load_and_send(req: &LoadRequest, env: &Env, send: &dyn Fn(Msg)) {
    match load(req, env, send) {
        Ok(data) => {
            let restore = autosave_candidate(env, &data);
            send(Msg::Loaded(Box::new(data), restore))
        }
        Err(Failed::Error(e)) => send(Msg::LoadFailed(e)),
        Err(Failed::Missing(m)) => send(Msg::InventoryMissing(m)),
    }
}

fn load(req: &LoadRequest, env: &Env, send: &dyn Fn(Msg)) -> Result<Data, Failed> {
    let mut rules = RuleSet::builtin();
    if let Some(p) = &req.rules {
        rules = rules.combine(RuleSet::load(p).map_err(|e| e.to_string())?);
    }
    let mut catalog = Catalog::builtin()
        .with_user_config(env)
        .map_err(|e| e.to_string())?;
    if let Some(p) = &req.catalog {
        catalog = catalog.combine(Catalog::load(p).map_err(|e| e.to_string())?);
    }
    let today = env.today();
    send(Msg::Progress("reading inventory".into(), 0.1));
    let opts = &req.import.options;
    let cli_origin = |paths: Vec<PathBuf>, refs| Origin {
        paths,
        refs,
        import: import_settings(opts, req.import.mapping_path.as_deref(), Path::new("plans")),
        mapping_path: req.import.mapping_path.clone(),
    };
    let (loaded, origin, plan, plan_path, disk_hash) = match &req.source {
        // Resolved before loading.
        Source::Detect(path) => {
            return Err(Failed::Error(format!("{}: not resolved", path.display())));
        }
        Source::Demo => {
            // Recorded as the built-in reference, so a plan made from it reopens anywhere.
            let demo = [PathBuf::from(BUILTIN_DEMO)];
            let files =
                read_inventory(&demo, Path::new("plans"), opts).map_err(|e| e.to_string())?;
            (
                files.loaded,
                cli_origin(demo.to_vec(), files.refs),
                None,
                None,
                None,
            )
        }
        Source::Inventories(paths) => {
            let base = Path::new("plans");
            let files = read_inventory(paths, base, opts).map_err(|e| e.to_string())?;
            (
                files.loaded,
                cli_origin(paths.clone(), files.refs),
                None,
                None,
                None,
            )
        }
        Source::Plan(path) => load_plan(req, path, None)?,
        Source::PlanWithInventory { plan, inventory } => load_plan(req, plan, Some(inventory))?,
    };
    send(Msg::Progress("analysing".into(), 0.5));
    let shared = Arc::new(Shared::build(
        loaded.inventory,
        rules,
        catalog,
        loaded.files,
        loaded.warnings,
        origin,
        today,
    ));
    send(Msg::Progress("checking the plan".into(), 0.85));
    let mut data = Data::new(shared, plan, plan_path, disk_hash);
    if let Some(plan) = &data.plan {
        let ctx = data.shared.plan_context();
        data.problems = validate(plan, &ctx, &[]);
    }
    Ok(data)
}

type Opened = (
    inventory::Loaded,
    Origin,
    Option<Plan>,
    Option<PathBuf>,
    Option<String>,
);

/// Reads a plan and its inventory (`located`: files the user chose instead of the ones it
/// names). A missing inventory file is reported as such, never read as an empty estate.
fn load_plan(
    req: &LoadRequest,
    path: &Path,
    located: Option<&Vec<PathBuf>>,
) -> Result<Opened, Failed> {
    let bytes = crate::input::read(path, crate::input::PLAN_LIMIT)
        .map_err(|e| format!("{}: {}", path.display(), e.describe("a plan file")))?;
    let hash = content_hash(&bytes);
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8 text", path.display()))?;
    let mut plan = file::parse(&text, &path.display().to_string()).map_err(|e| e.to_string())?;
    drop(text);
    let base = plan_dir(path);
    let paths = match located {
        Some(files) => files.clone(),
        None => inventory_paths(&plan, &base),
    };
    let missing = |index: Option<usize>| {
        Failed::Missing(Box::new(MissingInventory {
            request: req.clone(),
            plan: path.to_path_buf(),
            paths: paths.clone(),
            index,
            hash: index
                .and_then(|i| plan.inventory.get(i))
                .map(|r| r.hash.clone()),
        }))
    };
    if paths.is_empty() {
        return Err(missing(None));
    }
    if let Some(gone) = missing_inventory(&paths) {
        return Err(missing(paths.iter().position(|p| p == gone)));
    }
    let plan_opts = import_options(&plan.import, &base).map_err(|e| e.to_string())?;
    let files = read_inventory(&paths, &base, &plan_opts).map_err(|e| e.to_string())?;
    if located.is_some() {
        // The plan now names the located files; a located file keeps the hash recorded for
        // the one it stands for, so a different content shows as a changed inventory.
        let recorded = std::mem::take(&mut plan.inventory);
        plan.inventory = files
            .refs
            .iter()
            .enumerate()
            .map(|(i, now)| crate::plan::InventoryRef {
                path: reference(&paths[i], &base),
                hash: recorded
                    .get(i)
                    .map_or_else(|| now.hash.clone(), |r| r.hash.clone()),
            })
            .collect();
    }
    let origin = Origin {
        paths,
        refs: plan.inventory.clone(),
        import: plan.import.clone(),
        mapping_path: plan.import.mapping.as_ref().map(|m| base.join(m)),
    };
    Ok((
        files.loaded,
        origin,
        Some(plan),
        Some(path.to_path_buf()),
        Some(hash),
    ))
}

/// A request to save a plan.
#[derive(Debug, Clone)]
pub struct SaveRequest {
    /// Target path.
    pub path: PathBuf,
    /// The plan, written out by the worker.
    pub plan: Arc<Plan>,
    /// Content hash the file had when loaded or last saved by us (None: new file).
    pub expected: Option<String>,
    /// Overwrite even when the file changed on disk.
    pub force: bool,
}

fn save(req: &SaveRequest) -> Msg {
    if let Some(dir) = req.path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(dir);
    }
    // Held from the conflict check to the write, so a CLI command cannot change the file
    // in between.
    let _lock = match crate::store::lock_for_change(&req.path, || {}) {
        Ok(lock) => lock,
        Err(e) => return Msg::SaveFailed(format!("{}: cannot lock: {e}", req.path.display())),
    };
    if !req.force {
        let on_disk = crate::plan::workspace::file_hash(&req.path, crate::input::PLAN_LIMIT).ok();
        let changed = match (&req.expected, &on_disk) {
            (Some(expected), Some(now)) => expected != now,
            (None, Some(_)) => true,
            _ => false,
        };
        if changed {
            return Msg::SaveConflict(req.path.clone());
        }
    }
    // Streamed to the file and hashed on the way: a million-asset plan is never one string.
    let mut hash = String::new();
    let saved = crate::store::save_with_backup_by(&req.path, &mut |out| {
        hash = crate::plan::workspace::write_plan_hashed(&req.plan, out)?;
        Ok(())
    });
    match saved {
        Ok(_) => Msg::Saved(req.path.clone(), hash, Arc::clone(&req.plan)),
        Err(e) => Msg::SaveFailed(format!("{}: {e}", req.path.display())),
    }
}
