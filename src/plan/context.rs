//! Everything planning and validation read: inventory, analysis, rules, catalogue.

use super::units::UnitGraph;
use crate::analysis::Analysis;
use crate::catalog::{self, Capability, Catalog, Support};
use crate::model::Named;
use crate::model::{Asset, Date, Inventory};
use crate::progress::detect::Detector;
use crate::rules::{Role, RuleSet};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// A support verdict's cache key: platform profile, product id, the day judged.
type SupportKey = (String, String, Date);

/// The inputs of planning, analysed once.
pub struct PlanContext<'a> {
    /// The estate.
    pub inventory: &'a Inventory,
    /// Findings, graph, reliance.
    pub analysis: &'a Analysis,
    /// Flagged-product rules (for roles).
    pub rules: &'a RuleSet,
    /// Alternative products.
    pub catalog: &'a Catalog,
    /// "Today", for end-of-life dates.
    pub today: Date,
    /// Scheduling units and provider-last constraints.
    pub units: Arc<UnitGraph>,
    support_cache: Mutex<HashMap<SupportKey, (Support, String)>>,
    /// The catalogue's detection facts, compiled on first use, with its name cache.
    detector: OnceLock<Detector>,
    listed_cache: Mutex<HashMap<String, Vec<usize>>>,
}

impl<'a> PlanContext<'a> {
    /// Builds the unit graph once.
    pub fn new(
        inventory: &'a Inventory,
        analysis: &'a Analysis,
        rules: &'a RuleSet,
        catalog: &'a Catalog,
        today: Date,
    ) -> PlanContext<'a> {
        let units = Arc::new(unit_graph(analysis));
        PlanContext::with_units(inventory, analysis, rules, catalog, today, units)
    }

    /// Like [`PlanContext::new`] with a unit graph computed earlier (see [`unit_graph`]).
    pub fn with_units(
        inventory: &'a Inventory,
        analysis: &'a Analysis,
        rules: &'a RuleSet,
        catalog: &'a Catalog,
        today: Date,
        units: Arc<UnitGraph>,
    ) -> PlanContext<'a> {
        PlanContext {
            inventory,
            analysis,
            rules,
            catalog,
            today,
            units,
            support_cache: Mutex::new(HashMap::new()),
            detector: OnceLock::new(),
            listed_cache: Mutex::new(HashMap::new()),
        }
    }

    /// The ids of inventory positions (e.g. a unit's members).
    pub fn ids(&self, positions: &[usize]) -> Vec<&'a str> {
        let assets = self.inventory.assets();
        positions.iter().map(|&m| assets[m].id.as_str()).collect()
    }

    /// Roles of the flagged products found on asset `i`, without duplicates.
    pub fn roles(&self, i: usize) -> Vec<Role> {
        let mut roles: Vec<Role> = self.analysis.findings[i].iter().map(|f| f.role).collect();
        roles.sort();
        roles.dedup();
        roles
    }

    /// Product names of the flagged software found on asset `i`.
    pub fn flagged_products(&self, i: usize) -> Vec<String> {
        self.rules.products_of(&self.analysis.findings[i])
    }

    /// What a successor on asset `i` must be able to do.
    pub fn needs(&self, i: usize) -> Vec<Capability> {
        let roles: Vec<&str> = self.roles(i).into_iter().map(Role::as_str).collect();
        catalog::needs_for(&self.inventory.assets()[i], &roles)
    }

    /// True when asset `i` runs a management server of the flagged product.
    pub fn is_management(&self, i: usize) -> bool {
        self.roles(i).contains(&Role::ManagementServer)
    }

    /// Catalogue products whose software the inventory lists on asset `i` (ids, sorted), as
    /// reconciling a scan would see them.
    pub fn listed(&self, i: usize) -> Vec<String> {
        let detector = self.detector.get_or_init(|| Detector::new(self.catalog));
        let asset = &self.inventory.assets()[i];
        match self.listed_cache.lock() {
            Ok(mut cache) => detector.listed(asset, &mut cache),
            Err(_) => detector.listed(asset, &mut HashMap::new()),
        }
    }

    /// Support of `product` on asset `i` today, with the deciding reason; cached by platform
    /// profile.
    pub fn support(&self, i: usize, product_id: &str) -> Option<(Support, String)> {
        self.support_on(i, product_id, self.today)
    }

    /// Support of `product` on asset `i` on day `on` (ends of support and windows of recent
    /// releases move with the date), with the deciding reason.
    pub fn support_on(&self, i: usize, product_id: &str, on: Date) -> Option<(Support, String)> {
        let product = self.catalog.product(product_id)?;
        let asset = &self.inventory.assets()[i];
        let needs = self.needs(i);
        let key = (profile_key(asset, &needs), product_id.to_string(), on);
        if let Ok(cache) = self.support_cache.lock()
            && let Some(hit) = cache.get(&key)
        {
            return Some(hit.clone());
        }
        let verdict = catalog::check(self.catalog, product, asset, &needs, on);
        // Reasons come worst first: the first one is the one that decides.
        let value = (
            verdict.support,
            verdict.reasons.first().cloned().unwrap_or_default(),
        );
        if let Ok(mut cache) = self.support_cache.lock() {
            cache.insert(key, value.clone());
        }
        Some(value)
    }
}

/// The scheduling units of an analysed inventory.
pub fn unit_graph(analysis: &Analysis) -> UnitGraph {
    let direct: Vec<bool> = analysis.findings.iter().map(|f| !f.is_empty()).collect();
    UnitGraph::build(&analysis.graph, &direct)
}

/// Everything that decides compatibility, as a cache key.
pub fn profile_key(asset: &Asset, needs: &[Capability]) -> String {
    let os = &asset.os;
    format!(
        "{}|{}|{}|{}|{:?}",
        os.family.as_str(),
        os.version.as_deref().unwrap_or(""),
        os.distro.as_deref().unwrap_or(""),
        os.is_32bit,
        needs
    )
}
