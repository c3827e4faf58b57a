//! Per-wave target lists in the formats the rollout tools import: Configuration Manager
//! collections (a PowerShell script), Entra ID group members (bulk-import CSV), an Ansible
//! inventory (INI and YAML) and Kaspersky Security Center device lists (TXT).
//!
//! Every export is a value: the files (relative names and contents) and the assets that could
//! not be listed with the reason, so a caller can preview it before anything is written.

mod ansible;
mod configmgr;
mod intune;
mod ksc;

use crate::model::Asset;
use crate::plan::context::PlanContext;
use crate::plan::{Plan, PlannedAsset, Status, Wave};

/// One file of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    /// File name relative to the output directory (no directories, no `..`).
    pub name: String,
    /// The file's text, line ends included.
    pub contents: String,
}

/// A planned asset an export could not list, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The planned asset's id.
    pub asset: String,
    /// Its wave id.
    pub wave: String,
    /// Why it is not in the files.
    pub reason: String,
}

/// What an export produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Export {
    /// The files, in the order they should be listed.
    pub files: Vec<ExportFile>,
    /// Assets not listed in any file.
    pub skipped: Vec<Skipped>,
    /// Things listed that need a person's attention (an asset listed by name where an id
    /// was wanted …).
    pub warnings: Vec<String>,
}

/// The rollout tools a target list can be written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// Microsoft Configuration Manager: a PowerShell script per wave.
    ConfigMgr,
    /// Microsoft Intune / Entra ID: a group member CSV per wave.
    Intune,
    /// Ansible: one inventory (INI and YAML) with a group per wave and per product.
    Ansible,
    /// Kaspersky Security Center: a device list per wave for the removal task.
    Ksc,
}

/// The target lists of the plan's waves (or of one wave) for `tool`. Fails when `wave` names
/// no wave of the plan.
pub fn export(
    plan: &Plan,
    ctx: &PlanContext,
    tool: Tool,
    wave: Option<&str>,
) -> Result<Export, String> {
    let waves = select_waves(plan, wave)?;
    let mut out = Export::default();
    let lists: Vec<WaveTargets> = waves
        .into_iter()
        .map(|(n, w)| wave_targets(plan, ctx, n, w, &mut out.skipped))
        .collect();
    match tool {
        Tool::ConfigMgr => configmgr::write(plan, &lists, &mut out),
        Tool::Intune => intune::write(plan, &lists, &mut out),
        Tool::Ansible => ansible::write(&lists, &mut out),
        Tool::Ksc => ksc::write(&lists, &mut out),
    }
    Ok(out)
}

/// The waves to export with their 1-based position in the plan: all, or the one named
/// (case-insensitive).
pub fn select_waves<'p>(
    plan: &'p Plan,
    wave: Option<&str>,
) -> Result<Vec<(usize, &'p Wave)>, String> {
    let all = plan.waves.iter().enumerate().map(|(i, w)| (i + 1, w));
    match wave {
        None => Ok(all.collect()),
        Some(id) => match plan.wave_index(id) {
            Some(i) => Ok(vec![(i + 1, &plan.waves[i])]),
            None => {
                let ids: Vec<&str> = plan.waves.iter().map(|w| w.id.as_str()).collect();
                Err(format!(
                    "--wave {}: no such wave (the plan has {})",
                    crate::model::text::clean(id),
                    if ids.is_empty() {
                        "none".to_string()
                    } else {
                        ids.join(", ")
                    }
                ))
            }
        },
    }
}

/// One wave and the assets a rollout tool should target in it.
pub(crate) struct WaveTargets<'a> {
    /// 1-based position in the plan.
    pub number: usize,
    pub wave: &'a Wave,
    pub targets: Vec<Target<'a>>,
}

/// A planned asset with its inventory record.
pub(crate) struct Target<'a> {
    pub planned: &'a PlannedAsset,
    pub asset: &'a Asset,
}

impl Target<'_> {
    /// The host name the tools know the device by: its name, else its id.
    pub fn host(&self) -> &str {
        self.asset.display_name().trim()
    }

    /// A skip record for this asset.
    pub fn skip(&self, reason: impl Into<String>) -> Skipped {
        Skipped {
            asset: self.planned.id.clone(),
            wave: self.planned.wave.clone(),
            reason: reason.into(),
        }
    }
}

/// The assets of a wave a tool can target: in the inventory, not excluded, not a logical CI.
/// The others are recorded as skipped.
fn wave_targets<'a>(
    plan: &'a Plan,
    ctx: &'a PlanContext,
    number: usize,
    wave: &'a Wave,
    skipped: &mut Vec<Skipped>,
) -> WaveTargets<'a> {
    let mut targets = Vec::new();
    for a in plan.assets.iter().filter(|a| a.wave == wave.id) {
        let skip = |reason: &str| Skipped {
            asset: a.id.clone(),
            wave: a.wave.clone(),
            reason: reason.into(),
        };
        let Some(i) = ctx.inventory.resolve(&a.id) else {
            skipped.push(skip("not in the inventory any more"));
            continue;
        };
        let asset = &ctx.inventory.assets()[i];
        if a.status == Status::Excluded {
            skipped.push(skip("excluded from the migration"));
        } else if asset.kind.is_logical() {
            skipped.push(skip(
                "a logical CI: no device to target (its hosts carry it)",
            ));
        } else {
            targets.push(Target { planned: a, asset });
        }
    }
    WaveTargets {
        number,
        wave,
        targets,
    }
}

/// Up to 20 ids joined for a message, then how many more: a warning about a large wave stays
/// one readable line.
pub(crate) fn listed(ids: &[String]) -> String {
    const SHOWN: usize = 20;
    let mut text = ids
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > SHOWN {
        text.push_str(&format!(" … and {} more", ids.len() - SHOWN));
    }
    text
}

/// Why a host name cannot be written at all (empty, control characters), if it cannot.
pub(crate) fn unusable(name: &str) -> Option<&'static str> {
    if name.trim().is_empty() {
        Some("no usable name (empty)")
    } else if name.chars().any(|c| {
        c.is_control()
            || matches!(c, '\u{FFFD}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
    }) {
        Some("name contains control characters or line breaks")
    } else {
        None
    }
}

/// A file-name-safe slug of `text`: ASCII letters and digits lower-cased, every other run of
/// characters one `-`; never empty (`fallback`), at most 60 bytes, no `.` so never `..`.
pub fn slug(text: &str, fallback: &str) -> String {
    let mut s = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    let s: String = s.trim_matches('-').chars().take(60).collect();
    let s = s.trim_end_matches('-').to_string();
    if s.is_empty() { fallback.into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("../../etc/passwd", "x"), "etc-passwd");
        assert_eq!(slug("Müller, Anna", "x"), "m-ller-anna");
        assert_eq!(slug("..", "owner"), "owner");
        assert_eq!(slug("", "owner"), "owner");
        assert!(slug(&"a".repeat(200), "x").len() <= 60);
    }

    #[test]
    fn names_with_control_characters_are_unusable() {
        assert!(unusable("ws-01").is_none());
        assert!(unusable("  ").is_some());
        assert!(unusable("a\nb").is_some());
        assert!(unusable("a\u{202E}b").is_some());
        assert!(unusable("Müller-PC").is_none());
    }
}
