//! `Catalog::with_user_config` reads `vendors.toml` from the environment's config directory.

use avmigrate::catalog::Catalog;
use avmigrate::env::Env;

#[test]
fn user_config_file_extends_the_builtin_catalogue() {
    let root = tempfile::tempdir().unwrap();
    let env = Env::isolated(root.path(), "2026-11-28T10:00:00Z".parse().unwrap());
    let dir = root.path().join("config");
    std::fs::create_dir_all(&dir).unwrap();

    let n = Catalog::builtin().products().len();
    let same = Catalog::builtin().with_user_config(&env).unwrap();
    assert_eq!(same.products().len(), n, "no file: unchanged");

    let file = dir.join("vendors.toml");
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
    let cat = Catalog::builtin().with_user_config(&env).unwrap();
    assert_eq!(cat.products().len(), n);
    let mde = cat.product("mde").unwrap();
    assert!(mde.name.ends_with("(our licence: P2)"));
    assert!(
        mde.platforms.is_empty(),
        "same id replaces the whole product"
    );

    std::fs::write(&file, "[[product]]\nid = 3\n").unwrap();
    let err = Catalog::builtin().with_user_config(&env).unwrap_err();
    assert!(err.to_string().contains("vendors.toml:2:6"), "{err}");
}
