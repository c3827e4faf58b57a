//! Calendar dates and UTC timestamps without time zones (plans work in days).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A calendar date (proleptic Gregorian) from 0000-01-01 to 9999-12-31 (what `YYYY-MM-DD`
/// can write), stored as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

/// Day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Date {
    /// The earliest date, 0000-01-01.
    pub const MIN: Date = Date(-719_528);
    /// The latest date, 9999-12-31.
    pub const MAX: Date = Date(2_932_896);

    /// The date for a year (0–9999), month (1–12) and day (1–31); None when it does not exist.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(0..=9999).contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
        {
            return None;
        }
        Some(Date(days_from_civil(year, month, day)))
    }

    /// The date `days` after 1970-01-01, held within [`Date::MIN`] ..= [`Date::MAX`].
    fn clamped(days: i64) -> Date {
        Date(days.clamp(i64::from(Date::MIN.0), i64::from(Date::MAX.0)) as i32)
    }

    /// Year, month, day.
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(self) -> i32 {
        self.0
    }

    /// The date `n` calendar days later (earlier for negative `n`); stops at [`Date::MIN`] and
    /// [`Date::MAX`].
    pub fn add_days(self, n: i32) -> Date {
        Date::clamped(i64::from(self.0) + i64::from(n))
    }

    /// Calendar days from `self` to `other`.
    pub fn days_until(self, other: Date) -> i32 {
        other.0 - self.0
    }

    /// The day of the week.
    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday.
        match (self.0 + 3).rem_euclid(7) {
            0 => Weekday::Mon,
            1 => Weekday::Tue,
            2 => Weekday::Wed,
            3 => Weekday::Thu,
            4 => Weekday::Fri,
            5 => Weekday::Sat,
            _ => Weekday::Sun,
        }
    }

    /// True on Saturdays and Sundays.
    pub fn is_weekend(self) -> bool {
        matches!(self.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// Today in UTC, from the system clock.
    pub fn today() -> Date {
        Timestamp::now().date()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date \"{0}\" (expected YYYY-MM-DD)")]
pub struct DateError(pub String);

impl FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Date, DateError> {
        let err = || DateError(crate::model::text::clean(s));
        let t = s.trim();
        let mut parts = t.splitn(3, '-');
        let (y, m, d) = (parts.next(), parts.next(), parts.next());
        let (Some(y), Some(m), Some(d)) = (y, m, d) else {
            return Err(err());
        };
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
            return Err(err());
        }
        let y: i32 = y.parse().map_err(|_| err())?;
        let m: u32 = m.parse().map_err(|_| err())?;
        let d: u32 = d.parse().map_err(|_| err())?;
        Date::from_ymd(y, m, d).ok_or_else(err)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        from_text_or_datetime(d, "a date")
    }
}

/// A value written as a string or as a TOML date/time, parsed from its text: how dates and
/// timestamps are read from plan files (and JSON).
fn from_text_or_datetime<'de, D, T>(d: D, what: &str) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: fmt::Display,
{
    text_or_datetime(d, what)?
        .parse()
        .map_err(serde::de::Error::custom)
}

/// The text of a value written as a string or as a TOML date/time (`what` names the expected
/// value in the error), for the types that parse dates from it.
pub(crate) fn text_or_datetime<'de, D: serde::Deserializer<'de>>(
    d: D,
    what: &str,
) -> Result<String, D::Error> {
    match toml::Value::deserialize(d)? {
        toml::Value::String(s) => Ok(s),
        toml::Value::Datetime(dt) => Ok(dt.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "expected {what}, found {other}"
        ))),
    }
}

/// A UTC instant with second precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn from_unix(secs: i64) -> Timestamp {
        Timestamp(secs)
    }

    /// Seconds since the epoch.
    pub fn unix(self) -> i64 {
        self.0
    }

    /// Now, from the system clock (`AVMIGRATE_NOW` overrides it for reproducible runs).
    pub fn now() -> Timestamp {
        if let Some(t) = std::env::var("AVMIGRATE_NOW")
            .ok()
            .and_then(|v| v.parse::<Timestamp>().ok())
        {
            return t;
        }
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Timestamp(secs)
    }

    /// The calendar date (UTC), held within [`Date::MIN`] ..= [`Date::MAX`].
    pub fn date(self) -> Date {
        Date::clamped(self.0.div_euclid(86_400))
    }

    /// Midnight UTC at the start of a date.
    pub fn at_midnight(date: Date) -> Timestamp {
        Timestamp(date.days_since_epoch() as i64 * 86_400)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.rem_euclid(86_400);
        let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
        write!(f, "{}T{h:02}:{m:02}:{s:02}Z", self.date())
    }
}

impl FromStr for Timestamp {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Timestamp, DateError> {
        let err = || DateError(crate::model::text::clean(s));
        let t = s.trim();
        let (date, time) = match t.split_once(['T', ' ']) {
            Some((d, t)) => (d, t),
            None => (t, "00:00:00Z"),
        };
        let date: Date = date.parse().map_err(|_| err())?;
        let time = time.strip_suffix('Z').unwrap_or(time);
        let mut parts = time.split(':');
        // One or two digits each (no sign); the seconds may have a fraction, which is dropped.
        let mut next = |last: bool| -> Result<i64, DateError> {
            let part = parts.next().unwrap_or("0");
            let whole = match part.split_once('.') {
                Some((w, frac)) if last && frac.bytes().all(|b| b.is_ascii_digit()) => w,
                Some(_) => return Err(err()),
                None => part,
            };
            if whole.is_empty() || whole.len() > 2 || !whole.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err());
            }
            whole.parse::<i64>().map_err(|_| err())
        };
        let (h, m, sec) = (next(false)?, next(false)?, next(true)?);
        if parts.next().is_some() || h > 23 || m > 59 || sec > 60 {
            return Err(err());
        }
        Ok(Timestamp(
            date.days_since_epoch() as i64 * 86_400 + h * 3600 + m * 60 + sec,
        ))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        from_text_or_datetime(d, "a timestamp")
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

// Howard Hinnant's algorithms (public domain), for days since the epoch.
fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i32 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i32::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_know_weekdays() {
        let d: Date = "2026-12-07".parse().unwrap();
        assert_eq!(d.to_string(), "2026-12-07");
        assert_eq!(d.weekday(), Weekday::Mon);
        assert!(d.add_days(5).is_weekend());
        assert_eq!(
            "2024-02-29"
                .parse::<Date>()
                .unwrap()
                .add_days(1)
                .to_string(),
            "2024-03-01"
        );
        assert_eq!(Date::from_ymd(1970, 1, 1).unwrap().days_since_epoch(), 0);
        for n in [Date::MIN.0, -1, 0, 1, 59, 365, 20_000, 800_000, Date::MAX.0] {
            let (y, m, d) = Date(n).ymd();
            assert_eq!(Date::from_ymd(y, m, d), Some(Date(n)));
        }
    }

    #[test]
    fn bad_dates_are_refused() {
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "26-12-01",
            "yesterday",
            "",
            "2026-1-1",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn timestamps_format_and_parse() {
        let t: Timestamp = "2026-12-08T09:12:00Z".parse().unwrap();
        assert_eq!(t.to_string(), "2026-12-08T09:12:00Z");
        assert_eq!(t.date().to_string(), "2026-12-08");
        assert!("2026-12-08T25:00:00Z".parse::<Timestamp>().is_err());
        assert_eq!(
            "2026-12-08T09:12:30.25Z".parse::<Timestamp>().unwrap(),
            "2026-12-08T09:12:30Z".parse::<Timestamp>().unwrap()
        );
    }

    #[test]
    fn timestamps_with_negative_or_malformed_parts_are_refused() {
        for bad in [
            "2026-12-08T-1:00:00Z",
            "2026-12-08T09:-5:00Z",
            "2026-12-08T09:12:-30Z",
            "2026-12-08T+9:12:00Z",
            "2026-12-08T09:12:00:00Z",
            "2026-12-08T009:12:00Z",
            "2026-12-08T09.5:12:00Z",
            "2026-12-08T09::00Z",
            "+2026-12-08T09:12:00Z",
        ] {
            assert!(bad.parse::<Timestamp>().is_err(), "{bad}");
        }
    }

    #[test]
    fn extreme_dates_never_panic() {
        assert_eq!(Date::MIN.to_string(), "0000-01-01");
        assert_eq!(Date::MAX.to_string(), "9999-12-31");
        for y in [i32::MIN, -1, 10_000, i32::MAX] {
            assert_eq!(Date::from_ymd(y, 1, 1), None, "{y}");
        }
        for bad in [
            "+999-01-01",
            "-999-01-01",
            "2026-+1-01",
            "2026-01-+1",
            "１２３４-01-01",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert_eq!(Date::MAX.add_days(i32::MAX), Date::MAX);
        assert_eq!(Date::MIN.add_days(i32::MIN), Date::MIN);
        assert_eq!(Date::MAX.add_days(1), Date::MAX);
        assert_eq!(Date::MAX.days_until(Date::MIN), Date::MIN.0 - Date::MAX.0);
        for secs in [i64::MIN, -1, 0, i64::MAX] {
            let t = Timestamp::from_unix(secs);
            let text = t.to_string();
            assert!(text.parse::<Timestamp>().is_ok(), "{text}");
            let _ = Timestamp::at_midnight(t.date());
        }
    }

    #[test]
    fn toml_dates_deserialize() {
        #[derive(Deserialize)]
        struct W {
            start: Date,
            at: Timestamp,
        }
        let w: W = toml::from_str("start = 2026-12-07\nat = 2026-12-08T09:12:00Z").unwrap();
        assert_eq!(w.start.to_string(), "2026-12-07");
        assert_eq!(w.at.to_string(), "2026-12-08T09:12:00Z");
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn arithmetic_stays_in_range_and_text_round_trips(
            start in Date::MIN.0..=Date::MAX.0,
            n in any::<i32>(),
            secs in any::<i64>(),
        ) {
            let d = Date(start).add_days(n);
            prop_assert!(Date::MIN <= d && d <= Date::MAX);
            prop_assert_eq!(d.to_string().parse::<Date>(), Ok(d));
            let t = Timestamp::from_unix(secs);
            prop_assert!(t.to_string().parse::<Timestamp>().is_ok());
        }

        #[test]
        fn parsing_any_text_never_panics(text in "\\PC{0,30}", y in any::<i32>(), m in any::<u32>()) {
            let _ = text.parse::<Date>();
            let _ = text.parse::<Timestamp>();
            let _ = Date::from_ymd(y, m, 1);
        }
    }
}
