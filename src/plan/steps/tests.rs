//! Unit tests of the steps: per product family, per platform, per job, and the decide step.

use super::*;
use crate::analysis::Analysis;
use crate::catalog::Catalog;
use crate::model::{AssetKind, Inventory, Os, Relation, Software};
use crate::plan::decision::{Decision, DecisionOption};
use crate::plan::model::Settings;
use crate::plan::schedule::generate;
use crate::rules::RuleSet;

pub(super) fn asset(
    id: &str,
    kind: AssetKind,
    os: &str,
    software: &[&str],
    tags: &[&str],
) -> Asset {
    let mut a = Asset::new(id);
    a.kind = kind;
    a.os = Os::parse(os);
    a.software = software.iter().map(|s| Software::named(*s)).collect();
    a.set_tags(tags.iter().map(|&t| t.into()));
    a
}

pub(super) fn with(mut a: Asset, relations: &[(&str, RelationKind)]) -> Asset {
    for (target, kind) in relations {
        a.depends_on.push(Relation::new(*target, *kind));
    }
    a
}

/// Plans the assets and returns each planned asset with its steps; `edit` may change a planned
/// asset (product, decision) before the steps are made.
pub(super) fn plan_steps(
    assets: Vec<Asset>,
    catalog: &Catalog,
    edit: impl Fn(&mut PlannedAsset),
) -> Vec<(PlannedAsset, Vec<Step>)> {
    let inv = Inventory::from_assets(assets);
    let rules = RuleSet::builtin();
    let analysis = Analysis::run(&inv, &rules);
    let ctx = PlanContext::new(
        &inv,
        &analysis,
        &rules,
        catalog,
        "2026-11-28".parse().unwrap(),
    );
    let plan = generate(
        &ctx,
        Settings::new("2027-01-11".parse().unwrap()),
        "t".into(),
        vec![],
    )
    .plan;
    plan.assets
        .into_iter()
        .map(|mut pa| {
            edit(&mut pa);
            let i = inv.resolve(&pa.id).unwrap();
            let steps = steps_for(&ctx, &pa, i);
            (pa, steps)
        })
        .collect()
}

pub(super) fn one(a: Asset) -> (PlannedAsset, Vec<Step>) {
    let id = a.id.clone();
    plan_steps(vec![a], &Catalog::builtin(), |_| {})
        .into_iter()
        .find(|(pa, _)| pa.id == id)
        .unwrap()
}

pub(super) fn keys(steps: &[Step]) -> Vec<&'static str> {
    steps.iter().map(|s| s.key).collect()
}

pub(super) fn step<'a>(steps: &'a [Step], key: &str) -> &'a Step {
    steps
        .iter()
        .find(|s| s.key == key)
        .unwrap_or_else(|| panic!("no {key} step in {steps:#?}"))
}

/// Every text of a step (action and notes), lower-case, for searching.
pub(super) fn text(s: &Step) -> String {
    let mut t = s.action.clone();
    for n in &s.notes {
        t.push('\n');
        t.push_str(n);
    }
    t.to_lowercase()
}

pub(super) fn all_text(steps: &[Step]) -> String {
    steps.iter().map(text).collect::<Vec<_>>().join("\n")
}

const HOST_STEPS: [&str; 4] = ["install-new", "verify", "remove-flagged", "confirm-active"];

#[test]
fn consumer_product_gets_bsi_order_and_no_security_center_or_kes_password() {
    let (pa, steps) = one(asset(
        "nb",
        AssetKind::Laptop,
        "Windows 10 Enterprise 22H2",
        &["Kaspersky Total Security"],
        &[],
    ));
    assert_eq!(pa.product.as_deref(), Some("mde"));
    assert_eq!(keys(&steps), HOST_STEPS);
    let install = step(&steps, "install-new");
    assert!(text(install).contains("switch microsoft defender for endpoint on first"));
    assert!(install.sources.iter().any(|s| s == sources::BSI_CONSUMER));
    let remove = text(step(&steps, "remove-flagged"));
    assert!(
        remove.contains("settings › apps") && remove.contains("browser"),
        "{remove}"
    );
    for wrong in [
        "kllogin=",
        "uninstall application remotely",
        "ngt_uninstall_password",
    ] {
        assert!(!remove.contains(wrong), "{wrong} in {remove}");
    }
    assert!(!all_text(&steps).contains("kaspersky policy"));
    assert!(text(step(&steps, "confirm-active")).contains("browser extensions are gone"));
}

#[test]
fn mobile_is_removed_through_the_mdm_without_password_notes() {
    let (_, steps) = one(asset(
        "phone",
        AssetKind::Mobile,
        "Android 14",
        &["Kaspersky Endpoint Security for Android"],
        &[],
    ));
    assert_eq!(keys(&steps), HOST_STEPS);
    let all = all_text(&steps);
    assert!(text(step(&steps, "remove-flagged")).contains("device management (mdm)"));
    for wrong in [
        "kllogin",
        "ngt_uninstall_password",
        "eicar",
        "msiexec",
        "windows security",
    ] {
        assert!(!all.contains(wrong), "{wrong} in {all}");
    }
    assert!(text(step(&steps, "confirm-active")).contains("app inventory"));
}

#[test]
fn windows_7_says_what_microsoft_documents_not_windows_security() {
    let (pa, steps) = one(asset(
        "w7",
        AssetKind::Workstation,
        "Windows 7 Professional SP1",
        &[
            "Kaspersky Endpoint Security for Windows",
            "Kaspersky Security Center Network Agent",
        ],
        &[],
    ));
    assert_eq!(pa.product.as_deref(), Some("mde"));
    let install = step(&steps, "install-new");
    assert!(text(install).contains("defender antivirus is not part of this windows"));
    assert!(
        install
            .sources
            .iter()
            .any(|s| s == sources::ONBOARD_DOWNLEVEL)
    );
    // The Windows 10+ passive-mode note does not apply to the deployment tool.
    assert!(!text(install).contains("after removal check that defender av is active"));
    let confirm = step(&steps, "confirm-active");
    let c = text(confirm);
    assert!(
        c.contains("action center") && c.contains("no antivirus found"),
        "{c}"
    );
    assert!(!c.contains("windows security (security center"), "{c}");
    assert!(
        confirm
            .sources
            .iter()
            .any(|s| s == sources::DEPLOYMENT_TOOL)
    );
}

#[test]
fn windows_10_client_lists_the_successor_in_windows_security() {
    let (_, steps) = one(asset(
        "w10",
        AssetKind::Workstation,
        "Windows 10 Enterprise 22H2",
        &["Kaspersky Endpoint Security for Windows"],
        &[],
    ));
    let c = text(step(&steps, "confirm-active"));
    assert!(c.contains("windows security (security center"), "{c}");
    let remove = text(step(&steps, "remove-flagged"));
    assert!(
        remove.contains("kllogin="),
        "KES has an uninstall password: {remove}"
    );
    assert!(
        !remove.contains("ngt_uninstall_password"),
        "no Network Agent here"
    );
    assert!(
        remove.contains("not managed by security center"),
        "{remove}"
    );
}

#[test]
fn windows_server_defender_does_not_come_back_on_its_own() {
    let (_, steps) = one(asset(
        "srv",
        AssetKind::Server,
        "Windows Server 2019 Standard",
        &[
            "Kaspersky Security for Windows Server",
            "Kaspersky Security Center Network Agent",
        ],
        &[],
    ));
    assert_eq!(keys(&steps), HOST_STEPS);
    let c = text(step(&steps, "confirm-active"));
    assert!(
        c.contains("does not turn defender antivirus back on"),
        "{c}"
    );
    assert!(c.contains("no security center list"), "{c}");
    let remove = step(&steps, "remove-flagged");
    let r = text(remove);
    assert!(r.contains("ksws asks for its password"), "{r}");
    assert!(r.contains("ngt_uninstall_password"), "{r}");
    assert!(!r.contains("kllogin="), "no KES here: {r}");
    assert!(remove.sources.iter().any(|s| s == sources::KSWS_PASSWORD));
}

#[test]
fn linux_removes_packages_agent_last_and_has_no_kes_password() {
    let (_, steps) = one(asset(
        "lnx",
        AssetKind::Server,
        "Ubuntu 22.04 LTS",
        &["klnagent64", "kesl"],
        &[],
    ));
    let r = text(step(&steps, "remove-flagged"));
    assert!(
        r.contains("(kesl, klnagent64)") && r.contains("rpm -e"),
        "{r}"
    );
    assert!(!r.contains("kllogin") && !r.contains("msiexec"), "{r}");
    assert!(r.contains("ngt_uninstall_password"), "{r}");
    assert!(text(step(&steps, "confirm-active")).contains("mdatp health"));
}

#[test]
fn macos_runs_the_uninstall_scripts() {
    let (_, steps) = one(asset(
        "mac",
        AssetKind::Laptop,
        "macOS 15.4",
        &["Kaspersky Endpoint Security for Mac"],
        &[],
    ));
    let remove = step(&steps, "remove-flagged");
    let r = text(remove);
    assert!(r.contains("kav/binaries/uninstallscript"), "{r}");
    assert!(
        !r.contains("klnagent/binaries"),
        "no Network Agent here: {r}"
    );
    assert!(!r.contains("kllogin"), "{r}");
    assert!(remove.sources.iter().any(|s| s == sources::MAC_UNINSTALL));
    assert!(text(step(&steps, "install-new")).contains("system extensions"));
}

#[test]
fn a_successor_already_running_is_verified_not_installed() {
    let (pa, steps) = one(asset(
        "nb",
        AssetKind::Laptop,
        "Windows 11 Enterprise 23H2",
        &[
            "ESET Endpoint Security",
            "ESET Management Agent",
            "Kaspersky Security Center Network Agent",
        ],
        &[],
    ));
    assert_eq!(pa.product.as_deref(), Some("eset-protect-endpoint"));
    assert!(
        pa.product_reason.starts_with("already running"),
        "{}",
        pa.product_reason
    );
    assert_eq!(keys(&steps), ["verify", "remove-flagged", "confirm-active"]);
    assert!(text(&steps[0]).contains("already runs here"));
    assert!(text(&steps[1]).contains("ngt_uninstall_password"));
}

#[test]
fn ot_host_gets_a_decide_step_and_nothing_installed() {
    let (pa, steps) = one(asset(
        "hmi",
        AssetKind::Ot,
        "Windows 7 Embedded Standard",
        &[
            "Kaspersky Industrial CyberSecurity for Nodes",
            "Kaspersky Security Center Network Agent",
        ],
        &["kritis"],
    ));
    assert!(pa.needs_decision && pa.awaits_decision());
    assert_eq!(pa.product, None);
    assert_eq!(keys(&steps), ["decide"]);
    let d = text(&steps[0]);
    for option in ["allowlisting:", "isolate:", "vendor-approval:", "retire:"] {
        assert!(d.contains(option), "{option} missing: {d}");
    }
    assert!(d.contains("trend micro safe lock"), "{d}");
    assert!(d.contains("no protection on the host"), "{d}");
    assert!(!d.contains("eicar"));
    assert!(steps[0].sources.iter().any(|s| s == sources::BSI_FAQ));
}

#[test]
fn a_network_sensor_set_by_hand_never_gets_host_steps() {
    let assets = vec![asset(
        "hmi",
        AssetKind::Ot,
        "Windows 10 IoT Enterprise LTSC 2021",
        &["Kaspersky Industrial CyberSecurity for Nodes"],
        &[],
    )];
    let got = plan_steps(assets, &Catalog::builtin(), |pa| {
        pa.product = Some("defender-for-iot".into());
        // Even with an approval recorded: a sensor is not installed on the host.
        pa.decision = Some(Box::new(Decision {
            option: DecisionOption::VendorApproval,
            rationale: "r".into(),
            approver: "a".into(),
            review: "2027-06-30".parse().unwrap(),
        }));
    });
    let (_, steps) = &got[0];
    assert_eq!(keys(steps), ["decide"]);
    assert!(!all_text(steps).contains("install microsoft defender for iot"));
    let got = plan_steps(
        vec![asset(
            "hmi",
            AssetKind::Ot,
            "Windows 10 IoT Enterprise LTSC 2021",
            &["Kaspersky Industrial CyberSecurity for Nodes"],
            &[],
        )],
        &Catalog::builtin(),
        |pa| pa.product = Some("nozomi-guardian".into()),
    );
    let (_, steps) = &got[0];
    assert_eq!(keys(steps), ["decide"]);
    assert!(text(&steps[0]).contains("network sensor"), "{steps:#?}");
}

#[test]
fn a_recorded_decision_replaces_the_options() {
    let hmi = || {
        asset(
            "hmi",
            AssetKind::Ot,
            "Windows 10 IoT Enterprise LTSC 2021",
            &["Kaspersky Industrial CyberSecurity for Nodes"],
            &[],
        )
    };
    let decision = |option| Decision {
        option,
        rationale: "vendor forbids agents".into(),
        approver: "CISO".into(),
        review: "2026-06-30".parse().unwrap(),
    };
    let got = plan_steps(vec![hmi()], &Catalog::builtin(), |pa| {
        pa.decision = Some(Box::new(decision(DecisionOption::Isolate)));
    });
    let (pa, steps) = &got[0];
    assert!(!pa.awaits_decision());
    assert_eq!(keys(steps), ["decide"]);
    let d = text(&steps[0]);
    assert!(d.contains("decision recorded: isolate"), "{d}");
    assert!(
        d.contains("vendor forbids agents") && d.contains("ciso"),
        "{d}"
    );
    assert!(d.contains("review by 2026-06-30 (overdue)"), "{d}");
    assert!(!d.contains("allowlisting:"), "the options are gone: {d}");
    // Vendor approval of a host agent: the replacement steps follow the decision.
    let got = plan_steps(vec![hmi()], &Catalog::builtin(), |pa| {
        pa.product = Some("mde".into());
        pa.decision = Some(Box::new(decision(DecisionOption::VendorApproval)));
    });
    let (_, steps) = &got[0];
    assert_eq!(
        keys(steps),
        [
            "decide",
            "install-new",
            "verify",
            "remove-flagged",
            "confirm-active"
        ]
    );
}

#[test]
fn management_server_exports_records_then_goes_last() {
    let ksc = asset(
        "ksc",
        AssetKind::Server,
        "Windows Server 2019 Standard",
        &[
            "Kaspersky Security Center 14.2 Administration Server",
            "Kaspersky Security Center Network Agent",
            "Kaspersky Security for Windows Server",
        ],
        &[],
    );
    let ws = with(
        asset(
            "ws",
            AssetKind::Workstation,
            "Windows 11 23H2",
            &["Kaspersky Endpoint Security for Windows"],
            &[],
        ),
        &[("ksc", RelationKind::ManagedBy)],
    );
    let got = plan_steps(vec![ksc, ws], &Catalog::builtin(), |_| {});
    let (_, steps) = got.iter().find(|(pa, _)| pa.id == "ksc").unwrap();
    assert_eq!(
        keys(steps),
        [
            "install-new",
            "verify",
            "remove-flagged",
            "confirm-active",
            "export-records",
            "decommission"
        ]
    );
    let remove = &step(steps, "remove-flagged").action;
    assert_eq!(remove, "Remove Kaspersky Security for Windows Server.");
    let export = text(step(steps, "export-records"));
    for needed in [
        "detections",
        "event logs",
        "kllogin/klpasswd",
        "network agent uninstall password",
        "migrated, excluded or decided",
        "1 assets report to ksc, e.g. ws",
    ] {
        assert!(export.contains(needed), "{needed} missing: {export}");
    }
}

#[test]
fn every_platform_and_family_note_names_its_source() {
    for a in [
        asset(
            "c",
            AssetKind::Laptop,
            "Windows 10 22H2",
            &["Kaspersky Internet Security"],
            &[],
        ),
        asset(
            "s",
            AssetKind::Server,
            "Windows Server 2022",
            &["Kaspersky Security for Windows Server"],
            &[],
        ),
        asset("l", AssetKind::Server, "Debian 12", &["kesl"], &[]),
        asset(
            "m",
            AssetKind::Laptop,
            "macOS 15",
            &["Kaspersky Endpoint Security for Mac"],
            &[],
        ),
    ] {
        let id = a.id.clone();
        let (_, steps) = one(a);
        for key in ["remove-flagged", "confirm-active"] {
            assert!(
                !step(&steps, key).sources.is_empty(),
                "{id}: {key} without source"
            );
        }
    }
}

#[test]
fn a_logical_ci_gets_no_agent_step() {
    let app = with(
        asset(
            "Kaspersky Security Center",
            AssetKind::Application,
            "",
            &["Kaspersky Endpoint Security for Windows"],
            &[],
        ),
        &[("fr-srv-ksc01", RelationKind::RunsOn)],
    );
    let (_, steps) = one(app);
    assert_eq!(keys(&steps), ["switch-over"]);
    let t = text(&steps[0]);
    assert!(
        t.contains("install no agent") && t.contains("fr-srv-ksc01"),
        "{t}"
    );
    assert!(!keys(&steps).contains(&"install-new"));
}
