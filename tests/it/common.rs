//! Shared helpers for the CLI tests: a sandbox directory per test with an empty configuration
//! directory (no user catalogue leaks in) and a fixed clock.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The fixed "now" of every CLI test.
pub const NOW: &str = "2026-11-28T10:00:00Z";

/// The demo inventory in the source tree.
pub fn demo() -> PathBuf {
    repo("assets/examples/stadtwerke.toml")
}

/// A path inside the repository.
pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A temporary working directory for one test.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    /// A new, empty sandbox with an empty configuration directory.
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("config")).expect("config dir");
        std::fs::create_dir(dir.path().join("data")).expect("data dir");
        Sandbox { dir }
    }

    /// The sandbox directory.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the sandbox.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file into the sandbox and returns its path.
    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, content).expect("write");
        p
    }

    /// Reads a file of the sandbox as text.
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap_or_else(|e| panic!("read {name}: {e}"))
    }

    /// Copies the demo inventory into the sandbox as `stadtwerke.toml`.
    pub fn copy_demo(&self) -> PathBuf {
        let p = self.path("stadtwerke.toml");
        std::fs::copy(demo(), &p).expect("copy demo");
        p
    }

    /// `avmigrate` running in the sandbox, with a fixed clock and an empty config directory.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("avmigrate").expect("binary");
        c.current_dir(self.root())
            .env("AVMIGRATE_CONFIG_DIR", self.path("config"))
            .env("AVMIGRATE_DATA_DIR", self.path("data"))
            .env("AVMIGRATE_NOW", NOW)
            .env("USER", "tester")
            .env_remove("USERNAME");
        c
    }

    /// Runs `avmigrate ARGS` and returns its output (any exit code).
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("run avmigrate")
    }

    /// Runs and expects exit 0; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "avmigrate {args:?} failed:\nstdout: {}\nstderr: {}",
            text(&out.stdout),
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    /// Runs and expects `code`; returns stderr, checked to be one line without a panic.
    pub fn fails(&self, code: i32, args: &[&str]) -> String {
        let out = self.run(args);
        let err = text(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(code),
            "avmigrate {args:?}: expected exit {code}\nstdout: {}\nstderr: {err}",
            text(&out.stdout)
        );
        assert_clean_error(&err);
        err
    }

    /// Runs with `--format json` already in `args` and parses stdout.
    pub fn json(&self, args: &[&str]) -> Value {
        json_of(&self.ok(args))
    }

    /// Plans the sandbox's copy of the demo into `plan` with extra arguments; returns stdout.
    pub fn plan_demo(&self, plan: &str, extra: &[&str]) -> String {
        self.copy_demo();
        let mut args = vec!["plan", "stadtwerke.toml", "-o", plan];
        args.extend_from_slice(extra);
        self.ok(&args)
    }
}

/// Bytes as text (lossy).
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Parses JSON output, showing it on failure.
pub fn json_of(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}):\n{s}"))
}

/// A bad-input message: one line, prefixed, no panic, no backtrace.
pub fn assert_clean_error(err: &str) {
    assert!(!err.contains("panicked"), "panic: {err}");
    assert!(!err.contains("RUST_BACKTRACE"), "panic: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err:?}");
    assert!(err.starts_with("avmigrate: "), "{err}");
}

/// The string values of a JSON array of strings.
pub fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|x| x.as_str().expect("string").to_string())
        .collect()
}
