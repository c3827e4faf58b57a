//! End-to-end: the real binary in a pseudo-terminal (portable-pty + vt100), driven by keys.

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROWS: u16 = 35;
const COLS: u16 = 120;

/// The app in a pseudo-terminal, its screen kept by a terminal emulator.
pub(crate) struct Tui {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
    _dirs: Vec<tempfile::TempDir>,
}

impl Tui {
    /// Starts `avmigrate ARGS` in `cwd` with empty config and data directories (`env` may
    /// name others).
    pub(crate) fn start(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Tui {
        let config = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_avmigrate"));
        cmd.args(args);
        cmd.cwd(cwd);
        cmd.env("TERM", "xterm-256color");
        cmd.env("USER", "tester");
        cmd.env("AVMIGRATE_CONFIG_DIR", config.path());
        cmd.env("AVMIGRATE_DATA_DIR", data.path());
        cmd.env_remove("NO_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(ROWS).unwrap(),
            std::num::NonZeroU16::new(COLS).unwrap(),
            0,
        )));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let sink = Arc::clone(&parser);
        // Drain the PTY continuously, or the app blocks on a full pipe.
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        let writer = pair.master.take_writer().unwrap();
        Tui {
            parser,
            writer,
            child,
            _master: pair.master,
            _dirs: vec![config, data],
        }
    }

    /// The screen's text.
    pub(crate) fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text` and has stopped changing (a frame can be read half
    /// drawn otherwise).
    pub(crate) fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            let now = self.screen();
            if now.contains(text) {
                std::thread::sleep(Duration::from_millis(150));
                if self.screen() == now {
                    return;
                }
                continue;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("timed out waiting for {text:?}; screen:\n{}", self.screen());
    }

    /// Types `bytes`; the app reads them in order, so the next `wait_for` (or `wait_gone`)
    /// says when they took effect.
    pub(crate) fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits until the screen no longer shows `text`.
    pub(crate) fn wait_gone(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.screen().contains(text) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?} to go; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the app to exit and returns how it did.
    pub(crate) fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(200));
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("the app did not exit; screen:\n{}", self.screen());
    }

    /// True when the app left the alternate screen and mouse capture.
    pub(crate) fn terminal_restored(&self) -> bool {
        let p = self.parser.lock().unwrap();
        let s = p.screen();
        !s.alternate_screen() && s.mouse_protocol_mode() == vt100::MouseProtocolMode::None
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temp dir with the demo inventory at assets/examples/stadtwerke.toml.
fn workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let examples = dir.path().join("assets").join("examples");
    std::fs::create_dir_all(&examples).unwrap();
    std::fs::copy(
        repo().join("assets/examples/stadtwerke.toml"),
        examples.join("stadtwerke.toml"),
    )
    .unwrap();
    dir
}

#[test]
fn start_shows_the_demo_totals_and_quit_restores_the_terminal() {
    let dir = workdir();
    let mut tui = Tui::start(dir.path(), &[], &[]);
    tui.wait_for("Unaffected");
    let screen = tui.screen();
    assert!(screen.contains("113"), "direct total\n{screen}");
    assert!(screen.contains("36"), "indirect total\n{screen}");
    assert!(screen.contains("srv-ksc-01"), "largest impact\n{screen}");
    tui.send(b"?");
    tui.wait_for("Help");
    // Esc alone: sent together with the next key it would read as alt-q.
    tui.send(b"\x1b");
    tui.wait_gone("keys for this screen");
    tui.send(b"q");
    let status = tui.wait_exit();
    assert!(status.success());
    assert!(
        tui.terminal_restored(),
        "alternate screen and mouse capture are off again"
    );
}

#[test]
fn filter_move_undo_save_and_the_saved_plan_validates() {
    let dir = workdir();
    let mut tui = Tui::start(
        dir.path(),
        &["open", "assets/examples/stadtwerke.toml"],
        &[],
    );
    tui.wait_for("Unaffected");
    // Filter the assets table.
    tui.send(b"2");
    tui.wait_for("Assets 156/156");
    tui.send(b"/srv-sql");
    tui.wait_for("Assets 2/156");
    assert!(tui.screen().contains("srv-sql-02"));
    tui.send(b"\r");
    // Generate a plan and move the first pilot asset one wave later, then undo.
    tui.send(b"\x07");
    tui.wait_for("unsaved plan");
    tui.send(b"4");
    tui.wait_for("Violations");
    tui.send(b"l");
    tui.wait_for("Pilot");
    let before = tui.screen();
    let pilot_line = before.lines().nth(1).unwrap().to_string();
    assert!(pilot_line.contains("Pilot"), "{before}");
    tui.send(b"]");
    tui.wait_for("w2 Wave 2");
    tui.send(b"u");
    tui.wait_for("undone");
    // Save: the first save asks for a path.
    tui.send(b"\x13");
    tui.wait_for("Save plan as");
    tui.send(b"\x15plans/e2e.toml\r");
    tui.wait_for("saved plans/e2e.toml");
    tui.send(b"q");
    assert!(tui.wait_exit().success());
    assert!(tui.terminal_restored());
    let plan = dir.path().join("plans/e2e.toml");
    assert!(plan.is_file());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_avmigrate"))
        .arg("validate")
        .arg(&plan)
        .env("AVMIGRATE_CONFIG_DIR", dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("0 violation(s)"), "{text}");
}

#[test]
fn quitting_with_unsaved_changes_asks_first() {
    let dir = workdir();
    let mut tui = Tui::start(dir.path(), &[], &[]);
    tui.wait_for("Unaffected");
    tui.send(b"\x07");
    tui.wait_for("unsaved plan");
    tui.send(b"q");
    tui.wait_for("unsaved changes");
    tui.send(b"n");
    // The question closed: the answer was read, and the app goes on.
    tui.wait_gone("unsaved changes");
    assert!(
        tui.child.try_wait().unwrap().is_none(),
        "still running after 'no'"
    );
    tui.send(b"q");
    tui.wait_for("unsaved changes");
    tui.send(b"y");
    assert!(tui.wait_exit().success());
    assert!(tui.terminal_restored());
}

#[test]
fn a_panic_restores_the_terminal() {
    let dir = workdir();
    let mut tui = Tui::start(dir.path(), &[], &[("AVMIGRATE_TEST_PANIC", "1")]);
    let status = tui.wait_exit();
    assert!(!status.success());
    assert!(tui.terminal_restored(), "screen:\n{}", tui.screen());
    assert!(tui.screen().contains("test panic"), "{}", tui.screen());
}

#[test]
fn plan_on_a_terminal_shows_its_phase_on_stderr_and_erases_it() {
    let dir = tempfile::tempdir().unwrap();
    let made = std::process::Command::new(env!("CARGO_BIN_EXE_avmigrate"))
        .args(["gen", "--assets", "40000", "-o", "big.toml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(made.status.success());
    let args = ["plan", "big.toml", "-o", "p.toml", "--start", "2027-01-11"];
    let mut tui = Tui::start(dir.path(), &args, &[]);
    // Shown while it runs…
    tui.wait_for("planning: ");
    assert!(tui.wait_exit().success());
    // …and gone once the summary is printed.
    let screen = tui.screen();
    assert!(screen.contains("violations: "), "{screen}");
    assert!(!screen.contains("planning: "), "{screen}");
    // Redirected, stderr stays quiet.
    let piped = std::process::Command::new(env!("CARGO_BIN_EXE_avmigrate"))
        .args(["plan", "big.toml", "-o", "q.toml", "--start", "2027-01-11"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(piped.status.success());
    assert_eq!(String::from_utf8_lossy(&piped.stderr), "");
}

/// Kills the app with SIGKILL at pseudo-random moments around a save (ctrl-s right after an
/// edit), dozens of times: the plan and its backup always parse, no event that a finished save
/// wrote is lost, and the next finished save leaves no temporary file behind.
#[cfg(unix)]
#[test]
fn kill_9_during_an_app_save_never_costs_the_plan_its_backup_or_a_saved_event() {
    use avmigrate::plan::file;
    use std::collections::BTreeSet;
    let dir = workdir();
    let bin = env!("CARGO_BIN_EXE_avmigrate");
    let plan = dir.path().join("p.toml");
    let made = std::process::Command::new(bin)
        .current_dir(dir.path())
        .args(["plan", "assets/examples/stadtwerke.toml", "-o", "p.toml"])
        .env("AVMIGRATE_CONFIG_DIR", dir.path().join("config"))
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let events = |path: &Path| -> BTreeSet<String> {
        let p = file::load(path).unwrap_or_else(|e| panic!("{} must parse: {e}", path.display()));
        p.events
            .iter()
            .map(|e| format!("{} {} {} {}", e.at, e.asset, e.field, e.to))
            .collect()
    };
    let mut committed = events(&plan);
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |bound: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % bound
    };
    let started = Instant::now();
    let (mut kills, mut saved) = (0, 0);
    let mut window: u64 = 40_000;
    for round in 0..200 {
        if started.elapsed() > Duration::from_secs(20) && kills >= 30 {
            break;
        }
        let mut tui = Tui::start(dir.path(), &["open", "p.toml"], &[]);
        let deadline = Instant::now() + Duration::from_secs(30);
        while !tui.screen().contains("Unaffected") {
            assert!(Instant::now() < deadline, "no dashboard:\n{}", tui.screen());
            std::thread::sleep(Duration::from_millis(5));
        }
        // Waves, the pilot's assets, pin or unpin the first, save: all at once, then a kill
        // somewhere between before the save began and after it ended.
        tui.writer.write_all(b"4lp\x13").unwrap();
        tui.writer.flush().unwrap();
        std::thread::sleep(Duration::from_micros(next(window)));
        let pid = tui.child.process_id().expect("pid").to_string();
        let killed = std::process::Command::new("kill")
            .args(["-9", &pid])
            .status()
            .unwrap();
        assert!(killed.success());
        let _ = tui.child.wait();
        if tui.screen().contains("saved p.toml") {
            saved += 1;
        } else {
            kills += 1;
        }
        // The kill window follows the machine's speed, so that both outcomes keep coming: a
        // fast machine (or a release build) saves within a few milliseconds.
        if saved > 2 * kills {
            window = (window * 3 / 4).max(500);
        } else if kills > 2 * saved {
            window = (window * 5 / 4).min(200_000);
        }
        let now = events(&plan);
        let backup = dir.path().join("p.toml.bak");
        if backup.exists() {
            events(&backup);
        }
        assert!(
            committed.is_subset(&now),
            "round {round}: saved events lost"
        );
        committed = now;
    }
    eprintln!("{kills} kills before the save was reported, {saved} after");
    assert!(kills >= 30, "only {kills} kills");
    // A save that finishes cleans up what the killed ones left.
    let count = |path: &Path| file::load(path).map_or(0, |p| p.events.len());
    let before = count(&plan);
    let mut tui = Tui::start(dir.path(), &["open", "p.toml"], &[]);
    tui.wait_for("Unaffected");
    tui.send(b"4lp\x13");
    tui.wait_for("saved p.toml");
    tui.send(b"q");
    assert!(tui.wait_exit().success());
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    assert!(events(&plan).is_superset(&committed));
    assert_eq!(
        count(&plan),
        before + 1,
        "the last save's pin is in the plan"
    );
}
