//! What a replacement must be able to do for an asset, and the sentence for when nothing can.

use super::Capability;
use crate::model::{Asset, AssetKind, Os, OsFamily, normalise_key};

/// What a replacement for this asset must be able to do.
///
/// - From its kind: workstation/laptop → endpoint, server → server, hypervisor →
///   virtualization, mail-gateway → mail, firewall/proxy → gateway, storage → file-server,
///   mobile → mobile, ot → ot; vm/appliance/other → from the OS (Windows Server and Linux →
///   server, other desktops → endpoint, Android/iOS → mobile, ESXi → virtualization).
/// - From its tags: `air-gapped`, `vdi`, `exchange` (mail), `sharepoint`, `file-server`/`nas`,
///   `ot`/`ics`/`scada`.
/// - From the roles of the flagged products found on it: `mail`, `gateway`,
///   `virtualization`, `ot`, `server-protection` (server), `mobile`, `file-server`,
///   `sharepoint`, `vdi`; `endpoint`, `consumer`, `oem-engine`, `management-server` and
///   `management-agent` add nothing beyond the platform.
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
    for c in asset.tags.iter().filter_map(|t| tag_need(t)) {
        mask |= c.bit();
    }
    if mask & !Capability::AirGapped.bit() == 0 {
        mask |= platform_need(&asset.os)
            .unwrap_or(Capability::Endpoint)
            .bit();
    }
    from_mask(mask)
}

fn from_mask(mask: u16) -> Vec<Capability> {
    Capability::ALL
        .into_iter()
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
        "fileserver" => Capability::FileServer,
        "sharepoint" => Capability::SharePoint,
        "vdi" => Capability::Vdi,
        _ => return None,
    })
}

fn tag_need(tag: &str) -> Option<Capability> {
    Some(match normalise_key(tag).as_str() {
        "airgapped" => Capability::AirGapped,
        "vdi" => Capability::Vdi,
        "exchange" => Capability::Mail,
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
