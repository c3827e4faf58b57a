use super::*;
use strum::VariantArray;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

#[test]
fn easter_falls_on_the_known_sundays() {
    for (year, day) in [
        (1990, "1990-04-15"),
        (2000, "2000-04-23"),
        (2019, "2019-04-21"),
        (2024, "2024-03-31"),
        (2025, "2025-04-20"),
        (2026, "2026-04-05"),
        (2027, "2027-03-28"),
        (2038, "2038-04-25"),
        (2285, "2285-03-22"),
    ] {
        assert_eq!(easter_sunday(year), Some(d(day)), "{year}");
    }
}

#[test]
fn baden_wuerttemberg_2026_has_its_twelve_days() {
    let got: Vec<String> = Region::DeBw
        .holidays(2026)
        .iter()
        .map(|h| format!("{} {}", h.date, h.name))
        .collect();
    assert_eq!(
        got,
        [
            "2026-01-01 Neujahr",
            "2026-01-06 Heilige Drei Könige",
            "2026-04-03 Karfreitag",
            "2026-04-06 Ostermontag",
            "2026-05-01 Tag der Arbeit",
            "2026-05-14 Christi Himmelfahrt",
            "2026-05-25 Pfingstmontag",
            "2026-06-04 Fronleichnam",
            "2026-10-03 Tag der Deutschen Einheit",
            "2026-11-01 Allerheiligen",
            "2026-12-25 1. Weihnachtstag",
            "2026-12-26 2. Weihnachtstag",
        ]
    );
}

#[test]
fn every_state_has_its_number_of_holidays() {
    use Region::*;
    let expected_2026 = [
        (De, 9),
        (DeBw, 12),
        (DeBy, 12),
        (DeBe, 10),
        (DeBb, 10),
        (DeHb, 10),
        (DeHh, 10),
        (DeHe, 10),
        (DeMv, 11),
        (DeNi, 10),
        (DeNw, 11),
        (DeRp, 11),
        (DeSl, 12),
        (DeSn, 11),
        (DeSt, 11),
        (DeSh, 10),
        (DeTh, 11),
    ];
    assert_eq!(expected_2026.len(), Region::VARIANTS.len());
    for (region, n) in expected_2026 {
        assert_eq!(region.holidays(2026).len(), n, "{region}");
    }
}

#[test]
fn days_added_and_one_off_days_follow_the_years() {
    let has = |r: Region, day: &str| r.holiday_on(d(day)).is_some();
    // Reformation Day: everywhere in 2017, in the northern states only since 2018.
    assert!(has(Region::DeBw, "2017-10-31") && !has(Region::DeBw, "2018-10-31"));
    assert!(!has(Region::DeNi, "2016-10-31") && has(Region::DeNi, "2018-10-31"));
    assert!(has(Region::DeSn, "1995-10-31"));
    // Women's Day: Berlin since 2019, Mecklenburg-Vorpommern since 2023.
    assert!(!has(Region::DeBe, "2018-03-08") && has(Region::DeBe, "2019-03-08"));
    assert!(!has(Region::DeMv, "2022-03-08") && has(Region::DeMv, "2023-03-08"));
    assert!(has(Region::DeBe, "2025-05-08") && !has(Region::DeBe, "2026-05-08"));
    assert!(!has(Region::DeTh, "2018-09-20") && has(Region::DeTh, "2019-09-20"));
    // Day of Repentance: the Wednesday before 23 November, Saxony only.
    for day in ["2023-11-22", "2024-11-20", "2025-11-19", "2026-11-18"] {
        assert!(has(Region::DeSn, day) && !has(Region::DeBy, day), "{day}");
    }
    assert_eq!(
        Region::DeNw.holiday_on(d("2027-05-27")).map(|h| h.name),
        Some("Fronleichnam")
    );
    assert!(Region::De.holidays(1989).is_empty());
}

#[test]
fn region_codes_read_back_in_any_case() {
    for &r in Region::VARIANTS {
        assert_eq!(r.code().parse::<Region>(), Ok(r));
        assert_eq!(r.code().to_lowercase().parse::<Region>(), Ok(r));
    }
    assert_eq!("de_by".parse::<Region>(), Ok(Region::DeBy));
    let err = "DE-XX".parse::<Region>().unwrap_err().to_string();
    assert!(err.contains("DE-XX") && err.contains("DE-BW"), "{err}");
}
