use super::*;
use crate::model::Named;
use strum::VariantArray;

#[test]
fn all_statuses_are_listed_in_declaration_order() {
    // Counting and the app's status column index by `status as usize`.
    for (i, s) in Status::VARIANTS.iter().enumerate() {
        assert_eq!(*s as usize, i, "{s:?}");
    }
}

#[test]
fn statuses_parse_and_classify() {
    assert_eq!(Status::from_name("in_progress"), Some(Status::InProgress));
    assert_eq!(Status::from_name("Rolled Back"), Some(Status::RolledBack));
    assert_eq!(Status::from_name("done"), None);
    assert!(Status::Verified.is_done());
    assert!(!Status::Blocked.is_done());
}

#[test]
fn the_default_wave_size_grows_with_the_estate() {
    assert_eq!(default_wave_size(0), 50);
    assert_eq!(default_wave_size(2_000), 50);
    assert_eq!(default_wave_size(2_001), 100);
    assert_eq!(default_wave_size(916_405), 22_950);
}

#[test]
fn blackout_overlap() {
    let d = |s: &str| s.parse::<Date>().unwrap();
    let b = Blackout {
        from: d("2026-12-21"),
        to: d("2027-01-06"),
        reason: None,
        yearly: false,
    };
    assert!(b.contains(d("2026-12-24")));
    assert!(b.overlaps(d("2026-12-18"), d("2026-12-21")));
    assert!(!b.overlaps(d("2027-01-07"), d("2027-01-13")));
}
