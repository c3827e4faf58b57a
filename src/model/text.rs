//! Neutralising hostile text before it can reach a terminal or a report, and the shared
//! immutable [`Text`] that repeated values (software, OS, sites, tags) are kept in.

mod shared;

pub use shared::{Interner, Text, sharing_equal_texts};

/// Replaces control characters (C0, DEL, C1) and bidirectional overrides with safe stand-ins.
///
/// Tabs and line breaks become a space so that a value stays on one line; every other control
/// character becomes U+FFFD. Leading and trailing whitespace is trimmed.
pub fn clean(input: &str) -> String {
    if !needs_cleaning(input) {
        return input.to_string();
    }
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c if is_dangerous(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

/// Like [`clean`], but in place and only allocating when something must change.
pub fn clean_in_place(value: &mut String) {
    if needs_cleaning(value) {
        *value = clean(value);
    }
}

/// True when [`clean`] would change the text.
///
/// Pure printable ASCII without leading or trailing whitespace is decided on the bytes alone;
/// anything else falls back to the character scan.
pub fn needs_cleaning(input: &str) -> bool {
    let bytes = input.as_bytes();
    let printable = |b: &u8| (0x20..0x7f).contains(b);
    if bytes.iter().all(printable) {
        return bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ');
    }
    input.starts_with(char::is_whitespace)
        || input.ends_with(char::is_whitespace)
        || input
            .chars()
            .any(|c| matches!(c, '\t' | '\n' | '\r') || is_dangerous(c))
}

fn is_dangerous(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_neutralised() {
        assert_eq!(clean("evil\x1b[2Jname"), "evil\u{FFFD}[2Jname");
        assert_eq!(clean("a\u{9b}b"), "a\u{FFFD}b");
        assert_eq!(clean("x\u{202E}y"), "x\u{FFFD}y");
    }

    #[test]
    fn whitespace_is_flattened_and_trimmed() {
        assert_eq!(clean("  line1\nline2\t "), "line1 line2");
    }

    #[test]
    fn clean_text_is_unchanged() {
        assert_eq!(clean("Лаборатория Касперского"), "Лаборатория Касперского");
        let mut s = String::from("ok");
        clean_in_place(&mut s);
        assert_eq!(s, "ok");
    }

    #[test]
    fn byte_path_agrees_with_the_char_scan() {
        let slow = |input: &str| {
            input.starts_with(char::is_whitespace)
                || input.ends_with(char::is_whitespace)
                || input
                    .chars()
                    .any(|c| matches!(c, '\t' | '\n' | '\r') || is_dangerous(c))
        };
        for text in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "a b",
            "a\tb",
            "\x7f",
            "a\x1b",
            "~",
            "é",
            " é",
            "é\u{a0}",
            "\u{2028}x",
            "x\u{202e}",
            "KES 12.6",
            "a\r",
            "\u{85}",
        ] {
            assert_eq!(needs_cleaning(text), slow(text), "{text:?}");
        }
    }
}
