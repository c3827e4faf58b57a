//! `avmigrate gen`: synthetic inventories that `analyze` reads back, deterministic per seed.

use crate::common;

use common::Sandbox;

fn gen_file(sb: &Sandbox, name: &str, seed: &str) -> Vec<u8> {
    let out = sb.ok(&["gen", "--assets", "500", "--seed", seed, "-o", name]);
    assert!(out.starts_with("wrote 500 assets and "), "{out}");
    assert!(out.trim_end().ends_with(name), "{out}");
    std::fs::read(sb.path(name)).unwrap()
}

#[test]
fn csv_and_toml_are_read_back_with_500_assets() {
    let sb = Sandbox::new();
    let csv = gen_file(&sb, "x.csv", "7");
    let toml = gen_file(&sb, "x.toml", "7");
    assert!(String::from_utf8_lossy(&toml).contains("[[asset]]"));
    assert!(!String::from_utf8_lossy(&csv).contains("[[asset]]"));

    let a = sb.json(&["analyze", "x.csv", "--format", "json"]);
    let b = sb.json(&["analyze", "x.toml", "--format", "json"]);
    assert_eq!(a["assets"], 500);
    assert_eq!(b["assets"], 500);
    assert_eq!(a["files"][0]["format"], "csv-assets");
    assert_eq!(b["files"][0]["format"], "native-toml");
    // The same estate in both formats.
    for key in ["direct", "indirect", "unaffected", "cycles"] {
        assert_eq!(a[key], b[key], "{key}");
    }
    assert!(a["direct"].as_u64().unwrap() > 0);
    assert_eq!(a["warnings"], serde_json::json!([]));
    assert_eq!(b["warnings"], serde_json::json!([]));
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let sb = Sandbox::new();
    let a = gen_file(&sb, "a.csv", "7");
    let b = gen_file(&sb, "b.csv", "7");
    let c = gen_file(&sb, "c.csv", "8");
    assert_eq!(a, b);
    assert_ne!(a, c);
    let a = gen_file(&sb, "a.toml", "7");
    let b = gen_file(&sb, "b.toml", "7");
    let c = gen_file(&sb, "c.toml", "8");
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn format_flag_overrides_the_extension() {
    let sb = Sandbox::new();
    sb.ok(&["gen", "--assets", "20", "-o", "inv.txt", "--format", "csv"]);
    let v = sb.json(&["analyze", "inv.txt", "--format", "json"]);
    assert_eq!(v["assets"], 20);
    assert_eq!(v["files"][0]["format"], "csv-assets");
}

#[test]
fn zero_assets_and_unwritable_output_are_bad_input() {
    let sb = Sandbox::new();
    let err = sb.fails(2, &["gen", "--assets", "0", "-o", "x.csv"]);
    assert!(err.contains("--assets"), "{err}");
    assert!(!sb.path("x.csv").exists());
    let err = sb.fails(2, &["gen", "--assets", "5", "-o", "no/such/dir/x.csv"]);
    assert!(err.contains("no/such/dir/x.csv"), "{err}");
}
