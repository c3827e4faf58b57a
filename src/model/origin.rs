//! Where a fact was read ([`Origin`]): a file, named once per process ([`FileRef`]), and a
//! line.

use super::text::Text;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::num::NonZeroU16;
use std::ops::Deref;
use std::sync::{LazyLock, RwLock};

/// Where a fact was read: file and 1-based line.
///
/// Six bytes aligned to two, also as an `Option`: every asset and every relation carries
/// one, and the one-byte fields beside it fill the rest of a word.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    /// The file as given on the command line.
    pub file: FileRef,
    // The line in two halves, high first so that the derived order is the line's.
    line_high: u16,
    line_low: u16,
}

impl Origin {
    /// A new origin.
    pub fn new(file: FileRef, line: u32) -> Origin {
        Origin {
            file,
            line_high: (line >> 16) as u16,
            line_low: line as u16,
        }
    }

    /// 1-based line number (0 when unknown).
    pub fn line(self) -> u32 {
        (u32::from(self.line_high) << 16) | u32::from(self.line_low)
    }
}

impl fmt::Debug for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Origin")
            .field("file", &self.file)
            .field("line", &self.line())
            .finish()
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = self.line();
        if line > 0 && crate::error::is_sheet_label(&self.file) {
            write!(f, "{} row {line}", self.file)
        } else if line > 0 {
            write!(f, "{}:{line}", self.file)
        } else {
            f.write_str(&self.file)
        }
    }
}

/// A file name as given on the command line, two bytes wide: the names a process reads are
/// few and kept for its whole run, each once. After 65,534 distinct names, every further one
/// shares a last entry that says so (a run never reads that many files; a fuzzer might).
///
/// It reads like a `&str`; equal names are the same reference, which compares and orders by
/// its name.
#[derive(Clone, Copy)]
pub struct FileRef(NonZeroU16);

#[derive(Default)]
struct Registry {
    names: Vec<&'static Text>,
    index: HashMap<Text, NonZeroU16>,
}

/// The name every file past the registry's room shares.
const TOO_MANY_FILES: &str = "(one of more than 65,534 files read in this run)";

static FILES: LazyLock<RwLock<Registry>> = LazyLock::new(RwLock::default);

impl FileRef {
    /// The reference for `name`, registering it the first time.
    pub fn new(name: &str) -> FileRef {
        let read = FILES
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(&n) = read.index.get(name) {
            return FileRef(n);
        }
        drop(read);
        let mut files = FILES
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(&n) = files.index.get(name) {
            return FileRef(n);
        }
        if files.names.len() + 1 >= usize::from(u16::MAX) {
            if files.names.len() + 1 == usize::from(u16::MAX) {
                files
                    .names
                    .push(Box::leak(Box::new(Text::new(TOO_MANY_FILES))));
            }
            return FileRef(NonZeroU16::MAX);
        }
        let text: &'static Text = Box::leak(Box::new(Text::new(name)));
        files.names.push(text);
        let n = u16::try_from(files.names.len())
            .ok()
            .and_then(NonZeroU16::new)
            .expect("the registry stops below u16::MAX");
        files.index.insert(text.clone(), n);
        FileRef(n)
    }

    /// The name as a shared text.
    pub fn text(self) -> &'static Text {
        let files = FILES
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        files.names[self.0.get() as usize - 1]
    }

    /// The name.
    pub fn as_str(self) -> &'static str {
        self.text().as_str()
    }
}

impl Deref for FileRef {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for FileRef {
    fn from(name: &str) -> FileRef {
        FileRef::new(name)
    }
}

impl PartialEq for FileRef {
    fn eq(&self, other: &FileRef) -> bool {
        self.0 == other.0
    }
}

impl Eq for FileRef {}

impl Hash for FileRef {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl PartialOrd for FileRef {
    fn partial_cmp(&self, other: &FileRef) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for FileRef {
    /// By name, as the file names themselves would sort.
    fn cmp(&self, other: &FileRef) -> Ordering {
        if self.0 == other.0 {
            return Ordering::Equal;
        }
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Debug for FileRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for FileRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_origin_is_six_bytes_also_as_an_option() {
        assert_eq!(std::mem::size_of::<Origin>(), 6);
        assert_eq!(std::mem::size_of::<Option<Origin>>(), 6);
        assert_eq!(std::mem::align_of::<Origin>(), 2);
    }

    #[test]
    fn lines_keep_all_32_bits_and_their_order() {
        let file = FileRef::new("lines.csv");
        for line in [0, 1, 65_535, 65_536, 70_000, u32::MAX] {
            assert_eq!(Origin::new(file, line).line(), line);
        }
        assert!(Origin::new(file, 65_535) < Origin::new(file, 65_536));
        assert!(Origin::new(file, 2) < Origin::new(file, 70_000));
    }

    #[test]
    fn equal_names_are_one_reference_that_reads_like_the_name() {
        let a = FileRef::new("hosts.csv");
        let b = FileRef::from("hosts.csv");
        assert_eq!(a, b);
        assert_ne!(a, FileRef::new("other.csv"));
        assert_eq!(&*a, "hosts.csv");
        assert!(std::ptr::eq(a.text(), b.text()));
    }

    #[test]
    fn origins_sort_and_print_by_file_name_then_line() {
        let z = Origin::new(FileRef::new("zz-sorted-last.csv"), 1);
        let a = Origin::new(FileRef::new("aa-sorted-first.csv"), 9);
        assert!(a < z);
        assert_eq!(a.to_string(), "aa-sorted-first.csv:9");
        assert_eq!(Origin::new(a.file, 0).to_string(), "aa-sorted-first.csv");
    }

    #[test]
    fn names_registered_from_many_threads_agree() {
        let refs: Vec<FileRef> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| s.spawn(|| FileRef::new("threaded-name.csv")))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(refs.windows(2).all(|w| w[0] == w[1]));
    }
}
