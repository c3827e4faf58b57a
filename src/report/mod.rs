//! Exports of a plan: runbook (Markdown), CSV, DOT, JSON, the management report (Markdown and
//! HTML); escaping helpers.

pub mod csv_export;
pub mod dot;
pub mod exports;
pub mod html;
pub mod ics;
pub mod json;
pub mod management;
pub mod md;
pub mod notices;
pub mod runbook;
pub mod svg;
pub mod tables;
pub mod targets;

use crate::analysis::Reliance;
use crate::plan::Plan;
use crate::plan::context::PlanContext;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

/// The inventory position of every planned asset (None when the inventory lost it).
pub fn positions(plan: &Plan, ctx: &PlanContext) -> Vec<Option<usize>> {
    plan.assets
        .iter()
        .map(|a| ctx.inventory.resolve(&a.id))
        .collect()
}

/// Planned assets (plan positions) per wave id in working order: within a wave an asset comes
/// before every asset it relies on (dependents before their providers), else in id order.
pub fn work_order<'p>(plan: &'p Plan, ctx: &PlanContext) -> BTreeMap<&'p str, Vec<usize>> {
    let units = &ctx.units;
    let mut by_unit: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (k, pos) in positions(plan, ctx).into_iter().enumerate() {
        if let Some(u) = pos.map(|i| units.unit_of[i]).filter(|&u| u != u32::MAX) {
            by_unit.entry(u).or_default().push(k);
        }
    }
    // Edges from a dependent to its providers in the same wave.
    let n = plan.assets.len();
    let mut providers: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut waiting_for = vec![0usize; n];
    for c in &units.constraints {
        let (Some(ds), Some(ps)) = (by_unit.get(&c.dependent), by_unit.get(&c.provider)) else {
            continue;
        };
        for &d in ds {
            for &p in ps
                .iter()
                .filter(|&&p| plan.assets[p].wave == plan.assets[d].wave)
            {
                providers[d].push(p);
                waiting_for[p] += 1;
            }
        }
    }
    let mut out = plan.wave_members();
    for list in out.values_mut() {
        // Kahn's algorithm; the smallest position (id order) first among the ready ones.
        let mut ready: BinaryHeap<Reverse<usize>> = list
            .iter()
            .copied()
            .filter(|&k| waiting_for[k] == 0)
            .map(Reverse)
            .collect();
        let mut order = Vec::with_capacity(list.len());
        while let Some(Reverse(k)) = ready.pop() {
            order.push(k);
            for &p in &providers[k] {
                waiting_for[p] -= 1;
                if waiting_for[p] == 0 {
                    ready.push(Reverse(p));
                }
            }
        }
        // Units never depend on each other in a circle; this only guards the impossible.
        if order.len() < list.len() {
            let seen: std::collections::HashSet<usize> = order.iter().copied().collect();
            order.extend(list.iter().copied().filter(|k| !seen.contains(k)));
        }
        *list = order;
    }
    out
}

/// Indirect assets per wave id: an indirect asset is affected in the wave in which the direct
/// asset at the end of its why-path is replaced. Indirect assets the plan covers itself (they
/// get their anti-virus through a provider) are not listed.
pub fn affected_by_wave<'p>(plan: &'p Plan, ctx: &PlanContext) -> BTreeMap<&'p str, Vec<usize>> {
    let mut wave_of_asset: Vec<Option<&str>> = vec![None; ctx.inventory.len()];
    for (a, pos) in plan.assets.iter().zip(positions(plan, ctx)) {
        if let Some(i) = pos {
            wave_of_asset[i] = Some(a.wave.as_str());
        }
    }
    let mut out: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for i in 0..ctx.inventory.len() {
        // Planned assets (those protected through a provider) have their own entry.
        if ctx.analysis.reliance_of(i) != Reliance::Indirect || wave_of_asset[i].is_some() {
            continue;
        }
        if let Some(d) = ctx.analysis.reliance.root(i)
            && let Some(w) = wave_of_asset[d]
        {
            out.entry(w).or_default().push(i);
        }
    }
    out
}

/// The time of the last history event per asset id (lower-case).
pub fn last_change(plan: &Plan) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    for e in &plan.events {
        m.insert(e.asset.to_lowercase(), e.at.to_string());
    }
    m
}

/// Escapes text for Markdown so that inventory data cannot inject markup.
pub fn md_escape(text: &str) -> String {
    let clean = crate::model::text::clean(text);
    let mut s = String::with_capacity(clean.len());
    for c in clean.chars() {
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '{'
                | '}'
                | '['
                | ']'
                | '<'
                | '>'
                | '('
                | ')'
                | '#'
                | '|'
                | '!'
        ) {
            s.push('\\');
        }
        s.push(c);
    }
    s
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(text: &str) -> String {
    let clean = crate::model::text::clean(text);
    let mut s = String::with_capacity(clean.len());
    for c in clean.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#39;"),
            c => s.push(c),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_and_html_are_escaped() {
        assert_eq!(md_escape("a*b [x](y)"), "a\\*b \\[x\\]\\(y\\)");
        assert_eq!(
            html_escape("<script>\"&'"),
            "&lt;script&gt;&quot;&amp;&#39;"
        );
        assert_eq!(md_escape("x\x1b[2J"), "x\u{FFFD}\\[2J");
    }
}
