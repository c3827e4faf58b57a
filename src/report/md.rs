//! The management report as Markdown: headings and tables, every inventory and plan string
//! escaped.

use super::management::{LIST_LIMIT, ManagementReport, burn_rows, percent, verdict};
use super::md_escape;
use std::fmt::Write as _;

/// The Markdown text of a management report.
pub fn to_markdown(r: &ManagementReport) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Management report: {}\n", md_escape(&r.plan_name));
    let _ = writeln!(
        s,
        "Report of {}; figures as of {}. The flagged product is replaced wave by wave, and no \
         machine is left unprotected on the way (BSI, March 2022).\n",
        r.generated, r.today
    );
    summary(&mut s, r);
    forecast(&mut s, r);
    waves(&mut s, r);
    burndown(&mut s, r);
    critical(&mut s, r);
    alerts(&mut s, r);
    exceptions(&mut s, r);
    blocked(&mut s, r);
    s
}

/// A table row of already escaped cells.
fn row(s: &mut String, cells: &[String]) {
    let _ = writeln!(s, "| {} |", cells.join(" | "));
}

fn header(s: &mut String, titles: &[&str], right: &[bool]) {
    let _ = writeln!(s, "| {} |", titles.join(" | "));
    let rules: Vec<&str> = right
        .iter()
        .map(|r| if *r { "---:" } else { "---" })
        .collect();
    let _ = writeln!(s, "|{}|", rules.join("|"));
}

fn more(s: &mut String, n: usize) {
    if n > LIST_LIMIT {
        let _ = writeln!(
            s,
            "\n… and {} more (the CSV export lists every asset).",
            n - LIST_LIMIT
        );
    }
    let _ = writeln!(s);
}

fn summary(s: &mut String, r: &ManagementReport) {
    let _ = writeln!(s, "## Summary\n");
    let _ = writeln!(
        s,
        "{} assets in scope, **{:.1}% done** (migrated, verified or excluded).\n",
        r.total, r.percent_done
    );
    header(s, &["Status", "Assets"], &[false, true]);
    for (st, n) in &r.by_status {
        row(s, &[st.as_str().to_string(), n.to_string()]);
    }
    let _ = writeln!(s);
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
    header(
        s,
        &[
            "Wave", "Name", "Start", "End", "Assets", "Done", "Blocked", "% done",
        ],
        &[false, false, false, false, true, true, true, true],
    );
    for w in &r.waves {
        row(
            s,
            &[
                md_escape(&w.id),
                md_escape(&w.name),
                w.start.clone(),
                w.end.clone(),
                w.total.to_string(),
                w.done.to_string(),
                w.blocked.to_string(),
                format!("{:.1}", percent(w.done, w.total)),
            ],
        );
    }
    let _ = writeln!(s);
}

fn burndown(s: &mut String, r: &ManagementReport) {
    let _ = writeln!(s, "## Burn-down\n");
    let rows = burn_rows(&r.burndown, r.today);
    if rows.is_empty() {
        let _ = writeln!(s, "No waves, no burn-down.\n");
        return;
    }
    let _ = writeln!(
        s,
        "Flagged assets remaining: as planned (a wave's assets count as done after its last \
         day) and as recorded in the history (up to {}).\n",
        r.today
    );
    header(s, &["Date", "Planned", "Actual"], &[false, true, true]);
    for b in rows {
        row(
            s,
            &[
                b.date.to_string(),
                b.planned.to_string(),
                b.actual.map_or_else(|| "–".to_string(), |n| n.to_string()),
            ],
        );
    }
    let _ = writeln!(s);
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
    header(
        s,
        &["ID", "Name", "Site", "Wave", "Flagged products", "Status"],
        &[false; 6],
    );
    for c in r.critical.iter().take(LIST_LIMIT) {
        let flagged: Vec<String> = c.flagged.iter().map(|p| md_escape(p)).collect();
        row(
            s,
            &[
                md_escape(&c.id),
                md_escape(&c.name),
                md_escape(&c.site),
                md_escape(&c.wave),
                flagged.join(", "),
                c.status.as_str().to_string(),
            ],
        );
    }
    more(s, r.critical.len());
}

fn alerts(s: &mut String, r: &ManagementReport) {
    let _ = writeln!(s, "## Open alerts\n");
    if r.alerts.is_empty() {
        let _ = writeln!(s, "None.\n");
        return;
    }
    header(s, &["Kind", "Asset", "Since", "Details"], &[false; 4]);
    for a in r.alerts.iter().take(LIST_LIMIT) {
        row(
            s,
            &[
                format!("**{}**", a.kind.as_str()),
                md_escape(&a.asset),
                a.at.to_string(),
                md_escape(&a.message),
            ],
        );
    }
    more(s, r.alerts.len());
}

fn exceptions(s: &mut String, r: &ManagementReport) {
    let _ = writeln!(s, "## Exceptions (accepted risks)\n");
    if r.exceptions.is_empty() {
        let _ = writeln!(s, "None.\n");
        return;
    }
    header(
        s,
        &["ID", "Name", "Rationale", "Approver", "Review"],
        &[false; 5],
    );
    for e in r.exceptions.iter().take(LIST_LIMIT) {
        let review = match e.review {
            Some(d) if e.review_overdue => format!("**{d} (overdue)**"),
            Some(d) => d.to_string(),
            None => "–".into(),
        };
        row(
            s,
            &[
                md_escape(&e.id),
                md_escape(&e.name),
                md_escape(&e.rationale),
                e.approver.as_deref().map_or_else(|| "–".into(), md_escape),
                review,
            ],
        );
    }
    more(s, r.exceptions.len());
}

fn blocked(s: &mut String, r: &ManagementReport) {
    let _ = writeln!(s, "## Blocked assets\n");
    if r.blocked.is_empty() {
        let _ = writeln!(s, "None.\n");
        return;
    }
    header(s, &["ID", "Name", "Wave", "Reason"], &[false; 4]);
    for b in r.blocked.iter().take(LIST_LIMIT) {
        row(
            s,
            &[
                md_escape(&b.id),
                md_escape(&b.name),
                md_escape(&b.wave),
                md_escape(&b.reason),
            ],
        );
    }
    more(s, r.blocked.len());
}
