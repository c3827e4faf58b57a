//! What one file's import shares between its assets: one copy of each repeated text and one
//! parse of each OS text; and the tidying of each asset read.

use crate::model::text::{Interner, Text};
use crate::model::{Asset, Os, RelationKind, Software};
use hashbrown::HashMap;
use thin_vec::ThinVec;

/// OS texts remembered per file; a file with more distinct ones parses the rest each time.
const OS_CACHE_LIMIT: usize = 4096;
/// Software and dependency cells remembered per file (each kind), likewise.
const CELL_CACHE_LIMIT: usize = 16_384;

type Cache<T> = HashMap<Box<str>, T, foldhash::fast::RandomState>;

/// The interner and caches of one file's import (see [`super::FileCtx`]).
#[derive(Debug, Default)]
pub(crate) struct Shared {
    texts: Interner,
    os: Cache<Os>,
    /// Whole software cells as read: many assets run the same set of products, and one
    /// lookup of the cell spares splitting it and interning each name and version.
    software: Cache<ThinVec<Software>>,
    /// Whole dependency cells as read (targets and kinds), for the same reason; only cells
    /// that read without a warning.
    relations: Cache<Vec<(Text, RelationKind)>>,
}

impl Shared {
    /// The shared, cleaned text of a value (possibly empty).
    pub(crate) fn text(&mut self, raw: &str) -> Text {
        self.texts.intern(raw)
    }

    /// [`Shared::text`] of a value read as a [`Text`] already, kept when it is the first.
    pub(crate) fn share(&mut self, text: &Text) -> Text {
        self.texts.share(text)
    }

    /// The shared, cleaned text of a value; `None` when it is empty (also after cleaning).
    pub(crate) fn opt_text(&mut self, raw: &str) -> Option<Text> {
        self.texts.non_empty(raw)
    }

    /// The software of a cell read before.
    pub(crate) fn software_cell(&self, cell: &str) -> Option<ThinVec<Software>> {
        // Most cells are empty: no lookup for them.
        if cell.is_empty() {
            return Some(ThinVec::new());
        }
        self.software.get(cell).cloned()
    }

    /// Remembers the software a cell holds.
    pub(crate) fn remember_software(&mut self, cell: &str, software: &[Software]) {
        if self.software.len() < CELL_CACHE_LIMIT {
            self.software
                .insert(cell.into(), software.iter().cloned().collect());
        }
    }

    /// The targets and kinds of a dependency cell read before.
    pub(crate) fn relation_cell(&self, cell: &str) -> Option<&[(Text, RelationKind)]> {
        self.relations.get(cell).map(Vec::as_slice)
    }

    /// Remembers the targets and kinds a dependency cell holds.
    pub(crate) fn remember_relations(&mut self, cell: &str, relations: Vec<(Text, RelationKind)>) {
        if self.relations.len() < CELL_CACHE_LIMIT {
            self.relations.insert(cell.into(), relations);
        }
    }

    /// Parses an OS, reusing earlier results (inventories repeat a few OS strings many times).
    /// A cached result clones cheaply: its texts are shared.
    pub(crate) fn os(&mut self, raw: &str) -> Os {
        if raw.is_empty() {
            return Os::unknown();
        }
        if let Some(os) = self.os.get(raw) {
            return os.clone();
        }
        let os = Os::parse(raw);
        if self.os.len() < OS_CACHE_LIMIT {
            self.os.insert(raw.into(), os.clone());
        }
        os
    }
}

/// Neutralises control characters (see [`Asset::sanitise`]) and turns empty values into absent
/// ones, so that `name = ""` and a missing name mean the same.
pub(crate) fn tidy(asset: &mut Asset) {
    asset.sanitise();
    drop_empty(asset);
}

/// [`tidy`] of an asset whose shared texts (site, owner, tags, software, OS, relation targets)
/// all come from the file's interner ([`super::FileCtx::text`]), which cleaned each distinct
/// value once.
pub(crate) fn tidy_interned(asset: &mut Asset) {
    asset.sanitise_unshared();
    drop_empty(asset);
}

fn drop_empty(asset: &mut Asset) {
    if asset.name.as_deref().is_some_and(str::is_empty) {
        asset.name = None;
    }
    if asset.site().is_some_and(|t| t.is_empty()) {
        asset.set_site(None);
    }
    if asset.owner().is_some_and(|t| t.is_empty()) {
        asset.set_owner(None);
    }
    asset.retain_tags(|t| !t.is_empty());
    asset.software.retain(|s| !s.name.is_empty());
    for sw in &mut asset.software {
        for field in [&mut sw.version, &mut sw.publisher] {
            if field.as_deref().is_some_and(str::is_empty) {
                *field = None;
            }
        }
    }
    asset.depends_on.retain(|r| !r.target.is_empty());
    // A list grown by pushing has room for four: a million devices with a product or two
    // would hold twice what they use.
    asset.fit();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_os_text_is_parsed_once_and_shared() {
        let mut shared = Shared::default();
        let a = shared.os("Windows Server 2019 Standard");
        let b = shared.os("Windows Server 2019 Standard");
        assert_eq!(a, b);
        assert!(Text::ptr_eq(&a.raw, &b.raw));
        assert_eq!(shared.opt_text(" \u{1b} "), Some(Text::from("\u{FFFD}")));
        assert_eq!(shared.opt_text("  "), None);
    }

    #[test]
    fn empty_cells_read_as_a_parse_of_nothing_would() {
        let mut shared = Shared::default();
        assert_eq!(shared.os(""), Os::parse(""));
        assert_eq!(shared.opt_text(""), None);
        assert_eq!(shared.software_cell("").as_deref(), Some(&[][..]));
    }
}
