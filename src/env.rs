//! What avmigrate takes from its surroundings: the per-user configuration and data directories
//! and the clock. The binary reads them once from the process (`Env::from_process`); tests and
//! embedders build an `Env` value instead of changing process-wide variables.

use crate::model::{Date, Timestamp};
use std::path::{Path, PathBuf};

/// Directories and clock one run of avmigrate works with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Env {
    /// Per-user configuration (`vendors.toml`, `keymap.toml`, `config.toml`); None when the
    /// platform has no home directory.
    pub config_dir: Option<PathBuf>,
    /// Per-user data (autosaves); None when the platform has no home directory.
    pub data_dir: Option<PathBuf>,
    /// Where "now" comes from.
    pub clock: Clock,
}

/// The source of the current time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The system clock (`AVMIGRATE_NOW` overrides it for reproducible runs).
    System,
    /// Always this instant.
    Fixed(Timestamp),
}

impl Env {
    /// The process's environment: `AVMIGRATE_CONFIG_DIR` and `AVMIGRATE_DATA_DIR` override the
    /// platform's per-user directories.
    pub fn from_process() -> Env {
        let dirs = directories::ProjectDirs::from("", "", "avmigrate");
        let config_dir = std::env::var_os("AVMIGRATE_CONFIG_DIR")
            .map(PathBuf::from)
            .or_else(|| dirs.as_ref().map(|d| d.config_dir().to_path_buf()));
        let data_dir = std::env::var_os("AVMIGRATE_DATA_DIR")
            .map(PathBuf::from)
            .or_else(|| dirs.as_ref().map(|d| d.data_dir().to_path_buf()));
        Env {
            config_dir,
            data_dir,
            clock: Clock::System,
        }
    }

    /// An environment of its own under `root` (`root/config`, `root/data`) with a fixed clock.
    pub fn isolated(root: &Path, now: Timestamp) -> Env {
        Env {
            config_dir: Some(root.join("config")),
            data_dir: Some(root.join("data")),
            clock: Clock::Fixed(now),
        }
    }

    /// The current time.
    pub fn now(&self) -> Timestamp {
        match self.clock {
            Clock::System => Timestamp::now(),
            Clock::Fixed(t) => t,
        }
    }

    /// Today's date: the local calendar date on the system clock (see [`Date::today`]), the
    /// fixed instant's UTC date otherwise.
    pub fn today(&self) -> Date {
        match self.clock {
            Clock::System => Date::today(),
            Clock::Fixed(t) => t.date(),
        }
    }

    /// The user's login name (`USER`, or `USERNAME` on Windows), when set.
    pub fn login_name() -> Option<String> {
        std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .ok()
            .filter(|u| !u.trim().is_empty())
    }

    /// A file in the configuration directory.
    pub fn config_file(&self, name: &str) -> Option<PathBuf> {
        self.config_dir.as_ref().map(|d| d.join(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_isolated_env_keeps_its_own_dirs_and_time() {
        let now: Timestamp = "2026-11-28T10:00:00Z".parse().unwrap();
        let env = Env::isolated(Path::new("/x"), now);
        assert_eq!(
            env.config_file("keymap.toml").unwrap(),
            Path::new("/x/config/keymap.toml")
        );
        assert_eq!(env.data_dir.as_deref(), Some(Path::new("/x/data")));
        assert_eq!(env.now(), now);
        assert_eq!(env.today().to_string(), "2026-11-28");
    }
}
