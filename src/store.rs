//! Durable files: atomic saves with backups, and the config and data directories.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `bytes` to `path` atomically: a temporary file in the same directory is written,
/// flushed to disk and renamed over the target, so a crash leaves either the old or the new
/// content, never a torn file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"))?;
    // Unique per process and call, created exclusively: two writes in flight never share a
    // temporary file.
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(
        ".{}-{}.tmp",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let tmp = dir.join(tmp_name);
    let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
    let result = (|| {
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)?;
        sync_dir(&dir);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
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
pub fn save_with_backup(path: &Path, bytes: &[u8]) -> io::Result<Option<PathBuf>> {
    let backup = if path.is_file() {
        let bak = backup_path(path);
        let previous = fs::read(path)?;
        write_atomic(&bak, &previous)?;
        Some(bak)
    } else {
        None
    };
    write_atomic(path, bytes)?;
    Ok(backup)
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

/// The per-user configuration directory (`AVMIGRATE_CONFIG_DIR` overrides it).
pub fn config_dir() -> Option<PathBuf> {
    std::env::var_os("AVMIGRATE_CONFIG_DIR")
        .map(PathBuf::from)
        .or_else(|| project_dirs().map(|d| d.config_dir().to_path_buf()))
}

/// The per-user data directory for autosaves (`AVMIGRATE_DATA_DIR` overrides it).
pub fn data_dir() -> Option<PathBuf> {
    std::env::var_os("AVMIGRATE_DATA_DIR")
        .map(PathBuf::from)
        .or_else(|| project_dirs().map(|d| d.data_dir().to_path_buf()))
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "avmigrate")
}

#[cfg(test)]
mod tests {
    use super::*;

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
