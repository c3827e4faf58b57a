//! What the CMDB and asset-management exports (ServiceNow, GLPI, Snipe-IT, Lansweeper, NetBox,
//! OCS Inventory) share: kinds from free class, type, role or category text; the OS spellings
//! of CMDBs; custom fields that name the antivirus product; and building device records.

use super::probe::{CsvHead, Probe};
use crate::error::{InputError, Location};
use crate::inventory::csv_table::Table;
use crate::inventory::{Explicit, FileCtx, Record, asset_kind, tidy};
use crate::model::text::clean;
use crate::model::{Asset, AssetKind, Software};
use regex::Regex;
use std::sync::LazyLock;

/// Custom fields (Snipe-IT, NetBox) that name the endpoint-protection product of a machine.
/// Their value becomes an installed-software entry, so that a machine whose CMDB record says
/// "Virenschutz: Kaspersky Endpoint Security" is found like one whose software list does.
pub(crate) const AV_FIELDS: &[&str] = &[
    "Antivirus",
    "Anti-Virus",
    "AV",
    "AV Product",
    "Antivirus Product",
    "Virenschutz",
    "Virenscanner",
    "Endpoint Protection",
    "Endpoint-Schutz",
    "Endpoint Security",
    "Endpointschutz",
    "Security Software",
    "Sicherheitssoftware",
    "EDR",
    "Antivirus Software",
    "Antivirensoftware",
];

/// Version columns that go with an [`AV_FIELDS`] column.
const AV_VERSION_FIELDS: &[&str] = &[
    "AV Version",
    "Antivirus Version",
    "Virenschutz Version",
    "Virenschutz-Version",
    "Endpoint Protection Version",
    "Endpoint-Schutz Version",
    "Endpoint Security Version",
];

/// The antivirus custom field and its version field, when the export has them.
pub(crate) fn av_columns(head: &CsvHead) -> (Option<usize>, Option<usize>) {
    (head.find(AV_FIELDS), head.find(AV_VERSION_FIELDS))
}

/// The software entry an antivirus custom field names (None when the cell is empty or says
/// there is none).
pub(crate) fn av_software(product: &str, version: &str) -> Option<Software> {
    let product = clean(product);
    let none = ["-", "none", "keiner", "keine", "kein", "n/a", "na", "ohne"];
    if product.is_empty() || none.iter().any(|n| product.eq_ignore_ascii_case(n)) {
        return None;
    }
    Some(Software {
        name: product.into(),
        version: Some(clean(version))
            .filter(|v| !v.is_empty())
            .map(Into::into),
        publisher: None,
    })
}

/// Words of free text, lower-cased, split on anything but letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// A kind from CMDB text that names one: a ServiceNow class ("Windows Server", "Virtual
/// Machine Instance", "ESX Server"), a GLPI type ("Desktop", "Virtual machine"), a Snipe-IT
/// category ("Laptops"), a NetBox role ("Core Switch", "Hypervisor"), a Lansweeper asset type.
/// Known aliases first, then tell-tale words; None when the text says nothing about the kind.
pub(crate) fn kind_from_text(text: &str) -> Option<AssetKind> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Some(kind) = asset_kind(text) {
        return Some(kind);
    }
    let lower = text.to_lowercase();
    let words = words(text);
    // A word, also in the plural ("Laptops", "Servers").
    let has = |w: &str| {
        words
            .iter()
            .any(|x| x == w || x.strip_suffix('s') == Some(w) || x.strip_suffix("es") == Some(w))
    };
    let any = |list: &[&str]| list.iter().any(|w| has(w));
    let contains = |list: &[&str]| list.iter().any(|p| lower.contains(p));
    let kind = if contains(&["virtual machine", "virtuelle maschine", "virtual server"])
        || any(&["vm", "guest"])
    {
        AssetKind::Vm
    } else if contains(&["hyper-v", "hypervisor", "virtualisierung"])
        || any(&[
            "esx",
            "esxi",
            "vmware",
            "kvm",
            "proxmox",
            "nutanix",
            "xenserver",
        ])
    {
        AssetKind::Hypervisor
    } else if contains(&["mail gateway", "mail relay", "mailgateway", "mail-gateway"]) {
        AssetKind::MailGateway
    } else if any(&["firewall", "utm", "ngfw"]) {
        AssetKind::Firewall
    } else if any(&["proxy"]) {
        AssetKind::Proxy
    } else if any(&["storage", "nas", "san", "filer", "speicher"]) {
        AssetKind::Storage
    } else if any(&["laptop", "notebook", "portable"]) {
        AssetKind::Laptop
    } else if any(&[
        "mobile",
        "phone",
        "smartphone",
        "tablet",
        "handheld",
        "handy",
        "mobilgerät",
    ]) {
        AssetKind::Mobile
    } else if any(&[
        "switch",
        "router",
        "printer",
        "drucker",
        "network",
        "netzwerk",
        "gear",
        "pdu",
        "ups",
        "usv",
        "appliance",
        "balancer",
        "wlan",
        "wifi",
        "ap",
    ]) || contains(&["access point", "load balancer"])
    {
        AssetKind::Appliance
    } else if any(&["plc", "sps", "scada", "hmi", "ics", "industrial", "ot"]) {
        AssetKind::Ot
    } else if any(&["server", "mainframe"]) {
        AssetKind::Server
    } else if any(&[
        "computer",
        "desktop",
        "workstation",
        "pc",
        "client",
        "arbeitsplatz",
        "tower",
    ]) {
        AssetKind::Workstation
    } else {
        return None;
    };
    Some(kind)
}

/// `Windows 2019 Standard` (ServiceNow) and `Win 2019` (Lansweeper) without the word "Server".
static WINDOWS_SERVER_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(microsoft\s+)?win(dows)?\s+(2003|2008|2012|2016|2019|2022|2025)\b")
        .expect("constant regex")
});

/// `Win 11` (Lansweeper's short OS names).
static WIN_SHORT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^win\s+(\w)").expect("constant regex"));

/// OS text as CMDBs write it, in the spelling the OS parser reads: a server year without the
/// word "Server" ("Windows 2019 Standard", "Win 2012 R2") is a Windows Server; "Win 11" is
/// "Windows 11".
pub(crate) fn os_text(raw: &str) -> String {
    let raw = raw.trim();
    if let Some(c) = WINDOWS_SERVER_YEAR.captures(raw)
        && !raw.to_lowercase().contains("server")
    {
        let year = c.get(3).map_or("", |m| m.as_str());
        let rest = &raw[c.get(0).map_or(0, |m| m.end())..];
        return format!("Windows Server {year}{rest}");
    }
    if WIN_SHORT.is_match(raw) {
        return format!("Windows {}", raw[3..].trim_start());
    }
    raw.to_string()
}

/// OS name and version joined ("Linux Ubuntu" + "22.04.4 LTS"), unless the name already
/// holds the version.
pub(crate) fn os_with_version(name: &str, version: &str) -> String {
    let name = os_text(name);
    let version = version.trim();
    if version.is_empty() || name.contains(version) {
        name
    } else if name.is_empty() {
        version.to_string()
    } else {
        format!("{name} {version}")
    }
}

/// A device record being built from one row.
pub(crate) struct RecordBuilder {
    pub asset: Asset,
    pub explicit: Explicit,
}

impl RecordBuilder {
    /// A record for `id` read at `line`.
    pub fn new(ctx: &FileCtx<'_>, id: &str, line: usize) -> RecordBuilder {
        RecordBuilder::at(clean(id), ctx.origin(line))
    }

    /// A record for `id` (cleaned already) read at `origin`.
    pub fn at(id: impl Into<ecow::EcoString>, origin: crate::model::Origin) -> RecordBuilder {
        let mut asset = Asset::new(id);
        asset.origin = Some(origin);
        RecordBuilder {
            asset,
            explicit: Explicit::default(),
        }
    }

    /// Sets a text field from a cell (empty cells leave it unset).
    pub fn text<T: From<String>>(field: &mut Option<T>, cell: &str) {
        let cell = clean(cell);
        if !cell.is_empty() {
            *field = Some(cell.into());
        }
    }

    /// Sets the site from a cell (an empty cell leaves it unset).
    pub fn site(&mut self, cell: &str) {
        let cell = clean(cell);
        if !cell.is_empty() {
            self.asset.set_site(Some(cell.into()));
        }
    }

    /// Sets the owner from a cell (an empty cell leaves it unset).
    pub fn owner(&mut self, cell: &str) {
        let cell = clean(cell);
        if !cell.is_empty() {
            self.asset.set_owner(Some(cell.into()));
        }
    }

    /// Sets the OS from its text.
    pub fn os(&mut self, ctx: &mut FileCtx<'_>, text: &str) {
        let text = clean(text);
        if !text.is_empty() {
            self.asset.os = ctx.os(&text);
        }
    }

    /// Sets the kind from the first of `texts` that names one; else the kind is inferred
    /// from the OS (and not counted as stated, so a better source can set it when merging).
    pub fn kind(&mut self, texts: &[&str]) {
        match texts.iter().find_map(|t| kind_from_text(t)) {
            Some(kind) => (self.asset.kind, self.explicit.kind) = (kind, true),
            None => self.asset.kind = AssetKind::infer(&self.asset.os),
        }
    }

    /// Sets a stated kind.
    pub fn set_kind(&mut self, kind: AssetKind) {
        (self.asset.kind, self.explicit.kind) = (kind, true);
    }

    /// The finished record (control characters neutralised, empty values removed).
    pub fn finish(mut self) -> Record {
        tidy(&mut self.asset);
        Record {
            asset: self.asset,
            explicit: self.explicit,
        }
    }
}

/// The CSV header of a file read as `format` (which may have been forced on any file).
pub(crate) fn csv_head<'p>(
    p: &'p Probe<'_>,
    ctx: &FileCtx<'_>,
    format: &str,
) -> Result<&'p CsvHead, InputError> {
    p.csv().ok_or_else(|| {
        InputError::new(
            Location::file(&*ctx.file),
            format!("not a CSV file, so not a {format} export"),
        )
    })
}

/// The column among `names` that a format cannot do without.
pub(crate) fn required(
    head: &CsvHead,
    ctx: &FileCtx<'_>,
    names: &[&str],
    format: &str,
) -> Result<usize, InputError> {
    head.find(names).ok_or_else(|| {
        let wanted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
        InputError::new(
            ctx.line(head.line),
            format!(
                "no {} column, which a {format} export needs",
                wanted.join(" or ")
            ),
        )
    })
}

/// Opens the table of a probed CSV and records its separator in the report.
pub(crate) fn open<'t>(text: &'t str, ctx: &mut FileCtx<'_>) -> Result<Table<'t>, InputError> {
    let table = Table::open(&ctx.file, text)?;
    ctx.report.separator = Some(char::from(table.sep));
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Os;

    #[test]
    fn kinds_from_cmdb_text() {
        let k = |t| kind_from_text(t);
        assert_eq!(k("Windows Server"), Some(AssetKind::Server));
        assert_eq!(k("Linux Server"), Some(AssetKind::Server));
        assert_eq!(k("Computer"), Some(AssetKind::Workstation));
        assert_eq!(k("Personal Computer"), Some(AssetKind::Workstation));
        assert_eq!(k("Virtual Machine Instance"), Some(AssetKind::Vm));
        assert_eq!(k("VMware Virtual Machine Instance"), Some(AssetKind::Vm));
        assert_eq!(k("ESX Server"), Some(AssetKind::Hypervisor));
        assert_eq!(k("Hyper-V Server"), Some(AssetKind::Hypervisor));
        assert_eq!(k("IP Firewall"), Some(AssetKind::Firewall));
        assert_eq!(k("Network Gear"), Some(AssetKind::Appliance));
        assert_eq!(k("Core Switch"), Some(AssetKind::Appliance));
        assert_eq!(k("Storage Server"), Some(AssetKind::Storage));
        assert_eq!(k("Laptops"), Some(AssetKind::Laptop));
        assert_eq!(k("Mobile Phones"), Some(AssetKind::Mobile));
        assert_eq!(k("Handheld Computing Device"), Some(AssetKind::Mobile));
        assert_eq!(k("Desktop"), Some(AssetKind::Workstation));
        assert_eq!(k("Virtual machine"), Some(AssetKind::Vm));
        assert_eq!(k("Mail Gateway"), Some(AssetKind::MailGateway));
        assert_eq!(k("Servers"), Some(AssetKind::Server));
        assert_eq!(k("Sandbox"), None, "no word match inside a word");
        assert_eq!(k("Domain Controller"), None);
        assert_eq!(k("Monitors"), None);
        assert_eq!(k(""), None);
    }

    #[test]
    fn cmdb_os_spellings() {
        assert_eq!(
            os_text("Windows 2019 Standard"),
            "Windows Server 2019 Standard"
        );
        assert_eq!(os_text("Win 2012 R2"), "Windows Server 2012 R2");
        assert_eq!(os_text("Win 11"), "Windows 11");
        assert_eq!(os_text("Windows Server 2022"), "Windows Server 2022");
        assert_eq!(os_text("Windows 11 Pro"), "Windows 11 Pro");
        assert_eq!(os_text("Linux Ubuntu"), "Linux Ubuntu");
        assert_eq!(
            os_with_version("Linux Ubuntu", "22.04.4 LTS"),
            "Linux Ubuntu 22.04.4 LTS"
        );
        assert_eq!(os_with_version("Windows 11", "11"), "Windows 11");
        assert_eq!(os_with_version("", "8.0"), "8.0");
        let os = Os::parse(&os_text("Windows 2019 Standard"));
        assert_eq!(os.family, crate::model::OsFamily::WindowsServer);
        assert_eq!(os.version.as_deref(), Some("2019"));
    }

    #[test]
    fn av_fields_give_software() {
        assert_eq!(av_software("-", "1"), None);
        assert_eq!(av_software("  ", ""), None);
        let s = av_software("Kaspersky Endpoint Security", "12.6").expect("entry");
        assert_eq!(s.version.as_deref(), Some("12.6"));
    }
}
