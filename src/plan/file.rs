//! The plan file: canonical TOML that loads and saves byte for byte.

use super::model::*;
use crate::error::{InputError, Location};
use crate::tomlfmt::ser::{self, Escape, Writer};
use crate::tomlfmt::{error_location, quote};
use serde::Deserialize;
use std::path::Path;

/// The plan file's top level. Every table is the model struct it is written from; only
/// `[[blackout]]` and `[[vendor_rule]]` sit at the top of the file but in [`Settings`] in memory.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanDto {
    schema_version: u32,
    name: String,
    #[serde(default)]
    inventory: Vec<InventoryRef>,
    #[serde(default)]
    import: ImportSettings,
    settings: Settings,
    #[serde(default)]
    blackout: Vec<Blackout>,
    #[serde(default)]
    vendor_rule: Vec<VendorRule>,
    #[serde(default)]
    wave: Vec<Wave>,
    #[serde(default)]
    asset: Vec<PlannedAsset>,
    #[serde(default)]
    event: Vec<Event>,
    #[serde(default)]
    alert: Vec<Alert>,
}

/// Reads a plan file.
pub fn load(path: &Path) -> Result<Plan, InputError> {
    let label = path.display().to_string();
    let text = crate::input::read_text(path, crate::input::PLAN_LIMIT).map_err(|e| {
        let message = match e {
            crate::input::ReadError::Directory => e.describe("a plan file"),
            e => format!("plan file {e}"),
        };
        InputError::new(Location::file(&label), message)
    })?;
    parse(&text, &label)
}

/// The plan's tables as written. A large plan's asset and event tables are read in pieces
/// ([`super::file_sections`]); whenever that cannot give the same result the whole text is
/// parsed at once, which also places every error exactly.
fn read_dto(text: &str) -> Result<PlanDto, toml::de::Error> {
    use crate::model::text::sharing_equal_texts;
    if let Some(sections) = super::file_sections::read(text)
        && let Ok(mut dto) = sharing_equal_texts(|| toml::from_str::<PlanDto>(&sections.rest))
        && dto.asset.is_empty()
        && dto.event.is_empty()
    {
        dto.asset = sections.assets;
        dto.event = sections.events;
        return Ok(dto);
    }
    sharing_equal_texts(|| toml::from_str(text))
}

/// Parses plan text; `label` names the file in messages.
pub fn parse(text: &str, label: &str) -> Result<Plan, InputError> {
    crate::tomlfmt::check_punctuation(text, label)?;
    if let Some((version, line)) = declared_schema_version(text)
        && version > SCHEMA_VERSION
    {
        return Err(InputError::new(
            Location::line(label, line),
            format!(
                "plan schema version {version} is newer than this avmigrate supports \
                 ({SCHEMA_VERSION}); upgrade avmigrate to open it"
            ),
        ));
    }
    let dto = read_dto(text).map_err(|e| error_location(text, label, &e))?;
    let mut settings = dto.settings;
    settings.blackouts = dto.blackout;
    settings.vendor_rules = dto.vendor_rule;
    let mut plan = Plan {
        schema_version: dto.schema_version,
        name: dto.name,
        inventory: dto.inventory,
        import: dto.import,
        settings,
        waves: dto.wave,
        assets: dto.asset,
        events: dto.event,
        alerts: dto.alert,
    };
    check_structure(&plan, text, label)?;
    // Wave ids compare case-insensitively; a hand-edited "W4" names wave "w4" everywhere.
    for i in 0..plan.assets.len() {
        if let Some(w) = plan.wave_index(&plan.assets[i].wave) {
            plan.assets[i].wave.clone_from(&plan.waves[w].id);
        }
    }
    // Id order in memory whatever the order in the file (a hand edit may append anywhere).
    plan.sort_assets();
    Ok(plan)
}

/// True when `head` (the start of a file) is a plan's: a `schema_version` key among the
/// top-level keys, whatever its value (a plan with a bad one is then refused as a plan).
pub fn looks_like_plan(head: &str) -> bool {
    head.lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with('['))
        .any(|l| l.starts_with("schema_version"))
}

/// `schema_version = N` among the top-level keys, with its line.
fn declared_schema_version(text: &str) -> Option<(u32, usize)> {
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            return None;
        }
        if let Some(rest) = t.strip_prefix("schema_version")
            && let Some(value) = rest.trim_start().strip_prefix('=')
        {
            let digits: String = value
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            return digits.parse().ok().map(|v| (v, i + 1));
        }
    }
    None
}

fn check_structure(plan: &Plan, text: &str, label: &str) -> Result<(), InputError> {
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.trim() == needle)
            .map(|i| i + 1)
            .unwrap_or(0)
    };
    let at = |needle: &str| match line_of(needle) {
        0 => Location::file(label),
        n => Location::line(label, n),
    };
    if plan.settings.wave_size == 0 {
        return Err(InputError::new(
            at("[settings]"),
            "wave_size must be at least 1",
        ));
    }
    let days = plan.settings.wave_days;
    if !(1..=MAX_WAVE_DAYS).contains(&days) {
        return Err(InputError::new(
            at(&format!("wave_days = {days}")),
            format!("wave_days = {days}: a wave lasts 1 to {MAX_WAVE_DAYS} working days"),
        ));
    }
    let mut seen = std::collections::HashMap::new();
    for w in &plan.waves {
        if seen.insert(w.id.to_lowercase(), ()).is_some() {
            let needle = format!("id = {}", quote(&w.id));
            return Err(InputError::new(
                at(&needle),
                format!("duplicate wave id \"{}\"", w.id),
            ));
        }
        if w.end < w.start {
            return Err(InputError::new(
                at(&format!("id = {}", quote(&w.id))),
                format!(
                    "wave \"{}\" ends ({}) before it starts ({})",
                    w.id, w.end, w.start
                ),
            ));
        }
    }
    let mut seen = std::collections::HashMap::new();
    for a in &plan.assets {
        if seen.insert(a.id.as_str().to_lowercase(), ()).is_some() {
            return Err(InputError::new(
                at(&format!("id = {}", quote(&a.id))),
                format!("asset \"{}\" is planned twice", a.id),
            ));
        }
        if let Some(Err(e)) = a.decision.as_ref().map(|d| d.check(&a.id)) {
            return Err(InputError::new(
                at(&format!("id = {}", quote(&a.id))),
                e.to_string(),
            ));
        }
    }
    for b in &plan.settings.blackouts {
        if b.to < b.from {
            return Err(InputError::new(
                Location::file(label),
                format!("blackout ends ({}) before it starts ({})", b.to, b.from),
            ));
        }
    }
    Ok(())
}

/// The canonical text of a plan (deterministic; loading it gives the same plan).
pub fn to_toml(plan: &Plan) -> String {
    let mut s = String::with_capacity(256 + plan.assets.len() * 160);
    // Writing into a string cannot fail, and every table is a struct the serializer lays out
    // (the round-trip tests write each kind of field).
    let _ = write_toml(plan, &mut s);
    s
}

/// [`to_toml`] written to `out` through a buffer: a plan of a million assets never exists
/// as one string.
pub fn write_toml_to(plan: &Plan, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut w = IoText {
        out: std::io::BufWriter::with_capacity(1 << 16, out),
        error: None,
    };
    let written = write_toml(plan, &mut w);
    match (w.error.take(), written) {
        (Some(e), _) => Err(e),
        (None, Err(e)) => Err(std::io::Error::other(e)),
        (None, Ok(())) => std::io::Write::flush(&mut w.out),
    }
}

/// Text into an I/O writer, keeping the first I/O error (formatting errors carry none).
struct IoText<W: std::io::Write> {
    out: W,
    error: Option<std::io::Error>,
}

impl<W: std::io::Write> std::fmt::Write for IoText<W> {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        if self.error.is_some() {
            return Err(std::fmt::Error);
        }
        self.out.write_all(text.as_bytes()).map_err(|e| {
            self.error = Some(e);
            std::fmt::Error
        })
    }
}

/// Writes the canonical text: the top-level keys, then each table from its struct.
fn write_toml(plan: &Plan, out: &mut impl std::fmt::Write) -> Result<(), ser::Error> {
    let mut w = Writer::new(out, Escape::Plain);
    w.key("schema_version", &plan.schema_version)?;
    w.key("name", &plan.name)?;
    for inv in &plan.inventory {
        w.array_table("inventory", inv)?;
    }
    if !plan.import.is_default() {
        w.table("import", &plan.import)?;
    }
    w.table("settings", &plan.settings)?;
    for b in &plan.settings.blackouts {
        w.array_table("blackout", b)?;
    }
    for r in &plan.settings.vendor_rules {
        w.array_table("vendor_rule", r)?;
    }
    for wave in &plan.waves {
        w.array_table("wave", wave)?;
    }
    for a in &plan.assets {
        w.array_table("asset", a)?;
    }
    for e in &plan.events {
        w.array_table("event", e)?;
    }
    for a in &plan.alerts {
        w.array_table("alert", a)?;
    }
    Ok(())
}

#[cfg(test)]
#[path = "file_tests.rs"]
mod tests;
