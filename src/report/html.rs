//! The management report as one self-contained HTML file: inline CSS (with print rules), the
//! burn-down as inline SVG, no scripts, fonts or anything else from outside, every string
//! escaped.

use super::html_escape as e;
use super::management::{ManagementReport, promise, verdict};
use super::svg::burndown_svg;
use super::tables::{self, Table};
use std::fmt::Write as _;

const CSS: &str = "\
body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,Helvetica,Arial,sans-serif;\
color:#111;background:#fff;line-height:1.4;max-width:64rem;margin:1.5rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}
h2{font-size:1.2rem;border-bottom:2px solid #333;padding-bottom:.1rem;margin-top:1.8rem}
.meta{color:#555;margin-top:0}
nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem 1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.92rem}
th,td{border:1px solid #bbb;padding:.2rem .45rem;text-align:left;vertical-align:top}
thead th{background:#eee}
.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#1b6e20;font-weight:bold}
.risk,.overdue,.protection-gap{color:#b00020;font-weight:bold}
.protection-unverified,.undecided{color:#9a4d00;font-weight:bold}
.regression{color:#9a4d00;font-weight:bold}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem}
.facts dt{font-weight:bold}
.facts dd{margin:0}
svg.chart{max-width:100%;height:auto;display:block;margin:.5rem 0}
.none{color:#555;font-style:italic}
@media print{
body{max-width:none;margin:0;padding:0;font-size:10pt}
nav{display:none}
a{color:inherit;text-decoration:none}
thead{display:table-header-group}
tr,svg.chart,.facts{break-inside:avoid;page-break-inside:avoid}
h2{break-after:avoid;page-break-after:avoid}
thead th{background:none;border-bottom:2px solid #333}
}
";

const SECTIONS: [(&str, &str); 9] = [
    ("summary", "Summary"),
    ("protection", "Protection"),
    ("forecast", "Forecast and deadline"),
    ("waves", "Waves"),
    ("burndown", "Burn-down"),
    ("kritis", "KRITIS and critical systems"),
    ("alerts", "Open alerts"),
    ("exceptions", "Exceptions"),
    ("blocked", "Blocked assets"),
];

/// The HTML document of a management report.
pub fn to_html(r: &ManagementReport) -> String {
    let mut s = String::new();
    let title = format!("Management report: {}", r.plan_name);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{t}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<header>\n<h1>{t}</h1>\n\
         <p class=\"meta\">Report of {}; figures as of {}. {}</p>\n\
         </header>\n<nav><ul>\n",
        r.generated,
        r.today,
        promise(r),
        t = e(&title),
    );
    for (id, name) in SECTIONS {
        let _ = writeln!(s, "<li><a href=\"#{id}\">{name}</a></li>");
    }
    s.push_str("</ul></nav>\n<main>\n");
    summary(&mut s, r);
    protection(&mut s, r);
    forecast(&mut s, r);
    waves(&mut s, r);
    burndown(&mut s, r);
    critical(&mut s, r);
    alerts(&mut s, r);
    exceptions(&mut s, r);
    blocked(&mut s, r);
    s.push_str("</main>\n</body>\n</html>\n");
    s
}

fn open(s: &mut String, id: &str) {
    let name = SECTIONS
        .iter()
        .find(|(i, _)| *i == id)
        .map_or(id, |(_, n)| n);
    let _ = writeln!(s, "<section id=\"{id}\">\n<h2>{name}</h2>");
}

/// A table; foreign text escaped, marked cells in a span of their class.
fn table(s: &mut String, t: &Table) {
    let class = |numeric: bool| if numeric { " class=\"num\"" } else { "" };
    s.push_str("<table>\n<thead><tr>");
    for (title, numeric) in t.titles.iter().zip(t.numeric) {
        let _ = write!(s, "<th{}>{title}</th>", class(*numeric));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        s.push_str("<tr>");
        for (cell, numeric) in row.iter().zip(t.numeric) {
            let text = if cell.foreign {
                e(&cell.text)
            } else {
                cell.text.clone()
            };
            let _ = match cell.mark {
                Some(mark) => write!(
                    s,
                    "<td{}><span class=\"{mark}\">{text}</span></td>",
                    class(*numeric)
                ),
                None => write!(s, "<td{}>{text}</td>", class(*numeric)),
            };
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n");
    if t.left_out > 0 {
        let _ = writeln!(
            s,
            "<p>… and {} more (the CSV export lists every asset).</p>",
            t.left_out
        );
    }
}

fn none(s: &mut String) {
    s.push_str("<p class=\"none\">None.</p>\n");
}

fn summary(s: &mut String, r: &ManagementReport) {
    open(s, "summary");
    let _ = writeln!(
        s,
        "<p>{} assets in scope, <strong>{:.1}% done</strong> (migrated, verified or \
         excluded, and not unverified or unprotected).</p>",
        r.total, r.percent_done
    );
    table(s, &tables::statuses(r));
    s.push_str("</section>\n");
}

fn protection(s: &mut String, r: &ManagementReport) {
    open(s, "protection");
    let class = if r.coverage.none_left_unprotected {
        "ok"
    } else {
        "risk"
    };
    let _ = writeln!(s, "<p class=\"{class}\">{}</p>", e(&r.coverage.sentence()));
    table(s, &tables::coverage(r));
    s.push_str("<h3>Migrated to another product than planned</h3>\n");
    if r.not_as_planned.is_empty() {
        none(s);
    } else {
        table(s, &tables::not_as_planned(r));
    }
    s.push_str("</section>\n");
}

fn forecast(s: &mut String, r: &ManagementReport) {
    let f = &r.forecast;
    open(s, "forecast");
    let shown = match f.on_track {
        Some(true) => format!("<span class=\"ok\">{}</span>", verdict(f)),
        Some(false) => format!("<span class=\"risk\">{}</span>", verdict(f)),
        None => verdict(f).to_string(),
    };
    s.push_str("<dl class=\"facts\">\n");
    let mut fact = |k: &str, v: String| {
        let _ = writeln!(s, "<dt>{k}</dt><dd>{v}</dd>");
    };
    fact("Verdict", shown);
    fact("Deadline", e(f.deadline.as_deref().unwrap_or("none")));
    fact(
        "Planned end (last wave)",
        e(f.planned_end.as_deref().unwrap_or("no waves")),
    );
    fact(
        "Forecast end",
        e(f.date.as_deref().unwrap_or("not known yet")),
    );
    if let Some(p) = f.pace_per_week {
        fact("Pace", format!("{p:.1} assets per week"));
    }
    fact("Remaining", format!("{} assets", f.remaining));
    fact("Basis", e(&f.basis));
    s.push_str("</dl>\n</section>\n");
}

fn waves(s: &mut String, r: &ManagementReport) {
    open(s, "waves");
    if r.waves.is_empty() {
        none(s);
    } else {
        table(s, &tables::waves(r));
    }
    s.push_str("</section>\n");
}

fn burndown(s: &mut String, r: &ManagementReport) {
    open(s, "burndown");
    let _ = writeln!(
        s,
        "<p>Flagged assets remaining: as planned from the wave dates (dashed) and as recorded in \
         the history (solid, up to {}).</p>",
        r.today
    );
    s.push_str(&burndown_svg(
        &r.burndown,
        r.today,
        &format!("Burn-down of {}", r.plan_name),
    ));
    let figures = tables::burndown(r);
    if !figures.rows.is_empty() {
        s.push_str("<details>\n<summary>The figures</summary>\n");
        table(s, &figures);
        s.push_str("</details>\n");
    }
    s.push_str("</section>\n");
}

fn critical(s: &mut String, r: &ManagementReport) {
    open(s, "kritis");
    s.push_str("<p>Systems tagged <code>kritis</code> or of criticality critical that still run the flagged product.</p>\n");
    if r.critical.is_empty() {
        none(s);
    } else {
        table(s, &tables::critical(r));
    }
    s.push_str("</section>\n");
}

fn alerts(s: &mut String, r: &ManagementReport) {
    open(s, "alerts");
    if r.alerts.is_empty() {
        none(s);
    } else {
        table(s, &tables::alerts(r));
    }
    s.push_str("</section>\n");
}

fn exceptions(s: &mut String, r: &ManagementReport) {
    open(s, "exceptions");
    if r.exceptions.is_empty() {
        none(s);
    } else {
        table(s, &tables::exceptions(r));
    }
    s.push_str("</section>\n");
}

fn blocked(s: &mut String, r: &ManagementReport) {
    open(s, "blocked");
    if r.blocked.is_empty() {
        none(s);
    } else {
        table(s, &tables::blocked(r));
    }
    s.push_str("</section>\n");
}
