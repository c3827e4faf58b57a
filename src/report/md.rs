//! The management report as Markdown: headings and tables, every inventory and plan string
//! escaped.

use super::management::{ManagementReport, promise, verdict};
use super::md_escape;
use super::tables::{self, Table};
use std::fmt::Write as _;

/// The Markdown text of a management report.
pub fn to_markdown(r: &ManagementReport) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Management report: {}\n", md_escape(&r.plan_name));
    let _ = writeln!(
        s,
        "Report of {}; figures as of {}. {}\n",
        r.generated,
        r.today,
        promise(r)
    );
    summary(&mut s, r);
    protection(&mut s, r);
    forecast(&mut s, r);
    waves(&mut s, r);
    burndown(&mut s, r);
    critical(&mut s, r);
    alerts(&mut s, r);
    exceptions(&mut s, r);
    blocked(&mut s, r);
    s
}

/// A table with its header; foreign text escaped, marked cells in bold.
fn table(s: &mut String, t: &Table) {
    let _ = writeln!(s, "| {} |", t.titles.join(" | "));
    let rules: Vec<&str> = t
        .numeric
        .iter()
        .map(|r| if *r { "---:" } else { "---" })
        .collect();
    let _ = writeln!(s, "|{}|", rules.join("|"));
    for row in &t.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| {
                let text = if c.foreign {
                    md_escape(&c.text)
                } else {
                    c.text.clone()
                };
                if c.mark.is_some() {
                    format!("**{text}**")
                } else {
                    text
                }
            })
            .collect();
        let _ = writeln!(s, "| {} |", cells.join(" | "));
    }
    if t.left_out > 0 {
        let _ = writeln!(
            s,
            "\n… and {} more (the CSV export lists every asset).",
            t.left_out
        );
    }
    let _ = writeln!(s);
}

fn summary(s: &mut String, r: &ManagementReport) {
    let _ = writeln!(s, "## Summary\n");
    let _ = writeln!(
        s,
        "{} assets in scope, **{:.1}% done** (migrated, verified or excluded, and not \
         unverified or unprotected).\n",
        r.total, r.percent_done
    );
    table(s, &tables::statuses(r));
}

fn protection(s: &mut String, r: &ManagementReport) {
    let _ = writeln!(s, "## Protection\n");
    let _ = writeln!(s, "{}\n", r.coverage.sentence());
    table(s, &tables::coverage(r));
    let _ = writeln!(s, "### Migrated to another product than planned\n");
    if r.not_as_planned.is_empty() {
        let _ = writeln!(s, "None.\n");
        return;
    }
    table(s, &tables::not_as_planned(r));
}

fn forecast(s: &mut String, r: &ManagementReport) {
    let f = &r.forecast;
    let _ = writeln!(s, "## Forecast and deadline\n");
    let _ = writeln!(s, "- Verdict: **{}**", verdict(f));
    let _ = writeln!(s, "- Deadline: {}", f.deadline.as_deref().unwrap_or("none"));
    let _ = writeln!(
        s,
        "- Planned end (last wave): {}",
        f.planned_end.as_deref().unwrap_or("no waves")
    );
    let _ = writeln!(
        s,
        "- Forecast end: {}",
        f.date.as_deref().unwrap_or("not known yet")
    );
    if let Some(p) = f.pace_per_week {
        let _ = writeln!(s, "- Pace: {p:.1} assets per week");
    }
    let _ = writeln!(s, "- Remaining: {} assets", f.remaining);
    let _ = writeln!(s, "- Basis: {}\n", md_escape(&f.basis));
}

fn waves(s: &mut String, r: &ManagementReport) {
    let _ = writeln!(s, "## Waves\n");
    if r.waves.is_empty() {
        let _ = writeln!(s, "The plan has no waves.\n");
        return;
    }
    table(s, &tables::waves(r));
}

fn burndown(s: &mut String, r: &ManagementReport) {
    let _ = writeln!(s, "## Burn-down\n");
    let figures = tables::burndown(r);
    if figures.rows.is_empty() {
        let _ = writeln!(s, "No waves, no burn-down.\n");
        return;
    }
    let _ = writeln!(
        s,
        "Flagged assets remaining: as planned (a wave's assets count as done after its last \
         day) and as recorded in the history (up to {}).\n",
        r.today
    );
    table(s, &figures);
}

fn critical(s: &mut String, r: &ManagementReport) {
    let _ = writeln!(
        s,
        "## KRITIS and critical systems still on the flagged product\n"
    );
    if r.critical.is_empty() {
        let _ = writeln!(s, "None.\n");
        return;
    }
    table(s, &tables::critical(r));
}

fn alerts(s: &mut String, r: &ManagementReport) {
    let _ = writeln!(s, "## Open alerts\n");
    if r.alerts.is_empty() {
        let _ = writeln!(s, "None.\n");
        return;
    }
    table(s, &tables::alerts(r));
}

fn exceptions(s: &mut String, r: &ManagementReport) {
    let _ = writeln!(s, "## Exceptions (accepted risks)\n");
    if r.exceptions.is_empty() {
        let _ = writeln!(s, "None.\n");
        return;
    }
    table(s, &tables::exceptions(r));
}

fn blocked(s: &mut String, r: &ManagementReport) {
    let _ = writeln!(s, "## Blocked assets\n");
    if r.blocked.is_empty() {
        let _ = writeln!(s, "None.\n");
        return;
    }
    table(s, &tables::blocked(r));
}
