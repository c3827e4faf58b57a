//! Small helpers shared by the TOML writers and readers.

use crate::error::{InputError, Location};

/// A TOML basic string with every character that needs it escaped.
pub fn quote(value: &str) -> String {
    let mut s = String::with_capacity(value.len() + 2);
    s.push('"');
    for c in value.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\t' => s.push_str("\\t"),
            '\r' => s.push_str("\\r"),
            c if c.is_control() => {
                let _ = std::fmt::Write::write_fmt(&mut s, format_args!("\\u{:04X}", c as u32));
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map(|p| p + 1)
        .unwrap_or(0);
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
}

/// A toml parse error as a one-line message with file, line and column.
pub fn error_location(text: &str, label: &str, err: &toml::de::Error) -> InputError {
    let location = match err.span() {
        Some(span) => {
            let (line, col) = line_col(text, span.start);
            Location::at(label, line, col)
        }
        None => Location::file(label),
    };
    let message = err
        .message()
        .lines()
        .next()
        .unwrap_or("invalid TOML")
        .to_string();
    InputError::new(location, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_strings_parse_back() {
        for s in [
            "plain",
            "qu\"ote",
            "back\\slash",
            "new\nline",
            "bell\x07",
            "Größe ✓",
        ] {
            let doc = format!("v = {}", quote(s));
            let t: toml::Table = doc.parse().unwrap();
            assert_eq!(t["v"].as_str(), Some(s));
        }
    }

    #[test]
    fn errors_name_line_and_column() {
        let text = "a = 1\nb = = 2\n";
        let err = text.parse::<toml::Table>().unwrap_err();
        let _ = err;
        let e = toml::from_str::<toml::Table>(text).unwrap_err();
        let ie = error_location(text, "p.toml", &e);
        assert_eq!(ie.location.line, Some(2));
        assert!(ie.to_string().starts_with("p.toml:2:"));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }
}
