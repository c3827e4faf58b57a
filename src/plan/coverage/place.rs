//! Planning the assets protected through providers: how each is covered, and its wave.
//!
//! Coverage is chosen before the waves: the provider's replacement when it has the function
//! (and the asset has only that one provider), else an agent of its own, else a decision.
//! Placement goes through the wave layout, so capacities hold:
//! - covered by the provider's replacement: it travels with the provider (its unit grows by
//!   one), so it is in the provider's wave and takes room there;
//! - own agent or decision: a unit of its own that must not go after any of its providers; it
//!   has the lowest priority, so it fills room the direct assets leave, and it is never a pilot
//!   sample (the pilot proves the flagged product's replacement on each platform);
//! - pinned, started or in a frozen wave: it keeps its wave and its providers wait for it.

use super::{
    Coverage, CoveredBy, Protection, existing_agent, protections, provider_function, relation_words,
};
use crate::model::{Inventory, RelationKind};
use crate::plan::context::PlanContext;
use crate::plan::layout::{Layout, LayoutConfig, UnitInfo};
use crate::plan::model::{Plan, PlannedAsset, Strategy, Wave};
use crate::plan::products::ProductChooser;
use crate::plan::schedule::risk_score;
use crate::plan::units::{Constraint, UnitGraph};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Which earlier wave (and why) a previous planned asset must keep.
pub(crate) type FixedWave<'f> = &'f dyn Fn(&PlannedAsset) -> Option<(usize, String)>;

/// True when a previous planned asset keeps its product (chosen by a user, or its wave is fixed).
pub(crate) type KeepsProduct<'f> = &'f dyn Fn(&str, Option<&PlannedAsset>) -> bool;

struct Entry<'p> {
    asset: usize,
    ways: Vec<Protection>,
    prev: Option<&'p PlannedAsset>,
    by: CoveredBy,
    product: Option<String>,
    product_reason: String,
    fixed: Option<(usize, String)>,
    /// Its own layout unit; None while it travels with its provider's unit.
    unit: Option<usize>,
}

/// The protected assets of one (re)plan, from choosing their coverage to their planned entries.
pub(crate) struct CoveragePlanner<'p> {
    entries: Vec<Entry<'p>>,
    covered: HashSet<usize>,
    /// The layout unit that keeps protected assets out of the pilot sample.
    anchor: Option<usize>,
}

impl<'p> CoveragePlanner<'p> {
    /// Finds the protected assets and chooses how each is covered. A previous entry whose wave
    /// is fixed, or whose coverage a person chose (a `coverage` event), keeps its coverage.
    pub(crate) fn new(
        ctx: &PlanContext,
        previous: &'p Plan,
        fixed_wave: FixedWave,
        keeps_product: KeepsProduct,
        chooser: &mut ProductChooser,
    ) -> CoveragePlanner<'p> {
        let inv = ctx.inventory;
        let id = |i: usize| inv.assets()[i].id.as_str();
        let user_coverage: HashSet<String> = previous
            .events
            .iter()
            .filter(|e| e.field == "coverage")
            .map(|e| e.asset.to_lowercase())
            .collect();
        let mut provider_products: BTreeMap<usize, Option<String>> = BTreeMap::new();
        let mut entries = Vec::new();
        for (d, ways) in protections(ctx) {
            let prev = previous.asset(id(d));
            let fixed = prev.and_then(fixed_wave);
            let kept = prev
                .filter(|p| fixed.is_some() || user_coverage.contains(&p.id.to_lowercase()))
                .and_then(|p| p.coverage.as_ref().map(|c| (p, c.by)));
            if let Some((p, by)) = kept {
                entries.push(Entry {
                    asset: d,
                    ways,
                    prev,
                    by,
                    product: p.product.clone(),
                    product_reason: p.product_reason.to_string(),
                    fixed,
                    unit: None,
                });
                continue;
            }
            let primary = ways[0];
            let provider_product = provider_products
                .entry(primary.provider)
                .or_insert_with(|| {
                    let pid = id(primary.provider);
                    let prev_p = previous.asset(pid);
                    if keeps_product(pid, prev_p) {
                        prev_p.and_then(|p| p.product.clone())
                    } else {
                        chooser.choose(primary.provider).0
                    }
                })
                .clone();
            let through = id(primary.provider);
            let provider = if ways.len() > 1 {
                Err(format!(
                    "it is protected through {} providers ({}), so only its own protection \
                     covers it whichever goes first",
                    ways.len(),
                    names(inv, &ways)
                ))
            } else {
                provider_function(ctx.catalog, provider_product.as_deref(), primary.function)
            };
            // A product a person chose (or a fixed entry's) stays; an agent the asset already
            // runs covers it; then the provider's replacement; then a new agent of its own.
            let kept_product = prev
                .filter(|p| keeps_product(id(d), Some(p)))
                .map(|p| (p.product.clone(), p.product_reason.to_string()));
            let existing = match kept_product {
                Some(_) => None,
                None => existing_agent(ctx, d),
            };
            let (by, product, product_reason) = match (kept_product, existing, provider) {
                (Some((own, why)), _, _) => (own_or_decision(&own), own, why),
                (None, Some((own, why)), provider) => {
                    let name = ctx.catalog.product(&own).map_or(own.as_str(), |p| &p.name);
                    let also = match provider {
                        Ok(_) => format!(" ({through}'s replacement could take over too)"),
                        Err(_) => String::new(),
                    };
                    let reason = format!("already runs {name}, an agent of its own{also}: {why}");
                    (CoveredBy::OwnAgent, Some(own), reason)
                }
                (None, None, Ok(why)) => (
                    CoveredBy::Provider,
                    provider_product,
                    format!("no agent of its own: {through}'s replacement takes over: {why}"),
                ),
                (None, None, Err(why_not)) => {
                    let (own, why) = chooser.choose(d);
                    let head = if ways.len() > 1 {
                        why_not
                    } else {
                        format!("not through {through}: {why_not}")
                    };
                    let what = if own.is_some() { "own agent: " } else { "" };
                    (own_or_decision(&own), own, format!("{head}; {what}{why}"))
                }
            };
            entries.push(Entry {
                asset: d,
                ways,
                prev,
                by,
                product,
                product_reason,
                fixed,
                unit: None,
            });
        }
        let covered = entries.iter().map(|e| e.asset).collect();
        CoveragePlanner {
            entries,
            covered,
            anchor: None,
        }
    }

    /// True when inventory position `i` is protected through a provider (planned here).
    pub(crate) fn covers(&self, i: usize) -> bool {
        self.covered.contains(&i)
    }

    /// Adds the layout units of the protected assets to `infos` and returns the constraints
    /// the layout must keep (the direct assets' and "not after any of its providers").
    pub(crate) fn add_units(
        &mut self,
        ctx: &PlanContext,
        infos: &mut Vec<UnitInfo>,
        strategy: Strategy,
        cfg: &LayoutConfig,
    ) -> Vec<Constraint> {
        let first_wave = cfg.first_wave;
        let units: &UnitGraph = &ctx.units;
        let mut constraints = units.constraints.clone();
        let pseudo_start = infos.len();
        for e in &mut self.entries {
            let asset = &ctx.inventory.assets()[e.asset];
            let provider_units: Vec<usize> = e
                .ways
                .iter()
                .map(|w| units.unit_of[w.provider] as usize)
                .collect();
            let frozen = |u: usize| infos[u].fixed.as_ref().is_some_and(|f| f.0 < first_wave);
            if e.fixed.is_none() && e.by == CoveredBy::Provider && !frozen(provider_units[0]) {
                infos[provider_units[0]].size += 1;
                continue;
            }
            let risk = risk_score(asset);
            let priority = i64::MIN / 2
                + match strategy {
                    Strategy::RiskFirst => risk,
                    Strategy::SafetyFirst => -risk,
                };
            let u = infos.len();
            infos.push(UnitInfo {
                size: 1,
                priority,
                management: false,
                pilot: false,
                // Never a pilot sample and no proof of a platform: it only follows its provider.
                groups: Vec::new(),
                critical: false,
                ot: false,
                pilot_risk: i64::MAX / 2,
                sites: asset
                    .site()
                    .map(|s| vec![(s.as_str().into(), 1)])
                    .unwrap_or_default(),
                fixed: e.fixed.clone(),
                label: asset.id.to_string(),
                priority_note: "covered no later than its provider".into(),
            });
            e.unit = Some(u);
            for (w, &pu) in e.ways.iter().zip(&provider_units) {
                constraints.push(Constraint {
                    dependent: u as u32,
                    provider: pu as u32,
                    kind: w.kind,
                    indirect: false,
                });
            }
        }
        // An empty unit fixed in the pilot wave that relies on every new unit above: they have
        // a dependent, so the layout never takes them as pilot samples, and they may not go
        // before the pilot wave.
        if cfg.pilot && infos.len() > pseudo_start {
            let anchor = infos.len();
            for (u, info) in infos.iter().enumerate().skip(pseudo_start) {
                if info.fixed.is_none() {
                    constraints.push(Constraint {
                        dependent: anchor as u32,
                        provider: u as u32,
                        kind: RelationKind::Uses,
                        indirect: true,
                    });
                }
            }
            infos.push(UnitInfo {
                fixed: Some((cfg.first_wave, String::new())),
                ..UnitInfo::default()
            });
            self.anchor = Some(anchor);
        }
        constraints
    }

    /// Removes the pilot anchor (see [`CoveragePlanner::add_units`]) from the layout's input
    /// and result, so that it takes no wave.
    pub(crate) fn remove_anchor(&self, lay: &mut Layout, infos: &mut Vec<UnitInfo>) {
        if let Some(a) = self.anchor {
            infos.truncate(a);
            lay.wave_of.truncate(a);
            lay.reasons.truncate(a);
        }
    }

    /// The planned entries of the protected assets, added to `assets`. `wave_pos` maps a layout
    /// wave index to the position in `waves`.
    pub(crate) fn finish(
        self,
        ctx: &PlanContext,
        lay: &Layout,
        wave_pos: &[usize],
        waves: &[Wave],
        assets: &mut Vec<PlannedAsset>,
        warnings: &mut Vec<String>,
    ) {
        let inv = ctx.inventory;
        let units = &ctx.units;
        let id = |i: usize| inv.assets()[i].id.as_str();
        // Only the providers' products are looked up: a map of every planned asset would cost
        // more than the plan itself on a large estate.
        let wanted: HashSet<String> = self
            .entries
            .iter()
            .filter(|e| e.by == CoveredBy::Provider && e.fixed.is_none())
            .filter_map(|e| e.ways.first())
            .map(|w| id(w.provider).to_lowercase())
            .collect();
        let product_of: HashMap<String, Option<String>> = if wanted.is_empty() {
            HashMap::new()
        } else {
            assets
                .iter()
                .map(|a| (a.id.as_str().to_lowercase(), a))
                .filter(|(key, _)| wanted.contains(key))
                .map(|(key, a)| (key, a.product.clone()))
                .collect()
        };
        let mut added = Vec::with_capacity(self.entries.len());
        for e in self.entries {
            let provider_wave = |p: usize| wave_pos[lay.wave_of[units.unit_of[p] as usize]];
            let w = match e.unit {
                Some(u) => wave_pos[lay.wave_of[u]],
                None => provider_wave(e.ways[0].provider),
            };
            let (first_p, first_w) = e
                .ways
                .iter()
                .map(|x| (x.provider, provider_wave(x.provider)))
                .min_by_key(|&(p, pw)| (pw, id(p)))
                .expect("a protected asset has a provider");
            let primary = e.ways[0];
            let mut pa = match e.prev {
                Some(p) => p.clone(),
                None => PlannedAsset::new(id(e.asset), waves[w].id.clone()),
            };
            pa.id = id(e.asset).to_string();
            pa.wave = waves[w].id.clone();
            pa.source = None;
            pa.product = match e.by {
                CoveredBy::Provider if e.fixed.is_none() => product_of
                    .get(&id(primary.provider).to_lowercase())
                    .cloned()
                    .flatten(),
                _ => e.product,
            };
            pa.product_reason = e.product_reason.into();
            pa.needs_decision = e.by == CoveredBy::Decision;
            pa.coverage = Some(Coverage {
                via: id(primary.provider).to_string(),
                function: primary.function,
                by: e.by,
            });
            let ways: Vec<String> = e
                .ways
                .iter()
                .map(|x| {
                    format!(
                        "{} ({}: {})",
                        id(x.provider),
                        relation_words(x.kind),
                        x.function.describe()
                    )
                })
                .collect();
            let when = if w == first_w {
                format!("{} is replaced in this wave", id(first_p))
            } else if w < first_w {
                format!("{} is replaced in {}", id(first_p), waves[first_w].name)
            } else {
                warnings.push(format!(
                    "{}: stays in {} after {} ({}), which it gets anti-virus from; cover it \
                     earlier",
                    pa.id,
                    waves[w].id,
                    id(first_p),
                    waves[first_w].id
                ));
                format!(
                    "{} is replaced earlier, in {}: its coverage is late",
                    id(first_p),
                    waves[first_w].name
                )
            };
            let product_name = |p: &Option<String>| {
                p.as_deref()
                    .map(|p| ctx.catalog.product(p).map_or(p, |x| x.name.as_str()))
                    .unwrap_or("no product")
                    .to_string()
            };
            let how = match e.by {
                CoveredBy::Provider => format!(
                    "covered by {}'s replacement {} in the same wave",
                    id(primary.provider),
                    product_name(&pa.product)
                ),
                CoveredBy::OwnAgent => format!(
                    "covered by an agent of its own ({}) before {} goes",
                    product_name(&pa.product),
                    id(first_p)
                ),
                CoveredBy::Decision => {
                    if pa.awaits_decision() {
                        warnings.push(format!(
                            "{}: gets anti-virus from {} and nothing replaces it there; needs a \
                             recorded decision",
                            pa.id,
                            names(inv, &e.ways)
                        ));
                    }
                    format!(
                        "no agent fits and no replacement takes over: a decision must be recorded \
                         before {} goes",
                        id(first_p)
                    )
                }
            };
            let fixed = e
                .fixed
                .as_ref()
                .map(|(_, why)| format!("{why}; "))
                .unwrap_or_default();
            pa.reason = format!(
                "{}: {fixed}anti-virus through {}; {when}; {how}",
                waves[w].name,
                ways.join(" and ")
            )
            .into();
            added.push(pa);
        }
        assets.extend(added);
    }
}

fn own_or_decision(product: &Option<String>) -> CoveredBy {
    if product.is_some() {
        CoveredBy::OwnAgent
    } else {
        CoveredBy::Decision
    }
}

fn names(inv: &Inventory, ways: &[Protection]) -> String {
    let ids: Vec<&str> = ways
        .iter()
        .map(|w| inv.assets()[w.provider].id.as_str())
        .collect();
    ids.join(", ")
}
