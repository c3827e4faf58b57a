//! `avmigrate export`: runbook, CSV, DOT and JSON exports of a plan, the management report
//! (Markdown or HTML), and the rollout files: target lists, calendars and owner notices.

use super::{EXIT_OK, ExportFormat, Failure, ToolArg, emit};
use crate::model::Timestamp;
use crate::plan::context::PlanContext;
use crate::report::exports::{self, ExportKind};
use crate::report::ics;
use crate::report::targets::{self, Export};
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
    let kind = match (format, tool) {
        (ExportFormat::Runbook, _) => ExportKind::Runbook,
        (ExportFormat::Csv, _) => ExportKind::Csv,
        (ExportFormat::Dot, _) => ExportKind::Dot,
        (ExportFormat::Json, _) => ExportKind::Json,
        (ExportFormat::Md, _) => ExportKind::ReportMd,
        (ExportFormat::Html, _) => ExportKind::ReportHtml,
        (ExportFormat::Ics, _) => ExportKind::Calendar,
        (ExportFormat::Notices, _) => ExportKind::Notices,
        (ExportFormat::Targets, Some(ToolArg::Configmgr)) => ExportKind::ConfigMgr,
        (ExportFormat::Targets, Some(ToolArg::Intune)) => ExportKind::Intune,
        (ExportFormat::Targets, Some(ToolArg::Ansible)) => ExportKind::Ansible,
        (ExportFormat::Targets, Some(ToolArg::Ksc) | None) => ExportKind::Ksc,
    };
    let export = match (kind.tool(), wave) {
        (Some(tool), Some(_)) => targets::export(&ws.plan, &ctx, tool, wave),
        // The calendar is one file unless -o names a directory.
        _ if kind == ExportKind::Calendar && !output.is_some_and(is_directory) => {
            Ok(single(ics::calendar(&ws.plan, &ctx, now)))
        }
        _ => kind.render(&ws.plan, &ctx, now, output.unwrap_or(Path::new("export"))),
    }
    .map_err(Failure::bad_input)?;
    // Only the calendar is one file or a directory, as -o says; the other directory exports
    // always write several files.
    let directory =
        kind.is_directory() && (kind != ExportKind::Calendar || output.is_some_and(is_directory));
    match output {
        Some(path) => {
            let written =
                exports::write(&export, path, directory, &inputs).map_err(Failure::bad_input)?;
            emit(out, &report(&export, &written))?;
        }
        None => {
            let text: String = export.files.iter().map(|f| f.contents.as_str()).collect();
            emit(out, &text)?;
        }
    }
    Ok(EXIT_OK)
}

fn single(text: String) -> Export {
    Export {
        files: vec![crate::report::targets::ExportFile {
            name: "calendar.ics".into(),
            contents: text,
        }],
        ..Export::default()
    }
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

/// What was written, the assets not listed (with why) and what needs attention.
fn report(export: &Export, written: &[PathBuf]) -> String {
    let mut report = String::new();
    for path in written {
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
    report
}
