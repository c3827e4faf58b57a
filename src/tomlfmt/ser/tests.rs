use super::*;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct Inner {
    a: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    b: Option<String>,
}

#[derive(Serialize)]
struct Table {
    n: i64,
    flag: bool,
    ratio: f64,
    absent: Option<u8>,
    #[serde(rename = "renamed")]
    text: String,
    list: Vec<&'static str>,
    inline: Inner,
    empty: Inner2,
    #[serde(serialize_with = "bare")]
    when: &'static str,
    #[serde(serialize_with = "lines")]
    many: Vec<Inner>,
    #[serde(serialize_with = "lines_unless_one")]
    one: Vec<Inner>,
    map: BTreeMap<&'static str, u32>,
}

#[derive(Serialize)]
struct Inner2 {
    #[serde(skip_serializing_if = "Option::is_none")]
    x: Option<u8>,
}

fn table<T: Serialize>(name: &str, value: &T) -> Result<String, Error> {
    let mut s = String::new();
    let mut w = Writer::new(&mut s, Escape::Plain);
    w.array_table(name, value)?;
    Ok(s)
}

#[test]
fn a_struct_is_written_as_lines_inline_tables_lists_and_a_sub_table() {
    let t = Table {
        n: -3,
        flag: true,
        ratio: 1.0,
        absent: None,
        text: "a\"b".into(),
        list: vec!["x", "y"],
        inline: Inner {
            a: 1,
            b: Some("c".into()),
        },
        empty: Inner2 { x: None },
        when: "2027-01-11",
        many: vec![Inner { a: 1, b: None }],
        one: vec![Inner { a: 2, b: None }],
        map: [("k 1", 1), ("k2", 2)].into(),
    };
    let expected = r#"[[t]]
n = -3
flag = true
ratio = 1.0
renamed = "a\"b"
list = ["x", "y"]
inline = { a = 1, b = "c" }
empty = {}
when = 2027-01-11
many = [
  { a = 1 },
]
one = [ { a = 2 } ]

[t.map]
"k 1" = 1
"k2" = 2
"#;
    let text = table("t", &t).unwrap();
    assert_eq!(text, expected);
    let parsed: toml::Table = toml::from_str(&text).expect("valid TOML");
    assert_eq!(parsed["t"][0]["when"].to_string(), "2027-01-11");
}

#[test]
fn several_elements_are_one_per_line_either_way() {
    #[derive(Serialize)]
    struct L {
        #[serde(serialize_with = "lines_unless_one")]
        v: Vec<u8>,
    }
    assert_eq!(
        table("l", &L { v: vec![1, 2] }).unwrap(),
        "[[l]]\nv = [\n  1,\n  2,\n]\n"
    );
}

#[test]
fn a_key_after_a_sub_table_is_refused() {
    #[derive(Serialize)]
    struct Bad {
        map: BTreeMap<String, u8>,
        after: u8,
    }
    let e = table(
        "b",
        &Bad {
            map: BTreeMap::new(),
            after: 1,
        },
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "`after` follows a sub-table: map fields must come last"
    );
    assert!(table("x", &1u8).is_err(), "a table must be a struct");
}

#[test]
fn bare_values_are_strings_elsewhere() {
    #[derive(Serialize)]
    struct D {
        #[serde(serialize_with = "bare")]
        at: u32,
        #[serde(serialize_with = "bare_opt", skip_serializing_if = "Option::is_none")]
        maybe: Option<u32>,
    }
    let d = D {
        at: 7,
        maybe: Some(8),
    };
    assert_eq!(table("d", &d).unwrap(), "[[d]]\nat = 7\nmaybe = 8\n");
    assert_eq!(
        serde_json::to_string(&d).unwrap(),
        r#"{"at":"7","maybe":"8"}"#
    );
}

#[test]
fn visible_escaping_shows_backspace_form_feed_and_bidi_controls() {
    let mut plain = String::new();
    write_string(&mut plain, "a\u{8}\u{c}\u{202E}\u{7f}", Escape::Plain).unwrap();
    assert_eq!(plain, "\"a\\u0008\\u000C\u{202E}\\u007F\"");
    let mut visible = String::new();
    write_string(&mut visible, "a\u{8}\u{c}\u{202E}\u{7f}", Escape::Visible).unwrap();
    assert_eq!(visible, "\"a\\b\\f\\u202E\\u007F\"");
}
