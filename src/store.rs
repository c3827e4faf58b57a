//! Durable files: atomic saves with backups, and the config and data directories.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `bytes` to `path` atomically: a temporary file in the same directory is written,
/// flushed to disk and renamed over the target, so a crash leaves either the old or the new
/// content, never a torn file. A file that exists keeps its permissions.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_by(path, &mut |f| f.write_all(bytes))
}

/// [`write_atomic`] with the content written by `fill` (streamed, never held whole).
pub fn write_atomic_by(path: &Path, fill: Fill) -> io::Result<()> {
    let tmp = write_temp_with(path, fill)?;
    let result = fs::rename(&tmp, path);
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    sync_dir(&parent_dir(path));
    Ok(())
}

/// `.NAME.` — the start of the name of every temporary file written for `path`.
fn temp_prefix(path: &Path) -> io::Result<std::ffi::OsString> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"))?;
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    Ok(prefix)
}

/// Writes the content `fill` gives to a new temporary file beside `path` (with the permissions
/// of `path` when it exists) and flushes it to disk; returns the temporary file's path.
fn write_temp_with(path: &Path, fill: Fill) -> io::Result<PathBuf> {
    // Unique per process and call, created exclusively: two writes in flight never share a
    // temporary file.
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let mut tmp_name = temp_prefix(path)?;
    tmp_name.push(format!(
        "{}-{}.tmp",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let tmp = parent_dir(path).join(tmp_name);
    let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
    let result = (|| {
        #[cfg(test)]
        if tests::DISK_FULL.get() {
            return Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"));
        }
        if let Ok(meta) = fs::metadata(path) {
            f.set_permissions(meta.permissions())?;
        }
        fill(&mut f)?;
        f.sync_all()
    })();
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            drop(f);
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Removes the temporary files that interrupted saves of `path` left behind: with `locked`
/// (the caller holds the [`ChangeLock`] of `path`, so no other save of it is under way) all of
/// them, else those of other processes that no longer run (where that can be told) or over an
/// hour old.
pub fn remove_stale_temps(path: &Path, locked: bool) {
    let Ok(prefix) = temp_prefix(path) else {
        return;
    };
    let Some(prefix) = prefix.to_str() else {
        return;
    };
    let Ok(entries) = fs::read_dir(parent_dir(path)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
            continue;
        };
        let Some((pid, _)) = rest
            .strip_suffix(".tmp")
            .and_then(|r| r.split_once('-'))
            .and_then(|(pid, n)| Some((pid.parse::<u32>().ok()?, n.parse::<u64>().ok()?)))
        else {
            continue;
        };
        // Holding the lock, no save of this file is under way, not even in this process: a
        // temporary file with our own process id was left by a killed process whose id the
        // system has since given to us.
        if locked || (pid != std::process::id() && !still_running(pid, &entry)) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn still_running(pid: u32, entry: &fs::DirEntry) -> bool {
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return proc.join(pid.to_string()).exists();
    }
    let age = entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok());
    age.is_none_or(|a| a.as_secs() < 3600)
}

/// An exclusive advisory lock that one process holds while it reads, changes and writes a
/// file, so that two avmigrate processes changing the same plan take turns instead of one
/// silently overwriting the other's change. Released when dropped (or when the process ends).
/// On a file system without locks it holds nothing (and changes are not serialised there).
#[derive(Debug)]
pub struct ChangeLock {
    _file: Option<File>,
}

/// Takes the [`ChangeLock`] of `path`, calling `on_wait` first if another process holds it and
/// waiting for it. The lock lives on a sidecar file (`.NAME.lock` beside it), because saves
/// replace the file itself; it is opened read-only when it exists, so a lock file created by
/// one user does not shut out another who may write the directory.
pub fn lock_for_change(path: &Path, on_wait: impl FnOnce()) -> io::Result<ChangeLock> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"))?;
    let mut lock_name = std::ffi::OsString::from(".");
    lock_name.push(name);
    lock_name.push(".lock");
    let lock_path = parent_dir(path).join(lock_name);
    let file = match File::open(&lock_path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)?,
        Err(e) => return Err(e),
    };
    let result = match file.try_lock() {
        Ok(()) => Ok(()),
        Err(fs::TryLockError::WouldBlock) => {
            on_wait();
            file.lock()
        }
        Err(fs::TryLockError::Error(e)) => Err(e),
    };
    match result {
        Ok(()) => Ok(ChangeLock { _file: Some(file) }),
        Err(e) if locks_unsupported(&e) => Ok(ChangeLock { _file: None }),
        Err(e) => Err(e),
    }
}

/// Errors that mean the file system cannot lock at all (some network and FUSE mounts).
fn locks_unsupported(e: &io::Error) -> bool {
    const ENOLCK: i32 = 37;
    e.kind() == io::ErrorKind::Unsupported
        || (cfg!(target_os = "linux") && e.raw_os_error() == Some(ENOLCK))
}

/// Like [`write_atomic`], but first keeps the current content of `path` (if any) as
/// `path.bak`. Returns the backup path when one was written.
///
/// The order makes every step safe to interrupt: the new content is written and flushed to a
/// temporary file first (a full disk fails here, costing nothing); then the current file
/// becomes the backup by a hard link renamed over the old backup (a copy where links are not
/// supported); then the temporary file is renamed over the file. The file keeps its
/// permissions; a read-only file is refused. Temporary files left by interrupted saves are
/// removed: callers hold the [`ChangeLock`] of `path`.
pub fn save_with_backup(path: &Path, bytes: &[u8]) -> io::Result<Option<PathBuf>> {
    save_with_backup_by(path, &mut |f| f.write_all(bytes))
}

/// Writes the content of a file (the temporary file of a save).
pub type Fill<'a> = &'a mut dyn FnMut(&mut dyn Write) -> io::Result<()>;

/// [`save_with_backup`] with the content written by `fill`, for content too large to hold in
/// memory at once.
pub fn save_with_backup_by(path: &Path, fill: Fill) -> io::Result<Option<PathBuf>> {
    let existing = match fs::metadata(path) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if let Some(meta) = &existing {
        if !meta.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file",
            ));
        }
        if meta.permissions().readonly() {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "the file is read-only (make it writable to save)",
            ));
        }
    }
    remove_stale_temps(path, true);
    let bak = backup_path(path);
    remove_stale_temps(&bak, true);
    let tmp = write_temp_with(path, fill)?;
    let result = (|| {
        if existing.is_some() {
            keep_as_backup(path, &bak)?;
        }
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    sync_dir(&parent_dir(path));
    Ok(existing.map(|_| bak))
}

/// Makes the current content of `path` the backup `bak`, replacing the old backup only once
/// the new one is whole.
fn keep_as_backup(path: &Path, bak: &Path) -> io::Result<()> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let mut link_name = temp_prefix(bak)?;
    link_name.push(format!(
        "{}-{}.tmp",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let link = parent_dir(bak).join(link_name);
    if fs::hard_link(path, &link).is_ok() {
        let renamed = fs::rename(&link, bak);
        // Also after a success: when the backup already is this file (a save killed between
        // making the backup and replacing the plan), rename does nothing and keeps both names.
        let _ = fs::remove_file(&link);
        return renamed;
    }
    write_atomic(bak, &fs::read(path)?)?;
    fs::set_permissions(bak, fs::metadata(path)?.permissions())
}

/// `plan.toml` → `plan.toml.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".bak");
    PathBuf::from(s)
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn sync_dir(dir: &Path) {
    // Persisting the rename needs the directory entry flushed; not every platform allows it.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Refuses to write `output` when it is one of `inputs` (the plan, its inventory).
pub fn refuse_input<'a>(
    output: &Path,
    inputs: impl IntoIterator<Item = &'a Path>,
) -> Result<(), String> {
    let Ok(target) = std::fs::canonicalize(output) else {
        return Ok(()); // a new file
    };
    for input in inputs {
        if std::fs::canonicalize(input).is_ok_and(|i| i == target) {
            return Err(format!(
                "{}: is an input of this command; write the output to another file",
                output.display()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// Makes this thread's temporary-file writes fail as on a full disk.
        pub(super) static DISK_FULL: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    #[test]
    fn a_full_disk_costs_neither_the_plan_nor_the_older_backup() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("plan.toml");
        save_with_backup(&p, b"v1").unwrap();
        save_with_backup(&p, b"v2").unwrap();
        DISK_FULL.set(true);
        let failed = save_with_backup(&p, b"v3");
        DISK_FULL.set(false);
        assert!(failed.is_err());
        assert_eq!(fs::read(&p).unwrap(), b"v2");
        assert_eq!(fs::read(backup_path(&p)).unwrap(), b"v1");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 2, "no temporary file left behind");
    }

    #[cfg(unix)]
    #[test]
    fn a_save_keeps_the_permissions_of_the_plan_and_its_backup() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("plan.toml");
        save_with_backup(&p, b"v1").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o600)).unwrap();
        save_with_backup(&p, b"v2").unwrap();
        save_with_backup(&p, b"v3").unwrap();
        let mode = |q: &Path| fs::metadata(q).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&p), 0o600);
        assert_eq!(mode(&backup_path(&p)), 0o600);
        assert_eq!(fs::read(backup_path(&p)).unwrap(), b"v2");
    }

    #[test]
    fn a_read_only_plan_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("plan.toml");
        fs::write(&p, b"v1").unwrap();
        let mut perms = fs::metadata(&p).unwrap().permissions();
        perms.set_readonly(true);
        fs::set_permissions(&p, perms).unwrap();
        let e = save_with_backup(&p, b"v2").unwrap_err();
        assert!(e.to_string().contains("read-only"), "{e}");
        assert_eq!(fs::read(&p).unwrap(), b"v1");
        assert!(!backup_path(&p).exists());
    }

    #[test]
    fn temporary_files_of_interrupted_saves_are_removed_by_the_next_save() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("plan.toml");
        // No process has id u32::MAX - 1 (above every kernel's pid limit).
        let dead = u32::MAX - 1;
        // A killed process whose id the system has since given to this one.
        let reused = std::process::id();
        for name in [
            format!(".plan.toml.{dead}-0.tmp"),
            format!(".plan.toml.bak.{dead}-3.tmp"),
            format!(".plan.toml.{reused}-999.tmp"),
        ] {
            fs::write(dir.path().join(name), b"torn").unwrap();
        }
        let unrelated = dir.path().join(".other.toml.1-0.tmp");
        fs::write(&unrelated, b"x").unwrap();
        save_with_backup(&p, b"v1").unwrap();
        save_with_backup(&p, b"v2").unwrap();
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, [".other.toml.1-0.tmp", "plan.toml", "plan.toml.bak"]);
    }

    #[test]
    fn atomic_write_replaces_content_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("plan.toml");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left behind");
    }

    #[test]
    fn concurrent_writes_of_one_file_never_tear_it() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("plan.toml");
        let texts: Vec<Vec<u8>> = (0..8u8).map(|i| vec![b'a' + i; 200_000]).collect();
        std::thread::scope(|scope| {
            for text in &texts {
                let p = &p;
                scope.spawn(move || {
                    for _ in 0..5 {
                        write_atomic(p, text).unwrap();
                    }
                });
            }
        });
        let content = fs::read(&p).unwrap();
        assert!(texts.contains(&content), "the file is one whole text");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left behind");
    }

    #[test]
    fn backup_keeps_previous_version() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("plan.toml");
        assert_eq!(save_with_backup(&p, b"v1").unwrap(), None);
        let bak = save_with_backup(&p, b"v2").unwrap().unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"v2");
        assert_eq!(fs::read(bak).unwrap(), b"v1");
    }

    #[test]
    fn a_backup_that_already_is_the_plan_leaves_no_link_behind() {
        // As a save killed after making the backup and before replacing the plan leaves it.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("plan.toml");
        fs::write(&p, b"v1").unwrap();
        fs::hard_link(&p, backup_path(&p)).unwrap();
        save_with_backup(&p, b"v2").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"v2");
        assert_eq!(fs::read(backup_path(&p)).unwrap(), b"v1");
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["plan.toml", "plan.toml.bak"]);
    }

    #[test]
    fn writing_into_a_missing_directory_fails_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("missing").join("x.toml");
        assert!(write_atomic(&p, b"x").is_err());
    }

    #[test]
    fn a_change_lock_is_held_by_one_holder_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("plan.toml");
        let held = lock_for_change(&p, || panic!("free at first")).unwrap();
        let sidecar = dir.path().join(".plan.toml.lock");
        let other = File::options().write(true).open(&sidecar).unwrap();
        assert!(other.try_lock().is_err(), "taken while held");
        drop(held);
        assert!(other.try_lock().is_ok(), "free once dropped");
    }

    #[test]
    fn a_lock_file_made_by_another_user_is_opened_read_only() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("plan.toml");
        let sidecar = dir.path().join(".plan.toml.lock");
        fs::write(&sidecar, b"").unwrap();
        let mut perms = fs::metadata(&sidecar).unwrap().permissions();
        perms.set_readonly(true);
        fs::set_permissions(&sidecar, perms).unwrap();
        let held = lock_for_change(&p, || {}).unwrap();
        assert!(held._file.is_some());
    }

    #[test]
    fn a_waiting_holder_is_told_and_gets_the_lock_once_free() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("plan.toml");
        let held = lock_for_change(&p, || {}).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let _second = lock_for_change(&p, || tx.send("waiting").unwrap()).unwrap();
            });
            assert_eq!(rx.recv().unwrap(), "waiting");
            drop(held);
        });
    }
}
