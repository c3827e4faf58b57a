//! The plan as CSV, one row per planned asset, with formula injection guarded.

use super::{last_change, positions};
use crate::model::Named;
use crate::plan::Plan;
use crate::plan::context::PlanContext;
use crate::plan::coverage::covered_by_asset;

/// Makes a cell safe for spreadsheets: a leading `=`, `+`, `-`, `@`, tab or CR would start a
/// formula, so such cells get a leading apostrophe.
pub fn guard_formula(cell: &str) -> String {
    let cell = crate::model::text::clean(cell);
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell,
    }
}

/// The CSV text (RFC 4180 quoting, `\n` line ends, UTF-8).
pub fn to_csv(plan: &Plan, ctx: &PlanContext) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let header = [
        "asset",
        "name",
        "kind",
        "os",
        "site",
        "owner",
        "criticality",
        "flagged_products",
        "wave",
        "wave_name",
        "wave_start",
        "wave_end",
        "product",
        "status",
        "pinned",
        "reason",
        "product_reason",
        "note",
        "status_reason",
        "last_change",
        "covered_by",
        "coverage_via",
        "coverage_function",
    ];
    let _ = w.write_record(header);
    let changes = last_change(plan);
    for (a, pos) in plan.assets.iter().zip(positions(plan, ctx)) {
        let asset = pos.map(|i| &ctx.inventory.assets()[i]);
        let wave = plan.wave_index(&a.wave).map(|i| &plan.waves[i]);
        let cells: Vec<String> = vec![
            a.id.clone(),
            asset
                .and_then(|x| x.name.as_deref())
                .unwrap_or_default()
                .to_string(),
            asset
                .map(|x| x.kind.as_str().to_string())
                .unwrap_or_default(),
            asset.map(|x| x.os.raw.to_string()).unwrap_or_default(),
            asset
                .and_then(|x| x.site().map(|t| t.as_str()))
                .unwrap_or_default()
                .to_string(),
            asset
                .and_then(|x| x.owner().map(|t| t.as_str()))
                .unwrap_or_default()
                .to_string(),
            asset
                .map(|x| x.criticality.as_str().to_string())
                .unwrap_or_default(),
            pos.map(|i| ctx.flagged_products(i).join("; "))
                .unwrap_or_default(),
            a.wave.clone(),
            wave.map(|w| w.name.clone()).unwrap_or_default(),
            wave.map(|w| w.start.to_string()).unwrap_or_default(),
            wave.map(|w| w.end.to_string()).unwrap_or_default(),
            a.product.clone().unwrap_or_default(),
            a.status.as_str().to_string(),
            a.pinned.to_string(),
            a.reason.to_string(),
            a.product_reason.to_string(),
            a.note.clone().unwrap_or_default(),
            a.status_reason.clone().unwrap_or_default(),
            changes
                .get(&a.id.as_str().to_lowercase())
                .cloned()
                .unwrap_or_default(),
            covered_by_asset(a, asset).to_string(),
            a.coverage
                .as_ref()
                .map(|c| c.via.clone())
                .unwrap_or_default(),
            a.coverage
                .as_ref()
                .map(|c| c.function.as_str().to_string())
                .unwrap_or_default(),
        ];
        let _ = w.write_record(cells.iter().map(|c| guard_formula(c)));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(guard_formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(guard_formula("+1"), "'+1");
        assert_eq!(guard_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(guard_formula("-2"), "'-2");
        assert_eq!(guard_formula("ws-01"), "ws-01");
    }
}
