//! Excel and OpenDocument workbooks: sheet detection, title and totals rows, cell values as
//! shown, `--sheet`, every workbook kind, hostile workbooks.

use crate::common;
use crate::import_support;

use avmigrate::inventory::{ImportOptions, Loaded, load_sources};
use common::*;
use import_support::ids;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

fn data(name: &str) -> std::path::PathBuf {
    repo(&format!("tests/import_workbook_data/{name}"))
}

fn load(label: &str, bytes: Vec<u8>, sheet: Option<&str>) -> Result<Loaded, String> {
    let opts = ImportOptions {
        sheet: sheet.map(String::from),
        ..ImportOptions::default()
    };
    load_sources(vec![(label.to_string(), bytes)], &opts).map_err(|e| e.to_string())
}

/// A hand-kept inventory: a cover sheet, then "Rechner" with a title row and a blank row
/// above German headers, a date, a version typed as a number, a formula and a totals row.
fn inventory_xlsx() -> Vec<u8> {
    let mut wb = Workbook::new();
    let cover = wb.add_worksheet().set_name("Deckblatt").expect("name");
    cover
        .write(0, 0, "IT-Inventar Musterfirma GmbH")
        .expect("write");
    cover.write(2, 0, "Erstellt von").expect("write");
    cover.write(2, 1, "IT-Leitung").expect("write");
    let ws = wb.add_worksheet().set_name("Rechner").expect("name");
    ws.write(0, 0, "Rechnerliste Stand März 2024")
        .expect("write");
    let headers = [
        "Rechnername",
        "Betriebssystem",
        "Standort",
        "Virenschutz",
        "Version",
        "Angeschafft",
        "Kürzel",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write(2, c as u16, *h).expect("write");
    }
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let stamp = Format::new().set_num_format("dd.mm.yyyy hh:mm");
    ws.write(3, 0, "PC-BUCH-01").expect("write");
    ws.write(3, 1, "Windows 11 Pro").expect("write");
    ws.write(3, 2, "Köln").expect("write");
    ws.write(3, 3, "Kaspersky Endpoint Security")
        .expect("write");
    ws.write(3, 4, 12.6).expect("write");
    let d = ExcelDateTime::from_ymd(2021, 4, 1).expect("date");
    ws.write_datetime_with_format(3, 5, &d, &date)
        .expect("write");
    ws.write_formula(3, 6, Formula::new("=LEFT(A4,2)").set_result("PC"))
        .expect("write");
    ws.write(4, 0, "PC-BUCH-02").expect("write");
    ws.write(4, 1, "Windows 10 Pro").expect("write");
    ws.write(4, 2, "Köln").expect("write");
    ws.write(4, 3, "Microsoft Defender").expect("write");
    ws.write(4, 4, 4.18).expect("write");
    let t = ExcelDateTime::from_ymd(2022, 11, 15)
        .and_then(|d| d.and_hms(8, 30, 0))
        .expect("date");
    ws.write_datetime_with_format(4, 5, &t, &stamp)
        .expect("write");
    ws.write_formula(4, 6, Formula::new("=1/0").set_result("#DIV/0!"))
        .expect("write");
    ws.write(6, 0, "Summe").expect("write");
    ws.write_formula(6, 1, Formula::new("=COUNTA(A4:A5)").set_result("2"))
        .expect("write");
    wb.save_to_buffer().expect("xlsx")
}

fn software_of<'a>(loaded: &'a Loaded, id: &str) -> Vec<(&'a str, Option<&'a str>)> {
    let asset = loaded
        .inventory
        .assets()
        .iter()
        .find(|a| a.id == id)
        .unwrap_or_else(|| panic!("no asset {id}"));
    asset
        .software
        .iter()
        .map(|s| (s.name.as_str(), s.version.as_deref()))
        .collect()
}

#[test]
fn cover_sheet_title_rows_totals_dates_and_german_headers() {
    let loaded = load("inventar.xlsx", inventory_xlsx(), None).expect("reads");
    assert_eq!(
        ids(&loaded),
        ["PC-BUCH-01", "PC-BUCH-02"],
        "no title, cover or totals asset: {:?}",
        loaded.warnings
    );
    let first = &loaded.inventory.assets()[0];
    assert_eq!(first.site().map(|t| t.as_str()), Some("Köln"));
    assert_eq!(
        software_of(&loaded, "PC-BUCH-01"),
        [("Kaspersky Endpoint Security", Some("12.6"))],
        "a version typed as a number stays as written"
    );
    let origin = first.origin.as_ref().expect("origin").to_string();
    assert_eq!(origin, "inventar.xlsx [Rechner] row 4");
    let report = &loaded.files[0];
    assert_eq!(
        (report.encoding, report.format),
        ("xlsx workbook", "csv-assets")
    );
    assert_eq!((report.rows, report.separator), (2, None));
}

#[test]
fn inspect_shows_the_sheet_chosen_and_kaspersky_is_direct() {
    let sb = Sandbox::new();
    let path = sb.write("inventar.xlsx", inventory_xlsx());
    let out = sb.ok(&["inspect", path.to_str().expect("utf-8")]);
    assert!(out.contains("encoding   xlsx workbook"), "{out}");
    assert!(
        out.contains("Rechner: read, row 3 is a header with 5 known column names"),
        "{out}"
    );
    assert!(out.contains("rows 1-2 above it skipped"), "{out}");
    assert!(out.contains("row 7 not read (totals row)"), "{out}");
    assert!(out.contains("Deckblatt: skipped"), "{out}");
    assert!(out.contains("Rechnername | Betriebssystem"), "{out}");

    let sheets = avmigrate::inventory::inspect::inspect(
        "inventar.xlsx",
        inventory_xlsx(),
        &ImportOptions::default(),
    )
    .expect("inspects");
    assert_eq!(sheets.headers.len(), 7);
    let direct = sb.json(&["analyze", "--format", "json", path.to_str().expect("utf-8")]);
    let ids: Vec<String> = direct["direct_assets"]
        .as_array()
        .expect("list")
        .iter()
        .map(|a| a["id"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(ids, ["PC-BUCH-01"], "Kaspersky in the Virenschutz column");
    // The per-file report names the sheet read, its header row and format; the cover sheet
    // is not listed.
    let sheets = &direct["files"][0]["sheets"];
    assert_eq!(sheets.as_array().map(Vec::len), Some(1), "{sheets}");
    assert_eq!(sheets[0]["name"], "Rechner", "{sheets}");
    assert_eq!(sheets[0]["header_row"], 3, "{sheets}");
    assert_eq!(sheets[0]["format"], "csv-assets", "{sheets}");
    let text = sb.ok(&["analyze", path.to_str().expect("utf-8")]);
    assert!(
        text.contains("    sheet Rechner (header row 3): csv-assets"),
        "{text}"
    );
}

#[test]
fn cell_values_become_text() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Inventar").expect("name");
    for (c, h) in ["hostname", "os", "tags"].iter().enumerate() {
        ws.write(0, c as u16, *h).expect("write");
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let rows: [(&str, &str); 3] = [("h1", "Windows 11"), ("h2", "Windows 10"), ("h3", "x")];
    for (r, (h, os)) in rows.iter().enumerate() {
        ws.write(r as u32 + 1, 0, *h).expect("write");
        ws.write(r as u32 + 1, 1, *os).expect("write");
    }
    ws.write(1, 2, 42.0).expect("write");
    let d = ExcelDateTime::from_ymd(2024, 2, 29).expect("date");
    ws.write_datetime_with_format(2, 2, &d, &date)
        .expect("write");
    ws.write(3, 2, true).expect("write");
    let loaded = load("t.xlsx", wb.save_to_buffer().expect("xlsx"), None).expect("reads");
    let tags: Vec<Vec<String>> = loaded
        .inventory
        .assets()
        .iter()
        .map(|a| a.tags().map(|t| t.to_string()).collect())
        .collect();
    assert_eq!(tags, [vec!["42"], vec!["2024-02-29"], vec!["TRUE"]]);
}

#[test]
fn several_inventory_sheets_are_all_read_and_sheet_chooses_one() {
    let mut wb = Workbook::new();
    for (site, host) in [("Köln", "pc-k1"), ("Bonn", "pc-b1")] {
        let ws = wb.add_worksheet().set_name(site).expect("name");
        ws.write(0, 0, "Rechnername").expect("write");
        ws.write(0, 1, "Standort").expect("write");
        ws.write(0, 2, "Virenschutz").expect("write");
        ws.write(1, 0, host).expect("write");
        ws.write(1, 1, site).expect("write");
        ws.write(1, 2, "Kaspersky Endpoint Security")
            .expect("write");
    }
    let bytes = wb.save_to_buffer().expect("xlsx");
    let all = load("standorte.xlsx", bytes.clone(), None).expect("reads");
    assert_eq!(all.inventory.assets().len(), 2);
    assert_eq!(all.files[0].rows, 2);
    let names: Vec<&str> = all.files[0]
        .sheets
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["Köln", "Bonn"]);
    let bonn = load("standorte.xlsx", bytes.clone(), Some("Bonn")).expect("reads");
    assert_eq!(ids(&bonn), ["pc-b1"]);
    let e = load("standorte.xlsx", bytes.clone(), Some("Berlin")).expect_err("no such sheet");
    assert_eq!(
        e,
        "standorte.xlsx: no sheet named \"Berlin\"; its sheets are \"Köln\", \"Bonn\""
    );
    let sb = Sandbox::new();
    let path = sb.write("standorte.xlsx", &bytes);
    let err = sb.fails(
        2,
        &[
            "analyze",
            "--sheet",
            "Berlin",
            path.to_str().expect("utf-8"),
        ],
    );
    assert!(err.contains("no sheet named \"Berlin\""), "{err}");
    let out = sb.ok(&["analyze", "--sheet", "Bonn", path.to_str().expect("utf-8")]);
    assert!(out.contains("1 assets from 1 file(s)"), "{out}");
}

#[test]
fn rows_are_named_by_sheet_and_row() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Rechner").expect("name");
    for (c, h) in ["Rechnername", "Betriebssystem", "Kritikalität"]
        .iter()
        .enumerate()
    {
        ws.write(1, c as u16, *h).expect("write");
    }
    ws.write(2, 0, "pc1").expect("write");
    ws.write(2, 2, "hoch").expect("write");
    ws.write(6, 0, "pc2").expect("write");
    ws.write(6, 2, "galaktisch").expect("write");
    let loaded = load("inventar.xlsx", wb.save_to_buffer().expect("xlsx"), None).expect("reads");
    let warnings: Vec<String> = loaded.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("inventar.xlsx [Rechner] row 7, column C: ")),
        "{warnings:?}"
    );
}

#[test]
fn xls_ods_and_xlsm_workbooks_are_read() {
    let xls = std::fs::read(data("inventar.xls")).expect("fixture");
    let loaded = load("inventar.xls", xls, None).expect("reads");
    assert_eq!(ids(&loaded), ["PC-BUCH-01", "PC-BUCH-02"]);
    assert_eq!(
        software_of(&loaded, "PC-BUCH-01"),
        [("Kaspersky Endpoint Security", Some("12.6"))]
    );
    assert_eq!(loaded.files[0].encoding, "xls workbook");

    let ods = std::fs::read(data("inventar.ods")).expect("fixture");
    let loaded = load("inventar.ods", ods, None).expect("reads");
    assert_eq!(
        ids(&loaded),
        ["SRV-DC-01", "PC-EMPFANG"],
        "no note sheet, no totals row"
    );
    assert_eq!(
        loaded.inventory.assets()[0]
            .origin
            .as_ref()
            .expect("origin")
            .to_string(),
        "inventar.ods [Geräte] row 4"
    );

    // Content decides, not the name: the same workbook named .xlsm (macro-enabled) or .dat.
    for name in ["inventar.xlsm", "inventar.dat"] {
        let loaded = load(name, inventory_xlsx(), None).expect("reads");
        assert_eq!(loaded.inventory.assets().len(), 2, "{name}");
    }
}

#[test]
fn hostile_and_empty_workbooks_are_refused() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "kaputt.xlsx",
            b"PK\x03\x04 not really a zip".to_vec(),
            "kaputt.xlsx: unreadable workbook",
        ),
        (
            "kaputt.xls",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 truncated".to_vec(),
            "kaputt.xls: unreadable xls workbook",
        ),
        (
            "leer.xlsx",
            empty_workbook(),
            "leer.xlsx: workbook is empty",
        ),
        (
            "notizen.xlsx",
            notes_workbook(),
            "notizen.xlsx: no sheet looks like an inventory",
        ),
        ("verschluesselt.xlsx", encrypted(), "workbook is encrypted"),
    ];
    for (name, bytes, expected) in cases {
        let e = load(name, bytes, None).expect_err(name);
        assert!(e.contains(expected), "{name}: {e}");
    }
}

fn empty_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    wb.add_worksheet();
    wb.save_to_buffer().expect("xlsx")
}

fn notes_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    for name in ["Notizen", "Kontakte"] {
        let ws = wb.add_worksheet().set_name(name).expect("name");
        ws.write(0, 0, "Telefon").expect("write");
        ws.write(0, 1, "Durchwahl").expect("write");
        ws.write(1, 0, "Zentrale").expect("write");
        ws.write(1, 1, "100").expect("write");
    }
    wb.save_to_buffer().expect("xlsx")
}

/// An encrypted xlsx is an OLE2 compound file holding an `EncryptedPackage` stream.
fn encrypted() -> Vec<u8> {
    let mut bytes = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    bytes.resize(512, 0);
    bytes.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_unpacked() {
    // A part that claims to unpack to 4 GiB: the declared size is checked first.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write(0, 0, "hostname").expect("write");
    ws.write(1, 0, "h1").expect("write");
    let mut bytes = wb.save_to_buffer().expect("xlsx");
    // Patch the uncompressed size of the first central-directory entry to 0xFFFFFFFE.
    let cd = bytes
        .windows(4)
        .position(|w| w == b"PK\x01\x02")
        .expect("central directory");
    bytes[cd + 24..cd + 28].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
    let e = load("bombe.xlsx", bytes, None).expect_err("refused");
    assert!(e.contains("unpacks to more than the limit"), "{e}");
}

#[test]
fn a_vendor_export_saved_as_a_workbook_is_detected() {
    // A German KSC device list opened in Excel, given a title row and saved as xlsx.
    let tsv = "Name\tBetriebssystem\tWindows-Domäne\tAdministrationsagent ist installiert\t\
Verbindung mit dem Administrationsserver\tDNS-Domäne\tVersion des Administrationsagenten\t\
Programmversion\tName des virtuellen oder sekundären Administrationsservers\tGruppe\n\
FR-WS-0150\tMicrosoft Windows 10 Pro\tMUELLER-MB\tJa\tvor 5 Minuten\tmueller-mb.local\t\t12.6.0.438\t\tArbeitsplätze\n";
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Geräte").expect("name");
    ws.write(0, 0, "Export aus dem Security Center")
        .expect("write");
    for (r, line) in tsv.lines().enumerate() {
        for (c, cell) in line.split('\t').enumerate() {
            if !cell.is_empty() {
                ws.write(r as u32 + 1, c as u16, cell).expect("write");
            }
        }
    }
    let loaded = load("ksc.xlsx", wb.save_to_buffer().expect("xlsx"), None).expect("reads");
    assert_eq!(loaded.files[0].format, "ksc-devices");
    let asset = &loaded.inventory.assets()[0];
    assert_eq!(asset.id, "FR-WS-0150.mueller-mb.local");
    assert!(
        asset
            .software
            .iter()
            .any(|s| s.name == "Kaspersky Endpoint Security for Windows"),
        "{:?}",
        asset.software
    );
}

/// A few hundred bytes that ask the workbook reader for billions of cells are refused before
/// it lays a sheet out (they took 5 GB and half a minute).
#[test]
fn workbooks_spanning_far_more_cells_than_their_size_are_refused_at_once() {
    // xls: one cell moved to IV65536 (the last row and column of a BIFF8 sheet).
    let mut xls = std::fs::read(data("inventar.xls")).expect("fixture");
    let at = xls
        .windows(4)
        .position(|w| w == [0xFD, 0x00, 0x0A, 0x00])
        .expect("a LABELSST record");
    xls[at + 4..at + 8].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0x00]);
    let e = load("weit.xls", xls, None).expect_err("refused");
    assert!(
        e.starts_with(
            "weit.xls: workbook has more than 1000000 cells, the limit for a file of 5.5 KiB"
        ),
        "{e}"
    );
    // ods: a cell repeated 9,990 times in a row repeated 4,000 times.
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Inventar"><table:table-row><table:table-cell office:value-type="string"><text:p>hostname</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="4000"><table:table-cell table:number-columns-repeated="9990" office:value-type="string"><text:p>Kaspersky</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let mut ods = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut ods);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).expect("zip");
        std::io::Write::write_all(&mut zip, b"application/vnd.oasis.opendocument.spreadsheet")
            .expect("zip");
        zip.start_file("content.xml", stored).expect("zip");
        std::io::Write::write_all(&mut zip, content.as_bytes()).expect("zip");
        zip.finish().expect("zip");
    }
    let e = load("wiederholt.ods", ods.into_inner(), None).expect_err("refused");
    assert!(
        e.starts_with("wiederholt.ods: workbook has more than 1000000 cells"),
        "{e}"
    );
    // xlsx: rows whose last cell is far to the right (read cell by cell, counted as read).
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write(0, 0, "hostname").expect("write");
    for row in 1..150 {
        ws.write(row, 0, format!("h{row}")).expect("write");
        ws.write(row, 9_000, "x").expect("write");
    }
    let e = load("breit.xlsx", wb.save_to_buffer().expect("xlsx"), None).expect_err("refused");
    assert!(
        e.starts_with("breit.xlsx: workbook has more than 1000000 cells"),
        "{e}"
    );
}
