//! Unit tests of the pilot and management checks, and of the code list in the docs.

use super::*;
use crate::analysis::Analysis;
use crate::catalog::Catalog;
use crate::model::{
    Asset, AssetKind, Criticality, Inventory, Os, Relation, RelationKind, Software,
};
use crate::plan::model::{Decision, DecisionOption, Plan, Settings};
use crate::plan::schedule::generate;
use crate::rules::RuleSet;

const KES: &str = "Kaspersky Endpoint Security for Windows";
const KSWS: &str = "Kaspersky Security for Windows Server";

fn asset(id: &str, os: &str, software: &str, criticality: Criticality, deps: &[&str]) -> Asset {
    let mut a = Asset::new(id);
    a.os = Os::parse(os);
    a.kind = AssetKind::infer(&a.os);
    a.criticality = criticality;
    a.software.push(Software::named(software));
    for to in deps {
        a.depends_on
            .push(Relation::new(*to, RelationKind::ManagedBy));
    }
    a
}

/// ksc-01 manages everything: clients (one KRITIS), servers (one critical), a Linux server,
/// and two KRITIS OT HMIs managed through a secondary server ksc-02 that reports to ksc-01.
fn estate() -> Inventory {
    use Criticality::*;
    let m = &["ksc-01"];
    let mut kritis_ws = asset("ws-3", "Windows 11 Enterprise 23H2", KES, High, m);
    kritis_ws.add_tag("kritis");
    let mut ksc2 = asset(
        "ksc-02",
        "Windows Server 2019 Standard",
        "Kaspersky Security Center 14.2 Administration Server",
        Medium,
        &[],
    );
    ksc2.depends_on
        .push(Relation::new("ksc-01", RelationKind::ReportsTo));
    let hmi = |id: &str| {
        let mut a = asset(
            id,
            "Windows 7 Embedded Standard",
            "Kaspersky Industrial CyberSecurity for Nodes",
            Critical,
            &["ksc-02"],
        );
        a.kind = AssetKind::Ot;
        a.add_tag("kritis");
        a
    };
    Inventory::from_assets([
        asset(
            "ksc-01",
            "Windows Server 2019 Standard",
            "Kaspersky Security Center 14.2 Administration Server",
            Medium,
            &[],
        ),
        ksc2,
        asset("ws-1", "Windows 11 Enterprise 23H2", KES, Medium, m),
        asset("ws-2", "Windows 10 Enterprise 22H2", KES, Low, m),
        kritis_ws,
        asset("srv-1", "Windows Server 2022 Standard", KSWS, Medium, m),
        asset("srv-2", "Windows Server 2022 Standard", KSWS, Critical, m),
        asset(
            "lx-1",
            "Ubuntu 22.04 LTS",
            "Kaspersky Endpoint Security for Linux",
            Low,
            m,
        ),
        hmi("hmi-1"),
        hmi("hmi-2"),
    ])
}

/// Generates a plan of `inv`, lets `edit` change it, and validates it.
fn check(inv: &Inventory, edit: impl FnOnce(&mut Plan)) -> (Plan, Vec<Problem>) {
    let (rules, catalog) = (RuleSet::builtin(), Catalog::builtin());
    let analysis = Analysis::run(inv, &rules);
    let ctx = PlanContext::new(
        inv,
        &analysis,
        &rules,
        &catalog,
        "2026-11-28".parse().unwrap(),
    );
    let mut s = Settings::new("2027-01-11".parse().unwrap());
    s.wave_size = 10;
    let mut plan = generate(&ctx, s, "t".into(), vec![]).plan;
    edit(&mut plan);
    let problems = validate(&plan, &ctx, &[]);
    (plan, problems)
}

fn with_code(problems: &[Problem], code: Code) -> Vec<&Problem> {
    problems.iter().filter(|p| p.code == code).collect()
}

fn set(plan: &mut Plan, id: &str, f: impl FnOnce(&mut crate::plan::model::PlannedAsset)) {
    let i = plan.asset_index(id).unwrap();
    f(&mut plan.assets[i]);
}

#[test]
fn every_code_has_one_name_in_text_json_and_parsing() {
    for code in <Code as strum::IntoEnumIterator>::iter() {
        let name = code.as_str();
        assert_eq!(code.to_string(), name);
        assert_eq!(serde_json::to_value(code).unwrap(), name);
        assert_eq!(name.parse::<Code>(), Ok(code));
        assert!(
            name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{name}"
        );
    }
    assert_eq!(Code::OrderBroken.as_str(), "order-broken");
    assert_eq!(Code::PlanOverAYear.as_str(), "plan-over-a-year");
}

#[test]
fn the_docs_list_every_code_with_its_severity_and_meaning() {
    let docs = include_str!("../../../docs/validate.md");
    for code in <Code as strum::IntoEnumIterator>::iter() {
        let meaning = code.meaning();
        let sev = match code.severity() {
            Severity::Violation => "violation",
            Severity::Warning => "warning",
        };
        let row = format!("| `{code}` | {sev} | {meaning} |");
        assert!(docs.contains(&row), "docs/validate.md lacks: {row}");
    }
}

#[test]
fn a_generated_plan_pilots_each_platform_and_keeps_critical_systems_out() {
    let (plan, problems) = check(&estate(), |_| {});
    assert!(!has_violations(&problems), "{problems:#?}");
    let pilot: Vec<&str> = plan
        .assets
        .iter()
        .filter(|a| a.wave == plan.waves[0].id)
        .map(|a| a.id.as_str())
        .collect();
    // A Windows client (the lower-risk one), a Windows Server, a Linux server; no KRITIS or
    // critical system, no management server.
    assert_eq!(pilot, ["lx-1", "srv-1", "ws-2"], "{plan:#?}");
    assert!(
        plan.asset("srv-1")
            .unwrap()
            .reason
            .ends_with("sample for Windows Server")
    );
    // OT and Windows Embedded have no low-risk system: reported, not a violation.
    let missing: Vec<&str> = with_code(&problems, Code::PilotNotRepresentative)
        .iter()
        .map(|p| p.message.as_str())
        .collect();
    assert_eq!(missing.len(), 2, "{missing:#?}");
    assert!(missing[0].contains("no OT sample"), "{missing:#?}");
    assert!(
        missing[1].contains("no Windows Embedded sample"),
        "{missing:#?}"
    );
    // The critical server waited for the pilot's proof of its platform.
    let srv2 = plan.asset("srv-2").unwrap();
    assert_ne!(srv2.wave, plan.waves[0].id);
    assert!(
        srv2.reason
            .contains("after the pilot proved Windows Server in w1"),
        "{}",
        srv2.reason
    );
}

#[test]
fn a_kritis_asset_in_the_pilot_is_a_violation() {
    let (_, problems) = check(&estate(), |plan| {
        let first = plan.waves[0].id.clone();
        set(plan, "ws-3", |a| a.wave = first);
    });
    let v = with_code(&problems, Code::CriticalInPilot);
    assert_eq!(v.len(), 1, "{problems:#?}");
    assert_eq!(v[0].severity, Severity::Violation);
    assert_eq!(v[0].asset.as_deref(), Some("ws-3"));
    assert!(v[0].message.starts_with("ws-3 (KRITIS) is in the pilot w1"));
    assert!(with_code(&problems, Code::CriticalBeforePilot).is_empty());
}

#[test]
fn a_critical_asset_before_its_platform_is_proven_is_a_violation() {
    // The pilot's Windows Server sample moves to the last wave but one; the critical server
    // stays where it is: Windows Server is now proven after it.
    let (plan, problems) = check(&estate(), |plan| {
        let late = plan.waves[plan.waves.len() - 2].id.clone();
        set(plan, "srv-1", |a| a.wave = late);
        for w in &mut plan.waves {
            w.capacity = 10;
        }
    });
    let v = with_code(&problems, Code::CriticalBeforePilot);
    assert_eq!(v.len(), 1, "{problems:#?}");
    assert_eq!(v[0].asset.as_deref(), Some("srv-2"));
    let late = &plan.asset("srv-1").unwrap().wave;
    assert!(
        v[0].message.contains(&format!(
            "Windows Server is first proven in {late} (by srv-1)"
        )),
        "{}",
        v[0].message
    );
    // The pilot has no Windows Server sample any more.
    assert!(
        with_code(&problems, Code::PilotNotRepresentative)
            .iter()
            .any(|p| p.message.contains("no Windows Server sample")),
        "{problems:#?}"
    );
    // Sharing the proving wave is not "after" it either.
    let (_, problems) = check(&estate(), |plan| {
        let late = plan.waves[plan.waves.len() - 2].id.clone();
        set(plan, "srv-1", |a| a.wave = late.clone());
        set(plan, "srv-2", |a| a.wave = late);
        for w in &mut plan.waves {
            w.capacity = 10;
        }
    });
    let v = with_code(&problems, Code::CriticalBeforePilot);
    assert_eq!(v.len(), 1, "{problems:#?}");
    assert_eq!(v[0].asset.as_deref(), Some("srv-2"));
    // Once srv-2 is verified, its placement is history.
    let (_, problems) = check(&estate(), |plan| {
        let late = plan.waves[plan.waves.len() - 2].id.clone();
        set(plan, "srv-1", |a| a.wave = late);
        set(plan, "srv-2", |a| a.status = Status::Verified);
        for w in &mut plan.waves {
            w.capacity = 10;
        }
    });
    assert!(with_code(&problems, Code::CriticalBeforePilot).is_empty());
}

#[test]
fn a_management_server_waits_for_decisions_on_what_it_manages() {
    let needs = |plan: &mut Plan| {
        for id in ["hmi-1", "hmi-2"] {
            set(plan, id, |a| a.needs_decision = true);
        }
    };
    let (plan, problems) = check(&estate(), needs);
    let w = with_code(&problems, Code::ManagementAwaitsDecision);
    // Both servers: ksc-02 manages the HMIs, ksc-01 through ksc-02.
    assert_eq!(w.len(), 2, "{problems:#?}");
    assert!(w.iter().all(|p| p.severity == Severity::Warning));
    let ksc1 = w
        .iter()
        .find(|p| p.asset.as_deref() == Some("ksc-01"))
        .unwrap();
    let wave = &plan.asset("ksc-01").unwrap().wave;
    assert!(
        ksc1.message.starts_with(&format!(
            "management server ksc-01 goes in {wave}, but 2 asset(s) relying on it await a \
             decision: hmi-1, hmi-2"
        )),
        "{}",
        ksc1.message
    );
    assert!(!has_violations(&problems), "{problems:#?}");
    // Decided (one recorded decision, one excluded): nothing to wait for.
    let (_, problems) = check(&estate(), |plan| {
        needs(plan);
        set(plan, "hmi-1", |a| {
            a.decision = Some(Box::new(Decision {
                option: DecisionOption::Isolate,
                rationale: "air-gapped HMI".into(),
                approver: "CISO".into(),
                review: "2027-06-30".parse().unwrap(),
            }))
        });
        set(plan, "hmi-2", |a| a.status = Status::Excluded);
    });
    assert!(with_code(&problems, Code::ManagementAwaitsDecision).is_empty());
}

#[test]
fn a_management_server_retired_before_what_it_manages_is_a_violation() {
    let retire = |plan: &mut Plan, id: &str| set(plan, id, |a| a.status = Status::Migrated);
    // ksc-01 is migrated while everything else is still planned.
    let (_, problems) = check(&estate(), |plan| retire(plan, "ksc-01"));
    let v = with_code(&problems, Code::ManagementRetiredEarly);
    assert_eq!(v.len(), 1, "{problems:#?}");
    assert_eq!(v[0].severity, Severity::Violation);
    assert!(
        v[0].message.starts_with(
            "management server ksc-01 is migrated, but 9 asset(s) relying on it are not \
             migrated, excluded or decided: hmi-1, hmi-2, ksc-02, lx-1, srv-1 and 4 more"
        ),
        "{}",
        v[0].message
    );
    // Everything migrated but one HMI two hops away, behind ksc-02: still too early.
    let (_, problems) = check(&estate(), |plan| {
        for a in &mut plan.assets {
            if a.id != "hmi-2" {
                a.status = Status::Verified;
            }
        }
    });
    let v = with_code(&problems, Code::ManagementRetiredEarly);
    assert_eq!(v.len(), 2, "{problems:#?}");
    assert!(v.iter().all(|p| {
        p.message.ends_with(
            "not migrated, excluded or decided: hmi-2; it may only be retired after them",
        )
    }));
    // With a decision for hmi-2 the servers may go.
    let (_, problems) = check(&estate(), |plan| {
        for a in &mut plan.assets {
            if a.id != "hmi-2" {
                a.status = Status::Verified;
            }
        }
        set(plan, "hmi-2", |a| {
            a.needs_decision = true;
            a.decision = Some(Box::new(Decision {
                option: DecisionOption::Allowlisting,
                rationale: "vendor forbids agents".into(),
                approver: "CISO".into(),
                review: "2027-06-30".parse().unwrap(),
            }))
        });
    });
    assert!(with_code(&problems, Code::ManagementRetiredEarly).is_empty());
    assert!(with_code(&problems, Code::ManagementAwaitsDecision).is_empty());
}

#[test]
fn a_recorded_decision_answers_the_missing_product_until_its_review_date() {
    let (plan, problems) = check(&estate(), |_| {});
    let hmi = plan.asset("hmi-1").unwrap();
    assert!(hmi.awaits_decision(), "{hmi:?}");
    let open: Vec<_> = problems
        .iter()
        .filter(|p| p.asset.as_deref() == Some("hmi-1"))
        .filter(|p| matches!(p.code, Code::NoCompatibleProduct | Code::DecisionNeeded))
        .collect();
    assert_eq!(
        open.len(),
        1,
        "undecided HMI is reported once: {problems:#?}"
    );
    let decide = |review: &'static str| {
        move |plan: &mut Plan| {
            set(plan, "hmi-1", |a| {
                a.decision = Some(Box::new(Decision {
                    option: DecisionOption::Isolate,
                    rationale: "cell isolated".into(),
                    approver: "CISO".into(),
                    review: review.parse().unwrap(),
                }))
            })
        }
    };
    let (_, problems) = check(&estate(), decide("2027-06-30"));
    assert!(
        !problems.iter().any(|p| p.asset.as_deref() == Some("hmi-1")
            && matches!(
                p.code,
                Code::NoCompatibleProduct | Code::DecisionNeeded | Code::DecisionReviewDue
            )),
        "{problems:#?}"
    );
    // "Today" in `check` is 2026-11-28: a review date on or before it is due.
    let (_, problems) = check(&estate(), decide("2026-11-28"));
    let due = with_code(&problems, Code::DecisionReviewDue);
    assert_eq!(due.len(), 1, "{problems:#?}");
    assert!(due[0].message.contains("was to be reviewed on 2026-11-28"));
}

#[test]
fn support_is_judged_on_the_day_of_the_wave() {
    // On 2026-11-28 the three most recent macOS releases are 27 (projected), 26 and 15: MDE
    // supports macOS 15 today, but not once macOS 28 is out (expected 2027-09-15).
    let mut mac = Asset::new("mac-1");
    mac.os = Os::parse("macOS 15.4");
    mac.kind = AssetKind::Laptop;
    mac.software
        .push(Software::named("Kaspersky Endpoint Security for Mac"));
    let inv = Inventory::from_assets([mac]);
    let in_wave_ending = |end: &str| {
        let end: Date = end.parse().unwrap();
        check(&inv, |p| {
            set(p, "mac-1", |a| a.product = Some("mde".into()));
            let w = p
                .waves
                .iter()
                .position(|w| w.id == p.assets[0].wave)
                .unwrap();
            p.waves[w].end = end;
        })
        .1
    };
    let early = in_wave_ending("2027-06-30");
    assert!(
        with_code(&early, Code::SupportEndsBeforeWave).is_empty(),
        "{early:?}"
    );
    assert!(
        with_code(&early, Code::ProductIncompatible).is_empty(),
        "{early:?}"
    );
    let late = in_wave_ending("2027-10-01");
    let found = with_code(&late, Code::SupportEndsBeforeWave);
    assert_eq!(found.len(), 1, "{late:?}");
    assert!(
        found[0]
            .message
            .contains("28 (expected 2027-09-15), 27 (expected 2026-09-15), 26"),
        "{}",
        found[0].message
    );
}
