//! Checks of how each asset keeps protection: every asset that gets anti-virus from a planned
//! provider has a coverage entry, is covered no later than the provider is replaced, and is
//! covered by the provider's replacement only when that product has the function; a logical CI
//! (application, service) gets no product at all.

use super::{Code, Problem, problem};
use crate::plan::context::PlanContext;
use crate::plan::coverage::{CoveredBy, protections, provider_function, relation_words};
use crate::plan::model::{Plan, Status};
use std::collections::{HashMap, HashSet};

/// True for a logical CI (application, service), which needs no product: the machines it runs
/// on carry the replacement. One with a product set is a problem.
pub(super) fn check_logical(
    ctx: &PlanContext,
    a: &crate::plan::model::PlannedAsset,
    i: usize,
    out: &mut Vec<Problem>,
) -> bool {
    let Some(why) = crate::plan::products::logical_reason(ctx, i) else {
        return false;
    };
    if let Some(product) = &a.product {
        let message = format!("{} has product {product}, but {why}", a.id);
        out.push(problem(Code::LogicalCiProduct, message).asset(&a.id));
    }
    true
}

pub(super) fn check_coverage(plan: &Plan, ctx: &PlanContext, out: &mut Vec<Problem>) {
    let inv = ctx.inventory;
    let id = |i: usize| inv.assets()[i].id.as_str();
    let wave_pos: HashMap<String, usize> = plan
        .waves
        .iter()
        .enumerate()
        .map(|(i, w)| (w.id.to_lowercase(), i))
        .collect();
    let wave_of = |asset: &str| {
        plan.asset(asset)
            .and_then(|a| wave_pos.get(&a.wave.to_lowercase()).copied())
    };
    let protected = protections(ctx);
    for (&d, ways) in &protected {
        // Providers in the plan and not out of scope, with their wave.
        let planned: Vec<(usize, usize)> = ways
            .iter()
            .filter(|w| {
                plan.asset(id(w.provider))
                    .is_some_and(|a| a.status != Status::Excluded)
            })
            .filter_map(|w| wave_of(id(w.provider)).map(|pw| (w.provider, pw)))
            .collect();
        let Some(&(first, first_wave)) = planned.iter().min_by_key(|(p, pw)| (*pw, id(*p))) else {
            continue;
        };
        let provider_wave = &plan.waves[first_wave].id;
        let way = ways.iter().find(|w| w.provider == first).copied();
        let Some(pa) = plan.asset(id(d)).filter(|a| a.coverage.is_some()) else {
            let (words, what) = way
                .map(|w| (relation_words(w.kind), w.function.describe()))
                .unwrap_or(("scans it", "protection"));
            out.push(
                problem(
                    Code::CoverageMissing,
                    format!(
                        "{} gets its anti-virus from {} (which {words}: {what}), which the plan \
                         replaces in {provider_wave}, but the plan does not cover it: run \
                         `avmigrate replan` (an agent of its own, the replacement's function, \
                         or a decision)",
                        id(d),
                        id(first)
                    ),
                )
                .asset(id(d)),
            );
            continue;
        };
        let c = pa.coverage.as_ref().expect("filtered on coverage");
        if !pa.status.is_done()
            && let Some(w) = wave_of(&pa.id)
            && w > first_wave
        {
            out.push(
                problem(
                    Code::CoverageLate,
                    format!(
                        "{} ({}) gets its anti-virus from {}, which is replaced earlier \
                         ({provider_wave}); cover it in that wave or before",
                        pa.id,
                        plan.waves[w].id,
                        id(first)
                    ),
                )
                .asset(&pa.id)
                .wave(&plan.waves[w].id),
            );
        }
        let named = ways
            .iter()
            .find(|w| id(w.provider).eq_ignore_ascii_case(&c.via));
        if named.is_none_or(|w| w.function != c.function) {
            let names: Vec<String> = ways
                .iter()
                .map(|w| format!("{} ({})", id(w.provider), w.function))
                .collect();
            out.push(
                problem(
                    Code::CoverageStale,
                    format!(
                        "{}: its coverage names {} ({}), but it gets its anti-virus from {}; run \
                         `avmigrate replan`",
                        pa.id,
                        c.via,
                        c.function,
                        names.join(", ")
                    ),
                )
                .asset(&pa.id),
            );
        }
        if c.by == CoveredBy::Provider && pa.status != Status::Excluded {
            let why_not = match plan.asset(&c.via) {
                None => Some(format!("{} is not in the plan", c.via)),
                Some(p) => provider_function(ctx.catalog, p.product.as_deref(), c.function).err(),
            };
            if let Some(why) = why_not {
                out.push(
                    problem(
                        Code::CoverageWithoutFunction,
                        format!(
                            "{} is covered by {}'s replacement, but {why}: give it an agent of \
                             its own or record a decision",
                            pa.id, c.via
                        ),
                    )
                    .asset(&pa.id),
                );
            }
        }
    }
    // Coverage entries on assets that no longer get anti-virus through a provider.
    let protected_ids: HashSet<usize> = protected.keys().copied().collect();
    for a in plan.assets.iter().filter(|a| a.coverage.is_some()) {
        let Some(i) = inv.resolve(&a.id) else {
            continue;
        };
        if !protected_ids.contains(&i) {
            let why = if ctx.analysis.findings[i].is_empty() {
                "it no longer gets anti-virus through a planned provider"
            } else {
                "it runs a flagged product itself, so its own replacement protects it"
            };
            out.push(
                problem(
                    Code::CoverageStale,
                    format!(
                        "{}: has a coverage entry, but {why}; run `avmigrate replan`",
                        a.id
                    ),
                )
                .asset(&a.id),
            );
        }
    }
}
