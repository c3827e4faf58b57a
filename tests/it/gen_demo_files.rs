//! The shipped demo estate (assets/examples/stadtwerke.*): valid, self-consistent, and the CSV
//! variant says exactly what the TOML says. Read with plain `toml` / `csv` so that these checks
//! do not depend on the importers they are meant to exercise.

use avmigrate::model::Named;
use avmigrate::model::{AssetKind, Criticality, RelationKind};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// One asset as written in a demo file, with relation kinds made explicit.
#[derive(Debug, Default, PartialEq)]
struct Row {
    fields: BTreeMap<String, String>,
    tags: Vec<String>,
    software: Vec<(String, Option<String>, Option<String>)>,
    depends_on: Vec<(String, String)>,
}

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("assets/examples")
        .join(name)
}

fn load_toml() -> Vec<(String, Row)> {
    let text = std::fs::read_to_string(example("stadtwerke.toml")).unwrap();
    let doc: toml::Table = text.parse().expect("stadtwerke.toml is valid TOML");
    let str_of = |v: &toml::Value| v.as_str().expect("a string").to_string();
    let mut out = Vec::new();
    for a in doc["asset"].as_array().unwrap() {
        let t = a.as_table().unwrap();
        let mut row = Row::default();
        for key in ["name", "kind", "os", "site", "owner", "criticality"] {
            if let Some(v) = t.get(key) {
                row.fields.insert(key.into(), str_of(v));
            }
        }
        if let Some(tags) = t.get("tags") {
            row.tags = tags.as_array().unwrap().iter().map(str_of).collect();
        }
        for sw in t
            .get("software")
            .and_then(|s| s.as_array())
            .into_iter()
            .flatten()
        {
            let opt = |k: &str| sw.get(k).map(str_of);
            row.software
                .push((str_of(&sw["name"]), opt("version"), opt("publisher")));
        }
        for rel in t
            .get("depends_on")
            .and_then(|s| s.as_array())
            .into_iter()
            .flatten()
        {
            let kind = rel.get("kind").map(str_of).unwrap_or_else(|| "uses".into());
            row.depends_on.push((str_of(&rel["id"]), kind));
        }
        out.push((str_of(&t["id"]), row));
    }
    out
}

fn csv_rows(name: &str) -> Vec<HashMap<String, String>> {
    let bytes = std::fs::read(example(name)).unwrap();
    let text = std::str::from_utf8(&bytes).expect("UTF-8");
    let text = text.strip_prefix('\u{feff}').expect("starts with a BOM");
    assert!(
        text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'),
        "CRLF only"
    );
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .map(String::from)
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

fn load_csv() -> Vec<(String, Row)> {
    let mut out: Vec<(String, Row)> = Vec::new();
    for rec in csv_rows("stadtwerke.csv") {
        let mut row = Row::default();
        for key in ["name", "kind", "os", "site", "owner", "criticality"] {
            if !rec[key].is_empty() {
                row.fields.insert(key.into(), rec[key].clone());
            }
        }
        row.tags = rec["tags"]
            .split('|')
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect();
        for entry in rec["depends_on"].split('|').filter(|e| !e.is_empty()) {
            let (id, kind) = entry.split_once(':').unwrap_or((entry, "uses"));
            row.depends_on.push((id.into(), kind.into()));
        }
        out.push((rec["id"].clone(), row));
    }
    let position: HashMap<String, usize> = out
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.clone(), i))
        .collect();
    for rec in csv_rows("stadtwerke-software.csv") {
        let opt = |k: &str| Some(rec[k].clone()).filter(|v| !v.is_empty());
        let i = position[&rec["asset"]];
        out[i]
            .1
            .software
            .push((rec["name"].clone(), opt("version"), opt("publisher")));
    }
    out
}

/// The strongly connected components with more than one asset (Kosaraju, iterative).
fn cycles(graph: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = graph.len();
    let mut order = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    for start in 0..n {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some((v, i)) = stack.pop() {
            if let Some(&w) = graph[v].get(i) {
                stack.push((v, i + 1));
                if !seen[w] {
                    seen[w] = true;
                    stack.push((w, 0));
                }
            } else {
                order.push(v);
            }
        }
    }
    let mut reverse = vec![Vec::new(); n];
    for (v, targets) in graph.iter().enumerate() {
        for &w in targets {
            reverse[w].push(v);
        }
    }
    let mut comp = vec![usize::MAX; n];
    let mut out = Vec::new();
    for &root in order.iter().rev() {
        if comp[root] != usize::MAX {
            continue;
        }
        let mut members = vec![root];
        comp[root] = root;
        let mut stack = vec![root];
        while let Some(v) = stack.pop() {
            for &w in &reverse[v] {
                if comp[w] == usize::MAX {
                    comp[w] = root;
                    members.push(w);
                    stack.push(w);
                }
            }
        }
        if members.len() > 1 {
            members.sort();
            out.push(members);
        }
    }
    out
}

#[test]
fn toml_demo_is_consistent() {
    let assets = load_toml();
    assert!((140..=170).contains(&assets.len()), "about 150 assets");
    let index: HashMap<String, usize> = assets
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.to_lowercase(), i))
        .collect();
    assert_eq!(index.len(), assets.len(), "ids unique case-insensitively");
    let mut graph = vec![Vec::new(); assets.len()];
    for (i, (id, row)) in assets.iter().enumerate() {
        assert!(
            AssetKind::from_name(&row.fields["kind"]).is_some(),
            "{id}: kind"
        );
        assert!(
            Criticality::from_name(&row.fields["criticality"]).is_some(),
            "{id}"
        );
        for (target, kind) in &row.depends_on {
            assert!(
                RelationKind::from_name(kind).is_some(),
                "{id}: relation kind {kind}"
            );
            let j = *index
                .get(&target.to_lowercase())
                .unwrap_or_else(|| panic!("{id} depends on unknown {target}"));
            graph[i].push(j);
        }
    }
    let found = cycles(&graph);
    let names: Vec<Vec<&str>> = found
        .iter()
        .map(|c| c.iter().map(|&i| assets[i].0.as_str()).collect())
        .collect();
    assert_eq!(
        names,
        vec![vec!["srv-sql-01", "srv-sql-02"]],
        "exactly one cycle"
    );
    let pilots = assets
        .iter()
        .filter(|(_, r)| r.tags.iter().any(|t| t == "pilot"));
    assert!((6..=8).contains(&pilots.count()));
    let kaspersky = assets
        .iter()
        .filter(|(_, r)| {
            r.software.iter().any(|(name, _, publisher)| {
                let text = format!("{name} {}", publisher.as_deref().unwrap_or("")).to_lowercase();
                text.contains("kaspersky")
                    || text.contains("касперск")
                    || ["kesl", "klnagent64", "kwts"].contains(&name.as_str())
            })
        })
        .count();
    assert!(kaspersky > assets.len() / 2 && kaspersky < assets.len());
}

#[test]
fn csv_variant_equals_toml() {
    let toml = load_toml();
    let csv = load_csv();
    assert_eq!(toml.len(), csv.len());
    for (t, c) in toml.iter().zip(&csv) {
        assert_eq!(t, c, "asset {} differs between TOML and CSV", t.0);
    }
    let text = std::fs::read_to_string(example("stadtwerke.csv")).unwrap();
    assert!(text.contains("Umspannwerk Süd"), "umlauts survive");
}
