//! Which of two values of a field a merge keeps: the richer one, unless they disagree.

use super::same_text;
use crate::model::inventory::short_name;
use crate::model::{Asset, Os, OsFamily};

/// Which of two values of a field to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pick {
    /// The value already there.
    Keep,
    /// The new, richer value (e.g. the FQDN for a short name, "Windows 11 23H2" for "Windows 11").
    Take,
    /// Different values: keep the first and report it.
    Conflict,
}

/// Text values: equal (case-insensitively), one containing the other (the longer is richer),
/// or in conflict.
pub(crate) fn pick_text(a: &str, b: &str) -> Pick {
    let (fa, fb) = (fold(a), fold(b));
    if fa == fb || fa.contains(&fb) {
        Pick::Keep
    } else if fb.contains(&fa) {
        Pick::Take
    } else {
        Pick::Conflict
    }
}

/// Operating systems: the one that says more wins, unless they disagree.
pub(crate) fn pick_os(a: &Os, b: &Os) -> Pick {
    if same_text(&a.raw, &b.raw) || b.family == OsFamily::Unknown {
        Pick::Keep
    } else if a.family == OsFamily::Unknown {
        Pick::Take
    } else if !same_os(a, b) {
        Pick::Conflict
    } else if detail(b) > detail(a) {
        Pick::Take
    } else {
        Pick::Keep
    }
}

/// Names: the FQDN of a short name says more; other differences are conflicts.
pub(crate) fn pick_name(a: &str, b: &str) -> Pick {
    if same_text(a, b) {
        Pick::Keep
    } else if same_host(a, b) {
        if b.len() > a.len() {
            Pick::Take
        } else {
            Pick::Keep
        }
    } else {
        Pick::Conflict
    }
}

/// A host's short name and its FQDN ("FR-WS-0142" and "fr-ws-0142.mueller-mb.local"), as
/// device exports of different tools write the same machine.
pub(crate) fn same_host(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    short_name(&a).is_some_and(|s| s == b) || short_name(&b).is_some_and(|s| s == a)
}

/// The same OS written differently by different tools ("Microsoft Windows 11 Pro 23H2",
/// "Windows 11 Version 23H2", "Windows 10.0.22631"; "macOS 14 Sonoma", "macOS 14.3.1"): same
/// known family, and version, feature update and distribution equal wherever both name one
/// (a version may refine the other: "22.04" and "22.04.4").
pub(crate) fn same_os(a: &Os, b: &Os) -> bool {
    let fits =
        |x: &Option<crate::model::text::Text>, y: &Option<crate::model::text::Text>| match (x, y) {
            (Some(x), Some(y)) => same_text(x, y),
            _ => true,
        };
    let refines = |x: &str, y: &str| {
        y.strip_prefix(x)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    };
    let versions = match (&a.version, &b.version) {
        (Some(x), Some(y)) => refines(x, y) || refines(y, x),
        _ => true,
    };
    a.family == b.family
        && a.family != OsFamily::Unknown
        && versions
        && fits(&a.feature_update, &b.feature_update)
        && fits(&a.distro, &b.distro)
}

/// How much an OS text says: version, feature update, distribution, then the version's length.
pub(crate) fn detail(os: &Os) -> (usize, usize) {
    let known = [&os.version, &os.feature_update, &os.distro]
        .iter()
        .filter(|f| f.is_some())
        .count();
    (known, os.version.as_deref().map_or(0, str::len))
}

/// Names as compared when merging: case-insensitively.
pub(super) fn fold(text: &str) -> String {
    super::folded(text).collect()
}

/// When `reference` (an FQDN) matched `asset` only by its short name: another FQDN the asset
/// is known by (its id, its name, or `merged`, an FQDN merged into it before). Two different
/// FQDNs are two machines, so such a match is refused.
pub(crate) fn other_fqdn(reference: &str, asset: &Asset, merged: Option<&str>) -> Option<String> {
    let reference = reference.to_lowercase();
    let is_fqdn = |f: &str| short_name(f).is_some() && !f.contains(char::is_whitespace);
    if !is_fqdn(&reference) {
        return None;
    }
    let name = asset.name.as_deref().map(str::to_lowercase);
    let known = [
        Some(asset.id.as_str().to_lowercase()),
        name,
        merged.map(str::to_lowercase),
    ];
    if known.iter().flatten().any(|k| *k == reference) {
        return None;
    }
    known.into_iter().flatten().find(|k| is_fqdn(k))
}
