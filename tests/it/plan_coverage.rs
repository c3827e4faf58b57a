//! Protection through providers on small hand-made estates: virtual machines scanned by an
//! agentless SVM, a NAS scanned by a file server's KSWS, a server whose mail goes through a
//! Kaspersky mail gateway. Each joins the plan with its coverage (the provider's replacement,
//! an agent of its own, or a decision) no later than its provider, and the runbook says what
//! to do on it.

use avmigrate::analysis::Analysis;
use avmigrate::catalog::{Capability, Catalog};
use avmigrate::model::{Asset, AssetKind, Inventory, Os, Relation, RelationKind, Software};
use avmigrate::plan::context::PlanContext;
use avmigrate::plan::coverage::coverage_steps;
use avmigrate::plan::validate::{Severity, validate};
use avmigrate::plan::{
    Coverage, CoveredBy, Edit, EditContext, Plan, PlannedAsset, Settings, apply, file, schedule,
};
use avmigrate::report::runbook::to_runbook;
use avmigrate::rules::RuleSet;

const KSV: &str = "Kaspersky Security for Virtualization 6.2 Agentless";
const KSWS: &str = "Kaspersky Security for Windows Server";
const KSMG: &str = "Kaspersky Secure Mail Gateway";
const KES: &str = "Kaspersky Endpoint Security for Windows";

/// Test products with exactly the functions a provider's replacement needs (verified facts).
const CATALOG: &str = r#"
[[product]]
id = "test-agentless"
vendor = "eset"
name = "Test Agentless"
source = "test"
verified = true
[[product.platform]]
family = "linux"
status = "supported"
source = "test"
verified = true
[[product.role]]
role = "server"
status = "supported"
source = "test"
verified = true
[[product.role]]
role = "virtualization"
status = "supported"
source = "test"
verified = true

[[product]]
id = "test-icap"
vendor = "eset"
name = "Test ICAP Scanner"
source = "test"
verified = true
[[product.platform]]
family = "windows-server"
status = "supported"
source = "test"
verified = true
[[product.role]]
role = "server"
status = "supported"
source = "test"
verified = true
[[product.role]]
role = "file-server"
status = "supported"
remote = true
source = "test"
verified = true

[[product]]
id = "test-mailgw"
vendor = "eset"
name = "Test Mail Gateway"
source = "test"
verified = true
[[product.platform]]
family = "linux"
status = "supported"
source = "test"
verified = true
[[product.role]]
role = "mail"
status = "supported"
source = "test"
verified = true
"#;

fn asset(id: &str, kind: AssetKind, os: &str, software: &[&str]) -> Asset {
    let mut a = Asset::new(id);
    a.kind = kind;
    a.os = Os::parse(os);
    a.set_site(Some("HQ".into()));
    a.set_owner(Some("IT".into()));
    a.software = software.iter().map(|s| Software::named(*s)).collect();
    a
}

fn rel(mut a: Asset, to: &str, kind: RelationKind) -> Asset {
    a.depends_on.push(Relation::new(to, kind));
    a
}

/// Two agentless SVMs; vm-1, vm-2 scanned by svm-1, vm-3 by svm-2; an ESXi host; a VM with an
/// OS nothing supports; a NAS scanned by a KSWS file server; a server and a client whose mail
/// goes through a KSMG gateway (the client runs KES itself); workstations to fill waves.
fn estate() -> Inventory {
    use AssetKind::*;
    use RelationKind::{MailVia, ScannedBy};
    let srv = "Windows Server 2019 Standard";
    let mut assets = vec![
        asset("svm-1", Appliance, "Linux (KSV Agentless SVM)", &[KSV]),
        asset("svm-2", Appliance, "Linux (KSV Agentless SVM)", &[KSV]),
        rel(asset("vm-1", Vm, srv, &[]), "svm-1", ScannedBy),
        rel(asset("vm-2", Vm, srv, &[]), "svm-1", ScannedBy),
        rel(asset("vm-3", Vm, srv, &[]), "svm-2", ScannedBy),
        rel(
            asset("esx-1", Hypervisor, "VMware ESXi 8.0 U2", &[]),
            "svm-1",
            ScannedBy,
        ),
        rel(asset("vm-old", Vm, "OpenVMS 8.4", &[]), "svm-2", ScannedBy),
        asset("fs-1", Server, srv, &[KSWS]),
        rel(
            asset("nas-1", Storage, "Synology DSM 7.2", &[]),
            "fs-1",
            ScannedBy,
        ),
        asset("mgw-1", MailGateway, "CentOS Linux 7.9", &[KSMG]),
        rel(asset("app-1", Vm, srv, &[]), "mgw-1", MailVia),
        rel(
            asset("ws-mail", Workstation, "Windows 11 Enterprise 23H2", &[KES]),
            "mgw-1",
            MailVia,
        ),
    ];
    for n in 0..12 {
        assets.push(asset(
            &format!("ws-{n:02}"),
            Workstation,
            "Windows 11 Enterprise 23H2",
            &[KES],
        ));
    }
    Inventory::from_assets(assets)
}

struct Setup {
    inv: Inventory,
    analysis: Analysis,
    rules: RuleSet,
    catalog: Catalog,
}

impl Setup {
    fn new(inv: Inventory, with_test_products: bool) -> Setup {
        let rules = RuleSet::builtin();
        let analysis = Analysis::run(&inv, &rules);
        let catalog = if with_test_products {
            Catalog::builtin().combine(Catalog::parse(CATALOG, "t.toml").expect("test catalogue"))
        } else {
            Catalog::builtin()
        };
        Setup {
            inv,
            analysis,
            rules,
            catalog,
        }
    }

    fn ctx(&self) -> PlanContext<'_> {
        PlanContext::new(
            &self.inv,
            &self.analysis,
            &self.rules,
            &self.catalog,
            "2026-11-28".parse().unwrap(),
        )
    }

    fn plan_with(&self, preference: &[&str]) -> Plan {
        let mut s = Settings::new("2027-01-11".parse().unwrap());
        s.wave_size = 8;
        s.preference = preference.iter().map(|p| p.to_string()).collect();
        schedule::generate(&self.ctx(), s, "coverage".into(), vec![]).plan
    }

    fn codes(&self, plan: &Plan, severity: Severity) -> Vec<&'static str> {
        validate(plan, &self.ctx(), &[])
            .into_iter()
            .filter(|p| p.severity == severity)
            .map(|p| p.code.as_str())
            .collect()
    }
}

fn coverage(plan: &Plan, id: &str) -> Coverage {
    let a = plan
        .asset(id)
        .unwrap_or_else(|| panic!("{id} is not planned"));
    a.coverage
        .clone()
        .unwrap_or_else(|| panic!("{id} has no coverage: {a:#?}"))
}

fn wave_pos(plan: &Plan, id: &str) -> usize {
    plan.wave_index(&plan.asset(id).unwrap().wave).unwrap()
}

#[test]
fn vms_scanned_by_an_svm_are_covered_by_its_replacement_when_it_has_the_function() {
    let s = Setup::new(estate(), true);
    let plan = s.plan_with(&["test-agentless"]);
    assert_eq!(s.codes(&plan, Severity::Violation), Vec::<&str>::new());
    assert_eq!(
        plan.asset("svm-1").unwrap().product.as_deref(),
        Some("test-agentless")
    );
    for vm in ["vm-1", "vm-2", "esx-1"] {
        let c = coverage(&plan, vm);
        assert_eq!(
            c,
            Coverage {
                via: "svm-1".into(),
                function: Capability::Virtualization,
                by: CoveredBy::Provider
            }
        );
        let a = plan.asset(vm).unwrap();
        // The provider's replacement protects it, in the provider's wave.
        assert_eq!(a.product.as_deref(), Some("test-agentless"));
        assert_eq!(a.wave, plan.asset("svm-1").unwrap().wave, "{vm}");
        assert!(!a.needs_decision);
        assert!(
            a.reason
                .contains("covered by svm-1's replacement Test Agentless"),
            "{}",
            a.reason
        );
        assert!(
            a.product_reason.contains("takes over"),
            "{}",
            a.product_reason
        );
    }
    assert_eq!(coverage(&plan, "vm-3").via, "svm-2");
    // Direct assets keep their own replacement and no coverage entry, even when they also
    // rely on a provider (ws-mail sends mail through mgw-1).
    assert!(plan.asset("ws-mail").unwrap().coverage.is_none());
    assert!(plan.asset("svm-1").unwrap().coverage.is_none());
}

#[test]
fn without_the_function_vms_get_an_own_agent_and_what_nothing_fits_needs_a_decision() {
    // The built-in catalogue has no product for a Linux SVM: its replacement cannot scan VMs.
    let s = Setup::new(estate(), false);
    let plan = s.plan_with(&[]);
    assert_eq!(s.codes(&plan, Severity::Violation), Vec::<&str>::new());
    let vm = plan.asset("vm-1").unwrap();
    assert_eq!(coverage(&plan, "vm-1").by, CoveredBy::OwnAgent);
    assert_eq!(vm.product.as_deref(), Some("mde"));
    assert!(
        vm.product_reason.starts_with("not through svm-1: "),
        "{}",
        vm.product_reason
    );
    assert!(vm.reason.contains("an agent of its own"), "{}", vm.reason);
    for id in ["esx-1", "vm-old"] {
        let a = plan.asset(id).unwrap();
        assert_eq!(coverage(&plan, id).by, CoveredBy::Decision, "{id}");
        assert!(a.needs_decision && a.awaits_decision(), "{id}");
        assert_eq!(a.product, None);
        assert!(
            a.reason.contains("a decision must be recorded"),
            "{}",
            a.reason
        );
    }
    // No later than the provider, and never in the pilot.
    for id in ["vm-1", "vm-2", "vm-3", "esx-1", "vm-old"] {
        let via = coverage(&plan, id).via;
        assert!(
            wave_pos(&plan, id) <= wave_pos(&plan, &via),
            "{id} after {via}"
        );
        assert!(wave_pos(&plan, id) > 0, "{id} in the pilot");
    }
    // Capacities hold with the covered assets counted.
    for w in &plan.waves {
        assert!(
            plan.wave_members()[w.id.as_str()].len() <= w.capacity,
            "{w:?}"
        );
    }
}

#[test]
fn a_nas_scanned_by_a_ksws_file_server_follows_the_scanning_function() {
    let with = Setup::new(estate(), true);
    let plan = with.plan_with(&["test-icap"]);
    let c = coverage(&plan, "nas-1");
    assert_eq!(
        (c.via.as_str(), c.function),
        ("fs-1", Capability::FileServer)
    );
    assert_eq!(c.by, CoveredBy::Provider);
    assert_eq!(
        plan.asset("nas-1").unwrap().wave,
        plan.asset("fs-1").unwrap().wave
    );
    // MDE protects the file server itself but does not scan a NAS beside it.
    let without = Setup::new(estate(), false);
    let plan = without.plan_with(&[]);
    assert_eq!(plan.asset("fs-1").unwrap().product.as_deref(), Some("mde"));
    let nas = plan.asset("nas-1").unwrap();
    assert_eq!(coverage(&plan, "nas-1").by, CoveredBy::Decision);
    assert!(
        nas.product_reason.contains("does not scan other storage"),
        "{}",
        nas.product_reason
    );
}

#[test]
fn mail_via_a_scanning_gateway_is_covered_by_a_replacement_with_the_mail_function() {
    let s = Setup::new(estate(), true);
    let plan = s.plan_with(&["test-mailgw", "mde"]);
    let c = coverage(&plan, "app-1");
    assert_eq!(
        (c.via.as_str(), c.function, c.by),
        ("mgw-1", Capability::Mail, CoveredBy::Provider)
    );
    // Without a mail-capable replacement the server gets an agent of its own.
    let s = Setup::new(estate(), false);
    let plan = s.plan_with(&[]);
    let app = plan.asset("app-1").unwrap();
    assert_eq!(coverage(&plan, "app-1").by, CoveredBy::OwnAgent);
    assert!(
        app.product_reason.contains("mail"),
        "{}",
        app.product_reason
    );
}

#[test]
fn an_asset_that_runs_an_agent_already_keeps_it_and_several_providers_mean_an_own_agent() {
    let mut inv = estate();
    let vm = inv.resolve("vm-1").unwrap();
    inv.asset_mut(vm)
        .software
        .push(Software::named("ESET Server Security"));
    let app = inv.resolve("app-1").unwrap();
    inv.asset_mut(app)
        .depends_on
        .push(Relation::new("svm-2", RelationKind::ScannedBy));
    let s = Setup::new(inv, true);
    let plan = s.plan_with(&["test-agentless", "test-mailgw"]);
    let a = plan.asset("vm-1").unwrap();
    assert_eq!(coverage(&plan, "vm-1").by, CoveredBy::OwnAgent);
    assert_eq!(a.product.as_deref(), Some("eset-server-security"));
    assert!(
        a.product_reason.starts_with("already runs "),
        "{}",
        a.product_reason
    );
    let i = s.inv.resolve("vm-1").unwrap();
    let steps = coverage_steps(&s.ctx(), a, i, a.coverage.as_ref().unwrap());
    let keys: Vec<&str> = steps.iter().map(|x| x.key).collect();
    assert_eq!(keys, ["verify"], "nothing to install: {steps:#?}");
    // app-1 relies on two providers: only its own agent covers it whichever goes first.
    let app = plan.asset("app-1").unwrap();
    assert_eq!(coverage(&plan, "app-1").by, CoveredBy::OwnAgent);
    assert!(
        app.product_reason.contains("2 providers"),
        "{}",
        app.product_reason
    );
    for via in ["svm-2", "mgw-1"] {
        assert!(
            wave_pos(&plan, "app-1") <= wave_pos(&plan, via),
            "after {via}"
        );
    }
    assert_eq!(s.codes(&plan, Severity::Violation), Vec::<&str>::new());
}

fn section(rb: &str, id: &str) -> String {
    let start = rb
        .find(&format!("### {id} "))
        .unwrap_or_else(|| panic!("no {id}"));
    let rest = &rb[start + 4..];
    rest[..rest.find("\n### ").unwrap_or(rest.len())].to_string()
}

#[test]
fn the_runbook_shows_each_kind_of_coverage() {
    let s = Setup::new(estate(), true);
    let plan = s.plan_with(&["test-agentless"]);
    let rb = to_runbook(&plan, &s.ctx());
    let vm = section(&rb, "vm-1");
    assert!(vm.contains("**verify-coverage**"), "{vm}");
    assert!(
        vm.contains("Covered by svm-1's replacement Test Agentless once it is in place"),
        "{vm}"
    );
    assert!(!vm.contains("remove-flagged"), "{vm}");

    // A planned asset is not listed again among the merely affected ones.
    for line in rb.lines().filter(|l| l.starts_with("Also affected")) {
        assert!(!line.contains("vm-1"), "{line}");
    }
    // Without a mail-capable replacement for mgw-1, app-1 gets an agent of its own first.
    let s = Setup::new(estate(), false);
    let rb = to_runbook(&s.plan_with(&[]), &s.ctx());
    let app = section(&rb, "app-1");
    assert!(
        app.contains("**install-new**: Install Microsoft Defender for Endpoint"),
        "{app}"
    );
    assert!(app.contains("before mgw-1 is replaced"), "{app}");
    assert!(app.contains("**confirm-active**"), "{app}");
    assert!(!app.contains("remove-flagged"), "{app}");
    assert!(!app.contains("Kaspersky uninstall"), "{app}");
    let old = section(&rb, "vm-old");
    assert!(
        old.contains("**decide**: Record a decision before svm-2 is replaced"),
        "{old}"
    );
}

#[test]
fn a_pinned_covered_asset_keeps_its_wave_and_its_provider_waits_for_it() {
    let s = Setup::new(estate(), false);
    let mut plan = s.plan_with(&[]);
    let last = plan.waves.last().unwrap().id.clone();
    let editor = EditContext {
        by: "t".into(),
        at: "2026-11-28T10:00:00Z".parse().unwrap(),
        check_transitions: true,
        note: None,
    };
    let pin = Edit::Batch(vec![
        Edit::Move {
            asset: "vm-3".into(),
            wave: last.clone(),
        },
        Edit::Pin {
            asset: "vm-3".into(),
            pinned: true,
        },
    ]);
    apply(&mut plan, &pin, &editor).unwrap();
    let again = schedule::replan(&s.ctx(), &plan).plan;
    assert_eq!(again.asset("vm-3").unwrap().wave, last);
    assert!(wave_pos(&again, "svm-2") >= wave_pos(&again, "vm-3"));
    assert_eq!(s.codes(&again, Severity::Violation), Vec::<&str>::new());
}

#[test]
fn set_coverage_is_an_edit_with_history_and_undo_and_replan_keeps_the_choice() {
    let s = Setup::new(estate(), false);
    let mut plan = s.plan_with(&[]);
    let before = plan.clone();
    let editor = EditContext {
        by: "ciso".into(),
        at: "2026-11-28T10:00:00Z".parse().unwrap(),
        check_transitions: true,
        note: None,
    };
    let decide = Edit::SetCoverage {
        asset: "vm-1".into(),
        coverage: Some(Coverage {
            by: CoveredBy::Decision,
            ..coverage(&plan, "vm-1")
        }),
        needs_decision: None,
    };
    let undo = apply(&mut plan, &decide, &editor).unwrap();
    let a = plan.asset("vm-1").unwrap();
    assert!(a.needs_decision, "a decision is now needed");
    let e = plan.events.last().unwrap();
    assert_eq!(
        (e.field.as_str(), e.from.as_str(), e.to.as_str()),
        ("coverage", "own-agent", "decision")
    );
    // Replan keeps a person's choice.
    let again = schedule::replan(&s.ctx(), &plan).plan;
    assert_eq!(coverage(&again, "vm-1").by, CoveredBy::Decision);
    let back = EditContext {
        check_transitions: false,
        ..editor
    };
    apply(&mut plan, &undo, &back).unwrap();
    assert_eq!(plan.assets, before.assets);
}

#[test]
fn coverage_round_trips_through_the_plan_file_byte_for_byte() {
    let s = Setup::new(estate(), true);
    let mut plan = s.plan_with(&["test-agentless"]);
    assert_eq!(coverage(&plan, "nas-1").by, CoveredBy::OwnAgent);
    let decide = Edit::SetCoverage {
        asset: "nas-1".into(),
        coverage: Some(Coverage {
            by: CoveredBy::Decision,
            ..coverage(&plan, "nas-1")
        }),
        needs_decision: None,
    };
    let editor = EditContext::user(Some("t"));
    apply(&mut plan, &decide, &editor).unwrap();
    let i = plan.asset_index("vm-old").unwrap();
    plan.assets[i].decision = Some(Box::new(avmigrate::plan::Decision {
        option: avmigrate::plan::DecisionOption::Isolate,
        rationale: "legacy VMS host, isolated VLAN".into(),
        approver: "CISO".into(),
        review: "2027-06-30".parse().unwrap(),
    }));
    let text = file::to_toml(&plan);
    assert!(
        text.contains(
            "coverage = { via = \"svm-1\", function = \"virtualization\", by = \"provider\" }"
        ),
        "{text}"
    );
    assert!(
        text.contains("by = \"decision\" }\nneeds_decision = true\n"),
        "{text}"
    );
    let parsed = file::parse(&text, "p.toml").unwrap();
    assert_eq!(parsed, plan);
    assert_eq!(file::to_toml(&parsed), text);
    // A hand-written entry with an unknown key or value is refused with its line.
    let bad = text.replacen("by = \"provider\"", "by = \"magic\"", 1);
    let err = file::parse(&bad, "p.toml").unwrap_err().to_string();
    assert!(err.contains("p.toml:"), "{err}");
    let mut lone = PlannedAsset::new("x", "w1");
    lone.coverage = Some(coverage(&plan, "vm-1"));
    assert_eq!(lone.coverage.as_ref().unwrap().via, "svm-1");
}

#[test]
fn site_capacities_count_covered_assets_with_work_at_the_site() {
    let s = Setup::new(estate(), true);
    let mut settings = Settings::new("2027-01-11".parse().unwrap());
    settings.wave_size = 8;
    settings.preference = vec!["test-agentless".into()];
    settings.site_capacity.insert("HQ".into(), 2);
    let plan = schedule::generate(&s.ctx(), settings, "sites".into(), vec![]).plan;
    assert_eq!(s.codes(&plan, Severity::Violation), Vec::<&str>::new());
    for w in &plan.waves {
        let with_work = plan
            .assets
            .iter()
            .filter(|a| a.wave == w.id)
            .filter(|a| a.coverage.as_ref().map(|c| c.by) != Some(CoveredBy::Provider))
            .count();
        assert!(
            with_work <= 2,
            "{} holds {with_work} HQ assets with work",
            w.id
        );
    }
    // vm-1, vm-2 and esx-1 go with svm-1 although that is more than the site allows: the SVM's
    // replacement covers them, which needs no work at their site.
    let svm = plan.asset("svm-1").unwrap().wave.clone();
    let with_svm = plan.assets.iter().filter(|a| a.wave == svm).count();
    assert!(with_svm >= 4, "{with_svm} in {svm}");
}

#[test]
fn reconcile_judges_an_own_agent_on_evidence_and_warns_once_the_provider_is_gone() {
    use avmigrate::plan::{AlertKind, Status};
    use avmigrate::progress::{apply_to, reconcile};
    let setup = Setup::new(estate(), false);
    let mut plan = setup.plan_with(&[]);
    assert_eq!(coverage(&plan, "vm-1").by, CoveredBy::OwnAgent);
    let at = "2027-01-12T08:00:00Z".parse().unwrap();
    let scan_of = |edit: &dyn Fn(&mut Asset)| {
        let mut assets: Vec<Asset> = setup.inv.assets().to_vec();
        for a in &mut assets {
            edit(a);
        }
        Inventory::from_assets(assets)
    };
    let run = |plan: &mut Plan, scan: &Inventory| {
        let r = reconcile(plan, scan, "s", &setup.rules, &setup.catalog, at);
        apply_to(plan, &r, at);
        r
    };
    // Nothing listed on vm-1 while svm-1 still scans it: no alert, no change.
    let r = run(&mut plan, &scan_of(&|_| {}));
    assert!(r.alerts.iter().all(|a| a.asset != "vm-1"), "{:?}", r.alerts);
    assert_eq!(plan.asset("vm-1").unwrap().status, Status::Planned);
    // Its own agent shows up: migrated, on evidence.
    let r = run(
        &mut plan,
        &scan_of(&|a| {
            if a.id == "vm-2" {
                a.software.push(Software::named("Sense"));
            }
        }),
    );
    let change = r
        .changes
        .iter()
        .find(|c| c.asset == "vm-2")
        .expect("vm-2 judged");
    assert_eq!(change.to, Status::Migrated);
    assert!(
        change.note.contains("protected through svm-1 until now"),
        "{}",
        change.note
    );
    // svm-1 is retired; vm-1 still shows no agent: the gap is raised.
    for s in [Status::InProgress, Status::Migrated] {
        let edit = avmigrate::plan::Edit::SetStatus {
            asset: "svm-1".into(),
            status: s,
            reason: None,
            approver: None,
            review: None,
        };
        avmigrate::plan::apply(
            &mut plan,
            &edit,
            &avmigrate::plan::EditContext::user(Some("t")),
        )
        .unwrap();
    }
    let r = run(&mut plan, &scan_of(&|_| {}));
    let gap = r
        .alerts
        .iter()
        .find(|a| a.asset == "vm-1")
        .expect("vm-1 alert");
    assert_eq!(
        gap.kind,
        AlertKind::ProtectionGap,
        "Windows Server: {gap:?}"
    );
    assert!(
        gap.message.contains("svm-1 no longer protects it"),
        "{}",
        gap.message
    );
}
