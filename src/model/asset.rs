//! Assets, their software and their relations to other assets.

use super::details::{Details, Field};
use super::names::Named;
pub use super::origin::{FileRef, Origin};
use super::os::{Os, OsFamily};
use super::text::Text;
use ecow::EcoString;
use serde::{Deserialize, Serialize};
use thin_vec::ThinVec;

/// What kind of machine an asset is.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
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
pub enum AssetKind {
    Workstation,
    Laptop,
    Server,
    Vm,
    Hypervisor,
    MailGateway,
    Firewall,
    Proxy,
    Storage,
    Appliance,
    Mobile,
    Ot,
    /// A logical CI (a CMDB application): runs on machines, is no machine itself.
    Application,
    /// A logical CI (a business or IT service): relies on machines, is no machine itself.
    Service,
    #[default]
    Other,
}

impl Named for AssetKind {
    fn aliases(self) -> &'static [&'static str] {
        match self {
            AssetKind::Workstation => &[
                "arbeitsplatz",
                "arbeitsplatzrechner",
                "desktop",
                "pc",
                "client",
                "computer",
                "arbeitsstation",
            ],
            AssetKind::Laptop => &["notebook", "tragbar"],
            AssetKind::Server => &["physical server", "physischer server"],
            AssetKind::Vm => &[
                "virtual machine",
                "virtuelle maschine",
                "virtual server",
                "virtueller server",
            ],
            AssetKind::Hypervisor => &[
                "esxi",
                "esxi host",
                "virtualisierungshost",
                "hyper-v host",
                "vmhost",
            ],
            AssetKind::MailGateway => &[
                "mailgateway",
                "mail relay",
                "smtp gateway",
                "e-mail-gateway",
            ],
            AssetKind::Firewall => &["utm", "ngfw"],
            AssetKind::Proxy => &["web proxy", "webproxy", "icap"],
            AssetKind::Storage => &["nas", "san", "speicher", "filer"],
            AssetKind::Appliance => &[
                "printer",
                "drucker",
                "network device",
                "netzwerkgerät",
                "switch",
                "router",
            ],
            AssetKind::Mobile => &["smartphone", "tablet", "handy", "phone", "mobilgerät"],
            AssetKind::Ot => &[
                "ics",
                "scada",
                "plc",
                "sps",
                "hmi",
                "industrial",
                "leittechnik",
            ],
            AssetKind::Application => &[
                "anwendung",
                "applikation",
                "fachanwendung",
                "business application",
                "software application",
                "app",
            ],
            AssetKind::Service => &[
                "business service",
                "it service",
                "technical service",
                "dienst",
                "dienstleistung",
                "geschäftsdienst",
                "it-dienst",
                "fachdienst",
                "geschäftsprozess",
            ],
            AssetKind::Other => &["sonstige", "sonstiges", "unknown", "unbekannt"],
        }
    }
}

impl AssetKind {
    /// True for logical CIs (applications, services): no agent is installed on them and no
    /// scan can find them unprotected; they rely on the machines they run on or use.
    pub fn is_logical(self) -> bool {
        matches!(self, AssetKind::Application | AssetKind::Service)
    }

    /// A sensible kind when the inventory names none: derived from the OS.
    pub fn infer(os: &Os) -> AssetKind {
        match os.family {
            OsFamily::WindowsClient | OsFamily::Macos => AssetKind::Workstation,
            OsFamily::WindowsServer | OsFamily::Linux => AssetKind::Server,
            OsFamily::Esxi => AssetKind::Hypervisor,
            OsFamily::Android | OsFamily::Ios => AssetKind::Mobile,
            OsFamily::WindowsEmbedded | OsFamily::Embedded => AssetKind::Ot,
            OsFamily::Unknown => AssetKind::Other,
        }
    }
}

/// How much the organisation depends on an asset.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
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
pub enum Criticality {
    Low,
    #[default]
    Medium,
    High,
    Critical,
}

impl Criticality {
    /// True for the default, `medium` (left out of a native inventory).
    pub fn is_medium(&self) -> bool {
        *self == Criticality::Medium
    }
}

impl Named for Criticality {
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Criticality::Low => &["niedrig", "gering", "1"],
            Criticality::Medium => &["mittel", "normal", "2"],
            Criticality::High => &["hoch", "3"],
            Criticality::Critical => &["kritisch", "sehr hoch", "4"],
        }
    }
}

/// Why one asset depends on another. An edge points from the dependent to the provider.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
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
pub enum RelationKind {
    ManagedBy,
    UpdatesFrom,
    MailVia,
    ScannedBy,
    ProxiedBy,
    RunsOn,
    ReportsTo,
    #[default]
    Uses,
}

impl RelationKind {
    /// True for the default, `uses` (left out of a native inventory).
    pub fn is_uses(&self) -> bool {
        *self == RelationKind::Uses
    }

    /// [`Named::lookup`], also of CMDB pairs such as ServiceNow's `Depends on::Used by` (the
    /// part before `::` describes the dependent).
    pub fn lookup_pair(text: &str) -> Option<RelationKind> {
        RelationKind::lookup(text).or_else(|| RelationKind::lookup(text.split_once("::")?.0))
    }
}

impl Named for RelationKind {
    fn aliases(self) -> &'static [&'static str] {
        match self {
            RelationKind::ManagedBy => &["managed", "verwaltet von", "managedby"],
            RelationKind::UpdatesFrom => &["updates", "update source", "aktualisiert von"],
            RelationKind::MailVia => &["mail", "smtp via", "mail relay"],
            RelationKind::ScannedBy => {
                &["scanned", "protected by", "geschützt durch", "gescannt von"]
            }
            RelationKind::ProxiedBy => &["proxy", "via proxy"],
            RelationKind::RunsOn => &["hosted-on", "hosted on", "läuft auf", "vm host"],
            RelationKind::ReportsTo => &["reports", "meldet an"],
            RelationKind::Uses => &["depends-on", "depends on", "nutzt", "abhängig von", "use"],
        }
    }
}

/// One installed software product (an inline table of a native inventory's `software`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Software {
    /// Display or package name.
    pub name: Text,
    /// Version as reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<Text>,
    /// Publisher or vendor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<Text>,
}

impl Software {
    /// "Name version (publisher)", leaving out what is not known.
    pub fn describe(&self) -> String {
        let mut text = self.name.to_string();
        if let Some(v) = &self.version {
            text.push(' ');
            text.push_str(v);
        }
        if let Some(p) = &self.publisher {
            text.push_str(&format!(" ({p})"));
        }
        text
    }

    /// A software entry with just a name.
    pub fn named(name: impl Into<Text>) -> Software {
        Software {
            name: name.into(),
            ..Software::default()
        }
    }
}

/// A dependency of one asset on another (the provider; an inline table of a native
/// inventory's `depends_on`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    /// Id of the provider asset, as written in the inventory.
    #[serde(rename = "id")]
    pub target: Text,
    /// What the dependency is.
    #[serde(
        default,
        skip_serializing_if = "RelationKind::is_uses",
        deserialize_with = "super::asset_de::relation_kind"
    )]
    pub kind: RelationKind,
    /// Where the relation was read.
    #[serde(skip)]
    pub origin: Option<Origin>,
}

impl Relation {
    /// A relation without an origin.
    pub fn new(target: impl Into<Text>, kind: RelationKind) -> Relation {
        Relation {
            target: target.into(),
            kind,
            origin: None,
        }
    }
}

/// One machine or device of the estate (serialised as a native inventory's `[[asset]]`
/// table: empty and default values left out; read back from it with kinds, criticalities
/// and relation kinds by name or alias).
///
/// A field added here is written and read by the file's mirror in `asset_serde` alone; the
/// native reader's fast path (`inventory::native_fast`) is held to the same values by a
/// round-trip test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Unique id, compared case-insensitively.
    pub id: EcoString,
    /// Hostname or display name.
    pub name: Option<Text>,
    /// What kind of machine it is (a reader infers it from the OS when the file names none).
    pub kind: AssetKind,
    /// Operating system.
    pub os: Os,
    /// Business criticality.
    pub criticality: Criticality,
    /// Installed software.
    pub software: ThinVec<Software>,
    /// Dependencies on providers.
    pub depends_on: ThinVec<Relation>,
    /// Where the asset record was read.
    pub origin: Option<Origin>,
    /// Site, owner, tags and tool ids (see the accessors): most assets have few of them.
    details: Details,
}

impl Asset {
    /// A new asset with only an id; everything else defaults.
    pub fn new(id: impl Into<EcoString>) -> Asset {
        Asset {
            id: id.into(),
            name: None,
            kind: AssetKind::Other,
            os: Os::unknown(),
            criticality: Criticality::Medium,
            software: ThinVec::new(),
            depends_on: ThinVec::new(),
            origin: None,
            details: Details::default(),
        }
    }

    /// Site or location.
    pub fn site(&self) -> Option<&Text> {
        self.details.one(Field::Site)
    }

    /// Sets (or clears) the site.
    pub fn set_site(&mut self, site: Option<Text>) {
        self.details.set_one(Field::Site, site);
    }

    /// Owning team or person.
    pub fn owner(&self) -> Option<&Text> {
        self.details.one(Field::Owner)
    }

    /// Sets (or clears) the owner.
    pub fn set_owner(&mut self, owner: Option<Text>) {
        self.details.set_one(Field::Owner, owner);
    }

    /// Free tags, in the order added; some ("pilot", "kritis" …) mean something to the
    /// planner.
    pub fn tags(&self) -> impl DoubleEndedIterator<Item = &Text> + ExactSizeIterator + Clone {
        self.details.all(Field::Tag)
    }

    /// Adds a tag after the others (repeats are the caller's to avoid).
    pub fn add_tag(&mut self, tag: impl Into<Text>) {
        self.details.push(Field::Tag, tag.into());
    }

    /// Replaces the tags.
    pub fn set_tags(&mut self, tags: impl IntoIterator<Item = Text>) {
        self.details.set_all(Field::Tag, tags);
    }

    /// Keeps the tags for which `keep` holds.
    pub fn retain_tags(&mut self, keep: impl FnMut(&Text) -> bool) {
        self.details.retain(Field::Tag, keep);
    }

    /// Identifiers a management tool gave the device, as `tool:id` (`cm:16777321` for a
    /// ConfigMgr ResourceID, `entra:<GUID>` for the Entra ID device id of an Intune export):
    /// the rollout exports address the device by them. Not written to native inventories.
    pub fn vendor_ids(&self) -> impl DoubleEndedIterator<Item = &Text> + ExactSizeIterator + Clone {
        self.details.all(Field::VendorId)
    }

    /// Adds a tool id after the others.
    pub fn add_vendor_id(&mut self, id: impl Into<Text>) {
        self.details.push(Field::VendorId, id.into());
    }

    /// Frees the spare room of the asset's lists (after a reader or a merge built them).
    pub fn fit(&mut self) {
        super::lists::fit(&mut self.software);
        super::lists::fit(&mut self.depends_on);
        self.details.fit();
    }

    /// The identifier a management tool gave the device (`tool` without the colon: "cm").
    pub fn vendor_id(&self, tool: &str) -> Option<&str> {
        self.vendor_ids().find_map(|v| {
            v.strip_prefix(tool)
                .and_then(|rest| rest.strip_prefix(':'))
                .filter(|id| !id.is_empty())
        })
    }

    /// True when the asset carries the tag (case-insensitive).
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags().any(|t| t.eq_ignore_ascii_case(tag))
    }

    /// Name if known, else id.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }

    /// Replaces control characters in every text field (see [`super::text::clean`]).
    pub fn sanitise(&mut self) {
        self.sanitise_unshared();
        let c = clean_text;
        // Tool ids are made by the readers, not read as text.
        for field in [Field::Site, Field::Owner, Field::Tag] {
            self.details.all_mut(field).for_each(c);
        }
        for sw in &mut self.software {
            c(&mut sw.name);
            for s in [&mut sw.version, &mut sw.publisher].into_iter().flatten() {
                c(s);
            }
        }
        for rel in &mut self.depends_on {
            c(&mut rel.target);
        }
    }

    /// Visits every shared text of the asset (site, owner, tags, tool ids, software,
    /// relation targets; the OS keeps its own), e.g. to intern them. The destructuring names every field, so a
    /// new one must be placed here or declared text-free.
    pub fn texts_mut(&mut self, mut visit: impl FnMut(&mut Text)) {
        let Asset {
            id: _,
            name: _,
            kind: _,
            os: _,
            criticality: _,
            software,
            depends_on,
            origin: _,
            details,
        } = self;
        details.texts_mut().for_each(&mut visit);
        for Software {
            name,
            version,
            publisher,
        } in software
        {
            visit(name);
            version
                .iter_mut()
                .chain(publisher.iter_mut())
                .for_each(&mut visit);
        }
        for Relation { target, .. } in depends_on {
            visit(target);
        }
    }

    /// [`Asset::sanitise`] of only the fields an [`super::text::Interner`] does not hand out
    /// (id and name): for assets whose [`Text`] values all come from one, which cleaned each
    /// distinct value once.
    pub fn sanitise_unshared(&mut self) {
        if super::text::needs_cleaning(&self.id) {
            self.id = super::text::clean(&self.id).into();
        }
        if let Some(name) = &mut self.name {
            clean_text(name);
        }
    }
}

fn clean_text(value: &mut Text) {
    if super::text::needs_cleaning(value) {
        *value = super::text::clean(value).into();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_aliases_parse() {
        assert_eq!(
            AssetKind::from_name("Mail Gateway"),
            Some(AssetKind::MailGateway)
        );
        assert_eq!(AssetKind::from_name("Notebook"), Some(AssetKind::Laptop));
        assert_eq!(AssetKind::from_name("SPS"), Some(AssetKind::Ot));
        assert_eq!(AssetKind::from_name("toaster"), None);
        assert_eq!(
            Criticality::from_name("Kritisch"),
            Some(Criticality::Critical)
        );
        assert_eq!(
            RelationKind::from_name("managed_by"),
            Some(RelationKind::ManagedBy)
        );
        assert_eq!(
            RelationKind::from_name("Depends on"),
            Some(RelationKind::Uses)
        );
        assert!(AssetKind::names().contains("mail-gateway"));
    }

    #[test]
    fn kind_is_inferred_from_os() {
        assert_eq!(
            AssetKind::infer(&Os::parse("Windows 11")),
            AssetKind::Workstation
        );
        assert_eq!(
            AssetKind::infer(&Os::parse("Windows Server 2019")),
            AssetKind::Server
        );
        assert_eq!(
            AssetKind::infer(&Os::parse("ESXi 8.0")),
            AssetKind::Hypervisor
        );
    }

    #[test]
    fn sanitise_cleans_every_field() {
        let mut a = Asset::new("x\x1b[31m");
        a.software.push(Software::named("evil\x07"));
        a.add_tag("t\x00");
        a.sanitise();
        assert!(!a.id.contains('\x1b'));
        assert!(!a.software[0].name.contains('\x07'));
        assert!(!a.tags().next().unwrap().contains('\x00'));
    }

    #[test]
    fn an_asset_stays_small() {
        // A million-asset estate holds a million of these, and a dense file of ids costs
        // little more than them: a new field belongs behind a pointer unless it is common.
        assert!(
            std::mem::size_of::<Asset>() <= 64,
            "Asset is {} bytes",
            std::mem::size_of::<Asset>()
        );
        assert_eq!(std::mem::size_of::<Os>(), 8);
        assert_eq!(std::mem::size_of::<Option<Text>>(), 8);
        assert!(std::mem::size_of::<Relation>() <= 16);
    }
}
