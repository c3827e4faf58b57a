//! The catalogue's data: vendors, products and the sourced facts about them.
//!
//! Every fact carries a [`Provenance`]: where it was read and whether the research confirmed it.
//! Values are built by [`super::Catalog::parse`]; they are read-only for everyone else.

use super::Capability;
use crate::model::os::version_key;
use crate::model::{AssetKind, Date, OsFamily};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a fact comes from and whether the research confirmed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// A URL or `owner/repo:path` of the public document the fact was read in.
    pub source: String,
    /// True only for facts backed by an official or reputable source; general knowledge,
    /// `?` cells and UNVERIFIED notes are false.
    pub verified: bool,
}

/// A company that makes replacement products.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vendor {
    /// Stable id, e.g. `eset`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Headquarters country (ISO 3166 alpha-2), when known.
    pub hq: Option<String>,
    /// Free remark (subsidiaries, ownership).
    pub note: Option<String>,
    /// Where the id, name and HQ were read.
    pub provenance: Provenance,
}

/// What a product does on (or beside) a machine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProductType {
    /// An on-host protection agent (AV, EDR).
    #[default]
    Agent,
    /// An on-host allowlisting / lockdown agent: protection, but not a malware scanner.
    Allowlisting,
    /// A passive network sensor: no on-host malware protection at all.
    MonitoringOnly,
}

/// How well a product supports a platform or a role, as the sources state it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Officially supported.
    Supported,
    /// Supported with conditions (see the note).
    Limited,
    /// Not confirmed: ask the vendor.
    Unverified,
    /// Support has ended.
    Eol,
}

impl Status {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Supported => "supported",
            Status::Limited => "limited",
            Status::Unverified => "unverified",
            Status::Eol => "eol",
        }
    }
}

/// An architecture restriction of a platform entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Arch {
    /// 64-bit editions only (x64, and ARM64 where the note says so); 32-bit editions are out.
    X64,
}

/// An end-of-life date, as precise as the source gives it (`2025-11` or `2026-02-15`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Eol {
    /// The first day on which support is over (the 1st of the month for month-only dates).
    pub date: Date,
    /// The date as written in the catalogue.
    pub text: String,
}

impl Eol {
    /// True when support has ended on `today`.
    pub fn reached(&self, today: Date) -> bool {
        self.date <= today
    }

    /// Reads `YYYY-MM-DD` or `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Eol> {
        let t = text.trim();
        // `YYYY-MM` is its month's first day.
        let date = if t.len() == 7 {
            format!("{t}-01").parse().ok()?
        } else {
            t.parse().ok()?
        };
        Some(Eol {
            date,
            text: t.to_string(),
        })
    }
}

impl fmt::Display for Eol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Eol {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Eol {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Eol, D::Error> {
        let text = crate::model::date::text_or_datetime(
            d,
            "an end-of-life date (YYYY-MM-DD or \"YYYY-MM\")",
        )?;
        Eol::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "invalid end-of-life date \"{}\" (expected YYYY-MM-DD or \"YYYY-MM\")",
                crate::model::text::clean(&text)
            ))
        })
    }
}

/// A version bound, precomputed for cheap comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bound {
    /// Comparable numbers (see [`version_key`]).
    pub key: Vec<u32>,
    /// `8.x`: any version whose leading numbers equal `key` is within the bound.
    pub prefix: bool,
}

impl Bound {
    /// Reads a bound; `None` when the text holds no number.
    pub fn parse(text: &str) -> Option<Bound> {
        let t = text.trim();
        let (body, prefix) = match t.strip_suffix(".x").or_else(|| t.strip_suffix(".*")) {
            Some(body) => (body, true),
            None => (t, false),
        };
        let key = version_key(body);
        (!key.is_empty()).then_some(Bound { key, prefix })
    }

    /// True when `version` is at least this bound.
    pub fn admits_as_min(&self, version: &[u32]) -> bool {
        version >= self.key.as_slice()
    }

    /// True when `version` is at most this bound (`8.x` also admits `8.10`).
    pub fn admits_as_max(&self, version: &[u32]) -> bool {
        if self.prefix {
            let n = self.key.len().min(version.len());
            version[..n] <= self.key[..n]
        } else {
            version <= self.key.as_slice()
        }
    }
}

/// One platform a product runs on: an OS family with an optional version range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Platform {
    /// The OS family.
    pub family: OsFamily,
    /// Linux distribution ids (`rhel`, `centos`, `ubuntu` …); empty means any distribution.
    pub distros: Vec<String>,
    /// Lowest version covered, as written.
    pub min: Option<String>,
    /// Highest version covered, as written (`8.x` covers every 8 release).
    pub max: Option<String>,
    /// Architecture restriction.
    pub arch: Option<Arch>,
    /// A window that moves with time: only the `n` most recent major releases on the day
    /// support is judged (see [`super::releases`]); replaces `min`.
    pub recent: Option<u32>,
    /// End of support for this platform.
    pub eol: Option<Eol>,
    /// Support as the source states it.
    pub status: Status,
    /// Conditions and details a person should read.
    pub note: Option<String>,
    /// Where the fact was read.
    pub provenance: Provenance,
    #[serde(skip)]
    pub(crate) min_bound: Option<Bound>,
    #[serde(skip)]
    pub(crate) max_bound: Option<Bound>,
}

impl Platform {
    /// True when `version` (a [`version_key`]) lies in this entry's range on `on` (a window of
    /// recent releases moves with the date).
    pub(crate) fn in_range(&self, version: &[u32], on: Date) -> bool {
        let above_min = match self.recent {
            Some(n) => super::releases::recent(self.family, n, on)
                .last()
                .is_some_and(|oldest| version >= oldest.key.as_slice()),
            None => self
                .min_bound
                .as_ref()
                .is_none_or(|b| b.admits_as_min(version)),
        };
        above_min
            && self
                .max_bound
                .as_ref()
                .is_none_or(|b| b.admits_as_max(version))
    }

    /// True when the entry applies to every version.
    pub(crate) fn any_version(&self) -> bool {
        self.min_bound.is_none() && self.max_bound.is_none() && self.recent.is_none()
    }

    /// "7.2–10", "10+", "7", "up to 24.04", "all versions"; a moving window reads "the 3
    /// most recent major releases (on 2026-12-05: 27 (expected 2026-09-15), 26, 15)".
    pub fn range_label_on(&self, on: Date) -> String {
        match self.recent {
            Some(n) => format!(
                "the {n} most recent major releases (on {on}: {})",
                super::releases::describe(&super::releases::recent(self.family, n, on))
            ),
            None => self.range_label(),
        }
    }

    /// "7.2–10", "10+", "7", "up to 24.04", "all versions"; "the 3 most recent major
    /// releases" for a moving window.
    pub fn range_label(&self) -> String {
        if let Some(n) = self.recent {
            return format!("the {n} most recent major releases");
        }
        match (&self.min, &self.max) {
            (Some(a), Some(b)) if a == b => a.clone(),
            (Some(a), Some(b)) => format!("{a}–{b}"),
            (Some(a), None) => format!("{a}+"),
            (None, Some(b)) => format!("up to {b}"),
            (None, None) => "all versions".to_string(),
        }
    }
}

/// A role a product covers, with its support status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleFact {
    /// The role.
    pub role: Capability,
    /// Support as the source states it.
    pub status: Status,
    /// True when the role is delivered from beside the asset (ICAP scan server, network
    /// sensor, hypervisor-level scanning), so the asset's own OS does not matter.
    pub remote: bool,
    /// True when the product covers the role only by file-level protection of the host that
    /// runs it (e.g. Defender on an Exchange server with Microsoft's exclusions), not the
    /// function itself (mail scanning, ICAP, agentless scanning): such a fact never replaces a
    /// flagged product that did the function.
    pub file_level: bool,
    /// Conditions and details.
    pub note: Option<String>,
    /// Where the fact was read.
    pub provenance: Provenance,
}

/// How a product is managed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ManagementKind {
    /// A vendor-hosted console.
    Cloud,
    /// A console the organisation runs itself.
    OnPrem,
    /// No central console.
    None,
}

/// The management fact of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Management {
    /// Console kinds (empty when the source names a console but not where it runs).
    pub kinds: Vec<ManagementKind>,
    /// Console names and details.
    pub note: Option<String>,
    /// Where the fact was read.
    pub provenance: Provenance,
}

/// Whether updates reach machines without Internet access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OfflineSupport {
    /// Fully offline operation is documented.
    Yes,
    /// Through an internal mirror, relay or share that a connected host (or media) fills.
    Limited,
    /// Needs a cloud connection.
    No,
    /// Not confirmed: ask the vendor.
    Unverified,
}

/// The offline / air-gapped update fact of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Offline {
    /// Whether it works.
    pub support: OfflineSupport,
    /// How: mirror, relay, file share …
    pub how: Option<String>,
    /// Where the fact was read.
    pub provenance: Provenance,
}

/// How a product behaves next to the product it replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CoexistMode {
    /// Runs in passive mode beside another AV.
    Passive,
    /// Runs beside another AV with both active (or removes it, by choice).
    SideBySide,
    /// Turns itself off while another AV is registered.
    AutoDisable,
    /// Its installer removes other AV products.
    RemovesOthers,
    /// Cannot coexist: the other product must go first.
    None,
}

/// The coexistence fact of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coexistence {
    /// The behaviour.
    pub mode: CoexistMode,
    /// How to set it up.
    pub note: Option<String>,
    /// Where the fact was read.
    pub provenance: Provenance,
}

/// The competitor-removal tooling fact of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Removal {
    /// True when the vendor ships a tool or installer option that removes other AV.
    pub available: bool,
    /// What it is and how to use it.
    pub note: Option<String>,
    /// Where the fact was read.
    pub provenance: Provenance,
}

/// A migration note shown when its conditions match an asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoteRule {
    /// The sentence.
    pub text: String,
    /// OS families it applies to (empty: all).
    pub families: Vec<OsFamily>,
    /// Linux distributions it applies to (empty: all).
    pub distros: Vec<String>,
    /// Lowest OS version it applies to.
    pub min: Option<String>,
    /// Highest OS version it applies to.
    pub max: Option<String>,
    /// Asset kinds it applies to (empty: all).
    pub kinds: Vec<AssetKind>,
    /// Tags of which the asset needs one (empty: no condition). `exchange` also matches
    /// assets with Microsoft Exchange installed.
    pub tags: Vec<String>,
    /// Catalogue-wide notes only: product ids it applies to (empty: all).
    pub products: Vec<String>,
    /// Catalogue-wide notes only: vendor ids it applies to (empty: all).
    pub vendors: Vec<String>,
    /// Where the advice comes from.
    pub provenance: Provenance,
    #[serde(skip)]
    pub(crate) min_bound: Option<Bound>,
    #[serde(skip)]
    pub(crate) max_bound: Option<Bound>,
}

/// How to recognise a product in an inventory scan (for reconciling progress).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Detect {
    /// Case-insensitive fragments of installed-software names ("ESET Endpoint Security").
    pub names: Vec<String>,
    /// Exact package, process or service names, case-insensitive ("mdatp", "MsSense.exe").
    /// Only names that prove the product is there: not a service every machine has.
    pub packages: Vec<String>,
    /// Exact names of state rows (a registry value or setting an inventory lists like software,
    /// its value as the version) that prove the product is active when the value is `1` or
    /// `true` (Defender for Endpoint: `OnboardingState`, `SenseIsRunning`).
    pub onboarding: Vec<String>,
    /// Platforms (family, minimum version) where it is part of the OS and may switch itself on
    /// when another anti-virus is removed (Defender Antivirus on Windows 10/11 clients). It
    /// never counts as present without evidence: a scan that lists nothing there is
    /// *unverified*, not protected.
    pub builtin: Vec<(OsFamily, Option<String>)>,
    /// Where the detection facts come from.
    pub provenance: Option<Provenance>,
}

/// A replacement product and everything known about where it can run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Product {
    /// Stable id, e.g. `mde`; plans refer to it.
    pub id: String,
    /// Vendor id.
    pub vendor: String,
    /// Display name.
    pub name: String,
    /// Agent, allowlisting or monitoring-only.
    #[serde(rename = "type")]
    pub kind: ProductType,
    /// One line on what it is.
    pub summary: Option<String>,
    /// End of life of the whole product line.
    pub eol: Option<Eol>,
    /// Where the product's existence and summary were read.
    pub provenance: Provenance,
    /// Platforms, in catalogue order.
    pub platforms: Vec<Platform>,
    /// Roles covered.
    pub roles: Vec<RoleFact>,
    /// Management consoles.
    pub management: Option<Management>,
    /// Offline / air-gapped updates.
    pub offline: Option<Offline>,
    /// Coexistence with the product being replaced.
    pub coexistence: Option<Coexistence>,
    /// Competitor-removal tooling.
    pub removal: Option<Removal>,
    /// Product-specific migration notes.
    pub notes: Vec<NoteRule>,
    /// How to recognise it in an inventory.
    pub detect: Detect,
    /// Catalogue-wide notes that apply to this product (filled by the catalogue).
    #[serde(skip)]
    pub(crate) shared_notes: Vec<NoteRule>,
}

impl Product {
    /// The role fact for `role`, if the product covers it.
    pub fn role(&self, role: Capability) -> Option<&RoleFact> {
        self.roles.iter().find(|r| r.role == role)
    }

    /// Every provenance of the product, for audits ("does every fact have a source?").
    pub fn provenances(&self) -> Vec<&Provenance> {
        let mut all = vec![&self.provenance];
        all.extend(self.platforms.iter().map(|p| &p.provenance));
        all.extend(self.roles.iter().map(|r| &r.provenance));
        all.extend(self.management.iter().map(|m| &m.provenance));
        all.extend(self.offline.iter().map(|o| &o.provenance));
        all.extend(self.coexistence.iter().map(|c| &c.provenance));
        all.extend(self.removal.iter().map(|r| &r.provenance));
        all.extend(self.notes.iter().map(|n| &n.provenance));
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eol_reads_days_and_months() {
        let m = Eol::parse("2025-11").unwrap();
        assert_eq!(m.date, Date::from_ymd(2025, 11, 1).unwrap());
        assert_eq!(m.to_string(), "2025-11");
        let d = Eol::parse("2026-02-15").unwrap();
        assert!(d.reached(Date::from_ymd(2026, 2, 15).unwrap()));
        assert!(!d.reached(Date::from_ymd(2026, 2, 14).unwrap()));
        assert!(Eol::parse("2025-13").is_none());
        assert!(Eol::parse("Nov 2025").is_none());
        assert!(Eol::parse("+202-11").is_none() && Eol::parse("2025-+1").is_none());
    }

    #[test]
    fn bounds_compare_versions() {
        let max = Bound::parse("8.x").unwrap();
        assert!(max.admits_as_max(&version_key("8.10")));
        assert!(max.admits_as_max(&version_key("7.9")));
        assert!(!max.admits_as_max(&version_key("9.0")));
        let exact = Bound::parse("2008").unwrap();
        assert!(!exact.admits_as_max(&version_key("2008 R2")));
        let min = Bound::parse("7.2").unwrap();
        assert!(min.admits_as_min(&version_key("7.9.2009")));
        assert!(!min.admits_as_min(&version_key("7.1")));
        assert!(Bound::parse("abc").is_none());
    }
}
