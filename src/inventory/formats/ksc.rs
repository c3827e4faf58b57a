//! Kaspersky Security Center "Managed devices" list export (`all_hosts.csv`): one row per
//! device, tab-separated even when named `.csv`, UTF-8 (with or without BOM) or the MMC
//! "Unicode" (UTF-16LE) export; headers in English or German.
//!
//! Each row gives a device record (id = `Name` + `.` + `DNS domain` when the name is a bare
//! host name), the Network Agent and the Kaspersky protection application as installed
//! software, the administration group as a tag, and a `managed-by` relation to the
//! Administration Server: the one named in "Name of virtual or secondary Administration
//! Server", else the primary server, found once every file is read (see `merge::Merger::link`).
//!
//! Dates ("3 minutes ago", "vor 5 Minuten", "3/10/2025 6:02:11 AM") are not read: the model
//! keeps no last-seen date. Protection state, IP address and description are not kept either.

use super::Probe;
use super::probe::CsvHead;
use crate::error::InputError;
use crate::inventory::csv_generic::next_data_row;
use crate::inventory::csv_table::Table;
use crate::inventory::merge::KSC_PRIMARY;
use crate::inventory::{Content, Explicit, FileCtx, Mixed, Record, RelationRow, tidy};
use crate::model::text::{Text, clean};
use crate::model::{Asset, AssetKind, Os, OsFamily, Relation, RelationKind, Software};

/// How the columns map to the model.
pub(crate) const DEVICES_COLUMNS: &[(&str, &str)] = &[
    (
        "Name (+ DNS domain)",
        "id (FQDN when the domain is given), name",
    ),
    (
        "Operating system type + Operating system release ID",
        "os (e.g. Microsoft Windows 11 Pro 23H2)",
    ),
    (
        "Network Agent version / Network Agent is installed",
        "software \"Kaspersky Security Center Network Agent\" (AO Kaspersky Lab)",
    ),
    (
        "Application version",
        "software: the Kaspersky protection app, named by OS (KES for Windows / Linux / Mac, \
         Kaspersky Security for Windows Server on Windows Server)",
    ),
    ("Parent group", "tag"),
    (
        "Name of virtual or secondary Administration Server",
        "relation managed-by that server; empty: managed-by the primary server \
         (--ksc-server, else the asset with the Administration Server installed)",
    ),
    ("dates, status, IP, description", "(ignored)"),
];

/// The software name of the Network Agent.
const AGENT: &str = "Kaspersky Security Center Network Agent";
/// The publisher of current Kaspersky products.
const PUBLISHER: &str = "AO Kaspersky Lab";

// Header names: the English console's (as public scripts that read the KSC device export use
// them) and German ones built from the terms of the German KSC help ("Administrationsagent",
// "Administrationsserver", "Windows-Domäne", "DNS-Name", "Gruppe", "Betriebssystem");
// normalised, so case and spaces do not matter.
const NAME: &[&str] = &["Name"];
const OS_TYPE: &[&str] = &[
    "Operating system type",
    "Operating system",
    "Betriebssystemtyp",
    "Betriebssystem",
];
const OS_RELEASE: &[&str] = &["Operating system release ID", "Release-ID"];
const DNS_DOMAIN: &[&str] = &["DNS domain", "DNS-Domäne", "DNS-Name"];
const AGENT_VERSION: &[&str] = &[
    "Network Agent version",
    "Version des Administrationsagenten",
];
const AGENT_INSTALLED: &[&str] = &[
    "Network Agent is installed",
    "Administrationsagent ist installiert",
    "Administrationsagent installiert",
];
const APP_VERSION: &[&str] = &["Application version", "Programmversion"];
const SERVER: &[&str] = &[
    "Name of virtual or secondary Administration Server",
    "Name des virtuellen oder sekundären Administrationsservers",
];
const GROUP: &[&str] = &[
    "Parent group",
    "Übergeordnete Gruppe",
    "Administrationsgruppe",
    "Gruppe",
];

/// Header fragments only a KSC device list has (normalised: no spaces, lower case).
const KSC_MARKS: &[&str] = &[
    "networkagent",
    "administrationsagent",
    "administrationserver",
    "administrationsserver",
    "antivirusdatabases",
    "realtimeprotection",
    "echtzeitschutz",
    "endpointsensor",
];

/// A `Name` column and at least two columns that only a KSC device list has (Network Agent,
/// Administration Server, anti-virus databases, real-time protection …).
pub(crate) fn devices_matches(p: &Probe) -> bool {
    p.csv().is_some_and(|h| {
        h.find(NAME).is_some()
            && h.keys
                .iter()
                .filter(|k| KSC_MARKS.iter().any(|m| k.contains(m)))
                .count()
                >= 2
    })
}

/// Columns of one export.
struct Columns {
    name: usize,
    os: Option<usize>,
    release: Option<usize>,
    domain: Option<usize>,
    agent_version: Option<usize>,
    agent_installed: Option<usize>,
    app_version: Option<usize>,
    server: Option<usize>,
    group: Option<usize>,
}

impl Columns {
    fn of(h: &CsvHead) -> Option<Columns> {
        Some(Columns {
            name: h.find(NAME)?,
            os: h.find(OS_TYPE),
            release: h.find(OS_RELEASE),
            domain: h.find(DNS_DOMAIN),
            agent_version: h.find(AGENT_VERSION),
            agent_installed: h.find(AGENT_INSTALLED),
            app_version: h.find(APP_VERSION),
            server: h.find(SERVER),
            group: h.find(GROUP),
        })
    }
}

/// Reads the device list.
pub(crate) fn read_devices(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    let mut table = Table::open(&ctx.file, p.text)?;
    ctx.report.separator = Some(char::from(table.sep));
    let Some(cols) = p.csv().and_then(Columns::of) else {
        return Err(InputError::new(
            ctx.line(table.header_line),
            "a Kaspersky Security Center device list needs a \"Name\" column".to_string(),
        ));
    };
    let mut mixed = Mixed::default();
    // The texts every device repeats are shared, not copied per device.
    let primary = Text::from(KSC_PRIMARY);
    let publisher = ctx.text(PUBLISHER);
    while next_data_row(&mut table, ctx)? {
        let line = table.line();
        let name = clean(table.cell(cols.name));
        if name.is_empty() {
            let message = format!(
                "row has no device name (column \"{}\" is empty); row skipped",
                table.headers[cols.name]
            );
            ctx.skip("missing name", ctx.line(line), message)?;
            continue;
        }
        let domain = table.opt_cell(cols.domain).trim_matches('.');
        let mut asset = Asset::new(host_id(&name, domain));
        if asset.id != name {
            asset.name = Some(name.as_str().into());
        }
        let os_text = join_os(table.opt_cell(cols.os), table.opt_cell(cols.release));
        asset.os = ctx.os(&os_text);
        asset.kind = AssetKind::infer(&asset.os);
        asset.set_tags(ctx.opt_text(table.opt_cell(cols.group)));
        let agent_version = ctx.opt_text(table.opt_cell(cols.agent_version));
        if agent_version.is_some() || is_yes(table.opt_cell(cols.agent_installed)) {
            let agent = kaspersky(ctx.text(AGENT), agent_version, &publisher);
            asset.software.push(agent);
        }
        if let Some(version) = ctx.opt_text(table.opt_cell(cols.app_version)) {
            let app = kaspersky(
                ctx.text(protection_app(&asset.os)),
                Some(version),
                &publisher,
            );
            asset.software.push(app);
        }
        asset.origin = Some(ctx.origin(line));
        tidy(&mut asset);
        let target = ctx
            .opt_text(table.opt_cell(cols.server))
            .unwrap_or_else(|| primary.clone());
        let is_self = [Some(asset.id.as_str()), asset.name.as_deref()]
            .into_iter()
            .flatten()
            .any(|n| n.eq_ignore_ascii_case(&target));
        if !is_self {
            let mut relation = Relation::new(target, RelationKind::ManagedBy);
            relation.origin = Some(ctx.origin(line));
            mixed.relations.push(RelationRow {
                from: asset.id.clone(),
                relation,
            });
            ctx.report.relations += 1;
        }
        ctx.report.assets += 1;
        ctx.report.software += asset.software.len();
        mixed.records.push(Record {
            asset,
            explicit: Explicit::default(),
        });
    }
    Ok(Content::Mixed(mixed))
}

/// `name.domain` when the name is a bare host name (no dot, no space) and a domain is given;
/// the name as written otherwise (display names may differ from the host name).
fn host_id(name: &str, domain: &str) -> String {
    let bare = !name.contains('.') && !name.contains(char::is_whitespace);
    if bare && !domain.is_empty() && !domain.contains(char::is_whitespace) {
        format!("{name}.{domain}")
    } else {
        name.to_string()
    }
}

/// OS type and release ID ("Microsoft Windows 11 Pro" + "23H2").
fn join_os(os: &str, release: &str) -> String {
    super::defender::with_release(os, release)
}

/// "Yes", "Ja", "True", "1" (any case).
fn is_yes(text: &str) -> bool {
    ["yes", "ja", "true", "1", "installed", "installiert"]
        .iter()
        .any(|y| text.eq_ignore_ascii_case(y))
}

fn kaspersky(name: Text, version: Option<Text>, publisher: &Text) -> Software {
    Software {
        name,
        version,
        publisher: Some(publisher.clone()),
    }
}

/// The protection application the "Application version" column stands for. The export names
/// no product, so it is judged from the OS: Windows Server runs Kaspersky Security for Windows
/// Server, other Windows Kaspersky Endpoint Security for Windows, Linux and macOS the KES for
/// their platform. (KES for Windows on a server would be misnamed; the detection rules treat
/// both as Kaspersky protection, so only the label can be off.)
pub(crate) fn protection_app(os: &Os) -> &'static str {
    match os.family {
        OsFamily::WindowsServer => "Kaspersky Security for Windows Server",
        OsFamily::WindowsClient | OsFamily::WindowsEmbedded => {
            "Kaspersky Endpoint Security for Windows"
        }
        OsFamily::Linux => "Kaspersky Endpoint Security for Linux",
        OsFamily::Macos => "Kaspersky Endpoint Security for Mac",
        OsFamily::Android | OsFamily::Ios => "Kaspersky Endpoint Security for Mobile",
        _ => "Kaspersky Endpoint Security",
    }
}

/// True for the KSC Administration Server: "Kaspersky Security Center … Administration Server"
/// (also the German "Administrationsserver" and the Russian name), the bare "Kaspersky
/// Security Center 14.2" of some versions, Defender's `security_center` /
/// `administration_server` tokens under a Kaspersky publisher, and the Linux package `ksc64`.
/// The Web Console and the Network Agent are not the server.
pub(crate) fn is_ksc_admin_server(sw: &Software) -> bool {
    let name = sw.name.to_lowercase();
    let package = name
        .split([':', '_', ' '])
        .next()
        .unwrap_or("")
        .split('-')
        .next()
        .unwrap_or("");
    if package == "ksc64" && !name.contains("web") {
        return true;
    }
    let kaspersky_publisher = sw
        .publisher
        .as_deref()
        .is_some_and(|p| p.to_lowercase().contains("kaspersk"));
    let center = name.contains("security center") || name.contains("security_center");
    let server = [
        "administration server",
        "administrationsserver",
        "administration_server",
    ]
    .iter()
    .any(|s| name.contains(s));
    if name.contains("сервер администрирования") {
        return true;
    }
    if name.contains("kaspersky") && center && server {
        return true;
    }
    let bare_center = name
        .strip_prefix("kaspersky security center")
        .is_some_and(|rest| {
            rest.split_whitespace()
                .all(|w| w.starts_with(|c: char| c.is_ascii_digit()) || w == "for" || w == "linux")
        });
    if bare_center {
        return true;
    }
    kaspersky_publisher
        && matches!(
            name.as_str(),
            "security_center" | "administration_server" | "security_center_administration_server"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sw(name: &str, publisher: Option<&str>) -> Software {
        Software {
            name: name.into(),
            version: None,
            publisher: publisher.map(Into::into),
        }
    }

    #[test]
    fn admin_server_is_recognised_but_not_its_neighbours() {
        for (name, publisher) in [
            ("Kaspersky Security Center 14.2 Administration Server", None),
            ("Kaspersky Security Center Administrationsserver", None),
            ("Kaspersky Security Center 15", Some("AO Kaspersky Lab")),
            ("ksc64", None),
            ("ksc64-15.1.0-1234.x86_64", None),
            ("security_center", Some("kaspersky")),
        ] {
            assert!(is_ksc_admin_server(&sw(name, publisher)), "{name}");
        }
        for (name, publisher) in [
            (
                "Kaspersky Security Center Network Agent",
                Some("AO Kaspersky Lab"),
            ),
            ("Kaspersky Security Center Web Console", None),
            ("security_center_network_agent", Some("kaspersky")),
            ("Kaspersky Endpoint Security for Windows", None),
            ("ksc64-web-console", None),
        ] {
            assert!(!is_ksc_admin_server(&sw(name, publisher)), "{name}");
        }
    }

    #[test]
    fn ids_are_fqdns_only_for_bare_host_names() {
        assert_eq!(
            host_id("FR-WS-0142", "mueller-mb.local"),
            "FR-WS-0142.mueller-mb.local"
        );
        assert_eq!(host_id("FR-MAC-KON01", ""), "FR-MAC-KON01");
        assert_eq!(
            host_id("fs01.mueller-mb.local", "mueller-mb.local"),
            "fs01.mueller-mb.local"
        );
        assert_eq!(
            host_id("Empfang (alt)", "mueller-mb.local"),
            "Empfang (alt)"
        );
    }

    #[test]
    fn protection_app_follows_the_os() {
        let app = |os: &str| protection_app(&Os::parse(os));
        assert_eq!(
            app("Microsoft Windows Server 2019 Standard"),
            "Kaspersky Security for Windows Server"
        );
        assert_eq!(
            app("Microsoft Windows 11 Pro"),
            "Kaspersky Endpoint Security for Windows"
        );
        assert_eq!(
            app("Ubuntu 22.04.4 LTS"),
            "Kaspersky Endpoint Security for Linux"
        );
        assert_eq!(
            app("macOS 14 Sonoma"),
            "Kaspersky Endpoint Security for Mac"
        );
        assert_eq!(
            join_os("Microsoft Windows 11 Pro", "23H2"),
            "Microsoft Windows 11 Pro 23H2"
        );
        assert_eq!(join_os("", "23H2"), "");
    }
}
