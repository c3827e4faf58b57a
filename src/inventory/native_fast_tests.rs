use super::parse;
use crate::inventory::native::{Tables, parse_toml, write, write_assets};
use crate::model::{Asset, AssetKind, Criticality, Os, Relation, RelationKind, Software};
use crate::synthetic::{GenOptions, generate};
use proptest::prelude::*;

/// Every value and offset the importer uses, as text.
fn summary(tables: &Tables) -> String {
    format!("{tables:#?}")
}

/// The fast reader accepts `text` and agrees with the `toml` crate.
fn agrees(text: &str) {
    let fast = parse(text).unwrap_or_else(|| panic!("not in the plain subset:\n{text}"));
    let full = parse_toml(text).expect("valid TOML");
    assert_eq!(summary(&fast), summary(&full), "{text}");
}

/// The fast reader either declines or agrees; it never accepts what the crate refuses.
fn declines_or_agrees(text: &str) -> Result<(), TestCaseError> {
    if let Some(fast) = parse(text) {
        match parse_toml(text) {
            Ok(full) => prop_assert_eq!(summary(&fast), summary(&full), "{:?}", text),
            Err(e) => prop_assert!(false, "fast accepted invalid text {text:?}: {e}"),
        }
    }
    Ok(())
}

#[test]
fn agrees_with_toml_on_generated_inventories() {
    let inv = generate(&GenOptions {
        assets: 400,
        seed: 7,
    });
    agrees(&write(&inv));
}

#[test]
fn agrees_with_toml_on_the_demo() {
    agrees(include_str!("../../assets/examples/stadtwerke.toml"));
}

#[test]
fn agrees_on_comments_blank_lines_crlf_escapes_and_layout() {
    agrees("");
    agrees("# only a comment\n\n");
    agrees(
        "# head\r\n\r\n[[asset]]   # the first\r\n\tid\t=\t\"ws-1\" # x\r\nkind = \"server\"\n\
         tags = [\n  \"a\", # one\n\n  \"b\",\n]\nsoftware = []\n\
         depends_on = [ { id = \"ksc\" , kind = \"managed-by\" } ]\n\
         [[asset]]\nname = \"caf\\u00e9 \\U0001F600 \\\"q\\\" \\\\ \\t\\b\\f\\r\\n\"\nid = \"é😀\"",
    );
    agrees("[[asset]]\nid = \"\"\nsoftware = [{name=\"x\"},{ name = \"y\", publisher = \"\" }]\n");
}

/// Software and dependencies written as tables of their own, interleaved and mixed with
/// the inline form on other assets.
const SUB_TABLES: &str = "[[asset]]\nid = \"h\"\nkind = \"server\"\n\
    [[asset.software]]\nname = \"KES\"\nversion = \"12\"\n\n\
    [[asset.depends_on]] # the console\nid = \"ksc\"\nkind = \"managed-by\"\n\
    [[asset.software]]\npublisher = \"K\"\nname = \"Agent\"\n\
    [[asset]]\nid = \"ksc\"\nsoftware = [{ name = \"KSC\" }]\n\
    [[asset.depends_on]]\nid = \"h\"\n";

#[test]
fn agrees_on_software_and_dependency_tables() {
    agrees(SUB_TABLES);
    agrees("[[asset]]\nid = \"a\"\n[[asset.software]]\nname = \"\"\n");
    agrees(
        "[[asset]]\r\nid = \"a\"\r\n[[asset.depends_on]]\r\nid = \"b\"\r\n[[asset]]\nid = \"b\"",
    );
    let tables = parse(SUB_TABLES).unwrap().unwrap();
    let names: Vec<_> = tables[0]
        .asset
        .software
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["KES", "Agent"]);
    assert_eq!(tables[0].at.software.len(), 2);
    assert_eq!(tables[1].asset.depends_on[0].target.as_str(), "h");
}

#[test]
fn declines_what_it_does_not_read_itself() {
    let cases = [
        "[[asset]]\nid = 'literal'\n",
        "[[asset]]\nid = \"\"\"multi\"\"\"\n",
        "[[asset]]\nid.x = \"a\"\n",
        "[[asset]]\n\"id\" = \"a\"\n",
        "[[asset]]\nid = \"a\"\ncolour = \"red\"\n",
        "[[asset]]\nid = \"a\"\nid = \"b\"\n",
        "[[asset]]\nid = 5\n",
        "[[asset]]\nid = \"a\"\nsoftware = [{ name = \"x\", }]\n",
        "[[asset]]\nid = \"a\"\nsoftware = [{ name = \"x\"\n}]\n",
        "[[asset]]\nid = \"a\"\nsoftware = [{ name = \"x\", name = \"y\" }]\n",
        "[[asset]]\nid = \"a\"\nsoftware = [{ version = \"1\" }]\n",
        "[[asset]]\nid = \"a\\e\"\n",
        "[[asset]]\nid = \"a\\x41\"\n",
        "[[asset]]\nid = \"a\\uD800\"\n",
        "[[asset]]\nid = \"a\u{1}\"\n",
        "[[asset]]\nid = \"a\" # \u{7f}\n",
        "[[asset]]\rid = \"a\"\n",
        "id = \"a\"\n[[asset]]\nid = \"b\"\n",
        "[asset]\nid = \"a\"\n",
        "[[ asset ]]\nid = \"a\"\n",
        "[[asset]] x\nid = \"a\"\n",
        "[[asset]]\nname = \"no id\"\n",
        "[[asset]]\nid = \"a\" \"b\"\n",
        "[[asset]]\nid = \"a\"\ntags = [\"x\" \"y\"]\n",
        "[[asset]]\nid = \"unterminated\n",
        "[[asset.software]]\nname = \"x\"\n",
        "[[asset]]\nid = \"a\"\nsoftware = []\n[[asset.software]]\nname = \"x\"\n",
        "[[asset]]\nid = \"a\"\ndepends_on = []\n[[asset.depends_on]]\nid = \"x\"\n",
        "[[asset]]\nid = \"a\"\n[[asset.software]]\nversion = \"1\"\n",
        "[[asset]]\nid = \"a\"\n[[asset.software]]\nname = \"x\"\nname = \"y\"\n",
        "[[asset]]\nid = \"a\"\n[[asset.software]]\nname = \"x\"\nid = \"y\"\n",
        "[[asset]]\nid = \"a\"\n[[asset.depends_on]]\nid = \"x\"\nkind = \"nonsense\"\n",
        "[[asset]]\nid = \"a\"\n[[asset.depends_on]]\n",
        "[[asset]]\nid = \"a\"\n[[asset.software]] x\nname = \"x\"\n",
        "[[asset]]\nid = \"a\"\n[[asset.tags]]\n",
        "[[asset]]\nid = \"a\"\n[asset.software]\nname = \"x\"\n",
        "[[asset]]\nid = \"a\"\n[[asset.software]]\nname = \"x\"\n[[asset.software.x]]\n",
    ];
    for text in cases {
        assert!(parse(text).is_none(), "accepted {text:?}");
    }
}

proptest! {
    #[test]
    fn any_value_written_by_the_writer_is_read_back_alike(value in "\\PC*|[\\x00-\\x1f\\x7f\"\\\\]{0,8}") {
        let mut inv = generate(&GenOptions { assets: 3, seed: 1 }).into_assets();
        inv[1].name = Some(value.as_str().into());
        inv[2].set_owner(Some(value.into()));
        let text = write(&crate::model::Inventory::from_assets(inv));
        prop_assert!(parse(&text).is_some());
        declines_or_agrees(&text)?;
    }

    #[test]
    fn raw_text_between_quotes_or_in_comments_is_never_misread(raw in "[ -~\\t\\r\\n\\x00\\x7f\"\\\\'#\\[\\]{},=é]{0,12}") {
        declines_or_agrees(&format!("[[asset]]\nid = \"{raw}\"\n"))?;
        declines_or_agrees(&format!("[[asset]]\nid = \"a\" # {raw}\nkind = \"server\"\n"))?;
        declines_or_agrees(&format!("[[asset]]\nid = \"a\"\ntags = [{raw}]\n"))?;
        declines_or_agrees(&format!("[[asset]]\nid = \"a\"\nsoftware = [{{ name = \"x\"{raw} }}]\n"))?;
    }

    #[test]
    fn a_mutated_inventory_is_declined_or_read_alike(
        at in 0usize..2000,
        insert in prop::sample::select(vec!["", "\"", "\\", "\n", "\r", "#", "[", "]", "{", "}", ",", "=", " ", "'", "\u{1}", "x", ".", "\"\""]),
        delete in 0usize..3,
    ) {
        let base = write(&generate(&GenOptions { assets: 6, seed: 3 }));
        let mut at = at.min(base.len());
        while !base.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + delete).min(base.len());
        while !base.is_char_boundary(end) {
            end += 1;
        }
        let text = format!("{}{insert}{}", &base[..at], &base[end..]);
        declines_or_agrees(&text)?;
    }

    #[test]
    fn a_mutated_document_of_sub_tables_is_declined_or_read_alike(
        at in 0usize..400,
        insert in prop::sample::select(vec!["", "\"", "\n", "[", "]", "[[asset]]\n", "[[asset.software]]\n", "id = \"z\"\n", "name = \"n\"\n", "software = []\n", ".", "x"]),
        delete in 0usize..12,
    ) {
        let base = SUB_TABLES;
        let at = at.min(base.len());
        let end = (at + delete).min(base.len());
        let text = format!("{}{insert}{}", &base[..at], &base[end..]);
        declines_or_agrees(&text)?;
    }
}

#[test]
fn reads_names_by_alias_and_declines_unknown_ones() {
    agrees(
        "[[asset]]\nid = \"a\"\nkind = \"Mail Gateway\"\ncriticality = \"hoch\"\n\
         depends_on = [{ id = \"b\", kind = \"Depends on::Used by\" }, { id = \"c\" }]\n\
         [[asset]]\nid = \"b\"\nos = \"Windows 11\"\n",
    );
    for field in ["kind", "criticality"] {
        let text = format!("[[asset]]\nid = \"a\"\n{field} = \"toaster\"\n");
        assert!(parse(&text).is_none(), "accepted {text:?}");
        assert!(parse_toml(&text).is_err());
    }
    let text = "[[asset]]\nid = \"a\"\ndepends_on = [{ id = \"b\", kind = \"toaster\" }]\n";
    assert!(parse(text).is_none());
    let message = parse_toml(text).err().map(|e| e.message().to_string());
    assert!(message.is_some_and(|m| m.starts_with("unknown relation kind \"toaster\"")));
}

/// Text that is not blank and has no edge spaces, with quotes, backslashes and control
/// characters (written as escapes) among the rest.
fn value() -> impl Strategy<Value = String> {
    "[a-z][a-zA-Z0-9 é😀\"\\\\.:\u{1b}\t-]{0,8}[a-z0-9]"
}

/// Any value of `all` except `default`.
fn besides<T: Copy + PartialEq + std::fmt::Debug + 'static>(
    all: &[T],
    default: T,
) -> impl Strategy<Value = T> + use<T> {
    prop::sample::select(
        all.iter()
            .copied()
            .filter(|v| *v != default)
            .collect::<Vec<_>>(),
    )
}

/// An asset with every field the native format holds set to a value other than its default.
/// Written as a struct literal (no `..`): a field added to `Asset` fails to compile here until
/// it is given a value, and the test then fails until both readers read it.
fn every_field() -> impl Strategy<Value = Asset> {
    use prop::collection::vec;
    use strum::VariantArray;
    const OS: [&str; 4] = [
        "Windows 11 23H2",
        "Windows Server 2019",
        "Ubuntu 22.04 LTS",
        "RHEL 8.6",
    ];
    (
        (
            value(),
            value(),
            besides(AssetKind::VARIANTS, AssetKind::default()),
        ),
        (prop::sample::select(&OS[..]), value(), value()),
        besides(Criticality::VARIANTS, Criticality::default()),
        vec(value(), 1..3),
        vec((value(), value(), value()), 1..3),
        vec(
            (
                value(),
                besides(RelationKind::VARIANTS, RelationKind::default()),
            ),
            1..3,
        ),
    )
        .prop_map(
            |((id, name, kind), (os, site, owner), criticality, tags, software, depends_on)| {
                let mut asset = Asset::new(id);
                asset.name = Some(name.into());
                asset.kind = kind;
                asset.os = Os::parse(os);
                asset.set_site(Some(site.into()));
                asset.set_owner(Some(owner.into()));
                asset.criticality = criticality;
                asset.set_tags(tags.into_iter().map(Into::into));
                asset.software = software
                    .into_iter()
                    .map(|(name, version, publisher)| Software {
                        name: name.into(),
                        version: Some(version.into()),
                        publisher: Some(publisher.into()),
                    })
                    .collect();
                asset.depends_on = depends_on
                    .into_iter()
                    .map(|(target, kind)| Relation {
                        target: target.into(),
                        kind,
                        origin: None,
                    })
                    .collect();
                // Not in the file: where a record was read, and tool ids for the exports.
                asset
            },
        )
}

proptest! {
    #[test]
    fn every_field_is_written_and_read_back_by_both_readers(
        assets in prop::collection::vec(every_field(), 1..4),
    ) {
        let text = write_assets(&assets);
        let fast = parse(&text);
        prop_assert!(fast.is_some(), "the fast reader declined:\n{}", text);
        let full = parse_toml(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(fast.as_ref(), Some(&full), "{}", text);
        let read: Vec<Asset> = full.into_iter().flatten().map(|t| t.asset).collect();
        prop_assert_eq!(read, assets, "{}", text);
    }
}
