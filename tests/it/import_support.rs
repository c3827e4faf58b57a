//! Shared helpers for the importer tests: load in-memory files as one inventory and look
//! into the result.

use avmigrate::error::InputError;
use avmigrate::inventory::{ImportOptions, Loaded, load_sources, with_chunks};
use avmigrate::model::{Asset, RelationKind};

/// Loads `(label, text)` files with `opts`; the error as text.
pub fn load_with(files: &[(&str, &str)], opts: &ImportOptions) -> Result<Loaded, String> {
    let sources = files
        .iter()
        .map(|(label, text)| (label.to_string(), text.as_bytes().to_vec()))
        .collect();
    load_checked(sources, opts).map_err(|e| e.to_string())
}

/// [`load_sources`], checked against reading each generic asset CSV in 2 and in 3 chunks
/// (however small): the chunked reading must give the same assets, reports, warnings and
/// provenance, or the same error.
pub fn load_checked(
    sources: Vec<(String, Vec<u8>)>,
    opts: &ImportOptions,
) -> Result<Loaded, InputError> {
    let once = load_sources(sources.clone(), opts);
    for chunks in [2, 3] {
        let chunked = with_chunks(chunks, || load_sources(sources.clone(), opts));
        assert_eq!(outcome(&chunked), outcome(&once), "read in {chunks} chunks");
    }
    once
}

fn outcome(read: &Result<Loaded, InputError>) -> String {
    match read {
        Ok(l) => format!(
            "{:#?}\n{:#?}\n{:#?}\n{:#?}",
            l.inventory.assets(),
            l.files,
            l.warnings,
            l.provenance
        ),
        Err(e) => format!("error: {e}"),
    }
}

/// Loads `(label, text)` files with the default options; panics with the error.
pub fn load(files: &[(&str, &str)]) -> Loaded {
    load_with(files, &ImportOptions::default()).unwrap_or_else(|e| panic!("import failed: {e}"))
}

/// The asset `id`; panics when there is none.
pub fn asset<'a>(loaded: &'a Loaded, id: &str) -> &'a Asset {
    loaded
        .inventory
        .get(id)
        .unwrap_or_else(|| panic!("no asset {id}"))
}

/// Every asset id, in inventory order.
pub fn ids(loaded: &Loaded) -> Vec<&str> {
    loaded
        .inventory
        .assets()
        .iter()
        .map(|a| a.id.as_str())
        .collect()
}

/// The import warnings as text.
pub fn warnings(loaded: &Loaded) -> Vec<String> {
    loaded.warnings.iter().map(ToString::to_string).collect()
}

/// Where an asset comes from ("file:line"), "" when unknown.
pub fn origin(a: &Asset) -> String {
    a.origin
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// The names of an asset's software.
pub fn software(a: &Asset) -> Vec<&str> {
    a.software.iter().map(|s| s.name.as_str()).collect()
}

/// The relations of an asset as (target, kind, origin).
pub fn deps(loaded: &Loaded, id: &str) -> Vec<(String, RelationKind, String)> {
    asset(loaded, id)
        .depends_on
        .iter()
        .map(|r| {
            let at = r
                .origin
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            (r.target.to_string(), r.kind, at)
        })
        .collect()
}
