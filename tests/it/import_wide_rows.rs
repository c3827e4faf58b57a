//! Wide rows: cost linear in the columns of a row and the length of its cells.

use crate::import_support::load;

/// A row of thousands of cells naming a product, behind megabyte cells: each cell's location
/// is found in one pass over the row (it was one scan of the row per cell: minutes), and past
/// ten thousand warnings they are counted instead of kept.
#[test]
fn thousands_of_flagged_cells_in_wide_rows_are_read_with_counted_warnings() {
    let columns = 6_000;
    let mut text = String::from("id,p0,p1");
    for c in 0..columns {
        text.push_str(&format!(",c{c}"));
    }
    text.push('\n');
    let wide = "ä".repeat(20_000);
    for row in 0..2 {
        text.push_str(&format!("h{row},{wide},{wide}"));
        text.push_str(&",Kaspersky".repeat(columns));
        text.push('\n');
    }
    let loaded = load(&[("wide.csv", &text)]);
    assert_eq!(loaded.inventory.len(), 2);
    let w = &loaded.warnings;
    assert_eq!(w.len(), avmigrate::error::KEPT_WARNINGS + 1);
    let first = w[0].to_string();
    // Past `h0,`, two cells of 20,000 characters and their commas.
    assert!(
        first.starts_with("wide.csv:2:40006: column \"c0\""),
        "{first}"
    );
    // The last kept: the 4,000th of the second row.
    let last = w[w.len() - 2].to_string();
    assert!(
        last.starts_with("wide.csv:3:79996: column \"c3999\""),
        "{last}"
    );
    assert_eq!(
        w[w.len() - 1].to_string(),
        format!(
            "{} more warnings are not listed (only the first 10000 are kept)",
            2 * columns - avmigrate::error::KEPT_WARNINGS
        )
    );
}
