use super::*;
use crate::catalog::Capability;
use crate::model::{AssetKind, Criticality, Date, OsFamily, Timestamp};
use crate::plan::model::Strategy;
use proptest::prelude::*;

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// A plan with every optional field and table set (and, beside it, an asset with none).
fn full_plan() -> Plan {
    let mut settings = Settings::new(day("2027-01-11"));
    settings.strategy = Strategy::SafetyFirst;
    settings.wave_size = 30;
    settings.wave_days = 10;
    settings.deadline = Some(day("2027-12-31"));
    settings.preference = vec!["mde".into(), "eset-protect-endpoint".into()];
    settings.site_capacity = [("Werk \"Nord\"".to_string(), 5), ("Zentrale".into(), 12)].into();
    settings.blackouts = vec![
        Blackout {
            from: day("2027-03-29"),
            to: day("2027-04-09"),
            reason: Some("Easter".into()),
            yearly: false,
        },
        Blackout {
            from: day("2027-08-02"),
            to: day("2027-08-13"),
            reason: None,
            yearly: false,
        },
    ];
    settings.vendor_rules = vec![
        VendorRule {
            product: "mde".into(),
            when: When {
                kind: vec![AssetKind::Server, AssetKind::Vm],
                os_family: vec![OsFamily::Linux],
                site: vec!["Zentrale".into()],
                tag: vec!["kritis".into()],
                criticality: vec![Criticality::High],
            },
        },
        VendorRule {
            product: "eset-protect-endpoint".into(),
            when: When::default(),
        },
    ];
    let wave = |id: &str, start: &str, end: &str, frozen| Wave {
        id: id.into(),
        name: format!("Wave {id}"),
        start: day(start),
        end: day(end),
        capacity: 8,
        frozen,
    };
    let full = PlannedAsset {
        product: Some("mde".into()),
        status: Status::Excluded,
        pinned: true,
        reason: "pilot: KRITIS".into(),
        product_reason: "first preference".into(),
        coverage: Some(Coverage {
            via: "svm-01".into(),
            function: Capability::Virtualization,
            by: CoveredBy::Decision,
        }),
        note: Some("tab\tand \"quotes\"\nnew line".into()),
        status_reason: Some("air-gapped".into()),
        approver: Some("CISO".into()),
        review: Some(day("2027-06-30")),
        source: Some("reconcile".into()),
        needs_decision: true,
        decision: Some(Box::new(Decision {
            option: DecisionOption::Isolate,
            rationale: "vendor forbids agents".into(),
            approver: "CISO".into(),
            review: day("2027-06-30"),
        })),
        protection: Some(Box::new(Protection {
            state: ProtectionState::Protected,
            products: vec!["mde".into()],
            flagged: vec!["Kaspersky Endpoint Security".into()],
            scan: "scan.csv".into(),
            at: at("2027-01-13T08:00:00Z"),
        })),
        ..PlannedAsset::new("hmi-01", "w1")
    };
    Plan {
        schema_version: SCHEMA_VERSION,
        name: "Rollout \\ 2027".into(),
        inventory: vec![InventoryRef {
            path: "inv.toml".into(),
            hash: "sha256:00".into(),
        }],
        import: ImportSettings {
            format: Some("ksc".into()),
            mapping: Some("map.toml".into()),
            ksc_server: Some("ksc-01".into()),
            sheet: Some("Inventar".into()),
        },
        settings,
        waves: vec![
            wave("w1", "2027-01-11", "2027-01-22", true),
            wave("w2", "2027-01-25", "2027-02-05", false),
        ],
        assets: vec![full, PlannedAsset::new("ws-01", "w2")],
        events: vec![
            Event {
                at: at("2027-01-12T09:12:30Z"),
                asset: "hmi-01".into(),
                field: "status".into(),
                from: "planned".into(),
                to: "excluded".into(),
                by: "mm".into(),
                note: Some("risk accepted".into()),
            },
            Event {
                at: at("2027-01-12T09:13:00Z"),
                asset: "ws-01".into(),
                field: "wave".into(),
                from: String::new(),
                to: "w2".into(),
                by: "mm".into(),
                note: None,
            },
        ],
        alerts: vec![
            Alert {
                at: at("2027-01-13T08:00:00Z"),
                asset: "ws-01".into(),
                kind: AlertKind::ProtectionGap,
                message: "unprotected".into(),
                scan: "scan.csv".into(),
            },
            Alert {
                at: at("2027-01-13T08:00:00Z"),
                asset: "hmi-01".into(),
                kind: AlertKind::Regression,
                message: "back".into(),
                scan: String::new(),
            },
        ],
    }
}

const FULL: &str = r#"schema_version = 1
name = "Rollout \\ 2027"

[[inventory]]
path = "inv.toml"
hash = "sha256:00"

[import]
format = "ksc"
mapping = "map.toml"
ksc_server = "ksc-01"
sheet = "Inventar"

[settings]
strategy = "safety-first"
wave_size = 30
wave_days = 10
start = 2027-01-11
deadline = 2027-12-31
preference = ["mde", "eset-protect-endpoint"]

[settings.site_capacity]
"Werk \"Nord\"" = 5
"Zentrale" = 12

[[blackout]]
from = 2027-03-29
to = 2027-04-09
reason = "Easter"

[[blackout]]
from = 2027-08-02
to = 2027-08-13

[[vendor_rule]]
product = "mde"
when = { kind = ["server", "vm"], os_family = ["linux"], site = ["Zentrale"], tag = ["kritis"], criticality = ["high"] }

[[vendor_rule]]
product = "eset-protect-endpoint"
when = {}

[[wave]]
id = "w1"
name = "Wave w1"
start = 2027-01-11
end = 2027-01-22
capacity = 8
frozen = true

[[wave]]
id = "w2"
name = "Wave w2"
start = 2027-01-25
end = 2027-02-05
capacity = 8

[[asset]]
id = "hmi-01"
wave = "w1"
product = "mde"
status = "excluded"
pinned = true
reason = "pilot: KRITIS"
product_reason = "first preference"
coverage = { via = "svm-01", function = "virtualization", by = "decision" }
note = "tab\tand \"quotes\"\nnew line"
status_reason = "air-gapped"
approver = "CISO"
review = 2027-06-30
source = "reconcile"
needs_decision = true
decision = { option = "isolate", rationale = "vendor forbids agents", approver = "CISO", review = 2027-06-30 }
protection = { state = "protected", products = ["mde"], flagged = ["Kaspersky Endpoint Security"], scan = "scan.csv", at = 2027-01-13T08:00:00Z }

[[asset]]
id = "ws-01"
wave = "w2"
status = "planned"

[[event]]
at = 2027-01-12T09:12:30Z
asset = "hmi-01"
from = "planned"
to = "excluded"
by = "mm"
note = "risk accepted"

[[event]]
at = 2027-01-12T09:13:00Z
asset = "ws-01"
field = "wave"
from = ""
to = "w2"
by = "mm"

[[alert]]
at = 2027-01-13T08:00:00Z
asset = "ws-01"
kind = "protection-gap"
message = "unprotected"
scan = "scan.csv"

[[alert]]
at = 2027-01-13T08:00:00Z
asset = "hmi-01"
kind = "regression"
message = "back"
"#;

#[test]
fn every_optional_field_is_written_in_the_canonical_layout_and_read_back() {
    let plan = full_plan();
    let text = to_toml(&plan);
    assert_eq!(text, FULL);
    let back = parse(&text, "p.toml").expect("the written plan loads");
    assert_eq!(back, plan);
    assert_eq!(
        to_toml(&back),
        text,
        "write → read → write is byte-identical"
    );
    let mut streamed = Vec::new();
    write_toml_to(&plan, &mut streamed).unwrap();
    assert_eq!(streamed, text.as_bytes());
}

#[test]
fn a_write_error_is_reported() {
    struct Full;
    impl std::io::Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "disk full",
            ))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut plan = full_plan();
    // More than the 64 KiB buffer, so the writer is reached before the final flush.
    plan.assets[1].note = Some("x".repeat(100_000));
    let e = write_toml_to(&plan, &mut Full).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::StorageFull);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any text in the free fields (control characters, quotes, backslashes, any script)
    /// survives write → read, and writing again gives the same bytes.
    #[test]
    fn any_text_round_trips(
        name in any::<String>(),
        note in any::<String>(),
        reason in any::<String>(),
        site in any::<String>(),
        by in "[^\u{0}]{1,12}",
        message in any::<String>(),
    ) {
        let mut plan = full_plan();
        plan.name = name;
        plan.assets[0].note = Some(note);
        plan.assets[1].reason = reason.clone().into();
        plan.settings.blackouts[1].reason = Some(reason);
        plan.settings.site_capacity.insert(site, 3);
        plan.events[1].by = by;
        plan.alerts[1].message = message;
        let text = to_toml(&plan);
        let back = parse(&text, "p.toml").map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&back, &plan);
        prop_assert_eq!(to_toml(&back), text);
    }
}

#[test]
fn equal_reasons_read_from_a_plan_share_one_string() {
    let mut plan = full_plan();
    let why: crate::model::text::Text = "Wave 1: pilot site".into();
    for a in &mut plan.assets {
        a.reason = why.clone();
    }
    let read = parse(&to_toml(&plan), "p.toml").unwrap();
    assert!(read.assets.len() >= 2);
    let first = &read.assets[0].reason;
    assert_eq!(first.as_str(), "Wave 1: pilot site");
    assert!(
        read.assets
            .iter()
            .all(|a| crate::model::text::Text::ptr_eq(&a.reason, first))
    );
}

#[test]
fn a_planned_asset_stays_small() {
    // A plan of a million assets is held twice in the app (the plan and the copy its
    // validations read): the rarely set decision and scan evidence sit behind a pointer.
    let size = std::mem::size_of::<crate::plan::model::PlannedAsset>();
    assert!(size <= 248, "PlannedAsset is {size} bytes");
}

/// `full_plan` with `n` copies of each asset and event (new ids), for the piecewise reading.
fn large_plan(n: usize) -> Plan {
    let mut plan = full_plan();
    let (assets, events) = (plan.assets.clone(), plan.events.clone());
    for k in 1..n {
        for a in &assets {
            let mut a = a.clone();
            a.id = format!("{}-{k}", a.id);
            plan.assets.push(a);
        }
        plan.events.extend(events.iter().cloned());
    }
    plan
}

#[test]
fn a_plan_read_in_pieces_is_the_plan_read_whole() {
    let text = to_toml(&large_plan(60));
    let whole = parse(&text, "p.toml").unwrap();
    let read = |t: &str| {
        crate::plan::file_sections::with_pieces(0, 300, || {
            crate::plan::file_sections::read(t).map(|s| (s.assets.len(), s.events.len()))
        })
    };
    assert_eq!(read(&text), Some((whole.assets.len(), whole.events.len())));
    for piece in [1, 300, 5_000, usize::MAX / 4] {
        let pieces = crate::plan::file_sections::with_pieces(0, piece, || parse(&text, "p.toml"));
        assert_eq!(pieces.unwrap(), whole, "pieces of {piece} bytes");
    }
}

#[test]
fn a_plan_that_cannot_be_cut_is_read_whole_with_its_errors_in_place() {
    let text = to_toml(&large_plan(5));
    // Another table among the asset tables: read whole, same plan.
    let wave_at = text.find("[[wave]]").unwrap();
    let wave_end = text[wave_at + 1..].find("\n[[").unwrap() + wave_at + 2;
    let second_asset = text.match_indices("[[asset]]").nth(2).unwrap().0;
    let moved = format!(
        "{}{}{}{}",
        &text[..wave_at],
        &text[wave_end..second_asset],
        &text[wave_at..wave_end],
        &text[second_asset..]
    );
    let cut = crate::plan::file_sections::with_pieces(0, 300, || {
        crate::plan::file_sections::read(&moved).is_some()
    });
    assert!(!cut, "a wave among the assets is read whole");
    let whole = parse(&moved, "p.toml");
    let pieces = crate::plan::file_sections::with_pieces(0, 300, || parse(&moved, "p.toml"));
    assert_eq!(pieces, whole);
    // An error in the tenth asset is placed on its line, as by the whole parse.
    let tenth = text.match_indices("[[asset]]").nth(9).unwrap().0;
    let broken = format!("{}[[asset]]\nbogus = 1\n{}", &text[..tenth], &text[tenth..]);
    let whole = parse(&broken, "p.toml").unwrap_err().to_string();
    let pieces = crate::plan::file_sections::with_pieces(0, 300, || parse(&broken, "p.toml"))
        .unwrap_err()
        .to_string();
    assert_eq!(pieces, whole);
}

/// Lines that could fool a cut: headers of every kind, sub-tables, look-alikes, strings.
const TRICKY: &[&str] = &[
    "[[asset]]",
    "[[event]]",
    "[[wave]]",
    "[asset.decision]",
    "[[asset]] # comment",
    "[ [asset] ]",
    "note = \"[[asset]]\"",
    "note = \"\"\"\n[[asset]]\n\"\"\"",
    "id = \"dup\"",
    "[settings]",
    "asset = []",
    "event.x = 1",
    "",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_plan_text_reads_the_same_in_pieces_and_whole(
        edits in proptest::collection::vec((0usize..10_000, 0usize..TRICKY.len()), 1..4),
        piece in 1usize..2_000,
    ) {
        let text = to_toml(&large_plan(4));
        let mut lines: Vec<&str> = text.lines().collect();
        for (at, what) in &edits {
            let at = at % (lines.len() + 1);
            lines.insert(at, TRICKY[*what]);
        }
        let edited = lines.join("\n");
        let whole = parse(&edited, "p.toml").map_err(|e| e.to_string());
        let pieces = crate::plan::file_sections::with_pieces(0, piece, || parse(&edited, "p.toml"))
            .map_err(|e| e.to_string());
        prop_assert_eq!(pieces, whole);
    }
}

#[test]
fn a_cut_that_falls_inside_a_character_moves_to_the_next_line() {
    // Found by the plan fuzz target: a piece's nominal end inside a multi-byte character
    // panicked when the text was sliced there.
    let mut plan = large_plan(3);
    for a in &mut plan.assets {
        a.reason = "Überprüfung \u{feff}✓ äöü".into();
    }
    let text = to_toml(&plan);
    let whole = parse(&text, "p.toml").unwrap();
    for piece in 1..120 {
        let pieces = crate::plan::file_sections::with_pieces(0, piece, || parse(&text, "p.toml"));
        assert_eq!(pieces.as_ref(), Ok(&whole), "pieces of {piece} bytes");
    }
}
