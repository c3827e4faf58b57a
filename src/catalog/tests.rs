//! Unit tests of the matching rules on small hand-written catalogues.

use super::*;
use crate::model::Named;
use crate::model::{Asset, AssetKind, Date, Os};
use strum::VariantArray;

fn today() -> Date {
    Date::from_ymd(2026, 11, 28).unwrap()
}

fn asset(os: &str, kind: AssetKind) -> Asset {
    let mut a = Asset::new("t");
    a.os = Os::parse(os);
    a.kind = kind;
    a
}

const HEAD: &str = r#"
mode = "replace"
[[vendor]]
id = "v"
name = "V"
source = "s"
verified = true
"#;

fn catalog(products: &str) -> Catalog {
    match Catalog::parse(&format!("{HEAD}{products}"), "t.toml") {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    }
}

fn product(id: &str, extra: &str) -> String {
    format!(
        "[[product]]\nid = \"{id}\"\nvendor = \"v\"\nname = \"{id}\"\nsource = \"s\"\nverified = true\n{extra}\n"
    )
}

const ROLE_SERVER: &str = "[[product.role]]\nrole = \"server\"\nstatus = \"supported\"\nsource = \"s\"\nverified = true\n";

fn run(cat: &Catalog, id: &str, a: &Asset, needs: &[Capability]) -> Verdict {
    check(cat, cat.product(id).unwrap(), a, needs, today())
}

#[test]
fn builtin_catalogue_parses() {
    let cat = Catalog::builtin();
    assert!(cat.product("mde").is_some());
    assert_eq!(cat.mode(), Mode::Extend);
}

#[test]
fn capability_names_round_trip() {
    for &c in Capability::VARIANTS {
        assert_eq!(Capability::from_name(c.as_str()), Some(c));
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, format!("\"{}\"", c.as_str()));
    }
    assert_eq!(
        Capability::from_name("air gapped"),
        Some(Capability::AirGapped)
    );
    assert_eq!(Capability::SharePoint.as_str(), "sharepoint");
    assert!(Support::Yes < Support::Limited && Support::Unverified < Support::No);
}

#[test]
fn distribution_entry_beats_generic_entry() {
    let cat = catalog(&product(
        "scan",
        &format!(
            "[[product.platform]]\nfamily = \"linux\"\nstatus = \"supported\"\nsource = \"s\"\nverified = true\n\
             [[product.platform]]\nfamily = \"linux\"\ndistros = [\"sles\"]\nmin = \"12\"\nmax = \"12.x\"\nstatus = \"unverified\"\nsource = \"s\"\nverified = false\n{ROLE_SERVER}"
        ),
    ));
    let needs = [Capability::Server];
    let sles12 = asset("SUSE Linux Enterprise Server 12 SP5", AssetKind::Server);
    assert_eq!(
        run(&cat, "scan", &sles12, &needs).support,
        Support::Unverified
    );
    let sles15 = asset("SUSE Linux Enterprise Server 15 SP6", AssetKind::Server);
    assert_eq!(run(&cat, "scan", &sles15, &needs).support, Support::Yes);
    let plain = asset("Linux", AssetKind::Server);
    assert_eq!(run(&cat, "scan", &plain, &needs).support, Support::Yes);
}

#[test]
fn missing_distribution_or_version_asks_for_confirmation() {
    let cat = catalog(&product(
        "p",
        &format!(
            "[[product.platform]]\nfamily = \"linux\"\ndistros = [\"rhel\"]\nmin = \"8\"\nstatus = \"supported\"\nsource = \"s\"\nverified = true\n{ROLE_SERVER}"
        ),
    ));
    let needs = [Capability::Server];
    let v = run(&cat, "p", &asset("Linux", AssetKind::Server), &needs);
    assert_eq!(v.support, Support::Unverified);
    assert!(
        v.reasons[0].contains("distribution is not recorded"),
        "{v:?}"
    );
    let v = run(
        &cat,
        "p",
        &asset("Red Hat Enterprise Linux", AssetKind::Server),
        &needs,
    );
    assert_eq!(v.support, Support::Unverified);
    assert!(
        v.reasons[0].contains("version of RHEL is not recorded"),
        "{v:?}"
    );
    let v = run(&cat, "p", &asset("Ubuntu 22.04", AssetKind::Server), &needs);
    assert_eq!(v.support, Support::No);
    assert!(v.reasons[0].contains("(listed: RHEL 8+)"), "{v:?}");
    let v = run(&cat, "p", &asset("", AssetKind::Server), &needs);
    assert_eq!(v.support, Support::Unverified);
}

#[test]
fn unverified_fact_caps_at_unverified_and_reasons_come_worst_first() {
    let cat = catalog(&product(
        "p",
        "[[product.platform]]\nfamily = \"windows-client\"\nstatus = \"supported\"\nsource = \"s\"\nverified = false\n\
         [[product.role]]\nrole = \"endpoint\"\nstatus = \"supported\"\nsource = \"s\"\nverified = true\n",
    ));
    let v = run(
        &cat,
        "p",
        &asset("Windows 11", AssetKind::Workstation),
        &[Capability::Endpoint],
    );
    assert_eq!(v.support, Support::Unverified);
    assert!(v.reasons[0].contains("is unverified: confirm with the vendor"));
    assert!(v.reasons[1].contains("covers endpoint protection: yes"));
}

#[test]
fn end_of_life_dates_decide_against_today() {
    let cat = catalog(&format!(
        "{}{}",
        product(
            "old",
            "eol = 2020-01-01\n[[product.platform]]\nfamily = \"macos\"\nstatus = \"supported\"\nsource = \"s\"\nverified = true\n\
             [[product.role]]\nrole = \"endpoint\"\nstatus = \"supported\"\nsource = \"s\"\nverified = true\n"
        ),
        product(
            "soon",
            "[[product.platform]]\nfamily = \"macos\"\neol = \"2027-06\"\nstatus = \"supported\"\nsource = \"s\"\nverified = true\n\
             [[product.role]]\nrole = \"endpoint\"\nstatus = \"supported\"\nsource = \"s\"\nverified = true\n"
        )
    ));
    let mac = asset("macOS 15", AssetKind::Laptop);
    let v = run(&cat, "old", &mac, &[Capability::Endpoint]);
    assert_eq!(v.support, Support::No);
    assert!(v.reasons[0].contains("reached end of life (2020-01-01)"));
    let v = run(&cat, "soon", &mac, &[Capability::Endpoint]);
    assert_eq!(v.support, Support::Yes);
    assert!(
        v.reasons
            .iter()
            .any(|r| r.ends_with("support ends 2027-06")),
        "{v:?}"
    );
}

#[test]
fn remote_roles_ignore_the_asset_platform() {
    let cat = catalog(&product(
        "icap",
        "[[product.platform]]\nfamily = \"linux\"\nstatus = \"supported\"\nsource = \"s\"\nverified = true\n\
         [[product.role]]\nrole = \"file-server\"\nstatus = \"supported\"\nremote = true\nsource = \"s\"\nverified = true\n",
    ));
    let nas = asset("Synology DSM 7.2", AssetKind::Storage);
    let needs = needs_for(&nas, &[]);
    let v = run(&cat, "icap", &nas, &needs);
    assert_eq!(v.support, Support::Yes, "{v:?}");
    assert!(
        v.reasons
            .iter()
            .any(|r| r.contains("works beside the asset"))
    );
}

#[test]
fn offline_facts_decide_air_gapped_assets() {
    let mk = |id: &str, support: &str, verified: bool| {
        product(
            id,
            &format!(
                "[[product.platform]]\nfamily = \"windows-client\"\nstatus = \"supported\"\nsource = \"s\"\nverified = true\n\
                 [[product.role]]\nrole = \"endpoint\"\nstatus = \"supported\"\nsource = \"s\"\nverified = true\n\
                 [product.offline]\nsupport = \"{support}\"\nhow = \"via mirror\"\nsource = \"s\"\nverified = {verified}\n"
            ),
        )
    };
    let cat = catalog(
        &[
            mk("yes", "yes", true),
            mk("lim", "limited", true),
            mk("no", "no", true),
            mk("gk", "yes", false),
        ]
        .concat(),
    );
    let mut a = asset("Windows 10", AssetKind::Workstation);
    a.add_tag("Air-Gapped");
    let needs = needs_for(&a, &[]);
    assert_eq!(needs, vec![Capability::Endpoint, Capability::AirGapped]);
    let got: Vec<(String, Support)> = candidates(&cat, &a, &needs, today())
        .into_iter()
        .map(|v| (v.product, v.support))
        .collect();
    assert_eq!(
        got,
        vec![
            ("yes".to_string(), Support::Yes),
            ("lim".to_string(), Support::Limited),
            ("gk".to_string(), Support::Unverified),
            ("no".to_string(), Support::No),
        ]
    );
}

#[test]
fn cache_matches_direct_calls_and_shares_results() {
    let cat = Catalog::builtin();
    let mut cache = CompatCache::new(&cat, today());
    assert!(cache.is_empty());
    let a = asset("Windows Server 2019", AssetKind::Server);
    let b = asset("Windows Server 2019 Standard", AssetKind::Server);
    let needs = [Capability::Server];
    let first = cache.candidates(&a, &needs);
    let second = cache.candidates(&b, &needs);
    assert!(std::sync::Arc::ptr_eq(&first, &second));
    assert_eq!(cache.len(), 1);
    assert_eq!(&first[..], &candidates(&cat, &a, &needs, today())[..]);
    cache.candidates(&a, &[Capability::Server, Capability::Mail]);
    assert_eq!(cache.len(), 2);
}

#[test]
fn product_notes_reject_catalogue_filters() {
    let text = format!(
        "{HEAD}{}",
        product(
            "p",
            "[[product.note]]\ntext = \"x\"\nproducts = [\"p\"]\nsource = \"s\"\nverified = true\n"
        )
    );
    let e = Catalog::parse(&text, "t.toml").unwrap_err();
    assert!(e.message.contains("only for catalogue-wide"), "{e}");
}

#[test]
fn a_window_of_recent_releases_is_judged_on_the_day_asked() {
    let endpoint = "[[product.role]]\nrole = \"endpoint\"\nstatus = \"supported\"\nsource = \"s\"\nverified = true\n";
    let cat = catalog(&product(
        "moving",
        &format!(
            "[[product.platform]]\nfamily = \"macos\"\nrecent = 3\nstatus = \"supported\"\nsource = \"s\"\nverified = true\n{endpoint}"
        ),
    ));
    let p = cat.product("moving").unwrap();
    let on = |os: &str, day: &str| {
        check(
            &cat,
            p,
            &asset(os, AssetKind::Laptop),
            &[Capability::Endpoint],
            day.parse().unwrap(),
        )
    };
    // 2025-06-19: 15, 14, 13. After macOS 26 shipped (2025-09-15): 26, 15, 14.
    assert_eq!(on("macOS 13.6", "2025-06-19").support, Support::Yes);
    let v = on("macOS 13.6", "2025-10-01");
    assert_eq!(v.support, Support::No);
    assert!(
        v.reasons[0].contains("the 3 most recent major releases (on 2025-10-01: 26, 15, 14)"),
        "{v:?}"
    );
    assert_eq!(on("macOS 14.5", "2025-10-01").support, Support::Yes);
    // A release newer than the calendar knows is among the most recent.
    assert_eq!(on("macOS 30", "2026-01-01").support, Support::Yes);
}

#[test]
fn a_window_of_recent_releases_needs_a_calendar_and_no_minimum() {
    let bad = |platform: &str| {
        let text = format!(
            "{HEAD}{}",
            product(
                "p",
                &format!(
                    "[[product.platform]]\n{platform}\nstatus = \"supported\"\nsource = \"s\"\nverified = true\n"
                )
            )
        );
        Catalog::parse(&text, "t.toml").unwrap_err().to_string()
    };
    let e = bad("family = \"windows-client\"\nrecent = 3");
    assert!(e.contains("only family \"macos\""), "{e}");
    let e = bad("family = \"macos\"\nmin = \"14\"\nrecent = 3");
    assert!(e.contains("recent replaces min"), "{e}");
    let e = bad("family = \"macos\"\nrecent = 0");
    assert!(e.contains("at least 1"), "{e}");
}
