//! Recognising protection products of the vendor catalogue in an inventory scan, on evidence
//! only: a product counts when the scan lists it (its name, one of its own packages, services or
//! processes, or a state row proving it is active), never because it is part of the OS.

use crate::catalog::Catalog;
use crate::model::{Asset, OsFamily, os::version_at_least};
use std::collections::{HashMap, HashSet};

/// The catalogue's detection facts, ready to match software names.
pub struct Detector {
    /// Per product: lower-case name fragments.
    names: Vec<(usize, String)>,
    /// Lower-case exact package/service name → products.
    packages: HashMap<String, Vec<usize>>,
    /// Lower-case exact state-row name → products it proves active when its value is 1/true.
    onboarding: HashMap<String, Vec<usize>>,
    /// Product ids by index.
    ids: Vec<String>,
    /// Per product: platforms where it is part of the OS and may switch itself on.
    builtin: Vec<Vec<(OsFamily, Option<String>)>>,
}

impl Detector {
    /// Compiles the catalogue's `detect` facts.
    pub fn new(catalog: &Catalog) -> Detector {
        let mut names = Vec::new();
        let mut packages: HashMap<String, Vec<usize>> = HashMap::new();
        let mut onboarding: HashMap<String, Vec<usize>> = HashMap::new();
        let mut ids = Vec::new();
        let mut builtin = Vec::new();
        for (i, p) in catalog.products().iter().enumerate() {
            ids.push(p.id.clone());
            builtin.push(p.detect.builtin.clone());
            for n in &p.detect.names {
                names.push((i, n.trim().to_lowercase()));
            }
            for k in &p.detect.packages {
                packages.entry(k.trim().to_lowercase()).or_default().push(i);
            }
            for k in &p.detect.onboarding {
                onboarding
                    .entry(k.trim().to_lowercase())
                    .or_default()
                    .push(i);
            }
        }
        Detector {
            names,
            packages,
            onboarding,
            ids,
            builtin,
        }
    }

    /// Products a software name shows: exact package names, and name fragments where the most
    /// specific one wins ("Windows Defender Advanced Threat Protection" is Defender for
    /// Endpoint, not the "Windows Defender" anti-virus it contains).
    fn by_name(&self, key: &str) -> Vec<usize> {
        let hits: Vec<&(usize, String)> = self
            .names
            .iter()
            .filter(|(_, n)| !n.is_empty() && key.contains(n.as_str()))
            .collect();
        let mut v: Vec<usize> = hits
            .iter()
            .filter(|(i, n)| {
                !hits
                    .iter()
                    .any(|(j, m)| j != i && m.len() > n.len() && m.contains(n.as_str()))
            })
            .map(|(i, _)| *i)
            .collect();
        if let Some(p) = self.packages.get(key) {
            v.extend(p);
        }
        v
    }

    /// Catalogue products the scan shows on the asset, by id (sorted, unique).
    pub fn listed(&self, asset: &Asset, cache: &mut HashMap<String, Vec<usize>>) -> Vec<String> {
        let mut found: HashSet<usize> = HashSet::new();
        for sw in &asset.software {
            let key = sw.name.trim().to_lowercase();
            if let Some(ps) = self.onboarding.get(&key)
                && sw.version.as_deref().is_some_and(is_on)
            {
                found.extend(ps.iter().copied());
            }
            let hits = cache.entry(key).or_insert_with_key(|k| self.by_name(k));
            found.extend(hits.iter().copied());
        }
        let mut out: Vec<String> = found.into_iter().map(|i| self.ids[i].clone()).collect();
        out.sort();
        out.dedup();
        out
    }

    /// A product that is part of the asset's OS and may have switched itself on when the other
    /// anti-virus was removed (Defender Antivirus on a Windows 10/11 client), by id. A scan
    /// cannot show it, so an asset that lists nothing else is *unverified* rather than
    /// *unprotected*; it never makes the asset protected.
    pub fn may_switch_on(&self, asset: &Asset) -> Option<&str> {
        let i = self.builtin.iter().position(|platforms| {
            platforms.iter().any(|(family, min)| {
                asset.os.family == *family
                    && match (min, &asset.os.version) {
                        (None, _) => true,
                        (Some(m), Some(v)) => version_at_least(v, m),
                        (Some(_), None) => false,
                    }
            })
        })?;
        Some(self.ids[i].as_str())
    }
}

/// A state row's value that means "on".
fn is_on(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on" | "0x1" | "0x00000001"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Os, Software};

    fn asset(os: &str, software: &[&str]) -> Asset {
        let mut a = Asset::new("a");
        a.os = Os::parse(os);
        a.software = software.iter().map(|s| Software::named(*s)).collect();
        a
    }

    fn listed(a: &Asset) -> Vec<String> {
        Detector::new(&Catalog::builtin()).listed(a, &mut HashMap::new())
    }

    #[test]
    fn management_agents_are_no_protection() {
        for sw in [
            "ESET Management Agent",
            "EraAgentSvc",
            "McAfee Agent",
            "Trellix Agent",
            "masvc",
        ] {
            assert!(listed(&asset("Windows 11 23H2", &[sw])).is_empty(), "{sw}");
        }
    }

    #[test]
    fn products_are_found_by_name_and_package() {
        let a = asset("Windows 11 23H2", &["ESET Endpoint Security 11.0", "7-Zip"]);
        assert_eq!(listed(&a), vec!["eset-protect-endpoint"]);
        assert_eq!(
            listed(&asset("Ubuntu 22.04", &["falcon-sensor"])),
            vec!["crowdstrike-falcon"]
        );
    }

    #[test]
    fn defender_antivirus_and_defender_for_endpoint_are_told_apart() {
        let av = asset("Windows Server 2019", &["Microsoft Defender Antivirus"]);
        assert_eq!(listed(&av), vec!["defender-av"]);
        let old_mde = asset(
            "Windows 10 Pro",
            &["Windows Defender Advanced Threat Protection"],
        );
        assert_eq!(listed(&old_mde), vec!["mde"]);
        for evidence in ["Sense", "MsSense.exe", "mdatp"] {
            assert_eq!(
                listed(&asset("Windows 11", &[evidence])),
                vec!["mde"],
                "{evidence}"
            );
        }
        // Services every Windows machine has prove nothing.
        for service in ["WinDefend", "WdNisSvc", "MsMpEng.exe"] {
            assert!(
                listed(&asset("Windows 11", &[service])).is_empty(),
                "{service}"
            );
        }
    }

    #[test]
    fn an_onboarding_state_row_counts_only_when_on() {
        let mut a = asset("Windows 11", &[]);
        a.software = thin_vec::thin_vec![Software {
            name: "OnboardingState".into(),
            version: Some("1".into()),
            publisher: None,
        }];
        assert_eq!(listed(&a), vec!["mde"]);
        a.software[0].version = Some("0".into());
        assert!(listed(&a).is_empty());
        a.software[0].version = None;
        assert!(listed(&a).is_empty());
    }

    #[test]
    fn only_windows_clients_may_have_switched_defender_on() {
        let d = Detector::new(&Catalog::builtin());
        assert_eq!(
            d.may_switch_on(&asset("Windows 11 23H2", &[])),
            Some("defender-av")
        );
        assert_eq!(d.may_switch_on(&asset("Windows Server 2022", &[])), None);
        assert_eq!(d.may_switch_on(&asset("Windows 7 Professional", &[])), None);
        assert_eq!(d.may_switch_on(&asset("Ubuntu 22.04", &[])), None);
        assert_eq!(d.may_switch_on(&asset("macOS 14 Sonoma", &[])), None);
    }
}
