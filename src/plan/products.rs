//! Choosing each asset's target product: vendor rules first, then the preference order.

use super::context::{PlanContext, profile_key};
use super::model::{Settings, When};
use crate::catalog::{self, Support};
use crate::model::Asset;
use std::collections::HashMap;

/// True when an asset satisfies every condition of a vendor rule.
pub fn when_matches(when: &When, asset: &Asset) -> bool {
    (when.kind.is_empty() || when.kind.contains(&asset.kind))
        && (when.os_family.is_empty() || when.os_family.contains(&asset.os.family))
        && (when.criticality.is_empty() || when.criticality.contains(&asset.criticality))
        && (when.site.is_empty()
            || asset
                .site
                .as_deref()
                .is_some_and(|s| when.site.iter().any(|w| w.eq_ignore_ascii_case(s))))
        && (when.tag.is_empty() || when.tag.iter().any(|t| asset.has_tag(t)))
}

/// Chooses products with a cache per platform profile and matching rule.
pub struct ProductChooser<'c, 'a> {
    ctx: &'c PlanContext<'a>,
    settings: &'c Settings,
    order: Vec<String>,
    cache: HashMap<(String, Option<usize>), (Option<String>, String)>,
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

    /// The product for asset `i` and why; None when nothing in the catalogue fits.
    pub fn choose(&mut self, i: usize) -> (Option<String>, String) {
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
        let result = self.decide(i, rule, &needs);
        self.cache.insert(key, result.clone());
        result
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
            match self.ctx.support(i, product) {
                Some((Support::Yes, why)) => {
                    return (
                        Some(product.clone()),
                        format!("vendor rule {}: {why}", r + 1),
                    );
                }
                Some((Support::Limited, why)) => {
                    return (
                        Some(product.clone()),
                        format!("vendor rule {} (limited support): {why}", r + 1),
                    );
                }
                Some((_, why)) => {
                    skipped = format!("vendor rule {} skipped ({why}); ", r + 1);
                }
                None => {
                    skipped = format!(
                        "vendor rule {} names \"{product}\", which is not in the catalogue; ",
                        r + 1
                    );
                }
            }
        }
        for wanted in [Support::Yes, Support::Limited] {
            for p in &self.order {
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
        (
            None,
            format!(
                "{skipped}{}; needs a recorded decision",
                catalog::explain_none(asset, needs)
            ),
        )
    }
}
