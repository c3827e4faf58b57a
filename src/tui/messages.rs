//! The message log: every status-bar message of the session, whole, with the errors not yet
//! read counted (the status bar shows the count until the log is opened).

use super::state::Level;
use crate::model::Timestamp;
use std::collections::VecDeque;

/// Messages kept: the oldest go first.
const KEPT: usize = 500;

/// One message as it was shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// When.
    pub at: Timestamp,
    /// Information or error.
    pub level: Level,
    /// The whole text (cleaned of control characters).
    pub text: String,
}

/// The session's messages, oldest first, and how many errors arrived since the log was read.
#[derive(Debug, Clone, Default)]
pub struct MessageLog {
    entries: VecDeque<Entry>,
    unread_errors: usize,
}

impl MessageLog {
    /// Keeps a message.
    pub fn push(&mut self, at: Timestamp, level: Level, text: String) {
        if self.entries.len() == KEPT {
            self.entries.pop_front();
        }
        if level == Level::Error {
            self.unread_errors += 1;
        }
        self.entries.push_back(Entry { at, level, text });
    }

    /// The messages, newest first.
    pub fn newest_first(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().rev()
    }

    /// Number of messages kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing was said yet.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Errors that arrived since the log was last opened.
    pub fn unread_errors(&self) -> usize {
        self.unread_errors
    }

    /// The log was opened: every error is read.
    pub fn mark_read(&mut self) {
        self.unread_errors = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_keeps_the_newest_and_counts_unread_errors() {
        let mut log = MessageLog::default();
        let t = Timestamp::from_unix(0);
        for i in 0..KEPT + 3 {
            let level = if i % 2 == 0 {
                Level::Info
            } else {
                Level::Error
            };
            log.push(t, level, format!("m{i}"));
        }
        assert_eq!(log.len(), KEPT);
        assert_eq!(
            log.newest_first().next().unwrap().text,
            format!("m{}", KEPT + 2)
        );
        assert_eq!(log.unread_errors(), (KEPT + 3) / 2);
        log.mark_read();
        assert_eq!(log.unread_errors(), 0);
    }
}
