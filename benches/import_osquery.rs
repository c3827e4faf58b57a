//! Import of a ~200 MB osqueryd results log through the streaming path (issue 5: at least
//! 100 MB/s in release, memory bounded by the inventory, not the file).
//!
//! 4,000 hosts (3 of 4 Windows with `programs`, 1 of 4 Linux with `deb_packages`) report a full
//! initial result, then rounds of upgrades (each removing three versions and adding the next).
//! Set `AVMIGRATE_BENCH_OSQUERY_LOG=PATH` to keep the generated log at PATH (for measuring
//! peak memory with `/usr/bin/time -f %M avmigrate analyze PATH`), and
//! `AVMIGRATE_BENCH_OSQUERY_MB` to change its size.

use avmigrate::inventory::{ImportOptions, load_paths};
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

const HOSTS: u64 = 4000;

fn event(out: &mut String, query: &str, host: &str, time: u64, counter: u64) {
    let short = host.split('.').next().unwrap_or(host).to_uppercase();
    let _ = write!(
        out,
        r#"{{"name":"{query}","hostIdentifier":"{host}","calendarTime":"Mon Mar 10 08:14:55 2025 UTC","unixTime":{time},"epoch":0,"counter":{counter},"numerics":false,"decorations":{{"host_uuid":"5B1C7A2E-3F44-11EE-9C1D-A4BB6D2F{n:04}","hostname":"{short}"}},"columns":"#,
        n = time % 10000,
    );
}

fn program(out: &mut String, name: &str, version: &str, publisher: &str, action: &str) {
    let _ = writeln!(
        out,
        r#"{{"identifying_number":"{{A5E5BBC2-4E4B-4A5B-9B7E-2D1F6C3A9E01}}","install_date":"20240918","install_location":"C:\\Program Files\\{publisher}\\{name}\\","install_source":"C:\\Windows\\Temp\\","language":"1031","name":"{name}","package_family_name":"","publisher":"{publisher}","uninstall_string":"MsiExec.exe /I{{A5E5BBC2-4E4B-4A5B-9B7E-2D1F6C3A9E01}}","upgrade_code":"","version":"{version}"}},"action":"{action}"}}"#
    );
}

fn deb(out: &mut String, name: &str, version: &str, action: &str) {
    let _ = writeln!(
        out,
        r#"{{"admindir":"/var/lib/dpkg","arch":"amd64","maintainer":"Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>","name":"{name}","priority":"optional","revision":"0ubuntu0.22.04.1","section":"utils","size":"1024","source":"","status":"install ok installed","version":"{version}"}},"action":"{action}"}}"#
    );
}

/// One host's result lines for one run: the full product list at round 0, else three upgrades.
fn host_run(out: &mut String, host: u64, round: u64) {
    let time = 1_741_500_000 + round * 3600 + host;
    let version = |product: u64, r: u64| format!("{}.{}.{}", 1 + product % 20, r, host % 97);
    let changed = |product: u64| (product + round) % 20 < 3;
    if host % 4 == 3 {
        let name = format!("og-lx-{host:05}");
        let q = "pack/inventory/deb_packages";
        for p in 0..30 {
            let package = if p == 0 && !host.is_multiple_of(10) {
                "kesl".to_string()
            } else {
                format!("package-{p:02}")
            };
            if round == 0 {
                event(out, q, &name, time, 0);
                deb(out, &package, &version(p, 0), "added");
            } else if changed(p) {
                event(out, q, &name, time, round);
                deb(out, &package, &version(p, round - 1), "removed");
                event(out, q, &name, time, round);
                deb(out, &package, &version(p, round), "added");
            }
        }
    } else {
        let name = format!("fr-ws-{host:05}.mueller-mb.local");
        let q = "pack_inventory_programs";
        for p in 0..20 {
            let (product, publisher) = if p == 0 && !host.is_multiple_of(10) {
                (
                    "Kaspersky Endpoint Security for Windows".to_string(),
                    "AO Kaspersky Lab",
                )
            } else {
                (
                    format!("Business Application {p:02}"),
                    "Müller Maschinenbau GmbH",
                )
            };
            if round == 0 {
                event(out, q, &name, time, 0);
                program(out, &product, &version(p, 0), publisher, "added");
            } else if changed(p) {
                event(out, q, &name, time, round);
                program(out, &product, &version(p, round - 1), publisher, "removed");
                event(out, q, &name, time, round);
                program(out, &product, &version(p, round), publisher, "added");
            }
        }
    }
}

/// Writes a results log of at least `bytes` bytes to `path`.
fn write_log(path: &Path, bytes: usize) -> u64 {
    use std::io::Write;
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("create log"));
    let (mut written, mut round, mut chunk) = (0usize, 0u64, String::with_capacity(1 << 22));
    while written < bytes {
        for host in 0..HOSTS {
            host_run(&mut chunk, host, round);
            if chunk.len() >= 1 << 21 {
                file.write_all(chunk.as_bytes()).expect("write log");
                written += chunk.len();
                chunk.clear();
            }
        }
        round += 1;
    }
    file.write_all(chunk.as_bytes()).expect("write log");
    file.flush().expect("write log");
    std::fs::metadata(path).expect("log written").len()
}

fn bench(c: &mut Criterion) {
    let mb: usize = std::env::var("AVMIGRATE_BENCH_OSQUERY_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = match std::env::var_os("AVMIGRATE_BENCH_OSQUERY_LOG") {
        Some(p) => std::path::PathBuf::from(p),
        None => dir.path().join("osqueryd.results.log"),
    };
    let size = write_log(&path, mb * 1_000_000);
    let opts = ImportOptions::default();
    let loaded = load_paths(&[&path], &opts).expect("log imports");
    eprintln!(
        "osquery log: {size} bytes, {} hosts, {} software rows",
        loaded.inventory.len(),
        loaded.files[0].software
    );
    let mut group = c.benchmark_group("import-osquery-log");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(15))
        .throughput(Throughput::Bytes(size));
    group.bench_function(format!("{}MB", size / 1_000_000), |b| {
        b.iter(|| {
            black_box(
                load_paths(&[&path], &opts)
                    .expect("imports")
                    .inventory
                    .len(),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
