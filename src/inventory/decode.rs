//! Bytes → text: byte-order marks, BOM-less UTF-16, UTF-8, and the Windows-1252 fallback.

use crate::error::{InputError, Location};

/// A decoded file.
#[derive(Debug)]
pub(crate) struct Decoded {
    /// The text without any byte-order mark.
    pub text: String,
    /// "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be" | "windows-1252".
    pub encoding: &'static str,
}

/// Decodes a file. Fails for empty, binary and wrongly encoded files, naming line and column.
pub(crate) fn decode(label: &str, bytes: Vec<u8>) -> Result<Decoded, InputError> {
    let decoded = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let text = std::str::from_utf8(rest).map_err(|e| {
            let valid = String::from_utf8_lossy(&rest[..e.valid_up_to()]);
            let byte = rest.get(e.valid_up_to()).copied().unwrap_or(0);
            error_at(
                label,
                &valid,
                format!(
                    "invalid UTF-8 byte 0x{byte:02X} in a file that starts with a UTF-8 byte-order mark"
                ),
            )
        })?;
        Decoded {
            text: text.to_string(),
            encoding: "utf-8-bom",
        }
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        Decoded {
            text: utf16(label, rest, true)?,
            encoding: "utf-16le",
        }
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        Decoded {
            text: utf16(label, rest, false)?,
            encoding: "utf-16be",
        }
    } else if let Some(little_endian) = sniff_utf16(&bytes) {
        Decoded {
            text: utf16(label, &bytes, little_endian)?,
            encoding: if little_endian {
                "utf-16le"
            } else {
                "utf-16be"
            },
        }
    } else {
        // Vectorised: the whole file is searched on one core before its reading is shared.
        if memchr::memchr(0, &bytes).is_some() {
            return Err(binary(label));
        }
        match String::from_utf8(bytes) {
            Ok(text) => Decoded {
                text,
                encoding: "utf-8",
            },
            Err(e) => {
                let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(e.as_bytes());
                Decoded {
                    text: text.into_owned(),
                    encoding: "windows-1252",
                }
            }
        }
    };
    if decoded.text.trim().is_empty() {
        return Err(InputError::new(Location::file(label), "file is empty"));
    }
    if decoded.text.contains('\0') {
        return Err(binary(label));
    }
    Ok(decoded)
}

/// How to decode a file that is read as a stream: judged from its first bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StreamEncoding {
    /// Name as in [`Decoded::encoding`].
    pub name: &'static str,
    /// Bytes of byte-order mark to skip.
    pub bom: usize,
    /// None for UTF-8 (read as is), else the encoding to transcode from.
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

/// The encoding of a large file from its first bytes (a prefix), as [`decode`] would judge it.
pub(crate) fn sniff_stream(label: &str, prefix: &[u8]) -> Result<StreamEncoding, InputError> {
    let enc = |name, bom, encoding| StreamEncoding {
        name,
        bom,
        encoding,
    };
    if prefix.starts_with(b"\xEF\xBB\xBF") {
        return Ok(enc("utf-8-bom", 3, None));
    }
    if prefix.starts_with(b"\xFF\xFE") {
        return Ok(enc("utf-16le", 2, Some(encoding_rs::UTF_16LE)));
    }
    if prefix.starts_with(b"\xFE\xFF") {
        return Ok(enc("utf-16be", 2, Some(encoding_rs::UTF_16BE)));
    }
    match sniff_utf16(prefix) {
        Some(true) => return Ok(enc("utf-16le", 0, Some(encoding_rs::UTF_16LE))),
        Some(false) => return Ok(enc("utf-16be", 0, Some(encoding_rs::UTF_16BE))),
        None => {}
    }
    if prefix.contains(&0) {
        return Err(binary(label));
    }
    match std::str::from_utf8(prefix) {
        Ok(_) => Ok(enc("utf-8", 0, None)),
        // A multi-byte character cut at the end of the prefix is still UTF-8.
        Err(e) if e.error_len().is_none() => Ok(enc("utf-8", 0, None)),
        Err(_) => Ok(enc("windows-1252", 0, Some(encoding_rs::WINDOWS_1252))),
    }
}

/// The stream encoding for a file whose UTF-8 judgement turned out wrong: [`decode`] reads
/// any file with an invalid UTF-8 byte (and no byte-order mark) as Windows-1252.
pub(crate) const STREAM_WINDOWS_1252: StreamEncoding = StreamEncoding {
    name: "windows-1252",
    bom: 0,
    encoding: Some(encoding_rs::WINDOWS_1252),
};

/// Set by a UTF-8 stream that met an invalid byte: the 1-based line it is on.
pub(crate) type InvalidUtf8 = std::rc::Rc<std::cell::Cell<Option<usize>>>;

/// A buffered reader of decoded UTF-8 text over a file, per [`sniff_stream`]. A file read as
/// UTF-8 is checked as it goes: at the first invalid byte the reader fails and the returned
/// flag says where, so that the caller can start again in another encoding (or give up);
/// invalid bytes never reach the parser.
pub(crate) fn stream_reader(
    file: std::fs::File,
    enc: StreamEncoding,
) -> std::io::Result<(Box<dyn std::io::BufRead>, InvalidUtf8)> {
    use std::io::{BufReader, Read, Seek, SeekFrom};
    let mut file = file;
    file.seek(SeekFrom::Start(enc.bom as u64))?;
    let invalid = InvalidUtf8::default();
    let reader: Box<dyn std::io::BufRead> = match enc.encoding {
        None => Box::new(BufReader::with_capacity(
            1 << 20,
            Utf8Check::new(file, invalid.clone()),
        )),
        Some(e) => {
            let decoder = encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(e))
                .bom_override(false)
                .build(file);
            Box::new(BufReader::with_capacity(1 << 20, decoder.take(u64::MAX)))
        }
    };
    Ok((reader, invalid))
}

/// Passes bytes through while checking that they are UTF-8 (a character may be split
/// between two reads).
struct Utf8Check<R> {
    inner: R,
    /// The start of a character cut at the end of the previous read.
    pending: Vec<u8>,
    /// Line breaks passed so far.
    lines: usize,
    invalid: InvalidUtf8,
}

impl<R: std::io::Read> Utf8Check<R> {
    fn new(inner: R, invalid: InvalidUtf8) -> Self {
        Utf8Check {
            inner,
            pending: Vec::with_capacity(4),
            lines: 0,
            invalid,
        }
    }

    fn fail(&mut self, before: &[u8]) -> std::io::Error {
        let line = self.lines + before.iter().filter(|&&b| b == b'\n').count() + 1;
        self.invalid.set(Some(line));
        std::io::Error::new(std::io::ErrorKind::InvalidData, "invalid UTF-8")
    }

    /// Checks `data`, the bytes that follow what was checked before.
    fn check(&mut self, data: &[u8]) -> std::io::Result<()> {
        let mut rest = data;
        if let Some(&lead) = self.pending.first() {
            let width = match lead {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            let take = (width - self.pending.len()).min(rest.len());
            self.pending.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            match std::str::from_utf8(&self.pending) {
                Ok(_) => self.pending.clear(),
                Err(e) if e.error_len().is_none() => return Ok(()),
                Err(_) => return Err(self.fail(b"")),
            }
        }
        match std::str::from_utf8(rest) {
            Ok(_) => {}
            Err(e) if e.error_len().is_none() => {
                self.pending.extend_from_slice(&rest[e.valid_up_to()..]);
            }
            Err(e) => return Err(self.fail(&rest[..e.valid_up_to()])),
        }
        self.lines += rest.iter().filter(|&&b| b == b'\n').count();
        Ok(())
    }
}

impl<R: std::io::Read> std::io::Read for Utf8Check<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.invalid.get().is_some() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "invalid UTF-8",
            ));
        }
        let n = self.inner.read(buf)?;
        if n == 0 && !self.pending.is_empty() {
            return Err(self.fail(b""));
        }
        self.check(&buf[..n])?;
        Ok(n)
    }
}

fn binary(label: &str) -> InputError {
    InputError::new(Location::file(label), "binary file, not an inventory")
}

/// An error at the position just after `valid` (the text decoded so far).
fn error_at(label: &str, valid: &str, message: String) -> InputError {
    let line = valid.matches('\n').count() + 1;
    let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
    let column = valid[line_start..].chars().count() + 1;
    InputError::new(Location::at(label, line, column), message)
}

/// Detects BOM-less UTF-16 by its zero bytes: ASCII text has a zero in every other byte.
/// Returns `Some(true)` for little-endian, `Some(false)` for big-endian.
fn sniff_utf16(bytes: &[u8]) -> Option<bool> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let many = |n: usize| n * 10 >= pairs * 3;
    let few = |n: usize| n * 20 <= pairs;
    if many(odd) && few(even) {
        Some(true)
    } else if many(even) && few(odd) {
        Some(false)
    } else {
        None
    }
}

fn utf16(label: &str, bytes: &[u8], little_endian: bool) -> Result<String, InputError> {
    let units = bytes.chunks_exact(2).map(|p| {
        if little_endian {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let mut text = String::with_capacity(bytes.len());
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => text.push(c),
            Err(e) => {
                let message = format!(
                    "invalid UTF-16: unpaired surrogate 0x{:04X}",
                    e.unpaired_surrogate()
                );
                return Err(error_at(label, &text, message));
            }
        }
    }
    if !bytes.len().is_multiple_of(2) {
        let message = "invalid UTF-16: odd number of bytes (truncated file?)".to_string();
        return Err(error_at(label, &text, message));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn utf16be(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_be_bytes).collect()
    }

    fn ok(bytes: &[u8]) -> Decoded {
        decode("f", bytes.to_vec()).expect("decodes")
    }

    fn err(bytes: &[u8]) -> String {
        decode("f", bytes.to_vec()).expect_err("fails").to_string()
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let d = ok("id\nMüller\n".as_bytes());
        assert_eq!((d.text.as_str(), d.encoding), ("id\nMüller\n", "utf-8"));
        let d = ok(b"\xEF\xBB\xBFid\n");
        assert_eq!((d.text.as_str(), d.encoding), ("id\n", "utf-8-bom"));
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(utf16le("id\tos\r\nMüller\t😀\r\n"));
        let d = ok(&le);
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("id\tos\r\nMüller\t😀\r\n", "utf-16le")
        );
        let mut be = vec![0xFE, 0xFF];
        be.extend(utf16be("id;os\n"));
        let d = ok(&be);
        assert_eq!((d.text.as_str(), d.encoding), ("id;os\n", "utf-16be"));
    }

    #[test]
    fn utf16_without_bom_is_sniffed() {
        let d = ok(&utf16le("hostname,os\nws-1,Windows 11\n"));
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("hostname,os\nws-1,Windows 11\n", "utf-16le")
        );
        let d = ok(&utf16be("hostname,os\n"));
        assert_eq!(d.encoding, "utf-16be");
    }

    #[test]
    fn invalid_bytes_fall_back_to_windows_1252() {
        let d = ok(b"Ger\xE4tename;Standort\nws;M\xFCnchen \x80\n");
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(d.text, "Gerätename;Standort\nws;München €\n");
    }

    #[test]
    fn bom_with_invalid_bytes_names_line_and_column() {
        assert_eq!(
            err(b"\xEF\xBB\xBFid,os\nw\xC3\xA4s,\xFF\n"),
            "f:2:5: invalid UTF-8 byte 0xFF in a file that starts with a UTF-8 byte-order mark"
        );
        let mut le = vec![0xFF, 0xFE];
        le.extend(utf16le("a\nbc"));
        le.extend([0x00, 0xDC]);
        assert_eq!(err(&le), "f:2:3: invalid UTF-16: unpaired surrogate 0xDC00");
        let mut odd = vec![0xFF, 0xFE];
        odd.extend(utf16le("ab"));
        odd.push(b'c');
        assert!(err(&odd).starts_with("f:1:3: invalid UTF-16: odd number"));
    }

    #[test]
    fn empty_and_binary_files_are_refused() {
        assert_eq!(err(b""), "f: file is empty");
        assert_eq!(err(b" \r\n\t\n"), "f: file is empty");
        assert_eq!(err(b"\xEF\xBB\xBF\n"), "f: file is empty");
        assert_eq!(
            err(b"\x7FELF\x02\x01\x01\x00\x00\x00\xA0\x13"),
            "f: binary file, not an inventory"
        );
        assert_eq!(err(b"id\nab\x00cd\n"), "f: binary file, not an inventory");
    }

    /// Reads `bytes` through a [`Utf8Check`] `chunk` bytes at a time; the line of the first
    /// invalid byte, if any.
    fn check_in_chunks(bytes: &[u8], chunk: usize) -> Option<usize> {
        use std::io::Read;
        struct Chunks<'a>(&'a [u8], usize);
        impl Read for Chunks<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let invalid = InvalidUtf8::default();
        let mut reader = Utf8Check::new(Chunks(bytes, chunk), invalid.clone());
        let mut out = Vec::new();
        match reader.read_to_end(&mut out) {
            Ok(_) => {
                assert_eq!(out, bytes);
                assert_eq!(invalid.get(), None);
            }
            Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::InvalidData),
        }
        invalid.get()
    }

    #[test]
    fn utf8_streams_are_checked_across_reads() {
        let good = "id\nMüller 😀 €\nЛаборатория\n".as_bytes();
        for chunk in 1..8 {
            assert_eq!(check_in_chunks(good, chunk), None, "chunk {chunk}");
            assert_eq!(check_in_chunks(b"id\nab\ncd M\xFCller\n", chunk), Some(3));
            // A character cut by the end of the file, and a lead byte with a bad follower.
            assert_eq!(check_in_chunks(b"id\n\xE2\x82", chunk), Some(2));
            assert_eq!(check_in_chunks(b"\xE2\x82A\n", chunk), Some(1));
            assert_eq!(
                check_in_chunks(b"\n\n\xF0\x9F\x98\x80\xF0\x9F", chunk),
                Some(3)
            );
        }
    }

    #[test]
    fn random_binary_with_zeros_is_not_taken_for_utf16() {
        let bytes: Vec<u8> = (0u32..2000).map(|i| (i * 7919 % 251) as u8).collect();
        assert_eq!(sniff_utf16(&bytes), None);
    }
}
