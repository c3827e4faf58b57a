//! Recognising protection products of the vendor catalogue in an inventory scan.

use crate::catalog::Catalog;
use crate::model::{Asset, os::version_at_least};
use std::collections::{HashMap, HashSet};

/// The catalogue's detection facts, ready to match software names.
pub struct Detector {
    /// Per product: lower-case name fragments.
    names: Vec<(usize, String)>,
    /// Lower-case exact package/service name → products.
    packages: HashMap<String, Vec<usize>>,
    /// Product ids by index.
    ids: Vec<String>,
    /// Per product: built into these platforms.
    builtin: Vec<Vec<(crate::model::OsFamily, Option<String>)>>,
}

impl Detector {
    /// Compiles the catalogue's `detect` facts.
    pub fn new(catalog: &Catalog) -> Detector {
        let mut names = Vec::new();
        let mut packages: HashMap<String, Vec<usize>> = HashMap::new();
        let mut ids = Vec::new();
        let mut builtin = Vec::new();
        for (i, p) in catalog.products().iter().enumerate() {
            ids.push(p.id.clone());
            builtin.push(p.detect.builtin.clone());
            for n in &p.detect.names {
                names.push((i, n.to_lowercase()));
            }
            for k in &p.detect.packages {
                packages.entry(k.to_lowercase()).or_default().push(i);
            }
        }
        Detector {
            names,
            packages,
            ids,
            builtin,
        }
    }

    /// Catalogue products whose software is listed on the asset, by id (sorted, unique).
    pub fn listed(&self, asset: &Asset, cache: &mut HashMap<String, Vec<usize>>) -> Vec<String> {
        let mut found: HashSet<usize> = HashSet::new();
        for sw in &asset.software {
            let key = sw.name.to_lowercase();
            let hits = cache.entry(key).or_insert_with_key(|k| {
                let mut v: Vec<usize> = self
                    .names
                    .iter()
                    .filter(|(_, n)| k.contains(n.as_str()))
                    .map(|(i, _)| *i)
                    .collect();
                if let Some(p) = self.packages.get(k.as_str()) {
                    v.extend(p);
                }
                v
            });
            found.extend(hits.iter().copied());
        }
        let mut out: Vec<String> = found.into_iter().map(|i| self.ids[i].clone()).collect();
        out.sort();
        out
    }

    /// True when `product` is part of the asset's OS (e.g. Defender Antivirus on Windows 10+),
    /// so that a scan need not list it.
    pub fn builtin(&self, product: &str, asset: &Asset) -> bool {
        let Some(i) = self.ids.iter().position(|p| p == product) else {
            return false;
        };
        self.builtin[i].iter().any(|(family, min)| {
            asset.os.family == *family
                && match (min, &asset.os.version) {
                    (None, _) => true,
                    (Some(m), Some(v)) => version_at_least(v, m),
                    (Some(_), None) => false,
                }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Os, Software};

    #[test]
    fn products_are_found_by_name_package_and_as_part_of_windows() {
        let d = Detector::new(&Catalog::builtin());
        let mut cache = HashMap::new();
        let mut a = Asset::new("ws");
        a.os = Os::parse("Windows 11 23H2");
        a.software = vec![
            Software::named("ESET Endpoint Security 11.0"),
            Software::named("7-Zip"),
        ];
        assert_eq!(d.listed(&a, &mut cache), vec!["eset-protect-endpoint"]);
        a.software = vec![Software::named("falcon-sensor")];
        assert_eq!(d.listed(&a, &mut cache), vec!["crowdstrike-falcon"]);
        assert!(d.builtin("mde", &a), "Defender is part of Windows 11");
        a.os = Os::parse("Windows 7 Professional");
        assert!(!d.builtin("mde", &a));
        a.os = Os::parse("Ubuntu 22.04");
        assert!(!d.builtin("defender-av", &a));
    }
}
