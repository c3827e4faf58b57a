//! osqueryi --json imports of system_info and os_version, and what holds for every table: the
//! host taken from a hostname column or the file name, one asset per host across files, broken
//! arrays, detection, and Kaspersky found end to end.

use crate::osquery_support as common;

use avmigrate::analysis::{Analysis, Reliance};
use avmigrate::inventory::ImportOptions;
use avmigrate::model::{AssetKind, OsFamily};
use avmigrate::rules::RuleSet;
use common::*;

#[test]
fn system_info_is_a_device_record() {
    let loaded = load(&[("osqueryi_system_info_FR-SRV-FS01.json", SYSTEM_INFO)]);
    assert_eq!(ids(&loaded), ["fr-srv-fs01.mueller-mb.local"]);
    let a = asset(&loaded, "FR-SRV-FS01");
    assert_eq!(a.name.as_deref(), Some("FR-SRV-FS01"));
    assert!(a.software.is_empty());
    assert_eq!(origin(a), "osqueryi_system_info_FR-SRV-FS01.json:2");
    let f = &loaded.files[0];
    assert_eq!((f.format, f.rows, f.assets), ("osquery-system-info", 1, 1));
}

const SYSTEM_INFO_WS: &str = concat!(
    "[\n",
    r#"  {"board_model":"0K6CV4","board_serial":"/8F2QK43/CNFCP0023B00A8/","board_vendor":"Dell Inc.","board_version":"A00","computer_name":"FR-WS-0142","cpu_brand":"13th Gen Intel(R) Core(TM) i7-1365U","cpu_logical_cores":"12","cpu_microcode":"","cpu_physical_cores":"10","cpu_sockets":"1","cpu_subtype":"-1","cpu_type":"x86_64","emulated_cpu_type":"","hardware_model":"Latitude 5440","hardware_serial":"8F2QK43","hardware_vendor":"Dell Inc.","hardware_version":"-1","hostname":"FR-WS-0142.mueller-mb.local","local_hostname":"FR-WS-0142","physical_memory":"17179869184","uuid":"4C4C4544-0046-3810-8052-B4C04F4E4B33"}"#,
    "\n]\n"
);

const OS_VERSION_WS: &str = r#"[
    {
        "arch": "64-bit",
        "build": "22631",
        "codename": "Microsoft Windows 11 Pro",
        "install_date": "1695112345",
        "major": "10",
        "minor": "0",
        "name": "Microsoft Windows 11 Pro",
        "patch": "",
        "platform": "windows",
        "platform_like": "windows",
        "revision": "3296",
        "version": "10.0.22631"
    }
]
"#;

#[test]
fn system_info_os_version_and_programs_of_one_host_merge() {
    let files: [(&str, &[u8]); 3] = [
        (
            "osqueryi_system_info_FR-WS-0142.json",
            SYSTEM_INFO_WS.as_bytes(),
        ),
        ("osqueryi_programs_FR-WS-0142.json", PROGRAMS),
        (
            "osqueryi_os_version_FR-WS-0142.json",
            OS_VERSION_WS.as_bytes(),
        ),
    ];
    let loaded = load(&files);
    assert_eq!(ids(&loaded), ["fr-ws-0142.mueller-mb.local"]);
    let a = asset(&loaded, "FR-WS-0142");
    assert_eq!(a.name.as_deref(), Some("FR-WS-0142"));
    assert_eq!(a.os.raw, "Microsoft Windows 11 Pro 10.0.22631");
    assert_eq!(a.os.family, OsFamily::WindowsClient);
    assert_eq!(a.os.version.as_deref(), Some("11"));
    assert_eq!(a.kind, AssetKind::Workstation);
    assert_eq!(a.software, programs_sample());
    let formats: Vec<&str> = loaded.files.iter().map(|f| f.format).collect();
    assert_eq!(
        formats,
        [
            "osquery-system-info",
            "osquery-programs",
            "osquery-os-version"
        ]
    );
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));

    // Any order gives one asset with everything (the first record's id is kept).
    let reversed: Vec<(&str, &[u8])> = files.iter().rev().copied().collect();
    let loaded = load(&reversed);
    assert_eq!(loaded.inventory.len(), 1);
    let b = asset(&loaded, "fr-ws-0142.mueller-mb.local");
    assert_eq!(b.software, programs_sample());
    assert_eq!(b.os.raw, "Microsoft Windows 11 Pro 10.0.22631");
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
}

#[test]
fn os_version_of_linux_and_macos() {
    let ubuntu = concat!(
        "[\n",
        r#"  {"arch":"x86_64","build":"","codename":"jammy","major":"22","minor":"4","name":"Ubuntu","patch":"0","platform":"ubuntu","platform_like":"debian","version":"22.04.4 LTS (Jammy Jellyfish)"}"#,
        "\n]\n"
    );
    let mac = concat!(
        "[\n",
        r#"  {"arch":"arm64","build":"23E224","codename":"","extra":"","major":"14","minor":"4","name":"macOS","patch":"1","platform":"darwin","platform_like":"darwin","version":"14.4.1"}"#,
        "\n]\n"
    );
    let loaded = load(&[
        ("osqueryi_os_version_FR-LX-WEB01.json", ubuntu.as_bytes()),
        ("osqueryi_deb_packages_FR-LX-WEB01.json", DEB),
        ("osqueryi_os_version_FR-MAC-KON01.json", mac.as_bytes()),
        ("osqueryi_apps_FR-MAC-KON01.json", APPS),
    ]);
    assert_eq!(ids(&loaded), ["FR-LX-WEB01", "FR-MAC-KON01"]);
    let lx = asset(&loaded, "FR-LX-WEB01");
    assert_eq!(lx.os.raw, "Ubuntu 22.04.4 LTS (Jammy Jellyfish)");
    assert_eq!(lx.os.family, OsFamily::Linux);
    assert_eq!(lx.kind, AssetKind::Server);
    assert_eq!(lx.software.len(), 4);
    let mac = asset(&loaded, "FR-MAC-KON01");
    assert_eq!(mac.os.raw, "macOS 14.4.1");
    assert_eq!(mac.os.family, OsFamily::Macos);
    assert_eq!(mac.software.len(), 4);
}

#[test]
fn a_hostname_column_names_the_host_of_each_row() {
    // `osqueryi --json "select s.hostname, p.* from programs p, system_info s"`
    let joined = concat!(
        "[\n",
        r#"  {"hostname":"OG-WS-0031.mueller-mb.local","identifying_number":"","install_location":"","name":"Kaspersky Endpoint Security for Windows","publisher":"AO Kaspersky Lab","uninstall_string":"x","version":"12.6.0.438"}"#,
        "\n]\n"
    );
    let loaded = load(&[("programs.json", joined.as_bytes())]);
    assert_eq!(ids(&loaded), ["OG-WS-0031.mueller-mb.local"]);
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
}

#[test]
fn no_host_is_an_error_naming_why() {
    // A file that yields no asset is an error (it was a warning and an empty success).
    let err = try_load(&[("programs.json", PROGRAMS)], &ImportOptions::default())
        .expect_err("nothing read");
    assert!(
        err.starts_with(
            "programs.json: file holds no usable rows: all 6 data rows were skipped (no host: 6)"
        ),
        "{err}"
    );
    assert!(
        err.contains("cannot tell which host this osqueryi output is about"),
        "{err}"
    );
    let err = try_load(&[("programs.json", PROGRAMS)], &ImportOptions::strict(true))
        .expect_err("strict refuses");
    assert!(
        err.starts_with("programs.json: cannot tell which host"),
        "{err}"
    );
}

#[test]
fn a_truncated_array_keeps_the_complete_rows() {
    let text = std::str::from_utf8(PROGRAMS).unwrap();
    let cut = &text[..text.find("7-Zip").unwrap()];
    let label = "osqueryi_programs_FR-WS-0142.json";
    let loaded = load(&[(label, cut.as_bytes())]);
    assert_eq!(
        asset(&loaded, "FR-WS-0142").software,
        programs_sample()[..3]
    );
    assert_eq!(
        warnings(&loaded),
        [format!(
            "{label}:5: this row is cut off (truncated file?); row skipped"
        )]
    );
    assert_eq!(loaded.files[0].skipped, skipped(&[("malformed row", 1)]));
    let err = try_load(&[(label, cut.as_bytes())], &ImportOptions::strict(true)).unwrap_err();
    assert_eq!(
        err,
        format!("{label}:5: this row is cut off (truncated file?); row skipped")
    );
}

#[test]
fn a_malformed_row_is_skipped_with_its_line() {
    let text = "[\n  {\"name\":\"a\",\"version\":\"1\",\"publisher\":\"p\",\"uninstall_string\":\"\",\"identifying_number\":\"\"},\n  {\"name\":\"b\",\"version\":1 2},\n  {\"name\":\"c\",\"version\":\"3\",\"publisher\":\"p\"}\n]\n";
    let loaded = load(&[("osqueryi_programs_ws-9.json", text.as_bytes())]);
    assert_eq!(
        asset(&loaded, "ws-9").software,
        [sw("a", "1", Some("p")), sw("c", "3", Some("p"))]
    );
    let w = warnings(&loaded);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].starts_with("osqueryi_programs_ws-9.json:3: malformed JSON row (expected"),
        "{w:?}"
    );
}

#[test]
fn formats_are_listed_before_the_generic_csv() {
    let names = avmigrate::inventory::formats::format_names();
    let pos = |n: &str| names.iter().position(|x| *x == n).expect(n);
    for name in [
        "osquery-programs",
        "osquery-deb",
        "osquery-rpm",
        "osquery-apps",
        "osquery-system-info",
        "osquery-os-version",
        "osquery-log",
    ] {
        assert!(pos(name) < pos("csv"), "{name}");
    }
}

#[test]
fn kaspersky_hosts_are_direct() {
    let loaded = load(&[
        ("osqueryi_programs_FR-WS-0142.json", PROGRAMS),
        ("osqueryi_deb_packages_FR-LX-WEB01.json", DEB),
        ("osqueryi_apps_FR-MAC-KON01.json", APPS),
        ("osqueryi_system_info_FR-SRV-FS01.json", SYSTEM_INFO),
    ]);
    let analysis = Analysis::run(&loaded.inventory, &RuleSet::builtin());
    let reliance: Vec<(&str, Reliance)> = loaded
        .inventory
        .assets()
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), analysis.reliance_of(i)))
        .collect();
    assert_eq!(
        reliance,
        [
            ("fr-srv-fs01.mueller-mb.local", Reliance::Unaffected),
            ("FR-WS-0142", Reliance::Direct),
            ("FR-LX-WEB01", Reliance::Direct),
            ("FR-MAC-KON01", Reliance::Direct),
        ]
    );
    let products = |id: &str| {
        let i = loaded.inventory.resolve(id).unwrap();
        let software = &loaded.inventory.assets()[i].software;
        let mut p: Vec<&str> = analysis.findings[i]
            .iter()
            .map(|f| software[f.software as usize].name.as_str())
            .collect();
        p.sort();
        p
    };
    assert_eq!(products("FR-LX-WEB01"), ["kesl", "klnagent64"]);
    assert_eq!(
        products("FR-MAC-KON01"),
        ["Kaspersky Endpoint Security for Mac"]
    );
}

#[test]
fn each_table_is_claimed_by_one_format_only() {
    let cases: [(&str, &[u8], &str); 8] = [
        ("osqueryi_programs_a.json", PROGRAMS, "osquery-programs"),
        ("p.json", PROGRAMS_PRETTY.as_bytes(), "osquery-programs"),
        ("osqueryi_deb_packages_a.json", DEB, "osquery-deb"),
        ("osqueryi_apps_a.json", APPS, "osquery-apps"),
        (
            "osqueryi_system_info_a.json",
            SYSTEM_INFO,
            "osquery-system-info",
        ),
        ("s.json", SYSTEM_INFO_WS.as_bytes(), "osquery-system-info"),
        ("o.json", OS_VERSION_WS.as_bytes(), "osquery-os-version"),
        ("osqueryd.results.log", LOG, "osquery-log"),
    ];
    for (label, bytes, format) in cases {
        let seen = avmigrate::inventory::inspect::inspect(
            label,
            bytes.to_vec(),
            &ImportOptions::default(),
        )
        .expect("inspects");
        let claimed: Vec<&str> = seen
            .candidates
            .iter()
            .filter(|(_, claims)| *claims)
            .map(|(name, _)| *name)
            .collect();
        assert_eq!(claimed, [format], "{label}");
        assert_eq!(seen.format.map(|f| f.0), Some(format));
        if format != "osquery-log" && format != "osquery-system-info" {
            assert!(
                seen.columns
                    .iter()
                    .any(|(k, v)| k == "(host)" && v.contains("file name")),
                "{label}: the host rule is shown"
            );
        }
    }
}

#[test]
fn a_results_log_and_osqueryi_files_of_the_same_hosts_merge() {
    let loaded = load(&[
        ("osqueryd.results.log", LOG),
        ("osqueryi_programs_FR-WS-0142.json", PROGRAMS),
        ("osqueryi_deb_packages_FR-LX-WEB01.json", DEB),
    ]);
    assert_eq!(
        ids(&loaded),
        [
            "fr-ws-0142.mueller-mb.local",
            "fr-nb-0207.mueller-mb.local",
            "fr-lx-web01"
        ]
    );
    // The log's three programs and the file's six, unioned.
    assert_eq!(asset(&loaded, "FR-WS-0142").software, programs_sample());
    assert_eq!(
        installed(&loaded, "FR-LX-WEB01"),
        [
            ("kesl", "12.3.0-1162"),
            ("klnagent64", "15.1.0-20748"),
            ("nginx", "1.18.0-6ubuntu14.4"),
            ("openssh-server", "1:8.9p1-3ubuntu0.6"),
        ]
    );
    assert_eq!(
        loaded.files[1].assets, 0,
        "no asset created for a known host"
    );
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
}
