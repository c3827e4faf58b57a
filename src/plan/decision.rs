//! Recorded decisions for assets that no host agent replaces: OT and air-gapped systems,
//! assets with no compatible product, assets whose only option is not a malware scanner, and
//! assets that lose a provider's protection. A decision always names its rationale, who
//! approved it and when it must be reviewed again (BSI: decide individually, and record it).

use crate::model::Date;
use serde::{Deserialize, Serialize};

/// What was decided for an asset that gets no replacement agent of its own.
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
pub enum DecisionOption {
    /// Application allowlisting / lockdown instead of a malware scanner (OT, legacy).
    Allowlisting,
    /// Keep the system, isolated from networks that could reach it, with a risk acceptance.
    Isolate,
    /// The ICS / system vendor approved a replacement product (named in the plan's product).
    VendorApproval,
    /// Keep the system as it is with a documented risk acceptance.
    AcceptRisk,
    /// Take the system out of service.
    Retire,
}

impl crate::model::Named for DecisionOption {}

impl DecisionOption {
    /// What the option means, for pickers and the runbook.
    pub fn describe(self) -> &'static str {
        match self {
            DecisionOption::Allowlisting => {
                "application allowlisting / lockdown instead of a malware scanner"
            }
            DecisionOption::Isolate => {
                "keep it, isolated, with a documented risk acceptance and a review date"
            }
            DecisionOption::VendorApproval => {
                "use a product the ICS / system vendor has approved for this system"
            }
            DecisionOption::AcceptRisk => "keep it as it is with a documented risk acceptance",
            DecisionOption::Retire => "take the system out of service",
        }
    }
}

/// A recorded decision: the option, why, who approved it and when to look at it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// What was decided.
    pub option: DecisionOption,
    /// Why (the risk assessment in one or two sentences).
    pub rationale: String,
    /// Who approved it.
    pub approver: String,
    /// When the decision must be reviewed.
    #[serde(serialize_with = "crate::tomlfmt::ser::bare")]
    pub review: Date,
}

/// Why a decision was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("asset \"{asset}\": a decision needs {missing}")]
pub struct IncompleteDecision {
    /// The asset.
    pub asset: String,
    /// What is missing, e.g. "a rationale (--reason) and an approver (--approver)".
    pub missing: String,
}

impl Decision {
    /// Refuses a decision without a rationale or an approver (the review date is a type-level
    /// requirement).
    pub fn check(&self, asset: &str) -> Result<(), IncompleteDecision> {
        let mut missing = Vec::new();
        if self.rationale.trim().is_empty() {
            missing.push("a rationale (--reason)");
        }
        if self.approver.trim().is_empty() {
            missing.push("an approver (--approver)");
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(IncompleteDecision {
                asset: asset.to_string(),
                missing: missing.join(" and "),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Named;

    #[test]
    fn options_parse_loosely_and_print_kebab_case() {
        assert_eq!(
            DecisionOption::from_name("Vendor Approval"),
            Some(DecisionOption::VendorApproval)
        );
        assert_eq!(
            DecisionOption::from_name("isolate"),
            Some(DecisionOption::Isolate)
        );
        assert_eq!(DecisionOption::from_name("ignore"), None);
        assert_eq!(DecisionOption::AcceptRisk.to_string(), "accept-risk");
    }

    #[test]
    fn a_decision_needs_rationale_and_approver() {
        let d = Decision {
            option: DecisionOption::Isolate,
            rationale: " ".into(),
            approver: String::new(),
            review: Date::from_ymd(2027, 6, 30).unwrap(),
        };
        let e = d.check("hmi-01").unwrap_err();
        assert_eq!(
            e.to_string(),
            "asset \"hmi-01\": a decision needs a rationale (--reason) and an approver (--approver)"
        );
        let ok = Decision {
            rationale: "air-gapped HMI, vendor forbids agents".into(),
            approver: "CISO".into(),
            ..d
        };
        assert!(ok.check("hmi-01").is_ok());
    }
}
