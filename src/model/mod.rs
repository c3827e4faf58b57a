//! Plain data: assets, operating systems, software, relations (no I/O).

pub mod asset;
pub mod date;
pub mod distro;
pub mod inventory;
pub mod os;
pub mod text;

pub use asset::{
    Asset, AssetKind, Criticality, Origin, Relation, RelationKind, Software, normalise_key,
};
pub use date::{Date, Timestamp};
pub use distro::Distro;
pub use inventory::Inventory;
pub use os::{Os, OsFamily};
