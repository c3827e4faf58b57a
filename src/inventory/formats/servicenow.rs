//! ServiceNow CMDB list exports (CSV, the defaults: header = field *names*, values = display
//! values, so references such as `parent`, `child`, `installed_on`, `assigned_to` and
//! `location` hold display names, not sys_ids):
//!
//! * `servicenow-ci`: `cmdb_ci_computer`, `cmdb_ci_server` and their subclasses, one CI per row;
//! * `servicenow-rel`: `cmdb_rel_ci`, one relationship per row (`parent, type, child`);
//! * `servicenow-software`: `cmdb_sam_sw_install`, one installed product per row.
//!
//! CIs are found by their `fqdn` (the id when given) or their `name`; relationship and
//! software rows name CIs by display name, which the merge resolves against both.

use super::Probe;
use super::cmdb::{RecordBuilder, csv_head, open, os_with_version, required};
use crate::error::InputError;
use crate::inventory::chunked::Chunked;
use crate::inventory::csv_generic::next_data_row;
use crate::inventory::fingerprint::Fingerprints;
use crate::inventory::{
    Content, FileCtx, Mixed, Record, RelationRow, SoftwareRow, folded, relation_kind, same_text,
};
use crate::model::text::clean;
use crate::model::{AssetKind, Origin, Relation, RelationKind, Software};
use ecow::EcoString;
use foldhash::fast::FixedState;
use hashbrown::HashTable;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

/// How `cmdb_ci_computer` / `cmdb_ci_server` columns map to the model.
pub(crate) const CI_COLUMNS: &[(&str, &str)] = &[
    ("fqdn", "id (when given; else name)"),
    ("name", "id (without fqdn), name"),
    (
        "sys_class_name",
        "kind (Computer → workstation, Windows/Linux Server → server, Virtual Machine \
         Instance → vm, ESX Server → hypervisor …; other classes: from the OS)",
    ),
    ("virtual", "true makes a server a vm"),
    ("os, os_version", "os"),
    ("location", "site"),
    ("assigned_to", "owner"),
    ("used_for, classification", "tags"),
    (
        "install_status, operational_status, ip_address, serial_number, short_description …",
        "ignored (retired CIs are imported too: filter the list before exporting)",
    ),
];

/// How `cmdb_rel_ci` columns map to the model.
pub(crate) const REL_COLUMNS: &[(&str, &str)] = &[
    ("parent", "one end (by display name)"),
    ("child", "the other end (by display name)"),
    (
        "type",
        "kind and direction: Depends on::Used by, Connects to::Connected by, Contains::\
         Contained by, Members::Member of → parent uses child; Runs on::Runs, Hosted on::Hosts \
         → parent runs-on child; Managed by::Manages → managed-by; Sends data to::Receives \
         data from → reports-to; the reverse pairs point from child to parent; others → uses",
    ),
];

/// How `cmdb_sam_sw_install` columns map to the model.
pub(crate) const SOFTWARE_COLUMNS: &[(&str, &str)] = &[
    ("installed_on", "asset (by display name)"),
    ("display_name (or norm_product)", "software name"),
    ("version (or norm_version)", "software version"),
    ("publisher (or norm_publisher)", "software publisher"),
];

/// A CI list: a `name` column and ServiceNow's `sys_…` system fields.
pub(crate) fn ci_matches(p: &Probe) -> bool {
    p.csv().is_some_and(|h| {
        h.has("name")
            && h.headers
                .iter()
                .any(|x| x.to_ascii_lowercase().starts_with("sys_"))
            && !h.has("installed_on")
            && !h.has_all(&["parent", "child"])
    })
}

/// `cmdb_rel_ci`: `parent`, `type` and `child`.
pub(crate) fn rel_matches(p: &Probe) -> bool {
    p.csv()
        .is_some_and(|h| h.has_all(&["parent", "type", "child"]))
}

/// `cmdb_sam_sw_install`: `installed_on` and a product name column.
pub(crate) fn software_matches(p: &Probe) -> bool {
    p.csv().is_some_and(|h| {
        h.has("installed_on") && h.find(&["display_name", "norm_product"]).is_some()
    })
}

/// Relationship types by the descriptor before `::` (the parent's role): the kind of the
/// dependency and whether the *child* is the dependent (a reverse pair such as
/// `Used by::Depends on`). An edge points from the dependent to the provider.
///
/// | type                                  | edge                          |
/// |---------------------------------------|-------------------------------|
/// | `Depends on::Used by`, `Uses::Used by`| parent `uses` child           |
/// | `Runs on::Runs`                       | parent `runs-on` child        |
/// | `Hosted on::Hosts`                    | parent `runs-on` child        |
/// | `Virtualized by::Virtualizes`         | parent `runs-on` child        |
/// | `Managed by::Manages`                 | parent `managed-by` child     |
/// | `Connects to::Connected by`           | parent `uses` child           |
/// | `Contains::Contained by`              | parent `uses` child (a whole relies on its parts: a service on its servers, a cluster on its nodes) |
/// | `Members::Member of`                  | parent `uses` child (a group relies on its members) |
/// | `Sends data to::Receives data from`   | parent `reports-to` child     |
/// | `Stored on::Provides storage for`, `Backed up by::Backs up`, `Powered by::Powers` | parent `uses` child |
/// | `Protected by::Protects`              | parent `scanned-by` child     |
/// | the same pairs written the other way round (`Used by::Depends on`, `Runs::Runs on` …) | child → parent |
/// | anything else                         | parent `uses` child (no warning: CMDBs define their own types) |
const RELATION_TYPES: &[(&str, RelationKind, bool)] = &[
    ("depends on", RelationKind::Uses, false),
    ("uses", RelationKind::Uses, false),
    ("used by", RelationKind::Uses, true),
    ("runs on", RelationKind::RunsOn, false),
    ("runs", RelationKind::RunsOn, true),
    ("hosted on", RelationKind::RunsOn, false),
    ("hosts", RelationKind::RunsOn, true),
    ("virtualized by", RelationKind::RunsOn, false),
    ("virtualizes", RelationKind::RunsOn, true),
    ("managed by", RelationKind::ManagedBy, false),
    ("manages", RelationKind::ManagedBy, true),
    ("connects to", RelationKind::Uses, false),
    ("connected by", RelationKind::Uses, true),
    ("contains", RelationKind::Uses, false),
    ("contained by", RelationKind::Uses, true),
    ("members", RelationKind::Uses, false),
    ("member of", RelationKind::Uses, true),
    ("sends data to", RelationKind::ReportsTo, false),
    ("receives data from", RelationKind::ReportsTo, true),
    ("stored on", RelationKind::Uses, false),
    ("provides storage for", RelationKind::Uses, true),
    ("backed up by", RelationKind::Uses, false),
    ("backs up", RelationKind::Uses, true),
    ("powered by", RelationKind::Uses, false),
    ("powers", RelationKind::Uses, true),
    ("protected by", RelationKind::ScannedBy, false),
    ("protects", RelationKind::ScannedBy, true),
];

/// The kind of a relationship type and whether the child is the dependent.
pub(crate) fn relation_type(text: &str) -> (RelationKind, bool) {
    let parent_role = text.split_once("::").map_or(text, |(p, _)| p);
    let key: Vec<&str> = parent_role.split_whitespace().collect();
    let key = key.join(" ").to_lowercase();
    if let Some(&(_, kind, reversed)) = RELATION_TYPES.iter().find(|(d, _, _)| *d == key) {
        return (kind, reversed);
    }
    (
        relation_kind(parent_role).unwrap_or(RelationKind::Uses),
        false,
    )
}

/// Reads a CI list: one device record per row.
pub(crate) fn read_ci(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    let head = csv_head(p, ctx, "ServiceNow CI")?;
    let name = required(head, ctx, &["name"], "ServiceNow CI")?;
    let col = |names: &[&str]| head.find(names);
    let (fqdn, class, virt) = (col(&["fqdn"]), col(&["sys_class_name"]), col(&["virtual"]));
    let (os, os_version) = (col(&["os"]), col(&["os_version"]));
    let (location, assigned) = (col(&["location"]), col(&["assigned_to"]));
    let roles = [col(&["used_for"]), col(&["classification"])];
    let mut table = open(p.text, ctx)?;
    let mut mixed = Mixed::default();
    // Display names seen, with the id and line of the first CI that had each.
    let mut names: HashMap<String, (String, usize)> = HashMap::new();
    while next_data_row(&mut table, ctx)? {
        let line = table.line();
        let (display, fqdn) = (clean(table.cell(name)), clean(table.opt_cell(fqdn)));
        let id = if fqdn.is_empty() { &display } else { &fqdn };
        if id.is_empty() {
            ctx.skip(
                "missing name",
                ctx.line(line),
                "CI has neither a name nor an fqdn; row skipped".into(),
            )?;
            continue;
        }
        if !display.is_empty() {
            let key = display.to_lowercase();
            match names.get(&key) {
                Some((first_id, first_line)) if !same_text(first_id, id) => {
                    let message = format!(
                        "CI name \"{display}\" also names the CI at line {first_line} \
                         (\"{first_id}\"); relationship and software rows that name it cannot \
                         tell the two apart"
                    );
                    ctx.warn(ctx.line(line), message)?;
                }
                Some(_) => {}
                None => {
                    names.insert(key, (id.clone(), line));
                }
            }
        }
        let mut b = RecordBuilder::new(ctx, id, line);
        RecordBuilder::text(&mut b.asset.name, &display);
        let os_text = os_with_version(table.opt_cell(os), table.opt_cell(os_version));
        b.os(ctx, &os_text);
        b.site(table.opt_cell(location));
        b.owner(table.opt_cell(assigned));
        b.kind(&[table.opt_cell(class)]);
        let virtual_ci = table.opt_cell(virt).eq_ignore_ascii_case("true");
        if virtual_ci && (!b.explicit.kind || b.asset.kind == AssetKind::Server) {
            b.set_kind(AssetKind::Vm);
        }
        for col in roles {
            let tag = clean(table.opt_cell(col));
            if !tag.is_empty() && !b.asset.has_tag(&tag) {
                b.asset.add_tag(tag);
            }
        }
        ctx.report.assets += 1;
        mixed.records.push(b.finish());
    }
    Ok(Content::Mixed(mixed))
}

/// Reads `cmdb_rel_ci`: one relation per row, pointing from the dependent to the provider,
/// and one record per CI named at either end ([`ci_kind`]). An application CI that names a
/// flagged product and runs on a host makes that product software of the host (from the
/// relation row), so the host is found running it and the application relies on the host.
pub(crate) fn read_rel(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    let head = csv_head(p, ctx, "ServiceNow relationship")?;
    let parent = required(head, ctx, &["parent"], "cmdb_rel_ci")?;
    let child = required(head, ctx, &["child"], "cmdb_rel_ci")?;
    let kind_col = head.find(&["type"]);
    let mut table = open(p.text, ctx)?;
    let mut mixed = Mixed::default();
    let lines = table.remaining_lines();
    let mut cis = NamedCis::default();
    cis.by_name.reserve(lines, |_| 0);
    // CIs that run on something: applications even without a product name.
    let mut runs_on = Vec::new();
    // Files repeat a handful of relation types: the last one read is reused.
    let mut last_type: (String, (RelationKind, bool)) = (String::new(), relation_type(""));
    while next_data_row(&mut table, ctx)? {
        let line = table.line();
        let (a, b) = (clean(table.cell(parent)), clean(table.cell(child)));
        if a.is_empty() || b.is_empty() {
            let which = if a.is_empty() { "parent" } else { "child" };
            ctx.skip(
                &format!("missing {which}"),
                ctx.line(line),
                format!("relationship has no {which}; row skipped"),
            )?;
            continue;
        }
        let type_text = table.opt_cell(kind_col);
        if type_text != last_type.0 {
            last_type = (type_text.to_owned(), relation_type(type_text));
        }
        let (kind, reversed) = last_type.1;
        let (from, to) = if reversed { (b, a) } else { (a, b) };
        let mut relation = Relation::new(to, kind);
        relation.origin = Some(ctx.origin(line));
        mixed.relations.push(RelationRow {
            from: from.into(),
            relation,
        });
        let row = mixed.relations.len() - 1;
        // CIs in the order first named: the parent before the child.
        let ends = if reversed {
            [End::To, End::From]
        } else {
            [End::From, End::To]
        };
        let [first, second] = ends.map(|end| cis.add(&mixed.relations, row, end));
        let from_ci = if reversed { second } else { first };
        if kind == RelationKind::RunsOn {
            if runs_on.len() <= from_ci {
                runs_on.resize(from_ci + 1, false);
            }
            runs_on[from_ci] = true;
        }
        ctx.report.relations += 1;
    }
    let mut prints = Fingerprints::new();
    let mut flagged = vec![false; cis.len()];
    mixed.named.reserve_exact(cis.len());
    for (ci, &(row, end)) in cis.order.iter().enumerate() {
        let relation = &mixed.relations[row as usize];
        let name = end.name(relation);
        let origin = relation.relation.origin.unwrap_or_else(|| ctx.origin(0));
        let names_product = prints.product(name).is_some();
        let runs = runs_on.get(ci).copied().unwrap_or(false);
        let kind = ci_kind(name, names_product || runs);
        flagged[ci] = names_product && kind == Some(AssetKind::Application);
        ctx.report.assets += 1;
        mixed.named.push(NamedCi {
            id: name.into(),
            origin,
            kind,
        });
    }
    if flagged.contains(&true) {
        for row in mixed.relations.iter() {
            let r = &row.relation;
            if r.kind == RelationKind::RunsOn
                && cis
                    .find(&mixed.relations, &row.from)
                    .is_some_and(|ci| flagged[ci])
            {
                mixed.software.push(SoftwareRow {
                    host: r.target.as_str().into(),
                    software: Software::named(row.from.as_str()),
                    origin: r.origin.unwrap_or_else(|| ctx.origin(0)),
                    os: None,
                });
                ctx.report.software += 1;
            }
        }
    }
    Ok(Content::Mixed(mixed))
}

/// A CI a relationship row only names. Kept small (a file can name a million) and made a
/// [`Record`] one at a time as it is merged.
#[derive(Debug)]
pub(crate) struct NamedCi {
    id: EcoString,
    origin: Origin,
    /// The kind the name tells; else inferred as for any record that states none.
    kind: Option<AssetKind>,
}

impl NamedCi {
    /// The device record of this CI.
    pub(crate) fn record(self) -> Record {
        let mut b = RecordBuilder::at(self.id, self.origin);
        match self.kind {
            Some(kind) => b.set_kind(kind),
            None => b.kind(&[]),
        }
        b.finish()
    }
}

/// One end of a relation row.
#[derive(Debug, Clone, Copy)]
enum End {
    From,
    To,
}

impl End {
    /// The CI this end of `row` names.
    fn name(self, row: &RelationRow) -> &str {
        match self {
            End::From => &row.from,
            End::To => &row.relation.target,
        }
    }
}

/// The CIs a relationship file names, each once (names compared as [`same_text`]), in the
/// order first named. A CI is kept as the row and end that first named it, so that a file of
/// a million names holds no copy of any.
#[derive(Debug, Default)]
struct NamedCis {
    order: Vec<(u32, End)>,
    /// Positions in `order`, by the hash of the lower-cased name.
    by_name: HashTable<u32>,
    hasher: FixedState,
}

impl NamedCis {
    fn len(&self) -> usize {
        self.order.len()
    }

    /// The position of the CI `end` of `rows[row]` names, added when new.
    fn add(&mut self, rows: &Chunked<RelationRow>, row: usize, end: End) -> usize {
        let name = end.name(&rows[row]);
        let (order, hasher) = (&mut self.order, &self.hasher);
        let name_of = |i: u32| name_at(order, rows, i);
        // One probe finds the CI or the place for it.
        let entry = self.by_name.entry(
            folded_hash(hasher, name),
            |&i| same_text(name_of(i), name),
            |&i| folded_hash(hasher, name_of(i)),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(e) => *e.get() as usize,
            hashbrown::hash_table::Entry::Vacant(v) => {
                let i = order.len();
                v.insert(i as u32);
                order.push((row as u32, end));
                i
            }
        }
    }

    /// The position of the CI named `name`, if named.
    fn find(&self, rows: &Chunked<RelationRow>, name: &str) -> Option<usize> {
        let same = |&i: &u32| same_text(name_at(&self.order, rows, i), name);
        let hash = folded_hash(&self.hasher, name);
        self.by_name.find(hash, same).map(|&i| i as usize)
    }
}

/// The name of CI `i` of `order`, read from the row that named it.
fn name_at<'r>(order: &[(u32, End)], rows: &'r Chunked<RelationRow>, i: u32) -> &'r str {
    let (r, e) = order[i as usize];
    e.name(&rows[r as usize])
}

/// The hash of a name lower-cased character by character, as [`same_text`] compares.
fn folded_hash(hasher: &FixedState, name: &str) -> u64 {
    let mut h = hasher.build_hasher();
    for c in folded(name) {
        h.write_u32(c as u32);
    }
    h.finish()
}

/// The kind of a CI that `cmdb_rel_ci` names only by its display name: a host name (letters,
/// digits, `-`, `_`, `.`, no space) is a machine (None: the kind comes from a CI export or the
/// OS); any other name is a logical CI, an application when it runs on something (`runs`) or
/// names a product, else a business service.
pub(crate) fn ci_kind(name: &str, runs: bool) -> Option<AssetKind> {
    let host = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    match (host, runs) {
        (true, _) => None,
        (false, true) => Some(AssetKind::Application),
        (false, false) => Some(AssetKind::Service),
    }
}

/// Reads `cmdb_sam_sw_install`: one software row per installation.
pub(crate) fn read_software(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    let head = csv_head(p, ctx, "ServiceNow software")?;
    let host = required(head, ctx, &["installed_on"], "cmdb_sam_sw_install")?;
    let col = |names: &[&str]| head.find(names);
    let (display, product) = (col(&["display_name"]), col(&["norm_product"]));
    let (version, norm_version) = (col(&["version"]), col(&["norm_version"]));
    let (publisher, norm_publisher) = (col(&["publisher"]), col(&["norm_publisher"]));
    let mut table = open(p.text, ctx)?;
    let mut rows = Chunked::default();
    while next_data_row(&mut table, ctx)? {
        let line = table.line();
        let first = |a: Option<usize>, b: Option<usize>| {
            let text = clean(table.opt_cell(a));
            if text.is_empty() {
                clean(table.opt_cell(b))
            } else {
                text
            }
        };
        let (machine, name) = (clean(table.cell(host)), first(display, product));
        if machine.is_empty() || name.is_empty() {
            let which = if machine.is_empty() {
                "installed_on"
            } else {
                "display_name"
            };
            ctx.skip(
                &format!("missing {which}"),
                ctx.line(line),
                format!("installation has no {which}; row skipped"),
            )?;
            continue;
        }
        let software = Software {
            name: ctx.text(&name),
            version: ctx.opt_text(&first(version, norm_version)),
            publisher: ctx.opt_text(&first(publisher, norm_publisher)),
        };
        rows.push(SoftwareRow {
            host: machine.into(),
            software,
            origin: ctx.origin(line),
            os: None,
        });
        ctx.report.software += 1;
    }
    Ok(Content::Software(rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_kinds_from_display_names() {
        assert_eq!(ci_kind("FR-SRV-KSC01", true), None);
        assert_eq!(ci_kind("fr-srv-01.mueller-mb.local", false), None);
        assert_eq!(
            ci_kind("Kaspersky Security Center", true),
            Some(AssetKind::Application)
        );
        assert_eq!(
            ci_kind("E-Mail (Exchange)", false),
            Some(AssetKind::Service)
        );
    }

    #[test]
    fn relation_types_have_a_kind_and_a_direction() {
        use RelationKind::*;
        assert_eq!(relation_type("Depends on::Used by"), (Uses, false));
        assert_eq!(relation_type("Used by::Depends on"), (Uses, true));
        assert_eq!(relation_type("Runs on::Runs"), (RunsOn, false));
        assert_eq!(relation_type("Runs::Runs on"), (RunsOn, true));
        assert_eq!(relation_type("Hosted on::Hosts"), (RunsOn, false));
        assert_eq!(relation_type("Managed by::Manages"), (ManagedBy, false));
        assert_eq!(relation_type("Manages::Managed by"), (ManagedBy, true));
        assert_eq!(relation_type("Connects to::Connected by"), (Uses, false));
        assert_eq!(relation_type("Contains::Contained by"), (Uses, false));
        assert_eq!(relation_type("Contained by::Contains"), (Uses, true));
        assert_eq!(relation_type("Members::Member of"), (Uses, false));
        assert_eq!(relation_type("Member of::Members"), (Uses, true));
        assert_eq!(
            relation_type("Sends data to::Receives data from"),
            (ReportsTo, false)
        );
        assert_eq!(
            relation_type("Receives data from::Sends data to"),
            (ReportsTo, true)
        );
        assert_eq!(
            relation_type("  managed   BY ::Manages"),
            (ManagedBy, false)
        );
        assert_eq!(relation_type("Cluster of::Cluster"), (Uses, false));
        assert_eq!(relation_type(""), (Uses, false));
        assert_eq!(relation_type("Updates from"), (UpdatesFrom, false));
    }
}
