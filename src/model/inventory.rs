//! The inventory: every asset of the estate with a case-insensitive index.
//!
//! The index holds positions only: keys (lower-cased ids, names and short host names) are
//! derived from the assets themselves when a lookup compares them, so no id or name is copied.

use super::asset::Asset;
use foldhash::fast::FixedState;
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// All assets, indexed by id (case-insensitive), by name, and by short host name.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    assets: Vec<Asset>,
    /// Positions by lower-cased id.
    by_id: HashTable<u32>,
    /// Names and short names, made on the first lookup that needs them: most references name
    /// an id, and a large import should not pay for two more tables it may never use.
    aliases: std::sync::OnceLock<Aliases>,
    hasher: FixedState,
}

/// The alias tables of an inventory.
#[derive(Debug, Clone, Default)]
struct Aliases {
    /// Aliases by lower-cased name (of assets whose name differs from their id).
    by_name: HashTable<Entry>,
    /// Aliases by the short host name of a lower-cased id or name.
    by_short: HashTable<Entry>,
}

impl Aliases {
    /// The aliases of every asset, in order (the first asset with a key keeps it).
    fn build(assets: &[Asset], hasher: &FixedState) -> Aliases {
        // Sized by an upper bound of the keys there will be: a million bare ids have none.
        let named = assets.iter().filter(|a| a.name.is_some()).count();
        let dotted = assets.iter().filter(|a| a.id.contains('.')).count();
        let mut aliases = Aliases {
            by_name: HashTable::with_capacity(named),
            by_short: HashTable::with_capacity(named + dotted),
        };
        for index in 0..assets.len() {
            aliases.add(assets, hasher, index);
        }
        aliases
    }

    /// Records the name and short names of asset `index`.
    fn add(&mut self, assets: &[Asset], hasher: &FixedState, index: usize) {
        let a = &assets[index];
        let entry = |from_name| Entry {
            index: index as u32,
            from_name,
            ambiguous: false,
        };
        let (by_name, by_short) = (&mut self.by_name, &mut self.by_short);
        with_lower(&a.id, |id| {
            let short_id = short_of(id);
            if let Some(short) = short_id {
                add_alias(assets, hasher, by_short, Table::Short, entry(false), short);
            }
            let Some(name) = &a.name else { return };
            with_lower(name, |name| {
                if name == id {
                    return;
                }
                if let Some(short) = short_of(name).filter(|&s| Some(s) != short_id) {
                    add_alias(assets, hasher, by_short, Table::Short, entry(true), short);
                }
                add_alias(assets, hasher, by_name, Table::Name, entry(true), name);
            });
        });
    }
}

/// One alias key: the first asset that has it, where the key comes from, and whether other
/// assets have it too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    index: u32,
    /// The key is derived from the asset's name (else from its id).
    from_name: bool,
    ambiguous: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Alias {
    Unique(usize),
    Ambiguous,
}

impl Entry {
    fn alias(self) -> Alias {
        if self.ambiguous {
            Alias::Ambiguous
        } else {
            Alias::Unique(self.index as usize)
        }
    }
}

/// Which alias table a key belongs to.
#[derive(Clone, Copy)]
enum Table {
    Name,
    Short,
}

/// Calls `f` with the lower-cased text (`str::to_lowercase`), allocating only for long or
/// non-ASCII text.
fn with_lower<R>(text: &str, f: impl FnOnce(&str) -> R) -> R {
    const STACK: usize = 256;
    if !text.is_ascii() || text.len() > STACK {
        return f(&text.to_lowercase());
    }
    if !text.bytes().any(|b| b.is_ascii_uppercase()) {
        return f(text);
    }
    let mut buf = [0u8; STACK];
    let lower = &mut buf[..text.len()];
    lower.copy_from_slice(text.as_bytes());
    lower.make_ascii_lowercase();
    // ASCII stays valid UTF-8 when lower-cased.
    f(std::str::from_utf8(lower).unwrap_or_default())
}

/// Records the alias `new` under `key` (the key its asset gives); a key another asset has
/// already becomes ambiguous.
fn add_alias(
    assets: &[Asset],
    hasher: &FixedState,
    map: &mut HashTable<Entry>,
    table: Table,
    new: Entry,
    key: &str,
) {
    let hash = hasher.hash_one(key);
    let same = |e: &Entry| with_key(assets, table, *e, |k| k == key);
    let rehash = |e: &Entry| with_key(assets, table, *e, |k| hasher.hash_one(k));
    // One probe finds the key or the place for it.
    match map.entry(hash, same, rehash) {
        hashbrown::hash_table::Entry::Occupied(mut e) => {
            if e.get().index != new.index {
                e.get_mut().ambiguous = true;
            }
        }
        hashbrown::hash_table::Entry::Vacant(v) => {
            v.insert(new);
        }
    }
}

/// The key of an alias entry, derived from its asset; "" when the asset no longer has it.
fn with_key<R>(assets: &[Asset], table: Table, e: Entry, f: impl FnOnce(&str) -> R) -> R {
    let a = &assets[e.index as usize];
    let text = if e.from_name {
        a.name.as_deref().unwrap_or("")
    } else {
        &a.id
    };
    match table {
        Table::Name => with_lower(text, f),
        Table::Short => with_lower(text, |l| f(short_of(l).unwrap_or(""))),
    }
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
            by_id: HashTable::with_capacity(n),
            aliases: std::sync::OnceLock::new(),
            hasher: FixedState::default(),
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

    /// Mutable access to one asset by position. Ids must not be changed through it; a changed
    /// name is found by lookups only after the inventory is rebuilt ([`Inventory::from_assets`]),
    /// because the index derives its keys from the assets.
    pub fn asset_mut(&mut self, index: usize) -> &mut Asset {
        &mut self.assets[index]
    }

    /// Makes room for `additional` more assets.
    pub fn reserve(&mut self, additional: usize) {
        self.assets.reserve(additional);
        let (assets, hasher) = (&self.assets, &self.hasher);
        self.by_id.reserve(additional, |&i| {
            with_lower(&assets[i as usize].id, |k| hasher.hash_one(k))
        });
    }

    /// Adds an asset. Returns the position of the existing asset when the id is taken.
    pub fn insert(&mut self, asset: Asset) -> Result<usize, usize> {
        let index = self.assets.len();
        // Positions are u32: four billion assets would need terabytes of memory first.
        let pos = index as u32;
        let (assets, hasher, by_id) = (&self.assets, &self.hasher, &mut self.by_id);
        // One probe finds a taken id or the place for this one; making room rehashes only the
        // assets already in (the new one is pushed after).
        with_lower(&asset.id, |lower| {
            let same = |&i: &u32| with_lower(&assets[i as usize].id, |k| k == lower);
            let rehash = |&i: &u32| with_lower(&assets[i as usize].id, |k| hasher.hash_one(k));
            match by_id.entry(hasher.hash_one(lower), same, rehash) {
                hashbrown::hash_table::Entry::Occupied(e) => Err(*e.get() as usize),
                hashbrown::hash_table::Entry::Vacant(v) => {
                    v.insert(pos);
                    Ok(())
                }
            }
        })?;
        self.assets.push(asset);
        // Aliases already made follow; otherwise they are made when first needed.
        if let Some(aliases) = self.aliases.get_mut() {
            aliases.add(&self.assets, &self.hasher, index);
        }
        Ok(index)
    }

    /// The alias entry under a lower-cased key.
    fn alias(&self, table: Table, lower: &str) -> Option<Alias> {
        let aliases = self
            .aliases
            .get_or_init(|| Aliases::build(&self.assets, &self.hasher));
        let map = match table {
            Table::Name => &aliases.by_name,
            Table::Short => &aliases.by_short,
        };
        let hash = self.hasher.hash_one(lower);
        map.find(hash, |e| with_key(&self.assets, table, *e, |k| k == lower))
            .map(|e| e.alias())
    }

    /// Position of the asset with exactly this id (case-insensitive).
    pub fn position_exact(&self, id: &str) -> Option<usize> {
        with_lower(id, |lower| self.position_lower(lower))
    }

    /// Position of the asset whose lower-cased id is `lower`.
    fn position_lower(&self, lower: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(lower);
        self.by_id
            .find(hash, |&i| {
                with_lower(&self.assets[i as usize].id, |k| k == lower)
            })
            .map(|&i| i as usize)
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
        with_lower(reference, |lower| {
            if let Some(i) = self.position_lower(lower) {
                return Some(Alias::Unique(i));
            }
            let by_name = self.alias(Table::Name, lower);
            if by_name == Some(Alias::Ambiguous) {
                // Resolving tries the short name next, and may still find one asset there.
                return self.short_lookup(lower).or(by_name);
            }
            by_name.or_else(|| self.short_lookup(lower))
        })
    }

    fn short_lookup(&self, lower: &str) -> Option<Alias> {
        match short_of(lower) {
            None => self.alias(Table::Short, lower),
            Some(short) => match self.position_lower(short) {
                Some(i) => Some(Alias::Unique(i)),
                None => self.alias(Table::Name, short),
            },
        }
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

/// "ksc01.stadtwerke.local" → "ksc01"; None for names without a dot and for IP addresses.
pub fn short_name(name: &str) -> Option<String> {
    short_of(name).map(String::from)
}

/// [`short_name`], borrowed.
fn short_of(name: &str) -> Option<&str> {
    let (head, _) = name.split_once('.')?;
    if head.is_empty() || head.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_whether_added_before_or_after_the_first_lookup_by_name() {
        let named = |id: &str, name: &str| {
            let mut a = Asset::new(id);
            a.name = Some(name.into());
            a
        };
        let mut inv = Inventory::from_assets([named("a1", "KSC01.corp.local")]);
        assert!(
            inv.aliases.get().is_none(),
            "no alias table before a lookup needs one"
        );
        assert_eq!(inv.resolve("a1"), Some(0));
        assert!(inv.aliases.get().is_none(), "ids need no alias table");
        assert_eq!(inv.resolve("ksc01"), Some(0));
        inv.insert(named("a2", "ws-7.corp.local")).unwrap();
        inv.insert(named("a3", "KSC01.other.local")).unwrap();
        assert_eq!(inv.resolve("WS-7.corp.local"), Some(1));
        assert!(
            inv.is_ambiguous("ksc01"),
            "two hosts share the short name now"
        );
        assert_eq!(
            Inventory::from_assets(inv.assets().to_vec()).resolve("ws-7"),
            Some(1)
        );
    }

    fn asset(id: &str, name: Option<&str>) -> Asset {
        let mut a = Asset::new(id);
        a.name = name.map(crate::model::text::Text::from);
        a
    }

    #[test]
    fn ids_differing_in_case_are_one_and_names_index_without_copies() {
        let mut inv = Inventory::new();
        assert_eq!(inv.insert(asset("WS-Ärger-01", Some("Büro"))), Ok(0));
        assert_eq!(inv.insert(asset("ws-ärger-01", None)), Err(0));
        assert_eq!(inv.insert(asset("ws-ÄRGER-01", None)), Err(0));
        assert_eq!(inv.position_exact("WS-ärger-01"), Some(0));
        assert_eq!(inv.resolve("BÜRO"), Some(0));
        let long = "H".repeat(300);
        assert_eq!(inv.insert(asset(&long, None)), Ok(1));
        assert_eq!(inv.insert(asset(&long.to_lowercase(), None)), Err(1));
        // Two assets with the same name: the name is ambiguous, the ids still resolve.
        inv.insert(asset("pc-1", Some("Empfang"))).unwrap();
        inv.insert(asset("pc-2", Some("EMPFANG"))).unwrap();
        assert_eq!(inv.resolve("empfang"), None);
        assert!(inv.is_ambiguous("Empfang"));
        assert_eq!(inv.resolve("PC-2"), Some(3));
        // A name equal to the id (in another case) is no extra alias.
        inv.insert(asset("db.corp.local", Some("DB.corp.local")))
            .unwrap();
        assert_eq!(inv.resolve("db"), Some(4));
        assert!(!inv.is_ambiguous("db"));
    }

    #[test]
    fn many_assets_keep_their_index_while_it_grows() {
        let mut inv = Inventory::new();
        for i in 0..5000 {
            let id = format!("Host-{i}.Site-{}.local", i % 7);
            inv.insert(asset(&id, Some(&format!("Name {i}")))).unwrap();
        }
        for i in (0..5000).step_by(97) {
            assert_eq!(inv.resolve(&format!("host-{i}")), Some(i));
            assert_eq!(inv.resolve(&format!("NAME {i}")), Some(i));
            assert_eq!(
                inv.position_exact(&format!("HOST-{i}.site-{}.LOCAL", i % 7)),
                Some(i)
            );
        }
        assert_eq!(inv.resolve("host-5000"), None);
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
