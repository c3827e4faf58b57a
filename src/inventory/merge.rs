//! Merging the assets, software rows and relation rows of several files by asset id.

use super::provenance::Provenance;
use super::{AssetSet, Explicit, FileReport, Record, RelationRow, Sink, SoftwareRow, same_text};
use crate::error::{InputError, Location};
use crate::model::{
    Asset, AssetKind, Inventory, Origin, Os, OsFamily, Relation, RelationKind, Software,
};
use std::collections::{HashMap, HashSet};

/// The inventory being built from several files.
#[derive(Debug, Default)]
pub(crate) struct Merger {
    inv: Inventory,
    explicit: Vec<Explicit>,
    /// Where each fact came from, when asked for (parallel to the inventory).
    prov: Option<Vec<Provenance>>,
}

/// Which of two values of a field to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pick {
    /// The value already there.
    Keep,
    /// The new, richer value (e.g. the FQDN for a short name, "Windows 11 23H2" for "Windows 11").
    Take,
    /// Different values: keep the first and report it.
    Conflict,
}

/// Text values: equal (case-insensitively), one containing the other (the longer is richer),
/// or in conflict.
fn pick_text(a: &str, b: &str) -> Pick {
    let (fa, fb) = (fold(a), fold(b));
    if fa == fb || fa.contains(&fb) {
        Pick::Keep
    } else if fb.contains(&fa) {
        Pick::Take
    } else {
        Pick::Conflict
    }
}

/// Operating systems: the one that says more wins, unless they disagree.
fn pick_os(a: &Os, b: &Os) -> Pick {
    if same_text(&a.raw, &b.raw) || b.family == OsFamily::Unknown {
        return Pick::Keep;
    }
    if a.family == OsFamily::Unknown {
        return Pick::Take;
    }
    if a.family != b.family || (a.distro.is_some() && b.distro.is_some() && a.distro != b.distro) {
        return Pick::Conflict;
    }
    let (ka, kb) = (
        a.version_key().unwrap_or_default(),
        b.version_key().unwrap_or_default(),
    );
    let compatible = ka.iter().zip(&kb).all(|(x, y)| x == y);
    if !compatible {
        return Pick::Conflict;
    }
    let score = |o: &Os, k: &[u32]| {
        (
            k.len(),
            usize::from(o.feature_update.is_some()),
            usize::from(o.distro.is_some()),
        )
    };
    if score(b, &kb) > score(a, &ka) {
        Pick::Take
    } else {
        Pick::Keep
    }
}

impl Merger {
    /// Adds the assets of one file. A record whose id (or short name / FQDN) is already known
    /// is merged into it: empty fields are filled, conflicting values keep the first and warn,
    /// tags, software and relations are unioned.
    pub(crate) fn add_assets(&mut self, set: AssetSet, sink: &mut Sink) -> Result<(), InputError> {
        if self.inv.is_empty() {
            if let Some(prov) = self.prov.as_mut() {
                for (a, x) in set.inv.assets().iter().zip(&set.explicit) {
                    prov.push(Provenance::of_new(a, *x));
                }
            }
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
                if let Some(p) = self.prov.as_mut().and_then(|v| v.get_mut(i)) {
                    p.add("os", Some(row.origin.clone()), None);
                }
            }
            if index.add(i, &mut asset.software, row.software)
                && let Some(p) = self.prov.as_mut().and_then(|v| v.get_mut(i))
            {
                p.software.push(Some(row.origin));
            }
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

    /// The merged inventory (and, when tracked, where each fact came from). Kinds nobody
    /// stated are inferred from the (merged) OS.
    pub(crate) fn finish(mut self) -> (Inventory, Option<Vec<Provenance>>) {
        for (i, explicit) in self.explicit.iter().enumerate() {
            if !explicit.kind {
                let asset = self.inv.asset_mut(i);
                asset.kind = AssetKind::infer(&asset.os);
            }
        }
        (self.inv, self.prov)
    }

    /// Inserts a new asset; its position (or that of the asset that already has its id).
    fn insert(&mut self, asset: Asset, explicit: Explicit) -> usize {
        let prov = self
            .prov
            .as_ref()
            .map(|_| Provenance::of_new(&asset, explicit));
        match self.inv.insert(asset) {
            Ok(i) => {
                self.explicit.push(explicit);
                if let (Some(list), Some(p)) = (self.prov.as_mut(), prov) {
                    list.push(p);
                }
                i
            }
            Err(i) => i,
        }
    }

    /// Starts recording where each fact comes from (before anything is added).
    pub(crate) fn track_provenance(&mut self) {
        self.prov = Some(Vec::new());
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
        let mut prov = self.prov.as_mut().and_then(|v| v.get_mut(i));
        let origin = b.origin.clone();
        let mut note = |field: &'static str, rejected: Option<String>| {
            if let Some(p) = prov.as_deref_mut() {
                p.add(field, origin.clone(), rejected);
            }
        };
        let mut conflicts: Vec<(&str, String, String)> = Vec::new();
        let old_name = a.name.clone();
        for (field, mine, theirs) in [
            ("name", &mut a.name, b.name),
            ("site", &mut a.site, b.site),
            ("owner", &mut a.owner, b.owner),
        ] {
            let Some(t) = theirs else { continue };
            match mine.as_deref().map(|m| pick_text(m, &t)) {
                None | Some(Pick::Take) => {
                    if let Some(m) = mine.replace(t) {
                        note(field, Some(m));
                    }
                    note(field, None);
                }
                Some(Pick::Keep) => note(field, Some(t)),
                Some(Pick::Conflict) => {
                    let m = mine.clone().unwrap_or_default();
                    note(field, Some(t.clone()));
                    conflicts.push((field, m, t));
                }
            }
        }
        if !b.os.raw.is_empty() {
            match pick_os(&a.os, &b.os) {
                Pick::Take => {
                    let old = std::mem::replace(&mut a.os, b.os);
                    if !old.raw.is_empty() {
                        note("os", Some(old.raw));
                    }
                    note("os", None);
                }
                Pick::Keep => note("os", Some(b.os.raw)),
                Pick::Conflict => {
                    note("os", Some(b.os.raw.clone()));
                    conflicts.push(("os", a.os.raw.clone(), b.os.raw));
                }
            }
        }
        match (ax.kind, bx.kind) {
            (false, true) => {
                (a.kind, ax.kind) = (b.kind, true);
                note("kind", None);
            }
            (true, true) if a.kind != b.kind => {
                note("kind", Some(b.kind.to_string()));
                conflicts.push(("kind", a.kind.to_string(), b.kind.to_string()));
            }
            _ => {}
        }
        match (ax.criticality, bx.criticality) {
            (false, true) => {
                (a.criticality, ax.criticality) = (b.criticality, true);
                note("criticality", None);
            }
            (true, true) if a.criticality != b.criticality => {
                let (m, t) = (a.criticality.to_string(), b.criticality.to_string());
                note("criticality", Some(t.clone()));
                conflicts.push(("criticality", m, t));
            }
            _ => {}
        }
        if !b.tags.is_empty() {
            note("tags", None);
        }
        for tag in b.tags {
            if !a.has_tag(&tag) {
                a.tags.push(tag);
            }
        }
        let renamed = a.name != old_name;
        let mut software = SoftwareIndex::default();
        for sw in b.software {
            if software.add(i, &mut a.software, sw)
                && let Some(p) = prov.as_deref_mut()
            {
                p.software.push(origin.clone());
            }
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
    fn add(&mut self, asset: usize, list: &mut Vec<Software>, new: Software) -> bool {
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
                false
            }
            None => {
                slots.push(list.len());
                list.push(new);
                true
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
        let mut add = |s: Software| {
            index.add(0, &mut list, s);
        };
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
