//! User rules files: add mode, replace mode, and errors that name file, line and column.

use avmigrate::model::Software;
use avmigrate::rules::{Confidence, Mode, Role, RuleSet};
use std::path::Path;

fn sw(name: &str, publisher: Option<&str>) -> Software {
    Software {
        name: name.into(),
        version: None,
        publisher: publisher.map(Into::into),
    }
}

fn matched_id(rules: &RuleSet, name: &str, publisher: Option<&str>) -> Option<String> {
    rules
        .match_software(&sw(name, publisher))
        .map(|(i, _)| rules.rules()[i].id.clone())
}

const ADD: &str = r#"
vendor = "Kaspersky"
mode = "add"

# Replaces the built-in rule of the same id: our KSC runs as "KSC-Server Stadtwerke".
[[rule]]
id = "ksc-admin-server"
product = "KSC Administration Server (Stadtwerke build)"
role = "management-server"
source = "local packaging"
[[rule.match]]
name = '(?i)^ksc-server stadtwerke$'

# New: an in-house repackaged KES.
[[rule]]
id = "sw-kes-package"
product = "Kaspersky Endpoint Security (Stadtwerke package)"
role = "endpoint"
confidence = "medium"
source = "software catalogue of Stadtwerke IT"
note = "Uninstall via the software catalogue."
[[rule.match]]
package = ["SW-KES-Paket"]
[[rule.match]]
name = 'Stadtwerke Virenschutz'
publisher = '(?i)stadtwerke'
"#;

#[test]
fn add_mode_replaces_by_id_and_inserts_before_the_catch_all() {
    let builtin = RuleSet::builtin();
    let n = builtin.rules().len();
    let pos = builtin.position("ksc-admin-server").unwrap();
    let user = RuleSet::parse(ADD, "site.toml").unwrap();
    assert_eq!(user.mode(), Mode::Add);
    let rules = builtin.combine(user);

    assert_eq!(rules.rules().len(), n + 1);
    // Replaced in place.
    assert_eq!(rules.position("ksc-admin-server"), Some(pos));
    let ksc = &rules.rules()[pos];
    assert_eq!(ksc.product, "KSC Administration Server (Stadtwerke build)");
    assert_eq!(ksc.confidence, Confidence::High);
    assert_eq!(
        matched_id(&rules, "KSC-Server Stadtwerke", None).as_deref(),
        Some("ksc-admin-server")
    );
    // The built-in patterns of the replaced rule are gone: the catch-all takes over.
    assert_eq!(
        matched_id(
            &rules,
            "Kaspersky Security Center 14.2 Administration Server",
            None
        )
        .as_deref(),
        Some("kaspersky-other")
    );
    // The new rule sits just before the catch-all, which stays last.
    let new = rules.position("sw-kes-package").unwrap();
    assert_eq!(new, rules.rules().len() - 2);
    assert!(rules.rules().last().unwrap().catch_all);
    let (i, reason) = rules.match_software(&sw("sw-kes-paket", None)).unwrap();
    assert_eq!(rules.rules()[i].id, "sw-kes-package");
    assert_eq!(reason, "package \"SW-KES-Paket\"");
    assert_eq!(
        rules.rules()[i].note.as_deref(),
        Some("Uninstall via the software catalogue.")
    );
    assert_eq!(
        matched_id(&rules, "Stadtwerke Virenschutz", Some("Stadtwerke IT")).as_deref(),
        Some("sw-kes-package")
    );
    // Other built-in rules still work.
    assert_eq!(matched_id(&rules, "kesl", None).as_deref(), Some("kes"));
}

#[test]
fn mode_defaults_to_add() {
    let text = "vendor = \"Kaspersky\"\n[[rule]]\nid = \"x\"\nproduct = \"X\"\nrole = \"ot\"\n\
                source = \"s\"\n[[rule.match]]\nservice = [\"xsvc\"]\n";
    let user = RuleSet::parse(text, "x.toml").unwrap();
    assert_eq!(user.mode(), Mode::Add);
    let rules = RuleSet::builtin().combine(user);
    assert_eq!(matched_id(&rules, "XSVC", None).as_deref(), Some("x"));
    assert_eq!(matched_id(&rules, "kwts", None).as_deref(), Some("kwts"));
}

#[test]
fn replace_mode_uses_only_the_users_rules() {
    let text = r#"
vendor = "ExampleAV"
mode = "replace"

[[rule]]
id = "example-agent"
product = "ExampleAV Agent"
role = "management-agent"
source = "vendor docs"
[[rule.match]]
name = '(?i)exampleav.*agent'

[[rule]]
id = "example-any"
product = "ExampleAV (unclassified)"
role = "endpoint"
confidence = "low"
catch_all = true
source = "vendor docs"
[[rule.match]]
publisher = '(?i)^exampleav'
"#;
    let user = RuleSet::parse(text, "example.toml").unwrap();
    let rules = RuleSet::builtin().combine(user);
    assert_eq!(rules.rules().len(), 2);
    assert_eq!(rules.vendor(), "ExampleAV");
    assert_eq!(rules.rules()[0].vendor, "ExampleAV");
    assert_eq!(rules.rules()[0].role, Role::ManagementAgent);
    assert_eq!(
        matched_id(&rules, "ExampleAV Remote Agent", None).as_deref(),
        Some("example-agent")
    );
    assert_eq!(
        matched_id(&rules, "Whatever", Some("ExampleAV Inc.")).as_deref(),
        Some("example-any")
    );
    assert_eq!(
        matched_id(&rules, "Kaspersky Endpoint Security for Windows", None),
        None
    );
}

/// Parses `text` and returns the error message.
fn error(text: &str) -> String {
    match RuleSet::parse(text, "user.toml") {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e.to_string(),
    }
}

const HEAD: &str = "vendor = \"Kaspersky\"\n[[rule]]\nid = \"r1\"\nproduct = \"P\"\n";

#[test]
fn bad_regex_is_reported_at_its_line_and_column() {
    let text = format!(
        "{HEAD}role = \"endpoint\"\nsource = \"s\"\n[[rule.match]]\nname = '(?i)kas[persky'\n"
    );
    let e = error(&text);
    assert!(
        e.starts_with("user.toml:8:8: invalid regex in `name`:"),
        "{e}"
    );
    assert!(e.contains("unclosed character class"), "{e}");
    assert!(!e.contains('\n'));
}

#[test]
fn unknown_role_is_reported() {
    let text = format!("{HEAD}role = \"toaster\"\nsource = \"s\"\n");
    let e = error(&text);
    assert!(
        e.starts_with("user.toml:5:8: unknown variant `toaster`"),
        "{e}"
    );
    assert!(e.contains("oem-engine"), "{e}");
}

#[test]
fn missing_id_is_reported_at_the_rule_header() {
    let text = "vendor = \"K\"\n\n[[rule]]\nproduct = \"P\"\nrole = \"ot\"\nsource = \"s\"\n";
    assert_eq!(error(text), "user.toml:3:1: missing field `id`");
}

#[test]
fn unknown_keys_are_reported() {
    let text = format!("{HEAD}role = \"ot\"\nsource = \"s\"\nseverity = 3\n");
    let e = error(&text);
    assert!(
        e.starts_with("user.toml:7:1: unknown field `severity`"),
        "{e}"
    );
    let text = format!("{HEAD}role = \"ot\"\nsource = \"s\"\n[[rule.match]]\nnam = 'x'\n");
    let e = error(&text);
    assert!(e.starts_with("user.toml:8:1: unknown field `nam`"), "{e}");
    let e = error("vendor = \"K\"\nmodus = \"add\"\n");
    assert!(e.starts_with("user.toml:2:1: unknown field `modus`"), "{e}");
}

#[test]
fn semantic_errors_are_reported() {
    let no_match = format!("{HEAD}role = \"ot\"\nsource = \"s\"\n");
    assert_eq!(
        error(&no_match),
        "user.toml:2:1: rule \"r1\" has no [[rule.match]] (add at least one matcher)"
    );
    let empty_matcher =
        format!("{HEAD}role = \"ot\"\nsource = \"s\"\n[[rule.match]]\nnot_name = 'x'\n");
    assert_eq!(
        error(&empty_matcher),
        "user.toml:7:1: matcher needs at least one of `name`, `publisher`, `package`, `service`"
    );
    let everything = format!("{HEAD}role = \"ot\"\nsource = \"s\"\n[[rule.match]]\nname = '.*'\n");
    assert!(error(&everything).contains("matches the empty string"));
    let empty_source = format!("{HEAD}role = \"ot\"\nsource = \" \"\n");
    assert_eq!(
        error(&empty_source),
        "user.toml:6:10: `source` must not be empty"
    );
    let bad_glob =
        format!("{HEAD}role = \"ot\"\nsource = \"s\"\n[[rule.match]]\nservice = ['a*b']\n");
    assert!(error(&bad_glob).starts_with("user.toml:8:12: `service` \"a*b\""));
    let dup = format!(
        "{HEAD}role = \"ot\"\nsource = \"s\"\n[[rule.match]]\nservice = ['a']\n\
         [[rule]]\nid = \"r1\"\nproduct = \"Q\"\nrole = \"ot\"\nsource = \"s\"\n\
         [[rule.match]]\nservice = ['b']\n"
    );
    assert_eq!(
        error(&dup),
        "user.toml:10:6: duplicate rule id \"r1\" (first defined on line 3)"
    );
    assert!(
        error("vendor = \"K\"\nmode = \"merge\"\n").starts_with("user.toml:2:8: unknown variant")
    );
    assert!(error("[[rule]\n").starts_with("user.toml:1:"));
    assert_eq!(error(""), "user.toml:1:1: missing field `vendor`");
}

#[test]
fn load_reports_missing_and_unreadable_files() {
    let e = RuleSet::load(Path::new("/nonexistent/avmigrate-rules.toml")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "/nonexistent/avmigrate-rules.toml: rules file not found"
    );
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, b"vendor = \"K\"\n# \xff\xfe\n").unwrap();
    let e = RuleSet::load(&bad).unwrap_err();
    assert!(
        e.to_string()
            .ends_with("bad.toml:2:3: rules file is not valid UTF-8"),
        "{e}"
    );
    let good = dir.path().join("good.toml");
    std::fs::write(&good, format!("\u{feff}{ADD}")).unwrap();
    let rules = RuleSet::load(&good).unwrap();
    assert_eq!(rules.rules().len(), 2);
}

#[test]
fn builtin_text_round_trips_through_parse() {
    let parsed = RuleSet::parse(avmigrate::rules::BUILTIN_RULES, "kaspersky.toml").unwrap();
    let builtin = RuleSet::builtin();
    let ids = |r: &RuleSet| r.rules().iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&parsed), ids(&builtin));
}

#[test]
fn a_rules_file_over_the_rule_limit_is_refused_in_one_line() {
    let over = avmigrate::rules::MAX_RULES + 1;
    let mut text = String::from("vendor = \"Kaspersky\"\nmode = \"add\"\n");
    for i in 0..over {
        text.push_str(&format!(
            "[[rule]]\nid = \"r{i}\"\nproduct = \"p\"\nrole = \"endpoint\"\nsource = \"s\"\n[[rule.match]]\nname = \"x{i}\"\n"
        ));
    }
    let err = RuleSet::parse(&text, "many.toml").unwrap_err().to_string();
    assert!(
        err.contains("50001 rules, over the limit of 50000"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}
