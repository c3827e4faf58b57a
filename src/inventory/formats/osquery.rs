//! `osqueryi --json` output: one JSON array of flat objects per table (`programs`,
//! `deb_packages`, `rpm_packages`, `apps`, `system_info`, `os_version`), keys sorted, every
//! value a string; `--json_pretty` spreads each object over several lines. The table is told
//! by the keys of the first object.
//!
//! osqueryi output names no host: a `hostname` column (a `system_info` row, or a query that
//! joins it) says which machine a row is about, else the file name does — see
//! [`host_from_file_name`].

use super::osquery_row::{Device, Item, Row, Table, map};
use super::probe::first_object;
use super::{JsonForm, Probe};
use crate::error::{InputError, Location};
use crate::inventory::{Content, Explicit, FileCtx, Mixed, Record, SoftwareRow, tidy};
use crate::model::{Asset, Origin, Os};

/// How the host of an osqueryi file is found (shown by `inspect`).
const HOST_RULE: (&str, &str) = (
    "(host)",
    "a hostname column, else the file name: its last `_`-separated part without the \
     extension (osqueryi_programs_FR-WS-0142.json → FR-WS-0142), or the whole name",
);

/// `programs` columns → model.
pub(crate) const PROGRAMS_COLUMNS: &[(&str, &str)] = &[
    ("name", "software name"),
    ("version", "software version"),
    ("publisher", "software publisher"),
    HOST_RULE,
];

/// `deb_packages` columns → model.
pub(crate) const DEB_COLUMNS: &[(&str, &str)] = &[
    ("name", "software name"),
    ("version", "software version (with epoch and revision)"),
    (
        "maintainer",
        "software publisher (without the e-mail address)",
    ),
    (
        "status",
        "rows whose last word is not `installed` (deinstall ok config-files) are skipped",
    ),
    HOST_RULE,
];

/// `rpm_packages` columns → model.
pub(crate) const RPM_COLUMNS: &[(&str, &str)] = &[
    ("name", "software name"),
    ("version, release", "software version (version-release)"),
    ("vendor", "software publisher"),
    HOST_RULE,
];

/// `apps` columns → model.
pub(crate) const APPS_COLUMNS: &[(&str, &str)] = &[
    ("name", "software name (without .app)"),
    (
        "bundle_short_version",
        "software version (else bundle_version)",
    ),
    (
        "copyright",
        "software publisher (the holder; else the bundle_identifier's organisation)",
    ),
    HOST_RULE,
];

/// `system_info` columns → model.
pub(crate) const SYSTEM_INFO_COLUMNS: &[(&str, &str)] = &[
    (
        "hostname",
        "id (lower-case; the FQDN on Windows), else computer_name",
    ),
    ("computer_name", "name (else local_hostname)"),
    (
        "hardware_vendor, hardware_model",
        "kind vm (VMware, Hyper-V, KVM …) or laptop (MacBook)",
    ),
];

/// `os_version` columns → model.
pub(crate) const OS_VERSION_COLUMNS: &[(&str, &str)] = &[
    (
        "name, version",
        "os (\"Microsoft Windows 11 Pro 10.0.22631\")",
    ),
    ("platform", "os when there is no name (darwin → macOS)"),
    HOST_RULE,
];

/// The table of an `osqueryi --json` array, from the keys of its first object.
fn table_of(p: &Probe) -> Option<Table> {
    let j = p.json().filter(|j| j.form == JsonForm::Array)?;
    Table::from_columns(|k| j.keys.contains(k))
}

macro_rules! table_format {
    ($matches:ident, $read:ident, $table:expr) => {
        /// True for an osqueryi array of this table.
        pub(crate) fn $matches(p: &Probe) -> bool {
            table_of(p) == Some($table)
        }

        /// Reads an osqueryi array of this table.
        pub(crate) fn $read(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
            read(p, ctx, $table)
        }
    };
}

table_format!(programs_matches, read_programs, Table::Programs);
table_format!(deb_matches, read_deb, Table::Deb);
table_format!(rpm_matches, read_rpm, Table::Rpm);
table_format!(apps_matches, read_apps, Table::Apps);
table_format!(system_info_matches, read_system_info, Table::SystemInfo);
table_format!(os_version_matches, read_os_version, Table::OsVersion);

/// Words that name an export, a table or a tool rather than a machine.
const NOT_HOSTS: &[&str] = &[
    "osquery",
    "osqueryi",
    "osqueryd",
    "programs",
    "packages",
    "deb",
    "rpm",
    "apps",
    "info",
    "version",
    "json",
    "pretty",
    "out",
    "output",
    "result",
    "results",
    "export",
    "inventory",
    "software",
    "query",
    "data",
];

/// The host an osqueryi file is about, from its name: the last `_`-separated part of the file
/// name without its extension (`osqueryi_programs_FR-WS-0142.json` → `FR-WS-0142`,
/// `fr-ws-0142.mueller-mb.local.json` → `fr-ws-0142.mueller-mb.local`), or the whole name when
/// it has no `_`. None when that part is not a host name (a table or tool name such as
/// `programs`, a bare number such as a date, or text with spaces or brackets).
pub(crate) fn host_from_file_name(label: &str) -> Option<String> {
    let name = label.rsplit(['/', '\\']).next().unwrap_or(label);
    let stem = match name.rsplit_once('.') {
        Some((stem, ext))
            if ["json", "txt", "out", "log"]
                .iter()
                .any(|e| ext.eq_ignore_ascii_case(e)) =>
        {
            stem
        }
        _ => name,
    };
    let host = stem.rsplit('_').next().unwrap_or(stem).trim();
    let hostlike = host
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
        && host.chars().any(char::is_alphabetic)
        && !host.starts_with(['.', '-'])
        && !NOT_HOSTS.iter().any(|w| host.eq_ignore_ascii_case(w));
    hostlike.then(|| host.to_string())
}

/// The record of a machine with what osquery told about it (a name equal to the id is dropped).
pub(crate) fn device_record(
    id: String,
    name: Option<String>,
    kind: Option<crate::model::AssetKind>,
    os: Option<Os>,
    origin: Origin,
) -> Record {
    let mut asset = Asset::new(id);
    asset.name = name
        .filter(|n| *n != asset.id)
        .map(crate::model::text::Text::from);
    let mut explicit = Explicit::default();
    if let Some(kind) = kind {
        (asset.kind, explicit.kind) = (kind, true);
    }
    if let Some(os) = os {
        asset.os = os;
    }
    asset.origin = Some(origin);
    tidy(&mut asset);
    Record { asset, explicit }
}

/// Counts a row that is not used for an expected reason (no warning: these rows are normal).
pub(crate) fn count_skip(ctx: &mut FileCtx<'_>, reason: &str) {
    *ctx.report.skipped.entry(reason.to_string()).or_default() += 1;
}

/// The message of a JSON error without serde's position (the caller names the line).
pub(crate) fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

fn read(p: &Probe, ctx: &mut FileCtx<'_>, table: Table) -> Result<Content, InputError> {
    let file_host = host_from_file_name(&ctx.file);
    let mut warned_no_host = false;
    let mut mixed = Mixed::default();
    for next in Objects::new(p.text) {
        let (line, text) = match next {
            Ok(found) => found,
            Err((line, message, cut_row)) => {
                if cut_row {
                    count_skip(ctx, "malformed row");
                }
                ctx.warn(ctx.line(line), message)?;
                break;
            }
        };
        ctx.report.rows += 1;
        let mut row: Row<'_> = match serde_json::from_str(text) {
            Ok(row) => row,
            Err(e) => {
                let at = line + e.line().saturating_sub(1);
                let message = format!("malformed JSON row ({}); row skipped", json_message(&e));
                ctx.skip("malformed row", ctx.line(at), message)?;
                continue;
            }
        };
        row.repair_text();
        let item = match map(table, &row) {
            Ok(item) => item,
            Err(reason) => {
                count_skip(ctx, reason);
                continue;
            }
        };
        if let Item::Device(Device { host, name, kind }) = item {
            let record = device_record(host.to_lowercase(), name, kind, None, ctx.origin(line));
            ctx.report.assets += 1;
            mixed.records.push(record);
            continue;
        }
        let host = match row.get("hostname").trim() {
            "" => file_host.clone(),
            h => Some(crate::model::text::clean(h)),
        };
        let Some(host) = host else {
            if !warned_no_host {
                warned_no_host = true;
                let message = "cannot tell which host this osqueryi output is about: it has no \
                               hostname column and the file name does not end in a host name \
                               (name it osqueryi_<table>_<HOST>.json); its rows are skipped";
                ctx.warn(Location::file(&*ctx.file), message.into())?;
            }
            count_skip(ctx, "no host");
            continue;
        };
        match item {
            Item::Software(software) => {
                mixed.software.push(SoftwareRow {
                    host: host.into(),
                    software,
                    origin: ctx.origin(line),
                    os: None,
                });
                ctx.report.software += 1;
            }
            Item::Os(os) => {
                let os = ctx.os(&os);
                // The id as written, as the software rows of the host's other files say it.
                let record = device_record(host, None, None, Some(os), ctx.origin(line));
                ctx.report.assets += 1;
                mixed.records.push(record);
            }
            Item::Device(_) => {}
        }
    }
    Ok(Content::Mixed(mixed))
}

/// The objects of an osqueryi JSON array, each with the line it starts on; a problem (with
/// its line, and whether a row was lost) ends the iteration.
struct Objects<'t> {
    text: &'t str,
    pos: usize,
    line: usize,
    done: bool,
}

impl<'t> Objects<'t> {
    fn new(text: &'t str) -> Objects<'t> {
        let start = text.find('[').map_or(text.len(), |i| i + 1);
        Objects {
            text,
            pos: start,
            line: 1 + text[..start].matches('\n').count(),
            done: false,
        }
    }
}

impl<'t> Iterator for Objects<'t> {
    type Item = Result<(usize, &'t str), (usize, String, bool)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.pos) {
            match b {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' | b',' => {}
                _ => break,
            }
            self.pos += 1;
        }
        let rest = &self.text[self.pos..];
        let mut fail = |message: &str, cut_row| {
            self.done = true;
            Some(Err((self.line, message.to_string(), cut_row)))
        };
        match rest.as_bytes().first() {
            None => fail("the JSON array is not closed (truncated file?)", false),
            Some(b']') => {
                self.done = true;
                None
            }
            Some(b'{') => match first_object(rest) {
                Some(object) => {
                    let start = self.line;
                    self.line += object.bytes().filter(|&b| b == b'\n').count();
                    self.pos += object.len();
                    Some(Ok((start, object)))
                }
                None => fail("this row is cut off (truncated file?); row skipped", true),
            },
            Some(_) => fail(
                "expected a row object ({…}); the rest of the file is skipped",
                false,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_from_file_names() {
        let h = |s: &str| host_from_file_name(s);
        assert_eq!(
            h("exports/osqueryi_programs_FR-WS-0142.json").as_deref(),
            Some("FR-WS-0142")
        );
        assert_eq!(
            h(r"C:\Temp\deb_packages_fr-lx-web01.mueller-mb.local.json").as_deref(),
            Some("fr-lx-web01.mueller-mb.local")
        );
        assert_eq!(h("FR-MAC-KON01.json").as_deref(), Some("FR-MAC-KON01"));
        assert_eq!(h("ws-17").as_deref(), Some("ws-17"));
        for none in [
            "programs.json",
            "osqueryi_deb_packages.json",
            "osqueryi_programs_20250310.json",
            "Programs (1).json",
            "out_.json",
            "osqueryi_system_info.JSON",
        ] {
            assert_eq!(h(none), None, "{none}");
        }
    }

    #[test]
    fn array_objects_with_lines() {
        let text = "[\n  {\"a\":\"1\"},\n  {\"a\":\"}\"}\n]\n";
        let got: Vec<_> = Objects::new(text).collect();
        assert_eq!(got, [Ok((2, "{\"a\":\"1\"}")), Ok((3, "{\"a\":\"}\"}"))]);
        let pretty = "[\r\n  {\r\n    \"a\": \"1\"\r\n  },\r\n  {\r\n    \"a\": \"2\"\r\n  }\r\n]";
        let lines: Vec<usize> = Objects::new(pretty).map(|o| o.unwrap().0).collect();
        assert_eq!(lines, [2, 5]);
        let cut: Vec<_> = Objects::new("[\n  {\"a\":\"1\"},\n  {\"a\":\"2").collect();
        assert_eq!(cut.len(), 2);
        assert_eq!(
            cut[1],
            Err((
                3,
                "this row is cut off (truncated file?); row skipped".to_string(),
                true
            ))
        );
        let open: Vec<_> = Objects::new("[\n  {\"a\":\"1\"}\n").collect();
        assert!(matches!(&open[1], Err((3, m, false)) if m.contains("not closed")));
    }
}
