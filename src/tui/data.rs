//! The loaded workspace as the TUI holds it: shared immutable parts behind `Arc` (readable from
//! worker threads) plus the plan, which edits change.

use crate::analysis::{Analysis, Reliance, Totals};
use crate::catalog::{Catalog, CompatCache, Support, Verdict};
use crate::error::Warning;
use crate::inventory::FileReport;
use crate::model::Named;
use crate::model::{Date, Inventory};
use crate::plan::context::{PlanContext, unit_graph};
use crate::plan::units::UnitGraph;
use crate::plan::validate::Problem;
use crate::plan::{ImportSettings, InventoryRef, Plan};
use crate::progress::{Burndown, StatusReport, burndown, status_with};
use crate::rules::RuleSet;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

pub use super::search_text::SearchText;

/// Coverage of one catalogue product over the estate's direct assets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Catalogue product id.
    pub product: String,
    /// Display name.
    pub name: String,
    /// Direct assets it supports.
    pub yes: usize,
    /// … with limits.
    pub limited: usize,
    /// … unverified.
    pub unverified: usize,
    /// … not at all.
    pub no: usize,
}

/// Counts for the dashboard charts.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Direct assets per flagged-product role.
    pub by_role: Vec<(String, u64)>,
    /// Direct assets per OS family.
    pub by_family: Vec<(String, u64)>,
    /// Direct assets per site (largest first).
    pub by_site: Vec<(String, u64)>,
    /// Assets per reliance.
    pub totals: Totals,
    /// The direct assets most others rely on, largest first (at most `TOP_PROVIDERS`).
    pub top_providers: Vec<(usize, u32)>,
}

/// How many of the largest providers are kept for the dashboard.
pub const TOP_PROVIDERS: usize = 200;

/// Where the plan's rollout stands, computed once per plan change for the screens.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanSummary {
    /// Status counts, per-wave progress, forecast, blocked assets, alerts.
    pub report: StatusReport,
    /// Planned and actual assets remaining over time.
    pub burndown: Burndown,
    /// The actual line drawn as steps up to today.
    pub actual: Vec<(Date, usize)>,
}

impl PlanSummary {
    /// The summary of `plan` on `today`.
    pub fn of(plan: &Plan, today: Date) -> PlanSummary {
        let burndown = burndown(plan, today);
        PlanSummary {
            report: status_with(plan, today, &burndown),
            actual: crate::report::management::actual_steps(&burndown, today),
            burndown,
        }
    }
}

/// The inventory files behind a workspace and how they were read.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// The inventory files on disk (empty for the embedded demo).
    pub paths: Vec<PathBuf>,
    /// Their references for a plan (paths relative to plans/, hashes).
    pub refs: Vec<InventoryRef>,
    /// The import options a plan made from them records.
    pub import: ImportSettings,
    /// The mapping file on disk, for writing its path relative to a plan.
    pub mapping_path: Option<PathBuf>,
}

/// The immutable part of a loaded workspace, shared with worker threads.
#[derive(Debug)]
pub struct Shared {
    /// The estate.
    pub inventory: Inventory,
    /// Its analysis.
    pub analysis: Analysis,
    /// Flagged-product rules.
    pub rules: RuleSet,
    /// Vendor catalogue.
    pub catalog: Catalog,
    /// Scheduling units.
    pub units: Arc<UnitGraph>,
    /// Flagged product names per asset, joined.
    pub flagged: Vec<String>,
    /// Search text per asset.
    pub search: SearchText,
    /// Product coverage of the direct assets.
    pub coverage: Vec<Coverage>,
    /// Direct assets no catalogue product supports (not even with limits).
    pub uncovered: Vec<u32>,
    /// Dashboard counts.
    pub stats: Stats,
    /// Per-file import reports.
    pub files: Vec<FileReport>,
    /// Import and analysis warnings.
    pub warnings: Vec<Warning>,
    /// Where the inventory came from and how it was read.
    pub origin: Origin,
    /// "Today" for end-of-life checks.
    pub today: Date,
}

impl Shared {
    /// What a successor on asset `i` must be able to do (from the flagged products it runs).
    pub fn needs(&self, i: usize) -> Vec<crate::catalog::Capability> {
        let roles: Vec<&str> = self.analysis.findings[i]
            .iter()
            .map(|f| crate::model::Named::as_str(f.role))
            .collect();
        crate::catalog::needs_for(&self.inventory.assets()[i], &roles)
    }

    /// Derives everything the screens need from an analysed inventory.
    #[allow(clippy::too_many_arguments)]
    pub fn build(
        inventory: Inventory,
        rules: RuleSet,
        catalog: Catalog,
        files: Vec<FileReport>,
        mut warnings: Vec<Warning>,
        origin: Origin,
        today: Date,
    ) -> Shared {
        let analysis = Analysis::run(&inventory, &rules);
        warnings.extend(analysis.warnings.iter().cloned());
        let flagged: Vec<String> = analysis
            .findings
            .iter()
            .map(|fs| {
                let mut names: Vec<&str> = fs
                    .iter()
                    .map(|f| rules.rules()[usize::from(f.rule)].product.as_str())
                    .collect();
                names.dedup();
                names.join(", ")
            })
            .collect();
        // Independent derivations of the analysis: the search text on a second core.
        let (search, units, (coverage, uncovered), stats) = std::thread::scope(|scope| {
            let search = scope.spawn(|| SearchText::build(&inventory, &flagged));
            let units = Arc::new(unit_graph(&analysis));
            let coverage = coverage(&inventory, &analysis, &catalog, today);
            let stats = stats(&inventory, &analysis);
            let search = search
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (search, units, coverage, stats)
        });
        Shared {
            inventory,
            analysis,
            rules,
            catalog,
            units,
            flagged,
            search,
            coverage,
            uncovered,
            stats,
            files,
            warnings,
            origin,
            today,
        }
    }

    /// A planning context over the shared data.
    pub fn plan_context(&self) -> PlanContext<'_> {
        PlanContext::with_units(
            &self.inventory,
            &self.analysis,
            &self.rules,
            &self.catalog,
            self.today,
            Arc::clone(&self.units),
        )
    }
}

fn coverage(
    inv: &Inventory,
    analysis: &Analysis,
    catalog: &Catalog,
    today: Date,
) -> (Vec<Coverage>, Vec<u32>) {
    let mut cov: Vec<Coverage> = catalog
        .products()
        .iter()
        .map(|p| Coverage {
            product: p.id.clone(),
            name: p.name.clone(),
            ..Coverage::default()
        })
        .collect();
    let index: BTreeMap<&str, usize> = catalog
        .products()
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let mut cache = CompatCache::new(catalog, today);
    let mut summaries: HashMap<usize, (Vec<(usize, Support)>, bool)> = HashMap::new();
    let mut uncovered = Vec::new();
    for (i, asset) in inv.assets().iter().enumerate() {
        if analysis.reliance_of(i) != Reliance::Direct {
            continue;
        }
        let mut roles: Vec<&str> = analysis.findings[i]
            .iter()
            .map(|f| f.role.as_str())
            .collect();
        roles.sort_unstable();
        roles.dedup();
        let needs = crate::catalog::needs_for(asset, &roles);
        let verdicts = cache.candidates(asset, &needs);
        // The cache hands out one list per distinct (OS, needs): summarise each list once.
        let key = Arc::as_ptr(&verdicts) as *const Verdict as usize;
        let (counted, usable) = summaries
            .entry(key)
            .or_insert_with(|| summarise(&verdicts, &index, catalog));
        for &(k, support) in counted.iter() {
            match support {
                Support::Yes => cov[k].yes += 1,
                Support::Limited => cov[k].limited += 1,
                Support::Unverified => cov[k].unverified += 1,
                Support::No => cov[k].no += 1,
            }
        }
        let usable = *usable;
        if !usable {
            uncovered.push(i as u32);
        }
    }
    (cov, uncovered)
}

/// The catalogue positions and support of a ranked candidate list, and whether any candidate
/// is a usable host agent (a network sensor or an allowlisting tool is no replacement).
fn summarise(
    verdicts: &[Verdict],
    index: &BTreeMap<&str, usize>,
    catalog: &Catalog,
) -> (Vec<(usize, Support)>, bool) {
    let counted = verdicts
        .iter()
        .filter_map(|v| index.get(v.product.as_str()).map(|&k| (k, v.support)))
        .collect();
    let usable = verdicts.iter().any(|v| {
        let agent = catalog
            .product(&v.product)
            .is_some_and(|p| p.kind == crate::catalog::ProductType::Agent);
        agent && v.support.is_usable()
    });
    (counted, usable)
}

fn stats(inv: &Inventory, analysis: &Analysis) -> Stats {
    let mut by_role: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_family: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_site: BTreeMap<String, u64> = BTreeMap::new();
    for (i, a) in inv.assets().iter().enumerate() {
        if analysis.reliance_of(i) != Reliance::Direct {
            continue;
        }
        let mut roles: Vec<&str> = analysis.findings[i]
            .iter()
            .map(|f| f.role.as_str())
            .collect();
        roles.sort_unstable();
        roles.dedup();
        for r in roles {
            *by_role.entry(r.to_string()).or_insert(0) += 1;
        }
        *by_family
            .entry(a.os.family.as_str().to_string())
            .or_insert(0) += 1;
        *by_site
            .entry(
                a.site()
                    .map(|t| t.as_str())
                    .unwrap_or("(no site)")
                    .to_string(),
            )
            .or_insert(0) += 1;
    }
    let sorted = |m: BTreeMap<String, u64>| {
        let mut v: Vec<(String, u64)> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    };
    Stats {
        totals: analysis.totals(),
        top_providers: analysis.top_providers(TOP_PROVIDERS),
        by_role: sorted(by_role),
        by_family: sorted(by_family),
        by_site: sorted(by_site),
    }
}

/// The plan as columns per inventory position, rebuilt on every plan change, shared with the
/// table worker.
#[derive(Debug, Default)]
pub struct PlanColumns {
    /// Wave position per asset (u16::MAX: not planned).
    pub wave: Vec<u16>,
    /// Wave ids by position.
    pub wave_ids: Vec<String>,
    /// Status position (in `Status::VARIANTS`) per asset (u8::MAX: not planned).
    pub status: Vec<u8>,
    /// Product index per asset (0: none).
    pub product: Vec<u32>,
    /// Product ids by index ("" first).
    pub products: Vec<String>,
    /// The plan version these columns show.
    pub version: u64,
}

/// The workspace: shared data plus the editable plan.
#[derive(Debug)]
pub struct Data {
    /// Immutable, shared with workers.
    pub shared: Arc<Shared>,
    /// The plan, when one is open or generated; shared with the workers that validate and
    /// save it, and copied only when an edit finds it still shared.
    pub plan: Option<Arc<Plan>>,
    /// Where the plan is saved (None until the first save).
    pub plan_path: Option<PathBuf>,
    /// Content hash of the plan file when it was loaded or last saved (detects foreign changes).
    pub disk_hash: Option<String>,
    /// The plan as its file held it when loaded or last saved here: the base from which
    /// someone else's save is merged in (see `tui::disk_merge`).
    pub on_disk: Option<Arc<Plan>>,
    /// Plan asset index per inventory position (u32::MAX: not planned).
    pub plan_index: Vec<u32>,
    /// Inventory position per plan asset (u32::MAX: not in the inventory), kept between
    /// re-indexings: most edits leave the plan's assets where they are.
    pub plan_rows: Vec<u32>,
    /// Validation problems of the current plan.
    pub problems: Vec<Problem>,
    /// Inventory positions per wave (plan order), sorted by id.
    pub wave_members: Vec<Vec<u32>>,
    /// Assets done per wave.
    pub wave_done: Vec<usize>,
    /// The plan's status, burn-down and forecast (None without a plan).
    pub summary: Option<PlanSummary>,
    /// Bumped on every plan change.
    pub version: u64,
    /// Plan columns for the assets table.
    pub columns: Arc<PlanColumns>,
    /// The copy of the plan validations read.
    pub(super) validation: super::validation_copy::ValidationCopy,
}

impl Data {
    /// Violations and warnings of the last validation: the one count every screen and
    /// message shows.
    pub fn problem_counts(&self) -> (usize, usize) {
        let violations = self
            .problems
            .iter()
            .filter(|p| p.severity == crate::plan::validate::Severity::Violation)
            .count();
        (violations, self.problems.len() - violations)
    }

    /// Wraps shared data and an optional plan.
    pub fn new(
        shared: Arc<Shared>,
        plan: Option<Plan>,
        plan_path: Option<PathBuf>,
        disk_hash: Option<String>,
    ) -> Data {
        let plan = plan.map(Arc::new);
        let mut d = Data {
            shared,
            on_disk: plan.clone().filter(|_| plan_path.is_some()),
            plan,
            plan_path,
            disk_hash,
            plan_index: Vec::new(),
            plan_rows: Vec::new(),
            problems: Vec::new(),
            wave_members: Vec::new(),
            wave_done: Vec::new(),
            summary: None,
            version: 0,
            columns: Arc::new(PlanColumns::default()),
            validation: Default::default(),
        };
        d.reindex();
        d
    }

    /// Rebuilds the inventory → plan index, the wave membership and the summary (after any
    /// plan change).
    pub fn reindex(&mut self) {
        self.summary = None;
        self.reindex_keeping_summary();
    }

    /// [`Data::reindex`], keeping the [`PlanSummary`] (when there is one) until the validation
    /// that follows every edit brings the new one: made off the UI thread, as on a large estate
    /// it costs more than the rest of the re-indexing.
    pub fn reindex_keeping_summary(&mut self) {
        let n = self.shared.inventory.len();
        self.plan_index = vec![u32::MAX; n];
        self.version += 1;
        self.wave_members.clear();
        self.wave_done.clear();
        let mut columns = PlanColumns {
            wave: vec![u16::MAX; n],
            status: vec![u8::MAX; n],
            product: vec![0; n],
            products: vec![String::new()],
            version: self.version,
            ..PlanColumns::default()
        };
        let Some(plan) = &self.plan else {
            self.columns = Arc::new(columns);
            self.summary = None;
            return;
        };
        if self.summary.is_none() {
            self.summary = Some(PlanSummary::of(plan, self.shared.today));
        }
        columns.wave_ids = plan.waves.iter().map(|w| w.id.clone()).collect();
        let mut product_pos: HashMap<&str, u32, foldhash::fast::RandomState> = HashMap::default();
        self.wave_members = vec![Vec::new(); plan.waves.len()];
        self.wave_done = vec![0; plan.waves.len()];
        // Wave references are compared case-insensitively, like `Plan::wave_index`; the exact
        // id is tried first, as it almost always matches.
        let wave_exact: HashMap<&str, usize, foldhash::fast::RandomState> = plan
            .waves
            .iter()
            .enumerate()
            .map(|(i, w)| (w.id.as_str(), i))
            .collect();
        let wave_pos: std::collections::HashMap<String, usize> = plan
            .waves
            .iter()
            .enumerate()
            .map(|(i, w)| (w.id.to_ascii_lowercase(), i))
            .collect();
        let wave_of = |id: &str| {
            wave_exact
                .get(id)
                .or_else(|| wave_pos.get(&id.to_ascii_lowercase()))
                .copied()
        };
        // Done as `status` counts it: not while an alert says it is unverified or unprotected.
        let done = plan.done_mask();
        let rows = plan_rows(
            &self.shared.inventory,
            plan,
            std::mem::take(&mut self.plan_rows),
        );
        // Plan assets are sorted by id, so each wave's members come out sorted too.
        for (k, a) in plan.assets.iter().enumerate() {
            let i = rows[k] as usize;
            if rows[k] == u32::MAX {
                continue;
            }
            self.plan_index[i] = k as u32;
            // `Status::VARIANTS` lists the statuses in declaration order.
            columns.status[i] = a.status as u8;
            if let Some(p) = &a.product {
                let next = columns.products.len() as u32;
                let idx = *product_pos.entry(p.as_str()).or_insert(next);
                if idx == next {
                    columns.products.push(p.clone());
                }
                columns.product[i] = idx;
            }
            match wave_of(&a.wave) {
                Some(w) => {
                    columns.wave[i] = w as u16;
                    self.wave_members[w].push(i as u32);
                    if done[k] {
                        self.wave_done[w] += 1;
                    }
                }
                None => columns.wave[i] = u16::MAX - 1,
            }
        }
        self.columns = Arc::new(columns);
        self.plan_rows = rows;
    }

    /// The plan, to change in place: copied first if a worker (validation, save) still reads
    /// the version it was given. The validations' copy, which cannot follow such a change,
    /// is made again.
    pub fn plan_mut(&mut self) -> Option<&mut Plan> {
        self.validation.forget();
        self.plan.as_mut().map(Arc::make_mut)
    }

    /// The plan entry of inventory asset `i`.
    pub fn planned(&self, i: usize) -> Option<&crate::plan::PlannedAsset> {
        let k = *self.plan_index.get(i)?;
        if k == u32::MAX {
            return None;
        }
        self.plan.as_ref().map(|p| &p.assets[k as usize])
    }
}

/// The inventory position of each plan asset (u32::MAX: not in the inventory). `known` is an
/// earlier answer: an entry whose asset still has the plan asset's exact id is kept, any other
/// is resolved again, so the result is always what resolving every id would give.
pub fn plan_rows(inventory: &Inventory, plan: &Plan, known: Vec<u32>) -> Vec<u32> {
    let assets = inventory.assets();
    let resolve = |id: &str| inventory.resolve(id).map_or(u32::MAX, |i| i as u32);
    if known.len() != plan.assets.len() {
        return plan.assets.iter().map(|a| resolve(&a.id)).collect();
    }
    let mut rows = known;
    for (row, a) in rows.iter_mut().zip(&plan.assets) {
        let kept = assets
            .get(*row as usize)
            .is_some_and(|asset| asset.id == a.id);
        if !kept {
            *row = resolve(&a.id);
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Asset;

    #[test]
    fn plan_rows_keep_what_still_matches_and_resolve_the_rest() {
        let inv = Inventory::from_assets(["a", "b", "c"].map(Asset::new));
        let mut plan = Plan::empty(
            "",
            crate::plan::Settings::new(Date::from_ymd(2026, 12, 7).unwrap()),
            Vec::new(),
        );
        plan.assets = ["A", "b", "gone"]
            .map(|id| crate::plan::PlannedAsset::new(id, "w1"))
            .to_vec();
        let rows = plan_rows(&inv, &plan, Vec::new());
        assert_eq!(rows, [0, 1, u32::MAX]);
        // A stale answer (as after plan assets changed places) is corrected entry by entry.
        assert_eq!(plan_rows(&inv, &plan, vec![2, 2, 2]), [0, 1, u32::MAX]);
        plan.assets[2].id = "c".into();
        assert_eq!(plan_rows(&inv, &plan, rows), [0, 1, 2]);
        plan.assets.pop();
        assert_eq!(plan_rows(&inv, &plan, vec![0, 1, 2]), [0, 1]);
    }
}
