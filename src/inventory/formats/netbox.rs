//! NetBox "Export → Current view / All data" CSV of devices (`netbox-devices`) and virtual
//! machines (`netbox-vms`): Python `csv.writer` (minimal quoting, CRLF, UTF-8), delimiter per
//! user preference (comma, semicolon, pipe or tab), headers = the table's column names.
//!
//! NetBox has no software inventory; a custom field naming the antivirus product (e.g.
//! `Endpoint-Schutz`, see [`super::cmdb::AV_FIELDS`]) becomes a software entry.
//!
//! Relations: a device with a `Parent Device` `runs-on` it (a blade in its chassis); a VM
//! `runs-on` its `Device` (the host it is pinned to) when given, else its `Cluster`. A cluster
//! becomes an asset of its own (kind hypervisor, tag `cluster`), and every device that names
//! it as its `Cluster` is a host the cluster `runs-on`: so a VM relies on each host it can be
//! moved to, and the analysis finds no dangling references.

use super::Probe;
use super::cmdb::{
    RecordBuilder, av_columns, av_software, csv_head, kind_from_text, open, required,
};
use crate::error::InputError;
use crate::inventory::csv_generic::next_data_row;
use crate::inventory::{Content, FileCtx, Mixed, RelationRow};
use crate::model::text::clean;
use crate::model::{AssetKind, Relation, RelationKind};
use std::collections::HashSet;

/// How device columns map to the model.
pub(crate) const DEVICE_COLUMNS: &[(&str, &str)] = &[
    ("Name", "id (unnamed devices are skipped and counted)"),
    (
        "Role (Device Role), else Type (Device Type)",
        "kind (Hypervisor, Server, Firewall, Core Switch → appliance …; else from the platform)",
    ),
    ("Platform", "os"),
    ("Site", "site"),
    ("Tags", "tags (comma-separated)"),
    ("Parent Device", "runs-on the parent"),
    (
        "Cluster",
        "the cluster (an asset of kind hypervisor) runs-on this device",
    ),
    (
        "Antivirus / Virenschutz / Endpoint-Schutz … (custom field)",
        "software",
    ),
    (
        "Status, Tenant, Location, Rack, Manufacturer, IP Address …",
        "ignored (the tenant names the organisation, not an owner)",
    ),
];

/// How virtual-machine columns map to the model.
pub(crate) const VM_COLUMNS: &[(&str, &str)] = &[
    ("Name", "id"),
    (
        "Role",
        "kind when it names an appliance (Mail Gateway, Firewall …); else vm",
    ),
    ("Platform", "os"),
    ("Site", "site"),
    ("Tags", "tags (comma-separated)"),
    (
        "Device, else Cluster",
        "runs-on the host device, else the cluster (an asset of kind hypervisor)",
    ),
    (
        "Antivirus / Virenschutz / Endpoint-Schutz … (custom field)",
        "software",
    ),
    (
        "Status, Tenant, VCPUs, Memory, Disk, IP Address …",
        "ignored",
    ),
];

const NAME: &[&str] = &["Name"];
const ROLE: &[&str] = &["Role", "Device Role"];
const TYPE: &[&str] = &["Type", "Device Type"];
const PLATFORM: &[&str] = &["Platform"];
const SITE: &[&str] = &["Site"];
const TAGS: &[&str] = &["Tags"];
const PARENT: &[&str] = &["Parent Device", "Parent"];
const CLUSTER: &[&str] = &["Cluster"];
const HOST: &[&str] = &["Device"];

/// Devices: `Name`, `Status`, `Site` and a rack or device-type column, no VM resources.
pub(crate) fn devices_matches(p: &Probe) -> bool {
    p.csv().is_some_and(|h| {
        h.has_all(&["Name", "Status", "Site"])
            && (h.has("Rack") || h.has("Device Type") || h.has_all(&["Manufacturer", "Type"]))
            && !h.has("VCPUs")
    })
}

/// Virtual machines: `Name`, `Status`, `Cluster` and a VM resource or host column, no rack.
pub(crate) fn vms_matches(p: &Probe) -> bool {
    p.csv().is_some_and(|h| {
        h.has_all(&["Name", "Status", "Cluster"])
            && h.find(&["VCPUs", "Memory", "Disk", "Device", "Virtual Disks"])
                .is_some()
            && !h.has("Rack")
            && !h.has("Manufacturer")
    })
}

/// Which NetBox table an export holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Table {
    Devices,
    Vms,
}

/// Reads a device export.
pub(crate) fn read_devices(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    read(p, ctx, Table::Devices)
}

/// Reads a virtual-machine export.
pub(crate) fn read_vms(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    read(p, ctx, Table::Vms)
}

fn read(p: &Probe, ctx: &mut FileCtx<'_>, which: Table) -> Result<Content, InputError> {
    let head = csv_head(p, ctx, "NetBox")?;
    let name = required(head, ctx, NAME, "NetBox")?;
    let col = |names: &[&str]| head.find(names);
    let (role, kind, platform, site) = (col(ROLE), col(TYPE), col(PLATFORM), col(SITE));
    let (tags, parent, cluster, host) = (col(TAGS), col(PARENT), col(CLUSTER), col(HOST));
    let (av, av_version) = av_columns(head);
    let mut table = open(p.text, ctx)?;
    let mut mixed = Mixed::default();
    let mut clusters: HashSet<String> = HashSet::new();
    let mut unnamed: Option<(usize, usize)> = None;
    while next_data_row(&mut table, ctx)? {
        let line = table.line();
        let cell = |c: Option<usize>| clean(table.opt_cell(c));
        let id = cell(Some(name));
        if id.is_empty() {
            let (n, first) = unnamed.unwrap_or((0, line));
            unnamed = Some((n + 1, first));
            continue;
        }
        let mut b = RecordBuilder::new(ctx, &id, line);
        b.os(ctx, &cell(platform));
        b.site(&cell(site));
        let role_text = cell(role);
        match which {
            Table::Devices => b.kind(&[&role_text, &cell(kind)]),
            Table::Vms => match kind_from_text(&role_text) {
                Some(k)
                    if !matches!(
                        k,
                        AssetKind::Server | AssetKind::Workstation | AssetKind::Hypervisor
                    ) =>
                {
                    b.set_kind(k)
                }
                _ => b.set_kind(AssetKind::Vm),
            },
        }
        b.asset.set_tags(
            cell(tags)
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(Into::into),
        );
        if let Some(s) = av_software(&cell(av), &cell(av_version)) {
            b.asset.software.push(s);
            ctx.report.software += 1;
        }
        // A "cluster" named like the device itself says nothing more.
        let cluster_name = Some(cell(cluster))
            .filter(|c| !c.eq_ignore_ascii_case(&id))
            .unwrap_or_default();
        let mut relate = |from: &str, to: &str| {
            let mut relation = Relation::new(to, RelationKind::RunsOn);
            relation.origin = Some(ctx.origin(line));
            mixed.relations.push(RelationRow {
                from: from.into(),
                relation,
            });
            ctx.report.relations += 1;
        };
        match which {
            Table::Devices => {
                let parent = cell(parent);
                if !parent.is_empty() {
                    relate(&id, &parent);
                }
                if !cluster_name.is_empty() {
                    relate(&cluster_name, &id);
                }
            }
            Table::Vms => {
                let host = cell(host);
                if !host.is_empty() {
                    relate(&id, &host);
                } else if !cluster_name.is_empty() {
                    relate(&id, &cluster_name);
                }
            }
        }
        ctx.report.assets += 1;
        mixed.records.push(b.finish());
        if !cluster_name.is_empty() && clusters.insert(cluster_name.to_lowercase()) {
            let mut c = RecordBuilder::new(ctx, &cluster_name, line);
            c.set_kind(AssetKind::Hypervisor);
            c.asset.add_tag("cluster");
            ctx.report.assets += 1;
            mixed.records.push(c.finish());
        }
    }
    if let Some((n, first)) = unnamed {
        *ctx.report.skipped.entry("unnamed".into()).or_default() += n;
        let what = if which == Table::Devices {
            "device"
        } else {
            "VM"
        };
        let message = format!(
            "{n} {what}{} without a name skipped (the first at line {first})",
            if n == 1 { "" } else { "s" }
        );
        ctx.warn(ctx.line(first), message)?;
    }
    Ok(Content::Mixed(mixed))
}
