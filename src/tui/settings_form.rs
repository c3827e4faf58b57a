//! The plan settings form: start, wave size and length, ramp-up, deadline, holidays, blackouts,
//! strategy and site capacities. Enter plans with the new settings in the background and shows
//! a preview (waves, end date against the deadline); a second Enter puts that plan in place
//! (one undoable change). Nothing changes before that.

use super::jobs::Effect;
use super::state::{Overlay, State};
use crate::model::Date;
use crate::plan::holidays::Region;
use crate::plan::schedule::Scheduled;
use crate::plan::settings_text::{
    blackouts_text, parse_blackouts, parse_site_capacities, site_capacities_text,
};
use crate::plan::{MAX_WAVE_DAYS, Plan, Settings, Strategy};
use std::sync::Arc;
use strum::VariantArray;

/// One field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::VariantArray)]
pub enum Field {
    /// First day of the first wave.
    Start,
    /// Full wave size.
    WaveSize,
    /// Working days per wave.
    WaveDays,
    /// Ramp-up after the pilot.
    Ramp,
    /// Last day for the last wave.
    Deadline,
    /// Public holidays region.
    Holidays,
    /// Blackout windows and yearly freezes.
    Blackouts,
    /// Scheduling strategy.
    Strategy,
    /// Maximum assets per site and wave.
    SiteCapacity,
}

impl Field {
    /// The label shown before the value.
    pub fn label(self) -> &'static str {
        match self {
            Field::Start => "Start",
            Field::WaveSize => "Wave size",
            Field::WaveDays => "Wave length",
            Field::Ramp => "Ramp-up",
            Field::Deadline => "Deadline",
            Field::Holidays => "Holidays",
            Field::Blackouts => "Blackouts",
            Field::Strategy => "Strategy",
            Field::SiteCapacity => "Site capacity",
        }
    }

    /// What the field takes, shown while it is selected.
    pub fn hint(self) -> &'static str {
        match self {
            Field::Start => "first day of the first wave, YYYY-MM-DD (moved to a working day)",
            Field::WaveSize => "assets per full wave (the pilot and ramp-up waves are smaller)",
            Field::WaveDays => "working days per wave, 1 to 120",
            Field::Ramp => {
                "←/→: a quarter, then half the wave size after the pilot; or full at once"
            }
            Field::Deadline => "YYYY-MM-DD by which the last wave must end; empty for none",
            Field::Holidays => "←/→: public holidays no wave works on (DE or a federal state)",
            Field::Blackouts => "FROM..TO=REASON or yearly MM-DD..MM-DD=REASON, separated by ';'",
            Field::Strategy => "←/→: risk-first (KRITIS, critical early) or safety-first",
            Field::SiteCapacity => "SITE=N; SITE=N … (most assets per site and wave)",
        }
    }

    /// True for fields chosen with ←/→ rather than typed.
    pub fn is_choice(self) -> bool {
        matches!(self, Field::Ramp | Field::Holidays | Field::Strategy)
    }
}

/// What the preview shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preview {
    /// Nothing planned with the values shown yet.
    Stale,
    /// Planning with them (the replan generation).
    Planning(u64),
    /// The plan they give, summarised; Enter puts it in place.
    Ready(Vec<String>),
}

/// The form's values as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsForm {
    /// Start date text.
    pub start: String,
    /// Wave size text.
    pub wave_size: String,
    /// Wave length text (working days).
    pub wave_days: String,
    /// Ramp-up on.
    pub ramp: bool,
    /// Deadline text (empty: none).
    pub deadline: String,
    /// Holidays region.
    pub holidays: Option<Region>,
    /// Blackouts text.
    pub blackouts: String,
    /// Strategy.
    pub strategy: Strategy,
    /// Site capacities text.
    pub site_capacity: String,
    /// Selected field.
    pub selected: usize,
    /// The field whose value was refused, and why.
    pub error: Option<(Field, String)>,
    /// The preview.
    pub preview: Preview,
}

impl SettingsForm {
    /// A form showing `settings`.
    pub fn of(settings: &Settings) -> SettingsForm {
        SettingsForm {
            start: settings.start.to_string(),
            wave_size: settings.wave_size.to_string(),
            wave_days: settings.wave_days.to_string(),
            ramp: settings.ramp,
            deadline: settings.deadline.map(|d| d.to_string()).unwrap_or_default(),
            holidays: settings.holidays,
            blackouts: blackouts_text(&settings.blackouts),
            strategy: settings.strategy,
            site_capacity: site_capacities_text(&settings.site_capacity),
            selected: 0,
            error: None,
            preview: Preview::Stale,
        }
    }

    /// The selected field.
    pub fn field(&self) -> Field {
        Field::VARIANTS[self.selected.min(Field::VARIANTS.len() - 1)]
    }

    /// The value shown for a field.
    pub fn value(&self, field: Field) -> String {
        match field {
            Field::Start => self.start.clone(),
            Field::WaveSize => self.wave_size.clone(),
            Field::WaveDays => format!("{} working days", self.wave_days),
            Field::Ramp => if self.ramp {
                "on: ¼, ½, then full size after the pilot"
            } else {
                "off: full size after the pilot"
            }
            .into(),
            Field::Deadline => self.deadline.clone(),
            Field::Holidays => self
                .holidays
                .map_or_else(|| "none".to_string(), |r| r.code().to_string()),
            Field::Blackouts => self.blackouts.clone(),
            Field::Strategy => match self.strategy {
                Strategy::RiskFirst => "risk-first".into(),
                Strategy::SafetyFirst => "safety-first".into(),
            },
            Field::SiteCapacity => self.site_capacity.clone(),
        }
    }

    fn text_mut(&mut self) -> Option<&mut String> {
        match self.field() {
            Field::Start => Some(&mut self.start),
            Field::WaveSize => Some(&mut self.wave_size),
            Field::WaveDays => Some(&mut self.wave_days),
            Field::Deadline => Some(&mut self.deadline),
            Field::Blackouts => Some(&mut self.blackouts),
            Field::SiteCapacity => Some(&mut self.site_capacity),
            Field::Ramp | Field::Holidays | Field::Strategy => None,
        }
    }

    /// Types a character (None: backspace) into the selected text field; a space cycles a
    /// choice.
    pub fn type_char(&mut self, c: Option<char>) {
        match self.text_mut() {
            Some(text) => match c {
                Some(c) if !c.is_control() => text.push(c),
                Some(_) => {}
                None => {
                    text.pop();
                }
            },
            None if c == Some(' ') => self.cycle(true),
            None => return,
        }
        self.changed();
    }

    /// The next (or previous) value of the selected choice.
    pub fn cycle(&mut self, forward: bool) {
        match self.field() {
            Field::Ramp => self.ramp = !self.ramp,
            Field::Strategy => {
                self.strategy = match self.strategy {
                    Strategy::RiskFirst => Strategy::SafetyFirst,
                    Strategy::SafetyFirst => Strategy::RiskFirst,
                }
            }
            Field::Holidays => {
                // None, then every region, round.
                let n = Region::VARIANTS.len() + 1;
                let i = self
                    .holidays
                    .and_then(|r| Region::VARIANTS.iter().position(|x| *x == r))
                    .map_or(0, |i| i + 1);
                let next = if forward {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                self.holidays = next.checked_sub(1).map(|i| Region::VARIANTS[i]);
            }
            _ => return,
        }
        self.changed();
    }

    fn changed(&mut self) {
        self.error = None;
        self.preview = Preview::Stale;
    }

    /// The settings the form gives, on top of `base` (which keeps what the form does not
    /// show: vendor rules, preferences), or the first field refused and why.
    pub fn settings(&self, base: &Settings) -> Result<Settings, (Field, String)> {
        let date = |field: Field, text: &str| {
            text.trim()
                .parse::<Date>()
                .map_err(|e| (field, e.to_string()))
        };
        let mut s = base.clone();
        s.start = date(Field::Start, &self.start)?;
        s.wave_size = match self.wave_size.trim().parse::<usize>() {
            Ok(n) if n >= 1 => n,
            _ => return Err((Field::WaveSize, "a whole number of at least 1".into())),
        };
        s.wave_days = match self.wave_days.trim().parse::<u32>() {
            Ok(n) if (1..=MAX_WAVE_DAYS).contains(&n) => n,
            _ => {
                return Err((
                    Field::WaveDays,
                    format!("1 to {MAX_WAVE_DAYS} working days"),
                ));
            }
        };
        s.ramp = self.ramp;
        s.deadline = match self.deadline.trim() {
            "" => None,
            text => Some(date(Field::Deadline, text)?),
        };
        if let Some(deadline) = s.deadline
            && deadline < s.start
        {
            return Err((Field::Deadline, "the deadline is before the start".into()));
        }
        s.holidays = self.holidays;
        // Lists left as shown keep the plan's values: a reason or site name holding a ';'
        // cannot be read back from the text.
        if self.blackouts != blackouts_text(&base.blackouts) {
            s.blackouts = parse_blackouts(&self.blackouts).map_err(|e| (Field::Blackouts, e))?;
        }
        s.strategy = self.strategy;
        if self.site_capacity != site_capacities_text(&base.site_capacity) {
            s.site_capacity =
                parse_site_capacities(&self.site_capacity).map_err(|e| (Field::SiteCapacity, e))?;
        }
        Ok(s)
    }
}

/// Opens the form on the plan's settings (or a new plan's defaults).
pub fn open(state: &mut State) -> Vec<Effect> {
    if state.data.is_none() {
        state.error("no inventory loaded");
        return Vec::new();
    }
    if state.replan_pending() {
        state.error("planning… wait for the new plan");
        return Vec::new();
    }
    let settings = base_settings(state);
    state
        .overlays
        .push(Overlay::Settings(Box::new(SettingsForm::of(&settings))));
    Vec::new()
}

/// The plan's settings, or those a new plan gets: the next working day, a wave size fitted to
/// the estate.
pub fn base_settings(state: &State) -> Settings {
    let Some(data) = &state.data else {
        return Settings::new(state.now.date());
    };
    match &data.plan {
        Some(p) => p.settings.clone(),
        None => {
            let mut settings = Settings::new(
                crate::plan::calendar::OffDays::weekends()
                    .next_working_day(state.now.date().add_days(1)),
            );
            settings.wave_size =
                crate::plan::default_wave_size(data.shared.analysis.totals().direct);
            settings
        }
    }
}

/// The plan a replan starts from: the current one with `settings`, or an empty plan.
pub fn plan_with(state: &State, settings: Settings) -> Option<Arc<Plan>> {
    let data = state.data.as_ref()?;
    Some(Arc::new(match &data.plan {
        Some(p) => {
            let mut plan = (**p).clone();
            plan.settings = settings;
            plan
        }
        None => {
            let mut plan = Plan::empty(
                "Replacement plan",
                settings,
                data.shared.origin.refs.clone(),
            );
            plan.import = data.shared.origin.import.clone();
            plan
        }
    }))
}

/// Enter: plans with the form's values (a preview), or puts a ready preview in place.
pub fn submit(state: &mut State, form: &SettingsForm) -> Vec<Effect> {
    match &form.preview {
        Preview::Planning(_) => {
            state.info("still planning the preview…");
            Vec::new()
        }
        Preview::Ready(_) => match state.settings_preview.take() {
            Some(preview) => {
                state.overlays.pop();
                let (scheduled, rows) = *preview;
                super::replan::take_scheduled(state, scheduled, rows)
            }
            None => Vec::new(),
        },
        Preview::Stale => {
            let settings = match form.settings(&base_settings(state)) {
                Ok(s) => s,
                Err((field, why)) => {
                    if let Some(Overlay::Settings(f)) = state.overlays.last_mut() {
                        f.selected = Field::VARIANTS
                            .iter()
                            .position(|x| *x == field)
                            .unwrap_or(0);
                        f.error = Some((field, why));
                    }
                    return Vec::new();
                }
            };
            let Some(previous) = plan_with(state, settings) else {
                return Vec::new();
            };
            let Some(shared) = state.data.as_ref().map(|d| Arc::clone(&d.shared)) else {
                return Vec::new();
            };
            let effects = super::replan::start_replan(
                state,
                shared,
                previous,
                "planning a preview with the new settings… (Esc cancels)".into(),
            );
            let generation = state.replanning;
            if let Some(Overlay::Settings(f)) = state.overlays.last_mut() {
                f.preview = Preview::Planning(generation);
            }
            effects
        }
    }
}

/// A replan finished: when it is the form's preview, it is kept for Enter and summarised.
/// Returns the result back when it is not the form's.
pub fn preview_ready(
    state: &mut State,
    generation: u64,
    scheduled: Box<Scheduled>,
    rows: Vec<u32>,
) -> Option<(Box<Scheduled>, Vec<u32>)> {
    let current = state
        .data
        .as_ref()
        .and_then(|d| d.plan.as_ref())
        .map(Arc::clone);
    // Another overlay may have opened over the form meanwhile: it is found by its job.
    let form = state.overlays.iter_mut().rev().find_map(|o| match o {
        Overlay::Settings(f) if f.preview == Preview::Planning(generation) => Some(f),
        _ => None,
    });
    let Some(form) = form else {
        return Some((scheduled, rows));
    };
    form.preview = Preview::Ready(summary(&scheduled, current.as_deref()));
    state.info("preview ready: enter puts this plan in place, esc keeps the current one");
    state.settings_preview = Some(Box::new((*scheduled, rows)));
    None
}

/// Esc: closes the form, stopping a preview being planned.
pub fn close(state: &mut State, form: &SettingsForm) -> Vec<Effect> {
    state.overlays.pop();
    state.settings_preview = None;
    match form.preview {
        Preview::Planning(_) => super::replan::cancel_replan(state),
        _ => Vec::new(),
    }
}

/// The preview's lines: waves, dates against the deadline, wave sizes, planner notes, and
/// how they compare with the current plan.
pub fn summary(scheduled: &Scheduled, current: Option<&Plan>) -> Vec<String> {
    let plan = &scheduled.plan;
    let mut lines = Vec::new();
    let span = |p: &Plan| {
        let start = p.waves.iter().map(|w| w.start).min();
        (start, p.planned_end())
    };
    match span(plan) {
        (Some(start), Some(end)) => lines.push(format!(
            "{} wave(s), {} asset(s): {start} – {end}",
            plan.waves.len(),
            plan.assets.len()
        )),
        _ => lines.push("no waves: nothing to migrate".into()),
    }
    if let (Some(deadline), Some(end)) = (plan.settings.deadline, plan.planned_end()) {
        let days = end.days_until(deadline);
        lines.push(if days >= 0 {
            format!("deadline {deadline}: met, {days} day(s) to spare")
        } else {
            format!("deadline {deadline}: MISSED by {} day(s)", -days)
        });
    } else if let Some(w) = crate::plan::schedule::calendar_warning(plan) {
        lines.push(w);
    }
    let members = plan.wave_members();
    let mut sizes: Vec<String> = (plan.waves.iter().take(6))
        .map(|w| members.get(w.id.as_str()).map_or(0, Vec::len).to_string())
        .collect();
    if plan.waves.len() > 6 {
        sizes.push("…".into());
    }
    if !sizes.is_empty() {
        lines.push(format!("assets per wave: {}", sizes.join(" · ")));
    }
    if let Some(region) = plan.settings.holidays {
        let off = crate::plan::calendar::OffDays::of(&plan.settings);
        let days: Vec<String> = (plan.waves.iter())
            .flat_map(|w| off.holidays_between(w.start, w.end))
            .map(|(d, _)| d.to_string())
            .collect();
        if !days.is_empty() {
            lines.push(format!(
                "not worked ({region} holidays inside waves): {}",
                days.join(", ")
            ));
        }
    }
    if !scheduled.warnings.is_empty() {
        lines.push(format!(
            "{} planner note(s) (in the message log once applied)",
            scheduled.warnings.len()
        ));
    }
    if let Some(cur) = current
        && let (Some(_), Some(end)) = span(cur)
    {
        lines.push(format!("now: {} wave(s), ending {end}", cur.waves.len()));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> SettingsForm {
        SettingsForm::of(&Settings::new("2027-01-04".parse().unwrap()))
    }

    #[test]
    fn the_form_reads_back_the_settings_it_shows() {
        let mut base = Settings::new("2027-01-04".parse().unwrap());
        base.deadline = Some("2027-06-30".parse().unwrap());
        base.blackouts = parse_blackouts("12-20..01-06=freeze; 2027-03-01..2027-03-05").unwrap();
        base.site_capacity = parse_site_capacities("Berlin=5").unwrap();
        base.holidays = Some(Region::DeBw);
        base.ramp = false;
        assert_eq!(SettingsForm::of(&base).settings(&base), Ok(base));
    }

    #[test]
    fn lists_left_as_shown_keep_values_their_text_cannot_hold() {
        let mut base = Settings::new("2027-01-04".parse().unwrap());
        base.blackouts = vec![crate::plan::Blackout {
            from: "2027-03-01".parse().unwrap(),
            to: "2027-03-05".parse().unwrap(),
            reason: Some("audit; then inventory".into()),
            yearly: false,
        }];
        base.site_capacity.insert("Werk 1; Halle 2".into(), 4);
        assert_eq!(SettingsForm::of(&base).settings(&base), Ok(base));
    }

    #[test]
    fn each_refused_value_names_its_field() {
        let base = Settings::new("2027-01-04".parse().unwrap());
        let refused = |edit: fn(&mut SettingsForm)| {
            let mut f = form();
            edit(&mut f);
            f.settings(&base).unwrap_err().0
        };
        assert_eq!(refused(|f| f.start = "next monday".into()), Field::Start);
        assert_eq!(refused(|f| f.wave_size = "0".into()), Field::WaveSize);
        assert_eq!(refused(|f| f.wave_days = "121".into()), Field::WaveDays);
        assert_eq!(
            refused(|f| f.deadline = "2026-12-01".into()),
            Field::Deadline
        );
        assert_eq!(refused(|f| f.blackouts = "soon".into()), Field::Blackouts);
        assert_eq!(
            refused(|f| f.site_capacity = "Berlin".into()),
            Field::SiteCapacity
        );
    }

    #[test]
    fn choices_cycle_both_ways_and_typing_makes_the_preview_stale() {
        let mut f = form();
        f.selected = Field::VARIANTS
            .iter()
            .position(|x| *x == Field::Holidays)
            .unwrap();
        f.cycle(true);
        assert_eq!(f.holidays, Some(Region::De));
        f.cycle(false);
        f.cycle(false);
        assert_eq!(f.holidays, Some(*Region::VARIANTS.last().unwrap()));
        f.preview = Preview::Ready(vec!["3 wave(s)".into()]);
        f.selected = 1;
        f.type_char(Some('0'));
        assert_eq!(f.wave_size, "500");
        assert_eq!(f.preview, Preview::Stale);
    }
}
