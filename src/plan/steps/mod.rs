//! Per-asset replacement steps: never a protection gap (BSI: do not switch protection off
//! without preparation). Install the successor next to the flagged product, verify it, move any
//! job it does for others over to it, remove the flagged product, confirm the successor is
//! active; management servers go last. Assets no host agent replaces without a decision get a
//! decide step with the real options instead, and steps fit the flagged product's family
//! (business, home, mobile) and the platform (Windows 10/11, Windows 7 and older, Windows
//! Server, Linux, macOS). Each step names the sources of the facts it states.

mod decide;
mod flagged;
mod function;
mod management;
mod platform;
pub(crate) mod sources;
mod ticks;

use super::context::PlanContext;
use super::model::PlannedAsset;
use super::products::{Nature, nature_of, runs_on};
use crate::catalog::{self, Capability, Product};
use crate::model::{Asset, RelationKind};
use flagged::{Family, Flagged};
use function::Function;
use platform::Platform;
use serde::Serialize;
pub use ticks::{alerts_of, ticks};

/// One step of an asset's replacement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Stable key, in this order where present: decide, install-new, verify, switch-over,
    /// remove-flagged, confirm-active, export-records, decommission.
    pub key: &'static str,
    /// What to do.
    pub action: String,
    /// Things that matter for this asset.
    pub notes: Vec<String>,
    /// Where the facts the step states come from (URLs or `owner/repo:path`), without
    /// duplicates.
    pub sources: Vec<String>,
}

impl Step {
    /// A step without notes or sources.
    pub fn new(key: &'static str, action: impl Into<String>) -> Step {
        Step {
            key,
            action: action.into(),
            notes: Vec::new(),
            sources: Vec::new(),
        }
    }

    /// Adds a note that states no fact of its own (advice, a list of assets).
    pub fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
    }

    /// Adds a note with the sources of the facts it states.
    pub fn sourced(&mut self, text: impl Into<String>, sources: &[&str]) {
        self.notes.push(text.into());
        for s in sources {
            self.add_source(s);
        }
    }

    /// Adds a source (a catalogue source may hold several, separated by " ; ").
    fn add_source(&mut self, source: &str) {
        for part in source.split(" ; ").map(str::trim).filter(|p| !p.is_empty()) {
            if !self.sources.iter().any(|have| have == part) {
                self.sources.push(part.to_string());
            }
        }
    }
}

/// The steps for planned asset `pa` (inventory position `i`).
pub fn steps_for(ctx: &PlanContext, pa: &PlannedAsset, i: usize) -> Vec<Step> {
    let asset = &ctx.inventory.assets()[i];
    if asset.kind.is_logical() {
        return vec![logical_step(asset)];
    }
    // Protected through a provider, no flagged product of its own: keep its protection.
    if let Some(c) = &pa.coverage
        && ctx.analysis.findings[i].is_empty()
    {
        return super::coverage::coverage_steps(ctx, pa, i, c);
    }
    let s = Subject::new(ctx, pa, i);
    let mut steps = Vec::new();
    if let decide::Outcome::Proceed = decide::decide(&s, pa, &mut steps) {
        replacement(&s, &mut steps);
    }
    if s.management {
        steps.extend(management::steps(&s));
    }
    steps
}

/// The one step of a logical CI (application, service): no agent, its machines carry it.
fn logical_step(asset: &Asset) -> Step {
    let on: Vec<&str> = asset.depends_on.iter().map(|r| r.target.as_str()).collect();
    let machines = if on.is_empty() {
        "the machines it runs on".to_string()
    } else {
        on.join(", ")
    };
    Step::new(
        "switch-over",
        format!(
            "{} is a logical CI ({}), not a machine: install no agent on it. Replace the flagged \
             product on the machines it runs on or uses ({machines}), then check that it still \
             works.",
            asset.id, asset.kind
        ),
    )
}

/// Everything the steps of one asset are built from.
pub(crate) struct Subject<'c> {
    ctx: &'c PlanContext<'c>,
    i: usize,
    asset: &'c Asset,
    flagged: Flagged,
    product: Option<&'c Product>,
    /// The successor's display name (its id when it is not in the catalogue).
    name: String,
    /// What the successor must be able to do.
    needs: Vec<Capability>,
    /// The successor already runs on the asset (the inventory lists it).
    running: bool,
    /// The successor does its job from a machine of its own (every needed role is remote).
    beside: bool,
    nature: Option<Nature>,
    function: Option<Function>,
    platform: Platform,
    /// A Security Center Administration Server runs here.
    management: bool,
    /// Security Center manages the asset (a Network Agent, or a managed-by relation).
    managed: bool,
}

impl<'c> Subject<'c> {
    fn new(ctx: &'c PlanContext<'c>, pa: &PlannedAsset, i: usize) -> Subject<'c> {
        let asset = &ctx.inventory.assets()[i];
        let flagged = Flagged::of(ctx, i);
        let product = pa.product.as_deref().and_then(|p| ctx.catalog.product(p));
        let needs = ctx.needs(i);
        let beside = product.is_some_and(|p| {
            let mut roles = needs.iter().filter_map(|c| c.role()).peekable();
            roles.peek().is_some() && roles.all(|r| p.role(r).is_some_and(|f| f.remote))
        });
        let managed = flagged.has(Family::NetworkAgent)
            || ctx
                .analysis
                .graph
                .providers(i)
                .iter()
                .any(|e| e.kind == RelationKind::ManagedBy);
        let mut s = Subject {
            ctx,
            i,
            asset,
            name: product
                .map(|p| p.name.clone())
                .or_else(|| pa.product.clone())
                .unwrap_or_default(),
            running: product.is_some_and(|p| runs_on(ctx, p, i)),
            beside,
            nature: nature_of(asset, &ctx.roles(i)),
            function: None,
            platform: Platform::of(asset.os.family, asset.os.version.as_deref()),
            management: flagged.has(Family::AdminServer),
            managed,
            needs,
            product,
            flagged,
        };
        s.function = Function::of(&s);
        s
    }

    /// True when the successor is Microsoft Defender (for Endpoint or Antivirus).
    fn defender(&self) -> bool {
        self.product
            .is_some_and(|p| p.vendor == "microsoft" && p.name.contains("Defender"))
    }

    /// Ids of the assets that depend on this one through `kinds`, sorted.
    fn dependents(&self, kinds: &[RelationKind]) -> Vec<String> {
        let assets = self.ctx.inventory.assets();
        let mut ids: Vec<String> = self
            .ctx
            .analysis
            .graph
            .dependents(self.i)
            .iter()
            .filter(|e| kinds.contains(&e.kind))
            .map(|e| assets[e.asset as usize].id.to_string())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }
}

/// "a, b, c and 4 more".
fn sample(ids: &[String], n: usize) -> String {
    if ids.len() <= n {
        flagged::join_and(ids)
    } else {
        format!("{} and {} more", ids[..n].join(", "), ids.len() - n)
    }
}

/// install (or verify what already runs) → switch-over → remove → confirm.
fn replacement(s: &Subject, steps: &mut Vec<Step>) {
    let name = &s.name;
    let flagged = s.flagged.joined(|_| true);
    let consumer = s.flagged.has(Family::Consumer);
    if s.running {
        let mut verify = Step::new(
            "verify",
            format!(
                "Verify {name}, which already runs here: detection test (EICAR), current \
                 signatures, check-in at its console. Nothing is installed."
            ),
        );
        verify.note(format!(
            "The inventory lists {name} on {}: it stays, only {flagged} goes.",
            s.asset.id
        ));
        steps.push(verify);
    } else {
        steps.push(install(s, consumer));
        let action = s
            .function
            .and_then(|f| function::verify_action(s, f))
            .unwrap_or_else(|| match s.platform {
                Platform::Mobile => format!(
                    "Verify {name}: it reports in at its console and protects the device with \
                     current definitions."
                ),
                _ => format!(
                    "Verify {name}: detection test (EICAR), current signatures, check-in at its \
                     console."
                ),
            });
        steps.push(Step::new("verify", action));
    }
    if let Some(f) = s.function {
        steps.push(function::switch_over(s, f));
    }
    // On a management server, Security Center itself goes last (decommission).
    let removable = if s.management {
        s.flagged
            .filtered(|f| !matches!(f, Family::AdminServer | Family::NetworkAgent))
    } else {
        s.flagged.clone()
    };
    let retires = s.function.is_some_and(|f| f.retires_the_machine(s));
    if !removable.found.is_empty() {
        let mut remove = Step::new(
            "remove-flagged",
            format!("Remove {}.", removable.joined(|_| true)),
        );
        if let Some(f) = s.function {
            function::removal_note(s, f, &mut remove);
        }
        if !retires {
            flagged::password_notes(&removable, s.asset, &mut remove);
            flagged::removal_notes(&removable, s.asset, s.managed, &mut remove);
        }
        if s.management {
            remove.note("Security Center itself stays until the decommission step below.");
        }
        steps.push(remove);
    }
    let action = s
        .function
        .and_then(|f| function::confirm_action(s, f))
        .unwrap_or_else(|| match s.platform {
            Platform::Mobile => {
                format!("Confirm {name} protects the device and the Kaspersky app is gone.")
            }
            _ => format!(
                "Confirm {name} is active (not passive) and no Kaspersky service, driver or \
                 package is left."
            ),
        });
    let mut confirm = Step::new("confirm-active", action);
    if !retires && !s.beside {
        platform::confirm_notes(s, &mut confirm);
    }
    if consumer {
        confirm.sourced(
            "The Kaspersky browser extensions are gone from every browser and profile.",
            &[sources::BSI_CONSUMER],
        );
    }
    steps.push(confirm);
}

fn install(s: &Subject, consumer: bool) -> Step {
    let name = &s.name;
    // On a management server the successor protects the server, next to Kaspersky's
    // protection product; Security Center itself is no protection.
    let protection = s
        .flagged
        .joined(|f| !matches!(f, Family::AdminServer | Family::NetworkAgent));
    let flagged = if s.management && !protection.is_empty() {
        protection
    } else {
        s.flagged.joined(|_| true)
    };
    let action = if let Some(f) = s.function {
        function::install_action(s, f)
    } else if consumer {
        format!(
            "Switch {name} on first: install it next to {flagged} (passive or coexisting mode) \
             before anything is removed."
        )
    } else if s.platform == Platform::Mobile {
        format!("Deploy {name} to the device next to {flagged}.")
    } else {
        format!("Install {name} next to {flagged} (passive or coexisting mode).")
    };
    let mut step = Step::new("install-new", action);
    if let Some(p) = s.product {
        for n in catalog::note_rules_for(p, s.asset) {
            let text = if n.provenance.verified {
                n.text.clone()
            } else {
                format!("unverified: {}", n.text)
            };
            step.sourced(text, &[n.provenance.source.as_str()]);
        }
    }
    if consumer {
        step.sourced(
            "BSI's order for Kaspersky's home products: first switch other protection on, then \
             uninstall Kaspersky and its browser extensions.",
            &[sources::BSI_CONSUMER],
        );
    }
    if !s.beside && s.platform != Platform::Mobile {
        let policy = if s.flagged.only(&[Family::Consumer]) {
            "Kaspersky's settings"
        } else {
            "the Kaspersky policy"
        };
        step.note(format!(
            "Exclude {name} in {policy} and Kaspersky's folders and processes in {name}, so \
             both can run side by side."
        ));
        platform::install_notes(s, &mut step);
    } else if s.platform == Platform::Mobile {
        platform::install_notes(s, &mut step);
    }
    step
}

#[cfg(test)]
mod function_tests;
#[cfg(test)]
mod tests;
