//! `plan`, `replan`, `validate` and `set`: making, checking and changing plans.

use super::plan_summary::summary;
use super::{EXIT_OK, EXIT_PROBLEMS, Failure, OutputFormat, emit};
use crate::catalog::Catalog;
use crate::model::Date;
use crate::model::Named;
use crate::plan::calendar::OffDays;
use crate::plan::context::PlanContext;
use crate::plan::job::{Job, Phase};
use crate::plan::schedule::{Scheduled, generate_with, replan_with};
use crate::plan::validate::{Problem, Severity, has_violations, validate};
use crate::plan::workspace::{
    Workspace, import_options, import_settings, plan_dir, read_inventory, save_plan,
};
use crate::plan::{
    Edit, EditContext, MAX_WAVE_DAYS, Plan, Settings, Status, apply, default_wave_size,
};
use crate::rules::RuleSet;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use strum::VariantArray;

/// Built-in catalogue plus the user's (config dir) plus `--catalog`.
pub(crate) fn load_catalog(extra: Option<&Path>) -> Result<Catalog, Failure> {
    let mut catalog = Catalog::builtin().with_user_config(&crate::env::Env::from_process())?;
    if let Some(p) = extra {
        catalog = catalog.combine(Catalog::load(p)?);
    }
    Ok(catalog)
}

pub(super) fn plan(args: super::PlanArgs, out: &mut dyn Write) -> Result<i32, Failure> {
    if args.wave_size == Some(0) {
        return Err(Failure::bad_input("--wave-size must be at least 1"));
    }
    if !(1..=MAX_WAVE_DAYS).contains(&args.wave_days) {
        return Err(Failure::bad_input(format!(
            "--wave-days {}: a wave lasts 1 to {MAX_WAVE_DAYS} working days",
            args.wave_days
        )));
    }
    let inputs = args
        .files
        .iter()
        .chain(&args.input.mapping)
        .chain(&args.extra.rules);
    super::refuse_overwrite(
        &args.output,
        inputs.chain(&args.extra.catalog).map(PathBuf::as_path),
    )?;
    let _lock = super::lock_plan(&args.output)?;
    let rules = super::analyze::load_rules(args.extra.rules.as_deref())?;
    let catalog = load_catalog(args.extra.catalog.as_deref())?;
    for p in &args.prefer {
        if catalog.product(p).is_none() {
            return Err(Failure::bad_input(format!(
                "--prefer {p}: no such product in the catalogue"
            )));
        }
    }
    let today = Date::today();
    let blackouts: Vec<_> = args
        .blackout
        .iter()
        .chain(&args.yearly_blackout)
        .cloned()
        .collect();
    let off = OffDays::new(blackouts.clone(), args.holidays, today);
    let start = match args.start {
        Some(start) => start,
        None => off.next_working_day(today.add_days(1)),
    };
    let mut settings = Settings::new(start);
    settings.holidays = args.holidays;
    settings.strategy = args.strategy.into();
    settings.wave_days = args.wave_days;
    settings.ramp = !args.no_ramp;
    settings.deadline = args.deadline;
    settings.blackouts = blackouts;
    settings.blackouts.sort_by_key(|b| (b.from, b.to));
    settings.site_capacity = args.site_capacity.iter().cloned().collect();
    settings.preference = args.prefer.clone();
    let base = plan_dir(&args.output);
    let opts = args.input.options()?;
    let job = Job::new();
    let ticker = super::ticker::Ticker::start(&job, "planning".into());
    let _ = job.begin(Phase::Reading, 0);
    let files = read_inventory(&args.files, &base, &opts)?;
    let _ = job.begin(Phase::Analysing, 0);
    let analysis = crate::analysis::Analysis::run(&files.loaded.inventory, &rules);
    settings.wave_size = args
        .wave_size
        .unwrap_or_else(|| default_wave_size(analysis.totals().direct));
    let _ = job.begin(Phase::Units, 0);
    let ctx = PlanContext::new(&files.loaded.inventory, &analysis, &rules, &catalog, today);
    let name = args
        .name
        .clone()
        .unwrap_or_else(|| default_name(&args.files));
    // Nothing cancels this job: the command is stopped by its signal.
    let mut scheduled = generate_with(&ctx, settings, name, files.refs, &job)
        .map_err(|e| Failure::bad_input(e.to_string()))?;
    scheduled.plan.import = import_settings(&opts, args.input.mapping.as_deref(), &base);
    with_input_warnings(&mut scheduled, &files.loaded, &analysis);
    let problems = save_and_validate(&args.output, &scheduled, &ctx, &job)?;
    drop(ticker);
    emit(out, &summary(&scheduled, &ctx, &problems, &args.output))?;
    drop(ctx);
    super::dispose((files.loaded, analysis, scheduled));
    Ok(EXIT_OK)
}

/// Saves a new plan and checks it, telling `job` which of the two runs.
fn save_and_validate(
    path: &Path,
    scheduled: &Scheduled,
    ctx: &PlanContext,
    job: &Job,
) -> Result<Vec<Problem>, Failure> {
    let _ = job.begin(Phase::Saving, 0);
    save_plan(path, &scheduled.plan)?;
    let _ = job.begin(Phase::Validating, 0);
    let problems = validate(&scheduled.plan, ctx, &[]);
    job.finish();
    Ok(problems)
}

/// Puts the inventory's import and reference warnings first: a skipped row is an asset the
/// plan cannot contain, so the summary must say so.
fn with_input_warnings(
    scheduled: &mut Scheduled,
    loaded: &crate::inventory::Loaded,
    analysis: &crate::analysis::Analysis,
) {
    let input = loaded.warnings.iter().chain(&analysis.warnings);
    let input: Vec<String> = input.map(|w| w.to_string()).collect();
    scheduled.warnings.splice(0..0, input);
}

fn default_name(files: &[PathBuf]) -> String {
    let demo = Path::new(crate::plan::workspace::DEMO_LABEL);
    let stem = files
        .first()
        .map(|f| match crate::plan::workspace::is_builtin(f) {
            true => demo,
            false => f.as_path(),
        })
        .and_then(|f| f.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "inventory".into());
    format!("Replacement plan for {stem}")
}

/// Opens a plan with its inventory, rules and catalogue.
pub(crate) fn open(
    plan: &Path,
    rules: Option<&Path>,
    catalog: Option<&Path>,
) -> Result<Workspace, Failure> {
    let rules: RuleSet = super::analyze::load_rules(rules)?;
    let catalog = load_catalog(catalog)?;
    Ok(Workspace::open(plan, rules, catalog)?)
}

pub(super) fn replan_cmd(
    path: &Path,
    rules: Option<&Path>,
    catalog: Option<&Path>,
    out: &mut dyn Write,
) -> Result<i32, Failure> {
    let _lock = super::lock_plan(path)?;
    let ws = open(path, rules, catalog)?;
    let today = Date::today();
    let ctx = PlanContext::new(
        &ws.loaded.inventory,
        &ws.analysis,
        &ws.rules,
        &ws.catalog,
        today,
    );
    let mut previous: Plan = ws.plan;
    if !ws.changed.is_empty() {
        // The plan is now made from the current inventory content.
        let base = plan_dir(path);
        let paths = crate::plan::workspace::inventory_paths(&previous, &base);
        let opts = import_options(&previous.import, &base)?;
        previous.inventory = read_inventory(&paths, &base, &opts)?.refs;
    }
    let job = Job::new();
    let ticker = super::ticker::Ticker::start(&job, "replanning".into());
    let mut scheduled =
        replan_with(&ctx, &previous, &job).map_err(|e| Failure::bad_input(e.to_string()))?;
    drop(previous);
    with_input_warnings(&mut scheduled, &ws.loaded, &ws.analysis);
    let problems = save_and_validate(path, &scheduled, &ctx, &job)?;
    drop(ticker);
    emit(out, &summary(&scheduled, &ctx, &problems, path))?;
    Ok(EXIT_OK)
}

pub(super) fn validate_cmd(
    path: &Path,
    rules: Option<&Path>,
    catalog: Option<&Path>,
    format: OutputFormat,
    out: &mut dyn Write,
) -> Result<i32, Failure> {
    let ws = open(path, rules, catalog)?;
    let ctx = PlanContext::new(
        &ws.loaded.inventory,
        &ws.analysis,
        &ws.rules,
        &ws.catalog,
        Date::today(),
    );
    let problems = validate(&ws.plan, &ctx, &ws.changed);
    let violations = problems
        .iter()
        .filter(|p| p.severity == Severity::Violation)
        .count();
    let text = match format {
        OutputFormat::Json => {
            let body = serde_json::json!({
                "plan": path.display().to_string(),
                "valid": violations == 0,
                "violations": violations,
                "warnings": problems.len() - violations,
                "problems": problems,
            });
            format!(
                "{}\n",
                serde_json::to_string_pretty(&body).unwrap_or_default()
            )
        }
        OutputFormat::Text => {
            let mut t = String::new();
            for p in &problems {
                let sev = match p.severity {
                    Severity::Violation => "violation",
                    Severity::Warning => "warning",
                };
                let _ = writeln!(t, "{sev} [{}] {}", p.code, p.message);
            }
            let _ = writeln!(
                t,
                "{}: {violations} violation(s), {} warning(s)",
                path.display(),
                problems.len() - violations
            );
            t
        }
    };
    emit(out, &text)?;
    Ok(if has_violations(&problems) {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    })
}

pub(super) fn set_cmd(args: super::SetArgs, out: &mut dyn Write) -> Result<i32, Failure> {
    let actions = [
        args.wave.is_some(),
        args.product.is_some(),
        args.pin,
        args.unpin,
        args.status.is_some(),
        args.decide.is_some(),
        // --cover own-agent takes the agent from --product.
        args.cover.is_some() && args.product.is_none(),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    if actions > 1 {
        return Err(Failure::bad_input(
            "give one of --wave, --product, --pin, --unpin, --status, --decide, --cover",
        ));
    }
    if actions == 0 && args.note.is_none() {
        return Err(Failure::bad_input(
            "nothing to change: give --wave, --product, --pin, --unpin, --status, --decide, \
             --cover or --note",
        ));
    }
    let _lock = super::lock_plan(&args.plan)?;
    let mut plan = crate::plan::file::load(&args.plan)?;
    if let Some(p) = &args.product {
        let catalog = load_catalog(args.catalog.as_deref())?;
        if catalog.product(p).is_none() {
            return Err(Failure::bad_input(format!(
                "--product {p}: no such product in the catalogue"
            )));
        }
    }
    let status = args
        .status
        .as_deref()
        .map(|s| {
            Status::from_name(s).ok_or_else(|| {
                let names: Vec<&str> = Status::VARIANTS.iter().map(|s| s.as_str()).collect();
                Failure::bad_input(format!(
                    "--status {s}: expected one of {}",
                    names.join(", ")
                ))
            })
        })
        .transpose()?;
    let review = args.review;
    let decision = args
        .decide
        .as_deref()
        .map(|o| decision_from_args(o, &args, review))
        .transpose()?;
    // A product set by hand may settle (or raise) the need for a decision: that takes the
    // inventory; without it the flag stays as it is.
    let workspace = match (&args.product, &args.cover) {
        (Some(_), None) => open(&args.plan, None, args.catalog.as_deref()).ok(),
        _ => None,
    };
    let context = workspace.as_ref().map(|ws| {
        crate::plan::context::PlanContext::new(
            &ws.loaded.inventory,
            &ws.analysis,
            &ws.rules,
            &ws.catalog,
            Date::today(),
        )
    });
    let mut edits = Vec::new();
    for id in &args.ids {
        let asset = id.clone();
        if let Some(w) = &args.wave {
            edits.push(Edit::Move {
                asset: asset.clone(),
                wave: w.clone(),
            });
        }
        if let Some(by) = &args.cover {
            edits.extend(coverage_edits(&plan, &asset, by, args.product.as_deref())?);
        } else if let Some(p) = &args.product {
            let needs_decision = context.as_ref().and_then(|ctx| {
                let pa = plan.asset(&asset)?;
                crate::plan::products::decision_need(ctx, pa, Some(p))
            });
            edits.push(Edit::SetProduct {
                asset: asset.clone(),
                product: Some(p.clone()),
                needs_decision,
            });
        }
        if args.pin || args.unpin {
            edits.push(Edit::Pin {
                asset: asset.clone(),
                pinned: args.pin,
            });
        }
        if let Some(s) = status {
            edits.push(Edit::SetStatus {
                asset: asset.clone(),
                status: s,
                reason: args.reason.clone(),
                approver: args.approver.clone(),
                review,
            });
        }
        if let Some(d) = &decision {
            edits.push(Edit::Decide {
                asset: asset.clone(),
                decision: Some(d.clone()),
            });
        }
        if let Some(n) = &args.note {
            edits.push(Edit::SetNote {
                asset,
                note: Some(n.clone()),
            });
        }
    }
    let mut ctx = EditContext::user(args.by.as_deref());
    ctx.note = args.note.clone();
    apply(&mut plan, &Edit::Batch(edits), &ctx)
        .map_err(|e| Failure::bad_input(format!("{}: {e}", args.plan.display())))?;
    save_plan(&args.plan, &plan)?;
    emit(
        out,
        &format!(
            "{}: updated {} asset(s)\n",
            args.plan.display(),
            args.ids.len()
        ),
    )?;
    Ok(EXIT_OK)
}

/// The edits of `set ID --cover BY [--product P]`: the coverage (same provider and function)
/// and the product that goes with it: the provider's replacement, the own agent, or none.
fn coverage_edits(
    plan: &crate::plan::Plan,
    id: &str,
    by: &str,
    product: Option<&str>,
) -> Result<Vec<Edit>, Failure> {
    use crate::plan::{Coverage, CoveredBy};
    let by = CoveredBy::from_name(by).ok_or_else(|| {
        Failure::bad_input(format!(
            "--cover {by}: expected one of provider, own-agent, decision"
        ))
    })?;
    let Some(a) = plan.asset(id) else {
        return Err(Failure::bad_input(format!(
            "asset \"{id}\" is not in the plan"
        )));
    };
    let Some(c) = &a.coverage else {
        return Err(Failure::bad_input(format!(
            "--cover: {} gets no anti-virus through a provider in this plan (no coverage entry)",
            a.id
        )));
    };
    let product = match (by, product) {
        (CoveredBy::OwnAgent, Some(p)) => Some(p.to_string()),
        (CoveredBy::OwnAgent, None) if c.by == CoveredBy::OwnAgent => a.product.clone(),
        (CoveredBy::OwnAgent, None) => {
            return Err(Failure::bad_input(format!(
                "--cover own-agent: name the agent for {} with --product",
                a.id
            )));
        }
        (_, Some(_)) => {
            return Err(Failure::bad_input(
                "--product goes with --cover own-agent only",
            ));
        }
        (CoveredBy::Provider, None) => plan.asset(&c.via).and_then(|p| p.product.clone()),
        (CoveredBy::Decision, None) => None,
    };
    let mut edits = vec![Edit::SetCoverage {
        asset: a.id.clone(),
        coverage: Some(Coverage { by, ..c.clone() }),
        needs_decision: None,
    }];
    if product != a.product {
        edits.push(Edit::SetProduct {
            asset: a.id.clone(),
            product,
            needs_decision: None,
        });
    }
    Ok(edits)
}

/// The decision `set --decide` records; refused (exit 2) without rationale, approver or review.
fn decision_from_args(
    option: &str,
    args: &super::SetArgs,
    review: Option<crate::model::Date>,
) -> Result<crate::plan::Decision, Failure> {
    use crate::plan::DecisionOption;
    let option = DecisionOption::from_name(option).ok_or_else(|| {
        Failure::bad_input(format!(
            "--decide {option}: expected one of {}",
            DecisionOption::names().replace('|', ", ")
        ))
    })?;
    let mut missing = Vec::new();
    let text = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or("").to_string();
    let (rationale, approver) = (text(&args.reason), text(&args.approver));
    if rationale.is_empty() {
        missing.push("a rationale (--reason)");
    }
    if approver.is_empty() {
        missing.push("an approver (--approver)");
    }
    if review.is_none() {
        missing.push("a review date (--review YYYY-MM-DD)");
    }
    match review {
        Some(review) if missing.is_empty() => Ok(crate::plan::Decision {
            option,
            rationale,
            approver,
            review,
        }),
        _ => Err(Failure::bad_input(format!(
            "--decide {option}: a decision needs {}",
            missing.join(", ")
        ))),
    }
}
