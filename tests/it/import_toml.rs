//! Native TOML import and the canonical writer, with a write→read round-trip property.

use crate::import_support;
use avmigrate::model::Named;
use strum::VariantArray;

use avmigrate::inventory::{ImportOptions, Loaded, load_sources, native};
use avmigrate::model::{
    Asset, AssetKind, Criticality, Inventory, Os, Relation, RelationKind, Software,
};
use import_support::*;
use proptest::prelude::*;

fn load(label: &str, text: &str) -> Loaded {
    let sources = vec![(label.to_string(), text.as_bytes().to_vec())];
    match load_sources(sources, &ImportOptions::default()) {
        Ok(loaded) => loaded,
        Err(e) => panic!("import failed: {e}"),
    }
}

const DESIGN_EXAMPLE: &str = r#"# Stadtwerke inventory
[[asset]]
id = "ksc-01"                          # required, unique, compared case-insensitively
name = "KSC01.stadtwerke.local"        # optional hostname / display name
kind = "server"
os = "Windows Server 2019 Standard"    # free text; parsed into family + version
site = "Netzleitstelle"
owner = "IT-Betrieb"
criticality = "high"                   # low|medium|high|critical (default medium)
tags = ["kritis", "internet-facing"]
software = [
  { name = "Kaspersky Security Center 14.2 Administration Server", version = "14.2.0.26967",
    publisher = "AO Kaspersky Lab" },
]
depends_on = [ { id = "upd-01", kind = "updates-from" } ]

[[asset]]
id = "upd-01"
os = "Ubuntu 22.04 LTS"
depends_on = [
  { id = "ksc-01" },
  { id = "proxy-01", kind = "proxied-by" },
]
"#;

#[test]
fn design_example_reads_every_field() {
    let loaded = load("inv.toml", DESIGN_EXAMPLE);
    let f = &loaded.files[0];
    assert_eq!(
        (f.format, f.encoding, f.separator),
        ("native-toml", "utf-8", None)
    );
    assert_eq!((f.rows, f.assets, f.software, f.relations), (2, 2, 1, 3));
    assert!(loaded.warnings.is_empty());

    let ksc = loaded.inventory.get("KSC-01").expect("ksc-01");
    assert_eq!(ksc.id, "ksc-01");
    assert_eq!(ksc.name.as_deref(), Some("KSC01.stadtwerke.local"));
    assert_eq!(ksc.kind, AssetKind::Server);
    assert_eq!(ksc.os, Os::parse("Windows Server 2019 Standard"));
    assert_eq!(ksc.site().map(|t| t.as_str()), Some("Netzleitstelle"));
    assert_eq!(ksc.owner().map(|t| t.as_str()), Some("IT-Betrieb"));
    assert_eq!(ksc.criticality, Criticality::High);
    assert_eq!(
        ksc.tags().map(|t| t.as_str()).collect::<Vec<_>>(),
        ["kritis", "internet-facing"]
    );
    assert_eq!(
        ksc.software,
        [Software {
            name: "Kaspersky Security Center 14.2 Administration Server".into(),
            version: Some("14.2.0.26967".into()),
            publisher: Some("AO Kaspersky Lab".into()),
        }]
    );
    assert_eq!(origin(ksc), "inv.toml:2");
    let rel = &ksc.depends_on[0];
    assert_eq!(
        (rel.target.as_str(), rel.kind),
        ("upd-01", RelationKind::UpdatesFrom)
    );
    assert_eq!(
        rel.origin.as_ref().map(ToString::to_string).as_deref(),
        Some("inv.toml:15")
    );

    let upd = loaded.inventory.get("upd-01").expect("upd-01");
    assert_eq!(upd.kind, AssetKind::Server, "inferred from Linux");
    assert_eq!(upd.criticality, Criticality::Medium, "default");
    assert_eq!(origin(upd), "inv.toml:17");
    let deps: Vec<_> = upd
        .depends_on
        .iter()
        .map(|r| {
            (
                r.target.as_str(),
                r.kind,
                r.origin.as_ref().map(|o| o.line()),
            )
        })
        .collect();
    assert_eq!(
        deps,
        [
            ("ksc-01", RelationKind::Uses, Some(21)),
            ("proxy-01", RelationKind::ProxiedBy, Some(22)),
        ]
    );
}

#[test]
fn canonical_writer_output_is_exact() {
    let loaded = load("inv.toml", DESIGN_EXAMPLE);
    let expected = r#"[[asset]]
id = "ksc-01"
name = "KSC01.stadtwerke.local"
kind = "server"
os = "Windows Server 2019 Standard"
site = "Netzleitstelle"
owner = "IT-Betrieb"
criticality = "high"
tags = ["kritis", "internet-facing"]
software = [
  { name = "Kaspersky Security Center 14.2 Administration Server", version = "14.2.0.26967", publisher = "AO Kaspersky Lab" },
]
depends_on = [ { id = "upd-01", kind = "updates-from" } ]

[[asset]]
id = "upd-01"
kind = "server"
os = "Ubuntu 22.04 LTS"
depends_on = [
  { id = "ksc-01" },
  { id = "proxy-01", kind = "proxied-by" },
]
"#;
    let written = native::write(&loaded.inventory);
    assert_eq!(written, expected);
    let again = load("again.toml", &written);
    assert_eq!(
        native::write(&again.inventory),
        expected,
        "writing is a fixed point"
    );
}

#[test]
fn large_files_are_parsed_in_batches_with_exact_lines() {
    let mut text = String::from("# generated\n\n");
    for i in 0..1000 {
        text.push_str(&format!(
            "[[asset]]\nid = \"ws-{i:04}\"\nos = \"Windows 11\"\ndepends_on = [ {{ id = \"ksc\" }} ]\n\n"
        ));
    }
    let loaded = load("big.toml", &text);
    assert_eq!(loaded.inventory.len(), 1000);
    for i in [0usize, 255, 256, 257, 511, 512, 999] {
        let a = loaded.inventory.get(&format!("ws-{i:04}")).expect("asset");
        assert_eq!(
            a.origin.as_ref().map(|o| o.line()),
            Some(3 + 5 * i as u32),
            "asset {i}"
        );
        assert_eq!(
            a.depends_on[0].origin.as_ref().map(|o| o.line()),
            Some(6 + 5 * i as u32)
        );
    }

    // An error in a later batch is reported at its place in the whole file.
    let broken = text.replacen(
        "id = \"ws-0700\"",
        "id = \"ws-0700\"\nkind = \"toaster\"",
        1,
    );
    let e = load_sources(
        vec![("big.toml".into(), broken.into_bytes())],
        &ImportOptions::default(),
    )
    .expect_err("unknown kind");
    assert_eq!(
        e.to_string(),
        format!(
            "big.toml:{}:8: unknown kind \"toaster\" (expected {})",
            3 + 5 * 700 + 2,
            AssetKind::names()
        )
    );
}

#[test]
fn multi_line_strings_are_parsed_whole() {
    let text =
        "[[asset]]\nid = \"a\"\nowner = \"\"\"\n[[asset]]\nTeam\"\"\"\n\n[[asset]]\nid = \"b\"\n";
    let loaded = load("m.toml", text);
    let ids: Vec<_> = loaded
        .inventory
        .assets()
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(
        loaded.inventory.assets()[0].owner().map(|t| t.as_str()),
        Some("[[asset]] Team")
    );
    assert_eq!(origin(&loaded.inventory.assets()[1]), "m.toml:7");
}

#[test]
fn inline_asset_arrays_and_subtables_are_accepted() {
    let text = r#"asset = [
  { id = "a", os = "macOS 14" },
  { id = "b", tags = [] },
]
"#;
    let loaded = load("i.toml", text);
    let a = &loaded.inventory.assets()[0];
    assert_eq!(
        (a.kind, origin(a).as_str()),
        (AssetKind::Workstation, "i.toml:2")
    );
    assert_eq!(origin(&loaded.inventory.assets()[1]), "i.toml:3");

    let text = "[[asset]]\nid = \"a\"\n[[asset.software]]\nname = \"KES\"\n[[asset.depends_on]]\nid = \"b\"\nkind = \"managed-by\"\n";
    let loaded = load("t.toml", text);
    let a = &loaded.inventory.assets()[0];
    assert_eq!(a.software, [Software::named("KES")]);
    assert_eq!(a.depends_on, {
        let mut r = Relation::new("b", RelationKind::ManagedBy);
        r.origin = a.depends_on[0].origin;
        vec![r]
    });
    assert_eq!(a.depends_on[0].origin.as_ref().map(|o| o.line()), Some(6));
}

#[test]
fn a_first_header_with_a_comment_or_spaces_starts_the_tables_like_any_other() {
    for first in [
        "[[asset]] # the management server",
        "[[ asset ]]",
        "  [[asset]]\t",
    ] {
        let text = format!("# inventory\n{first}\nid = \"ksc\"\n\n[[asset]]\nid = \"ws\"\n");
        let loaded = load("c.toml", &text);
        let ids: Vec<_> = loaded
            .inventory
            .assets()
            .iter()
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(ids, ["ksc", "ws"], "{first}");
        assert_eq!(origin(&loaded.inventory.assets()[1]), "c.toml:5", "{first}");
    }
    // A static `asset = [...]` followed by tables is still refused, as TOML does.
    let text = "asset = [ { id = \"a\" } ]\n[[asset]]\nid = \"b\"\n";
    let e = load_sources(
        vec![("s.toml".into(), text.as_bytes().to_vec())],
        &ImportOptions::default(),
    )
    .expect_err("static array then tables");
    assert!(e.to_string().starts_with("s.toml:2:"), "{e}");
}

#[test]
fn aliases_and_empty_values_are_normalised() {
    let text = "[[asset]]\nid = \" a \"\nname = \"\"\nkind = \"Notebook\"\ncriticality = \"kritisch\"\ntags = [\"\", \"pilot\"]\n";
    let loaded = load("n.toml", text);
    let a = &loaded.inventory.assets()[0];
    assert_eq!(a.id, "a");
    assert_eq!(a.name, None);
    assert_eq!(
        (a.kind, a.criticality),
        (AssetKind::Laptop, Criticality::Critical)
    );
    assert_eq!(a.tags().map(|t| t.as_str()).collect::<Vec<_>>(), ["pilot"]);
}

#[test]
fn comment_only_file_is_an_error_that_it_holds_no_assets() {
    // A file that yields no asset is an error, never an empty success.
    let error = |label: &str, text: &str| {
        let sources = vec![(label.to_string(), text.as_bytes().to_vec())];
        match load_sources(sources, &ImportOptions::default()) {
            Ok(l) => panic!("expected an error, got {} assets", l.inventory.len()),
            Err(e) => e.to_string(),
        }
    };
    assert_eq!(
        error("c.toml", "# nothing yet\n"),
        "c.toml: file holds no assets"
    );
    let empty = native::write(&Inventory::new());
    assert_eq!(error("e.toml", &empty), "e.toml: file holds no assets");
}

// ---------------------------------------------------------------------------------------------
// write → read round trip

/// Text that may hold quotes, backslashes, emoji, controls, bidi overrides and spaces.
fn text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        "[a-zA-Z0-9 ._-]{1,8}",
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just("😀".to_string()),
        Just("Müller ß Лаборатория".to_string()),
        Just("\u{202E}".to_string()),
        Just("\t\x1b[1m\x7f".to_string()),
        Just("'''".to_string()),
        Just("\"\"\"".to_string()),
        Just("[[asset]]".to_string()),
        Just("\n[[asset]]\n".to_string()),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(pieces, 1..4).prop_map(|v| v.concat())
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    prop::option::of(text())
}

fn software() -> impl Strategy<Value = Software> {
    (text(), opt_text(), opt_text()).prop_map(|(name, version, publisher)| Software {
        name: name.into(),
        version: version.map(Into::into),
        publisher: publisher.map(Into::into),
    })
}

fn relation() -> impl Strategy<Value = Relation> {
    (text(), prop::sample::select(RelationKind::VARIANTS)).prop_map(|(t, k)| Relation::new(t, k))
}

fn asset() -> impl Strategy<Value = Asset> {
    (
        (
            text(),
            opt_text(),
            prop::sample::select(AssetKind::VARIANTS),
            opt_text(),
        ),
        (
            opt_text(),
            opt_text(),
            prop::sample::select(Criticality::VARIANTS),
        ),
        (
            prop::collection::vec(text(), 0..4),
            prop::collection::vec(software(), 0..4),
            prop::collection::vec(relation(), 0..4),
        ),
    )
        .prop_map(
            |((id, name, kind, os), (site, owner, criticality), (tags, software, deps))| {
                let mut a = Asset::new(id);
                a.name = name.map(Into::into);
                a.kind = kind;
                a.os = os.map_or_else(Os::unknown, |o| Os::parse(&o));
                a.set_site(site.map(Into::into));
                a.set_owner(owner.map(Into::into));
                a.criticality = criticality;
                a.set_tags(tags.into_iter().map(Into::into));
                a.software = software.into();
                a.depends_on = deps.into();
                a
            },
        )
}

/// What an importer can represent: sanitised text, absent instead of empty, unique ids.
fn importable(assets: Vec<Asset>) -> Inventory {
    let mut inv = Inventory::new();
    for mut a in assets {
        a.sanitise();
        fn blank<T: std::ops::Deref<Target = str>>(o: &mut Option<T>) {
            if o.as_deref().is_some_and(str::is_empty) {
                *o = None;
            }
        }
        blank(&mut a.name);
        let (mut site, mut owner) = (a.site().cloned(), a.owner().cloned());
        blank(&mut site);
        blank(&mut owner);
        a.set_site(site);
        a.set_owner(owner);
        a.retain_tags(|t| !t.is_empty());
        a.software.retain(|s| !s.name.is_empty());
        for s in &mut a.software {
            blank(&mut s.version);
            blank(&mut s.publisher);
        }
        a.depends_on.retain(|r| !r.target.is_empty());
        if !a.id.is_empty() {
            let _ = inv.insert(a);
        }
    }
    inv
}

fn without_origins(inv: &Inventory) -> Vec<Asset> {
    inv.assets()
        .iter()
        .cloned()
        .map(|mut a| {
            a.origin = None;
            a.depends_on.iter_mut().for_each(|r| r.origin = None);
            a
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn written_toml_reads_back_to_the_same_inventory(assets in prop::collection::vec(asset(), 1..12)) {
        let inv = importable(assets);
        prop_assume!(!inv.is_empty(), "a file that yields no asset is an error");
        let written = native::write(&inv);
        let loaded = load_sources(vec![("p.toml".into(), written.clone().into_bytes())], &ImportOptions::default())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{written}")))?;
        prop_assert_eq!(without_origins(&loaded.inventory), without_origins(&inv), "{}", written);
        prop_assert_eq!(native::write(&loaded.inventory), written);
    }
}
