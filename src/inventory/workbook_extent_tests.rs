//! Tests of the parent module.
use super::*;

fn ods_xml_cells(xml: &str) -> u64 {
    let mut scan = OdsScan::default();
    // Fed in pieces that cut tags, as reads do.
    let bytes = xml.as_bytes();
    let mut carry = Vec::new();
    for piece in bytes.chunks(7) {
        carry.extend_from_slice(piece);
        let used = scan.feed(&carry);
        carry.drain(..used);
    }
    scan.finish()
}

#[test]
fn ods_repeats_with_content_count_and_empty_edges_do_not() {
    let cell = r#"<table:table-cell office:value-type="string"><text:p>Kaspersky</text:p></table:table-cell>"#;
    let xml = format!(
        r#"<office:body><table:table table:name="A">
        <table:table-row><table:table-cell office:value-type="string"><text:p>id</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1020"/></table:table-row>
        <table:table-row table:number-rows-repeated="4000"><table:table-cell table:style-name="x"/>{}</table:table-row>
        <table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
        </table:table></office:body>"#,
        cell.replace(
            "<table:table-cell ",
            r#"<table:table-cell table:number-columns-repeated="9990" "#
        )
    );
    // Rows 0 to 4000, columns 0 to 9991.
    assert_eq!(ods_xml_cells(&xml), 4001 * 9991);
    let plain = format!(
        r#"<table:table table:name="A"><table:table-row>{cell}{cell}</table:table-row>
        <table:table-row table:number-rows-repeated="3">{cell}</table:table-row></table:table>
        <table:table table:name="B"><table:table-row><table:table-cell/>{cell}</table:table-row></table:table>"#
    );
    assert_eq!(ods_xml_cells(&plain), 4 * 2 + 1);
}

#[test]
fn an_ods_tag_with_a_quoted_angle_bracket_is_read_whole() {
    let xml = r#"<table:table><table:table-row note=">" table:number-rows-repeated="500"><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>"#;
    assert_eq!(ods_xml_cells(xml), 500);
}

fn record(kind: u16, data: &[u8]) -> Vec<u8> {
    let mut r = kind.to_le_bytes().to_vec();
    r.extend_from_slice(&(data.len() as u16).to_le_bytes());
    r.extend_from_slice(data);
    r
}

fn cell(kind: u16, row: u16, col: u16) -> Vec<u8> {
    let mut data = row.to_le_bytes().to_vec();
    data.extend_from_slice(&col.to_le_bytes());
    data.extend_from_slice(&[0; 6]);
    record(kind, &data)
}

#[test]
fn xls_cell_records_give_each_sheet_its_rectangle() {
    let mut biff = record(BOF, &[0; 16]);
    biff.extend(record(EOF, &[]));
    // Sheet 1: A1 and IV65536.
    biff.extend(record(BOF, &[0; 16]));
    biff.extend(cell(0x00FD, 0, 0));
    biff.extend(record(0x0201, &[0xFF, 0xFF, 0xFF, 0, 0, 0])); // a BLANK does not count
    biff.extend(cell(0x0203, 65535, 255));
    biff.extend(record(EOF, &[]));
    // Sheet 2: a MULRK over columns 2 to 9 of row 4.
    biff.extend(record(BOF, &[0; 16]));
    let mut mulrk = 4u16.to_le_bytes().to_vec();
    mulrk.extend_from_slice(&2u16.to_le_bytes());
    mulrk.extend_from_slice(&[0; 48]);
    mulrk.extend_from_slice(&9u16.to_le_bytes());
    biff.extend(record(0x00BD, &mulrk));
    biff.extend(record(EOF, &[]));
    assert_eq!(biff_cells(&biff), 65536 * 256 + 8);
    // A record cut short ends the scan without a panic.
    biff.extend([0xFD, 0x00, 0x40]);
    assert_eq!(biff_cells(&biff), 65536 * 256 + 8);
}

#[test]
fn damaged_or_foreign_files_are_left_to_the_reader() {
    assert_eq!(xls_cells(b"not a compound file").ok(), Some(0));
    assert!(ods_cells(b"not a zip").is_err());
}
