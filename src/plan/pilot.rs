//! The pilot and the platforms it proves. Every direct asset belongs to an OS family group
//! (Windows client, Windows Server, Linux, macOS …) and to role groups (OT, mail, gateway,
//! virtualization). The pilot holds a low-risk sample of each group; KRITIS, critical and OT
//! systems wait until a low-risk system of each of their groups has gone first. The layout
//! builds plans this way and `validate` checks them with the same definitions.

use super::layout::{LayoutConfig, UnitInfo, site_fits};
use super::units::Constraint;
use crate::model::{Asset, AssetKind, Criticality, OsFamily};
use crate::rules::Role;
use std::collections::BTreeMap;
use std::fmt;

/// A platform group the pilot must prove: a role group or an OS family. Role groups sort
/// first, so that a sample of a role (a Linux mail gateway) also covers its OS family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Platform {
    /// Industrial / OT systems (asset kind `ot` or a Kaspersky OT product).
    Ot,
    /// Mail servers and mail gateways.
    Mail,
    /// Web / ICAP proxies and firewalls.
    Gateway,
    /// Hypervisors and virtualization security appliances.
    Virtualization,
    /// An OS family.
    Os(OsFamily),
}

impl Platform {
    /// The name people read: "Windows Server", "OT" …
    pub fn name(self) -> &'static str {
        match self {
            Platform::Ot => "OT",
            Platform::Mail => "mail",
            Platform::Gateway => "gateway",
            Platform::Virtualization => "virtualization",
            Platform::Os(family) => match family {
                OsFamily::WindowsClient => "Windows client",
                OsFamily::WindowsServer => "Windows Server",
                OsFamily::WindowsEmbedded => "Windows Embedded",
                OsFamily::Macos => "macOS",
                OsFamily::Linux => "Linux",
                OsFamily::Esxi => "ESXi",
                OsFamily::Android => "Android",
                OsFamily::Ios => "iOS",
                OsFamily::Embedded => "embedded",
                OsFamily::Unknown => "unknown OS",
            },
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The platform groups of an asset with the roles of its flagged products: role groups
/// first, then its OS family. Management servers form no group (they go last), logical CIs
/// none at all.
pub fn platforms(asset: &Asset, roles: &[Role]) -> Vec<Platform> {
    let mut out = Vec::new();
    // A logical CI gets no product: piloting it proves nothing; its hosts are the samples.
    if asset.kind.is_logical() {
        return out;
    }
    if is_ot(asset, roles) {
        out.push(Platform::Ot);
    }
    if asset.kind == AssetKind::MailGateway || roles.contains(&Role::Mail) {
        out.push(Platform::Mail);
    }
    if matches!(asset.kind, AssetKind::Proxy | AssetKind::Firewall)
        || roles.contains(&Role::Gateway)
    {
        out.push(Platform::Gateway);
    }
    if asset.kind == AssetKind::Hypervisor || roles.contains(&Role::Virtualization) {
        out.push(Platform::Virtualization);
    }
    out.push(Platform::Os(asset.os.family));
    out
}

/// KRITIS (tag `kritis`) or of critical criticality: never in the pilot.
pub fn is_critical(asset: &Asset) -> bool {
    asset.has_tag("kritis") || asset.criticality == Criticality::Critical
}

/// An OT system: asset kind `ot`, or a flagged OT product on it.
pub fn is_ot(asset: &Asset, roles: &[Role]) -> bool {
    asset.kind == AssetKind::Ot || roles.contains(&Role::Ot)
}

/// Why "KRITIS", "critical", "OT" (joined), for messages.
pub fn guard_note(asset: &Asset, roles: &[Role]) -> String {
    let mut why = Vec::new();
    if asset.has_tag("kritis") {
        why.push("KRITIS");
    }
    if asset.criticality == Criticality::Critical {
        why.push("critical");
    }
    if is_ot(asset, roles) {
        why.push("OT");
    }
    why.join(", ")
}

/// How one platform of a KRITIS, critical or OT unit was proven before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proof {
    /// The platform.
    pub platform: Platform,
    /// The wave index and label of the first low-risk unit of that platform; None when no
    /// low-risk unit could go first (the platform could not be piloted).
    pub by: Option<(usize, String)>,
    /// True when that wave is the pilot.
    pub in_pilot: bool,
}

/// The proofs as a clause for a placement reason, e.g. "after the pilot proved Windows Server
/// in w1; OT could not be piloted". `wave_id` names a wave index.
pub fn proof_note(proofs: &[Proof], wave_id: impl Fn(usize) -> String) -> String {
    let mut proven: BTreeMap<(usize, bool), Vec<&Proof>> = BTreeMap::new();
    let mut unproven = Vec::new();
    for p in proofs {
        match &p.by {
            Some((w, _)) => proven.entry((*w, p.in_pilot)).or_default().push(p),
            None => unproven.push(p.platform.name()),
        }
    }
    let mut parts = Vec::new();
    for ((w, in_pilot), list) in proven {
        let names: Vec<&str> = list.iter().map(|p| p.platform.name()).collect();
        if in_pilot {
            parts.push(format!(
                "after the pilot proved {} in {}",
                join_and(&names),
                wave_id(w)
            ));
        } else {
            let by: Vec<&str> = list
                .iter()
                .filter_map(|p| p.by.as_ref().map(|b| b.1.as_str()))
                .collect();
            parts.push(format!(
                "after {} proved {} in {}",
                join_and(&by),
                join_and(&names),
                wave_id(w)
            ));
        }
    }
    if !unproven.is_empty() {
        parts.push(format!(
            "{} could not be piloted (no low-risk one can go first)",
            join_and(&unproven)
        ));
    }
    parts.join("; ")
}

/// "a", "a and b", "a, b and c".
pub fn join_and(items: &[&str]) -> String {
    let mut items: Vec<&str> = items.to_vec();
    items.dedup();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// The pilot units with their reasons. Tagged assets come first (unless KRITIS / critical,
/// or relied on by others); then every platform group present among the free units gets a
/// low-risk sample (two for groups of 20 or more candidates) unless tagged assets already
/// cover it, however many tagged assets there are. Site capacities hold in the pilot wave
/// too (`used` is what fixed units already take there).
pub(super) fn pilot_units(
    units: &[UnitInfo],
    dependents: &[Vec<&Constraint>],
    wave_of: &[Option<usize>],
    cfg: &LayoutConfig,
    used: &BTreeMap<String, usize>,
    warnings: &mut Vec<String>,
) -> Vec<(usize, String)> {
    let n = units.len();
    let wave_size = cfg.wave_size.max(1);
    let mut used = used.clone();
    let mut fits = |u: usize| {
        let ok = site_fits(&units[u], &used, cfg);
        for (site, k) in units[u].sites.iter().filter(|_| ok) {
            *used.entry(site.to_string()).or_insert(0) += k;
        }
        ok
    };
    let free = |u: usize| wave_of[u].is_none() && !units[u].management;
    let mut chosen: Vec<(usize, String)> = Vec::new();
    let mut in_pilot = vec![false; n];
    for u in (0..n).filter(|&u| free(u) && units[u].pilot) {
        if units[u].critical {
            warnings.push(format!(
                "{}: tagged pilot, but it is KRITIS or critical; left out of the pilot (such \
                 systems go after the pilot has proven their platform)",
                units[u].label
            ));
        } else if let Some(c) = dependents[u].first() {
            let who = &units[c.dependent as usize].label;
            warnings.push(format!(
                "{}: tagged pilot, but {} asset(s) relying on it (e.g. {who}) must go first; \
                 scheduled after them",
                units[u].label,
                dependents[u].len()
            ));
        } else if fits(u) {
            chosen.push((u, "tagged pilot".to_string()));
            in_pilot[u] = true;
        } else {
            warnings.push(format!(
                "{}: tagged pilot, but the pilot wave has reached its site capacity; \
                 scheduled later",
                units[u].label
            ));
        }
    }
    let mut covered: BTreeMap<Platform, usize> = BTreeMap::new();
    for &(u, _) in &chosen {
        for &g in &units[u].groups {
            *covered.entry(g).or_insert(0) += 1;
        }
    }
    let mut candidates: BTreeMap<Platform, Vec<usize>> = BTreeMap::new();
    let candidate = |u: usize| {
        free(u)
            && !in_pilot[u]
            && !units[u].critical
            && dependents[u].is_empty()
            && units[u].size <= wave_size
    };
    for u in (0..n).filter(|&u| candidate(u)) {
        for &g in &units[u].groups {
            candidates.entry(g).or_default().push(u);
        }
    }
    // Samples add to the tagged assets; they alone are limited to one full wave.
    let mut samples = 0;
    for (g, mut members) in candidates {
        let take = if members.len() >= 20 { 2 } else { 1 };
        members.sort_by(|&a, &b| {
            (units[a].pilot_risk, &units[a].label).cmp(&(units[b].pilot_risk, &units[b].label))
        });
        for &u in &members {
            if covered.get(&g).copied().unwrap_or(0) >= take || samples >= wave_size {
                break;
            }
            if in_pilot[u] || !fits(u) {
                continue;
            }
            let newly: Vec<&str> = units[u]
                .groups
                .iter()
                .filter(|&&h| h == g || !covered.contains_key(&h))
                .map(|h| h.name())
                .collect();
            chosen.push((u, format!("sample for {}", join_and(&newly))));
            in_pilot[u] = true;
            samples += 1;
            for &h in &units[u].groups {
                *covered.entry(h).or_insert(0) += 1;
            }
        }
    }
    chosen
}

/// Holds KRITIS, critical and OT units back until each of their platforms has been proven: a
/// low-risk unit of that platform is placed in an earlier wave (in the pilot, or later when
/// the pilot could not take one). A platform no low-risk unit can prove holds its units only
/// out of the pilot (`fallback`), with a warning.
pub(super) struct ProofGate {
    /// First proof per platform: wave, label of the proving unit, in the pilot.
    proof: BTreeMap<Platform, (usize, String, bool)>,
    /// Guarded units waiting for a platform.
    waiting: BTreeMap<Platform, Vec<usize>>,
    /// Platforms nothing can prove.
    unprovable: Vec<Platform>,
    /// Per unit: how many of its platforms are not yet proven.
    pub unproven: Vec<usize>,
    /// Per unit: the earliest wave its proofs allow.
    pub floor: Vec<usize>,
    /// Per unit: placing it proves its platforms.
    prover: Vec<bool>,
    /// Per unit: it waited for proofs.
    guarded: Vec<bool>,
    pilot_wave: Option<usize>,
}

impl ProofGate {
    /// The gate once fixed units and the pilot are placed. `blocked` marks units a KRITIS,
    /// critical, OT or management unit relies on: they cannot go first, so they prove nothing.
    pub(super) fn new(
        units: &[UnitInfo],
        wave_of: &[Option<usize>],
        blocked: &[bool],
        pilot_wave: Option<usize>,
        fallback: usize,
        warnings: &mut Vec<String>,
    ) -> ProofGate {
        let n = units.len();
        let low_risk = |u: usize| !units[u].critical && !units[u].management && !blocked[u];
        let prover: Vec<bool> = (0..n)
            .map(|u| {
                low_risk(u) && (!units[u].ot || (wave_of[u].is_some() && wave_of[u] == pilot_wave))
            })
            .collect();
        let mut proof: BTreeMap<Platform, (usize, String, bool)> = BTreeMap::new();
        let mut left: BTreeMap<Platform, usize> = BTreeMap::new();
        for u in (0..n).filter(|&u| prover[u]) {
            for &g in &units[u].groups {
                match wave_of[u] {
                    Some(w) => {
                        let candidate = (w, units[u].label.clone(), Some(w) == pilot_wave);
                        let e = proof.entry(g).or_insert_with(|| candidate.clone());
                        if (candidate.0, &candidate.1) < (e.0, &e.1) {
                            *e = candidate;
                        }
                    }
                    None => *left.entry(g).or_insert(0) += 1,
                }
            }
        }
        let guarded: Vec<bool> = (0..n)
            .map(|u| wave_of[u].is_none() && (units[u].critical || units[u].ot))
            .collect();
        let mut gate = ProofGate {
            proof,
            waiting: BTreeMap::new(),
            unprovable: Vec::new(),
            unproven: vec![0; n],
            floor: vec![0; n],
            prover,
            guarded,
            pilot_wave,
        };
        let mut unprovable: BTreeMap<Platform, Vec<usize>> = BTreeMap::new();
        for u in (0..n).filter(|&u| gate.guarded[u]) {
            for &g in &units[u].groups {
                if let Some((w, _, _)) = gate.proof.get(&g) {
                    gate.floor[u] = gate.floor[u].max(w + 1);
                } else if left.get(&g).is_some_and(|&k| k > 0) {
                    gate.unproven[u] += 1;
                    gate.waiting.entry(g).or_default().push(u);
                } else {
                    gate.floor[u] = gate.floor[u].max(fallback);
                    unprovable.entry(g).or_default().push(u);
                }
            }
        }
        for (g, list) in unprovable {
            let first = list
                .iter()
                .map(|&u| units[u].label.as_str())
                .min()
                .unwrap_or_default();
            warnings.push(format!(
                "{g} could not be piloted: no low-risk {g} system can go first (each is KRITIS, \
                 critical or OT, or such a system relies on it); {} KRITIS / critical / OT \
                 unit(s) such as {first} are scheduled after the pilot without that proof",
                list.len()
            ));
            gate.unprovable.push(g);
        }
        gate
    }

    /// Records that unit `u` was placed in wave `w`; returns the units whose last missing
    /// proof this was (their floor is then set).
    pub(super) fn placed(&mut self, units: &[UnitInfo], u: usize, w: usize) -> Vec<usize> {
        let mut released = Vec::new();
        if !self.prover[u] || self.guarded[u] {
            return released;
        }
        for &g in &units[u].groups {
            if self.proof.contains_key(&g) {
                continue;
            }
            let in_pilot = Some(w) == self.pilot_wave;
            self.proof.insert(g, (w, units[u].label.clone(), in_pilot));
            for v in self.waiting.remove(&g).unwrap_or_default() {
                self.floor[v] = self.floor[v].max(w + 1);
                self.unproven[v] -= 1;
                if self.unproven[v] == 0 {
                    released.push(v);
                }
            }
        }
        released
    }

    /// Per unit: how each platform of a unit that waited for proofs was proven.
    pub(super) fn proofs(&self, units: &[UnitInfo]) -> Vec<Vec<Proof>> {
        (0..units.len())
            .map(|u| {
                if !self.guarded[u] {
                    return Vec::new();
                }
                units[u]
                    .groups
                    .iter()
                    .map(|&g| match self.proof.get(&g) {
                        Some((w, label, in_pilot)) if !self.unprovable.contains(&g) => Proof {
                            platform: g,
                            by: Some((*w, label.clone())),
                            in_pilot: *in_pilot,
                        },
                        _ => Proof {
                            platform: g,
                            by: None,
                            in_pilot: false,
                        },
                    })
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Os;

    fn asset(kind: AssetKind, os: &str) -> Asset {
        let mut a = Asset::new("a");
        a.kind = kind;
        a.os = Os::parse(os);
        a
    }

    #[test]
    fn platforms_are_roles_then_the_os_family() {
        let gw = asset(AssetKind::MailGateway, "CentOS Linux 7.9");
        assert_eq!(
            platforms(&gw, &[]),
            [Platform::Mail, Platform::Os(OsFamily::Linux)]
        );
        let hmi = asset(AssetKind::Workstation, "Windows 7 Embedded Standard");
        assert_eq!(
            platforms(&hmi, &[Role::Ot, Role::Endpoint]),
            [Platform::Ot, Platform::Os(OsFamily::WindowsEmbedded)]
        );
        assert!(is_ot(&hmi, &[Role::Ot]));
        let svm = asset(AssetKind::Appliance, "Linux");
        assert_eq!(
            platforms(&svm, &[Role::Virtualization])[0],
            Platform::Virtualization
        );
        assert_eq!(
            platforms(&asset(AssetKind::Server, "Windows Server 2022"), &[]),
            [Platform::Os(OsFamily::WindowsServer)]
        );
    }

    #[test]
    fn critical_means_kritis_or_critical_criticality() {
        let mut a = asset(AssetKind::Server, "Windows Server 2022");
        a.criticality = Criticality::High;
        assert!(!is_critical(&a));
        a.add_tag("kritis");
        assert!(is_critical(&a));
        assert_eq!(guard_note(&a, &[Role::Ot]), "KRITIS, OT");
        a.set_tags([]);
        a.criticality = Criticality::Critical;
        assert!(is_critical(&a));
    }

    #[test]
    fn proof_notes_read_as_sentences() {
        let p = |platform, by: Option<(usize, &str)>, in_pilot| Proof {
            platform,
            by: by.map(|(w, l)| (w, l.to_string())),
            in_pilot,
        };
        let wid = |w: usize| format!("w{}", w + 1);
        let note = proof_note(
            &[
                p(Platform::Ot, None, false),
                p(
                    Platform::Os(OsFamily::WindowsServer),
                    Some((0, "srv-1")),
                    true,
                ),
                p(Platform::Os(OsFamily::Linux), Some((0, "srv-2")), true),
            ],
            wid,
        );
        assert_eq!(
            note,
            "after the pilot proved Windows Server and Linux in w1; OT could not be piloted \
             (no low-risk one can go first)"
        );
        let note = proof_note(&[p(Platform::Mail, Some((2, "mx-1")), false)], wid);
        assert_eq!(note, "after mx-1 proved mail in w3");
        assert_eq!(join_and(&["a", "b", "c"]), "a, b and c");
    }
}
