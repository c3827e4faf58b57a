//! What the latest reconciled scan proved about an asset's anti-virus protection: the evidence
//! a planned asset keeps (state, the products seen, which scan showed them and when).
//!
//! Only evidence counts: a product the scan lists (or, for Defender for Endpoint, evidence of
//! onboarding). A scan that lists nothing proves nothing either way, so such an asset is
//! *unverified* where a built-in protection may have switched itself on (Defender Antivirus on
//! a Windows 10/11 client) and *unprotected* everywhere else.

use crate::model::Timestamp;
use serde::{Deserialize, Serialize};

/// What a scan proved about an asset's protection.
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
pub enum ProtectionState {
    /// The scan lists a protection product (the flagged one still, or another).
    Protected,
    /// The scan lists no protection product, but one built into the OS may have switched itself
    /// on (Defender Antivirus on a Windows 10/11 client): it cannot be seen, so it needs
    /// evidence.
    Unverified,
    /// The scan lists no protection product and nothing turns on by itself there (Windows
    /// Server, Linux, macOS, older Windows …).
    Unprotected,
}

impl crate::model::Named for ProtectionState {}

/// The protection evidence of a planned asset, from the first reconciled scan that showed it
/// this way (a later scan with the same evidence keeps it, so the same scan twice changes
/// nothing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Protection {
    /// What the scan proved.
    pub state: ProtectionState,
    /// Catalogue products the scan showed (ids, sorted); empty unless protected.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<String>,
    /// Flagged products the scan still showed (names, sorted).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flagged: Vec<String>,
    /// The scan's label (its file name or names).
    pub scan: String,
    /// When that scan was reconciled.
    #[serde(serialize_with = "crate::tomlfmt::ser::bare")]
    pub at: Timestamp,
}

impl Protection {
    /// True when both say the same about the asset (whichever scan said it, and when).
    pub fn same_evidence(&self, other: &Protection) -> bool {
        self.state == other.state
            && self.products == other.products
            && self.flagged == other.flagged
    }

    /// True when the scan shows only the flagged product: nothing about its replacement yet
    /// (such evidence is not recorded on an asset that has none).
    pub fn is_flagged_only(&self) -> bool {
        self.state == ProtectionState::Protected
            && self.products.is_empty()
            && !self.flagged.is_empty()
    }

    /// True when the flagged product is gone and the asset runs a product other than the
    /// planned one ("migrated to X, not the planned Y").
    pub fn other_than(&self, planned: Option<&str>) -> bool {
        self.state == ProtectionState::Protected
            && self.flagged.is_empty()
            && !self.products.is_empty()
            && planned.is_none_or(|p| !self.products.iter().any(|q| q == p))
    }

    /// For people: "protected by eset-protect-endpoint, not the planned mde (scan S,
    /// 2027-01-13T08:00:00Z)". Text from scans and user catalogues is not cleaned here.
    pub fn describe(&self, planned: Option<&str>) -> String {
        let what = match self.state {
            ProtectionState::Protected if !self.flagged.is_empty() => {
                let mut all = self.products.clone();
                all.extend(self.flagged.iter().map(|f| format!("{f} (flagged)")));
                format!("protected by {}", all.join(", "))
            }
            ProtectionState::Protected => {
                let mut s = format!("protected by {}", self.products.join(", "));
                if self.other_than(planned) {
                    s.push_str(&format!(
                        ", not the planned {}",
                        planned.unwrap_or("product (none planned)")
                    ));
                }
                s
            }
            ProtectionState::Unverified => {
                "protection unverified: the scan lists no protection product (a built-in one may \
                 have switched itself on, but the scan cannot show it)"
                    .to_string()
            }
            ProtectionState::Unprotected => {
                "unprotected: the scan lists no protection product and nothing switches itself \
                 on here"
                    .to_string()
            }
        };
        format!("{what} (scan {}, {})", self.scan, self.at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(state: ProtectionState, products: &[&str], flagged: &[&str]) -> Protection {
        Protection {
            state,
            products: products.iter().map(|s| s.to_string()).collect(),
            flagged: flagged.iter().map(|s| s.to_string()).collect(),
            scan: "scan.toml".into(),
            at: "2027-01-13T08:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn another_vendor_is_named_as_not_the_planned_one() {
        let eset = p(ProtectionState::Protected, &["eset-protect-endpoint"], &[]);
        assert!(eset.other_than(Some("mde")));
        assert!(!eset.other_than(Some("eset-protect-endpoint")));
        assert_eq!(
            eset.describe(Some("mde")),
            "protected by eset-protect-endpoint, not the planned mde (scan scan.toml, \
             2027-01-13T08:00:00Z)"
        );
        let coexisting = p(
            ProtectionState::Protected,
            &["mde"],
            &["Kaspersky Endpoint"],
        );
        assert!(!coexisting.other_than(Some("eset")), "not migrated yet");
        assert!(
            coexisting
                .describe(None)
                .starts_with("protected by mde, Kaspersky Endpoint (flagged)")
        );
        assert!(
            p(ProtectionState::Unverified, &[], &[])
                .describe(None)
                .starts_with("protection unverified")
        );
    }

    #[test]
    fn the_inline_table_reads_back() {
        let eset = p(ProtectionState::Protected, &["a", "b"], &["K \"x\""]);
        let inline = |p: &Protection| {
            let mut s = String::new();
            let mut w =
                crate::tomlfmt::ser::Writer::new(&mut s, crate::tomlfmt::ser::Escape::Plain);
            w.key("protection", p).unwrap();
            s
        };
        let text = inline(&eset);
        assert_eq!(
            text,
            "protection = { state = \"protected\", products = [\"a\", \"b\"], flagged = \
             [\"K \\\"x\\\"\"], scan = \"scan.toml\", at = 2027-01-13T08:00:00Z }\n"
        );
        #[derive(Deserialize)]
        struct W {
            protection: Protection,
        }
        let back: W = toml::from_str(&text).unwrap();
        assert_eq!(back.protection, eset);
        let bare = p(ProtectionState::Unprotected, &[], &[]);
        let back: W = toml::from_str(&inline(&bare)).unwrap();
        assert_eq!(back.protection, bare);
    }
}
