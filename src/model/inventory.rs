//! The inventory: every asset of the estate with a case-insensitive index.

use super::asset::Asset;
use std::collections::HashMap;

/// All assets, indexed by id (case-insensitive), by name, and by short host name.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    assets: Vec<Asset>,
    by_id: HashMap<String, usize>,
    by_alias: HashMap<String, Alias>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Alias {
    Unique(usize),
    Ambiguous,
}

impl Inventory {
    /// An empty inventory.
    pub fn new() -> Inventory {
        Inventory::default()
    }

    /// An empty inventory with room for `n` assets (spares re-hashing while it fills).
    pub fn with_capacity(n: usize) -> Inventory {
        Inventory {
            assets: Vec::with_capacity(n),
            by_id: HashMap::with_capacity(n),
            by_alias: HashMap::with_capacity(2 * n),
        }
    }

    /// Builds an inventory; the first asset wins when ids repeat (use [`Inventory::insert`] to
    /// detect duplicates).
    pub fn from_assets(assets: impl IntoIterator<Item = Asset>) -> Inventory {
        let assets = assets.into_iter();
        let mut inv = Inventory::with_capacity(assets.size_hint().0);
        for a in assets {
            let _ = inv.insert(a);
        }
        inv
    }

    /// Number of assets.
    pub fn len(&self) -> usize {
        self.assets.len()
    }

    /// True when there are no assets.
    pub fn is_empty(&self) -> bool {
        self.assets.is_empty()
    }

    /// The assets in insertion order.
    pub fn assets(&self) -> &[Asset] {
        &self.assets
    }

    /// Mutable access to one asset by position. Ids must not be changed through it.
    pub fn asset_mut(&mut self, index: usize) -> &mut Asset {
        &mut self.assets[index]
    }

    /// Adds an asset. Returns the position of the existing asset when the id is taken.
    pub fn insert(&mut self, asset: Asset) -> Result<usize, usize> {
        let key = asset.id.to_lowercase();
        if let Some(&existing) = self.by_id.get(&key) {
            return Err(existing);
        }
        let index = self.assets.len();
        self.by_id.insert(key, index);
        for alias in aliases_of(&asset) {
            self.by_alias
                .entry(alias)
                .and_modify(|a| {
                    if *a != Alias::Unique(index) {
                        *a = Alias::Ambiguous
                    }
                })
                .or_insert(Alias::Unique(index));
        }
        self.assets.push(asset);
        Ok(index)
    }

    /// Position of the asset with exactly this id (case-insensitive).
    pub fn position_exact(&self, id: &str) -> Option<usize> {
        self.by_id
            .get(id)
            .or_else(|| self.by_id.get(&id.to_lowercase()))
            .copied()
    }

    /// Position of the asset a reference means: its id, else its unique name, else a unique
    /// short-name / FQDN match ("ksc01" ↔ "ksc01.stadtwerke.local"). Two different FQDNs never
    /// match each other.
    pub fn resolve(&self, reference: &str) -> Option<usize> {
        match self.lookup(reference)? {
            Alias::Unique(i) => Some(i),
            Alias::Ambiguous => None,
        }
    }

    /// True when a reference resolves to nothing only because several assets share the name
    /// or short name it matches ("ws-1" with "ws-1.corp-a.local" and "ws-1.corp-b.local").
    pub fn is_ambiguous(&self, reference: &str) -> bool {
        self.lookup(reference) == Some(Alias::Ambiguous)
    }

    /// What a reference finds: by id, else by name, else by short name / FQDN; `None` when
    /// nothing matches.
    fn lookup(&self, reference: &str) -> Option<Alias> {
        if let Some(i) = self.position_exact(reference) {
            return Some(Alias::Unique(i));
        }
        let lower = reference.to_lowercase();
        let by_name = self.alias(&format!("n:{lower}"));
        if by_name == Some(Alias::Ambiguous) {
            // Resolving tries the short name next, and may still find one asset there.
            return self.short_lookup(&lower).or(by_name);
        }
        by_name.or_else(|| self.short_lookup(&lower))
    }

    fn short_lookup(&self, lower: &str) -> Option<Alias> {
        match short_name(lower) {
            None => self.alias(&format!("s:{lower}")),
            Some(short) => match self.by_id.get(&short) {
                Some(&i) => Some(Alias::Unique(i)),
                None => self.alias(&format!("n:{short}")),
            },
        }
    }

    fn alias(&self, key: &str) -> Option<Alias> {
        self.by_alias.get(key).copied()
    }

    /// The asset a reference means (see [`Inventory::resolve`]).
    pub fn get(&self, reference: &str) -> Option<&Asset> {
        self.resolve(reference).map(|i| &self.assets[i])
    }

    /// Consumes the inventory, giving back its assets.
    pub fn into_assets(self) -> Vec<Asset> {
        self.assets
    }
}

/// Keys under which an asset can be found besides its id: `n:` its name, `s:` the short host
/// name of its id and name when they are FQDNs.
fn aliases_of(asset: &Asset) -> Vec<String> {
    let mut out = Vec::with_capacity(3);
    let id = asset.id.to_lowercase();
    if let Some(s) = short_name(&id) {
        out.push(format!("s:{s}"));
    }
    if let Some(name) = &asset.name {
        let name = name.to_lowercase();
        if name != id {
            if let Some(s) = short_name(&name) {
                out.push(format!("s:{s}"));
            }
            out.push(format!("n:{name}"));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// "ksc01.stadtwerke.local" → "ksc01"; None for names without a dot and for IP addresses.
pub fn short_name(name: &str) -> Option<String> {
    let (head, _) = name.split_once('.')?;
    if head.is_empty() || head.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(head.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asset(id: &str, name: Option<&str>) -> Asset {
        let mut a = Asset::new(id);
        a.name = name.map(String::from);
        a
    }

    #[test]
    fn ids_are_case_insensitive_and_unique() {
        let mut inv = Inventory::new();
        assert_eq!(inv.insert(asset("KSC-01", None)), Ok(0));
        assert_eq!(inv.insert(asset("ksc-01", None)), Err(0));
        assert_eq!(inv.resolve("Ksc-01"), Some(0));
    }

    #[test]
    fn short_names_match_fqdns_when_unambiguous() {
        let mut inv = Inventory::new();
        inv.insert(asset("ksc01.stadtwerke.local", None)).unwrap();
        inv.insert(asset("fs01", Some("FS01.stadtwerke.local")))
            .unwrap();
        assert_eq!(inv.resolve("KSC01"), Some(0));
        assert_eq!(inv.resolve("fs01.stadtwerke.local"), Some(1));
        assert_eq!(
            inv.resolve("fs01.other.local"),
            Some(1),
            "short id matches an FQDN"
        );
        assert_eq!(
            inv.resolve("ksc01.other.local"),
            None,
            "two FQDNs never match"
        );
        inv.insert(asset("ksc01.other.local", None)).unwrap();
        assert_eq!(inv.resolve("ksc01"), None, "ambiguous short name");
        assert!(inv.is_ambiguous("ksc01") && inv.is_ambiguous("KSC01"));
        assert!(!inv.is_ambiguous("ksc02") && !inv.is_ambiguous("ksc01.a.local"));
        assert_eq!(inv.resolve("ksc01.other.local"), Some(2));
    }

    #[test]
    fn ip_addresses_are_not_shortened() {
        assert_eq!(short_name("10.0.0.1"), None);
        assert_eq!(short_name("ws1.example.org").as_deref(), Some("ws1"));
    }
}
