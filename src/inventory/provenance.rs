//! Where each fact of a merged asset was read: for `avmigrate analyze --explain ID`.

use super::Explicit;
use crate::model::{Asset, Origin};

/// One field value as a file gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// Field name: name, kind, os, site, owner, criticality, tags.
    pub field: &'static str,
    /// Where it was read (None for values the import inferred).
    pub origin: Option<Origin>,
    /// The value when it lost to another (a conflict, or a poorer value); None when it is the
    /// value in use.
    pub rejected: Option<String>,
}

/// The facts of one asset, and where each of its software entries was read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    /// Field values in the order they were read.
    pub facts: Vec<Fact>,
    /// Origin of each software entry (same order as `Asset::software`).
    pub software: Vec<Option<Origin>>,
}

impl Provenance {
    /// The facts a new asset record brings.
    pub(crate) fn of_new(asset: &Asset, explicit: Explicit) -> Provenance {
        let mut p = Provenance::default();
        let origin = asset.origin;
        for (field, present) in present_fields(asset, explicit) {
            if present {
                p.facts.push(Fact {
                    field,
                    origin,
                    rejected: None,
                });
            }
        }
        p.software = asset.software.iter().map(|_| origin).collect();
        p
    }

    /// Records a value of `field` read at `origin`; `rejected` holds it when it was not used.
    pub(crate) fn add(
        &mut self,
        field: &'static str,
        origin: Option<Origin>,
        rejected: Option<String>,
    ) {
        self.facts.push(Fact {
            field,
            origin,
            rejected,
        });
    }

    /// The origin of the value in use for `field` (the last accepted one).
    pub fn origin_of(&self, field: &str) -> Option<&Origin> {
        self.facts
            .iter()
            .rev()
            .find(|f| f.field == field && f.rejected.is_none())
            .and_then(|f| f.origin.as_ref())
    }
}

/// Which fields of a record carry a value.
pub(crate) fn present_fields(asset: &Asset, explicit: Explicit) -> [(&'static str, bool); 7] {
    [
        ("name", asset.name.is_some()),
        ("kind", explicit.kind),
        ("os", !asset.os.raw.is_empty()),
        ("site", asset.site().is_some()),
        ("owner", asset.owner().is_some()),
        ("criticality", explicit.criticality),
        ("tags", asset.tags().len() > 0),
    ]
}
