//! The technicians' runbook: a Markdown checklist per wave, each asset with its steps, the
//! notes that matter for it and the sources of the facts they state; within a wave, dependents
//! come before their providers.

use super::{affected_by_wave, md_escape, positions, work_order};
use crate::model::RelationKind;
use crate::plan::context::PlanContext;
use crate::plan::steps::{steps_for, ticks};
use crate::plan::{Alert, DecisionOption, Plan};
use std::collections::HashMap;
use std::fmt::Write as _;

/// The runbook text.
pub fn to_runbook(plan: &Plan, ctx: &PlanContext) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Runbook: {}\n", md_escape(&plan.name));
    let _ = writeln!(
        s,
        "Never leave a machine unprotected: install and verify the successor **before** removing \
         the flagged product (BSI, March 2022). Strategy: {}. {} assets in {} waves.\n",
        plan.settings.strategy.as_str(),
        plan.assets.len(),
        plan.waves.len()
    );
    if let Some(d) = plan.settings.deadline {
        let _ = writeln!(s, "Deadline: {d}.\n");
    }
    let members = work_order(plan, ctx);
    let affected = affected_by_wave(plan, ctx);
    let pos = positions(plan, ctx);
    let done = plan.done_mask();
    let alerts = by_asset(&plan.alerts);
    for w in &plan.waves {
        let list = members.get(w.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        let _ = writeln!(
            s,
            "## {} — {} ({} – {}, {} assets)\n",
            md_escape(&w.id),
            md_escape(&w.name),
            w.start,
            w.end,
            list.len()
        );
        if let Some(aff) = affected.get(w.id.as_str()) {
            let ids: Vec<String> = aff
                .iter()
                .take(30)
                .map(|&i| md_escape(&ctx.inventory.assets()[i].id))
                .collect();
            let more = if aff.len() > 30 {
                format!(" and {} more", aff.len() - 30)
            } else {
                String::new()
            };
            let _ = writeln!(
                s,
                "Also affected (they rely on systems changed in this wave; inform their owners): \
                 {}{more}\n",
                ids.join(", ")
            );
        }
        for &k in list {
            let a = &plan.assets[k];
            let Some(i) = pos[k] else {
                let _ = writeln!(
                    s,
                    "### {}\n\n- [ ] Not in the inventory any more: check the plan.\n",
                    md_escape(&a.id)
                );
                continue;
            };
            let asset = &ctx.inventory.assets()[i];
            let product = match (&a.product, &a.decision) {
                (_, Some(d)) if d.option != DecisionOption::VendorApproval => {
                    format!("decided: {}", d.option)
                }
                (Some(p), _) => {
                    let name = ctx
                        .catalog
                        .product(p)
                        .map(|p| p.name.clone())
                        .unwrap_or_else(|| p.clone());
                    if a.awaits_decision() {
                        format!("{name}? (needs a decision)")
                    } else {
                        name
                    }
                }
                (None, _) if a.needs_decision => "needs a decision".into(),
                (None, _) if asset.kind.is_logical() => {
                    format!(
                        "no agent ({}, a logical CI: its hosts carry it)",
                        asset.kind
                    )
                }
                (None, _) => "no product".into(),
            };
            let _ = writeln!(
                s,
                "### {} ({}) — {} → {}\n",
                md_escape(&a.id),
                md_escape(asset.display_name()),
                md_escape(&asset.os.label()),
                md_escape(&product)
            );
            let mut facts = vec![
                format!("status {}", a.status),
                format!("criticality {}", asset.criticality),
            ];
            if let Some(site) = asset.site() {
                facts.push(format!("site {}", md_escape(site)));
            }
            if let Some(owner) = asset.owner() {
                facts.push(format!("owner {}", md_escape(owner)));
            }
            let _ = writeln!(
                s,
                "{}. Why here: {}\n",
                facts.join(", "),
                md_escape(&a.reason)
            );
            if let Some(note) = &a.note {
                let _ = writeln!(s, "Note: {}\n", md_escape(note));
            }
            let steps = steps_for(ctx, a, i);
            let open = alerts
                .get(&a.id.as_str().to_lowercase())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let ticks = ticks(a, open, &steps);
            for (step, ticked) in steps.into_iter().zip(ticks) {
                let tick = if ticked { "x" } else { " " };
                let _ = writeln!(
                    s,
                    "- [{tick}] **{}**: {}",
                    step.key,
                    md_escape(&step.action)
                );
                for n in &step.notes {
                    let _ = writeln!(s, "  - {}", md_escape(n));
                }
                if step.key == "export-records" {
                    let _ = writeln!(s, "  - {}", md_escape(&still_managed(plan, &done, ctx, i)));
                }
                if !step.sources.is_empty() {
                    let list: Vec<String> = step.sources.iter().map(|x| md_escape(x)).collect();
                    let _ = writeln!(s, "  - Sources: {}", list.join("; "));
                }
            }
            let _ = writeln!(s);
        }
    }
    s
}

/// Open alerts per lower-cased asset id (looked up once per asset, not searched).
fn by_asset(alerts: &[Alert]) -> HashMap<String, Vec<&Alert>> {
    let mut m: HashMap<String, Vec<&Alert>> = HashMap::new();
    for a in alerts {
        m.entry(a.asset.to_lowercase()).or_default().push(a);
    }
    m
}

/// Where the managed assets of management server `i` stand now: those not yet migrated,
/// excluded or decided keep Security Center in place.
fn still_managed(plan: &Plan, done: &[bool], ctx: &PlanContext, i: usize) -> String {
    let assets = ctx.inventory.assets();
    let mut open: Vec<&str> = ctx
        .analysis
        .graph
        .dependents(i)
        .iter()
        .filter(|e| matches!(e.kind, RelationKind::ManagedBy | RelationKind::ReportsTo))
        .filter_map(|e| plan.asset_index(&assets[e.asset as usize].id))
        .filter(|&k| !(done[k] || plan.assets[k].decision.is_some()))
        .map(|k| plan.assets[k].id.as_str())
        .collect();
    open.sort_unstable();
    open.dedup();
    match open.len() {
        0 => "Now: every planned asset it manages is migrated, excluded or decided.".into(),
        n => {
            let more = if n > 5 {
                format!(" and {} more", n - 5)
            } else {
                String::new()
            };
            let head: Vec<&str> = open.iter().take(5).copied().collect();
            format!(
                "Now: {n} planned assets it manages are not yet migrated, excluded or decided \
                 ({}{more}).",
                head.join(", ")
            )
        }
    }
}
