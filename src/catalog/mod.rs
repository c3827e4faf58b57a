//! The alternative-vendor catalogue and the compatibility check.
//!
//! The catalogue (`assets/vendors.toml`, embedded; a user file extends or replaces it) lists
//! vendors and their products with platforms, roles, management, offline updates, coexistence
//! and competitor-removal tooling. Every fact carries a source and a `verified` flag.
//!
//! [`needs_for`] says what a replacement must be able to do on an asset, [`check`] decides
//! whether one product can do it there, [`candidates`] ranks all products, and
//! [`CompatCache`] makes that cheap for large inventories. Unverified facts never give
//! [`Support::Yes`].

mod compat;
mod file;
mod needs;
mod notes;
pub mod releases;
mod types;

pub use compat::{CompatCache, candidates, check};
pub use file::Mode;
pub use needs::{explain_none, needs_for};
pub use notes::{note_rules_for, notes_for};
pub use types::{
    Arch, CoexistMode, Coexistence, Eol, Management, ManagementKind, NoteRule, Offline,
    OfflineSupport, Platform, Product, ProductType, Provenance, Removal, RoleFact, Status, Vendor,
};

use crate::error::{InputError, Location};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

/// The built-in catalogue text.
pub const BUILTIN_TOML: &str = include_str!("../../assets/vendors.toml");

/// What a replacement product must be able to do for an asset.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::VariantArray,
    strum::IntoStaticStr,
    strum::Display,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Capability {
    /// Protect a workstation or laptop.
    Endpoint,
    /// Protect a server.
    Server,
    /// Protect a file server, or a NAS through ICAP.
    FileServer,
    /// Protect Exchange or a mail gateway.
    Mail,
    /// Protect SharePoint.
    #[serde(rename = "sharepoint")]
    #[strum(serialize = "sharepoint")]
    SharePoint,
    /// Work on virtual desktops.
    Vdi,
    /// Protect an OT / ICS host.
    Ot,
    /// Scan web or ICAP traffic on a proxy.
    Gateway,
    /// Protect a phone or tablet.
    Mobile,
    /// Protect a hypervisor (agentless or central scanning).
    Virtualization,
    /// Get updates without Internet access.
    AirGapped,
    /// Watch the network passively, without protecting the host: a job some products do,
    /// never enough to replace an agent (no asset needs only this).
    MonitoringOnly,
}

impl crate::model::Named for Capability {}

impl Capability {
    /// What it means, for sentences: "Exchange / mail protection".
    pub fn describe(self) -> &'static str {
        match self {
            Capability::Endpoint => "endpoint protection",
            Capability::Server => "server protection",
            Capability::FileServer => "file-server / NAS protection",
            Capability::Mail => "Exchange / mail protection",
            Capability::SharePoint => "SharePoint protection",
            Capability::Vdi => "VDI",
            Capability::Ot => "OT / ICS hosts",
            Capability::Gateway => "web / ICAP gateway scanning",
            Capability::Mobile => "mobile devices",
            Capability::Virtualization => "hypervisor protection",
            Capability::AirGapped => "offline updates",
            Capability::MonitoringOnly => "passive network monitoring",
        }
    }

    /// The product role that provides it: itself, except `AirGapped`, which is the
    /// offline-update fact of a product rather than a role.
    pub fn role(self) -> Option<Capability> {
        (self != Capability::AirGapped).then_some(self)
    }

    pub(crate) fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// How well a product fits an asset. Ordered best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Support {
    /// Supported, on verified facts.
    Yes,
    /// Possible with conditions (see the reasons).
    Limited,
    /// Not confirmed: ask the vendor before proposing it.
    Unverified,
    /// Not possible.
    No,
}

impl Support {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Support::Yes => "yes",
            Support::Limited => "limited",
            Support::Unverified => "unverified",
            Support::No => "no",
        }
    }

    /// True for Yes and Limited: the product may be proposed.
    pub fn is_usable(self) -> bool {
        matches!(self, Support::Yes | Support::Limited)
    }
}

impl fmt::Display for Support {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether one product can replace the flagged product on one asset, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Product id.
    pub product: String,
    /// The overall answer: the worst of every fact checked.
    pub support: Support,
    /// Sentences a person reads, worst first.
    pub reasons: Vec<String>,
}

/// Vendors and products, with catalogue-wide migration notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    mode: Mode,
    vendors: Vec<Vendor>,
    products: Vec<Product>,
    notes: Vec<NoteRule>,
    index: HashMap<String, usize>,
}

impl Catalog {
    /// The catalogue shipped with avmigrate (`assets/vendors.toml`).
    pub fn builtin() -> Catalog {
        static BUILTIN: OnceLock<Catalog> = OnceLock::new();
        BUILTIN
            .get_or_init(
                || match file::parse(BUILTIN_TOML, "assets/vendors.toml", None) {
                    Ok(parsed) => Catalog::from_parsed(parsed),
                    Err(e) => panic!("the built-in catalogue is invalid (a test checks this): {e}"),
                },
            )
            .clone()
    }

    /// Reads a catalogue from text. A file in `extend` mode (the default) may refer to
    /// built-in vendors and products. Errors name `path:line:col`.
    pub fn parse(text: &str, path: &str) -> Result<Catalog, InputError> {
        let builtin = Catalog::builtin();
        file::parse(text, path, Some(&builtin)).map(Catalog::from_parsed)
    }

    /// Reads a catalogue file.
    pub fn load(path: &Path) -> Result<Catalog, InputError> {
        let shown = path.display().to_string();
        let bytes = crate::input::read(path, crate::input::CONFIG_LIMIT)
            .map_err(|e| InputError::new(Location::file(&shown), e.describe("a catalogue file")))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            InputError::new(
                Location::file(&shown),
                "not UTF-8 text (save the file as UTF-8)",
            )
        })?;
        Catalog::parse(&text, &shown)
    }

    /// This catalogue with a user catalogue applied: `extend` adds entries and replaces those
    /// with the same id; `replace` takes the user catalogue alone.
    pub fn combine(self, user: Catalog) -> Catalog {
        if user.mode == Mode::Replace {
            return user;
        }
        let mut out = self;
        for v in user.vendors {
            match out.vendors.iter_mut().find(|have| have.id == v.id) {
                Some(have) => *have = v,
                None => out.vendors.push(v),
            }
        }
        for p in user.products {
            match out.products.iter_mut().find(|have| have.id == p.id) {
                Some(have) => *have = p,
                None => out.products.push(p),
            }
        }
        out.notes.extend(user.notes);
        out.finish();
        out
    }

    /// This catalogue combined with the environment's `vendors.toml`, when that file exists.
    pub fn with_user_config(self, env: &crate::env::Env) -> Result<Catalog, InputError> {
        match env.config_file("vendors.toml") {
            Some(path) if path.is_file() => Ok(self.combine(Catalog::load(&path)?)),
            _ => Ok(self),
        }
    }

    /// Whether this catalogue extends or replaces the one it is combined with.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// All vendors, in catalogue order.
    pub fn vendors(&self) -> &[Vendor] {
        &self.vendors
    }

    /// All products, in catalogue order.
    pub fn products(&self) -> &[Product] {
        &self.products
    }

    /// Catalogue-wide migration notes.
    pub fn notes(&self) -> &[NoteRule] {
        &self.notes
    }

    /// The product with this id.
    pub fn product(&self, id: &str) -> Option<&Product> {
        self.index.get(id).map(|&i| &self.products[i])
    }

    /// The vendor with this id.
    pub fn vendor(&self, id: &str) -> Option<&Vendor> {
        self.vendors.iter().find(|v| v.id == id)
    }

    fn from_parsed(parsed: file::Parsed) -> Catalog {
        let mut c = Catalog {
            mode: parsed.mode,
            vendors: parsed.vendors,
            products: parsed.products,
            notes: parsed.notes,
            index: HashMap::new(),
        };
        c.finish();
        c
    }

    /// Rebuilds the id index and hands catalogue-wide notes to the products they apply to.
    fn finish(&mut self) {
        self.index = self
            .products
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        for p in &mut self.products {
            p.shared_notes = self
                .notes
                .iter()
                .filter(|n| n.products.is_empty() || n.products.contains(&p.id))
                .filter(|n| n.vendors.is_empty() || n.vendors.contains(&p.vendor))
                .cloned()
                .collect();
        }
    }
}

#[cfg(test)]
mod tests;
