//! Import speed on 100,000 assets. Ignored by default; run in release:
//! `cargo test --release --test import_perf -- --ignored --nocapture --test-threads=1`.

use avmigrate::inventory::{ImportOptions, csv_generic, load_sources, native};
use std::time::{Duration, Instant};

const ASSETS: usize = 100_000;

/// A generic CSV of `n` assets, each with 3 software entries and 3 relations (~30 MB).
fn big_csv(n: usize) -> String {
    let oses = [
        "Windows 11 Pro 23H2",
        "Windows 10 Enterprise 22H2",
        "Windows Server 2019 Standard",
        "Ubuntu 22.04.4 LTS",
        "Red Hat Enterprise Linux 8.6 (Ootpa)",
    ];
    let mut out = String::with_capacity(n * 330);
    out.push_str("hostname,name,os,site,owner,criticality,kind,tags,software,depends_on\n");
    for i in 0..n {
        let os = oses[i % oses.len()];
        out.push_str(&format!(
            "ws-{i:06},ws-{i:06}.mueller-maschinenbau.local,{os},Freiburg Werk {},Konstruktion,{},,pilot|kritis,\
             Kaspersky Endpoint Security for Windows@12.6.0.438|Microsoft Office Professional Plus 2021@16.0.14332.20604|Google Chrome@124.0.6367.119,\
             ksc-{:02}:managed-by|upd-{:02}:updates-from|fs-{:03}\n",
            i % 7,
            ["low", "medium", "high", "critical"][i % 4],
            i % 10,
            i % 20,
            i % 300,
        ));
    }
    out
}

fn time<T>(what: &str, f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    let took = start.elapsed();
    println!("{what}: {took:?}");
    (value, took)
}

#[test]
#[ignore = "timing; run in release with --ignored"]
fn import_100k_assets() {
    let csv = big_csv(ASSETS);
    println!("CSV: {} bytes", csv.len());
    let (loaded, csv_time) = time("CSV import", || {
        load_sources(
            vec![("big.csv".into(), csv.into_bytes())],
            &ImportOptions::default(),
        )
    });
    let loaded = loaded.expect("imports");
    assert_eq!(loaded.inventory.len(), ASSETS);
    assert_eq!(loaded.files[0].software, 3 * ASSETS);
    assert_eq!(loaded.files[0].relations, 3 * ASSETS);

    let (toml, _) = time("native::write", || native::write(&loaded.inventory));
    println!("TOML: {} bytes", toml.len());
    let (again, toml_time) = time("TOML import", || {
        load_sources(
            vec![("big.toml".into(), toml.into_bytes())],
            &ImportOptions::default(),
        )
    });
    assert_eq!(again.expect("imports").inventory.len(), ASSETS);
    let (written, _) = time("csv_generic::write", || {
        csv_generic::write(&loaded.inventory)
    });
    assert!(written.len() > 20_000_000);

    if !cfg!(debug_assertions) {
        assert!(
            csv_time < Duration::from_millis(500),
            "CSV import took {csv_time:?}"
        );
        assert!(
            toml_time < Duration::from_secs(3),
            "TOML import took {toml_time:?}"
        );
    }
}

#[test]
#[ignore = "timing; run in release with --ignored"]
fn import_300k_software_rows_for_1000_hosts() {
    let mut assets = String::from("hostname,os\n");
    let mut software = String::from("asset,name,version,publisher\n");
    for h in 0..1000 {
        assets.push_str(&format!("host-{h:04},Windows 11\n"));
        for p in 0..300 {
            software.push_str(&format!(
                "host-{h:04}.corp.local,Product number {p} by Vendor,1.{p}.0,Vendor {}\n",
                p % 17
            ));
        }
    }
    println!("software CSV: {} bytes", software.len());
    let sources = vec![
        ("assets.csv".to_string(), assets.into_bytes()),
        ("software.csv".to_string(), software.into_bytes()),
    ];
    let (loaded, took) = time("assets + software import", || {
        load_sources(sources, &ImportOptions::default())
    });
    let loaded = loaded.expect("imports");
    assert_eq!(loaded.inventory.len(), 1000);
    assert!(
        loaded
            .inventory
            .assets()
            .iter()
            .all(|a| a.software.len() == 300)
    );
    if !cfg!(debug_assertions) {
        assert!(
            took < Duration::from_secs(2),
            "software merge took {took:?}"
        );
    }
}
