//! Compatibility: whether a product can replace the flagged one on an asset, and ranking.

use super::types::{Arch, OfflineSupport, Platform, Product, ProductType, Status};
use super::{Capability, Catalog, Support, Verdict};
use crate::model::os::version_key;
use crate::model::text::Text;
use crate::model::{Asset, Date, Os, OsFamily};
use std::cmp::Reverse;
use std::collections::HashMap;
use std::sync::Arc;

/// Whether `product` can replace the flagged product on `asset` on `today`: platform family,
/// version, distribution, architecture and end of life; every needed capability; offline
/// updates for air-gapped assets. The support is the worst of all facts checked; unverified
/// facts never give [`Support::Yes`]. Reasons are sentences, worst first.
pub fn check(
    _catalog: &Catalog,
    product: &Product,
    asset: &Asset,
    needs: &[Capability],
    today: Date,
) -> Verdict {
    evaluate(&Subject::of(&asset.os), product, needs, today)
}

/// Every product of the catalogue judged for `asset`: Yes first, then Limited, then
/// Unverified, then No; catalogue order within each group. For many assets use
/// [`CompatCache`], which does the work once per distinct platform and needs.
pub fn candidates(
    catalog: &Catalog,
    asset: &Asset,
    needs: &[Capability],
    today: Date,
) -> Vec<Verdict> {
    let subject = Subject::of(&asset.os);
    rank(catalog, &subject, needs, today)
}

fn rank(catalog: &Catalog, subject: &Subject, needs: &[Capability], today: Date) -> Vec<Verdict> {
    let mut all: Vec<Verdict> = catalog
        .products()
        .iter()
        .map(|p| evaluate(subject, p, needs, today))
        .collect();
    all.sort_by_key(|v| v.support);
    all
}

/// Remembers the ranked candidates per distinct (OS, needs), so that planning 100,000
/// assets judges each product once per platform rather than once per asset.
pub struct CompatCache<'a> {
    catalog: &'a Catalog,
    today: Date,
    map: HashMap<CacheKey, Arc<[Verdict]>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct CacheKey {
    family: OsFamily,
    version: Option<Text>,
    feature_update: Option<Text>,
    distro: Option<Text>,
    /// The free text, only where the label shows it (embedded and unknown systems).
    raw: Option<Text>,
    is_32bit: bool,
    needs: u16,
}

impl<'a> CompatCache<'a> {
    /// An empty cache for one catalogue and one day.
    pub fn new(catalog: &'a Catalog, today: Date) -> CompatCache<'a> {
        CompatCache {
            catalog,
            today,
            map: HashMap::new(),
        }
    }

    /// The same as [`candidates`], shared between assets with the same platform and needs.
    pub fn candidates(&mut self, asset: &Asset, needs: &[Capability]) -> Arc<[Verdict]> {
        let os = &asset.os;
        let key = CacheKey {
            family: os.family,
            version: os.version.clone(),
            feature_update: os.feature_update.clone(),
            distro: os.distro.clone(),
            raw: matches!(os.family, OsFamily::Embedded | OsFamily::Unknown)
                .then(|| os.raw.clone()),
            is_32bit: os.is_32bit,
            needs: needs.iter().fold(0, |m, c| m | c.bit()),
        };
        if let Some(hit) = self.map.get(&key) {
            return Arc::clone(hit);
        }
        let ranked: Arc<[Verdict]> = rank(self.catalog, &Subject::of(os), needs, self.today).into();
        self.map.insert(key, Arc::clone(&ranked));
        ranked
    }

    /// How many distinct platforms and needs have been judged.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True before the first call.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// The parts of an OS the check looks at, read once per asset.
struct Subject {
    label: String,
    family: OsFamily,
    version: Option<Vec<u32>>,
    distro: Option<String>,
    is_32bit: bool,
}

impl Subject {
    fn of(os: &Os) -> Subject {
        Subject {
            label: os.label(),
            family: os.family,
            version: os
                .version
                .as_deref()
                .map(version_key)
                .filter(|k| !k.is_empty()),
            distro: os.distro.as_deref().map(String::from),
            is_32bit: os.is_32bit,
        }
    }
}

/// Facts judged so far: the worst level and every sentence.
struct Tally {
    worst: Support,
    reasons: Vec<(Support, String)>,
}

impl Tally {
    fn add(&mut self, level: Support, reason: String) {
        self.worst = self.worst.max(level);
        self.reasons.push((level, reason));
    }

    fn finish(mut self, product: &str) -> Verdict {
        self.reasons.sort_by_key(|(level, _)| Reverse(*level));
        Verdict {
            product: product.to_string(),
            support: self.worst,
            reasons: self.reasons.into_iter().map(|(_, r)| r).collect(),
        }
    }
}

fn with_note(head: String, note: Option<&str>) -> String {
    match note {
        Some(n) if !n.trim().is_empty() => format!("{head} ({})", n.trim()),
        _ => head,
    }
}

/// The level a fact gives: its status, but never better than Unverified when unverified.
fn level(status: Status, verified: bool) -> Support {
    let s = match status {
        Status::Supported => Support::Yes,
        Status::Limited => Support::Limited,
        Status::Unverified => Support::Unverified,
        Status::Eol => Support::No,
    };
    if verified {
        s
    } else {
        s.max(Support::Unverified)
    }
}

fn evaluate(s: &Subject, p: &Product, needs: &[Capability], today: Date) -> Verdict {
    let name = p.name.as_str();
    let mut t = Tally {
        worst: Support::Yes,
        reasons: Vec::with_capacity(needs.len() + 2),
    };
    if let Some(eol) = &p.eol {
        if eol.reached(today) {
            t.add(Support::No, format!("{name} reached end of life ({eol})"));
        } else {
            t.add(
                Support::Yes,
                format!("{name}: end of life announced for {eol}"),
            );
        }
    }
    if !p.provenance.verified {
        t.add(
            Support::Unverified,
            format!("{name}: the product facts are unverified: confirm with the vendor"),
        );
    }
    let role_needs = || needs.iter().filter_map(|c| c.role().map(|r| (*c, r)));
    let remote = role_needs().next().is_some()
        && role_needs().all(|(_, r)| p.role(r).is_some_and(|f| f.remote));
    if remote {
        t.add(
            Support::Yes,
            format!("{name} works beside the asset, not on it: the asset's OS does not matter"),
        );
    } else {
        platform(s, p, today, &mut t);
    }
    for (cap, role) in role_needs() {
        let what = cap.describe();
        let Some(f) = p.role(role) else {
            t.add(Support::No, format!("{name} does not cover {what}"));
            continue;
        };
        if f.file_level {
            let head = format!(
                "{name} covers {what} only as file-level protection of the server, not the \
                 function itself: it cannot replace a product that did the scanning"
            );
            t.add(Support::No, with_note(head, f.note.as_deref()));
            continue;
        }
        let lv = level(f.status, f.provenance.verified);
        let head = match lv {
            Support::Yes => format!("{name} covers {what}: yes"),
            Support::Limited => format!("{name} covers {what}: limited"),
            Support::Unverified => {
                format!("{name}: {what} is unverified: confirm with the vendor")
            }
            Support::No => format!("{name} no longer covers {what}"),
        };
        t.add(lv, with_note(head, f.note.as_deref()));
    }
    if needs.contains(&Capability::AirGapped) {
        offline(p, &mut t);
    }
    match p.kind {
        ProductType::Agent => {}
        ProductType::Allowlisting => t.add(
            Support::Limited,
            format!("{name} is allowlisting / application lockdown, not a malware scanner"),
        ),
        ProductType::MonitoringOnly => t.add(
            Support::Limited,
            format!("{name} is network monitoring only: no on-host malware protection"),
        ),
    }
    t.finish(&p.id)
}

fn offline(p: &Product, t: &mut Tally) {
    let name = p.name.as_str();
    let unverified = format!(
        "{name}: offline updates for air-gapped assets are unverified: confirm with the vendor"
    );
    let Some(o) = &p.offline else {
        t.add(Support::Unverified, unverified);
        return;
    };
    let how = o.how.as_deref();
    let (lv, head) = match (o.support, o.provenance.verified) {
        (OfflineSupport::No, true) => (
            Support::No,
            format!("{name} needs a cloud connection: not for air-gapped assets"),
        ),
        (OfflineSupport::Yes, true) => (Support::Yes, format!("{name} updates offline: yes")),
        (OfflineSupport::Limited, true) => {
            (Support::Limited, format!("{name} updates offline: limited"))
        }
        _ => (Support::Unverified, unverified),
    };
    t.add(lv, with_note(head, how));
}

fn platform(s: &Subject, p: &Product, today: Date, t: &mut Tally) {
    let name = p.name.as_str();
    let label = s.label.as_str();
    if s.family == OsFamily::Unknown {
        t.add(
            Support::Unverified,
            format!(
                "{name}: the operating system is not recorded or not recognised ({label}): \
                 confirm support with the vendor"
            ),
        );
        return;
    }
    let family: Vec<&Platform> = p
        .platforms
        .iter()
        .filter(|e| e.family == s.family)
        .collect();
    if family.is_empty() {
        t.add(
            Support::No,
            format!("{name} does not run on {}", family_name(s.family)),
        );
        return;
    }
    let entries: Vec<&Platform> = family
        .iter()
        .copied()
        .filter(|e| match &s.distro {
            Some(d) => e.distros.is_empty() || e.distros.contains(d),
            None => e.distros.is_empty(),
        })
        .collect();
    if entries.is_empty() {
        let (lv, text) = if s.distro.is_none() {
            let r = "the Linux distribution is not recorded: confirm support with the vendor";
            (Support::Unverified, format!("{name}: {r}"))
        } else {
            let listed = listed(&family, today);
            (
                Support::No,
                format!("{name} does not support {label} (listed: {listed})"),
            )
        };
        t.add(lv, text);
        return;
    }
    let in_range: Vec<&Platform> = match &s.version {
        Some(v) => entries
            .iter()
            .copied()
            .filter(|e| e.in_range(v, today))
            .collect(),
        None => entries
            .iter()
            .copied()
            .filter(|e| e.any_version())
            .collect(),
    };
    if in_range.is_empty() {
        let newer = s.version.as_ref().is_some_and(|v| {
            entries
                .iter()
                .all(|e| e.max_bound.as_ref().is_some_and(|b| !b.admits_as_max(v)))
        });
        let (lv, text) = match &s.version {
            None => (
                Support::Unverified,
                format!(
                    "{name}: the version of {label} is not recorded: confirm support with the vendor"
                ),
            ),
            Some(_) if newer => (
                Support::Unverified,
                format!(
                    "{name}: {label} is newer than the versions listed (up to {}): confirm with the vendor",
                    maxima(&entries)
                ),
            ),
            Some(_) => (
                Support::No,
                format!(
                    "{name} does not support {label} (listed: {})",
                    listed(&entries, today)
                ),
            ),
        };
        t.add(lv, text);
        return;
    }
    let specific = in_range.iter().any(|e| !e.distros.is_empty());
    let fitting: Vec<&Platform> = in_range
        .iter()
        .copied()
        .filter(|e| !specific || !e.distros.is_empty())
        .filter(|e| !(e.arch == Some(Arch::X64) && s.is_32bit))
        .collect();
    if fitting.is_empty() {
        t.add(
            Support::No,
            format!("{name} on {label}: no, 64-bit editions only (this is a 32-bit edition)"),
        );
        return;
    }
    let best = fitting
        .iter()
        .map(|e| judge_platform(name, label, e, today))
        .min_by_key(|(lv, _)| *lv);
    if let Some((lv, text)) = best {
        t.add(lv, text);
    }
}

fn judge_platform(name: &str, label: &str, e: &Platform, today: Date) -> (Support, String) {
    let note = e.note.as_deref();
    if let Some(eol) = e.eol.as_ref().filter(|eol| eol.reached(today)) {
        let head = format!("{name} on {label}: no, support ended {eol}");
        return (Support::No, with_note(head, note));
    }
    let lv = level(e.status, e.provenance.verified);
    let head = match lv {
        Support::Yes => format!("{name} supports {label}: yes"),
        Support::Limited => format!("{name} on {label}: limited"),
        Support::Unverified => {
            format!("{name}: support for {label} is unverified: confirm with the vendor")
        }
        Support::No => format!("{name} on {label}: no, end of life"),
    };
    let mut text = with_note(head, note);
    if let Some(eol) = &e.eol {
        text.push_str(&format!("; support ends {eol}"));
    }
    (lv, text)
}

/// "Windows 7 (limited), 8.1 (ended 2025-11), 10+" or "RHEL 7.2–10, Ubuntu 16.04–24.04".
fn listed(entries: &[&Platform], today: Date) -> String {
    let parts: Vec<String> = entries
        .iter()
        .map(|e| {
            let mut s = String::new();
            if !e.distros.is_empty() {
                let names: Vec<&str> = e
                    .distros
                    .iter()
                    .map(|d| crate::model::Distro::label_of(d))
                    .collect();
                s.push_str(&names.join("/"));
                s.push(' ');
            }
            s.push_str(&e.range_label_on(today));
            let status = match (&e.eol, e.status) {
                (Some(eol), _) if eol.reached(today) => format!(" (ended {eol})"),
                (_, Status::Supported) => String::new(),
                (_, Status::Eol) => " (end of life)".to_string(),
                (_, st) => format!(" ({})", st.as_str()),
            };
            s.push_str(&status);
            s
        })
        .collect();
    parts.join(", ")
}

/// The highest maximum among the entries, as written.
fn maxima(entries: &[&Platform]) -> String {
    entries
        .iter()
        .filter_map(|e| Some((e.max_bound.as_ref()?, e.max.as_deref()?)))
        .max_by(|(a, _), (b, _)| a.key.cmp(&b.key))
        .map(|(_, text)| text.to_string())
        .unwrap_or_default()
}

fn family_name(f: OsFamily) -> &'static str {
    match f {
        OsFamily::WindowsClient => "Windows clients",
        OsFamily::WindowsServer => "Windows Server",
        OsFamily::WindowsEmbedded => "Windows Embedded",
        OsFamily::Macos => "macOS",
        OsFamily::Linux => "Linux",
        OsFamily::Esxi => "ESXi",
        OsFamily::Android => "Android",
        OsFamily::Ios => "iOS",
        OsFamily::Embedded => "embedded systems or firmware",
        OsFamily::Unknown => "an unknown OS",
    }
}
