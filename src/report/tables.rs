//! The tables of the management report, once, independent of the output format: the Markdown
//! and HTML renderers only escape and lay them out.

use super::management::{LIST_LIMIT, ManagementReport, burn_rows, percent};
use crate::model::Named;

/// One cell of a report table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The text as it is (unescaped).
    pub text: String,
    /// Whether the text comes from the inventory or the plan and must be escaped; our own
    /// numbers, dates and words are written as they are.
    pub foreign: bool,
    /// A highlight class (`overdue`, an alert kind) that the renderer emphasises.
    pub mark: Option<&'static str>,
}

impl Cell {
    /// Text from the inventory or plan: always escaped.
    fn foreign(text: &str) -> Self {
        Cell {
            text: text.to_string(),
            foreign: true,
            mark: None,
        }
    }

    /// Text the report writes itself.
    fn own(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            foreign: false,
            mark: None,
        }
    }

    fn marked(mut self, mark: &'static str) -> Self {
        self.mark = Some(mark);
        self
    }
}

/// A report table: column titles, which columns are numeric (right-aligned), the rows shown
/// and how many rows were left out beyond [`LIST_LIMIT`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Column titles.
    pub titles: &'static [&'static str],
    /// Numeric columns, right-aligned.
    pub numeric: &'static [bool],
    /// The rows shown.
    pub rows: Vec<Vec<Cell>>,
    /// Rows not shown (the CSV export lists them).
    pub left_out: usize,
}

fn table<T>(
    titles: &'static [&'static str],
    numeric: &'static [bool],
    items: &[T],
    row: impl Fn(&T) -> Vec<Cell>,
) -> Table {
    Table {
        titles,
        numeric,
        rows: items.iter().take(LIST_LIMIT).map(row).collect(),
        left_out: items.len().saturating_sub(LIST_LIMIT),
    }
}

const NAMED_COLUMNS: &[bool] = &[false; 6];
const NO_DASH: &str = "–";

/// Assets per status.
pub fn statuses(r: &ManagementReport) -> Table {
    table(
        &["Status", "Assets"],
        &[false, true],
        &r.by_status,
        |(st, n)| vec![Cell::own(st.as_str()), Cell::own(n.to_string())],
    )
}

/// How many assets are covered, undecided, unverified, unprotected and still pending; the
/// classes that need attention are marked when not zero.
pub fn coverage(r: &ManagementReport) -> Table {
    let c = &r.coverage;
    let rows: [(&'static str, &'static str, usize, Option<&'static str>); 5] = [
        (
            "covered",
            "protected on evidence (scan or verification), excluded or decided",
            c.covered,
            None,
        ),
        (
            "undecided",
            "no agent replaces the flagged product and no decision is recorded",
            c.undecided,
            Some("undecided"),
        ),
        (
            "unverified",
            "the scan lists no protection; a built-in one may be on but is not proven",
            c.unverified,
            Some("protection-unverified"),
        ),
        (
            "unprotected",
            "the scan lists no protection and nothing switches itself on",
            c.unprotected,
            Some("protection-gap"),
        ),
        (
            "still protected by the flagged product",
            "runs it, or gets its protection through a system that does, until its wave",
            c.pending,
            None,
        ),
    ];
    table(
        &["Protection", "Meaning", "Assets"],
        &[false, false, true],
        &rows,
        |(name, meaning, n, mark)| {
            let cell = Cell::own(*name);
            vec![
                match mark {
                    Some(m) if *n > 0 => cell.marked(m),
                    _ => cell,
                },
                Cell::own(*meaning),
                Cell::own(n.to_string()),
            ]
        },
    )
}

/// Assets a scan showed running another product than the planned one.
pub fn not_as_planned(r: &ManagementReport) -> Table {
    table(
        &["Asset", "Found", "Planned", "Scan", "Since"],
        &NAMED_COLUMNS[..5],
        &r.not_as_planned,
        |n| {
            vec![
                Cell::foreign(&n.asset),
                Cell::foreign(&n.found.join(", ")),
                n.planned
                    .as_deref()
                    .map_or(Cell::own(NO_DASH), Cell::foreign),
                Cell::foreign(&n.scan),
                Cell::own(n.at.clone()),
            ]
        },
    )
}

/// One row per wave with its progress.
pub fn waves(r: &ManagementReport) -> Table {
    table(
        &[
            "Wave", "Name", "Start", "End", "Assets", "Done", "Blocked", "% done",
        ],
        &[false, false, false, false, true, true, true, true],
        &r.waves,
        |w| {
            vec![
                Cell::foreign(&w.id),
                Cell::foreign(&w.name),
                Cell::foreign(&w.start),
                Cell::foreign(&w.end),
                Cell::own(w.total.to_string()),
                Cell::own(w.done.to_string()),
                Cell::own(w.blocked.to_string()),
                Cell::own(format!("{:.1}", percent(w.done, w.total))),
            ]
        },
    )
}

/// The burn-down figures: planned and actual remaining per day.
pub fn burndown(r: &ManagementReport) -> Table {
    table(
        &["Date", "Planned", "Actual"],
        &[false, true, true],
        &burn_rows(&r.burndown, r.today),
        |b| {
            vec![
                Cell::own(b.date.to_string()),
                Cell::own(b.planned.to_string()),
                Cell::own(b.actual.map_or_else(|| NO_DASH.into(), |n| n.to_string())),
            ]
        },
    )
}

/// KRITIS and critical systems still on the flagged product.
pub fn critical(r: &ManagementReport) -> Table {
    table(
        &["ID", "Name", "Site", "Wave", "Flagged products", "Status"],
        NAMED_COLUMNS,
        &r.critical,
        |c| {
            vec![
                Cell::foreign(&c.id),
                Cell::foreign(&c.name),
                Cell::foreign(&c.site),
                Cell::foreign(&c.wave),
                Cell::foreign(&c.flagged.join(", ")),
                Cell::own(c.status.as_str()),
            ]
        },
    )
}

/// Open alerts, protection gaps first.
pub fn alerts(r: &ManagementReport) -> Table {
    table(
        &["Kind", "Asset", "Since", "Details"],
        &NAMED_COLUMNS[..4],
        &r.alerts,
        |a| {
            vec![
                Cell::own(a.kind.as_str()).marked(a.kind.as_str()),
                Cell::foreign(&a.asset),
                Cell::own(a.at.to_string()),
                Cell::foreign(&a.message),
            ]
        },
    )
}

/// Excluded assets: the accepted risks and their reviews.
pub fn exceptions(r: &ManagementReport) -> Table {
    table(
        &["ID", "Name", "Rationale", "Approver", "Review"],
        &NAMED_COLUMNS[..5],
        &r.exceptions,
        |x| {
            let review = match x.review {
                Some(d) if x.review_overdue => {
                    Cell::own(format!("{d} (overdue)")).marked("overdue")
                }
                Some(d) => Cell::own(d.to_string()),
                None => Cell::own(NO_DASH),
            };
            vec![
                Cell::foreign(&x.id),
                Cell::foreign(&x.name),
                Cell::foreign(&x.rationale),
                x.approver
                    .as_deref()
                    .map_or(Cell::own(NO_DASH), Cell::foreign),
                review,
            ]
        },
    )
}

/// Blocked assets with their reasons.
pub fn blocked(r: &ManagementReport) -> Table {
    table(
        &["ID", "Name", "Wave", "Reason"],
        &NAMED_COLUMNS[..4],
        &r.blocked,
        |b| {
            vec![
                Cell::foreign(&b.id),
                Cell::foreign(&b.name),
                Cell::foreign(&b.wave),
                Cell::foreign(&b.reason),
            ]
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_are_cut_at_the_limit_and_the_rest_counted() {
        let items: Vec<usize> = (0..LIST_LIMIT + 2).collect();
        let t = table(&["N"], &[true], &items, |n| vec![Cell::own(n.to_string())]);
        assert_eq!(t.rows.len(), LIST_LIMIT);
        assert_eq!(t.left_out, 2);
        let short = table(&["N"], &[true], &items[..3], |n| {
            vec![Cell::foreign(&n.to_string())]
        });
        assert_eq!((short.rows.len(), short.left_out), (3, 0));
        assert!(short.rows[0][0].foreign);
    }
}
