//! Choosing each asset's target product: a compatible product already running on the asset
//! first, then vendor rules, then the preference order. Only host agents are chosen: network
//! sensors (monitoring only) and allowlisting products are options of a recorded decision,
//! never a host's replacement.

use super::context::{PlanContext, profile_key};
use super::model::{PlannedAsset, Settings, When};
use crate::catalog::{self, Product, ProductType, Support};
use crate::model::text::Text;
use crate::model::{Asset, AssetKind, normalise_key};
use crate::rules::Role;
use std::collections::HashMap;

/// Why an asset gets no agent without a recorded decision, whatever the catalogue offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nature {
    /// An OT / ICS system (kind `ot`, tags `ot`/`ics`/`scada`, or a flagged OT product): an
    /// agent needs the ICS vendor's approval, and allowlisting or isolation are real options.
    Ot,
    /// An air-gapped system (tag `air-gapped`): updates and consoles need a plan of their own.
    AirGapped,
}

impl Nature {
    /// "an OT system", "an air-gapped system", for sentences.
    pub fn describe(self) -> &'static str {
        match self {
            Nature::Ot => "an OT system",
            Nature::AirGapped => "an air-gapped system",
        }
    }
}

/// Whether asset `asset`, with flagged products of `roles`, is OT or air-gapped (OT wins).
pub fn nature_of(asset: &Asset, roles: &[Role]) -> Option<Nature> {
    let tagged = |names: &[&str]| {
        asset
            .tags()
            .any(|t| names.contains(&normalise_key(t).as_str()))
    };
    if asset.kind == AssetKind::Ot || tagged(&["ot", "ics", "scada"]) || roles.contains(&Role::Ot) {
        Some(Nature::Ot)
    } else if tagged(&["airgapped"]) {
        Some(Nature::AirGapped)
    } else {
        None
    }
}

/// Whether planned asset `pa` needs a decision once `product` is its target (e.g. a product
/// set by hand on an asset that had none). None when the inventory does not have it, or when
/// it is covered through a provider (its coverage decides).
pub fn decision_need(ctx: &PlanContext, pa: &PlannedAsset, product: Option<&str>) -> Option<bool> {
    if pa.coverage.is_some() {
        return None;
    }
    let i = ctx.inventory.resolve(&pa.id)?;
    Some(needs_decision(ctx, i, product))
}

/// Why logical CI `i` (an application or service) gets no product, or None for a machine:
/// nothing is installed on it; the machines it runs on or uses carry the replacement.
pub fn logical_reason(ctx: &PlanContext, i: usize) -> Option<String> {
    let asset = &ctx.inventory.assets()[i];
    if !asset.kind.is_logical() {
        return None;
    }
    let on: Vec<&str> = asset.depends_on.iter().map(|r| r.target.as_str()).collect();
    let machines = match on.as_slice() {
        [] => "the machines it runs on".to_string(),
        _ => on.join(", "),
    };
    Some(format!(
        "no product: a logical CI ({}) is not a machine; its hosts ({machines}) carry the \
         replacement",
        asset.kind
    ))
}

/// True when `product` is a host agent: something installed on the asset that protects it.
/// Network sensors and allowlisting products are not (they are decision options).
pub fn is_host_agent(product: &Product) -> bool {
    product.kind == ProductType::Agent
}

/// True when a person must record a decision for asset `i` with target `product`: OT and
/// air-gapped systems, no compatible product, or a product that is not a host agent.
pub fn needs_decision(ctx: &PlanContext, i: usize, product: Option<&str>) -> bool {
    if ctx.inventory.assets()[i].kind.is_logical() {
        return false;
    }
    let host_agent = product
        .and_then(|p| ctx.catalog.product(p))
        .is_some_and(is_host_agent);
    !host_agent || nature_of(&ctx.inventory.assets()[i], &ctx.roles(i)).is_some()
}

/// True when the inventory shows `product` running on asset `i` (its software list names it),
/// and not merely as part of Windows: a Defender service is on every Windows machine and
/// proves nothing about which antivirus is active.
pub fn runs_on(ctx: &PlanContext, product: &Product, i: usize) -> bool {
    !part_of_windows(product, &ctx.inventory.assets()[i]) && ctx.listed(i).contains(&product.id)
}

/// True when the catalogue says `product` is built into some Windows and the asset runs
/// Windows: its listing is no evidence that it protects the asset.
fn part_of_windows(product: &Product, asset: &Asset) -> bool {
    asset.os.family.is_windows() && product.detect.builtin.iter().any(|(f, _)| f.is_windows())
}

/// True when an asset satisfies every condition of a vendor rule.
pub fn when_matches(when: &When, asset: &Asset) -> bool {
    (when.kind.is_empty() || when.kind.contains(&asset.kind))
        && (when.os_family.is_empty() || when.os_family.contains(&asset.os.family))
        && (when.criticality.is_empty() || when.criticality.contains(&asset.criticality))
        && (when.site.is_empty()
            || asset
                .site()
                .is_some_and(|s| when.site.iter().any(|w| w.eq_ignore_ascii_case(s))))
        && (when.tag.is_empty() || when.tag.iter().any(|t| asset.has_tag(t)))
}

/// Chooses products with a cache per platform profile and matching rule.
pub struct ProductChooser<'c, 'a> {
    ctx: &'c PlanContext<'a>,
    settings: &'c Settings,
    order: Vec<String>,
    cache: HashMap<(String, Option<usize>), (Option<String>, Text)>,
}

impl<'c, 'a> ProductChooser<'c, 'a> {
    /// A chooser for one plan's settings.
    pub fn new(ctx: &'c PlanContext<'a>, settings: &'c Settings) -> Self {
        let mut order: Vec<String> = settings
            .preference
            .iter()
            .filter(|p| ctx.catalog.product(p).is_some())
            .cloned()
            .collect();
        for p in ctx.catalog.products() {
            if !order.contains(&p.id) {
                order.push(p.id.clone());
            }
        }
        ProductChooser {
            ctx,
            settings,
            order,
            cache: HashMap::new(),
        }
    }

    /// The product for asset `i` and why; None when nothing in the catalogue fits, and for a
    /// logical CI (its machines carry the replacement).
    ///
    /// The reason is shared: assets of one profile get the same text, not a copy each.
    pub fn choose(&mut self, i: usize) -> (Option<String>, Text) {
        if let Some(why) = logical_reason(self.ctx, i) {
            return (None, why.into());
        }
        if let Some((product, why)) = self.already_running(i) {
            return (product, why.into());
        }
        let asset = &self.ctx.inventory.assets()[i];
        let rule = self
            .settings
            .vendor_rules
            .iter()
            .position(|r| when_matches(&r.when, asset));
        let needs = self.ctx.needs(i);
        let key = (profile_key(asset, &needs), rule);
        if let Some(hit) = self.cache.get(&key) {
            return hit.clone();
        }
        let (product, why) = self.decide(i, rule, &needs);
        let result = (product, Text::from(why));
        self.cache.insert(key, result.clone());
        result
    }

    /// A compatible host agent the inventory already lists on asset `i` (in preference
    /// order): it stays, and only the flagged product is removed.
    fn already_running(&mut self, i: usize) -> Option<(Option<String>, String)> {
        let asset = &self.ctx.inventory.assets()[i];
        let listed = self.ctx.listed(i);
        if listed.is_empty() {
            return None;
        }
        for wanted in [Support::Yes, Support::Limited] {
            for id in self.order.iter().filter(|p| listed.contains(p)) {
                let Some(product) = self.ctx.catalog.product(id) else {
                    continue;
                };
                if !is_host_agent(product) || part_of_windows(product, asset) {
                    continue;
                }
                if let Some((support, why)) = self.ctx.support(i, id)
                    && support == wanted
                {
                    let how = if wanted == Support::Limited {
                        "limited support: "
                    } else {
                        ""
                    };
                    return Some((
                        Some(id.clone()),
                        format!(
                            "already running: the inventory lists {} on this asset, so it stays \
                             and only the flagged product is removed; {how}{why}",
                            product.name
                        ),
                    ));
                }
            }
        }
        None
    }

    fn decide(
        &self,
        i: usize,
        rule: Option<usize>,
        needs: &[catalog::Capability],
    ) -> (Option<String>, String) {
        let mut skipped = String::new();
        if let Some(r) = rule {
            let product = &self.settings.vendor_rules[r].product;
            let agent = self.ctx.catalog.product(product).map(is_host_agent);
            match (agent, self.ctx.support(i, product)) {
                (Some(false), _) => {
                    skipped = format!(
                        "vendor rule {} skipped (\"{product}\" is not a host agent: network \
                         sensors and allowlisting are options of a recorded decision); ",
                        r + 1
                    );
                }
                (_, Some((Support::Yes, why))) => {
                    return (
                        Some(product.clone()),
                        format!("vendor rule {}: {why}", r + 1),
                    );
                }
                (_, Some((Support::Limited, why))) => {
                    return (
                        Some(product.clone()),
                        format!("vendor rule {} (limited support): {why}", r + 1),
                    );
                }
                (_, Some((_, why))) => {
                    skipped = format!("vendor rule {} skipped ({why}); ", r + 1);
                }
                (_, None) => {
                    skipped = format!(
                        "vendor rule {} names \"{product}\", which is not in the catalogue; ",
                        r + 1
                    );
                }
            }
        }
        for wanted in [Support::Yes, Support::Limited] {
            for p in &self.order {
                if !self.ctx.catalog.product(p).is_some_and(is_host_agent) {
                    continue;
                }
                if let Some((support, why)) = self.ctx.support(i, p)
                    && support == wanted
                {
                    let how = if wanted == Support::Limited {
                        "limited support: "
                    } else {
                        ""
                    };
                    let source = if self.settings.preference.contains(p) {
                        "preference"
                    } else {
                        "first compatible in the catalogue"
                    };
                    return (Some(p.clone()), format!("{skipped}{source}: {how}{why}"));
                }
            }
        }
        let asset = &self.ctx.inventory.assets()[i];
        let unverified: Vec<&str> = self
            .order
            .iter()
            .filter(|p| self.ctx.catalog.product(p).is_some_and(is_host_agent))
            .filter(|p| {
                self.ctx
                    .support(i, p)
                    .is_some_and(|(s, _)| s == Support::Unverified)
            })
            .map(String::as_str)
            .collect();
        let confirm = match unverified.as_slice() {
            [] => String::new(),
            some => format!(
                " ({} unverified: {}{}; confirm one with its vendor and set it)",
                some.len(),
                some[..some.len().min(3)].join(", "),
                if some.len() > 3 { " …" } else { "" }
            ),
        };
        (
            None,
            format!(
                "{skipped}{}{confirm}; needs a recorded decision",
                catalog::explain_none(asset, needs)
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analysis;
    use crate::catalog::Catalog;
    use crate::model::{Inventory, Os, Software};
    use crate::plan::model::{VendorRule, When};
    use crate::rules::RuleSet;

    fn asset(id: &str, kind: AssetKind, os: &str, software: &[&str], tags: &[&str]) -> Asset {
        let mut a = Asset::new(id);
        a.kind = kind;
        a.os = Os::parse(os);
        a.software = software.iter().map(|s| Software::named(*s)).collect();
        a.set_tags(tags.iter().map(|&t| t.into()));
        a
    }

    /// (product, reason, needs_decision) per asset id, with the built-in rules and catalogue.
    fn choose_all(assets: Vec<Asset>, settings: &Settings) -> Vec<(String, Option<String>, bool)> {
        let inv = Inventory::from_assets(assets);
        let (rules, catalog) = (RuleSet::builtin(), Catalog::builtin());
        let analysis = Analysis::run(&inv, &rules);
        let ctx = PlanContext::new(
            &inv,
            &analysis,
            &rules,
            &catalog,
            "2026-11-28".parse().unwrap(),
        );
        let mut chooser = ProductChooser::new(&ctx, settings);
        (0..inv.len())
            .map(|i| {
                let (p, _) = chooser.choose(i);
                let decide = needs_decision(&ctx, i, p.as_deref());
                (inv.assets()[i].id.to_string(), p, decide)
            })
            .collect()
    }

    fn settings() -> Settings {
        Settings::new("2027-01-11".parse().unwrap())
    }

    #[test]
    fn ot_hosts_never_get_a_network_sensor_and_always_need_a_decision() {
        let hmi = asset(
            "hmi",
            AssetKind::Ot,
            "Windows 7 Embedded Standard",
            &["Kaspersky Industrial CyberSecurity for Nodes"],
            &["kritis"],
        );
        let scada = asset(
            "scada",
            AssetKind::Server,
            "Windows Server 2019 Standard",
            &["Kaspersky Industrial CyberSecurity for Nodes"],
            &[],
        );
        let gapped = asset(
            "gapped",
            AssetKind::Workstation,
            "Windows 11 Enterprise 23H2",
            &["Kaspersky Endpoint Security for Windows"],
            &["air-gapped"],
        );
        // Even a vendor rule cannot make a network sensor a host's replacement.
        let mut s = settings();
        s.vendor_rules.push(VendorRule {
            when: When::default(),
            product: "defender-for-iot".into(),
        });
        for (id, product, decide) in choose_all(vec![hmi, scada, gapped], &s) {
            assert!(decide, "{id} must await a decision");
            if let Some(p) = &product {
                let cat = Catalog::builtin();
                assert!(is_host_agent(cat.product(p).unwrap()), "{id}: {p}");
            }
            if id != "gapped" {
                assert_eq!(product, None, "{id}");
            }
        }
    }

    #[test]
    fn monitoring_and_allowlisting_products_are_never_chosen() {
        let cat = Catalog::builtin();
        let mut s = settings();
        s.preference = vec![
            "claroty".into(),
            "nozomi-guardian".into(),
            "trend-safe-lock".into(),
            "trellix-application-control".into(),
        ];
        let assets = vec![
            asset(
                "ws",
                AssetKind::Workstation,
                "Windows 11 23H2",
                &["Kaspersky Endpoint Security for Windows"],
                &[],
            ),
            asset(
                "ot",
                AssetKind::Ot,
                "Windows 10 IoT Enterprise LTSC 2021",
                &["Kaspersky Industrial CyberSecurity for Nodes"],
                &["ics"],
            ),
        ];
        for (id, product, _) in choose_all(assets, &s) {
            if let Some(p) = product {
                assert_eq!(
                    cat.product(&p).unwrap().kind,
                    ProductType::Agent,
                    "{id}: {p}"
                );
            }
        }
    }

    #[test]
    fn a_compatible_product_already_running_is_kept() {
        let eset = asset(
            "nb",
            AssetKind::Laptop,
            "Windows 11 Enterprise 23H2",
            &[
                "ESET Endpoint Security",
                "Kaspersky Security Center Network Agent",
            ],
            &[],
        );
        // A Defender service row is on every Windows machine: it proves nothing.
        let defender = asset(
            "ws",
            AssetKind::Workstation,
            "Windows 10 Enterprise 22H2",
            &["WinDefend", "Kaspersky Endpoint Security for Windows"],
            &[],
        );
        let mut s = settings();
        s.preference = vec!["sophos-intercept-x".into(), "mde".into()];
        let got = choose_all(vec![eset, defender], &s);
        assert_eq!(
            got[0].1.as_deref(),
            Some("eset-protect-endpoint"),
            "{got:?}"
        );
        assert!(!got[0].2);
        assert_eq!(got[1].1.as_deref(), Some("mde"), "{got:?}");
        let inv =
            Inventory::from_assets([asset("x", AssetKind::Laptop, "macOS 14.5", &["mdatp"], &[])]);
        let cat = Catalog::builtin();
        let (rules, today) = (RuleSet::builtin(), "2026-11-28".parse().unwrap());
        let analysis = crate::analysis::Analysis::run(&inv, &rules);
        let ctx = PlanContext::new(&inv, &analysis, &rules, &cat, today);
        assert!(runs_on(&ctx, cat.product("mde").unwrap(), 0));
        assert!(!runs_on(
            &ctx,
            cat.product("eset-protect-endpoint").unwrap(),
            0
        ));
    }

    #[test]
    fn no_compatible_product_needs_a_decision_and_nature_reads_tags_loosely() {
        let old = asset(
            "mac",
            AssetKind::Laptop,
            "macOS 13.6.7",
            &["Kaspersky Endpoint Security for Mac"],
            &[],
        );
        let got = choose_all(vec![old], &settings());
        assert_eq!((got[0].1.as_deref(), got[0].2), (None, true));
        let a = asset("s", AssetKind::Server, "Ubuntu 22.04", &[], &["SCADA"]);
        assert_eq!(nature_of(&a, &[]), Some(Nature::Ot));
        let a = asset("g", AssetKind::Server, "Ubuntu 22.04", &[], &["Air_Gapped"]);
        assert_eq!(nature_of(&a, &[]), Some(Nature::AirGapped));
        assert_eq!(nature_of(&a, &[Role::Ot]), Some(Nature::Ot));
        let a = asset("n", AssetKind::Server, "Ubuntu 22.04", &[], &["kritis"]);
        assert_eq!(nature_of(&a, &[Role::Endpoint]), None);
    }
}
