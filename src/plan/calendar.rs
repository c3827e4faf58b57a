//! Working days, blackout windows, public holidays and wave dates.

use super::holidays::Region;
use super::model::{Blackout, MAX_WAVE_DAYS, Settings};
use crate::model::Date;
use std::collections::BTreeSet;

/// The days no wave works: weekends, the blackouts and the region's public holidays.
#[derive(Debug, Clone, Default)]
pub struct OffDays {
    blackouts: Vec<Blackout>,
    region: Option<Region>,
    holidays: BTreeSet<Date>,
    /// Years whose holidays are in `holidays`.
    years: Option<(i32, i32)>,
}

/// Years of holidays computed ahead: longer than any plan runs.
const YEARS_AHEAD: i32 = 40;

impl OffDays {
    /// The days off of a plan's settings, from its start on.
    pub fn of(settings: &Settings) -> OffDays {
        OffDays::new(
            settings.blackouts.clone(),
            settings.holidays,
            settings.start,
        )
    }

    /// Weekends, `blackouts` and `region`'s holidays, precomputed from `from`'s year on.
    pub fn new(blackouts: Vec<Blackout>, region: Option<Region>, from: Date) -> OffDays {
        let mut off = OffDays {
            blackouts,
            region,
            ..OffDays::default()
        };
        if let Some(r) = region {
            let first = from.ymd().0 - 1;
            let last = first + YEARS_AHEAD;
            off.holidays = (first..=last)
                .flat_map(|y| r.holidays(y))
                .map(|h| h.date)
                .collect();
            off.years = Some((first, last));
        }
        off
    }

    /// Weekends only.
    pub fn weekends() -> OffDays {
        OffDays::default()
    }

    /// True when no wave work happens on the day.
    pub fn is_off(&self, day: Date) -> bool {
        day.is_weekend() || self.is_holiday(day) || self.blackouts.iter().any(|b| b.contains(day))
    }

    /// True on a public holiday of the region.
    pub fn is_holiday(&self, day: Date) -> bool {
        let Some(region) = self.region else {
            return false;
        };
        match self.years {
            Some((first, last)) if (first..=last).contains(&day.ymd().0) => {
                self.holidays.contains(&day)
            }
            _ => region.holiday_on(day).is_some(),
        }
    }

    /// The first working day on or after `day`.
    pub fn next_working_day(&self, day: Date) -> Date {
        let mut d = day;
        // Weekends, holidays and a finite blackout list end; the bound only guards absurd input.
        for _ in 0..100_000 {
            if !self.is_off(d) {
                return d;
            }
            d = d.add_days(1);
        }
        d
    }

    /// The first window of `days` working days starting on or after `from` that overlaps no
    /// blackout (weekends and holidays inside it are not worked): (first day, last day).
    pub fn wave_window(&self, from: Date, days: u32) -> (Date, Date) {
        let days = days.clamp(1, MAX_WAVE_DAYS);
        let mut start = self.next_working_day(from);
        'search: for _ in 0..10_000 {
            let mut end = start;
            let mut counted = 1;
            while counted < days {
                end = end.add_days(1);
                if let Some(b) = self.blackouts.iter().find(|b| b.contains(end)) {
                    start = self.next_working_day(b.end_of_window(end).add_days(1));
                    continue 'search;
                }
                if !end.is_weekend() && !self.is_holiday(end) {
                    counted += 1;
                }
            }
            return (start, end);
        }
        (start, start)
    }

    /// The region's holidays from `from` to `to` (both included) that fall on a working day:
    /// the days the waves skip, with their names.
    pub fn holidays_between(&self, from: Date, to: Date) -> Vec<(Date, &'static str)> {
        let Some(region) = self.region else {
            return Vec::new();
        };
        (from.ymd().0..=to.ymd().0)
            .flat_map(|y| region.holidays(y))
            .filter(|h| from <= h.date && h.date <= to && !h.date.is_weekend())
            .map(|h| (h.date, h.name))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn a_week_from_monday() {
        assert_eq!(
            OffDays::weekends().wave_window(d("2026-12-07"), 5),
            (d("2026-12-07"), d("2026-12-11"))
        );
    }

    #[test]
    fn weekend_start_moves_to_monday_and_waves_span_weekends() {
        assert_eq!(
            OffDays::weekends().wave_window(d("2026-12-05"), 5),
            (d("2026-12-07"), d("2026-12-11"))
        );
        assert_eq!(
            OffDays::weekends().wave_window(d("2026-12-09"), 5),
            (d("2026-12-09"), d("2026-12-15"))
        );
    }

    #[test]
    fn waves_never_overlap_a_blackout() {
        let freeze = [Blackout {
            from: d("2026-12-21"),
            to: d("2027-01-06"),
            reason: Some("year-end freeze".into()),
            yearly: false,
        }];
        let off = OffDays::new(freeze.to_vec(), None, d("2026-12-01"));
        let (s, e) = off.wave_window(d("2026-12-16"), 5);
        assert_eq!((s, e), (d("2027-01-07"), d("2027-01-13")));
        assert!(!freeze[0].overlaps(s, e));
        let (s, e) = off.wave_window(d("2026-12-14"), 5);
        assert_eq!((s, e), (d("2026-12-14"), d("2026-12-18")));
    }

    #[test]
    fn holidays_are_not_worked_and_stretch_the_wave() {
        let off = OffDays::new(Vec::new(), Some(Region::DeBw), d("2026-12-01"));
        // 24 Dec is worked; 25 and 26 Dec are holidays, then the weekend.
        assert_eq!(
            off.wave_window(d("2026-12-21"), 5),
            (d("2026-12-21"), d("2026-12-28"))
        );
        // New Year's Day is a holiday: the wave of 28 Dec ends on 4 January, not on 1 January.
        assert_eq!(
            off.wave_window(d("2026-12-28"), 5),
            (d("2026-12-28"), d("2027-01-04"))
        );
        // 6 January is a holiday in Baden-Württemberg: a wave never starts on it.
        assert_eq!(off.next_working_day(d("2027-01-06")), d("2027-01-07"));
        assert_eq!(
            OffDays::new(Vec::new(), Some(Region::DeHh), d("2026-12-01"))
                .next_working_day(d("2027-01-06")),
            d("2027-01-06")
        );
        let skipped = off.holidays_between(d("2026-12-21"), d("2027-01-08"));
        let names: Vec<&str> = skipped.iter().map(|(_, n)| *n).collect();
        assert_eq!(
            names,
            ["1. Weihnachtstag", "Neujahr", "Heilige Drei Könige"],
            "26 Dec 2026 is a Saturday"
        );
        // Far beyond the precomputed years the holidays still count.
        assert!(off.is_off(d("2090-12-25")));
    }

    #[test]
    fn a_yearly_freeze_holds_every_year_and_wraps_over_new_year() {
        let freeze = Blackout {
            from: d("2000-12-20"),
            to: d("2001-01-06"),
            reason: Some("year-end freeze".into()),
            yearly: true,
        };
        for day in ["2026-12-20", "2026-12-31", "2027-01-06", "2031-01-01"] {
            assert!(freeze.contains(d(day)), "{day}");
        }
        for day in ["2026-12-19", "2027-01-07", "2027-06-01"] {
            assert!(!freeze.contains(d(day)), "{day}");
        }
        assert_eq!(freeze.end_of_window(d("2026-12-24")), d("2027-01-06"));
        assert!(freeze.overlaps(d("2028-01-03"), d("2028-01-10")));
        assert!(!freeze.overlaps(d("2028-01-07"), d("2028-12-19")));
        let off = OffDays::new(vec![freeze], None, d("2026-12-01"));
        // A wave that would run into the freeze starts after it, in every year.
        assert_eq!(
            off.wave_window(d("2026-12-16"), 5),
            (d("2027-01-07"), d("2027-01-13"))
        );
        assert_eq!(
            off.wave_window(d("2029-12-17"), 5),
            (d("2030-01-07"), d("2030-01-11"))
        );
    }
}
