//! The catalogue file: the built-in data, user catalogues that extend or replace it, and
//! errors that point at file, line and column.

use avmigrate::catalog::{Capability, Catalog, Mode, ProductType, Support, check, needs_for};
use avmigrate::model::{Asset, AssetKind, Date, Os};

fn today() -> Date {
    Date::from_ymd(2026, 11, 28).unwrap()
}

#[test]
fn every_fact_has_a_source() {
    let cat = Catalog::builtin();
    assert!(cat.vendors().len() >= 15);
    assert!(cat.products().len() >= 25);
    for v in cat.vendors() {
        assert!(!v.provenance.source.trim().is_empty(), "vendor {}", v.id);
    }
    for p in cat.products() {
        assert!(
            cat.vendor(&p.vendor).is_some(),
            "{}: unknown vendor {}",
            p.id,
            p.vendor
        );
        for prov in p.provenances() {
            assert!(
                !prov.source.trim().is_empty(),
                "{}: a fact without source",
                p.id
            );
        }
        // A product whose every role works beside the asset (a network sensor, a gateway or
        // scanning appliance of its own) never runs on the asset, so its platforms are optional.
        if p.kind != ProductType::MonitoringOnly && !p.roles.iter().all(|r| r.remote) {
            assert!(!p.platforms.is_empty(), "{}: no platform", p.id);
        }
        assert!(!p.roles.is_empty(), "{}: no role", p.id);
    }
    for n in cat.notes() {
        assert!(!n.provenance.source.is_empty());
    }
}

#[test]
fn sources_name_public_documents_not_internal_notes() {
    let cat = Catalog::builtin();
    let internal = |s: &str| {
        [
            "shared/",
            "av-facts",
            "vendor-support",
            "research notes",
            "§",
        ]
        .iter()
        .any(|m| s.contains(m))
    };
    for v in cat.vendors() {
        assert!(
            !internal(&v.provenance.source),
            "vendor {}: {}",
            v.id,
            v.provenance.source
        );
    }
    for p in cat.products() {
        for prov in p.provenances() {
            assert!(!internal(&prov.source), "{}: {}", p.id, prov.source);
        }
    }
    for n in cat.notes() {
        assert!(!internal(&n.provenance.source), "{}", n.provenance.source);
    }
}

#[test]
fn facts_marked_unverified_in_the_notes_stay_unverified() {
    let cat = Catalog::builtin();
    for p in cat.products() {
        for prov in p.provenances() {
            let s = &prov.source;
            if s.contains("[GK]")
                || s.contains("general knowledge")
                || s.contains("no public source")
                || s.contains("UNVERIFIED")
                || s.contains(": ?")
            {
                assert!(!prov.verified, "{}: {s} must not be verified", p.id);
            }
        }
    }
    let (verified, total) = cat
        .products()
        .iter()
        .flat_map(|p| p.provenances())
        .fold((0, 0), |(v, t), p| (v + usize::from(p.verified), t + 1));
    assert!(verified > 0 && verified < total);
}

#[test]
fn expected_products_are_present() {
    let cat = Catalog::builtin();
    for id in [
        "mde",
        "defender-av",
        "eset-protect-endpoint",
        "eset-server-security",
        "eset-mail-security-exchange",
        "sophos-intercept-x",
        "bitdefender-gravityzone",
        "gdata-endpoint-business",
        "gdata-mailsecurity",
        "withsecure-elements",
        "withsecure-business-suite",
        "trend-apex-one",
        "trend-deep-security",
        "trend-scanmail-exchange",
        "trend-serverprotect-linux",
        "txone-stellarprotect",
        "trend-safe-lock",
        "crowdstrike-falcon",
        "sentinelone-singularity",
        "trellix-ens",
        "trellix-application-control",
        "cisco-secure-endpoint",
        "cortex-xdr",
        "clamav",
        "defender-for-iot",
        "gdata-mailgateway",
        "bitdefender-security-server",
        "withsecure-internet-gatekeeper",
    ] {
        assert!(cat.product(id).is_some(), "missing {id}");
    }
    let iot = cat.product("defender-for-iot").unwrap();
    assert_eq!(iot.kind, ProductType::MonitoringOnly);
}

#[test]
fn function_products_parse_with_their_sources() {
    use avmigrate::catalog::Capability;
    let cat = Catalog::builtin();
    let role = |id: &str, r: Capability| {
        let p = cat.product(id).unwrap_or_else(|| panic!("missing {id}"));
        p.role(r)
            .unwrap_or_else(|| panic!("{id} has no role {r:?}"))
            .clone()
    };
    // The mail gateway: confirmed by G DATA's own documentation, on a machine of its own.
    let gw = role("gdata-mailgateway", Capability::Mail);
    assert!(gw.remote && gw.provenance.verified && !gw.file_level);
    assert!(gw.provenance.source.contains("https://www.gdata.help/"));
    let p = cat.product("gdata-mailgateway").unwrap();
    assert!(p.provenance.verified && p.provenance.source.starts_with("https://"));
    assert!(!p.detect.names.is_empty());
    assert!(!p.detect.provenance.as_ref().unwrap().verified);
    // Central / agentless scanning and gateway appliances that the research notes name only
    // as general knowledge stay unverified.
    for (id, r) in [
        ("bitdefender-security-server", Capability::Virtualization),
        ("bitdefender-security-server", Capability::FileServer),
        ("withsecure-internet-gatekeeper", Capability::Gateway),
        ("eset-virtualization-security", Capability::Virtualization),
    ] {
        let f = role(id, r);
        assert!(f.remote, "{id}");
        assert!(!f.provenance.verified, "{id}: {:?}", f.provenance);
        assert!(!f.provenance.source.trim().is_empty(), "{id}");
    }
    // Defender protects an Exchange server's files only.
    for id in ["mde", "defender-av"] {
        let f = role(id, Capability::Mail);
        assert!(f.file_level && f.provenance.verified, "{id}");
    }
    // No source points at a local research file.
    for p in cat.products() {
        for prov in p.provenances() {
            assert!(!prov.source.contains("../"), "{}: {}", p.id, prov.source);
        }
    }
}

#[test]
fn file_level_is_read_from_a_user_catalogue() {
    let text = r#"
[[product]]
id = "fl"
vendor = "microsoft"
name = "FL"
source = "https://example.test/fl"
verified = true
[[product.platform]]
family = "windows-server"
status = "supported"
source = "https://example.test/fl"
verified = true
[[product.role]]
role = "mail"
status = "supported"
file-level = true
source = "https://example.test/fl"
verified = true
"#;
    let cat = Catalog::parse(text, "fl.toml").unwrap();
    let p = cat.product("fl").unwrap();
    let mut exch = Asset::new("ex");
    exch.os = Os::parse("Windows Server 2019");
    exch.kind = AssetKind::Server;
    let needs = needs_for(&exch, &["mail"]);
    let v = check(&cat, p, &exch, &needs, today());
    assert_eq!(v.support, Support::No, "{v:?}");
    let bad = text.replace("file-level = true", "file-level = \"yes\"");
    let err = Catalog::parse(&bad, "fl.toml").unwrap_err().to_string();
    assert!(err.starts_with("fl.toml:"), "{err}");
}

const USER: &str = r#"
# adds a product and overrides ClamAV
[[vendor]]
id = "acme"
name = "ACME Security"
hq = "DE"
source = "https://acme.example/about"
verified = true

[[product]]
id = "acme-av"
vendor = "acme"
name = "ACME AV"
source = "https://acme.example/av"
verified = true

[[product.platform]]
family = "windows-embedded"
min = "7"
max = "7"
status = "supported"
source = "https://acme.example/av/sysreq"
verified = true

[[product.role]]
role = "endpoint"
status = "supported"
source = "https://acme.example/av"
verified = true

[product.offline]
support = "yes"
how = "USB update packages"
source = "https://acme.example/av/offline"
verified = true

[[product]]
id = "clamav"
vendor = "clamav"
name = "ClamAV (house build)"
source = "internal wiki"
verified = true

[[product.platform]]
family = "windows-client"
min = "10"
status = "limited"
note = "on-demand scans only"
source = "internal test 2026-10"
verified = true

[[product.role]]
role = "endpoint"
status = "limited"
source = "internal test 2026-10"
verified = true
"#;

#[test]
fn user_catalogue_adds_and_overrides() {
    let builtin = Catalog::builtin();
    let n = builtin.products().len();
    let user = Catalog::parse(USER, "vendors.toml").unwrap();
    assert_eq!(user.mode(), Mode::Extend);
    let cat = builtin.combine(user);
    assert_eq!(cat.products().len(), n + 1);
    assert_eq!(cat.product("clamav").unwrap().name, "ClamAV (house build)");
    let pos = cat
        .products()
        .iter()
        .position(|p| p.id == "clamav")
        .unwrap();
    assert_eq!(
        pos,
        Catalog::builtin()
            .products()
            .iter()
            .position(|p| p.id == "clamav")
            .unwrap(),
        "an override keeps the built-in position"
    );
    assert_eq!(cat.products().last().unwrap().id, "acme-av");
    assert!(cat.vendor("acme").is_some());

    let mut a = Asset::new("hmi-1");
    a.os = Os::parse("Windows 7 Embedded Standard");
    a.kind = AssetKind::Workstation;
    a.add_tag("air-gapped");
    let needs = needs_for(&a, &["endpoint"]);
    assert_eq!(needs, vec![Capability::Endpoint, Capability::AirGapped]);
    let v = check(&cat, cat.product("acme-av").unwrap(), &a, &needs, today());
    assert_eq!(v.support, Support::Yes, "{v:?}");
    let ranked = avmigrate::catalog::candidates(&cat, &a, &needs, today());
    assert_eq!(ranked[0].product, "acme-av");
}

#[test]
fn replace_mode_stands_alone() {
    let text = USER.replacen("\n", "\nmode = \"replace\"\n", 1);
    // The ClamAV override refers to the built-in vendor, which a standalone file lacks.
    let err = Catalog::parse(&text, "mine.toml").unwrap_err();
    assert!(err.message.contains("unknown vendor \"clamav\""), "{err}");
    let standalone = text.replace("vendor = \"clamav\"", "vendor = \"acme\"");
    let user = Catalog::parse(&standalone, "mine.toml").unwrap();
    let cat = Catalog::builtin().combine(user);
    assert_eq!(cat.products().len(), 2);
    assert!(cat.product("mde").is_none());
}

fn error_of(text: &str) -> String {
    Catalog::parse(text, "user.toml").unwrap_err().to_string()
}

#[test]
fn parse_errors_name_file_line_and_column() {
    let base = "[[vendor]]\nid = \"v\"\nname = \"V\"\nsource = \"s\"\nverified = true\n";
    let product = |extra: &str| {
        format!(
            "{base}[[product]]\nid = \"p\"\nvendor = \"v\"\nname = \"P\"\nsource = \"s\"\nverified = true\n{extra}"
        )
    };
    let platform = |body: &str| product(&format!("[[product.platform]]\n{body}"));

    let e = error_of(&product(
        "[[product.role]]\nrole = \"air-gapped\"\nstatus = \"supported\"\nsource = \"s\"\nverified = true\n",
    ));
    assert!(e.starts_with("user.toml:13:8: "), "{e}");
    assert!(e.contains("air-gapped is not a role"), "{e}");

    let e = error_of(&format!("{base}colour = \"red\"\n"));
    assert!(
        e.starts_with("user.toml:6:1: unknown field `colour`"),
        "{e}"
    );

    let e = error_of(&platform(
        "family = \"windows\"\nstatus = \"supported\"\nsource = \"s\"\nverified = true\n",
    ));
    assert!(
        e.starts_with("user.toml:13:10: unknown variant `windows`"),
        "{e}"
    );

    let e = error_of(&platform(
        "family = \"windows-client\"\neol = \"2025-13\"\nstatus = \"eol\"\nsource = \"s\"\nverified = true\n",
    ));
    assert!(e.starts_with("user.toml:14:7: "), "{e}");
    assert!(e.contains("invalid end-of-life date \"2025-13\""), "{e}");

    let e = error_of(&platform(
        "family = \"linux\"\ndistros = [\"redhat\"]\nstatus = \"supported\"\nsource = \"s\"\nverified = true\n",
    ));
    assert!(
        e.starts_with("user.toml:14:12: unknown distribution \"redhat\""),
        "{e}"
    );

    let e = error_of(&platform(
        "family = \"linux\"\nmin = \"9\"\nmax = \"8.x\"\nstatus = \"supported\"\nsource = \"s\"\nverified = true\n",
    ));
    assert!(
        e.starts_with("user.toml:15:7: max is lower than min"),
        "{e}"
    );

    let e = error_of(&platform(
        "family = \"macos\"\nstatus = \"supported\"\nsource = \" \"\nverified = true\n",
    ));
    assert!(e.starts_with("user.toml:15:10: empty source"), "{e}");

    let e = error_of(&platform(
        "family = \"macos\"\nstatus = \"supported\"\nverified = true\n",
    ));
    assert!(e.contains("missing field `source`"), "{e}");
    assert!(e.starts_with("user.toml:12:"), "{e}");

    let e = error_of(&product("").replace("vendor = \"v\"", "vendor = \"nobody\""));
    assert!(
        e.starts_with("user.toml:8:10: unknown vendor \"nobody\""),
        "{e}"
    );

    let twice = format!("{base}{base}");
    let e = error_of(&twice);
    assert!(
        e.starts_with("user.toml:7:6: duplicate vendor id \"v\""),
        "{e}"
    );

    let e = error_of("schema_version = 2\n");
    assert!(
        e.starts_with("user.toml:1:18: unsupported schema_version"),
        "{e}"
    );

    let e = error_of("[[vendor]\n");
    assert!(e.starts_with("user.toml:1:"), "{e}");
}

#[test]
fn load_reads_files_and_reports_missing_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vendors.toml");
    std::fs::write(&path, format!("\u{feff}{USER}")).unwrap();
    let cat = Catalog::load(&path).unwrap();
    assert!(cat.product("acme-av").is_some());
    let missing = dir.path().join("nope.toml");
    let err = Catalog::load(&missing).unwrap_err();
    assert!(
        err.to_string().contains("nope.toml: file not found"),
        "{err}"
    );
    std::fs::write(&path, [0xff, 0xfe, 0x00]).unwrap();
    assert!(Catalog::load(&path).is_err());
}

#[test]
fn texts_people_read_never_point_at_internal_notes() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/vendors.toml"),
    )
    .unwrap();
    for (n, line) in text.lines().enumerate() {
        let l = line.trim_start();
        if l.starts_with("note =") || l.starts_with("how =") || l.starts_with("text =") {
            assert!(
                !l.contains("research notes") && !l.contains("shared/"),
                "vendors.toml:{}: {line}",
                n + 1
            );
        }
    }
}
