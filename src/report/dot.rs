//! The plan as a Graphviz DOT graph: one cluster per wave, provider-last edges between them.

use super::positions;
use crate::model::Named;
use crate::plan::Plan;
use crate::plan::context::PlanContext;
use std::fmt::Write as _;

/// A DOT string literal.
pub fn dot_quote(text: &str) -> String {
    let clean = crate::model::text::clean(text);
    let mut s = String::with_capacity(clean.len() + 2);
    s.push('"');
    for c in clean.chars() {
        if matches!(c, '"' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('"');
    s
}

/// The DOT text. Edges point from an asset to the planned provider it relies on.
pub fn to_dot(plan: &Plan, ctx: &PlanContext) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "digraph plan {{");
    let _ = writeln!(s, "  label={};", dot_quote(&plan.name));
    let _ = writeln!(s, "  rankdir=LR;\n  node [shape=box, fontsize=10];");
    let members = plan.wave_members();
    for (n, w) in plan.waves.iter().enumerate() {
        let _ = writeln!(s, "  subgraph cluster_{n} {{");
        let _ = writeln!(
            s,
            "    label={};",
            dot_quote(&format!("{} {} ({} – {})", w.id, w.name, w.start, w.end))
        );
        for &i in members.get(w.id.as_str()).map(Vec::as_slice).unwrap_or(&[]) {
            let a = &plan.assets[i];
            let logical = (ctx.inventory.resolve(&a.id))
                .is_some_and(|i| ctx.inventory.assets()[i].kind.is_logical());
            let label = match &a.product {
                Some(p) => format!("{}\\n→ {p}", a.id),
                None if logical => format!("{}\\n(logical CI: no agent)", a.id),
                None => format!("{}\\n(no product)", a.id),
            };
            let _ = writeln!(
                s,
                "    {} [label={}];",
                dot_quote(&a.id),
                dot_quote(&label).replace("\\\\n", "\\n")
            );
        }
        let _ = writeln!(s, "  }}");
    }
    let pos = positions(plan, ctx);
    let mut planned = vec![false; ctx.inventory.len()];
    for p in pos.iter().flatten() {
        planned[*p] = true;
    }
    for c in &ctx.units.constraints {
        let d = &ctx.units.units[c.dependent as usize];
        let p = &ctx.units.units[c.provider as usize];
        if let (Some(&d), Some(&p)) = (
            d.iter().find(|&&m| planned[m]),
            p.iter().find(|&&m| planned[m]),
        ) {
            let _ = writeln!(
                s,
                "  {} -> {} [label={}];",
                dot_quote(&ctx.inventory.assets()[d].id),
                dot_quote(&ctx.inventory.assets()[p].id),
                dot_quote(c.kind.as_str())
            );
        }
    }
    let _ = writeln!(s, "}}");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_escaped() {
        assert_eq!(dot_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
    }
}
