//! `avmigrate analyze`: the reliance report, as text for people or JSON for scripts.

use super::analyze_json::{self, FileSummary, Provider};
use super::{EXIT_OK, Failure, OutputFormat, emit, write_failure};
use crate::analysis::{Analysis, Reliance};
use crate::error::{KEPT_WARNINGS, warning_total};
use crate::inventory::{self, ImportOptions, Loaded};
use crate::rules::RuleSet;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::plan::workspace::{DEMO_BYTES, DEMO_LABEL};

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
    // Compiling the rules' patterns takes tens of milliseconds: done while the files load.
    let (rules, loaded) = std::thread::scope(|scope| {
        let rules = scope.spawn(|| load_rules(rules));
        let loaded = inventory::load_paths(files, opts);
        let rules = rules
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (rules, loaded)
    });
    let rules = rules?;
    let loaded = loaded?;
    let analysis = Analysis::run(&loaded.inventory, &rules);
    check_strict(&loaded, &analysis, opts.strict)?;
    match format {
        OutputFormat::Json => {
            analyze_json::write(out, &loaded, &analysis, &rules).map_err(write_failure)?
        }
        OutputFormat::Text => emit(out, &Report::build(&loaded, &analysis, &rules).to_text())?,
    }
    super::dispose((loaded, analysis));
    Ok(EXIT_OK)
}

pub(super) fn run_demo(out: &mut dyn Write) -> Result<i32, Failure> {
    let rules = RuleSet::builtin();
    let loaded = inventory::load_sources(
        vec![(DEMO_LABEL.to_string(), DEMO_BYTES.to_vec())],
        &ImportOptions::default(),
    )?;
    let analysis = Analysis::run(&loaded.inventory, &rules);
    emit(out, &Report::build(&loaded, &analysis, &rules).to_text())?;
    Ok(EXIT_OK)
}

/// The text report: counts, the top providers, cycles and the first why-paths.
#[derive(Debug)]
pub struct Report {
    assets: usize,
    direct: usize,
    indirect: usize,
    unaffected: usize,
    why: Vec<String>,
    by_role: BTreeMap<String, usize>,
    by_product: BTreeMap<String, usize>,
    top_providers: Vec<Provider>,
    cycles: Vec<Vec<String>>,
    warnings: Vec<String>,
    /// All warnings, also those counted but not kept.
    warning_total: usize,
    files: Vec<FileSummary>,
}

impl Report {
    /// Collects the report data from an analysis.
    pub fn build(loaded: &Loaded, analysis: &Analysis, rules: &RuleSet) -> Report {
        let assets = loaded.inventory.assets();
        let totals = analysis.totals();
        let mut by_role: BTreeMap<&str, usize> = BTreeMap::new();
        let mut by_product: BTreeMap<&str, usize> = BTreeMap::new();
        let mut why = Vec::new();
        for (i, asset) in assets.iter().enumerate() {
            match analysis.reliance_of(i) {
                Reliance::Direct => {
                    let d = analyze_json::direct_asset(asset, i, analysis, rules);
                    for r in d.roles {
                        *by_role.entry(r).or_insert(0) += 1;
                    }
                    for p in d.products {
                        *by_product.entry(p).or_insert(0) += 1;
                    }
                }
                Reliance::Indirect if why.len() < 10 => {
                    why.extend(analysis.why_text(i, |j| assets[j].id.as_str()));
                }
                _ => {}
            }
        }
        Report {
            assets: totals.assets,
            direct: totals.direct,
            indirect: totals.indirect,
            unaffected: totals.unaffected,
            why,
            by_role: owned_keys(by_role),
            by_product: owned_keys(by_product),
            top_providers: analyze_json::top_providers(assets, analysis),
            cycles: analysis
                .cycles
                .iter()
                .map(|c| c.iter().map(|&i| assets[i].id.to_string()).collect())
                .collect(),
            warnings: loaded
                .warnings
                .iter()
                .chain(&analysis.warnings)
                .map(|w| w.to_string())
                .collect(),
            warning_total: warning_total(&loaded.warnings) + warning_total(&analysis.warnings),
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
                let _ = writeln!(s, "  {:>7}  {:<28} {}", p.label, p.id, p.roles.join(", "));
            }
        }
        let _ = writeln!(s, "\nDependency cycles ({})", self.cycles.len());
        for c in &self.cycles {
            let _ = writeln!(s, "  {} → {}", c.join(" → "), c[0]);
        }
        if !self.why.is_empty() {
            let _ = writeln!(s, "\nWhy indirect (first 10 of {})", self.indirect);
            for line in &self.why {
                let _ = writeln!(s, "  {line}");
            }
        }
        let _ = writeln!(s, "\nWarnings ({})", self.warning_total);
        for w in self.warnings.iter().take(50) {
            let _ = writeln!(s, "  {w}");
        }
        if self.warnings.len() > 50 {
            let _ = writeln!(
                s,
                "  … {} more (--format json lists up to {KEPT_WARNINGS} of each import and analysis)",
                self.warning_total - 50
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

fn owned_keys(counts: BTreeMap<&str, usize>) -> BTreeMap<String, usize> {
    counts
        .into_iter()
        .map(|(k, n)| (k.to_string(), n))
        .collect()
}
