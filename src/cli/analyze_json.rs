//! `avmigrate analyze --format json`, streamed: each record is written as it is made, one per
//! line, so the output and the memory stay linear in the estate (docs/analyze-json.md).

use super::json_records::{self, Encoder};
use crate::analysis::{Analysis, Reliance, WHY_SHOWN};
use crate::inventory::{FileReport, Loaded};
use crate::model::Asset;
use crate::model::Named;
use crate::rules::RuleSet;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};

/// An asset running a flagged product; borrows from the inventory, the analysis and the rules.
#[derive(Debug, Serialize)]
pub(super) struct DirectAsset<'a> {
    pub(super) id: &'a str,
    pub(super) name: Option<&'a str>,
    pub(super) products: Vec<&'a str>,
    pub(super) roles: Vec<&'static str>,
    pub(super) impact: u32,
    /// Present only where `impact` is a lower bound: the upper bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) impact_max: Option<u32>,
    pub(super) findings: Vec<FindingOut<'a>>,
}

/// One rule's match on a direct asset.
#[derive(Debug, Serialize)]
pub(super) struct FindingOut<'a> {
    pub(super) software: Cow<'a, str>,
    pub(super) version: Option<&'a str>,
    pub(super) rule: &'a str,
    pub(super) product: &'a str,
    pub(super) role: &'static str,
    pub(super) reason: &'a str,
}

/// An asset relying on a direct asset, with its way there.
#[derive(Debug, Serialize)]
pub(super) struct IndirectAsset<'a> {
    pub(super) id: &'a str,
    pub(super) next: &'a str,
    pub(super) depth: usize,
    pub(super) root: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) via: Option<Vec<&'a str>>,
}

#[cfg(test)]
impl<'a> DirectAsset<'a> {
    pub(super) fn for_test(
        id: &'a str,
        name: Option<&'a str>,
        impact_max: Option<u32>,
        findings: Vec<FindingOut<'a>>,
    ) -> DirectAsset<'a> {
        DirectAsset {
            id,
            name,
            products: unique(findings.iter().map(|f| f.product)),
            roles: unique(findings.iter().map(|f| f.role)),
            impact: 3,
            impact_max,
            findings,
        }
    }
}

#[cfg(test)]
impl<'a> FindingOut<'a> {
    pub(super) fn for_test(
        software: Cow<'a, str>,
        version: Option<&'a str>,
        reason: &'a str,
    ) -> FindingOut<'a> {
        FindingOut {
            software,
            version,
            rule: "kes",
            product: "Kaspersky \"Endpoint\" Security",
            role: "endpoint",
            reason,
        }
    }
}

#[cfg(test)]
impl<'a> IndirectAsset<'a> {
    pub(super) fn for_test(
        id: &'a str,
        next: &'a str,
        depth: usize,
        root: &'a str,
        via: Option<Vec<&'a str>>,
    ) -> IndirectAsset<'a> {
        IndirectAsset {
            id,
            next,
            depth,
            root,
            via,
        }
    }
}

/// A direct asset with many assets relying on it.
#[derive(Debug, Serialize)]
pub(super) struct Provider {
    pub(super) id: String,
    name: Option<String>,
    pub(super) roles: Vec<String>,
    impact: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    impact_max: Option<u32>,
    /// The impact as text (`≥ N` where only a bound is known).
    #[serde(skip)]
    pub(super) label: String,
}

/// How one input file was read.
#[derive(Debug, Serialize)]
pub(super) struct FileSummary {
    pub(super) path: String,
    pub(super) format: String,
    pub(super) encoding: String,
    pub(super) separator: Option<String>,
    pub(super) rows: usize,
    pub(super) assets: usize,
    pub(super) software: usize,
    pub(super) relations: usize,
    pub(super) skipped: BTreeMap<String, usize>,
    /// Workbooks only: the sheets read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) sheets: Vec<SheetSummary>,
}

/// A workbook sheet that was read.
#[derive(Debug, Serialize)]
pub(super) struct SheetSummary {
    pub(super) name: String,
    pub(super) header_row: u32,
    pub(super) format: String,
    pub(super) rows: usize,
}

impl From<&FileReport> for FileSummary {
    fn from(f: &FileReport) -> FileSummary {
        FileSummary {
            path: f.path.clone(),
            format: f.format.to_string(),
            encoding: f.encoding.to_string(),
            separator: f.separator.map(|c| match c {
                '\t' => "tab".to_string(),
                c => c.to_string(),
            }),
            rows: f.rows,
            assets: f.assets,
            software: f.software,
            relations: f.relations,
            skipped: f.skipped.clone(),
            sheets: (f.sheets.iter())
                .map(|s| SheetSummary {
                    name: s.name.clone(),
                    header_row: s.header_row,
                    format: s.format.to_string(),
                    rows: s.rows,
                })
                .collect(),
        }
    }
}

/// The record of direct asset `i`: what it runs, which rules matched, its impact.
pub(super) fn direct_asset<'a>(
    asset: &'a Asset,
    i: usize,
    analysis: &'a Analysis,
    rules: &'a RuleSet,
) -> DirectAsset<'a> {
    let findings: Vec<FindingOut<'a>> = analysis.findings[i]
        .iter()
        .map(|f| {
            let rule = &rules.rules()[usize::from(f.rule)];
            let (software, version) = match asset.software.get(f.software as usize) {
                Some(sw) => (Cow::Borrowed(&*sw.name), sw.version.as_deref()),
                None => (Cow::Owned(format!("OS: {}", asset.os.raw)), None),
            };
            FindingOut {
                software,
                version,
                rule: &rule.id,
                product: &rule.product,
                role: f.role.as_str(),
                reason: &f.reason,
            }
        })
        .collect();
    let upper = analysis.impact_upper[i];
    DirectAsset {
        id: &asset.id,
        name: asset.name.as_deref(),
        products: unique(findings.iter().map(|f| f.product)),
        roles: unique(findings.iter().map(|f| f.role)),
        impact: analysis.impact[i],
        impact_max: (upper > analysis.impact[i]).then_some(upper),
        findings,
    }
}

/// The direct assets with the most assets relying on them.
pub(super) fn top_providers(assets: &[Asset], analysis: &Analysis) -> Vec<Provider> {
    analysis
        .top_providers(10)
        .into_iter()
        .map(|(i, impact)| {
            let upper = analysis.impact_upper[i];
            Provider {
                id: assets[i].id.to_string(),
                name: assets[i].name.as_deref().map(String::from),
                roles: unique(analysis.findings[i].iter().map(|f| f.role.as_str()))
                    .into_iter()
                    .map(String::from)
                    .collect(),
                impact,
                impact_max: (upper > impact).then_some(upper),
                label: analysis.impact_label(i),
            }
        })
        .collect()
}

/// Writes the JSON report to `out` through a buffer, record by record.
pub(super) fn write<'a>(
    out: &mut dyn Write,
    loaded: &'a Loaded,
    analysis: &'a Analysis,
    rules: &'a RuleSet,
) -> io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 16, out);
    let assets = loaded.inventory.assets();
    let t = analysis.totals();
    write!(
        w,
        "{{\n  \"assets\": {},\n  \"direct\": {},\n  \"indirect\": {},\n  \"unaffected\": {},\n",
        t.assets, t.direct, t.indirect, t.unaffected
    )?;
    let mut list = List::open(&mut w, "direct_assets")?;
    let direct = |i: usize, s: &mut Direct<'a>, out: &mut Vec<u8>| {
        if analysis.reliance_of(i) != Reliance::Direct {
            return;
        }
        let d = direct_asset(&assets[i], i, analysis, rules);
        for &r in &d.roles {
            *s.by_role.entry(r).or_insert(0) += 1;
        }
        for &p in &d.products {
            *s.by_product.entry(p).or_insert(0) += 1;
        }
        out.extend_from_slice(b",\n    ");
        s.encoder.direct(out, &d);
    };
    let [mut counts, theirs] = blocks(&mut w, &mut list, assets.len(), &direct)?;
    list.close(&mut w)?;
    for (r, n) in theirs.by_role {
        *counts.by_role.entry(r).or_insert(0) += n;
    }
    for (p, n) in theirs.by_product {
        *counts.by_product.entry(p).or_insert(0) += n;
    }
    let (by_role, by_product) = (counts.by_role, counts.by_product);
    let id = |j: usize| assets[j].id.as_str();
    let r = &analysis.reliance;
    let mut list = List::open(&mut w, "indirect_assets")?;
    let indirect = |i: usize, _: &mut (), out: &mut Vec<u8>| {
        if analysis.reliance_of(i) != Reliance::Indirect {
            return;
        }
        let (Some(next), Some(root)) = (r.next_hop(i), r.root(i)) else {
            return;
        };
        let depth = r.depth(i);
        let via = (depth <= WHY_SHOWN).then(|| analysis.why_path(i).into_iter().map(id).collect());
        let indirect = IndirectAsset {
            id: id(i),
            next: id(next),
            depth,
            root: id(root),
            via,
        };
        out.extend_from_slice(b",\n    ");
        json_records::indirect(out, &indirect);
    };
    blocks(&mut w, &mut list, assets.len(), &indirect)?;
    list.close(&mut w)?;
    field(&mut w, "by_role", &by_role)?;
    field(&mut w, "by_product", &by_product)?;
    let mut list = List::open(&mut w, "top_providers")?;
    for p in top_providers(assets, analysis) {
        list.item(&mut w, &p)?;
    }
    list.close(&mut w)?;
    let mut list = List::open(&mut w, "cycles")?;
    for c in &analysis.cycles {
        list.item(&mut w, &c.iter().map(|&j| id(j)).collect::<Vec<_>>())?;
    }
    list.close(&mut w)?;
    let mut list = List::open(&mut w, "warnings")?;
    for warning in loaded.warnings.iter().chain(&analysis.warnings) {
        list.item(&mut w, &warning.to_string())?;
    }
    list.close(&mut w)?;
    let mut list = List::open(&mut w, "files")?;
    for f in &loaded.files {
        list.item(&mut w, &FileSummary::from(f))?;
    }
    w.write_all(if list.empty { b"]\n}\n" } else { b"\n  ]\n}\n" })?;
    w.flush()
}

/// Assets whose records are encoded as one block.
const BLOCK: usize = 4096;

/// What a thread gathers while it encodes direct records.
#[derive(Default)]
struct Direct<'a> {
    encoder: Encoder,
    by_role: BTreeMap<&'a str, usize>,
    by_product: BTreeMap<&'a str, usize>,
}

/// Encodes the records of assets `0..n` with `encode` (which appends each record after
/// `,\n    `) in blocks of [`BLOCK`] assets, alternately on this thread and a helper, and
/// writes the blocks in order: the bytes are those of one thread, in half the time. Gives
/// back each thread's state.
fn blocks<S: Default + Send>(
    w: &mut impl Write,
    list: &mut List,
    n: usize,
    encode: &(impl Fn(usize, &mut S, &mut Vec<u8>) + Sync),
) -> io::Result<[S; 2]> {
    let count = n.div_ceil(BLOCK);
    let run = |k: usize, state: &mut S, out: &mut Vec<u8>| {
        for i in k * BLOCK..n.min((k + 1) * BLOCK) {
            encode(i, state, out);
        }
    };
    let mut mine = S::default();
    let mut out = Vec::new();
    if count <= 1 {
        run(0, &mut mine, &mut out);
        list.block(w, &out)?;
        return Ok([mine, S::default()]);
    }
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(1);
        // Written blocks go back to the helper, which reuses their memory.
        let (back, spare) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
        let helper = scope.spawn(move || {
            let mut theirs = S::default();
            for k in (1..count).step_by(2) {
                let mut out = spare.try_recv().unwrap_or_default();
                out.clear();
                run(k, &mut theirs, &mut out);
                if tx.send(out).is_err() {
                    break;
                }
            }
            theirs
        });
        let mut written = Ok(());
        for k in 0..count {
            let result = if k % 2 == 0 {
                out.clear();
                run(k, &mut mine, &mut out);
                list.block(w, &out)
            } else {
                match rx.recv() {
                    Ok(block) => list.block(w, &block).map(|()| {
                        let _ = back.try_send(block);
                    }),
                    Err(_) => Err(io::Error::other("record encoder stopped")),
                }
            };
            if result.is_err() {
                written = result;
                break;
            }
        }
        // A helper waiting to hand over a block learns that it is not wanted.
        drop(rx);
        let theirs = helper
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        written.map(|()| [mine, theirs])
    })
}

/// A JSON array value of the top-level object, one compact item per line.
struct List {
    empty: bool,
}

impl List {
    fn open(w: &mut impl Write, key: &str) -> io::Result<List> {
        write!(w, "  \"{key}\": [")?;
        Ok(List { empty: true })
    }

    fn item(&mut self, w: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
        w.write_all(if self.empty { b"\n    " } else { b",\n    " })?;
        self.empty = false;
        serde_json::to_writer(&mut *w, value).map_err(io::Error::from)
    }

    /// Items already encoded, each after `,\n    ` (the first item of the list after `\n    `).
    fn block(&mut self, w: &mut impl Write, items: &[u8]) -> io::Result<()> {
        match items.split_first() {
            Some((_, rest)) if self.empty => {
                self.empty = false;
                w.write_all(rest)
            }
            _ => w.write_all(items),
        }
    }

    fn close(self, w: &mut impl Write) -> io::Result<()> {
        w.write_all(if self.empty { b"],\n" } else { b"\n  ],\n" })
    }
}

fn field(w: &mut impl Write, key: &str, value: &impl Serialize) -> io::Result<()> {
    write!(w, "  \"{key}\": ")?;
    serde_json::to_writer(&mut *w, value).map_err(io::Error::from)?;
    w.write_all(b",\n")
}

/// The items in first-seen order without repeats.
pub(super) fn unique<T: PartialEq>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut v: Vec<T> = Vec::new();
    for item in items {
        if !v.contains(&item) {
            v.push(item);
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::{GenOptions, generate};

    #[test]
    fn records_encoded_in_blocks_on_two_threads_are_serde_json_lines_in_order() {
        let inventory = generate(&GenOptions {
            assets: 3 * BLOCK + 100,
            seed: 7,
        });
        let loaded = Loaded {
            inventory,
            files: Vec::new(),
            warnings: Vec::new(),
            provenance: None,
        };
        let rules = RuleSet::builtin();
        let analysis = Analysis::run(&loaded.inventory, &rules);
        let mut out = Vec::new();
        write(&mut out, &loaded, &analysis, &rules).unwrap();
        let text = String::from_utf8(out).unwrap();
        let list = |key: &str| -> Vec<&str> {
            let start = text.find(&format!("  \"{key}\": [\n")).unwrap();
            let lines = text[start..].lines().skip(1);
            let items = lines.take_while(|l| *l != "  ],");
            items
                .map(|l| l.trim_start().trim_end_matches(','))
                .collect()
        };
        let assets = loaded.inventory.assets();
        let (mut by_role, mut by_product) = (BTreeMap::new(), BTreeMap::new());
        let direct: Vec<String> = (0..assets.len())
            .filter(|&i| analysis.reliance_of(i) == Reliance::Direct)
            .map(|i| {
                let d = direct_asset(&assets[i], i, &analysis, &rules);
                d.roles
                    .iter()
                    .for_each(|r| *by_role.entry(*r).or_insert(0) += 1);
                d.products
                    .iter()
                    .for_each(|p| *by_product.entry(*p).or_insert(0) += 1);
                serde_json::to_string(&d).unwrap()
            })
            .collect();
        let t = analysis.totals();
        assert!(t.direct > BLOCK && t.indirect > 0);
        assert_eq!(list("direct_assets"), direct);
        let indirect = list("indirect_assets");
        assert_eq!(indirect.len(), t.indirect);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["by_role"], serde_json::to_value(&by_role).unwrap());
        assert_eq!(
            value["by_product"],
            serde_json::to_value(&by_product).unwrap()
        );
        assert_eq!(
            value["indirect_assets"].as_array().unwrap().len(),
            t.indirect
        );
    }
}
