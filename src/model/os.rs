//! Operating systems: the free-text OS of an inventory parsed into family and version.

use super::distro::Distro;
use super::text::Text;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, LazyLock};

/// The broad OS family that decides which replacement products can run on a machine.
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
pub enum OsFamily {
    /// Windows desktop editions (XP … 11).
    WindowsClient,
    /// Windows Server 2003 … 2025.
    WindowsServer,
    /// Windows Embedded, IoT, POSReady and thin-client editions.
    WindowsEmbedded,
    /// macOS / OS X.
    Macos,
    /// Any Linux distribution.
    Linux,
    /// VMware ESXi hypervisors.
    Esxi,
    /// Android phones and tablets.
    Android,
    /// iOS and iPadOS.
    Ios,
    /// Firmware, RTOS and other embedded or OT systems.
    Embedded,
    /// Nothing recognisable.
    Unknown,
}

impl crate::model::Named for OsFamily {}

impl OsFamily {
    /// True for the three Windows families.
    pub fn is_windows(self) -> bool {
        matches!(
            self,
            OsFamily::WindowsClient | OsFamily::WindowsServer | OsFamily::WindowsEmbedded
        )
    }
}

/// An operating system as written in the inventory, with what could be read from it.
///
/// One pointer wide: assets with the same OS text share one parsed value (a million assets
/// run a few hundred distinct systems). It reads like its [`OsParts`] (it derefs to them).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Os(Arc<OsParts>);

/// What an [`Os`] holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OsParts {
    /// The text as found in the inventory (cleaned of control characters).
    pub raw: Text,
    /// The family it belongs to.
    pub family: OsFamily,
    /// Canonical version: "10", "11", "2008 R2", "2019", "8.6", "14.5" …
    pub version: Option<Text>,
    /// Windows feature update ("22H2", "1809").
    pub feature_update: Option<Text>,
    /// Linux distribution id ("rhel", "ubuntu", "sles" …).
    pub distro: Option<Text>,
    /// True when the text names a 32-bit edition.
    pub is_32bit: bool,
}

impl Os {
    /// True when no operating system is known (nothing was read).
    pub fn is_blank(&self) -> bool {
        self.raw.is_empty()
    }

    /// Parses free OS text. Never fails: unreadable text gives [`OsFamily::Unknown`]. The
    /// text is kept cleaned of control and bidi characters ([`super::text::clean`]).
    pub fn parse(raw: &str) -> Os {
        let raw = Text::from(super::text::clean(raw));
        let lower = raw.to_lowercase();
        let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
        let is_32bit = lower.contains("32-bit")
            || lower.contains("32 bit")
            || lower.contains("x86 ")
            || lower.ends_with("x86")
            || lower.contains("(x86)");
        let mut os = OsParts {
            raw,
            family: OsFamily::Unknown,
            version: None,
            feature_update: None,
            distro: None,
            is_32bit,
        };
        if lower.is_empty() {
            return Os(Arc::new(os));
        }
        if lower.contains("esxi") || lower.contains("vmware esx") || lower.contains("vsphere") {
            os.family = OsFamily::Esxi;
            os.version = first_number(&lower).map(Text::from);
        } else if is_windows_text(&lower, &compact) {
            parse_windows(&lower, &compact, &mut os);
        } else if let Some(version) = parse_macos(&lower) {
            os.family = OsFamily::Macos;
            os.version = version.map(Text::from);
        } else if lower.contains("android") {
            os.family = OsFamily::Android;
            os.version = first_number(&lower).map(Text::from);
        } else if EMBEDDED_WORDS.iter().any(|w| lower.contains(w)) {
            os.family = OsFamily::Embedded;
            os.version = first_number(&lower).map(Text::from);
        } else if lower.contains("ipados") || word(&lower, "ios") {
            os.family = OsFamily::Ios;
            os.version = first_number(&lower).map(Text::from);
        } else if let Some((distro, version)) = parse_linux(&lower) {
            os.family = OsFamily::Linux;
            os.distro = distro.map(Text::from);
            os.version = version.map(Text::from);
        }
        Os(Arc::new(os))
    }

    /// An OS nobody wrote down.
    pub fn unknown() -> Os {
        // What `Os::parse("")` gives, without parsing (every new asset starts with it).
        static UNKNOWN: LazyLock<Os> = LazyLock::new(|| {
            Os(Arc::new(OsParts {
                raw: Text::default(),
                family: OsFamily::Unknown,
                version: None,
                feature_update: None,
                distro: None,
                is_32bit: false,
            }))
        });
        UNKNOWN.clone()
    }

    /// A short readable label: "Windows Server 2019", "RHEL 8.6", "macOS 14".
    pub fn label(&self) -> String {
        let v = self.version.as_deref().unwrap_or("");
        let base = match self.family {
            OsFamily::WindowsClient => format!("Windows {v}"),
            OsFamily::WindowsServer => format!("Windows Server {v}"),
            OsFamily::WindowsEmbedded => format!("Windows Embedded {v}"),
            OsFamily::Macos => format!("macOS {v}"),
            OsFamily::Linux => {
                let d = self.distro.as_deref().unwrap_or("Linux");
                format!("{} {v}", Distro::label_of(d))
            }
            OsFamily::Esxi => format!("ESXi {v}"),
            OsFamily::Android => format!("Android {v}"),
            OsFamily::Ios => format!("iOS {v}"),
            OsFamily::Embedded | OsFamily::Unknown => {
                return if self.raw.is_empty() {
                    "unknown".into()
                } else {
                    self.raw.to_string()
                };
            }
        };
        let mut label = base.trim().to_string();
        if let Some(fu) = &self.feature_update {
            label.push(' ');
            label.push_str(fu);
        }
        label
    }

    /// A comparable form of the version ("2008 R2" → [2008, 2], "12 SP5" → [12, 5]).
    pub fn version_key(&self) -> Option<Vec<u32>> {
        self.version.as_deref().map(version_key)
    }
}

/// Turns a version string into comparable numbers: "XP" → [5], "Vista" → [6], "2012 R2" →
/// [2012, 2], "8.6" → [8, 6], "12 SP5" → [12, 5].
pub fn version_key(version: &str) -> Vec<u32> {
    let lower = version.to_lowercase();
    match lower.trim() {
        "xp" => return vec![5],
        "vista" => return vec![6],
        _ => {}
    }
    let mut key = Vec::new();
    let mut current: Option<u32> = None;
    for c in lower.chars() {
        if let Some(d) = c.to_digit(10) {
            current = Some(current.unwrap_or(0).saturating_mul(10).saturating_add(d));
        } else if let Some(n) = current.take() {
            key.push(n);
        }
    }
    if let Some(n) = current {
        key.push(n);
    }
    key
}

/// Compares two version strings with [`version_key`].
pub fn version_at_least(version: &str, minimum: &str) -> bool {
    version_key(version) >= version_key(minimum)
}

impl Serialize for Os {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for Os {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Ok(Os::parse(&raw))
    }
}

impl std::ops::Deref for Os {
    type Target = OsParts;
    fn deref(&self) -> &OsParts {
        &self.0
    }
}

impl std::fmt::Debug for Os {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl Default for Os {
    fn default() -> Self {
        Os::unknown()
    }
}

const EMBEDDED_WORDS: &[&str] = &[
    "embedded",
    "firmware",
    "rtos",
    "vxworks",
    "qnx",
    "simatic",
    "plc",
    "scada",
    "iot",
    "fortios",
    "pan-os",
    "junos",
    "cisco ios",
    "routeros",
    "printer",
    "dsm",
    "ontap",
];

fn is_windows_text(lower: &str, compact: &str) -> bool {
    lower.contains("windows")
        || compact.starts_with("win")
        || lower.contains("microsoft windows")
        || lower.starts_with("wes7")
        || lower.contains("posready")
}

fn parse_windows(lower: &str, compact: &str, os: &mut OsParts) {
    let embedded = [
        "embedded",
        "iot",
        "posready",
        "thin pc",
        "wes7",
        "windows ce",
        "compact",
    ]
    .iter()
    .any(|w| lower.contains(w));
    let server = lower.contains("server") || compact.contains("windowsserver");
    os.family = if embedded {
        OsFamily::WindowsEmbedded
    } else if server {
        OsFamily::WindowsServer
    } else {
        OsFamily::WindowsClient
    };
    let build = windows_build(lower);
    if server && !embedded {
        os.version = server_version(compact)
            .or_else(|| build.and_then(server_from_build))
            .map(Text::from);
    } else {
        os.version = client_version(lower, compact).map(Text::from);
        if os.version.is_none()
            && let Some(b) = build
        {
            os.version = Some(if b >= 22000 { "11" } else { "10" }.into());
        }
        if lower.contains("posready") && os.version.is_none() {
            os.version = Some(if lower.contains("2009") { "XP" } else { "7" }.into());
        }
        os.feature_update = feature_update(lower)
            .or_else(|| build.and_then(feature_from_build))
            .map(Text::from);
    }
}

fn server_version(compact: &str) -> Option<String> {
    for year in ["2003", "2008", "2012", "2016", "2019", "2022", "2025"] {
        if let Some(pos) = compact.find(year) {
            let rest = &compact[pos + 4..];
            let r2 = rest.starts_with("r2");
            return Some(if r2 {
                format!("{year} R2")
            } else {
                year.to_string()
            });
        }
    }
    None
}

fn server_from_build(build: u32) -> Option<String> {
    let v = match build {
        26100.. => "2025",
        20348.. => "2022",
        17763.. => "2019",
        14393.. => "2016",
        9600.. => "2012 R2",
        9200.. => "2012",
        7600.. => "2008 R2",
        _ => return None,
    };
    Some(v.to_string())
}

fn client_version(lower: &str, compact: &str) -> Option<String> {
    if compact.contains("windowsxp") || compact.contains("winxp") || word(lower, "xp") {
        return Some("XP".into());
    }
    if lower.contains("vista") {
        return Some("Vista".into());
    }
    // "Windows 10 22H2", "Win11", "Windows 8.1 Pro": the release right after "win(dows)",
    // whether or not a space separates them.
    static RELEASE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        // Not a kernel version such as "10.0.22631" (that one is read from its build).
        regex::Regex::new(r"\bwin(?:dows)?\s*(8\.1|11|10|8|7)(?:$|[^0-9.]|\.(?:$|[^0-9]))")
            .expect("constant regex")
    });
    RELEASE
        .captures(lower)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string())
}

fn word(text: &str, w: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric()).any(|t| t == w)
}

fn windows_build(lower: &str) -> Option<u32> {
    // "10.0.19045", "10.0 (19045)", "Build 22631"
    let bytes: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_digit() && c != '.')
        .collect();
    for token in bytes {
        let parts: Vec<&str> = token.split('.').collect();
        if parts.len() >= 3
            && parts[0] == "10"
            && parts[1] == "0"
            && let Ok(b) = parts[2].parse::<u32>()
        {
            return Some(b);
        }
        if parts.len() >= 3
            && parts[0] == "6"
            && let Ok(b) = parts[2].parse::<u32>()
        {
            return Some(b);
        }
    }
    if let Some(pos) = lower.find("build") {
        return first_number(&lower[pos..]).and_then(|n| n.parse().ok());
    }
    // A bare five-digit build number, as in "NT Workstation 10.0 (19045)".
    lower
        .split(|c: char| !c.is_ascii_digit())
        .filter(|t| t.len() == 5)
        .filter_map(|t| t.parse::<u32>().ok())
        .find(|b| (10240..=30000).contains(b))
}

fn feature_update(lower: &str) -> Option<String> {
    for token in lower.split(|c: char| !c.is_alphanumeric()) {
        let b = token.as_bytes();
        if b.len() == 4 && b[0].is_ascii_digit() && b[1].is_ascii_digit() && b[2] == b'h' {
            return Some(token.to_uppercase());
        }
        if let Ok(n) = token.parse::<u32>()
            && token.len() == 4
            && [1507, 1511, 1607, 1703, 1709, 1803, 1809, 1903, 1909, 2004].contains(&n)
        {
            return Some(token.to_string());
        }
    }
    None
}

fn feature_from_build(build: u32) -> Option<String> {
    let v = match build {
        26100 => "24H2",
        22631 => "23H2",
        22621 => "22H2",
        22000 => "21H2",
        19045 => "22H2",
        19044 => "21H2",
        19043 => "21H1",
        19042 => "20H2",
        19041 => "2004",
        18363 => "1909",
        18362 => "1903",
        17763 => "1809",
        17134 => "1803",
        16299 => "1709",
        15063 => "1703",
        14393 => "1607",
        10586 => "1511",
        10240 => "1507",
        _ => return None,
    };
    Some(v.to_string())
}

fn parse_macos(lower: &str) -> Option<Option<String>> {
    const NAMES: &[(&str, &str)] = &[
        ("tahoe", "26"),
        ("sequoia", "15"),
        ("sonoma", "14"),
        ("ventura", "13"),
        ("monterey", "12"),
        ("big sur", "11"),
        ("catalina", "10.15"),
        ("mojave", "10.14"),
        ("high sierra", "10.13"),
    ];
    let is_mac = lower.contains("macos")
        || lower.contains("mac os")
        || (word(lower, "os") && word(lower, "x") && !word(lower, "ios"))
        || lower.starts_with("darwin")
        || lower.starts_with("mac");
    if !is_mac {
        return None;
    }
    if let Some(v) = first_number(lower) {
        return Some(Some(v));
    }
    Some(
        NAMES
            .iter()
            .find(|(n, _)| lower.contains(n))
            .map(|(_, v)| v.to_string()),
    )
}

fn parse_linux(lower: &str) -> Option<(Option<String>, Option<String>)> {
    let (_, distro) = super::distro::NEEDLES
        .iter()
        .find(|(needle, _)| lower.contains(needle))?;
    let mut version = first_number(lower);
    if *distro == Some(Distro::Debian) && version.is_none() {
        const CODENAMES: &[(&str, &str)] = &[
            ("trixie", "13"),
            ("bookworm", "12"),
            ("bullseye", "11"),
            ("buster", "10"),
            ("stretch", "9"),
            ("jessie", "8"),
        ];
        version = CODENAMES
            .iter()
            .find(|(n, _)| lower.contains(n))
            .map(|(_, v)| v.to_string());
    }
    if *distro == Some(Distro::Sles)
        && let Some(v) = &version
        && let Some(pos) = lower.find("sp")
        && let Some(sp) = lower[pos + 2..]
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .filter(|s| !s.is_empty())
    {
        version = Some(format!("{v}.{sp}"));
    }
    Some((distro.map(|d| d.id().to_string()), version))
}

/// The first dotted number in the text ("Ubuntu 22.04.4 LTS" → "22.04.4").
fn first_number(text: &str) -> Option<String> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let rest = &text[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    Some(rest[..end].trim_end_matches('.').to_string())
}

#[cfg(test)]
#[path = "os_tests.rs"]
mod tests;
