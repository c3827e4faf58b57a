//! Checking a plan against its rules and its inventory. Every problem has a stable code.

use super::context::PlanContext;
use super::model::{CoveredBy, Plan, Status};
use crate::analysis::Reliance;
use crate::catalog::Support;
use crate::model::Date;
use crate::model::Named;
use serde::Serialize;
use std::collections::HashMap;

pub use codes::Code;

mod codes;
mod coverage;
mod management;
mod pilot;
mod waves;

/// Violations fail `validate` (exit 1); warnings are reported only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Breaks a planning rule.
    Violation,
    /// Needs attention.
    Warning,
}

/// One problem found in a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Stable code, e.g. `order-broken`; the severity follows from it.
    pub code: Code,
    /// Violation or warning.
    pub severity: Severity,
    /// One sentence for people.
    pub message: String,
    /// The asset concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset: Option<String>,
    /// The wave concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wave: Option<String>,
}

fn problem(code: Code, message: String) -> Problem {
    Problem {
        code,
        severity: code.severity(),
        message,
        asset: None,
        wave: None,
    }
}

impl Problem {
    fn asset(mut self, id: &str) -> Problem {
        self.asset = Some(id.to_string());
        self
    }
    fn wave(mut self, id: &str) -> Problem {
        self.wave = Some(id.to_string());
        self
    }
}

/// Checks a plan. `changed_inventory` lists inventory files whose hash differs.
pub fn validate(plan: &Plan, ctx: &PlanContext, changed_inventory: &[String]) -> Vec<Problem> {
    let inv = ctx.inventory;
    let mut out = Vec::new();
    for f in changed_inventory {
        out.push(problem(
            Code::InventoryChanged,
            format!("{f} changed since the plan was made; run `avmigrate replan`"),
        ));
    }
    let wave_pos: HashMap<String, usize> = plan
        .waves
        .iter()
        .enumerate()
        .map(|(i, w)| (w.id.to_lowercase(), i))
        .collect();
    // Wave index per inventory position (None: not planned or not in a known wave).
    let mut wave_of: Vec<Option<usize>> = vec![None; inv.len()];
    let mut excluded = vec![false; inv.len()];
    // Plan index per inventory position.
    let mut plan_of: Vec<Option<usize>> = vec![None; inv.len()];
    // Most wave references spell the id as the wave does: found without lower-casing.
    let wave_exact: HashMap<&str, Option<usize>> = plan
        .waves
        .iter()
        .map(|w| (w.id.as_str(), wave_pos.get(&w.id.to_lowercase()).copied()))
        .collect();
    for (k, a) in plan.assets.iter().enumerate() {
        let w = match wave_exact.get(a.wave.as_str()) {
            Some(&w) => w,
            None => wave_pos.get(&a.wave.to_lowercase()).copied(),
        };
        if w.is_none() {
            out.push(
                problem(
                    Code::UnknownWave,
                    format!(
                        "{} is planned in wave \"{}\", which does not exist",
                        a.id, a.wave
                    ),
                )
                .asset(&a.id),
            );
        }
        let Some(i) = inv.resolve(&a.id) else {
            let (code, message) = if a.source.as_deref() == Some("reconcile") {
                (
                    Code::UnassignedAsset,
                    format!(
                        "{} was found by a scan and is not in the plan's inventory: add it to the \
                         inventory and replan",
                        a.id
                    ),
                )
            } else {
                (
                    Code::UnknownAsset,
                    format!("{} is in the plan but not in the inventory", a.id),
                )
            };
            out.push(problem(code, message).asset(&a.id));
            continue;
        };
        wave_of[i] = w;
        plan_of[i] = Some(k);
        excluded[i] = a.status == Status::Excluded;
        let wave_end = w.map(|w| plan.waves[w].end);
        check_product(ctx, a, i, wave_end, &mut out);
    }
    for (i, asset) in inv.assets().iter().enumerate() {
        if ctx.analysis.reliance_of(i) == Reliance::Direct && plan_of[i].is_none() {
            out.push(
                problem(
                    Code::AssetUnplanned,
                    format!(
                        "{} runs {} but is in no wave",
                        asset.id,
                        ctx.flagged_products(i).join(", ")
                    ),
                )
                .asset(&asset.id),
            );
        }
    }
    check_order(plan, ctx, &wave_of, &excluded, &mut out);
    management::check_management(plan, ctx, &plan_of, &mut out);
    pilot::check_pilot(plan, ctx, &wave_of, &excluded, &mut out);
    coverage::check_coverage(plan, ctx, &mut out);
    check_history(plan, &mut out);
    waves::check_waves(plan, ctx, &mut out);
    waves::check_wave_order(plan, &mut out);
    check_owners(ctx, &mut out);
    // By code name, as scripts and people read them (not the enum's declaration order).
    out.sort_by(|a, b| {
        (a.severity, a.code.as_str(), &a.asset, &a.wave).cmp(&(
            b.severity,
            b.code.as_str(),
            &b.asset,
            &b.wave,
        ))
    });
    out
}

fn check_product(
    ctx: &PlanContext,
    a: &super::model::PlannedAsset,
    i: usize,
    wave_end: Option<Date>,
    out: &mut Vec<Problem>,
) {
    // Covered by its provider's replacement: the product works beside it, not on it.
    let by_provider = a.coverage.as_ref().map(|c| c.by) == Some(CoveredBy::Provider);
    if a.status == Status::Excluded || by_provider {
        return;
    }
    if coverage::check_logical(ctx, a, i, out) {
        return;
    }
    if let Some(d) = &a.decision {
        if d.review <= ctx.today {
            out.push(
                problem(
                    Code::DecisionReviewDue,
                    format!(
                        "{}: the decision \"{}\" (approved by {}) was to be reviewed on {}",
                        a.id, d.option, d.approver, d.review
                    ),
                )
                .asset(&a.id),
            );
        }
        // Decided: a missing or unconfirmed product is what the decision answers.
        if d.option != super::DecisionOption::VendorApproval || a.product.is_none() {
            return;
        }
    } else if a.needs_decision && a.product.is_some() {
        out.push(
            problem(
                Code::DecisionNeeded,
                format!(
                    "{} needs a recorded decision (set --decide): {}",
                    a.id, a.product_reason
                ),
            )
            .asset(&a.id),
        );
    }
    let Some(product) = &a.product else {
        out.push(
            problem(
                Code::NoCompatibleProduct,
                format!(
                    "{} has no target product: {}",
                    a.id,
                    if a.product_reason.is_empty() {
                        "record a decision (exclude with a rationale, or set a product)"
                    } else {
                        &a.product_reason
                    }
                ),
            )
            .asset(&a.id),
        );
        return;
    };
    let today = ctx.support(i, product);
    let usable_today = today.as_ref().is_some_and(|(s, _)| *s != Support::No);
    match today {
        None => out.push(
            problem(
                Code::UnknownProduct,
                format!(
                    "{} names product \"{product}\", which is not in the catalogue",
                    a.id
                ),
            )
            .asset(&a.id),
        ),
        Some((Support::No, why)) => out.push(
            problem(
                Code::ProductIncompatible,
                format!("{}: {product} does not fit: {why}", a.id),
            )
            .asset(&a.id),
        ),
        Some((support @ (Support::Unverified | Support::Limited), why)) => {
            let what = if support == Support::Unverified {
                format!("support of {product} is unverified")
            } else {
                format!("{product} has only limited support")
            };
            out.push(
                problem(Code::UnverifiedProduct, format!("{}: {what}: {why}", a.id)).asset(&a.id),
            )
        }
        Some((Support::Yes, _)) => {}
    }
    check_support_at_wave(ctx, a, i, product, wave_end, usable_today, out);
}

/// Support that holds today but is gone by the end of the asset's wave (an end of support, or
/// a window of recent OS releases that moves past the asset's version). `usable_today`: the
/// product fits the asset today, at least in part.
fn check_support_at_wave(
    ctx: &PlanContext,
    a: &super::model::PlannedAsset,
    i: usize,
    product: &str,
    wave_end: Option<Date>,
    usable_today: bool,
    out: &mut Vec<Problem>,
) {
    let Some(end) = wave_end.filter(|end| *end > ctx.today) else {
        return;
    };
    if a.status.is_done() {
        return;
    }
    if let Some((Support::No, why)) = ctx.support_on(i, product, end)
        && usable_today
    {
        out.push(
            problem(
                Code::SupportEndsBeforeWave,
                format!(
                    "{}: {product} fits today but not by the end of wave {} ({end}): {why}",
                    a.id, a.wave
                ),
            )
            .asset(&a.id),
        );
    }
}

fn check_order(
    plan: &Plan,
    ctx: &PlanContext,
    wave_of: &[Option<usize>],
    excluded: &[bool],
    out: &mut Vec<Problem>,
) {
    let inv = ctx.inventory;
    let units = &ctx.units;
    let planned = |m: &usize| wave_of[*m].is_some() && !excluded[*m];
    for members in &units.units {
        let waves: Vec<usize> = members
            .iter()
            .filter(|m| planned(m))
            .filter_map(|&m| wave_of[m])
            .collect();
        if waves.iter().any(|&w| w != waves[0]) {
            let ids = ctx.ids(members);
            out.push(
                problem(
                    Code::CycleSplit,
                    format!(
                        "{} depend on each other (a cycle) but are in different waves",
                        ids.join(", ")
                    ),
                )
                .asset(ids[0]),
            );
        }
    }
    for c in &units.constraints {
        let latest_dependent = units.units[c.dependent as usize]
            .iter()
            .filter(|m| planned(m))
            .max_by_key(|&&m| wave_of[m]);
        let earliest_provider = units.units[c.provider as usize]
            .iter()
            .filter(|m| planned(m))
            .min_by_key(|&&m| wave_of[m]);
        let Some((&d, &p)) = latest_dependent.zip(earliest_provider) else {
            continue;
        };
        let wid = |i: usize| plan.waves[wave_of[i].unwrap_or(0)].id.as_str();
        // A management server goes strictly after what relies on it: it is decommissioned
        // only once its last dependent has moved to the new product. (Later than its
        // dependent is `order-broken`.)
        let management = units.units[c.provider as usize]
            .iter()
            .find(|&&m| planned(&m) && ctx.is_management(m));
        if let Some(&s) = management
            && wave_of[d] == wave_of[s]
        {
            out.push(
                problem(
                    Code::ManagementNotLast,
                    format!(
                        "{} relies on management server {}, and both are in {}; the server \
                         must go in a later wave than every asset that relies on it",
                        inv.assets()[d].id,
                        inv.assets()[s].id,
                        wid(s)
                    ),
                )
                .asset(&inv.assets()[s].id)
                .wave(wid(s)),
            );
        }
        if wave_of[d] > wave_of[p] {
            out.push(
                problem(
                    Code::OrderBroken,
                    format!(
                        "{} ({}) relies on {} ({}), which would be replaced first; the provider \
                         must not go before what relies on it",
                        inv.assets()[d].id,
                        wid(d),
                        inv.assets()[p].id,
                        wid(p)
                    ),
                )
                .asset(&inv.assets()[p].id)
                .wave(wid(p)),
            );
        }
    }
}

fn check_owners(ctx: &PlanContext, out: &mut Vec<Problem>) {
    let inv = ctx.inventory;
    let orphans: Vec<&str> = inv
        .assets()
        .iter()
        .enumerate()
        .filter(|(i, a)| ctx.analysis.reliance_of(*i) == Reliance::Indirect && a.owner().is_none())
        .map(|(_, a)| a.id.as_str())
        .collect();
    if orphans.is_empty() {
        return;
    }
    let shown: Vec<&str> = orphans.iter().take(5).copied().collect();
    let more = if orphans.len() > 5 {
        format!(" and {} more", orphans.len() - 5)
    } else {
        String::new()
    };
    out.push(problem(
        Code::AffectedWithoutOwner,
        format!(
            "{} indirectly affected asset(s) have no owner to inform: {}{more}",
            orphans.len(),
            shown.join(", ")
        ),
    ));
}

fn check_history(plan: &Plan, out: &mut Vec<Problem>) {
    for pair in plan.events.windows(2) {
        if pair[1].at < pair[0].at {
            out.push(
                problem(
                    Code::HistoryOutOfOrder,
                    format!(
                        "event for {} at {} comes after one at {}",
                        pair[1].asset, pair[1].at, pair[0].at
                    ),
                )
                .asset(&pair[1].asset),
            );
        }
    }
    let mut unknown: Vec<&str> = plan
        .events
        .iter()
        .filter(|e| plan.asset(&e.asset).is_none())
        .map(|e| e.asset.as_str())
        .collect();
    unknown.sort_unstable();
    unknown.dedup();
    for id in unknown {
        out.push(
            problem(
                Code::HistoryUnknownAsset,
                format!("the history has events for {id}, which is not in the plan"),
            )
            .asset(id),
        );
    }
    for a in &plan.alerts {
        out.push(
            problem(
                Code::OpenAlert,
                format!("{} ({}): {}", a.asset, a.kind.as_str(), a.message),
            )
            .asset(&a.asset),
        );
    }
}

/// True when any problem is a violation.
pub fn has_violations(problems: &[Problem]) -> bool {
    problems.iter().any(|p| p.severity == Severity::Violation)
}

#[cfg(test)]
mod tests;
