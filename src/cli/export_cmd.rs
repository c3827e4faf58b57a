//! `avmigrate export`: runbook, CSV, DOT and JSON exports of a plan, and the management report
//! (Markdown or HTML).

use super::{EXIT_OK, ExportFormat, Failure, emit};
use crate::model::Timestamp;
use crate::plan::context::PlanContext;
use crate::report::{csv_export, dot, html, json, management, md, runbook};
use std::io::Write;
use std::path::{Path, PathBuf};

pub(super) fn run(
    plan: &Path,
    format: ExportFormat,
    output: Option<&Path>,
    rules: Option<&Path>,
    catalog: Option<&Path>,
    out: &mut dyn Write,
) -> Result<i32, Failure> {
    let ws = super::plan_cmd::open(plan, rules, catalog)?;
    if let Some(path) = output {
        let base = crate::plan::workspace::plan_dir(plan);
        let inventory = crate::plan::workspace::inventory_paths(&ws.plan, &base);
        super::refuse_overwrite(path, inventory.iter().map(PathBuf::as_path).chain([plan]))?;
    }
    let now = Timestamp::now();
    let ctx = PlanContext::new(
        &ws.loaded.inventory,
        &ws.analysis,
        &ws.rules,
        &ws.catalog,
        now.date(),
    );
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
