//! `avmigrate analyze … --explain ID`: one asset with the file and line behind each fact.

use super::{EXIT_OK, Failure, OutputFormat, emit};
use crate::analysis::Analysis;
use crate::inventory::provenance::Provenance;
use crate::inventory::{self, ImportOptions};
use crate::model::Named;
use crate::model::Origin;
use serde_json::json;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

pub(super) fn run(
    files: &[PathBuf],
    rules: Option<&Path>,
    id: &str,
    format: OutputFormat,
    opts: &ImportOptions,
    out: &mut dyn Write,
) -> Result<i32, Failure> {
    let rules = super::analyze::load_rules(rules)?;
    let loaded = inventory::load_paths(files, opts)?;
    let inv = &loaded.inventory;
    let Some(i) = inv.resolve(id) else {
        return Err(Failure::bad_input(format!(
            "--explain {id}: no such asset in the inventory ({} assets)",
            inv.len()
        )));
    };
    let analysis = Analysis::run(inv, &rules);
    let asset = &inv.assets()[i];
    let empty = Provenance::default();
    let prov = loaded
        .provenance
        .as_ref()
        .and_then(|p| p.get(i))
        .unwrap_or(&empty);
    let at = |o: Option<&Origin>| o.map_or_else(|| "-".to_string(), |o| o.to_string());
    let fields: Vec<(&str, String)> = vec![
        (
            "name",
            asset.name.as_deref().unwrap_or_default().to_string(),
        ),
        ("kind", asset.kind.to_string()),
        ("os", asset.os.raw.to_string()),
        ("site", asset.site().cloned().unwrap_or_default().into()),
        ("owner", asset.owner().cloned().unwrap_or_default().into()),
        ("criticality", asset.criticality.to_string()),
        (
            "tags",
            asset
                .tags()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ];
    let findings = &analysis.findings[i];
    let software: Vec<(String, String, Option<String>)> = asset
        .software
        .iter()
        .enumerate()
        .map(|(k, sw)| {
            let text = sw.describe();
            let origin = prov.software.get(k).cloned().flatten().or(asset.origin);
            let hit = findings.iter().find(|f| f.software as usize == k).map(|f| {
                let r = &rules.rules()[usize::from(f.rule)];
                format!("rule {} ({}): {}", r.id, f.role.as_str(), f.reason)
            });
            (text, at(origin.as_ref()), hit)
        })
        .collect();
    let why: Vec<&str> = analysis
        .why_path(i)
        .into_iter()
        .map(|j| inv.assets()[j].id.as_str())
        .collect();
    let text = match format {
        OutputFormat::Json => {
            let facts: Vec<_> = prov
                .facts
                .iter()
                .map(|f| json!({"field": f.field, "at": at(f.origin.as_ref()), "rejected": f.rejected}))
                .collect();
            let body = json!({
                "id": asset.id,
                "reliance": analysis.reliance_of(i).as_str(),
                "why": why,
                "origin": at(asset.origin.as_ref()),
                "fields": fields.iter().map(|(k, v)| json!({"field": k, "value": v, "at": at(prov.origin_of(k))})).collect::<Vec<_>>(),
                "facts": facts,
                "software": software.iter().map(|(t, o, h)| json!({"software": t, "at": o, "flagged": h})).collect::<Vec<_>>(),
                "depends_on": asset.depends_on.iter().map(|r| json!({"id": r.target, "kind": r.kind.as_str(), "at": at(r.origin.as_ref())})).collect::<Vec<_>>(),
            });
            format!(
                "{}\n",
                serde_json::to_string_pretty(&body).unwrap_or_default()
            )
        }
        OutputFormat::Text => {
            let mut s = String::new();
            let _ = writeln!(
                s,
                "asset {} (first read at {})",
                asset.id,
                at(asset.origin.as_ref())
            );
            let _ = writeln!(s, "  reliance     {}", analysis.reliance_of(i).as_str());
            if !why.is_empty() {
                let _ = writeln!(s, "  why          {} → {}", asset.id, why.join(" → "));
            }
            for (field, value) in &fields {
                let origin = prov.origin_of(field);
                let source = match origin {
                    Some(o) => o.to_string(),
                    None if value.is_empty() => "-".into(),
                    None => "default / inferred".into(),
                };
                let _ = writeln!(s, "  {field:<12} {value:<44} ← {source}");
                for f in prov
                    .facts
                    .iter()
                    .filter(|f| f.field == *field && f.rejected.is_some())
                {
                    let _ = writeln!(
                        s,
                        "  {:<12} (also \"{}\" ← {}, not used)",
                        "",
                        f.rejected.as_deref().unwrap_or(""),
                        at(f.origin.as_ref())
                    );
                }
            }
            let _ = writeln!(s, "software ({})", software.len());
            for (t, o, hit) in &software {
                let mark = if hit.is_some() { "✗" } else { " " };
                let _ = writeln!(s, "  {mark} {t:<56} ← {o}");
                if let Some(h) = hit {
                    let _ = writeln!(s, "      {h}");
                }
            }
            let _ = writeln!(s, "depends on ({})", asset.depends_on.len());
            for r in &asset.depends_on {
                let _ = writeln!(
                    s,
                    "  {:<13} {:<30} ← {}",
                    r.kind.as_str(),
                    r.target,
                    at(r.origin.as_ref())
                );
            }
            s
        }
    };
    emit(out, &text)?;
    Ok(EXIT_OK)
}
