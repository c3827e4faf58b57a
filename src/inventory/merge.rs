//! Merging the assets, software rows and relation rows of several files by asset id.

use super::{AssetSet, Explicit, FileReport, Record, RelationRow, Sink, SoftwareRow, same_text};
use crate::error::{InputError, Location};
use crate::model::{Asset, AssetKind, Inventory, Origin, Relation, RelationKind, Software};
use std::collections::{HashMap, HashSet};

/// The inventory being built from several files.
#[derive(Debug, Default)]
pub(crate) struct Merger {
    inv: Inventory,
    explicit: Vec<Explicit>,
}

impl Merger {
    /// Adds the assets of one file. A record whose id (or short name / FQDN) is already known
    /// is merged into it: empty fields are filled, conflicting values keep the first and warn,
    /// tags, software and relations are unioned.
    pub(crate) fn add_assets(&mut self, set: AssetSet, sink: &mut Sink) -> Result<(), InputError> {
        if self.inv.is_empty() {
            self.inv = set.inv;
            self.explicit = set.explicit;
            return Ok(());
        }
        let mut renamed = false;
        for (asset, explicit) in set.inv.into_assets().into_iter().zip(set.explicit) {
            match self.inv.resolve(&asset.id) {
                Some(i) => renamed |= self.merge_into(i, asset, explicit, sink)?,
                None => {
                    self.insert(asset, explicit);
                }
            }
        }
        if renamed {
            // A name filled in from this file is a new alias for later files to find.
            self.inv = Inventory::from_assets(std::mem::take(&mut self.inv).into_assets());
        }
        Ok(())
    }

    /// Adds the device records of vendor exports: a device already known (by id, name, or
    /// short name / FQDN) is merged, others are added.
    pub(crate) fn add_records(
        &mut self,
        records: Vec<Record>,
        sink: &mut Sink,
    ) -> Result<(), InputError> {
        let mut renamed = false;
        for r in records {
            match self.inv.resolve(&r.asset.id) {
                Some(i) => renamed |= self.merge_into(i, r.asset, r.explicit, sink)?,
                None => match r.asset.name.as_deref().and_then(|n| self.inv.resolve(n)) {
                    Some(i) => renamed |= self.merge_into(i, r.asset, r.explicit, sink)?,
                    None => {
                        self.insert(r.asset, r.explicit);
                    }
                },
            }
        }
        if renamed {
            self.inv = Inventory::from_assets(std::mem::take(&mut self.inv).into_assets());
        }
        Ok(())
    }

    /// Adds software rows to their assets, creating assets no file listed.
    pub(crate) fn add_software(&mut self, rows: Vec<SoftwareRow>, report: &mut FileReport) {
        let mut index = SoftwareIndex::default();
        let mut last: Option<(String, usize)> = None;
        for row in rows {
            // Exports list a host's products one after another: resolve each host once.
            let i = match &last {
                Some((host, i)) if *host == row.host => *i,
                _ => {
                    let i = self.find_or_create(&row.host, &row.origin, report);
                    last = Some((row.host, i));
                    i
                }
            };
            let asset = self.inv.asset_mut(i);
            if let Some(os) = row.os
                && asset.os.raw.is_empty()
            {
                asset.os = os;
            }
            index.add(i, &mut asset.software, row.software);
        }
    }

    /// Adds relation rows to their dependent assets, creating dependents no file listed.
    pub(crate) fn add_relations(&mut self, rows: Vec<RelationRow>, report: &mut FileReport) {
        let mut index = RelationIndex::default();
        for row in rows {
            let origin = row.relation.origin.clone().unwrap_or_else(|| Origin {
                file: report.path.as_str().into(),
                line: 0,
            });
            let i = self.find_or_create(&row.from, &origin, report);
            index.add(i, &mut self.inv.asset_mut(i).depends_on, row.relation);
        }
    }

    /// The merged inventory. Kinds nobody stated are inferred from the (merged) OS.
    pub(crate) fn finish(mut self) -> Inventory {
        for (i, explicit) in self.explicit.iter().enumerate() {
            if !explicit.kind {
                let asset = self.inv.asset_mut(i);
                asset.kind = AssetKind::infer(&asset.os);
            }
        }
        self.inv
    }

    /// Inserts a new asset; its position (or that of the asset that already has its id).
    fn insert(&mut self, asset: Asset, explicit: Explicit) -> usize {
        match self.inv.insert(asset) {
            Ok(i) => {
                self.explicit.push(explicit);
                i
            }
            Err(i) => i,
        }
    }

    fn find_or_create(&mut self, host: &str, origin: &Origin, report: &mut FileReport) -> usize {
        if let Some(i) = self.inv.resolve(host) {
            return i;
        }
        let mut asset = Asset::new(host);
        asset.kind = AssetKind::infer(&asset.os);
        asset.origin = Some(origin.clone());
        report.assets += 1;
        self.insert(asset, Explicit::default())
    }

    /// Merges `b` into the asset at `i`; true when the asset gained a name.
    fn merge_into(
        &mut self,
        i: usize,
        b: Asset,
        bx: Explicit,
        sink: &mut Sink,
    ) -> Result<bool, InputError> {
        let ax = &mut self.explicit[i];
        let a = self.inv.asset_mut(i);
        let mut conflicts: Vec<(&str, String, String)> = Vec::new();
        let renamed = a.name.is_none() && b.name.is_some();
        for (field, mine, theirs) in [
            ("name", &mut a.name, b.name),
            ("site", &mut a.site, b.site),
            ("owner", &mut a.owner, b.owner),
        ] {
            match (mine.as_deref(), theirs) {
                (None, theirs) => *mine = theirs,
                (Some(m), Some(t)) if !same_text(m, &t) => {
                    conflicts.push((field, m.to_string(), t));
                }
                _ => {}
            }
        }
        if a.os.raw.is_empty() {
            a.os = b.os;
        } else if !b.os.raw.is_empty() && !same_text(&a.os.raw, &b.os.raw) {
            conflicts.push(("os", a.os.raw.clone(), b.os.raw));
        }
        match (ax.kind, bx.kind) {
            (false, true) => (a.kind, ax.kind) = (b.kind, true),
            (true, true) if a.kind != b.kind => {
                conflicts.push(("kind", a.kind.to_string(), b.kind.to_string()));
            }
            _ => {}
        }
        match (ax.criticality, bx.criticality) {
            (false, true) => (a.criticality, ax.criticality) = (b.criticality, true),
            (true, true) if a.criticality != b.criticality => {
                let (m, t) = (a.criticality.to_string(), b.criticality.to_string());
                conflicts.push(("criticality", m, t));
            }
            _ => {}
        }
        for tag in b.tags {
            if !a.has_tag(&tag) {
                a.tags.push(tag);
            }
        }
        let mut software = SoftwareIndex::default();
        for sw in b.software {
            software.add(i, &mut a.software, sw);
        }
        let mut relations = RelationIndex::default();
        for rel in b.depends_on {
            relations.add(i, &mut a.depends_on, rel);
        }
        let first = a
            .origin
            .as_ref()
            .map_or_else(String::new, |o| format!(" from {o}"));
        let at = b.origin.map_or_else(Location::default, |o| {
            Location::line(o.file.to_string(), o.line as usize)
        });
        for (field, mine, theirs) in conflicts {
            let message = format!(
                "asset \"{}\": {field} \"{theirs}\" conflicts with \"{mine}\"{first}; keeping \"{mine}\"",
                a.id
            );
            sink.warn(at.clone(), message)?;
        }
        Ok(renamed)
    }
}

/// Names as compared when merging: case-insensitively.
fn fold(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// Where each software name sits in the lists of assets being merged into, so that unions
/// stay linear however many products a host has.
#[derive(Default)]
struct SoftwareIndex {
    slots: HashMap<(usize, String), Vec<usize>>,
    indexed: HashSet<usize>,
}

impl SoftwareIndex {
    /// Adds a software entry to asset `asset`'s `list` unless it has it already; an entry that
    /// only lacks a version or publisher the new one has is completed instead.
    fn add(&mut self, asset: usize, list: &mut Vec<Software>, new: Software) {
        if self.indexed.insert(asset) {
            for (k, s) in list.iter().enumerate() {
                self.slots
                    .entry((asset, fold(&s.name)))
                    .or_default()
                    .push(k);
            }
        }
        let fits = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (Some(a), Some(b)) => same_text(a, b),
            _ => true,
        };
        let slots = self.slots.entry((asset, fold(&new.name))).or_default();
        let found = slots.iter().copied().find(|&k| {
            fits(&list[k].version, &new.version) && fits(&list[k].publisher, &new.publisher)
        });
        match found {
            Some(k) => {
                let s = &mut list[k];
                if s.version.is_none() {
                    s.version = new.version;
                }
                if s.publisher.is_none() {
                    s.publisher = new.publisher;
                }
            }
            None => {
                slots.push(list.len());
                list.push(new);
            }
        }
    }
}

/// The relations of assets being merged into, by target (case-insensitive) and kind.
#[derive(Default)]
struct RelationIndex {
    seen: HashSet<(usize, String, RelationKind)>,
    indexed: HashSet<usize>,
}

impl RelationIndex {
    /// Adds a relation to asset `asset`'s `list` unless it has the same target and kind.
    fn add(&mut self, asset: usize, list: &mut Vec<Relation>, new: Relation) {
        if self.indexed.insert(asset) {
            for r in list.iter() {
                self.seen.insert((asset, fold(&r.target), r.kind));
            }
        }
        if self.seen.insert((asset, fold(&new.target), new.kind)) {
            list.push(new);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn software_is_unioned_and_completed() {
        let mut list = vec![Software::named("KES"), Software::named("Office")];
        let mut index = SoftwareIndex::default();
        let mut add = |s: Software| index.add(0, &mut list, s);
        add(Software {
            name: "kes".into(),
            version: Some("12.6".into()),
            publisher: Some("AO Kaspersky Lab".into()),
        });
        add(Software::named("OFFICE"));
        add(Software {
            name: "KES".into(),
            version: Some("11.0".into()),
            publisher: None,
        });
        add(Software {
            name: "Kes".into(),
            version: Some("12.6".into()),
            publisher: Some("Kaspersky Lab".into()),
        });
        let names: Vec<_> = list
            .iter()
            .map(|s| {
                (
                    s.name.as_str(),
                    s.version.as_deref(),
                    s.publisher.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("KES", Some("12.6"), Some("AO Kaspersky Lab")),
                ("Office", None, None),
                ("KES", Some("11.0"), None),
                ("Kes", Some("12.6"), Some("Kaspersky Lab")),
            ]
        );
    }

    #[test]
    fn relations_are_unioned() {
        use crate::model::RelationKind::*;
        let mut list = vec![Relation::new("ksc-01", ManagedBy)];
        let mut index = RelationIndex::default();
        index.add(3, &mut list, Relation::new("KSC-01", ManagedBy));
        index.add(3, &mut list, Relation::new("ksc-01", UpdatesFrom));
        index.add(3, &mut list, Relation::new("Ksc-01", UpdatesFrom));
        let got: Vec<_> = list.iter().map(|r| (r.target.as_str(), r.kind)).collect();
        assert_eq!(got, [("ksc-01", ManagedBy), ("ksc-01", UpdatesFrom)]);
    }
}
