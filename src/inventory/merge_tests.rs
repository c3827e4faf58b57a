//! Tests of the parent module.
use super::*;
use crate::inventory::merge_pick::{detail, same_host, same_os};
use crate::model::{Os, Software};

#[test]
fn software_is_unioned_and_completed() {
    let mut list = thin_vec::thin_vec![Software::named("KES"), Software::named("Office")];
    let mut index = SoftwareIndex::default();
    let mut add = |s: Software| {
        index.add(0, &mut list, s);
    };
    add(Software {
        name: "kes".into(),
        version: Some("12.6".into()),
        publisher: Some("AO Kaspersky Lab".into()),
    });
    add(Software::named("OFFICE"));
    add(Software {
        name: "KES".into(),
        version: Some("11.0".into()),
        publisher: None,
    });
    add(Software {
        name: "Kes".into(),
        version: Some("12.6".into()),
        publisher: Some("Kaspersky Lab".into()),
    });
    let names: Vec<_> = list
        .iter()
        .map(|s| {
            (
                s.name.as_str(),
                s.version.as_deref(),
                s.publisher.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("KES", Some("12.6"), Some("AO Kaspersky Lab")),
            ("Office", None, None),
            ("KES", Some("11.0"), None),
            ("Kes", Some("12.6"), Some("Kaspersky Lab")),
        ]
    );
}

#[test]
fn the_same_os_or_host_written_differently_is_no_conflict() {
    let os = |t: &str| Os::parse(t);
    for (a, b) in [
        ("Microsoft Windows 11 Pro 23H2", "Windows 11 Version 23H2"),
        ("Windows 11", "Windows 10.0.22631.3235"),
        ("macOS 14 Sonoma", "macOS 14.3.1"),
        ("Ubuntu 22.04.4 LTS", "Linux 22.04"),
    ] {
        assert!(same_os(&os(a), &os(b)), "{a} / {b}");
    }
    for (a, b) in [
        ("Windows 10 Pro", "Windows 11 Pro"),
        ("Windows 11 22H2", "Windows 11 23H2"),
        ("Ubuntu 22.04", "Red Hat Enterprise Linux 9.3"),
        ("macOS 14", "macOS 13.6"),
        ("macOS 14", "macOS 141.2"),
        ("", ""),
    ] {
        assert!(!same_os(&os(a), &os(b)), "{a} / {b}");
    }
    assert!(detail(&os("Windows 11 Version 23H2")) > detail(&os("Windows 11")));
    assert!(detail(&os("macOS 14.3.1")) > detail(&os("macOS 14 Sonoma")));
    assert!(same_host("FR-WS-0142", "fr-ws-0142.mueller-mb.local"));
    assert!(!same_host("fr-ws-0142.a.local", "fr-ws-0142.b.local"));
}

#[test]
fn relations_are_unioned() {
    use crate::model::RelationKind::*;
    let mut list = thin_vec::thin_vec![Relation::new("ksc-01", ManagedBy)];
    let mut index = RelationIndex::default();
    index.add(3, &mut list, Relation::new("KSC-01", ManagedBy));
    index.add(3, &mut list, Relation::new("ksc-01", UpdatesFrom));
    index.add(3, &mut list, Relation::new("Ksc-01", UpdatesFrom));
    let touched: Vec<_> = index.touched().collect();
    assert_eq!(touched, [(3, 1)]);
    drop_repeated(&mut list, 1);
    let got: Vec<_> = list.iter().map(|r| (r.target.as_str(), r.kind)).collect();
    assert_eq!(got, [("ksc-01", ManagedBy), ("ksc-01", UpdatesFrom)]);
}

#[test]
fn a_record_with_an_ambiguous_id_still_merges_by_a_name_that_names_one_asset() {
    let mut m = Merger {
        inv: Inventory::from_assets([
            Asset::new("ws-1.corp-a.local"),
            Asset::new("ws-1.corp-b.local"),
        ]),
        explicit: vec![Explicit::default(); 2],
        ..Merger::default()
    };
    let mut sink = Sink {
        strict: false,
        warnings: crate::error::Warnings::default(),
    };
    let mut asset = Asset::new("ws-1");
    asset.name = Some("WS-1.corp-a.local".into());
    asset.set_owner(Some("A".into()));
    let record = Record {
        asset,
        explicit: Explicit::default(),
    };
    m.add_records(std::iter::once(record), &mut sink).unwrap();
    assert_eq!(m.inv.len(), 2, "merged, not added");
    assert_eq!(m.inv.assets()[0].owner().map(|t| t.as_str()), Some("A"));
    assert_eq!(sink.warnings.len(), 0, "{:?}", sink.warnings);
}
