//! Calendar dates and UTC timestamps (plans work in days). Calendar arithmetic, time-zone
//! offsets and the RFC 3339 grammar are jiff's; this module keeps the compact, `Copy`
//! representations that plans store per asset and compare in hot loops.

use jiff::SignedDuration;
use jiff::civil::{self, Weekday};
use jiff::fmt::temporal::Pieces;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// 1970-01-01, the day [`Date`] counts from.
const EPOCH: civil::Date = civil::Date::constant(1970, 1, 1);

/// A calendar date (proleptic Gregorian) from 0000-01-01 to 9999-12-31 (what `YYYY-MM-DD`
/// can write), stored as days since 1970-01-01 so that comparing and adding days is integer
/// arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

impl Date {
    /// The earliest date, 0000-01-01.
    pub const MIN: Date = Date(-719_528);
    /// The latest date, 9999-12-31.
    pub const MAX: Date = Date(2_932_896);

    /// The date for a year (0–9999), month (1–12) and day (1–31); None when it does not exist.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        let (y, m, d) = (
            i16::try_from(year).ok()?,
            i8::try_from(month).ok()?,
            i8::try_from(day).ok()?,
        );
        Date::from_civil(civil::Date::new(y, m, d).ok()?)
    }

    /// The same day as a jiff date; None outside [`Date::MIN`] ..= [`Date::MAX`].
    pub fn from_civil(date: civil::Date) -> Option<Date> {
        if !(0..=9999).contains(&date.year()) {
            return None;
        }
        let days = date.duration_since(EPOCH).as_hours() / 24;
        i32::try_from(days).ok().map(Date)
    }

    /// The same day as a jiff date.
    pub fn civil(self) -> civil::Date {
        // In range by construction: every Date is a day jiff can represent.
        EPOCH
            .checked_add(SignedDuration::from_hours(i64::from(self.0) * 24))
            .unwrap_or(EPOCH)
    }

    /// The date `days` after 1970-01-01, held within [`Date::MIN`] ..= [`Date::MAX`].
    fn clamped(days: i64) -> Date {
        Date(days.clamp(i64::from(Date::MIN.0), i64::from(Date::MAX.0)) as i32)
    }

    /// Year, month, day.
    pub fn ymd(self) -> (i32, u32, u32) {
        let d = self.civil();
        (
            i32::from(d.year()),
            d.month().unsigned_abs().into(),
            d.day().unsigned_abs().into(),
        )
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
        Weekday::Thursday.wrapping_add(self.0)
    }

    /// True on Saturdays and Sundays.
    pub fn is_weekend(self) -> bool {
        matches!(self.weekday(), Weekday::Saturday | Weekday::Sunday)
    }

    /// Today's calendar date where the user is: the system time zone's date (UTC when the
    /// zone is unknown), which is what "today" means for plan start dates, end-of-life checks
    /// and progress. With `AVMIGRATE_NOW` set it is the date written there (its own offset's
    /// date, e.g. 2026-12-08 for `2026-12-08T00:30:00+02:00`), so runs are reproducible on any
    /// machine.
    pub fn today() -> Date {
        if let Some((at, text)) = Timestamp::overridden() {
            return written_date(&text).unwrap_or(at.date());
        }
        let zone = TimeZone::try_system().unwrap_or(TimeZone::UTC);
        Date::from_civil(zone.to_datetime(jiff::Timestamp::now()).date()).unwrap_or(Date::MAX)
    }
}

/// The calendar date written in an RFC 3339 time with an offset (the date before converting
/// to UTC).
fn written_date(text: &str) -> Option<Date> {
    let at: civil::DateTime = text.trim().parse().ok()?;
    Date::from_civil(at.date())
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // jiff writes years 0–9999 as four digits: `YYYY-MM-DD`.
        fmt::Display::fmt(&self.civil(), f)
    }
}

/// Why a date or timestamp could not be read: the text (control characters neutralised) and
/// what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} \"{text}\" (expected {expected})")]
pub struct DateError {
    /// The text that was read.
    pub text: String,
    what: &'static str,
    expected: &'static str,
}

impl DateError {
    fn date(text: &str) -> DateError {
        DateError {
            text: crate::model::text::clean(text),
            what: "date",
            expected: "YYYY-MM-DD",
        }
    }

    fn timestamp(text: &str) -> DateError {
        DateError {
            text: crate::model::text::clean(text),
            what: "timestamp",
            expected: "YYYY-MM-DDTHH:MM:SSZ or an RFC 3339 time such as 2026-12-08T09:12:30+02:00",
        }
    }
}

impl FromStr for Date {
    type Err = DateError;
    /// Exactly `YYYY-MM-DD` (surrounding blanks ignored); jiff checks month lengths and leap
    /// years.
    fn from_str(s: &str) -> Result<Date, DateError> {
        let t = s.trim();
        let b = t.as_bytes();
        let shaped = b.len() == 10
            && b.iter().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !shaped {
            return Err(DateError::date(s));
        }
        t.parse::<civil::Date>()
            .ok()
            .and_then(Date::from_civil)
            .ok_or_else(|| DateError::date(s))
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

/// A UTC instant with second precision, from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The earliest instant, 0000-01-01T00:00:00Z.
    pub const MIN: Timestamp = Timestamp(Date::MIN.0 as i64 * 86_400);
    /// The latest instant, 9999-12-31T23:59:59Z.
    pub const MAX: Timestamp = Timestamp((Date::MAX.0 as i64 + 1) * 86_400 - 1);

    /// Seconds since 1970-01-01T00:00:00Z, held within [`Timestamp::MIN`] ..=
    /// [`Timestamp::MAX`].
    pub fn from_unix(secs: i64) -> Timestamp {
        Timestamp(secs.clamp(Timestamp::MIN.0, Timestamp::MAX.0))
    }

    /// Seconds since the epoch.
    pub fn unix(self) -> i64 {
        self.0
    }

    /// Now, from the system clock (`AVMIGRATE_NOW` overrides it for reproducible runs).
    pub fn now() -> Timestamp {
        match Timestamp::overridden() {
            Some((at, _)) => at,
            None => Timestamp::from_jiff(jiff::Timestamp::now()),
        }
    }

    /// `AVMIGRATE_NOW` when it is set and reads as a timestamp, with its text.
    fn overridden() -> Option<(Timestamp, String)> {
        let text = std::env::var("AVMIGRATE_NOW").ok()?;
        Some((text.parse().ok()?, text))
    }

    /// The whole second at or before a jiff instant, held within range.
    fn from_jiff(at: jiff::Timestamp) -> Timestamp {
        // jiff keeps seconds and nanoseconds with one sign: round down, not toward zero.
        Timestamp::from_unix(at.as_second() - i64::from(at.subsec_nanosecond() < 0))
    }

    /// The calendar date (UTC).
    pub fn date(self) -> Date {
        Date(self.0.div_euclid(86_400) as i32)
    }

    /// Midnight UTC at the start of a date.
    pub fn at_midnight(date: Date) -> Timestamp {
        Timestamp(i64::from(date.days_since_epoch()) * 86_400)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // As a civil date and time, not a jiff::Timestamp: those stop a day short of 9999-12-31
        // (room for offsets). Whole seconds, years 0–9999: `YYYY-MM-DDTHH:MM:SSZ`.
        let clock =
            civil::Time::MIN.wrapping_add(SignedDuration::from_secs(self.0.rem_euclid(86_400)));
        write!(f, "{}Z", self.date().civil().to_datetime(clock))
    }
}

impl FromStr for Timestamp {
    type Err = DateError;
    /// `YYYY-MM-DD`, optionally followed by `T` or a blank and a UTC time `H[H][:M[M][:S[S]]]`
    /// with an optional `Z` (the form plans are written in), or any RFC 3339 / ISO 8601 time
    /// with `Z` or a numeric offset (`+02:00`, `-0500`), converted to UTC. Fractions of a
    /// second are dropped.
    fn from_str(s: &str) -> Result<Timestamp, DateError> {
        let t = s.trim();
        if let Some(at) = utc_time(t) {
            return Ok(at);
        }
        offset_time(t).ok_or_else(|| DateError::timestamp(s))
    }
}

/// An RFC 3339 / ISO 8601 time with `Z` or a numeric offset, as jiff reads it, converted to
/// UTC; None when it is not one or falls outside [`Timestamp::MIN`] ..= [`Timestamp::MAX`]
/// (jiff's own `Timestamp` stops a day short of 9999-12-31, hence the pieces).
fn offset_time(t: &str) -> Option<Timestamp> {
    let pieces = Pieces::parse(t).ok()?;
    let offset = pieces.to_numeric_offset()?;
    let local = seconds_at(Date::from_civil(pieces.date())?, pieces.time()?);
    let utc = local - i64::from(offset.seconds());
    (Timestamp::MIN.0..=Timestamp::MAX.0)
        .contains(&utc)
        .then_some(Timestamp(utc))
}

/// Seconds since the epoch at a time of day on a date (fractions dropped), as if in UTC.
fn seconds_at(date: Date, clock: civil::Time) -> i64 {
    i64::from(date.0) * 86_400 + clock.duration_since(civil::Time::MIN).as_secs()
}

/// The form without an offset, read as UTC: `YYYY-MM-DD[(T| )H[H][:M[M][:S[S][.fraction]]]][Z]`.
/// Second 60 (a leap second) is the next minute's first second.
fn utc_time(t: &str) -> Option<Timestamp> {
    let (date, time) = t.split_once(['T', ' ']).unwrap_or((t, "0"));
    let date: Date = date.parse().ok()?;
    let time = time.strip_suffix('Z').unwrap_or(time);
    let mut parts = time.split(':');
    let mut next = |last: bool| -> Option<i8> {
        let part = parts.next().unwrap_or("0");
        let whole = match part.split_once('.') {
            Some((w, frac)) if last && frac.bytes().all(|b| b.is_ascii_digit()) => w,
            Some(_) => return None,
            None => part,
        };
        let digits =
            !whole.is_empty() && whole.len() <= 2 && whole.bytes().all(|b| b.is_ascii_digit());
        digits.then(|| whole.parse().ok()).flatten()
    };
    let (h, m, sec) = (next(false)?, next(false)?, next(true)?);
    if parts.next().is_some() {
        return None;
    }
    let leap = i64::from(sec == 60);
    let clock = civil::Time::new(h, m, sec - leap as i8, 0).ok()?;
    Some(Timestamp::from_unix(seconds_at(date, clock) + leap))
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

#[cfg(test)]
#[path = "date_tests.rs"]
mod tests;
