//! Compatibility verdicts of the built-in catalogue for the legacy, OT and role cases that the
//! vendors' documents single out (legacy Windows, OT, air-gapped).

use avmigrate::catalog::{
    Capability, Catalog, Support, Verdict, candidates, check, explain_none, needs_for, notes_for,
};
use avmigrate::model::{Asset, AssetKind, Date, Os, Software};

fn today() -> Date {
    Date::from_ymd(2026, 11, 28).unwrap()
}

fn asset(os: &str, kind: AssetKind, tags: &[&str]) -> Asset {
    let mut a = Asset::new("a1");
    a.os = Os::parse(os);
    a.kind = kind;
    a.set_tags(tags.iter().map(|&t| t.into()));
    a
}

fn verdict(asset: &Asset, roles: &[&str], product: &str) -> Verdict {
    let cat = Catalog::builtin();
    let p = cat.product(product).expect("product in catalogue");
    check(&cat, p, asset, &needs_for(asset, roles), today())
}

fn all(asset: &Asset, roles: &[&str]) -> Vec<Verdict> {
    candidates(
        &Catalog::builtin(),
        asset,
        &needs_for(asset, roles),
        today(),
    )
}

fn mentions(v: &Verdict, text: &str) -> bool {
    v.reasons.iter().any(|r| r.contains(text))
}

#[test]
fn windows_11_workstation_gets_mde_and_eset() {
    let a = asset("Windows 11 Pro 23H2", AssetKind::Workstation, &[]);
    assert_eq!(needs_for(&a, &["endpoint"]), vec![Capability::Endpoint]);
    let mde = verdict(&a, &["endpoint"], "mde");
    assert_eq!(mde.support, Support::Yes, "{mde:?}");
    assert!(mentions(
        &mde,
        "Microsoft Defender for Endpoint supports Windows 11"
    ));
    let eset = verdict(&a, &["endpoint"], "eset-protect-endpoint");
    assert_eq!(eset.support, Support::Yes, "{eset:?}");
}

#[test]
fn windows_7_x64_mde_limited_with_kbs_and_eset_ended() {
    let a = asset("Windows 7 Professional SP1", AssetKind::Workstation, &[]);
    let mde = verdict(&a, &["endpoint"], "mde");
    assert_eq!(mde.support, Support::Limited, "{mde:?}");
    assert!(mentions(
        &mde,
        "Microsoft Defender for Endpoint on Windows 7: limited (x64 only, via the Defender deployment tool"
    ));
    assert!(mentions(&mde, "KB4474419") && mentions(&mde, "KB4490628"));
    let eset = verdict(&a, &["endpoint"], "eset-protect-endpoint");
    assert_eq!(eset.support, Support::No, "{eset:?}");
    assert!(mentions(&eset, "support ended 2025-11"), "{eset:?}");
}

#[test]
fn windows_7_32_bit_rules_out_mde() {
    let a = asset(
        "Windows 7 Professional (32-bit)",
        AssetKind::Workstation,
        &[],
    );
    let mde = verdict(&a, &["endpoint"], "mde");
    assert_eq!(mde.support, Support::No, "{mde:?}");
    assert!(mentions(&mde, "64-bit editions only"), "{mde:?}");
}

#[test]
fn windows_7_embedded_has_nothing_confirmed() {
    let a = asset("Windows 7 Embedded Standard", AssetKind::Workstation, &[]);
    let ranked = all(&a, &["endpoint"]);
    assert!(
        ranked.iter().all(|v| v.support != Support::Yes),
        "nothing may be Yes: {:?}",
        ranked.first()
    );
    let mde = ranked.iter().find(|v| v.product == "mde").unwrap();
    assert_eq!(mde.support, Support::Unverified, "{mde:?}");
    assert!(mentions(
        mde,
        "support for Windows Embedded 7 is unverified: confirm with the vendor"
    ));
    let eset = ranked
        .iter()
        .find(|v| v.product == "eset-protect-endpoint")
        .unwrap();
    assert_eq!(eset.support, Support::Unverified);
}

#[test]
fn server_2008_r2_mde_limited_eset_ended() {
    let a = asset(
        "Windows Server 2008 R2 Standard SP1",
        AssetKind::Server,
        &[],
    );
    let roles = ["server-protection"];
    let mde = verdict(&a, &roles, "mde");
    assert_eq!(mde.support, Support::Limited, "{mde:?}");
    assert!(mentions(&mde, ".NET 3.5"));
    let eset = verdict(&a, &roles, "eset-server-security");
    assert_eq!(eset.support, Support::No, "{eset:?}");
    assert!(mentions(&eset, "support ended 2026-02"));
}

#[test]
fn server_2012_non_r2_rules_out_mde_but_not_2012_r2() {
    let a = asset("Windows Server 2012 Standard", AssetKind::Server, &[]);
    let mde = verdict(&a, &[], "mde");
    assert_eq!(mde.support, Support::No, "{mde:?}");
    assert!(mentions(
        &mde,
        "does not support Windows Server 2012 (listed:"
    ));
    let r2 = asset("Windows Server 2012 R2 Datacenter", AssetKind::Server, &[]);
    assert_eq!(verdict(&r2, &[], "mde").support, Support::Yes);
}

#[test]
fn centos_7_9_and_sles_12_sp5_get_mde() {
    let centos = asset("CentOS Linux 7.9.2009", AssetKind::Server, &[]);
    let v = verdict(&centos, &[], "mde");
    assert_eq!(v.support, Support::Yes, "{v:?}");
    let old = asset("CentOS Linux 7.1", AssetKind::Server, &[]);
    assert_eq!(verdict(&old, &[], "mde").support, Support::No);
    let sles = asset(
        "SUSE Linux Enterprise Server 12 SP5",
        AssetKind::Server,
        &[],
    );
    let v = verdict(&sles, &[], "mde");
    assert_eq!(v.support, Support::Yes, "{v:?}");
}

#[test]
fn newer_than_listed_is_unverified_not_no() {
    let a = asset("Ubuntu 26.04 LTS", AssetKind::Server, &[]);
    let v = verdict(&a, &[], "mde");
    assert_eq!(v.support, Support::Unverified, "{v:?}");
    assert!(mentions(
        &v,
        "newer than the versions listed (up to 24.04.x)"
    ));
}

#[test]
fn air_gapped_ot_rules_out_cloud_only_edr() {
    let a = asset(
        "Windows 10 IoT Enterprise LTSC 2021",
        AssetKind::Ot,
        &["air-gapped"],
    );
    let needs = needs_for(&a, &["ot"]);
    assert_eq!(needs, vec![Capability::Ot, Capability::AirGapped]);
    for id in ["crowdstrike-falcon", "sentinelone-singularity"] {
        let v = verdict(&a, &["ot"], id);
        assert_eq!(v.support, Support::No, "{v:?}");
        assert!(
            mentions(&v, "needs a cloud connection: not for air-gapped assets"),
            "{v:?}"
        );
    }
    // Passive monitoring is the fallback, never better than Limited.
    let iot = verdict(&a, &["ot"], "defender-for-iot");
    assert_eq!(iot.support, Support::Limited, "{iot:?}");
    assert!(mentions(&iot, "no on-host malware protection"));
}

#[test]
fn exchange_server_needs_mail_scanning_and_file_level_av_never_replaces_it() {
    let mut a = asset("Windows Server 2019 Standard", AssetKind::Server, &[]);
    a.software.push(Software::named(
        "Kaspersky Security 9.0 for Microsoft Exchange Servers",
    ));
    // Kaspersky Security for Exchange scanned mail (it did not protect the server's files):
    // its successor must scan mail.
    let needs = needs_for(&a, &["mail"]);
    assert_eq!(needs, vec![Capability::Mail]);
    let cat = Catalog::builtin();
    let ranked = candidates(&cat, &a, &needs, today());
    let usable: Vec<&Verdict> = ranked.iter().filter(|v| v.support.is_usable()).collect();
    assert!(!usable.is_empty());
    for v in &usable {
        let p = cat.product(&v.product).unwrap();
        let mail = p.role(avmigrate::catalog::Capability::Mail);
        assert!(
            mail.is_some_and(|f| !f.file_level),
            "{} is usable without doing mail scanning",
            v.product
        );
    }
    for v in ranked.iter().filter(|v| {
        cat.product(&v.product)
            .unwrap()
            .role(avmigrate::catalog::Capability::Mail)
            .is_none()
    }) {
        assert_eq!(v.support, Support::No, "{v:?}");
        assert!(mentions(v, "does not cover Exchange / mail protection"));
    }
    // Defender protects the Exchange server's files, not the mail flow.
    for id in ["mde", "defender-av"] {
        let v = ranked.iter().find(|v| v.product == id).unwrap();
        assert_eq!(v.support, Support::No, "{v:?}");
        assert!(mentions(v, "only as file-level protection"), "{v:?}");
    }
    let eset = ranked
        .iter()
        .find(|v| v.product == "eset-mail-security-exchange")
        .unwrap();
    assert_eq!(eset.support, Support::Limited, "{eset:?}");
    // An Exchange server whose Kaspersky product protected only its files keeps getting
    // server protection (with Microsoft's Exchange exclusions, a migration note).
    let mut ksws = asset(
        "Windows Server 2019 Standard",
        AssetKind::Server,
        &["exchange"],
    );
    ksws.software
        .push(Software::named("Kaspersky Security for Windows Server"));
    let needs = needs_for(&ksws, &["server-protection"]);
    assert_eq!(needs, vec![Capability::Server]);
    let mde = check(&cat, cat.product("mde").unwrap(), &ksws, &needs, today());
    assert_eq!(mde.support, Support::Yes, "{mde:?}");
}

#[test]
fn gateway_and_virtualization_functions_need_a_product_with_that_function() {
    let cat = Catalog::builtin();
    // The KSMG appliance: a mail gateway is replaced by a mail gateway.
    let ksmg = asset(
        "CentOS Linux 7.9",
        AssetKind::MailGateway,
        &["internet-facing"],
    );
    let needs = needs_for(&ksmg, &["mail", "management-agent"]);
    assert_eq!(needs, vec![Capability::Mail]);
    let ranked = candidates(&cat, &ksmg, &needs, today());
    let best = &ranked[0];
    assert_eq!(best.product, "gdata-mailgateway", "{ranked:?}");
    assert_eq!(best.support, Support::Limited, "{best:?}");
    assert!(mentions(best, "works beside the asset"), "{best:?}");
    let mde = ranked.iter().find(|v| v.product == "mde").unwrap();
    assert_eq!(mde.support, Support::No, "{mde:?}");
    // A proxy with Kaspersky Web Traffic Security: only web / ICAP gateway products count, and
    // none is confirmed in the research notes.
    let proxy = asset("Red Hat Enterprise Linux 8.6", AssetKind::Proxy, &[]);
    let needs = needs_for(&proxy, &["gateway", "management-agent"]);
    assert_eq!(needs, vec![Capability::Gateway]);
    let ranked = candidates(&cat, &proxy, &needs, today());
    assert!(ranked.iter().all(|v| !v.support.is_usable()), "{ranked:?}");
    let unverified: Vec<&str> = ranked
        .iter()
        .filter(|v| v.support == Support::Unverified)
        .map(|v| v.product.as_str())
        .collect();
    assert!(
        unverified.contains(&"withsecure-internet-gatekeeper"),
        "{unverified:?}"
    );
    assert!(unverified.contains(&"clamav"), "{unverified:?}");
    assert!(!unverified.contains(&"mde"));
    // The agentless SVM: its own OS does not matter, but no virtualization product is
    // confirmed, so the planner asks instead of proposing one.
    let svm = asset("Linux (KSV Agentless SVM)", AssetKind::Appliance, &[]);
    let needs = needs_for(&svm, &["virtualization"]);
    assert_eq!(needs, vec![Capability::Virtualization]);
    let ranked = candidates(&cat, &svm, &needs, today());
    assert!(ranked.iter().all(|v| !v.support.is_usable()), "{ranked:?}");
    for id in [
        "eset-virtualization-security",
        "bitdefender-security-server",
    ] {
        let v = ranked.iter().find(|v| v.product == id).unwrap();
        assert_eq!(v.support, Support::Unverified, "{v:?}");
        assert!(mentions(v, "works beside the asset"), "{v:?}");
    }
}

#[test]
fn candidates_are_ranked_and_stable() {
    let a = asset("Windows 7 Professional SP1", AssetKind::Workstation, &[]);
    let ranked = all(&a, &["endpoint"]);
    let cat = Catalog::builtin();
    assert_eq!(ranked.len(), cat.products().len());
    assert!(ranked.windows(2).all(|w| w[0].support <= w[1].support));
    let pos = |id: &str| cat.products().iter().position(|p| p.id == id).unwrap();
    for w in ranked.windows(2) {
        if w[0].support == w[1].support {
            assert!(pos(&w[0].product) < pos(&w[1].product), "catalogue order");
        }
    }
    assert_eq!(ranked[0].product, "mde");
}

#[test]
fn unverified_facts_never_give_yes() {
    let cat = Catalog::builtin();
    let oses = [
        "Windows 11",
        "Windows 10",
        "Windows Server 2022",
        "Windows Server 2016",
        "RHEL 9.4",
        "Ubuntu 22.04",
        "macOS 15",
        "Android 14",
        "Windows 10 IoT Enterprise",
    ];
    for os in oses {
        let a = asset(os, AssetKind::Other, &[]);
        let needs = needs_for(&a, &[]);
        for p in cat.products() {
            let v = check(&cat, p, &a, &needs, today());
            if v.support == Support::Yes {
                let platform_ok = p
                    .platforms
                    .iter()
                    .filter(|e| e.family == a.os.family)
                    .any(|e| e.provenance.verified);
                assert!(
                    platform_ok,
                    "{} is Yes on {os} without a verified fact",
                    p.id
                );
                assert!(p.provenance.verified);
            }
        }
    }
}

#[test]
fn explain_none_says_what_is_missing() {
    let a = asset(
        "Windows 7 Embedded Standard",
        AssetKind::Workstation,
        &["air-gapped"],
    );
    let needs = needs_for(&a, &["endpoint"]);
    assert_eq!(
        explain_none(&a, &needs),
        "no product in the catalogue supports Windows Embedded 7 with offline updates"
    );
    let ot = asset("Windows XP Embedded", AssetKind::Ot, &[]);
    let needs = needs_for(&ot, &["ot"]);
    assert_eq!(
        explain_none(&ot, &needs),
        "no product in the catalogue supports Windows Embedded XP for OT / ICS hosts"
    );
    let unknown = asset("", AssetKind::Workstation, &[]);
    assert_eq!(
        explain_none(&unknown, &[Capability::Endpoint]),
        "no product in the catalogue supports an unrecorded operating system"
    );
}

#[test]
fn needs_follow_kind_tags_and_flagged_roles() {
    let hv = asset("VMware ESXi 7.0 U3", AssetKind::Hypervisor, &[]);
    assert_eq!(needs_for(&hv, &[]), vec![Capability::Virtualization]);
    let proxy = asset("Ubuntu 22.04", AssetKind::Proxy, &[]);
    assert_eq!(needs_for(&proxy, &["gateway"]), vec![Capability::Gateway]);
    let nas = asset("Synology DSM 7", AssetKind::Storage, &[]);
    assert_eq!(needs_for(&nas, &[]), vec![Capability::FileServer]);
    let mgw = asset("Debian 12", AssetKind::MailGateway, &[]);
    assert_eq!(needs_for(&mgw, &["mail"]), vec![Capability::Mail]);
    let phone = asset("Android 14", AssetKind::Mobile, &[]);
    assert_eq!(needs_for(&phone, &[]), vec![Capability::Mobile]);
    let vdi = asset("Windows 10 Enterprise", AssetKind::Vm, &["vdi"]);
    assert_eq!(
        needs_for(&vdi, &["endpoint", "management-agent"]),
        vec![Capability::Endpoint, Capability::Vdi]
    );
    let srv = asset("Windows Server 2019", AssetKind::Vm, &[]);
    assert_eq!(
        needs_for(&srv, &["server-protection", "management-server"]),
        vec![Capability::Server]
    );
    let blank = asset("", AssetKind::Appliance, &[]);
    assert_eq!(
        needs_for(&blank, &["oem-engine"]),
        vec![Capability::Endpoint]
    );
}

#[test]
fn migration_notes_follow_the_platform() {
    let cat = Catalog::builtin();
    let mde = cat.product("mde").unwrap();
    let srv = asset("Windows Server 2016", AssetKind::Server, &[]);
    let notes = notes_for(mde, &srv);
    assert!(
        notes
            .iter()
            .any(|n| n.contains("ForceDefenderPassiveMode=1")
                && n.contains("Defender does not re-enable itself on servers")),
        "{notes:?}"
    );
    assert!(notes.iter().any(|n| n.contains("md4ws.msi")));
    let ws = asset("Windows 11", AssetKind::Workstation, &[]);
    assert!(
        !notes_for(mde, &ws)
            .iter()
            .any(|n| n.contains("ForceDefenderPassiveMode"))
    );

    let mut exch = asset("Windows Server 2019", AssetKind::Server, &[]);
    exch.software.push(Software {
        name: "Microsoft Exchange Server 2019 Cumulative Update 14".into(),
        version: None,
        publisher: Some("Microsoft Corporation".into()),
    });
    for id in [
        "mde",
        "eset-mail-security-exchange",
        "trend-scanmail-exchange",
    ] {
        let notes = notes_for(cat.product(id).unwrap(), &exch);
        assert!(
            notes
                .iter()
                .any(|n| n.contains("apply Microsoft's Exchange antivirus exclusions")),
            "{id}: {notes:?}"
        );
    }
    assert!(
        !notes_for(mde, &srv)
            .iter()
            .any(|n| n.contains("Exchange antivirus exclusions"))
    );

    let ws_notes = notes_for(cat.product("withsecure-elements").unwrap(), &ws);
    assert!(
        ws_notes
            .iter()
            .any(|n| n.contains("sidegrades other AV and forces a reboot"))
    );
}

#[test]
fn air_gapped_hosts_never_get_mde() {
    // Onboarding and EDR need the Internet (issue 11).
    let a = asset(
        "Windows 10 Enterprise 22H2",
        AssetKind::Workstation,
        &["air-gapped"],
    );
    let mde = verdict(&a, &["endpoint"], "mde");
    assert_eq!(mde.support, Support::No, "{mde:?}");
    assert!(mentions(&mde, "needs a cloud connection"), "{mde:?}");
    // Without the tag MDE is still fine.
    let b = asset("Windows 10 Enterprise 22H2", AssetKind::Workstation, &[]);
    assert_eq!(verdict(&b, &["endpoint"], "mde").support, Support::Yes);
}

#[test]
fn apex_one_on_windows_7_and_2008_r2_is_no_longer_verified_as_supported() {
    for (os, kind) in [
        ("Windows 7 Professional SP1", AssetKind::Workstation),
        ("Windows Server 2008 R2 Standard SP1", AssetKind::Server),
    ] {
        let a = asset(os, kind, &[]);
        let v = verdict(&a, &[], "trend-apex-one");
        assert!(
            !matches!(v.support, Support::Yes | Support::Limited),
            "{os}: {v:?}"
        );
    }
}

#[test]
fn clamav_on_rhel_6_has_no_on_access_scanning() {
    let a = asset(
        "Red Hat Enterprise Linux Server 6.10",
        AssetKind::Server,
        &[],
    );
    let v = verdict(&a, &[], "clamav");
    assert_ne!(v.support, Support::Yes, "{v:?}");
    assert!(mentions(&v, "on-demand scanning only"), "{v:?}");
    let rhel8 = asset("Red Hat Enterprise Linux 8.6", AssetKind::Server, &[]);
    assert_ne!(verdict(&rhel8, &[], "clamav").support, Support::No);
}
