//! The app's own settings in `config.toml` in the config directory: the theme last chosen and
//! the name edits are recorded under. Read at start; written by a worker when they change,
//! keeping whatever else the file holds.

use super::theme::ThemeName;
use crate::env::Env;

/// The file's name in the config directory.
pub const FILE: &str = "config.toml";

/// What the app keeps between sessions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserConfig {
    /// The theme last chosen.
    pub theme: Option<ThemeName>,
    /// The name recorded in the plan's history (`by`).
    pub user: Option<String>,
}

/// Reads `config.toml`; a missing or unreadable file gives the defaults.
pub fn read(env: &Env) -> UserConfig {
    let table = env
        .config_file(FILE)
        .and_then(|p| crate::input::read_text(&p, crate::input::CONFIG_LIMIT).ok())
        .and_then(|t| t.parse::<toml::Table>().ok())
        .unwrap_or_default();
    let text = |key: &str| table.get(key).and_then(|v| v.as_str()).map(str::to_string);
    UserConfig {
        theme: text("theme").as_deref().and_then(ThemeName::from_name),
        user: text("user")
            .map(|u| crate::model::text::clean(u.trim()))
            .filter(|u| !u.is_empty()),
    }
}

/// Writes the given values into `config.toml` (atomically), keeping its other keys.
pub fn write(env: &Env, update: &UserConfig) -> Result<(), String> {
    let path = env
        .config_file(FILE)
        .ok_or("no config directory on this system")?;
    let mut table = crate::input::read_text(&path, crate::input::CONFIG_LIMIT)
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok())
        .unwrap_or_default();
    if let Some(theme) = update.theme {
        table.insert("theme".into(), theme.as_str().into());
    }
    if let Some(user) = &update.user {
        table.insert("user".into(), user.as_str().into());
    }
    let text = toml::to_string(&table).map_err(|e| e.to_string())?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    crate::store::write_atomic(&path, text.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_values_read_back_and_other_keys_stay() {
        let dir = tempfile::tempdir().unwrap();
        let env = Env::isolated(dir.path(), "2026-11-28T10:00:00Z".parse().unwrap());
        assert_eq!(read(&env), UserConfig::default());
        std::fs::create_dir_all(dir.path().join("config")).unwrap();
        std::fs::write(env.config_file(FILE).unwrap(), "mine = 1\n").unwrap();
        let update = UserConfig {
            theme: Some(ThemeName::Light),
            user: Some("Jana Weber".into()),
        };
        write(&env, &update).unwrap();
        assert_eq!(read(&env), update);
        let text = std::fs::read_to_string(env.config_file(FILE).unwrap()).unwrap();
        assert!(text.contains("mine = 1"), "{text}");
    }
}
