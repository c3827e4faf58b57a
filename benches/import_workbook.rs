//! Import of a 100,000-row hand-kept Excel inventory (issue 11: median under 3 s): a cover
//! sheet, a title row above German headers, dates, versions typed as numbers and a totals
//! row. The workbook is generated into a temporary directory and read with `load_paths`.

use avmigrate::inventory::{ImportOptions, load_paths};
use criterion::{Criterion, criterion_group, criterion_main};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::hint::black_box;
use std::time::Duration;

const ROWS: u32 = 100_000;

fn generate(path: &std::path::Path) {
    let mut wb = Workbook::new();
    let cover = wb.add_worksheet().set_name("Deckblatt").expect("name");
    cover.write(0, 0, "IT-Inventar").expect("write");
    let ws = wb.add_worksheet().set_name("Rechner").expect("name");
    ws.write(0, 0, "Rechnerliste").expect("write");
    let headers = [
        "Rechnername",
        "Betriebssystem",
        "Standort",
        "Abteilung",
        "Virenschutz",
        "Version",
        "Angeschafft",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write(2, c as u16, *h).expect("write");
    }
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let day = ExcelDateTime::from_ymd(2022, 3, 1).expect("date");
    const SITES: [&str; 4] = ["Köln", "Bonn", "Düsseldorf", "Aachen"];
    for i in 0..ROWS {
        let r = i + 3;
        let (os, av, version) = if i % 10 == 0 {
            (
                "Windows Server 2019",
                "Kaspersky Security für Windows Server",
                11.0,
            )
        } else if i % 3 == 0 {
            ("Windows 11 Pro", "Microsoft Defender", 4.18)
        } else {
            ("Windows 10 Pro", "Kaspersky Endpoint Security", 12.6)
        };
        ws.write(r, 0, format!("pc-{i:06}")).expect("write");
        ws.write(r, 1, os).expect("write");
        ws.write(r, 2, SITES[i as usize % SITES.len()])
            .expect("write");
        ws.write(r, 3, format!("Abteilung {}", i % 40))
            .expect("write");
        ws.write(r, 4, av).expect("write");
        ws.write(r, 5, version).expect("write");
        ws.write_datetime_with_format(r, 6, &day, &date)
            .expect("write");
    }
    ws.write(ROWS + 4, 0, "Summe").expect("write");
    ws.write(ROWS + 4, 1, f64::from(ROWS)).expect("write");
    wb.save(path).expect("save the generated workbook");
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("inventar.xlsx");
    generate(&path);
    let loaded = load_paths(&[&path], &ImportOptions::default()).expect("imports");
    assert_eq!(loaded.inventory.len(), ROWS as usize);
    let mut group = c.benchmark_group("import-workbook");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    group.bench_function("load_paths/xlsx-100k-rows", |b| {
        b.iter(|| {
            let loaded = load_paths(&[&path], &ImportOptions::default()).expect("imports");
            black_box(loaded.inventory.len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
