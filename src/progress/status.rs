//! Where the rollout stands: totals per status and wave, the burn-down from the history, and a
//! forecast of the end from the observed pace.

use super::coverage::{Coverage, NotAsPlanned, coverage, not_as_planned};
use crate::model::Date;
use crate::model::Named;
use crate::plan::{Alert, Plan, Status};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use strum::VariantArray;

/// One wave's progress.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaveStatus {
    /// Wave id.
    pub id: String,
    /// Wave name.
    pub name: String,
    /// First day.
    pub start: String,
    /// Last day.
    pub end: String,
    /// Assets in it.
    pub total: usize,
    /// Migrated, verified or excluded, without an open unverified/unprotected alert.
    pub done: usize,
    /// Blocked.
    pub blocked: usize,
}

/// When the rollout will end at the pace seen so far.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// Assets done per week since the first one was done (None before any).
    pub pace_per_week: Option<f64>,
    /// Assets not done yet.
    pub remaining: usize,
    /// Expected end at that pace (None before any progress).
    pub date: Option<String>,
    /// The latest end of any wave (the plan's end, whatever the wave order).
    pub planned_end: Option<String>,
    /// The deadline.
    pub deadline: Option<String>,
    /// True when the forecast (or, before any progress, the plan) meets the deadline.
    pub on_track: Option<bool>,
    /// How the forecast was made, for people.
    pub basis: String,
}

/// The progress of a plan (the JSON of `avmigrate status`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusReport {
    /// Planned assets.
    pub total: usize,
    /// Assets per status (every status listed).
    pub by_status: BTreeMap<String, usize>,
    /// Done (migrated, verified or excluded, and no open alert says it is unverified or
    /// unprotected) in percent.
    pub percent_done: f64,
    /// Covered, undecided, unverified, unprotected and pending assets.
    pub coverage: Coverage,
    /// Assets a scan showed running a product other than the planned one.
    pub not_as_planned: Vec<NotAsPlanned>,
    /// Per wave.
    pub waves: Vec<WaveStatus>,
    /// Open alerts.
    pub alerts: Vec<AlertOut>,
    /// Forecast.
    pub forecast: Forecast,
    /// Blocked assets with their reasons.
    pub blocked: Vec<(String, String)>,
}

/// An alert in reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertOut {
    /// Asset id.
    pub asset: String,
    /// Alert kind.
    pub kind: String,
    /// Details.
    pub message: String,
    /// When raised.
    pub at: String,
    /// Scan that showed it.
    pub scan: String,
}

impl From<&Alert> for AlertOut {
    fn from(a: &Alert) -> AlertOut {
        AlertOut {
            asset: a.asset.clone(),
            kind: a.kind.as_str().to_string(),
            message: a.message.clone(),
            at: a.at.to_string(),
            scan: a.scan.clone(),
        }
    }
}

/// Remaining (not done) assets over time: from the history, and as planned by the waves.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Burndown {
    /// (day, remaining) after each day with status changes, starting at the plan's start.
    pub actual: Vec<(Date, usize)>,
    /// (day, remaining) at the start and after each wave's end, as planned.
    pub planned: Vec<(Date, usize)>,
}

/// What a burn-down chart must show: from the first to the last day of both lines and
/// `today` (at least one day apart, so that a chart has a span to scale by), and up to the
/// largest count (at least 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    /// The first day shown.
    pub first: Date,
    /// The last day shown (at least a day after `first`).
    pub last: Date,
    /// The top of the count axis.
    pub top: usize,
}

impl Burndown {
    /// The days and counts a chart of this burn-down must cover, `today` included.
    pub fn extent(&self, today: Date) -> Extent {
        let points = || self.planned.iter().chain(&self.actual);
        let first = points()
            .map(|(d, _)| *d)
            .chain([today])
            .min()
            .unwrap_or(today);
        let last = points()
            .map(|(d, _)| *d)
            .chain([today])
            .max()
            .unwrap_or(today);
        Extent {
            first,
            last: last.max(first.add_days(1)),
            top: points().map(|(_, n)| *n).max().unwrap_or(0).max(1),
        }
    }
}

/// The burn-down of a plan up to `today`.
pub fn burndown(plan: &Plan, today: Date) -> Burndown {
    let total = plan.assets.len();
    let start = plan
        .waves
        .first()
        .map(|w| w.start)
        .unwrap_or(plan.settings.start);
    let mut planned = vec![(start, total)];
    let mut left = total;
    let sizes = plan.wave_members();
    for w in &plan.waves {
        left = left.saturating_sub(sizes.get(w.id.as_str()).map_or(0, Vec::len));
        planned.push((w.end, left));
    }
    // Replay status events in time order: an asset counts as done from the day it reached
    // migrated, verified or excluded, and as remaining again when it left those. An open
    // unverified/unprotected alert makes it remaining from the day it was raised on.
    let mut status_done: HashMap<String, bool> = HashMap::new();
    let mut alerted: HashMap<String, bool> = HashMap::new();
    let mut by_day: BTreeMap<Date, i64> = BTreeMap::new();
    let mut events: Vec<(crate::model::Timestamp, &str, Option<bool>)> = plan
        .events
        .iter()
        .filter(|e| e.field == "status")
        .map(|e| {
            let now = Status::from_name(&e.to).is_some_and(Status::is_done);
            (e.at, e.asset.as_str(), Some(now))
        })
        .chain(
            plan.alerts
                .iter()
                .filter(|a| a.kind.is_protection())
                .map(|a| (a.at, a.asset.as_str(), None)),
        )
        .collect();
    // Stable: at one instant, a status change comes before the alert its scan raised.
    events.sort_by_key(|e| (e.0, e.2.is_none()));
    for (at, asset, change) in events {
        let key = asset.to_lowercase();
        let counted = |s: &HashMap<String, bool>, a: &HashMap<String, bool>| {
            s.get(&key).copied().unwrap_or(false) && !a.get(&key).copied().unwrap_or(false)
        };
        let was = counted(&status_done, &alerted);
        match change {
            Some(now) => status_done.insert(key.clone(), now),
            None => alerted.insert(key.clone(), true),
        };
        let now = counted(&status_done, &alerted);
        if now != was {
            *by_day.entry(at.date()).or_insert(0) += if now { -1 } else { 1 };
        }
    }
    let mut actual = vec![(
        start.min(by_day.keys().next().copied().unwrap_or(start)),
        total,
    )];
    let mut remaining = total as i64;
    for (day, delta) in by_day {
        if day > today {
            break;
        }
        remaining += delta;
        actual.push((day, remaining.max(0) as usize));
    }
    Burndown { actual, planned }
}

/// The status report of a plan on `today`.
pub fn status(plan: &Plan, today: Date) -> StatusReport {
    status_with(plan, today, &burndown(plan, today))
}

/// [`status`], given the plan's [`burndown`] on `today` (a caller that shows both computes
/// it once).
pub fn status_with(plan: &Plan, today: Date, burn: &Burndown) -> StatusReport {
    let total = plan.assets.len();
    let mut counts = [0usize; Status::VARIANTS.len()];
    for a in &plan.assets {
        counts[a.status as usize] += 1;
    }
    let by_status: BTreeMap<String, usize> = Status::VARIANTS
        .iter()
        .map(|s| (s.as_str().to_string(), counts[*s as usize]))
        .collect();
    let mask = plan.done_mask();
    let done = mask.iter().filter(|d| **d).count();
    let members = plan.wave_members();
    let waves = plan
        .waves
        .iter()
        .map(|w| {
            let list = members.get(w.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
            WaveStatus {
                id: w.id.clone(),
                name: w.name.clone(),
                start: w.start.to_string(),
                end: w.end.to_string(),
                total: list.len(),
                done: list.iter().filter(|&&i| mask[i]).count(),
                blocked: list
                    .iter()
                    .filter(|&&i| plan.assets[i].status == Status::Blocked)
                    .count(),
            }
        })
        .collect();
    let blocked = plan
        .assets
        .iter()
        .filter(|a| a.status == Status::Blocked)
        .map(|a| (a.id.clone(), a.status_reason.clone().unwrap_or_default()))
        .collect();
    StatusReport {
        total,
        by_status,
        percent_done: if total == 0 {
            0.0
        } else {
            (done as f64 * 1000.0 / total as f64).round() / 10.0
        },
        coverage: coverage(plan),
        not_as_planned: not_as_planned(plan),
        waves,
        alerts: plan.alerts.iter().map(AlertOut::from).collect(),
        forecast: forecast(plan, today, total - done, burn),
        blocked,
    }
}

/// Days of history a pace is measured over before it forecasts anything: one day's (or one
/// week's) work says little about the weeks ahead.
pub const MIN_HISTORY_DAYS: i32 = 14;

/// Days from the first asset done to today, both counted.
fn history_days(first: Date, today: Date) -> i32 {
    first.days_until(today).max(0) + 1
}

fn forecast(plan: &Plan, today: Date, remaining: usize, burn: &Burndown) -> Forecast {
    let planned_end = plan.planned_end();
    let deadline = plan.settings.deadline;
    let first_done = burn
        .actual
        .iter()
        .skip(1)
        .find(|(_, r)| *r < plan.assets.len())
        .map(|(d, _)| *d);
    let done_so_far = plan.assets.len() - burn.actual.last().map_or(plan.assets.len(), |(_, r)| *r);
    let (pace, date, basis) = match first_done {
        Some(first)
            if done_so_far > 0
                && remaining > 0
                && history_days(first, today) < MIN_HISTORY_DAYS =>
        {
            (
                None,
                None,
                format!(
                    "not enough history yet: {done_so_far} asset(s) done in {} day(s) since {first}; \
                 a forecast needs {MIN_HISTORY_DAYS} days, until then the plan's last wave is the \
                 estimate",
                    history_days(first, today)
                ),
            )
        }
        Some(first) if done_so_far > 0 => {
            let days = f64::from(history_days(first, today));
            let per_day = done_so_far as f64 / days;
            let days_left = (remaining as f64 / per_day).ceil() as i32;
            (
                Some((per_day * 7.0 * 10.0).round() / 10.0),
                Some(today.add_days(days_left)),
                format!(
                    "{done_so_far} asset(s) done in {days} day(s) since {first}; {remaining} to go"
                ),
            )
        }
        _ if remaining == 0 => (None, Some(today), "everything is done".to_string()),
        _ => (
            None,
            None,
            "no asset is done yet: the plan's last wave is the only estimate".to_string(),
        ),
    };
    let expected = date.or(planned_end);
    Forecast {
        pace_per_week: pace,
        remaining,
        date: date.map(|d| d.to_string()),
        planned_end: planned_end.map(|d| d.to_string()),
        deadline: deadline.map(|d| d.to_string()),
        on_track: deadline.and_then(|dl| expected.map(|e| e <= dl)),
        basis,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_extent_covers_both_lines_and_today_with_a_span() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let b = Burndown {
            planned: vec![(d("2027-01-04"), 10), (d("2027-01-29"), 0)],
            actual: vec![(d("2027-01-04"), 10), (d("2027-01-12"), 7)],
        };
        let e = b.extent(d("2027-02-10"));
        assert_eq!(
            (e.first, e.last, e.top),
            (d("2027-01-04"), d("2027-02-10"), 10)
        );
        let empty = Burndown::default().extent(d("2027-01-01"));
        assert_eq!(
            (empty.first, empty.last, empty.top),
            (d("2027-01-01"), d("2027-01-02"), 1),
            "one day of span, a count axis up to 1"
        );
    }
}
