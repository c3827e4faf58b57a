use super::parse;
use crate::inventory::native::{FileDto, write};
use crate::synthetic::{GenOptions, generate};
use proptest::prelude::*;
use std::fmt::Write as _;
use toml::Spanned;

/// Every value and span the importer uses, as text.
fn summary(f: &FileDto) -> String {
    let spanned = |s: &Spanned<String>| format!("{:?}@{:?}", s.get_ref(), s.span());
    let opt = |s: &Option<Spanned<String>>| s.as_ref().map(spanned);
    let mut out = String::new();
    for a in f.asset.iter().flatten() {
        let d = a.get_ref();
        let _ = writeln!(
            out,
            "asset@{:?} id={} name={:?} kind={:?} os={:?} site={:?} owner={:?} crit={:?} tags={:?}",
            a.span(),
            spanned(&d.id),
            d.name,
            opt(&d.kind),
            d.os,
            d.site,
            d.owner,
            opt(&d.criticality),
            d.tags
        );
        for s in &d.software {
            let _ = writeln!(
                out,
                "  sw {} {:?} {:?}",
                spanned(&s.name),
                s.version,
                s.publisher
            );
        }
        for r in &d.depends_on {
            let _ = writeln!(out, "  rel {} {:?}", spanned(&r.id), opt(&r.kind));
        }
    }
    out
}

/// The fast reader accepts `text` and agrees with the `toml` crate.
fn agrees(text: &str) {
    let fast = parse(text).unwrap_or_else(|| panic!("not in the plain subset:\n{text}"));
    let full: FileDto = toml::from_str(text).expect("valid TOML");
    assert_eq!(summary(&fast), summary(&full), "{text}");
}

/// The fast reader either declines or agrees; it never accepts what the crate refuses.
fn declines_or_agrees(text: &str) -> Result<(), TestCaseError> {
    if let Some(fast) = parse(text) {
        match toml::from_str::<FileDto>(text) {
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
    ];
    for text in cases {
        assert!(parse(text).is_none(), "accepted {text:?}");
    }
}

proptest! {
    #[test]
    fn any_value_written_by_the_writer_is_read_back_alike(value in "\\PC*|[\\x00-\\x1f\\x7f\"\\\\]{0,8}") {
        let mut inv = generate(&GenOptions { assets: 3, seed: 1 }).into_assets();
        inv[1].name = Some(value.clone());
        inv[2].owner = Some(value.into());
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
}
