//! Large files (at least [`STREAM_FROM`](super::STREAM_FROM) bytes): the format is chosen
//! from the first bytes; a format that streams reads the file as a stream, any other reads it
//! whole.
//!
//! The encoding is judged from the first bytes too. When a file judged UTF-8 turns out to hold
//! an invalid byte further on, it is read again from the start as Windows-1252, as
//! [`decode`](super::decode::decode) reads such a file when it is read whole.

use super::decode::{self, StreamEncoding};
use super::{
    Content, FileCtx, FileReport, ImportOptions, Sink, check_not_empty, formats, io_error,
    read_error, read_file, read_text,
};
use crate::error::{InputError, Location};
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

/// How far the first bytes are read to choose the format and the encoding.
const PREFIX: usize = 256 * 1024;

/// Reads a large file.
pub(super) fn read(
    path: &Path,
    report: &mut FileReport,
    sink: &mut Sink,
    opts: &ImportOptions,
) -> Result<Content, InputError> {
    let label = report.path.clone();
    let mut file = crate::input::open(path, crate::input::INVENTORY_LIMIT)
        .map_err(|e| read_error(&label, e))?;
    let mut prefix = vec![0u8; PREFIX];
    let n = read_prefix(&mut file, &mut prefix).map_err(|e| io_error(&label, e))?;
    prefix.truncate(n);
    let enc = decode::sniff_stream(&label, &prefix)?;
    let warnings_before = sink.warnings.len();
    match attempt(path, file, &prefix, enc, report, sink, opts)? {
        Some(content) => Ok(content),
        None => {
            // Forget what the UTF-8 reading found and start again.
            *report = FileReport {
                path: label,
                ..FileReport::default()
            };
            sink.warnings.truncate(warnings_before);
            let file = crate::input::open(path, crate::input::INVENTORY_LIMIT)
                .map_err(|e| read_error(&report.path, e))?;
            let enc = decode::STREAM_WINDOWS_1252;
            match attempt(path, file, &prefix, enc, report, sink, opts)? {
                Some(content) => Ok(content),
                None => unreachable!("a Windows-1252 stream is never invalid"),
            }
        }
    }
}

/// Fills `buf` as far as the file goes (one `read` may return less).
fn read_prefix(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// Reads the file in the encoding `enc`; None when it was read as UTF-8 (without a byte-order
/// mark) and holds an invalid byte.
fn attempt(
    path: &Path,
    file: std::fs::File,
    prefix: &[u8],
    enc: StreamEncoding,
    report: &mut FileReport,
    sink: &mut Sink,
    opts: &ImportOptions,
) -> Result<Option<Content>, InputError> {
    let label = report.path.clone();
    let text = match enc.encoding {
        None => String::from_utf8_lossy(&prefix[enc.bom..]).into_owned(),
        Some(e) => e
            .decode_without_bom_handling(&prefix[enc.bom..])
            .0
            .into_owned(),
    };
    // Probe complete lines only.
    let cut = text.rfind('\n').map_or(text.len(), |i| i + 1);
    let probe = formats::Probe::new(&label, &text[..cut]);
    let mapped = opts.mapping.as_ref().is_some_and(|m| m.matches(&probe));
    let format = formats::choose(&probe, opts.input_format.as_deref(), &label);
    let stream = match (mapped, format) {
        (false, Ok(f)) => f.stream.map(|s| (f, s)),
        (false, Err(e)) => return Err(e),
        (true, _) => None,
    };
    let Some((format, stream)) = stream else {
        drop(file);
        let bytes = read_file(path, &label)?;
        return read_text(bytes, report, sink, opts).map(Some);
    };
    report.encoding = enc.name;
    let (mut reader, invalid) =
        decode::stream_reader(file, enc).map_err(|e| io_error(&label, e))?;
    let mut ctx = FileCtx {
        file: Arc::from(label.as_str()),
        origin_file: label.as_str().into(),
        sink,
        report,
        shared: super::interned::Shared::default(),
        first_skip: None,
        head: None,
        unmapped: None,
    };
    ctx.report.format = format.name;
    let content = stream(&mut reader, &mut ctx);
    match invalid.get() {
        None => check_not_empty(content?, &mut ctx).map(Some),
        Some(_) if enc.bom == 0 => Ok(None),
        Some(line) => Err(InputError::new(
            Location::line(label, line),
            "invalid UTF-8 in a file that starts with a UTF-8 byte-order mark",
        )),
    }
}

#[cfg(test)]
mod tests {
    use crate::inventory::{ImportOptions, Input, Loaded, load_inputs, load_sources};

    /// Reads `bytes` both through the streaming path and whole; checks that they agree.
    fn both(name: &str, bytes: &[u8]) -> Loaded {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let opts = ImportOptions::default();
        let streamed = load_inputs(vec![Input::File(name.into(), path)], &opts).expect("streams");
        let whole = load_sources(vec![(name.into(), bytes.to_vec())], &opts).expect("reads");
        assert_eq!(streamed.inventory.assets(), whole.inventory.assets());
        assert_eq!(streamed.files, whole.files);
        let text = |l: &Loaded| l.warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert_eq!(text(&streamed), text(&whole));
        streamed
    }

    /// ASCII rows beyond the first bytes read to choose the format and the encoding.
    fn filler(mut row: impl FnMut(usize) -> String) -> Vec<u8> {
        let mut out = String::new();
        let mut i = 0;
        while out.len() < super::PREFIX + 4096 {
            out.push_str(&row(i));
            i += 1;
        }
        out.into_bytes()
    }

    fn software_names(loaded: &Loaded, id: &str) -> Vec<String> {
        let asset = loaded.inventory.assets().iter().find(|a| a.id == id);
        let asset = asset.unwrap_or_else(|| panic!("no asset {id}"));
        asset.software.iter().map(|s| s.name.to_string()).collect()
    }

    #[test]
    fn a_windows_1252_byte_after_the_first_bytes_restarts_a_csv_stream() {
        let mut bytes = b"DeviceId,DeviceName,OSPlatform,OSVersion,SoftwareVendor,SoftwareName,SoftwareVersion\r\n".to_vec();
        bytes.extend(filler(|i| {
            format!("d{i},ws-{i:05}.example.local,Windows11,10.0,mozilla,firefox,123.0\r\n")
        }));
        bytes.extend(b"late,late-ws.example.local,Windows11,10.0,m\xFCller,m\xFCller_tool,1.0\r\n");
        let loaded = both("tvm.csv", &bytes);
        assert_eq!(loaded.files[0].format, "defender-tvm");
        assert_eq!(loaded.files[0].encoding, "windows-1252");
        assert_eq!(
            software_names(&loaded, "late-ws.example.local"),
            ["müller_tool"]
        );
    }

    #[test]
    fn a_windows_1252_byte_after_the_first_bytes_restarts_an_osquery_log() {
        let line = |host: &str, name: &str| {
            format!(
                "{{\"name\":\"pack_inventory_programs\",\"hostIdentifier\":\"{host}\",\"unixTime\":\"1741500000\",\"counter\":\"0\",\"action\":\"added\",\"columns\":{{\"name\":\"{name}\",\"version\":\"1.0\",\"publisher\":\"X\"}}}}\n"
            )
        };
        let mut bytes = filler(|i| line(&format!("ws-{i:05}"), "7-Zip"));
        let mut late = line("late-ws", "M#ller Tool").into_bytes();
        let at = late.iter().position(|&b| b == b'#').expect("placeholder");
        late[at] = 0xFC;
        bytes.extend(late);
        let loaded = both("osqueryd.results.log", &bytes);
        assert_eq!(loaded.files[0].format, "osquery-log");
        assert_eq!(loaded.files[0].encoding, "windows-1252");
        assert_eq!(software_names(&loaded, "late-ws"), ["Müller Tool"]);
    }

    #[test]
    fn an_excel_tab_separator_line_is_honoured_by_the_stream_and_the_whole_file() {
        let text = "sep=\t\r\nDeviceId\tDeviceName\tOSPlatform\tOSVersion\tSoftwareVendor\tSoftwareName\tSoftwareVersion\r\n\
            d1\tws-1.example.local\tWindows11\t10.0\tkaspersky\tendpoint_security\t12.6\r\n\
            d1\tws-1.example.local\tWindows11\t10.0\tacme\ttool, pro; edition\t1.0\r\n";
        let loaded = both("tab.csv", text.as_bytes());
        let f = &loaded.files[0];
        assert_eq!(
            (f.format, f.separator, f.rows),
            ("defender-tvm", Some('\t'), 2)
        );
        assert_eq!(
            software_names(&loaded, "ws-1.example.local"),
            ["endpoint_security", "tool, pro; edition"]
        );
    }

    #[test]
    fn invalid_utf8_after_a_byte_order_mark_is_an_error_naming_the_line() {
        let mut bytes = b"\xEF\xBB\xBFDeviceId,DeviceName,OSPlatform,OSVersion,SoftwareVendor,SoftwareName,SoftwareVersion\r\n".to_vec();
        bytes.extend(filler(|i| {
            format!("d{i},ws-{i:05}.example.local,Windows11,10.0,mozilla,firefox,123.0\r\n")
        }));
        let lines = bytes.iter().filter(|&&b| b == b'\n').count();
        bytes.extend(b"late,late-ws,Windows11,10.0,m\xFCller,tool,1.0\r\n");
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("tvm.csv");
        std::fs::write(&path, &bytes).expect("write");
        let input = Input::File("tvm.csv".into(), path);
        let err = load_inputs(vec![input], &ImportOptions::default()).expect_err("invalid");
        assert_eq!(
            err.to_string(),
            format!(
                "tvm.csv:{}: invalid UTF-8 in a file that starts with a UTF-8 byte-order mark",
                lines + 1
            )
        );
    }

    fn stream_error(name: &str, bytes: &[u8]) -> String {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let input = Input::File(name.into(), path);
        let err = load_inputs(vec![input], &ImportOptions::default()).expect_err("refused");
        err.to_string()
    }

    const TVM_HEADER: &[u8] =
        b"DeviceId,DeviceName,OSPlatform,OSVersion,SoftwareVendor,SoftwareName,SoftwareVersion\n";

    #[test]
    fn a_streamed_csv_row_over_the_column_limit_is_refused_naming_it() {
        let mut bytes = TVM_HEADER.to_vec();
        bytes.extend(b"d1,ws-1,Windows11,10.0,kaspersky,endpoint_security,12.6\n");
        bytes.extend(vec![b','; 20_000]);
        bytes.extend(b"\n");
        let e = stream_error("tvm.csv", &bytes);
        assert_eq!(
            e,
            "tvm.csv:3: row has 20001 columns, over the limit of 10000"
        );
    }

    #[test]
    fn a_streamed_record_without_end_is_refused_at_the_record_limit() {
        let huge = vec![b'x'; crate::input::RECORD_LIMIT + 300_000];
        for quoted in [false, true] {
            let mut bytes = TVM_HEADER.to_vec();
            bytes.extend(b"d1,ws-1,Windows11,10.0,kaspersky,");
            if quoted {
                bytes.push(b'"');
            }
            bytes.extend(&huge);
            let e = stream_error("tvm.csv", &bytes);
            assert!(e.contains("longer than 16 MiB"), "{e}");
        }
        let mut log = br#"{"name":"pack_inventory_programs","hostIdentifier":"ws-1","unixTime":"1741500000","counter":"0","action":"added","columns":{"name":"7-Zip","version":"1.0","publisher":"X"}}"#.to_vec();
        log.push(b'\n');
        log.extend(&huge);
        let e = stream_error("osqueryd.results.log", &log);
        assert!(e.starts_with("osqueryd.results.log:2: "), "{e}");
        assert!(e.contains("longer than 16 MiB"), "{e}");
    }

    #[test]
    fn a_streamed_header_may_span_lines_within_the_record_limit() {
        let mut bytes = TVM_HEADER[..TVM_HEADER.len() - 1].to_vec();
        bytes.extend(
            b",\"Note\nmore\"\nd1,ws-1,Windows11,10.0,kaspersky,endpoint_security,12.6,x\n",
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("tvm.csv");
        std::fs::write(&path, &bytes).expect("write");
        let input = Input::File("tvm.csv".into(), path);
        let loaded = load_inputs(vec![input], &ImportOptions::default()).expect("reads");
        assert_eq!(software_names(&loaded, "ws-1"), ["endpoint_security"]);
        let mut open = TVM_HEADER[..TVM_HEADER.len() - 1].to_vec();
        open.extend(b",\"Note\n");
        let line = [&[b'x'; 1000][..], b"\n"].concat();
        open.extend(line.repeat(crate::input::RECORD_LIMIT / 1000 + 10));
        let e = stream_error("tvm.csv", &open);
        assert!(e.contains("longer than 16 MiB"), "{e}");
    }
}
