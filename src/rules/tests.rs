//! Tests of the built-in Kaspersky rules and of matching semantics.

use super::*;
use crate::model::Named;
use crate::model::{Asset, Inventory, Software};
use strum::VariantArray;

fn sw(name: &str, publisher: Option<&str>) -> Software {
    Software {
        name: name.into(),
        version: None,
        publisher: publisher.map(Into::into),
    }
}

/// Asserts that the software matches rule `id` with `role`; returns the reason.
fn expect(name: &str, publisher: Option<&str>, id: &str, role: Role) -> String {
    let rules = RuleSet::builtin();
    let Some((i, reason)) = rules.match_software(&sw(name, publisher)) else {
        panic!("{name:?} / {publisher:?} matched no rule, expected {id}");
    };
    let rule = &rules.rules()[i];
    assert_eq!(rule.id, id, "{name:?} / {publisher:?} (reason: {reason})");
    assert_eq!(rule.role, role, "role of {name:?}");
    assert!(!reason.is_empty());
    reason
}

fn expect_none(name: &str, publisher: Option<&str>) {
    let rules = RuleSet::builtin();
    if let Some((i, reason)) = rules.match_software(&sw(name, publisher)) {
        panic!(
            "{name:?} / {publisher:?} matched {} ({reason})",
            rules.rules()[i].id
        );
    }
}

const AO: Option<&str> = Some("AO Kaspersky Lab");

#[test]
fn management_server_and_console() {
    let r = expect(
        "Kaspersky Security Center 14.2 Administration Server",
        AO,
        "ksc-admin-server",
        Role::ManagementServer,
    );
    assert!(r.starts_with("name matches /"), "{r}");
    expect(
        "Kaspersky Security Center 15 Administration Server",
        None,
        "ksc-admin-server",
        Role::ManagementServer,
    );
    expect(
        "Kaspersky Security Center 15",
        AO,
        "ksc-admin-server",
        Role::ManagementServer,
    );
    expect(
        "Kaspersky Security Center 13.2",
        None,
        "ksc-admin-server",
        Role::ManagementServer,
    );
    // The German display name, as a KSC device list in German shows it.
    expect(
        "Kaspersky Security Center Administrationsserver",
        None,
        "ksc-admin-server",
        Role::ManagementServer,
    );
    let r = expect("ksc64", None, "ksc-admin-server", Role::ManagementServer);
    assert_eq!(r, "package \"ksc64\"");
    let r = expect("klserver", None, "ksc-admin-server", Role::ManagementServer);
    assert_eq!(r, "service \"klserver\"");
    expect(
        "security_center",
        Some("kaspersky"),
        "ksc-admin-server",
        Role::ManagementServer,
    );
    expect(
        "Сервер администрирования Kaspersky Security Center 14",
        None,
        "ksc-admin-server",
        Role::ManagementServer,
    );
    expect(
        "Kaspersky Security Center Web Console",
        AO,
        "ksc-web-console",
        Role::ManagementServer,
    );
    expect(
        "ksc-web-console",
        None,
        "ksc-web-console",
        Role::ManagementServer,
    );
}

#[test]
fn network_agent() {
    let rules = RuleSet::builtin();
    let ksc = &rules.rules()[rules.position("ksc-network-agent").unwrap()];
    assert_eq!(ksc.product, "Kaspersky Security Center Network Agent");
    expect(
        "Kaspersky Security Center Network Agent",
        AO,
        "ksc-network-agent",
        Role::ManagementAgent,
    );
    expect(
        "Kaspersky Security Center 10 Network Agent",
        Some("Kaspersky Lab"),
        "ksc-network-agent",
        Role::ManagementAgent,
    );
    let r = expect(
        "klnagent64",
        None,
        "ksc-network-agent",
        Role::ManagementAgent,
    );
    assert_eq!(r, "package \"klnagent64\"");
    let r = expect(
        "klnagent64-15.1.0-20748.x86_64",
        None,
        "ksc-network-agent",
        Role::ManagementAgent,
    );
    assert_eq!(
        r,
        "package \"klnagent64\" (as \"klnagent64-15.1.0-20748.x86_64\")"
    );
    expect("KLNAGENT", None, "ksc-network-agent", Role::ManagementAgent);
    expect(
        "klnagent.exe",
        None,
        "ksc-network-agent",
        Role::ManagementAgent,
    );
    let r = expect(
        "security_center_network_agent",
        Some("kaspersky"),
        "ksc-network-agent",
        Role::ManagementAgent,
    );
    assert!(r.contains("and publisher matches"), "{r}");
    expect(
        "Network Agent",
        Some("Лаборатория Касперского"),
        "ksc-network-agent",
        Role::ManagementAgent,
    );
    expect_none("Sophos Network Agent", Some("Sophos Limited"));
    expect_none("Network Agent", Some("Sophos"));
    expect_none("Network Agent", None);
}

#[test]
fn endpoints() {
    expect(
        "Kaspersky Endpoint Security for Windows",
        AO,
        "kes",
        Role::Endpoint,
    );
    expect(
        "Kaspersky Endpoint Security 12.1 for Linux",
        None,
        "kes",
        Role::Endpoint,
    );
    expect(
        "Kaspersky Endpoint Security for Mac.app",
        None,
        "kes",
        Role::Endpoint,
    );
    expect("kesl", None, "kes", Role::Endpoint);
    expect("kesl-gui", None, "kes", Role::Endpoint);
    expect("kesl:amd64", Some("Kaspersky Lab"), "kes", Role::Endpoint);
    let r = expect("AVP.KES.21.19", None, "kes", Role::Endpoint);
    assert_eq!(r, "service \"AVP.KES.*\" (as \"AVP.KES.21.19\")");
    expect(
        "endpoint_security",
        Some("kaspersky"),
        "kes",
        Role::Endpoint,
    );
    expect(
        "Kaspersky Endpoint Security for Android",
        None,
        "kes-mobile",
        Role::Endpoint,
    );
    expect(
        "Kaspersky Security for Mobile",
        None,
        "kes-mobile",
        Role::Endpoint,
    );
    expect("com.kaspersky.kes", None, "kes-mobile", Role::Endpoint);
    expect("Kaspersky Endpoint Agent", AO, "kea", Role::Endpoint);
    expect(
        "Kaspersky Embedded Systems Security",
        AO,
        "kess",
        Role::Endpoint,
    );
    expect("kess", None, "kess", Role::Endpoint);
    expect("kess-gui", None, "kess", Role::Endpoint);
    let rules = RuleSet::builtin();
    let (i, _) = rules.match_software(&sw("avp.exe", None)).unwrap();
    assert_eq!(rules.rules()[i].id, "kaspersky-avp-component");
    assert_eq!(rules.rules()[i].confidence, Confidence::Medium);
    // Short driver names only count without a foreign publisher.
    expect("klim6", None, "kaspersky-avp-component", Role::Endpoint);
    expect_none("KLIM", Some("KLIM Technologies"));
}

#[test]
fn exact_names_are_exact() {
    expect_none("keslx", None);
    expect_none("xkesl", None);
    expect_none("kesl gui", None);
    expect_none("ksc", None);
    expect_none("kics-extra", None);
}

#[test]
fn servers_mail_gateways_ot() {
    expect(
        "Kaspersky Security for Windows Server",
        AO,
        "ksws",
        Role::ServerProtection,
    );
    expect(
        "Kaspersky Security 11 for Windows Server",
        AO,
        "ksws",
        Role::ServerProtection,
    );
    expect("KAVFS", None, "ksws", Role::ServerProtection);
    expect("kavfsslp", None, "ksws", Role::ServerProtection);
    expect("kav4fs", None, "kav4fs", Role::ServerProtection);
    expect(
        "Kaspersky Security 9.0 for Microsoft Exchange Servers",
        AO,
        "ks-exchange",
        Role::Mail,
    );
    expect("Kaspersky Secure Mail Gateway", None, "ksmg", Role::Mail);
    expect(
        "Kaspersky Security for Linux Mail Server",
        None,
        "klms",
        Role::Mail,
    );
    expect("kwts", None, "kwts", Role::Gateway);
    expect(
        "Kaspersky Web Traffic Security",
        None,
        "kwts",
        Role::Gateway,
    );
    expect("kics", None, "kics-nodes", Role::Ot);
    expect("kics-gui", None, "kics-nodes", Role::Ot);
    expect(
        "Kaspersky Industrial CyberSecurity for Nodes",
        AO,
        "kics-nodes",
        Role::Ot,
    );
    expect(
        "Kaspersky Industrial CyberSecurity 3.1 for Networks",
        None,
        "kics-networks",
        Role::Ot,
    );
    let r = expect("kics4net-server", None, "kics-networks", Role::Ot);
    assert_eq!(r, "service \"kics4net-*\" (as \"kics4net-server\")");
}

#[test]
fn virtualization() {
    expect(
        "Kaspersky Security for Virtualization Light Agent",
        AO,
        "ksv-light-agent",
        Role::Virtualization,
    );
    expect("ksvla-viis", None, "ksv-light-agent", Role::Virtualization);
    expect(
        "Kaspersky Security for Virtualization 6.1 Agentless",
        AO,
        "ksv-agentless",
        Role::Virtualization,
    );
    expect(
        "Kaspersky Security 5.2 for Virtualization",
        None,
        "ksv",
        Role::Virtualization,
    );
    expect(
        "Kaspersky Security Virtual Machine",
        None,
        "ksv",
        Role::Virtualization,
    );
}

#[test]
fn consumer_products() {
    expect("kfl", None, "kfl", Role::Consumer);
    expect("Kaspersky for Linux", None, "kfl", Role::Consumer);
    for (name, id) in [
        ("Kaspersky Anti-Virus", "consumer-anti-virus"),
        ("Kaspersky Anti-Virus 2015", "consumer-anti-virus"),
        ("Kaspersky Internet Security", "consumer-internet-security"),
        ("Kaspersky Total Security", "consumer-total-security"),
        ("Kaspersky Security Cloud", "consumer-security-cloud"),
        (
            "Kaspersky Small Office Security",
            "consumer-small-office-security",
        ),
        ("Kaspersky VPN Secure Connection", "consumer-vpn"),
        ("Kaspersky Safe Kids", "consumer-safe-kids"),
        ("Kaspersky Password Manager", "consumer-password-manager"),
        ("Kaspersky", "consumer-kaspersky"),
        ("Kaspersky Plus", "consumer-kaspersky"),
        ("Kaspersky Premium 21.9", "consumer-kaspersky"),
    ] {
        expect(name, Some("Kaspersky"), id, Role::Consumer);
    }
    expect(
        "anti-virus",
        Some("kaspersky"),
        "consumer-anti-virus",
        Role::Consumer,
    );
    expect(
        "internet_security",
        Some("kaspersky"),
        "consumer-internet-security",
        Role::Consumer,
    );
    // Business "Anti-Virus for …" products are not consumer.
    let rules = RuleSet::builtin();
    let (i, _) = rules
        .match_software(&sw("Kaspersky Anti-Virus for Linux Server", None))
        .unwrap();
    assert_eq!(rules.rules()[i].id, "kaspersky-other");
}

#[test]
fn oem_engines() {
    let rules = RuleSet::builtin();
    let (i, _) = rules
        .match_software(&sw("Clearswift SECURE Email Gateway", Some("Clearswift")))
        .unwrap();
    let rule = &rules.rules()[i];
    assert_eq!(rule.id, "oem-clearswift");
    assert_eq!(rule.role, Role::OemEngine);
    assert_eq!(rule.confidence, Confidence::Medium);
    assert!(
        rule.note
            .as_deref()
            .unwrap()
            .contains("verify the configured engine")
    );
    expect(
        "Clearswift SECURE Web Gateway",
        None,
        "oem-clearswift",
        Role::OemEngine,
    );
    expect(
        "GFI MailEssentials Kaspersky Engine",
        Some("GFI Software"),
        "oem-gfi",
        Role::OemEngine,
    );
    expect(
        "Kaspersky Anti-Virus",
        Some("GFI Software"),
        "oem-gfi",
        Role::OemEngine,
    );
    expect_none("GFI MailEssentials", Some("GFI Software"));
    expect("kaspersky-lab-engine", None, "oem-juniper", Role::OemEngine);
    expect(
        "Kaspersky Virus Blocker",
        Some("Untangle"),
        "oem-untangle",
        Role::OemEngine,
    );
    expect(
        "Kaspersky Scan Engine",
        AO,
        "kaspersky-scan-engine",
        Role::OemEngine,
    );
    expect("kavhttpd", None, "kaspersky-scan-engine", Role::OemEngine);
    expect("kavicapd", None, "kaspersky-scan-engine", Role::OemEngine);
}

#[test]
fn catch_all_and_false_positives() {
    let rules = RuleSet::builtin();
    let (i, _) = rules
        .match_software(&sw("Какая-то программа", Some("Лаборатория Касперского")))
        .unwrap();
    let rule = &rules.rules()[i];
    assert_eq!(rule.id, "kaspersky-other");
    assert_eq!(rule.product, "Kaspersky (unclassified product)");
    assert_eq!(rule.confidence, Confidence::Medium);
    assert!(rule.catch_all);
    for publisher in [
        "AO Kaspersky Lab",
        "Kaspersky Lab",
        "Kaspersky Lab ZAO",
        "Kaspersky",
        "kaspersky",
        "АО «Лаборатория Касперского»",
    ] {
        expect(
            "Some Tool",
            Some(publisher),
            "kaspersky-other",
            Role::Endpoint,
        );
    }
    expect(
        "Kaspersky Rescue Disk",
        None,
        "kaspersky-other",
        Role::Endpoint,
    );
    expect(
        "Kaspersky Virus Removal Tool",
        None,
        "kaspersky-other",
        Role::Endpoint,
    );
    expect(
        "Антивирус Касперского",
        None,
        "consumer-anti-virus",
        Role::Consumer,
    );
    expect_none(
        "Microsoft Defender Antivirus",
        Some("Microsoft Corporation"),
    );
    expect_none("ESET Endpoint Security", Some("ESET, spol. s r.o."));
    expect_none("Kaspresso", Some("KasperskyLab"));
    expect_none("Kaspresso", None);
    // The removal tool is reported as a leftover (issue 11), removal documents are not flagged.
    expect(
        "Kaspersky Lab Products Remover",
        AO,
        "kaspersky-removal-tool",
        Role::Leftover,
    );
    expect_none("Kaspersky removal notes", None);
    expect("kavremover", None, "kaspersky-removal-tool", Role::Leftover);
    expect_none("Sophos Endpoint Agent", Some("Sophos Limited"));
    expect_none("", None);
}

#[test]
fn every_builtin_rule_is_sourced_and_every_role_used() {
    let rules = RuleSet::builtin();
    assert_eq!(rules.vendor(), "Kaspersky");
    assert!(rules.rules().len() >= 30);
    for rule in rules.rules() {
        assert!(!rule.source.trim().is_empty(), "{} has no source", rule.id);
        // Users see sources and notes: they name public documents, never a section of
        // internal research notes.
        for text in [Some(&rule.source), rule.note.as_ref()]
            .into_iter()
            .flatten()
        {
            for internal in ["§", "research notes"] {
                assert!(!text.contains(internal), "{}: {text}", rule.id);
            }
        }
        assert!(rule.matcher_count() > 0, "{} has no matcher", rule.id);
        assert!(!rule.product.is_empty());
        assert_eq!(rule.vendor, "Kaspersky");
        for d in rule.matcher_descriptions() {
            assert!(!d.is_empty(), "{} has an empty matcher", rule.id);
        }
    }
    for role in Role::VARIANTS {
        assert!(
            rules.rules().iter().any(|r| r.role == *role),
            "no rule with role {role}"
        );
    }
    assert!(rules.index.uses_regex_sets());
    // The catch-all is last, so every specific rule is tried first.
    let last = rules.rules().last().unwrap();
    assert!(last.catch_all);
    assert_eq!(rules.rules().iter().filter(|r| r.catch_all).count(), 1);
}

#[test]
fn enums_have_canonical_names() {
    assert_eq!(Role::OemEngine.as_str(), "oem-engine");
    assert_eq!(
        Role::from_name("Management-Server"),
        Some(Role::ManagementServer)
    );
    assert_eq!(Role::VARIANTS.len(), 15);
    assert_eq!(Role::KasperskyosDevice.as_str(), "kasperskyos-device");
    assert_eq!(Role::from_name("edr-server"), Some(Role::EdrServer));
    assert_eq!(Confidence::from_name("low"), Some(Confidence::Low));
    assert_eq!(Role::ServerProtection.to_string(), "server-protection");
}

#[test]
fn scan_gives_findings_per_asset_in_order() {
    let mut a = Asset::new("ws-1");
    a.software = thin_vec::thin_vec![
        sw("Mozilla Firefox", Some("Mozilla")),
        sw("Kaspersky Endpoint Security for Windows", AO),
        sw("Kaspersky Security Center Network Agent", AO),
    ];
    let mut b = Asset::new("srv-1");
    b.software = thin_vec::thin_vec![sw("kesl", None), sw("klnagent64", None)];
    let c = Asset::new("empty");
    let mut d = Asset::new("ws-2");
    d.software = a.software.clone();
    let inv = Inventory::from_assets([a.clone(), b, c, d]);
    let rules = RuleSet::builtin();
    let all = rules.scan(&inv);
    assert_eq!(all.len(), 4);
    assert_eq!(all[0], rules.scan_asset(&a));
    assert_eq!(all[0], all[3]);
    assert!(all[2].is_empty());
    let ids: Vec<&str> = all[0]
        .iter()
        .map(|f| rules.rules()[usize::from(f.rule)].id.as_str())
        .collect();
    assert_eq!(ids, ["kes", "ksc-network-agent"]);
    assert_eq!(all[0][0].software, 1);
    assert_eq!(&*all[1][1].reason, "package \"klnagent64\"");
}

#[test]
fn common_non_kaspersky_software_matches_nothing() {
    let ms = Some("Microsoft Corporation");
    for (name, publisher) in [
        ("Microsoft Exchange Server 2019", ms),
        ("Microsoft SharePoint Server 2019", ms),
        ("Microsoft Defender for Endpoint", ms),
        ("Windows Defender", ms),
        ("Microsoft Security Client", ms),
        ("Sophos Endpoint Agent", Some("Sophos Limited")),
        ("Trend Micro Security Agent", Some("Trend Micro Inc.")),
        ("Bitdefender Endpoint Security Tools", Some("Bitdefender")),
        ("G DATA Security Client", Some("G DATA Software AG")),
        ("ESET Management Agent", Some("ESET, spol. s r.o.")),
        ("McAfee Agent", Some("McAfee, LLC")),
        ("Trellix Agent", Some("Trellix")),
        ("Symantec Endpoint Protection", Some("Broadcom")),
        ("Avast Free Antivirus", Some("Avast Software")),
        ("AVG AntiVirus FREE", Some("AVG Technologies")),
        ("Norton 360", Some("NortonLifeLock Inc")),
        ("Avira Security", Some("Avira Operations GmbH")),
        ("ClamAV", None),
        ("clamav-daemon", None),
        ("CrowdStrike Windows Sensor", Some("CrowdStrike, Inc.")),
        ("Sentinel Agent", Some("SentinelOne")),
        ("VMware Tools", Some("VMware, Inc.")),
        ("Citrix Workspace 2309", Some("Citrix Systems, Inc.")),
        ("Zabbix Agent 2", Some("Zabbix SIA")),
        ("Security Center", ms),
        ("Internet Security", Some("Some Vendor")),
        ("Anti-Virus", Some("Some Vendor")),
        ("endpoint_security", Some("eset")),
        ("network_agent", Some("sophos")),
        (
            "Check Point Endpoint Security",
            Some("Check Point Software Technologies"),
        ),
        (
            "ZoneAlarm Free Antivirus",
            Some("Check Point Software Technologies"),
        ),
        ("Clearswift ARGON for Email", Some("Clearswift")),
        ("Juniper Secure Connect", Some("Juniper Networks")),
        ("kmod", None),
        ("kexec-tools", None),
        ("krb5-libs", None),
        ("ksh", None),
        ("kf5-kio", None),
        ("kess2", None),
        ("kwts-extras", None),
        ("AVP", Some("Alien Games")),
        ("klif", Some("Other Vendor")),
    ] {
        expect_none(name, publisher);
    }
}

#[test]
fn package_matches_check_the_publisher() {
    // Checkmarx KICS, an infrastructure-as-code scanner, is packaged as "kics" too.
    expect_none("kics", Some("Checkmarx"));
    expect_none("kics", Some("Checkmarx Ltd. <kics@checkmarx.com>"));
    expect_none("kics-1.7.13-1.x86_64", Some("Checkmarx"));
    // With a Kaspersky publisher or maintainer, or with none, it is still KICS for Nodes.
    expect("kics", AO, "kics-nodes", Role::Ot);
    expect(
        "kics",
        Some("Kaspersky Lab <support@kaspersky.com>"),
        "kics-nodes",
        Role::Ot,
    );
    expect("kics", None, "kics-nodes", Role::Ot);
}

#[test]
fn look_alike_names_are_not_flagged() {
    expect_none("Kesko Kassensystem", Some("Kesko Oyj"));
    expect_none("KaVo CONEXIO", Some("KaVo Dental GmbH"));
    expect_none("KaVo", None);
    expect_none("KSC Pro", Some("KSC Software GmbH"));
    expect_none("KSC Pro", None);
    expect_none("Uptime Kuma", None);
    expect_none("kuma", Some("Kong Inc."));
    expect_none("KATA Containers", Some("OpenInfra Foundation"));
}

#[test]
fn every_product_family_has_its_role() {
    expect(
        "Kaspersky Administration Kit",
        AO,
        "ksc-admin-server",
        Role::ManagementServer,
    );
    expect(
        "Kaspersky Administration Kit 8.0",
        None,
        "ksc-admin-server",
        Role::ManagementServer,
    );
    expect(
        "Kaspersky Administration Kit Network Agent",
        None,
        "ksc-network-agent",
        Role::ManagementAgent,
    );
    expect(
        "Kaspersky Security 8.0 for Mail Server",
        None,
        "ks-mail-server",
        Role::Mail,
    );
    expect(
        "Kaspersky Security for Linux Mail Server",
        None,
        "klms",
        Role::Mail,
    );
    expect(
        "Kaspersky Security for Lotus Notes",
        None,
        "ks-mail-server",
        Role::Mail,
    );
    expect(
        "Kaspersky Security 9.0 for Microsoft Exchange Servers",
        None,
        "ks-exchange",
        Role::Mail,
    );
    expect(
        "Kaspersky Security for Internet Gateway",
        None,
        "ks-internet-gateway",
        Role::Gateway,
    );
    expect(
        "Kaspersky Web Traffic Security",
        None,
        "kwts",
        Role::Gateway,
    );
    expect(
        "Kaspersky Security for Storage",
        None,
        "ks-storage",
        Role::Storage,
    );
    expect(
        "Kaspersky Anti Targeted Attack Platform",
        None,
        "kata",
        Role::EdrServer,
    );
    expect(
        "Kaspersky Endpoint Detection and Response Expert",
        None,
        "kata",
        Role::EdrServer,
    );
    expect(
        "Kaspersky Unified Monitoring and Analysis Platform",
        None,
        "kuma",
        Role::Siem,
    );
    expect("KUMA", AO, "kuma", Role::Siem);
    expect(
        "Kaspersky Hybrid Cloud Security",
        None,
        "khcs",
        Role::Virtualization,
    );
    expect(
        "Kaspersky Thin Client",
        None,
        "kasperskyos-device",
        Role::KasperskyosDevice,
    );
    expect(
        "Kaspersky IoT Secure Gateway 100",
        None,
        "kasperskyos-device",
        Role::KasperskyosDevice,
    );
}

fn rule_ids(rules: &RuleSet, findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| rules.rules()[usize::from(f.rule)].id.clone())
        .collect()
}

#[test]
fn kasperskyos_in_the_os_field_is_found() {
    let rules = RuleSet::builtin();
    let mut a = Asset::new("tc-1");
    a.os = crate::model::Os::parse("KasperskyOS 2.0 (Kaspersky Thin Client)");
    let found = rules.scan_asset(&a);
    assert_eq!(rule_ids(&rules, &found), ["kasperskyos-device"]);
    assert!(found[0].on_os());
    assert!(
        found[0].reason.starts_with("operating system:"),
        "{}",
        found[0].reason
    );
    // An OS string never matches an application rule.
    let mut b = Asset::new("ws-1");
    b.os = crate::model::Os::parse("Windows 10 Kaspersky edition");
    assert!(rules.scan_asset(&b).is_empty());
}

#[test]
fn leftovers_are_reported_as_such() {
    let rules = RuleSet::builtin();
    let mut a = Asset::new("ws-old");
    a.software = thin_vec::thin_vec![
        sw("Kaspersky Security Center Network Agent", AO),
        sw("kavremover", None),
    ];
    let found = rules.scan_asset(&a);
    assert_eq!(
        rule_ids(&rules, &found),
        ["ksc-network-agent", "kaspersky-removal-tool"]
    );
    assert!(
        found[0].reason.contains("orphaned Network Agent"),
        "{}",
        found[0].reason
    );
    assert_eq!(found[0].role, Role::Leftover);
    // Beside a protection product the agent is no leftover.
    let mut b = Asset::new("ws-kes");
    b.software = thin_vec::thin_vec![
        sw("Kaspersky Endpoint Security for Windows", AO),
        sw("Kaspersky Security Center Network Agent", AO),
    ];
    let found = rules.scan_asset(&b);
    assert!(!found[1].reason.contains("orphaned"), "{}", found[1].reason);
    assert_eq!(found[1].role, Role::ManagementAgent);
}

#[test]
fn kaspersky_is_found_in_any_case_anywhere() {
    for os in [
        "KasperskyOS 1.2",
        "x kASPERSKY",
        "kk kaspersky",
        "Kaspersky",
    ] {
        assert!(mentions_kaspersky(os), "{os}");
    }
    for os in ["", "Windows 11", "kaspersk", "Kasperksy OS", "kas persky"] {
        assert!(!mentions_kaspersky(os), "{os}");
    }
}
