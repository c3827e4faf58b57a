//! The Progress screen (tab 6) on a 120×35 TestBackend: wave gauges, the burn-down chart,
//! blockers with their reasons and open alerts, after statuses changed through `update`.

use crate::tui_support;
use avmigrate::model::Named;
use strum::VariantArray;

use avmigrate::model::Timestamp;
use avmigrate::plan::{Alert, AlertKind};
use avmigrate::tui::action::Action;
use avmigrate::tui::jobs::Source;
use avmigrate::tui::keymap::{Context, Key};
use avmigrate::tui::lists::help_lines;
use avmigrate::tui::state::{Screen, State};
use avmigrate::tui::theme::ThemeName;
use avmigrate::tui::view::hints;
use ratatui::style::Color;
use tui_support::*;

/// Sets the status of the asset selected in the assets table through the status picker (and
/// the reason prompt for blocked / excluded).
fn set_status(s: &mut State, id: &str, status: &str, reason: Option<&str>) {
    select_asset(s, id);
    act(s, &[Action::SetStatus]);
    type_str(s, status);
    act(s, &[Action::Open]);
    if let Some(r) = reason {
        type_str(s, r);
        act(s, &[Action::Open]);
    }
    assert!(s.overlays.is_empty(), "{:?}", s.overlays);
    let data = s.data.as_ref().unwrap();
    let planned = data.plan.as_ref().unwrap().asset(id).unwrap();
    assert_eq!(planned.status.as_str(), status, "{id}: {:?}", s.message);
}

/// The demo with a plan: one pilot asset blocked, one migrated, one in progress.
fn rolled_out() -> State {
    let mut s = demo();
    act(&mut s, &[Action::GeneratePlan]);
    set_status(&mut s, "srv-git-01", "in-progress", None);
    set_status(
        &mut s,
        "srv-git-01",
        "blocked",
        Some("uninstall password unknown"),
    );
    set_status(&mut s, "mac-verw-01", "in-progress", None);
    set_status(&mut s, "mac-verw-01", "migrated", None);
    set_status(&mut s, "nb-verw-004", "in-progress", None);
    act(&mut s, &[Action::ShowProgress]);
    assert_eq!(s.screen, Screen::Progress);
    s
}

#[test]
fn without_a_plan_the_screen_says_so() {
    let mut s = demo();
    act(&mut s, &[Action::ShowProgress]);
    let b = render(&s, 120, 35);
    assert_eq!(
        panel(&b, "Progress")[..2],
        [
            "No plan yet: progress is followed against a plan.",
            "ctrl-g generates one"
        ]
    );
    assert!(lines(&b)[0].contains(" 6 Progress "));
}

#[test]
fn gauges_chart_blockers_and_alerts_show_the_rollout() {
    let s = rolled_out();
    let b = render(&s, 120, 35);
    let plan = s.data.as_ref().unwrap().plan.as_ref().unwrap();
    let w1 = plan.waves[0].id.clone();
    let pilot = plan.assets.iter().filter(|a| a.wave == w1).count();

    assert_eq!(
        panel(&b, "Rollout")[0],
        format!(
            "{} assets · 0.7% done · 1 in progress · 1 blocked · 0 open alert(s)",
            plan.assets.len()
        )
    );
    let waves = panel(&b, "Waves");
    assert!(
        waves[0].starts_with(&format!("w1       1/{pilot:<4} 1✗ ")),
        "{waves:#?}"
    );
    assert!(waves[1].starts_with("w2       0/"), "{waves:#?}");
    // 1 of 6 done: a sixth of the line is thick.
    let line: String = waves[0].chars().skip(20).collect();
    let thick = line.chars().filter(|c| *c == '━').count();
    assert_eq!(thick, line.chars().count() / pilot, "{line}");
    assert!(!waves[1].contains('━'));
    assert_eq!(
        waves.len() - waves.iter().filter(|l| l.is_empty()).count(),
        plan.waves.len()
    );

    let chart = panel(&b, "Burn-down: flagged assets remaining");
    let text = chart.join("\n");
    // x axis from today (before the first wave) to the last wave's end, y up to every asset.
    assert!(text.contains("2026-11-28"), "{text}");
    assert!(
        text.contains(&plan.waves.last().unwrap().end.to_string()),
        "{text}"
    );
    assert!(text.contains(&plan.assets.len().to_string()));
    assert!(
        text.contains("planned") && text.contains("actual"),
        "legend: {text}"
    );
    assert!(
        text.chars().any(|c| ('\u{2801}'..='\u{28FF}').contains(&c)),
        "lines drawn"
    );

    assert_eq!(
        panel(&b, "Blocked (1)")[0],
        "▶srv-git-01 uninstall password unknown"
    );
    assert_eq!(panel(&b, "Open alerts (0)")[0], "no open alerts");
    let tabs = &lines(&b)[0];
    assert!(
        tabs.contains(" avmigrate ") && tabs.contains(" 6 Progress "),
        "{tabs}"
    );
    let status_bar = lines(&b).pop().unwrap();
    assert!(status_bar.contains("tab screens") && status_bar.contains("? help"));
}

#[test]
fn alerts_list_protection_gaps_first() {
    let mut s = rolled_out();
    let at: Timestamp = "2026-11-28T09:00:00Z".parse().unwrap();
    let alert = |asset: &str, kind, message: &str| Alert {
        at,
        asset: asset.into(),
        kind,
        message: message.into(),
        scan: "scan.toml".into(),
    };
    let plan = s.data.as_mut().unwrap().plan_mut().unwrap();
    plan.alerts.push(alert(
        "ws-new-01",
        AlertKind::Unplanned,
        "runs Kaspersky but is not in the plan",
    ));
    plan.alerts.push(alert(
        "srv-file-01",
        AlertKind::ProtectionGap,
        "no protection product was found",
    ));
    // Changed behind update()'s back, as a reconcile would: the screens' summary follows.
    s.data.as_mut().unwrap().reindex();
    let b = render(&s, 120, 35);
    let alerts = panel(&b, "Open alerts (2)");
    assert_eq!(
        alerts[..2],
        [
            "▶protection-gap srv-file-01: no protection product was found",
            " unplanned ws-new-01: runs Kaspersky but is not in the plan",
        ]
    );
    // The unplanned machine is not in the inventory: Enter says so instead of opening.
    act(&mut s, &[Action::Down, Action::Open]);
    assert!(s.detail.is_empty());
    let said = s.message.as_ref().map(|m| m.0.clone()).unwrap_or_default();
    assert!(
        said.starts_with("ws-new-01 is not in the inventory"),
        "{said}"
    );
    assert!(panel(&b, "Rollout")[0].ends_with("2 open alert(s)"));
}

#[test]
fn small_terminals_keep_every_tab_and_mono_has_no_colour() {
    let s = rolled_out();
    let b = render(&s, 80, 24);
    let tabs = &lines(&b)[0];
    assert!(tabs.contains(" 6 Progress "), "{tabs}");
    assert!(
        !tabs.contains("avmigrate"),
        "the name makes room for the tabs: {tabs}"
    );
    panel(&b, "Burn-down");
    panel(&b, "Blocked (1)");
    assert_eq!(
        hints(&s).first().map(|(k, w)| (k.as_str(), *w)),
        Some(("tab", "screens"))
    );

    let mut m = loaded_with(ThemeName::Mono, Source::Demo);
    act(&mut m, &[Action::GeneratePlan, Action::ShowProgress]);
    let b = render(&m, 120, 35);
    for cell in b.content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
}

#[test]
fn key_6_help_and_hints_come_from_the_keymap() {
    let mut s = demo();
    let six = Key::parse("6").unwrap();
    for screen in Screen::VARIANTS {
        assert_eq!(
            s.keymap.resolve(screen.context(), &six),
            Some(Action::ShowProgress),
            "{screen:?}"
        );
    }
    act(&mut s, &[Action::ShowProgress]);
    assert_eq!(s.context(), Context::Screen(Screen::Progress));
    assert!(
        help_lines(&s)
            .iter()
            .any(|(cat, keys, desc)| cat == "Screens"
                && keys == "6"
                && desc.starts_with("Progress")),
        "{:#?}",
        help_lines(&s)
    );
    let shown = hints(&s);
    assert!(shown.len() >= 4, "{shown:?}");
    for (label, what) in shown {
        let expected = match what {
            "screens" => Action::NextTab,
            "plan" => Action::GeneratePlan,
            "settings" => Action::PlanSettings,
            "save" => Action::Save,
            "commands" => Action::Palette,
            "help" => Action::Help,
            "quit" => Action::Quit,
            other => panic!("unexpected hint {other}"),
        };
        let key = Key::parse(&label).unwrap();
        assert_eq!(
            s.keymap.resolve(Context::Screen(Screen::Progress), &key),
            Some(expected),
            "{label} {what}"
        );
    }
    // Moving on a screen without a list changes nothing and does not panic.
    act(
        &mut s,
        &[Action::Down, Action::PageDown, Action::Bottom, Action::Open],
    );
    assert_eq!(s.screen, Screen::Progress);
    assert!(s.detail.is_empty());
}

#[test]
fn a_click_on_the_drawn_tab_opens_progress_at_any_width() {
    use avmigrate::tui::layout::{Hit, hit};
    for width in [80u16, 120] {
        let mut s = demo();
        s.size = (width, 35);
        let top = lines(&render(&s, width, 35))[0].clone();
        let byte = top
            .find(" 6 Progress ")
            .unwrap_or_else(|| panic!("no tab 6 at width {width}: {top}"));
        let x = top[..byte].chars().count() as u16;
        assert_eq!(hit(&s, x, 0), Some(Hit::Tab(5)), "width {width}: {top}");
        assert_eq!(hit(&s, x + 11, 0), Some(Hit::Tab(5)), "its last column");
        assert_eq!(hit(&s, x - 1, 0), None, "the gap before it");
        assert_eq!(hit(&s, x - 2, 0), Some(Hit::Tab(4)), "tab 5 ends there");
    }
}

/// `rolled_out` with nb-verw-004 verified, then a scan reconciled in which it still runs
/// Kaspersky (a regression) and srv-git-01 runs nothing any more.
fn reconciled(size: (u16, u16)) -> State {
    use avmigrate::model::Inventory;
    let mut s = rolled_out();
    set_status(&mut s, "nb-verw-004", "migrated", None);
    set_status(&mut s, "nb-verw-004", "verified", None);
    act(&mut s, &[Action::ShowProgress]);
    s.size = size;
    let data = s.data.as_mut().unwrap();
    let shared = data.shared.clone();
    let mut assets = shared.inventory.assets().to_vec();
    let git = assets.iter_mut().find(|a| a.id == "srv-git-01").unwrap();
    git.software.clear();
    let scan = Inventory::from_assets(assets);
    let at: Timestamp = "2026-11-28T09:30:00Z".parse().unwrap();
    let plan = data.plan_mut().unwrap();
    let r = avmigrate::progress::reconcile(
        plan,
        &scan,
        "scan-\u{1b}[31m.csv",
        &shared.rules,
        &shared.catalog,
        at,
    );
    avmigrate::progress::apply_to(plan, &r, at);
    data.reindex();
    avmigrate::tui::update::keep_in_view(&mut s);
    s
}

/// The open alerts as drawn, with the asset each names.
fn alert_ids(s: &State) -> Vec<String> {
    avmigrate::tui::progress_lists::alerts(s.data.as_ref().unwrap())
        .iter()
        .map(|a| a.asset.clone())
        .collect()
}

/// Every word of a pane line is whole (it appears as a word of `source`), unless the line ends
/// in "…", where only the last one may be cut.
fn assert_no_cut_words(line: &str, source: &str) {
    let words: Vec<&str> = line.split_whitespace().collect();
    let bare = |w: &str| {
        w.trim_start_matches('▶')
            .trim_end_matches([':', ','])
            .to_string()
    };
    let known = |w: &str| {
        let w = bare(w);
        w.is_empty() || source.split_whitespace().any(|s| bare(s) == w)
    };
    let check = if line.ends_with('…') {
        &words[..words.len().saturating_sub(1)]
    } else {
        &words[..]
    };
    for w in check {
        assert!(known(w), "{w:?} cut in {line:?}");
    }
}

#[test]
fn alerts_are_a_list_enter_opens_the_asset_and_esc_comes_back() {
    for (w, h) in [(80u16, 24u16), (120, 35)] {
        let mut s = reconciled((w, h));
        let ids = alert_ids(&s);
        assert!(ids.len() >= 2, "{ids:?}");
        assert_eq!(ids[0], "srv-git-01", "the gap first: {ids:?}");
        assert!(ids.contains(&"nb-verw-004".to_string()), "{ids:?}");
        let b = render(&s, w, h);
        let title = format!("Open alerts ({})", ids.len());
        let pane = panel(&b, &title);
        assert!(
            pane[0].starts_with("▶protection-gap srv-git-01"),
            "{pane:#?}"
        );
        // The selected alert's whole message, wrapped under the list, its scan name cleaned.
        let report = &s.data.as_ref().unwrap().summary.as_ref().unwrap().report;
        let gap = report
            .alerts
            .iter()
            .find(|a| a.asset == "srv-git-01")
            .unwrap();
        let under = pane.join(" ");
        assert!(!under.contains('\u{1b}'), "{under}");
        let first_words: Vec<&str> = gap.message.split_whitespace().take(4).collect();
        assert!(under.contains(&first_words.join(" ")), "{under}");
        let source = report
            .alerts
            .iter()
            .map(|a| {
                format!(
                    "{} {} since {}, scan {}: {}",
                    a.kind, a.asset, a.at, a.scan, a.message
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
            .replace('\u{1b}', "\u{fffd}");
        for line in &pane {
            assert_no_cut_words(line, &source);
        }

        // Down selects the regression; Enter opens its asset's detail.
        let k = ids.iter().position(|i| i == "nb-verw-004").unwrap();
        for _ in 0..k {
            act(&mut s, &[Action::Down]);
        }
        assert_eq!(s.progress.alerts.selected, k);
        let pane = panel(&render(&s, w, h), &title);
        assert!(
            pane.iter()
                .any(|l| l.starts_with("▶regression nb-verw-004")),
            "{pane:#?}"
        );
        act(&mut s, &[Action::Open]);
        let inv = s.data.as_ref().unwrap().shared.inventory.assets();
        let open = s.detail.last().expect("detail open").asset as usize;
        assert_eq!(inv[open].id, "nb-verw-004");
        act(&mut s, &[Action::Back]);
        assert!(s.detail.is_empty());
        assert_eq!(s.screen, Screen::Progress);
        assert_eq!(s.progress.alerts.selected, k, "selection kept");

        // Left: the blocked list has the focus; Enter opens srv-git-01.
        act(&mut s, &[Action::Left]);
        let b = render(&s, w, h);
        let blocked = panel(&b, "Blocked (1)");
        assert!(blocked[0].starts_with("▶srv-git-01 "), "{blocked:#?}");
        assert!(
            blocked
                .join(" ")
                .contains("srv-git-01 blocked: uninstall password unknown"),
            "{blocked:#?}"
        );
        act(&mut s, &[Action::Open]);
        let open = s.detail.last().expect("detail open").asset as usize;
        let inv = s.data.as_ref().unwrap().shared.inventory.assets();
        assert_eq!(inv[open].id, "srv-git-01");
        let status_bar = lines(&render(&s, w, h)).pop().unwrap();
        assert!(status_bar.contains("esc back"), "{status_bar}");
    }
}

#[test]
fn progress_hints_name_the_list_keys() {
    let s = reconciled((120, 35));
    let shown: Vec<(String, &str)> = hints(&s);
    for (label, what) in &shown {
        let expected = match *what {
            "screens" => Action::NextTab,
            "select" => Action::Down,
            "alerts" => Action::Right,
            "blocked" => Action::Left,
            "asset" => Action::Open,
            "save" => Action::Save,
            "help" => Action::Help,
            "quit" => Action::Quit,
            other => panic!("unexpected hint {other}"),
        };
        let key = Key::parse(label).unwrap();
        assert_eq!(
            s.keymap.resolve(Context::Screen(Screen::Progress), &key),
            Some(expected),
            "{label} {what}"
        );
    }
    assert!(shown.iter().any(|(_, w)| *w == "asset"), "{shown:?}");
}

#[test]
fn the_detail_shows_alerts_history_and_unticked_steps_under_a_regression() {
    let mut s = reconciled((120, 35));
    let k = alert_ids(&s)
        .iter()
        .position(|i| i == "nb-verw-004")
        .unwrap();
    act(&mut s, &[Action::Down].repeat(k));
    act(&mut s, &[Action::Open]);
    // Tall enough to show the whole text.
    s.size = (120, 200);
    let b = render(&s, 120, 200);
    let inv = s.data.as_ref().unwrap().shared.inventory.assets();
    let a = &inv[s.detail.last().unwrap().asset as usize];
    let title = format!("{} — {}", a.id, a.display_name());
    let text = panel(&b, &title);
    let at = |prefix: &str| {
        text.iter()
            .position(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix:?} in {text:#?}"))
    };
    let alerts = at("Open alerts (1)");
    assert!(
        text[alerts + 1].starts_with("  regression since 2026-11-28T09:30:00Z (scan scan-"),
        "{:#?}",
        &text[alerts..]
    );
    let history = at("History (");
    // Newest first: verified (by the tester) before migrated.
    let verified = text[history..]
        .iter()
        .position(|l| l.contains("tester: status migrated → verified"))
        .expect("verified event");
    let migrated = text[history..]
        .iter()
        .position(|l| l.contains("tester: status in-progress → migrated"))
        .expect("migrated event");
    assert!(verified < migrated, "{:#?}", &text[history..]);
    assert!(!text.join("\n").contains('\u{1b}'));
    let steps = at("Steps");
    let step = |key: &str| {
        text[steps..]
            .iter()
            .find(|l| {
                l.trim_start()
                    .get(4..)
                    .is_some_and(|r| r.starts_with(&format!("{key}:")))
            })
            .unwrap_or_else(|| panic!("no step {key} in {:#?}", &text[steps..]))
            .trim_start()
            .to_string()
    };
    for key in ["verify", "remove-flagged", "confirm-active"] {
        assert!(step(key).starts_with("[ ]"), "{key}: {}", step(key));
    }

    // Without the alert every step is ticked again.
    let data = s.data.as_mut().unwrap();
    data.plan_mut()
        .unwrap()
        .alerts
        .retain(|a| a.kind != AlertKind::Regression);
    data.reindex();
    let b = render(&s, 120, 200);
    let text = panel(&b, &title);
    let steps: Vec<&String> = text
        .iter()
        .filter(|l| l.trim_start().starts_with('['))
        .collect();
    assert!(!steps.is_empty());
    assert!(
        steps.iter().all(|l| l.trim_start().starts_with("[x]")),
        "{steps:#?}"
    );
}
