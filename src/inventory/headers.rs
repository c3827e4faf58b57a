//! CSV header names: English and German aliases, and which kind of CSV a header row describes.

use crate::model::normalise_key;

/// Columns of an asset CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AssetRole {
    Id,
    Hostname,
    Name,
    Os,
    Site,
    Owner,
    Criticality,
    Kind,
    Tags,
    Software,
    DependsOn,
}

#[rustfmt::skip]
const ASSET_ALIASES: &[(AssetRole, &[&str])] = &[
    (AssetRole::Id, &["id", "asset id", "asset", "asset-id"]),
    (AssetRole::Hostname, &[
        "hostname", "host", "host name", "computer", "computername", "computer name",
        "device name", "devicename", "gerätename", "geraetename", "rechnername", "rechner",
        "pscomputername", "node", "servername", "server name",
    ]),
    (AssetRole::Name, &[
        "name", "display name", "fqdn", "dns name", "dnsname", "anzeigename", "dns-name",
    ]),
    (AssetRole::Os, &[
        "os", "operating system", "betriebssystem", "os name", "operating system name",
        "osname", "os description", "os platform", "platform", "plattform",
    ]),
    (AssetRole::Site, &["site", "location", "standort", "ort", "site name", "niederlassung"]),
    (AssetRole::Owner, &[
        "owner", "department", "abteilung", "verantwortlich", "team", "responsible",
        "besitzer", "eigentümer", "zuständig", "owned by",
    ]),
    (AssetRole::Criticality, &[
        "criticality", "kritikalität", "kritikalitaet", "schutzbedarf", "business criticality",
    ]),
    (AssetRole::Kind, &[
        "kind", "type", "typ", "device type", "gerätetyp", "geraetetyp", "category",
        "kategorie", "asset type", "assettyp", "art",
    ]),
    (AssetRole::Tags, &["tags", "labels", "schlagworte", "schlagwörter", "stichworte"]),
    (AssetRole::Software, &[
        "software", "installed software", "installierte software", "applications", "programme",
    ]),
    (AssetRole::DependsOn, &[
        "depends_on", "depends on", "dependencies", "abhängigkeiten", "abhaengigkeiten",
        "depends",
    ]),
];

/// Columns of a software CSV (one installed product per row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SoftwareRole {
    Host,
    Product,
    Version,
    Publisher,
}

#[rustfmt::skip]
const SOFTWARE_ALIASES: &[(SoftwareRole, &[&str])] = &[
    (SoftwareRole::Host, &[
        "asset", "asset id", "host", "hostname", "computer", "computername", "computer name",
        "device", "device name", "devicename", "pscomputername", "gerätename", "geraetename",
        "rechner", "rechnername", "installed on", "system name", "node",
    ]),
    (SoftwareRole::Product, &[
        "name", "display name", "software", "product", "produkt", "software name",
        "product name", "application", "application name", "programm", "programmname",
        "arp display name", "produktname",
    ]),
    (SoftwareRole::Version, &[
        "version", "display version", "product version", "software version",
        "application version", "produktversion",
    ]),
    (SoftwareRole::Publisher, &[
        "publisher", "vendor", "hersteller", "application publisher",
        "software vendor", "software publisher", "anbieter",
    ]),
];

// Not "manufacturer": in real exports (Intune, Snipe-IT, NetBox) it names the hardware maker.

/// Product headers too generic to outweigh asset columns (`name` next to `os` is a host name).
const GENERIC_PRODUCTS: &[&str] = &["name", "display name"];

/// Software-host headers that never name an asset's own id column in an asset file.
const SOFTWARE_ONLY_HOSTS: &[&str] = &["asset", "pscomputername", "installed on"];

/// Columns that only per-software exports have (PowerShell `Get-Package`, `Win32_Product`).
const PACKAGE_ONLY: &[&str] = &[
    "providername",
    "identifyingnumber",
    "packagename",
    "fastpackagereference",
    "canonicalid",
    "swidtagtext",
    "packagecode",
];

/// Columns of a relation CSV (one dependency per row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RelationRole {
    From,
    To,
    Kind,
}

#[rustfmt::skip]
const RELATION_ALIASES: &[(RelationRole, &[&str])] = &[
    (RelationRole::From, &["from", "source", "dependent", "parent", "von", "quelle"]),
    (RelationRole::To, &["to", "target", "provider", "child", "nach", "ziel"]),
    (RelationRole::Kind, &[
        "kind", "type", "relation", "relation kind", "relationship", "typ", "art", "beziehung",
    ]),
];

/// Where the fields of an asset row are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AssetColumns {
    pub id: usize,
    pub name: Option<usize>,
    pub os: Option<usize>,
    pub site: Option<usize>,
    pub owner: Option<usize>,
    pub criticality: Option<usize>,
    pub kind: Option<usize>,
    pub tags: Option<usize>,
    pub software: Option<usize>,
    pub depends_on: Option<usize>,
    /// Security-product columns (anti-virus, EDR …), each with the version column beside it.
    pub security: Vec<(usize, Option<usize>)>,
}

/// Headers of a column that names the security product (anti-virus, EDR …) of the asset.
#[rustfmt::skip]
const SECURITY_ALIASES: &[&str] = &[
    "antivirus", "anti virus", "av", "av produkt", "av product", "av software", "av lösung",
    "antivirus product", "antivirus software", "anti malware", "antimalware", "virus scanner",
    "virenschutz", "virenscanner", "virenschutzprogramm", "virenschutz produkt",
    "virenschutzsoftware", "schutzsoftware", "endpoint protection", "endpoint security",
    "security product", "security software", "sicherheitssoftware", "sicherheitsprodukt",
    "edr", "xdr", "epp", "edr product", "edr produkt", "malware protection",
];

/// Headers of a version column beside a security-product column (besides `<that header>
/// version`).
const SECURITY_VERSIONS: &[&str] = &["version", "ver", "produktversion", "product version"];

/// The security-product columns of a header row, each with its version column: the column to
/// its right named `Version` (or `<security header> Version`), else a column named
/// `<that header> Version`, else one named `<any security header> Version` (`AV-Version`).
fn security_columns(keys: &[String]) -> Vec<(usize, Option<usize>)> {
    let is_security = |k: &str| SECURITY_ALIASES.iter().any(|a| normalise_key(a) == k);
    let is_version_of = |k: &str, of: &str| {
        k.strip_suffix("version")
            .is_some_and(|stem| !stem.is_empty() && (stem == of || is_security(stem)))
    };
    let mut found = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        if !is_security(key) {
            continue;
        }
        let beside = keys.get(i + 1).filter(|k| {
            SECURITY_VERSIONS.iter().any(|a| normalise_key(a) == **k) || is_version_of(k, key)
        });
        let version = match beside {
            Some(_) => Some(i + 1),
            None => keys
                .iter()
                .position(|k| k.strip_suffix("version") == Some(key.as_str()))
                .or_else(|| {
                    // Not the version of another security column of this file.
                    let other = |k: &str| {
                        k.strip_suffix("version")
                            .is_some_and(|stem| keys.iter().any(|o| o != key && o == stem))
                    };
                    keys.iter().position(|k| is_version_of(k, key) && !other(k))
                }),
        };
        found.push((i, version));
    }
    found
}

/// Where the fields of a software row are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SoftwareColumns {
    pub host: usize,
    pub name: usize,
    pub version: Option<usize>,
    pub publisher: Option<usize>,
    /// The host's OS, which long-format exports repeat on every row.
    pub os: Option<usize>,
}

/// Where the fields of a relation row are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RelationColumns {
    pub from: usize,
    pub to: usize,
    pub kind: Option<usize>,
}

/// What a CSV holds, judged from its header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CsvKind {
    Assets(AssetColumns),
    Software(SoftwareColumns),
    Relations(RelationColumns),
}

/// A header name reduced for matching: no BOM, quotes, case, spaces, `_`, `-`, `.` or `/`.
pub(crate) fn normalise_header(header: &str) -> String {
    normalise_key(
        header
            .trim_start_matches('\u{feff}')
            .trim()
            .trim_matches('"'),
    )
}

/// Every column (by position) whose header is an alias of `role`, in file order.
fn columns<R: Copy + PartialEq>(keys: &[String], table: &[(R, &[&str])], role: R) -> Vec<usize> {
    let Some((_, aliases)) = table.iter().find(|(r, _)| *r == role) else {
        return Vec::new();
    };
    keys.iter()
        .enumerate()
        .filter(|(_, k)| aliases.iter().any(|a| normalise_key(a) == **k))
        .map(|(i, _)| i)
        .collect()
}

/// Decides what a CSV holds: relations (from + to columns); software (host + product columns
/// with a version or publisher column, unless the product column is just `name` beside
/// asset-only columns such as os or site); or assets (an id column). The error message lists
/// what was found and what was expected.
pub(crate) fn classify(headers: &[String]) -> Result<CsvKind, String> {
    let keys: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
    let rel = |role| columns(&keys, RELATION_ALIASES, role).first().copied();
    if let (Some(from), Some(to)) = (rel(RelationRole::From), rel(RelationRole::To)) {
        return Ok(CsvKind::Relations(RelationColumns {
            from,
            to,
            kind: rel(RelationRole::Kind),
        }));
    }

    let asset = |role| columns(&keys, ASSET_ALIASES, role);
    let asset_only = [
        AssetRole::Os,
        AssetRole::Site,
        AssetRole::Owner,
        AssetRole::Criticality,
        AssetRole::Kind,
        AssetRole::Tags,
        AssetRole::DependsOn,
    ]
    .into_iter()
    .any(|r| !asset(r).is_empty());
    let sw = |role| columns(&keys, SOFTWARE_ALIASES, role).first().copied();
    if let (Some(host), Some(name)) = (sw(SoftwareRole::Host), sw(SoftwareRole::Product))
        && host != name
    {
        let version = sw(SoftwareRole::Version);
        let publisher = sw(SoftwareRole::Publisher);
        let is = |list: &[&str], col: usize| list.iter().any(|a| normalise_key(a) == keys[col]);
        let specific = !is(GENERIC_PRODUCTS, name);
        let listing = version.is_some() || publisher.is_some() || is(SOFTWARE_ONLY_HOSTS, host);
        if listing && (specific || !asset_only) {
            return Ok(CsvKind::Software(SoftwareColumns {
                host,
                name,
                version,
                publisher,
                os: asset(AssetRole::Os).first().copied(),
            }));
        }
    }

    let (ids, hosts, names) = (
        asset(AssetRole::Id),
        asset(AssetRole::Hostname),
        asset(AssetRole::Name),
    );
    if ids.is_empty() && hosts.is_empty() && sw(SoftwareRole::Host).is_none() && !asset_only {
        let is_package = keys.iter().any(|k| PACKAGE_ONLY.contains(&k.as_str()));
        let listing = sw(SoftwareRole::Version).is_some()
            && (is_package || sw(SoftwareRole::Publisher).is_some());
        if listing && sw(SoftwareRole::Product).is_some() {
            return Err(NO_HOST.to_string());
        }
    }
    // Prefer an explicit id, then a host name, then a display name as the id; the next
    // host-or-display-name column becomes the name.
    let mut candidates = ids.iter().chain(&hosts).chain(&names).copied();
    let Some(id) = candidates.next() else {
        return Err(unknown_message(headers));
    };
    let name = if ids.contains(&id) {
        names.first().or(hosts.first()).copied()
    } else {
        names.iter().copied().find(|&n| n != id)
    };
    let one = |role| asset(role).first().copied();
    Ok(CsvKind::Assets(AssetColumns {
        id,
        name,
        os: one(AssetRole::Os),
        site: one(AssetRole::Site),
        owner: one(AssetRole::Owner),
        criticality: one(AssetRole::Criticality),
        kind: one(AssetRole::Kind),
        tags: one(AssetRole::Tags),
        software: one(AssetRole::Software),
        depends_on: one(AssetRole::DependsOn),
        security: security_columns(&keys)
            .into_iter()
            .filter(|&(c, _)| c != id && Some(c) != name)
            .collect(),
    }))
}

/// How many of `headers` are known column names (of asset, software, relation or
/// security-product columns): how much a row of a sheet looks like an inventory header.
pub(crate) fn known_count(headers: &[String]) -> usize {
    fn listed<R>(table: &[(R, &[&str])], key: &str) -> bool {
        table
            .iter()
            .any(|(_, aliases)| aliases.iter().any(|a| normalise_key(a) == key))
    }
    headers
        .iter()
        .map(|h| normalise_header(h))
        .filter(|k| {
            !k.is_empty()
                && (listed(ASSET_ALIASES, k)
                    || listed(SOFTWARE_ALIASES, k)
                    || listed(RELATION_ALIASES, k)
                    || SECURITY_ALIASES.iter().any(|a| normalise_key(a) == *k))
        })
        .count()
}

/// Why a per-software export without a computer column is refused: its rows are products,
/// and reading each as an asset would invent machines.
const NO_HOST: &str = "this is a per-software export (one installed product per row: name, \
    version, vendor or ProviderName …) without a computer column, so it does not say which \
    machine the software is on; export it with the computer's name, e.g. `Get-Package | \
    Select-Object @{n='PSComputerName';e={$env:COMPUTERNAME}},* | Export-Csv …` (remote \
    Invoke-Command and Get-CimInstance -ComputerName add PSComputerName themselves)";

/// The software columns of an asset CSV whose id repeats (a per-software export in asset
/// shape, such as `wmic product get Name /format:csv` or `Hostname,OS,Name,Version`): the
/// product (a product header other than the id), its version and its publisher.
pub(crate) fn repeated_host_software(
    headers: &[String],
    id: usize,
) -> (Option<usize>, Option<usize>, Option<usize>) {
    let keys: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
    let first = |role| {
        columns(&keys, SOFTWARE_ALIASES, role)
            .into_iter()
            .find(|&c| c != id)
    };
    (
        first(SoftwareRole::Product),
        first(SoftwareRole::Version),
        first(SoftwareRole::Publisher),
    )
}

/// At most this many column names are quoted in a message, each cut to `NAME_SHOWN` characters.
const COLUMNS_SHOWN: usize = 20;
const NAME_SHOWN: usize = 60;

fn unknown_message(headers: &[String]) -> String {
    let excerpt = crate::error::excerpt;
    let shown = headers.iter().take(COLUMNS_SHOWN);
    let mut found: Vec<String> = shown
        .map(|h| format!("\"{}\"", excerpt(h, NAME_SHOWN)))
        .collect();
    if headers.len() > COLUMNS_SHOWN {
        found.push(format!("… ({} columns in all)", headers.len()));
    }
    format!(
        "cannot tell what this CSV holds: found columns {}; expected an asset id column \
         (id, hostname, computer name, device name, Gerätename, name …), or software columns \
         (asset, name, version, publisher), or relation columns (from, to, kind)",
        found.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(headers: &[&str]) -> Result<CsvKind, String> {
        classify(&headers.iter().map(|h| h.to_string()).collect::<Vec<_>>())
    }

    fn software(
        host: usize,
        name: usize,
        version: Option<usize>,
        publisher: Option<usize>,
        os: Option<usize>,
    ) -> CsvKind {
        CsvKind::Software(SoftwareColumns {
            host,
            name,
            version,
            publisher,
            os,
        })
    }

    fn assets(headers: &[&str]) -> AssetColumns {
        match kind(headers) {
            Ok(CsvKind::Assets(c)) => c,
            other => panic!("not assets: {other:?}"),
        }
    }

    #[test]
    fn headers_are_normalised() {
        assert_eq!(
            normalise_header("\u{feff}\"Computer_Name\" "),
            "computername"
        );
        assert_eq!(normalise_header("Device-Name"), "devicename");
        assert_eq!(normalise_header("Gerätename"), "gerätename");
    }

    #[test]
    fn english_and_german_asset_headers() {
        let c = assets(&[
            "Hostname",
            "Operating System",
            "Location",
            "Department",
            "Type",
        ]);
        assert_eq!(
            (c.id, c.name, c.os, c.site, c.owner, c.kind),
            (0, None, Some(1), Some(2), Some(3), Some(4))
        );
        let c = assets(&[
            "Gerätename",
            "Betriebssystem",
            "Standort",
            "Abteilung",
            "Kritikalität",
            "Typ",
        ]);
        assert_eq!(
            (c.id, c.os, c.site, c.owner, c.criticality, c.kind),
            (0, Some(1), Some(2), Some(3), Some(4), Some(5))
        );
        let c = assets(&[
            "id",
            "Name",
            "Tags",
            "Installed Software",
            "Depends On",
            "Schutzbedarf",
        ]);
        assert_eq!(
            (
                c.id,
                c.name,
                c.tags,
                c.software,
                c.depends_on,
                c.criticality
            ),
            (0, Some(1), Some(2), Some(3), Some(4), Some(5))
        );
    }

    #[test]
    fn hostname_beats_name_for_the_id() {
        let c = assets(&["Name", "OS", "Computer Name"]);
        assert_eq!((c.id, c.name), (2, Some(0)));
        let c = assets(&["name", "fqdn", "os"]);
        assert_eq!((c.id, c.name), (0, Some(1)));
        let c = assets(&["Asset ID", "Hostname"]);
        assert_eq!((c.id, c.name), (0, Some(1)));
    }

    #[test]
    fn software_and_relation_files_are_recognised() {
        assert_eq!(
            kind(&["asset", "name", "version", "publisher"]),
            Ok(software(0, 1, Some(2), Some(3), None))
        );
        assert_eq!(
            kind(&[
                "PSComputerName",
                "DisplayName",
                "DisplayVersion",
                "Publisher",
                "InstallDate"
            ]),
            Ok(software(0, 1, Some(2), Some(3), None))
        );
        assert_eq!(
            kind(&["Rechner", "Produkt", "Hersteller"]),
            Ok(software(0, 1, None, Some(2), None))
        );
        assert_eq!(
            kind(&["from", "to", "kind"]),
            Ok(CsvKind::Relations(RelationColumns {
                from: 0,
                to: 1,
                kind: Some(2)
            }))
        );
        assert_eq!(
            kind(&["Source", "Target"]),
            Ok(CsvKind::Relations(RelationColumns {
                from: 0,
                to: 1,
                kind: None
            }))
        );
    }

    #[test]
    fn long_format_software_exports_with_os_columns() {
        let tvm = [
            "DeviceId",
            "DeviceName",
            "OSPlatform",
            "OSVersion",
            "OSArchitecture",
            "SoftwareVendor",
            "SoftwareName",
            "SoftwareVersion",
            "EndOfSupportStatus",
        ];
        assert_eq!(kind(&tvm), Ok(software(1, 6, Some(7), Some(5), Some(2))));
        let intune = [
            "ApplicationKey",
            "ApplicationName",
            "ApplicationPublisher",
            "ApplicationShortVersion",
            "ApplicationVersion",
            "DeviceId",
            "DeviceName",
            "OSDescription",
            "OSVersion",
            "Platform",
        ];
        assert_eq!(kind(&intune), Ok(software(6, 1, Some(4), Some(2), Some(7))));
        assert_eq!(
            kind(&["parent", "type", "child", "connection_strength"]),
            Ok(CsvKind::Relations(RelationColumns {
                from: 0,
                to: 2,
                kind: Some(1)
            }))
        );
    }

    #[test]
    fn asset_files_with_software_like_columns_stay_asset_files() {
        assert_eq!(
            assets(&["hostname", "name", "os", "publisher"]).name,
            Some(1)
        );
        assert_eq!(
            assets(&["Hostname", "Name", "Manufacturer", "Model"]).name,
            Some(1)
        );
        assert_eq!(assets(&["hostname", "software"]).software, Some(1));
        assert_eq!(assets(&["hostname", "name", "os", "version"]).os, Some(2));
        assert_eq!(assets(&["hostname", "name"]).name, Some(1));
    }

    #[test]
    fn security_product_columns_with_and_without_a_version() {
        let c = assets(&["Hostname", "Virenschutz", "Version", "RAM"]);
        assert_eq!(c.security, [(1, Some(2))]);
        let c = assets(&["Rechner", "AV-Produkt", "Betriebssystem", "AV-Version"]);
        assert_eq!(c.security, [(1, Some(3))]);
        let c = assets(&["id", "EDR", "Antivirus", "Antivirus Version", "os"]);
        assert_eq!(c.security, [(1, None), (2, Some(3))]);
        let c = assets(&["hostname", "Endpoint Protection", "Virenscanner-Version"]);
        assert_eq!(c.security, [(1, Some(2))]);
        assert!(assets(&["hostname", "os", "version"]).security.is_empty());
        assert!(assets(&["hostname", "Bemerkung"]).security.is_empty());
    }

    #[test]
    fn unknown_headers_are_listed() {
        let e = kind(&["RAM", "CPU"]).expect_err("unknown");
        assert!(e.contains("found columns \"RAM\", \"CPU\""), "{e}");
        let long = "Ö".repeat(100_000);
        let many: Vec<&str> = std::iter::repeat_n(long.as_str(), 500).collect();
        let e = kind(&many).expect_err("unknown");
        assert!(e.len() < 4000 && e.contains("(500 columns in all)"), "{e}");
        assert!(e.contains("expected an asset id column"), "{e}");
    }
}
