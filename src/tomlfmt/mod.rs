//! The TOML writer ([`ser`]) and small helpers shared by the TOML readers.

pub mod ser;

use crate::error::{InputError, Location};

/// A TOML basic string with every character that needs it escaped.
pub fn quote(value: &str) -> String {
    let mut s = String::with_capacity(value.len() + 2);
    // Writing into a string cannot fail.
    let _ = ser::write_string(&mut s, value, ser::Escape::Plain);
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

/// The most brackets, braces, commas and equals signs that may follow each other (white space
/// and comments aside) in a TOML file.
pub const MAX_PUNCTUATION_RUN: usize = 64;

/// Refuses TOML text with a long run of punctuation outside strings (`,,,,`, `[[[[`, `[],[],`):
/// no inventory, plan or settings file has one, and the TOML parser holds every token of a
/// file in memory, so such a run would cost many times the file's size before the first
/// error is reported.
pub fn check_punctuation(text: &str, label: &str) -> Result<(), InputError> {
    let (mut run, mut quote, mut escaped, mut comment) = (0usize, None::<u8>, false, false);
    let mut line = 1;
    for &b in text.as_bytes() {
        if b == b'\n' {
            line += 1;
            comment = false;
        }
        if comment {
            continue;
        }
        if let Some(q) = quote {
            match b {
                _ if escaped => escaped = false,
                b'\\' if q == b'"' => escaped = true,
                _ if b == q => quote = None,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' | b'\'' => {
                quote = Some(b);
                run = 0;
            }
            b'#' => comment = true,
            b',' | b'[' | b']' | b'{' | b'}' | b'=' => {
                run += 1;
                if run > MAX_PUNCTUATION_RUN {
                    return Err(InputError::new(
                        Location::line(label, line),
                        format!(
                            "more than {MAX_PUNCTUATION_RUN} brackets, commas or equals signs \
                             in a row (the limit)"
                        ),
                    ));
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => run = 0,
        }
    }
    Ok(())
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

    #[test]
    fn punctuation_floods_are_refused_and_ordinary_toml_passes() {
        let ok = "a = [[1, 2], [3]] # ,,,,\n[[asset]]\nx = \"[[[[,,,,]]]]\"\n";
        assert!(check_punctuation(ok, "f").is_ok());
        let commas = format!("x = [{}\n", ",".repeat(100_000));
        let e = check_punctuation(&commas, "f").unwrap_err();
        assert_eq!(
            e.to_string(),
            "f:1: more than 64 brackets, commas or equals signs in a row (the limit)"
        );
        let nested = format!("\n\nx = {}", "[ ".repeat(65));
        assert_eq!(
            check_punctuation(&nested, "f").unwrap_err().location.line,
            Some(3)
        );
        let nested_ok = format!("x = {}1{}", "[".repeat(63), "]".repeat(63));
        assert!(check_punctuation(&nested_ok, "f").is_ok());
    }
}
