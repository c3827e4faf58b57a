//! Where the app keeps the autosave copy of a plan, and whether one is worth offering when a
//! plan is opened (read by the load worker, never by `update`).

use super::data::Data;
use crate::env::Env;
use crate::plan::workspace::content_hash;
use std::path::{Path, PathBuf};

/// Where the autosave copy of a plan lives.
pub fn autosave_path(env: &Env, plan_path: Option<&Path>) -> Option<PathBuf> {
    let dir = env.data_dir.as_ref()?.join("autosave");
    let key = match plan_path {
        Some(p) => {
            let abs = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
            content_hash(abs.display().to_string().as_bytes())[7..23].to_string()
        }
        None => "unsaved".to_string(),
    };
    Some(dir.join(format!("{key}.toml")))
}

/// An autosave newer than the plan file (and different from it), if any.
pub(super) fn autosave_candidate(env: &Env, data: &Data) -> Option<PathBuf> {
    let path = autosave_path(env, data.plan_path.as_deref())?;
    let meta = std::fs::metadata(&path).ok()?;
    let Some(plan_path) = data.plan_path.as_ref() else {
        // A plan that was never saved: offer it when it was made from this same inventory.
        let text = crate::input::read_text(&path, crate::input::PLAN_LIMIT).ok()?;
        let plan = crate::plan::file::parse(&text, "autosave").ok()?;
        let hashes = |refs: &[crate::plan::InventoryRef]| {
            refs.iter().map(|r| r.hash.clone()).collect::<Vec<_>>()
        };
        let same = !plan.inventory.is_empty()
            && hashes(&plan.inventory) == hashes(&data.shared.origin.refs);
        return same.then_some(path);
    };
    let plan_meta = std::fs::metadata(plan_path).ok()?;
    if meta.modified().ok()? <= plan_meta.modified().ok()? {
        return None;
    }
    let auto = crate::input::read(&path, crate::input::PLAN_LIMIT).ok()?;
    let current = crate::input::read(plan_path, crate::input::PLAN_LIMIT).ok()?;
    (auto != current).then_some(path)
}
