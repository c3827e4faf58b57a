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

/// `sha256:<hex>` of some bytes.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(71);
    s.push_str("sha256:");
    for b in digest.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Reads inventory files, hashes them, and imports them. Paths in the refs are relative to
/// `base` (the directory of the plan file).
pub fn read_inventory(
    paths: &[PathBuf],
    base: &Path,
    opts: &ImportOptions,
) -> Result<InventoryFiles, InputError> {
    let mut sources = Vec::with_capacity(paths.len());
    let mut refs = Vec::with_capacity(paths.len());
    for p in paths {
        let label = p.display().to_string();
        let bytes = crate::input::read(p, crate::input::INVENTORY_LIMIT).map_err(|e| {
            InputError::new(Location::file(&label), e.describe("an inventory file"))
        })?;
        refs.push(InventoryRef {
            path: relative_to(p, base),
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
        let paths: Vec<PathBuf> = plan.inventory.iter().map(|r| base.join(&r.path)).collect();
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

/// Writes a plan atomically with a backup of the previous file.
pub fn save_plan(path: &Path, plan: &Plan) -> Result<(), InputError> {
    crate::store::save_with_backup(path, file::to_toml(plan).as_bytes())
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
}
