//! Tests of dates and timestamps.

use super::*;

#[test]
fn dates_round_trip_and_know_weekdays() {
    let d: Date = "2026-12-07".parse().unwrap();
    assert_eq!(d.to_string(), "2026-12-07");
    assert_eq!(d.weekday(), Weekday::Monday);
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

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn offsets_convert_to_utc() {
    assert_eq!(
        ts("2026-12-08T09:12:30+02:00").to_string(),
        "2026-12-08T07:12:30Z"
    );
    assert_eq!(ts("2026-12-08T09:12:30+0200"), ts("2026-12-08T07:12:30Z"));
    // West of Greenwich late in the evening is already tomorrow in UTC.
    let t = ts("2026-12-31T22:30:00-05:00");
    assert_eq!(t.to_string(), "2027-01-01T03:30:00Z");
    assert_eq!(t.date().to_string(), "2027-01-01");
    assert_eq!(
        ts("2026-12-08T21:00:00-0500").date().to_string(),
        "2026-12-09"
    );
    assert_eq!(
        ts("2026-12-08T00:30:00+01:00").date().to_string(),
        "2026-12-07"
    );
    assert_eq!(ts("2026-12-08T09:12:30+00:00"), ts("2026-12-08T09:12:30Z"));
    assert_eq!(ts("2026-12-08T09:12:30-00:00"), ts("2026-12-08T09:12:30Z"));
    assert_eq!(
        ts("2026-12-08 09:12:30+05:30").to_string(),
        "2026-12-08T03:42:30Z"
    );
    assert_eq!(ts("2026-12-08t09:12:30z"), ts("2026-12-08T09:12:30Z"));
    // A zone name after an offset is ignored; without one it is refused (no zone database).
    assert_eq!(
        ts("2026-12-08T09:12:30+01:00[Europe/Berlin]"),
        ts("2026-12-08T08:12:30Z")
    );
    assert!(
        "2026-12-08T09:12:30[Europe/Berlin]"
            .parse::<Timestamp>()
            .is_err()
    );
    for bad in [
        "2026-12-08T09:12:30+26:00",
        "2026-12-08T09:12:30+2:00",
        "2026-12-08T09:12:30 +02:00",
        "2026-12-08T09:12:30+02:00Z",
        "2026-12-08+02:00",
    ] {
        assert!(bad.parse::<Timestamp>().is_err(), "{bad}");
    }
}

#[test]
fn fractional_seconds_are_dropped() {
    assert_eq!(
        ts("2025-03-10T08:01:12.4812345Z"),
        ts("2025-03-10T08:01:12Z")
    );
    assert_eq!(
        ts("2025-03-10T08:01:12.999999999+01:00"),
        ts("2025-03-10T07:01:12Z")
    );
    assert_eq!(
        ts("2025-03-10 08:01:12,5-01:00"),
        ts("2025-03-10T09:01:12Z")
    );
    // Before 1970 too: rounded down, not toward the epoch.
    assert_eq!(
        ts("1969-12-31T23:59:59.5+00:00"),
        ts("1969-12-31T23:59:59Z")
    );
    assert_eq!(ts("1969-12-31T23:59:59.5+00:00").unix(), -1);
}

#[test]
fn the_forms_without_an_offset_read_as_utc() {
    assert_eq!(ts("2026-12-08").to_string(), "2026-12-08T00:00:00Z");
    assert_eq!(ts("2026-12-08T9").to_string(), "2026-12-08T09:00:00Z");
    assert_eq!(ts(" 2026-12-08 9:5:3 ").to_string(), "2026-12-08T09:05:03Z");
    assert_eq!(
        ts("2026-12-08T09:12:30").to_string(),
        "2026-12-08T09:12:30Z"
    );
    // A leap second is the next minute's first second.
    assert_eq!(
        ts("2016-12-31T23:59:60Z").to_string(),
        "2017-01-01T00:00:00Z"
    );
}

#[test]
fn leap_days() {
    for (text, ok) in [
        ("2024-02-29", true),
        ("2000-02-29", true),
        ("0000-02-29", true),
        ("2026-02-29", false),
        ("1900-02-29", false),
        ("2100-02-29", false),
    ] {
        assert_eq!(text.parse::<Date>().is_ok(), ok, "{text}");
        assert_eq!(text.parse::<Timestamp>().is_ok(), ok, "{text}");
    }
    let leap = Date::from_ymd(2028, 2, 29).unwrap();
    assert_eq!(leap.add_days(-365).to_string(), "2027-03-01");
    assert_eq!(leap.days_until(leap.add_days(366)), 366);
    assert_eq!(leap.add_days(366).to_string(), "2029-03-01");
    assert_eq!(leap.ymd(), (2028, 2, 29));
}

#[test]
fn the_bounds_are_0000_and_9999() {
    assert_eq!(Date::from_ymd(0, 1, 1), Some(Date::MIN));
    assert_eq!(Date::from_ymd(9999, 12, 31), Some(Date::MAX));
    assert_eq!(Date::MIN.weekday(), Weekday::Saturday);
    assert_eq!(Date::MAX.weekday(), Weekday::Friday);
    assert_eq!(Timestamp::MIN.to_string(), "0000-01-01T00:00:00Z");
    assert_eq!(Timestamp::MAX.to_string(), "9999-12-31T23:59:59Z");
    assert_eq!(ts("9999-12-31T23:59:59Z"), Timestamp::MAX);
    assert_eq!(ts("0000-01-01T00:00:00Z"), Timestamp::MIN);
    assert_eq!(Timestamp::from_unix(i64::MAX), Timestamp::MAX);
    assert_eq!(Timestamp::from_unix(i64::MIN), Timestamp::MIN);
    assert_eq!(Timestamp::MAX.date(), Date::MAX);
    // An offset that would leave the range is refused, not clamped.
    for bad in [
        "0000-01-01T00:30:00+01:00",
        "9999-12-31T23:30:00-01:00",
        "+010000-01-01T00:00:00Z",
        "-000001-12-31T00:00:00Z",
    ] {
        assert!(bad.parse::<Timestamp>().is_err(), "{bad}");
    }
    assert_eq!(
        ts("0000-01-01T01:30:00+01:00").to_string(),
        "0000-01-01T00:30:00Z"
    );
}

#[test]
fn errors_are_one_line_and_name_the_text() {
    let e = "2026-12-08T25:00:00+02:00"
        .parse::<Timestamp>()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid timestamp \"2026-12-08T25:00:00+02:00\" (expected YYYY-MM-DDTHH:MM:SSZ or an \
         RFC 3339 time such as 2026-12-08T09:12:30+02:00)"
    );
    let e = "2026-02-30\nx".parse::<Date>().unwrap_err().to_string();
    assert!(e.starts_with("invalid date \"2026-02-30"), "{e}");
    assert!(
        !e.contains('\n') && e.ends_with("(expected YYYY-MM-DD)"),
        "{e}"
    );
}

#[test]
fn output_is_byte_identical_to_the_written_forms() {
    #[derive(Serialize, Deserialize)]
    struct W {
        start: Date,
        at: Timestamp,
    }
    let w = W {
        start: Date::from_ymd(2026, 12, 7).unwrap(),
        at: ts("2026-12-08T10:12:00+01:00"),
    };
    assert_eq!(
        serde_json::to_string(&w).unwrap(),
        r#"{"start":"2026-12-07","at":"2026-12-08T09:12:00Z"}"#
    );
    assert_eq!(
        toml::to_string(&w).unwrap(),
        "start = \"2026-12-07\"\nat = \"2026-12-08T09:12:00Z\"\n"
    );
    let back: W =
        serde_json::from_str(r#"{"start":"2026-12-07","at":"2026-12-08T10:12:00+01:00"}"#).unwrap();
    assert_eq!(back.at, w.at);
    let back: W = toml::from_str("start = 2026-12-07\nat = 2026-12-08T10:12:00+01:00").unwrap();
    assert_eq!((back.start, back.at), (w.start, w.at));
}

#[test]
fn the_written_date_of_an_override_is_its_own_offsets_date() {
    assert_eq!(
        written_date("2026-12-08T00:30:00+02:00"),
        Date::from_ymd(2026, 12, 8)
    );
    assert_eq!(
        ts("2026-12-08T00:30:00+02:00").date(),
        Date::from_ymd(2026, 12, 7).unwrap()
    );
    // `Z` and the forms without an offset are UTC already: the caller takes the UTC date.
    assert_eq!(written_date("2026-12-08T00:30:00Z"), None);
}

#[test]
fn today_is_a_date_in_range() {
    let today = Date::today();
    assert!(Date::MIN < today && today < Date::MAX);
    assert!(today.days_until(Timestamp::now().date()).abs() <= 1);
}

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
            prop_assert_eq!(t.to_string().parse::<Timestamp>(), Ok(t));
        }

        #[test]
        fn parsing_any_text_never_panics(text in "\\PC{0,30}", y in any::<i32>(), m in any::<u32>()) {
            let _ = text.parse::<Date>();
            let _ = text.parse::<Timestamp>();
            let _ = Date::from_ymd(y, m, 1);
        }

        #[test]
        fn a_local_time_with_its_offset_is_the_same_instant(
            secs in Timestamp::MIN.0 + 86_400..Timestamp::MAX.0 - 86_400,
            minutes in -23 * 60 - 59..=23 * 60 + 59i64,
        ) {
            let utc = Timestamp::from_unix(secs);
            let local = Timestamp::from_unix(secs + minutes * 60).to_string();
            let sign = if minutes < 0 { '-' } else { '+' };
            let (h, m) = (minutes.abs() / 60, minutes.abs() % 60);
            let text = format!("{}{sign}{h:02}:{m:02}", local.trim_end_matches('Z'));
            prop_assert_eq!(text.parse::<Timestamp>(), Ok(utc), "{}", text);
        }
    }
}
