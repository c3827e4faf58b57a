//! Undoing the code-page mangling of `osqueryi … > out.json` in Windows PowerShell: the
//! console decodes osqueryi's UTF-8 output with the OEM code page (cp850 in Western Europe)
//! before writing the file, so "Müller" arrives as "M├╝ller".

/// Code page 850, bytes 0x80–0xFF.
const CP850_HIGH: [u16; 128] = [
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7, //
    0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5, //
    0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9, //
    0x00FF, 0x00D6, 0x00DC, 0x00F8, 0x00A3, 0x00D8, 0x00D7, 0x0192, //
    0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA, //
    0x00BF, 0x00AE, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB, //
    0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x00C1, 0x00C2, 0x00C0, //
    0x00A9, 0x2563, 0x2551, 0x2557, 0x255D, 0x00A2, 0x00A5, 0x2510, //
    0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x00E3, 0x00C3, //
    0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x00A4, //
    0x00F0, 0x00D0, 0x00CA, 0x00CB, 0x00C8, 0x0131, 0x00CD, 0x00CE, //
    0x00CF, 0x2518, 0x250C, 0x2588, 0x2584, 0x00A6, 0x00CC, 0x2580, //
    0x00D3, 0x00DF, 0x00D4, 0x00D2, 0x00F5, 0x00D5, 0x00B5, 0x00FE, //
    0x00DE, 0x00DA, 0x00DB, 0x00D9, 0x00FD, 0x00DD, 0x00AF, 0x00B4, //
    0x00AD, 0x00B1, 0x2017, 0x00BE, 0x00B6, 0x00A7, 0x00F7, 0x00B8, //
    0x00B0, 0x00A8, 0x00B7, 0x00B9, 0x00B3, 0x00B2, 0x25A0, 0x00A0, //
];

/// The text as it was before a cp850 console mangled it, when it evidently was: every
/// character maps back to a cp850 byte and those bytes are valid UTF-8 with at least one
/// multi-byte character. Genuine text almost never passes this test (an umlaut alone is an
/// invalid UTF-8 byte in cp850), so correct values stay as they are (None).
pub(crate) fn repair(text: &str) -> Option<String> {
    if text.is_ascii() {
        return None;
    }
    let mut bytes = Vec::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            bytes.push(c as u8);
            continue;
        }
        let code = u16::try_from(u32::from(c)).ok()?;
        let index = CP850_HIGH.iter().position(|&u| u == code)?;
        bytes.push(0x80 + index as u8);
    }
    let fixed = String::from_utf8(bytes).ok()?;
    (!fixed.chars().any(char::is_control)).then_some(fixed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mangled_text_is_repaired() {
        assert_eq!(
            repair("M├╝ller Maschinenbau GmbH").as_deref(),
            Some("Müller Maschinenbau GmbH")
        );
        assert_eq!(
            repair("ðøð░ð▒ð¥ÐÇð░Ðéð¥ÐÇð©ÐÅ ð║ð░Ðüð┐ðÁÐÇÐüð║ð¥ð│ð¥").as_deref(),
            Some("Лаборатория касперского")
        );
    }

    #[test]
    fn genuine_text_is_left_alone() {
        for text in [
            "Müller",
            "Straße 5",
            "© 2024 AO Kaspersky Lab",
            "Лаборатория",
            "plain",
            "São Paulo",
        ] {
            assert_eq!(repair(text), None, "{text}");
        }
    }
}
