//! Protection through providers: assets whose anti-virus is done *for* them by a direct asset
//! (`scanned-by` an agentless virtualization appliance or a scanning server, mail carried
//! `mail-via` a scanning mail server or gateway). Replacing the provider takes that protection
//! away, so each such asset joins the plan with its own [`Coverage`]: an agent of its own, the
//! provider's replacement (only when that product has the function), or a recorded decision, no
//! later than the wave that replaces the provider.

mod place;
mod steps;

pub(crate) use place::CoveragePlanner;
pub use steps::coverage_steps;

use super::context::PlanContext;
use super::model::PlannedAsset;
use crate::catalog::{Capability, Catalog, ProductType, Status as FactStatus, Support};
use crate::model::Named;
use crate::model::RelationKind;
use crate::rules::Role;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a protected asset keeps its anti-virus once its provider is replaced.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::VariantArray,
    strum::IntoStaticStr,
    strum::Display,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum CoveredBy {
    /// The provider's replacement takes over (it has the function).
    Provider,
    /// An agent of its own (the asset's `product`), installed before the provider goes.
    OwnAgent,
    /// Neither is possible: a person records a decision.
    Decision,
}

impl crate::model::Named for CoveredBy {}

/// How an asset protected through a provider is covered (the plan file's
/// `coverage = { via = "svm-01", function = "virtualization", by = "provider" }`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    /// The provider whose protection it loses (inventory id of a direct asset).
    pub via: String,
    /// What the provider does for it: `virtualization`, `file-server` or `mail`.
    pub function: Capability,
    /// How it is covered.
    pub by: CoveredBy,
}

/// One way an asset gets anti-virus from a direct asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Protection {
    /// Inventory position of the provider (a direct asset).
    pub provider: usize,
    /// The relation (`scanned-by` or `mail-via`).
    pub kind: RelationKind,
    /// The function the provider performs for it.
    pub function: Capability,
}

/// The function a provider whose flagged products have `roles` performs for an asset that
/// depends on it with `kind`; None when the relation carries no anti-virus.
///
/// - `scanned-by`: virtualization (agentless SVM, hypervisor scanning) → `virtualization`;
///   server protection, a gateway or an embedded scan engine (file server, ICAP scanner) →
///   `file-server` (scanning of a NAS or share from beside it).
/// - `mail-via`: mail or gateway protection → `mail`.
pub fn function_of(kind: RelationKind, roles: &[Role]) -> Option<Capability> {
    match kind {
        RelationKind::ScannedBy if roles.contains(&Role::Virtualization) => {
            Some(Capability::Virtualization)
        }
        RelationKind::ScannedBy
            if roles.iter().any(|r| {
                matches!(
                    r,
                    Role::ServerProtection | Role::Gateway | Role::OemEngine | Role::Storage
                )
            }) =>
        {
            Some(Capability::FileServer)
        }
        RelationKind::MailVia
            if roles
                .iter()
                .any(|r| matches!(r, Role::Mail | Role::Gateway)) =>
        {
            Some(Capability::Mail)
        }
        _ => None,
    }
}

/// Every asset that runs no flagged product itself but gets anti-virus from a direct asset,
/// with the ways it does (sorted by function, then provider id). Direct assets that also rely
/// on a provider are left out: their own replacement protects them.
pub fn protections(ctx: &PlanContext) -> BTreeMap<usize, Vec<Protection>> {
    let inv = ctx.inventory;
    let findings = &ctx.analysis.findings;
    let mut out: BTreeMap<usize, Vec<Protection>> = BTreeMap::new();
    for p in (0..inv.len()).filter(|&p| !findings[p].is_empty()) {
        let edges = ctx.analysis.graph.dependents(p);
        if !edges
            .iter()
            .any(|e| matches!(e.kind, RelationKind::ScannedBy | RelationKind::MailVia))
        {
            continue;
        }
        let roles = ctx.roles(p);
        for e in edges {
            let d = e.asset as usize;
            if !findings[d].is_empty() {
                continue;
            }
            if let Some(function) = function_of(e.kind, &roles) {
                out.entry(d).or_default().push(Protection {
                    provider: p,
                    kind: e.kind,
                    function,
                });
            }
        }
    }
    for ways in out.values_mut() {
        ways.sort_by(|a, b| {
            (a.function, &inv.assets()[a.provider].id)
                .cmp(&(b.function, &inv.assets()[b.provider].id))
        });
        ways.dedup_by_key(|w| w.provider);
    }
    out
}

/// Whether catalogue product `product` can take over `function` for the assets its provider
/// protected: Ok with the deciding sentence, Err with why not. The role must be supported on
/// verified facts (limited or unverified support is not enough to switch a provider off); for
/// `file-server` it must work from beside the asset (NAS / share scanning through ICAP), since
/// protection of the file server itself does not scan anything else.
pub fn provider_function(
    catalog: &Catalog,
    product: Option<&str>,
    function: Capability,
) -> Result<String, String> {
    let what = function.describe();
    let Some(id) = product else {
        return Err("no replacement product is planned for it".into());
    };
    let Some(p) = catalog.product(id) else {
        return Err(format!("its replacement \"{id}\" is not in the catalogue"));
    };
    let name = &p.name;
    let Some(role) = function.role() else {
        return Err(format!("{name} cannot do {what}"));
    };
    let note = |f: &crate::catalog::RoleFact| {
        f.note
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default()
    };
    let Some(fact) = p.role(role) else {
        return Err(format!("its replacement {name} does not cover {what}"));
    };
    if fact.status != FactStatus::Supported || !fact.provenance.verified {
        let how = if fact.provenance.verified {
            fact.status.as_str()
        } else {
            "unverified"
        };
        return Err(format!(
            "its replacement {name} covers {what} only as \"{how}\"{}",
            note(fact)
        ));
    }
    if role == Capability::FileServer && !fact.remote {
        return Err(format!(
            "its replacement {name} protects the file server itself, but does not scan other \
             storage from beside it{}",
            note(fact)
        ));
    }
    Ok(format!("{name} covers {what}{}", note(fact)))
}

/// [`covered_by`] for an asset of the inventory: `hosts` for a logical CI without a product
/// (application, service: the machines it runs on carry the replacement).
pub fn covered_by_asset(pa: &PlannedAsset, asset: Option<&crate::model::Asset>) -> &'static str {
    match asset {
        Some(a) if a.kind.is_logical() && pa.product.is_none() && pa.coverage.is_none() => "hosts",
        _ => covered_by(pa),
    }
}

/// How a planned asset keeps anti-virus protection, for exports: `provider`, `own-agent` or
/// `decision` for an asset protected through a provider (its coverage); `replacement` for an
/// asset that runs a flagged product and has a target product; `decision` when it has none.
pub fn covered_by(pa: &PlannedAsset) -> &'static str {
    match (&pa.coverage, &pa.product) {
        (Some(c), _) => c.by.as_str(),
        (None, Some(_)) => "replacement",
        (None, None) => "decision",
    }
}

/// A catalogue agent asset `i` already runs (listed in its software) that is not known to be
/// unfit for it, with the deciding sentence: it needs no new agent of its own. Unverified
/// support counts here (the agent demonstrably runs there); the sentence says so.
pub fn existing_agent(ctx: &PlanContext, i: usize) -> Option<(String, String)> {
    ctx.listed(i)
        .into_iter()
        .filter(|p| {
            ctx.catalog
                .product(p)
                .is_some_and(|x| x.kind == ProductType::Agent)
        })
        .find_map(|p| match ctx.support(i, &p) {
            Some((support, why)) if support != Support::No => Some((p, why)),
            _ => None,
        })
}

/// "scans it" / "carries its mail": what the provider does, for sentences.
pub fn relation_words(kind: RelationKind) -> &'static str {
    match kind {
        RelationKind::MailVia => "carries its mail",
        _ => "scans it",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::VariantArray;

    #[test]
    fn functions_follow_relation_and_role() {
        use RelationKind::*;
        assert_eq!(
            function_of(ScannedBy, &[Role::Virtualization, Role::ManagementAgent]),
            Some(Capability::Virtualization)
        );
        assert_eq!(
            function_of(ScannedBy, &[Role::ServerProtection]),
            Some(Capability::FileServer)
        );
        assert_eq!(function_of(MailVia, &[Role::Mail]), Some(Capability::Mail));
        assert_eq!(function_of(MailVia, &[Role::Virtualization]), None);
        assert_eq!(function_of(ScannedBy, &[Role::Endpoint]), None);
        assert_eq!(function_of(Uses, &[Role::Virtualization]), None);
    }

    #[test]
    fn covered_by_names_round_trip() {
        for &b in CoveredBy::VARIANTS {
            assert_eq!(CoveredBy::from_name(b.as_str()), Some(b));
        }
        assert_eq!(CoveredBy::from_name("Own Agent"), Some(CoveredBy::OwnAgent));
        assert_eq!(CoveredBy::from_name("agentless"), None);
    }

    #[test]
    fn a_provider_function_needs_a_verified_supported_role() {
        let c = Catalog::builtin();
        let mail = provider_function(&c, Some("mde"), Capability::Mail).unwrap_err();
        assert!(mail.contains("limited"), "{mail}");
        // MDE protects a file server itself; it does not scan a NAS from beside it.
        let nas = provider_function(&c, Some("mde"), Capability::FileServer).unwrap_err();
        assert!(nas.contains("does not scan other storage"), "{nas}");
        assert!(provider_function(&c, None, Capability::Mail).is_err());
        // An unverified role is no function to rely on.
        let svm = provider_function(
            &c,
            Some("eset-virtualization-security"),
            Capability::Virtualization,
        )
        .unwrap_err();
        assert!(svm.contains("unverified"), "{svm}");
        let ok = provider_function(&c, Some("eset-mail-security-exchange"), Capability::Mail);
        assert!(ok.is_ok(), "{ok:?}");
    }
}
