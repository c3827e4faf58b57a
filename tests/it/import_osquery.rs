//! osqueryi --json imports of the software tables (compact and --json_pretty): programs
//! (also PowerShell's UTF-16LE captures with cp850-mangled umlauts), deb_packages, rpm_packages
//! and apps.

use crate::osquery_support as common;

use common::*;

#[test]
fn programs_compact_host_from_the_file_name() {
    let label = "exports/osqueryi_programs_FR-WS-0142.json";
    let loaded = load(&[(label, PROGRAMS)]);
    assert_eq!(ids(&loaded), ["FR-WS-0142"]);
    let a = asset(&loaded, "fr-ws-0142");
    assert_eq!(a.software, programs_sample());
    assert_eq!(origin(a), format!("{label}:2"));
    let f = &loaded.files[0];
    assert_eq!((f.format, f.encoding), ("osquery-programs", "utf-8"));
    assert_eq!((f.rows, f.assets, f.software), (6, 1, 6));
    assert!(f.skipped.is_empty());
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
}

#[test]
fn programs_pretty_duplicates_across_hives_collapse() {
    let loaded = load(&[(
        "osqueryi_programs_FR-WS-0142.json",
        PROGRAMS_PRETTY.as_bytes(),
    )]);
    let a = asset(&loaded, "FR-WS-0142");
    assert_eq!(
        a.software,
        [
            sw(
                "Kaspersky Endpoint Security for Windows",
                "12.6.0.438",
                Some("AO Kaspersky Lab")
            ),
            sw("Mozilla Firefox (x64 de)", "123.0.1", Some("Mozilla")),
        ]
    );
    let f = &loaded.files[0];
    assert_eq!(f.format, "osquery-programs");
    assert_eq!((f.rows, f.software), (3, 3));
}

/// `osqueryi --json … > out.json` in Windows PowerShell 5.1: UTF-16LE with BOM, CRLF, and
/// the UTF-8 output decoded as cp850 on the way ("Müller" → "M├╝ller").
fn powershell_capture(text: &str) -> Vec<u8> {
    let crlf = text.replace('\n', "\r\n");
    let mut out = vec![0xFF, 0xFE];
    out.extend(crlf.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

#[test]
fn powershell_utf16_capture_with_mangled_umlauts() {
    let text = concat!(
        "[\n",
        r#"  {"identifying_number":"{A5E5BBC2-4E4B-4A5B-9B7E-2D1F6C3A9E01}","install_date":"20240918","install_location":"C:\\Program Files (x86)\\Kaspersky Lab\\KES.12.6.0\\","install_source":"","language":"1031","name":"Kaspersky Endpoint Security for Windows","package_family_name":"","publisher":"AO Kaspersky Lab","uninstall_string":"MsiExec.exe /I{A5E5BBC2-4E4B-4A5B-9B7E-2D1F6C3A9E01}","upgrade_code":"","version":"12.6.0.438"},"#,
        "\n",
        r#"  {"identifying_number":"","install_date":"20230301","install_location":"C:\\Program Files\\MMB\\Zeiterfassung\\","install_source":"","language":"","name":"Zeiterfassung Client 4.2","package_family_name":"","publisher":"M├╝ller Maschinenbau GmbH","uninstall_string":"C:\\Program Files\\MMB\\Zeiterfassung\\unins000.exe","upgrade_code":"","version":"4.2.1"}"#,
        "\n]\n"
    );
    let bytes = powershell_capture(text);
    assert_eq!(&bytes[..6], b"\xFF\xFE[\x00\r\x00");
    let loaded = load(&[(r"C:\Export\osqueryi_programs_FR-WS-0142.json", &bytes)]);
    let f = &loaded.files[0];
    assert_eq!((f.format, f.encoding), ("osquery-programs", "utf-16le"));
    let a = asset(&loaded, "FR-WS-0142");
    assert_eq!(
        a.software,
        [
            sw(
                "Kaspersky Endpoint Security for Windows",
                "12.6.0.438",
                Some("AO Kaspersky Lab")
            ),
            sw(
                "Zeiterfassung Client 4.2",
                "4.2.1",
                Some("Müller Maschinenbau GmbH")
            ),
        ]
    );
    assert_eq!(origin(a), r"C:\Export\osqueryi_programs_FR-WS-0142.json:2");
}

#[test]
fn deb_packages_not_installed_are_skipped() {
    let loaded = load(&[("osqueryi_deb_packages_FR-LX-WEB01.json", DEB)]);
    let a = asset(&loaded, "FR-LX-WEB01");
    let ubuntu = Some("Ubuntu Developers");
    assert_eq!(
        a.software,
        [
            sw("kesl", "12.3.0-1162", Some("AO Kaspersky Lab")),
            sw("klnagent64", "15.1.0-20748", Some("AO Kaspersky Lab")),
            sw("nginx", "1.18.0-6ubuntu14.4", ubuntu),
            sw("openssh-server", "1:8.9p1-3ubuntu0.6", ubuntu),
        ]
    );
    let f = &loaded.files[0];
    assert_eq!(f.format, "osquery-deb");
    assert_eq!((f.rows, f.software), (5, 4));
    assert_eq!(f.skipped, skipped(&[("not installed", 1)]));
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
}

#[test]
fn deb_packages_pretty_with_other_statuses() {
    let pretty = r#"[
    {
        "arch": "amd64",
        "maintainer": "AO Kaspersky Lab",
        "name": "kesl",
        "revision": "1162",
        "status": "install ok installed",
        "version": "12.3.0-1162"
    },
    {
        "arch": "amd64",
        "maintainer": "AO Kaspersky Lab",
        "name": "kesl-gui",
        "revision": "1162",
        "status": "install ok half-configured",
        "version": "12.3.0-1162"
    },
    {
        "arch": "amd64",
        "maintainer": "Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>",
        "name": "clamav",
        "revision": "0ubuntu0.22.04.1",
        "status": "deinstall ok config-files",
        "version": "0.103.11+dfsg-0ubuntu0.22.04.1"
    },
    {
        "arch": "amd64",
        "maintainer": "Debian Perl Group <pkg-perl-maintainers@lists.alioth.debian.org>",
        "name": "libwww-perl",
        "revision": "1",
        "status": "hold ok installed",
        "version": "6.61-1"
    }
]
"#;
    let loaded = load(&[("deb_og-lx-app02.json", pretty.as_bytes())]);
    let a = asset(&loaded, "og-lx-app02");
    assert_eq!(
        a.software,
        [
            sw("kesl", "12.3.0-1162", Some("AO Kaspersky Lab")),
            sw("libwww-perl", "6.61-1", Some("Debian Perl Group")),
        ]
    );
    assert_eq!(loaded.files[0].skipped, skipped(&[("not installed", 2)]));
}

#[test]
fn rpm_packages_version_is_version_dash_release() {
    let rpm = concat!(
        "[\n",
        r#"  {"arch":"x86_64","epoch":"","install_time":"1709812345","name":"kesl","package_group":"Applications/System","release":"1162","sha1":"","size":"1083411","source":"kesl-12.3.0-1162.src.rpm","vendor":"AO Kaspersky Lab","version":"12.3.0"},"#,
        "\n",
        r#"  {"arch":"x86_64","epoch":"1","install_time":"1700000000","name":"openssl","package_group":"System Environment/Libraries","release":"16.el9_3","sha1":"","size":"1900000","source":"openssl-3.0.7-16.el9_3.src.rpm","vendor":"Red Hat, Inc.","version":"3.0.7"},"#,
        "\n",
        r#"  {"arch":"noarch","epoch":"","install_time":"1700000000","name":"gpg-pubkey","package_group":"Public Keys","release":"","sha1":"","size":"0","source":"","vendor":"","version":"fd431d51"}"#,
        "\n]\n"
    );
    let loaded = load(&[("osqueryi_rpm_packages_og-srv-db01.json", rpm.as_bytes())]);
    let a = asset(&loaded, "og-srv-db01");
    assert_eq!(
        a.software,
        [
            sw("kesl", "12.3.0-1162", Some("AO Kaspersky Lab")),
            sw("openssl", "3.0.7-16.el9_3", Some("Red Hat, Inc.")),
            sw("gpg-pubkey", "fd431d51", None),
        ]
    );
    assert_eq!(loaded.files[0].format, "osquery-rpm");
}

#[test]
fn apps_names_lose_dot_app_and_publishers_come_from_the_copyright() {
    let loaded = load(&[("osqueryi_apps_FR-MAC-KON01.json", APPS)]);
    let a = asset(&loaded, "FR-MAC-KON01");
    assert_eq!(
        a.software,
        [
            sw(
                "Kaspersky Endpoint Security for Mac",
                "12.1.0",
                Some("AO Kaspersky Lab")
            ),
            sw(
                "Microsoft Teams",
                "24033.811.2738.2546",
                Some("Microsoft Corporation")
            ),
            sw("Firefox", "123.0.1", Some("Firefox and Mozilla Developers")),
            sw(
                "Rhinoceros 8",
                "8.4.24044.15001",
                Some("Robert McNeel & Associates")
            ),
        ]
    );
    assert_eq!(loaded.files[0].format, "osquery-apps");
}

#[test]
fn apps_without_copyright_take_the_bundle_identifier() {
    let pretty = r#"[
    {
        "bundle_identifier": "com.kaspersky.kes.mac",
        "bundle_short_version": "",
        "bundle_version": "12.1.0.553",
        "copyright": "",
        "name": "Kaspersky Endpoint Security for Mac.APP",
        "path": "/Applications/Kaspersky Endpoint Security for Mac.app"
    }
]
"#;
    let loaded = load(&[("apps_fr-mac-kon02.json", pretty.as_bytes())]);
    assert_eq!(
        asset(&loaded, "fr-mac-kon02").software,
        [sw(
            "Kaspersky Endpoint Security for Mac",
            "12.1.0.553",
            Some("kaspersky")
        )]
    );
}
