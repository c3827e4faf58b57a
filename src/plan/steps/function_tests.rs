//! Unit tests of the steps for assets that do a job for others: a mail gateway, Exchange mail
//! scanning, a web proxy's ICAP service, the agentless SVM.

use super::tests::{all_text, asset, keys, one, plan_steps, step, text, with};
use super::*;
use crate::catalog::Catalog;
use crate::model::AssetKind;

/// The built-in catalogue plus an ICAP scanning server and an agentless virtualization
/// product with verified facts, so that the planner may propose them.
fn catalogue_with_function_products() -> Catalog {
    let user = r#"
[[vendor]]
id = "acme"
name = "ACME"
source = "https://acme.example/about"
verified = true

[[product]]
id = "acme-icap"
vendor = "acme"
name = "ACME ICAP Server"
source = "https://acme.example/icap"
verified = true

[[product.role]]
role = "gateway"
status = "supported"
remote = true
source = "https://acme.example/icap"
verified = true

[[product]]
id = "acme-agentless"
vendor = "acme"
name = "ACME Agentless"
source = "https://acme.example/agentless"
verified = true

[[product.role]]
role = "virtualization"
status = "supported"
remote = true
source = "https://acme.example/agentless"
verified = true
"#;
    Catalog::builtin().combine(Catalog::parse(user, "acme.toml").unwrap())
}

fn ksmg() -> Asset {
    asset(
        "mgw",
        AssetKind::MailGateway,
        "CentOS Linux 7.9",
        &["Kaspersky Secure Mail Gateway", "klnagent64"],
        &["internet-facing"],
    )
}

fn exchange() -> Asset {
    with(
        asset(
            "exch",
            AssetKind::Server,
            "Windows Server 2016 Standard",
            &[
                "Microsoft Exchange Server 2016 Cumulative Update 23",
                "Kaspersky Security 9.0 for Microsoft Exchange Servers",
            ],
            &[],
        ),
        &[("mgw", RelationKind::MailVia)],
    )
}

#[test]
fn the_mail_gateway_is_replaced_by_a_mail_gateway_and_mx_is_re_pointed() {
    let got = plan_steps(vec![ksmg(), exchange()], &Catalog::builtin(), |_| {});
    let (pa, steps) = got.iter().find(|(pa, _)| pa.id == "mgw").unwrap();
    assert_eq!(pa.product.as_deref(), Some("gdata-mailgateway"), "{pa:?}");
    assert!(!pa.needs_decision);
    assert_eq!(
        keys(steps),
        [
            "install-new",
            "verify",
            "switch-over",
            "remove-flagged",
            "confirm-active"
        ]
    );
    assert!(text(step(steps, "install-new")).contains("on a machine of its own"));
    let switch = step(steps, "switch-over");
    let s = text(switch);
    assert!(s.contains("mx records") && s.contains("smart host"), "{s}");
    assert!(
        s.contains("systems that send mail through mgw: exch"),
        "{s}"
    );
    assert!(s.contains("eicar test mail"), "{s}");
    assert!(
        switch
            .sources
            .iter()
            .any(|x| x == sources::BSI_MAIL_GATEWAY)
    );
    // The appliance retires: no package-by-package removal, no endpoint agent wording.
    let all = all_text(steps);
    for wrong in [
        "rpm -e",
        "klnagent64 last",
        "kaspersky policy",
        "windows security",
    ] {
        assert!(!all.contains(wrong), "{wrong} in {all}");
    }
    assert!(text(step(steps, "remove-flagged")).contains("no mail passes mgw"));
}

#[test]
fn exchange_mail_scanning_moves_to_a_mail_scanning_product() {
    let got = plan_steps(vec![ksmg(), exchange()], &Catalog::builtin(), |_| {});
    let (pa, steps) = got.iter().find(|(pa, _)| pa.id == "exch").unwrap();
    assert_eq!(
        pa.product.as_deref(),
        Some("eset-mail-security-exchange"),
        "{pa:?}"
    );
    let s = text(step(steps, "switch-over"));
    assert!(s.contains("switch the mail scanning on exch"), "{s}");
    assert!(text(step(steps, "install-new")).contains("exchange antivirus exclusions"));
}

#[test]
fn the_icap_proxy_re_points_its_icap_service() {
    let clients: Vec<Asset> = (1..=3)
        .map(|n| {
            with(
                asset(
                    &format!("ws{n}"),
                    AssetKind::Workstation,
                    "Windows 11",
                    &[],
                    &[],
                ),
                &[("prx", RelationKind::ProxiedBy)],
            )
        })
        .collect();
    let prx = asset(
        "prx",
        AssetKind::Proxy,
        "Red Hat Enterprise Linux 8.6",
        &["kwts", "klnagent64", "squid"],
        &[],
    );
    let mut assets = clients.clone();
    assets.push(prx.clone());
    // The built-in catalogue has no confirmed ICAP product: a decision, with the function.
    let got = plan_steps(assets.clone(), &Catalog::builtin(), |_| {});
    let (pa, steps) = got.iter().find(|(pa, _)| pa.id == "prx").unwrap();
    assert_eq!(pa.product, None);
    assert!(pa.needs_decision);
    assert_eq!(keys(steps), ["decide"]);
    let d = text(&steps[0]);
    assert!(d.contains("web / icap gateway scanning"), "{d}");
    assert!(
        d.contains("keep kaspersky web traffic security on prx running"),
        "{d}"
    );
    assert!(d.contains("3 rely on it"), "{d}");
    assert!(!d.contains("microsoft defender for endpoint"), "{d}");
    // With a confirmed ICAP server, the proxy is re-pointed to it.
    let got = plan_steps(assets, &catalogue_with_function_products(), |_| {});
    let (pa, steps) = got.iter().find(|(pa, _)| pa.id == "prx").unwrap();
    assert_eq!(pa.product.as_deref(), Some("acme-icap"));
    let s = text(step(steps, "switch-over"));
    assert!(s.contains("re-point the proxy's icap service"), "{s}");
    assert!(s.contains("icap_service"), "Squid is installed: {s}");
    assert!(s.contains("3 systems browse through this proxy"), "{s}");
    let r = text(step(steps, "remove-flagged"));
    assert!(
        r.contains("(kwts, klnagent64)"),
        "the packages go, agent last: {r}"
    );
    assert!(text(step(steps, "confirm-active")).contains("icap log"));
}

#[test]
fn the_agentless_svm_is_replaced_per_host_cluster() {
    let svm = asset(
        "svm",
        AssetKind::Appliance,
        "Linux (KSV Agentless SVM)",
        &["Kaspersky Security for Virtualization 6.2 Agentless"],
        &[],
    );
    let esx = with(
        asset("esx", AssetKind::Hypervisor, "VMware ESXi 8.0 U2", &[], &[]),
        &[("svm", RelationKind::ScannedBy)],
    );
    let vm = with(
        asset("vm", AssetKind::Vm, "Windows Server 2019", &[], &[]),
        &[
            ("esx", RelationKind::RunsOn),
            ("svm", RelationKind::ScannedBy),
        ],
    );
    let assets = vec![svm, esx, vm];
    let got = plan_steps(assets.clone(), &Catalog::builtin(), |_| {});
    // The hosts and VMs it scans join the plan too (their coverage); the SVM is "svm".
    let (pa, steps) = got.iter().find(|(pa, _)| pa.id == "svm").unwrap();
    assert_eq!((pa.product.as_deref(), pa.needs_decision), (None, true));
    let d = text(&steps[0]);
    assert!(d.contains("eset virtualization security"), "{d}");
    assert!(d.contains("2 rely on it, e.g. esx and vm"), "{d}");
    assert!(
        !d.contains("allowlisting:"),
        "no allowlisting for an SVM: {d}"
    );
    let got = plan_steps(assets, &catalogue_with_function_products(), |_| {});
    let (pa, steps) = got.iter().find(|(pa, _)| pa.id == "svm").unwrap();
    assert_eq!(pa.product.as_deref(), Some("acme-agentless"));
    let s = text(step(steps, "switch-over"));
    assert!(
        s.contains("host cluster by host cluster") && s.contains("for esx"),
        "{s}"
    );
    assert!(s.contains("vms that svm scans (1): vm"), "{s}");
    assert!(text(step(steps, "confirm-active")).contains("every vm of the cluster protected"));
    let all = all_text(steps);
    assert!(
        !all.contains("rpm -e"),
        "the SVM appliance retires as a whole: {all}"
    );
}

#[test]
fn a_light_agent_vm_needs_a_virtualization_product() {
    let (pa, steps) = one(asset(
        "vdi",
        AssetKind::Vm,
        "Windows 10 Enterprise 22H2",
        &["Kaspersky Security for Virtualization Light Agent"],
        &[],
    ));
    assert_eq!(
        pa.product, None,
        "an endpoint agent is no virtualization product"
    );
    assert!(text(&steps[0]).contains("hypervisor protection"));
}
