//! `avmigrate merge`: the merge matrix through the binary, and the git merge driver end to end.

use crate::common::{Sandbox, text};
use std::path::Path;
use std::process::Command;

/// The demo planned as `base.toml`, copied to `ours.toml` and `theirs.toml`.
fn three_copies(s: &Sandbox) {
    s.plan_demo("base.toml", &[]);
    std::fs::copy(s.path("base.toml"), s.path("ours.toml")).unwrap();
    std::fs::copy(s.path("base.toml"), s.path("theirs.toml")).unwrap();
}

/// One person re-plans a site: moves one asset, pins another, notes a third, then replans.
fn replan_site(s: &Sandbox, plan: &str, by: &str, ids: [&str; 3]) {
    s.ok(&["set", plan, ids[0], "--wave", "w6", "--by", by]);
    s.ok(&["set", plan, ids[0], ids[1], "--pin", "--by", by]);
    s.ok(&[
        "set",
        plan,
        ids[2],
        "--note",
        &format!("{by} calls the owner"),
        "--by",
        by,
    ]);
    s.ok(&["replan", plan]);
}

/// The wave of an asset in a plan file.
fn wave_of(s: &Sandbox, plan: &str, id: &str) -> String {
    let text = s.read(plan);
    let at = text.find(&format!("id = \"{id}\"")).expect("asset");
    let rest = &text[at..];
    let line = rest.lines().find(|l| l.starts_with("wave = ")).unwrap();
    line.trim_start_matches("wave = ")
        .trim_matches('"')
        .to_string()
}

const KC: [&str; 3] = ["ws-kc-001", "ws-kc-002", "ws-kc-005"];
const WWN: [&str; 3] = ["ws-wwn-001", "ws-wwn-002", "ws-wwn-003"];

#[test]
fn disjoint_site_replans_merge_clean_and_validate() {
    let s = Sandbox::new();
    three_copies(&s);
    replan_site(&s, "ours.toml", "alice", KC);
    replan_site(&s, "theirs.toml", "bob", WWN);
    let out = s.ok(&[
        "merge",
        "base.toml",
        "ours.toml",
        "theirs.toml",
        "-o",
        "merged.toml",
    ]);
    assert!(out.starts_with("Merged into merged.toml"), "{out}");
    assert_eq!(wave_of(&s, "merged.toml", "ws-kc-001"), "w6");
    assert_eq!(wave_of(&s, "merged.toml", "ws-wwn-001"), "w6");
    let merged = s.read("merged.toml");
    assert!(merged.contains("note = \"alice calls the owner\""));
    assert!(merged.contains("note = \"bob calls the owner\""));
    assert!(!merged.contains("CONFLICT"));
    s.ok(&["validate", "merged.toml"]);
    // Without -o the result replaces ours, keeping the old ours as the backup.
    let before = s.read("ours.toml");
    s.ok(&["merge", "base.toml", "ours.toml", "theirs.toml"]);
    assert_eq!(s.read("ours.toml"), merged);
    assert_eq!(s.read("ours.toml.bak"), before);
}

#[test]
fn the_same_asset_changed_differently_is_a_conflict_with_both_sides() {
    let s = Sandbox::new();
    three_copies(&s);
    s.ok(&[
        "set",
        "ours.toml",
        "ws-kc-001",
        "--wave",
        "w6",
        "--by",
        "alice",
    ]);
    s.ok(&[
        "set",
        "theirs.toml",
        "ws-kc-001",
        "--wave",
        "w7",
        "--by",
        "bob",
    ]);
    s.ok(&[
        "set",
        "theirs.toml",
        "ws-wwn-001",
        "--note",
        "fine",
        "--by",
        "bob",
    ]);
    let out = s.run(&[
        "merge",
        "base.toml",
        "ours.toml",
        "theirs.toml",
        "-o",
        "m.toml",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let before = wave_of(&s, "base.toml", "ws-kc-001");
    let line = format!(
        r#"CONFLICT (plan): asset "ws-kc-001" wave: base "{before}", ours "w6" (kept), theirs "w7""#
    );
    assert!(stdout.contains(&line), "{stdout}");
    assert!(stdout.contains("1 conflict(s)"), "{stdout}");
    assert_eq!(wave_of(&s, "m.toml", "ws-kc-001"), "w6");
    let merged = s.read("m.toml");
    assert!(
        merged.contains("# CONFLICT asset \"ws-kc-001\" wave"),
        "{merged}"
    );
    assert!(
        merged.contains("note = \"fine\""),
        "the clean part is merged"
    );
    // The file loads: validate finds what it finds in ours (the move breaks the order there).
    let checked = |plan: &str| s.run(&["validate", plan]).status.code();
    assert_eq!(checked("m.toml"), checked("ours.toml"));
}

#[test]
fn histories_of_both_sides_are_united_once_in_time_order() {
    let s = Sandbox::new();
    three_copies(&s);
    let at = |t: &str| vec![("AVMIGRATE_NOW", t.to_string())];
    let set = |plan: &str, id: &str, note: &str, env: Vec<(&str, String)>| {
        let out = s
            .cmd()
            .args(["set", plan, id, "--note", note])
            .envs(env)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    };
    set("ours.toml", "ws-kc-001", "o1", at("2026-11-28T10:00:00Z"));
    set("theirs.toml", "ws-kc-002", "t1", at("2026-11-28T11:00:00Z"));
    set("ours.toml", "ws-kc-003", "o2", at("2026-11-28T12:00:00Z"));
    // One change made on both sides (the same event) is kept once.
    set("ours.toml", "ws-kc-004", "both", at("2026-11-28T13:00:00Z"));
    set(
        "theirs.toml",
        "ws-kc-004",
        "both",
        at("2026-11-28T13:00:00Z"),
    );
    s.ok(&[
        "merge",
        "base.toml",
        "ours.toml",
        "theirs.toml",
        "-o",
        "m.toml",
    ]);
    let merged = s.read("m.toml");
    let notes: Vec<&str> = merged
        .split("[[event]]")
        .skip(1)
        .filter_map(|e| e.lines().find(|l| l.starts_with("to = ")))
        .collect();
    assert_eq!(
        notes,
        ["to = \"o1\"", "to = \"t1\"", "to = \"o2\"", "to = \"both\""]
    );
}

#[test]
fn the_same_content_in_another_order_merges_clean() {
    let s = Sandbox::new();
    three_copies(&s);
    s.ok(&[
        "set",
        "ours.toml",
        "ws-kc-001",
        "--note",
        "x",
        "--by",
        "alice",
    ]);
    // Theirs: the [[asset]] tables in reverse order (a hand edit or another tool's writing).
    let text = s.read("theirs.toml");
    let first = text.find("\n[[asset]]").unwrap();
    let last = text
        .find("\n[[event]]")
        .or(text.find("\n[[alert]]"))
        .unwrap_or(text.len());
    let mut assets: Vec<&str> = text[first..last].split("\n[[asset]]").skip(1).collect();
    assets.reverse();
    let body: String = assets.iter().map(|a| format!("\n[[asset]]{a}")).collect();
    s.write(
        "theirs.toml",
        format!("{}{}{}", &text[..first], body, &text[last..]),
    );
    assert_ne!(s.read("theirs.toml"), s.read("base.toml"));
    s.ok(&[
        "merge",
        "base.toml",
        "ours.toml",
        "theirs.toml",
        "-o",
        "m.toml",
    ]);
    assert_eq!(s.read("m.toml"), s.read("ours.toml"));
}

#[test]
fn plans_of_other_inventories_or_schemas_are_refused() {
    let s = Sandbox::new();
    three_copies(&s);
    let theirs = s.read("theirs.toml");
    let start = theirs.find("hash = \"sha256:").unwrap() + "hash = \"sha256:".len();
    let mut other = theirs.clone();
    other.replace_range(start..start + 4, "0000");
    s.write("other.toml", &other);
    let err = s.fails(
        2,
        &[
            "merge",
            "base.toml",
            "ours.toml",
            "other.toml",
            "-o",
            "m.toml",
        ],
    );
    assert!(err.contains("different inventories"), "{err}");
    assert!(!s.path("m.toml").exists());
    s.write(
        "old.toml",
        theirs.replacen("schema_version = 1", "schema_version = 0", 1),
    );
    let err = s.fails(
        2,
        &[
            "merge",
            "base.toml",
            "ours.toml",
            "old.toml",
            "-o",
            "m.toml",
        ],
    );
    assert!(err.contains("different schema versions"), "{err}");
    s.write("bad.toml", "schema_version = 1\nname = \n");
    let err = s.fails(2, &["merge", "bad.toml", "ours.toml", "theirs.toml"]);
    assert!(err.contains("bad.toml:2"), "{err}");
}

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .env("AVMIGRATE_NOW", crate::common::NOW)
        .output()
        .expect("run git")
}

fn git_ok(dir: &Path, args: &[&str]) -> String {
    let out = git(dir, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

#[test]
fn git_merges_plans_through_the_driver() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let s = Sandbox::new();
    let repo = s.root();
    std::fs::create_dir(repo.join("plans")).unwrap();
    s.copy_demo();
    s.ok(&["plan", "stadtwerke.toml", "-o", "plans/rollout.toml"]);
    git_ok(repo, &["init", "-q", "-b", "main"]);
    let driver = format!("{} merge %O %A %B", env!("CARGO_BIN_EXE_avmigrate"));
    git_ok(
        repo,
        &["config", "merge.avmigrate.name", "avmigrate plan merge"],
    );
    git_ok(repo, &["config", "merge.avmigrate.driver", &driver]);
    s.write(".gitattributes", "plans/*.toml merge=avmigrate\n");
    s.write(".gitignore", "config/\ndata/\n*.bak\n.*.lock\n");
    git_ok(repo, &["add", "-A"]);
    git_ok(repo, &["commit", "-qm", "plan"]);
    let plan = "plans/rollout.toml";

    git_ok(repo, &["checkout", "-qb", "kc"]);
    replan_site(&s, plan, "alice", KC);
    git_ok(repo, &["commit", "-qam", "Kundencenter"]);
    git_ok(repo, &["checkout", "-q", "main"]);
    git_ok(repo, &["checkout", "-qb", "wwn"]);
    replan_site(&s, plan, "bob", WWN);
    git_ok(repo, &["commit", "-qam", "Wasserwerk"]);
    git_ok(repo, &["merge", "-q", "--no-edit", "kc"]);
    assert_eq!(wave_of(&s, plan, "ws-kc-001"), "w6");
    assert_eq!(wave_of(&s, plan, "ws-wwn-001"), "w6");
    s.ok(&["validate", plan]);
    // The driver left nothing behind in the working tree.
    assert_eq!(git_ok(repo, &["status", "--porcelain"]), "");

    git_ok(repo, &["checkout", "-qb", "one"]);
    s.ok(&["set", plan, "ws-kc-003", "--wave", "w6", "--by", "alice"]);
    git_ok(repo, &["commit", "-qam", "one"]);
    git_ok(repo, &["checkout", "-q", "wwn"]);
    s.ok(&["set", plan, "ws-kc-003", "--wave", "w7", "--by", "bob"]);
    git_ok(repo, &["commit", "-qam", "other"]);
    let out = git(repo, &["merge", "--no-edit", "one"]);
    assert!(!out.status.success(), "a conflicting merge must fail");
    let said = text(&out.stdout);
    assert!(
        said.contains("CONFLICT (plan): asset \"ws-kc-003\" wave"),
        "{said}"
    );
    assert!(
        said.contains("Merge conflict in plans/rollout.toml"),
        "{said}"
    );
    assert!(git_ok(repo, &["status", "--porcelain"]).contains("UU plans/rollout.toml"));
    assert_eq!(wave_of(&s, plan, "ws-kc-003"), "w7", "ours kept");
}
