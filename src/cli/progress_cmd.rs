//! `reconcile` and `status`: following the rollout.

use super::{EXIT_OK, EXIT_PROBLEMS, Failure, OutputFormat, emit};
use crate::inventory::{self, ImportOptions};
use crate::model::Named;
use crate::model::{Date, Timestamp};
use crate::plan::workspace::save_plan;
use crate::plan::{ProtectionState, file};
use crate::progress::{apply_to, reconcile, status};
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Options of `avmigrate reconcile`.
pub struct ReconcileArgs {
    pub plan: PathBuf,
    pub scans: Vec<PathBuf>,
    pub dry_run: bool,
    pub format: OutputFormat,
    pub rules: Option<PathBuf>,
    pub catalog: Option<PathBuf>,
    pub opts: ImportOptions,
}

pub(super) fn reconcile_cmd(args: ReconcileArgs, out: &mut dyn Write) -> Result<i32, Failure> {
    let _lock = match args.dry_run {
        true => None,
        false => super::lock_plan(&args.plan)?,
    };
    let mut plan = file::load(&args.plan)?;
    let rules = super::analyze::load_rules(args.rules.as_deref())?;
    let catalog = super::plan_cmd::load_catalog(args.catalog.as_deref())?;
    for scan in &args.scans {
        super::refuse_overwrite(&args.plan, [scan.as_path()])?;
    }
    let base = crate::plan::workspace::plan_dir(&args.plan);
    let opts = crate::progress::scan_options(args.opts.clone(), &plan, &base)?;
    let loaded = inventory::load_paths(&args.scans, &opts)?;
    let label = args
        .scans
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let at = Timestamp::now();
    let r = reconcile(&plan, &loaded.inventory, &label, &rules, &catalog, at);
    if let Some(message) = crate::progress::wrong_scan(&r, loaded.inventory.len()) {
        return Err(Failure {
            code: EXIT_PROBLEMS,
            message,
        });
    }
    if args.scans.len() > 1 {
        // Each file on its own must show some planned asset: a wrong file among right ones
        // would otherwise go unnoticed in the merge.
        for scan in &args.scans {
            let one = inventory::load_paths(std::slice::from_ref(scan), &opts)?;
            if plan
                .assets
                .iter()
                .all(|a| one.inventory.resolve(&a.id).is_none())
            {
                return Err(Failure {
                    code: EXIT_PROBLEMS,
                    message: crate::progress::wrong_scan_message(
                        &scan.display().to_string(),
                        one.inventory.len(),
                        r.planned,
                    ),
                });
            }
        }
    }
    if !args.dry_run {
        apply_to(&mut plan, &r, at);
        save_plan(&args.plan, &plan)?;
    }
    let text = match args.format {
        OutputFormat::Json => {
            let body = serde_json::json!({
                "plan": args.plan.display().to_string(),
                "dry_run": args.dry_run,
                "reconciliation": r,
                "warnings": loaded.warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
            });
            format!(
                "{}\n",
                serde_json::to_string_pretty(&body).unwrap_or_default()
            )
        }
        OutputFormat::Text => summary(&r, &args.plan, args.dry_run, &loaded.warnings),
    };
    emit(out, &text)?;
    Ok(EXIT_OK)
}

fn summary(
    r: &crate::progress::Reconciliation,
    plan: &Path,
    dry_run: bool,
    warnings: &[crate::error::Warning],
) -> String {
    let mut s = String::new();
    let verb = if dry_run { "would change" } else { "changed" };
    let _ = writeln!(
        s,
        "{}: scan {} matched {} of {} planned asset(s); {verb} {} status(es)",
        plan.display(),
        r.scan,
        r.matched,
        r.planned,
        r.changes.len()
    );
    for c in &r.changes {
        let _ = writeln!(s, "  {:<28} {} → {}   {}", c.asset, c.from, c.to, c.note);
    }
    if !r.protection.is_empty() {
        let count = |st: ProtectionState| {
            r.protection
                .iter()
                .filter(|e| e.protection.state == st)
                .count()
        };
        // Still running the flagged product is protection, but not the kind the plan is after.
        let on_flagged = r
            .protection
            .iter()
            .filter(|e| {
                e.protection.state == ProtectionState::Protected && !e.protection.flagged.is_empty()
            })
            .count();
        let _ = writeln!(
            s,
            "protection of the {} asset(s) judged: {} protected by a replacement, {} still on the \
             flagged product, {} unverified, {} unprotected",
            r.protection.len(),
            count(ProtectionState::Protected) - on_flagged,
            on_flagged,
            count(ProtectionState::Unverified),
            count(ProtectionState::Unprotected)
        );
    }
    if !r.alerts.is_empty() {
        let _ = writeln!(s, "alerts ({}):", r.alerts.len());
        for a in &r.alerts {
            let _ = writeln!(s, "  [{}] {}: {}", a.kind.as_str(), a.asset, a.message);
        }
    }
    if !r.not_seen.is_empty() {
        let shown: Vec<&str> = r.not_seen.iter().take(10).map(String::as_str).collect();
        let more = if r.not_seen.len() > 10 {
            format!(" and {} more", r.not_seen.len() - 10)
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "not seen in the scan ({}; no status changed): {}{more}",
            r.not_seen.len(),
            shown.join(", ")
        );
    }
    for w in warnings.iter().take(10) {
        let _ = writeln!(s, "warning: {w}");
    }
    if dry_run {
        let _ = writeln!(s, "dry run: the plan was not changed");
    }
    s
}

pub(super) fn status_cmd(
    path: &Path,
    format: OutputFormat,
    out: &mut dyn Write,
) -> Result<i32, Failure> {
    let plan = file::load(path)?;
    let today = Date::today();
    let report = status(&plan, today);
    let text = match format {
        OutputFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        ),
        OutputFormat::Text => {
            let mut s = String::new();
            let _ = writeln!(
                s,
                "{}: {} assets, {:.1}% done",
                plan.name, report.total, report.percent_done
            );
            for (st, n) in &report.by_status {
                if *n > 0 {
                    let _ = writeln!(s, "  {st:<12} {n:>7}");
                }
            }
            coverage_text(&mut s, &report);
            let _ = writeln!(s, "waves:");
            for w in &report.waves {
                let _ = writeln!(
                    s,
                    "  {:<5} {:<16} {} – {}  {:>5}/{:<5} done{}",
                    w.id,
                    w.name,
                    w.start,
                    w.end,
                    w.done,
                    w.total,
                    if w.blocked > 0 {
                        format!(", {} blocked", w.blocked)
                    } else {
                        String::new()
                    }
                );
            }
            let f = &report.forecast;
            let _ = writeln!(
                s,
                "forecast: {} (planned end {}, deadline {}){}",
                f.date.as_deref().unwrap_or("unknown"),
                f.planned_end.as_deref().unwrap_or("-"),
                f.deadline.as_deref().unwrap_or("none"),
                match f.on_track {
                    Some(true) => ", on track",
                    Some(false) => ", AT RISK",
                    None => "",
                }
            );
            let _ = writeln!(s, "  {}", f.basis);
            if !report.alerts.is_empty() {
                let _ = writeln!(s, "alerts ({}):", report.alerts.len());
                for a in &report.alerts {
                    let _ = writeln!(s, "  [{}] {}: {}", a.kind, a.asset, a.message);
                }
            }
            if !report.blocked.is_empty() {
                let _ = writeln!(s, "blocked ({}):", report.blocked.len());
                for (id, why) in &report.blocked {
                    let _ = writeln!(s, "  {id}: {why}");
                }
            }
            s
        }
    };
    emit(out, &text)?;
    Ok(EXIT_OK)
}

/// The protection figures of `status`: covered, undecided, unverified, unprotected and the
/// assets that migrated to another product than planned.
fn coverage_text(s: &mut String, report: &crate::progress::StatusReport) {
    let c = &report.coverage;
    let _ = writeln!(
        s,
        "protection: {} covered · {} undecided · {} unverified · {} unprotected · {} still \
         protected by the flagged product",
        c.covered, c.undecided, c.unverified, c.unprotected, c.pending
    );
    let _ = writeln!(s, "  {}", c.sentence());
    if !report.not_as_planned.is_empty() {
        let _ = writeln!(
            s,
            "migrated to another product than planned ({}):",
            report.not_as_planned.len()
        );
        for n in &report.not_as_planned {
            let _ = writeln!(
                s,
                "  {}: {}, not the planned {} (scan {}, {})",
                n.asset,
                n.found.join(", "),
                n.planned.as_deref().unwrap_or("product (none planned)"),
                n.scan,
                n.at
            );
        }
    }
}
