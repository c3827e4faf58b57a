//! `Catalog::with_user_config` reads `config_dir()/vendors.toml` (its own test binary, because
//! it sets the process-wide `AVMIGRATE_CONFIG_DIR`).

use avmigrate::catalog::Catalog;

#[test]
fn user_config_file_extends_the_builtin_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    // SAFETY: this binary runs this one test only, so no other thread reads the environment.
    unsafe { std::env::set_var("AVMIGRATE_CONFIG_DIR", dir.path()) };

    let n = Catalog::builtin().products().len();
    let same = Catalog::builtin().with_user_config().unwrap();
    assert_eq!(same.products().len(), n, "no file: unchanged");

    let file = dir.path().join("vendors.toml");
    std::fs::write(
        &file,
        r#"
[[product]]
id = "mde"
vendor = "microsoft"
name = "Microsoft Defender for Endpoint (our licence: P2)"
source = "licence contract 2026"
verified = true
"#,
    )
    .unwrap();
    let cat = Catalog::builtin().with_user_config().unwrap();
    assert_eq!(cat.products().len(), n);
    let mde = cat.product("mde").unwrap();
    assert!(mde.name.ends_with("(our licence: P2)"));
    assert!(
        mde.platforms.is_empty(),
        "same id replaces the whole product"
    );

    std::fs::write(&file, "[[product]]\nid = 3\n").unwrap();
    let err = Catalog::builtin().with_user_config().unwrap_err();
    assert!(err.to_string().contains("vendors.toml:2:6"), "{err}");
}
