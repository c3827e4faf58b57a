//! Merging the assets, software rows and relation rows of several files by asset id.
//!
//! Two links can only be made once every file is read, by [`Merger::link`]:
//! * software rows that name their device by an id only a device export of the same import
//!   knows (ConfigMgr `ResourceID`): the device record carries [`alias_relation`], the rows use
//!   [`alias_host`];
//! * devices of a Kaspersky Security Center export managed by the *primary* Administration
//!   Server, which the export does not name: their relations point to [`KSC_PRIMARY`] until the
//!   server is known (`--ksc-server`, or the one asset with the Administration Server installed).
//!
//! Both placeholders start with NUL, which no imported text contains (files with NUL bytes are
//! refused as binary), and neither ever reaches the inventory.

use super::chunked::Chunked;
use super::merge_index::{RelationIndex, SoftwareIndex, drop_repeated};
use super::merge_pick::{Pick, fold, other_fqdn, pick_name, pick_os, pick_text};
use super::provenance::Provenance;
use super::{AssetSet, Explicit, FileReport, Record, RelationRow, Sink, SoftwareRow};
use crate::error::{InputError, Location};
use crate::model::inventory::short_name;
use crate::model::text::Text;
use crate::model::{Asset, AssetKind, FileRef, Inventory, Origin, Relation, RelationKind};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Relation target meaning "the primary Administration Server of this KSC export".
pub(crate) const KSC_PRIMARY: &str = "\0ksc-primary-server";

/// Prefix of the alias placeholders.
const ALIAS: &str = "\0alias:";

/// A relation that, in a [`Record`]'s `depends_on`, makes the record's device findable under
/// `key` by software rows whose host is [`alias_host`]`(key)`. Add it after `tidy`, which
/// would neutralise the NUL.
pub(crate) fn alias_relation(key: &str) -> Relation {
    Relation::new(alias_host(key), RelationKind::Uses)
}

/// The host of a software row that names its device by an alias `key` ("cm:16777321").
pub(crate) fn alias_host(key: &str) -> String {
    format!("{ALIAS}{key}")
}

/// The inventory being built from several files.
#[derive(Debug, Default)]
pub(crate) struct Merger {
    inv: Inventory,
    explicit: Vec<Explicit>,
    /// Where each fact came from, when asked for (parallel to the inventory).
    prov: Option<Vec<Provenance>>,
    /// Alias key → asset position.
    aliases: HashMap<Text, usize>,
    /// Alias keys no record declared, by the file of the software rows that used them.
    unresolved: BTreeMap<FileRef, Vec<String>>,
    /// The FQDN merged by its short name into an asset whose id is that short name.
    fqdns: HashMap<usize, String>,
    /// Matches refused by [`Merger::find`] for software and relation rows, reported by `link`.
    apart: Vec<(Location, String)>,
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
            match self.find(&asset.id) {
                Ok(Some(i)) => renamed |= self.merge_into(i, asset, explicit, sink)?,
                found => {
                    if let Err(why) = found {
                        sink.warn(location(asset.origin.as_ref()), why)?;
                    }
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
        records: impl ExactSizeIterator<Item = Record>,
        sink: &mut Sink,
    ) -> Result<(), InputError> {
        let mut renamed = false;
        // At most this many new assets: one growth instead of doubling (a file of a million
        // records would leave room for two).
        self.inv.reserve(records.len());
        for mut r in records {
            let mut keys: Vec<Text> = Vec::new();
            let relations = &mut r.asset.depends_on;
            relations.retain(|rel| match rel.target.strip_prefix(ALIAS) {
                Some(key) => {
                    keys.push(key.into());
                    false
                }
                None => true,
            });
            crate::model::lists::fit(relations);
            let mut found = self.find(&r.asset.id);
            if let (Ok(None) | Err(_), Some(name)) = (&found, r.asset.name.as_deref()) {
                // An id that matches nothing, or several assets, may still name one.
                match self.find(name) {
                    Ok(None) if found.is_err() => {}
                    by_name => found = by_name,
                }
            }
            let found = found.or_else(|why| {
                sink.warn(location(r.asset.origin.as_ref()), why)
                    .map(|()| None)
            })?;
            let i = match found {
                Some(i) => {
                    renamed |= self.merge_into(i, r.asset, r.explicit, sink)?;
                    i
                }
                None => self.insert(r.asset, r.explicit),
            };
            let asset = self.inv.asset_mut(i);
            for key in &keys {
                if !asset.vendor_ids().any(|v| **v == **key) {
                    asset.add_vendor_id(key.clone());
                }
            }
            for key in keys {
                self.aliases.entry(key).or_insert(i);
            }
        }
        if renamed {
            self.inv = Inventory::from_assets(std::mem::take(&mut self.inv).into_assets());
        }
        Ok(())
    }

    /// Adds software rows to their assets, creating assets no file listed.
    pub(crate) fn add_software(&mut self, rows: Chunked<SoftwareRow>, report: &mut FileReport) {
        let mut index = SoftwareIndex::default();
        // Room for a new host per row, reserved rather than doubled (untouched room costs no
        // memory).
        self.inv.reserve(rows.len());
        let mut last: Option<(ecow::EcoString, usize)> = None;
        for row in rows.drain() {
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
                    p.add("os", Some(row.origin), None);
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
    pub(crate) fn add_relations(&mut self, rows: Chunked<RelationRow>, report: &mut FileReport) {
        let mut index = RelationIndex::default();
        let file = FileRef::new(&report.path);
        for row in rows.drain() {
            let origin = row.relation.origin.unwrap_or(Origin::new(file, 0));
            let i = self.find_or_create(&row.from, &origin, report);
            index.add(i, &mut self.inv.asset_mut(i).depends_on, row.relation);
        }
        for (i, first_new) in index.touched() {
            drop_repeated(&mut self.inv.asset_mut(i).depends_on, first_new);
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

    /// Makes the links that need every file: reports software rows whose device alias no
    /// device export declared, and points the devices of KSC exports to their primary
    /// Administration Server — `ksc_server` when given, else the one asset that has the
    /// Administration Server installed (with none or several, the relations are dropped and a
    /// warning per export says to use `--ksc-server`). No placeholder survives.
    pub(crate) fn link(
        &mut self,
        ksc_server: Option<&str>,
        sink: &mut Sink,
    ) -> Result<(), InputError> {
        for (at, why) in std::mem::take(&mut self.apart) {
            sink.warn(at, why)?;
        }
        for (file, ids) in std::mem::take(&mut self.unresolved) {
            let shown: Vec<&str> = ids.iter().take(5).map(String::as_str).collect();
            let more = if ids.len() > shown.len() { ", …" } else { "" };
            let message = format!(
                "{} device(s) are named only by their ConfigMgr ResourceID ({}{more}): no \
                 ConfigMgr systems export (v_R_System) of this import names them; add it to \
                 join the software to the device names",
                ids.len(),
                shown.join(", ")
            );
            sink.warn(Location::file(file.to_string()), message)?;
        }
        let mut files: Vec<FileRef> = Vec::new();
        for a in self.inv.assets() {
            for r in a.depends_on.iter().filter(|r| r.target == KSC_PRIMARY) {
                if let Some(o) = &r.origin
                    && !files.contains(&o.file)
                {
                    files.push(o.file);
                }
            }
        }
        if files.is_empty() {
            return Ok(());
        }
        let primary: Result<(Option<usize>, String), String> = match ksc_server {
            Some(given) => match self.inv.resolve(given) {
                Some(i) => Ok((Some(i), self.inv.assets()[i].id.to_string())),
                None => {
                    let message = format!(
                        "--ksc-server \"{given}\" names no asset of the inventory; the devices \
                         of this Kaspersky Security Center export are managed by it all the same"
                    );
                    for file in &files {
                        sink.warn(Location::file(file.to_string()), message.clone())?;
                    }
                    Ok((None, given.to_string()))
                }
            },
            None => {
                let servers: Vec<usize> = (0..self.inv.len())
                    .filter(|&i| {
                        self.inv.assets()[i]
                            .software
                            .iter()
                            .any(super::formats::is_ksc_admin_server)
                    })
                    .collect();
                match servers.as_slice() {
                    [i] => Ok((Some(*i), self.inv.assets()[*i].id.to_string())),
                    [] => Err("no asset of the inventory has the Administration Server \
                               installed"
                        .to_string()),
                    several => {
                        let ids: Vec<&str> = several
                            .iter()
                            .map(|&i| self.inv.assets()[i].id.as_str())
                            .collect();
                        Err(format!(
                            "several assets have the Administration Server installed ({})",
                            ids.join(", ")
                        ))
                    }
                }
            }
        };
        if let Err(why) = &primary {
            for file in &files {
                let message = format!(
                    "the devices of this Kaspersky Security Center export are managed by its \
                     primary Administration Server, which is not known: {why}; name it with \
                     --ksc-server ID (their managed-by relations to it are left out)"
                );
                sink.warn(Location::file(file.to_string()), message)?;
            }
        }
        for i in 0..self.inv.len() {
            let asset = self.inv.asset_mut(i);
            if !asset.depends_on.iter().any(|r| r.target == KSC_PRIMARY) {
                continue;
            }
            let mut seen: HashSet<(String, RelationKind)> = HashSet::new();
            asset.depends_on.retain_mut(|r| {
                if r.target == KSC_PRIMARY {
                    match &primary {
                        Ok((Some(p), _)) if *p == i => return false,
                        Ok((_, id)) => r.target = id.into(),
                        Err(_) => return false,
                    }
                }
                seen.insert((fold(&r.target), r.kind))
            });
        }
        Ok(())
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

    /// The asset `reference` means ([`Inventory::resolve`]), except that an FQDN is not merged
    /// by its short name into an asset known by another FQDN (the short name is ambiguous):
    /// that is an error saying so, and the caller keeps the reference apart.
    fn find(&mut self, reference: &str) -> Result<Option<usize>, String> {
        let Some(i) = self.inv.resolve(reference) else {
            if self.inv.is_ambiguous(reference) {
                return Err(format!(
                    "\"{reference}\" matches several assets by its (short) name; not merged into \
                     any of them, kept apart"
                ));
            }
            return Ok(None);
        };
        let asset = &self.inv.assets()[i];
        let merged = self.fqdns.get(&i).map(String::as_str);
        if let Some(other) = other_fqdn(reference, asset, merged) {
            return Err(format!(
                "\"{reference}\" is not merged into asset \"{}\" by its short name: that asset \
                 is \"{other}\", another machine with the same short name; kept apart",
                asset.id
            ));
        }
        let reference = reference.to_lowercase();
        if short_name(&asset.id.as_str().to_lowercase()).is_none()
            && short_name(&reference).is_some()
        {
            self.fqdns.entry(i).or_insert(reference);
        }
        Ok(Some(i))
    }

    fn find_or_create(&mut self, host: &str, origin: &Origin, report: &mut FileReport) -> usize {
        let host = match host.strip_prefix(ALIAS) {
            Some(key) => {
                if let Some(&i) = self.aliases.get(key) {
                    return i;
                }
                // No device export declared the alias: the device is known by the id alone.
                let id = key.split_once(':').map_or(key, |(_, id)| id);
                let keys = self.unresolved.entry(origin.file).or_default();
                if !keys.iter().any(|k| k == id) {
                    keys.push(id.to_string());
                }
                id
            }
            None => host,
        };
        match self.find(host) {
            Ok(Some(i)) => return i,
            Ok(None) => {}
            Err(why) => self.apart.push((location(Some(origin)), why)),
        }
        let mut asset = Asset::new(host);
        asset.kind = AssetKind::infer(&asset.os);
        asset.origin = Some(*origin);
        report.assets += 1;
        self.insert(asset, Explicit::default())
    }

    /// Merges `b` into the asset at `i`; true when the asset gained a name.
    fn merge_into(
        &mut self,
        i: usize,
        mut b: Asset,
        bx: Explicit,
        sink: &mut Sink,
    ) -> Result<bool, InputError> {
        let ax = &mut self.explicit[i];
        let a = self.inv.asset_mut(i);
        let mut prov = self.prov.as_mut().and_then(|v| v.get_mut(i));
        let origin = b.origin;
        let mut note = |field: &'static str, rejected: Option<String>| {
            if let Some(p) = prov.as_deref_mut() {
                p.add(field, origin, rejected);
            }
        };
        let mut conflicts: Vec<(&str, String, String)> = Vec::new();
        let old_name = a.name.clone();
        let (mut site, mut owner) = (a.site().cloned(), a.owner().cloned());
        for (field, mine, theirs) in [
            ("name", &mut a.name, b.name.take()),
            ("site", &mut site, b.site().cloned()),
            ("owner", &mut owner, b.owner().cloned()),
        ] {
            let Some(t) = theirs else { continue };
            let pick = |m: &str| {
                if field == "name" {
                    pick_name(m, &t)
                } else {
                    pick_text(m, &t)
                }
            };
            match mine.as_deref().map(pick) {
                None | Some(Pick::Take) => {
                    if let Some(m) = mine.replace(t) {
                        note(field, Some(m.into()));
                    }
                    note(field, None);
                }
                Some(Pick::Keep) => note(field, Some(t.into())),
                Some(Pick::Conflict) => {
                    let m = mine.as_deref().unwrap_or_default().to_string();
                    note(field, Some(t.to_string()));
                    conflicts.push((field, m, t.into()));
                }
            }
        }
        a.set_site(site);
        a.set_owner(owner);
        if !b.os.raw.is_empty() {
            match pick_os(&a.os, &b.os) {
                Pick::Take => {
                    let old = std::mem::replace(&mut a.os, b.os.clone());
                    if !old.raw.is_empty() {
                        note("os", Some(old.raw.clone().into()));
                    }
                    note("os", None);
                }
                Pick::Keep => note("os", Some(b.os.raw.clone().into())),
                Pick::Conflict => {
                    note("os", Some(b.os.raw.to_string()));
                    conflicts.push(("os", a.os.raw.to_string(), b.os.raw.clone().into()));
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
        if b.tags().len() > 0 {
            note("tags", None);
        }
        for tag in b.tags() {
            if !a.has_tag(tag) {
                a.add_tag(tag.clone());
            }
        }
        let renamed = a.name != old_name;
        if a.software.is_empty() {
            // As when the asset is new (a device record before the software export's record).
            if let Some(p) = prov.as_deref_mut() {
                p.software.extend(b.software.iter().map(|_| origin));
            }
            a.software = std::mem::take(&mut b.software);
        } else {
            let mut software = SoftwareIndex::default();
            for sw in std::mem::take(&mut b.software) {
                if software.add(i, &mut a.software, sw)
                    && let Some(p) = prov.as_deref_mut()
                {
                    p.software.push(origin);
                }
            }
        }
        for id in b.vendor_ids() {
            if !a.vendor_ids().any(|v| v == id) {
                a.add_vendor_id(id.clone());
            }
        }
        let first_new = a.depends_on.len();
        a.depends_on.extend(b.depends_on);
        drop_repeated(&mut a.depends_on, first_new);
        let first = a
            .origin
            .as_ref()
            .map_or_else(String::new, |o| format!(" from {o}"));
        let at = location(b.origin.as_ref());
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

/// The file and line of an origin (none: no location).
fn location(origin: Option<&Origin>) -> Location {
    origin.map_or_else(Location::default, |o| {
        Location::line(o.file.to_string(), o.line() as usize)
    })
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;
