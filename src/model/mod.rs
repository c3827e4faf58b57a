//! Plain data: assets, operating systems, software, relations (no I/O).

pub mod asset;
mod asset_de;
mod asset_serde;
pub mod date;
pub mod details;
pub mod distro;
pub mod inventory;
pub(crate) mod lists;
pub mod names;
pub mod origin;
pub mod os;
pub mod text;

pub use asset::{Asset, AssetKind, Criticality, Relation, RelationKind, Software};
pub use date::{Date, Timestamp};
pub use distro::Distro;
pub use inventory::Inventory;
pub use names::{Named, normalise_key};
pub use origin::{FileRef, Origin};
pub use os::{Os, OsFamily, OsParts};
