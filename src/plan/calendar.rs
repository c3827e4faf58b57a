//! Working days, blackout windows and wave dates.

use super::model::{Blackout, MAX_WAVE_DAYS};
use crate::model::Date;

/// True when no wave work happens on the day (weekend or blackout).
pub fn is_off(day: Date, blackouts: &[Blackout]) -> bool {
    day.is_weekend() || blackouts.iter().any(|b| b.contains(day))
}

/// The first working day on or after `day`.
pub fn next_working_day(day: Date, blackouts: &[Blackout]) -> Date {
    let mut d = day;
    // A blackout list is finite, so this ends; the bound only guards absurd inputs.
    for _ in 0..100_000 {
        if !is_off(d, blackouts) {
            return d;
        }
        d = d.add_days(1);
    }
    d
}

/// The first window of `days` working days starting on or after `from` that overlaps no
/// blackout: (first day, last day).
pub fn wave_window(from: Date, days: u32, blackouts: &[Blackout]) -> (Date, Date) {
    let days = days.clamp(1, MAX_WAVE_DAYS);
    let mut start = next_working_day(from, blackouts);
    'search: for _ in 0..10_000 {
        let mut end = start;
        let mut counted = 1;
        while counted < days {
            end = end.add_days(1);
            if let Some(b) = blackouts.iter().find(|b| b.contains(end)) {
                start = next_working_day(b.to.add_days(1), blackouts);
                continue 'search;
            }
            if !end.is_weekend() {
                counted += 1;
            }
        }
        return (start, end);
    }
    (start, start)
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
            wave_window(d("2026-12-07"), 5, &[]),
            (d("2026-12-07"), d("2026-12-11"))
        );
    }

    #[test]
    fn weekend_start_moves_to_monday_and_waves_span_weekends() {
        assert_eq!(
            wave_window(d("2026-12-05"), 5, &[]),
            (d("2026-12-07"), d("2026-12-11"))
        );
        assert_eq!(
            wave_window(d("2026-12-09"), 5, &[]),
            (d("2026-12-09"), d("2026-12-15"))
        );
    }

    #[test]
    fn waves_never_overlap_a_blackout() {
        let freeze = [Blackout {
            from: d("2026-12-21"),
            to: d("2027-01-06"),
            reason: Some("year-end freeze".into()),
        }];
        let (s, e) = wave_window(d("2026-12-16"), 5, &freeze);
        assert_eq!((s, e), (d("2027-01-07"), d("2027-01-13")));
        assert!(!freeze[0].overlaps(s, e));
        let (s, e) = wave_window(d("2026-12-14"), 5, &freeze);
        assert_eq!((s, e), (d("2026-12-14"), d("2026-12-18")));
    }
}
