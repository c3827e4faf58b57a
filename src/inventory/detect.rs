//! Which format a file holds, judged from its content (never from its extension).

use regex::Regex;
use std::sync::LazyLock;

/// The formats the importer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// The native TOML inventory.
    NativeToml,
    /// Any CSV (assets, software or relations; decided from the headers).
    Csv,
    /// JSON (or JSON Lines), which no importer here reads.
    Json,
}

const KEY: &str = r#"(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"#;

/// A TOML table header (`[a.b]`, `[[asset]]`) or a `key = value` line.
static TOML_LINE: LazyLock<Regex> = LazyLock::new(|| {
    let dotted = format!(r"{KEY}(?:\s*\.\s*{KEY})*");
    let pattern = format!(r"^\s*(?:\[\[?\s*{dotted}\s*\]\]?\s*(?:#.*)?|{dotted}\s*=\s*\S.*)$");
    Regex::new(&pattern).expect("constant regex")
});

/// Native TOML when the first meaningful line (not blank, not a `#` comment) is a TOML table
/// header or `key = value`; CSV otherwise. A file of nothing but comments counts as TOML (an
/// inventory without assets), except a PowerShell `#TYPE` line, which starts a CSV.
pub(crate) fn detect(text: &str) -> Format {
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with("#TYPE ") || excel_separator_hint(raw).is_some() {
            return Format::Csv;
        }
        if line.starts_with('#') {
            continue;
        }
        return if TOML_LINE.is_match(line) {
            Format::NativeToml
        } else if looks_like_json(line) {
            Format::Json
        } else {
            Format::Csv
        };
    }
    Format::NativeToml
}

/// `{…` or `[` followed by a JSON value (not `[Name],[OS]`, a CSV header in SQL style).
fn looks_like_json(line: &str) -> bool {
    if line.starts_with('{') {
        return true;
    }
    line.strip_prefix('[').is_some_and(|rest| {
        let rest = rest.trim_start();
        rest.is_empty()
            || rest.starts_with(['{', '[', '"', ']'])
            || rest.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// The separator named by Excel's `sep=;` first line, when `line` (untrimmed: a tab is a
/// separator, not white space to trim) is one. The character is returned as written; only an
/// ASCII one can be used as a separator.
pub(crate) fn excel_separator_hint(line: &str) -> Option<char> {
    let line = line.trim_start_matches('\u{feff}').trim_start();
    let rest = line.trim_end_matches(['\n', '\r']).strip_prefix("sep=")?;
    let mut chars = rest.trim().chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        (None, _) if rest.starts_with('\t') => Some('\t'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_is_recognised_by_tables_and_keys() {
        assert_eq!(detect("[[asset]]\nid = \"a\"\n"), Format::NativeToml);
        assert_eq!(
            detect("# inventory\n\n  [[ asset ]] # first\n"),
            Format::NativeToml
        );
        assert_eq!(detect("asset = []\n"), Format::NativeToml);
        assert_eq!(detect("\"quoted key\".x = 1\n"), Format::NativeToml);
        assert_eq!(detect("# only a comment\n"), Format::NativeToml);
    }

    #[test]
    fn everything_else_is_csv() {
        assert_eq!(detect("id,name,os\n"), Format::Csv);
        assert_eq!(detect("\n\nNode,Name\n"), Format::Csv);
        assert_eq!(
            detect("#TYPE System.Data.DataRow\n\"a\",\"b\"\n"),
            Format::Csv
        );
        assert_eq!(detect("sep=;\nid;os\n"), Format::Csv);
        assert_eq!(detect("sep=\t\r\n[Name]\t[OS]\n"), Format::Csv);
        assert_eq!(detect("[Name],[OS]\n"), Format::Csv);
        assert_eq!(detect("hostname\n"), Format::Csv);
        assert_eq!(detect("Gerätename;Betriebssystem\n"), Format::Csv);
    }

    #[test]
    fn excel_separator_hints() {
        assert_eq!(excel_separator_hint("sep=;\r\n"), Some(';'));
        assert_eq!(excel_separator_hint("sep=\t"), Some('\t'));
        assert_eq!(excel_separator_hint("\u{feff}sep=\t\r\n"), Some('\t'));
        assert_eq!(excel_separator_hint("  sep=| \n"), Some('|'));
        assert_eq!(excel_separator_hint("sep="), None);
        assert_eq!(excel_separator_hint("sep= \n"), None);
        assert_eq!(excel_separator_hint("sep=;;"), None);
        assert_eq!(excel_separator_hint("id;sep=;"), None);
    }

    #[test]
    fn json_is_recognised() {
        assert_eq!(detect("[\n  {\"name\":\"x\"}\n]\n"), Format::Json);
        assert_eq!(
            detect("{\"name\":\"pack\"}\n{\"name\":\"pack\"}\n"),
            Format::Json
        );
        assert_eq!(detect("[{\"a\":1}]"), Format::Json);
        assert_eq!(detect("[]"), Format::Json);
        assert_eq!(detect("[Name],[OS]\n"), Format::Csv);
    }
}
