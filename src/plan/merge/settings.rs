//! Merging `[settings]`, `[[blackout]]` and `[[vendor_rule]]`.

use super::Scope;
use super::three::{self, Report};
use crate::plan::model::{Plan, Settings};
use std::collections::BTreeSet;

/// Each setting merged as a value; site capacities per site; blackouts as a set (their order
/// is by date); vendor rules as one ordered list (the first matching rule wins, so their
/// order is a choice).
pub(super) fn merge(report: &mut Report, base: &Plan, ours: &Plan, theirs: &Plan) -> Settings {
    let (b, o, t) = (&base.settings, &ours.settings, &theirs.settings);
    let s = &Scope::Settings;
    let mut out = o.clone();
    out.strategy = report.value(s, "strategy", Some(&b.strategy), &o.strategy, &t.strategy);
    out.wave_size = report.value(
        s,
        "wave_size",
        Some(&b.wave_size),
        &o.wave_size,
        &t.wave_size,
    );
    out.wave_days = report.value(
        s,
        "wave_days",
        Some(&b.wave_days),
        &o.wave_days,
        &t.wave_days,
    );
    out.ramp = report.value(s, "ramp", Some(&b.ramp), &o.ramp, &t.ramp);
    out.contact = report.value(s, "contact", Some(&b.contact), &o.contact, &t.contact);
    // Dates through their text: the plan writes them bare, which a lone value cannot show.
    let day = |d: &crate::model::Date| d.to_string();
    let start = report.value(
        s,
        "start",
        Some(&day(&b.start)),
        &day(&o.start),
        &day(&t.start),
    );
    out.start = if start == day(&t.start) {
        t.start
    } else {
        o.start
    };
    let deadline = |x: &Settings| x.deadline.map(|d| d.to_string());
    let chosen = report.value(
        s,
        "deadline",
        Some(&deadline(b)),
        &deadline(o),
        &deadline(t),
    );
    out.deadline = if chosen == deadline(t) {
        t.deadline
    } else {
        o.deadline
    };
    out.holidays = if three::pick(Some(&b.holidays), &o.holidays, &t.holidays).is_none() {
        let show = |x: &Settings| {
            x.holidays
                .map(|r| format!("\"{r}\""))
                .unwrap_or_else(|| "(none)".into())
        };
        report.conflict(s, "holidays", Some(show(b)), Some(show(o)), Some(show(t)));
        o.holidays
    } else if b.holidays == o.holidays {
        t.holidays
    } else {
        o.holidays
    };
    out.preference = report.value(
        s,
        "preference",
        Some(&b.preference),
        &o.preference,
        &t.preference,
    );
    let sites: BTreeSet<&String> = [b, o, t]
        .iter()
        .flat_map(|x| x.site_capacity.keys())
        .collect();
    out.site_capacity.clear();
    for site in sites {
        let cap = |x: &Settings| x.site_capacity.get(site).copied();
        let field = format!("site_capacity.{}", crate::model::text::clean(site));
        if let Some(n) = report.value(s, &field, Some(&cap(b)), &cap(o), &cap(t)) {
            out.site_capacity.insert(site.clone(), n);
        }
    }
    let (blackouts, from_theirs) = three::set(&b.blackouts, &o.blackouts, &t.blackouts, |x| {
        (x.from, x.to, x.reason.clone(), x.yearly)
    });
    out.blackouts = blackouts;
    if from_theirs {
        out.blackouts.sort_by_key(|x| (x.from, x.to));
    }
    out.vendor_rules = report.value(
        s,
        "vendor_rule",
        Some(&b.vendor_rules),
        &o.vendor_rules,
        &t.vendor_rules,
    );
    out
}
