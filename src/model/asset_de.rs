//! How the names in an asset's fields are read back: by canonical name or alias, with the
//! message the native reader reports (its location is the value's, added by the format).

use super::asset::{AssetKind, Criticality, RelationKind};
use super::names::Named;
use serde::{Deserialize, Deserializer, de::Error};

/// A value named by a string, or an error "unknown `what` "…" (expected …)".
fn named<'de, D: Deserializer<'de>, T: Named>(
    d: D,
    what: &str,
    lookup: fn(&str) -> Option<T>,
) -> Result<T, D::Error> {
    let text = String::deserialize(d)?;
    lookup(&text).ok_or_else(|| {
        D::Error::custom(format!(
            "unknown {what} \"{text}\" (expected {})",
            T::names()
        ))
    })
}

/// [`crate::model::Asset::kind`].
pub(super) fn kind<'de, D: Deserializer<'de>>(d: D) -> Result<AssetKind, D::Error> {
    named(d, "kind", AssetKind::lookup)
}

/// [`crate::model::Asset::criticality`].
pub(super) fn criticality<'de, D: Deserializer<'de>>(d: D) -> Result<Criticality, D::Error> {
    named(d, "criticality", Criticality::lookup)
}

/// [`crate::model::Relation::kind`].
pub(super) fn relation_kind<'de, D: Deserializer<'de>>(d: D) -> Result<RelationKind, D::Error> {
    named(d, "relation kind", RelationKind::lookup_pair)
}
