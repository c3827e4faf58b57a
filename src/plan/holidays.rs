//! Public holidays, computed offline: no wave works on them. German federal states first
//! (`DE` for the nationwide days only, `DE-BW` … `DE-TH` with each state's own), with the
//! movable feasts derived from Easter and the days each state added or dropped over the years.

use crate::model::Date;
use std::fmt;
use std::str::FromStr;

/// A region whose public holidays the calendar knows.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, strum::VariantArray, strum::EnumIter,
)]
pub enum Region {
    /// Germany, the nationwide holidays only.
    De,
    /// Baden-Württemberg.
    DeBw,
    /// Bayern (Mariä Himmelfahrt counts only in mostly Catholic municipalities: not included).
    DeBy,
    /// Berlin.
    DeBe,
    /// Brandenburg.
    DeBb,
    /// Bremen.
    DeHb,
    /// Hamburg.
    DeHh,
    /// Hessen.
    DeHe,
    /// Mecklenburg-Vorpommern.
    DeMv,
    /// Niedersachsen.
    DeNi,
    /// Nordrhein-Westfalen.
    DeNw,
    /// Rheinland-Pfalz.
    DeRp,
    /// Saarland.
    DeSl,
    /// Sachsen (Fronleichnam only in some Sorbian municipalities: not included).
    DeSn,
    /// Sachsen-Anhalt.
    DeSt,
    /// Schleswig-Holstein.
    DeSh,
    /// Thüringen (Fronleichnam only in parts of Eichsfeld: not included).
    DeTh,
}

/// A region code that is not known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown holiday region \"{0}\" (expected DE or DE-BW, DE-BY, … DE-TH)")]
pub struct UnknownRegion(pub String);

impl Region {
    /// The ISO 3166-2 code ("DE-BW").
    pub fn code(self) -> &'static str {
        use Region::*;
        match self {
            De => "DE",
            DeBw => "DE-BW",
            DeBy => "DE-BY",
            DeBe => "DE-BE",
            DeBb => "DE-BB",
            DeHb => "DE-HB",
            DeHh => "DE-HH",
            DeHe => "DE-HE",
            DeMv => "DE-MV",
            DeNi => "DE-NI",
            DeNw => "DE-NW",
            DeRp => "DE-RP",
            DeSl => "DE-SL",
            DeSn => "DE-SN",
            DeSt => "DE-ST",
            DeSh => "DE-SH",
            DeTh => "DE-TH",
        }
    }

    /// The public holidays of `year` (1990–9999; none outside), in date order.
    pub fn holidays(self, year: i32) -> Vec<Holiday> {
        use Region::*;
        if !(1990..=9999).contains(&year) {
            return Vec::new();
        }
        let Some(easter) = easter_sunday(year) else {
            return Vec::new();
        };
        let fixed = |month: u32, day: u32, name: &'static str| {
            Date::from_ymd(year, month, day).map(|date| Holiday { date, name })
        };
        let movable = |offset: i32, name: &'static str| {
            Some(Holiday {
                date: easter.add_days(offset),
                name,
            })
        };
        let is = |regions: &[Region]| regions.contains(&self);
        let mut days = vec![
            fixed(1, 1, "Neujahr"),
            movable(-2, "Karfreitag"),
            movable(1, "Ostermontag"),
            fixed(5, 1, "Tag der Arbeit"),
            movable(39, "Christi Himmelfahrt"),
            movable(50, "Pfingstmontag"),
            fixed(10, 3, "Tag der Deutschen Einheit"),
            fixed(12, 25, "1. Weihnachtstag"),
            fixed(12, 26, "2. Weihnachtstag"),
        ];
        if is(&[DeBw, DeBy, DeSt]) {
            days.push(fixed(1, 6, "Heilige Drei Könige"));
        }
        if (is(&[DeBe]) && year >= 2019) || (is(&[DeMv]) && year >= 2023) {
            days.push(fixed(3, 8, "Internationaler Frauentag"));
        }
        if is(&[DeBe]) && (year == 2020 || year == 2025) {
            days.push(fixed(5, 8, "Tag der Befreiung"));
        }
        if is(&[DeBw, DeBy, DeHe, DeNw, DeRp, DeSl]) {
            days.push(movable(60, "Fronleichnam"));
        }
        if is(&[DeSl]) {
            days.push(fixed(8, 15, "Mariä Himmelfahrt"));
        }
        if is(&[DeTh]) && year >= 2019 {
            days.push(fixed(9, 20, "Weltkindertag"));
        }
        let reformation_since = match self {
            DeBb | DeMv | DeSn | DeSt | DeTh => 1990,
            DeHb | DeHh | DeNi | DeSh => 2018,
            _ => i32::MAX,
        };
        // 2017, the 500th anniversary of the Reformation, was a holiday everywhere.
        if year >= reformation_since || year == 2017 {
            days.push(fixed(10, 31, "Reformationstag"));
        }
        if is(&[DeBw, DeBy, DeNw, DeRp, DeSl]) {
            days.push(fixed(11, 1, "Allerheiligen"));
        }
        if is(&[DeSn]) {
            days.push(repentance_day(year).map(|date| Holiday {
                date,
                name: "Buß- und Bettag",
            }));
        }
        let mut days: Vec<Holiday> = days.into_iter().flatten().collect();
        days.sort_by_key(|h| h.date);
        days
    }

    /// The holiday on `day`, if any.
    pub fn holiday_on(self, day: Date) -> Option<Holiday> {
        let (year, _, _) = day.ymd();
        self.holidays(year).into_iter().find(|h| h.date == day)
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Region {
    type Err = UnknownRegion;

    fn from_str(text: &str) -> Result<Region, UnknownRegion> {
        let key = text.trim().replace('_', "-");
        <Region as strum::VariantArray>::VARIANTS
            .iter()
            .copied()
            .find(|r| r.code().eq_ignore_ascii_case(&key))
            .ok_or_else(|| UnknownRegion(text.to_string()))
    }
}

impl serde::Serialize for Region {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Region {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Region, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// One public holiday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    /// The day.
    pub date: Date,
    /// Its name, as the region calls it.
    pub name: &'static str,
}

/// Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher").
pub fn easter_sunday(year: i32) -> Option<Date> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::from_ymd(year, month as u32, day as u32)
}

/// Buß- und Bettag: the Wednesday before 23 November.
fn repentance_day(year: i32) -> Option<Date> {
    let mut day = Date::from_ymd(year, 11, 22)?;
    while day.weekday() != jiff::civil::Weekday::Wednesday {
        day = day.add_days(-1);
    }
    Some(day)
}

#[cfg(test)]
#[path = "holidays_tests.rs"]
mod tests;
