//! The management report: where the rollout stands, in one model that the Markdown and HTML
//! renderers both draw from (so the two never disagree).

use super::positions;
use crate::model::Named;
use crate::model::{Criticality, Date, Timestamp};
use crate::plan::context::PlanContext;
use crate::plan::{Alert, Plan, Status};
use crate::progress::coverage::NotAsPlanned;
use crate::progress::status::{Forecast, WaveStatus};
use crate::progress::{Burndown, Coverage, burndown, status};
use std::collections::BTreeMap;
use strum::VariantArray;

/// Rows a report lists per section; the CSV export has every asset.
pub const LIST_LIMIT: usize = 500;

/// A critical or KRITIS system that still runs the flagged product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriticalAsset {
    /// Asset id.
    pub id: String,
    /// Host or display name.
    pub name: String,
    /// Site ("" when unknown).
    pub site: String,
    /// Wave id.
    pub wave: String,
    /// Flagged products found on it; for an asset protected through a provider, "through
    /// PROVIDER (function)".
    pub flagged: Vec<String>,
    /// Plan status.
    pub status: Status,
    /// Inventory criticality.
    pub criticality: Criticality,
    /// Tagged `kritis`.
    pub kritis: bool,
}

/// An excluded asset: a risk someone accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    /// Asset id.
    pub id: String,
    /// Host or display name (the id when the inventory does not know it).
    pub name: String,
    /// Why it is excluded.
    pub rationale: String,
    /// Who accepted the risk.
    pub approver: Option<String>,
    /// When the decision must be reviewed.
    pub review: Option<Date>,
    /// The review date has passed.
    pub review_overdue: bool,
}

/// A blocked asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocker {
    /// Asset id.
    pub id: String,
    /// Host or display name.
    pub name: String,
    /// Wave id.
    pub wave: String,
    /// Why it is blocked.
    pub reason: String,
}

/// Everything the management report shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ManagementReport {
    /// Plan name.
    pub plan_name: String,
    /// When the report was made.
    pub generated: Timestamp,
    /// The day the figures refer to.
    pub today: Date,
    /// Planned assets in scope.
    pub total: usize,
    /// Done (migrated, verified or excluded, and not unverified or unprotected) in percent.
    pub percent_done: f64,
    /// Assets per status, every status listed, in lifecycle order.
    pub by_status: Vec<(Status, usize)>,
    /// Covered, undecided, unverified, unprotected and pending assets.
    pub coverage: Coverage,
    /// Assets a scan showed running a product other than the planned one.
    pub not_as_planned: Vec<NotAsPlanned>,
    /// Deadline, forecast and their basis.
    pub forecast: Forecast,
    /// Per wave.
    pub waves: Vec<WaveStatus>,
    /// Remaining assets over time, actual and planned.
    pub burndown: Burndown,
    /// Critical / KRITIS systems not done yet (still on the flagged product, or not known to
    /// be protected).
    pub critical: Vec<CriticalAsset>,
    /// Open alerts, protection gaps first.
    pub alerts: Vec<Alert>,
    /// Excluded assets with their rationale.
    pub exceptions: Vec<Exception>,
    /// Blocked assets with their reasons.
    pub blocked: Vec<Blocker>,
}

/// "on track", "at risk" or "no deadline" for a forecast.
pub fn verdict(f: &Forecast) -> &'static str {
    match (f.on_track, &f.deadline) {
        (Some(true), _) => "on track",
        (Some(false), _) => "at risk",
        (None, Some(_)) => "unknown",
        (None, None) => "no deadline set",
    }
}

/// `done / total` in percent, one decimal (0 for an empty wave).
pub fn percent(done: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        (done as f64 * 1000.0 / total as f64).round() / 10.0
    }
}

/// The report's opening: the BSI's promise, stated as kept only when it is (no asset
/// unverified, unprotected or awaiting a decision).
pub fn promise(r: &ManagementReport) -> String {
    let c = &r.coverage;
    if c.none_left_unprotected {
        "The flagged product is replaced wave by wave, and no machine is left unprotected on the \
         way (BSI, March 2022)."
            .to_string()
    } else {
        format!(
            "The flagged product is replaced wave by wave (BSI, March 2022), but {} machine(s) \
             are not known to stay protected today: {} unprotected, {} unverified, {} awaiting a \
             decision (see Protection and Open alerts).",
            c.at_risk(),
            c.unprotected,
            c.unverified,
            c.undecided
        )
    }
}

/// Builds the report of a plan at `now`.
pub fn build(plan: &Plan, ctx: &PlanContext, now: Timestamp) -> ManagementReport {
    let today = now.date();
    let st = status(plan, today);
    let pos = positions(plan, ctx);
    let assets = ctx.inventory.assets();
    let name_of = |k: usize| {
        pos[k].map_or_else(
            || plan.assets[k].id.clone(),
            |i| assets[i].display_name().to_string(),
        )
    };
    let done = plan.done_mask();
    let mut critical = Vec::new();
    let mut exceptions = Vec::new();
    let mut blocked = Vec::new();
    for (k, a) in plan.assets.iter().enumerate() {
        match a.status {
            Status::Excluded => exceptions.push(Exception {
                id: a.id.clone(),
                name: name_of(k),
                rationale: a.status_reason.clone().unwrap_or_default(),
                approver: a.approver.clone(),
                review: a.review,
                review_overdue: a.review.is_some_and(|d| d < today),
            }),
            Status::Blocked => blocked.push(Blocker {
                id: a.id.clone(),
                name: name_of(k),
                wave: a.wave.clone(),
                reason: a.status_reason.clone().unwrap_or_default(),
            }),
            _ => {}
        }
        // Assets the inventory does not know (found by a later scan) have no criticality to
        // judge by; their unplanned alert names them.
        let Some(i) = pos[k] else { continue };
        let asset = &assets[i];
        let kritis = asset.has_tag("kritis");
        if done[k] || !(kritis || asset.criticality == Criticality::Critical) {
            continue;
        }
        critical.push(CriticalAsset {
            id: a.id.clone(),
            name: asset.display_name().to_string(),
            site: asset.site().cloned().unwrap_or_default().into(),
            wave: a.wave.clone(),
            flagged: match &a.coverage {
                // It runs none itself; its protection still comes from one that does.
                Some(c) if ctx.analysis.findings[i].is_empty() => {
                    vec![format!("through {} ({})", c.via, c.function)]
                }
                _ => ctx.flagged_products(i),
            },
            status: a.status,
            criticality: asset.criticality,
            kritis,
        });
    }
    // Worst first: an unprotected machine matters more than a wave that is late.
    let mut alerts = plan.alerts.clone();
    alerts.sort_by(|a, b| (a.kind, a.at, &a.asset).cmp(&(b.kind, b.at, &b.asset)));
    let counts: BTreeMap<&str, usize> =
        st.by_status.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    ManagementReport {
        plan_name: plan.name.clone(),
        generated: now,
        today,
        total: st.total,
        percent_done: st.percent_done,
        by_status: Status::VARIANTS
            .iter()
            .map(|s| (*s, counts.get(s.as_str()).copied().unwrap_or(0)))
            .collect(),
        coverage: st.coverage,
        not_as_planned: st.not_as_planned,
        forecast: st.forecast,
        waves: st.waves,
        burndown: burndown(plan, today),
        critical,
        alerts,
        exceptions,
        blocked,
    }
}

/// The actual burn-down as a step line: remaining assets only change on the recorded days, and
/// the last count holds until today.
pub fn actual_steps(b: &Burndown, today: Date) -> Vec<(Date, usize)> {
    let mut out = Vec::with_capacity(b.actual.len() * 2 + 1);
    for (k, &(d, n)) in b.actual.iter().enumerate() {
        if k > 0 {
            out.push((d, b.actual[k - 1].1));
        }
        out.push((d, n));
    }
    if let Some(&(d, n)) = b.actual.last()
        && d < today
    {
        out.push((today, n));
    }
    out
}

/// One row of the burn-down table: a day, the remaining assets as planned and (up to today) as
/// they really were.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BurnRow {
    /// The day.
    pub date: Date,
    /// Remaining by the plan (assets of a wave count as done after its last day).
    pub planned: usize,
    /// Remaining in fact; None after today.
    pub actual: Option<usize>,
}

/// The burn-down as rows on every day either series changes (both read as step functions).
pub fn burn_rows(b: &Burndown, today: Date) -> Vec<BurnRow> {
    let mut days: Vec<Date> = b
        .planned
        .iter()
        .chain(b.actual.iter())
        .map(|(d, _)| *d)
        .collect();
    days.sort();
    days.dedup();
    let step = |series: &[(Date, usize)], day: Date| {
        series
            .iter()
            .take_while(|(d, _)| *d <= day)
            .last()
            .map(|(_, n)| *n)
    };
    let total = b.planned.first().map_or(0, |(_, n)| *n);
    days.into_iter()
        .map(|date| BurnRow {
            date,
            planned: step(&b.planned, date).unwrap_or(total),
            actual: if date <= today {
                step(&b.actual, date)
            } else {
                None
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn burn_rows_merge_both_series_as_steps() {
        let b = Burndown {
            actual: vec![(d("2027-01-11"), 10), (d("2027-01-13"), 8)],
            planned: vec![
                (d("2027-01-11"), 10),
                (d("2027-01-15"), 6),
                (d("2027-01-22"), 0),
            ],
        };
        let rows = burn_rows(&b, d("2027-01-16"));
        let got: Vec<(String, usize, Option<usize>)> = rows
            .iter()
            .map(|r| (r.date.to_string(), r.planned, r.actual))
            .collect();
        assert_eq!(
            got,
            vec![
                ("2027-01-11".into(), 10, Some(10)),
                ("2027-01-13".into(), 10, Some(8)),
                ("2027-01-15".into(), 6, Some(8)),
                ("2027-01-22".into(), 0, None),
            ]
        );
        assert!(burn_rows(&Burndown::default(), d("2027-01-01")).is_empty());
    }

    #[test]
    fn actual_steps_hold_until_today() {
        let b = Burndown {
            actual: vec![(d("2027-01-11"), 10), (d("2027-01-13"), 8)],
            planned: Vec::new(),
        };
        assert_eq!(
            actual_steps(&b, d("2027-01-15")),
            vec![
                (d("2027-01-11"), 10),
                (d("2027-01-13"), 10),
                (d("2027-01-13"), 8),
                (d("2027-01-15"), 8),
            ]
        );
        assert_eq!(actual_steps(&b, d("2027-01-13")).len(), 3);
        assert!(actual_steps(&Burndown::default(), d("2027-01-13")).is_empty());
    }

    #[test]
    fn verdicts_and_percentages() {
        let mut f = Forecast {
            pace_per_week: None,
            remaining: 3,
            date: None,
            planned_end: None,
            deadline: None,
            on_track: None,
            basis: String::new(),
        };
        assert_eq!(verdict(&f), "no deadline set");
        f.deadline = Some("2027-03-31".into());
        f.on_track = Some(false);
        assert_eq!(verdict(&f), "at risk");
        f.on_track = Some(true);
        assert_eq!(verdict(&f), "on track");
        assert_eq!(percent(1, 3), 33.3);
        assert_eq!(percent(0, 0), 0.0);
    }
}
