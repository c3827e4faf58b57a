//! The plan as iCalendar (RFC 5545): one all-day event per wave spanning its window, with the
//! wave's systems and their steps; per site and per owner calendars on request.

use super::targets::{Export, ExportFile, Skipped, slug};
use crate::model::Timestamp;
use crate::plan::context::PlanContext;
use crate::plan::steps::steps_for;
use crate::plan::{Plan, Wave};
use sha2::Digest;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The whole plan's calendar (every wave, even one without systems).
pub fn calendar(plan: &Plan, ctx: &PlanContext, now: Timestamp) -> String {
    let systems = Systems::of(plan, ctx);
    let every: Vec<Vec<&str>> = (systems.all.iter())
        .map(|w| w.iter().map(|s| s.text.as_str()).collect())
        .collect();
    render(plan, now, "all", &every, true)
}

/// One planned system of a wave: its line in the event, and the site and owner it belongs to
/// (lower-cased keys; None for an asset the inventory lost).
struct System {
    text: String,
    site: Option<String>,
    owner: Option<String>,
}

/// Every wave's systems, in work order, computed once for all calendars.
struct Systems {
    all: Vec<Vec<System>>,
}

impl Systems {
    fn of(plan: &Plan, ctx: &PlanContext) -> Systems {
        let members = super::work_order(plan, ctx);
        let all = (plan.waves.iter())
            .map(|w| {
                let list = members.get(w.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
                list.iter().map(|&k| system(plan, ctx, k)).collect()
            })
            .collect();
        Systems { all }
    }

    /// Per scope key (`site:<key>`, `owner:<key>`), the systems of each wave: one pass over
    /// the plan for all scopes.
    fn by_scope(&self) -> BTreeMap<String, Vec<Vec<&str>>> {
        let mut out: BTreeMap<String, Vec<Vec<&str>>> = BTreeMap::new();
        for (w, list) in self.all.iter().enumerate() {
            for s in list {
                let keys = [("site", &s.site), ("owner", &s.owner)];
                for (kind, key) in keys {
                    if let Some(key) = key {
                        let waves = out
                            .entry(format!("{kind}:{key}"))
                            .or_insert_with(|| vec![Vec::new(); self.all.len()]);
                        waves[w].push(&s.text);
                    }
                }
            }
        }
        out
    }
}

fn system(plan: &Plan, ctx: &PlanContext, k: usize) -> System {
    let a = &plan.assets[k];
    let Some(i) = ctx.inventory.resolve(&a.id) else {
        return System {
            text: format!("{} (not in the inventory any more)", a.id),
            site: None,
            owner: None,
        };
    };
    let asset = &ctx.inventory.assets()[i];
    let steps: Vec<&str> = steps_for(ctx, a, i).iter().map(|s| s.key).collect();
    let product = a.product.as_deref().unwrap_or("no product yet");
    let mut line = format!("{} ({})", a.id, asset.display_name());
    for (label, v) in [("site", asset.site()), ("owner", asset.owner())] {
        if let Some(v) = v {
            let _ = write!(line, ", {label} {v}");
        }
    }
    let _ = write!(line, ": {product}; steps: {}", steps.join(", "));
    System {
        text: line,
        site: asset.site().map(|t| t.as_str()).map(str::to_lowercase),
        owner: asset.owner().map(|t| t.as_str()).map(str::to_lowercase),
    }
}

/// `calendar.ics` with every wave, and with `per_scope` one calendar per site
/// (`site-<slug>.ics`) and per owner (`owner-<slug>.ics`) holding the waves that touch their
/// systems. Planned assets the inventory lost are listed as skipped.
pub fn export(plan: &Plan, ctx: &PlanContext, now: Timestamp, per_scope: bool) -> Export {
    let systems = Systems::of(plan, ctx);
    let every: Vec<Vec<&str>> = (systems.all.iter())
        .map(|w| w.iter().map(|s| s.text.as_str()).collect())
        .collect();
    let mut out = Export {
        files: vec![ExportFile {
            name: "calendar.ics".into(),
            contents: render(plan, now, "all", &every, true),
        }],
        ..Export::default()
    };
    let mut sites: BTreeMap<String, String> = BTreeMap::new();
    let mut owners: BTreeMap<String, String> = BTreeMap::new();
    for a in &plan.assets {
        match ctx.inventory.resolve(&a.id) {
            Some(i) => {
                let asset = &ctx.inventory.assets()[i];
                if let Some(s) = asset.site() {
                    sites
                        .entry(s.to_lowercase())
                        .or_insert_with(|| s.to_string());
                }
                if let Some(o) = asset.owner() {
                    owners
                        .entry(o.to_lowercase())
                        .or_insert_with(|| o.to_string());
                }
            }
            None => out.skipped.push(Skipped {
                asset: a.id.clone(),
                wave: a.wave.clone(),
                reason: "not in the inventory any more (in the whole calendar by id only)".into(),
            }),
        }
    }
    if !per_scope {
        return out;
    }
    let scoped = systems.by_scope();
    let mut taken = std::collections::HashSet::new();
    for (kind, map) in [("site", &sites), ("owner", &owners)] {
        for (key, label) in map {
            let name = unique(&mut taken, &format!("{kind}-{}", slug(label, kind)), "ics");
            let scope = format!("{kind}:{key}");
            let Some(waves) = scoped.get(&scope) else {
                continue;
            };
            out.files.push(ExportFile {
                name,
                contents: render(plan, now, &scope, waves, false),
            });
        }
    }
    out
}

/// `stem.ext`, or `stem-2.ext` … when two labels slug the same.
pub(crate) fn unique(
    taken: &mut std::collections::HashSet<String>,
    stem: &str,
    ext: &str,
) -> String {
    let mut name = format!("{stem}.{ext}");
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{stem}-{n}.{ext}");
        n += 1;
    }
    name
}

/// A calendar of the plan's waves with these systems each (a wave without any is left out
/// unless `every_wave`).
fn render(
    plan: &Plan,
    now: Timestamp,
    scope: &str,
    waves: &[Vec<&str>],
    every_wave: bool,
) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        format!(
            "PRODID:-//avmigrate//avmigrate {}//EN",
            env!("CARGO_PKG_VERSION")
        ),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!(
            "X-WR-CALNAME:{}",
            text(&format!("AV migration: {}", plan.name))
        ),
    ];
    let stamp = now.to_string().replace(['-', ':'], "");
    let plan_key = hex8(&plan.name);
    for (w, systems) in plan.waves.iter().zip(waves) {
        if systems.is_empty() && !every_wave {
            continue;
        }
        lines.extend(event(w, systems, scope, &plan_key, &stamp));
    }
    lines.push("END:VCALENDAR".into());
    let mut s = String::new();
    for l in lines {
        s.push_str(&fold(&l));
    }
    s
}

fn event(w: &Wave, systems: &[&str], scope: &str, plan_key: &str, stamp: &str) -> Vec<String> {
    let day = |d: crate::model::Date| d.to_string().replace('-', "");
    let mut description = format!(
        "Wave {} ({}), {} to {}, {} system(s).\n",
        w.id,
        w.name,
        w.start,
        w.end,
        systems.len()
    );
    for s in systems {
        let _ = write!(description, "\n- {s}");
    }
    vec![
        "BEGIN:VEVENT".into(),
        // Hashes of the raw ids: slugs lower-case and cut, so two waves could share one.
        format!(
            "UID:{}-{}-{}-{plan_key}@avmigrate",
            slug(&w.id, "wave"),
            hex8(&w.id),
            hex8(scope)
        ),
        format!("DTSTAMP:{stamp}"),
        format!("DTSTART;VALUE=DATE:{}", day(w.start)),
        // DTEND of an all-day event is the day after the last one (exclusive).
        format!("DTEND;VALUE=DATE:{}", day(w.end.add_days(1))),
        format!(
            "SUMMARY:{}",
            text(&format!(
                "AV migration {}: {} ({} systems)",
                w.id,
                w.name,
                systems.len()
            ))
        ),
        format!("DESCRIPTION:{}", text(&description)),
        "TRANSP:TRANSPARENT".into(),
        "END:VEVENT".into(),
    ]
}

/// The first 8 hex digits of the SHA-256 of `s`.
fn hex8(s: &str) -> String {
    let d = sha2::Sha256::digest(s.as_bytes());
    d.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

/// A TEXT value (RFC 5545 3.3.11): control characters neutralised per line, then `\`, `;`,
/// `,` and line breaks escaped.
pub fn text(value: &str) -> String {
    let mut s = String::with_capacity(value.len());
    for (n, line) in value.split('\n').enumerate() {
        if n > 0 {
            s.push_str("\\n");
        }
        for c in crate::model::text::clean(line).chars() {
            match c {
                '\\' => s.push_str("\\\\"),
                ';' => s.push_str("\\;"),
                ',' => s.push_str("\\,"),
                c => s.push(c),
            }
        }
    }
    s
}

/// A content line folded to at most 75 octets per line (RFC 5545 3.1), never inside a UTF-8
/// character, each line ended by CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(text("x\u{1b}y"), "x\u{FFFD}y");
    }

    #[test]
    fn long_lines_fold_at_75_octets_on_character_boundaries() {
        let line = format!("DESCRIPTION:{}", "ä".repeat(100));
        let folded = fold(&line);
        for l in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
        assert_eq!(fold("SHORT"), "SHORT\r\n");
    }
}
