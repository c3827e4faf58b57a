//! `merge`: the three-way merge of plan files, usable as a git merge driver.

use super::{EXIT_OK, EXIT_PROBLEMS, Failure, emit};
use crate::plan::file;
use crate::plan::merge::{Merged, merge, to_toml};
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

/// Merges BASE, OURS and THEIRS into OUT (OURS without `-o`); exit 1 when conflicts are left.
pub(super) fn run(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    output: Option<&Path>,
    out: &mut dyn Write,
) -> Result<i32, Failure> {
    let target = output.unwrap_or(ours);
    // git hands a merge driver temporary files of its own (`.merge_file_XXXXXX`) and removes
    // them afterwards: a backup or lock file beside them would be left in the working tree.
    let git_temp = output.is_none()
        && ours
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(".merge_file_"));
    let _lock = if git_temp {
        None
    } else {
        super::lock_plan(target)?
    };
    let (b, o, t) = (file::load(base)?, file::load(ours)?, file::load(theirs)?);
    let merged = merge(&b, &o, &t).map_err(|e| Failure::bad_input(format!("cannot merge: {e}")))?;
    super::dispose((b, o, t));
    let text = to_toml(&merged);
    let saved = if git_temp {
        crate::store::write_atomic(target, text.as_bytes()).map(|_| None)
    } else {
        crate::store::save_with_backup(target, text.as_bytes())
    };
    saved
        .map_err(|e| Failure::bad_input(format!("{}: cannot save plan: {e}", target.display())))?;
    emit(out, &summary(&merged, target))?;
    Ok(if merged.conflicts.is_empty() {
        EXIT_OK
    } else {
        EXIT_PROBLEMS
    })
}

/// What the merge did; conflicts one per line, as git reports its own.
fn summary(merged: &Merged, target: &Path) -> String {
    let mut s = String::new();
    let path = crate::model::text::clean(&target.display().to_string());
    if merged.conflicts.is_empty() {
        let _ = writeln!(
            s,
            "Merged into {path}: {} assets, {} waves, {} events.",
            merged.plan.assets.len(),
            merged.plan.waves.len(),
            merged.plan.events.len()
        );
        return s;
    }
    for c in &merged.conflicts {
        let _ = writeln!(s, "CONFLICT (plan): {c}");
    }
    let _ = writeln!(
        s,
        "Automatic merge of {path} left {} conflict(s): ours kept (listed at the top of the \
         file). Change what should differ with `avmigrate set`, then `git add` the plan.",
        merged.conflicts.len()
    );
    s
}
