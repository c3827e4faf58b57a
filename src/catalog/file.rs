//! Reading catalogue files: the TOML shape (see the header of `assets/vendors.toml`), checked
//! strictly, with every problem reported as `file:line:col`.

use super::types::Detect;
use super::types::{
    Arch, Bound, CoexistMode, Coexistence, Eol, Management, ManagementKind, NoteRule, Offline,
    OfflineSupport, Platform, Product, ProductType, Provenance, Removal, RoleFact, Status, Vendor,
};
use super::{Capability, Catalog};
use crate::error::{InputError, Location};
use crate::model::{AssetKind, OsFamily};
use serde::Deserialize;
use std::collections::HashSet;
use std::ops::Range;
use toml::Spanned;

/// Whether a user catalogue adds to the built-in one or stands alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Adds vendors and products; an entry with a built-in id replaces the built-in entry.
    #[default]
    Extend,
    /// Replaces the built-in catalogue entirely.
    Replace,
}

/// What one file holds, checked.
pub(crate) struct Parsed {
    pub mode: Mode,
    pub vendors: Vec<Vendor>,
    pub products: Vec<Product>,
    pub notes: Vec<NoteRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    schema_version: Option<Spanned<i64>>,
    mode: Option<Mode>,
    #[serde(default)]
    vendor: Vec<RawVendor>,
    #[serde(default)]
    product: Vec<RawProduct>,
    #[serde(default)]
    note: Vec<RawNote>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVendor {
    id: Spanned<String>,
    name: String,
    hq: Option<String>,
    note: Option<String>,
    source: Spanned<String>,
    verified: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProduct {
    id: Spanned<String>,
    vendor: Spanned<String>,
    name: String,
    #[serde(rename = "type", default)]
    kind: ProductType,
    summary: Option<String>,
    eol: Option<Eol>,
    source: Spanned<String>,
    verified: bool,
    #[serde(default)]
    platform: Vec<RawPlatform>,
    #[serde(default)]
    role: Vec<RawRole>,
    management: Option<RawManagement>,
    offline: Option<RawOffline>,
    coexistence: Option<RawCoexistence>,
    removal: Option<RawRemoval>,
    #[serde(default)]
    note: Vec<RawNote>,
    detect: Option<RawDetect>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDetect {
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    packages: Vec<String>,
    #[serde(default)]
    onboarding: Vec<String>,
    #[serde(default)]
    builtin: Vec<RawBuiltin>,
    source: Spanned<String>,
    verified: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBuiltin {
    family: OsFamily,
    min: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlatform {
    family: Spanned<OsFamily>,
    #[serde(default)]
    distros: Vec<Spanned<String>>,
    min: Option<Spanned<String>>,
    max: Option<Spanned<String>>,
    recent: Option<Spanned<u32>>,
    arch: Option<Arch>,
    eol: Option<Eol>,
    status: Status,
    note: Option<String>,
    source: Spanned<String>,
    verified: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    role: Spanned<Capability>,
    status: Status,
    #[serde(default)]
    remote: bool,
    #[serde(default, rename = "file-level")]
    file_level: bool,
    note: Option<String>,
    source: Spanned<String>,
    verified: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManagement {
    #[serde(default)]
    kinds: Vec<ManagementKind>,
    note: Option<String>,
    source: Spanned<String>,
    verified: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffline {
    support: OfflineSupport,
    how: Option<String>,
    source: Spanned<String>,
    verified: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCoexistence {
    mode: CoexistMode,
    note: Option<String>,
    source: Spanned<String>,
    verified: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRemoval {
    available: bool,
    note: Option<String>,
    source: Spanned<String>,
    verified: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNote {
    text: Spanned<String>,
    #[serde(default)]
    families: Vec<OsFamily>,
    #[serde(default)]
    distros: Vec<Spanned<String>>,
    min: Option<Spanned<String>>,
    max: Option<Spanned<String>>,
    #[serde(default)]
    kinds: Vec<AssetKind>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    products: Vec<Spanned<String>>,
    #[serde(default)]
    vendors: Vec<Spanned<String>>,
    source: Spanned<String>,
    verified: bool,
}

/// Reads and checks one catalogue file. An `extend` file may refer to the vendors and
/// products of `base`, the catalogue it will extend.
pub(crate) fn parse(text: &str, path: &str, base: Option<&Catalog>) -> Result<Parsed, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let cx = Cx { text, path };
    let raw: RawFile = toml::from_str(text).map_err(|e| match e.span() {
        Some(span) => cx.err(&span, e.message().trim()),
        None => InputError::new(Location::file(path), e.message().trim()),
    })?;
    if let Some(v) = &raw.schema_version
        && *v.get_ref() != 1
    {
        return Err(cx.err(&v.span(), "unsupported schema_version (expected 1)"));
    }
    let mode = raw.mode.unwrap_or_default();
    let base = base.filter(|_| mode == Mode::Extend);
    let base_vendor = |id: &str| base.is_some_and(|b| b.vendor(id).is_some());
    let base_product = |id: &str| base.is_some_and(|b| b.product(id).is_some());

    let mut vendor_ids = HashSet::new();
    let mut vendors = Vec::with_capacity(raw.vendor.len());
    for v in raw.vendor {
        cx.check_id(&v.id)?;
        if !vendor_ids.insert(v.id.get_ref().clone()) {
            return Err(cx.err(&v.id.span(), format!("duplicate vendor id \"{}\"", v.id)));
        }
        vendors.push(Vendor {
            id: v.id.into_inner(),
            name: v.name,
            hq: v.hq,
            note: v.note,
            provenance: cx.provenance(v.source, v.verified)?,
        });
    }
    let vendor_known = |id: &str| vendor_ids.contains(id) || base_vendor(id);

    let mut product_ids = HashSet::new();
    let mut products = Vec::with_capacity(raw.product.len());
    for p in raw.product {
        cx.check_id(&p.id)?;
        if !product_ids.insert(p.id.get_ref().clone()) {
            return Err(cx.err(&p.id.span(), format!("duplicate product id \"{}\"", p.id)));
        }
        if !vendor_known(p.vendor.get_ref()) {
            return Err(cx.err(
                &p.vendor.span(),
                format!(
                    "unknown vendor \"{}\" (define it in a [[vendor]] table)",
                    p.vendor
                ),
            ));
        }
        products.push(cx.product(p)?);
    }

    let mut notes = Vec::with_capacity(raw.note.len());
    for n in raw.note {
        for v in &n.vendors {
            if !vendor_known(v.get_ref()) {
                return Err(cx.err(&v.span(), format!("unknown vendor \"{v}\"")));
            }
        }
        for p in &n.products {
            if !product_ids.contains(p.get_ref()) && !base_product(p.get_ref()) {
                return Err(cx.err(&p.span(), format!("unknown product \"{p}\"")));
            }
        }
        notes.push(cx.note(n)?);
    }
    Ok(Parsed {
        mode,
        vendors,
        products,
        notes,
    })
}

struct Cx<'a> {
    text: &'a str,
    path: &'a str,
}

impl Cx<'_> {
    fn err(&self, span: &Range<usize>, message: impl Into<String>) -> InputError {
        let offset = span.start.min(self.text.len());
        let before = self.text.get(..offset).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        InputError::new(Location::at(self.path, line, column), message)
    }

    fn check_id(&self, id: &Spanned<String>) -> Result<(), InputError> {
        let ok = !id.get_ref().is_empty()
            && id
                .get_ref()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if ok {
            Ok(())
        } else {
            Err(self.err(
                &id.span(),
                format!("invalid id \"{id}\" (use lower-case letters, digits and '-')"),
            ))
        }
    }

    fn provenance(
        &self,
        source: Spanned<String>,
        verified: bool,
    ) -> Result<Provenance, InputError> {
        if source.get_ref().trim().is_empty() {
            return Err(self.err(&source.span(), "empty source: every fact needs one"));
        }
        Ok(Provenance {
            source: source.into_inner().trim().to_string(),
            verified,
        })
    }

    fn bound(&self, text: &Option<Spanned<String>>) -> Result<Option<Bound>, InputError> {
        match text {
            None => Ok(None),
            Some(t) => Bound::parse(t.get_ref()).map(Some).ok_or_else(|| {
                self.err(
                    &t.span(),
                    format!("invalid version \"{t}\" (no number in it)"),
                )
            }),
        }
    }

    fn range(
        &self,
        min: &Option<Spanned<String>>,
        max: &Option<Spanned<String>>,
    ) -> Result<(Option<Bound>, Option<Bound>), InputError> {
        let (lo, hi) = (self.bound(min)?, self.bound(max)?);
        if let (Some(lo), Some(hi), Some(max)) = (&lo, &hi, max)
            && !hi.admits_as_max(&lo.key)
        {
            return Err(self.err(&max.span(), "max is lower than min"));
        }
        Ok((lo, hi))
    }

    fn distros(&self, distros: Vec<Spanned<String>>) -> Result<Vec<String>, InputError> {
        distros
            .into_iter()
            .map(|d| {
                let id = d.get_ref().trim().to_ascii_lowercase();
                if crate::model::Distro::from_id(&id).is_some() {
                    Ok(id)
                } else {
                    Err(self.err(
                        &d.span(),
                        format!(
                            "unknown distribution \"{d}\" (expected one of {})",
                            crate::model::Distro::ids()
                        ),
                    ))
                }
            })
            .collect()
    }

    fn product(&self, p: RawProduct) -> Result<Product, InputError> {
        let mut platforms = Vec::with_capacity(p.platform.len());
        for pl in p.platform {
            let (min_bound, max_bound) = self.range(&pl.min, &pl.max)?;
            if !pl.distros.is_empty() && *pl.family.get_ref() != OsFamily::Linux {
                return Err(self.err(&pl.family.span(), "distros are only for family \"linux\""));
            }
            if let Some(n) = &pl.recent {
                let why = if !super::releases::has_calendar(*pl.family.get_ref()) {
                    Some("recent needs a release calendar, which only family \"macos\" has")
                } else if *n.get_ref() == 0 {
                    Some("recent must be at least 1")
                } else if pl.min.is_some() {
                    Some("recent replaces min: give one of them")
                } else {
                    None
                };
                if let Some(why) = why {
                    return Err(self.err(&n.span(), why));
                }
            }
            platforms.push(Platform {
                family: pl.family.into_inner(),
                distros: self.distros(pl.distros)?,
                min: pl.min.map(|s| s.into_inner().trim().to_string()),
                max: pl.max.map(|s| s.into_inner().trim().to_string()),
                recent: pl.recent.map(|n| n.into_inner()),
                arch: pl.arch,
                eol: pl.eol,
                status: pl.status,
                note: pl.note,
                provenance: self.provenance(pl.source, pl.verified)?,
                min_bound,
                max_bound,
            });
        }
        let mut roles: Vec<RoleFact> = Vec::with_capacity(p.role.len());
        for r in p.role {
            if r.role.get_ref().role().is_none() {
                return Err(self.err(
                    &r.role.span(),
                    "air-gapped is not a role: offline updates go in the `[product.offline]` table",
                ));
            }
            if roles.iter().any(|have| have.role == *r.role.get_ref()) {
                return Err(self.err(&r.role.span(), "role listed twice for this product"));
            }
            roles.push(RoleFact {
                role: r.role.into_inner(),
                status: r.status,
                remote: r.remote,
                file_level: r.file_level,
                note: r.note,
                provenance: self.provenance(r.source, r.verified)?,
            });
        }
        let mut notes = Vec::with_capacity(p.note.len());
        for n in p.note {
            if let Some(first) = n.products.first().or(n.vendors.first()) {
                return Err(self.err(
                    &first.span(),
                    "products/vendors filters are only for catalogue-wide [[note]] tables",
                ));
            }
            notes.push(self.note(n)?);
        }
        Ok(Product {
            id: p.id.into_inner(),
            vendor: p.vendor.into_inner(),
            name: p.name,
            kind: p.kind,
            summary: p.summary,
            eol: p.eol,
            provenance: self.provenance(p.source, p.verified)?,
            platforms,
            roles,
            management: p
                .management
                .map(|m| {
                    Ok::<_, InputError>(Management {
                        kinds: m.kinds,
                        note: m.note,
                        provenance: self.provenance(m.source, m.verified)?,
                    })
                })
                .transpose()?,
            offline: p
                .offline
                .map(|o| {
                    Ok::<_, InputError>(Offline {
                        support: o.support,
                        how: o.how,
                        provenance: self.provenance(o.source, o.verified)?,
                    })
                })
                .transpose()?,
            coexistence: p
                .coexistence
                .map(|c| {
                    Ok::<_, InputError>(Coexistence {
                        mode: c.mode,
                        note: c.note,
                        provenance: self.provenance(c.source, c.verified)?,
                    })
                })
                .transpose()?,
            removal: p
                .removal
                .map(|r| {
                    Ok::<_, InputError>(Removal {
                        available: r.available,
                        note: r.note,
                        provenance: self.provenance(r.source, r.verified)?,
                    })
                })
                .transpose()?,
            notes,
            detect: match p.detect {
                Some(d) => Detect {
                    names: d
                        .names
                        .into_iter()
                        .filter(|n| !n.trim().is_empty())
                        .collect(),
                    packages: d.packages,
                    onboarding: d.onboarding,
                    builtin: d.builtin.into_iter().map(|b| (b.family, b.min)).collect(),
                    provenance: Some(self.provenance(d.source, d.verified)?),
                },
                None => Detect::default(),
            },
            shared_notes: Vec::new(),
        })
    }

    fn note(&self, n: RawNote) -> Result<NoteRule, InputError> {
        if n.text.get_ref().trim().is_empty() {
            return Err(self.err(&n.text.span(), "empty note text"));
        }
        let (min_bound, max_bound) = self.range(&n.min, &n.max)?;
        Ok(NoteRule {
            text: n.text.into_inner().trim().to_string(),
            families: n.families,
            distros: self.distros(n.distros)?,
            min: n.min.map(|s| s.into_inner().trim().to_string()),
            max: n.max.map(|s| s.into_inner().trim().to_string()),
            kinds: n.kinds,
            tags: n.tags,
            products: n.products.into_iter().map(Spanned::into_inner).collect(),
            vendors: n.vendors.into_iter().map(Spanned::into_inner).collect(),
            provenance: self.provenance(n.source, n.verified)?,
            min_bound,
            max_bound,
        })
    }
}
