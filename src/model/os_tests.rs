//! Tests of the parent module.
use super::*;

fn check(raw: &str, family: OsFamily, version: Option<&str>) -> Os {
    let os = Os::parse(raw);
    assert_eq!(os.family, family, "family of {raw:?}");
    assert_eq!(os.version.as_deref(), version, "version of {raw:?}");
    os
}

#[test]
fn windows_clients() {
    check(
        "Windows 7 Professional SP1",
        OsFamily::WindowsClient,
        Some("7"),
    );
    check(
        "Microsoft Windows 8.1 Pro",
        OsFamily::WindowsClient,
        Some("8.1"),
    );
    let os = check(
        "Windows 10 Enterprise 22H2",
        OsFamily::WindowsClient,
        Some("10"),
    );
    assert_eq!(os.feature_update.as_deref(), Some("22H2"));
    let os = check("Windows 11 Pro 23H2", OsFamily::WindowsClient, Some("11"));
    assert_eq!(os.label(), "Windows 11 23H2");
    check("Windows11", OsFamily::WindowsClient, Some("11"));
    check("Win 11", OsFamily::WindowsClient, Some("11"));
    check(
        "Windows XP Professional",
        OsFamily::WindowsClient,
        Some("XP"),
    );
    let os = check(
        "Microsoft Windows NT Workstation 10.0 (19045)",
        OsFamily::WindowsClient,
        Some("10"),
    );
    assert_eq!(os.feature_update.as_deref(), Some("22H2"));
    check(
        "Windows 10 Enterprise LTSC 2019 (1809)",
        OsFamily::WindowsClient,
        Some("10"),
    );
    assert!(Os::parse("Windows 7 Professional (32-bit)").is_32bit);
}

#[test]
fn windows_releases_right_after_the_name() {
    check("Windows 10 22H2", OsFamily::WindowsClient, Some("10"));
    check("Windows 11 23H2", OsFamily::WindowsClient, Some("11"));
    check("Win10", OsFamily::WindowsClient, Some("10"));
    check("Windows 8.1 Pro", OsFamily::WindowsClient, Some("8.1"));
    check("Windows 7", OsFamily::WindowsClient, Some("7"));
    check(
        "Windows 10.0.22631.3235",
        OsFamily::WindowsClient,
        Some("11"),
    );
    check("Windows 10.0.19045", OsFamily::WindowsClient, Some("10"));
}

#[test]
fn windows_servers() {
    check(
        "Windows Server 2008 R2 Standard SP1",
        OsFamily::WindowsServer,
        Some("2008 R2"),
    );
    check(
        "Windows Server 2012 R2 Datacenter",
        OsFamily::WindowsServer,
        Some("2012 R2"),
    );
    check("Windows Server 2012", OsFamily::WindowsServer, Some("2012"));
    check("Windows Server 2016", OsFamily::WindowsServer, Some("2016"));
    check(
        "Microsoft Windows Server 2019 Standard",
        OsFamily::WindowsServer,
        Some("2019"),
    );
    check("WindowsServer2022", OsFamily::WindowsServer, Some("2022"));
    check(
        "Windows Server 2025 Datacenter",
        OsFamily::WindowsServer,
        Some("2025"),
    );
    check(
        "Microsoft Windows NT Server 10.0.17763",
        OsFamily::WindowsServer,
        Some("2019"),
    );
}

#[test]
fn windows_embedded() {
    check(
        "Windows 7 Embedded Standard",
        OsFamily::WindowsEmbedded,
        Some("7"),
    );
    check("Windows XP Embedded", OsFamily::WindowsEmbedded, Some("XP"));
    check(
        "Windows 10 IoT Enterprise LTSC 2021",
        OsFamily::WindowsEmbedded,
        Some("10"),
    );
    check(
        "Windows Embedded POSReady 2009",
        OsFamily::WindowsEmbedded,
        Some("XP"),
    );
}

#[test]
fn other_families() {
    check("macOS 14.5 Sonoma", OsFamily::Macos, Some("14.5"));
    check("macOS Ventura", OsFamily::Macos, Some("13"));
    check("Mac OS X 10.15.7", OsFamily::Macos, Some("10.15.7"));
    check("VMware ESXi 7.0 U3", OsFamily::Esxi, Some("7.0"));
    check("Android 14", OsFamily::Android, Some("14"));
    check("iPadOS 17.4", OsFamily::Ios, Some("17.4"));
    check(
        "Siemens SIMATIC firmware V2.9",
        OsFamily::Embedded,
        Some("2.9"),
    );
    check("", OsFamily::Unknown, None);
    check("BeOS R5", OsFamily::Unknown, None);
}

#[test]
fn linux_distributions() {
    let os = check(
        "Red Hat Enterprise Linux 8.6 (Ootpa)",
        OsFamily::Linux,
        Some("8.6"),
    );
    assert_eq!(os.distro.as_deref(), Some("rhel"));
    assert_eq!(os.label(), "RHEL 8.6");
    let os = check("CentOS Linux 7.9.2009", OsFamily::Linux, Some("7.9.2009"));
    assert_eq!(os.distro.as_deref(), Some("centos"));
    let os = check("Ubuntu 22.04.4 LTS", OsFamily::Linux, Some("22.04.4"));
    assert_eq!(os.distro.as_deref(), Some("ubuntu"));
    let os = check("Debian GNU/Linux bookworm", OsFamily::Linux, Some("12"));
    assert_eq!(os.distro.as_deref(), Some("debian"));
    let os = check(
        "SUSE Linux Enterprise Server 12 SP5",
        OsFamily::Linux,
        Some("12.5"),
    );
    assert_eq!(os.distro.as_deref(), Some("sles"));
    let os = check("Linux", OsFamily::Linux, None);
    assert_eq!(os.distro, None);
}

#[test]
fn version_keys_compare() {
    assert!(version_at_least("2012 R2", "2012"));
    assert!(!version_at_least("2012", "2012 R2"));
    assert!(version_at_least("2016", "2012 R2"));
    assert!(!version_at_least("XP", "7"));
    assert!(version_at_least("8.1", "7"));
    assert!(version_at_least("10", "8.1"));
    assert!(version_at_least("7.9.2009", "7.2"));
    assert!(!version_at_least("7.1", "7.2"));
}

#[test]
fn raw_text_is_cleaned_of_control_and_bidi_characters() {
    for (text, expected) in [
        ("Windows 11\u{202E}", "Windows 11\u{FFFD}"),
        ("Win\u{2066}dows 11 Pro", "Win\u{FFFD}dows 11 Pro"),
        ("\u{200F}Ubuntu 22.04", "\u{FFFD}Ubuntu 22.04"),
        ("Windows\x1b[2J 10", "Windows\u{FFFD}[2J 10"),
        ("  Windows\t10  ", "Windows 10"),
    ] {
        assert_eq!(Os::parse(text).raw, expected, "{text:?}");
    }
    assert_eq!(
        Os::parse("Windows 10\u{202D}").version.as_deref(),
        Some("10")
    );
}

#[test]
fn unknown_is_the_parse_of_nothing() {
    assert_eq!(Os::unknown(), Os::parse(""));
}

#[test]
fn every_distribution_is_labelled_as_the_catalogue_names_it() {
    for (raw, label) in [
        ("ALT Linux 10", "ALT Linux 10"),
        ("Linux Mint 21.3", "Linux Mint 21.3"),
        ("CentOS Stream 9", "CentOS Stream 9"),
        ("Raspbian GNU/Linux 11 (bullseye)", "Debian 11"),
        ("SUSE Linux Enterprise Server 15 SP5", "SLES 15.5"),
        ("Gentoo Linux", "Linux "),
    ] {
        assert_eq!(Os::parse(raw).label().trim_end(), label.trim_end(), "{raw}");
    }
}
