//! osqueryd results logs: event, batch and snapshot layouts, replay per host and query in time
//! order whatever the order of the lines, broken lines and unknown queries.

use crate::osquery_support as common;

use avmigrate::analysis::Reliance;
use avmigrate::inventory::ImportOptions;
use avmigrate::model::{AssetKind, OsFamily, Software};
use common::*;

#[test]
fn sample_log_in_event_format() {
    let loaded = load_one("osqueryd.results.log", LOG);
    assert_eq!(
        ids(&loaded),
        [
            "fr-ws-0142.mueller-mb.local",
            "fr-nb-0207.mueller-mb.local",
            "fr-lx-web01"
        ]
    );
    let ws = asset(&loaded, "FR-WS-0142");
    assert_eq!(ws.name.as_deref(), Some("FR-WS-0142"));
    assert_eq!(
        ws.origin.as_ref().map(ToString::to_string).as_deref(),
        Some("osqueryd.results.log:1")
    );
    assert_eq!(
        ws.software[0],
        Software {
            name: "Kaspersky Endpoint Security for Windows".into(),
            version: Some("12.6.0.438".into()),
            publisher: Some("AO Kaspersky Lab".into()),
        }
    );
    assert_eq!(
        installed(&loaded, "FR-WS-0142"),
        [
            ("Kaspersky Endpoint Security for Windows", "12.6.0.438"),
            ("Kaspersky Security Center Network Agent", "15.1.0.20748"),
            ("Mozilla Firefox (x64 de)", "123.0.1"),
        ]
    );
    // 12.3 removed, 12.6 added in the same run.
    assert_eq!(
        installed(&loaded, "FR-NB-0207"),
        [("Kaspersky Endpoint Security for Windows", "12.6.0.438")]
    );
    assert_eq!(
        installed(&loaded, "fr-lx-web01"),
        [("kesl", "12.3.0-1162"), ("klnagent64", "15.1.0-20748")]
    );
    let f = &loaded.files[0];
    assert_eq!((f.format, f.encoding), ("osquery-log", "utf-8"));
    assert_eq!((f.rows, f.assets, f.software), (7, 3, 6));
    assert!(f.skipped.is_empty());
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
    assert_eq!(
        reliance(&loaded),
        [
            ("fr-ws-0142.mueller-mb.local", Reliance::Direct),
            ("fr-nb-0207.mueller-mb.local", Reliance::Direct),
            ("fr-lx-web01", Reliance::Direct),
        ]
    );
}

/// Three hosts whose events are written out of order: the replay follows unixTime, then
/// counter, per host and query.
fn out_of_order_log() -> String {
    let (a, b, c) = (
        "og-ws-0001.mueller-mb.local",
        "og-ws-0002.mueller-mb.local",
        "og-lx-0003",
    );
    let programs = "pack_inventory_programs";
    let debs = "pack/inventory/deb_packages";
    let kes11 = program(
        "Kaspersky Endpoint Security for Windows",
        "11.11.0.452",
        "AO Kaspersky Lab",
    );
    let kes12 = program(
        "Kaspersky Endpoint Security for Windows",
        "12.6.0.438",
        "AO Kaspersky Lab",
    );
    let ff120 = program("Mozilla Firefox", "120.0", "Mozilla");
    let ff123 = program("Mozilla Firefox", "123.0.1", "Mozilla");
    let zip = program("7-Zip 23.01 (x64 edition)", "23.01.00.0", "Igor Pavlov");
    let mde = program("Microsoft Defender for Endpoint", "10.8760", "Microsoft");
    let npp = program("Notepad++ (64-bit x64)", "8.6.4", "Notepad++ Team");
    let installed = "install ok installed";
    let dc = |time: &str, counter: &str, action: &str, name: &str, status: &str| {
        event(debs, c, time, counter, action, &deb(name, "1.0-1", status))
    };
    [
        // Newest first for host A.
        event(programs, a, "3000", "2", "added", &ff123),
        event(programs, a, "3000", "2", "removed", &ff120),
        event(programs, b, "5000", "7", "removed", &kes12),
        event(programs, b, "5000", "7", "added", &mde),
        // Same second: removal (counter 8) after installation (counter 6).
        event(programs, b, "5000", "8", "removed", &npp),
        event(programs, a, "2000", "1", "added", &kes12),
        event(programs, a, "2000", "1", "removed", &kes11),
        event(programs, b, "5000", "6", "added", &npp),
        event(programs, a, "1000", "0", "added", &kes11),
        event(programs, a, "1000", "0", "added", &ff120),
        event(programs, b, "1000", "0", "added", &kes12),
        event(programs, b, "1000", "0", "added", &zip),
        dc("1500", "0", "added", "kesl", installed),
        dc("1500", "0", "added", "clamav", installed),
        dc("2500", "4", "removed", "clamav", installed),
        dc("2500", "4", "added", "clamav", "deinstall ok config-files"),
        // A full result (osqueryd restarted with a fresh database) replaces everything before
        // it; times and counters as strings, as the documentation shows them.
        dc("\"9000\"", "\"0\"", "added", "kesl", installed),
        dc("\"9000\"", "\"0\"", "added", "nginx", installed),
        // Older than that full result: gone.
        dc("1200", "3", "added", "old-tool", installed),
    ]
    .concat()
}

#[test]
fn added_and_removed_replay_in_time_order_across_hosts() {
    let log = out_of_order_log();
    let loaded = load_one("osqueryd.results.log", log.as_bytes());
    assert_eq!(
        ids(&loaded),
        [
            "og-ws-0001.mueller-mb.local",
            "og-ws-0002.mueller-mb.local",
            "og-lx-0003"
        ]
    );
    assert_eq!(
        installed(&loaded, "OG-WS-0001"),
        [
            ("Kaspersky Endpoint Security for Windows", "12.6.0.438"),
            ("Mozilla Firefox", "123.0.1"),
        ]
    );
    assert_eq!(
        installed(&loaded, "OG-WS-0002"),
        [
            ("7-Zip 23.01 (x64 edition)", "23.01.00.0"),
            ("Microsoft Defender for Endpoint", "10.8760"),
        ]
    );
    assert_eq!(
        installed(&loaded, "og-lx-0003"),
        [("kesl", "1.0-1"), ("nginx", "1.0-1")]
    );
    let f = &loaded.files[0];
    assert_eq!((f.rows, f.assets, f.software), (19, 3, 6));
    assert_eq!(f.skipped, skipped(&[("not installed", 1)]));
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
    assert_eq!(
        reliance(&loaded),
        [
            ("og-ws-0001.mueller-mb.local", Reliance::Direct),
            ("og-ws-0002.mueller-mb.local", Reliance::Unaffected),
            ("og-lx-0003", Reliance::Direct),
        ]
    );
}

#[test]
fn batch_format() {
    let kes12_3 = program(
        "Kaspersky Endpoint Security for Windows",
        "12.3.0.493",
        "AO Kaspersky Lab",
    );
    let kes12_6 = program(
        "Kaspersky Endpoint Security for Windows",
        "12.6.0.438",
        "AO Kaspersky Lab",
    );
    let office = program(
        "Microsoft 365 Apps for enterprise - de-de",
        "16.0.17328.20162",
        "Microsoft Corporation",
    );
    let log = format!(
        concat!(
            r#"{{"diffResults":{{"removed":[],"added":[{kes},{office}]}},"name":"pack/Global/programs","hostIdentifier":"FR-NB-0300.mueller-mb.local","calendarTime":"Mon Mar 10 07:00:00 2025 UTC","unixTime":1741590000,"epoch":0,"counter":0,"numerics":false,"decorations":{{"host_uuid":"0B6E2C34-77A1-4E0B-8E2B-6C1F0E9A0300","hostname":"FR-NB-0300"}}}}"#,
            "\n",
            r#"{{"diffResults":{{"removed":[{kes}],"added":[{new}]}},"name":"pack/Global/programs","hostIdentifier":"FR-NB-0300.mueller-mb.local","calendarTime":"Mon Mar 10 08:00:00 2025 UTC","unixTime":1741593600,"epoch":0,"counter":1,"numerics":false,"decorations":{{"host_uuid":"0B6E2C34-77A1-4E0B-8E2B-6C1F0E9A0300","hostname":"FR-NB-0300"}}}}"#,
            "\n"
        ),
        kes = kes12_3,
        office = office,
        new = kes12_6,
    );
    let loaded = load_one("osqueryd.results.log", log.as_bytes());
    assert_eq!(ids(&loaded), ["fr-nb-0300.mueller-mb.local"]);
    assert_eq!(
        asset(&loaded, "FR-NB-0300").name.as_deref(),
        Some("FR-NB-0300")
    );
    assert_eq!(
        installed(&loaded, "FR-NB-0300"),
        [
            ("Kaspersky Endpoint Security for Windows", "12.6.0.438"),
            (
                "Microsoft 365 Apps for enterprise - de-de",
                "16.0.17328.20162"
            ),
        ]
    );
    assert_eq!(loaded.files[0].format, "osquery-log");
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
}

#[test]
fn snapshot_format_newest_snapshot_wins() {
    let app = |name: &str, version: &str, copyright: &str| {
        format!(
            r#"{{"bundle_identifier":"com.example","bundle_short_version":"{version}","bundle_version":"{version}","copyright":"{copyright}","name":"{name}.app","path":"/Applications/{name}.app"}}"#
        )
    };
    let kes = app(
        "Kaspersky Endpoint Security for Mac",
        "12.1.0",
        "© 2024 AO Kaspersky Lab",
    );
    let teams = app(
        "Microsoft Teams",
        "24033.811.2738.2546",
        "Copyright © 2023 Microsoft Corporation",
    );
    let line = |time: u64, rows: &[&str]| {
        format!(
            r#"{{"snapshot":[{}],"action":"snapshot","name":"pack_inventory_apps","hostIdentifier":"FR-MAC-0007","calendarTime":"Mon Mar 10 08:14:55 2025 UTC","unixTime":{time},"epoch":0,"counter":0,"numerics":false}}"#,
            rows.join(",")
        ) + "\n"
    };
    let system_info = r#"{"hostname":"FR-MAC-0007.mueller-mb.local","computer_name":"FR-MAC-0007","uuid":"x","hardware_vendor":"Apple Inc.","hardware_model":"MacBookPro18,3"}"#;
    let os = r#"{"name":"macOS","version":"14.4.1","platform":"darwin","major":"14"}"#;
    let log = [
        // The newer snapshot comes first; the older one, after it, no longer counts.
        line(1741600000, &[&teams]),
        line(1741500000, &[&kes, &teams]),
        event(
            "pack_inventory_system_info",
            "FR-MAC-0007",
            "1741500000",
            "0",
            "snapshot",
            system_info,
        ),
        event(
            "pack_inventory_os_version",
            "FR-MAC-0007",
            "1741500000",
            "0",
            "snapshot",
            os,
        ),
    ]
    .concat();
    let loaded = load_one("osqueryd.snapshots.log", log.as_bytes());
    assert_eq!(ids(&loaded), ["fr-mac-0007"]);
    let mac = asset(&loaded, "FR-MAC-0007");
    assert_eq!(
        installed(&loaded, "FR-MAC-0007"),
        [("Microsoft Teams", "24033.811.2738.2546")]
    );
    assert_eq!(
        mac.software[0].publisher.as_deref(),
        Some("Microsoft Corporation")
    );
    assert_eq!(mac.os.raw, "macOS 14.4.1");
    assert_eq!(mac.os.family, OsFamily::Macos);
    assert_eq!(mac.kind, AssetKind::Laptop);
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
}

#[test]
fn a_truncated_line_is_a_warning_with_its_line_and_the_rest_imports() {
    let text = std::str::from_utf8(LOG).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let broken = [&lines[..3], &[&lines[3][..lines[3].len() / 2]], &lines[3..]]
        .concat()
        .join("\n")
        + "\n";
    let loaded = load_one("osqueryd.results.log", broken.as_bytes());
    let w = warnings(&loaded);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].starts_with("osqueryd.results.log:4: truncated JSON line (EOF while parsing"),
        "{w:?}"
    );
    assert!(w[0].ends_with("; line skipped"), "{w:?}");
    assert_eq!(loaded.inventory.len(), 3);
    assert_eq!(
        installed(&loaded, "fr-lx-web01"),
        [("kesl", "12.3.0-1162"), ("klnagent64", "15.1.0-20748")]
    );
    assert_eq!(loaded.files[0].skipped, skipped(&[("malformed line", 1)]));
    assert_eq!((loaded.files[0].rows, loaded.files[0].software), (8, 6));

    let err = try_load_one(
        "osqueryd.results.log",
        broken.as_bytes(),
        &ImportOptions::strict(true),
    )
    .expect_err("strict refuses a broken line");
    assert!(
        err.starts_with("osqueryd.results.log:4: truncated JSON line"),
        "{err}"
    );

    let garbage = format!("{}\n<html>\n", lines[0]);
    let loaded = load_one("r.log", garbage.as_bytes());
    assert!(
        warnings(&loaded)[0].starts_with("r.log:2: malformed JSON line (expected value"),
        "{:?}",
        warnings(&loaded)
    );
}

#[test]
fn unknown_queries_are_skipped_and_columns_can_tell_the_table() {
    let mut log = String::from_utf8(LOG.to_vec()).unwrap();
    log.push_str(&event(
        "pack_incident-response_process_events",
        "fr-ws-0999.mueller-mb.local",
        "1741597327",
        "3",
        "added",
        r#"{"cmdline":"avp.exe","path":"C:\\Program Files (x86)\\Kaspersky Lab\\avp.exe","pid":"4242"}"#,
    ));
    log.push_str(&event(
        "pack_inventory_npm_packages",
        "fr-ws-0142.mueller-mb.local",
        "1741597327",
        "3",
        "added",
        r#"{"name":"left-pad","path":"/x","version":"1.3.0"}"#,
    ));
    // A Fleet query whose name tells nothing: its columns are those of `programs`.
    log.push_str(&event(
        "Installed software (Windows)",
        "fr-ws-0777.mueller-mb.local",
        "1741597327",
        "0",
        "added",
        &program(
            "Kaspersky Small Office Security",
            "21.3.10.391",
            "Kaspersky",
        ),
    ));
    let loaded = load_one("osqueryd.results.log", log.as_bytes());
    assert_eq!(loaded.files[0].skipped, skipped(&[("query not used", 2)]));
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
    assert!(
        loaded
            .inventory
            .get("fr-ws-0999.mueller-mb.local")
            .is_none()
    );
    assert_eq!(
        installed(&loaded, "fr-ws-0777"),
        [("Kaspersky Small Office Security", "21.3.10.391")]
    );
    assert_eq!(installed(&loaded, "FR-WS-0142").len(), 3);
}

#[test]
fn hosts_from_uuid_identifiers_and_top_level_decorations() {
    let kes = program(
        "Kaspersky Endpoint Security for Windows",
        "12.6.0.438",
        "AO Kaspersky Lab",
    );
    let log = [
        // --host_identifier=uuid with a hostname decoration.
        format!(
            r#"{{"name":"pack_inventory_programs","hostIdentifier":"5B1C7A2E-3F44-11EE-9C1D-A4BB6D2F0150","calendarTime":"Mon Mar 10 08:14:55 2025 UTC","unixTime":1741594495,"epoch":0,"counter":0,"numerics":false,"decorations":{{"hostname":"FR-WS-0150"}},"columns":{kes},"action":"added"}}"#
        ),
        // --decorations_top_level and no hostIdentifier.
        format!(
            r#"{{"name":"pack_inventory_programs","calendarTime":"Mon Mar 10 08:14:55 2025 UTC","unixTime":1741594495,"epoch":0,"counter":0,"numerics":false,"hostname":"FR-WS-0151","columns":{kes},"action":"added"}}"#
        ),
        // No host at all.
        format!(
            r#"{{"name":"pack_inventory_programs","unixTime":1741594495,"counter":0,"columns":{kes},"action":"added"}}"#
        ),
        // Neither added nor removed.
        format!(
            r#"{{"name":"pack_inventory_programs","hostIdentifier":"FR-WS-0152","unixTime":1741594495,"counter":0,"columns":{kes},"action":"changed"}}"#
        ),
    ]
    .join("\n");
    let loaded = load_one("results.log", log.as_bytes());
    assert_eq!(ids(&loaded), ["fr-ws-0150", "fr-ws-0151"]);
    assert_eq!(installed(&loaded, "FR-WS-0150").len(), 1);
    assert_eq!(
        warnings(&loaded),
        [
            "results.log:3: result names no host (no hostIdentifier or decorations.hostname); \
             line skipped",
            "results.log:4: unknown action \"changed\" (expected added, removed or snapshot); \
             line skipped",
        ]
    );
    assert_eq!(
        loaded.files[0].skipped,
        skipped(&[("no host", 1), ("unknown action", 1)])
    );
}
