//! osqueryd results and snapshot logs (filesystem logger: `osqueryd.results.log`,
//! `osqueryd.snapshots.log`), one JSON object per line, in any of the three layouts osqueryd
//! writes: events (`columns` + `action` added/removed/snapshot), batches
//! (`diffResults: {removed, added}`) and snapshots (`snapshot: […]`).
//!
//! The query `name` tells the table (see [`Table::from_query_name`]; failing that, the
//! columns do). The rows of each (host, query) are replayed in time order — `unixTime`, then
//! `counter` — whatever order the lines come in: `added` adds a row, `removed` removes it, a
//! snapshot or a result with `counter` 0 (a full initial result) replaces them all. What is
//! left per host is what is installed.
//!
//! Replay without sorting: for each row (identified by its whole content) only its newest
//! event counts, and a full result drops every row older than itself. Memory follows the
//! hosts and their rows, not the length of the log, and the log can be read as a stream.

use super::osquery::{count_skip, device_record, json_message};
use super::osquery_json::PassThroughState;
use super::osquery_row::{Item, Row, Table, map};
use super::{JsonForm, Probe};
use crate::error::InputError;
use crate::inventory::{Content, FileCtx, Mixed, SoftwareRow};
use crate::model::AssetKind;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry as Slot;
use std::fmt;

/// How the log's keys map to the model (shown by `inspect`).
pub(crate) const LOG_COLUMNS: &[(&str, &str)] = &[
    (
        "hostIdentifier",
        "asset id (lower-case); decorations.hostname when it is missing or a UUID",
    ),
    ("decorations.hostname", "asset name"),
    (
        "name",
        "the query; its last table name (programs, deb_packages, rpm_packages, apps, \
         system_info, os_version) picks the columns' mapping; other queries are skipped",
    ),
    (
        "columns / diffResults / snapshot",
        "rows, mapped as in the osquery-<table> formats",
    ),
    (
        "unixTime, counter",
        "replay order per host and query (counter 0: full initial result)",
    ),
    (
        "action",
        "added adds a row, removed removes it, snapshot replaces them all",
    ),
];

/// A results log: JSON lines whose first object is a result of a scheduled query.
pub(crate) fn log_matches(p: &Probe) -> bool {
    p.json().is_some_and(|j| {
        matches!(j.form, JsonForm::Lines | JsonForm::Object)
            && j.has_all(&["name"])
            && (j.has_any(&["diffResults", "snapshot"])
                || (j.has_all(&["columns"])
                    && j.has_any(&["hostIdentifier", "unixTime", "calendarTime"])))
    })
}

/// Reads a results log held in memory.
pub(crate) fn read_log(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    let mut log = LogState::default();
    for (i, line) in p.text.split('\n').enumerate() {
        log.line(ctx, i + 1, line.as_bytes())?;
    }
    Ok(log.finish(ctx))
}

/// Reads a results log line by line from a stream of decoded text.
pub(crate) fn stream_log(
    reader: &mut dyn std::io::BufRead,
    ctx: &mut FileCtx<'_>,
) -> Result<Content, InputError> {
    let mut log = LogState::default();
    let mut buf = Vec::with_capacity(1 << 16);
    let mut number = 0;
    loop {
        buf.clear();
        let limit = crate::input::RECORD_LIMIT;
        let n = crate::input::read_until_limited(reader, b'\n', &mut buf, limit)
            .map_err(|e| InputError::new(ctx.line(number + 1), format!("cannot read: {e}")))?;
        if n == 0 {
            break;
        }
        number += 1;
        log.line(ctx, number, &buf)?;
    }
    Ok(log.finish(ctx))
}

/// One log line: only the fields the import needs, strings borrowed where they have no
/// escapes.
#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow, default)]
    name: Option<Cow<'a, str>>,
    #[serde(rename = "hostIdentifier", borrow, default)]
    host_identifier: Option<Cow<'a, str>>,
    /// A decoration merged into the top level (`--decorations_top_level`).
    #[serde(borrow, default)]
    hostname: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    decorations: Option<Decorations<'a>>,
    #[serde(rename = "unixTime", default)]
    unix_time: Num,
    #[serde(default)]
    counter: Num,
    #[serde(borrow, default)]
    action: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    columns: Option<Row<'a>>,
    #[serde(rename = "diffResults", borrow, default)]
    diff_results: Option<Diff<'a>>,
    #[serde(borrow, default)]
    snapshot: Option<Vec<Row<'a>>>,
}

#[derive(Deserialize)]
struct Decorations<'a> {
    #[serde(borrow, default)]
    hostname: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Diff<'a> {
    #[serde(borrow, default)]
    removed: Option<Vec<Row<'a>>>,
    #[serde(borrow, default)]
    added: Option<Vec<Row<'a>>>,
}

/// A JSON number, or a string holding one (the documentation's examples quote them).
#[derive(Debug, Default, Clone, Copy)]
struct Num(Option<u64>);

struct NumVisitor;

impl<'de> Visitor<'de> for NumVisitor {
    type Value = Num;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
        Ok(Num(Some(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
        Ok(Num(u64::try_from(v).ok()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
        Ok(Num((v.is_finite() && v >= 0.0).then_some(v as u64)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Num, E> {
        let v = v.trim();
        let n = v.parse::<u64>().ok().or_else(|| {
            v.parse::<f64>()
                .ok()
                .and_then(|f| self.visit_f64::<E>(f).ok()?.0)
        });
        Ok(Num(n))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Num, E> {
        Ok(Num(None))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Num, E> {
        Ok(Num(None))
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumVisitor)
    }
}

/// When an event happened: `unixTime`, then `counter`.
type Stamp = (u64, u64);

/// The newest event of one row.
struct Event {
    stamp: Stamp,
    line: usize,
    /// What the row means when its newest event added it; None when it removed it.
    /// Boxed, so that the records kept for removed rows stay small.
    item: Option<Box<Item>>,
}

/// The rows of one scheduled query on one host.
struct Query {
    name: Box<str>,
    table: Table,
    /// The newest full result (snapshot or `counter` 0): older events no longer count.
    full: Option<Stamp>,
    rows: HashMap<u64, Event, PassThroughState>,
}

impl Query {
    /// A full result at `stamp` replaces every row older than itself.
    fn reset(&mut self, stamp: Stamp) {
        if self.full.is_none_or(|f| stamp > f) {
            self.full = Some(stamp);
            self.rows.retain(|_, e| e.stamp >= stamp);
        }
    }

    /// Records that a row was added (`present`) or removed at `stamp`, unless a newer event
    /// already says what became of it.
    fn apply(
        &mut self,
        ctx: &mut FileCtx<'_>,
        row: &Row<'_>,
        present: bool,
        stamp: Stamp,
        line: usize,
    ) {
        if self.full.is_some_and(|f| stamp < f) {
            return;
        }
        let slot = match self.rows.entry(row.identity()) {
            Slot::Occupied(o) if o.get().stamp > stamp => return,
            slot => slot,
        };
        let item = if present {
            match map(self.table, row) {
                Ok(item) => Some(Box::new(item)),
                Err(reason) => return count_skip(ctx, reason),
            }
        } else {
            None
        };
        let event = Event { stamp, line, item };
        match slot {
            Slot::Occupied(mut o) => *o.get_mut() = event,
            Slot::Vacant(v) => {
                v.insert(event);
            }
        }
    }
}

/// One host of the log.
struct Host {
    /// Its identifier as written.
    id: String,
    /// `decorations.hostname`, when it says something else.
    name: Option<String>,
    /// The first line about it.
    line: usize,
    queries: Vec<Query>,
}

/// Everything read so far.
#[derive(Default)]
struct LogState {
    hosts: Vec<Host>,
    by_host: HashMap<String, usize>,
    /// The host of the previous line (logs name one host many times in a row).
    last_host: usize,
    /// The table of each query name (None: not an inventory query).
    tables: HashMap<String, Option<Table>>,
    /// The query of the previous line (the lines of one run follow each other).
    last_query: Option<(String, Option<Table>)>,
}

impl LogState {
    /// Reads one line (1-based `number`).
    fn line(
        &mut self,
        ctx: &mut FileCtx<'_>,
        number: usize,
        bytes: &[u8],
    ) -> Result<(), InputError> {
        let bytes = bytes.trim_ascii();
        if bytes.is_empty() {
            return Ok(());
        }
        ctx.report.rows += 1;
        let line: Line<'_> = match serde_json::from_slice(bytes) {
            Ok(line) => line,
            Err(e) => {
                let what = if e.is_eof() {
                    "truncated JSON line"
                } else {
                    "malformed JSON line"
                };
                let message = format!("{what} ({}); line skipped", json_message(&e));
                return ctx.skip("malformed line", ctx.line(number), message);
            }
        };
        let name = line.name.as_deref().unwrap_or("");
        let Some(table) = self.table(name, &line) else {
            count_skip(ctx, "query not used");
            return Ok(());
        };
        let Some((host, alias)) = host_of(&line) else {
            let message = "result names no host (no hostIdentifier or decorations.hostname); \
                           line skipped";
            return ctx.skip("no host", ctx.line(number), message.into());
        };
        let stamp = (line.unix_time.0.unwrap_or(0), line.counter.0.unwrap_or(0));
        let initial = line.counter.0 == Some(0);
        let one = std::slice::from_ref;
        let (reset, removed, added): (bool, &[Row<'_>], &[Row<'_>]) =
            if let Some(rows) = &line.snapshot {
                (true, &[], rows)
            } else if let Some(diff) = &line.diff_results {
                let removed = diff.removed.as_deref().unwrap_or(&[]);
                (initial, removed, diff.added.as_deref().unwrap_or(&[]))
            } else if let Some(row) = &line.columns {
                match line.action.as_deref().unwrap_or("") {
                    "added" => (initial, &[], one(row)),
                    "removed" => (false, one(row), &[]),
                    "snapshot" => (true, &[], one(row)),
                    other => {
                        let message = format!(
                            "unknown action \"{other}\" (expected added, removed or \
                             snapshot); line skipped"
                        );
                        return ctx.skip("unknown action", ctx.line(number), message);
                    }
                }
            } else {
                let message = "result has no columns, diffResults or snapshot; line skipped";
                return ctx.skip("no rows", ctx.line(number), message.into());
            };
        let query = self.query(host, alias, name, table, number);
        if reset {
            query.reset(stamp);
        }
        for row in removed {
            query.apply(ctx, row, false, stamp, number);
        }
        for row in added {
            query.apply(ctx, row, true, stamp, number);
        }
        Ok(())
    }

    /// The table of a query: by its name, else by the columns of its first row.
    fn table(&mut self, name: &str, line: &Line<'_>) -> Option<Table> {
        if let Some((last, table)) = &self.last_query
            && last == name
        {
            return *table;
        }
        if let Some(&known) = self.tables.get(name) {
            self.last_query = Some((name.to_string(), known));
            return known;
        }
        let table = match Table::from_query_name(name) {
            Some(t) => Some(t),
            None => {
                let diff = line.diff_results.as_ref();
                let row = line
                    .columns
                    .as_ref()
                    .or_else(|| line.snapshot.as_ref()?.first())
                    .or_else(|| diff?.added.as_ref()?.first())
                    .or_else(|| diff?.removed.as_ref()?.first())?;
                Table::from_columns(|k| row.has(k))
            }
        };
        self.tables.insert(name.to_string(), table);
        table
    }

    /// The state of a query on a host, created on first sight.
    fn query(
        &mut self,
        host: &str,
        alias: Option<&str>,
        name: &str,
        table: Table,
        line: usize,
    ) -> &mut Query {
        let last = self.hosts.get(self.last_host).filter(|h| h.id == host);
        let index = match last
            .map(|_| self.last_host)
            .or_else(|| self.by_host.get(host).copied())
        {
            Some(i) => i,
            None => {
                self.hosts.push(Host {
                    id: host.to_string(),
                    name: alias
                        .filter(|a| !a.eq_ignore_ascii_case(host))
                        .map(crate::model::text::clean),
                    line,
                    queries: Vec::new(),
                });
                self.by_host.insert(host.to_string(), self.hosts.len() - 1);
                self.hosts.len() - 1
            }
        };
        self.last_host = index;
        let queries = &mut self.hosts[index].queries;
        let q = match queries.iter().position(|q| &*q.name == name) {
            Some(q) => q,
            None => {
                queries.push(Query {
                    name: name.into(),
                    table,
                    full: None,
                    rows: HashMap::default(),
                });
                queries.len() - 1
            }
        };
        &mut queries[q]
    }

    /// One record per host (name, OS and kind from its `system_info` and `os_version`
    /// results) and its installed software, in the order the log named them.
    fn finish(self, ctx: &mut FileCtx<'_>) -> Content {
        let mut mixed = Mixed::default();
        for host in self.hosts {
            let mut software = Vec::new();
            let mut device: Option<(Stamp, usize, super::osquery_row::Device)> = None;
            let mut os: Option<(Stamp, usize, String)> = None;
            for query in host.queries {
                for event in query.rows.into_values() {
                    let newer = |best: Option<(Stamp, usize)>| {
                        best.is_none_or(|b| (event.stamp, event.line) > b)
                    };
                    match event.item.map(|item| *item) {
                        Some(Item::Software(s)) => software.push((event.line, s)),
                        Some(Item::Device(d)) if newer(device.as_ref().map(|d| (d.0, d.1))) => {
                            device = Some((event.stamp, event.line, d));
                        }
                        Some(Item::Os(o)) if newer(os.as_ref().map(|o| (o.0, o.1))) => {
                            os = Some((event.stamp, event.line, o));
                        }
                        _ => {}
                    }
                }
            }
            let mut id = host.id.clone();
            let (mut name, mut kind): (Option<String>, Option<AssetKind>) = (host.name, None);
            if let Some((_, _, d)) = device {
                if is_uuid(&id) {
                    id = d.host;
                }
                name = name.or(d.name);
                kind = d.kind;
            }
            let id = crate::model::text::clean(&id).to_lowercase();
            let os = os.map(|(_, _, o)| ctx.os(&o));
            let record = device_record(id.clone(), name, kind, os, ctx.origin(host.line));
            mixed.records.push(record);
            ctx.report.assets += 1;
            software.sort_by_key(|(line, _)| *line);
            for (line, software) in software {
                mixed.software.push(SoftwareRow {
                    host: id.as_str().into(),
                    software,
                    origin: ctx.origin(line),
                    os: None,
                });
                ctx.report.software += 1;
            }
        }
        Content::Mixed(mixed)
    }
}

/// The host of a line and its other name: `hostIdentifier` (with `decorations.hostname`
/// as the other name), or the hostname when the identifier is missing or a UUID
/// (`--host_identifier=uuid`).
fn host_of<'l>(line: &'l Line<'_>) -> Option<(&'l str, Option<&'l str>)> {
    let pick = |s: Option<&'l Cow<'_, str>>| s.map(|s| s.trim()).filter(|s| !s.is_empty());
    let ident = pick(line.host_identifier.as_ref());
    let hostname = pick(line.decorations.as_ref().and_then(|d| d.hostname.as_ref()))
        .or_else(|| pick(line.hostname.as_ref()));
    match (ident, hostname) {
        (Some(i), Some(h)) if is_uuid(i) => Some((h, None)),
        (Some(i), h) => Some((i, h)),
        (None, h) => Some((h?, None)),
    }
}

/// True for `8-4-4-4-12` hexadecimal UUIDs.
fn is_uuid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_or_strings() {
        let n = |s: &str| serde_json::from_str::<Num>(s).unwrap().0;
        assert_eq!(n("1741594495"), Some(1741594495));
        assert_eq!(n("\"1741594495\""), Some(1741594495));
        assert_eq!(n("\" 7 \""), Some(7));
        assert_eq!(n("3.0"), Some(3));
        assert_eq!(n("-1"), None);
        assert_eq!(n("\"x\""), None);
        assert_eq!(n("null"), None);
    }

    #[test]
    fn uuids() {
        assert!(is_uuid("5B1C7A2E-3F44-11EE-9C1D-A4BB6D2F0142"));
        assert!(!is_uuid("FR-WS-0142.mueller-mb.local"));
        assert!(!is_uuid("5B1C7A2E-3F44-11EE-9C1D"));
    }
}
