//! Three-way merge of plan files (`avmigrate merge BASE OURS THEIRS`), for people who change
//! copies of one plan in parallel (branches of a repository).
//!
//! A field one side changed against the base takes that side's value; both sides changing it
//! alike is no conflict; both changing it differently is a [`Conflict`], and ours is kept.
//! Records (waves, assets) are matched by id, collections (blackouts, alerts) by content, and
//! the history is the union of both sides'.

mod asset;
mod settings;
#[cfg(test)]
mod tests;
mod three;

use super::model::{Plan, Wave};
use three::{Report, render};

/// What a conflict is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The plan's own keys (`name`, `[import]`).
    Plan,
    /// `[settings]`, `[[blackout]]` and `[[vendor_rule]]`.
    Settings,
    /// A wave, by id.
    Wave(String),
    /// A planned asset, by id.
    Asset(String),
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scope::Plan => f.write_str("plan"),
            Scope::Settings => f.write_str("settings"),
            Scope::Wave(id) => write!(f, "wave {}", render(id)),
            Scope::Asset(id) => write!(f, "asset {}", render(id)),
        }
    }
}

/// A field both sides changed differently (ours is kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// What it is about.
    pub scope: Scope,
    /// The field (`wave`, `status`, …; `(record)` when one side removed the record).
    pub field: String,
    /// The value in the base, as written in the plan file; None when the base lacks the record.
    pub base: Option<String>,
    /// Ours; None when ours removed the record.
    pub ours: Option<String>,
    /// Theirs; None when theirs removed the record.
    pub theirs: Option<String>,
}

impl std::fmt::Display for Conflict {
    /// One line: `asset "srv-01" wave: base "w2", ours "w3" (kept), theirs "w4"`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(removed)".into());
        let base = self.base.clone().unwrap_or_else(|| "(absent)".into());
        write!(
            f,
            "{} {}: base {}, ours {} (kept), theirs {}",
            self.scope,
            self.field,
            base,
            show(&self.ours),
            show(&self.theirs)
        )
    }
}

/// The merged plan and the conflicts left for a decision.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The merged plan (ours where there are conflicts).
    pub plan: Plan,
    /// True conflicts, in plan order.
    pub conflicts: Vec<Conflict>,
}

/// Why plans cannot be merged at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// The sides are written in different schema versions.
    #[error(
        "plans of different schema versions (base {base}, ours {ours}, theirs {theirs}): open \
         each with the same avmigrate and save it first"
    )]
    Schema {
        /// The base's version.
        base: u32,
        /// Ours.
        ours: u32,
        /// Theirs.
        theirs: u32,
    },
    /// Ours and theirs were made from different inventory files or contents.
    #[error(
        "plans from different inventories (ours: {ours}; theirs: {theirs}): replan both on the \
         same inventory first"
    )]
    Inventory {
        /// Ours' inventory entries, `path sha256:…`.
        ours: String,
        /// Theirs'.
        theirs: String,
    },
}

/// Merges `ours` and `theirs`, both changed from `base`.
pub fn merge(base: &Plan, ours: &Plan, theirs: &Plan) -> Result<Merged, Refused> {
    if base.schema_version != ours.schema_version || ours.schema_version != theirs.schema_version {
        return Err(Refused::Schema {
            base: base.schema_version,
            ours: ours.schema_version,
            theirs: theirs.schema_version,
        });
    }
    let (o, t) = (inventory_key(ours), inventory_key(theirs));
    if o != t {
        let show = |k: &[(String, String)]| {
            let items: Vec<String> = k.iter().map(|(p, h)| format!("{p} {h}")).collect();
            crate::model::text::clean(&items.join(", "))
        };
        return Err(Refused::Inventory {
            ours: show(&o),
            theirs: show(&t),
        });
    }
    let mut report = Report::default();
    let mut plan = ours.clone();
    plan.name = report.value(
        &Scope::Plan,
        "name",
        Some(&base.name),
        &ours.name,
        &theirs.name,
    );
    plan.import = report.value(
        &Scope::Plan,
        "import",
        Some(&base.import),
        &ours.import,
        &theirs.import,
    );
    plan.settings = settings::merge(&mut report, base, ours, theirs);
    plan.waves = waves(&mut report, base, ours, theirs);
    let recorded = asset::Recorded::new(&base.events, &ours.events, &theirs.events);
    plan.assets = three::keyed(
        &mut report,
        &base.assets,
        &ours.assets,
        &theirs.assets,
        |a| a.id.as_str().to_lowercase(),
        |report, b, o, t| asset::merge(report, &recorded, b, o, t),
        |report, sides| {
            let id = sides.ours.or(sides.theirs).map(|a| a.id.clone());
            let scope = Scope::Asset(id.unwrap_or_default());
            report.removed(&scope, &sides, |a| {
                format!("wave {}, status {}", render(&a.wave), a.status)
            });
        },
    );
    plan.sort_assets();
    keep_used_waves(&mut report, &mut plan, ours, theirs);
    plan.events = three::events(&ours.events, &theirs.events);
    let (alerts, from_theirs) = three::set(&base.alerts, &ours.alerts, &theirs.alerts, |a| {
        (
            a.at,
            a.asset.to_lowercase(),
            a.kind,
            a.message.clone(),
            a.scan.clone(),
        )
    });
    plan.alerts = alerts;
    if from_theirs {
        plan.alerts.sort_by_key(|a| a.at);
    }
    Ok(Merged {
        plan,
        conflicts: report.conflicts,
    })
}

/// A wave one side removed while merged assets are still in it is kept (as the other side
/// has it) and reported: dropping it would leave those assets in no wave.
fn keep_used_waves(report: &mut Report, plan: &mut Plan, ours: &Plan, theirs: &Plan) {
    let have: std::collections::HashSet<String> =
        plan.waves.iter().map(|w| w.id.to_lowercase()).collect();
    let mut used: std::collections::BTreeMap<String, usize> = Default::default();
    for a in &plan.assets {
        let id = a.wave.to_lowercase();
        if !have.contains(&id) {
            *used.entry(id).or_default() += 1;
        }
    }
    for (id, n) in used {
        let find = |p: &Plan| p.waves.iter().find(|w| w.id.to_lowercase() == id).cloned();
        let Some(wave) = find(ours).or_else(|| find(theirs)) else {
            continue;
        };
        let show =
            |p: &Plan| find(p).map(|w| format!("{} (kept: {n} asset(s) in it)", render(&w.name)));
        report.conflict(
            &Scope::Wave(wave.id.clone()),
            "(record)",
            Some(render(&wave.name)),
            show(ours),
            show(theirs),
        );
        plan.waves.push(wave);
    }
    plan.waves.sort_by_key(|w| w.start);
}

/// `(path, hash)` of each inventory entry, sorted: the order of the entries does not matter.
fn inventory_key(plan: &Plan) -> Vec<(String, String)> {
    let mut k: Vec<(String, String)> = plan
        .inventory
        .iter()
        .map(|i| (i.path.clone(), i.hash.to_lowercase()))
        .collect();
    k.sort();
    k
}

/// Waves matched by id (case-insensitively), each field merged; then in schedule order.
fn waves(report: &mut Report, base: &Plan, ours: &Plan, theirs: &Plan) -> Vec<Wave> {
    let mut waves = three::keyed(
        report,
        &base.waves,
        &ours.waves,
        &theirs.waves,
        |w| w.id.to_lowercase(),
        |report, b, o, t| {
            let scope = Scope::Wave(o.id.clone());
            let mut w = o.clone();
            w.name = report.value(&scope, "name", b.map(|w| &w.name), &o.name, &t.name);
            // Start and end together: a wave taken from two sides could end before it starts.
            let days = |w: &Wave| (w.start, w.end);
            match three::pick(b.map(days).as_ref(), &days(o), &days(t)) {
                Some(&(start, end)) => (w.start, w.end) = (start, end),
                None => {
                    let show = |w: &Wave| format!("{}..{}", w.start, w.end);
                    report.conflict(
                        &scope,
                        "start..end",
                        b.map(show),
                        Some(show(o)),
                        Some(show(t)),
                    );
                }
            }
            w.capacity = report.value(
                &scope,
                "capacity",
                b.map(|w| &w.capacity),
                &o.capacity,
                &t.capacity,
            );
            w.frozen = report.value(&scope, "frozen", b.map(|w| &w.frozen), &o.frozen, &t.frozen);
            w
        },
        |report, sides| {
            let id = sides.ours.or(sides.theirs).map(|w| w.id.clone());
            report.removed(&Scope::Wave(id.unwrap_or_default()), &sides, |w| {
                format!("{} {}..{}", render(&w.name), w.start, w.end)
            });
        },
    );
    waves.sort_by_key(|w| w.start);
    waves
}

/// The text of a merged plan file: the canonical plan, with the conflicts (if any) as comments
/// after its first line, where `git diff` and a reader see them first. The comments go with
/// the next save.
pub fn to_toml(merged: &Merged) -> String {
    let text = super::file::to_toml(&merged.plan);
    if merged.conflicts.is_empty() {
        return text;
    }
    let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let mut out = String::with_capacity(text.len() + 120 * (merged.conflicts.len() + 1));
    out.push_str(first);
    out.push('\n');
    out.push_str(&format!(
        "# avmigrate merge: {} conflict(s), ours kept; change what should differ (avmigrate set), \
         then save the plan\n",
        merged.conflicts.len()
    ));
    for c in &merged.conflicts {
        out.push_str(&format!("# CONFLICT {c}\n"));
    }
    out.push_str(rest);
    out
}
