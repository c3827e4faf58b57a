//! Exports of a plan: runbook (Markdown), CSV, DOT, JSON, the management report (Markdown and
//! HTML); escaping helpers.

pub mod csv_export;
pub mod dot;
pub mod html;
pub mod json;
pub mod management;
pub mod md;
pub mod runbook;
pub mod svg;
pub mod tables;

use crate::analysis::Reliance;
use crate::plan::Plan;
use crate::plan::context::PlanContext;
use std::collections::BTreeMap;

/// The inventory position of every planned asset (None when the inventory lost it).
pub fn positions(plan: &Plan, ctx: &PlanContext) -> Vec<Option<usize>> {
    plan.assets
        .iter()
        .map(|a| ctx.inventory.resolve(&a.id))
        .collect()
}

/// Indirect assets per wave id: an indirect asset is affected in the wave in which the direct
/// asset at the end of its why-path is replaced.
pub fn affected_by_wave<'p>(plan: &'p Plan, ctx: &PlanContext) -> BTreeMap<&'p str, Vec<usize>> {
    let mut wave_of_asset: Vec<Option<&str>> = vec![None; ctx.inventory.len()];
    for (a, pos) in plan.assets.iter().zip(positions(plan, ctx)) {
        if let Some(i) = pos {
            wave_of_asset[i] = Some(a.wave.as_str());
        }
    }
    let mut out: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for i in 0..ctx.inventory.len() {
        if ctx.analysis.reliance_of(i) != Reliance::Indirect {
            continue;
        }
        if let Some(&d) = ctx.analysis.why_path(i).last()
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
