//! Fixed vocabulary of the synthetic estate: operating systems, software, sites, owners.
//!
//! Kaspersky product names, Linux package names and publishers follow the fingerprints of
//! `assets/rules/kaspersky.toml` (each with its public source) so that the flagged-product
//! rules recognise them.

use crate::model::{Os, Software};

/// Operating systems the generator uses; the discriminant indexes [`OS_TEXT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OsId {
    Win10,
    Win11,
    Win11_24,
    Win7,
    Srv2008R2,
    Srv2012,
    Srv2012R2,
    Srv2016,
    Srv2019,
    Srv2022,
    Win7Embedded,
    XpEmbedded,
    Win10Iot,
    Rhel86,
    Rhel94,
    Centos79,
    Ubuntu2204,
    Sles12,
    Sles15,
    Debian12,
    Esxi7,
    Esxi8,
    Macos14,
    Macos13,
    Android14,
    Android13,
    Ios17,
    Printer,
    Switch,
    SvmLinux,
}

/// The inventory text of each [`OsId`], in declaration order.
pub(super) const OS_TEXT: &[&str] = &[
    "Windows 10 Enterprise 22H2",
    "Windows 11 Enterprise 23H2",
    "Windows 11 Enterprise 24H2",
    "Windows 7 Professional SP1",
    "Windows Server 2008 R2 Standard SP1",
    "Windows Server 2012 Standard",
    "Windows Server 2012 R2 Standard",
    "Windows Server 2016 Standard",
    "Windows Server 2019 Standard",
    "Windows Server 2022 Datacenter",
    "Windows 7 Embedded Standard",
    "Windows XP Embedded",
    "Windows 10 IoT Enterprise LTSC 2019",
    "Red Hat Enterprise Linux 8.6",
    "Red Hat Enterprise Linux 9.4",
    "CentOS Linux 7.9",
    "Ubuntu 22.04 LTS",
    "SUSE Linux Enterprise Server 12 SP5",
    "SUSE Linux Enterprise Server 15 SP5",
    "Debian 12",
    "VMware ESXi 7.0 U3",
    "VMware ESXi 8.0 U2",
    "macOS 14.5",
    "macOS 13.6",
    "Android 14",
    "Android 13",
    "iOS 17.5",
    "HP FutureSmart 5.7 printer firmware",
    "Cisco IOS-XE 17.9.4a",
    "Linux (KSV Agentless SVM)",
];

impl OsId {
    /// True for systems out of (mainstream) vendor support: tagged `legacy`.
    pub(super) fn is_legacy(self) -> bool {
        matches!(
            self,
            OsId::Win7
                | OsId::Srv2008R2
                | OsId::Srv2012
                | OsId::Srv2012R2
                | OsId::Win7Embedded
                | OsId::XpEmbedded
                | OsId::Centos79
                | OsId::Sles12
                | OsId::Esxi7
        )
    }
}

/// Every OS of [`OS_TEXT`] parsed once, so that assets only clone it.
pub(super) fn parsed_os_table() -> Vec<Os> {
    OS_TEXT.iter().map(|t| Os::parse(t)).collect()
}

/// A software template: name, version, publisher ("" = unknown).
pub(super) type Sw = (&'static str, &'static str, &'static str);

/// Makes an owned [`Software`] from a template.
pub(super) fn software(t: Sw) -> Software {
    let opt = |s: &str| (!s.is_empty()).then(|| s.into());
    Software {
        name: t.0.into(),
        version: opt(t.1),
        publisher: opt(t.2),
    }
}

const KL: &str = "AO Kaspersky Lab";

pub(super) const KSC_ADMIN: Sw = (
    "Kaspersky Security Center 14.2 Administration Server",
    "14.2.0.26967",
    KL,
);
pub(super) const KSC_WEB: Sw = (
    "Kaspersky Security Center 14.2 Web Console",
    "14.2.0.26967",
    KL,
);
pub(super) const NAGENT: Sw = (
    "Kaspersky Security Center Network Agent",
    "14.2.0.26967",
    KL,
);
pub(super) const KES: [Sw; 4] = [
    ("Kaspersky Endpoint Security for Windows", "12.4.0.467", KL),
    ("Kaspersky Endpoint Security for Windows", "12.3.0.493", KL),
    ("Kaspersky Endpoint Security for Windows", "12.1.0.506", KL),
    ("Kaspersky Endpoint Security for Windows", "11.11.0.452", KL),
];
/// KES from a Russian-language image: Cyrillic publisher.
pub(super) const KES_RU: Sw = (
    "Kaspersky Endpoint Security для Windows",
    "12.1.0.506",
    "Лаборатория Касперского",
);
pub(super) const KSWS: Sw = ("Kaspersky Security for Windows Server", "11.0.1.897", KL);
pub(super) const KS_EXCHANGE: Sw = (
    "Kaspersky Security 9.0 for Microsoft Exchange Servers",
    "9.0.2.1047",
    KL,
);
pub(super) const KSMG: Sw = ("Kaspersky Secure Mail Gateway", "2.0.1.6960", KL);
pub(super) const KWTS: Sw = ("kwts", "6.1.0-4762", KL);
pub(super) const KSV_AGENTLESS: Sw = (
    "Kaspersky Security for Virtualization 6.2 Agentless",
    "6.2.0.209",
    KL,
);
pub(super) const KICS_NODES: Sw = (
    "Kaspersky Industrial CyberSecurity for Nodes",
    "3.1.0.89",
    KL,
);
pub(super) const KESS: Sw = ("Kaspersky Embedded Systems Security", "3.3.0.106", KL);
pub(super) const KESL: [Sw; 2] = [("kesl", "12.1.0-1543", KL), ("kesl", "11.4.0-5096", KL)];
pub(super) const KLNAGENT64: Sw = ("klnagent64", "14.2.0-35148", KL);
pub(super) const KES_MAC: Sw = ("Kaspersky Endpoint Security for Mac", "12.0.0.325", KL);
pub(super) const NAGENT_MAC: Sw = ("Kaspersky Security Center Network Agent", "14.2.0.2156", KL);
pub(super) const KES_ANDROID: Sw = (
    "Kaspersky Endpoint Security for Android",
    "11.106.4.2200",
    KL,
);
pub(super) const KTS: Sw = ("Kaspersky Total Security", "21.3.10.391", "Kaspersky");

/// Products that already replaced Kaspersky on migrated machines.
pub(super) const REPLACEMENTS: [&[Sw]; 3] = [
    &[
        (
            "ESET Endpoint Security",
            "11.0.2044.0",
            "ESET, spol. s r.o.",
        ),
        ("ESET Management Agent", "11.0.2041.0", "ESET, spol. s r.o."),
    ],
    &[(
        "Microsoft Defender for Endpoint",
        "10.8760.22621.3527",
        "Microsoft Corporation",
    )],
    &[("Sophos Intercept X", "2023.2.2.1", "Sophos Limited")],
];

const MS: &str = "Microsoft Corporation";
pub(super) const OFFICE: Sw = (
    "Microsoft 365 Apps for enterprise - de-de",
    "16.0.17328.20184",
    MS,
);
pub(super) const SEVENZIP: Sw = ("7-Zip 23.01 (x64)", "23.01", "Igor Pavlov");
pub(super) const BROWSERS: [Sw; 2] = [
    ("Google Chrome", "124.0.6367.119", "Google LLC"),
    ("Mozilla Firefox ESR (x64 de)", "115.11.0", "Mozilla"),
];
pub(super) const SAPGUI: Sw = ("SAP GUI for Windows 7.70 (Patch 11)", "7.70.11", "SAP SE");
pub(super) const MAC_OFFICE: Sw = ("Microsoft Office for Mac", "16.85", MS);
pub(super) const VMTOOLS: Sw = ("VMware Tools", "12.3.5.22544099", "VMware, Inc.");
pub(super) const SQL: Sw = ("Microsoft SQL Server 2019 (64-bit)", "15.0.4360.2", MS);
pub(super) const SQL_EXPRESS: Sw = (
    "Microsoft SQL Server 2019 Express (64-bit)",
    "15.0.4360.2",
    MS,
);
pub(super) const EXCHANGE: Sw = (
    "Microsoft Exchange Server 2016 Cumulative Update 23",
    "15.1.2507.39",
    MS,
);
pub(super) const VEEAM_AGENT: Sw = (
    "Veeam Agent for Microsoft Windows",
    "6.1.2.134",
    "Veeam Software Group GmbH",
);
pub(super) const OPENSSH: Sw = ("openssh-server", "", "");
pub(super) const SQUID: Sw = ("squid", "4.15", "");
pub(super) const SCADA: [Sw; 2] = [
    ("SIMATIC WinCC V7.4 SP1", "7.4.1.0", "Siemens AG"),
    ("PSIcontrol", "5.4.2", "PSI Software SE"),
];
pub(super) const HMI: Sw = (
    "SIMATIC WinCC Runtime Advanced V16",
    "16.0.0.0",
    "Siemens AG",
);
/// Business applications on (mostly agentless-protected) Windows VMs.
pub(super) const APPS: [Sw; 6] = [
    ("SAP NetWeaver AS ABAP 7.50", "7.50", "SAP SE"),
    ("d.velop documents", "2024.04", "d.velop AG"),
    ("ATOSS Time Control", "4.3.12", "ATOSS Software AG"),
    ("Schleupen.CS Abrechnung", "3.0.2312", "Schleupen SE"),
    ("DATEV Arbeitsplatz", "16.0", "DATEV eG"),
    (
        "FlexNet Publisher Licensing Service",
        "11.19.2.0",
        "Flexera",
    ),
];
/// Daemons of Linux servers (package names, as `rpm -qa` / `dpkg -l` show them).
pub(super) const LINUX_SERVICES: [Sw; 5] = [
    ("nginx", "1.20.1", ""),
    ("postgresql-server", "13.14", ""),
    ("httpd", "2.4.57", ""),
    ("bind", "9.16.23", ""),
    ("mariadb-server", "10.5.22", ""),
];

/// Sites: display name and the short code used in ids and host names.
pub(super) const SITES: &[(&str, &str)] = &[
    ("Berlin", "ber"),
    ("Hamburg", "ham"),
    ("München", "muc"),
    ("Köln", "koe"),
    ("Frankfurt", "fra"),
    ("Stuttgart", "stu"),
    ("Düsseldorf", "dus"),
    ("Leipzig", "lei"),
    ("Dortmund", "dor"),
    ("Essen", "ess"),
    ("Bremen", "bre"),
    ("Dresden", "dre"),
    ("Hannover", "han"),
    ("Nürnberg", "nue"),
    ("Duisburg", "dui"),
    ("Bochum", "boc"),
    ("Wuppertal", "wup"),
    ("Bielefeld", "bie"),
    ("Bonn", "bon"),
    ("Münster", "mst"),
    ("Mannheim", "man"),
    ("Karlsruhe", "kar"),
    ("Augsburg", "aug"),
    ("Wiesbaden", "wie"),
    ("Mönchengladbach", "mgl"),
    ("Gelsenkirchen", "gel"),
    ("Aachen", "aac"),
    ("Braunschweig", "bra"),
    ("Kiel", "kie"),
    ("Chemnitz", "che"),
    ("Halle (Saale)", "hal"),
    ("Magdeburg", "mag"),
    ("Freiburg", "fre"),
    ("Krefeld", "kre"),
    ("Mainz", "mai"),
    ("Lübeck", "lue"),
    ("Erfurt", "erf"),
    ("Oberhausen", "obe"),
    ("Rostock", "ros"),
    ("Kassel", "kas"),
];

/// Owning departments of ordinary machines.
pub(super) const OWNERS: &[&str] = &[
    "Finanzen",
    "Personal",
    "Vertrieb",
    "Einkauf",
    "Kundenservice",
    "Recht",
    "Controlling",
    "Technik",
    "Logistik",
    "Geschäftsführung",
];

/// The DNS domain of every generated host name.
pub(super) const DOMAIN: &str = "musterwerke.local";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OsFamily;

    #[test]
    fn os_table_matches_enum_and_parses() {
        assert_eq!(OS_TEXT.len(), OsId::SvmLinux as usize + 1);
        let t = parsed_os_table();
        assert_eq!(
            t[OsId::Win7Embedded as usize].family,
            OsFamily::WindowsEmbedded
        );
        assert_eq!(t[OsId::Srv2008R2 as usize].family, OsFamily::WindowsServer);
        assert_eq!(t[OsId::Sles12 as usize].family, OsFamily::Linux);
        assert_eq!(t[OsId::Esxi8 as usize].family, OsFamily::Esxi);
        assert_eq!(t[OsId::Printer as usize].family, OsFamily::Embedded);
        assert_eq!(t[OsId::Switch as usize].family, OsFamily::Embedded);
        assert!(t.iter().all(|os| os.family != OsFamily::Unknown));
    }
}
