//! A large osqueryd results log (≥ 32 MB) is read through the streaming path and gives the same
//! inventory, reports and warnings as the same bytes read in memory.

use crate::osquery_support as common;

use avmigrate::analysis::Analysis;
use avmigrate::inventory::{ImportOptions, load_paths};
use avmigrate::model::Software;
use avmigrate::rules::RuleSet;
use common::*;

/// A log of 400 hosts with programs and deb_packages churn (each run removes a version
/// and adds the next), out-of-order runs, an unknown query, and one truncated line.
fn big_log(target_bytes: usize) -> String {
    let mut out = String::with_capacity(target_bytes + (1 << 20));
    let mut run = 0u64;
    while out.len() < target_bytes {
        let host = run % 400;
        let round = run / 400;
        let time = 1_741_500_000 + round * 3600;
        if host % 4 == 3 {
            let name = format!("og-lx-{host:04}");
            let q = "pack/inventory/deb_packages";
            let old = deb("kesl", &format!("12.{round}.0-1"), "install ok installed");
            let new = deb(
                "kesl",
                &format!("12.{}.0-1", round + 1),
                "install ok installed",
            );
            let (t, c) = (time.to_string(), (round + 1).to_string());
            if round == 0 {
                out.push_str(&event(q, &name, &t, "0", "added", &old));
            }
            out.push_str(&event(q, &name, &t, &c, "removed", &old));
            out.push_str(&event(q, &name, &t, &c, "added", &new));
        } else {
            let name = format!("og-ws-{host:04}.mueller-mb.local");
            let q = "pack_inventory_programs";
            let v = |r: u64| format!("12.{r}.0.{host}");
            let old = program(
                "Kaspersky Endpoint Security for Windows",
                &v(round),
                "AO Kaspersky Lab",
            );
            let new = program(
                "Kaspersky Endpoint Security for Windows",
                &v(round + 1),
                "AO Kaspersky Lab",
            );
            let (t, c) = (time.to_string(), (round + 1).to_string());
            if round == 0 {
                out.push_str(&event(q, &name, &t, "0", "added", &old));
                out.push_str(&event(
                    q,
                    &name,
                    &t,
                    "0",
                    "added",
                    &program("7-Zip", "23.01", "Igor Pavlov"),
                ));
            }
            // Newer run first: the replay must still end on the newest version.
            let later = (time + 60).to_string();
            let next = program(
                "Kaspersky Endpoint Security for Windows",
                &v(round + 2),
                "AO Kaspersky Lab",
            );
            if round % 5 == 4 {
                let c2 = (round + 2).to_string();
                out.push_str(&event(q, &name, &later, &c2, "removed", &new));
                out.push_str(&event(q, &name, &later, &c2, "added", &next));
            }
            out.push_str(&event(q, &name, &t, &c, "removed", &old));
            out.push_str(&event(q, &name, &t, &c, "added", &new));
        }
        if run == 777 {
            out.push_str(r#"{"name":"pack_inventory_programs","hostIdentifier":"og-ws-0001.mue"#);
            out.push('\n');
            out.push_str(&event(
                "pack_it_process_events",
                "og-ws-0002",
                "1",
                "1",
                "added",
                r#"{"pid":"1"}"#,
            ));
        }
        run += 1;
    }
    out
}

#[test]
fn a_large_log_streams_to_the_same_inventory() {
    let log = big_log(33 * 1024 * 1024);
    assert!(log.len() as u64 >= avmigrate::inventory::STREAM_FROM);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("osqueryd.results.log");
    std::fs::write(&path, &log).expect("write log");
    let label = path.display().to_string();
    let streamed = load_paths(&[&path], &ImportOptions::default()).expect("streams");
    let in_memory = load_one(&label, log.as_bytes());
    assert_eq!(streamed.inventory.assets(), in_memory.inventory.assets());
    assert_eq!(streamed.files, in_memory.files);
    assert_eq!(warnings(&streamed), warnings(&in_memory));

    let f = &streamed.files[0];
    assert_eq!((f.format, f.assets), ("osquery-log", 400));
    assert_eq!(
        f.skipped,
        skipped(&[("malformed line", 1), ("query not used", 1)])
    );
    let w = warnings(&streamed);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].starts_with(&format!("{label}:")) && w[0].contains("truncated JSON line"));
    // Every host ends on one KES version, the newest of its runs.
    for a in streamed.inventory.assets() {
        let kes: Vec<&Software> = a
            .software
            .iter()
            .filter(|s| s.name.starts_with("Kaspersky") || s.name == "kesl")
            .collect();
        assert_eq!(kes.len(), 1, "{}: {:?}", a.id, a.software);
    }
    let totals = Analysis::run(&streamed.inventory, &RuleSet::builtin()).totals();
    assert_eq!((totals.assets, totals.direct), (400, 400));
}
