//! The per-asset records of `analyze --format json`, encoded by hand: a million assets make
//! half a gigabyte of JSON, and going through serde took a quarter of the command's time.
//! The bytes are exactly what `serde_json::to_writer` makes of the same records (the tests
//! compare both); a finding (the same software, rule and reason on thousands of assets) is
//! encoded once and copied after.

use super::analyze_json::{DirectAsset, FindingOut, IndirectAsset};
use foldhash::fast::FixedState;
use hashbrown::HashMap;
use std::borrow::Cow;

/// Distinct findings remembered; an estate with more encodes the rest each time.
const MEMO_LIMIT: usize = 1 << 16;

/// Identifies a finding by the addresses and lengths of its borrowed texts: they all live
/// as long as the encoder's borrow of the analysis, so equal keys mean equal findings.
type Key = [usize; 11];

/// Encodes records, remembering the encoding of each distinct finding.
#[derive(Default)]
pub(super) struct Encoder {
    findings: HashMap<Key, Box<[u8]>, FixedState>,
}

impl Encoder {
    /// Appends the record of a direct asset.
    pub(super) fn direct(&mut self, out: &mut Vec<u8>, d: &DirectAsset<'_>) {
        out.extend_from_slice(b"{\"id\":");
        string(out, d.id);
        out.extend_from_slice(b",\"name\":");
        opt_string(out, d.name);
        out.extend_from_slice(b",\"products\":");
        strings(out, d.products.iter().copied());
        out.extend_from_slice(b",\"roles\":");
        strings(out, d.roles.iter().copied());
        out.extend_from_slice(b",\"impact\":");
        number(out, u64::from(d.impact));
        if let Some(max) = d.impact_max {
            out.extend_from_slice(b",\"impact_max\":");
            number(out, u64::from(max));
        }
        out.extend_from_slice(b",\"findings\":[");
        for (k, f) in d.findings.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            self.finding(out, f);
        }
        out.extend_from_slice(b"]}");
    }

    fn finding(&mut self, out: &mut Vec<u8>, f: &FindingOut<'_>) {
        // An owned software text (an OS finding) is a temporary: its address is no key.
        let Cow::Borrowed(software) = f.software else {
            return finding(out, f);
        };
        let span = |s: &str| [s.as_ptr() as usize, s.len()];
        let version = f.version.map_or([0, 0], span);
        let [a, b] = span(software);
        let [c, d] = span(f.rule);
        let [e, g] = span(f.product);
        let [h, i] = span(f.reason);
        let role = f.role.as_ptr() as usize;
        let key = [a, b, version[0], version[1], c, d, e, g, h, i, role];
        if let Some(bytes) = self.findings.get(&key) {
            return out.extend_from_slice(bytes);
        }
        let from = out.len();
        finding(out, f);
        if self.findings.len() < MEMO_LIMIT {
            self.findings.insert(key, out[from..].into());
        }
    }
}

fn finding(out: &mut Vec<u8>, f: &FindingOut<'_>) {
    out.extend_from_slice(b"{\"software\":");
    string(out, &f.software);
    out.extend_from_slice(b",\"version\":");
    opt_string(out, f.version);
    out.extend_from_slice(b",\"rule\":");
    string(out, f.rule);
    out.extend_from_slice(b",\"product\":");
    string(out, f.product);
    out.extend_from_slice(b",\"role\":");
    string(out, f.role);
    out.extend_from_slice(b",\"reason\":");
    string(out, f.reason);
    out.push(b'}');
}

/// Appends the record of an indirect asset.
pub(super) fn indirect(out: &mut Vec<u8>, r: &IndirectAsset<'_>) {
    out.extend_from_slice(b"{\"id\":");
    string(out, r.id);
    out.extend_from_slice(b",\"next\":");
    string(out, r.next);
    out.extend_from_slice(b",\"depth\":");
    number(out, r.depth as u64);
    out.extend_from_slice(b",\"root\":");
    string(out, r.root);
    if let Some(via) = &r.via {
        out.extend_from_slice(b",\"via\":");
        strings(out, via.iter().copied());
    }
    out.push(b'}');
}

fn strings<'s>(out: &mut Vec<u8>, items: impl Iterator<Item = &'s str>) {
    out.push(b'[');
    for (k, s) in items.enumerate() {
        if k > 0 {
            out.push(b',');
        }
        string(out, s);
    }
    out.push(b']');
}

fn opt_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// A JSON string as serde_json writes it: `"` and `\` escaped, control characters as `\b`,
/// `\t`, `\n`, `\f`, `\r` or `\u00xx`, everything else as it is.
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    // Most texts need no escape; this test has no early exit, so it runs on whole words.
    let plain = bytes
        .iter()
        .fold(true, |ok, &b| ok & (b >= 0x20) & (b != b'"') & (b != b'\\'));
    if plain {
        out.extend_from_slice(bytes);
    } else {
        escaped(out, bytes);
    }
    out.push(b'"');
}

fn escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut start = 0;
    for (k, &b) in bytes.iter().enumerate() {
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x0C => b'f',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0..=0x1F => b'u',
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..k]);
        start = k + 1;
        if short == b'u' {
            let hex = [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xF)]];
            out.extend_from_slice(b"\\u00");
            out.extend_from_slice(&hex);
        } else {
            out.extend_from_slice(&[b'\\', short]);
        }
    }
    out.extend_from_slice(&bytes[start..]);
}

fn number(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn direct<'a>(
        id: &'a str,
        name: Option<&'a str>,
        impact_max: Option<u32>,
        findings: Vec<FindingOut<'a>>,
    ) -> DirectAsset<'a> {
        DirectAsset::for_test(id, name, impact_max, findings)
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let nasty: String = (0u8..0x80)
            .map(char::from)
            .chain("äß€\u{2028}".chars())
            .collect();
        for s in ["", "plain", "a\"b\\c", "tab\there\r\n", nasty.as_str()] {
            let mut out = Vec::new();
            string(&mut out, s);
            assert_eq!(out, serde_json::to_vec(s).unwrap(), "{s:?}");
        }
        for n in [0u64, 7, 10, 4_294_967_295, u64::MAX] {
            let mut out = Vec::new();
            number(&mut out, n);
            assert_eq!(out, n.to_string().as_bytes());
        }
    }

    #[test]
    fn records_are_byte_for_byte_serde_json() {
        let reason = String::from("name matches /(?i)kaspersky.*\\s*agent/");
        let finding = |software, version| FindingOut::for_test(software, version, &reason);
        let records = [
            direct("ws-1", Some("WS \"1\""), None, vec![]),
            direct(
                "a\\b",
                None,
                Some(12),
                vec![
                    finding(Cow::Borrowed("KES"), Some("12.6")),
                    finding(Cow::Owned("OS: KasperskyOS".into()), None),
                    finding(Cow::Borrowed("KES"), Some("12.6")),
                ],
            ),
        ];
        let mut encoder = Encoder::default();
        for d in &records {
            // Twice: the second time the findings come from the memo.
            for _ in 0..2 {
                let mut out = Vec::new();
                encoder.direct(&mut out, d);
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    serde_json::to_string(d).unwrap()
                );
            }
        }
        for via in [None, Some(vec!["b", "c\u{1}"])] {
            let r = IndirectAsset::for_test("a", "b", 2, "c\u{1}", via);
            let mut out = Vec::new();
            indirect(&mut out, &r);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&r).unwrap()
            );
        }
    }
}
