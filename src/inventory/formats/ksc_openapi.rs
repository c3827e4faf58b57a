//! Kaspersky Security Center Open API results saved as JSON (KlAkOAPI scripts, `curl` against
//! port 13299): envelopes vary, so every object of the file is looked at (see `ksc_json`).
//!
//! * Products (`InventoryApi.GetHostInvProducts`, items of `KLEVP_EA_PARAM_1`): objects with
//!   `DisplayName` → software (`DisplayVersion`, `Publisher`) of one host: the host object of
//!   the same file when there is exactly one, else the host the file name ends with
//!   (`…GetHostInvProducts_FR-SRV-FS01.json` → `FR-SRV-FS01`, the text after the last `_`),
//!   as scripts that save one file per host name them.
//! * Hosts (`HostGroup.FindHosts` → `ChunkAccessor.GetItemsChunk`, items of
//!   `KLCSP_ITERATOR_ARRAY`): objects with `KLHST_WKS_DN` / `KLHST_WKS_FQDN` → device records
//!   (id = FQDN, else the display name with `KLHST_WKS_DNSDOMAIN`; OS `KLHST_WKS_OS_NAME`),
//!   each managed by the primary Administration Server (as the device list export).
//! * Groups (`id`, `name`, `parentId` / `grp_full_name`) in the same file name the tag of
//!   hosts by their `KLHST_WKS_GROUPID`.
//!
//! `KLHST_WKS_HOSTNAME` is a server-generated id, not a network name, and is not used; nor is
//! the `KLHST_WKS_CTYPE` bitmask (its bit values are not verified): the kind follows the OS.

use super::Probe;
use super::ksc_json::{Fields, first_text, text, unread_products, walk};
use crate::error::{InputError, Location};
use crate::inventory::merge::KSC_PRIMARY;
use crate::inventory::{Content, Explicit, FileCtx, Mixed, Record, RelationRow, SoftwareRow, tidy};
use crate::model::text::clean;
use crate::model::{Asset, AssetKind, Relation, RelationKind, Software};
use std::collections::HashMap;

/// How Open API attributes map to the model.
pub(crate) const COLUMNS: &[(&str, &str)] = &[
    (
        "DisplayName, DisplayVersion, Publisher",
        "software (a product of the host)",
    ),
    (
        "host of the products",
        "the one host object of the file, else the file name's last `_` part",
    ),
    (
        "KLHST_WKS_FQDN, else KLHST_WKS_DN (+ KLHST_WKS_DNSDOMAIN)",
        "id, name",
    ),
    ("KLHST_WKS_OS_NAME", "os"),
    ("KLHST_WKS_GROUPID + groups (id, name)", "tag (group name)"),
    (
        "every host",
        "relation managed-by the primary Administration Server",
    ),
];

const HOST_KEYS: &[&str] = &["KLHST_WKS_DN", "KLHST_WKS_FQDN", "KLHST_WKS_DNSNAME"];

/// JSON that holds KSC host attributes or Open API result envelopes.
pub(crate) fn matches(p: &Probe) -> bool {
    p.json().is_some()
        && (p.text.contains("\"KLHST_WKS_")
            || p.text.contains("\"KLEVP_EA_PARAM_1\"")
            || p.text.contains("\"KLCSP_ITERATOR_ARRAY\"")
            || (p.json().is_some_and(|j| j.has_any(&["PxgRetVal"]))
                && p.text.contains("\"DisplayName\"")))
}

struct Host {
    line: usize,
    id: String,
    name: Option<String>,
    os: String,
    group: Option<String>,
    /// Flagged products named in keys the reader does not read.
    software: Vec<Software>,
}

/// The host keys read ([`host`]); the others are checked for flagged-product names.
const HOST_READ: &[&str] = &[
    "KLHST_WKS_DN",
    "KLHST_WKS_FQDN",
    "KLHST_WKS_DNSNAME",
    "KLHST_WKS_WINHOSTNAME",
    "KLHST_WKS_DNSDOMAIN",
    "KLHST_WKS_OS_NAME",
    "KLHST_WKS_GROUPID",
];

/// Reads hosts, groups and products.
pub(crate) fn read(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    let (mut hosts, mut products, mut groups) = (Vec::new(), Vec::new(), HashMap::new());
    let label = ctx.file.to_string();
    walk(&label, p.text, &mut |line, f: &Fields<'_>| {
        if f.contains_key("DisplayName") {
            ctx.report.rows += 1;
            match text(f, "DisplayName") {
                Some(name) => products.push((line, name, f.clone())),
                None => {
                    *ctx.report
                        .skipped
                        .entry("no software name".into())
                        .or_default() += 1
                }
            }
            return Ok(false);
        }
        if HOST_KEYS.iter().any(|k| f.contains_key(*k)) {
            ctx.report.rows += 1;
            match host(line, f) {
                Some(mut h) => {
                    h.software = unread_products(f, HOST_READ, line, ctx)?;
                    hosts.push(h)
                }
                None => ctx.skip(
                    "missing device name",
                    ctx.line(line),
                    "host has no KLHST_WKS_DN, KLHST_WKS_FQDN or KLHST_WKS_DNSNAME; skipped".into(),
                )?,
            }
            return Ok(false);
        }
        if let (Some(id), Some(name)) = (text(f, "id"), text(f, "name"))
            && (f.contains_key("parentId") || f.contains_key("grp_full_name"))
        {
            groups.insert(id, name);
        }
        Ok(true)
    })?;
    let mut mixed = Mixed::default();
    let owner = match hosts.as_slice() {
        [one] => Some(one.id.clone()),
        _ => None,
    };
    for h in hosts {
        let mut asset = Asset::new(h.id);
        asset.name = h.name.map(crate::model::text::Text::from);
        asset.os = ctx.os(&h.os);
        asset.kind = AssetKind::infer(&asset.os);
        asset.set_tags(
            h.group
                .and_then(|g| groups.get(&g).cloned())
                .map(Into::into),
        );
        asset.software = h.software.into();
        asset.origin = Some(ctx.origin(h.line));
        tidy(&mut asset);
        let mut relation = Relation::new(KSC_PRIMARY, RelationKind::ManagedBy);
        relation.origin = Some(ctx.origin(h.line));
        mixed.relations.push(RelationRow {
            from: asset.id.clone(),
            relation,
        });
        ctx.report.relations += 1;
        ctx.report.assets += 1;
        mixed.records.push(Record {
            asset,
            explicit: Explicit::default(),
        });
    }
    if products.is_empty() {
        return Ok(Content::Mixed(mixed));
    }
    let Some(owner) = owner.or_else(|| host_from_file_name(&ctx.file)) else {
        let message = "the products name no host and neither does the file name (expected \
                       …_HOSTNAME.json, as saved per host)";
        return Err(InputError::new(Location::file(&*ctx.file), message));
    };
    for (line, name, f) in products {
        mixed.software.push(SoftwareRow {
            host: owner.as_str().into(),
            software: Software {
                name: clean(&name).into(),
                version: first_text(&f, &["DisplayVersion"]).map(|v| clean(&v).into()),
                publisher: first_text(&f, &["Publisher"]).map(|v| clean(&v).into()),
            },
            origin: ctx.origin(line),
            os: None,
        });
        ctx.report.software += 1;
    }
    Ok(Content::Mixed(mixed))
}

fn host(line: usize, f: &Fields<'_>) -> Option<Host> {
    let dn = first_text(
        f,
        &["KLHST_WKS_DN", "KLHST_WKS_DNSNAME", "KLHST_WKS_WINHOSTNAME"],
    );
    let domain = text(f, "KLHST_WKS_DNSDOMAIN").filter(|d| !d.contains(' '));
    let id = match (text(f, "KLHST_WKS_FQDN"), &dn, domain) {
        (Some(fqdn), _, _) => fqdn,
        (None, Some(dn), Some(domain)) if !dn.contains(['.', ' ']) => format!("{dn}.{domain}"),
        (None, Some(dn), _) => dn.clone(),
        (None, None, _) => return None,
    };
    Some(Host {
        line,
        name: dn.filter(|d| !d.eq_ignore_ascii_case(&id)),
        id,
        os: text(f, "KLHST_WKS_OS_NAME").unwrap_or_default(),
        group: text(f, "KLHST_WKS_GROUPID"),
        software: Vec::new(),
    })
}

/// `…GetHostInvProducts_FR-SRV-FS01.json` → `FR-SRV-FS01`: the file stem after its last `_`.
fn host_from_file_name(label: &str) -> Option<String> {
    let stem = std::path::Path::new(label).file_stem()?.to_str()?;
    let host = stem.rsplit('_').next()?.trim();
    (!host.is_empty()).then(|| clean(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_name_names_the_host() {
        assert_eq!(
            host_from_file_name("/x/ksc_openapi_InventoryApi.GetHostInvProducts_FR-SRV-FS01.json")
                .as_deref(),
            Some("FR-SRV-FS01")
        );
        assert_eq!(host_from_file_name("fs01.json").as_deref(), Some("fs01"));
        assert_eq!(host_from_file_name("x_.json"), None);
    }
}
