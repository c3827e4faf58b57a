//! How a plan is generated: the `[settings]` table, its `[[blackout]]` and `[[vendor_rule]]`
//! tables, and the limits and defaults they follow (plain data, re-exported by `plan::model`).

use crate::model::{AssetKind, Criticality, Date, OsFamily};
use crate::tomlfmt::ser::{bare, bare_opt};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Scheduling strategy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// KRITIS / critical / internet-facing systems as early as the rules allow.
    #[default]
    RiskFirst,
    /// Low-criticality systems first.
    SafetyFirst,
}

impl Strategy {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::RiskFirst => "risk-first",
            Strategy::SafetyFirst => "safety-first",
        }
    }
}

/// A period in which no wave may run (e.g. a year-end change freeze). Both ends inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Blackout {
    /// First day of the freeze.
    #[serde(serialize_with = "bare")]
    pub from: Date,
    /// Last day of the freeze.
    #[serde(serialize_with = "bare")]
    pub to: Date,
    /// Why (shown in reasons and reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Every year again (a recurring change freeze): only the month and day of `from` and
    /// `to` count, and a window whose end comes before its start in the year wraps over the
    /// new year.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub yearly: bool,
}

impl Blackout {
    /// True when the day falls into the window (any year's, for a yearly one).
    pub fn contains(&self, day: Date) -> bool {
        if !self.yearly {
            return self.from <= day && day <= self.to;
        }
        let md = |d: Date| {
            let (_, m, d) = d.ymd();
            (m, d)
        };
        let (from, to, at) = (md(self.from), md(self.to), md(day));
        if from <= to {
            from <= at && at <= to
        } else {
            at >= from || at <= to
        }
    }

    /// The last day of the window that contains `day` (which it must contain).
    pub fn end_of_window(&self, day: Date) -> Date {
        if !self.yearly {
            return self.to;
        }
        let mut d = day;
        // A yearly window is at most a year long; the bound only guards a window covering the
        // whole year.
        for _ in 0..370 {
            let next = d.add_days(1);
            if !self.contains(next) {
                return d;
            }
            d = next;
        }
        d
    }

    /// True when the window overlaps the inclusive range.
    pub fn overlaps(&self, start: Date, end: Date) -> bool {
        if !self.yearly {
            return self.from <= end && start <= self.to;
        }
        if start.days_until(end) >= 366 {
            return true;
        }
        let mut d = start;
        while d <= end {
            if self.contains(d) {
                return true;
            }
            d = d.add_days(1);
        }
        false
    }
}

/// Conditions of a vendor rule; every given list must contain the asset's value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    /// Asset kinds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kind: Vec<AssetKind>,
    /// OS families.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub os_family: Vec<OsFamily>,
    /// Sites (case-insensitive).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub site: Vec<String>,
    /// Tags; any one suffices.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tag: Vec<String>,
    /// Criticalities.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criticality: Vec<Criticality>,
}

/// "Assets matching `when` get `product`" — the first matching rule wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VendorRule {
    /// Catalogue product id.
    pub product: String,
    /// Conditions.
    #[serde(default)]
    pub when: When,
}

/// The most working days a wave may last (24 weeks); `wave_days` is 1 ..= this.
pub const MAX_WAVE_DAYS: u32 = 120;

/// The default wave size: 50, or larger so that `planned` assets fit in about 40 full waves
/// (with 5-day waves, pilot and ramp-up: within a year). Rounded up to a multiple of 50.
pub fn default_wave_size(planned: usize) -> usize {
    planned.div_ceil(40).div_ceil(50).max(1) * 50
}

/// A plan whose waves run longer than this many days gets a warning (plan and validate).
pub const LONG_PLAN_DAYS: i32 = 365;

/// The capacity set for a site (site names compare case-insensitively).
pub fn site_capacity_of(capacities: &BTreeMap<String, usize>, site: &str) -> Option<usize> {
    capacities
        .iter()
        .find(|(s, _)| s.eq_ignore_ascii_case(site))
        .map(|(_, cap)| *cap)
}

/// How the plan is generated; kept in the plan so `replan` repeats it (the `[settings]` table;
/// blackouts and vendor rules are tables of their own, `[[blackout]]` and `[[vendor_rule]]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Scheduling strategy.
    #[serde(default)]
    pub strategy: Strategy,
    /// Full wave size after the ramp-up.
    pub wave_size: usize,
    /// Working days per wave (1 ..= [`MAX_WAVE_DAYS`]).
    #[serde(default = "default_wave_days")]
    pub wave_days: u32,
    /// Ramp up after the pilot: a quarter of the wave size, then half, then full; false gives
    /// full-size waves right after the pilot.
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub ramp: bool,
    /// First day of the first wave.
    #[serde(serialize_with = "bare")]
    pub start: Date,
    /// Date by which the last wave must end.
    #[serde(
        default,
        serialize_with = "bare_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub deadline: Option<Date>,
    /// Whose public holidays no wave works on ("DE-BW"); none when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holidays: Option<super::holidays::Region>,
    /// Product ids in order of preference, used when no rule matches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preference: Vec<String>,
    /// Whom the owners of planned systems call about the migration ("IT service desk, +49 …"),
    /// named in the owner notices; "your IT team" when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// Maximum assets per site and wave (a sub-table, so the last field written).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub site_capacity: BTreeMap<String, usize>,
    /// No wave may overlap these.
    #[serde(skip)]
    pub blackouts: Vec<Blackout>,
    /// Ordered vendor rules.
    #[serde(skip)]
    pub vendor_rules: Vec<VendorRule>,
}

fn default_wave_days() -> u32 {
    5
}

fn yes() -> bool {
    true
}

fn is_yes(b: &bool) -> bool {
    *b
}

impl Settings {
    /// Default settings starting on `start`.
    pub fn new(start: Date) -> Settings {
        Settings {
            strategy: Strategy::RiskFirst,
            wave_size: 50,
            wave_days: 5,
            ramp: true,
            start,
            deadline: None,
            holidays: None,
            site_capacity: BTreeMap::new(),
            blackouts: Vec::new(),
            vendor_rules: Vec::new(),
            preference: Vec::new(),
            contact: None,
        }
    }
}
