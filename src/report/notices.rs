//! Notices for the owners of planned systems: per owner one Markdown and one plain-text file
//! listing their systems, when each is changed, whether a reboot is expected, and whom to call.

use super::md_escape;
use super::targets::{Export, ExportFile, Skipped, slug};
use crate::model::text::clean;
use crate::plan::context::PlanContext;
use crate::plan::steps::steps_for;
use crate::plan::{Plan, Status};
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

/// Whom owners call when the plan names nobody.
pub const DEFAULT_CONTACT: &str = "your IT team";

/// One system of an owner, as the notice lists it.
struct Line {
    /// The wave's position in the plan, so each owner's systems are listed by date.
    order: usize,
    id: String,
    name: String,
    wave: String,
    dates: String,
    product: String,
    reboot: &'static str,
    done: bool,
}

/// The notices: `notice-<owner>.md` and `notice-<owner>.txt` per owner (file names sanitised,
/// unique). Planned assets without an owner, or lost from the inventory, are listed as skipped.
pub fn export(plan: &Plan, ctx: &PlanContext) -> Export {
    let mut out = Export::default();
    let mut owners: BTreeMap<String, (String, Vec<Line>)> = BTreeMap::new();
    for a in &plan.assets {
        let skip = |reason: &str| Skipped {
            asset: a.id.clone(),
            wave: a.wave.clone(),
            reason: reason.into(),
        };
        let Some(i) = ctx.inventory.resolve(&a.id) else {
            out.skipped.push(skip("not in the inventory any more"));
            continue;
        };
        let asset = &ctx.inventory.assets()[i];
        let Some(owner) = asset
            .owner()
            .map(|t| t.as_str())
            .map(clean)
            .filter(|o| !o.is_empty())
        else {
            out.skipped
                .push(skip("no owner in the inventory: nobody to notify"));
            continue;
        };
        if a.status == Status::Excluded {
            out.skipped.push(skip("excluded from the migration"));
            continue;
        }
        let wave = plan.wave_index(&a.wave).map(|k| &plan.waves[k]);
        let steps = steps_for(ctx, a, i);
        let reboots = steps.iter().any(|s| {
            s.action.to_lowercase().contains("reboot")
                || s.notes.iter().any(|n| n.to_lowercase().contains("reboot"))
        });
        let line = Line {
            order: plan.wave_index(&a.wave).unwrap_or(usize::MAX),
            id: clean(&a.id),
            name: clean(asset.display_name()),
            wave: wave.map_or_else(
                || clean(&a.wave),
                |w| clean(&format!("{} ({})", w.id, w.name)),
            ),
            dates: wave.map_or_else(
                || "not scheduled".into(),
                |w| format!("{} to {}", w.start, w.end),
            ),
            product: a
                .product
                .as_deref()
                .map(|p| {
                    ctx.catalog
                        .product(p)
                        .map_or_else(|| clean(p), |x| clean(&x.name))
                })
                .unwrap_or_else(|| "to be decided".into()),
            reboot: if reboots {
                "a reboot is part of the work: expect a short downtime"
            } else {
                "a reboot may be needed"
            },
            done: a.status.is_done(),
        };
        owners
            .entry(owner.to_lowercase())
            .or_insert_with(|| (owner.clone(), Vec::new()))
            .1
            .push(line);
    }
    let contact = plan
        .settings
        .contact
        .as_deref()
        .map(clean)
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| DEFAULT_CONTACT.into());
    let mut taken = HashSet::new();
    for (owner, lines) in owners.values_mut() {
        lines.sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
        let (owner, lines) = (&*owner, &*lines);
        let stem = format!("notice-{}", slug(owner, "owner"));
        let md_name = super::ics::unique(&mut taken, &stem, "md");
        let txt_name = format!("{}.txt", md_name.trim_end_matches(".md"));
        out.files.push(ExportFile {
            name: md_name,
            contents: markdown(&plan.name, owner, lines, &contact),
        });
        out.files.push(ExportFile {
            name: txt_name,
            contents: plain(&plan.name, owner, lines, &contact),
        });
    }
    out
}

const WHY: &str = "The anti-virus software from Kaspersky on these systems is being replaced by \
                   another protection product. The new product is installed and checked before \
                   the old one is removed, so the systems stay protected throughout.";

fn markdown(plan: &str, owner: &str, lines: &[Line], contact: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Anti-virus replacement on your systems\n");
    let _ = writeln!(s, "To: {}  ", md_escape(owner));
    let _ = writeln!(s, "Plan: {}\n", md_escape(plan));
    let _ = writeln!(s, "{WHY}\n");
    let _ = writeln!(s, "## Your systems\n");
    for l in lines {
        let _ = writeln!(
            s,
            "- **{}** ({}): wave {}, {}; new product: {}; {}{}",
            md_escape(&l.id),
            md_escape(&l.name),
            md_escape(&l.wave),
            l.dates,
            md_escape(&l.product),
            l.reboot,
            if l.done { " (already done)" } else { "" }
        );
    }
    let _ = writeln!(
        s,
        "\n## Questions\n\nIf a date does not suit you, or for any question, please contact {}.",
        md_escape(contact)
    );
    s
}

fn plain(plan: &str, owner: &str, lines: &[Line], contact: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Anti-virus replacement on your systems\n");
    let _ = writeln!(s, "To: {owner}\nPlan: {}\n", clean(plan));
    let _ = writeln!(s, "{WHY}\n\nYour systems:\n");
    for l in lines {
        let _ = writeln!(
            s,
            "* {} ({}): wave {}, {}; new product: {}; {}{}",
            l.id,
            l.name,
            l.wave,
            l.dates,
            l.product,
            l.reboot,
            if l.done { " (already done)" } else { "" }
        );
    }
    let _ = writeln!(
        s,
        "\nIf a date does not suit you, or for any question, please contact {contact}."
    );
    s
}
