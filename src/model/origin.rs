//! Where a fact was read ([`Origin`]): a file, named once per process ([`FileRef`]), and a
//! line.

use super::text::Text;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::num::NonZeroU32;
use std::ops::Deref;
use std::sync::{LazyLock, RwLock};

/// Where a fact was read: file and 1-based line.
///
/// Eight bytes, also as an `Option`: every asset and every relation carries one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    /// The file as given on the command line.
    pub file: FileRef,
    /// 1-based line number (0 when unknown).
    pub line: u32,
}

impl Origin {
    /// A new origin.
    pub fn new(file: FileRef, line: u32) -> Origin {
        Origin { file, line }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 && crate::error::is_sheet_label(&self.file) {
            write!(f, "{} row {}", self.file, self.line)
        } else if self.line > 0 {
            write!(f, "{}:{}", self.file, self.line)
        } else {
            f.write_str(&self.file)
        }
    }
}

/// A file name as given on the command line, four bytes wide: the names a process reads are
/// few and kept for its whole run, each once.
///
/// It reads like a `&str`; equal names are the same reference, which compares and orders by
/// its name.
#[derive(Clone, Copy)]
pub struct FileRef(NonZeroU32);

#[derive(Default)]
struct Registry {
    names: Vec<&'static Text>,
    index: HashMap<Text, NonZeroU32>,
}

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
        let text: &'static Text = Box::leak(Box::new(Text::new(name)));
        files.names.push(text);
        let n = u32::try_from(files.names.len())
            .ok()
            .and_then(NonZeroU32::new)
            .expect("fewer than four billion file names in one run");
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
    fn an_origin_is_eight_bytes_also_as_an_option() {
        assert_eq!(std::mem::size_of::<Origin>(), 8);
        assert_eq!(std::mem::size_of::<Option<Origin>>(), 8);
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
