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

/// A BIFF stream: globals naming each sheet by offset, then the sheets.
fn workbook(sheets: &[Vec<u8>], listed: &[usize]) -> Vec<u8> {
    let globals_len = 20 + listed.len() * 12 + 4;
    let mut offsets = Vec::new();
    let mut at = globals_len;
    for sheet in sheets {
        offsets.push(at);
        at += sheet.len();
    }
    let mut biff = record(BOF, &[0; 16]);
    for &i in listed {
        let mut data = (offsets[i] as u32).to_le_bytes().to_vec();
        data.extend_from_slice(&[0; 4]);
        biff.extend(record(BOUND_SHEET, &data));
    }
    biff.extend(record(EOF, &[]));
    assert_eq!(biff.len(), globals_len);
    for sheet in sheets {
        biff.extend_from_slice(sheet);
    }
    biff
}

fn sheet(body: &[Vec<u8>]) -> Vec<u8> {
    let mut s = record(BOF, &[0; 16]);
    for r in body {
        s.extend_from_slice(r);
    }
    s.extend(record(EOF, &[]));
    s
}

#[test]
fn xls_sheets_are_counted_as_the_reader_reads_them() {
    let far = sheet(&[
        cell(0x00FD, 0, 0),
        record(0x0201, &[0xFF, 0xFF, 0xFF, 0, 0, 0]), // a BLANK does not count
        cell(0x0203, 65535, 255),
    ]);
    let mut mulrk = 4u16.to_le_bytes().to_vec();
    mulrk.extend_from_slice(&2u16.to_le_bytes());
    mulrk.extend_from_slice(&[0; 48]);
    mulrk.extend_from_slice(&9u16.to_le_bytes());
    // A MULRK over columns 2 to 9 of row 4, and an embedded chart whose cells do not count.
    let small = sheet(&[
        record(0x00BD, &mulrk),
        record(BOF, &[0; 16]),
        cell(0x0203, 60000, 200),
        record(EOF, &[]),
    ]);
    let biff = workbook(&[far.clone(), small.clone()], &[0, 1]);
    assert_eq!(biff_cells(&biff, u64::MAX), Ok(65536 * 256 + 8));
    // A sheet listed twice is laid out twice; counting stops past the limit.
    let twice = workbook(std::slice::from_ref(&small), &[0, 0]);
    assert_eq!(biff_cells(&twice, u64::MAX), Ok(16));
    let biff = workbook(&[far, small.clone()], &[0, 0, 0, 1]);
    assert_eq!(biff_cells(&biff, 100), Ok(65536 * 256));
    // A DIMENSIONS record claims what the reader reserves, 32-bit rows and all.
    let mut claim = 0u32.to_le_bytes().to_vec();
    claim.extend_from_slice(&u32::MAX.to_le_bytes());
    claim.extend_from_slice(&0u16.to_le_bytes());
    claim.extend_from_slice(&256u16.to_le_bytes());
    claim.extend_from_slice(&[0; 2]);
    let huge = workbook(&[sheet(&[record(DIMENSIONS, &claim)])], &[0]);
    assert_eq!(biff_cells(&huge, u64::MAX), Ok(u64::from(u32::MAX) * 256));
    // Records cut short end a sheet without a panic.
    let mut cut = workbook(&[small], &[0]);
    cut.truncate(cut.len() - 3);
    assert_eq!(biff_cells(&cut, u64::MAX), Ok(8));
}

#[test]
fn overlapping_sheets_are_refused_before_they_cost_a_scan_each() {
    let body: Vec<Vec<u8>> = (0..20_000).map(|_| record(0x0001, &[0; 40])).collect();
    let long = sheet(&body);
    let listed = vec![0; 200];
    let biff = workbook(&[long], &listed);
    assert!(biff_cells(&biff, u64::MAX).is_err());
}

#[test]
fn damaged_or_foreign_files_are_left_to_the_reader() {
    assert_eq!(xls_cells(b"not a compound file", 1).ok(), Some(0));
    assert!(ods_cells(b"not a zip").is_err());
}

#[test]
fn closed_cells_with_any_value_count_and_comments_hide_nothing() {
    let row = r#"<table:table-row table:number-rows-repeated="1000"><table:table-cell office:value="1" table:number-columns-repeated="2000"/></table:table-row>"#;
    // A value without a type, between comments whose quotes must not swallow the row.
    let xml = format!(
        r#"<?xml version="1.0"?><table:table><!-- it's --><![CDATA[ ' > ]]>{row}<!-- ' --></table:table>"#
    );
    assert_eq!(ods_xml_cells(&xml), 1000 * 2000);
    // A row written inside a comment is no row.
    let hidden = format!(r#"<table:table><!-- {row} --></table:table>"#);
    assert_eq!(ods_xml_cells(&hidden), 0);
    let formula = r#"<table:table><table:table-row><table:table-cell table:formula="of:=1" table:number-columns-repeated="7"/></table:table-row></table:table>"#;
    assert_eq!(ods_xml_cells(formula), 7);
}

mod arbitrary {
    use super::*;
    use proptest::prelude::*;

    fn xmlish() -> impl Strategy<Value = Vec<u8>> {
        let pieces = prop_oneof![
            Just(b"<table:table>".to_vec()),
            Just(b"<table:table-row table:number-rows-repeated=\"3\">".to_vec()),
            Just(b"</table:table-row>".to_vec()),
            Just(
                b"<table:table-cell office:value=\"1\" table:number-columns-repeated=\"9\"/>"
                    .to_vec()
            ),
            Just(b"<table:table-cell office:value-type=\"string\">".to_vec()),
            Just(b"</table:table-cell>".to_vec()),
            Just(b"<!-- ' -->".to_vec()),
            Just(b"<![CDATA[ > ]]>".to_vec()),
            Just(b"<?x?>".to_vec()),
            proptest::collection::vec(any::<u8>(), 0..12),
        ];
        proptest::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        /// Any bytes, cut anywhere: no panic, and the count does not depend on the cuts.
        #[test]
        fn ods_scans_never_panic_and_ignore_where_reads_end(text in xmlish(), cut in 1usize..64) {
            let mut whole = OdsScan::default();
            let used = whole.feed(&text);
            let _ = whole.feed(&text[used..]);
            let mut pieces = OdsScan::default();
            let mut carry = Vec::new();
            for piece in text.chunks(cut) {
                carry.extend_from_slice(piece);
                let used = pieces.feed(&carry);
                carry.drain(..used);
            }
            prop_assert_eq!(pieces.finish(), whole.finish());
        }

        #[test]
        fn biff_scans_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = biff_cells(&bytes, u64::MAX);
            let _ = xls_cells(&bytes, 10);
        }
    }
}
