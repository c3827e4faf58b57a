//! Fuzz targets: each takes arbitrary bytes and drives one kind of input file through the same
//! code the commands use. A target returns normally whatever the bytes are; a panic, a hang or
//! a memory blow-up is a bug. The libFuzzer targets in `fuzz/` and the stable smoke run
//! (`examples/fuzz_smoke.rs`, part of `.ci/run`) both call these (see docs/fuzzing.md).

use crate::analysis::Analysis;
use crate::catalog::{Catalog, CompatCache, needs_for};
use crate::inventory::mapping::Mapping;
use crate::inventory::{self, ImportOptions, Loaded};
use crate::model::Named;
use crate::model::{Date, Inventory};
use crate::plan::context::{PlanContext, unit_graph};
use crate::plan::units::UnitGraph;
use crate::rules::RuleSet;
use std::sync::{Arc, OnceLock};

/// A fuzz target: bytes in, nothing out; it must not panic.
pub type Target = fn(&[u8]);

/// Every target by name, as `fuzz/fuzz_targets/*.rs` and the smoke run know them.
pub const TARGETS: &[(&str, Target)] = &[
    ("import", import),
    ("stream", stream),
    ("mapping", mapping),
    ("rules", rules),
    ("catalog", catalog),
    ("plan", plan),
];

/// Separates the files of one `import` input (several files are merged) and the mapping from
/// the CSV of a `mapping` input.
pub const SPLIT: &[u8] = b"\n--8<--\n";

/// File names the `import` target gives its input, chosen by the first byte: the name must
/// not matter to detection except where a workbook is recognised by its extension.
const NAMES: [&str; 8] = [
    "inventory.csv",
    "inventory.toml",
    "export.json",
    "inventory.xlsx",
    "inventory.ods",
    "osqueryd.results.log",
    "Inventar.txt",
    "export",
];

/// The inventory importer as `analyze` uses it, then the analysis of what it read.
///
/// The first byte chooses the file name (bits 0-2), strict mode (bit 3), provenance (bit 4)
/// and a forced `--input-format` (bits 5-6: 3 forces the format chosen by the input's
/// length); bit 7 splits the rest at [`SPLIT`] into several files that are merged.
pub fn import(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(selector & 7)];
    let formats = inventory::formats::FORMATS;
    let opts = ImportOptions {
        strict: selector & 8 != 0,
        provenance: selector & 16 != 0,
        input_format: (selector >> 5 & 3 == 3)
            .then(|| formats[rest.len() % formats.len()].name.to_string()),
        ..ImportOptions::default()
    };
    let parts: Vec<&[u8]> = if selector & 128 != 0 {
        split(rest).collect()
    } else {
        vec![rest]
    };
    let sources = parts
        .iter()
        .enumerate()
        .map(|(i, part)| (format!("f{i}/{name}"), part.to_vec()))
        .collect();
    if let Ok(loaded) = inventory::load_sources(sources, &opts) {
        analyse(&loaded);
    }
}

/// The importer's streaming path, which large files take (Defender TVM CSV, osquery logs,
/// and the fallback to a whole-file read for other formats): the bytes are written to a
/// temporary file and read from there. The first byte chooses the file name as in [`import`].
pub fn stream(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(selector & 7)];
    let unique = format!(
        "avmigrate-fuzz-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    );
    let dir = std::env::temp_dir().join(unique.replace(['(', ')'], ""));
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let path = dir.join(name);
    if std::fs::write(&path, rest).is_ok()
        && let Ok(loaded) = inventory::load_streamed(name.into(), path, &ImportOptions::default())
    {
        analyse(&loaded);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A mapping file, then (when it parses) the CSV after [`SPLIT`] read with it.
pub fn mapping(data: &[u8]) {
    let (map, csv) = match find(data, SPLIT) {
        Some(at) => (&data[..at], &data[at + SPLIT.len()..]),
        None => (data, &b""[..]),
    };
    let Ok(text) = std::str::from_utf8(map) else {
        return;
    };
    let Ok(mapping) = Mapping::parse(text, "map.toml") else {
        return;
    };
    let _ = mapping.describe();
    let opts = ImportOptions {
        mapping: Some(Arc::new(mapping)),
        ..ImportOptions::default()
    };
    if let Ok(loaded) = inventory::load_sources(vec![("data.csv".into(), csv.to_vec())], &opts) {
        analyse(&loaded);
    }
}

/// A rules file, combined with the built-in rules, then matched against the demo inventory.
pub fn rules(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(user) = RuleSet::parse(text, "rules.toml") else {
        return;
    };
    let _: Vec<String> = user
        .rules()
        .iter()
        .flat_map(|r| r.matcher_descriptions())
        .collect();
    let combined = builtin_rules().clone().combine(user);
    let _ = Analysis::run(&demo().inventory, &combined);
}

/// A catalogue file, combined with the built-in catalogue, then asked for the alternatives of
/// every demo asset that runs a flagged product.
pub fn catalog(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(user) = Catalog::parse(text, "vendors.toml") else {
        return;
    };
    let catalog = Catalog::builtin().combine(user);
    let demo = demo();
    let mut cache = CompatCache::new(&catalog, today());
    for (asset, findings) in demo
        .inventory
        .assets()
        .iter()
        .zip(demo.analysis.findings.iter())
    {
        if findings.is_empty() {
            continue;
        }
        let roles: Vec<&str> = findings.iter().map(|f| f.role.as_str()).collect();
        let needs = needs_for(asset, &roles);
        let _ = cache.candidates(asset, &needs);
    }
}

/// A plan file, validated against the demo inventory; a plan that parses must also survive
/// being written and read back unchanged, and read the same (or fail the same) when its tables
/// are read in pieces as when it is read whole.
pub fn plan(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let whole = crate::plan::file::parse(text, "plan.toml");
    let pieces = crate::plan::file_sections::with_pieces(0, 64, || {
        crate::plan::file::parse(text, "plan.toml")
    });
    assert!(
        format!("{pieces:?}") == format!("{whole:?}"),
        "read in pieces: {pieces:?}\nread whole: {whole:?}"
    );
    let Ok(plan) = whole else {
        return;
    };
    let demo = demo();
    let ctx = PlanContext::with_units(
        &demo.inventory,
        &demo.analysis,
        builtin_rules(),
        &demo.catalog,
        today(),
        Arc::clone(&demo.units),
    );
    let _ = crate::plan::validate::validate(&plan, &ctx, &[]);
    let written = crate::plan::file::to_toml(&plan);
    match crate::plan::file::parse(&written, "plan.toml (written)") {
        Ok(again) => assert!(
            again == plan,
            "a written plan reads back different:\n{written}"
        ),
        Err(e) => panic!("a written plan does not read back: {e}\n{written}"),
    }
}

fn analyse(loaded: &Loaded) {
    let _ = Analysis::run(&loaded.inventory, builtin_rules());
}

fn split(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(data);
    std::iter::from_fn(move || {
        let now = rest?;
        match find(now, SPLIT) {
            Some(at) => {
                rest = Some(&now[at + SPLIT.len()..]);
                Some(&now[..at])
            }
            None => {
                rest = None;
                Some(now)
            }
        }
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A fixed "today", so that a failure replays the same way on any day.
fn today() -> Date {
    Date::from_ymd(2027, 1, 4).unwrap_or(Date::MIN)
}

fn builtin_rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(RuleSet::builtin)
}

const DEMO_LABEL: &str = "assets/examples/stadtwerke.toml";
const DEMO_BYTES: &[u8] = include_bytes!("../assets/examples/stadtwerke.toml");

/// The demo inventory, analysed once.
struct Demo {
    inventory: Inventory,
    analysis: Analysis,
    catalog: Catalog,
    units: Arc<UnitGraph>,
}

fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let loaded = inventory::load_sources(
            vec![(DEMO_LABEL.to_string(), DEMO_BYTES.to_vec())],
            &ImportOptions::default(),
        )
        .unwrap_or_else(|e| panic!("the demo inventory does not import: {e}"));
        let analysis = Analysis::run(&loaded.inventory, builtin_rules());
        let units = Arc::new(unit_graph(&analysis));
        Demo {
            inventory: loaded.inventory,
            analysis,
            catalog: Catalog::builtin(),
            units,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_cuts_at_every_marker() {
        let parts: Vec<&[u8]> = split(b"a\n--8<--\nb\n--8<--\n").collect();
        assert_eq!(parts, [&b"a"[..], b"b", b""]);
    }

    #[test]
    fn every_target_takes_empty_and_demo_input() {
        for (_, target) in TARGETS {
            target(b"");
            target(DEMO_BYTES);
        }
    }

    #[test]
    fn the_example_plan_survives_the_plan_target() {
        plan(include_bytes!("../plans/example.toml"));
    }
}
