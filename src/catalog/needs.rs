//! What a replacement must be able to do for an asset, and the sentence for when nothing can.

use super::Capability;
use crate::model::{Asset, AssetKind, Os, OsFamily, normalise_key};
use strum::VariantArray;

/// What a replacement for this asset must be able to do.
///
/// - From its kind: workstation/laptop → endpoint, server → server, hypervisor →
///   virtualization, mail-gateway → mail, firewall/proxy → gateway, storage → file-server,
///   mobile → mobile, ot → ot; vm/appliance/other → from the OS (Windows Server and Linux →
///   server, other desktops → endpoint, Android/iOS → mobile, ESXi → virtualization).
/// - From its tags: `air-gapped`, `vdi`, `sharepoint`, `file-server`/`nas`, `ot`/`ics`/`scada`.
///   (`exchange` asks for nothing more: an Exchange server whose Kaspersky product protected
///   only its files needs server protection with Microsoft's Exchange exclusions, a migration
///   note; mail scanning is needed where a flagged mail product did it.)
/// - From the roles of the flagged products found on it: `mail`, `gateway`,
///   `virtualization`, `ot`, `server-protection` (server), `mobile`, `file-server`,
///   `storage` (file-server), `sharepoint`, `vdi`; `endpoint`, `consumer`, `oem-engine`,
///   `management-server`, `management-agent`, `edr-server`, `siem`, `kasperskyos-device` and
///   `leftover` add nothing beyond the platform.
/// - Function first: when the flagged products did a function for others (mail scanning, web /
///   ICAP scanning, agentless or light-agent virtualization security) and none of them
///   protected the host itself (endpoint, server-protection, consumer), the successor must do
///   that function, and the endpoint / server protection the kind or OS would ask for is not
///   required of it (KSMG, KWTS or an agentless SVM is replaced by a gateway or a
///   virtualization product, never by file-level antivirus).
///
/// Never empty: an asset that gives no hint needs endpoint protection. Sorted, no duplicates.
pub fn needs_for(asset: &Asset, flagged_roles: &[&str]) -> Vec<Capability> {
    let mut mask = 0u16;
    if let Some(c) = kind_need(asset.kind, &asset.os) {
        mask |= c.bit();
    }
    for c in flagged_roles.iter().filter_map(|r| role_need(r)) {
        mask |= c.bit();
    }
    for c in asset.tags().filter_map(|t| tag_need(t)) {
        mask |= c.bit();
    }
    if does_a_function(flagged_roles) {
        mask &= !(Capability::Endpoint.bit() | Capability::Server.bit());
    }
    if mask & !Capability::AirGapped.bit() == 0 {
        mask |= platform_need(&asset.os)
            .unwrap_or(Capability::Endpoint)
            .bit();
    }
    from_mask(mask)
}

/// True when the flagged products did a function for others (mail, gateway, virtualization)
/// and none of them protected the host itself.
pub(crate) fn does_a_function(flagged_roles: &[&str]) -> bool {
    let key = |r: &&str| normalise_key(r);
    let function = flagged_roles.iter().any(|r| {
        matches!(
            key(r).as_str(),
            "mail" | "gateway" | "virtualization" | "virtualisation" | "storage"
        )
    });
    let host = flagged_roles.iter().any(|r| {
        matches!(
            key(r).as_str(),
            "endpoint" | "serverprotection" | "consumer"
        )
    });
    function && !host
}

fn from_mask(mask: u16) -> Vec<Capability> {
    Capability::VARIANTS
        .iter()
        .copied()
        .filter(|c| mask & c.bit() != 0)
        .collect()
}

fn platform_need(os: &Os) -> Option<Capability> {
    match os.family {
        OsFamily::WindowsServer | OsFamily::Linux => Some(Capability::Server),
        OsFamily::WindowsClient | OsFamily::WindowsEmbedded | OsFamily::Macos => {
            Some(Capability::Endpoint)
        }
        OsFamily::Android | OsFamily::Ios => Some(Capability::Mobile),
        OsFamily::Esxi => Some(Capability::Virtualization),
        OsFamily::Embedded | OsFamily::Unknown => None,
    }
}

fn kind_need(kind: AssetKind, os: &Os) -> Option<Capability> {
    match kind {
        AssetKind::Workstation | AssetKind::Laptop => Some(Capability::Endpoint),
        AssetKind::Server => Some(Capability::Server),
        AssetKind::Hypervisor => Some(Capability::Virtualization),
        AssetKind::MailGateway => Some(Capability::Mail),
        AssetKind::Firewall | AssetKind::Proxy => Some(Capability::Gateway),
        AssetKind::Storage => Some(Capability::FileServer),
        AssetKind::Mobile => Some(Capability::Mobile),
        AssetKind::Ot => Some(Capability::Ot),
        AssetKind::Vm | AssetKind::Appliance | AssetKind::Other => platform_need(os),
        // Logical CIs are no machines: the plan gives them no agent (see `steps_for`).
        AssetKind::Application | AssetKind::Service => None,
    }
}

fn role_need(role: &str) -> Option<Capability> {
    Some(match normalise_key(role).as_str() {
        "mail" => Capability::Mail,
        "gateway" => Capability::Gateway,
        "virtualization" | "virtualisation" => Capability::Virtualization,
        "ot" => Capability::Ot,
        "serverprotection" => Capability::Server,
        "mobile" => Capability::Mobile,
        "fileserver" | "storage" => Capability::FileServer,
        "sharepoint" => Capability::SharePoint,
        "vdi" => Capability::Vdi,
        _ => return None,
    })
}

fn tag_need(tag: &str) -> Option<Capability> {
    Some(match normalise_key(tag).as_str() {
        "airgapped" => Capability::AirGapped,
        "vdi" => Capability::Vdi,
        "sharepoint" => Capability::SharePoint,
        "fileserver" | "nas" => Capability::FileServer,
        "ot" | "ics" | "scada" => Capability::Ot,
        _ => return None,
    })
}

/// One sentence for an asset that no product supports (none Yes or Limited), e.g. "no product
/// in the catalogue supports Windows Embedded 7 with offline updates".
pub fn explain_none(asset: &Asset, needs: &[Capability]) -> String {
    let os = &asset.os;
    let what = match os.family {
        OsFamily::Unknown if os.raw.is_empty() => "an unrecorded operating system".to_string(),
        OsFamily::Unknown => format!("\"{}\" (an unrecognised operating system)", os.raw),
        _ => os.label(),
    };
    let roles: Vec<&str> = needs
        .iter()
        .filter(|c| {
            !matches!(
                c,
                Capability::Endpoint
                    | Capability::Server
                    | Capability::Mobile
                    | Capability::AirGapped
            )
        })
        .map(|c| c.describe())
        .collect();
    let platform = needs.iter().any(|c| {
        matches!(
            c,
            Capability::Endpoint | Capability::Server | Capability::Mobile
        )
    });
    let appliance = matches!(
        asset.kind,
        AssetKind::Appliance
            | AssetKind::MailGateway
            | AssetKind::Proxy
            | AssetKind::Firewall
            | AssetKind::Storage
    );
    // An appliance doing a job: its successor works beside it, so its own OS is beside the point.
    if appliance && !platform && !roles.is_empty() {
        let mut s = format!(
            "no product in the catalogue is confirmed for {}",
            join_and(&roles)
        );
        if needs.contains(&Capability::AirGapped) {
            s.push_str(" with offline updates");
        }
        return s;
    }
    let mut s = format!("no product in the catalogue supports {what}");
    if !roles.is_empty() {
        s.push_str(" for ");
        s.push_str(&join_and(&roles));
    }
    if needs.contains(&Capability::AirGapped) {
        s.push_str(" with offline updates");
    }
    s
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asset(os: &str, kind: AssetKind, tags: &[&str]) -> Asset {
        let mut a = Asset::new("a");
        a.os = Os::parse(os);
        a.kind = kind;
        a.set_tags(tags.iter().map(|&t| t.into()));
        a
    }

    #[test]
    fn a_function_replaces_the_host_need() {
        let exchange = asset("Windows Server 2016", AssetKind::Server, &["exchange"]);
        // Kaspersky Security for Exchange scanned mail: the successor must scan mail.
        assert_eq!(
            needs_for(&exchange, &["mail", "management-agent"]),
            vec![Capability::Mail]
        );
        // KSWS protected the Exchange server's files: server protection, no mail scanning.
        assert_eq!(
            needs_for(&exchange, &["server-protection", "management-agent"]),
            vec![Capability::Server]
        );
        // Both: both are needed.
        assert_eq!(
            needs_for(&exchange, &["server-protection", "mail"]),
            vec![Capability::Server, Capability::Mail]
        );
        let svm = asset("Linux (KSV Agentless SVM)", AssetKind::Appliance, &[]);
        assert_eq!(
            needs_for(&svm, &["virtualization"]),
            vec![Capability::Virtualization]
        );
        let proxy = asset("Red Hat Enterprise Linux 8.6", AssetKind::Server, &[]);
        assert_eq!(
            needs_for(&proxy, &["gateway", "management-agent"]),
            vec![Capability::Gateway]
        );
        let gw = asset("CentOS Linux 7.9", AssetKind::MailGateway, &["air-gapped"]);
        assert_eq!(
            needs_for(&gw, &["mail"]),
            vec![Capability::Mail, Capability::AirGapped]
        );
    }

    #[test]
    fn an_appliance_doing_a_job_is_explained_without_its_os() {
        let svm = asset("Linux (KSV Agentless SVM)", AssetKind::Appliance, &[]);
        let needs = needs_for(&svm, &["virtualization"]);
        assert_eq!(
            explain_none(&svm, &needs),
            "no product in the catalogue is confirmed for hypervisor protection"
        );
        let exchange = asset("Windows Server 2022", AssetKind::Server, &[]);
        let needs = needs_for(&exchange, &["mail"]);
        assert_eq!(
            explain_none(&exchange, &needs),
            "no product in the catalogue supports Windows Server 2022 for Exchange / mail protection"
        );
    }

    #[test]
    fn the_new_product_families_ask_for_the_right_thing() {
        let server = asset("Windows Server 2019", AssetKind::Server, &[]);
        // Security for Storage scans a NAS for others: file-server scanning, no agent.
        assert_eq!(
            needs_for(&server, &["storage", "management-agent"]),
            vec![Capability::FileServer]
        );
        // KATA / KEDR Expert, KUMA: the server itself needs server protection, no endpoint
        // agent and no gateway.
        for role in ["edr-server", "siem"] {
            assert_eq!(
                needs_for(&server, &[role]),
                vec![Capability::Server],
                "{role}"
            );
        }
        // A leftover asks for nothing beyond the platform.
        let ws = asset("Windows 10 22H2", AssetKind::Workstation, &[]);
        assert_eq!(
            needs_for(&ws, &["leftover", "management-agent"]),
            vec![Capability::Endpoint]
        );
    }

    #[test]
    fn the_function_rule_reads_roles_loosely() {
        assert!(does_a_function(&["storage"]));
        assert!(does_a_function(&["Virtualisation"]));
        assert!(does_a_function(&["gateway", "management-agent"]));
        assert!(!does_a_function(&["gateway", "endpoint"]));
        assert!(!does_a_function(&["consumer", "mail"]));
        assert!(!does_a_function(&["oem-engine"]));
        assert!(!does_a_function(&[]));
    }
}
