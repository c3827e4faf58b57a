//! Timing of `RuleSet::scan` on a large synthetic estate.
//!
//! Run in release: `cargo test --release --test rules_perf -- --ignored --nocapture`

use avmigrate::model::{Asset, Inventory, Software};
use avmigrate::rules::RuleSet;
use std::time::{Duration, Instant};

const POOL: &[(&str, &str)] = &[
    (
        "Kaspersky Endpoint Security for Windows",
        "AO Kaspersky Lab",
    ),
    (
        "Kaspersky Security Center Network Agent",
        "AO Kaspersky Lab",
    ),
    ("Kaspersky Security for Windows Server", "AO Kaspersky Lab"),
    (
        "Kaspersky Security Center 14.2 Administration Server",
        "AO Kaspersky Lab",
    ),
    ("kesl", ""),
    ("klnagent64", ""),
    ("Microsoft Edge", "Microsoft Corporation"),
    ("Google Chrome", "Google LLC"),
    ("Mozilla Firefox (x64 de)", "Mozilla"),
    ("7-Zip 23.01 (x64)", "Igor Pavlov"),
    (
        "Microsoft 365 Apps for enterprise - de-de",
        "Microsoft Corporation",
    ),
    ("Adobe Acrobat Reader DC", "Adobe Systems Incorporated"),
    ("Notepad++ (64-bit x64)", "Notepad++ Team"),
    ("VLC media player", "VideoLAN"),
    (
        "Microsoft Visual C++ 2015-2022 Redistributable (x64)",
        "Microsoft Corporation",
    ),
    ("openssh-server", ""),
    ("libc6", ""),
    ("Citrix Workspace 2309", "Citrix Systems, Inc."),
    ("SAP GUI for Windows 8.00", "SAP"),
    ("Microsoft Teams", "Microsoft Corporation"),
];

fn software(i: usize, unique: bool) -> Software {
    let (name, publisher) = POOL[i % POOL.len()];
    let name = if unique && i.is_multiple_of(3) {
        format!("{name} build {i}")
    } else {
        name.to_string()
    };
    Software {
        name: name.into(),
        version: Some("1.0".into()),
        publisher: (!publisher.is_empty()).then(|| publisher.into()),
    }
}

fn estate(assets: usize, per_asset: usize, unique: bool) -> Inventory {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as usize
    };
    Inventory::from_assets((0..assets).map(|a| {
        let mut asset = Asset::new(format!("host-{a:06}"));
        asset.software = (0..per_asset)
            .map(|_| software(next() % 100_000, unique))
            .collect();
        asset
    }))
}

fn best_of(runs: usize, rules: &RuleSet, inv: &Inventory) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut findings = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let out = rules.scan(inv);
        best = best.min(t.elapsed());
        findings = out.iter().map(|f| f.len()).sum();
    }
    (best, findings)
}

#[test]
#[ignore = "timing; run in release with --ignored"]
fn scan_100k_assets_with_4_software_each() {
    let rules = RuleSet::builtin();
    let inv = estate(100_000, 4, false);
    let (t, findings) = best_of(5, &rules, &inv);
    println!("scan 100k assets x 4 software (repeating names): {t:?}, {findings} findings");
    assert!(findings > 0);
    let inv_unique = estate(100_000, 4, true);
    let (tu, findings_u) = best_of(3, &rules, &inv_unique);
    println!("scan 100k assets x 4 software (1/3 unique names): {tu:?}, {findings_u} findings");
    if !cfg!(debug_assertions) {
        assert!(t < Duration::from_millis(100), "scan took {t:?}");
    }
}
