//! `avmigrate export`: runbook, CSV, DOT and JSON exports of a plan, the management report
//! (Markdown or HTML), and the rollout files: target lists, calendars and owner notices.

use super::{EXIT_OK, ExportFormat, Failure, ToolArg, emit};
use crate::model::Timestamp;
use crate::plan::context::PlanContext;
use crate::report::targets::{self, Export, Tool};
use crate::report::{csv_export, dot, html, ics, json, management, md, notices, runbook};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The options of one `export` run.
pub(super) struct ExportArgs<'a> {
    pub plan: &'a Path,
    pub format: ExportFormat,
    pub output: Option<&'a Path>,
    pub tool: Option<ToolArg>,
    pub wave: Option<&'a str>,
    pub rules: Option<&'a Path>,
    pub catalog: Option<&'a Path>,
}

pub(super) fn run(args: ExportArgs, out: &mut dyn Write) -> Result<i32, Failure> {
    let ExportArgs {
        plan,
        format,
        output,
        tool,
        wave,
        ..
    } = args;
    check_flags(format, output, tool, wave)?;
    let ws = super::plan_cmd::open(plan, args.rules, args.catalog)?;
    let base = crate::plan::workspace::plan_dir(plan);
    let mut inputs = crate::plan::workspace::inventory_paths(&ws.plan, &base);
    inputs.push(plan.to_path_buf());
    if let Some(path) = output {
        super::refuse_overwrite(path, inputs.iter().map(PathBuf::as_path))?;
    }
    let now = Timestamp::now();
    let ctx = PlanContext::new(
        &ws.loaded.inventory,
        &ws.analysis,
        &ws.rules,
        &ws.catalog,
        now.date(),
    );
    let files = match format {
        ExportFormat::Targets => {
            let tool = match tool {
                Some(ToolArg::Configmgr) => Tool::ConfigMgr,
                Some(ToolArg::Intune) => Tool::Intune,
                Some(ToolArg::Ansible) => Tool::Ansible,
                Some(ToolArg::Ksc) | None => Tool::Ksc,
            };
            Some(targets::export(&ws.plan, &ctx, tool, wave).map_err(Failure::bad_input)?)
        }
        ExportFormat::Notices => Some(notices::export(&ws.plan, &ctx)),
        ExportFormat::Ics if output.is_some_and(is_directory) => {
            Some(ics::export(&ws.plan, &ctx, now, true))
        }
        _ => None,
    };
    if let (Some(export), Some(dir)) = (files, output) {
        return write_all(&export, dir, &inputs, out);
    }
    let text = match format {
        ExportFormat::Runbook => runbook::to_runbook(&ws.plan, &ctx),
        ExportFormat::Csv => csv_export::to_csv(&ws.plan, &ctx),
        ExportFormat::Dot => dot::to_dot(&ws.plan, &ctx),
        ExportFormat::Json => {
            let mut s = serde_json::to_string_pretty(&json::to_json(&ws.plan, &ctx))
                .map_err(|e| Failure::bad_input(format!("cannot serialise: {e}")))?;
            s.push('\n');
            s
        }
        ExportFormat::Md => md::to_markdown(&management::build(&ws.plan, &ctx, now)),
        ExportFormat::Html => html::to_html(&management::build(&ws.plan, &ctx, now)),
        ExportFormat::Ics => ics::calendar(&ws.plan, &ctx, now),
        // Refused by `check_flags` without `-o`, and written above with it.
        ExportFormat::Targets | ExportFormat::Notices => String::new(),
    };
    match output {
        Some(path) => {
            crate::store::write_atomic(path, text.as_bytes()).map_err(|e| {
                Failure::bad_input(format!("{}: cannot write: {e}", path.display()))
            })?;
            emit(out, &format!("wrote {}\n", path.display()))?;
        }
        None => emit(out, &text)?,
    }
    Ok(EXIT_OK)
}

/// Refuses flag combinations that cannot work, before the plan is read.
fn check_flags(
    format: ExportFormat,
    output: Option<&Path>,
    tool: Option<ToolArg>,
    wave: Option<&str>,
) -> Result<(), Failure> {
    let name = match format {
        ExportFormat::Targets => "targets",
        ExportFormat::Notices => "notices",
        _ => "",
    };
    if !name.is_empty() && output.is_none() {
        return Err(Failure::bad_input(format!(
            "--format {name} writes several files: name a directory with -o DIR"
        )));
    }
    if format == ExportFormat::Targets && tool.is_none() {
        return Err(Failure::bad_input(
            "--format targets needs --tool configmgr, intune, ansible or ksc",
        ));
    }
    if format != ExportFormat::Targets && (tool.is_some() || wave.is_some()) {
        return Err(Failure::bad_input(
            "--tool and --wave apply to --format targets only",
        ));
    }
    Ok(())
}

/// True when `-o PATH` of the calendar names a directory: an existing one, or a path that does
/// not end in `.ics`.
fn is_directory(path: &Path) -> bool {
    path.is_dir()
        || !path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("ics"))
}

/// Creates `dir`, writes every file of the export into it atomically (never over an input),
/// and reports what was written, skipped and needs attention.
fn write_all(
    export: &Export,
    dir: &Path,
    inputs: &[PathBuf],
    out: &mut dyn Write,
) -> Result<i32, Failure> {
    if dir.exists() && !dir.is_dir() {
        return Err(Failure::bad_input(format!(
            "{}: is a file; -o needs a directory for these files",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::bad_input(format!("{}: cannot create: {e}", dir.display())))?;
    let paths: Vec<PathBuf> = export.files.iter().map(|f| dir.join(&f.name)).collect();
    for path in &paths {
        super::refuse_overwrite(path, inputs.iter().map(PathBuf::as_path))?;
    }
    let mut report = String::new();
    for (f, path) in export.files.iter().zip(&paths) {
        crate::store::write_atomic(path, f.contents.as_bytes())
            .map_err(|e| Failure::bad_input(format!("{}: cannot write: {e}", path.display())))?;
        report.push_str(&format!("wrote {}\n", path.display()));
    }
    if !export.skipped.is_empty() {
        report.push_str(&format!("not listed: {}\n", export.skipped.len()));
    }
    for s in &export.skipped {
        report.push_str(&format!(
            "  {} (wave {}): {}\n",
            crate::model::text::clean(&s.asset),
            crate::model::text::clean(&s.wave),
            s.reason
        ));
    }
    for w in &export.warnings {
        report.push_str(&format!("warning: {}\n", crate::model::text::clean(w)));
    }
    emit(out, &report)?;
    Ok(EXIT_OK)
}
