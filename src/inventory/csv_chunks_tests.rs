use super::{BATCH, MERGED, Row, buffered_batches, with_cuts};
use crate::inventory::{ImportOptions, Loaded, load_sources};
use proptest::prelude::*;

/// Everything a read gives, as text: assets, reports, warnings and provenance, or the error.
fn outcome(text: &str, strict: bool) -> String {
    let opts = ImportOptions {
        strict,
        provenance: true,
        ..ImportOptions::default()
    };
    let read: Result<Loaded, _> = load_sources(vec![("f.csv".into(), text.into())], &opts);
    match read {
        Ok(l) => format!(
            "{:#?}\n{:#?}\n{:#?}\n{:#?}",
            l.inventory.assets(),
            l.files,
            l.warnings,
            l.provenance
        ),
        Err(e) => format!("error: {e}"),
    }
}

fn merged() -> usize {
    MERGED.with(|m| m.get())
}

/// Reads `text` whole and cut after each line break in turn (and at every pair of breaks
/// when there are at most `pairs_upto`); each must give what the whole read gives. Returns
/// how many chunks were merged (cuts confirmed).
fn same_at_every_cut(text: &str, pairs_upto: usize) -> usize {
    let breaks: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let before = merged();
    for strict in [false, true] {
        let whole = outcome(text, strict);
        for &at in &breaks {
            let chunked = with_cuts(vec![at], || outcome(text, strict));
            assert_eq!(chunked, whole, "cut after byte {at} (strict: {strict})");
        }
        if breaks.len() <= pairs_upto {
            for (i, &a) in breaks.iter().enumerate() {
                for &b in &breaks[i + 1..] {
                    let chunked = with_cuts(vec![a, b], || outcome(text, strict));
                    assert_eq!(chunked, whole, "cuts after bytes {a} and {b}");
                }
            }
        }
    }
    merged() - before
}

const HEADER: &str = "id,name,kind,os,criticality,tags,software,depends_on\n";

#[test]
fn quoted_line_breaks_stray_quotes_and_blank_lines_read_alike_at_every_cut() {
    let text = format!(
        "{HEADER}ws-1,\"Ws\n1\",workstation,Windows 11,high,pilot,KES@12.6,\n\
         \r\n\
         ws-2,ws\"2,toaster,Windows 10,urgent,,\"a\n\nb@1|c\",ws-1:manages\r\n\
         ws-3,,server,\"Ubuntu\r\n22.04\",low,\"x,y\",,ws-9:wat\n\
         ,no id,server,,,,,\n\
         ws-4,short\n\
         \n\
         ws-5,\"\"\"q\"\"\",server,Windows Server 2022,,,Kaspersky Security Center 14@14.2,\n\
         ,,,,,,,\n\
         \u{feff}ws-7,bom\n\
         \n\u{feff}ws-8,bom,server\n\
         \u{feff}\n\
         ws-6,last,\"unclosed\n"
    );
    assert!(
        same_at_every_cut(&text, 40) > 0,
        "no cut was ever confirmed"
    );
}

#[test]
fn a_duplicate_id_across_chunks_is_the_same_error_or_fallback() {
    // Without software: the duplicate is an error naming both places.
    let plain = "id,criticality\na,high\nb,low\nc,low\na,high\nd,low\n";
    let e = outcome(plain, false);
    assert!(e.contains("duplicate asset id \"a\""), "{e}");
    assert!(same_at_every_cut(plain, 40) > 0);
    // With software: read again as a per-software export.
    let software = "id,software\nws-1,KES@12\nws-2,7-Zip\nws-1,Firefox\nws-3,x\n";
    assert!(outcome(software, false).contains("csv-software"));
    assert!(same_at_every_cut(software, 40) > 0);
}

#[test]
fn line_counts_and_warnings_of_later_chunks_follow_the_earlier() {
    let text = "id,name,kind\na,,toaster\n\nb,,toaster\nc,,toaster\r\nd,,toaster\n";
    let before = merged();
    let source = || vec![("f.csv".to_string(), text.as_bytes().to_vec())];
    let opts = ImportOptions::default();
    let chunked = with_cuts(vec![30], || load_sources(source(), &opts)).expect("reads");
    assert_eq!(merged(), before + 1, "the cut was confirmed");
    let at: Vec<String> = chunked
        .warnings
        .iter()
        .map(|w| w.to_string().split(": ").next().unwrap_or("").to_string())
        .collect();
    assert_eq!(at, ["f.csv:2:4", "f.csv:4:4", "f.csv:5:4", "f.csv:6:4"]);
    assert_eq!(chunked.files[0].rows, 4);
    assert_eq!(
        with_cuts(vec![30], || outcome(text, false)),
        outcome(text, false)
    );
}

/// One cell of a generated row: plain, quoted with separators, line breaks or quotes, or
/// with a stray quote.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-c]{0,3}",
        1 => Just("\"x,y\"".to_string()),
        1 => Just("\"two\nlines\"".to_string()),
        1 => Just("\"cr\r\nlf\"".to_string()),
        1 => Just("st\"ray".to_string()),
        1 => Just("\"q\"\"uote\"".to_string()),
        1 => Just("toaster".to_string()),
        1 => Just("KES@12|7-Zip".to_string()),
        1 => Just("\"unclosed".to_string()),
    ]
}

/// A generated row: an id (often repeated, sometimes a byte-order mark), then 0..5 cells
/// (ragged when not 3), or a blank line.
fn row() -> impl Strategy<Value = String> {
    let data = (
        prop_oneof![8 => "[a-f]?", 1 => Just("\u{feff}".to_string())],
        prop::collection::vec(cell(), 0..5),
        prop_oneof!["\n", "\r\n"],
    )
        .prop_map(|(id, cells, end)| {
            let mut row = id;
            for c in cells {
                row.push(',');
                row.push_str(&c);
            }
            row + &end
        });
    prop_oneof![8 => data, 1 => Just("\n".to_string()), 1 => Just(",,,\n".to_string())]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_csvs_read_alike_at_every_cut(
        rows in prop::collection::vec(row(), 0..14),
        header in prop_oneof![Just("id,kind,software,name\n"), Just("id,name,os,tags\n")],
    ) {
        let text = format!("{header}{}", rows.concat());
        same_at_every_cut(&text, 10);
    }
}

#[test]
fn the_first_chunk_is_half_the_size_of_the_others() {
    assert_eq!(super::weighted(0, 300, 2), [100]);
    assert_eq!(super::weighted(10, 500, 3), [110, 310]);
}

#[test]
fn a_row_over_the_limits_in_a_later_chunk_is_refused_alike() {
    let wide = format!(
        "ws-3{}\n",
        ",".repeat(crate::inventory::csv_table::MAX_COLUMNS)
    );
    let long = format!(
        "ws-4,{}\n",
        "x".repeat(crate::inventory::csv_table::MAX_FIELD + 1)
    );
    for bad in [wide, long] {
        let text = format!("id,name\nws-1,a\nws-2,b\n{bad}ws-5,c\n");
        let e = outcome(&text, false);
        assert!(
            e.contains("f.csv:4: ") && e.contains("over the limit"),
            "{e}"
        );
        assert!(same_at_every_cut(&text, 0) > 0);
    }
}

#[test]
fn rows_read_ahead_take_at_most_the_text_size() {
    let batch_bytes = BATCH * std::mem::size_of::<Row>();
    // A 10 MB file of short rows, read by one extra thread: its waiting rows stay within the
    // file's size, however many rows the file has.
    let bound = buffered_batches(10_000_000, 1);
    assert!(bound * batch_bytes <= 10_000_000);
    assert!(bound >= 2);
    // Two threads share the allowance.
    assert!(buffered_batches(10_000_000, 2) * 2 * batch_bytes <= 10_000_000);
    // A tiny text still lets each thread hand over a batch while it reads the next.
    assert_eq!(buffered_batches(100, 4), 2);
}
