//! `avmigrate analyze`: the reliance report, as text for people or JSON for scripts.

use super::{EXIT_OK, Failure, OutputFormat, emit};
use crate::analysis::{Analysis, Reliance};
use crate::inventory::{self, FileReport, ImportOptions, Loaded};
use crate::rules::RuleSet;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The demo inventory shipped inside the binary.
pub(crate) const DEMO_LABEL: &str = "assets/examples/stadtwerke.toml";
pub(crate) const DEMO_BYTES: &[u8] = include_bytes!("../../assets/examples/stadtwerke.toml");

/// Built-in rules, extended or replaced by a user rules file.
pub(crate) fn load_rules(user: Option<&Path>) -> Result<RuleSet, Failure> {
    let builtin = RuleSet::builtin();
    Ok(match user {
        Some(path) => builtin.combine(RuleSet::load(path)?),
        None => builtin,
    })
}

/// Turns import warnings into an error under `--strict`.
pub(crate) fn check_strict(
    loaded: &Loaded,
    analysis: &Analysis,
    strict: bool,
) -> Result<(), Failure> {
    if strict && let Some(w) = loaded.warnings.iter().chain(&analysis.warnings).next() {
        return Err(Failure::bad_input(format!("{w} (--strict)")));
    }
    Ok(())
}

pub(super) fn run(
    files: &[PathBuf],
    rules: Option<&Path>,
    format: OutputFormat,
    opts: &ImportOptions,
    out: &mut dyn Write,
) -> Result<i32, Failure> {
    let rules = load_rules(rules)?;
    let loaded = inventory::load_paths(files, opts)?;
    let analysis = Analysis::run(&loaded.inventory, &rules);
    check_strict(&loaded, &analysis, opts.strict)?;
    emit(out, &render(&loaded, &analysis, &rules, format))?;
    Ok(EXIT_OK)
}

pub(super) fn run_demo(out: &mut dyn Write) -> Result<i32, Failure> {
    let rules = RuleSet::builtin();
    let loaded = inventory::load_sources(
        vec![(DEMO_LABEL.to_string(), DEMO_BYTES.to_vec())],
        &ImportOptions::default(),
    )?;
    let analysis = Analysis::run(&loaded.inventory, &rules);
    emit(out, &render(&loaded, &analysis, &rules, OutputFormat::Text))?;
    Ok(EXIT_OK)
}

fn render(loaded: &Loaded, analysis: &Analysis, rules: &RuleSet, format: OutputFormat) -> String {
    // The text report shows only counts and the first why-paths: skip the per-asset lists.
    let report = Report::build(loaded, analysis, rules, format == OutputFormat::Json);
    match format {
        OutputFormat::Json => {
            let mut s = serde_json::to_string_pretty(&report).unwrap_or_else(|e| {
                // Serialising plain structs of strings and numbers cannot fail; keep a trace anyway.
                format!("{{\"error\": \"{e}\"}}")
            });
            s.push('\n');
            s
        }
        OutputFormat::Text => report.to_text(),
    }
}

/// The analysis in the shape of the JSON contract (docs/analyze-json.md: `assets`, `direct`, `indirect`,
/// `unaffected`, `direct_assets[{id, products}]`, `indirect_assets[{id, via}]`).
#[derive(Debug, Serialize)]
pub struct Report {
    assets: usize,
    direct: usize,
    indirect: usize,
    unaffected: usize,
    direct_assets: Vec<DirectAsset>,
    indirect_assets: Vec<IndirectAsset>,
    by_role: BTreeMap<String, usize>,
    by_product: BTreeMap<String, usize>,
    top_providers: Vec<Provider>,
    cycles: Vec<Vec<String>>,
    warnings: Vec<String>,
    files: Vec<FileSummary>,
}

#[derive(Debug, Serialize)]
struct DirectAsset {
    id: String,
    name: Option<String>,
    products: Vec<String>,
    roles: Vec<String>,
    impact: u32,
    findings: Vec<FindingOut>,
}

#[derive(Debug, Serialize)]
struct FindingOut {
    software: String,
    version: Option<String>,
    rule: String,
    product: String,
    role: String,
    reason: String,
}

#[derive(Debug, Serialize)]
struct IndirectAsset {
    id: String,
    via: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Provider {
    id: String,
    name: Option<String>,
    roles: Vec<String>,
    impact: u32,
}

#[derive(Debug, Serialize)]
struct FileSummary {
    path: String,
    format: String,
    encoding: String,
    separator: Option<String>,
    rows: usize,
    assets: usize,
    software: usize,
    relations: usize,
    skipped: BTreeMap<String, usize>,
    /// Workbooks only: the sheets read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sheets: Vec<SheetSummary>,
}

#[derive(Debug, Serialize)]
struct SheetSummary {
    name: String,
    header_row: u32,
    format: String,
    rows: usize,
}

impl From<&FileReport> for FileSummary {
    fn from(f: &FileReport) -> FileSummary {
        FileSummary {
            path: f.path.clone(),
            format: f.format.to_string(),
            encoding: f.encoding.to_string(),
            separator: f.separator.map(|c| match c {
                '\t' => "tab".to_string(),
                c => c.to_string(),
            }),
            rows: f.rows,
            assets: f.assets,
            software: f.software,
            relations: f.relations,
            skipped: f.skipped.clone(),
            sheets: (f.sheets.iter())
                .map(|s| SheetSummary {
                    name: s.name.clone(),
                    header_row: s.header_row,
                    format: s.format.to_string(),
                    rows: s.rows,
                })
                .collect(),
        }
    }
}

impl Report {
    /// Collects the report data from an analysis.
    pub fn build(loaded: &Loaded, analysis: &Analysis, rules: &RuleSet, detail: bool) -> Report {
        let assets = loaded.inventory.assets();
        let totals = analysis.totals();
        let mut by_role = BTreeMap::new();
        let mut by_product = BTreeMap::new();
        let mut direct_assets = Vec::new();
        let mut indirect_assets = Vec::new();
        for (i, asset) in assets.iter().enumerate() {
            match analysis.reliance_of(i) {
                Reliance::Direct => {
                    let findings: Vec<FindingOut> = analysis.findings[i]
                        .iter()
                        .map(|f| {
                            let rule = &rules.rules()[f.rule];
                            let (software, version) = match asset.software.get(f.software) {
                                Some(sw) => (sw.name.clone(), sw.version.clone()),
                                None => (format!("OS: {}", asset.os.raw), None),
                            };
                            FindingOut {
                                software,
                                version,
                                rule: rule.id.clone(),
                                product: rule.product.clone(),
                                role: f.role.as_str().to_string(),
                                reason: f.reason.clone(),
                            }
                        })
                        .collect();
                    let products = unique(findings.iter().map(|f| f.product.clone()));
                    let roles = unique(findings.iter().map(|f| f.role.clone()));
                    for r in &roles {
                        *by_role.entry(r.clone()).or_insert(0) += 1;
                    }
                    for p in &products {
                        *by_product.entry(p.clone()).or_insert(0) += 1;
                    }
                    if !detail {
                        continue;
                    }
                    direct_assets.push(DirectAsset {
                        id: asset.id.clone(),
                        name: asset.name.clone(),
                        products,
                        roles,
                        impact: analysis.impact[i],
                        findings,
                    });
                }
                Reliance::Indirect if !detail && indirect_assets.len() >= 10 => {}
                Reliance::Indirect => indirect_assets.push(IndirectAsset {
                    id: asset.id.clone(),
                    via: analysis
                        .why_path(i)
                        .into_iter()
                        .map(|j| assets[j].id.clone())
                        .collect(),
                }),
                Reliance::Unaffected => {}
            }
        }
        let roles_of = |i: usize| {
            unique(
                analysis.findings[i]
                    .iter()
                    .map(|f| f.role.as_str().to_string()),
            )
        };
        Report {
            assets: totals.assets,
            direct: totals.direct,
            indirect: totals.indirect,
            unaffected: totals.unaffected,
            direct_assets,
            indirect_assets,
            by_role,
            by_product,
            top_providers: analysis
                .top_providers(10)
                .into_iter()
                .map(|(i, impact)| Provider {
                    id: assets[i].id.clone(),
                    name: assets[i].name.clone(),
                    roles: roles_of(i),
                    impact,
                })
                .collect(),
            cycles: analysis
                .cycles
                .iter()
                .map(|c| c.iter().map(|&i| assets[i].id.clone()).collect())
                .collect(),
            warnings: loaded
                .warnings
                .iter()
                .chain(&analysis.warnings)
                .map(|w| w.to_string())
                .collect(),
            files: loaded.files.iter().map(FileSummary::from).collect(),
        }
    }

    /// The report as text for people.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "avmigrate analysis: {} assets from {} file(s)",
            self.assets,
            self.files.len()
        );
        for f in &self.files {
            let sep = f
                .separator
                .as_deref()
                .map(|c| format!(", separator {c}"))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "  {}: {}, {}{sep}; {} rows, {} assets, {} software entries, {} relations",
                f.path, f.format, f.encoding, f.rows, f.assets, f.software, f.relations
            );
            for sheet in &f.sheets {
                let _ = writeln!(
                    s,
                    "    sheet {} (header row {}): {}, {} rows",
                    crate::model::text::clean(&sheet.name),
                    sheet.header_row,
                    sheet.format,
                    sheet.rows
                );
            }
            for (reason, n) in &f.skipped {
                let _ = writeln!(s, "    skipped {n} row(s): {reason}");
            }
        }
        let pct = |n: usize| {
            if self.assets == 0 {
                0.0
            } else {
                n as f64 * 100.0 / self.assets as f64
            }
        };
        let _ = writeln!(s, "\nReliance");
        let _ = writeln!(
            s,
            "  direct      {:>7}  {:>5.1}%  run a flagged product",
            self.direct,
            pct(self.direct)
        );
        let _ = writeln!(
            s,
            "  indirect    {:>7}  {:>5.1}%  rely on a system that does",
            self.indirect,
            pct(self.indirect)
        );
        let _ = writeln!(
            s,
            "  unaffected  {:>7}  {:>5.1}%",
            self.unaffected,
            pct(self.unaffected)
        );
        section_counts(&mut s, "Direct assets by role", &self.by_role);
        section_counts(&mut s, "Direct assets by product", &self.by_product);
        if !self.top_providers.is_empty() {
            let _ = writeln!(
                s,
                "\nTop providers by impact (assets relying on them, transitively)"
            );
            for p in &self.top_providers {
                let _ = writeln!(s, "  {:>7}  {:<28} {}", p.impact, p.id, p.roles.join(", "));
            }
        }
        let _ = writeln!(s, "\nDependency cycles ({})", self.cycles.len());
        for c in &self.cycles {
            let _ = writeln!(s, "  {} → {}", c.join(" → "), c[0]);
        }
        if !self.indirect_assets.is_empty() {
            let _ = writeln!(s, "\nWhy indirect (first 10 of {})", self.indirect);
            for a in self.indirect_assets.iter().take(10) {
                let _ = writeln!(s, "  {} → {}", a.id, a.via.join(" → "));
            }
        }
        let _ = writeln!(s, "\nWarnings ({})", self.warnings.len());
        for w in self.warnings.iter().take(50) {
            let _ = writeln!(s, "  {w}");
        }
        if self.warnings.len() > 50 {
            let _ = writeln!(
                s,
                "  … {} more (use --format json for all)",
                self.warnings.len() - 50
            );
        }
        s
    }
}

fn section_counts(s: &mut String, title: &str, counts: &BTreeMap<String, usize>) {
    if counts.is_empty() {
        return;
    }
    let _ = writeln!(s, "\n{title}");
    let mut v: Vec<(&String, &usize)> = counts.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (k, n) in v {
        let _ = writeln!(s, "  {n:>7}  {k}");
    }
}

fn unique(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for item in items {
        if !v.contains(&item) {
            v.push(item);
        }
    }
    v
}
