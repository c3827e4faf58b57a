//! Import of a ~200 MB Defender `DeviceTvmSoftwareInventory` CSV (issue 5: at least 100 MB/s,
//! memory bounded by the inventory). The file is generated into a temporary directory and
//! read with `load_paths`, which streams files of 32 MB and more.

use avmigrate::inventory::{ImportOptions, load_paths};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

/// Writes a TVM export of about `target` bytes: devices with 200 products each, in the
/// layout Advanced Hunting exports (CRLF, the documented columns).
fn generate(path: &std::path::Path, target: usize) -> usize {
    const VENDORS: [(&str, &str); 6] = [
        ("microsoft", "office"),
        ("mozilla", "firefox"),
        ("google", "chrome"),
        ("7-zip", "7-zip"),
        ("adobe", "acrobat_reader_dc"),
        ("oracle", "jre"),
    ];
    let mut out = String::with_capacity(target + 4096);
    out.push_str(
        "DeviceId,DeviceName,OSPlatform,OSVersion,OSArchitecture,SoftwareVendor,SoftwareName,\
         SoftwareVersion,EndOfSupportStatus,EndOfSupportDate,ProductCodeCpe\r\n",
    );
    let mut device = 0usize;
    while out.len() < target {
        device += 1;
        let id = format!("{:040x}", device.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let (platform, version) = if device.is_multiple_of(10) {
            ("WindowsServer2019", "10.0")
        } else {
            ("Windows11", "10.0")
        };
        for p in 0..200 {
            let (vendor, name) = if p == 0 {
                ("kaspersky", "endpoint_security")
            } else if p == 1 {
                ("kaspersky", "security_center_network_agent")
            } else {
                VENDORS[p % VENDORS.len()]
            };
            let _ = write!(
                out,
                "{id},ws-{device:06}.mueller-mb.local,{platform},{version},x64,{vendor},\
                 {name}_{p},{}.{}.{}.0,,,cpe:2.3:a:{vendor}:{name}:{}.{}:*:*:*:*:*:*:*\r\n",
                p % 30,
                device % 7,
                p * 13,
                p % 30,
                device % 7
            );
        }
    }
    std::fs::write(path, &out).expect("write the generated export");
    out.len()
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("DeviceTvmSoftwareInventory.csv");
    let size = generate(&path, 200 * 1024 * 1024);
    let mut group = c.benchmark_group("import-tvm");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30))
        .throughput(Throughput::Bytes(size as u64));
    group.bench_function("load_paths/200MB", |b| {
        b.iter(|| {
            let loaded = load_paths(&[&path], &ImportOptions::default()).expect("imports");
            black_box(loaded.inventory.len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
