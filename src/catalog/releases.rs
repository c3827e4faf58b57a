//! Release calendars for support windows that move with time ("the three most recent major
//! macOS releases"): which major releases exist on a given date.
//!
//! Release dates: Apple's press releases for each macOS version, collected in
//! <https://en.wikipedia.org/wiki/MacOS_version_history>. Releases after the last one listed
//! are projected: Apple has shipped one major macOS release a year, in September or October,
//! since 2013; from macOS 26 the version number follows the year (27 in 2026, 28 in 2027 …).

use crate::model::{Date, OsFamily};

/// One major release: its version key and the day it shipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// Comparable version numbers (`[10, 15]`, `[26]`).
    pub key: Vec<u32>,
    /// The version as people write it ("10.15", "26").
    pub label: String,
    /// The day it shipped (or is expected to).
    pub date: Date,
    /// True when the date is a projection, not a fact.
    pub projected: bool,
}

/// macOS majors as shipped: (version, year, month, day).
const MACOS: &[(&str, i32, u32, u32)] = &[
    ("10.13", 2017, 9, 25),
    ("10.14", 2018, 9, 24),
    ("10.15", 2019, 10, 7),
    ("11", 2020, 11, 12),
    ("12", 2021, 10, 25),
    ("13", 2022, 10, 24),
    ("14", 2023, 9, 26),
    ("15", 2024, 9, 16),
    ("26", 2025, 9, 15),
];

/// True when the family has a release calendar, so a window of recent releases can be judged.
pub fn has_calendar(family: OsFamily) -> bool {
    family == OsFamily::Macos
}

/// The `n` most recent major releases of `family` shipped on or before `on`, newest first
/// (projected releases included and marked). Empty for a family without a calendar.
pub fn recent(family: OsFamily, n: u32, on: Date) -> Vec<Release> {
    if !has_calendar(family) || n == 0 {
        return Vec::new();
    }
    let mut shipped: Vec<Release> = known_macos()
        .chain(projected_macos(on))
        .filter(|r| r.date <= on)
        .collect();
    shipped.reverse();
    shipped.truncate(n as usize);
    shipped
}

/// "27 (expected 2026-09-15), 26, 15".
pub fn describe(releases: &[Release]) -> String {
    releases
        .iter()
        .map(|r| {
            if r.projected {
                format!("{} (expected {})", r.label, r.date)
            } else {
                r.label.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn known_macos() -> impl Iterator<Item = Release> {
    MACOS.iter().filter_map(|&(label, y, m, d)| {
        Some(Release {
            key: label.split('.').filter_map(|p| p.parse().ok()).collect(),
            label: label.to_string(),
            date: Date::from_ymd(y, m, d)?,
            projected: false,
        })
    })
}

/// One release a year after the last known one, mid-September, up to the year of `until`.
fn projected_macos(until: Date) -> impl Iterator<Item = Release> {
    let (last_year, last_version) = (2025, 26u32);
    let (until_year, _, _) = until.ymd();
    (last_year + 1..=until_year).filter_map(move |year| {
        let version = last_version + (year - last_year) as u32;
        Some(Release {
            key: vec![version],
            label: version.to_string(),
            date: Date::from_ymd(year, 9, 15)?,
            projected: true,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    fn labels(rs: &[Release]) -> Vec<&str> {
        rs.iter().map(|r| r.label.as_str()).collect()
    }

    #[test]
    fn the_window_moves_with_the_date() {
        let three = |d| recent(OsFamily::Macos, 3, day(d));
        assert_eq!(labels(&three("2025-06-19")), ["15", "14", "13"]);
        assert_eq!(labels(&three("2025-09-15")), ["26", "15", "14"]);
        let later = three("2026-12-05");
        assert_eq!(labels(&later), ["27", "26", "15"]);
        assert!(later[0].projected && !later[1].projected);
        assert_eq!(describe(&later), "27 (expected 2026-09-15), 26, 15");
    }

    #[test]
    fn families_without_a_calendar_have_no_window() {
        assert!(recent(OsFamily::WindowsClient, 3, day("2026-01-01")).is_empty());
        assert!(recent(OsFamily::Macos, 0, day("2026-01-01")).is_empty());
    }

    #[test]
    fn old_dates_see_only_what_had_shipped() {
        assert_eq!(
            labels(&recent(OsFamily::Macos, 3, day("2018-01-01"))),
            ["10.13"]
        );
    }
}
