//! Merging one planned asset: its fields in groups that change together.

use super::Scope;
use super::three::{Report, event_key, pick};
use crate::plan::model::{Event, PlannedAsset};
use std::collections::HashSet;

/// The (asset, field) pairs a side's new events name: the changes a person made there (with
/// `set` or the app). A wave or product that changed without one was placed by `replan`.
#[derive(Default)]
pub(super) struct Recorded {
    ours: HashSet<(String, String)>,
    theirs: HashSet<(String, String)>,
}

impl Recorded {
    /// The pairs of the events each side has and the base lacks.
    pub(super) fn new(base: &[Event], ours: &[Event], theirs: &[Event]) -> Recorded {
        let known: HashSet<_> = base.iter().map(event_key).collect();
        let new = |side: &[Event]| {
            side.iter()
                .filter(|e| !known.contains(&event_key(e)))
                .map(|e| (e.asset.to_lowercase(), e.field.clone()))
                .collect()
        };
        Recorded {
            ours: new(ours),
            theirs: new(theirs),
        }
    }

    /// Whether ours and theirs recorded a change of `id`'s `fields`.
    fn sides(&self, id: &str, fields: &[&str]) -> (bool, bool) {
        let id = id.to_lowercase();
        let has = |set: &HashSet<(String, String)>| {
            fields
                .iter()
                .any(|f| set.contains(&(id.clone(), (*f).to_string())))
        };
        (has(&self.ours), has(&self.theirs))
    }
}

/// Merges an asset both sides have. Fields that one edit sets together are merged as one
/// group (a conflict names the group's first field): the wave (with the `reason` that explains
/// it), the product and coverage (with `product_reason` and `needs_decision`), the status (with
/// its reason, approver and review date), the pin, the note, the decision and the source. The
/// explanations carried with a group come from the side whose group was taken; when neither
/// side changed the group they merge like values, ours winning where both differ (they are
/// text the planner writes, not choices). The protection evidence of two reconciled scans is
/// not a choice either: the later scan's is kept.
///
/// A wave or product both sides changed differently is a conflict only when both recorded the
/// change (an event) or neither did; when only one side did, the person's choice wins over
/// the other side's `replan` placement.
pub(super) fn merge(
    report: &mut Report,
    recorded: &Recorded,
    base: Option<&PlannedAsset>,
    ours: &PlannedAsset,
    theirs: &PlannedAsset,
) -> PlannedAsset {
    let scope = Scope::Asset(ours.id.clone());
    let mut out = ours.clone();

    let key = |a: &PlannedAsset| a.wave.to_lowercase();
    let who = recorded.sides(&ours.id, &["wave"]);
    match side(
        report,
        &scope,
        "wave",
        who,
        base,
        ours,
        theirs,
        |a| key(a),
        |a| &a.wave,
    ) {
        Side::Theirs => {
            out.wave.clone_from(&theirs.wave);
            out.reason.clone_from(&theirs.reason);
        }
        Side::Neither => out.reason = carried(base, ours, theirs, |a| &a.reason),
        Side::Ours => {}
    }

    let key = |a: &PlannedAsset| (a.product.clone(), a.coverage.clone());
    let who = recorded.sides(&ours.id, &["product", "coverage"]);
    match side(
        report,
        &scope,
        "product",
        who,
        base,
        ours,
        theirs,
        key,
        |a| &a.product,
    ) {
        Side::Theirs => {
            out.product.clone_from(&theirs.product);
            out.coverage.clone_from(&theirs.coverage);
            out.product_reason.clone_from(&theirs.product_reason);
            out.needs_decision = theirs.needs_decision;
        }
        Side::Neither => {
            out.product_reason = carried(base, ours, theirs, |a| &a.product_reason);
            out.needs_decision = carried(base, ours, theirs, |a| &a.needs_decision);
        }
        Side::Ours => {}
    }

    let key = |a: &PlannedAsset| {
        (
            a.status,
            a.status_reason.clone(),
            a.approver.clone(),
            a.review,
        )
    };
    // Statuses are always a person's (or a scan's) word.
    let who = (true, true);
    if side(
        report,
        &scope,
        "status",
        who,
        base,
        ours,
        theirs,
        key,
        |a| &a.status,
    ) == Side::Theirs
    {
        out.status = theirs.status;
        out.status_reason.clone_from(&theirs.status_reason);
        out.approver.clone_from(&theirs.approver);
        out.review = theirs.review;
    }

    out.pinned = report.value(
        &scope,
        "pinned",
        base.map(|a| &a.pinned),
        &ours.pinned,
        &theirs.pinned,
    );
    out.note = report.value(
        &scope,
        "note",
        base.map(|a| &a.note),
        &ours.note,
        &theirs.note,
    );
    out.decision = report.value(
        &scope,
        "decision",
        base.map(|a| &a.decision),
        &ours.decision,
        &theirs.decision,
    );
    out.source = report.value(
        &scope,
        "source",
        base.map(|a| &a.source),
        &ours.source,
        &theirs.source,
    );

    let protection = |a: &PlannedAsset| a.protection.clone();
    out.protection = match pick(
        base.map(protection).as_ref(),
        &ours.protection,
        &theirs.protection,
    ) {
        Some(p) => p.clone(),
        None => match (&ours.protection, &theirs.protection) {
            (Some(o), Some(t)) if t.at > o.at => Some(t.clone()),
            (None, t) => t.clone(),
            (o, _) => o.clone(),
        },
    };
    out
}

/// Which side's group the merge takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Ours changed it (or both alike), or both changed it differently: a conflict.
    Ours,
    /// Only theirs changed it.
    Theirs,
    /// Neither changed it.
    Neither,
}

/// Which side's group to take, comparing the group's `key`; `recorded` says which sides
/// recorded their change. A conflict is reported with the values of `shown` (the group's main
/// field) and ours is kept.
#[allow(clippy::too_many_arguments)]
fn side<K: PartialEq, S: serde::Serialize>(
    report: &mut Report,
    scope: &Scope,
    field: &str,
    recorded: (bool, bool),
    base: Option<&PlannedAsset>,
    ours: &PlannedAsset,
    theirs: &PlannedAsset,
    key: impl Fn(&PlannedAsset) -> K,
    shown: impl Fn(&PlannedAsset) -> &S,
) -> Side {
    let (b, o, t) = (base.map(&key), key(ours), key(theirs));
    if b.as_ref() == Some(&o) && o == t {
        return Side::Neither;
    }
    if o == t || b.as_ref() == Some(&t) {
        return Side::Ours;
    }
    if b.as_ref() == Some(&o) || recorded == (false, true) {
        return Side::Theirs;
    }
    if recorded == (true, false) {
        return Side::Ours;
    }
    let render = |a: &PlannedAsset| super::three::render(shown(a));
    let (bs, os, ts) = (base.map(render), render(ours), render(theirs));
    // A group whose main field both sides set alike differs in its companions (a status's
    // reason or approver, a product's coverage): show the whole group.
    let whole = |a: &PlannedAsset| group_text(field, a);
    if os == ts {
        report.conflict(
            scope,
            field,
            base.map(whole),
            Some(whole(ours)),
            Some(whole(theirs)),
        );
    } else {
        report.conflict(scope, field, bs, Some(os), Some(ts));
    }
    Side::Ours
}

/// The fields of a group, for a conflict in its companions (`status = blocked, status_reason
/// = "…"`).
fn group_text(field: &str, a: &PlannedAsset) -> String {
    use super::three::render;
    let parts = match field {
        "status" => vec![
            ("status", render(&a.status)),
            ("status_reason", render(&a.status_reason)),
            ("approver", render(&a.approver)),
            ("review", render(&a.review.map(|d| d.to_string()))),
        ],
        _ => vec![
            ("product", render(&a.product)),
            ("coverage", render(&a.coverage)),
        ],
    };
    let parts: Vec<String> = parts.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    parts.join(", ")
}

/// A field that goes with a group neither side changed: merged like a value, ours where both
/// changed it differently (it is not reported).
fn carried<T: PartialEq + Clone>(
    base: Option<&PlannedAsset>,
    ours: &PlannedAsset,
    theirs: &PlannedAsset,
    get: impl Fn(&PlannedAsset) -> &T,
) -> T {
    pick(base.map(&get), get(ours), get(theirs))
        .unwrap_or(get(ours))
        .clone()
}
