//! Reading the bulk of a large plan file, its `[[asset]]` and `[[event]]` tables, in pieces on
//! two threads.
//!
//! A generic TOML parser holds a tree of the whole document while it reads it: for a plan of a
//! million assets (about 400 MB of text) that is several gigabytes and ten seconds. The tables
//! of one kind stand together in a plan file, and each starts with a header line of its own,
//! so they can be cut at those lines into pieces that are parsed (each into the same model
//! structs) one after the other, two at a time, with only the pieces in hand as trees.
//!
//! Anything that would make a cut unsafe or a piece differ from the whole sends the caller
//! back to the whole-document parse, which also gives every error its exact place: a
//! multi-line string anywhere (a header line could stand inside one), tables of one kind not
//! standing together, another table among them, or any piece that does not parse.

use super::model::{Event, PlannedAsset};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::ops::Range;

/// Texts shorter than this are parsed whole.
const MIN_TEXT: usize = 8 * 1024 * 1024;
/// About this much text per piece.
const PIECE: usize = 4 * 1024 * 1024;

/// A plan's text with its asset and event tables taken out, and those tables read.
pub(super) struct Sections {
    /// The text without the asset and event tables (parsed whole by the caller).
    pub rest: String,
    pub assets: Vec<PlannedAsset>,
    pub events: Vec<Event>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Assets {
    asset: Vec<PlannedAsset>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Events {
    event: Vec<Event>,
}

/// Reads the asset and event tables of a large plan text in pieces; `None` when the text is
/// small or anything about it asks for the whole-document parse.
pub(super) fn read(text: &str) -> Option<Sections> {
    if let Some((min_text, piece)) = FORCED.with(|f| f.get()) {
        return read_with(text, min_text, piece);
    }
    read_with(text, MIN_TEXT, PIECE)
}

thread_local! {
    static FORCED: std::cell::Cell<Option<(usize, usize)>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` with plans of at least `min_text` bytes read in pieces of about `piece` bytes
/// (on this thread): tests and the fuzz target compare that reading with the whole parse.
pub(crate) fn with_pieces<T>(min_text: usize, piece: usize, f: impl FnOnce() -> T) -> T {
    FORCED.with(|c| c.set(Some((min_text, piece))));
    let out = f();
    FORCED.with(|c| c.set(None));
    out
}

fn read_with(text: &str, min_text: usize, piece: usize) -> Option<Sections> {
    if text.len() < min_text || text.contains("\"\"\"") || text.contains("'''") {
        return None;
    }
    let [assets_at, events_at] = runs(text, ["asset", "event"])?;
    let (first, second) = match (&assets_at, &events_at) {
        (Some(a), Some(e)) if a.start < e.start && a.end <= e.start => (a.clone(), e.clone()),
        (Some(a), Some(e)) if e.start < a.start && e.end <= a.start => (e.clone(), a.clone()),
        (Some(_), Some(_)) => return None,
        (Some(r), None) | (None, Some(r)) => (r.clone(), r.end..r.end),
        (None, None) => return None,
    };
    let mut rest = String::with_capacity(text.len() - first.len() - second.len());
    rest.push_str(&text[..first.start]);
    rest.push_str(&text[first.end..second.start]);
    rest.push_str(&text[second.end..]);
    if defines_a_table_read_in_pieces(&rest) {
        return None;
    }
    Some(Sections {
        rest,
        assets: read_run(text, assets_at, "asset", piece, |p: Assets| p.asset)?,
        events: read_run(text, events_at, "event", piece, |p: Events| p.event)?,
    })
}

/// The rows of the `[[name]]` tables at `at` (none when there are none), read in pieces
/// into `W` and taken out of it with `rows`.
fn read_run<W: DeserializeOwned + Send, T>(
    text: &str,
    at: Option<Range<usize>>,
    name: &str,
    piece: usize,
    rows: impl Fn(W) -> Vec<T>,
) -> Option<Vec<T>> {
    let Some(at) = at else {
        return Some(Vec::new());
    };
    Some(
        pieces::<W>(&text[at], name, piece)?
            .into_iter()
            .flat_map(rows)
            .collect(),
    )
}

/// True when the remaining text could define `asset` or `event` another way: a top-level key
/// (`asset = []`, dotted, quoted) or a header naming them (spaced, quoted): the whole parse
/// must judge it. Names that merely start alike only cost the speed of reading in pieces;
/// keys inside other tables (an alert's `asset = "…"`) are theirs.
fn defines_a_table_read_in_pieces(rest: &str) -> bool {
    let mut top = true;
    rest.lines().any(|line| {
        let line = line.trim_start();
        let header = line.starts_with('[');
        top &= !header;
        let name = line.trim_start_matches(['[', ' ', '\t', '"', '\'']);
        (header || top) && (name.starts_with("asset") || name.starts_with("event"))
    })
}

/// True for a line that opens a table (`[name]`, `[[name]]`, `[a.b]`).
fn is_header(line: &str) -> bool {
    line.starts_with('[')
}

/// For each of `names`, the byte range of its `[[name]]` tables: from the first such header
/// to the next header of another table after the last (`None` when there is none), found in
/// one pass over the text. `None` when another table stands among the tables of a name (only
/// `[name.…]` sub-tables may).
fn runs<const N: usize>(text: &str, names: [&str; N]) -> Option<[Option<Range<usize>>; N]> {
    let mut runs = names.map(Run::new);
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        let at = offset;
        offset += line.len();
        if is_header(bare) {
            for run in &mut runs {
                run.see(at, bare)?;
            }
        }
    }
    Some(runs.map(|r| r.start.map(|s| s..r.end.unwrap_or(text.len()))))
}

/// Where the tables of one name start and end, as header lines go by.
struct Run {
    header: String,
    sub: String,
    start: Option<usize>,
    end: Option<usize>,
}

impl Run {
    fn new(name: &str) -> Run {
        Run {
            header: format!("[[{name}]]"),
            sub: format!("[{name}."),
            start: None,
            end: None,
        }
    }

    /// Takes the header line `bare` at byte `at`; `None` when the tables stop standing
    /// together (or a sub-table comes before them).
    fn see(&mut self, at: usize, bare: &str) -> Option<()> {
        let ours = bare == self.header || bare.starts_with(&self.sub);
        match (self.start, self.end, ours) {
            (None, _, true) if bare == self.header => self.start = Some(at),
            (None, _, true) => return None,
            (Some(_), None, false) => self.end = Some(at),
            (Some(_), Some(_), true) => return None,
            _ => {}
        }
        Some(())
    }
}

/// Parses `text` (tables of `[[name]]` only) in pieces of about `size` bytes cut before a
/// header line, on two threads, in order; `None` when a piece does not parse.
fn pieces<T: DeserializeOwned + Send>(text: &str, name: &str, size: usize) -> Option<Vec<T>> {
    let header = format!("\n[[{name}]]");
    let mut cuts = vec![0];
    let mut from = 0;
    while from + size < text.len() {
        // On bytes: `from + size` may fall inside a character; a line break never does.
        let Some(next) = memchr::memmem::find(&text.as_bytes()[from + size..], header.as_bytes())
        else {
            break;
        };
        from = from + size + next + 1;
        cuts.push(from);
    }
    cuts.push(text.len());
    let parts: Vec<&str> = cuts.windows(2).map(|w| &text[w[0]..w[1]]).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        crate::model::text::sharing_equal_texts(|| {
            let mut done = Vec::new();
            loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(part) = parts.get(k) else {
                    return done;
                };
                done.push((k, toml::from_str::<T>(part).ok()));
            }
        })
    };
    let (mut mine, theirs) = std::thread::scope(|scope| {
        let other = scope.spawn(work);
        let mine = work();
        (mine, other.join().ok())
    });
    mine.extend(theirs?);
    mine.sort_by_key(|(k, _)| *k);
    mine.into_iter().map(|(_, parsed)| parsed).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_found_and_refused_when_interleaved() {
        let text = "a = 1\n[[asset]]\nid = \"x\"\n[asset.decision]\nk = 1\n[[asset]]\n\
                    id = \"y\"\n[[event]]\nn = 1\n";
        let [assets, alerts] = runs(text, ["asset", "alert"]).unwrap();
        let assets = assets.unwrap();
        assert!(text[assets.clone()].starts_with("[[asset]]"));
        assert!(text[assets.end..].starts_with("[[event]]"));
        assert_eq!(alerts, None);
        let interleaved = "[[asset]]\nid = \"x\"\n[[event]]\nn = 1\n[[asset]]\nid = \"y\"\n";
        assert_eq!(runs(interleaved, ["asset"]), None);
        let sub_first = "[asset.decision]\nk = 1\n[[asset]]\nid = \"y\"\n";
        assert_eq!(runs(sub_first, ["asset"]), None);
    }

    #[test]
    fn another_definition_of_the_tables_is_left_to_the_whole_parse() {
        let tables = "[[asset]]\nid = \"x\"\nwave = \"w1\"\nstatus = \"planned\"\n";
        for other in [
            "asset = []",
            "\"asset\" = []",
            "[ [asset] ]",
            "event.x = 1",
            "['event']",
        ] {
            let text = format!("name = \"p\"\n{other}\n{tables}");
            assert!(read_with(&text, 0, 8).is_none(), "{other}");
        }
        let text = format!("name = \"p\"\n{tables}");
        assert!(read_with(&text, 0, 8).is_some());
    }

    #[test]
    fn small_or_multi_line_string_texts_are_left_to_the_whole_parse() {
        assert!(read("[[asset]]\nid = \"x\"\n").is_none());
        let long = format!("{}note = \"\"\"\n[[asset]]\n\"\"\"\n", "# x\n".repeat(10));
        assert!(read_with(&long, 0, 8).is_none());
    }
}
