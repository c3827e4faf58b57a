//! Steps for assets that did a job for others: a mail gateway, a mail server's mail scanning,
//! a web proxy's ICAP scanning, a firewall, and virtualization security (the agentless SVM
//! and the Light Agent). The successor takes over the job before the flagged product goes.

use super::flagged::Family;
use super::sources as src;
use super::{Step, Subject, sample};
use crate::catalog::{self, Capability, Support};
use crate::model::{AssetKind, RelationKind};

/// The job the flagged product did for others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    /// A mail gateway (KSMG) in front of the mail servers.
    MailGateway,
    /// Mail scanning on the mail server itself (Security for Exchange, Linux Mail Server).
    MailServer,
    /// ICAP scanning for a web proxy (KWTS).
    WebGateway,
    /// A firewall with the Kaspersky engine (Kaspersky NGFW).
    Firewall,
    /// The agentless SVM that scans the VMs of its host cluster.
    Svm,
    /// The Light Agent inside a VM (with the SVM of its host).
    LightAgent,
}

impl Function {
    /// The job the flagged products on an asset did, if any.
    pub fn of(s: &Subject) -> Option<Function> {
        let f = &s.flagged;
        Some(if f.has(Family::Svm) {
            Function::Svm
        } else if f.has(Family::LightAgent) {
            Function::LightAgent
        } else if f.has(Family::MailGateway)
            || (f.has(Family::MailServer) && s.asset.kind == AssetKind::MailGateway)
        {
            Function::MailGateway
        } else if f.has(Family::MailServer) {
            Function::MailServer
        } else if f.has(Family::WebGateway) {
            Function::WebGateway
        } else if f.has(Family::Firewall) {
            Function::Firewall
        } else {
            return None;
        })
    }

    /// The capability the successor needs for the job.
    fn capability(self) -> Capability {
        match self {
            Function::MailGateway | Function::MailServer => Capability::Mail,
            Function::WebGateway | Function::Firewall => Capability::Gateway,
            Function::Svm | Function::LightAgent => Capability::Virtualization,
        }
    }

    /// The flagged products that do the job.
    fn families(self) -> &'static [Family] {
        match self {
            Function::MailGateway | Function::MailServer => {
                &[Family::MailGateway, Family::MailServer]
            }
            Function::WebGateway => &[Family::WebGateway],
            Function::Firewall => &[Family::Firewall],
            Function::Svm => &[Family::Svm],
            Function::LightAgent => &[Family::LightAgent],
        }
    }

    /// True when the whole machine goes with the flagged product (an appliance of its own).
    pub fn retires_the_machine(self, s: &Subject) -> bool {
        match self {
            Function::Svm => true,
            Function::MailGateway | Function::Firewall => s.beside,
            _ => false,
        }
    }
}

fn doer(s: &Subject, f: Function) -> String {
    let names = s.flagged.joined(|x| f.families().contains(&x));
    if names.is_empty() {
        s.flagged.joined(|_| true)
    } else {
        names
    }
}

/// The install action when the successor does the job from a machine of its own.
pub fn install_action(s: &Subject, f: Function) -> String {
    let (id, name, old) = (&s.asset.id, &s.name, doer(s, f));
    match f {
        Function::Svm => format!(
            "Set up {name} for the host cluster(s) that {id} protects; {old} keeps scanning \
             until {name} covers every VM."
        ),
        Function::LightAgent => format!(
            "Set up {name} for the host cluster of this VM; the Light Agent keeps protecting it \
             until {name} does."
        ),
        _ if s.beside => format!(
            "Set up {name} on a machine of its own (it works beside {id}); {old} keeps running \
             meanwhile."
        ),
        _ => format!("Install {name} next to {old} (passive or coexisting mode)."),
    }
}

/// The verify action for the job.
pub fn verify_action(s: &Subject, f: Function) -> Option<String> {
    let name = &s.name;
    Some(match f {
        Function::MailGateway | Function::MailServer => format!(
            "Verify {name}: current signatures, check-in at its console, and a test: a normal \
             test mail passes it, an EICAR test mail is stopped."
        ),
        Function::WebGateway => format!(
            "Verify {name}: current signatures, check-in at its console, and an ICAP test from \
             the proxy host (the EICAR test file is blocked, a clean file passes)."
        ),
        _ => return None,
    })
}

/// The step that moves the job to the successor: re-point MX / relay, re-point ICAP, replace
/// the SVM per host cluster.
pub fn switch_over(s: &Subject, f: Function) -> Step {
    let (id, name, old) = (&s.asset.id, &s.name, doer(s, f));
    let mut step = Step::new("switch-over", String::new());
    match f {
        Function::MailGateway => {
            step.action = format!(
                "Switch the mail flow to {name}: point the MX records (inbound) and the smart \
                 host / send connectors of the mail servers behind {id} (outbound) at the new \
                 gateway; {old} keeps running until mail flows through {name}."
            );
            let servers = s.dependents(&[RelationKind::MailVia]);
            if !servers.is_empty() {
                step.note(format!(
                    "Systems that send mail through {id}: {}.",
                    sample(&servers, 8)
                ));
            }
            step.note(
                "Lower the MX records' TTL a day ahead, so the change takes effect quickly and \
                 can be undone.",
            );
            step.sourced(
                "Test mail flow in both directions: a normal test mail arrives, an EICAR test \
                 mail is stopped, and the new gateway's log shows both (a central mail gateway \
                 scans inbound and outbound mail).",
                &[src::BSI_MAIL_GATEWAY],
            );
        }
        Function::MailServer if s.beside => {
            step.action = format!(
                "Route the mail of {id} through {name}: point the MX records and the send \
                 connectors' smart host at the new gateway, then turn off the scanning of {old}."
            );
            step.sourced(
                "Test mail flow in both directions: a normal test mail arrives, an EICAR test \
                 mail is stopped.",
                &[src::BSI_MAIL_GATEWAY],
            );
        }
        Function::MailServer => {
            step.action = format!(
                "Switch the mail scanning on {id} to {name}: once it stops an EICAR test mail, \
                 turn off the scanning of {old}."
            );
            step.note(
                "Test mail flow in both directions (inbound, outbound, internal) after the \
                 switch.",
            );
        }
        Function::WebGateway => {
            let squid = s
                .asset
                .software
                .iter()
                .any(|sw| sw.name.eq_ignore_ascii_case("squid"));
            let how = if squid {
                " (Squid: the icap_service lines in squid.conf, then squid -k reconfigure)"
            } else {
                ""
            };
            step.action = format!(
                "Re-point the proxy's ICAP service from {old} to {name}{how}; {old} keeps \
                 running until the proxy sends its traffic to {name}."
            );
            step.sourced(
                "Test through the proxy: the EICAR test file is blocked over HTTP (and HTTPS \
                 where the proxy inspects TLS), normal pages load.",
                &[src::KWTS_ICAP, src::KWTS_SQUID],
            );
            let clients = s.dependents(&[RelationKind::ProxiedBy]);
            if !clients.is_empty() {
                step.note(format!(
                    "{} systems browse through this proxy (e.g. {}): tell their owners about \
                     the change window.",
                    clients.len(),
                    sample(&clients, 5)
                ));
            }
        }
        Function::Firewall => {
            step.action = format!(
                "Move the traffic scanning from {old} to {name} (or replace the firewall), then \
                 test that the networks behind it still work and the EICAR test file is \
                 blocked."
            );
        }
        Function::Svm => {
            let (hosts, vms) = scanned(s);
            let hosts = if hosts.is_empty() {
                "its hosts".to_string()
            } else {
                sample(&hosts, 8)
            };
            step.action = format!(
                "Replace {id} host cluster by host cluster: deploy {name} for {hosts}, check that \
                 every VM there is protected by {name}, then take {id} out of the cluster."
            );
            if !vms.is_empty() {
                step.note(format!(
                    "VMs that {id} scans ({}): {}. Each keeps {id}'s protection until {name} \
                     covers it; a VM {name} does not cover needs an agent of its own first.",
                    vms.len(),
                    sample(&vms, 8)
                ));
            }
            step.sourced(
                format!(
                    "One cluster at a time, with DRS / vMotion in mind: a VM moved to a host \
                     {name} does not cover yet is unprotected. {old} is managed through \
                     Security Center and klconfig on the SVM."
                ),
                &[src::KSV_AGENTLESS, src::KSV_SVM],
            );
        }
        Function::LightAgent => {
            step.action = format!(
                "Check that {name} protects this VM (its console shows it), then remove the \
                 Light Agent; the SVM of the host cluster goes after its last VM."
            );
            step.sources.push(src::KSV_LIGHT_AGENT.into());
        }
    }
    step
}

/// When the flagged product may go, for the remove step.
pub fn removal_note(s: &Subject, f: Function, step: &mut Step) {
    let (id, name) = (&s.asset.id, &s.name);
    let text = match f {
        Function::MailGateway if s.beside => format!(
            "Only when no mail passes {id} any more (its log stays empty for a day): then shut \
             the appliance down and take it out of the MX records and firewall rules."
        ),
        Function::MailGateway | Function::MailServer => {
            format!("Only when mail has been flowing through {name} without problems.")
        }
        Function::WebGateway => {
            "Only when the proxy no longer sends traffic to the old ICAP service.".to_string()
        }
        Function::Firewall => "Only when no traffic passes the old engine.".to_string(),
        Function::Svm => format!(
            "Only when every VM of the cluster is protected by {name}: then remove the SVM \
             appliances of this cluster."
        ),
        Function::LightAgent => return,
    };
    step.note(text);
}

/// The confirm action for the job.
pub fn confirm_action(s: &Subject, f: Function) -> Option<String> {
    let (id, name, old) = (&s.asset.id, &s.name, doer(s, f));
    Some(match f {
        Function::MailGateway => format!(
            "Confirm that mail flows only through {name} (MX records and smart hosts point at \
             it, its log shows both directions) and that nothing of {old} is left on {id}."
        ),
        Function::WebGateway => format!(
            "Confirm that the proxy scans through {name} (its ICAP log shows requests) and that \
             nothing of {old} is left."
        ),
        Function::Svm => format!(
            "Confirm that {name}'s console shows every VM of the cluster protected and that no \
             Kaspersky SVM is left."
        ),
        _ => return None,
    })
}

/// The vendor-approval option for a job without a successor: the products that may do it, to
/// confirm with their vendors.
pub fn vendor_option(s: &Subject, f: Function, step: &mut Step) {
    let cap = f.capability();
    let role = cap.role();
    let candidates: Vec<String> =
        catalog::candidates(s.ctx.catalog, s.asset, &s.needs, s.ctx.today)
            .into_iter()
            .filter(|v| v.support == Support::Unverified)
            .filter_map(|v| s.ctx.catalog.product(&v.product))
            .filter(|p| role.is_some_and(|r| p.role(r).is_some_and(|fact| !fact.file_level)))
            .map(|p| p.name.clone())
            .take(4)
            .collect();
    let what = cap.describe();
    if candidates.is_empty() {
        step.note(format!(
            "vendor-approval: a product whose vendor confirms it does {what} here; the \
             catalogue knows none yet: add it, then set it as the product."
        ));
    } else {
        step.note(format!(
            "vendor-approval: a product whose vendor confirms it does {what} here, then set as \
             the product; may do it, but no vendor document confirms it yet: {}.",
            candidates.join(", ")
        ));
    }
}

/// What relies on the job while it has no successor.
pub fn keep_running_note(s: &Subject, f: Function, step: &mut Step) {
    let (id, old) = (&s.asset.id, doer(s, f));
    let relying = match f {
        Function::MailGateway => s.dependents(&[RelationKind::MailVia]),
        Function::WebGateway => s.dependents(&[RelationKind::ProxiedBy]),
        Function::Svm => {
            let (hosts, vms) = scanned(s);
            hosts.into_iter().chain(vms).collect()
        }
        _ => Vec::new(),
    };
    let what = if relying.is_empty() {
        String::new()
    } else {
        format!(
            " ({} rely on it, e.g. {})",
            relying.len(),
            sample(&relying, 5)
        )
    };
    step.note(format!(
        "Keep {old} on {id} running until its job has a successor{what}: removing it now \
         leaves them without that protection."
    ));
}

/// The hosts and the VMs that an SVM scans (`scanned-by` it), by id.
fn scanned(s: &Subject) -> (Vec<String>, Vec<String>) {
    let assets = s.ctx.inventory.assets();
    let mut hosts = Vec::new();
    let mut vms = Vec::new();
    for e in s.ctx.analysis.graph.dependents(s.i) {
        if e.kind != RelationKind::ScannedBy {
            continue;
        }
        let a = &assets[e.asset as usize];
        if a.kind == AssetKind::Hypervisor {
            hosts.push(a.id.to_string());
        } else {
            vms.push(a.id.to_string());
        }
    }
    hosts.sort();
    vms.sort();
    (hosts, vms)
}
