//! The plan file: canonical TOML that loads and saves byte for byte.

use super::model::*;
use crate::error::{InputError, Location};
use crate::model::Named;
use crate::model::{Date, Timestamp};
use crate::tomlfmt::{error_location, quote};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanDto {
    schema_version: u32,
    name: String,
    #[serde(default)]
    inventory: Vec<InventoryRef>,
    #[serde(default)]
    import: ImportSettings,
    settings: SettingsDto,
    #[serde(default)]
    blackout: Vec<Blackout>,
    #[serde(default)]
    vendor_rule: Vec<VendorRule>,
    #[serde(default)]
    wave: Vec<WaveDto>,
    #[serde(default)]
    asset: Vec<AssetDto>,
    #[serde(default)]
    event: Vec<EventDto>,
    #[serde(default)]
    alert: Vec<AlertDto>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AlertDto {
    at: Timestamp,
    asset: String,
    kind: AlertKind,
    message: String,
    #[serde(default)]
    scan: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsDto {
    #[serde(default)]
    strategy: Strategy,
    wave_size: usize,
    #[serde(default = "default_wave_days")]
    wave_days: u32,
    start: Date,
    #[serde(default)]
    deadline: Option<Date>,
    #[serde(default)]
    preference: Vec<String>,
    #[serde(default)]
    site_capacity: BTreeMap<String, usize>,
}

fn default_wave_days() -> u32 {
    5
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WaveDto {
    id: String,
    name: String,
    start: Date,
    end: Date,
    capacity: usize,
    #[serde(default)]
    frozen: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssetDto {
    id: String,
    wave: String,
    #[serde(default)]
    product: Option<String>,
    status: Status,
    #[serde(default)]
    pinned: bool,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    product_reason: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    status_reason: Option<String>,
    #[serde(default)]
    approver: Option<String>,
    #[serde(default)]
    review: Option<Date>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    needs_decision: bool,
    #[serde(default)]
    decision: Option<Decision>,
    #[serde(default)]
    protection: Option<Protection>,
    coverage: Option<Coverage>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventDto {
    at: Timestamp,
    asset: String,
    #[serde(default = "status_field")]
    field: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    by: String,
    #[serde(default)]
    note: Option<String>,
}

fn status_field() -> String {
    "status".into()
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
    let dto: PlanDto = toml::from_str(text).map_err(|e| error_location(text, label, &e))?;
    let mut plan = Plan {
        schema_version: dto.schema_version,
        name: dto.name,
        inventory: dto.inventory,
        import: dto.import,
        settings: Settings {
            strategy: dto.settings.strategy,
            wave_size: dto.settings.wave_size,
            wave_days: dto.settings.wave_days,
            start: dto.settings.start,
            deadline: dto.settings.deadline,
            site_capacity: dto.settings.site_capacity,
            blackouts: dto.blackout,
            vendor_rules: dto.vendor_rule,
            preference: dto.settings.preference,
        },
        waves: dto
            .wave
            .into_iter()
            .map(|w| Wave {
                id: w.id,
                name: w.name,
                start: w.start,
                end: w.end,
                capacity: w.capacity,
                frozen: w.frozen,
            })
            .collect(),
        assets: dto
            .asset
            .into_iter()
            .map(|a| PlannedAsset {
                id: a.id,
                wave: a.wave,
                product: a.product,
                status: a.status,
                pinned: a.pinned,
                reason: a.reason,
                product_reason: a.product_reason,
                note: a.note,
                status_reason: a.status_reason,
                approver: a.approver,
                review: a.review,
                source: a.source,
                needs_decision: a.needs_decision,
                decision: a.decision,
                protection: a.protection,
                coverage: a.coverage,
            })
            .collect(),
        events: dto
            .event
            .into_iter()
            .map(|e| Event {
                at: e.at,
                asset: e.asset,
                field: e.field,
                from: e.from,
                to: e.to,
                by: e.by,
                note: e.note,
            })
            .collect(),
        alerts: dto
            .alert
            .into_iter()
            .map(|a| Alert {
                at: a.at,
                asset: a.asset,
                kind: a.kind,
                message: a.message,
                scan: a.scan,
            })
            .collect(),
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
        if seen.insert(a.id.to_lowercase(), ()).is_some() {
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
    write_toml(plan, &mut s);
    s
}

/// [`to_toml`] written to `out` through a buffer: a plan of a million assets never exists
/// as one string.
pub fn write_toml_to(plan: &Plan, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut w = IoText {
        out: std::io::BufWriter::with_capacity(1 << 16, out),
        error: None,
    };
    write_toml(plan, &mut w);
    match w.error.take() {
        Some(e) => Err(e),
        None => std::io::Write::flush(&mut w.out),
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

/// Writes the canonical text; write errors are left for the writer to report.
fn write_toml(plan: &Plan, s: &mut impl std::fmt::Write) {
    let _ = writeln!(s, "schema_version = {}", plan.schema_version);
    let _ = writeln!(s, "name = {}", quote(&plan.name));
    for inv in &plan.inventory {
        let _ = writeln!(s, "\n[[inventory]]");
        let _ = writeln!(s, "path = {}", quote(&inv.path));
        let _ = writeln!(s, "hash = {}", quote(&inv.hash));
    }
    if !plan.import.is_default() {
        let _ = writeln!(s, "\n[import]");
        let fields = [
            ("format", &plan.import.format),
            ("mapping", &plan.import.mapping),
            ("ksc_server", &plan.import.ksc_server),
            ("sheet", &plan.import.sheet),
        ];
        for (key, value) in fields {
            if let Some(v) = value {
                let _ = writeln!(s, "{key} = {}", quote(v));
            }
        }
    }
    let st = &plan.settings;
    let _ = writeln!(s, "\n[settings]");
    let _ = writeln!(s, "strategy = {}", quote(st.strategy.as_str()));
    let _ = writeln!(s, "wave_size = {}", st.wave_size);
    let _ = writeln!(s, "wave_days = {}", st.wave_days);
    let _ = writeln!(s, "start = {}", st.start);
    if let Some(d) = st.deadline {
        let _ = writeln!(s, "deadline = {d}");
    }
    if !st.preference.is_empty() {
        let _ = writeln!(s, "preference = {}", string_array(&st.preference));
    }
    if !st.site_capacity.is_empty() {
        let _ = writeln!(s, "\n[settings.site_capacity]");
        for (site, n) in &st.site_capacity {
            let _ = writeln!(s, "{} = {n}", quote(site));
        }
    }
    for b in &st.blackouts {
        let _ = writeln!(s, "\n[[blackout]]");
        let _ = writeln!(s, "from = {}", b.from);
        let _ = writeln!(s, "to = {}", b.to);
        if let Some(r) = &b.reason {
            let _ = writeln!(s, "reason = {}", quote(r));
        }
    }
    for r in &st.vendor_rules {
        let _ = writeln!(s, "\n[[vendor_rule]]");
        let _ = writeln!(s, "product = {}", quote(&r.product));
        let _ = writeln!(s, "when = {}", when_inline(&r.when));
    }
    for w in &plan.waves {
        let _ = writeln!(s, "\n[[wave]]");
        let _ = writeln!(s, "id = {}", quote(&w.id));
        let _ = writeln!(s, "name = {}", quote(&w.name));
        let _ = writeln!(s, "start = {}", w.start);
        let _ = writeln!(s, "end = {}", w.end);
        let _ = writeln!(s, "capacity = {}", w.capacity);
        if w.frozen {
            let _ = writeln!(s, "frozen = true");
        }
    }
    for a in &plan.assets {
        write_asset(s, a);
    }
    for e in &plan.events {
        let _ = writeln!(s, "\n[[event]]");
        let _ = writeln!(s, "at = {}", e.at);
        let _ = writeln!(s, "asset = {}", quote(&e.asset));
        if e.field != "status" {
            let _ = writeln!(s, "field = {}", quote(&e.field));
        }
        let _ = writeln!(s, "from = {}", quote(&e.from));
        let _ = writeln!(s, "to = {}", quote(&e.to));
        let _ = writeln!(s, "by = {}", quote(&e.by));
        if let Some(n) = &e.note {
            let _ = writeln!(s, "note = {}", quote(n));
        }
    }
    for a in &plan.alerts {
        let _ = writeln!(s, "\n[[alert]]");
        let _ = writeln!(s, "at = {}", a.at);
        let _ = writeln!(s, "asset = {}", quote(&a.asset));
        let _ = writeln!(s, "kind = {}", quote(a.kind.as_str()));
        let _ = writeln!(s, "message = {}", quote(&a.message));
        if !a.scan.is_empty() {
            let _ = writeln!(s, "scan = {}", quote(&a.scan));
        }
    }
}

fn write_asset(s: &mut impl std::fmt::Write, a: &PlannedAsset) {
    let _ = writeln!(s, "\n[[asset]]");
    let _ = writeln!(s, "id = {}", quote(&a.id));
    let _ = writeln!(s, "wave = {}", quote(&a.wave));
    if let Some(p) = &a.product {
        let _ = writeln!(s, "product = {}", quote(p));
    }
    let _ = writeln!(s, "status = {}", quote(a.status.as_str()));
    if a.pinned {
        let _ = writeln!(s, "pinned = true");
    }
    if !a.reason.is_empty() {
        let _ = writeln!(s, "reason = {}", quote(&a.reason));
    }
    if !a.product_reason.is_empty() {
        let _ = writeln!(s, "product_reason = {}", quote(&a.product_reason));
    }
    if let Some(c) = &a.coverage {
        let _ = writeln!(
            s,
            "coverage = {{ via = {}, function = {}, by = {} }}",
            quote(&c.via),
            quote(c.function.as_str()),
            quote(c.by.as_str())
        );
    }
    for (key, value) in [
        ("note", &a.note),
        ("status_reason", &a.status_reason),
        ("approver", &a.approver),
    ] {
        if let Some(v) = value {
            let _ = writeln!(s, "{key} = {}", quote(v));
        }
    }
    if let Some(d) = a.review {
        let _ = writeln!(s, "review = {d}");
    }
    if let Some(src) = &a.source {
        let _ = writeln!(s, "source = {}", quote(src));
    }
    if a.needs_decision {
        let _ = writeln!(s, "needs_decision = true");
    }
    if let Some(d) = &a.decision {
        let _ = writeln!(
            s,
            "decision = {{ option = {}, rationale = {}, approver = {}, review = {} }}",
            quote(d.option.as_str()),
            quote(&d.rationale),
            quote(&d.approver),
            d.review
        );
    }
    if let Some(p) = &a.protection {
        let _ = writeln!(s, "protection = {}", p.to_inline());
    }
}

fn string_array(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|i| quote(i)).collect();
    format!("[{}]", inner.join(", "))
}

fn when_inline(w: &When) -> String {
    let mut parts = Vec::new();
    let names = |v: Vec<&str>| {
        let q: Vec<String> = v.into_iter().map(quote).collect();
        format!("[{}]", q.join(", "))
    };
    if !w.kind.is_empty() {
        parts.push(format!(
            "kind = {}",
            names(w.kind.iter().map(|k| k.as_str()).collect())
        ));
    }
    if !w.os_family.is_empty() {
        parts.push(format!(
            "os_family = {}",
            names(w.os_family.iter().map(|k| k.as_str()).collect())
        ));
    }
    if !w.site.is_empty() {
        parts.push(format!("site = {}", string_array(&w.site)));
    }
    if !w.tag.is_empty() {
        parts.push(format!("tag = {}", string_array(&w.tag)));
    }
    if !w.criticality.is_empty() {
        parts.push(format!(
            "criticality = {}",
            names(w.criticality.iter().map(|k| k.as_str()).collect())
        ));
    }
    if parts.is_empty() {
        "{}".into()
    } else {
        format!("{{ {} }}", parts.join(", "))
    }
}
