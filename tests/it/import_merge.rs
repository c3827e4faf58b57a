//! Merging several sources: the richest value wins, real conflicts are reported, and every fact
//! remembers the file and line it came from.

use avmigrate::inventory::{ImportOptions, Loaded, load_sources};
use avmigrate::model::OsFamily;

fn load(files: &[(&str, &[u8])]) -> Loaded {
    let opts = ImportOptions {
        provenance: true,
        ..ImportOptions::default()
    };
    let sources = files
        .iter()
        .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
        .collect();
    load_sources(sources, &opts).expect("imports")
}

#[test]
fn richer_values_win_without_warnings() {
    let a = b"id,name,os,site\nws-1,WS-1,Windows 11,Freiburg\n";
    let b = b"hostname,fqdn,operating system\nWS-1,ws-1.corp.local,Windows 11 Enterprise 23H2\n";
    let loaded = load(&[("a.csv", a), ("b.csv", b)]);
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.inventory.len(), 1);
    let ws = &loaded.inventory.assets()[0];
    assert_eq!(
        ws.name.as_deref(),
        Some("ws-1.corp.local"),
        "the FQDN says more"
    );
    assert_eq!(ws.os.raw, "Windows 11 Enterprise 23H2");
    assert_eq!(ws.os.feature_update.as_deref(), Some("23H2"));
    assert_eq!(
        ws.site().map(|t| t.as_str()),
        Some("Freiburg"),
        "filled from the first file"
    );
    let prov = &loaded.provenance.as_ref().unwrap()[0];
    assert_eq!(prov.origin_of("os").unwrap().to_string(), "b.csv:2");
    assert_eq!(prov.origin_of("site").unwrap().to_string(), "a.csv:2");
    assert_eq!(prov.origin_of("name").unwrap().to_string(), "b.csv:2");
    let rejected: Vec<_> = prov
        .facts
        .iter()
        .filter_map(|f| f.rejected.as_deref().map(|r| (f.field, r)))
        .collect();
    assert!(rejected.contains(&("os", "Windows 11")), "{rejected:?}");
    assert!(rejected.contains(&("name", "WS-1")), "{rejected:?}");
}

#[test]
fn poorer_values_do_not_replace_richer_ones() {
    let a = b"id,os\nsrv-1,Red Hat Enterprise Linux 8.6 (Ootpa)\n";
    let b = b"id,os\nsrv-1,Linux\n";
    let loaded = load(&[("a.csv", a), ("b.csv", b)]);
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let srv = &loaded.inventory.assets()[0];
    assert_eq!(srv.os.family, OsFamily::Linux);
    assert_eq!(srv.os.version.as_deref(), Some("8.6"));
}

#[test]
fn real_conflicts_keep_the_first_value_and_are_reported() {
    let a = b"id,os,site\nws-1,Windows 10 22H2,Freiburg\n";
    let b = b"id,os,site\nws-1,Windows 11 23H2,Offenburg\n";
    let loaded = load(&[("a.csv", a), ("b.csv", b)]);
    let ws = &loaded.inventory.assets()[0];
    assert_eq!(ws.os.raw, "Windows 10 22H2");
    assert_eq!(ws.site().map(|t| t.as_str()), Some("Freiburg"));
    let messages: Vec<String> = loaded.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].starts_with("b.csv:2: asset \"ws-1\": site \"Offenburg\" conflicts"));
    assert!(messages[1].contains("os \"Windows 11 23H2\" conflicts with \"Windows 10 22H2\""));
}

#[test]
fn software_entries_remember_their_rows() {
    let assets = b"id,os\nws-1,Windows 11\n";
    let software = b"asset,name,version,publisher\nws-1,Kaspersky Endpoint Security for Windows,12.6,AO Kaspersky Lab\nws-1,7-Zip,23.01,Igor Pavlov\n";
    let loaded = load(&[("assets.csv", assets), ("sw.csv", software)]);
    let prov = &loaded.provenance.as_ref().unwrap()[0];
    let at: Vec<String> = prov
        .software
        .iter()
        .map(|o| o.as_ref().map(|o| o.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(at, ["sw.csv:2", "sw.csv:3"]);
}

#[test]
fn provenance_is_not_kept_unless_asked() {
    let loaded = load_sources(
        vec![("a.csv".into(), b"id\nws-1\n".to_vec())],
        &ImportOptions::default(),
    )
    .unwrap();
    assert!(loaded.provenance.is_none());
}

fn ids(loaded: &Loaded) -> Vec<&str> {
    loaded
        .inventory
        .assets()
        .iter()
        .map(|a| a.id.as_str())
        .collect()
}

fn warning_texts(loaded: &Loaded) -> Vec<String> {
    loaded.warnings.iter().map(|w| w.to_string()).collect()
}

#[test]
fn a_short_name_is_not_merged_with_two_different_fqdns() {
    let short = b"id,site\nws-1,Freiburg\n";
    let fqdns = b"id,owner\nws-1.corp-a.local,A\nws-1.corp-b.local,B\n";
    let loaded = load(&[("short.csv", short), ("fqdns.csv", fqdns)]);
    assert_eq!(ids(&loaded), ["ws-1", "ws-1.corp-b.local"]);
    let assets = loaded.inventory.assets();
    assert_eq!(assets[0].owner().map(|t| t.as_str()), Some("A"));
    assert_eq!(assets[1].owner().map(|t| t.as_str()), Some("B"));
    let w = warning_texts(&loaded);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].starts_with("fqdns.csv:3: ")
            && w[0].contains("ws-1.corp-b.local")
            && w[0].contains("ws-1.corp-a.local"),
        "{w:?}"
    );
}

#[test]
fn an_fqdn_is_not_merged_by_its_short_name_into_an_asset_named_by_another_fqdn() {
    let named = b"id,name\nws-1,ws-1.corp-a.local\n";
    let other = b"id,owner\nws-1.corp-b.local,B\n";
    let loaded = load(&[("named.csv", named), ("other.csv", other)]);
    assert_eq!(ids(&loaded), ["ws-1", "ws-1.corp-b.local"]);
    assert_eq!(warning_texts(&loaded).len(), 1, "{:?}", loaded.warnings);
    // Software rows are not put on the wrong host either.
    let sw = b"asset,name\nws-1.corp-b.local,Kaspersky Endpoint Security for Windows\nws-1.corp-a.local,7-Zip\n";
    let loaded = load(&[("named.csv", named), ("sw.csv", sw)]);
    assert_eq!(ids(&loaded), ["ws-1", "ws-1.corp-b.local"]);
    let assets = loaded.inventory.assets();
    assert_eq!(assets[0].software[0].name, "7-Zip");
    assert_eq!(assets[0].software.len(), 1);
    let w = warning_texts(&loaded);
    assert!(w.len() == 1 && w[0].starts_with("sw.csv:2: "), "{w:?}");
    // The same FQDN (or one asset's short name) still merges.
    let same = b"id,owner\nWS-1.corp-a.local,A\n";
    let loaded = load(&[("named.csv", named), ("same.csv", same)]);
    assert_eq!(ids(&loaded), ["ws-1"]);
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn a_short_name_of_several_fqdns_is_kept_apart_with_a_warning() {
    let fqdns = b"id,owner\nws-1.corp-a.local,A\nws-1.corp-b.local,B\n";
    let short = b"id,site\nws-1,Freiburg\n";
    let loaded = load(&[("fqdns.csv", fqdns), ("short.csv", short)]);
    assert_eq!(
        ids(&loaded),
        ["ws-1.corp-a.local", "ws-1.corp-b.local", "ws-1"]
    );
    let w = warning_texts(&loaded);
    assert!(
        w.len() == 1 && w[0].starts_with("short.csv:2: ") && w[0].contains("several assets"),
        "{w:?}"
    );
    // Software rows for the short name do not land on either machine.
    let sw = b"asset,name\nws-1,7-Zip\n";
    let loaded = load(&[("fqdns.csv", fqdns), ("sw.csv", sw)]);
    let assets = loaded.inventory.assets();
    assert!(assets[0].software.is_empty() && assets[1].software.is_empty());
    let w = warning_texts(&loaded);
    assert!(w.len() == 1 && w[0].starts_with("sw.csv:2: "), "{w:?}");
}
