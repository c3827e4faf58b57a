//! Keys to actions, per context; the default keymap is embedded, a user file overrides it.
//! Resolving a key is a pure function, so it is tested without a terminal.

use super::action::Action;
use super::state::Screen;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;
use strum::VariantArray;

/// The embedded default keymap.
pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

/// Where keys are looked up. Screens (and the asset detail) fall back to `Global`; overlays do
/// not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Context {
    /// Every screen.
    Global,
    /// One screen (its section is named after it: `[assets]`).
    Screen(Screen),
    /// The asset detail view.
    Detail,
    /// The help overlay.
    Help,
    /// The command palette.
    Palette,
    /// A list picker.
    Picker,
    /// A yes/no question.
    Confirm,
    /// A form of several fields (the plan settings).
    Form,
}

impl Context {
    /// Every context, in keymap-file order.
    fn all() -> impl Iterator<Item = Context> {
        let overlays = [
            Context::Detail,
            Context::Help,
            Context::Palette,
            Context::Picker,
            Context::Confirm,
            Context::Form,
        ];
        std::iter::once(Context::Global)
            .chain(Screen::VARIANTS.iter().map(|s| Context::Screen(*s)))
            .chain(overlays)
    }

    /// The section name in keymap files.
    pub fn name(self) -> &'static str {
        match self {
            Context::Screen(screen) => screen.name(),
            other => other.into(),
        }
    }

    fn is_screen(self) -> bool {
        matches!(self, Context::Screen(_) | Context::Detail)
    }
}

/// A key with modifiers, normalised: characters carry no SHIFT (the case says it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    code: KeyCodeOrd,
    ctrl: bool,
    alt: bool,
    shift: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum KeyCodeOrd {
    Char(char),
    F(u8),
    Named(&'static str),
}

const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
];

impl Key {
    /// Normalises a crossterm key event.
    pub fn from_event(ev: &KeyEvent) -> Option<Key> {
        let m = ev.modifiers;
        let code = match ev.code {
            KeyCode::Char(' ') => KeyCodeOrd::Named("space"),
            KeyCode::Char(c) => KeyCodeOrd::Char(c),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            KeyCode::BackTab => KeyCodeOrd::Named("backtab"),
            other => KeyCodeOrd::Named(NAMED.iter().find(|(_, k)| *k == other)?.0),
        };
        let is_char = matches!(code, KeyCodeOrd::Char(_));
        Some(Key {
            code,
            ctrl: m.contains(KeyModifiers::CONTROL),
            alt: m.contains(KeyModifiers::ALT),
            shift: m.contains(KeyModifiers::SHIFT)
                && !is_char
                && code != KeyCodeOrd::Named("backtab"),
        })
    }

    /// Parses "ctrl-s", "G", "?", "shift-tab", "f1", "space".
    pub fn parse(text: &str) -> Option<Key> {
        let mut rest = text.trim();
        let (mut ctrl, mut alt, mut shift) = (false, false, false);
        loop {
            let lower = rest.to_lowercase();
            if rest.chars().count() > 1 && lower.starts_with("ctrl-") {
                ctrl = true;
                rest = &rest[5..];
            } else if rest.chars().count() > 1 && lower.starts_with("alt-") {
                alt = true;
                rest = &rest[4..];
            } else if rest.chars().count() > 1 && lower.starts_with("shift-") {
                shift = true;
                rest = &rest[6..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                let c = if shift { c.to_ascii_uppercase() } else { c };
                shift = false;
                // Terminals report ctrl-letters in lower case.
                KeyCodeOrd::Char(if ctrl { c.to_ascii_lowercase() } else { c })
            }
            _ => {
                let lower = rest.to_lowercase();
                if lower == "space" {
                    KeyCodeOrd::Named("space")
                } else if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    KeyCodeOrd::F(n)
                } else if lower == "shift-tab" || (shift && lower == "tab") {
                    shift = false;
                    KeyCodeOrd::Named("backtab")
                } else {
                    KeyCodeOrd::Named(NAMED.iter().find(|(n, _)| *n == lower)?.0)
                }
            }
        };
        Some(Key {
            code,
            ctrl,
            alt,
            shift,
        })
    }

    /// The canonical text, as shown in help ("ctrl-s", "G", "space").
    pub fn label(&self) -> String {
        let mut s = String::new();
        if self.ctrl {
            s.push_str("ctrl-");
        }
        if self.alt {
            s.push_str("alt-");
        }
        if self.shift {
            s.push_str("shift-");
        }
        match self.code {
            KeyCodeOrd::Char(c) => s.push(c),
            KeyCodeOrd::F(n) => s.push_str(&format!("f{n}")),
            KeyCodeOrd::Named(n) => s.push_str(n),
        }
        s
    }
}

/// The resolved keymap.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: BTreeMap<Context, Vec<(Action, Vec<Key>)>>,
}

impl Keymap {
    /// The default keymap.
    pub fn default_keymap() -> Keymap {
        let mut map = Keymap {
            bindings: BTreeMap::new(),
        };
        // The embedded file is part of the build; its test guarantees it parses.
        let _ = map.apply(DEFAULT_KEYMAP);
        map
    }

    /// The default keymap with the user's file applied; problems are returned as messages.
    pub fn with_user_file(text: Option<&str>) -> (Keymap, Vec<String>) {
        let mut map = Keymap::default_keymap();
        let problems = match text {
            Some(t) => map.apply(t),
            None => Vec::new(),
        };
        (map, problems)
    }

    /// Applies a keymap file: every action it lists gets exactly the keys given, and those keys
    /// are taken from the other actions of that context.
    pub fn apply(&mut self, text: &str) -> Vec<String> {
        let mut problems = Vec::new();
        let table: toml::Table = match text.parse() {
            Ok(t) => t,
            Err(e) => return vec![format!("keymap: {}", e.message())],
        };
        for (section, value) in table {
            let Some(ctx) = Context::all().find(|c| c.name() == section) else {
                problems.push(format!("keymap: unknown section [{section}]"));
                continue;
            };
            let Some(entries) = value.as_table() else {
                problems.push(format!("keymap: [{section}] must be a table"));
                continue;
            };
            let mut given: Vec<(Action, Vec<Key>)> = Vec::new();
            for (name, keys) in entries {
                let Some(action) = Action::from_name(name) else {
                    problems.push(format!("keymap: [{section}] unknown action \"{name}\""));
                    continue;
                };
                let list: Vec<&str> = match keys {
                    toml::Value::String(s) => vec![s.as_str()],
                    toml::Value::Array(a) => a.iter().filter_map(|v| v.as_str()).collect(),
                    _ => {
                        problems.push(format!("keymap: [{section}] {name}: expected key names"));
                        continue;
                    }
                };
                let mut parsed = Vec::new();
                for k in list {
                    match Key::parse(k) {
                        Some(key) => parsed.push(key),
                        None => problems
                            .push(format!("keymap: [{section}] {name}: unknown key \"{k}\"")),
                    }
                }
                given.push((action, parsed));
            }
            // A key given to two actions of one section: neither gets it (the file's order is
            // not kept, so there is no "later one wins").
            let mut owners: BTreeMap<Key, Vec<Action>> = BTreeMap::new();
            for (action, keys) in &given {
                for k in keys {
                    let v = owners.entry(*k).or_default();
                    if !v.contains(action) {
                        v.push(*action);
                    }
                }
            }
            for (k, actions) in owners.iter().filter(|(_, a)| a.len() > 1) {
                let names: Vec<&str> = actions.iter().map(|a| a.name()).collect();
                problems.push(format!(
                    "keymap: [{section}] \"{}\" is given to {}; ignored",
                    k.label(),
                    names.join(" and "),
                ));
            }
            let entries = self.bindings.entry(ctx).or_default();
            for (action, mut keys) in given {
                keys.retain(|k| owners.get(k).is_none_or(|a| a.len() == 1));
                // A key given to this action is taken from any other action of the context,
                // so that help and hints never show one key for two actions.
                for (other, their) in entries.iter_mut() {
                    if *other != action {
                        their.retain(|k| !keys.contains(k));
                    }
                }
                match entries.iter_mut().find(|(a, _)| *a == action) {
                    Some(slot) => slot.1 = keys,
                    None => entries.push((action, keys)),
                }
            }
        }
        problems
    }

    /// The action a key triggers in a context (screens fall back to the global keys).
    pub fn resolve(&self, ctx: Context, key: &Key) -> Option<Action> {
        let find = |c: Context| {
            self.bindings.get(&c).and_then(|v| {
                v.iter()
                    .find(|(_, keys)| keys.contains(key))
                    .map(|(a, _)| *a)
            })
        };
        find(ctx).or_else(|| {
            if ctx.is_screen() {
                find(Context::Global)
            } else {
                None
            }
        })
    }

    /// The keys of an action in a context (with the global fallback for screens).
    pub fn keys_for(&self, ctx: Context, action: Action) -> Vec<String> {
        let lookup = |c: Context| {
            self.bindings
                .get(&c)
                .and_then(|v| v.iter().find(|(a, _)| *a == action))
                .map(|(_, keys)| keys.iter().map(Key::label).collect::<Vec<_>>())
        };
        lookup(ctx)
            .or_else(|| {
                if ctx.is_screen() {
                    lookup(Context::Global)
                } else {
                    None
                }
            })
            .unwrap_or_default()
    }

    /// How a sentence names the key of an action: its first key in the context, else the way
    /// through the command palette (": generate_plan").
    pub fn hint(&self, ctx: Context, action: Action) -> String {
        if let Some(k) = self.keys_for(ctx, action).into_iter().next() {
            return k;
        }
        match self
            .keys_for(Context::Global, Action::Palette)
            .into_iter()
            .next()
        {
            Some(p) => format!("{p} {}", action.name()),
            None => action.name().to_string(),
        }
    }

    /// Every (action, keys) pair of a context, in file order, for help.
    pub fn bindings(&self, ctx: Context) -> Vec<(Action, Vec<String>)> {
        self.bindings
            .get(&ctx)
            .map(|v| {
                v.iter()
                    .map(|(a, keys)| (*a, keys.iter().map(Key::label).collect()))
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, m: KeyModifiers) -> Key {
        Key::from_event(&KeyEvent::new(code, m)).unwrap()
    }

    #[test]
    fn default_keymap_parses_cleanly() {
        let mut map = Keymap {
            bindings: BTreeMap::new(),
        };
        assert_eq!(map.apply(DEFAULT_KEYMAP), Vec::<String>::new());
    }

    #[test]
    fn keys_parse_and_match_events() {
        assert_eq!(
            Key::parse("ctrl-s"),
            Some(ev(KeyCode::Char('s'), KeyModifiers::CONTROL))
        );
        assert_eq!(
            Key::parse("G"),
            Some(ev(KeyCode::Char('G'), KeyModifiers::SHIFT))
        );
        assert_eq!(
            Key::parse("space"),
            Some(ev(KeyCode::Char(' '), KeyModifiers::NONE))
        );
        assert_eq!(
            Key::parse("backtab"),
            Some(ev(KeyCode::BackTab, KeyModifiers::SHIFT))
        );
        assert_eq!(Key::parse("shift-tab"), Key::parse("backtab"));
        assert_eq!(
            Key::parse("f1"),
            Some(ev(KeyCode::F(1), KeyModifiers::NONE))
        );
        assert_eq!(Key::parse("?").unwrap().label(), "?");
        assert_eq!(Key::parse("nonsense"), None);
    }

    #[test]
    fn screens_fall_back_to_global_but_overlays_do_not() {
        let map = Keymap::default_keymap();
        let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            map.resolve(Context::Screen(Screen::Assets), &q),
            Some(Action::Quit)
        );
        assert_eq!(map.resolve(Context::Help, &q), Some(Action::Back));
        assert_eq!(
            map.resolve(Context::Picker, &q),
            None,
            "typed into the picker"
        );
        let slash = ev(KeyCode::Char('/'), KeyModifiers::NONE);
        assert_eq!(
            map.resolve(Context::Screen(Screen::Assets), &slash),
            Some(Action::Filter)
        );
        assert_eq!(
            map.resolve(Context::Screen(Screen::Dashboard), &slash),
            None
        );
        let down = ev(KeyCode::Down, KeyModifiers::NONE);
        let j = ev(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(
            map.resolve(Context::Screen(Screen::Waves), &down),
            Some(Action::Down)
        );
        assert_eq!(
            map.resolve(Context::Screen(Screen::Waves), &j),
            Some(Action::Down)
        );
    }

    #[test]
    fn user_file_overrides_and_reports_problems() {
        let (map, problems) = Keymap::with_user_file(Some(
            "[global]\nquit = [\"ctrl-q\"]\n[assets]\nbogus = [\"x\"]\nfilter = [\"nokey\"]\n",
        ));
        let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        let cq = ev(KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert_eq!(map.resolve(Context::Screen(Screen::Assets), &q), None);
        assert_eq!(
            map.resolve(Context::Screen(Screen::Assets), &cq),
            Some(Action::Quit)
        );
        assert_eq!(problems.len(), 2);
        assert!(problems[0].contains("bogus"));
        assert_eq!(
            map.keys_for(Context::Screen(Screen::Assets), Action::Quit),
            vec!["ctrl-q"]
        );
    }
}
