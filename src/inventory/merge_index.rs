//! The indexes a merge keeps so that adding software and relation rows to the assets stays
//! linear (or O(n log n)) however many rows one asset gets.

use super::merge_pick::fold;
use super::{folded, same_text};
use crate::model::lists::push_tight;
use crate::model::text::Text;
use crate::model::{Relation, Software};
use hashbrown::HashTable;
use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasher, Hasher};

/// Where each software name sits in the lists of assets being merged into, so that unions
/// stay linear however many products a host has, and however many versions of one product.
#[derive(Default)]
pub(super) struct SoftwareIndex {
    /// The products of each asset whose list grew past [`FEW`], by the asset's position.
    assets: HashMap<u32, HashTable<Product>>,
    hasher: foldhash::fast::RandomState,
}

/// Where one product (by folded name) sits in one asset's list. It is found by the name of
/// its first entry, hashed from the list: no name is copied, and a product listed once (most)
/// costs 24 bytes and no allocation of its own.
struct Product {
    /// The position of its first entry.
    first: u32,
    slot: Slot,
}

/// The positions of one product's entries after the first.
enum Slot {
    /// A few: scanned (grown one entry at a time, as most products are listed once).
    Few(thin_vec::ThinVec<u32>),
    /// More than [`FEW`] in all: indexed by version and publisher, so that a host listing a
    /// product in a hundred thousand versions costs a hundred thousand lookups, not their
    /// square.
    Many(Box<Versions>),
}

/// Up to this many entries of one product on one host are scanned.
const FEW: usize = 16;

/// Entries of one product by what they state, each set in list order, so that the first
/// fitting entry is the smallest of at most four sets' first members. Versions and publishers
/// are folded and numbered once, so that a product listed in a million versions costs about
/// a hundred bytes per version.
#[derive(Default)]
struct Versions {
    /// Folded versions and publishers by number (0 stands for "not stated").
    numbers: HashMap<Box<str>, u32>,
    by_both: HashMap<(u32, u32), Positions>,
    by_version: HashMap<u32, Positions>,
    by_publisher: HashMap<u32, Positions>,
    first: usize,
}

/// The number of "not stated".
const UNSTATED: u32 = 0;

/// Positions in a list, in order: most keys have one.
enum Positions {
    One(u32),
    // Boxed: a key with one position (most) then takes 16 bytes, not 32.
    #[allow(clippy::box_collection)]
    Many(Box<BTreeSet<u32>>),
}

impl Positions {
    fn insert(&mut self, k: u32) {
        match self {
            Positions::One(j) if *j == k => {}
            Positions::One(j) => *self = Positions::Many(Box::new(BTreeSet::from([*j, k]))),
            Positions::Many(set) => {
                set.insert(k);
            }
        }
    }

    /// Removes `k`; true when none is left.
    fn remove(&mut self, k: u32) -> bool {
        match self {
            Positions::One(j) => *j == k,
            Positions::Many(set) => {
                set.remove(&k);
                set.is_empty()
            }
        }
    }

    fn first(&self) -> Option<u32> {
        match self {
            Positions::One(j) => Some(*j),
            Positions::Many(set) => set.first().copied(),
        }
    }
}

fn add_to<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Positions>, key: K, k: u32) {
    match map.entry(key) {
        std::collections::hash_map::Entry::Occupied(mut e) => e.get_mut().insert(k),
        std::collections::hash_map::Entry::Vacant(e) => {
            e.insert(Positions::One(k));
        }
    }
}

fn remove_from<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Positions>, key: K, k: u32) {
    if let std::collections::hash_map::Entry::Occupied(mut e) = map.entry(key)
        && e.get_mut().remove(k)
    {
        e.remove();
    }
}

impl Versions {
    /// The number of a version or publisher, numbering it if new.
    fn number(&mut self, text: &Option<Text>) -> u32 {
        let Some(text) = text else { return UNSTATED };
        let next = self.numbers.len() as u32 + 1;
        *self.numbers.entry(fold(text).into()).or_insert(next)
    }

    /// The number of a version or publisher; None when no entry states it.
    fn known(&self, text: &Option<Text>) -> Option<u32> {
        match text {
            None => Some(UNSTATED),
            Some(text) => self.numbers.get(fold(text).as_str()).copied(),
        }
    }

    fn insert(&mut self, k: usize, s: &Software) {
        let (v, p) = (self.number(&s.version), self.number(&s.publisher));
        let k = k as u32;
        add_to(&mut self.by_version, v, k);
        add_to(&mut self.by_publisher, p, k);
        add_to(&mut self.by_both, (v, p), k);
    }

    fn remove(&mut self, k: usize, s: &Software) {
        let (Some(v), Some(p)) = (self.known(&s.version), self.known(&s.publisher)) else {
            return;
        };
        let k = k as u32;
        remove_from(&mut self.by_version, v, k);
        remove_from(&mut self.by_publisher, p, k);
        remove_from(&mut self.by_both, (v, p), k);
    }

    /// The first entry `new` fits (as [`fits`] tells).
    fn find(&self, new: &Software) -> Option<usize> {
        fn first<K: std::hash::Hash + Eq>(map: &HashMap<K, Positions>, key: K) -> Option<u32> {
            map.get(&key).and_then(Positions::first)
        }
        // A version or publisher no entry states fits only the entries that leave it out.
        let (v, p) = (self.known(&new.version), self.known(&new.publisher));
        let (stated_v, stated_p) = (new.version.is_some(), new.publisher.is_some());
        let found = match (stated_v, stated_p) {
            (false, false) => return Some(self.first),
            (true, false) => [v, Some(UNSTATED)]
                .into_iter()
                .flatten()
                .filter_map(|v| first(&self.by_version, v))
                .min(),
            (false, true) => [p, Some(UNSTATED)]
                .into_iter()
                .flatten()
                .filter_map(|p| first(&self.by_publisher, p))
                .min(),
            (true, true) => [(v, p), (v, Some(UNSTATED)), (Some(UNSTATED), p)]
                .into_iter()
                .chain([(Some(UNSTATED), Some(UNSTATED))])
                .filter_map(|(v, p)| Some((v?, p?)))
                .filter_map(|key| first(&self.by_both, key))
                .min(),
        };
        found.map(|k| k as usize)
    }
}

/// An entry stating `b` can be merged into one stating `a`: equal, or either not stated.
fn fits(a: &Option<Text>, b: &Option<Text>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same_text(a, b),
        _ => true,
    }
}

/// `new` can be merged into `entry` (of the same product): version and publisher fit.
fn fits_entry(entry: &Software, new: &Software) -> bool {
    fits(&entry.version, &new.version) && fits(&entry.publisher, &new.publisher)
}

/// Completes `entry` with what `new` states and it does not.
fn complete(entry: &mut Software, new: Software) {
    entry.version = entry.version.take().or(new.version);
    entry.publisher = entry.publisher.take().or(new.publisher);
}

impl SoftwareIndex {
    /// Adds a software entry to asset `asset`'s `list` unless it has it already; an entry that
    /// only lacks a version or publisher the new one has is completed instead.
    pub(super) fn add(
        &mut self,
        asset: usize,
        list: &mut thin_vec::ThinVec<Software>,
        new: Software,
    ) -> bool {
        // Most hosts list a few products: their list is scanned, and indexed only once it
        // grows past [`FEW`] (an index costs about 30 bytes per product).
        if list.len() < FEW && !self.assets.contains_key(&(asset as u32)) {
            let found = list
                .iter()
                .position(|s| same_text(&s.name, &new.name) && fits_entry(s, &new));
            return match found {
                Some(k) => {
                    complete(&mut list[k], new);
                    false
                }
                None => {
                    push_tight(list, new);
                    true
                }
            };
        }
        let hash_of = |name: &str| {
            let mut hasher = self.hasher.build_hasher();
            folded(name).for_each(|c| hasher.write_u32(u32::from(c)));
            hasher.finish()
        };
        let products = self.assets.entry(asset as u32).or_insert_with(|| {
            let mut products = HashTable::new();
            for k in 0..list.len() {
                let hash = hash_of(&list[k].name);
                match products.find_mut(hash, |p: &Product| {
                    same_text(&list[p.first as usize].name, &list[k].name)
                }) {
                    Some(product) => product.push(k, list),
                    None => {
                        let product = Product::new(k);
                        products.insert_unique(hash, product, |p| {
                            hash_of(&list[p.first as usize].name)
                        });
                    }
                }
            }
            products
        });
        let hash = hash_of(&new.name);
        let Some(product) =
            products.find_mut(hash, |p| same_text(&list[p.first as usize].name, &new.name))
        else {
            push_tight(list, new);
            let product = Product::new(list.len() - 1);
            products.insert_unique(hash, product, |p| hash_of(&list[p.first as usize].name));
            return true;
        };
        let found = match &product.slot {
            Slot::Few(more) => std::iter::once(product.first)
                .chain(more.iter().copied())
                .map(|k| k as usize)
                .find(|&k| fits_entry(&list[k], &new)),
            Slot::Many(versions) => versions.find(&new),
        };
        match found {
            Some(k) => {
                let completes = (list[k].version.is_none() && new.version.is_some())
                    || (list[k].publisher.is_none() && new.publisher.is_some());
                if let (true, Slot::Many(versions)) = (completes, &mut product.slot) {
                    versions.remove(k, &list[k]);
                }
                complete(&mut list[k], new);
                if let (true, Slot::Many(versions)) = (completes, &mut product.slot) {
                    versions.insert(k, &list[k]);
                }
                false
            }
            None => {
                push_tight(list, new);
                product.push(list.len() - 1, list);
                true
            }
        }
    }
}

impl Product {
    /// A product whose first entry is `list[k]`.
    fn new(k: usize) -> Product {
        Product {
            first: k as u32,
            slot: Slot::Few(thin_vec::ThinVec::new()),
        }
    }

    /// Records that `list[k]` (after the first) is an entry of this product.
    fn push(&mut self, k: usize, list: &[Software]) {
        match &mut self.slot {
            Slot::Few(more) if more.len() + 1 < FEW => push_tight(more, k as u32),
            Slot::Few(more) => {
                let mut versions = Box::new(Versions {
                    first: self.first as usize,
                    ..Versions::default()
                });
                let before = std::iter::once(self.first).chain(more.iter().copied());
                for j in before.map(|j| j as usize).chain([k]) {
                    versions.insert(j, &list[j]);
                }
                self.slot = Slot::Many(versions);
            }
            Slot::Many(versions) => versions.insert(k, &list[k]),
        }
    }
}

/// Relations added to the lists of assets being merged into; the repeats go when all are in
/// ([`drop_repeated`]). Nothing is kept per relation meanwhile, and a list is sorted once, so
/// a file of a million relations, or one asset with a million, costs O(n log n) and no copy
/// of a target.
#[derive(Default)]
pub(super) struct RelationIndex {
    /// Assets whose list grew, with the length it had before (earlier entries all stay).
    touched: Vec<(u32, u32)>,
    /// One bit per asset position: in `touched` already.
    seen: Vec<u64>,
}

impl RelationIndex {
    /// Adds a relation to asset `asset`'s `list`.
    pub(super) fn add(
        &mut self,
        asset: usize,
        list: &mut thin_vec::ThinVec<Relation>,
        new: Relation,
    ) {
        let (word, bit) = (asset / 64, 1u64 << (asset % 64));
        if word >= self.seen.len() {
            self.seen.resize(word + 1, 0);
        }
        if self.seen[word] & bit == 0 {
            self.seen[word] |= bit;
            self.touched.push((asset as u32, list.len() as u32));
        }
        push_tight(list, new);
    }

    /// The assets whose lists grew, with where the new relations begin.
    pub(super) fn touched(self) -> impl Iterator<Item = (usize, usize)> {
        self.touched
            .into_iter()
            .map(|(asset, first)| (asset as usize, first as usize))
    }
}

/// Removes from `list` each relation from position `first_new` on that repeats an earlier one:
/// the same target (case-insensitive) and kind.
pub(super) fn drop_repeated(list: &mut thin_vec::ThinVec<Relation>, first_new: usize) {
    if list.len() < 2 || first_new >= list.len() {
        return;
    }
    fn order(a: &Relation, b: &Relation) -> std::cmp::Ordering {
        folded(&a.target)
            .cmp(folded(&b.target))
            .then(a.kind.cmp(&b.kind))
    }
    let mut sorted: Vec<usize> = (0..list.len()).collect();
    sorted.sort_by(|&a, &b| order(&list[a], &list[b]).then(a.cmp(&b)));
    let mut repeat = vec![false; list.len()];
    for pair in sorted.windows(2) {
        let (earlier, later) = (pair[0], pair[1]);
        if later >= first_new && order(&list[earlier], &list[later]).is_eq() {
            repeat[later] = true;
        }
    }
    if repeat.contains(&true) {
        let mut k = 0;
        list.retain(|_| {
            k += 1;
            !repeat[k - 1]
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What [`SoftwareIndex::add`] must do: complete the first entry the new one fits, else
    /// append it.
    fn add_by_scan(list: &mut Vec<Software>, new: Software) {
        let found = list.iter().position(|s| {
            same_text(&s.name, &new.name)
                && fits(&s.version, &new.version)
                && fits(&s.publisher, &new.publisher)
        });
        match found {
            Some(k) => {
                let s = &mut list[k];
                s.version = s.version.take().or(new.version);
                s.publisher = s.publisher.take().or(new.publisher);
            }
            None => list.push(new),
        }
    }

    fn software(name: u8, version: Option<u8>, publisher: Option<u8>) -> Software {
        let names = ["KES", "kes", "Office"];
        Software {
            name: names[name as usize % names.len()].into(),
            version: version
                .map(|v| format!("{}.{}", v % 40, if v % 2 == 0 { "A" } else { "a" }).into()),
            publisher: publisher.map(|p| format!("P{}", p % 3).into()),
        }
    }

    proptest! {
        #[test]
        fn indexed_unions_equal_a_scan(
            start in proptest::collection::vec((0u8..3, proptest::option::of(0u8..80), proptest::option::of(0u8..6)), 0..20),
            rows in proptest::collection::vec((0u8..3, proptest::option::of(0u8..80), proptest::option::of(0u8..6)), 0..300),
        ) {
            let start: Vec<Software> = start.into_iter().map(|(n, v, p)| software(n, v, p)).collect();
            let mut expected = start.clone();
            let mut list: thin_vec::ThinVec<Software> = start.into_iter().collect();
            let mut index = SoftwareIndex::default();
            for (n, v, p) in rows {
                add_by_scan(&mut expected, software(n, v, p));
                index.add(0, &mut list, software(n, v, p));
            }
            prop_assert_eq!(list.to_vec(), expected);
        }
    }

    #[test]
    fn a_product_in_many_versions_is_indexed_and_still_completed() {
        let kes = |version: String, publisher: Option<&str>| Software {
            name: "KES".into(),
            version: Some(version.into()),
            publisher: publisher.map(Into::into),
        };
        let mut list = thin_vec::ThinVec::new();
        let mut index = SoftwareIndex::default();
        for v in 0..10_000 {
            assert!(index.add(7, &mut list, kes(format!("11.{v}"), None)));
        }
        let products = index.assets.values().next().unwrap();
        assert!(matches!(
            products.iter().next().unwrap().slot,
            Slot::Many(_)
        ));
        assert!(!index.add(7, &mut list, kes("11.3".into(), Some("Kaspersky"))));
        assert_eq!(list[3].publisher.as_deref(), Some("Kaspersky"));
        assert!(index.add(7, &mut list, kes("11.3".into(), Some("Other"))));
        assert!(!index.add(7, &mut list, Software::named("kes")));
        assert_eq!(list.len(), 10_001);
    }
}
