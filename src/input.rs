//! The one place files given to avmigrate are read: only regular files, never more than a
//! documented size, so that a device (`/dev/zero`), a named pipe or a huge file is refused at
//! once instead of filling memory or blocking.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// The most an inventory file may hold (files from [`STREAM_FROM`](crate::inventory::STREAM_FROM)
/// on are streamed by the formats that can).
pub const INVENTORY_LIMIT: u64 = 4 * 1024 * 1024 * 1024;
/// The most a plan file may hold.
pub const PLAN_LIMIT: u64 = 1024 * 1024 * 1024;
/// The most a rules, catalogue, mapping, keymap or configuration file may hold.
pub const CONFIG_LIMIT: u64 = 16 * 1024 * 1024;

/// Why a file could not be read, worded for a one-line message after the file's name.
#[derive(Debug)]
pub enum ReadError {
    /// No such file.
    NotFound,
    /// The file exists but may not be read.
    PermissionDenied,
    /// A directory.
    Directory,
    /// A device, named pipe, socket or other file that is not a regular file.
    NotRegular(&'static str),
    /// Larger than the limit (size, limit), in bytes.
    TooLarge(u64, u64),
    /// Any other failure of the operating system.
    Io(io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotFound => write!(f, "file not found"),
            ReadError::PermissionDenied => write!(f, "permission denied"),
            ReadError::Directory => write!(f, "is a directory, not a file"),
            ReadError::NotRegular(what) => write!(f, "is {what}, not a regular file"),
            ReadError::TooLarge(size, limit) => write!(
                f,
                "is {}, over the {} limit",
                human_size(*size),
                human_size(*limit)
            ),
            ReadError::Io(e) => write!(f, "cannot read: {e}"),
        }
    }
}

impl std::error::Error for ReadError {}

impl ReadError {
    /// The message, naming what the file should have been (`"a plan file"`) when it is a
    /// directory.
    pub fn describe(&self, what: &str) -> String {
        match self {
            ReadError::Directory => format!("is a directory, not {what}"),
            other => other.to_string(),
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> ReadError {
        match e.kind() {
            io::ErrorKind::NotFound => ReadError::NotFound,
            io::ErrorKind::PermissionDenied => ReadError::PermissionDenied,
            _ => ReadError::Io(e),
        }
    }
}

/// `12 MiB`, `4 GiB`, `300 bytes`.
pub fn human_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = KIB * 1024;
    const GIB: u64 = MIB * 1024;
    match bytes {
        b if b >= GIB && b % GIB == 0 => format!("{} GiB", b / GIB),
        b if b >= MIB => format!("{:.1} MiB", b as f64 / MIB as f64).replace(".0 ", " "),
        b if b >= KIB => format!("{:.1} KiB", b as f64 / KIB as f64).replace(".0 ", " "),
        b => format!("{b} bytes"),
    }
}

/// Checks, from its metadata and before anything opens it, that `path` is a regular file of
/// at most `limit` bytes; returns its size.
pub fn check(path: &Path, limit: u64) -> Result<u64, ReadError> {
    let meta = std::fs::metadata(path)?;
    check_meta(&meta, limit)
}

fn check_meta(meta: &std::fs::Metadata, limit: u64) -> Result<u64, ReadError> {
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(ReadError::Directory);
    }
    if !kind.is_file() {
        return Err(ReadError::NotRegular(special_kind(&kind)));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(meta.len(), limit));
    }
    Ok(meta.len())
}

#[cfg(unix)]
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a named pipe"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "a special file"
}

/// Opens `path` for reading after [`check`]. The open never blocks (a pipe swapped in after
/// the check is refused too), and the opened file is checked again.
pub fn open(path: &Path, limit: u64) -> Result<File, ReadError> {
    check(path, limit)?;
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        const O_NONBLOCK: i32 = if cfg!(target_os = "linux") {
            0o4000
        } else {
            0x0004
        };
        options.custom_flags(O_NONBLOCK);
    }
    let file = options.open(path)?;
    check_meta(&file.metadata()?, limit)?;
    Ok(file)
}

/// Reads the whole of `path`, a regular file of at most `limit` bytes. A file that grows
/// while it is read is cut off at the limit and refused.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = open(path, limit)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(size.min(limit) as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(bytes.len() as u64, limit));
    }
    Ok(bytes)
}

/// Like [`read`], as UTF-8 text.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    String::from_utf8(read(path, limit)?).map_err(|_| {
        ReadError::Io(io::Error::new(
            io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
    })
}

/// The most bytes one record (a line of a log, a row of a streamed CSV) may hold in a file
/// that is read as a stream: no real export comes near it, and a file without line breaks
/// must not fill memory before it is refused.
pub const RECORD_LIMIT: usize = 16 * 1024 * 1024;

/// `BufRead::read_until` that refuses (with [`io::ErrorKind::InvalidData`]) to let `buf` grow
/// past `limit` bytes instead of buffering all of a record (a record read in several calls into
/// one buffer, such as a header spanning lines, is bounded as a whole).
pub fn read_until_limited(
    reader: &mut dyn io::BufRead,
    byte: u8,
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<usize> {
    let mut read = 0;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(read);
        }
        let (done, used) = match available.iter().position(|&b| b == byte) {
            Some(i) => (true, i + 1),
            None => (false, available.len()),
        };
        if buf.len() + used > limit {
            return Err(record_too_long(limit));
        }
        buf.extend_from_slice(&available[..used]);
        reader.consume(used);
        read += used;
        if done {
            return Ok(read);
        }
    }
}

/// The error of a record over [`RECORD_LIMIT`] (or another `limit`).
pub fn record_too_long(limit: usize) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "record longer than {}, the limit for one line or row",
            human_size(limit as u64)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_over_the_record_limit_is_refused_without_reading_it_all() {
        let text = [b"short\n".as_slice(), &[b'x'; 100], b"\n"].concat();
        let mut reader = io::BufReader::with_capacity(8, text.as_slice());
        let mut buf = Vec::new();
        assert_eq!(
            read_until_limited(&mut reader, b'\n', &mut buf, 50).unwrap(),
            6
        );
        buf.clear();
        let e = read_until_limited(&mut reader, b'\n', &mut buf, 50).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        assert!(buf.len() <= 50, "buffered {} bytes", buf.len());
        let mut reader = io::BufReader::new(&b"no line break"[..]);
        let mut buf = Vec::new();
        assert_eq!(
            read_until_limited(&mut reader, b'\n', &mut buf, 50).unwrap(),
            13
        );
    }

    #[test]
    fn a_regular_file_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.toml");
        std::fs::write(&p, b"abc").unwrap();
        assert_eq!(read(&p, 3).unwrap(), b"abc");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_with_both_sizes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.toml");
        std::fs::write(&p, vec![b'x'; 3 * 1024 * 1024]).unwrap();
        let e = read(&p, 2 * 1024 * 1024).unwrap_err();
        assert_eq!(e.to_string(), "is 3 MiB, over the 2 MiB limit");
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_pipes_are_refused_without_reading_or_blocking() {
        let e = read(Path::new("/dev/zero"), PLAN_LIMIT).unwrap_err();
        assert_eq!(e.to_string(), "is a device, not a regular file");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let e = read(&fifo, PLAN_LIMIT).unwrap_err();
            assert_eq!(e.to_string(), "is a named pipe, not a regular file");
        }
    }

    #[test]
    fn missing_files_and_directories_say_so() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            read(&dir.path().join("nope"), 10).unwrap_err().to_string(),
            "file not found"
        );
        assert_eq!(
            read(dir.path(), 10).unwrap_err().to_string(),
            "is a directory, not a file"
        );
    }
}
