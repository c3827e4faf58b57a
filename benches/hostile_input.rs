//! Hostile inputs (issue 12): each must be accepted or refused within 2 s. A 10 MB CSV with one
//! wide row, a 16 MB value, a 10 MB CSV of long non-ASCII software names, 10 MB of commas in
//! TOML, a deeply nested KSC JSON export, a native TOML line naming `[[asset]]` 120,000
//! times (finding where asset blocks start must stay linear), rows of 10,000 cells naming
//! Kaspersky behind megabyte cells, a dense ServiceNow relationship file and one host listing
//! a product in 200,000 versions.

use avmigrate::inventory::{ImportOptions, load_sources};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

fn import(label: &str, bytes: &[u8]) -> bool {
    load_sources(
        vec![(label.to_string(), bytes.to_vec())],
        &ImportOptions::default(),
    )
    .is_ok()
}

fn bench(c: &mut Criterion) {
    const MB10: usize = 10 * 1024 * 1024;
    let wide = format!("hostname,os\n{}\n", ",x".repeat(MB10 / 2));
    let cell = format!("hostname,os\n{},windows\n", "a".repeat(16 * 1024 * 1024));
    let name = "Лаборатория программного обеспечения ".repeat(20);
    let row = format!("h1,windows,{name}\n");
    let names = format!("hostname,os,software\n{}", row.repeat(MB10 / row.len()));
    let commas = format!("x = [{}\n", ",".repeat(MB10));
    let deep = format!(
        "{{\"KLHST_WKS_DN\":\"x\",\"a\":{}{}}}",
        "[".repeat(MB10 / 2),
        "]".repeat(MB10 / 2)
    );
    let mut headers = String::from("note = \"");
    headers.push_str(&"[[asset]] ".repeat(120_000));
    headers.push_str("\"\n[[asset]]\nid = \"a\"\n");
    let mut flagged = String::from("id,p0,p1");
    for c in 0..9_990 {
        flagged.push_str(&format!(",c{c}"));
    }
    flagged.push('\n');
    let megabyte = "x".repeat(1 << 20);
    for r in 0..4 {
        flagged.push_str(&format!("h{r},{megabyte},{megabyte}"));
        flagged.push_str(&",Kaspersky".repeat(9_990));
        flagged.push('\n');
    }
    let mut relations = String::from("parent,type,child\n");
    for i in 0..MB10 / 24 {
        relations.push_str(&format!("h{i},Runs on::Runs,h{}\n", i + 1));
    }
    let mut versions = String::from("installed_on,display_name,version\n");
    for i in 0..200_000 {
        versions.push_str(&format!("h1,Kaspersky Endpoint Security,11.{i}\n"));
    }
    let mut group = c.benchmark_group("hostile");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    for (label, bytes) in [
        ("wide-row.csv", wide.as_bytes()),
        ("16mb-cell.csv", cell.as_bytes()),
        ("cyrillic-names.csv", names.as_bytes()),
        ("commas.toml", commas.as_bytes()),
        ("deep.json", deep.as_bytes()),
        ("asset-headers-in-a-string.toml", headers.as_bytes()),
        ("flagged-wide-rows.csv", flagged.as_bytes()),
        ("servicenow-relations.csv", relations.as_bytes()),
        ("one-product-200000-versions.csv", versions.as_bytes()),
    ] {
        group.bench_function(label, |b| b.iter(|| black_box(import(label, bytes))));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
