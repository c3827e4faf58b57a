//! A plan opened together with its inventory, rules and catalogue — what every plan command
//! (and the TUI) works on.

use super::file;
use super::model::{ImportSettings, InventoryRef, Plan};
use crate::analysis::Analysis;
use crate::catalog::Catalog;
use crate::error::{InputError, Location};
use crate::inventory::{self, ImportOptions, Loaded};
use crate::rules::RuleSet;
use sha2::{Digest, Sha256};
use std::path::{Component, Path, PathBuf};

/// Inventory files read from disk with their content hashes.
pub struct InventoryFiles {
    /// The imported, merged inventory.
    pub loaded: Loaded,
    /// One reference per file, path relative to `base`.
    pub refs: Vec<InventoryRef>,
}

/// How a plan names the demo inventory built into avmigrate (instead of a file path), so that a
/// plan made from the demo reopens wherever it is saved.
pub const BUILTIN_DEMO: &str = "builtin:demo";
/// The name the built-in demo inventory goes by in messages and import reports.
pub const DEMO_LABEL: &str = "assets/examples/stadtwerke.toml";
/// The built-in demo inventory.
pub const DEMO_BYTES: &[u8] = include_bytes!("../../assets/examples/stadtwerke.toml");

/// True when `path` is the built-in demo reference rather than a file.
pub fn is_builtin(path: &Path) -> bool {
    path.as_os_str() == BUILTIN_DEMO
}

/// The file (or the built-in demo) an `[[inventory]]` path of a plan in `base` refers to.
pub fn resolve(base: &Path, reference: &str) -> PathBuf {
    if reference == BUILTIN_DEMO {
        PathBuf::from(BUILTIN_DEMO)
    } else {
        base.join(reference)
    }
}

/// The `[[inventory]]` path a plan in `base` records for `path`: relative to `base`, or the
/// built-in demo reference as it is.
pub fn reference(path: &Path, base: &Path) -> String {
    if is_builtin(path) {
        BUILTIN_DEMO.to_string()
    } else {
        relative_to(path, base)
    }
}

/// `sha256:<hex>` of some bytes.
pub fn content_hash(bytes: &[u8]) -> String {
    hex_hash(Sha256::digest(bytes).as_slice())
}

/// The [`content_hash`] of the file at `path` (at most `limit` bytes), read in pieces: the
/// check before each save must not hold a large plan in memory a second time.
pub fn file_hash(path: &Path, limit: u64) -> Result<String, crate::input::ReadError> {
    let file = crate::input::open(path, limit)?;
    let mut sink = std::io::sink();
    let mut w = Hashing::new(&mut sink);
    let total = std::io::copy(&mut std::io::Read::take(file, limit + 1), &mut w)?;
    if total > limit {
        return Err(crate::input::ReadError::TooLarge(total, limit));
    }
    Ok(w.finish())
}

/// Writes a plan as TOML through `out`, streamed, and returns the [`content_hash`] of what
/// was written: a plan of a million assets is never held as one string to be hashed.
pub fn write_plan_hashed(plan: &Plan, out: &mut dyn std::io::Write) -> std::io::Result<String> {
    let mut w = Hashing::new(out);
    file::write_toml_to(plan, &mut w)?;
    Ok(w.finish())
}

/// A writer that passes bytes on and hashes them on the way.
struct Hashing<'a> {
    out: &'a mut dyn std::io::Write,
    hasher: Sha256,
}

impl<'a> Hashing<'a> {
    fn new(out: &'a mut dyn std::io::Write) -> Hashing<'a> {
        Hashing {
            out,
            hasher: Sha256::new(),
        }
    }

    /// The [`content_hash`] of everything written.
    fn finish(self) -> String {
        hex_hash(self.hasher.finalize().as_slice())
    }
}

impl std::io::Write for Hashing<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

fn hex_hash(digest: &[u8]) -> String {
    let mut s = String::with_capacity(71);
    s.push_str("sha256:");
    for b in digest.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Reads inventory files, hashes them, and imports them. Paths in the refs are relative to
/// `base` (the directory of the plan file); [`BUILTIN_DEMO`] reads the built-in demo.
pub fn read_inventory(
    paths: &[PathBuf],
    base: &Path,
    opts: &ImportOptions,
) -> Result<InventoryFiles, InputError> {
    let mut sources = Vec::with_capacity(paths.len());
    let mut refs = Vec::with_capacity(paths.len());
    for p in paths {
        let (label, bytes) = if is_builtin(p) {
            (DEMO_LABEL.to_string(), DEMO_BYTES.to_vec())
        } else {
            let label = p.display().to_string();
            let bytes = crate::input::read(p, crate::input::INVENTORY_LIMIT).map_err(|e| {
                InputError::new(Location::file(&label), e.describe("an inventory file"))
            })?;
            (label, bytes)
        };
        refs.push(InventoryRef {
            path: reference(p, base),
            hash: content_hash(&bytes),
        });
        sources.push((label, bytes));
    }
    Ok(InventoryFiles {
        loaded: inventory::load_sources(sources, opts)?,
        refs,
    })
}

/// The import options a plan's `[import]` table asks for; its mapping path is relative to
/// `base` (the plan file's directory).
pub fn import_options(settings: &ImportSettings, base: &Path) -> Result<ImportOptions, InputError> {
    let mapping = match &settings.mapping {
        Some(rel) => Some(std::sync::Arc::new(inventory::mapping::Mapping::load(
            &base.join(rel),
        )?)),
        None => None,
    };
    Ok(ImportOptions {
        input_format: settings.format.clone(),
        ksc_server: settings.ksc_server.clone(),
        sheet: settings.sheet.clone(),
        mapping,
        ..ImportOptions::default()
    })
}

/// The `[import]` table that records `opts` for a plan in `base`, so that reopening the plan
/// reads its inventory the same way.
pub fn import_settings(
    opts: &ImportOptions,
    mapping_path: Option<&Path>,
    base: &Path,
) -> ImportSettings {
    ImportSettings {
        format: opts.input_format.clone(),
        mapping: mapping_path.map(|p| relative_to(p, base)),
        ksc_server: opts.ksc_server.clone(),
        sheet: opts.sheet.clone(),
    }
}

/// A plan with everything needed to check, change and export it.
pub struct Workspace {
    /// Where the plan lives.
    pub plan_path: PathBuf,
    /// The plan.
    pub plan: Plan,
    /// Its inventory.
    pub loaded: Loaded,
    /// Flagged-product rules.
    pub rules: RuleSet,
    /// Vendor catalogue.
    pub catalog: Catalog,
    /// The analysis of the inventory.
    pub analysis: Analysis,
    /// Inventory files whose content changed since the plan was made.
    pub changed: Vec<String>,
}

impl Workspace {
    /// Opens a plan and re-reads the inventory it names (relative to the plan's directory).
    pub fn open(
        plan_path: &Path,
        rules: RuleSet,
        catalog: Catalog,
    ) -> Result<Workspace, InputError> {
        let plan = file::load(plan_path)?;
        let base = plan_dir(plan_path);
        if plan.inventory.is_empty() {
            return Err(InputError::new(
                Location::file(plan_path.display().to_string()),
                "the plan names no inventory file",
            ));
        }
        let paths = inventory_paths(&plan, &base);
        if let Some(missing) = missing_inventory(&paths) {
            return Err(InputError::new(
                Location::file(plan_path.display().to_string()),
                format!(
                    "the plan's inventory file {} is missing (moved or deleted?): put it back, \
                     or open the plan in the app (avmigrate open {}) to locate it",
                    missing.display(),
                    plan_path.display()
                ),
            ));
        }
        let opts = import_options(&plan.import, &base)?;
        let files = read_inventory(&paths, &base, &opts).map_err(|e| {
            InputError::new(
                e.location.clone(),
                format!("{} (inventory of plan {})", e.message, plan_path.display()),
            )
        })?;
        let changed = plan
            .inventory
            .iter()
            .zip(&files.refs)
            .filter(|(recorded, now)| recorded.hash != now.hash)
            .map(|(recorded, _)| recorded.path.clone())
            .collect();
        let analysis = Analysis::run(&files.loaded.inventory, &rules);
        Ok(Workspace {
            plan_path: plan_path.to_path_buf(),
            plan,
            loaded: files.loaded,
            rules,
            catalog,
            analysis,
            changed,
        })
    }

    /// Writes the plan atomically, keeping the previous version as `.bak`.
    pub fn save(&self) -> Result<(), InputError> {
        save_plan(&self.plan_path, &self.plan)
    }
}

/// The files (or the built-in demo) a plan in `base` names as its inventory.
pub fn inventory_paths(plan: &Plan, base: &Path) -> Vec<PathBuf> {
    plan.inventory
        .iter()
        .map(|r| resolve(base, &r.path))
        .collect()
}

/// The first of `paths` that does not exist (the built-in demo always does).
pub fn missing_inventory(paths: &[PathBuf]) -> Option<&PathBuf> {
    paths.iter().find(|p| {
        !is_builtin(p)
            && std::fs::metadata(p).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
    })
}

/// Writes a plan atomically with a backup of the previous file.
pub fn save_plan(path: &Path, plan: &Plan) -> Result<(), InputError> {
    crate::store::save_with_backup_by(path, &mut |out| file::write_toml_to(plan, out))
        .map(|_| ())
        .map_err(|e| {
            InputError::new(
                Location::file(path.display().to_string()),
                format!("cannot save plan: {e}"),
            )
        })
}

/// The directory a plan's relative paths start from.
pub fn plan_dir(plan_path: &Path) -> PathBuf {
    match plan_path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `target` relative to directory `base`, with `/` separators (falls back to the absolute
/// path when no relative path exists, e.g. across drives).
pub fn relative_to(target: &Path, base: &Path) -> String {
    let abs = |p: &Path| {
        std::fs::canonicalize(p).unwrap_or_else(|_| {
            std::env::current_dir()
                .map(|d| d.join(p))
                .unwrap_or_else(|_| p.to_path_buf())
        })
    };
    let (t, b) = (abs(target), abs(base));
    let tc: Vec<Component> = t.components().collect();
    let bc: Vec<Component> = b.components().collect();
    if tc.first() != bc.first() {
        return t.display().to_string();
    }
    let common = tc.iter().zip(&bc).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..bc.len() {
        parts.push("..".into());
    }
    for c in &tc[common..] {
        parts.push(c.as_os_str().to_string_lossy().into_owned());
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_sha256() {
        assert_eq!(
            content_hash(b"abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_builtin_demo_resolves_and_records_as_itself() {
        let base = Path::new("/somewhere/plans");
        let demo = resolve(base, BUILTIN_DEMO);
        assert!(is_builtin(&demo));
        assert_eq!(reference(&demo, base), BUILTIN_DEMO);
        assert_eq!(resolve(base, "inv.toml"), base.join("inv.toml"));
        let files = read_inventory(&[demo], base, &ImportOptions::default()).unwrap();
        assert_eq!(files.loaded.inventory.len(), 156);
        assert_eq!(files.refs[0].path, BUILTIN_DEMO);
        assert_eq!(files.refs[0].hash, content_hash(DEMO_BYTES));
        assert_eq!(missing_inventory(&[PathBuf::from(BUILTIN_DEMO)]), None);
        let gone = [PathBuf::from("/no/such/inventory.toml")];
        assert_eq!(missing_inventory(&gone), Some(&gone[0]));
    }

    #[test]
    fn relative_paths_walk_up_and_down() {
        let dir = tempfile::tempdir().unwrap();
        let plans = dir.path().join("plans");
        let inv = dir.path().join("assets").join("inv.toml");
        std::fs::create_dir_all(&plans).unwrap();
        std::fs::create_dir_all(inv.parent().unwrap()).unwrap();
        std::fs::write(&inv, "").unwrap();
        assert_eq!(relative_to(&inv, &plans), "../assets/inv.toml");
        assert_eq!(relative_to(&inv, dir.path()), "assets/inv.toml");
    }

    #[test]
    fn a_streamed_plan_hashes_as_its_text() {
        use crate::plan::model::{PlannedAsset, Settings};
        let plan = Plan {
            schema_version: 1,
            name: "t".into(),
            inventory: vec![],
            import: Default::default(),
            settings: Settings::new("2026-12-07".parse().unwrap()),
            waves: vec![],
            assets: vec![PlannedAsset::new("a", "w1"), PlannedAsset::new("b", "w1")],
            events: vec![],
            alerts: Vec::new(),
        };
        let mut written = Vec::new();
        let hash = write_plan_hashed(&plan, &mut written).unwrap();
        assert_eq!(written, file::to_toml(&plan).into_bytes());
        assert_eq!(hash, content_hash(&written));
    }

    #[test]
    fn a_file_hashes_as_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(file_hash(&path, 1 << 20).unwrap(), content_hash(&bytes));
        assert!(file_hash(&path, 1000).is_err(), "over the limit");
    }
}
