//! Errors and warnings that name the file, line and column of a problem.

use std::fmt;

/// A place in an input file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// The path as the user gave it.
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
}

impl Location {
    /// A whole file.
    pub fn file(path: impl Into<String>) -> Location {
        Location {
            path: path.into(),
            line: None,
            column: None,
        }
    }

    /// A line of a file.
    pub fn line(path: impl Into<String>, line: usize) -> Location {
        Location {
            path: path.into(),
            line: Some(line),
            column: None,
        }
    }

    /// A line and column of a file.
    pub fn at(path: impl Into<String>, line: usize, column: usize) -> Location {
        Location {
            path: path.into(),
            line: Some(line),
            column: Some(column),
        }
    }
}

/// The most characters of a message: one quoting a huge cell or header still prints as one
/// readable line.
pub const MESSAGE_MAX: usize = 4000;

/// A message cleaned of control characters and cut to [`MESSAGE_MAX`].
fn bounded(message: String) -> String {
    crate::model::text::clean(&excerpt(&message, MESSAGE_MAX))
}

/// `text` cut to at most `max` characters (the last one `…` when cut), so that a message
/// quoting input stays one short line however long the input is.
pub fn excerpt(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => text.into(),
        Some(_) => {
            let keep: String = text.chars().take(max.saturating_sub(1)).collect();
            format!("{keep}…").into()
        }
    }
}

/// Whether a path names a sheet of a workbook (`inventar.xlsx [Rechner]`): its lines are
/// sheet rows and its columns are lettered.
pub fn is_sheet_label(path: &str) -> bool {
    path.ends_with(']') && path.contains(" [")
}

/// A 1-based column as spreadsheet letters (1 → A, 27 → AA).
pub fn column_letters(column: usize) -> String {
    let mut n = column.max(1);
    let mut letters = Vec::new();
    while n > 0 {
        letters.push(char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)?;
        if is_sheet_label(&self.path)
            && let Some(line) = self.line
        {
            write!(f, " row {line}")?;
            if let Some(col) = self.column {
                write!(f, ", column {}", column_letters(col))?;
            }
            return Ok(());
        }
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        Ok(())
    }
}

/// Bad input: a file that cannot be read or understood. Exit code 2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct InputError {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong, in one line.
    pub message: String,
}

impl InputError {
    /// A new error.
    pub fn new(location: Location, message: impl Into<String>) -> InputError {
        InputError {
            location,
            message: bounded(message.into()),
        }
    }
}

/// A problem that does not stop the import (a skipped row, an unknown reference).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong, in one line.
    pub message: String,
}

impl Warning {
    /// A new warning.
    pub fn new(location: Location, message: impl Into<String>) -> Warning {
        Warning {
            location,
            message: bounded(message.into()),
        }
    }

    /// Turns the warning into an error (for `--strict`).
    pub fn into_error(self) -> InputError {
        InputError {
            location: self.location,
            message: self.message,
        }
    }
}

/// At most this many warnings of one import (or one analysis) are kept; the rest are
/// counted, and one last warning says how many were left out. A file can hold a million
/// rows with a problem each, and a warning costs a hundred bytes and more.
pub const KEPT_WARNINGS: usize = 10_000;

/// Warnings as they are collected: the first [`KEPT_WARNINGS`], then a count.
#[derive(Debug, Clone, Default)]
pub(crate) struct Warnings {
    list: Vec<Warning>,
    unlisted: usize,
}

impl Warnings {
    /// Keeps `warning` (made only when it is kept), or counts it.
    pub(crate) fn push_with(&mut self, warning: impl FnOnce() -> Warning) {
        if self.list.len() < KEPT_WARNINGS {
            self.list.push(warning());
        } else {
            self.unlisted += 1;
        }
    }

    /// Keeps or counts `warning`.
    pub(crate) fn push(&mut self, warning: Warning) {
        self.push_with(|| warning);
    }

    /// How many warnings there were, kept or counted.
    pub(crate) fn len(&self) -> usize {
        self.list.len() + self.unlisted
    }

    /// Forgets every warning after the first `len` (as [`Warnings::len`] counts them).
    pub(crate) fn truncate(&mut self, len: usize) {
        if len >= self.list.len() {
            self.unlisted = self.unlisted.min(len - self.list.len());
        } else {
            self.list.truncate(len);
            self.unlisted = 0;
        }
    }

    /// Adds the warnings of `other` after these.
    pub(crate) fn extend(&mut self, other: Warnings) {
        for warning in other.list {
            self.push(warning);
        }
        self.unlisted += other.unlisted;
    }

    /// The kept warnings, with one more that counts those left out.
    pub(crate) fn into_vec(mut self) -> Vec<Warning> {
        if self.unlisted > 0 {
            self.list.push(Warning::new(
                Location::default(),
                format!(
                    "{}{UNLISTED} (only the first {KEPT_WARNINGS} are kept)",
                    self.unlisted
                ),
            ));
        }
        self.list
    }
}

/// How the warning that counts those left out goes on after the count.
const UNLISTED: &str = " more warnings are not listed";

/// How many warnings `list` stands for: each one kept, and those counted by its "… more
/// warnings are not listed" lines (one per import or analysis that left some out).
pub fn warning_total(list: &[Warning]) -> usize {
    list.iter()
        .map(|w| {
            let counted = (w.location == Location::default())
                .then(|| w.message.split_once(UNLISTED))
                .flatten()
                .and_then(|(count, _)| count.parse::<usize>().ok());
            counted.unwrap_or(1)
        })
        .sum()
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location == Location::default() {
            return f.write_str(&self.message);
        }
        write!(f, "{}: {}", self.location, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_quoting_huge_input_stay_bounded() {
        let cell = "x".repeat(2_000_000);
        let e = InputError::new(
            Location::line("a.csv", 2),
            format!("unknown kind \"{cell}\""),
        );
        assert_eq!(e.message.chars().count(), MESSAGE_MAX);
        assert!(e.message.ends_with('…'));
        let w = Warning::new(Location::line("a.csv", 2), cell);
        assert_eq!(w.message.chars().count(), MESSAGE_MAX);
    }

    #[test]
    fn excerpts_cut_long_text_by_characters() {
        assert_eq!(excerpt("kaspersky", 20), "kaspersky");
        assert_eq!(excerpt("kaspersky", 9), "kaspersky");
        assert_eq!(excerpt("kaspersky", 5), "kasp…");
        assert_eq!(excerpt("Ärger über Öl", 4), "Ärg…");
    }

    #[test]
    fn messages_name_file_line_and_column() {
        let e = InputError::new(Location::at("inv.csv", 3, 7), "unknown kind \"toaster\"");
        assert_eq!(e.to_string(), "inv.csv:3:7: unknown kind \"toaster\"");
        let w = Warning::new(Location::line("inv.csv", 9), "row skipped");
        assert_eq!(w.to_string(), "inv.csv:9: row skipped");
        assert_eq!(Location::file("x").to_string(), "x");
        let sheet = Location::at("inv.xlsx [Rechner]", 7, 28);
        assert_eq!(sheet.to_string(), "inv.xlsx [Rechner] row 7, column AB");
        let sheet = Location::line("inv.xlsx [Rechner]", 7);
        assert_eq!(sheet.to_string(), "inv.xlsx [Rechner] row 7");
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(16384), "XFD");
    }

    #[test]
    fn warnings_past_the_first_ten_thousand_are_counted_and_said() {
        let w = |i: usize| Warning::new(Location::line("f.csv", i), format!("w{i}"));
        let mut list = Warnings::default();
        for i in 0..KEPT_WARNINGS + 5 {
            list.push_with(|| w(i));
        }
        assert_eq!(list.len(), KEPT_WARNINGS + 5);
        let mut other = Warnings::default();
        other.push(w(1));
        list.extend(other);
        assert_eq!(list.len(), KEPT_WARNINGS + 6);
        list.truncate(KEPT_WARNINGS + 2);
        assert_eq!(list.len(), KEPT_WARNINGS + 2);
        let kept = list.clone().into_vec();
        assert_eq!(kept.len(), KEPT_WARNINGS + 1);
        assert_eq!(warning_total(&kept), KEPT_WARNINGS + 2);
        assert_eq!(
            kept.last().map(ToString::to_string).as_deref(),
            Some("2 more warnings are not listed (only the first 10000 are kept)")
        );
        list.truncate(3);
        assert_eq!(list.len(), 3);
        assert_eq!(list.into_vec().len(), 3);
    }
}
