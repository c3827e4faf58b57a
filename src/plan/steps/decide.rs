//! The decide step: the real options for an asset no host agent replaces without a decision
//! (OT and air-gapped systems, no compatible product, a product that is not a host agent), and
//! the recorded decision once there is one.

use super::function;
use super::sources as src;
use super::{Step, Subject};
use crate::catalog::{self, ProductType, Support, Verdict};
use crate::plan::decision::{Decision, DecisionOption};
use crate::plan::model::PlannedAsset;
use crate::plan::products::Nature;

/// What the decision means for the rest of the steps.
pub enum Outcome {
    /// No decision is needed, or the decision lets the replacement go ahead: the install,
    /// verify, remove and confirm steps follow.
    Proceed,
    /// Waiting for a decision, or a decision that installs nothing: no host steps follow.
    Stop,
}

/// Pushes the decide step where one belongs and says whether the replacement steps follow.
pub fn decide(s: &Subject, pa: &PlannedAsset, steps: &mut Vec<Step>) -> Outcome {
    let agent = s.product.is_some_and(|p| p.kind == ProductType::Agent);
    let needed = pa.needs_decision || s.nature.is_some() || !agent;
    if let Some(d) = &pa.decision {
        let proceed = d.option == DecisionOption::VendorApproval && agent;
        steps.push(recorded(s, d, agent));
        return if proceed {
            Outcome::Proceed
        } else {
            Outcome::Stop
        };
    }
    if !needed {
        return Outcome::Proceed;
    }
    steps.push(options(s, pa));
    Outcome::Stop
}

/// The step for a recorded decision: option, rationale, approver, review date.
fn recorded(s: &Subject, d: &Decision, agent: bool) -> Step {
    let mut step = Step::new(
        "decide",
        format!("Decision recorded: {} ({}).", d.option, d.option.describe()),
    );
    step.note(format!("Rationale: {}", d.rationale));
    step.note(format!("Approved by {}.", d.approver));
    let overdue = if d.review < s.ctx.today {
        " (overdue)"
    } else {
        ""
    };
    step.note(format!("Review by {}{overdue}.", d.review));
    let name = &s.name;
    match d.option {
        DecisionOption::VendorApproval if agent => step.note(format!(
            "Approved product: {name}; the replacement steps below apply."
        )),
        DecisionOption::VendorApproval => step.note(format!(
            "Set the approved product (avmigrate set <plan> {} --product <id>); its \
             replacement steps follow then.",
            s.asset.id
        )),
        DecisionOption::Allowlisting => {
            let how = match s.product {
                Some(p) if p.kind == ProductType::Allowlisting => format!(" with {}", p.name),
                _ => String::new(),
            };
            step.note(format!(
                "Carry it out: application allowlisting / lockdown{how}; it is not a malware \
                 scanner, so record with the system's owner how malware would be noticed."
            ));
        }
        DecisionOption::Isolate => step.sourced(
            "Carry it out: isolate the system from every network that could reach it, and \
             bring data in only through a checked data-carrier sluice.",
            &[src::BSI_OPS_114],
        ),
        DecisionOption::AcceptRisk => step.note(
            "Keep the risk acceptance with the plan and look at it again by the review date.",
        ),
        DecisionOption::Retire => {
            step.note("Take the system out of service, then set its status to excluded.")
        }
    }
    step.sources.push(src::BSI_FAQ.into());
    step
}

/// The step that lists the real options while no decision is recorded.
fn options(s: &Subject, pa: &PlannedAsset) -> Step {
    let id = &s.asset.id;
    let flagged = s.flagged.joined(|_| true);
    let why = match (s.nature, s.product) {
        (_, Some(p)) if p.kind == ProductType::MonitoringOnly => format!(
            "{} is a network sensor (monitoring only): nothing is installed on {id}, and it \
             gives no on-host protection, so it does not replace {flagged}",
            p.name
        ),
        (_, Some(p)) if p.kind == ProductType::Allowlisting => format!(
            "{} is allowlisting, not a malware scanner: using it instead of {flagged} is a \
             decision",
            p.name
        ),
        (Some(n), _) => format!(
            "{id} is {}, so no agent is installed without a decision",
            n.describe()
        ),
        (None, Some(_)) => format!(
            "{} is set as its product, but the plan still marks a decision as open ({}): \
             record it (vendor-approval installs {}) or run replan",
            s.name, pa.product_reason, s.name
        ),
        (None, None) => pa.product_reason.to_string(),
    };
    let mut step = Step::new(
        "decide",
        format!(
            "Decide how {id} stays protected: {why}. Until then the Kaspersky products stay ({flagged}). Options:"
        ),
    );
    let verdicts = catalog::candidates(s.ctx.catalog, s.asset, &s.needs, s.ctx.today);
    let function = s
        .function
        .filter(|_| s.nature.is_none() && s.product.is_none());
    match function {
        Some(f) => {
            function::vendor_option(s, f, &mut step);
            step.note(format!(
                "accept-risk: keep {flagged} doing its job for now with a documented risk \
                 acceptance and a review date."
            ));
        }
        None => {
            allowlisting_option(s, &verdicts, &mut step);
            step.note(format!("isolate: {}.", DecisionOption::Isolate.describe()));
            vendor_option(s, &verdicts, &mut step);
            if s.nature != Some(Nature::Ot) {
                step.note(format!(
                    "accept-risk: {}.",
                    DecisionOption::AcceptRisk.describe()
                ));
            }
        }
    }
    step.note(format!("retire: {}.", DecisionOption::Retire.describe()));
    if s.nature == Some(Nature::Ot) {
        step.sourced(
            "A passive network sensor (Microsoft Defender for IoT, Nozomi Guardian, Claroty) \
             adds detection on the network but no protection on the host: it can go with one \
             of the options, never replace them.",
            &[src::DEFENDER_IOT, src::CLAROTY],
        );
    }
    if let Some(f) = function {
        function::keep_running_note(s, f, &mut step);
    } else if s.nature.is_none() && s.product.is_none() {
        step.note("Or make a product fit: update the operating system, then run replan.");
    }
    step.sourced(
        format!(
            "Record it: avmigrate set <plan> {id} --decide <option> --reason <rationale> \
             --approver <name> --review <YYYY-MM-DD>; until then {id} counts as undecided. The \
             BSI leaves the choice to an individual assessment; KRITIS operators can ask the \
             BSI for advice."
        ),
        &[src::BSI_FAQ, src::BSI_PRESS],
    );
    step
}

/// allowlisting: the allowlisting products that support the host, else those to confirm.
fn allowlisting_option(s: &Subject, verdicts: &[Verdict], step: &mut Step) {
    let of_kind = |wanted: fn(Support) -> bool| -> Vec<String> {
        verdicts
            .iter()
            .filter(|v| wanted(v.support))
            .filter_map(|v| s.ctx.catalog.product(&v.product))
            .filter(|p| p.kind == ProductType::Allowlisting)
            .map(|p| p.name.clone())
            .collect()
    };
    let supported = of_kind(Support::is_usable);
    let text = if !supported.is_empty() {
        format!(
            "allowlisting: {}; {} supports this system.",
            DecisionOption::Allowlisting.describe(),
            supported.join(", ")
        )
    } else {
        let unconfirmed = of_kind(|x| x == Support::Unverified);
        let ask = if unconfirmed.is_empty() {
            String::new()
        } else {
            format!(" (ask about {})", unconfirmed.join(", "))
        };
        format!(
            "allowlisting: {}; no allowlisting product in the catalogue is confirmed for {}{ask}.",
            DecisionOption::Allowlisting.describe(),
            s.asset.os.label()
        )
    };
    step.sourced(text, &[src::SAFE_LOCK]);
}

/// vendor-approval: a host agent that fits, for the system's (ICS) vendor to approve.
fn vendor_option(s: &Subject, verdicts: &[Verdict], step: &mut Step) {
    let agents = |wanted: fn(Support) -> bool| -> Vec<String> {
        verdicts
            .iter()
            .filter(|v| wanted(v.support))
            .filter_map(|v| s.ctx.catalog.product(&v.product))
            .filter(|p| p.kind == ProductType::Agent)
            .map(|p| p.name.clone())
            .take(3)
            .collect()
    };
    let who = if s.nature == Some(Nature::Ot) {
        "the ICS vendor"
    } else {
        "the system's vendor"
    };
    let fits = agents(Support::is_usable);
    let list = if !fits.is_empty() {
        format!("; candidates that support it: {}", fits.join(", "))
    } else {
        let open = agents(|x| x == Support::Unverified);
        if open.is_empty() {
            "; no host agent in the catalogue supports it".to_string()
        } else {
            format!("; to confirm first: {}", open.join(", "))
        }
    };
    step.note(format!(
        "vendor-approval: {who} approves a protection product for this system, which is then \
         installed with the replacement steps{list}."
    ));
}
