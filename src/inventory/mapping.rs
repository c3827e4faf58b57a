//! Mapping files (`--mapping map.toml`): how to read a CSV that no built-in format knows. A
//! file whose header has every column the mapping names is read with it.
//!
//! ```toml
//! [columns]
//! id = "Hostname"            # required
//! name = "FQDN"
//! os = "Betriebssystem"
//! kind = "Gerätetyp"
//! site = "Standort"
//! owner = "Verantwortlich"
//! criticality = "Schutzbedarf"
//! tags = "Labels"
//! software = "Programm"      # one product per row, or several with list_separator
//! version = "Version"
//! publisher = "Hersteller"
//! target = "Abhängig von"    # the asset this row's asset depends on
//! relation_kind = "Art"      # managed-by, updates-from, uses … (default uses)
//!
//! [options]
//! list_separator = "|"       # splits tags, software and target cells with several values
//!
//! [values.kind]              # translations of the file's own words
//! "Arbeitsplatz-PC" = "workstation"
//! ```

use super::csv_generic::{next_data_row, non_empty};
use super::csv_table::Table;
use super::formats::Probe;
use super::headers::normalise_header;
use super::{
    Content, Explicit, FileCtx, Mixed, Record, RelationRow, SoftwareRow, asset_kind, criticality,
    relation_kind, tidy,
};
use crate::error::{InputError, Location};
use crate::model::text::clean;
use crate::model::{Asset, AssetKind, Relation, RelationKind, Software};
use crate::tomlfmt::error_location;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// A parsed mapping file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// The file it came from.
    pub label: String,
    columns: Columns,
    list_separator: Option<char>,
    values: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Columns {
    id: String,
    name: Option<String>,
    os: Option<String>,
    kind: Option<String>,
    site: Option<String>,
    owner: Option<String>,
    criticality: Option<String>,
    tags: Option<String>,
    software: Option<String>,
    version: Option<String>,
    publisher: Option<String>,
    target: Option<String>,
    relation_kind: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    columns: Columns,
    #[serde(default)]
    options: Options,
    #[serde(default)]
    values: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    list_separator: Option<String>,
}

impl Mapping {
    /// Reads a mapping file.
    pub fn load(path: &Path) -> Result<Mapping, InputError> {
        let label = path.display().to_string();
        let text = crate::input::read_text(path, crate::input::CONFIG_LIMIT).map_err(|e| {
            InputError::new(
                Location::file(&label),
                format!("mapping {}", e.describe("a mapping file")),
            )
        })?;
        Mapping::parse(&text, &label)
    }

    /// Parses mapping text; `label` names the file in messages.
    pub fn parse(text: &str, label: &str) -> Result<Mapping, InputError> {
        let file: File = toml::from_str(text).map_err(|e| error_location(text, label, &e))?;
        let list_separator = match file.options.list_separator.as_deref() {
            None | Some("") => None,
            Some(s) if s.chars().count() == 1 => s.chars().next(),
            Some(s) => {
                return Err(InputError::new(
                    Location::file(label),
                    format!("list_separator \"{s}\" must be a single character"),
                ));
            }
        };
        for field in file.values.keys() {
            if !matches!(field.as_str(), "kind" | "criticality" | "relation_kind") {
                return Err(InputError::new(
                    Location::file(label),
                    format!(
                        "[values.{field}]: only kind, criticality and relation_kind take translations"
                    ),
                ));
            }
        }
        if file.columns.id.trim().is_empty() {
            return Err(InputError::new(
                Location::file(label),
                "columns.id must name a column",
            ));
        }
        Ok(Mapping {
            label: label.to_string(),
            columns: file.columns,
            list_separator,
            values: file.values,
        })
    }

    fn named(&self) -> Vec<(&'static str, &str)> {
        let c = &self.columns;
        let mut v = vec![("id", c.id.as_str())];
        for (field, col) in [
            ("name", &c.name),
            ("os", &c.os),
            ("kind", &c.kind),
            ("site", &c.site),
            ("owner", &c.owner),
            ("criticality", &c.criticality),
            ("tags", &c.tags),
            ("software", &c.software),
            ("version", &c.version),
            ("publisher", &c.publisher),
            ("target", &c.target),
            ("relation_kind", &c.relation_kind),
        ] {
            if let Some(col) = col {
                v.push((field, col.as_str()));
            }
        }
        v
    }

    /// True when the file is a CSV whose header has every column the mapping names.
    pub(crate) fn matches(&self, probe: &Probe) -> bool {
        probe
            .csv()
            .is_some_and(|h| self.named().iter().all(|(_, col)| h.has(col)))
    }

    /// Column → field, for `inspect`.
    pub fn describe(&self) -> Vec<(String, String)> {
        self.named()
            .into_iter()
            .map(|(field, col)| (col.to_string(), field.to_string()))
            .collect()
    }

    fn translate<'v>(&'v self, field: &str, value: &'v str) -> &'v str {
        self.values
            .get(field)
            .and_then(|m| m.iter().find(|(k, _)| k.eq_ignore_ascii_case(value)))
            .map_or(value, |(_, v)| v.as_str())
    }

    fn split<'c>(&self, cell: &'c str) -> Vec<&'c str> {
        match self.list_separator {
            Some(sep) => cell
                .split(sep)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect(),
            None if cell.trim().is_empty() => Vec::new(),
            None => vec![cell.trim()],
        }
    }

    /// Reads a CSV with the mapping: one device record per row (rows of one device merge),
    /// software and relation rows where the mapping names those columns.
    pub(crate) fn read(&self, probe: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
        let mut table = Table::open(&ctx.file, probe.text)?;
        ctx.report.separator = Some(char::from(table.sep));
        let col = |name: &Option<String>| {
            name.as_ref().and_then(|n| {
                let k = normalise_header(n);
                table.headers.iter().position(|h| normalise_header(h) == k)
            })
        };
        let c = &self.columns;
        let id_col = col(&Some(c.id.clone()));
        let (name, os, kind, site, owner, crit, tags) = (
            col(&c.name),
            col(&c.os),
            col(&c.kind),
            col(&c.site),
            col(&c.owner),
            col(&c.criticality),
            col(&c.tags),
        );
        let (sw, version, publisher, target, rel_kind) = (
            col(&c.software),
            col(&c.version),
            col(&c.publisher),
            col(&c.target),
            col(&c.relation_kind),
        );
        let mapped = [
            id_col, name, os, kind, site, owner, crit, tags, sw, version, publisher, target,
            rel_kind,
        ];
        let mapped: Vec<usize> = mapped.into_iter().flatten().collect();
        ctx.watch_unmapped(table.headers.len(), &mapped);
        let mut mixed = Mixed::default();
        let mut seen = std::collections::HashSet::new();
        while next_data_row(&mut table, ctx)? {
            let line = table.line();
            // Cleaned once: the asset, its software and its relations must name the same id.
            let id = ecow::EcoString::from(clean(table.opt_cell(id_col)));
            if id.is_empty() {
                ctx.skip(
                    "missing id",
                    ctx.line(line),
                    format!("column \"{}\" is empty; row skipped", c.id),
                )?;
                continue;
            }
            let mut asset = Asset::new(id.clone());
            asset.name = non_empty(table.opt_cell(name));
            asset.os = ctx.os(table.opt_cell(os));
            asset.set_site(non_empty(table.opt_cell(site)));
            asset.set_owner(non_empty(table.opt_cell(owner)));
            asset.set_tags(self.split(table.opt_cell(tags)).into_iter().map(Into::into));
            let mut explicit = Explicit::default();
            asset.kind = AssetKind::infer(&asset.os);
            let kind_text = self.translate("kind", table.opt_cell(kind));
            if !kind_text.is_empty() {
                match asset_kind(kind_text) {
                    Some(k) => (asset.kind, explicit.kind) = (k, true),
                    None => ctx.warn(
                        table.cell_location(&ctx.file, kind.unwrap_or(0)),
                        format!("unknown kind \"{kind_text}\" (add it under [values.kind] in {}); using {}", self.label, asset.kind),
                    )?,
                }
            }
            let crit_text = self.translate("criticality", table.opt_cell(crit));
            if !crit_text.is_empty() {
                match criticality(crit_text) {
                    Some(v) => (asset.criticality, explicit.criticality) = (v, true),
                    None => ctx.warn(
                        table.cell_location(&ctx.file, crit.unwrap_or(0)),
                        format!("unknown criticality \"{crit_text}\" (add it under [values.criticality] in {}); using medium", self.label),
                    )?,
                }
            }
            tidy(&mut asset);
            if seen.insert(id.to_lowercase()) {
                ctx.report.assets += 1;
            }
            // A long-format file repeats a device's fields on each of its rows: a record equal
            // to the one before (but for its line) would only be merged into it.
            let previous = mixed.records.last();
            asset.origin = previous.and_then(|r| r.asset.origin);
            let repeats = previous.is_some_and(|r| r.explicit == explicit && r.asset == asset);
            asset.origin = Some(ctx.origin(line));
            if !repeats {
                mixed.records.push(Record { asset, explicit });
            }
            let products = self.split(table.opt_cell(sw));
            let single = products.len() == 1;
            for p in products {
                mixed.software.push(SoftwareRow {
                    host: id.clone(),
                    software: Software {
                        name: ctx.text(p),
                        version: if single {
                            ctx.opt_text(table.opt_cell(version))
                        } else {
                            None
                        },
                        publisher: ctx.opt_text(table.opt_cell(publisher)),
                    },
                    origin: ctx.origin(line),
                    os: None,
                });
                ctx.report.software += 1;
            }
            for t in self.split(table.opt_cell(target)) {
                let text = self.translate("relation_kind", table.opt_cell(rel_kind));
                let kind = if text.is_empty() {
                    RelationKind::Uses
                } else {
                    match relation_kind(text) {
                        Some(k) => k,
                        None => {
                            ctx.warn(
                                table.cell_location(&ctx.file, rel_kind.unwrap_or(0)),
                                format!("unknown relation kind \"{text}\" (add it under [values.relation_kind] in {}); using uses", self.label),
                            )?;
                            RelationKind::Uses
                        }
                    }
                };
                let mut relation = Relation::new(ctx.text(t), kind);
                relation.origin = Some(ctx.origin(line));
                mixed.relations.push(RelationRow {
                    from: id.clone(),
                    relation,
                });
                ctx.report.relations += 1;
            }
        }
        // Rows of one device (long format) are records each; the merger unites them.
        Ok(Content::Mixed(mixed))
    }
}
