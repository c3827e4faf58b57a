//! The flagged products on an asset, by product family: what is removed how, and which of
//! them have an uninstall password.

use super::Step;
use super::sources as src;
use crate::model::{Asset, OsFamily};
use crate::plan::context::PlanContext;
use crate::rules::Role;

/// A family of flagged products that is removed in its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    /// Kaspersky Endpoint Security (Windows, Linux, macOS).
    Kes,
    /// Kaspersky Endpoint Agent (EDR add-on).
    Kea,
    /// Kaspersky Security for Windows Server.
    Ksws,
    /// Kaspersky Embedded Systems Security.
    Kess,
    /// Kaspersky Industrial CyberSecurity (nodes or networks).
    Kics,
    /// The Security Center Network Agent.
    NetworkAgent,
    /// The Security Center Administration Server or Web Console.
    AdminServer,
    /// Home and small-office products (Anti-Virus, Internet / Total Security, Standard …).
    Consumer,
    /// KES for Android / iOS.
    Mobile,
    /// Kaspersky Security for Exchange, or for a Linux mail server.
    MailServer,
    /// Kaspersky Secure Mail Gateway.
    MailGateway,
    /// Kaspersky Web Traffic Security and other proxy / ICAP products.
    WebGateway,
    /// Kaspersky NGFW.
    Firewall,
    /// The agentless Security for Virtualization SVM.
    Svm,
    /// The Security for Virtualization Light Agent.
    LightAgent,
    /// The Kaspersky engine inside another vendor's product.
    Oem,
    /// Anything else (SharePoint, legacy file server, unclassified Kaspersky software).
    Other,
}

/// One flagged product found on the asset.
#[derive(Debug, Clone)]
pub struct Found {
    /// The product name of the rule ("Kaspersky Endpoint Security (Windows / Linux / Mac)").
    pub product: String,
    /// The installed software entry that matched ("kesl", "Kaspersky Total Security").
    pub software: String,
    /// The family.
    pub family: Family,
}

/// Every flagged product on one asset.
#[derive(Debug, Clone, Default)]
pub struct Flagged {
    /// In finding order, one entry per matched software entry.
    pub found: Vec<Found>,
}

impl Flagged {
    /// The flagged products of asset `i`.
    pub fn of(ctx: &PlanContext, i: usize) -> Flagged {
        let asset = &ctx.inventory.assets()[i];
        let mobile = matches!(asset.os.family, OsFamily::Android | OsFamily::Ios);
        let found = ctx.analysis.findings[i]
            .iter()
            .map(|f| {
                let rule = &ctx.rules.rules()[usize::from(f.rule)];
                let mut family = family_of(&rule.id, rule.role);
                if mobile && family == Family::Kes {
                    family = Family::Mobile;
                }
                Found {
                    product: rule.product.clone(),
                    software: asset
                        .software
                        .get(f.software as usize)
                        .map(|s| s.name.to_string())
                        .unwrap_or_else(|| asset.os.raw.to_string()),
                    family,
                }
            })
            .collect();
        Flagged { found }
    }

    /// The products whose family `keep` selects.
    pub fn filtered(&self, keep: impl Fn(Family) -> bool) -> Flagged {
        Flagged {
            found: self
                .found
                .iter()
                .filter(|f| keep(f.family))
                .cloned()
                .collect(),
        }
    }

    /// True when a product of `family` was found.
    pub fn has(&self, family: Family) -> bool {
        self.found.iter().any(|f| f.family == family)
    }

    /// True when every flagged product belongs to one of `families`.
    pub fn only(&self, families: &[Family]) -> bool {
        !self.found.is_empty() && self.found.iter().all(|f| families.contains(&f.family))
    }

    /// Product names (unique, in finding order) of the families `keep` selects.
    pub fn names(&self, keep: impl Fn(Family) -> bool) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for f in self.found.iter().filter(|f| keep(f.family)) {
            if !out.contains(&f.product) {
                out.push(f.product.clone());
            }
        }
        out
    }

    /// The names joined for sentences: "A, B and C".
    pub fn joined(&self, keep: impl Fn(Family) -> bool) -> String {
        join_and(&self.names(keep))
    }

    /// The matched software entries of the families `keep` selects (e.g. Linux packages), the
    /// Network Agent last.
    pub fn software(&self, keep: impl Fn(Family) -> bool) -> Vec<String> {
        let mut out: Vec<&Found> = self.found.iter().filter(|f| keep(f.family)).collect();
        out.sort_by_key(|f| f.family == Family::NetworkAgent);
        let mut names: Vec<String> = Vec::new();
        for f in out {
            if !names.contains(&f.software) {
                names.push(f.software.clone());
            }
        }
        names
    }
}

/// The family of a rule: by the built-in rule ids, else by the rule's role.
pub fn family_of(rule_id: &str, role: Role) -> Family {
    match rule_id {
        "kes" => Family::Kes,
        "kea" => Family::Kea,
        "kess" => Family::Kess,
        "ksws" => Family::Ksws,
        "kics-nodes" | "kics-networks" => Family::Kics,
        "ksc-network-agent" => Family::NetworkAgent,
        "ksc-admin-server" | "ksc-web-console" => Family::AdminServer,
        "kes-mobile" => Family::Mobile,
        "ks-exchange" | "klms" => Family::MailServer,
        "ksmg" => Family::MailGateway,
        "kwts" | "kaspersky-gateway-legacy" => Family::WebGateway,
        "kaspersky-ngfw" => Family::Firewall,
        "ksv-agentless" | "ksv" => Family::Svm,
        "ksv-light-agent" => Family::LightAgent,
        "kfl" => Family::Consumer,
        id if id.starts_with("consumer-") => Family::Consumer,
        _ => match role {
            Role::ManagementServer => Family::AdminServer,
            Role::ManagementAgent => Family::NetworkAgent,
            Role::Mail => Family::MailServer,
            Role::Gateway => Family::WebGateway,
            Role::Virtualization => Family::Svm,
            Role::Ot => Family::Kics,
            Role::Consumer => Family::Consumer,
            Role::OemEngine => Family::Oem,
            Role::Endpoint
            | Role::ServerProtection
            | Role::Storage
            | Role::EdrServer
            | Role::Siem
            | Role::KasperskyosDevice
            | Role::Leftover => Family::Other,
        },
    }
}

/// "A", "A and B", "A, B and C".
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Uninstall-password notes, only for the products that have one: KES on Windows (KLLOGIN /
/// KLPASSWD), KSWS, Kaspersky Endpoint Agent, and the Network Agent. Home products and the
/// phone apps get none.
pub fn password_notes(flagged: &Flagged, asset: &Asset, step: &mut Step) {
    let windows = asset.os.family.is_windows();
    if windows && flagged.has(Family::Kes) {
        step.sourced(
            "KES uninstall password: capture it before Security Center is decommissioned; \
             msiexec /x {ProductCode} KLLOGIN=<user> KLPASSWD=<password> /qn (default user \
             KLAdmin), or the Security Center task, which knows it.",
            &[src::KES_UNINSTALL, src::KES_SETUP_REMOVE],
        );
    }
    if flagged.has(Family::Ksws) {
        step.sourced(
            "KSWS asks for its password to uninstall when password protection is on, and a lost \
             password makes the uninstall impossible: take it from the Security Center policy \
             first.",
            &[src::KSWS_PASSWORD],
        );
    }
    if flagged.has(Family::Kea) {
        step.sourced(
            "Kaspersky Endpoint Agent needs its password to uninstall, also remotely through \
             Security Center; it is stored only as a checksum, so record it first.",
            &[src::KEA_PASSWORD],
        );
    }
    if flagged.has(Family::NetworkAgent) {
        step.sourced(
            "Network Agent uninstall password (NGT_UNINSTALL_PASSWORD in the agent's \
             installation settings): export it from Security Center before it is \
             decommissioned.",
            &[src::NAGENT_PASSWORD],
        );
    }
}

/// How the flagged products leave this asset, by family and platform (without passwords).
pub fn removal_notes(flagged: &Flagged, asset: &Asset, managed: bool, step: &mut Step) {
    if flagged.has(Family::Consumer) {
        consumer_removal(flagged, asset, step);
        if flagged.only(&[Family::Consumer]) {
            return;
        }
    }
    if flagged.has(Family::Mobile) {
        step.sourced(
            "Mobile: remove the Kaspersky app through the device management (MDM) or the \
             Security Center mobile policy that installed it, after the successor reports in; \
             the MDM's app inventory shows when it is gone. No uninstall password applies.",
            &[src::KES_MOBILE],
        );
        return;
    }
    let others = |f: Family| f != Family::Consumer;
    match asset.os.family {
        OsFamily::Linux => {
            let packages = flagged.software(others).join(", ");
            step.sourced(
                format!(
                    "Linux: as root remove the packages ({packages}) with rpm -e or apt remove, \
                     the product before the Network Agent (klnagent64 last); nothing may remain \
                     under /opt/kaspersky, /var/opt/kaspersky or /etc/opt/kaspersky."
                ),
                &[src::KESL_PACKAGES, src::NAGENT_LINUX],
            );
        }
        OsFamily::Macos => {
            let agent = if flagged.has(Family::NetworkAgent) {
                ", then klnagent/Binaries/UninstallScript for the Network Agent"
            } else {
                ""
            };
            step.sourced(
                format!(
                    "macOS: run /Library/Application Support/Kaspersky Lab/KAV/Binaries/\
                     UninstallScript{agent}."
                ),
                &[src::MAC_UNINSTALL],
            );
        }
        f if f.is_windows() => {
            if managed {
                step.sourced(
                    "Uninstall with the Security Center task \"Uninstall application remotely\" \
                     while Security Center still runs, or locally with msiexec /x \
                     {ProductCode}; kavremover only as a last resort; reboot.",
                    &[
                        src::KSC_REMOTE_UNINSTALL,
                        src::KES_UNINSTALL,
                        src::KAVREMOVER,
                    ],
                );
            } else {
                step.sourced(
                    "Not managed by Security Center: uninstall locally (Settings › Apps or \
                     msiexec /x {ProductCode}); kavremover only as a last resort; reboot.",
                    &[src::KAVREMOVER],
                );
            }
        }
        _ => step.note("Remove it the way the system's maker documents for installed software."),
    }
    if flagged.has(Family::Oem) {
        step.note(
            "Embedded Kaspersky engine: switch the appliance to another engine or replace the \
             appliance, and document it.",
        );
    }
}

/// BSI's order for home products: other protection first, then the product and its browser
/// extensions. No Security Center task and no KES password apply.
fn consumer_removal(flagged: &Flagged, asset: &Asset, step: &mut Step) {
    let names = flagged.joined(|f| f == Family::Consumer);
    let how = match asset.os.family {
        OsFamily::Linux => "remove the kfl package as root".to_string(),
        OsFamily::Macos => "uninstall it with its own uninstaller".to_string(),
        f if f.is_windows() => "uninstall it in Settings › Apps (Control Panel › Programs on \
                                older Windows)"
            .to_string(),
        _ => "uninstall it".to_string(),
    };
    step.sourced(
        format!(
            "{names} is a home product installed on the device itself: {how}, then remove the \
             Kaspersky extensions from every browser and profile, and reboot. No Security Center \
             task and no KES password (KLLOGIN) apply; kavremover only if the uninstall fails."
        ),
        &[src::BSI_CONSUMER, src::KAVREMOVER],
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_follow_rule_ids_then_roles() {
        assert_eq!(family_of("kes", Role::Endpoint), Family::Kes);
        assert_eq!(
            family_of("consumer-total-security", Role::Consumer),
            Family::Consumer
        );
        assert_eq!(family_of("ksmg", Role::Mail), Family::MailGateway);
        assert_eq!(family_of("ks-exchange", Role::Mail), Family::MailServer);
        assert_eq!(family_of("kwts", Role::Gateway), Family::WebGateway);
        assert_eq!(
            family_of("ksv-agentless", Role::Virtualization),
            Family::Svm
        );
        assert_eq!(family_of("my-own-rule", Role::Virtualization), Family::Svm);
        assert_eq!(
            family_of("my-own-rule", Role::ManagementAgent),
            Family::NetworkAgent
        );
        assert_eq!(family_of("kaspersky-other", Role::Endpoint), Family::Other);
    }

    #[test]
    fn lists_read_like_sentences() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(join_and(&v(&[])), "");
        assert_eq!(join_and(&v(&["a"])), "a");
        assert_eq!(join_and(&v(&["a", "b", "c"])), "a, b and c");
        let f = Flagged {
            found: vec![
                Found {
                    product: "Network Agent".into(),
                    software: "klnagent64".into(),
                    family: Family::NetworkAgent,
                },
                Found {
                    product: "KESL".into(),
                    software: "kesl".into(),
                    family: Family::Kes,
                },
            ],
        };
        assert_eq!(f.software(|_| true), v(&["kesl", "klnagent64"]));
        assert!(!f.only(&[Family::Consumer]));
        assert!(!Flagged::default().only(&[Family::Consumer]));
    }
}
