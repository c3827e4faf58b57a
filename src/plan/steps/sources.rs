//! Where the facts the steps state come from: public URLs and `owner/repo:path` references.

/// BSI press release of 15 March 2022: plan carefully, never switch protection off unprepared.
pub const BSI_PRESS: &str = "https://www.bsi.bund.de/DE/Service-Navi/Presse/Pressemitteilungen/Presse2022/220315_Kaspersky-Warnung.html";
/// The BSI's (archived) FAQ: use is not forbidden, decide individually, KRITIS advice.
pub const BSI_FAQ: &str = "https://bsi.bund.de/DE/Themen/Unternehmen-und-Organisationen/Cyber-Sicherheitslage/Technische-Sicherheitshinweise-und-Warnungen/Warnungen-nach-Par-7/Archiv/FAQ-Kaspersky/faq_node.html";
/// The BSI's advice for home users: other protection first, then uninstall with extensions.
pub const BSI_CONSUMER: &str = "https://www.rechtsanwaelte-sl.de/post/bsi-warnt-vor-dem-einsatz-von-kaspersky-virenschutzprodukten";
/// IT-Grundschutz M 4.3: a central mail gateway scans inbound and outbound mail.
pub const BSI_MAIL_GATEWAY: &str = "https://www.bsi.bund.de/DE/Themen/ITGrundschutz/ITGrundschutzKataloge/Inhalt/_content/m/m04/m04003.html?nn=6610622";
/// IT-Grundschutz OPS.1.1.4 (protection against malware: data-carrier sluices, reporting).
pub const BSI_OPS_114: &str = "https://www.bsi.bund.de/DE/Themen/ITGrundschutz/ITGrundschutzKompendium/bausteine/OPS/OPS_1_1_4_Schutz_vor_Schadprogrammen.html";

/// KES for Windows: msiexec with KLLOGIN / KLPASSWD.
pub const KES_UNINSTALL: &str = "https://support.kaspersky.com/KESWin/11.7.0/en-US/123468.htm";
/// KES for Windows: `setup /x`, removing the application.
pub const KES_SETUP_REMOVE: &str = "https://support.kaspersky.com/keswin/12.6/en-US/184545.htm";
/// KSWS asks for its password to uninstall when password protection is on.
pub const KSWS_PASSWORD: &str = "https://support.kaspersky.com/us/ksws11/192944";
/// The Network Agent's uninstall password (NGT_UNINSTALL_PASSWORD).
pub const NAGENT_PASSWORD: &str = "https://support.kaspersky.com/help/KSC/13/KSCAPI/a00230.html";
/// Kaspersky Endpoint Agent: password for uninstall, also remote through Security Center.
pub const KEA_PASSWORD: &str = "https://support.kaspersky.com/kea/3.16/193455";
/// Security Center's "Uninstall application remotely" task.
pub const KSC_REMOTE_UNINSTALL: &str = "https://support.kaspersky.com/KSC/15.1/en-US/6389.htm";
/// kavremover, Kaspersky's removal tool.
pub const KAVREMOVER: &str =
    "https://schwabensystem.de/2022/04/18/bundesamt-warnt-vor-kaspersky-produkten";
/// KES for Linux packages and paths.
pub const KESL_PACKAGES: &str = "https://support.kaspersky.com/kes-for-linux/12.0/236944";
/// The Network Agent for Linux packages (klnagent, klnagent64).
pub const NAGENT_LINUX: &str = "https://support.kaspersky.com/KES4Linux/10.1.1/en-US/161235.htm";
/// The macOS uninstall scripts under /Library/Application Support/Kaspersky Lab.
pub const MAC_UNINSTALL: &str = "https://gist.github.com/mrowell/732b71cc3699865e6aefe54edf3c1329";
/// Kaspersky Security for Mobile / KES for Android and iOS, managed by Security Center.
pub const KES_MOBILE: &str = "https://help.kaspersky.com/Cloud/1.0/de-DE/116265.htm";
/// Security Center ports (13000, 14000, 15000 UDP).
pub const KSC_PORTS: &str = "https://support.kaspersky.com/help/KSC/13/en-US/158525.htm";
/// Security Center for Linux ports (13291 and the others).
pub const KSC_LINUX_PORTS: &str = "https://support.kaspersky.com/KSCLinux/15/en-US/92477.htm";
/// Security Center OpenAPI port 13299 and the Web Console.
pub const KSC_OPENAPI: &str = "https://support.kaspersky.com/ksc14/178949";
/// The KSN proxy on the Administration Server.
pub const KSC_KSN_PROXY: &str = "https://support.kaspersky.com/help/KSC/14/KSCAPI/a00253.html";
/// Kaspersky Web Traffic Security: an ICAP server for Squid and other proxies.
pub const KWTS_ICAP: &str = "https://support.kaspersky.com/kwts/6.1/en-US/166243.htm";
/// KWTS with Squid, a configuration example.
pub const KWTS_SQUID: &str = "https://gist.github.com/c-rosenberg/561d31f793842a3c0a50a1772d9feaf3";
/// KSV Agentless components.
pub const KSV_AGENTLESS: &str = "https://support.kaspersky.com/ksv-agentless/6.1/90411";
/// The KSV SVM (klconfig user) and its Network Agent.
pub const KSV_SVM: &str = "https://support.kaspersky.com/KSVLA/6.3/zh-Hans/302206.htm";
/// The KSV Light Agent.
pub const KSV_LIGHT_AGENT: &str = "https://support.kaspersky.com/ksv-light-agent/5.2/94972";

/// Microsoft: migrating to MDE, phase 2 (setup, passive mode on servers).
pub const MDE_PHASE2: &str =
    "MicrosoftDocs/defender-docs:defender-endpoint/switch-to-mde-phase-2.md";
/// Microsoft: migrating to MDE, phase 3 (onboard, detection test, uninstall the old product).
pub const MDE_PHASE3: &str =
    "MicrosoftDocs/defender-docs:defender-endpoint/switch-to-mde-phase-3.md";
/// Microsoft: Defender Antivirus next to other antivirus products (clients and servers).
pub const MDAV_COMPAT: &str =
    "MicrosoftDocs/defender-docs:defender-endpoint/microsoft-defender-antivirus-compatibility.md";
/// Microsoft: the Defender deployment tool (Windows 7 SP1, Server 2008 R2).
pub const DEPLOYMENT_TOOL: &str =
    "MicrosoftDocs/defender-docs:defender-endpoint/defender-deployment-tool-windows.md";
/// Microsoft: onboarding down-level Windows (Defender Antivirus is for Windows 10 and 11).
pub const ONBOARD_DOWNLEVEL: &str =
    "MicrosoftDocs/defender-docs:defender-endpoint/onboard-downlevel.md";
/// Windows Security Center (root\SecurityCenter2) exists on clients, not on Windows Server.
pub const SECURITY_CENTER: &str = "https://github.com/elastic/security-docs/pull/5197.diff";

/// Microsoft Defender for IoT: an agentless network sensor, no on-host protection.
pub const DEFENDER_IOT: &str = "https://github.com/MicrosoftDocs/azure-docs/blob/main/articles/defender-for-iot/organizations/faqs-general.md";
/// Claroty's passive monitoring: no interaction with the assets.
pub const CLAROTY: &str = "https://claroty.com/industrial-cybersecurity/passive-monitoring";
/// Trend Micro Safe Lock: allowlisting for fixed-function systems such as ICS.
pub const SAFE_LOCK: &str =
    "http://docs.trendmicro.com/o-help/ent/tmsl/v2.0/en-us/tmsl_2.0_agent_readme.txt";
