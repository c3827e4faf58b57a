//! Several avmigrate processes changing one plan at the same time take turns: no change is
//! lost to another process's save.

use crate::common;

use common::Sandbox;

#[test]
fn concurrent_set_commands_keep_every_change() {
    let sb = Sandbox::new();
    sb.plan_demo("p.toml", &["--start", "2027-01-11"]);
    let table: toml::Table = sb.read("p.toml").parse().unwrap();
    let ids: Vec<String> = table["asset"]
        .as_array()
        .unwrap()
        .iter()
        .take(8)
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    let children: Vec<_> = ids
        .iter()
        .map(|id| {
            let note = format!("note for {id}");
            std::process::Command::new(env!("CARGO_BIN_EXE_avmigrate"))
                .current_dir(sb.root())
                .env("AVMIGRATE_CONFIG_DIR", sb.path("config"))
                .env("AVMIGRATE_DATA_DIR", sb.path("data"))
                .args(["set", "p.toml", id, "--note", &note])
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("spawn avmigrate")
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let plan = avmigrate::plan::file::parse(&sb.read("p.toml"), "p.toml").unwrap();
    for id in &ids {
        let asset = plan.asset(id).unwrap();
        assert_eq!(
            asset.note.as_deref(),
            Some(format!("note for {id}").as_str()),
            "the note on {id} was lost"
        );
    }
}

#[test]
fn a_missing_plan_leaves_no_lock_file_behind() {
    let sb = Sandbox::new();
    sb.fails(2, &["set", "missing.toml", "ws-1", "--note", "x"]);
    assert!(!sb.path(".missing.toml.lock").exists());
}
