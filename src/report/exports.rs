//! Every export of a plan as one choice: what it is called, where it goes by default, the files
//! it gives (as values, so the app can preview them) and writing them safely. The command line
//! and the app's Export screen both go through here.

use super::targets::{Export, ExportFile, Tool};
use super::{csv_export, dot, html, ics, json, management, md, notices, runbook, targets};
use crate::model::Timestamp;
use crate::plan::Plan;
use crate::plan::context::PlanContext;
use std::path::{Path, PathBuf};

/// One kind of export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::VariantArray)]
pub enum ExportKind {
    /// Markdown checklist per wave for the technicians.
    Runbook,
    /// One row per planned asset.
    Csv,
    /// Graphviz graph with a cluster per wave.
    Dot,
    /// Machine-readable JSON.
    Json,
    /// The management report in Markdown.
    ReportMd,
    /// The management report as one HTML file.
    ReportHtml,
    /// iCalendar: the waves, and calendars per site and per owner.
    Calendar,
    /// A notice per owner (Markdown and plain text).
    Notices,
    /// Configuration Manager collections (PowerShell per wave).
    ConfigMgr,
    /// Entra ID group members (bulk-import CSV per wave).
    Intune,
    /// Ansible inventory (INI and YAML).
    Ansible,
    /// Kaspersky Security Center removal lists (TXT per wave).
    Ksc,
}

impl ExportKind {
    /// What the choice says.
    pub fn label(self) -> &'static str {
        match self {
            ExportKind::Runbook => "Runbook (Markdown checklist per wave)",
            ExportKind::Csv => "CSV: one row per planned asset",
            ExportKind::Dot => "Graphviz DOT: waves and dependencies",
            ExportKind::Json => "JSON: the whole plan, machine-readable",
            ExportKind::ReportMd => "Management report (Markdown)",
            ExportKind::ReportHtml => "Management report (HTML, prints well)",
            ExportKind::Calendar => "Calendars (iCalendar): waves, per site, per owner",
            ExportKind::Notices => "Owner notices (Markdown and text)",
            ExportKind::ConfigMgr => "Configuration Manager collections (PowerShell)",
            ExportKind::Intune => "Intune / Entra ID groups (CSV and Graph PowerShell)",
            ExportKind::Ansible => "Ansible inventory (INI and YAML)",
            ExportKind::Ksc => "Kaspersky Security Center removal lists (TXT)",
        }
    }

    /// The short name used in file and directory names.
    pub fn slug(self) -> &'static str {
        match self {
            ExportKind::Runbook => "runbook",
            ExportKind::Csv => "plan",
            ExportKind::Dot => "graph",
            ExportKind::Json => "plan",
            ExportKind::ReportMd | ExportKind::ReportHtml => "report",
            ExportKind::Calendar => "calendars",
            ExportKind::Notices => "notices",
            ExportKind::ConfigMgr => "configmgr",
            ExportKind::Intune => "intune",
            ExportKind::Ansible => "ansible",
            ExportKind::Ksc => "ksc",
        }
    }

    /// True when the export is several files written into a directory.
    pub fn is_directory(self) -> bool {
        matches!(
            self,
            ExportKind::Calendar
                | ExportKind::Notices
                | ExportKind::ConfigMgr
                | ExportKind::Intune
                | ExportKind::Ansible
                | ExportKind::Ksc
        )
    }

    /// The rollout tool a target list is for.
    pub fn tool(self) -> Option<Tool> {
        match self {
            ExportKind::ConfigMgr => Some(Tool::ConfigMgr),
            ExportKind::Intune => Some(Tool::Intune),
            ExportKind::Ansible => Some(Tool::Ansible),
            ExportKind::Ksc => Some(Tool::Ksc),
            _ => None,
        }
    }

    fn extension(self) -> &'static str {
        match self {
            ExportKind::Runbook | ExportKind::ReportMd => "md",
            ExportKind::Csv => "csv",
            ExportKind::Dot => "dot",
            ExportKind::Json => "json",
            ExportKind::ReportHtml => "html",
            _ => "",
        }
    }

    /// Where it goes unless the user says otherwise: beside the plan, named after it
    /// (`plans/rollout-runbook.md`, `plans/rollout-configmgr/`).
    pub fn default_target(self, plan_path: Option<&Path>) -> PathBuf {
        let (dir, stem) = match plan_path {
            Some(p) => (
                p.parent().map(Path::to_path_buf).unwrap_or_default(),
                p.file_stem()
                    .map_or("plan".into(), |s| s.to_string_lossy().into_owned()),
            ),
            None => (PathBuf::new(), "plan".to_string()),
        };
        let name = match self.extension() {
            "" => format!("{stem}-{}", self.slug()),
            ext => format!("{stem}-{}.{ext}", self.slug()),
        };
        dir.join(name)
    }

    /// The files the export gives. A single-file export names its file after `target`.
    pub fn render(
        self,
        plan: &Plan,
        ctx: &PlanContext,
        now: Timestamp,
        target: &Path,
    ) -> Result<Export, String> {
        let tool = |t: Tool| targets::export(plan, ctx, t, None);
        let text = match self {
            ExportKind::Calendar => return Ok(ics::export(plan, ctx, now, true)),
            ExportKind::Notices => return Ok(notices::export(plan, ctx)),
            ExportKind::ConfigMgr => return tool(Tool::ConfigMgr),
            ExportKind::Intune => return tool(Tool::Intune),
            ExportKind::Ansible => return tool(Tool::Ansible),
            ExportKind::Ksc => return tool(Tool::Ksc),
            ExportKind::Runbook => runbook::to_runbook(plan, ctx),
            ExportKind::Csv => csv_export::to_csv(plan, ctx),
            ExportKind::Dot => dot::to_dot(plan, ctx),
            ExportKind::Json => {
                let mut s = serde_json::to_string_pretty(&json::to_json(plan, ctx))
                    .map_err(|e| format!("cannot serialise: {e}"))?;
                s.push('\n');
                s
            }
            ExportKind::ReportMd => md::to_markdown(&management::build(plan, ctx, now)),
            ExportKind::ReportHtml => html::to_html(&management::build(plan, ctx, now)),
        };
        let name = target
            .file_name()
            .map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
        Ok(Export {
            files: vec![ExportFile {
                name,
                contents: text,
            }],
            ..Export::default()
        })
    }
}

/// Writes the export's files: into the directory `target` (created) for a directory export,
/// else its one file to `target`. Each write is atomic and never over an input. Returns the
/// paths written.
pub fn write(
    export: &Export,
    target: &Path,
    directory: bool,
    inputs: &[PathBuf],
) -> Result<Vec<PathBuf>, String> {
    let paths: Vec<PathBuf> = if directory {
        if target.exists() && !target.is_dir() {
            return Err(format!(
                "{}: is a file; these files need a directory",
                target.display()
            ));
        }
        std::fs::create_dir_all(target)
            .map_err(|e| format!("{}: cannot create: {e}", target.display()))?;
        export.files.iter().map(|f| target.join(&f.name)).collect()
    } else {
        export.files.iter().map(|_| target.to_path_buf()).collect()
    };
    for path in &paths {
        crate::store::refuse_input(path, inputs.iter().map(PathBuf::as_path))?;
    }
    for (f, path) in export.files.iter().zip(&paths) {
        crate::store::write_atomic(path, f.contents.as_bytes())
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_targets_sit_beside_the_plan_named_after_it() {
        let plan = Path::new("plans/rollout.toml");
        assert_eq!(
            ExportKind::Runbook.default_target(Some(plan)),
            Path::new("plans/rollout-runbook.md")
        );
        assert_eq!(
            ExportKind::ConfigMgr.default_target(Some(plan)),
            Path::new("plans/rollout-configmgr")
        );
        assert_eq!(
            ExportKind::ReportHtml.default_target(None),
            Path::new("plan-report.html")
        );
    }

    #[test]
    fn writing_refuses_an_input_and_a_file_where_a_directory_is_needed() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("p.toml");
        std::fs::write(&plan, "x").unwrap();
        let export = Export {
            files: vec![ExportFile {
                name: "a.txt".into(),
                contents: "hello\n".into(),
            }],
            ..Export::default()
        };
        let e = write(&export, &plan, false, std::slice::from_ref(&plan)).unwrap_err();
        assert!(e.contains("is an input"), "{e}");
        assert_eq!(std::fs::read_to_string(&plan).unwrap(), "x");
        let e = write(&export, &plan, true, &[]).unwrap_err();
        assert!(e.contains("is a file"), "{e}");
        let out = dir.path().join("out");
        let written = write(&export, &out, true, std::slice::from_ref(&plan)).unwrap();
        assert_eq!(written, [out.join("a.txt")]);
        assert_eq!(
            std::fs::read_to_string(out.join("a.txt")).unwrap(),
            "hello\n"
        );
    }
}
